//! The ledger against a real DuckDB file: the upgrade of a schema-4 database keeps every
//! figure, the state and the daily values read from the store, and every write path that
//! reaches the ledger (command line and app).

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{json, ok, run_at, stderr};
use ducklens::config::Config;
use ducklens::domain::bar::Bar;
use ducklens::domain::ledger::{Kind, Transaction};
use ducklens::domain::symbol::Symbol;
use ducklens::service::{ledger, Context};
use ducklens::store::{append_bars, Store};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

fn context(path: &Path, today: &str) -> Context {
    Context {
        db_path: path.to_path_buf(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: day(today),
    }
}

/// The schema-4 fixture (tests/fixtures/v4_before_ledger.md), copied: opening upgrades it.
fn fixture_copy(dir: &Path) -> PathBuf {
    let db = dir.join("v4.duckdb");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v4_before_ledger.duckdb"),
        &db,
    )
    .unwrap();
    db
}

const V4_TABLES: &[&str] = &[
    "prices",
    "indicators",
    "holdings",
    "watchlist",
    "account_snapshots",
    "trading_signals",
    "rebalancing_recommendations",
    "backtest_runs",
    "backtest_equity",
    "backtest_trades",
];

#[test]
fn upgrading_a_v4_database_keeps_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture_copy(dir.path());
    // Before: counts read at schema 4 (a read-only open at its own version).
    let counts = |store: &Store| {
        V4_TABLES
            .iter()
            .map(|t| {
                store
                    .sql_for_tests()
                    .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| {
                        r.get::<_, i64>(0)
                    })
                    .unwrap()
            })
            .collect::<Vec<_>>()
    };
    let before = counts(&Store::open_up_to(&db, 4).unwrap());
    assert_eq!(before, vec![60, 60, 2, 1, 2, 1, 0, 0, 0, 0]);
    let ctx = context(&db, "2026-12-01");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), 5);
    assert_eq!(counts(&store), before);
    // Opening transactions: AAA (opened 11-02), BBB (no date: the opening day, the earliest
    // of the opened dates and the snapshots = 11-02), cash 4321.09 and margin 250 of the
    // latest snapshot (11-20).
    let txs = store.transactions().unwrap();
    let kinds: Vec<(Kind, NaiveDate)> = txs.iter().map(|t| (t.kind, t.date)).collect();
    assert_eq!(
        kinds,
        vec![
            (Kind::OpeningPosition, day("2026-11-02")),
            (Kind::OpeningPosition, day("2026-11-02")),
            (Kind::OpeningCash, day("2026-11-02")),
            (Kind::OpeningMargin, day("2026-11-02")),
        ]
    );
    let state = ledger::state_at(&ctx, &store, day("2026-12-01")).unwrap();
    let aaa = &state.positions[&sym("AAA")];
    assert_eq!(
        (aaa.quantity(), aaa.avg_cost()),
        (dec!(10.5), dec!(101.2345))
    );
    let bbb = &state.positions[&sym("BBB")];
    assert_eq!((bbb.quantity(), bbb.avg_cost()), (dec!(3), dec!(55.5)));
    assert_eq!(state.cash, dec!(4321.09));
    assert_eq!(state.margin_used, dec!(250));
    // The cache is what it was, opened date and notes included.
    let holdings = store.holdings().unwrap();
    assert_eq!(holdings[0].notes.as_deref(), Some("first lot"));
    assert_eq!(holdings[0].opened, Some(day("2026-11-02")));
    assert_eq!(
        (holdings[1].quantity, holdings[1].avg_cost),
        (dec!(3), dec!(55.5))
    );
    // Reconciliation: ledger cash = the last snapshot's → 0.
    let rec = ledger::reconciliation(&ctx, &store).unwrap().unwrap();
    assert_eq!(rec.difference, dec!(0));
    drop(store);
    // A check in the past still works and sees the ledger's positions and cash of that day.
    let v = json(&run_at(
        dir.path(),
        &db,
        &["morning-check", "--as-of", "2026-11-20", "--json"],
    ));
    assert_eq!(v["account"]["cash"], "4321.09");
    assert_eq!(v["holdings"].as_array().unwrap().len(), 2);
}

fn flat_bars(first: &str, closes: &[Decimal]) -> Vec<Bar> {
    let mut date = day(first);
    closes
        .iter()
        .map(|c| {
            let bar = Bar {
                date,
                open: Some(*c),
                high: Some(*c),
                low: Some(*c),
                close: *c,
                adj_close: Some(*c),
                volume: Some(1000),
            };
            date = date.succ_opt().unwrap();
            bar
        })
        .collect()
}

#[test]
fn the_store_replays_state_and_daily_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.duckdb");
    let ctx = context(&path, "2026-03-10");
    let mut store = Store::open(&path).unwrap();
    store
        .in_transaction(|tx| {
            append_bars(
                tx,
                &sym("SPY"),
                &flat_bars("2026-03-02", &[dec!(400); 5]),
                "t",
            )?;
            append_bars(
                tx,
                &sym("AAA"),
                &flat_bars("2026-03-02", &[dec!(10), dec!(11), dec!(12)]),
                "t",
            )
        })
        .unwrap();
    store
        .transaction(|tx| {
            ledger::record(
                &ctx,
                tx,
                vec![
                    Transaction::money(day("2026-03-02"), Kind::Deposit, dec!(1000)),
                    Transaction::buy(day("2026-03-02"), sym("AAA"), dec!(50), dec!(10), dec!(1)),
                    Transaction::money(day("2026-03-05"), Kind::Withdrawal, dec!(100)),
                ],
            )
        })
        .unwrap();
    // The cache follows the ledger: 50 AAA at (500 + 1) / 50 = 10.02.
    let h = store.holdings().unwrap();
    assert_eq!((h[0].quantity, h[0].avg_cost), (dec!(50), dec!(10.02)));
    let days = ledger::daily_values(&ctx, &store, day("2026-03-02"), day("2026-03-06")).unwrap();
    let got: Vec<(Decimal, Decimal)> = days.iter().map(|d| (d.value, d.flow)).collect();
    // cash 1000 − 501 = 499; 03-02 499 + 500 = 999; 03-03 499 + 550 = 1049;
    // 03-04 499 + 600 = 1099; 03-05 (AAA stopped at 12): 399 + 600 = 999, flow −100;
    // 03-06 (a SPY session): 999
    assert_eq!(
        got,
        vec![
            (dec!(999), dec!(1000)),
            (dec!(1049), dec!(0)),
            (dec!(1099), dec!(0)),
            (dec!(999), dec!(-100)),
            (dec!(999), dec!(0)),
        ]
    );
    // A sell of more than held is refused, naming the field, and writes nothing.
    let err = store
        .transaction(|tx| {
            ledger::record(
                &ctx,
                tx,
                vec![Transaction::sell(
                    day("2026-03-06"),
                    sym("AAA"),
                    dec!(51),
                    dec!(12),
                    dec!(0),
                )],
            )
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("quantity: selling 51 AAA on 2026-03-06"),
        "{err}"
    );
    assert_eq!(store.transactions().unwrap().len(), 3);
    let _ = (ok, stderr);
}
