//! A check at a past date sees the world of that date, and nothing vanishes because its
//! data is old: the real binary on prices generated here.

mod common;

use std::path::Path;
use std::process::Output;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use common::{decimal, json, ok, run_at};
use rust_decimal_macros::dec;

fn run(dir: &Path, args: &[&str]) -> Output {
    run_at(dir, &dir.join("db.duckdb"), args)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A price file of weekday bars from `from` to `to`, the close from `close(i)`.
fn write_bars(
    dir: &Path,
    symbol: &str,
    from: NaiveDate,
    to: NaiveDate,
    close: impl Fn(usize) -> f64,
) {
    let mut text = String::from("date,open,high,low,close,volume\n");
    let mut day = from;
    let mut i = 0;
    while day <= to {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let c = close(i);
            text.push_str(&format!(
                "{day},{c:.2},{:.2},{:.2},{c:.2},1000000\n",
                c + 0.5,
                c - 0.5
            ));
            i += 1;
        }
        day += Duration::days(1);
    }
    std::fs::write(dir.join(format!("{symbol}.csv")), text).unwrap();
}

/// SPY from 2025-01-02 to 2026-03-31 rising 0.05 a day; OLD flat at 62 until 2025-10-01,
/// far before the analysis window of a check on 2026-03-31.
fn market(dir: &Path) {
    let prices = dir.join("prices");
    std::fs::create_dir_all(&prices).unwrap();
    write_bars(&prices, "SPY", d(2025, 1, 2), d(2026, 3, 31), |i| {
        100.0 + 0.05 * i as f64
    });
    write_bars(&prices, "OLD", d(2025, 1, 2), d(2025, 10, 1), |_| 62.0);
    ok(&run(dir, &["import", "prices", prices.to_str().unwrap()]));
}

#[test]
fn a_check_at_a_past_date_uses_the_balance_recorded_on_or_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    market(p);
    ok(&run(
        p,
        &["account", "set", "--cash", "1000", "--date", "2026-01-05"],
    ));
    ok(&run(
        p,
        &["account", "set", "--cash", "9000", "--date", "2026-03-02"],
    ));
    // A holding opened after the check's date is not yet in that day's portfolio.
    ok(&run(
        p,
        &[
            "holding",
            "add",
            "SPY",
            "10",
            "110",
            "--opened",
            "2026-03-02",
        ],
    ));

    let past = json(&run(
        p,
        &["morning-check", "--as-of", "2026-02-13", "--json"],
    ));
    assert_eq!(decimal(&past["account"]["cash"]), dec!(1000));
    assert_eq!(past["holdings"].as_array().unwrap().len(), 0);
    let later = json(&run(
        p,
        &["morning-check", "--as-of", "2026-03-31", "--json"],
    ));
    assert_eq!(decimal(&later["account"]["cash"]), dec!(9000));
    assert_eq!(later["holdings"].as_array().unwrap().len(), 1);
}

#[test]
fn a_holding_whose_prices_stopped_months_ago_keeps_its_value_and_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    market(p);
    ok(&run(
        p,
        &["account", "set", "--cash", "1000", "--date", "2026-03-02"],
    ));
    ok(&run(
        p,
        &[
            "holding",
            "add",
            "OLD",
            "100",
            "60",
            "--opened",
            "2025-06-02",
        ],
    ));
    let a = json(&run(
        p,
        &["morning-check", "--as-of", "2026-03-31", "--json"],
    ));
    let old = &a["holdings"][0];
    assert_eq!(old["symbol"], "OLD");
    // 100 × 62.00 at its last bar, 2025-10-01.
    assert_eq!(decimal(&old["value"]), dec!(6200));
    assert_eq!(old["price_date"], "2025-10-01");
    assert!(
        old["note"]
            .as_str()
            .unwrap()
            .starts_with("stale since 2025-10-01"),
        "{}",
        old["note"]
    );
    // P = 1 000 cash + 6 200.
    assert_eq!(decimal(&a["account"]["portfolio_value"]), dec!(7200));
    let text = ok(&run(p, &["morning-check", "--as-of", "2026-03-31"]));
    assert!(text.contains("stale since 2025-10-01"), "{text}");
}

#[test]
fn a_check_on_prices_that_ended_long_ago_says_so_first() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    market(p);
    ok(&run(
        p,
        &["account", "set", "--cash", "1000", "--date", "2026-03-02"],
    ));
    // Asked for a day months after the last bar (2026-03-31).
    let text = ok(&run(p, &["morning-check", "--as-of", "2026-09-01"]));
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("! STALE PRICES: the newest SPY bar is 2026-03-31"),
        "{text}"
    );
    let a = json(&run(p, &["intraday", "--as-of", "2026-09-01", "--json"]));
    let warning = a["warnings"][0].as_str().unwrap();
    assert!(warning.contains("2026-03-31"), "{warning}");
    // A check on the last bar's own day has no warning.
    let fresh = json(&run(
        p,
        &["morning-check", "--as-of", "2026-03-31", "--json"],
    ));
    assert!(fresh.get("warnings").is_none());
}

#[test]
fn the_previous_tools_cash_is_dated_at_its_last_updated_day() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let file = p.join("portfolio.json");
    std::fs::write(
        &file,
        r#"{"cash": 1126.79, "positions": {}, "last_updated": "2024-06-01T10:00:00"}"#,
    )
    .unwrap();
    ok(&run(p, &["import", "portfolio", file.to_str().unwrap()]));
    let balance = json(&run(p, &["account", "show", "--json"]));
    assert_eq!(balance["as_of"], "2024-06-01");
    assert_eq!(decimal(&balance["cash"]), dec!(1126.79));
}

#[test]
fn journal_stats_at_a_past_date_judge_only_with_the_bars_of_that_date() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    market(p);
    // JMP is flat at 50 until it jumps to 80 on 2026-02-03, inside the 20-session horizon
    // of a BUY recorded on 2026-01-15 (stop 8 % below, target far below 80).
    let prices = p.join("jmp");
    std::fs::create_dir_all(&prices).unwrap();
    let jump = d(2026, 2, 3);
    let first = d(2025, 1, 2);
    let closes: Vec<(NaiveDate, f64)> = (0..)
        .map(|i| first + Duration::days(i))
        .take_while(|day| *day <= d(2026, 3, 31))
        .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
        .map(|day| (day, if day < jump { 50.0 } else { 80.0 }))
        .collect();
    write_bars(&prices, "JMP", first, d(2026, 3, 31), |i| closes[i].1);
    ok(&run(p, &["import", "prices", prices.to_str().unwrap()]));
    ok(&run(
        p,
        &[
            "signals",
            "record",
            "--symbol",
            "JMP",
            "--type",
            "BUY",
            "--date",
            "2026-01-15",
        ],
    ));
    // Today the horizon is long past and the target was hit: MISSED.
    let now = json(&run(p, &["signals", "stats", "--json"]));
    assert_eq!(now["missed"].as_array().unwrap().len(), 1, "{now}");
    // On 2026-01-30 the jump had not happened and the horizon was not over: not judged.
    let then = json(&run(
        p,
        &["signals", "stats", "--as-of", "2026-01-30", "--json"],
    ));
    assert_eq!(then["missed"].as_array().unwrap().len(), 0, "{then}");
    assert_eq!(then["windows"]["all"]["total"], 1);
    // Before the signal existed, the journal was empty.
    let before = json(&run(
        p,
        &["signals", "stats", "--as-of", "2026-01-14", "--json"],
    ));
    assert_eq!(before["windows"]["all"]["total"], 0);
}

/// Weekday bars with an adjusted close: `raw(day)` and `adj(day)` give the two closes.
fn write_adjusted(
    dir: &Path,
    symbol: &str,
    raw: impl Fn(NaiveDate) -> f64,
    adj: impl Fn(NaiveDate) -> f64,
) {
    let mut text = String::from("date,open,high,low,close,adj_close,volume\n");
    let mut day = d(2025, 1, 2);
    while day <= d(2026, 3, 31) {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let c = raw(day);
            text.push_str(&format!(
                "{day},{c:.2},{:.2},{:.2},{c:.2},{:.6},1000\n",
                c + 0.5,
                c - 0.5,
                adj(day)
            ));
        }
        day += Duration::days(1);
    }
    std::fs::write(dir.join(format!("{symbol}.csv")), text).unwrap();
}

#[test]
fn a_past_holding_is_valued_on_its_costs_basis_across_a_dividend_and_a_split() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    market(p);
    let files = p.join("adjusted");
    std::fs::create_dir_all(&files).unwrap();
    // DIV: raw 100, then 90 from its ex-date 2026-02-02 (a 10 dividend); the vendor's
    // adjusted close is 90 throughout.
    let ex = d(2026, 2, 2);
    write_adjusted(
        &files,
        "DIV",
        |t| if t < ex { 100.0 } else { 90.0 },
        |_| 90.0,
    );
    // SPL: 4:1 split on 2026-02-02 (raw 400 → 100), then a 2 dividend on 2026-03-02 (raw
    // 98): adjusted 98 throughout (f = 0.245 before the split, 0.98 until the dividend).
    let div = d(2026, 3, 2);
    write_adjusted(
        &files,
        "SPL",
        |t| match t {
            t if t < ex => 400.0,
            t if t < div => 100.0,
            _ => 98.0,
        },
        |_| 98.0,
    );
    ok(&run(p, &["import", "prices", files.to_str().unwrap()]));
    ok(&run(
        p,
        &["account", "set", "--cash", "5000", "--date", "2025-12-01"],
    ));
    // Recorded as a broker shows them today: SPL's 10 pre-split shares are 40 at 100.
    ok(&run(
        p,
        &[
            "holding",
            "add",
            "DIV",
            "10",
            "100",
            "--opened",
            "2026-01-05",
        ],
    ));
    ok(&run(
        p,
        &[
            "holding",
            "add",
            "SPL",
            "40",
            "100",
            "--opened",
            "2025-12-01",
        ],
    ));

    let a = json(&run(
        p,
        &["morning-check", "--as-of", "2026-01-15", "--json"],
    ));
    let row = |s: &str| {
        a["holdings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["symbol"] == s)
            .unwrap()
            .clone()
    };
    // DIV on 01-15 traded at 100: value 1 000, P&L 0, no percentage stop (the adjusted
    // close, 90, would say "down 10 %").
    let div_row = row("DIV");
    assert_eq!(decimal(&div_row["price"]), dec!(100));
    assert_eq!(decimal(&div_row["value"]), dec!(1000));
    assert_eq!(decimal(&div_row["unrealized_pnl"]), dec!(0));
    let kinds: Vec<&str> = div_row["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"percentage"), "{kinds:?}");
    // SPL on 01-15 traded at 400 a pre-split share = 100 a share of today: 40 × 100.
    let spl_row = row("SPL");
    assert_eq!(decimal(&spl_row["price"]), dec!(100));
    assert_eq!(decimal(&spl_row["value"]), dec!(4000));
    // On the last day both are at their traded closes: DIV 90 (down 10 % from 100, a
    // real loss of price after the payout), SPL 98.
    let last = json(&run(
        p,
        &["morning-check", "--as-of", "2026-03-31", "--json"],
    ));
    let value = |s: &str| {
        decimal(
            &last["holdings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["symbol"] == s)
                .unwrap()["value"],
        )
    };
    assert_eq!(value("DIV"), dec!(900));
    assert_eq!(value("SPL"), dec!(3920));
}
