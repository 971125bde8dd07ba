//! `morning-check` and `intraday` on the demo database at a fixed date.

mod common;

use std::path::Path;
use std::process::Output;

use common::run;

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn count(dir: &Path, sql: &str) -> i64 {
    let store = ducklens::store::Store::open(&dir.join("demo.duckdb")).unwrap();
    store
        .sql_for_tests()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn morning_check_reports_records_once_and_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    let text = ok(&run(
        dir.path(),
        &["morning-check", "--as-of", "2026-11-20"],
    ));
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("morning_check_demo", text);
    });
    assert!(text.contains("Portfolio Health: "));
    let recs = count(
        dir.path(),
        "SELECT count(*) FROM rebalancing_recommendations",
    );
    let signals = count(dir.path(), "SELECT count(*) FROM trading_signals");
    assert!(recs > 0);
    assert_eq!(
        signals,
        40 + 2 * recs,
        "both legs of every swap are journaled"
    );
    // A second run the same day stores nothing twice.
    let again = ok(&run(
        dir.path(),
        &["morning-check", "--as-of", "2026-11-20", "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(v["recorded"]["recommendations"], 0);
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM rebalancing_recommendations"
        ),
        recs
    );
    assert_eq!(
        count(dir.path(), "SELECT count(*) FROM trading_signals"),
        signals
    );
    // JSON keys scripts rely on; money as exact decimal strings.
    assert!(v["account"]["cash"].is_string());
    for key in [
        "as_of",
        "account",
        "health",
        "holdings",
        "underperformers",
        "opportunities",
        "swaps",
        "market",
        "game_plan",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert!(
        v["swaps"][0]["size"]["bound_by"].is_string()
            || v["swaps"][0]["size"]["bound_by"].is_object()
    );
}

#[test]
fn intraday_flags_positions_and_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    let text = ok(&run(dir.path(), &["intraday", "--as-of", "2026-11-20"]));
    assert!(text.contains("=== PORTFOLIO REBALANCING ALERTS ==="));
    assert!(text.contains("position(s) flagged for review:"));
    assert!(text.contains("Review full optimization in morning check for swap recommendations"));
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("intraday_demo", text);
    });
}

#[test]
fn intraday_checks_the_morning_buys_records_new_ones_once_and_decides() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    ok(&run(
        dir.path(),
        &["morning-check", "--as-of", "2026-11-20"],
    ));
    let text = ok(&run(dir.path(), &["intraday", "--as-of", "2026-11-20"]));
    for section in [
        "=== MORNING BUY SIGNALS ===",
        "=== HOLDINGS SELL CHECK ===",
        "=== NEW BUY SIGNALS ===",
        "=== PORTFOLIO REBALANCING ALERTS ===",
        "=== FINAL DECISION ===",
    ] {
        assert!(text.contains(section), "missing {section} in\n{text}");
    }
    // The morning's swap bought ZNTH: the glance says whether that still holds.
    assert!(text.contains(" ZNTH: "), "{text}");
    let sql = "SELECT count(*) FROM trading_signals WHERE signal_source = 'intraday_monitor'";
    let first = count(dir.path(), sql);
    let again: serde_json::Value = serde_json::from_str(&ok(&run(
        dir.path(),
        &["intraday", "--as-of", "2026-11-20", "--json"],
    )))
    .unwrap();
    assert_eq!(again["recorded"], 0, "recorded twice on one day");
    assert_eq!(count(dir.path(), sql), first);
    let new_buys = again["plan"]["new_buys"].as_array().unwrap().len() as i64;
    assert_eq!(first, new_buys, "one journal entry per new buy");
    assert!(!again["plan"]["final_decision"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn no_benchmark_data_names_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["morning-check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ducklens fetch SPY"), "{err}");
}

#[test]
fn size_reports_the_binding_rule() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    // Strength 85 → 15 + (85 − 80) × 0.25 = 16.25 % × LOW 1.2 = 19.5 % of $10,000 = $1,950 →
    // 39 shares at $50. Spendable cash 3,000 − 20 % reserve (2,000) = 1,000; margin covers 950.
    let out = ok(&run(
        dir.path(),
        &[
            "size",
            "--strength",
            "85",
            "--risk",
            "LOW",
            "--price",
            "50",
            "--capital",
            "10000",
            "--cash",
            "3000",
            "--margin",
            "--margin-available",
            "5000",
            "--margin-used",
            "0",
            "--json",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["quantity"], 39);
    assert_eq!(v["value"], "1950.00");
    assert_eq!(v["use_margin"], true);
    assert_eq!(v["margin_needed"], "950.00");
    // Without --margin the cash reserve binds: 1,000 / 50 = 20 shares.
    let out = ok(&run(
        dir.path(),
        &[
            "size",
            "--strength",
            "85",
            "--risk",
            "LOW",
            "--price",
            "50",
            "--capital",
            "10000",
            "--cash",
            "3000",
            "--margin-used",
            "0",
        ],
    ));
    assert!(out.contains("Suggested Size: 20 shares"), "{out}");
    let bad = run(
        dir.path(),
        &[
            "size",
            "--strength",
            "85",
            "--risk",
            "SPICY",
            "--price",
            "50",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn old_recommendations_get_their_actual_improvement() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    ok(&run(
        dir.path(),
        &["morning-check", "--as-of", "2026-09-01"],
    ));
    let recs = count(
        dir.path(),
        "SELECT count(*) FROM rebalancing_recommendations",
    );
    assert!(recs > 0);
    let out = ok(&run(dir.path(), &["signals", "evaluate", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["recommendations_followed_up"], recs);
    // increase return − reduce return since 2026-09-01, measured for each swap.
    assert_eq!(
        count(dir.path(), "SELECT count(*) FROM rebalancing_recommendations WHERE actual_improvement_pct IS NOT NULL"),
        recs
    );
    // Measured once: a second evaluation has nothing left to follow up.
    let again: serde_json::Value =
        serde_json::from_str(&ok(&run(dir.path(), &["signals", "evaluate", "--json"]))).unwrap();
    assert_eq!(again["recommendations_followed_up"], 0);
}
