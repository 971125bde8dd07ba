//! The scan's integer road (`PreparedBuilder::push_raw`) gives the very columns of the
//! `Decimal` road (`push` of the same bar as `Decimal`s): mantissas, scales, wide values, the
//! closes' bits and where the indicators' close differs.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{PreparedBuilder, RawBar};
use crate::domain::symbol::Symbol;

fn day(k: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2001, 1, 1).unwrap() + chrono::Duration::days(k)
}

fn builders() -> (PreparedBuilder, PreparedBuilder) {
    let b = PreparedBuilder::new(Symbol::parse("AAA").unwrap(), day(400));
    (b.clone(), b)
}

/// Both roads for `bars`, as their whole state.
fn both(bars: &[RawBar]) -> (String, String) {
    let (mut by_integers, mut by_decimals) = builders();
    for bar in bars {
        by_integers.push_raw(bar);
        by_decimals.push(&bar.to_bar());
    }
    (format!("{by_integers:?}"), format!("{by_decimals:?}"))
}

fn bar(k: i64, ohlc: [Option<i128>; 4], adj: Option<i128>, scales: (u32, u32)) -> RawBar {
    RawBar {
        date: day(k),
        open: ohlc[0],
        high: ohlc[1],
        low: ohlc[2],
        close: ohlc[3],
        adj_close: adj,
        price_scale: scales.0,
        adj_scale: scales.1,
    }
}

#[test]
fn stored_bars_by_hand_take_the_same_road_either_way() {
    let s = (6, 12);
    let bars = [
        // A dividend: f = 49.5 / 50; 50.5 → 49.9950.
        bar(
            0,
            [
                Some(50_500_000),
                Some(51_000_000),
                Some(49_900_000),
                Some(50_000_000),
            ],
            Some(49_500_000_000_000),
            s,
        ),
        // No adjustment, adj_close equal to the close: only the scale of the close differs.
        bar(
            1,
            [Some(12_100_000), None, Some(12_000_000), Some(12_340_000)],
            Some(12_340_000_000_000),
            s,
        ),
        // No adjusted close; a price past 32 bits (Berkshire's A shares) is kept whole.
        bar(
            2,
            [
                Some(612_000_000_000),
                Some(615_000_000_000),
                Some(600_000_000_000),
                Some(610_123_456_789),
            ],
            None,
            s,
        ),
        // A true midpoint (f = 0.5 on 10.0001) is left to `Decimal`.
        bar(
            3,
            [
                Some(10_000_100),
                Some(10_000_300),
                Some(9_999_900),
                Some(10_000_000),
            ],
            Some(5_000_000_000_000),
            s,
        ),
        // Zero and negative prices, a missing close, a bar after `to`: all through `push`.
        bar(4, [Some(0), Some(-1), None, Some(0)], Some(1), s),
        bar(5, [None, None, None, None], None, s),
        bar(500, [Some(1), Some(1), Some(1), Some(1)], None, s),
    ];
    let (integers, decimals) = both(&bars);
    assert_eq!(integers, decimals);
    // 49.9950 is kept as mantissa 499950 at scale 4.
    assert!(integers.contains("mantissa: [499950,"), "{integers}");
}

/// Mantissas from a few digits to past 64 bits, with trailing zeros and equal closes common.
fn mantissa() -> impl Strategy<Value = i128> {
    prop_oneof![
        1i128..1_000,
        (1i128..100_000).prop_map(|m| m * 10_000),
        1_000_000i128..1_000_000_000,
        1i128..1_000_000_000_000_000_000,
        -10i128..=0,
        (i128::from(i32::MAX) - 2)..(i128::from(i32::MAX) + 3),
        (i128::from(i64::MAX) - 2)..(i128::from(i64::MAX) + 3),
    ]
}

fn raw_bar() -> impl Strategy<Value = RawBar> {
    (
        0i64..420,
        proptest::array::uniform4(proptest::option::weighted(0.9, mantissa())),
        prop_oneof![
            Just(None),
            proptest::option::of(mantissa()),
            // adj_close = close at its own scale (no adjustment), or a near ratio.
            Just(Some(-1)),
            Just(Some(-2)),
        ],
        prop_oneof![Just((6u32, 12u32)), (0u32..20, 0u32..14)],
    )
        .prop_map(|(k, ohlc, adj, scales)| {
            let close = ohlc[3];
            let adj = match adj {
                // Within DECIMAL(24,12)'s 24 digits, as stored.
                Some(-1) => close
                    .map(|c| c * 10i128.pow(scales.1.saturating_sub(scales.0).min(12)))
                    .filter(|a| *a < 10i128.pow(24)),
                Some(-2) => close.map(|c| c * 997 / 1000),
                other => other,
            };
            bar(k, ohlc, adj, scales)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn the_integer_road_builds_the_decimal_roads_columns(
        bars in proptest::collection::vec(raw_bar(), 1..12)
    ) {
        // Far outside the stored columns' digits `Decimal`'s own products overflow (it
        // panics): such bars cannot be stored, so they are not compared.
        prop_assume!(bars.iter().all(|b| decimal_road_is_defined(&b.to_bar())));
        let (integers, decimals) = both(&bars);
        prop_assert_eq!(integers, decimals);
    }
}

fn decimal_road_is_defined(bar: &crate::domain::bar::Bar) -> bool {
    let Some(adj) = bar.adj_close.filter(|_| !bar.close.is_zero()) else {
        return true;
    };
    let Some(f) = adj.checked_div(bar.close) else {
        return false;
    };
    [bar.open, bar.high, bar.low]
        .into_iter()
        .flatten()
        .all(|v| v.checked_mul(f).is_some())
}
