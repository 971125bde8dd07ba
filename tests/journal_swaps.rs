//! The brief's "compare actual vs expected" for swaps, as a user meets it: a morning check
//! in the past recommends swaps, `signals stats` at a later day shows what each expected and
//! what it did, both in points of return over `followup_days` (30).

mod common;

use std::path::Path;

use chrono::{Duration, NaiveDate};
use common::{json, ok, run};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The adjusted close of the last bar on or before `day`, read straight from the file.
fn close_on_or_before(dir: &Path, symbol: &str, day: NaiveDate) -> f64 {
    let store = ducklens::store::Store::open(&dir.join("demo.duckdb")).unwrap();
    let close: Decimal = store
        .sql_for_tests()
        .query_row(
            "SELECT coalesce(adj_close, close) FROM prices WHERE symbol = ? AND date <= ? \
             ORDER BY date DESC LIMIT 1",
            duckdb::params![symbol, day],
            |r| r.get(0),
        )
        .unwrap();
    close.to_f64().unwrap()
}

fn return_pct(dir: &Path, symbol: &str, from: NaiveDate, to: NaiveDate) -> f64 {
    (close_on_or_before(dir, symbol, to) / close_on_or_before(dir, symbol, from) - 1.0) * 100.0
}

#[test]
fn signals_stats_compares_each_swaps_expected_and_actual_return_in_one_unit() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    ok(&run(
        dir.path(),
        &["morning-check", "--as-of", "2026-09-01"],
    ));
    // Two weeks later the follow-up window (30 days) has not ended: expected only.
    let early = json(&run(
        dir.path(),
        &["signals", "stats", "--as-of", "2026-09-15", "--json"],
    ));
    let swaps = early["swaps"].as_array().unwrap();
    assert!(!swaps.is_empty(), "{early}");
    assert!(swaps.iter().all(|s| s["actual_pct"].is_null()), "{early}");
    assert_eq!(early["swap_summary"]["measured"], 0);

    let later = json(&run(dir.path(), &["signals", "stats", "--json"]));
    let swaps = later["swaps"].as_array().unwrap();
    for s in swaps {
        let day: NaiveDate = s["date"].as_str().unwrap().parse().unwrap();
        let (up, down) = (
            s["increase"].as_str().unwrap(),
            s["reduce"].as_str().unwrap(),
        );
        // Expected: the lookback (30 days) gap when recommended, scaled 30 → 30 days.
        let base = day - Duration::days(30);
        let expected =
            return_pct(dir.path(), up, base, day) - return_pct(dir.path(), down, base, day);
        let got = s["expected_pct"].as_f64().unwrap();
        assert!(
            (got - expected).abs() < 1e-9,
            "{up}/{down}: {got} vs {expected}"
        );
        // Actual: the same two returns over the next 30 days, stored to the cent.
        let end = day + Duration::days(30);
        let actual = return_pct(dir.path(), up, day, end) - return_pct(dir.path(), down, day, end);
        let got = s["actual_pct"].as_f64().unwrap();
        assert!(
            (got - actual).abs() < 0.006,
            "{up}/{down}: {got} vs {actual}"
        );
    }
    let summary = &later["swap_summary"];
    assert_eq!(summary["measured"].as_u64().unwrap() as usize, swaps.len());
    assert_eq!(summary["window_days"], 30);

    let text = ok(&run(dir.path(), &["signals", "stats"]));
    assert!(
        text.contains("Swaps, expected vs actual (increase − reduce return over 30 days"),
        "{text}"
    );
    let first = &swaps[0];
    let row = format!(
        "{} → {}",
        first["reduce"].as_str().unwrap(),
        first["increase"].as_str().unwrap()
    );
    assert!(text.contains(&row), "{text}");
}
