//! Forms: one `TextArea` per field. Each form's fields are parsed, in order, by that form's
//! builder (`build.rs`) into the operation it stands for, or into a message per field; the
//! same parse decides what the dialog shows beside each field as it is typed, the live
//! preview, and what Enter sends — nothing is parsed twice or looked up by label.
//!
//! A submitted form waits for the answer to its own job: that job's success closes it, its
//! failure keeps it open with what was typed. Esc leaves a waiting form (the job carries on
//! and its answer shows in the status bar).

mod build;
mod import_form;
mod ledger_forms;
pub mod parse;
mod specs;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use tui_textarea::TextArea;

pub use build::{Evaluated, Submission};
pub use import_form::import;
pub use ledger_forms::{
    confirm_transaction_delete, ledger_cash, ledger_dividend, ledger_split, ledger_trade,
};
pub use specs::*;

use crate::tui::worker::JobId;

pub struct Field {
    pub label: &'static str,
    pub hint: &'static str,
    pub input: TextArea<'static>,
    initial: String,
}

impl Field {
    pub fn new(label: &'static str, hint: &'static str, value: &str) -> Self {
        let mut input = TextArea::new(vec![value.to_string()]);
        input.move_cursor(tui_textarea::CursorMove::End);
        input.set_cursor_line_style(ratatui::style::Style::default());
        Field {
            label,
            hint,
            input,
            initial: value.to_string(),
        }
    }

    /// What is typed, trimmed.
    pub fn text(&self) -> String {
        self.input.lines().join(" ").trim().to_string()
    }

    fn changed(&self) -> bool {
        self.text() != self.initial.trim()
    }
}

pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// A sentence above the fields: what the form will do.
    pub intro: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The day dates are checked against: no fact is recorded after it.
    pub today: NaiveDate,
    /// Esc on a changed form asks first.
    pub confirm_discard: bool,
    /// Enter was pressed on a valid form that needs confirming (an outcome contradicting
    /// the P&L); the next Enter sends it confirmed, any edit withdraws it.
    pub confirming: bool,
    /// The worker's refusal of the last save.
    pub error: Option<String>,
    /// The job sent by the last Enter, until its answer comes.
    pub saving: Option<JobId>,
    /// Where each field was drawn last, for a click (the drawing notes it; nothing else).
    pub field_areas: std::cell::RefCell<Vec<ratatui::layout::Rect>>,
}

pub enum FormResult {
    Stay,
    Close,
    Submit,
}

impl Form {
    pub fn new(
        kind: FormKind,
        title: impl Into<String>,
        today: NaiveDate,
        fields: Vec<Field>,
    ) -> Self {
        Form {
            kind,
            title: title.into(),
            intro: None,
            fields,
            focus: 0,
            today,
            confirm_discard: false,
            confirming: false,
            error: None,
            saving: None,
            field_areas: Default::default(),
        }
    }

    pub fn with_intro(mut self, intro: impl Into<String>) -> Self {
        self.intro = Some(intro.into());
        self
    }

    /// The fields parsed: a message per field, the operation when there is none, the
    /// preview lines and what needs confirming.
    pub fn evaluate(&self) -> Evaluated {
        build::evaluate(self)
    }

    pub fn is_valid(&self) -> bool {
        self.evaluate().is_valid()
    }

    pub fn changed(&self) -> bool {
        self.fields.iter().any(Field::changed)
    }

    /// The text of the field labelled `label`, as a person reads the form (tests, display);
    /// the builders read fields by position, parsed.
    pub fn value(&self, label: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map(Field::text)
            .unwrap_or_default()
    }

    /// Whether the form waits for the answer to `job`.
    pub fn waits_for(&self, job: JobId) -> bool {
        self.saving == Some(job)
    }

    /// A click at (`column`, `row`) on a field moves the focus to it. While a save is under
    /// way or a discard is asked, clicks do nothing (as keys other than Esc and y do).
    pub fn click(&mut self, column: u16, row: u16) {
        if self.saving.is_some() || self.confirm_discard {
            return;
        }
        let at = ratatui::layout::Position { x: column, y: row };
        if let Some(i) = self
            .field_areas
            .borrow()
            .iter()
            .position(|r| r.contains(at))
        {
            self.focus = i;
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> FormResult {
        if self.saving.is_some() {
            // The fields are sent: only leaving is left to do, and the job carries on.
            return match key.code {
                KeyCode::Esc => FormResult::Close,
                _ => FormResult::Stay,
            };
        }
        if self.confirm_discard {
            return match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => FormResult::Close,
                _ => {
                    self.confirm_discard = false;
                    FormResult::Stay
                }
            };
        }
        let count = self.fields.len().max(1);
        match key.code {
            KeyCode::Esc if self.changed() => self.confirm_discard = true,
            KeyCode::Esc => return FormResult::Close,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % count,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + count - 1) % count,
            KeyCode::Enter => {
                let evaluated = self.evaluate();
                if !evaluated.is_valid() {
                    self.error = Some("fix the fields marked ✗ first".into());
                } else if evaluated.confirm.is_some() && !self.confirming {
                    self.confirming = true;
                } else {
                    return FormResult::Submit;
                }
            }
            _ => {
                if let Some(field) = self.fields.get_mut(self.focus) {
                    field.input.input(key);
                    self.error = None;
                    self.confirming = false;
                }
            }
        }
        FormResult::Stay
    }
}
