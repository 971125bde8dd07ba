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
    Fetch,
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
    /// The word or two a panel title shows after the key ("a add"); empty when no title
    /// shows the key.
    pub short: &'static str,
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
        short: "",
    }
}

impl Binding {
    const fn titled(self, short: &'static str) -> Binding {
        Binding { short, ..self }
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
    bind(
        &[Char('f')],
        "f",
        "fetch daily bars and today's quotes",
        Action::Fetch,
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
)
.titled("records balances")];

const MARKET: &[Binding] = &[
    bind(&[Char('/')], "/", "filter the watchlist", Action::Filter).titled("filter"),
    bind(&[Char('s')], "s", "sort by the next column", Action::Sort),
    bind(&[Char('c')], "c", "chart range 3M / 1Y / 5Y", Action::Range).titled("range"),
    bind(&[Enter], "Enter", "chart the selected symbol", Action::Open).titled("selected"),
    bind(
        &[Char('m')],
        "m",
        "chart SPY / QQQ / selected",
        Action::NextSymbol,
    )
    .titled("next"),
    bind(&[Char('a')], "a", "add a watchlist symbol", Action::Add).titled("add"),
    bind(
        &[Char('d'), KeyCode::Delete],
        "d/Del",
        "remove the selected symbol",
        Action::Delete,
    )
    .titled("remove"),
];

const HOLDINGS: &[Binding] = &[
    bind(&[Char('a')], "a", "add a holding", Action::Add).titled("add"),
    bind(
        &[Char('e'), Enter],
        "e/Enter",
        "edit the selected holding",
        Action::Edit,
    )
    .titled("edit"),
    bind(
        &[Char('d'), KeyCode::Delete],
        "d/Del",
        "remove the selected holding",
        Action::Delete,
    )
    .titled("remove"),
];

const OPTIMIZATION: &[Binding] = &[
    bind(
        &[Char('s')],
        "s",
        "record the swaps as journal signals",
        Action::RecordSwaps,
    )
    .titled("record as signals"),
    bind(
        &[Char('x'), Enter],
        "x/Enter",
        "mark the selected swap executed",
        Action::Execute,
    )
    .titled("mark executed"),
];

const SIGNALS: &[Binding] = &[
    bind(&[Char('a')], "a", "new signal", Action::Add).titled("new"),
    bind(
        &[Char('t'), Enter],
        "t/Enter",
        "take (open) / exit (taken)",
        Action::Open,
    )
    .titled("take"),
    bind(&[Char('x')], "x", "record the exit", Action::Exit).titled("exit"),
    bind(&[Char('n')], "n", "edit notes", Action::Note).titled("notes"),
    bind(
        &[Char('S')],
        "S",
        "filter: next source",
        Action::CycleSource,
    )
    .titled("filter"),
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
    bind(&[Char('0')], "0", "clear filters", Action::ClearFilters).titled("clear"),
];

const BACKTEST: &[Binding] = &[
    bind(
        &[Char('p'), Enter],
        "p/Enter",
        "edit parameters and run",
        Action::Run,
    )
    .titled("parameters"),
    bind(&[Char('w')], "w", "run the parameter sweep", Action::Open).titled("sweep"),
    bind(
        &[Char('v')],
        "v",
        "next panel: strategies / sweep / trades",
        Action::NextPanel,
    )
    .titled("trades/sweep"),
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

/// How a panel title names a key: `a`, `Enter`, `/`.
fn key_text(key: &KeyCode) -> String {
    match key {
        Char(c) => c.to_string(),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        other => format!("{other:?}"),
    }
}

fn binding(tab: Tab, action: Action) -> Option<&'static Binding> {
    tab_bindings(tab).iter().find(|b| b.action == action)
}

/// The first key of `action` in `tab`'s table, as a title shows it.
pub fn key_of(tab: Tab, action: Action) -> String {
    binding(tab, action)
        .and_then(|b| b.keys.first())
        .map_or_else(String::new, key_text)
}

/// "a add · e edit · d remove": each action's first key and short name, from `tab`'s table,
/// so a panel title can never name a key the table does not bind.
pub fn hints(tab: Tab, actions: &[Action]) -> String {
    actions
        .iter()
        .filter_map(|a| binding(tab, *a))
        .map(|b| {
            format!(
                "{} {}",
                b.keys.first().map_or_else(String::new, key_text),
                b.short
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// "S/T/O/K filter": several actions' keys under the first one's short name.
pub fn grouped_hint(tab: Tab, actions: &[Action]) -> String {
    let keys: Vec<String> = actions.iter().map(|a| key_of(tab, *a)).collect();
    let short = actions
        .first()
        .and_then(|a| binding(tab, *a))
        .map_or("", |b| b.short);
    format!("{} {short}", keys.join("/"))
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

#[cfg(test)]
mod title_tests {
    use super::*;

    #[test]
    fn panel_titles_name_the_keys_of_the_table() {
        assert_eq!(
            hints(Tab::Holdings, &[Action::Add, Action::Edit, Action::Delete]),
            "a add · e edit · d remove"
        );
        assert_eq!(hints(Tab::Market, &[Action::Open]), "Enter selected");
        assert_eq!(
            grouped_hint(
                Tab::Signals,
                &[
                    Action::CycleSource,
                    Action::CycleType,
                    Action::CycleOutcome,
                    Action::CycleTaken
                ]
            ),
            "S/T/O/K filter"
        );
        assert_eq!(key_of(Tab::Backtest, Action::NextPanel), "v");
        // An action the tab does not bind shows nothing rather than a wrong key.
        assert_eq!(hints(Tab::Account, &[Action::Delete]), "");
    }
}
