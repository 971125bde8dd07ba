//! `ducklens signals` on the demo journal: refusals change nothing, and the stats view.

mod common;

use std::path::Path;

use common::run;

fn demo(dir: &Path) {
    let out = run(dir, &["demo", "--as-of", "2026-11-20"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn journal(dir: &Path) -> serde_json::Value {
    let out = run(dir, &["signals", "list", "--limit", "1000", "--json"]);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn first_id(dir: &Path, taken: bool) -> String {
    let all = journal(dir);
    all.as_array()
        .unwrap()
        .iter()
        .find(|s| s["action_taken"] == taken && s["exit_date"].is_null() && s["outcome"].is_null())
        .map(|s| s["id"].to_string())
        .expect("a matching demo signal")
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let before = journal(dir.path());
    let open = first_id(dir.path(), true);
    let fresh = first_id(dir.path(), false);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["show", "99999"], "signal 99999 not found"),
        // The same words as the app's form (one use-case, `service::journal_ops`).
        (
            vec!["take", "99999", "--price", "10", "--qty", "1"],
            "signal 99999 not found",
        ),
        (
            vec!["take", &open, "--price", "10", "--qty", "1"],
            "already taken",
        ),
        (vec!["close", &fresh, "--price", "10"], "was not taken"),
        (
            vec!["close", &open, "--price", "10", "--date", "2001-01-01"],
            "before the entry date",
        ),
        (
            vec!["take", &fresh, "--price", "10", "--qty", "0"],
            "quantity must be positive",
        ),
        (
            vec!["take", &fresh, "--price=-1", "--qty", "3"],
            "price must be positive",
        ),
        (
            vec!["close", &open, "--price", "10", "--outcome", "great"],
            "unknown outcome",
        ),
        (vec!["delete", &fresh], "--yes"),
    ];
    for (args, expected) in cases {
        let mut full = vec!["signals"];
        full.extend(args.iter().copied());
        let out = run(dir.path(), &full);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    assert_eq!(journal(dir.path()), before);
}

#[test]
fn take_then_close_computes_the_outcome() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let id = first_id(dir.path(), false);
    let out = run(
        dir.path(),
        &[
            "signals",
            "take",
            &id,
            "--price",
            "50",
            "--qty",
            "10",
            "--date",
            "2026-11-02",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(
        dir.path(),
        &[
            "signals",
            "close",
            &id,
            "--price",
            "55.5",
            "--date",
            "2026-11-12",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // (55.50 − 50) × 10 = 55.00, no commission by default.
    assert_eq!(s["actual_profit"], "55.00");
    assert_eq!(s["outcome"], "WIN");
    assert_eq!(s["days_held"], 10);
}

#[test]
fn an_outcome_that_contradicts_the_pnl_needs_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let id = first_id(dir.path(), false);
    let take = [
        "signals",
        "take",
        &id,
        "--price",
        "50",
        "--qty",
        "10",
        "--date",
        "2026-11-02",
    ];
    assert!(run(dir.path(), &take).status.success());
    // +55.00 recorded as a LOSS: refused without --yes, nothing written.
    let close = [
        "signals",
        "close",
        &id,
        "--price",
        "55.5",
        "--date",
        "2026-11-12",
        "--outcome",
        "LOSS",
    ];
    let out = run(dir.path(), &close);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("outcome LOSS contradicts the P&L +55.00"),
        "{err}"
    );
    let shown = run(dir.path(), &["signals", "show", &id, "--json"]);
    let s: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert!(s["exit_price"].is_null(), "a refused close wrote the exit");
    let mut confirmed = close.to_vec();
    confirmed.push("--yes");
    assert!(run(dir.path(), &confirmed).status.success());
}

#[test]
fn stats_on_the_demo_journal() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let out = run(dir.path(), &["signals", "stats", "--as-of", "2026-11-20"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("signals_stats_demo", String::from_utf8_lossy(&out.stdout));
    });
    let json = run(
        dir.path(),
        &["signals", "stats", "--as-of", "2026-11-20", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    for key in ["30d", "90d", "all"] {
        let w = &v["windows"][key];
        for field in [
            "total",
            "taken",
            "action_rate_pct",
            "wins",
            "losses",
            "breakevens",
            "win_rate_pct",
            "total_pnl",
            "avg_win",
            "avg_loss",
            "profit_factor",
            "expectancy",
        ] {
            assert!(w.get(field).is_some(), "{key}.{field} missing");
        }
    }
    assert_eq!(v["windows"]["all"]["total"], 40);
    assert_eq!(v["calibration"].as_array().unwrap().len(), 4);
    assert!(v["by_source"]["morning_check"].is_object());
}

#[test]
fn record_fills_from_the_stored_indicators() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let out = run(
        dir.path(),
        &[
            "signals",
            "record",
            "--symbol",
            "znth",
            "--type",
            "BUY",
            "--date",
            "2026-11-20",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["symbol"], "ZNTH");
    assert_eq!(s["signal_source"], "manual");
    let price: f64 = s["price_at_signal"].as_str().unwrap().parse().unwrap();
    let stop: f64 = s["stop_loss"].as_str().unwrap().parse().unwrap();
    // Stop = price × (1 − 8 %).
    assert!((stop - price * 0.92).abs() < 0.0001, "{price} {stop}");
    assert!(
        s["rsi_value"].is_string()
            && s["trend_direction"].is_string()
            && s["signal_strength"].is_string()
    );
    assert_eq!(journal(dir.path()).as_array().unwrap().len(), 41);
    let bad = run(
        dir.path(),
        &["signals", "record", "--symbol", "ZNTH", "--type", "MAYBE"],
    );
    assert_eq!(bad.status.code(), Some(1));
}
