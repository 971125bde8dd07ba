//! Every key binding, in one table per view, with its default keys. The key handler, the
//! footer and the help overlay all read these tables through the keys as bound now
//! (`keymap.rs`: the config's `[keys]` over these defaults), so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use super::keymap::key_text;
use super::keymap::{active, help_rows, HelpRow, Keymap};
use super::view::Tab;

/// What a key asks for. One key has one meaning across the app (tested below): the tabs
/// interpret the movement, list and row actions for their own panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// Scroll a wide table's columns.
    Left,
    Right,
    /// Move the keys' focus to the tab's next panel.
    NextPanel,
    /// Open the focused row in the detail pane.
    Detail,
    Filter,
    SortNext,
    SortPrev,
    SortFlip,
    Back,
    Refresh,
    Help,
    Add,
    Edit,
    Delete,
    /// Act on the recommendation: take a signal, execute a swap.
    Take,
    Exit,
    RecordSwaps,
    /// Chart the selected symbol (Market); the other chart (Backtest).
    Chart,
    NextSymbol,
    Range,
    CycleSource,
    CycleType,
    CycleOutcome,
    CycleTaken,
    /// The journal's symbol and date-range filter (a form).
    JournalWindow,
    ClearFilters,
    Run,
    Sweep,
    /// Fetch daily bars and today's quotes for the app's symbols.
    Fetch,
    /// Open the import form: a portfolio, watchlist, prices or transactions file.
    Import,
    /// The ledger (Account): record a trade, a deposit or withdrawal, a dividend, a split.
    RecordTrade,
    RecordCash,
    RecordDividend,
    RecordSplit,
    /// Record the selected split/dividend proposal in the ledger.
    ConfirmProposal,
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the help and the README name the keys.
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
    /// The word or two the context footer shows after the key ("a add"); empty when the
    /// footer leaves the key to the help.
    pub short: &'static str,
    /// Actions the footer names together under `short` ("b/$/i/% record"), each by its
    /// first key as bound now, so a rebound key shows as bound.
    pub group: &'static [Action],
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
        group: &[],
    }
}

impl Binding {
    const fn titled(self, short: &'static str) -> Binding {
        Binding { short, ..self }
    }

    const fn grouped(self, short: &'static str, group: &'static [Action]) -> Binding {
        Binding {
            short,
            group,
            ..self
        }
    }
}

use KeyCode::{
    BackTab, Char, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right,
    Tab as TabKey, Up,
};

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
    bind(
        &[Char('v')],
        "v",
        "next panel of the tab",
        Action::NextPanel,
    )
    .titled("panel"),
    bind(
        &[Char('j'), Down],
        "j/↓",
        "move down / scroll",
        Action::Down,
    ),
    bind(&[Char('k'), Up], "k/↑", "move up / scroll", Action::Up),
    bind(&[PageDown], "PgDn", "page down", Action::PageDown),
    bind(&[PageUp], "PgUp", "page up", Action::PageUp),
    bind(&[Home, Char('g')], "g/Home", "first row", Action::Top),
    bind(&[End, Char('G')], "G/End", "last row", Action::Bottom),
    bind(
        &[Char('h'), Left],
        "h/←",
        "scroll a wide table's columns left",
        Action::Left,
    ),
    bind(
        &[Char('l'), Right],
        "l/→",
        "scroll a wide table's columns right",
        Action::Right,
    ),
    bind(
        &[Enter, Char('d')],
        "Enter/d",
        "details of the selected row",
        Action::Detail,
    )
    .titled("detail"),
    bind(
        &[Char('/')],
        "/",
        "filter the list (Enter keeps, Esc clears)",
        Action::Filter,
    )
    .titled("filter"),
    bind(
        &[Char('>')],
        ">",
        "sort by the next column",
        Action::SortNext,
    )
    .titled("sort"),
    bind(
        &[Char('<')],
        "<",
        "sort by the previous column",
        Action::SortPrev,
    ),
    bind(&[Char('s')], "s", "reverse the sort", Action::SortFlip),
    bind(
        &[Char('r')],
        "r",
        "refresh from the database",
        Action::Refresh,
    ),
    bind(&[Char('?')], "?", "all keys", Action::Help),
    bind(
        &[Esc],
        "Esc",
        "close / clear the filter / cancel a backtest",
        Action::Back,
    ),
    bind(
        &[Char('f')],
        "f",
        "fetch daily bars and today's quotes",
        Action::Fetch,
    ),
    bind(
        &[Char('I')],
        "I",
        "import a file: portfolio, watchlist, prices, transactions",
        Action::Import,
    ),
    bind(
        &[Char('q')],
        "q",
        "quit (Ctrl-C from anywhere)",
        Action::Quit,
    ),
];

const ACCOUNT: &[Binding] = &[
    bind(&[Char('a')], "a", "record new balances", Action::Add).titled("add balances"),
    // The ledger's keys (issue 15): they open their forms from any panel of the tab.
    bind(
        &[Char('b')],
        "b",
        "record a trade (buy or sell)",
        Action::RecordTrade,
    )
    .grouped(
        "record",
        &[
            Action::RecordTrade,
            Action::RecordCash,
            Action::RecordDividend,
            Action::RecordSplit,
        ],
    ),
    bind(
        &[Char('$')],
        "$",
        "record a deposit or withdrawal",
        Action::RecordCash,
    ),
    bind(
        &[Char('i')],
        "i",
        "record a dividend",
        Action::RecordDividend,
    ),
    bind(&[Char('%')], "%", "record a split", Action::RecordSplit),
    bind(
        &[Char('D'), Delete],
        "D/Del",
        "delete the selected transaction (ledger)",
        Action::Delete,
    )
    .titled("delete"),
    bind(
        &[Char('y')],
        "y",
        "record the selected split/dividend proposal",
        Action::ConfirmProposal,
    )
    .titled("confirm"),
];

const MARKET: &[Binding] = &[
    bind(&[Char('a')], "a", "add a watchlist symbol", Action::Add).titled("add"),
    bind(
        &[Char('D'), Delete],
        "D/Del",
        "remove the selected symbol",
        Action::Delete,
    )
    .titled("remove"),
    bind(
        &[Char('c')],
        "c",
        "chart the selected symbol",
        Action::Chart,
    )
    .titled("chart"),
    bind(
        &[Char('m')],
        "m",
        "chart SPY / QQQ / selected",
        Action::NextSymbol,
    )
    .titled("next chart"),
    bind(&[Char('z')], "z", "chart range 3M / 1Y / 5Y", Action::Range).titled("range"),
];

const HOLDINGS: &[Binding] = &[
    bind(&[Char('a')], "a", "add a holding", Action::Add).titled("add"),
    bind(&[Char('e')], "e", "edit the selected holding", Action::Edit).titled("edit"),
    bind(
        &[Char('D'), Delete],
        "D/Del",
        "remove the selected holding",
        Action::Delete,
    )
    .titled("remove"),
];

const OPTIMIZATION: &[Binding] = &[
    bind(
        &[Char('t')],
        "t",
        "execute the selected swap (record the trade)",
        Action::Take,
    )
    .titled("execute"),
    bind(
        &[Char('J')],
        "J",
        "record the swaps as journal signals",
        Action::RecordSwaps,
    )
    .titled("to journal"),
];

const SIGNALS: &[Binding] = &[
    bind(&[Char('a')], "a", "new signal", Action::Add).titled("new"),
    bind(&[Char('t')], "t", "take the selected signal", Action::Take).titled("take"),
    bind(&[Char('x')], "x", "record the exit", Action::Exit).titled("exit"),
    bind(&[Char('e')], "e", "edit the notes", Action::Edit).titled("notes"),
    bind(
        &[Char('S')],
        "S",
        "filter: next source",
        Action::CycleSource,
    )
    .grouped(
        "filter",
        &[
            Action::CycleSource,
            Action::CycleType,
            Action::CycleOutcome,
            Action::CycleTaken,
        ],
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
        "filter: taken / not taken / all",
        Action::CycleTaken,
    ),
    bind(
        &[Char('F')],
        "F",
        "filter the journal by symbol and date range",
        Action::JournalWindow,
    )
    .titled("symbol/dates"),
    bind(
        &[Char('0')],
        "0",
        "clear every filter (S/T/O/K, F and /)",
        Action::ClearFilters,
    )
    .titled("clear"),
];

const BACKTEST: &[Binding] = &[
    bind(&[Char('p')], "p", "edit parameters and run", Action::Run).titled("parameters"),
    bind(&[Char('w')], "w", "run the parameter sweep", Action::Sweep).titled("sweep"),
    bind(
        &[Char('c')],
        "c",
        "chart: equity / drawdown (small screens)",
        Action::Chart,
    ),
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

/// The bindings of `tab` and then the global ones: the order `action_for` tries them in.
fn in_tab(tab: Tab) -> impl Iterator<Item = &'static Binding> {
    tab_bindings(tab).iter().chain(GLOBAL)
}

fn binding(tab: Tab, action: Action) -> Option<&'static Binding> {
    in_tab(tab).find(|b| b.action == action)
}

/// The first key of `action` as bound now (the config's `[keys]` over the defaults); empty
/// when the user unbound it. For text that tells the user what to press.
pub fn key_of(tab: Tab, action: Action) -> String {
    binding(tab, action)
        .and_then(|b| active().keys(b.action).first())
        .map_or_else(String::new, key_text)
}

/// "a add · e edit · D remove": each action's first key and short name in `tab`.
pub fn hints(tab: Tab, actions: &[Action]) -> String {
    let keymap = active();
    actions
        .iter()
        .filter_map(|a| binding(tab, *a))
        .filter_map(|b| hint_of(keymap, b))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// "b/$/i/% record", "a add": the keys as bound in `keymap`, then the short name; `None`
/// for a binding the footer leaves to the help, or whose keys are all unbound.
fn hint_of(keymap: &Keymap, b: &Binding) -> Option<String> {
    if b.short.is_empty() {
        return None;
    }
    let group = if b.group.is_empty() {
        std::slice::from_ref(&b.action)
    } else {
        b.group
    };
    let keys: Vec<String> = group
        .iter()
        .filter_map(|a| keymap.keys(*a).first().map(key_text))
        .collect();
    (!keys.is_empty()).then(|| format!("{} {}", keys.join("/"), b.short))
}

/// "a add": each footer-worthy binding of `bindings`, its keys as bound and short name.
pub fn footer_hints(bindings: &[Binding]) -> Vec<String> {
    let keymap = active();
    bindings.iter().filter_map(|b| hint_of(keymap, b)).collect()
}

/// The README's keymap: one Markdown table of every default binding, global first, each
/// tab's after. The README holds this text verbatim (tested), so it cannot drift.
pub fn keymap_markdown() -> String {
    let defaults = Keymap::default();
    let mut out = String::from("| Key | Where | Does |\n| --- | --- | --- |\n");
    let mut push = |rows: Vec<HelpRow>, place: &str| {
        for r in rows {
            out.push_str(&format!(
                "| `{}` | {place} | {} |\n",
                r.label.replace('|', "\\|"),
                r.help
            ));
        }
    };
    push(help_rows(&defaults, GLOBAL), "everywhere");
    for tab in Tab::ALL {
        push(help_rows(&defaults, tab_bindings(tab)), tab.title());
    }
    out.push_str("| `Ctrl-C` | everywhere, forms included | quit |\n");
    out
}

/// Ctrl-C: quits the app from anywhere, before any form, overlay or input sees the key.
/// It cannot be rebound, so there is always a way out.
pub fn is_interrupt(key: KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == Char('c')
}

/// The action of `key` in `tab` as bound now: the tab's own table first, then the global one.
pub fn action_for(tab: Tab, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return is_interrupt(key).then_some(Action::Quit);
    }
    let keymap = active();
    in_tab(tab)
        .find(|b| keymap.keys(b.action).contains(&key.code))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_has_one_meaning_across_the_app() {
        let mut seen: Vec<(KeyCode, Action)> = Vec::new();
        for tab in Tab::ALL {
            for b in tab_bindings(tab).iter().chain(GLOBAL) {
                for k in b.keys {
                    match seen.iter().find(|(key, _)| key == k) {
                        Some((_, action)) => {
                            assert_eq!(*action, b.action, "{k:?} means two things")
                        }
                        None => seen.push((*k, b.action)),
                    }
                }
            }
        }
    }

    #[test]
    fn the_readme_holds_the_keymap_of_the_key_tables() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&keymap_markdown()),
            "README.md's keymap differs from keys.rs; paste:\n{}",
            keymap_markdown()
        );
    }

    #[test]
    fn the_footer_names_the_keys_of_the_table() {
        assert_eq!(
            footer_hints(tab_bindings(Tab::Holdings)),
            ["a add", "e edit", "D remove"]
        );
        assert_eq!(key_of(Tab::Backtest, Action::NextPanel), "v");
        assert_eq!(key_of(Tab::Optimization, Action::Take), "t");
        assert_eq!(
            hints(Tab::Holdings, &[Action::Add, Action::Delete]),
            "a add · D remove"
        );
        let account = footer_hints(tab_bindings(Tab::Account));
        assert!(
            account.contains(&"b/$/i/% record".to_string()),
            "{account:?}"
        );
        let signals = footer_hints(tab_bindings(Tab::Signals));
        assert!(
            signals.contains(&"S/T/O/K filter".to_string()),
            "{signals:?}"
        );
        assert!(
            signals.contains(&"F symbol/dates".to_string()),
            "{signals:?}"
        );
    }
}
