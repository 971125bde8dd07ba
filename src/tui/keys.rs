//! Every key binding, in one table per view. The key handler and the help overlay both read
//! these tables, so the help can never drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::view::Tab;

/// What a key asks for. Tabs interpret the movement and row actions for their own tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    GoTab(Tab),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Refresh,
    Help,
    Filter,
    Sort,
    Add,
    Edit,
    Delete,
    Range,
    NextSymbol,
    RecordSwaps,
    Execute,
    Take,
    Exit,
    Note,
    CycleSource,
    CycleType,
    CycleOutcome,
    CycleTaken,
    ClearFilters,
    Run,
    Cancel,
    NextPanel,
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
}

const fn bind(
    keys: &'static [KeyCode],
    label: &'static str,
    help: &'static str,
    action: Action,
) -> Binding {
    Binding {
        keys,
        label,
        help,
        action,
    }
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Tab as TabKey, Up};

pub const GLOBAL: &[Binding] = &[
    bind(
        &[Char('1')],
        "1-6",
        "switch to tab 1-6",
        Action::GoTab(Tab::Account),
    ),
    bind(&[Char('2')], "", "", Action::GoTab(Tab::Market)),
    bind(&[Char('3')], "", "", Action::GoTab(Tab::Holdings)),
    bind(&[Char('4')], "", "", Action::GoTab(Tab::Optimization)),
    bind(&[Char('5')], "", "", Action::GoTab(Tab::Signals)),
    bind(&[Char('6')], "", "", Action::GoTab(Tab::Backtest)),
    bind(&[TabKey], "Tab", "next tab", Action::NextTab),
    bind(&[BackTab], "Shift-Tab", "previous tab", Action::PrevTab),
    bind(&[Char('j'), Down], "j/↓", "move down", Action::Down),
    bind(&[Char('k'), Up], "k/↑", "move up", Action::Up),
    bind(&[PageDown], "PgDn", "page down", Action::PageDown),
    bind(&[PageUp], "PgUp", "page up", Action::PageUp),
    bind(&[Home, Char('g')], "g/Home", "first row", Action::Top),
    bind(&[End, Char('G')], "G/End", "last row", Action::Bottom),
    bind(
        &[Char('r')],
        "r",
        "refresh from the database",
        Action::Refresh,
    ),
    bind(&[Char('?')], "?", "this help", Action::Help),
    bind(&[Esc], "Esc", "close / cancel", Action::Back),
    bind(&[Char('q')], "q", "quit", Action::Quit),
];

const ACCOUNT: &[Binding] = &[bind(
    &[Char('n'), Enter],
    "n/Enter",
    "record new balances",
    Action::Add,
)];

const MARKET: &[Binding] = &[
    bind(&[Char('/')], "/", "filter the watchlist", Action::Filter),
    bind(&[Char('s')], "s", "sort by the next column", Action::Sort),
    bind(&[Char('c')], "c", "chart range 3M / 1Y / 5Y", Action::Range),
    bind(&[Enter], "Enter", "chart the selected symbol", Action::Open),
    bind(
        &[Char('m')],
        "m",
        "chart SPY / QQQ / selected",
        Action::NextSymbol,
    ),
    bind(&[Char('a')], "a", "add a watchlist symbol", Action::Add),
    bind(
        &[Char('d'), KeyCode::Delete],
        "d/Del",
        "remove the selected symbol",
        Action::Delete,
    ),
];

const HOLDINGS: &[Binding] = &[
    bind(&[Char('a')], "a", "add a holding", Action::Add),
    bind(
        &[Char('e'), Enter],
        "e/Enter",
        "edit the selected holding",
        Action::Edit,
    ),
    bind(
        &[Char('d'), KeyCode::Delete],
        "d/Del",
        "remove the selected holding",
        Action::Delete,
    ),
];

const OPTIMIZATION: &[Binding] = &[
    bind(
        &[Char('s')],
        "s",
        "record the swaps as journal signals",
        Action::RecordSwaps,
    ),
    bind(
        &[Char('x'), Enter],
        "x/Enter",
        "mark the selected swap executed",
        Action::Execute,
    ),
];

const SIGNALS: &[Binding] = &[
    bind(&[Char('a')], "a", "new signal", Action::Add),
    bind(
        &[Char('t'), Enter],
        "t/Enter",
        "take (open) / exit (taken)",
        Action::Open,
    ),
    bind(&[Char('x')], "x", "record the exit", Action::Exit),
    bind(&[Char('n')], "n", "edit notes", Action::Note),
    bind(
        &[Char('S')],
        "S",
        "filter: next source",
        Action::CycleSource,
    ),
    bind(&[Char('T')], "T", "filter: next type", Action::CycleType),
    bind(
        &[Char('O')],
        "O",
        "filter: next outcome",
        Action::CycleOutcome,
    ),
    bind(
        &[Char('K')],
        "K",
        "filter: taken / open / all",
        Action::CycleTaken,
    ),
    bind(&[Char('0')], "0", "clear filters", Action::ClearFilters),
];

const BACKTEST: &[Binding] = &[
    bind(
        &[Char('p'), Enter],
        "p/Enter",
        "edit parameters and run",
        Action::Run,
    ),
    bind(&[Char('w')], "w", "run the parameter sweep", Action::Open),
    bind(
        &[Char('v')],
        "v",
        "next panel: strategies / sweep / trades",
        Action::NextPanel,
    ),
    bind(&[Esc], "Esc", "cancel the running backtest", Action::Cancel),
];

pub fn tab_bindings(tab: Tab) -> &'static [Binding] {
    match tab {
        Tab::Account => ACCOUNT,
        Tab::Market => MARKET,
        Tab::Holdings => HOLDINGS,
        Tab::Optimization => OPTIMIZATION,
        Tab::Signals => SIGNALS,
        Tab::Backtest => BACKTEST,
    }
}

/// Ctrl-C: quits the app from anywhere, before any form, overlay or input sees the key.
pub fn is_interrupt(key: KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == Char('c')
}

/// The action of `key` in `tab`: the tab's own table first, then the global one.
pub fn action_for(tab: Tab, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return is_interrupt(key).then_some(Action::Quit);
    }
    tab_bindings(tab)
        .iter()
        .chain(GLOBAL)
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
}
