//! Forms: one `TextArea` per field, each validated as it is typed. A submitted form waits
//! for the answer to its own job: that job's success closes it, its failure keeps it open
//! with what was typed. Esc leaves a waiting form (the job carries on and its answer shows
//! in the status bar).

pub mod checks;
mod specs;
mod submit;

use crossterm::event::{KeyCode, KeyEvent};
use tui_textarea::TextArea;

pub use specs::*;
pub use submit::{command, preview};

use checks::Check;

use crate::tui::worker::JobId;

pub struct Field {
    pub label: &'static str,
    pub hint: &'static str,
    pub input: TextArea<'static>,
    check: Check,
    initial: String,
}

impl Field {
    pub fn new(label: &'static str, hint: &'static str, value: &str, check: Check) -> Self {
        let mut input = TextArea::new(vec![value.to_string()]);
        input.move_cursor(tui_textarea::CursorMove::End);
        input.set_cursor_line_style(ratatui::style::Style::default());
        Field {
            label,
            hint,
            input,
            check,
            initial: value.to_string(),
        }
    }

    pub fn value(&self) -> String {
        self.input.lines().join(" ").trim().to_string()
    }

    pub fn error(&self) -> Option<String> {
        (self.check)(&self.value()).err()
    }

    fn changed(&self) -> bool {
        self.value() != self.initial.trim()
    }
}

pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// A sentence above the fields: what the form will do.
    pub intro: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Esc on a changed form asks first.
    pub confirm_discard: bool,
    /// The worker's refusal of the last save.
    pub error: Option<String>,
    /// The job sent by the last Enter, until its answer comes.
    pub saving: Option<JobId>,
}

pub enum FormResult {
    Stay,
    Close,
    Submit,
}

impl Form {
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<Field>) -> Self {
        Form {
            kind,
            title: title.into(),
            intro: None,
            fields,
            focus: 0,
            confirm_discard: false,
            error: None,
            saving: None,
        }
    }

    pub fn with_intro(mut self, intro: impl Into<String>) -> Self {
        self.intro = Some(intro.into());
        self
    }

    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| f.error().is_none())
    }

    pub fn changed(&self) -> bool {
        self.fields.iter().any(Field::changed)
    }

    pub fn value(&self, label: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map(Field::value)
            .unwrap_or_default()
    }

    /// Whether the form waits for the answer to `job`.
    pub fn waits_for(&self, job: JobId) -> bool {
        self.saving == Some(job)
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
            KeyCode::Enter if self.is_valid() => return FormResult::Submit,
            KeyCode::Enter => {
                self.error = Some("fix the fields marked ✗ first".into());
            }
            _ => {
                if let Some(field) = self.fields.get_mut(self.focus) {
                    field.input.input(key);
                    self.error = None;
                }
            }
        }
        FormResult::Stay
    }
}
