//! Stored price levels keep their basis: a signal recorded before a split was known gets the
//! same verdict as one recorded in a database that knew the split from the start.

mod common;

use std::path::Path;
use std::process::Output;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use common::{ok, run_at};

fn run(dir: &Path, db: &str, args: &[&str]) -> Output {
    run_at(dir, &dir.join(db), args)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const SPLIT: (i32, u32, u32) = (2026, 1, 5);

/// SPLT traded flat at 400 (high 402, low 398) until its 4:1 split on 2026-01-05, then at
/// 105 (high 105.5, low 104.5). `known_split`: the vendor's adjusted close divides the
/// earlier bars by 4; otherwise the file ends on `last` with no adjustment yet.
fn write_splt(path: &Path, last: NaiveDate, known_split: bool) {
    let split = d(SPLIT.0, SPLIT.1, SPLIT.2);
    let mut text = String::from("date,open,high,low,close,adj_close,volume\n");
    let mut day = d(2025, 6, 2);
    while day <= last {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            let (c, h, l) = if day < split {
                (400.0, 402.0, 398.0)
            } else {
                (105.0, 105.5, 104.5)
            };
            let factor = if day < split && known_split {
                0.25
            } else {
                1.0
            };
            text.push_str(&format!("{day},{c},{h},{l},{c},{},1000\n", c * factor));
        }
        day += Duration::days(1);
    }
    std::fs::write(path, text).unwrap();
}

fn verdict(dir: &Path, db: &str) -> (String, String) {
    ok(&run(dir, db, &["signals", "evaluate"]));
    let list: serde_json::Value =
        serde_json::from_str(&ok(&run(dir, db, &["signals", "list", "--json"]))).unwrap();
    let s = &list[0];
    (
        s["outcome"].as_str().unwrap_or("pending").to_string(),
        s["max_profit_potential"].to_string(),
    )
}

#[test]
fn a_signal_recorded_before_a_split_is_judged_like_one_that_knew_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let files = p.join("files");
    std::fs::create_dir_all(&files).unwrap();
    let file = files.join("SPLT.csv");
    let record = [
        "signals",
        "record",
        "--symbol",
        "SPLT",
        "--type",
        "BUY",
        "--date",
        "2025-12-15",
    ];

    // A: the signal is recorded while the history ends on its day, unadjusted; the
    // split-adjusted history arrives later.
    write_splt(&file, d(2025, 12, 15), false);
    ok(&run(
        p,
        "a.duckdb",
        &["import", "prices", file.to_str().unwrap()],
    ));
    ok(&run(p, "a.duckdb", &record));
    write_splt(&file, d(2026, 3, 31), true);
    ok(&run(
        p,
        "a.duckdb",
        &["import", "prices", file.to_str().unwrap()],
    ));

    // B: the split was known from the start.
    ok(&run(
        p,
        "b.duckdb",
        &["import", "prices", file.to_str().unwrap()],
    ));
    ok(&run(p, "b.duckdb", &record));

    // Both stored the price as traded that day, 400, with the target a measured move of
    // the 60-day range 398–402 (400 + 4 = 404) and the stop 8 % below: 368.
    for db in ["a.duckdb", "b.duckdb"] {
        let list: serde_json::Value =
            serde_json::from_str(&ok(&run(p, db, &["signals", "list", "--json"]))).unwrap();
        let price: f64 = list[0]["price_at_signal"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let target: f64 = list[0]["target_exit"].as_str().unwrap().parse().unwrap();
        let stop: f64 = list[0]["stop_loss"].as_str().unwrap().parse().unwrap();
        assert_eq!((price, target, stop), (400.0, 404.0, 368.0), "{db}");
    }
    // On today's adjusted basis: target 101, stop 92; after the split the highs of 105.5
    // reach the target first → MISSED, in both databases.
    let a = verdict(p, "a.duckdb");
    let b = verdict(p, "b.duckdb");
    assert_eq!(a.0, "MISSED");
    assert_eq!(a, b);
}
