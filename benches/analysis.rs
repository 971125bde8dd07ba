//! Issue target: the full analysis of 50 holdings and 500 watchlist symbols over 25 years of
//! daily bars in under 100 ms, reading from DuckDB included.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use ducklens::config::Config;
use ducklens::domain::analyzer::{analyze, history_days, CheckMode};
use ducklens::domain::calendar;
use ducklens::domain::parse::DecimalMark;
use ducklens::domain::portfolio::{AccountBalance, Holding, WatchItem};
use ducklens::domain::symbol::Symbol;
use ducklens::service::prices::import_files;
use ducklens::store::Store;
use rust_decimal::Decimal;
use std::path::PathBuf;

const SESSIONS: usize = 25 * 252;

#[path = "shared/bars.rs"]
mod shared_bars;
use shared_bars::bars;

fn setup() -> (
    Store,
    Vec<Holding>,
    Vec<WatchItem>,
    AccountBalance,
    Vec<Symbol>,
    NaiveDate,
) {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let days = calendar::trading_days_ending(as_of, SESSIONS);
    let mut db = Store::open_in_memory().expect("store");
    let names: Vec<Symbol> = ["SPY".to_string(), "QQQ".to_string()]
        .into_iter()
        .chain((0..550).map(|i| format!("S{i:04}")))
        .map(|n| Symbol::parse(&n).expect("symbol"))
        .collect();
    // Through `import prices`, as a user's files arrive: the import stores rows in date
    // order, and the read's speed depends on that layout.
    let dir = tempfile::tempdir().expect("temp dir");
    let files: Vec<PathBuf> = names
        .iter()
        .enumerate()
        .map(|(seed, s)| {
            let mut text = String::from("date,open,high,low,close,adj_close,volume\n");
            for b in bars(&days, seed) {
                let close = b.close;
                text.push_str(&format!(
                    "{},{},{},{},{close},{},{}\n",
                    b.date,
                    b.open.unwrap_or(close),
                    b.high.unwrap_or(close),
                    b.low.unwrap_or(close),
                    b.adj_close.unwrap_or(close),
                    b.volume.unwrap_or(0)
                ));
            }
            let path = dir.path().join(format!("{s}.csv"));
            std::fs::write(&path, text).expect("write a price file");
            path
        })
        .collect();
    let reports = import_files(&mut db, &files, false, DecimalMark::Point, as_of, |_| {});
    assert!(reports.iter().all(|r| r.error.is_none()), "import failed");
    let holdings = names[2..52]
        .iter()
        .map(|s| {
            Holding::new(s.clone(), Decimal::from(10), Decimal::from(60), None, None)
                .expect("holding")
        })
        .collect();
    let watchlist = names[52..]
        .iter()
        .map(|s| WatchItem {
            symbol: s.clone(),
            added: as_of,
            notes: None,
        })
        .collect();
    let balance = AccountBalance {
        as_of,
        cash: Decimal::from(20_000),
        margin_available: Decimal::from(10_000),
        margin_used: Decimal::ZERO,
        notes: None,
    };
    (db, holdings, watchlist, balance, names, as_of)
}

fn full_analysis(c: &mut Criterion) {
    let (db, holdings, watchlist, balance, symbols, as_of) = setup();
    let rules = Config::default().analysis_rules();
    let mut group = c.benchmark_group("analysis");
    group.sample_size(20);
    // The check's read: a year for SPY and QQQ, the rules' shorter window for the rest (as
    // `cli::check::inputs` does).
    let days = history_days(&rules);
    let (market, others) = symbols.split_at(2);
    let groups = [(market, days.market), (others, days.other)];
    let read = || db.load_snapshot_windows(&groups, as_of).expect("snapshot");
    group.bench_function("50_holdings_500_watchlist_25y_with_duckdb_read", |b| {
        b.iter(|| {
            let snapshot = read();
            analyze(
                &holdings,
                &watchlist,
                Some(&balance),
                &snapshot,
                &rules,
                CheckMode::Morning,
            )
        })
    });
    group.bench_function("load_snapshot_only", |b| b.iter(read));
    group.bench_function("load_snapshot_400_days_every_symbol", |b| {
        b.iter(|| db.load_snapshot(&symbols, as_of).expect("snapshot"))
    });
    // Diagnostics: the floor of the read, without materializing rows. Bars are stored symbol
    // by symbol, so a date filter prunes no row group: each column a query touches is decoded
    // for every symbol. The costly ones are `adj_close` (DECIMAL(24,12), a 128-bit integer)
    // and the eleven DOUBLE indicators, even for the as-of row alone.
    for (name, sql) in [
        ("sql_count_prices", "SELECT count(*) FROM prices WHERE date BETWEEN DATE '2025-10-16' AND DATE '2026-11-20'"),
        ("sql_scan_adj_close", "SELECT count(*) FROM prices WHERE date BETWEEN DATE '2025-10-16' AND DATE '2026-11-20' AND adj_close > 0"),
        ("sql_scan_indicators_as_of", "SELECT count(*) FROM indicators WHERE date = DATE '2026-11-20' AND sma_20 + sma_50 + sma_200 + ema_12 + ema_26 + macd + macd_signal + macd_hist + rsi_14 + volume_ratio + atr_14 IS NOT NULL"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| db.sql_for_tests().query_row(sql, [], |r| r.get::<_, i64>(0)).expect("q"))
        });
    }
    let snapshot = db.load_snapshot(&symbols, as_of).expect("snapshot");
    group.bench_function("analyze_only", |b| {
        b.iter(|| {
            analyze(
                &holdings,
                &watchlist,
                Some(&balance),
                &snapshot,
                &rules,
                CheckMode::Morning,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, full_analysis);
criterion_main!(benches);
