//! The trustworthy-numbers rules (issue 13) on the hand-made market of `scenario.rs`: a swap
//! is one a user can make, "well optimized" is said only when it is true, and a holding whose
//! data stopped keeps its value.

use rust_decimal_macros::dec;

use super::fixtures::{date, row, rules, scripted, sym};
use super::scenario::*;
use super::*;

#[test]
fn a_swap_never_buys_zero_shares_it_takes_the_next_opportunity_it_can_buy() {
    // STAR at 1000× its price keeps strength 90 (the score reads returns, not levels) but
    // one share costs 44 400 > the 1 750 it may spend: WEAK goes to NICE instead.
    // NICE 85 (LOW): 15 + 5 × 0.25 = 16.25 % × 1.2 = 19.5 % of 10 000 = 1 950 →
    // 61 × 31.5 = 1 921.50.
    let mut m = market();
    m.series.insert(
        sym("STAR"),
        scripted(
            m.as_of,
            &closes(40_000.0, 44_400.0),
            row(0.5, true, 40_000.0),
        ),
    );
    let a = analyze(
        &holdings(),
        &watchlist(),
        Some(&balance(dec!(7376))),
        &m,
        &rules(),
        CheckMode::Morning,
    );
    assert_eq!(a.swaps.len(), 1);
    let swap = &a.swaps[0];
    assert_eq!(
        (swap.reduce.symbol.as_str(), swap.increase.symbol.as_str()),
        ("WEAK", "NICE")
    );
    assert_eq!((swap.size.quantity, swap.size.value), (61, dec!(1921.50)));
    assert!(a.swaps.iter().all(|s| s.size.quantity > 0));
}

#[test]
fn no_swap_with_an_underperformer_says_so_instead_of_well_optimized() {
    // Only MEH (55) on the watchlist: no opportunity, so WEAK stays unpaired.
    let a = analyze(
        &holdings(),
        &[watch("MEH")],
        Some(&balance(dec!(7376))),
        &market(),
        &rules(),
        CheckMode::Morning,
    );
    assert!(a.swaps.is_empty());
    let message = a.no_swap_message();
    assert!(!message.contains("well optimized"), "{message}");
    assert!(message.contains("WEAK"), "{message}");

    // Without an underperformer it is well optimized.
    let healthy = analyze(
        &[holding("GOOD", dec!(20), dec!(50))],
        &[],
        Some(&balance(dec!(7376))),
        &market(),
        &rules(),
        CheckMode::Morning,
    );
    assert!(healthy.no_swap_message().contains("well optimized"));
}

#[test]
fn a_holding_whose_data_stopped_is_valued_at_its_last_bar_and_flagged_stale() {
    // OLD's bars end on 01-30, two months before the as-of date: 10 × 62 = 620 still
    // counts. P = 7 376 + 950 + 1 080 + 594 + 620 = 10 620.
    let mut m = market();
    m.series.insert(
        sym("OLD"),
        scripted(date(2026, 1, 30), &closes(60.0, 62.0), row(0.5, true, 60.0)),
    );
    let mut held = holdings();
    held.push(holding("OLD", dec!(10), dec!(61)));
    let a = analyze(
        &held,
        &[],
        Some(&balance(dec!(7376))),
        &m,
        &rules(),
        CheckMode::Morning,
    );
    let old = a
        .holdings
        .iter()
        .find(|h| h.symbol.as_str() == "OLD")
        .unwrap();
    assert_eq!(old.value, Some(dec!(620.00)));
    assert_eq!(old.price_date, Some(date(2026, 1, 30)));
    let note = old.note.as_deref().unwrap_or_default();
    assert!(note.starts_with("stale since 2026-01-30"), "{note}");
    assert_eq!(a.account.portfolio_value, dec!(10620));
}

#[test]
fn a_watch_symbol_whose_data_stopped_is_never_a_buy() {
    // STAR's bars end a day before the as-of date: it is not an opportunity.
    let mut m = market();
    m.series.insert(
        sym("STAR"),
        scripted(date(2026, 3, 30), &closes(40.0, 44.4), row(0.5, true, 40.0)),
    );
    let a = analyze(
        &holdings(),
        &watchlist(),
        Some(&balance(dec!(7376))),
        &m,
        &rules(),
        CheckMode::Morning,
    );
    let names: Vec<&str> = a.opportunities.iter().map(|o| o.symbol.as_str()).collect();
    assert_eq!(names, ["NICE"]);
}

#[test]
fn an_incomplete_strength_keeps_its_mark_in_the_swap_and_the_report() {
    // WEAK without a MACD histogram: 50 + 5 (RSI) − 10 (DOWN) − 10 (−5 %) = 35, incomplete;
    // still an underperformer (alpha −8, 35 < 40) swapped into STAR.
    let mut m = market();
    let mut no_macd = row(-0.5, false, 99.0);
    no_macd.macd_hist = None;
    m.series.insert(
        sym("WEAK"),
        scripted(m.as_of, &closes(100.0, 95.0), no_macd),
    );
    let a = analyze(
        &holdings(),
        &watchlist(),
        Some(&balance(dec!(7376))),
        &m,
        &rules(),
        CheckMode::Morning,
    );
    let swap = &a.swaps[0];
    assert_eq!(
        (swap.reduce.symbol.as_str(), swap.increase.symbol.as_str()),
        ("WEAK", "STAR")
    );
    assert_eq!(
        (swap.reduce.strength, swap.reduce.strength_complete),
        (35.0, false)
    );
    assert!(swap.increase.strength_complete);
    let text = crate::report::check::morning_text(&a);
    assert!(text.contains("35?"), "{text}");
}
