//! The config's `[keys]` and `[theme]` in the app: keys rebound in a config file are the
//! keys that work, and the ones the footer, the help and the empty panels name; the colours
//! are the theme's. The keymap and palette are process-wide (installed before the first
//! frame), so this file is its own test binary and installs them once.

mod tui_support;

use ducklens::tui::{keymap, theme};
use ratatui::style::Color;
use tui_support::*;

const USER_CONFIG: &str = r#"
[keys]
add = ["n"]
record_trade = ["B"]
filter_type = ["Y"]
tab_2 = ["@"]

[theme]
accent = "magenta"
"#;

fn configured_app() -> App {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let config = Config::from_toml_str(USER_CONFIG, "user.toml").unwrap();
        assert!(keymap::install(
            keymap::Keymap::from_config(&config.keys).unwrap()
        ));
        assert!(theme::install(
            theme::Palette::from_config(&config.theme).unwrap()
        ));
    });
    app()
}

fn footer(app: &App) -> String {
    screen(app, 160, 40).lines().last().unwrap().to_string()
}

#[test]
fn rebound_keys_do_the_work_and_the_old_ones_do_not() {
    let mut app = configured_app();
    press(&mut app, "a");
    assert!(app.form.is_none(), "a is no longer add");
    press(&mut app, "n");
    assert_eq!(
        app.form.as_ref().map(|f| f.title.as_str()),
        Some("Record balances")
    );
    special(&mut app, KeyCode::Esc);
    press(&mut app, "B");
    assert_eq!(
        app.form.as_ref().map(|f| f.title.as_str()),
        Some("Record a trade")
    );
    special(&mut app, KeyCode::Esc);
    press(&mut app, "2");
    assert_eq!(app.tab, Tab::Account, "2 is unbound now");
    press(&mut app, "@");
    assert_eq!(app.tab, Tab::Market);
}

#[test]
fn the_footer_and_the_help_name_the_keys_as_bound() {
    let mut app = configured_app();
    let f = footer(&app);
    assert!(f.contains("n add balances"), "{f}");
    assert!(f.contains("B/$/i/% record"), "{f}");
    press(&mut app, "5");
    let f = footer(&app);
    assert!(f.contains("S/Y/O/K filter"), "{f}");
    press(&mut app, "?");
    let help = screen(&app, 120, 40);
    assert!(help.contains("  n         new signal"), "{help}");
    assert!(help.contains("  Y         filter: next type"), "{help}");
    assert!(
        help.contains("  @         switch to the Market tab"),
        "{help}"
    );
    assert!(
        help.contains("  1         switch to the Account tab"),
        "{help}"
    );
}

#[test]
fn an_empty_panel_names_the_rebound_key() {
    let mut app = configured_app();
    let mut empty = demo().dashboard.clone();
    empty.holdings.clear();
    if let Some(a) = empty.analysis.as_mut() {
        a.holdings.clear();
    }
    app.update(Msg::Worker(Event::Loaded(Box::new(empty))));
    press(&mut app, "3");
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("No positions: press n to add a holding."),
        "{text}"
    );
}

#[test]
fn the_theme_colours_the_app() {
    let app = configured_app();
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return; // NO_COLOR drops every colour, the theme's too (tests/tui_reach.rs).
    }
    let mut terminal = Terminal::new(TestBackend::new(160, 40)).unwrap();
    terminal.draw(|f| ui::render(&app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    // "DuckLens " stands at the right of the tab bar in the accent colour.
    let cell = &buffer[(160 - 9, 0)];
    assert_eq!(cell.symbol(), "D");
    assert_eq!(cell.fg, Color::Magenta);
    // The other roles keep their defaults.
    assert_eq!(theme::good().fg, Some(Color::Green));
}
