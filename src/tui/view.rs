//! What the app and its tabs share without depending on each other: the tabs, and what a
//! tab asks the app to do. Kept apart from `app` so a tab's module imports this, not the
//! app that imports every tab.

use super::forms::Form;
use super::widgets::detail::Detail;
use super::widgets::list::ListState;
use super::worker::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Account,
    Market,
    Holdings,
    Optimization,
    Signals,
    Backtest,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Account,
        Tab::Market,
        Tab::Holdings,
        Tab::Optimization,
        Tab::Signals,
        Tab::Backtest,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Account => "Account",
            Tab::Market => "Market",
            Tab::Holdings => "Holdings",
            Tab::Optimization => "Optimization",
            Tab::Signals => "Signals",
            Tab::Backtest => "Backtest",
        }
    }

    /// The tab bar's name when the full names do not fit.
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Account => "Acct",
            Tab::Market => "Mkt",
            Tab::Holdings => "Hold",
            Tab::Optimization => "Optim",
            Tab::Signals => "Sig",
            Tab::Backtest => "Test",
        }
    }

    pub(crate) fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub(crate) fn offset(self, by: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[((self.index() as isize + by).rem_euclid(n)) as usize]
    }
}

/// What a tab asks the app to do after an action.
pub enum Effect {
    None,
    Send(Command),
    Open(Form),
    Note(String),
    /// Open the detail pane.
    Detail(Detail),
}

/// A tab's panels as the app's generic keys and the mouse see them: which has the focus,
/// and every list with the index of its panel.
pub trait Panels {
    fn focus_mut(&mut self) -> &mut usize;
    fn lists(&mut self) -> Vec<(usize, &mut ListState)>;
    /// The focused panel's list, if it is one (the footer's match count).
    fn focused_list(&self) -> Option<&ListState>;

    /// The list whose `/` line is open.
    fn filtering(&mut self) -> Option<&mut ListState> {
        self.lists()
            .into_iter()
            .map(|(_, l)| l)
            .find(|l| l.filtering)
    }

    /// Esc: clears the focused list's filter; false when there was none.
    fn clear_filter(&mut self) -> bool {
        let focus = *self.focus_mut();
        self.lists()
            .into_iter()
            .find(|(i, _)| *i == focus)
            .is_some_and(|(_, l)| l.clear_filter())
    }

    /// A click at (x, y): focuses the list under it and selects the clicked row.
    fn click(&mut self, x: u16, y: u16) -> bool {
        let mut hit = None;
        for (i, l) in self.lists() {
            if l.contains(x, y) {
                if let Some(row) = l.row_at(x, y) {
                    l.selected = row;
                }
                hit = Some(i);
            }
        }
        if let Some(i) = hit {
            *self.focus_mut() = i;
        }
        hit.is_some()
    }
}
