//! Draws a form as a centred dialog: one bordered input per field, its hint, and a ✓ or
//! the validation message beside it; the live preview and the worker's error below.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::{centered, panel};
use crate::tui::forms::{preview, Form};
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, form: &Form) {
    let extra = preview(form);
    let height = 2 + 2 + 3 * form.fields.len() as u16 + extra.len() as u16 + 3;
    let rect = centered(area, 76, height);
    frame.render_widget(Clear, rect);
    let block = panel(&form.title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut rows = vec![Constraint::Length(2)];
    rows.extend(form.fields.iter().map(|_| Constraint::Length(3)));
    rows.push(Constraint::Min(1));
    let areas = Layout::vertical(rows).split(inner);
    let intro = form.intro.clone().unwrap_or_default();
    frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: true }), areas[0]);
    for (i, field) in form.fields.iter().enumerate() {
        render_field(frame, areas[i + 1], form, i);
        let _ = field;
    }
    frame.render_widget(
        Paragraph::new(footer(form, extra)).wrap(Wrap { trim: true }),
        areas[areas.len() - 1],
    );
}

fn render_field(frame: &mut Frame, area: Rect, form: &Form, index: usize) {
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
    input.set_cursor_style(if focused {
        Style::default().add_modifier(Modifier::REVERSED)
    } else {
        Style::default()
    });
    frame.render_widget(&input, input_area);
    let note = match field.error() {
        Some(e) => Line::from(vec![
            Span::styled("✗ ", theme::bad()),
            Span::styled(e, theme::bad()),
        ]),
        None => Line::from(vec![
            Span::styled("✓ ", theme::good()),
            Span::styled(field.hint, theme::dim()),
        ]),
    };
    let note_area = Rect {
        y: note_area.y + 1,
        height: note_area.height.saturating_sub(1),
        ..note_area
    };
    frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: true }), note_area);
}

fn footer(form: &Form, extra: Vec<String>) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = extra
        .into_iter()
        .map(|l| Line::styled(l, theme::header()))
        .collect();
    if form.confirm_discard {
        lines.push(Line::styled(
            "Discard the changes? y discards, any other key keeps editing",
            theme::warn(),
        ));
    } else if form.saving {
        lines.push(Line::styled("Saving…", theme::dim()));
    } else if let Some(e) = &form.error {
        lines.push(Line::styled(format!("✗ {e}"), theme::bad()));
    } else {
        let enter = if form.is_valid() {
            "Enter saves"
        } else {
            "Enter saves once every field is ✓"
        };
        lines.push(Line::styled(
            format!("{enter} · Tab next field · Esc cancel"),
            theme::dim(),
        ));
    }
    lines
}
