//! The state every table shares (selection, horizontal scroll, sort, `/` filter) and the
//! movement keys on it. The table widget draws it; the tab owns one per list.

use std::cell::Cell;
use std::cmp::Ordering;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::table::Column;
use crate::tui::keys::Action;

/// Sorting by one column, either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortBy {
    pub column: usize,
    pub descending: bool,
}

/// Where the last frame drew the list: the area, the first row shown and the rows that fit.
/// Kept like ratatui's `TableState` offset: only drawing knows the terminal's size, and the
/// mouse and the scroll position need what was drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Drawn {
    pub area: Rect,
    pub start: usize,
    pub height: usize,
    /// Rows shown after the filter, and before it.
    pub shown: usize,
    pub total: usize,
}

#[derive(Debug, Default)]
pub struct ListState {
    /// Index into the rows shown (filtered and sorted), clamped when drawn.
    pub selected: usize,
    /// Columns scrolled off to the left; the first column stays as the row's name.
    pub first_column: usize,
    pub sort: Option<SortBy>,
    pub filter: String,
    /// The `/` line is open: keys type into the filter.
    pub filtering: bool,
    pub drawn: Cell<Drawn>,
}

impl ListState {
    /// A list that starts on its last row (newest last).
    pub fn at_end() -> ListState {
        ListState {
            selected: usize::MAX,
            ..ListState::default()
        }
    }

    /// The selection inside `len` rows.
    pub fn current(&self, len: usize) -> usize {
        self.selected.min(len.saturating_sub(1))
    }

    /// `base` (row indices the tab already chose, in its order) narrowed by the filter and
    /// ordered by the sort, both on the cells' text as shown.
    pub fn visible<'a, T: ?Sized + 'a>(
        &self,
        columns: &[Column<T>],
        base: impl Iterator<Item = usize>,
        row_at: impl Fn(usize) -> &'a T,
    ) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        let mut rows: Vec<usize> = if needle.is_empty() {
            base.collect()
        } else {
            base.filter(|i| {
                let row = row_at(*i);
                columns
                    .iter()
                    .any(|c| (c.cell)(row).text.to_lowercase().contains(&needle))
            })
            .collect()
        };
        if let Some(sort) = self.sort.filter(|s| s.column < columns.len()) {
            let cell = columns[sort.column].cell;
            let mut keyed: Vec<(SortKey, usize)> = rows
                .iter()
                .map(|i| (SortKey::of(&cell(row_at(*i)).text), *i))
                .collect();
            keyed.sort_by(|a, b| a.0.compare(&b.0, sort.descending));
            rows = keyed.into_iter().map(|(_, i)| i).collect();
        }
        rows
    }

    /// A movement, column or sort key on a list of `len` rows and `columns` columns; false
    /// when the key is not one of those.
    pub fn on_action(&mut self, action: Action, len: usize, columns: usize) -> bool {
        let last = len.saturating_sub(1);
        let page = self.drawn.get().height.max(1);
        let at = self.current(len);
        self.selected = match action {
            Action::Down => (at + 1).min(last),
            Action::Up => at.saturating_sub(1),
            Action::PageDown => (at + page).min(last),
            Action::PageUp => at.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            Action::Left => {
                self.first_column = self.first_column.saturating_sub(1);
                at
            }
            Action::Right => {
                self.first_column = (self.first_column + 1).min(columns.saturating_sub(2));
                at
            }
            Action::SortNext | Action::SortPrev => {
                let next = match (self.sort, action) {
                    (None, Action::SortNext) => Some(0),
                    (None, _) => Some(columns.saturating_sub(1)),
                    (Some(s), Action::SortNext) => (s.column + 1 < columns).then_some(s.column + 1),
                    (Some(s), _) => s.column.checked_sub(1),
                };
                self.sort = next.map(|column| SortBy {
                    column,
                    descending: false,
                });
                0
            }
            Action::SortFlip => {
                self.sort = Some(match self.sort {
                    Some(s) => SortBy {
                        descending: !s.descending,
                        ..s
                    },
                    None => SortBy {
                        column: 0,
                        descending: true,
                    },
                });
                0
            }
            Action::Filter => {
                self.filtering = true;
                at
            }
            _ => return false,
        };
        true
    }

    /// A key while the `/` line is open: text extends the filter, Backspace trims, Enter
    /// keeps it, Esc clears it.
    pub fn filter_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Char(c) => self.filter.push(c),
            KeyCode::Backspace => {
                self.filter.pop();
            }
            KeyCode::Enter => self.filtering = false,
            KeyCode::Esc => {
                self.filter.clear();
                self.filtering = false;
            }
            _ => {}
        }
        self.selected = 0;
    }

    /// Esc on a list: clears its filter; false when there was none.
    pub fn clear_filter(&mut self) -> bool {
        if self.filter.is_empty() {
            return false;
        }
        self.filter.clear();
        self.selected = 0;
        true
    }

    /// The row index under terminal row `y` of the last frame, if any.
    pub fn row_at(&self, x: u16, y: u16) -> Option<usize> {
        let d = self.drawn.get();
        let inside = x >= d.area.x
            && x < d.area.x + d.area.width
            && y >= d.area.y + 2
            && y < d.area.y + d.area.height.saturating_sub(1);
        inside.then(|| d.start + (y - d.area.y - 2) as usize)
    }

    pub fn contains(&self, x: u16, y: u16) -> bool {
        let a = self.drawn.get().area;
        x >= a.x && x < a.x + a.width && y >= a.y && y < a.y + a.height
    }
}

/// A cell's text as a sort key: a number when it reads as one (thousands separators, a
/// currency sign, `%` and trailing words ignored: "7 sh ($5,022.85, 16.7%)" sorts as 7),
/// else the text; an empty cell or "—" sorts last either way.
#[derive(Debug, PartialEq)]
enum SortKey {
    Number(f64),
    Text(String),
    Missing,
}

impl SortKey {
    fn of(text: &str) -> SortKey {
        let t = text.trim();
        if t.is_empty() || t == "—" {
            return SortKey::Missing;
        }
        // Only the first word decides: a date ("2026-10-29") or a symbol stays text.
        let first: String = t
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !matches!(c, ',' | '$' | '%' | '+' | '(' | ')' | '?'))
            .collect();
        match first.parse::<f64>() {
            Ok(n) if n.is_finite() => SortKey::Number(n),
            _ => SortKey::Text(t.to_lowercase()),
        }
    }

    fn compare(&self, other: &SortKey, descending: bool) -> Ordering {
        use SortKey::*;
        let flip = |o: Ordering| if descending { o.reverse() } else { o };
        match (self, other) {
            (Missing, Missing) => Ordering::Equal,
            (Missing, _) => Ordering::Greater,
            (_, Missing) => Ordering::Less,
            (Number(a), Number(b)) => flip(a.partial_cmp(b).unwrap_or(Ordering::Equal)),
            (Number(_), Text(_)) => flip(Ordering::Less),
            (Text(_), Number(_)) => flip(Ordering::Greater),
            (Text(a), Text(b)) => flip(a.cmp(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_sort_as_numbers_when_they_read_as_numbers() {
        assert_eq!(SortKey::of("1,056.60"), SortKey::Number(1056.60));
        assert_eq!(SortKey::of("-0.6%"), SortKey::Number(-0.6));
        assert_eq!(SortKey::of("+60 pts"), SortKey::Number(60.0));
        assert_eq!(SortKey::of("7 sh ($5,022.85, 16.7%)"), SortKey::Number(7.0));
        assert_eq!(
            SortKey::of("2026-10-29"),
            SortKey::Text("2026-10-29".into())
        );
        assert_eq!(SortKey::of("—"), SortKey::Missing);
        // 81.35 < 365.84 < 1,056.60 as numbers, though "1,056.60" < "365.84" as text.
        let mut keys = [
            SortKey::of("365.84"),
            SortKey::of("1,056.60"),
            SortKey::of("81.35"),
        ];
        keys.sort_by(|a, b| a.compare(b, false));
        assert_eq!(keys[0], SortKey::Number(81.35));
        assert_eq!(keys[2], SortKey::Number(1056.60));
        // Missing stays last in both directions.
        assert_eq!(
            SortKey::Missing.compare(&SortKey::Number(1.0), true),
            Ordering::Greater
        );
    }

    #[test]
    fn movement_stays_inside_the_list() {
        let mut l = ListState::default();
        l.on_action(Action::Up, 5, 3);
        assert_eq!(l.selected, 0);
        l.on_action(Action::Bottom, 5, 3);
        assert_eq!(l.selected, 4);
        l.on_action(Action::Down, 5, 3);
        assert_eq!(l.selected, 4);
        let mut end = ListState::at_end();
        end.on_action(Action::Up, 10, 3);
        // From the last of ten rows (index 9) one up is 8.
        assert_eq!(end.selected, 8);
        // Three columns: the first stays, so at most one can scroll off.
        l.on_action(Action::Right, 5, 3);
        l.on_action(Action::Right, 5, 3);
        assert_eq!(l.first_column, 1);
    }
}
