//! What the app and its tabs share without depending on each other: the tabs, and what a
//! tab asks the app to do. Kept apart from `app` so a tab's module imports this, not the
//! app that imports every tab.

use super::forms::Form;
use super::worker::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}
