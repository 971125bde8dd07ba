//! Issue target: the journal at scale. A journal of 100,000 signals on 100 symbols over ten
//! years, 60,000 of them untaken and past their horizon: judging them all (the DuckDB read
//! of the bars and the write of the verdicts included) ≤ 1 s, and the statistics the
//! Signals tab shows over the whole journal.

use chrono::NaiveDate;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use ducklens::config::Config;
use ducklens::domain::calendar;
use ducklens::domain::symbol::Symbol;
use ducklens::service::journal::{evaluate, journal_stats};
use ducklens::service::Context;
use ducklens::store::{self, Store};

#[path = "shared/bars.rs"]
mod shared_bars;
use shared_bars::bars;

const SYMBOLS: usize = 100;
const SESSIONS: usize = 10 * 252;
const SIGNALS: usize = 100_000;
const UNTAKEN: usize = 60_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")
}

/// Signals spread over the first 95 % of the sessions (so every untaken one is due), on the
/// symbols in turn, written by one statement (a row-by-row insert of 100,000 signals would
/// take minutes); the first `UNTAKEN` are not taken, the rest were taken at their price.
const JOURNAL: &str = "
    WITH days AS (
        SELECT list(date ORDER BY date) AS d, count(*) * 95 // 100 AS usable
        FROM prices WHERE symbol = 'SPY'),
    sig AS (
        SELECT i, d[1 + i * usable // 100000] AS day,
            CAST((6000 + i % 2000) / 100 AS DECIMAL(18,4)) AS price
        FROM range(100000) t(i), days)
    INSERT INTO trading_signals (signal_date, signal_time, symbol, signal_type, signal_source,
        signal_strength, price_at_signal, stop_loss, target_exit, suggested_quantity,
        action_taken, actual_entry_date, actual_entry_price, actual_quantity, created_at)
    SELECT day, day + INTERVAL 9 HOUR + to_minutes(i % 300),
        CASE WHEN i % 100 = 0 THEN 'SPY' ELSE 'S' || lpad(CAST(i % 100 AS VARCHAR), 3, '0') END,
        CASE WHEN i % 4 = 0 THEN 'SELL' ELSE 'BUY' END, 'morning_check', 40 + i % 60,
        price, price * 0.92, price * 1.10, 10,
        i >= 60000, CASE WHEN i >= 60000 THEN day END,
        CASE WHEN i >= 60000 THEN price END, CASE WHEN i >= 60000 THEN 10 END,
        day + INTERVAL 9 HOUR
    FROM sig";

fn setup() -> (Context, Store) {
    let days = calendar::trading_days_ending(today(), SESSIONS);
    let names: Vec<Symbol> = ["SPY".to_string()]
        .into_iter()
        .chain((1..SYMBOLS).map(|i| format!("S{i:03}")))
        .map(|n| Symbol::parse(&n).expect("symbol"))
        .collect();
    let mut db = Store::open_in_memory().expect("store");
    db.in_transaction(|tx| {
        for (seed, s) in names.iter().enumerate() {
            store::append_bars(tx, s, &bars(&days, seed), "bench")?;
        }
        tx.execute_batch(JOURNAL)?;
        Ok(())
    })
    .expect("write");
    let written: i64 = db
        .sql_for_tests()
        .query_row("SELECT count(*) FROM trading_signals", [], |r| r.get(0))
        .expect("count");
    assert_eq!(written as usize, SIGNALS);
    let ctx = Context {
        db_path: "bench.duckdb".into(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").expect("config"),
        today: today(),
    };
    (ctx, db)
}

fn unjudge(db: &Store) {
    db.sql_for_tests()
        .execute_batch(
            "UPDATE trading_signals SET outcome = NULL, max_profit_potential = NULL
             WHERE NOT action_taken",
        )
        .expect("reset");
}

fn journal_at_scale(c: &mut Criterion) {
    let (ctx, mut db) = setup();
    let mut group = c.benchmark_group("journal 100k signals");
    group.sample_size(10);
    group.bench_function("judge 60k due signals (read + write)", |b| {
        b.iter_custom(|iters| {
            let mut spent = std::time::Duration::ZERO;
            for _ in 0..iters {
                unjudge(&db);
                let start = Instant::now();
                let summary = evaluate(&ctx, &mut db).expect("evaluate");
                spent += start.elapsed();
                assert_eq!(summary.evaluated, UNTAKEN);
            }
            spent
        })
    });
    let signals = db.signals().expect("signals");
    group.bench_function("read the journal", |b| {
        b.iter(|| db.signals().expect("signals").len())
    });
    group.bench_function("statistics over the journal", |b| {
        b.iter(|| journal_stats(&ctx, &db, &signals, today()).expect("stats"))
    });
    group.finish();
}

criterion_group!(benches, journal_at_scale);
criterion_main!(benches);
