//! `ducklens backtest` on the demo database at a fixed date.

mod common;

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

fn count(dir: &std::path::Path, sql: &str) -> i64 {
    let store = ducklens::store::Store::open(&dir.join("demo.duckdb")).unwrap();
    store
        .sql_for_tests()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn all_four_strategies_on_the_demo_report_save_and_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    let text = ok(&run(dir.path(), &["backtest", "--to", "2026-11-20"]));
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("backtest_demo", text);
    });
    // Four runs, one equity row per trading day each, and their trades.
    assert_eq!(count(dir.path(), "SELECT count(*) FROM backtest_runs"), 4);
    assert_eq!(
        count(dir.path(), "SELECT count(*) FROM backtest_equity"),
        4 * count(
            dir.path(),
            "SELECT count(*) FROM backtest_equity WHERE run_id = 1"
        )
    );
    assert!(count(dir.path(), "SELECT count(*) FROM backtest_trades") > 4);
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM backtest_equity WHERE equity <> cash + positions_value - debt"
        ),
        0
    );

    let json = ok(&run(
        dir.path(),
        &[
            "backtest",
            "--to",
            "2026-11-20",
            "--strategy",
            "monthly",
            "--json",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2025-11-20"), Some("2026-11-20"))
    );
    assert_eq!(v["benchmark"]["symbol"], "SPY");
    let s = &v["strategies"][0];
    assert_eq!(s["name"], "monthly");
    for key in [
        "final_value",
        "total_return_pct",
        "cagr_pct",
        "benchmark_return_pct",
        "excess_return_pct",
        "alpha_capm_pct",
        "beta",
        "max_drawdown_pct",
        "volatility_pct",
        "sharpe",
        "sortino",
        "win_rate_pct",
        "avg_hold_days",
        "trades",
        "turnover",
    ] {
        assert!(s.get(key).is_some(), "strategy metric {key}");
        assert!(v["benchmark"].get(key).is_some(), "benchmark metric {key}");
    }
    assert!(s["final_value"].is_string(), "money is a string");
    assert!(s["total_return_pct"].is_number(), "percentages are numbers");
    assert!(s["params"]["frequency"].is_string());
    assert!(s["verdict"]["criteria"].as_array().unwrap().len() == 4);
    let e = &s["equity"][0];
    assert!(e["date"].is_string() && e["equity"].is_string() && e["benchmark"].is_string());
    // The count metric and the list side by side: every fill, buys and sales, is a trade.
    let trade_list = s["trade_list"].as_array().unwrap();
    assert!(trade_list.len() > 1);
    assert_eq!(s["trades"].as_u64(), Some(trade_list.len() as u64));
    assert_eq!(
        v["benchmark"]["trades"].as_u64(),
        Some(1),
        "bought once and held"
    );
}

#[test]
fn sweep_ranks_sixty_four_points() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    let json = ok(&run(
        dir.path(),
        &["backtest", "--to", "2026-11-20", "--sweep", "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let points = v["sweep"].as_array().unwrap();
    assert_eq!(points.len(), 64);
    let sharpe: Vec<f64> = points
        .iter()
        .map(|p| p["sharpe"].as_f64().unwrap_or(f64::NEG_INFINITY))
        .collect();
    assert!(sharpe.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn empty_states_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    let fails = |args: &[&str], needle: &str| {
        let out = run(dir.path(), args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    };
    fails(
        &["backtest", "--benchmark", "NOPE"],
        "no NOPE prices on or before",
    );
    // Saturday 11-14 to Monday 11-16: one trading day.
    fails(
        &["backtest", "--from", "2026-11-14", "--to", "2026-11-16"],
        "a backtest needs at least 2",
    );
    fails(
        &["backtest", "--from", "2026-11-20", "--to", "2026-11-20"],
        "choose an earlier --from",
    );
    fails(
        &["backtest", "--capital", "0"],
        "--capital must be positive",
    );
}

#[test]
fn parameter_flags_change_the_strategy_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    ok(&run(dir.path(), &["demo", "--as-of", "2026-11-20"]));
    let json = ok(&run(
        dir.path(),
        &[
            "backtest",
            "--to",
            "2026-11-20",
            "--strategy",
            "monthly",
            "--frequency",
            "14",
            "--entry-strength",
            "70",
            "--max-positions",
            "3",
            "--sizing-multiplier",
            "0.5",
            "--commission",
            "1",
            "--slippage-bps",
            "10",
            "--json",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let s = &v["strategies"][0];
    assert_eq!(s["name"], "monthly (every 14 days)");
    let p = &s["params"];
    assert_eq!(p["frequency"], serde_json::json!({"days": 14}));
    assert_eq!(
        (p["entry_strength"].as_f64(), p["max_positions"].as_u64()),
        (Some(70.0), Some(3))
    );
    assert_eq!(p["sizing_multiplier"].as_f64(), Some(0.5));
    assert_eq!(p["costs"]["slippage_bps"].as_f64(), Some(10.0));
    // A dollar a trade: every trade's commission is at least 1.
    let trades = s["trade_list"].as_array().unwrap();
    assert!(!trades.is_empty());
    assert!(trades
        .iter()
        .all(|t| t["commission"].as_str().unwrap().parse::<f64>().unwrap() >= 1.0));

    for (args, message) in [
        (
            &["--entry-strength", "120"][..],
            "--entry-strength must be between 0 and 100, got 120",
        ),
        (
            &["--frequency", "daily"][..],
            "--frequency: \"daily\" is not a frequency",
        ),
        (
            &["--max-positions", "0"][..],
            "--max-positions must be at least 1",
        ),
        (
            &["--commission", "-1"][..],
            "--commission must be 0 or more",
        ),
    ] {
        let out = run(dir.path(), &[&["backtest"][..], args].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
}
