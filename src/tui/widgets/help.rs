//! The `?` overlay: every key of the current tab, then the global keys, from the same
//! tables the key handler reads.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{centered, panel};
use crate::tui::app::Tab;
use crate::tui::keys::{tab_bindings, Binding, GLOBAL};
use crate::tui::theme;

pub fn lines(tab: Tab) -> Vec<Line<'static>> {
    let row = |b: &Binding| {
        Line::from(vec![
            Span::styled(format!("  {:<10}", b.label), theme::header()),
            Span::raw(b.help),
        ])
    };
    let mut out = vec![Line::styled(format!("{} tab", tab.title()), theme::title())];
    out.extend(tab_bindings(tab).iter().map(row));
    out.push(Line::raw(""));
    out.push(Line::styled("Everywhere", theme::title()));
    out.extend(GLOBAL.iter().filter(|b| !b.label.is_empty()).map(row));
    out.push(Line::raw(""));
    out.push(Line::styled(
        "In forms: Tab/Shift-Tab move between fields, Enter saves, Esc closes.",
        theme::dim(),
    ));
    out
}

pub fn render(frame: &mut Frame, area: Rect, tab: Tab) {
    let text = lines(tab);
    let height = text.len() as u16 + 2;
    let rect = centered(area, 64, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text).block(panel(" Keys (Esc or ? closes) ")),
        rect,
    );
}
