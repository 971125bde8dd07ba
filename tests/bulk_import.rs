//! The set-based import (issue 18): many files in one transaction give the same bars, counts
//! and indicators as importing them one by one; a bad file among them writes nothing of its
//! own and stops none of the others; a symbol in two files keeps the later file's bars.

mod common;

use std::path::{Path, PathBuf};

use common::{json, run_at};
use ducklens::domain::symbol::Symbol;
use ducklens::store::{self, Store};
use rust_decimal_macros::dec;

/// `n` weekday sessions from 2025-01-06 with close 100 + i·0.25 and a 6-decimal open; the
/// adjusted close halves before session 5 (a 2:1 split), so the indicators use adjustment.
fn series_file(dir: &Path, name: &str, n: usize, bump: &str) -> PathBuf {
    let mut text = String::from("date,open,high,low,close,adj_close,volume\n");
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
    let days = (0..n * 2)
        .map(|i| start + chrono::Duration::days(i as i64))
        .filter(|d| ducklens::domain::calendar::is_trading_day(*d))
        .take(n);
    for (i, day) in days.enumerate() {
        let close = 100.0 + i as f64 * 0.25;
        let adj = if i < 5 { close / 2.0 } else { close };
        text.push_str(&format!(
            "{day},{:.6},{:.2},{:.2},{close:.2},{adj},{}\n",
            close - 0.000001,
            close + 1.0,
            close - 1.0,
            1000 + i
        ));
    }
    text.push_str(bump);
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn indicator_rows(store: &Store, symbol: &str) -> Vec<String> {
    let mut stmt = store
        .sql_for_tests()
        .prepare(
            "SELECT concat_ws('|', date, sma_20, sma_50, sma_200, ema_12, ema_26, macd,
                    macd_signal, macd_hist, rsi_14, volume_ratio, atr_14)
             FROM indicators WHERE symbol = ? ORDER BY date",
        )
        .unwrap();
    let rows = stmt.query_map([symbol], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn many_files_in_one_go_match_the_symbol_by_symbol_indicators() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.duckdb");
    let a = series_file(dir.path(), "AAA.csv", 260, "");
    let b = series_file(dir.path(), "BBB.csv", 30, "");
    let v = json(&run_at(
        dir.path(),
        &db,
        &[
            "import",
            "prices",
            "--json",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
    ));
    assert_eq!(v[0]["inserted"], 260);
    assert_eq!(v[1]["inserted"], 30);
    let mut store = Store::open(&db).unwrap();
    let bulk: Vec<Vec<String>> = ["AAA", "BBB"]
        .iter()
        .map(|s| indicator_rows(&store, s))
        .collect();
    assert_eq!((bulk[0].len(), bulk[1].len()), (260, 30));
    // The per-symbol path (what fetch uses) recomputes the same rows, to the bit.
    store
        .in_transaction(|tx| {
            for s in ["AAA", "BBB"] {
                store::recompute_indicators(tx, &Symbol::parse(s).unwrap())?;
            }
            Ok(())
        })
        .unwrap();
    for (i, s) in ["AAA", "BBB"].iter().enumerate() {
        assert_eq!(indicator_rows(&store, s), bulk[i], "{s}");
    }
    // SMA20 at session 24 (all after the split): mean of closes 100 + 0.25·(5..=24)
    // = 100 + 0.25 · 14.5 = 103.625.
    let sma_20: f64 = store
        .sql_for_tests()
        .query_row(
            "SELECT sma_20 FROM indicators WHERE symbol = 'BBB' ORDER BY date LIMIT 1 OFFSET 24",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!((sma_20 - 103.625).abs() < 1e-9, "{sma_20}");
}

#[test]
fn a_bad_file_among_good_ones_writes_nothing_and_a_later_file_wins_for_its_symbol() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.duckdb");
    let first = series_file(dir.path(), "AAA.csv", 10, "");
    // Same symbol from a symbol column: its 10 sessions close 0.01 higher → 10 updated.
    let mut text = String::from("symbol,date,open,high,low,close,volume\n");
    for line in std::fs::read_to_string(&first).unwrap().lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let close: rust_decimal::Decimal = f[4].parse().unwrap();
        text.push_str(&format!(
            "AAA,{},{},{},{},{},{}\n",
            f[0],
            f[1],
            f[2],
            f[3],
            close + dec!(0.01),
            f[6]
        ));
    }
    let second = dir.path().join("later.csv");
    std::fs::write(&second, text).unwrap();
    // Its row 12 (line 12) has high below low: the whole file is refused.
    let bad = series_file(dir.path(), "CCC.csv", 10, "2025-01-20,10,9,11,10,10,100\n");
    let good = series_file(dir.path(), "DDD.csv", 5, "");
    let out = run_at(
        dir.path(),
        &db,
        &[
            "import",
            "prices",
            "--json",
            first.to_str().unwrap(),
            bad.to_str().unwrap(),
            second.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["inserted"], 10);
    let error = v[1]["error"].as_str().unwrap();
    assert!(
        error.contains("CCC.csv:12: column high: high (9) is below low (11)"),
        "{error}"
    );
    assert_eq!(v[1]["inserted"], 0);
    assert_eq!(
        (v[2]["inserted"].clone(), v[2]["updated"].clone()),
        (0.into(), 10.into())
    );
    assert_eq!(v[3]["inserted"], 5);
    let store = Store::open(&db).unwrap();
    let count = |sql: &str| -> i64 {
        store
            .sql_for_tests()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count("SELECT count(*) FROM prices WHERE symbol = 'CCC'"), 0);
    assert_eq!(
        count("SELECT count(*) FROM indicators WHERE symbol = 'CCC'"),
        0
    );
    assert_eq!(
        count("SELECT count(*) FROM indicators WHERE symbol = 'AAA'"),
        10
    );
    // The later file's close: session 0 closed 100.00 in the first file, 100.01 in the later.
    let bars = store.bars(&Symbol::parse("AAA").unwrap()).unwrap();
    assert_eq!(bars[0].close, dec!(100.01));
    // The later file has no adj_close column: its bars carry none.
    assert_eq!(bars[0].adj_close, None);
    // Its indicators were recomputed from the later bars: one row per session.
    assert_eq!(indicator_rows(&store, "AAA").len(), 10);
}
