//! Widgets shared by the tabs: one table with column specs, charts, forms, help, status.

pub mod chart;
pub mod detail;
pub mod fmt;
pub mod footer;
pub mod form;
pub mod help;
pub mod list;
pub mod live_mark;
pub mod scroll;
pub mod status;
pub mod table;

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::widgets::{Block, BorderType, Borders};

use super::theme;

/// A bordered block with the app's title style.
pub fn panel(title: &str) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .title(title)
        .title_style(theme::title())
}

/// A panel whose border is bright when it has the keys' focus.
pub fn panel_focused(title: &str, focused: bool) -> Block<'_> {
    let block = panel(title);
    if focused {
        block.border_style(theme::title())
    } else {
        block.border_style(theme::dim())
    }
}

/// A rectangle of `width` × `height` centred in `area`, clipped to it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}
