//! The prepared columns (issue 18): each bar adjusted once, kept compact, and every figure
//! the engine reads equal to what the bar-by-bar adjustment gave before.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::tests::{backtest_rules, bars, params, run, universe, wave, WARMUP};
use super::*;
use crate::domain::analyzer::fixtures::{rules as live_rules, sym};
use crate::domain::bar::Bar;
use crate::domain::portfolio::to_price;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

fn raw(d: u32, ohlc: [Decimal; 4], adj: Option<Decimal>) -> Bar {
    Bar {
        date: day(d),
        open: Some(ohlc[0]),
        high: Some(ohlc[1]),
        low: Some(ohlc[2]),
        close: ohlc[3],
        adj_close: adj,
        volume: Some(1_000),
    }
}

#[test]
fn a_split_and_a_dividend_are_adjusted_once_by_hand() {
    let bars = vec![
        // Before a 4:1 split: f = 100 / 400 = 0.25; 396 → 99, 404 → 101, 392 → 98.
        raw(
            2,
            [dec!(396), dec!(404), dec!(392), dec!(400)],
            Some(dec!(100)),
        ),
        // Before a 1 % dividend: f = 49.5 / 50 = 0.99; 50.5 → 49.995, 51 → 50.49,
        // 49.9 → 49.401.
        raw(
            3,
            [dec!(50.5), dec!(51), dec!(49.9), dec!(50)],
            Some(dec!(49.5)),
        ),
        // f = 0.5 puts each product on a half: rounded to 4 decimals, half to even:
        // 10.0001 → 5.00005 → 5.0000, 10.0003 → 5.00015 → 5.0002, 9.9999 → 4.99995 → 5.0000.
        raw(
            4,
            [dec!(10.0001), dec!(10.0003), dec!(9.9999), dec!(10)],
            Some(dec!(5)),
        ),
        // No adjusted close: the bar as received, its scale kept (12.3400, not 12.34).
        raw(
            5,
            [dec!(12.1000), dec!(12.5000), dec!(12.0000), dec!(12.3400)],
            None,
        ),
    ];
    let days: Vec<NaiveDate> = (2..=5).map(day).collect();
    let p = Prepared::new(sym("AAA"), bars, day(5), &days);
    let ohlc = |k: usize| {
        let b = p.bar(k);
        (b.open.unwrap(), b.high.unwrap(), b.low.unwrap(), b.close)
    };
    assert_eq!(ohlc(0), (dec!(99), dec!(101), dec!(98), dec!(100)));
    assert_eq!(
        ohlc(1),
        (dec!(49.995), dec!(50.49), dec!(49.401), dec!(49.5))
    );
    assert_eq!(ohlc(2), (dec!(5), dec!(5.0002), dec!(5), dec!(5)));
    assert_eq!(p.bar(3).close.to_string(), "12.3400");
    assert_eq!(p.bar(3).adj_close, None);
    // Fills at the adjusted open of a bar dated that day; valuations at the adjusted close.
    assert_eq!(p.fill_price_on(1, day(3)), Some(dec!(49.995)));
    assert_eq!(p.close_at(0), Some(dec!(100)));
    assert_eq!(p.closes, vec![100.0, 49.5, 5.0, 12.34]);
    // The range of the last two bars: highest high 12.5, lowest low 5 (day 4's).
    let range = p.recent_range(3, 2);
    assert_eq!((range.high, range.low), (dec!(12.5), dec!(5)));
}

/// Raw bars with a 2:1 split at bar `split` and a 2 % dividend every 63 bars: the adjusted
/// history is `adjusted`, back-adjusted like a vendor's file.
fn with_split_and_dividends(adjusted: &[Bar], split: usize) -> Vec<Bar> {
    let n = adjusted.len();
    let mut factor = Decimal::ONE;
    let mut out = vec![adjusted[0].clone(); n];
    for i in (0..n).rev() {
        let a = &adjusted[i];
        // raw = adjusted / factor, on a price's four decimals; adj_close keeps the adjusted
        // close, so f = adj_close / close ≈ factor.
        let up = |v: Decimal| to_price(v / factor);
        out[i] = Bar {
            date: a.date,
            open: a.open.map(up),
            high: a.high.map(up),
            low: a.low.map(up),
            close: up(a.close),
            adj_close: Some(a.close),
            volume: a.volume,
        };
        if i > 0 && i % 63 == 0 {
            factor *= dec!(0.98);
        }
        if i == split {
            factor *= dec!(0.5);
        }
    }
    out
}

/// What the engine traded on before issue 18: each raw bar adjusted on its own as
/// `Bar`s (open, high, low × adj_close / close rounded to a price, the adjusted close).
fn adjusted_the_old_way(bars: &[Bar]) -> Vec<Bar> {
    bars.iter()
        .map(|b| {
            let f = b.adjustment_factor();
            let scale = |v: Option<Decimal>| v.map(|v| to_price(v * f));
            Bar {
                date: b.date,
                open: scale(b.open),
                high: scale(b.high),
                low: scale(b.low),
                close: b.adjusted_close(),
                adj_close: None,
                volume: b.volume,
            }
        })
        .collect()
}

#[test]
fn a_history_with_a_split_and_dividends_trades_as_its_adjusted_bars() {
    let n = WARMUP + 400;
    let split = WARMUP + 150;
    let names = ["AAA", "BBB", "CCC", "DDD"];
    let raw: Vec<Vec<Bar>> = (0..names.len())
        .map(|s| with_split_and_dividends(&bars(&wave(n, s as u32 + 2)), split))
        .collect();
    // The split shows in the raw closes: bar `split - 1` is about twice bar `split`.
    let jump = raw[0][split - 1].close / raw[0][split].close;
    assert!(jump > dec!(1.8) && jump < dec!(2.2), "raw jump {jump}");
    let bench = bars(&wave(n, 1));
    let from_raw = universe(
        bench.clone(),
        names.iter().copied().zip(raw.iter().cloned()).collect(),
    );
    let old = universe(
        bench,
        names
            .iter()
            .copied()
            .zip(raw.iter().map(|b| adjusted_the_old_way(b)))
            .collect(),
    );
    let rules = live_rules();
    let p = params(StrategyKind::Monthly, &rules);
    let (new_run, old_run) = (run(&from_raw, &p, &rules), run(&old, &p, &rules));
    assert!(
        new_run.trades.iter().any(|t| t.date > from_raw.days[150]),
        "the fixture trades after the split"
    );
    assert_eq!(new_run.trades, old_run.trades);
    assert_eq!(new_run.equity, old_run.equity);
    // And the metrics over them.
    let bt = backtest_rules();
    let m = |r: &BacktestRun| metrics::run_metrics(r, bt.risk_free_pct);
    assert_eq!(m(&new_run), m(&old_run));
    // Every fill is at the adjusted open (± the slippage), never at the raw one: before
    // the split the raw open is about twice the adjusted.
    for t in &new_run.trades {
        let k = old.symbols.iter().find(|s| s.symbol == t.symbol).unwrap();
        let i = old.days.iter().position(|d| *d == t.date).unwrap();
        let open = k.fill_price_on(i, t.date).unwrap();
        assert!(
            (t.price / open - Decimal::ONE).abs() < dec!(0.01),
            "{} {} at {} against the adjusted open {open}",
            t.date,
            t.symbol,
            t.price
        );
    }
}

proptest::proptest! {
    /// The range found in integers is the one found in decimals, value and scale, ties
    /// (100.5 beside 100.5000) and missing highs and lows included.
    #[test]
    fn the_range_in_integers_is_the_range_in_decimals(
        prices in proptest::collection::vec(
            (0usize..5, 0usize..5, 0usize..5, 0usize..5, 0u32..3, proptest::bool::ANY),
            1..80,
        ),
        n in 0usize..70,
    ) {
        // The last level's ten decimals take the 128-bit comparison, the others the 64-bit.
        let levels = [dec!(100.5), dec!(100.5000), dec!(101.25), dec!(99.123456), dec!(99.1234567891)];
        let bars: Vec<Bar> = prices
            .iter()
            .enumerate()
            .map(|(i, &(o, h, l, c, missing, adjusted))| Bar {
                date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i as i64),
                open: Some(levels[o]),
                high: (missing != 1).then_some(levels[h]),
                low: (missing != 2).then_some(levels[l]),
                close: levels[c],
                adj_close: adjusted.then(|| levels[c] * dec!(0.5)),
                volume: None,
            })
            .collect();
        let last = bars.len() - 1;
        let days = vec![bars[last].date];
        let p = Prepared::new(sym("AAA"), bars, days[0], &days);
        let fast = p.recent_range(last, n);
        let slow = p.range_in_decimals((last + 1).saturating_sub(n), last);
        proptest::prop_assert_eq!(
            (fast.high.to_string(), fast.low.to_string()),
            (slow.high.to_string(), slow.low.to_string())
        );
        // And the analyzer's range over the bars the backtest hands it (`Prepared::bar`),
        // which the backtest's window replaces by this one (`SymbolSeries::range_60d`).
        if n > 0 {
            let window: Vec<Bar> = (0..=last).map(|k| p.bar(k)).collect();
            let analyzer = crate::domain::bar::recent_range(&window, n).unwrap();
            proptest::prop_assert_eq!(
                (fast.high.to_string(), fast.low.to_string()),
                (analyzer.high.to_string(), analyzer.low.to_string())
            );
        }
    }
}

/// Rising highs and lows (bar j's are 100 + j ± 0.5): a range reads its own bars only, the
/// high the last one's, the low the first one's.
#[test]
fn a_range_reads_no_bar_past_its_end() {
    let bars: Vec<Bar> = (0..48u32)
        .map(|j| {
            let level = Decimal::from(100 + j);
            Bar {
                date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
                    + chrono::Duration::days(i64::from(j)),
                open: None,
                high: Some(level + dec!(0.5)),
                low: Some(level - dec!(0.5)),
                close: level,
                adj_close: None,
                volume: None,
            }
        })
        .collect();
    let days = vec![bars[47].date];
    let p = Prepared::new(sym("AAA"), bars, days[0], &days);
    let range = |from: usize, k: usize| {
        let r = p.recent_range(k, k + 1 - from);
        (r.high.to_string(), r.low.to_string())
    };
    assert_eq!(range(0, 14), ("114.5".into(), "99.5".into()));
    assert_eq!(range(0, 15), ("115.5".into(), "99.5".into()));
    assert_eq!(range(1, 40), ("140.5".into(), "100.5".into()));
    assert_eq!(range(16, 31), ("131.5".into(), "115.5".into()));
}
