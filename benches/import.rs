//! Issue 18: `import prices` of 34 generated files × 5,000 bars (about the 171,812 bars of the
//! reference data) into a fresh database, and the parse alone. Compare with a bare DuckDB
//! `read_csv` of the same kind of files: benches/compare/import_bench.py.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ducklens::domain::calendar;
use ducklens::domain::parse::DecimalMark;
use ducklens::market::price_file::parse_prices;
use ducklens::service::prices::import_files;
use ducklens::store::Store;

#[path = "shared/bars.rs"]
mod shared_bars;
use shared_bars::bars;

const FILES: usize = 34;
const SESSIONS: usize = 5_000;

/// One `date,open,high,low,close,adj_close,volume` file per symbol, a vendor's decimals: the
/// high and low with 6 (the price × 1.01 or 0.99 plus a millionth), adj_close with 12.
fn write_files(dir: &Path, today: NaiveDate) -> Vec<PathBuf> {
    let days = calendar::trading_days_ending(today, SESSIONS);
    (0..FILES)
        .map(|seed| {
            let mut text = String::from("date,open,high,low,close,adj_close,volume\n");
            for b in bars(&days, seed) {
                let high = b.high.unwrap_or(b.close) + rust_decimal::Decimal::new(1, 6);
                let low = b.low.unwrap_or(b.close);
                let adj = b.close * rust_decimal::Decimal::new(987_654_321_012, 12);
                text.push_str(&format!(
                    "{},{},{high},{low},{},{},{}\n",
                    b.date,
                    b.close,
                    b.close,
                    adj.round_dp(12),
                    b.volume.unwrap_or(0)
                ));
            }
            let path = dir.join(format!("S{seed:03}.csv"));
            std::fs::write(&path, text).expect("write a price file");
            path
        })
        .collect()
}

fn import(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_files(dir.path(), today);
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.throughput(Throughput::Elements((FILES * SESSIONS) as u64));
    group.bench_function("parse 34 files x 5000 bars", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| {
                    let text = std::fs::read_to_string(f).expect("read");
                    parse_prices(&text, f, false, today, DecimalMark::Point)
                        .expect("parses")
                        .row_count()
                })
                .sum::<usize>()
        })
    });
    let mut run = 0;
    group.bench_function("import prices 34 files x 5000 bars, fresh database", |b| {
        b.iter(|| {
            run += 1;
            let db = dir.path().join(format!("fresh{run}.duckdb"));
            let mut store = Store::open(&db).expect("store");
            let reports =
                import_files(&mut store, &files, false, DecimalMark::Point, today, |_| {});
            assert!(reports
                .iter()
                .all(|r| r.error.is_none() && r.inserted == SESSIONS));
            drop(store);
            let _ = std::fs::remove_file(&db);
        })
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
