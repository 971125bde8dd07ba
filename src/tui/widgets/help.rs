//! The `?` overlay: every key of the current tab, then the global keys, from the same
//! tables the key handler reads; it scrolls (j/k) when the screen is too short for it.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;
use ratatui::Frame;

use super::centered;
use super::scroll::{self, TextState};
use crate::tui::keymap::{active, help_rows, HelpRow};
use crate::tui::keys::{tab_bindings, GLOBAL};
use crate::tui::theme;
use crate::tui::view::Tab;

fn row(r: HelpRow) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {:<10}", r.label), theme::header()),
        Span::raw(r.help),
    ])
}

/// The tab's keys, then the keys that work everywhere, then the form keys.
pub fn lines(tab: Tab) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(format!("{} tab", tab.title()), theme::title())];
    out.extend(help_rows(active(), tab_bindings(tab)).into_iter().map(row));
    out.push(Line::raw(""));
    out.push(Line::styled("Everywhere", theme::title()));
    out.extend(help_rows(active(), GLOBAL).into_iter().map(row));
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Forms: Tab/Shift-Tab field, Enter saves, Esc closes, Ctrl-C quits.",
        theme::dim(),
    ));
    out
}

pub fn render(frame: &mut Frame, area: Rect, tab: Tab, state: &TextState) {
    let lines = lines(tab);
    let rect = centered(area, 76, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    scroll::render(frame, rect, " Keys (Esc or ? closes) ", lines, state, true);
}
