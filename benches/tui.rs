//! The app's speed targets: a Signals frame with 50,000 journal rows under 5 ms (rows are
//! virtualised), and start to first frame with data on the demo database under 300 ms.

use std::path::PathBuf;

use chrono::{Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ducklens::config::Config;
use ducklens::domain::journal::{SignalRecord, SignalType};
use ducklens::domain::symbol::Symbol;
use ducklens::service::Context;
use ducklens::store::Store;
use ducklens::tui::app::{App, Msg};
use ducklens::tui::data::{self, Dashboard};
use ducklens::tui::ui;
use ducklens::tui::worker::Event;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use rust_decimal::Decimal;

fn journal(n: usize) -> Vec<SignalRecord> {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap();
    (0..n)
        .map(|i| {
            let mut s = SignalRecord::new(
                start + Duration::hours(i as i64),
                Symbol::parse(&format!("S{}", i % 500)).unwrap(),
                SignalType::Buy,
                ["manual", "morning_check", "intraday_monitor"][i % 3],
            );
            s.id = Some(i as i64 + 1);
            s.price_at_signal = Some(Decimal::new(10_000 + i as i64, 2));
            s.signal_strength = Some(Decimal::from(40 + i % 60));
            s
        })
        .collect()
}

fn empty_dashboard(signals: Vec<SignalRecord>) -> Dashboard {
    Dashboard {
        today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        analysis: None,
        alerts: Vec::new(),
        watch: Vec::new(),
        holdings: Vec::new(),
        balances: Vec::new(),
        performance: None,
        performance_note: None,
        signals,
        stats: None,
        empty_reason: Some("no SPY prices".into()),
        journal_commission: Decimal::ZERO,
        breakeven_pct: 0.5,
        demo: false,
        journal_pending: false,
        live: None,
        stops_since_morning: Vec::new(),
        ledger: Default::default(),
        first_run: Default::default(),
    }
}

fn signals_frame(c: &mut Criterion) {
    let mut app = App::new(
        PathBuf::from("bench.duckdb"),
        false,
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    );
    app.update(Msg::Worker(Event::Loaded(Box::new(empty_dashboard(
        journal(50_000),
    )))));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('5'),
        KeyModifiers::NONE,
    )));
    // Somewhere in the middle of the journal, as after scrolling.
    app.signals.list.selected = 25_000;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    c.bench_function("signals tab frame, 50k rows, 120x40", |b| {
        b.iter(|| {
            terminal.draw(|f| ui::render(&app, f)).unwrap();
        });
    });
}

fn first_frame(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.duckdb");
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    ducklens::cli::build_demo(&path, today).unwrap();
    let ctx = Context {
        db_path: path.clone(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today,
    };
    let mut group = c.benchmark_group("startup");
    group.sample_size(10);
    group.bench_function("open + load + first frame with data (demo)", |b| {
        b.iter(|| {
            let mut store = Store::open(&path).unwrap();
            let dashboard = data::load_dashboard(&ctx, &mut store).unwrap();
            let mut app = App::new(path.clone(), true, today);
            app.update(Msg::Worker(Event::Loaded(Box::new(dashboard))));
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            terminal.draw(|f| ui::render(&app, f)).unwrap();
        });
    });
    group.finish();
}

criterion_group!(benches, signals_frame, first_frame);
criterion_main!(benches);
