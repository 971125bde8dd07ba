//! The Account tab's performance panels at 120×40 and 80×24: the demo database's SPY and a
//! generated three-year account history (monthly deposits, a withdrawal), at a fixed date.

use std::path::PathBuf;

mod tui_support;
use tui_support::{screen, snap};

use chrono::{Datelike, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ducklens::config::Config;
use ducklens::domain::calendar::trading_days_ending;
use ducklens::domain::performance::DayValue;
use ducklens::service::Context;
use ducklens::store::Store;
use ducklens::tui::app::{App, Msg, Tab};
use ducklens::tui::data;
use ducklens::tui::worker::Event;
use rust_decimal::Decimal;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// 756 sessions to 2026-11-20 from 10,000: each day grows by a fixed wave
/// (+0.05 % + 0.8 % × sin(i / 9)), 500 is deposited on each month's first session and
/// 3,000 withdrawn on 2025-06-02. Values to the cent.
fn history() -> Vec<DayValue> {
    let days = trading_days_ending(today(), 756);
    let mut values: Vec<DayValue> = Vec::with_capacity(days.len());
    for (i, date) in days.iter().enumerate() {
        let Some(before) = values.last() else {
            values.push(DayValue {
                date: *date,
                value: Decimal::from(10_000),
                flow: Decimal::from(10_000),
            });
            continue;
        };
        let first_of_month = before.date.month() != date.month();
        let mut flow = if first_of_month {
            Decimal::from(500)
        } else {
            Decimal::ZERO
        };
        if *date == NaiveDate::from_ymd_opt(2025, 6, 2).unwrap() {
            flow -= Decimal::from(3_000);
        }
        let r = 0.0005 + 0.008 * (i as f64 / 9.0).sin();
        let grown = before.value * Decimal::from_f64_retain(1.0 + r).unwrap();
        values.push(DayValue {
            date: *date,
            value: (grown + flow).round_dp(2),
            flow,
        });
    }
    values
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.duckdb");
    ducklens::cli::build_demo(&path, today()).unwrap();
    let ctx = Context {
        db_path: path.clone(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: today(),
    };
    let mut store = Store::open(&path).unwrap();
    let mut dashboard = data::load_dashboard(&ctx, &mut store).unwrap();
    // What the worker computes from the ledger's daily values.
    let (performance, note) = data::account_performance(&ctx, &store, &history()).unwrap();
    assert_eq!(note, None);
    dashboard.performance = performance;
    let mut app = App::new(PathBuf::from("demo.duckdb"), true, today());
    app.update(Msg::Worker(Event::Loaded(Box::new(dashboard))));
    app
}

#[test]
fn the_account_tab_shows_the_performance() {
    let mut app = app();
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('1'),
        KeyModifiers::NONE,
    )));
    assert_eq!(app.tab, Tab::Account);
    let wide = screen(&app, 120, 40);
    for part in [
        "Performance as of 2026-11-20",
        "Since start",
        "Monthly returns",
        "Road to $1M",
        "given the same deposits",
        "Balance history",
    ] {
        assert!(wide.contains(part), "{part} missing:\n{wide}");
    }
    snap("tui_account_performance_120x40", &app, 120, 40);
    // At 80×24 the balances come first; v switches to the performance panels.
    assert!(screen(&app, 80, 24).contains("press v"));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('v'),
        KeyModifiers::NONE,
    )));
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("Road to $1M") && small.contains("Since start"),
        "{small}"
    );
    snap("tui_account_performance_80x24", &app, 80, 24);
}
