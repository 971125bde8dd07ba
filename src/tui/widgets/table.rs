//! One table widget for every tab: columns are specs (title, width, cell function), and only
//! the rows that fit are built, so 50,000 journal rows cost what 30 do. A table too wide for
//! the terminal scrolls sideways (h/l) behind its first column and says how many columns
//! are hidden on each side; the sorted column's title carries ▲ or ▼.

use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{
    Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table, TableState,
};
use ratatui::Frame;

use super::fmt::CellText;
use super::list::{Drawn, ListState};
use super::panel_focused;
use crate::tui::theme;

pub type CellFn<T> = fn(&T) -> CellText;

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

/// What a table shows around its rows.
pub struct View<'a> {
    pub title: &'a str,
    /// Shown instead of an empty table.
    pub empty: &'a str,
    /// The rows before the `/` filter, for "3 of 20".
    pub total: usize,
    /// The focused panel draws its border bright and its selection.
    pub focused: bool,
}

/// The first row shown: the previous frame's, moved just enough to keep `selected` in a
/// window of `height` rows (so the view scrolls like a list, not jumps).
pub fn window_start(previous: usize, selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let start = if selected < previous {
        selected
    } else if selected >= previous + height {
        selected + 1 - height
    } else {
        previous
    };
    start.min(len - height)
}

/// Draws the rows `rows` (indices into the data, in display order) fetched through
/// `row_at`, with `state`'s selection, sort mark, filter and horizontal scroll.
pub fn render<'a, T: ?Sized + 'a>(
    frame: &mut Frame,
    area: Rect,
    view: View,
    columns: &[Column<T>],
    rows: &[usize],
    row_at: impl Fn(usize) -> &'a T,
    state: &ListState,
) {
    let title = titled(&view, state, rows.len());
    let block = panel_focused(&title, view.focused);
    let height = area.height.saturating_sub(3) as usize;
    let len = rows.len();
    if len == 0 {
        state.drawn.set(Drawn {
            area,
            start: 0,
            height,
            shown: 0,
            total: view.total,
        });
        let empty = if state.filter.is_empty() {
            view.empty.to_string()
        } else {
            format!("No row matches /{}: Esc clears the filter.", state.filter)
        };
        let text = Paragraph::new(Line::styled(empty, theme::dim()))
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(block);
        frame.render_widget(text, area);
        return;
    }
    let (shown, hidden_left, hidden_right) = fitting(
        columns.len(),
        state.first_column,
        |i| columns[i].width,
        area.width.saturating_sub(3),
    );
    let selected = state.current(len);
    let start = window_start(state.drawn.get().start, selected, len, height);
    state.drawn.set(Drawn {
        area,
        start,
        height,
        shown: len,
        total: view.total,
    });
    let end = (start + height).min(len);
    let body = (start..end).map(|i| {
        let item = row_at(rows[i]);
        Row::new(shown.iter().map(|c| (columns[*c].cell)(item).cell()))
    });
    let header = Row::new(shown.iter().map(|c| {
        let column = &columns[*c];
        let mark = match state.sort {
            Some(s) if s.column == *c && s.descending => "▼",
            Some(s) if s.column == *c => "▲",
            _ => "",
        };
        let line = Line::styled(format!("{}{mark}", column.title), theme::header());
        if column.numeric {
            line.right_aligned()
        } else {
            line
        }
    }));
    let mut block = block;
    if hidden_left > 0 {
        block = block.title_bottom(Line::styled(
            format!("← {hidden_left} more (h)"),
            theme::warn(),
        ));
    }
    if hidden_right > 0 {
        block = block.title_bottom(
            Line::styled(
                format!(
                    "{hidden_right} more column{} (l) →",
                    if hidden_right == 1 { "" } else { "s" }
                ),
                theme::warn(),
            )
            .right_aligned(),
        );
    }
    let highlight = if view.focused {
        theme::selected()
    } else {
        theme::selected_unfocused()
    };
    let table = Table::new(body, shown.iter().map(|c| columns[*c].width))
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(highlight);
    let mut table_state = TableState::default().with_selected(Some(selected - start));
    frame.render_stateful_widget(table, area, &mut table_state);
    if len > height {
        let mut bar = ScrollbarState::new(len.saturating_sub(height)).position(start);
        let inner = area.inner(Margin {
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

/// "Journal 40 · /loss 6 of 40": the filter and its count after the tab's title.
fn titled(view: &View, state: &ListState, shown: usize) -> String {
    if state.filtering {
        format!(
            "{} · /{}▏ {shown} of {}",
            view.title, state.filter, view.total
        )
    } else if !state.filter.is_empty() {
        format!(
            "{} · /{} {shown} of {}",
            view.title, state.filter, view.total
        )
    } else {
        view.title.to_string()
    }
}

/// The columns shown in `width`: the first one, then from `first_column + 1` on as many as
/// fit (a fill column always fits), with the counts hidden left and right. Dropping columns
/// rather than squeezing every one keeps numbers whole (ratatui's solver would garble them).
fn fitting(
    count: usize,
    first_column: usize,
    width_of: impl Fn(usize) -> Constraint,
    width: u16,
) -> (Vec<usize>, usize, usize) {
    if count == 0 {
        return (Vec::new(), 0, 0);
    }
    let skip = first_column.min(count.saturating_sub(2));
    let mut shown = vec![0];
    let mut used = match width_of(0) {
        Constraint::Length(w) | Constraint::Min(w) => w,
        _ => 0,
    };
    for i in (1 + skip)..count {
        let w = match width_of(i) {
            Constraint::Length(w) => w,
            Constraint::Min(w) => w,
            _ => 0,
        };
        if used + 1 + w > width {
            break;
        }
        used += 1 + w;
        shown.push(i);
    }
    let hidden_right = count - 1 - skip - (shown.len() - 1);
    (shown, skip, hidden_right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_scrolls_only_as_far_as_the_selection_needs() {
        // Ten rows fit; the selection walking down from 0 keeps the window at 0 until row 10.
        assert_eq!(window_start(0, 9, 100, 10), 0);
        assert_eq!(window_start(0, 10, 100, 10), 1);
        // Walking back up, the window stays until the selection leaves it at the top.
        assert_eq!(window_start(5, 7, 100, 10), 5);
        assert_eq!(window_start(5, 4, 100, 10), 4);
        assert_eq!(window_start(0, 99, 100, 10), 90);
        assert_eq!(window_start(3, 5, 3, 10), 0);
    }

    #[test]
    fn columns_that_do_not_fit_are_counted_on_their_side() {
        // Widths 6, 10, 10, 10 in 30 columns: 6 + 1 + 10 + 1 + 10 = 28 fit, the last does not.
        let widths = [6u16, 10, 10, 10];
        let w = |i: usize| Constraint::Length(widths[i]);
        assert_eq!(fitting(4, 0, w, 30), (vec![0, 1, 2], 0, 1));
        // Scrolled one right: the first column stays, then columns 2 and 3.
        assert_eq!(fitting(4, 1, w, 30), (vec![0, 2, 3], 1, 0));
    }
}
