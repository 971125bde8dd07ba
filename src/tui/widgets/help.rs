//! The `?` overlay: every key of the current tab, then the global keys, from the same
//! tables the key handler reads.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{centered, panel};
use crate::tui::keys::{tab_bindings, Binding, GLOBAL};
use crate::tui::theme;
use crate::tui::view::Tab;

fn row(b: &Binding) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {:<10}", b.label), theme::header()),
        Span::raw(b.help),
    ])
}

/// The tab's keys, then the keys that work everywhere, then the form keys.
pub fn lines(tab: Tab) -> Vec<Line<'static>> {
    let (mut out, global) = columns(tab);
    out.push(Line::raw(""));
    out.extend(global);
    out
}

fn columns(tab: Tab) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let mut own = vec![Line::styled(format!("{} tab", tab.title()), theme::title())];
    own.extend(tab_bindings(tab).iter().map(row));
    let mut global = vec![Line::styled("Everywhere", theme::title())];
    global.extend(GLOBAL.iter().filter(|b| !b.label.is_empty()).map(row));
    global.push(Line::raw(""));
    global.push(Line::styled(
        "Forms: Tab/Shift-Tab field, Enter saves, Esc closes.",
        theme::dim(),
    ));
    (own, global)
}

/// One column when it fits the height, else the tab's keys beside the global ones.
pub fn render(frame: &mut Frame, area: Rect, tab: Tab) {
    let block = panel(" Keys (Esc or ? closes) ");
    let one = lines(tab);
    if one.len() as u16 + 2 <= area.height {
        let rect = centered(area, 64, one.len() as u16 + 2);
        frame.render_widget(Clear, rect);
        frame.render_widget(Paragraph::new(one).block(block), rect);
        return;
    }
    let (own, global) = columns(tab);
    let height = own.len().max(global.len()) as u16 + 2;
    let rect = centered(area, 120, height);
    frame.render_widget(Clear, rect);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    frame.render_widget(Paragraph::new(own), left);
    frame.render_widget(Paragraph::new(global), right);
}
