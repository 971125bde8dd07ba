//! Everything on every tab can be reached at 80×24, pressed and clicked like a person: `/`
//! on every list with the footer's count, the detail pane, scrolling to rows and columns a
//! small screen hides, the mouse, Ctrl-C, and the stale-data banner.

mod tui_support;

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use tui_support::*;

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) -> Vec<Job> {
    app.update(Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }))
}

fn click(app: &mut App, column: u16, row: u16) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), column, row);
}

/// `/`, the text, Enter: the filter stays and typing ends.
fn filter(app: &mut App, text: &str) {
    press(app, "/");
    press(app, text);
    special(app, KeyCode::Enter);
}

#[test]
fn slash_filters_the_journal_holdings_and_watchlist_with_a_count_in_the_footer() {
    let mut app = app();
    // The journal: two of its 40 signals are on WAVE (ids 40 and 13).
    press(&mut app, "5/wave");
    assert!(
        footer(&app, 80, 24).contains("/wave▏  2 of 40 match"),
        "{}",
        footer(&app, 80, 24)
    );
    special(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24);
    assert!(text.contains("   40 2026-10-29 WAVE") && text.contains("   13 2026-01-29 WAVE"));
    assert!(!text.contains("HALO"), "{text}");
    assert!(footer(&app, 80, 24).contains("2 of 40 match /wave (Esc clears)"));
    snap("tui_signals_filtered_80x24", &app, 80, 24);
    special(&mut app, KeyCode::Esc);
    assert!(
        screen(&app, 80, 24).contains("HALO"),
        "Esc clears the filter"
    );
    assert!(!footer(&app, 80, 24).contains("match"));

    // Holdings: CRYO is one of seven.
    press(&mut app, "3");
    filter(&mut app, "cryo");
    assert!(footer(&app, 80, 24).contains("1 of 7 match /cryo"));
    assert!(!screen(&app, 80, 24).contains("DRFT"));

    // The watchlist: QUBE is one of twenty; the filter is case-blind.
    press(&mut app, "2");
    filter(&mut app, "QuBe");
    assert!(
        footer(&app, 80, 24).contains("1 of 20 match /qube")
            || footer(&app, 80, 24).contains("1 of 20 match /QuBe")
    );
    assert_eq!(
        app.market.visible(&app.data.clone().unwrap().watch).len(),
        1
    );
}

#[test]
fn slash_filters_the_backtest_trades_and_the_sweep() {
    let mut app = app();
    let first = press_jobs(&mut app, "6").remove(0);
    answer(&mut app, Event::Accepted { job: first.id });
    answer(
        &mut app,
        Event::Backtest {
            job: first.id,
            outcome: Box::new(demo().backtest.clone()),
        },
    );
    // buy-hold only buys: 7 trades, none a SELL; weekly (j) has 110.
    press(&mut app, "v");
    filter(&mut app, "sell");
    assert!(
        footer(&app, 120, 40).contains("0 of 7 match /sell"),
        "{}",
        footer(&app, 120, 40)
    );
    special(&mut app, KeyCode::Esc);
    // The sweep: the 64-point grid is frequency × entry × margin, so half of it uses margin.
    let sweep = press_jobs(&mut app, "w").remove(0);
    answer(&mut app, Event::Accepted { job: sweep.id });
    answer(
        &mut app,
        Event::Backtest {
            job: sweep.id,
            outcome: Box::new(demo().sweep.clone()),
        },
    );
    press(&mut app, "v");
    assert_eq!(app.backtest.focus, 2, "v: strategies → trades → sweep");
    filter(&mut app, "yes");
    assert!(
        footer(&app, 120, 40).contains("32 of 64 match /yes"),
        "{}",
        footer(&app, 120, 40)
    );
}

#[test]
fn sorting_on_a_column_both_ways() {
    let mut app = app();
    // Holdings by Value (the fifth column): > five times, ascending; s reverses.
    press(&mut app, "3>>>>>");
    let text = screen(&app, 120, 40);
    assert!(text.contains("Value▲"), "{text}");
    let order = |text: &str| -> Vec<String> {
        text.lines()
            .skip(3)
            .take(7)
            .map(|l| l.chars().skip(1).take(4).collect())
            .collect()
    };
    // Values: DRFT 2,369.12 < TERA 2,474.44 < CRYO 2,587.20 < LUMA 2,966.81 < ORBT 3,395.25
    // < HELX 3,760.96 < NOVA 4,012.02.
    assert_eq!(
        order(&text),
        ["DRFT", "TERA", "CRYO", "LUMA", "ORBT", "HELX", "NOVA"]
    );
    press(&mut app, "s");
    let text = screen(&app, 120, 40);
    assert!(text.contains("Value▼"));
    assert_eq!(
        order(&text),
        ["NOVA", "HELX", "ORBT", "LUMA", "CRYO", "TERA", "DRFT"]
    );
}

#[test]
fn the_detail_pane_shows_every_column_of_a_signal_and_scrolls() {
    let mut app = app();
    press(&mut app, "5");
    special(&mut app, KeyCode::Enter);
    assert!(app.detail.is_some());
    let text = screen(&app, 80, 24);
    assert!(text.contains("Signal 40 WAVE"), "{text}");
    assert!(text.contains("As shown") && text.contains("morning_check"));
    snap("tui_detail_signal_80x24", &app, 80, 24);
    // The journal columns the table has no room for: levels, indicators, outcome, notes.
    let all = screen_all(&mut app, 80, 24);
    for field in [
        "stop loss",
        "target exit",
        "rsi value",
        "outcome",
        "notes",
        "exit price",
    ] {
        assert!(all.contains(field), "{field}:\n{all}");
    }
    press(&mut app, "G");
    snap("tui_detail_signal_80x24_end", &app, 80, 24);
    special(&mut app, KeyCode::Esc);
    assert!(app.detail.is_none(), "Esc closes");
    // A holding, a swap (with its reasons), a backtest trade: d opens them as Enter does.
    press(&mut app, "3d");
    assert!(screen(&app, 80, 24).contains("Holding CRYO"));
    special(&mut app, KeyCode::Esc);
    press(&mut app, "4d");
    let swap = screen_all(&mut app, 80, 24);
    assert!(swap.contains("Swap DRFT → ZNTH"), "{swap}");
    assert!(
        swap.contains("alpha -19.8 pp < -5; strength 30 < 40"),
        "{swap}"
    );
}

/// Every screen from the top of the open detail pane to its end, joined.
fn screen_all(app: &mut App, width: u16, height: u16) -> String {
    press(app, "g");
    let mut all = String::new();
    for _ in 0..10 {
        all.push_str(&screen(app, width, height));
        special(app, KeyCode::PageDown);
    }
    all
}

#[test]
fn small_screens_scroll_to_every_row_and_column() {
    // Account: 12 balance dates, 10 fit at 80×24; the newest shows first, g reaches the oldest.
    let mut app = app();
    assert!(!screen(&app, 80, 24).contains("2025-12-25"));
    press(&mut app, "g");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("2025-11-25     ") && text.contains("2025-12-25"),
        "{text}"
    );
    snap("tui_account_80x24_oldest", &app, 80, 24);
    // l scrolls the columns: Margin avail, hidden at 80 columns, shows.
    press(&mut app, "l");
    assert!(screen(&app, 80, 24).contains("Margin avail"));

    // Optimization: v focuses the game plan, G shows its last step.
    let mut app = self::app();
    press(&mut app, "4");
    assert!(!screen(&app, 80, 24).contains("5. Buy 1 SLUG"));
    press(&mut app, "vG");
    let text = screen(&app, 80, 24);
    assert!(text.contains("R/R 2.9"), "the end of step 5:\n{text}");
    snap("tui_optimization_80x24_plan_end", &app, 80, 24);
    // The swaps' Size and Margin columns, off the right edge at 80 columns, scroll in.
    press(&mut app, "vv");
    assert_eq!(app.optimization.focus, 0);
    press(&mut app, "lll");
    let text = screen(&app, 80, 24);
    assert!(text.contains("7 sh ($5,022.85, 16.7%)"), "{text}");
    assert!(text.contains("← 3 more (h)"), "{text}");
    snap("tui_optimization_80x24_swaps_right", &app, 80, 24);

    // Holdings: the six columns past Stops.
    let mut app = self::app();
    press(&mut app, "3llllll");
    let text = screen(&app, 80, 24);
    assert!(text.contains("MACD h") && text.contains("Trend"), "{text}");
    snap("tui_holdings_80x24_right", &app, 80, 24);

    // Signals at 80 columns: v shows the statistics and calibration in the journal's place.
    let mut app = self::app();
    press(&mut app, "5v");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("By source") && text.contains("Calibration"),
        "{text}"
    );
    snap("tui_signals_80x24_stats", &app, 80, 24);
    press(&mut app, "G");
    assert!(screen(&app, 80, 24).contains("Missed opportunities"));
    snap("tui_signals_80x24_stats_end", &app, 80, 24);

    // Backtest at 80×24: weekly's 110 trades, from the first.
    let mut app = self::app();
    let first = press_jobs(&mut app, "6").remove(0);
    answer(&mut app, Event::Accepted { job: first.id });
    answer(
        &mut app,
        Event::Backtest {
            job: first.id,
            outcome: Box::new(demo().backtest.clone()),
        },
    );
    press(&mut app, "jv");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("Trades of weekly (110, newest last)"),
        "{text}"
    );
    snap("tui_backtest_80x24_trades_newest", &app, 80, 24);
    press(&mut app, "g");
    assert!(screen(&app, 80, 24).contains("2025-11-2"));
    snap("tui_backtest_80x24_trades_first", &app, 80, 24);
    // c on the strategies shows the drawdown, its axis in % and never above 0.
    press(&mut app, "vvc");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("Drawdown max -5.9% on ") && text.contains("0.0%"),
        "{text}"
    );
    snap("tui_backtest_80x24_drawdown", &app, 80, 24);
}

#[test]
fn the_mouse_clicks_a_tab_and_a_row_and_the_wheel_scrolls() {
    let mut app = app();
    screen(&app, 80, 24);
    // " 1 Account │ 2 Market │ 3 Holdings ": Holdings spans columns 23–34.
    click(&mut app, 25, 0);
    assert_eq!(app.tab, Tab::Holdings);
    screen(&app, 80, 24);
    // Row 1 is the table's border, 2 its header; 3 is CRYO, 5 the third holding (HELX).
    click(&mut app, 10, 5);
    assert_eq!(app.holdings.list.selected, 2);
    assert!(screen(&app, 80, 24).contains("HELX risk"));
    // The wheel: three rows a notch, on the Signals journal.
    click(&mut app, 60, 0);
    assert_eq!(app.tab, Tab::Signals);
    screen(&app, 80, 24);
    mouse(&mut app, MouseEventKind::ScrollDown, 20, 10);
    assert_eq!(app.signals.list.selected, 3);
}

#[test]
fn ctrl_c_quits_from_the_detail_pane_and_the_filter_line() {
    let mut app = app();
    press(&mut app, "5d");
    assert!(app.detail.is_some());
    app.update(ctrl_c());
    assert!(app.quit, "Ctrl-C in the detail pane");
    let mut app = self::app();
    press(&mut app, "3/cr");
    app.update(ctrl_c());
    assert!(app.quit, "Ctrl-C in the filter line");
    let mut app = self::app();
    press(&mut app, "3e");
    assert!(app.form.is_some());
    app.update(ctrl_c());
    assert!(app.quit, "Ctrl-C in a form");
}

#[test]
fn stale_prices_show_a_banner_on_every_tab() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.duckdb");
    ducklens::cli::build_demo(&path, today()).unwrap();
    // Two weeks on, the newest bar (2026-11-20) is ten trading days old.
    let later = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let ctx = Context {
        db_path: path.clone(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: later,
    };
    let mut store = Store::open(&path).unwrap();
    let dashboard = data::load_dashboard(&ctx, &mut store).unwrap();
    let mut app = App::new(PathBuf::from("demo.duckdb"), true, later);
    app.update(Msg::Worker(Event::Loaded(Box::new(dashboard))));
    snap("tui_account_80x24_stale", &app, 80, 24);
    for (i, tab) in Tab::ALL.iter().enumerate() {
        press(&mut app, &(i + 1).to_string());
        let text = screen(&app, 80, 24);
        // The banner's lines under the tab bar, rejoined where they wrap.
        let second = text
            .lines()
            .skip(1)
            .take(3)
            .flat_map(|l| l.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            second.contains("STALE PRICES: the newest SPY bar is 2026-11-20"),
            "{tab:?}:\n{text}"
        );
        assert!(
            second.contains("ducklens fetch` for current prices"),
            "{tab:?}:\n{text}"
        );
    }
}
