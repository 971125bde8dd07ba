//! The keys as bound now: the defaults of the key tables (`keys.rs`) with the config's
//! `[keys]` section over them. Each action has a name (`take`, `record_trade`) and a list of
//! keys; one key has one meaning across the app, so a config that binds a key to two actions
//! is refused with both names. Ctrl-C always quits and is not in the map.
//!
//! The map in use is process-wide, installed once before the first frame (`install`), as
//! the terminal and its colours are: every key the app reads and every key it names (the
//! footer, the help, "press a to add") come from it.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crossterm::event::KeyCode;

use super::keys::{tab_bindings, Action, Binding, GLOBAL};
use super::view::Tab;

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    keys: HashMap<Action, Vec<KeyCode>>,
}

static ACTIVE: OnceLock<Keymap> = OnceLock::new();

/// The keys in use: the installed map, or the defaults when none was installed.
pub fn active() -> &'static Keymap {
    ACTIVE.get_or_init(Keymap::default)
}

/// Installs the map the app reads from now on; only the first call counts (the app
/// installs the config's before its first frame). Returns whether this one was installed.
pub fn install(keymap: Keymap) -> bool {
    ACTIVE.set(keymap).is_ok()
}

/// Every binding of every table, global first.
fn all_bindings() -> impl Iterator<Item = &'static Binding> {
    GLOBAL
        .iter()
        .chain(Tab::ALL.into_iter().flat_map(tab_bindings))
}

/// Every action some table binds, once each, in table order.
pub fn actions() -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    for b in all_bindings() {
        if !out.contains(&b.action) {
            out.push(b.action);
        }
    }
    out
}

impl Default for Keymap {
    /// The key tables' own keys; an action bound in several tables has the same keys in
    /// each (tested), so the first table's are every table's.
    fn default() -> Self {
        let mut keys = HashMap::new();
        for b in all_bindings() {
            keys.entry(b.action).or_insert_with(|| b.keys.to_vec());
        }
        Keymap { keys }
    }
}

impl Keymap {
    pub fn keys(&self, action: Action) -> &[KeyCode] {
        self.keys.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The defaults with `config` over them (`name = ["key", …]`; a name the defaults lack
    /// is refused by the config loader before this). Each message names its key.
    pub fn from_config(config: &BTreeMap<String, Vec<String>>) -> Result<Keymap, String> {
        let mut map = Keymap::default();
        for (name, texts) in config {
            let action = action_named(name)
                .ok_or_else(|| format!("unknown key `keys.{name}` (not an action)"))?;
            let codes = texts
                .iter()
                .map(|t| parse_key(t).map_err(|e| format!("keys.{name}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            map.keys.insert(action, codes);
        }
        map.check_one_meaning()?;
        Ok(map)
    }

    /// One key, one action: a key bound twice would do one thing and silently not the other.
    fn check_one_meaning(&self) -> Result<(), String> {
        let mut owner: Vec<(KeyCode, Action)> = Vec::new();
        for action in actions() {
            for code in self.keys(action) {
                if let Some((_, other)) = owner.iter().find(|(k, _)| k == code) {
                    return Err(format!(
                        "keys: `{}` is bound to both `{}` and `{}`; one key has one meaning \
                         (bind the other action to another key too)",
                        key_text(code),
                        name(*other),
                        name(action)
                    ));
                }
                owner.push((*code, action));
            }
        }
        Ok(())
    }

    /// The `[keys]` section of these bindings, as `assets/config.toml` documents it.
    pub fn to_toml_section(&self) -> String {
        let mut out = String::from("[keys]\n");
        for action in actions() {
            let keys: Vec<String> = self
                .keys(action)
                .iter()
                .map(|k| format!("{:?}", key_text(k)))
                .collect();
            out.push_str(&format!("{} = [{}]\n", name(action), keys.join(", ")));
        }
        out
    }
}

/// One row of the help and of the README's keymap.
pub struct HelpRow {
    pub label: String,
    pub help: String,
}

/// The rows of `bindings` as bound in `keymap`. A binding keeps its own label ("j/↓",
/// "1-6") while its keys are the defaults; a rebound one is labelled by its keys. The six
/// tab keys share one row ("1-6") until one of them is rebound.
pub fn help_rows(keymap: &Keymap, bindings: &[Binding]) -> Vec<HelpRow> {
    let tabs_default = Tab::ALL
        .into_iter()
        .all(|t| keymap.keys(Action::GoTab(t)) == Keymap::default().keys(Action::GoTab(t)));
    let mut rows = Vec::new();
    for b in bindings {
        let keys = keymap.keys(b.action);
        let own_label =
            !b.label.is_empty() && !matches!(b.action, Action::GoTab(_) if !tabs_default);
        let label = if keys == b.keys && own_label {
            b.label.to_string()
        } else {
            labelled(keys)
        };
        let help = match b.action {
            Action::GoTab(_) if tabs_default && b.label.is_empty() => continue,
            Action::GoTab(tab) if !tabs_default => format!("switch to the {} tab", tab.title()),
            _ if b.label.is_empty() => continue,
            _ => b.help.to_string(),
        };
        rows.push(HelpRow { label, help });
    }
    rows
}

fn labelled(keys: &[KeyCode]) -> String {
    if keys.is_empty() {
        return "(unbound)".into();
    }
    keys.iter().map(key_text).collect::<Vec<_>>().join("/")
}

/// The names a key is written with in the config and shown with in the app.
const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("Shift-Tab", KeyCode::BackTab),
    ("Space", KeyCode::Char(' ')),
    ("Backspace", KeyCode::Backspace),
    ("Del", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PgUp", KeyCode::PageUp),
    ("PgDn", KeyCode::PageDown),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
];

/// How the footer, the help, the README and the config name a key: `a`, `Enter`, `PgDn`.
pub fn key_text(key: &KeyCode) -> String {
    if let Some((name, _)) = NAMED.iter().find(|(_, k)| k == key) {
        return (*name).to_string();
    }
    match key {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    }
}

/// A key as the config writes it: one character (`x`, `G`, `$`; case counts), a name
/// (`Enter`, `PgDn`, `Del`, … any case), or `F1`–`F12`.
pub fn parse_key(text: &str) -> Result<KeyCode, String> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Ok(KeyCode::Char(c));
    }
    if let Some((_, k)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(text)) {
        return Ok(*k);
    }
    if let Some(n) = text
        .strip_prefix(['F', 'f'])
        .and_then(|n| n.parse::<u8>().ok())
        .filter(|n| (1..=12).contains(n))
    {
        return Ok(KeyCode::F(n));
    }
    let names: Vec<&str> = NAMED.iter().map(|(n, _)| *n).collect();
    let ctrl = if text.to_ascii_lowercase().starts_with("ctrl") {
        " (keys with Ctrl are not bindable; Ctrl-C always quits)"
    } else {
        ""
    };
    Err(format!(
        "{text:?} is not a key: write one character, F1-F12 or one of {}{ctrl}",
        names.join(", ")
    ))
}

/// The action's name in the config's `[keys]` section.
pub fn name(action: Action) -> &'static str {
    use Action::*;
    match action {
        Quit => "quit",
        NextTab => "next_tab",
        PrevTab => "prev_tab",
        GoTab(Tab::Account) => "tab_1",
        GoTab(Tab::Market) => "tab_2",
        GoTab(Tab::Holdings) => "tab_3",
        GoTab(Tab::Optimization) => "tab_4",
        GoTab(Tab::Signals) => "tab_5",
        GoTab(Tab::Backtest) => "tab_6",
        Up => "up",
        Down => "down",
        PageUp => "page_up",
        PageDown => "page_down",
        Top => "top",
        Bottom => "bottom",
        Left => "left",
        Right => "right",
        NextPanel => "next_panel",
        Detail => "detail",
        Filter => "filter",
        SortNext => "sort_next",
        SortPrev => "sort_prev",
        SortFlip => "sort_reverse",
        Back => "back",
        Refresh => "refresh",
        Help => "help",
        Add => "add",
        Edit => "edit",
        Delete => "delete",
        Take => "take",
        Exit => "exit",
        RecordSwaps => "record_swaps",
        Chart => "chart",
        NextSymbol => "next_chart",
        Range => "chart_range",
        CycleSource => "filter_source",
        CycleType => "filter_type",
        CycleOutcome => "filter_outcome",
        CycleTaken => "filter_taken",
        JournalWindow => "filter_symbol_dates",
        ClearFilters => "clear_filters",
        Run => "backtest_parameters",
        Sweep => "backtest_sweep",
        Fetch => "fetch",
        RecordTrade => "record_trade",
        RecordCash => "record_cash",
        RecordDividend => "record_dividend",
        RecordSplit => "record_split",
        ConfirmProposal => "confirm_proposal",
        Import => "import",
    }
}

fn action_named(text: &str) -> Option<Action> {
    actions().into_iter().find(|a| name(*a) == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn every_table_binds_an_action_to_the_same_keys() {
        let defaults = Keymap::default();
        for b in all_bindings() {
            assert_eq!(defaults.keys(b.action), b.keys, "{}", name(b.action));
        }
    }

    #[test]
    fn names_are_unique_and_read_back() {
        let all = actions();
        for a in &all {
            assert_eq!(action_named(name(*a)), Some(*a));
        }
        let mut names: Vec<&str> = all.iter().map(|a| name(*a)).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn every_key_name_reads_back() {
        for (text, code) in NAMED {
            assert_eq!(parse_key(text), Ok(*code));
            assert_eq!(parse_key(&text.to_lowercase()), Ok(*code));
            assert_eq!(key_text(code), *text);
        }
        assert_eq!(parse_key("G"), Ok(KeyCode::Char('G')));
        assert_eq!(parse_key("$"), Ok(KeyCode::Char('$')));
        assert_eq!(parse_key("F7"), Ok(KeyCode::F(7)));
        assert!(parse_key("F13").is_err());
        let e = parse_key("Ctrl-x").unwrap_err();
        assert!(e.contains("not bindable"), "{e}");
    }

    #[test]
    fn a_rebinding_moves_the_key_and_names_a_clash() {
        let map =
            Keymap::from_config(&config(&[("take", &["T"]), ("filter_type", &["Y"])])).unwrap();
        assert_eq!(map.keys(Action::Take), [KeyCode::Char('T')]);
        assert_eq!(map.keys(Action::CycleType), [KeyCode::Char('Y')]);
        assert_eq!(map.keys(Action::Exit), [KeyCode::Char('x')]);
        let err = Keymap::from_config(&config(&[("take", &["x"])])).unwrap_err();
        assert_eq!(
            err,
            "keys: `x` is bound to both `take` and `exit`; one key has one meaning \
             (bind the other action to another key too)"
        );
        let err = Keymap::from_config(&config(&[("quit", &["Ctrl-q"])])).unwrap_err();
        assert!(
            err.starts_with("keys.quit: \"Ctrl-q\" is not a key"),
            "{err}"
        );
    }

    #[test]
    fn the_help_labels_a_rebound_key_by_its_keys() {
        let map =
            Keymap::from_config(&config(&[("down", &["n", "Down"]), ("tab_2", &["@"])])).unwrap();
        let rows = help_rows(&map, GLOBAL);
        let down = rows
            .iter()
            .find(|r| r.help == "move down / scroll")
            .unwrap();
        assert_eq!(down.label, "n/Down");
        let market = rows
            .iter()
            .find(|r| r.help == "switch to the Market tab")
            .unwrap();
        assert_eq!(market.label, "@");
        let account = rows
            .iter()
            .find(|r| r.help == "switch to the Account tab")
            .unwrap();
        assert_eq!(account.label, "1");
        assert_eq!(
            rows.iter()
                .filter(|r| r.help.starts_with("switch to"))
                .count(),
            6
        );
        let defaults = help_rows(&Keymap::default(), GLOBAL);
        assert_eq!(defaults[0].label, "1-6");
        assert_eq!(defaults[0].help, "switch to tab 1-6");
    }
}
