//! A swap as a user makes it: the morning check recommends and records it, `swap execute`
//! carries it out, and the journal then knows both legs were taken.

mod common;

use common::{decimal, json, ok, run};
use rust_decimal_macros::dec;

/// The demo's morning swap on 2026-11-20 is DRFT → ZNTH (68 shares sold, 7 bought).
fn demo_with_recorded_swap(dir: &std::path::Path) -> i64 {
    ok(&run(dir, &["demo", "--as-of", "2026-11-20", "--no-tui"]));
    ok(&run(dir, &["morning-check", "--as-of", "2026-11-20"]));
    let list = json(&run(dir, &["swap", "list", "--json"]));
    let drft = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reduce"] == "DRFT")
        .expect("the DRFT swap");
    assert_eq!(drft["increase"], "ZNTH");
    assert_eq!(drft["executed"], false);
    drft["id"].as_i64().unwrap()
}

fn leg<'a>(journal: &'a serde_json::Value, symbol: &str, kind: &str) -> &'a serde_json::Value {
    journal
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["symbol"] == symbol
                && s["signal_type"] == kind
                && s["signal_source"] == "morning_check"
                && s["signal_date"] == "2026-11-20"
        })
        .unwrap_or_else(|| panic!("no {kind} leg for {symbol}"))
}

#[test]
fn executing_a_swap_marks_both_journal_legs_taken_with_the_fills() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = demo_with_recorded_swap(d);
    let before = json(&run(d, &["account", "show", "--json"]));
    let cash_before = decimal(&before["cash"]);

    let out = ok(&run(
        d,
        &[
            "swap",
            "execute",
            &id.to_string(),
            "--sell-price",
            "34.80",
            "--buy-price",
            "717.25",
            "--date",
            "2026-11-20",
        ],
    ));
    // 68 × 34.80 = 2366.40 in; 7 × 717.25 = 5020.75 out; cash −2654.35.
    assert!(out.contains("cash -2654.35"), "{out}");
    assert!(out.contains("2 journal leg(s) marked taken"), "{out}");
    let after = json(&run(d, &["account", "show", "--json"]));
    assert_eq!(decimal(&after["cash"]) - cash_before, dec!(-2654.35));

    let journal = json(&run(d, &["signals", "list", "--json", "--limit", "1000"]));
    let sell = leg(&journal, "DRFT", "SELL");
    assert_eq!(sell["action_taken"], true);
    assert_eq!(decimal(&sell["actual_entry_price"]), dec!(34.80));
    assert_eq!(sell["actual_quantity"], 68);
    assert_eq!(sell["actual_entry_date"], "2026-11-20");
    let buy = leg(&journal, "ZNTH", "BUY");
    assert_eq!(buy["action_taken"], true);
    assert_eq!(decimal(&buy["actual_entry_price"]), dec!(717.25));
    assert_eq!(buy["actual_quantity"], 7);

    // A taken leg is never judged as if the user had ignored it.
    ok(&run(d, &["signals", "evaluate"]));
    let journal = json(&run(d, &["signals", "list", "--json", "--limit", "1000"]));
    for (symbol, kind) in [("DRFT", "SELL"), ("ZNTH", "BUY")] {
        let outcome = &leg(&journal, symbol, kind)["outcome"];
        assert!(
            outcome != "MISSED" && outcome != "PASSED",
            "{symbol} {kind} judged {outcome} although taken"
        );
    }
    let list = json(&run(d, &["swap", "list", "--json"]));
    let executed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap();
    assert_eq!(executed["executed"], true);
}

#[test]
fn a_swap_is_executed_once_and_bad_fills_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = demo_with_recorded_swap(d).to_string();
    let holdings = ok(&run(d, &["holding", "list", "--json"]));
    for (args, expected) in [
        (
            vec!["--sell-qty", "68.5"],
            "sell quantity: must be a whole number",
        ),
        (vec!["--buy-price", "1,5"], "--buy-price"),
        (
            vec!["--sell-qty", "500"],
            "cannot sell 500 DRFT: only 68 held",
        ),
        (vec!["--date", "2099-01-02"], "is in the future"),
        (
            vec!["--date", "2026-11-19"],
            "before the swap was recommended",
        ),
    ] {
        let mut all = vec!["swap", "execute", id.as_str()];
        all.extend(args.iter().copied());
        let out = run(d, &all);
        assert_eq!(out.status.code(), Some(1), "{all:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{all:?}: {err}");
    }
    assert_eq!(ok(&run(d, &["holding", "list", "--json"])), holdings);

    ok(&run(d, &["swap", "execute", &id, "--date", "2026-11-20"]));
    let again = run(d, &["swap", "execute", &id, "--date", "2026-11-20"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already executed"));
}

#[test]
fn swap_legs_carry_the_same_technical_columns_as_signals_record() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo_with_recorded_swap(d);
    ok(&run(
        d,
        &[
            "signals",
            "record",
            "--symbol",
            "ZNTH",
            "--type",
            "BUY",
            "--source",
            "manual",
            "--date",
            "2026-11-20",
        ],
    ));
    let journal = json(&run(d, &["signals", "list", "--json", "--limit", "1000"]));
    let buy = leg(&journal, "ZNTH", "BUY");
    let manual = journal
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["symbol"] == "ZNTH" && s["signal_source"] == "manual")
        .unwrap();
    for column in [
        "confidence_level",
        "rsi_value",
        "macd_value",
        "volume_ratio",
        "trend_direction",
        "signal_strength",
    ] {
        assert!(!buy[column].is_null(), "{column} missing on the swap leg");
        assert_eq!(buy[column], manual[column], "{column}");
    }
    // The reduce leg too.
    let sell = leg(&journal, "DRFT", "SELL");
    assert!(!sell["rsi_value"].is_null() && !sell["trend_direction"].is_null());
}
