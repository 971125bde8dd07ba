//! `ducklens performance` end to end: prices imported through the command line from CSV
//! files the test writes, the ledger recorded through `service::ledger::record` (the
//! ledger's write path), and every expected figure worked by hand below.

mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::{decimal, json, ok, run_at, stderr};
use ducklens::config::Config;
use ducklens::domain::ledger::{Kind, Transaction};
use ducklens::domain::symbol::Symbol;
use ducklens::service::{ledger, Context};
use ducklens::store::Store;
use rust_decimal_macros::dec;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Five sessions, 2026-03-02 (Mon) to 03-06 (Fri).
const DAYS: [&str; 5] = [
    "2026-03-02",
    "2026-03-03",
    "2026-03-04",
    "2026-03-05",
    "2026-03-06",
];

fn write_prices(dir: &Path, symbol: &str, closes: [f64; 5]) {
    let mut text = String::from("date,open,high,low,close,volume\n");
    for (d, c) in DAYS.iter().zip(closes) {
        text.push_str(&format!(
            "{d},{c:.2},{:.2},{:.2},{c:.2},1000\n",
            c + 0.5,
            c - 0.5
        ));
    }
    std::fs::write(dir.join(format!("{symbol}.csv")), text).unwrap();
}

/// SPY 400, 404, 404, 410, 408; AAA 10, 11, 12, 12, 12.50.
/// 03-02 deposit 1,000 and buy 50 AAA at 10 with a 1.00 fee (cash 499);
/// 03-04 deposit 500 (cash 999); 03-05 sell 20 AAA at 12 (cash 1,239).
fn account(dir: &Path) -> std::path::PathBuf {
    let prices = dir.join("prices");
    std::fs::create_dir_all(&prices).unwrap();
    write_prices(&prices, "SPY", [400.0, 404.0, 404.0, 410.0, 408.0]);
    write_prices(&prices, "AAA", [10.0, 11.0, 12.0, 12.0, 12.5]);
    let db = dir.join("p.duckdb");
    ok(&run_at(
        dir,
        &db,
        &["import", "prices", prices.to_str().unwrap()],
    ));
    let ctx = Context {
        db_path: db.clone(),
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: day("2026-03-06"),
    };
    let aaa = Symbol::parse("AAA").unwrap();
    let mut store = Store::open(&db).unwrap();
    store
        .transaction(|tx| {
            ledger::record(
                &ctx,
                tx,
                vec![
                    Transaction::money(day("2026-03-02"), Kind::Deposit, dec!(1000)),
                    Transaction::buy(day("2026-03-02"), aaa.clone(), dec!(50), dec!(10), dec!(1)),
                    Transaction::money(day("2026-03-04"), Kind::Deposit, dec!(500)),
                    Transaction::sell(day("2026-03-05"), aaa.clone(), dec!(20), dec!(12), dec!(0)),
                ],
            )
        })
        .unwrap();
    db
}

#[test]
fn returns_pnl_and_the_road_to_a_million() {
    let dir = tempfile::tempdir().unwrap();
    let db = account(dir.path());
    let out = run_at(
        dir.path(),
        &db,
        &["performance", "--as-of", "2026-03-06", "--json"],
    );
    let v = json(&out);
    // Values: 03-02 499 + 50 × 10 = 999 (flow 1,000); 03-03 499 + 550 = 1,049;
    // 03-04 999 + 600 = 1,599 (flow 500); 03-05 1,239 + 30 × 12 = 1,599;
    // 03-06 1,239 + 30 × 12.5 = 1,614.
    assert_eq!(v["as_of"], "2026-03-06");
    assert_eq!(v["first"], "2026-03-02");
    assert_eq!(decimal(&v["value"]), dec!(1614));
    // Today: 1,614 − 1,599 = +15 = +0.938 % (15 / 1,599); SPY 408 / 410 − 1 = −0.488 %.
    let today = &v["today"];
    assert_eq!(decimal(&today["change"]), dec!(15));
    assert!((today["change_pct"].as_f64().unwrap() - 1500.0 / 1599.0).abs() < 1e-6);
    assert!((today["spy_pct"].as_f64().unwrap() - (408.0 / 410.0 - 1.0) * 100.0).abs() < 1e-6);
    // Every period but "since start" starts before 03-02: too short.
    let periods = v["periods"].as_array().unwrap();
    assert!(
        periods[..5].iter().all(|p| p["figures"].is_null()),
        "{periods:?}"
    );
    let since = &periods[5]["figures"];
    // TWR: 1,049/999 × (1,599 − 500)/1,049 × 1,599/1,599 × 1,614/1,599
    //    = 1,099/999 × 1,614/1,599 = 1.110420 → +11.042 %.
    let twr = (1099.0 / 999.0 * 1614.0 / 1599.0 - 1.0) * 100.0;
    assert!((since["twr_pct"].as_f64().unwrap() - twr).abs() < 1e-6);
    // Money-weighted over the 4 days, checked by a closed form independent of the solver:
    // −999, −500 on day 2, +1,614 on day 4; with z = (1 + r)^(−2/365):
    // 1,614 z² − 500 z − 999 = 0 → z = (500 + √(250,000 + 4 × 1,614 × 999)) / 3,228
    // = 0.956737 → over the period 1/z² − 1 = +9.2483 % (less than the TWR: the 500 came
    // in after the best day).
    let z = (500.0 + (250_000.0f64 + 4.0 * 1614.0 * 999.0).sqrt()) / 3228.0;
    let mwr = (1.0 / (z * z) - 1.0) * 100.0;
    assert!(
        (since["mwr_pct"].as_f64().unwrap() - mwr).abs() < 1e-6,
        "{since}"
    );
    assert_eq!(since["annualized"], false);
    // SPY 408 / 400 − 1 = +2 %; difference 11.042 − 2 = +9.042 pp.
    assert!((since["spy_pct"].as_f64().unwrap() - 2.0).abs() < 1e-6);
    assert!((since["difference_pp"].as_f64().unwrap() - (twr - 2.0)).abs() < 1e-6);
    // March 2026 alone: the same chain.
    let march = &v["monthly"]["years"][0];
    assert!((march["months_pct"][2].as_f64().unwrap() - twr).abs() < 1e-6);
    // The ledger: FIFO sells 20 of the lot of 50 that cost 501 → cost 200.40, proceeds
    // 240 → realized +39.60. Unrealized 30 × 12.50 − 300.60 = +74.40. Fees 1.
    // P&L 39.60 + 74.40 = 114 = 1,614 − 1,500 deposited.
    let l = &v["ledger"];
    assert_eq!(decimal(&l["realized_pnl"]), dec!(39.60));
    assert_eq!(decimal(&l["unrealized_pnl"]), dec!(74.40));
    assert_eq!(decimal(&l["fees"]), dec!(1));
    let aaa = &l["holdings"][0];
    assert_eq!(aaa["symbol"], "AAA");
    // AAA's day: 30 × (12.50 − 12) = +15, all of the account's.
    assert_eq!(decimal(&aaa["day_change"]), dec!(15));
    assert_eq!(decimal(&aaa["pnl"]), dec!(114));
    assert!((aaa["contribution_pct"].as_f64().unwrap() - 100.0).abs() < 1e-9);
    // Under a year of history: no realized rate and no range.
    assert_eq!(v["million"]["reach"]["status"], "unknown");
    assert_eq!(v["million"]["range"]["status"], "too_short");
}

#[test]
fn a_given_return_and_contribution_reach_a_million() {
    let dir = tempfile::tempdir().unwrap();
    let db = account(dir.path());
    let args = [
        "performance",
        "--as-of",
        "2026-03-06",
        "--return",
        "10",
        "--monthly-contribution",
        "500",
    ];
    let text = ok(&run_at(dir.path(), &db, &args));
    // m = 1.1^(1/12) − 1 = 0.0079741; C/m = 62,703; closed form
    // k = ⌈ln((1,000,000 + 62,703) / (1,614 + 62,703)) / ln(1.0079741)⌉ = ⌈353.13⌉ = 354
    // months = 29 y 6 m → 2026-03 + 354 months = 2055-09.
    assert!(text.contains("Reached: 2055-09 (29 y 6 m)"), "{text}");
    assert!(
        text.contains("at +10.0% a year (as given), adding $500.00 a month"),
        "{text}"
    );
    assert!(
        text.contains("realized +$39.60, unrealized +$74.40"),
        "{text}"
    );
    let bad = run_at(
        dir.path(),
        &db,
        &["performance", "--monthly-contribution", "-5"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("--monthly-contribution: -5 is negative"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn an_empty_ledger_says_what_to_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.duckdb");
    let out = run_at(dir.path(), &db, &["performance", "--as-of", "2026-03-06"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no account history on or before 2026-03-06"),
        "{}",
        stderr(&out)
    );
}
