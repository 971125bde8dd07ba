//! Draws a form as a centred dialog: one bordered input per field, its hint, and a ✓ or
//! the validation message beside it; the live preview and the worker's error below.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::{centered, panel};
use crate::tui::forms::{Evaluated, Field, Form, FormKind};
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, form: &Form) {
    let evaluated = form.evaluate();
    let extra = evaluated.preview.clone();
    let fields = form.fields.len() as u16;
    let chrome = 2 + 2 + extra.len() as u16 + 3;
    // Bordered inputs take three rows a field; a form that would not fit gets one row each.
    let compact = chrome + 3 * fields > area.height;
    let per_field = if compact { 1 } else { 3 };
    let rect = centered(area, 76, chrome + per_field * fields);
    frame.render_widget(Clear, rect);
    let block = panel(&form.title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut rows = vec![Constraint::Length(2)];
    rows.extend(form.fields.iter().map(|_| Constraint::Length(per_field)));
    rows.push(Constraint::Min(1));
    let areas = Layout::vertical(rows).split(inner);
    let intro = form.intro.clone().unwrap_or_default();
    frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: true }), areas[0]);
    *form.field_areas.borrow_mut() = areas[1..=form.fields.len()].to_vec();
    for i in 0..form.fields.len() {
        if compact {
            render_compact_field(frame, areas[i + 1], form, &evaluated, i);
        } else {
            render_field(frame, areas[i + 1], form, &evaluated, i);
        }
    }
    frame.render_widget(
        Paragraph::new(footer(form, &evaluated, extra)).wrap(Wrap { trim: true }),
        areas[areas.len() - 1],
    );
}

fn note(field: &Field, error: Option<&String>) -> Line<'static> {
    match error.cloned() {
        Some(e) => Line::from(vec![
            Span::styled("✗ ", theme::bad()),
            Span::styled(e, theme::bad()),
        ]),
        None => Line::from(vec![
            Span::styled("✓ ", theme::good()),
            Span::styled(field.hint, theme::dim()),
        ]),
    }
}

fn cursor_style(focused: bool) -> Style {
    if focused {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default()
    }
}

fn render_field(frame: &mut Frame, area: Rect, form: &Form, e: &Evaluated, index: usize) {
    let field = &form.fields[index];
    let focused = index == form.focus && !form.confirm_discard;
    let [input_area, note_area] =
        Layout::horizontal([Constraint::Length(40), Constraint::Min(10)]).areas(area);
    let border = if focused {
        theme::title()
    } else {
        theme::dim()
    };
    let mut input = field.input.clone();
    input.set_block(
        Block::default()
            .borders(Borders::ALL)
            .title(field.label)
            .border_style(border),
    );
    input.set_cursor_style(cursor_style(focused));
    frame.render_widget(&input, input_area);
    let note_area = Rect {
        y: note_area.y + 1,
        height: note_area.height.saturating_sub(1),
        ..note_area
    };
    frame.render_widget(
        Paragraph::new(note(field, e.errors[index].as_ref())).wrap(Wrap { trim: true }),
        note_area,
    );
}

/// `Label  value  ✓ hint` on one row; the focused field's label is highlighted.
fn render_compact_field(frame: &mut Frame, area: Rect, form: &Form, e: &Evaluated, index: usize) {
    let field = &form.fields[index];
    let focused = index == form.focus && !form.confirm_discard;
    let [label_area, input_area, note_area] = Layout::horizontal([
        Constraint::Length(18),
        Constraint::Length(16),
        Constraint::Min(10),
    ])
    .areas(area);
    let label_style = if focused {
        theme::selected()
    } else {
        theme::dim()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(field.label, label_style)),
        label_area,
    );
    let mut input = field.input.clone();
    input.set_style(Style::default().add_modifier(Modifier::UNDERLINED));
    input.set_cursor_style(cursor_style(focused));
    frame.render_widget(
        &input,
        Rect {
            width: input_area.width.saturating_sub(1),
            ..input_area
        },
    );
    frame.render_widget(
        Paragraph::new(note(field, e.errors[index].as_ref())),
        note_area,
    );
}

fn footer(form: &Form, evaluated: &Evaluated, extra: Vec<String>) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = extra
        .into_iter()
        .map(|l| Line::styled(l, theme::header()))
        .collect();
    if form.confirm_discard {
        lines.push(Line::styled(
            "Discard the changes? y discards, any other key keeps editing",
            theme::warn(),
        ));
    } else if form.saving.is_some() {
        let waiting = match form.kind {
            FormKind::BacktestParams => "Starting the backtest… · Esc closes, it carries on",
            FormKind::Import => "Importing… · Esc closes, the import carries on",
            _ => "Saving… · Esc closes, the save carries on",
        };
        lines.push(Line::styled(waiting, theme::dim()));
    } else if let Some(e) = &form.error {
        lines.push(Line::styled(format!("✗ {e}"), theme::bad()));
    } else if let Some(ask) = evaluated.confirm.as_ref().filter(|_| form.confirming) {
        lines.push(Line::styled(
            format!("{ask} · Enter records it as typed, any edit withdraws it"),
            theme::warn(),
        ));
    } else {
        let verb = match form.kind {
            FormKind::Import => "imports",
            _ => "saves",
        };
        let enter = if evaluated.is_valid() {
            format!("Enter {verb}")
        } else {
            format!("Enter {verb} once every field is ✓")
        };
        lines.push(Line::styled(
            format!("{enter} · Tab next field · Esc cancel"),
            theme::dim(),
        ));
    }
    lines
}
