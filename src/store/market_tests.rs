//! Tests of the snapshot read path (`market.rs`).

use super::*;
use crate::store::{append_bars, indicators_since, recompute_indicators, Store};

fn symbol(name: &str) -> Symbol {
    Symbol::parse(name).unwrap()
}

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Duration::days(n)
}

/// One bar a calendar day for each day in `days`, with an adjusted close that differs
/// from the close and a volume, so every column round-trips.
fn bars(days: Range<i64>) -> Vec<Bar> {
    days.map(|d| {
        let close = Decimal::new(10_000 + d * 7 % 500, 2);
        Bar {
            date: day(d),
            open: Some(close - Decimal::ONE),
            high: Some(close + Decimal::ONE),
            low: Some(close - Decimal::TWO),
            close,
            adj_close: Some(close * Decimal::new(98, 2)),
            volume: Some(1_000 + d),
        }
    })
    .collect()
}

fn stored(db: &Store, s: &Symbol, from: NaiveDate) -> Vec<IndicatorRow> {
    indicators_since(db.conn(), s, from)
        .unwrap()
        .into_iter()
        .map(|(_, row)| row)
        .collect()
}

#[test]
fn reads_the_window_of_each_wanted_symbol_with_its_stored_indicators() {
    let mut db = Store::open_in_memory().unwrap();
    let (aaa, bbb, ccc) = (symbol("AAA"), symbol("BBB"), symbol("CCC"));
    db.in_transaction(|tx| {
        append_bars(tx, &aaa, &bars(0..600), "test")?;
        append_bars(tx, &bbb, &bars(590..600), "test")?;
        append_bars(tx, &ccc, &bars(0..600), "test")?;
        for s in [&aaa, &bbb, &ccc] {
            recompute_indicators(tx, s)?;
        }
        Ok(())
    })
    .unwrap();
    // AAA twice and ZZZ without data: each symbol once, only those with bars.
    let wanted = [aaa.clone(), bbb.clone(), aaa.clone(), symbol("ZZZ")];
    let as_of = day(550);
    let snapshot = load_snapshot(db.conn(), &wanted, as_of).unwrap();
    assert_eq!(
        snapshot.series.keys().collect::<Vec<_>>(),
        [&aaa],
        "BBB starts after the as-of date, CCC is not wanted"
    );
    let days = 550 - SNAPSHOT_DAYS;
    let aaa_series = &snapshot.series[&aaa];
    assert_eq!(aaa_series.bars, bars(days..551));
    assert_eq!(
        aaa_series.bars[0].date,
        as_of - Duration::days(SNAPSHOT_DAYS)
    );
    // The last bar's stored row (computed over all 600 bars), not a recomputation of the
    // window; earlier bars have none loaded.
    let expected = stored(&db, &aaa, as_of)[0];
    assert_eq!(aaa_series.indicators, [expected]);
    assert_eq!(aaa_series.indicators_at(400), Some(&expected));
    assert_eq!(aaa_series.indicators_at(399), None);
    let recomputed = SymbolSeries::new(aaa_series.bars.clone());
    assert_ne!(recomputed.indicators_at(400), Some(&expected));
}

#[test]
fn the_insertion_order_setting_is_restored() {
    let db = Store::open_in_memory().unwrap();
    load_snapshot(db.conn(), &[symbol("AAA")], day(0)).unwrap();
    let preserved: bool = db
        .conn()
        .query_row(
            "SELECT current_setting('preserve_insertion_order')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(preserved);
}

#[test]
fn bars_stored_out_of_date_order_are_read_in_date_order() {
    let mut db = Store::open_in_memory().unwrap();
    let aaa = symbol("AAA");
    db.in_transaction(|tx| {
        // A later backfill appends older bars after newer ones.
        append_bars(tx, &aaa, &bars(300..320), "test")?;
        append_bars(tx, &aaa, &bars(250..300), "test")?;
        recompute_indicators(tx, &aaa)
    })
    .unwrap();
    let snapshot = load_snapshot(db.conn(), std::slice::from_ref(&aaa), day(319)).unwrap();
    let series = &snapshot.series[&aaa];
    assert_eq!(series.bars, bars(250..320));
    assert_eq!(series.indicators, stored(&db, &aaa, day(319)));
}

#[test]
fn symbols_ending_on_different_days_each_get_their_last_bars_row() {
    let mut db = Store::open_in_memory().unwrap();
    let (aaa, bbb) = (symbol("AAA"), symbol("BBB"));
    db.in_transaction(|tx| {
        append_bars(tx, &aaa, &bars(0..100), "test")?;
        append_bars(tx, &bbb, &bars(0..90), "test")?;
        recompute_indicators(tx, &aaa)?;
        recompute_indicators(tx, &bbb)
    })
    .unwrap();
    let snapshot = load_snapshot(db.conn(), &[aaa.clone(), bbb.clone()], day(99)).unwrap();
    assert_eq!(snapshot.series[&aaa].indicators, stored(&db, &aaa, day(99)));
    assert_eq!(snapshot.series[&bbb].indicators, stored(&db, &bbb, day(89)));
}

#[test]
fn a_bar_without_stored_indicators_has_its_window_recomputed() {
    let mut db = Store::open_in_memory().unwrap();
    let aaa = symbol("AAA");
    db.in_transaction(|tx| {
        append_bars(tx, &aaa, &bars(0..100), "test")?;
        recompute_indicators(tx, &aaa)?;
        // A newer bar arrives without its indicators.
        append_bars(tx, &aaa, &bars(100..101), "test")
    })
    .unwrap();
    let snapshot = load_snapshot(db.conn(), std::slice::from_ref(&aaa), day(100)).unwrap();
    let series = &snapshot.series[&aaa];
    assert_eq!(series.bars, bars(0..101));
    assert_eq!(
        series.indicators,
        SymbolSeries::new(bars(0..101)).indicators
    );
}

#[test]
fn each_group_is_read_with_its_own_window_and_the_first_wins() {
    let mut db = Store::open_in_memory().unwrap();
    let (long, short, both) = (symbol("LONG"), symbol("SHRT"), symbol("BOTH"));
    db.in_transaction(|tx| {
        for s in [&long, &short, &both] {
            append_bars(tx, s, &bars(0..500), "test")?;
            recompute_indicators(tx, s)?;
        }
        Ok(())
    })
    .unwrap();
    let as_of = day(499);
    let snapshot = load_snapshot_windows(
        db.conn(),
        &[
            (&[long.clone(), both.clone()], 400),
            (&[short.clone(), both.clone()], 100),
        ],
        as_of,
    )
    .unwrap();
    // One bar a calendar day: a window of d days holds days 499 − d ..= 499, d + 1 bars.
    let count = |s: &Symbol| snapshot.series[s].bars.len();
    assert_eq!((count(&long), count(&short), count(&both)), (401, 101, 401));
    assert_eq!(snapshot.series[&short].bars[0].date, day(399));
    // The stored indicators of the last bar, whatever the window.
    let last = stored(&db, &short, as_of);
    assert_eq!(snapshot.series[&short].indicators, last);
}
