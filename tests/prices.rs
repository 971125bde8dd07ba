//! `ducklens import prices` and `ducklens indicators` through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ducklens::store::Store;

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ducklens"))
        .arg("--db")
        .arg(dir.join("p.duckdb"))
        .args(args)
        .env("XDG_STATE_HOME", dir.join("state"))
        .output()
        .unwrap()
}

/// 30 sessions where the first 10 predate a 2:1 split: raw close 2×(100+i), adjusted 100+i.
fn split_file(dir: &Path) -> PathBuf {
    let mut text = String::from("Date,Open,High,Low,Close,Adj Close,Volume\n");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let days = (0..60)
        .map(|i| start + chrono::Duration::days(i))
        .filter(|d| ducklens::domain::calendar::is_trading_day(*d))
        .take(30);
    for (i, day) in days.enumerate() {
        let adj = 100 + i;
        let raw = if i < 10 { 2 * adj } else { adj };
        text.push_str(&format!(
            "{day},{raw},{},{},{raw},{adj},1000\n",
            raw + 1,
            raw - 1
        ));
    }
    let path = dir.join("TEST.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn import_counts_and_adjusted_indicators() {
    let dir = tempfile::tempdir().unwrap();
    let file = split_file(dir.path());
    let out = run(dir.path(), &["import", "prices", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains("30 inserted, 0 updated, 0 unchanged, 0 skipped (TEST)"),
        "{}",
        stdout(&out)
    );

    // SMA20 on adjusted closes at bar 19 = mean(100..=119) = 109.5; raw closes would give 114.5.
    let store = Store::open(&dir.path().join("p.duckdb")).unwrap();
    let sma: Vec<Option<f64>> = {
        let mut stmt = store
            .sql_for_tests()
            .prepare("SELECT sma_20 FROM indicators WHERE symbol = 'TEST' ORDER BY date")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    drop(store);
    assert_eq!(sma.len(), 30);
    assert_eq!(sma[18], None);
    assert!((sma[19].unwrap() - 109.5).abs() < 1e-9);

    let again = run(dir.path(), &["import", "prices", file.to_str().unwrap()]);
    assert!(
        stdout(&again).contains("0 inserted, 0 updated, 30 unchanged"),
        "{}",
        stdout(&again)
    );

    let out = run(dir.path(), &["indicators", "test", "--last", "3", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[2]["close"], 129.0);
    assert_eq!(v[2]["trend"], "NEUTRAL");
    // SMA50 is not filled yet, so the strength is marked incomplete.
    assert_eq!(v[2]["strength_incomplete"], true);
}

#[test]
fn a_bad_row_rejects_its_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("GOOD.csv");
    std::fs::write(
        &good,
        "date,open,high,low,close,volume\n2026-11-23,10,11,9,10,5\n",
    )
    .unwrap();
    let bad = dir.path().join("BAD.csv");
    std::fs::write(
        &bad,
        "date,open,high,low,close,volume\n2026-11-23,10,11,9,10,5\n2026-11-24,10,9,11,10,5\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["import", "prices", dir.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("BAD.csv:3: column high: high (9) is below low (11)"),
        "{text}"
    );
    assert!(text.contains("GOOD.csv: 1 inserted"), "{text}");
    let store = Store::open(&dir.path().join("p.duckdb")).unwrap();
    let symbols: Vec<String> = {
        let mut stmt = store
            .sql_for_tests()
            .prepare("SELECT DISTINCT symbol FROM prices")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(symbols, ["GOOD"]);
    drop(store);

    let out = run(
        dir.path(),
        &["import", "prices", bad.to_str().unwrap(), "--skip-bad"],
    );
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("1 inserted, 0 updated, 0 unchanged, 1 skipped"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("skipped "), "{}", stdout(&out));
}
