//! One table widget for every tab: columns are specs (title, width, cell function), and only
//! the rows that fit are built, so 50,000 journal rows cost what 30 do.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table, TableState};
use ratatui::Frame;

use super::panel;
use crate::tui::theme;

pub type CellFn<T> = fn(&T) -> ratatui::widgets::Cell<'static>;

pub struct Column<T: ?Sized> {
    pub title: &'static str,
    pub width: Constraint,
    /// Right-align the title (numeric columns).
    pub numeric: bool,
    pub cell: CellFn<T>,
}

impl<T: ?Sized> Column<T> {
    const fn new(title: &'static str, width: Constraint, numeric: bool, cell: CellFn<T>) -> Self {
        Column {
            title,
            width,
            numeric,
            cell,
        }
    }
}

/// A text column of fixed width.
pub const fn col<T: ?Sized>(title: &'static str, width: u16, cell: CellFn<T>) -> Column<T> {
    Column::new(title, Constraint::Length(width), false, cell)
}

/// A right-aligned numeric column of fixed width.
pub const fn num<T: ?Sized>(title: &'static str, width: u16, cell: CellFn<T>) -> Column<T> {
    Column::new(title, Constraint::Length(width), true, cell)
}

/// A text column that takes the room the others leave (at least `min`).
pub const fn fill<T: ?Sized>(title: &'static str, min: u16, cell: CellFn<T>) -> Column<T> {
    Column::new(title, Constraint::Min(min), false, cell)
}

/// The first row shown so that `selected` stays in a window of `height` rows.
pub fn window_start(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    selected.saturating_sub(height - 1).min(len - height)
}

/// Draws `len` rows fetched by index through `row_at`, with `selected` highlighted when
/// `focused`. `empty` is shown instead of an empty table.
#[allow(clippy::too_many_arguments)]
pub fn render<'a, T: ?Sized + 'a>(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    columns: &[Column<T>],
    len: usize,
    row_at: impl Fn(usize) -> &'a T,
    selected: Option<usize>,
    empty: &str,
) {
    let block = panel(title);
    if len == 0 {
        let text = ratatui::widgets::Paragraph::new(Line::styled(empty.to_string(), theme::dim()))
            .block(block);
        frame.render_widget(text, area);
        return;
    }
    let columns = fitting(columns, area.width.saturating_sub(3));
    let height = area.height.saturating_sub(3) as usize;
    let start = window_start(selected.unwrap_or(0), len, height);
    let end = (start + height).min(len);
    let rows = (start..end).map(|i| {
        let item = row_at(i);
        Row::new(columns.iter().map(|c| (c.cell)(item)))
    });
    let header = Row::new(columns.iter().map(|c| {
        let line = Line::styled(c.title, theme::header());
        if c.numeric {
            line.right_aligned()
        } else {
            line
        }
    }));
    let table = Table::new(rows, columns.iter().map(|c| c.width))
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme::selected());
    let mut state = TableState::default().with_selected(selected.map(|s| s - start));
    frame.render_stateful_widget(table, area, &mut state);
    if len > height {
        let mut bar = ScrollbarState::new(len.saturating_sub(height)).position(start);
        let inner = area.inner(ratatui::layout::Margin {
            vertical: 1,
            horizontal: 0,
        });
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            inner,
            &mut bar,
        );
    }
}

/// The leading columns that fit in `width`: a narrow terminal drops columns from the right
/// rather than squeezing every one (which garbles numbers, and which ratatui's solver
/// resolves differently from run to run).
fn fitting<T: ?Sized>(columns: &[Column<T>], width: u16) -> &[Column<T>] {
    let mut used = 0u16;
    let count = columns
        .iter()
        .take_while(|c| {
            let Constraint::Length(w) = c.width else {
                return true;
            };
            let next = used + w + u16::from(used > 0);
            let fits = next <= width;
            used = next;
            fits
        })
        .count();
    &columns[..count.max(1)]
}

/// Selection movement shared by every table.
pub fn moved(selected: usize, len: usize, action: crate::tui::keys::Action) -> usize {
    use crate::tui::keys::Action;
    if len == 0 {
        return 0;
    }
    let last = len - 1;
    match action {
        Action::Down => (selected + 1).min(last),
        Action::Up => selected.saturating_sub(1),
        Action::PageDown => (selected + 20).min(last),
        Action::PageUp => selected.saturating_sub(20),
        Action::Top => 0,
        Action::Bottom => last,
        _ => selected.min(last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keys::Action;

    #[test]
    fn the_window_follows_the_selection() {
        assert_eq!(window_start(0, 100, 10), 0);
        assert_eq!(window_start(9, 100, 10), 0);
        assert_eq!(window_start(10, 100, 10), 1);
        assert_eq!(window_start(99, 100, 10), 90);
        assert_eq!(window_start(5, 3, 10), 0);
    }

    #[test]
    fn movement_stays_inside_the_table() {
        assert_eq!(moved(0, 5, Action::Up), 0);
        assert_eq!(moved(4, 5, Action::Down), 4);
        assert_eq!(moved(1, 50, Action::PageDown), 21);
        assert_eq!(moved(3, 50, Action::Bottom), 49);
        assert_eq!(moved(7, 0, Action::Down), 0);
    }
}
