//! Daily bars as received, and the split- and dividend-adjusted view everything computes on.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Every stored price column keeps 12 integer digits (DECIMAL(18,6), adj_close DECIMAL(24,12)):
/// a price is below 1,000,000,000,000, and the import refuses one that is not.
pub const PRICE_LIMIT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// One raw daily bar, stored exactly as the source sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub date: NaiveDate,
    pub open: Option<Decimal>,
    pub high: Option<Decimal>,
    pub low: Option<Decimal>,
    pub close: Decimal,
    pub adj_close: Option<Decimal>,
    pub volume: Option<i64>,
}

/// A bar after adjustment: f = adj_close / close scales open, high, low and close,
/// and divides volume (DESIGN §5). Analytics only, hence `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdjustedBar {
    pub date: NaiveDate,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

impl Bar {
    /// The adjustment factor; 1 where the source has no adjusted close.
    pub fn adjustment_factor(&self) -> Decimal {
        match self.adj_close {
            Some(adj) if !self.close.is_zero() => adj / self.close,
            _ => Decimal::ONE,
        }
    }

    /// The adjusted close as money (`Decimal`), for valuations.
    pub fn adjusted_close(&self) -> Decimal {
        // Normalized: a DECIMAL(24,12) column would otherwise print 717.550000000000.
        self.adj_close
            .map_or(self.close, super::exact_float::normalized)
    }

    pub fn adjusted(&self) -> AdjustedBar {
        let f = self.adjustment_factor();
        let scale = |v: Option<Decimal>| (v.unwrap_or(self.close) * f).to_f64().unwrap_or(0.0);
        let factor = f.to_f64().unwrap_or(1.0);
        let volume = self.volume.unwrap_or(0) as f64;
        AdjustedBar {
            date: self.date,
            open: scale(self.open),
            high: scale(self.high),
            low: scale(self.low),
            close: self.adjusted_close().to_f64().unwrap_or(0.0),
            volume: if factor > 0.0 {
                volume / factor
            } else {
                volume
            },
        }
    }
}

/// The highest high and lowest low (the close counts where it lies outside them) of a
/// stretch of bars, on the adjusted basis: the reward side of reward/risk (DESIGN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PriceRange {
    pub high: Decimal,
    pub low: Decimal,
}

impl PriceRange {
    /// `high − low`.
    pub fn width(&self) -> Decimal {
        self.high - self.low
    }

    /// To the four decimals prices are kept at.
    pub fn rounded(self) -> PriceRange {
        PriceRange {
            high: super::portfolio::to_price(self.high),
            low: super::portfolio::to_price(self.low),
        }
    }

    /// The same range on another basis: divided by `factor` (a bar's adjustment factor
    /// takes adjusted levels back to that day's traded prices).
    pub fn on_basis(&self, factor: Decimal) -> Option<PriceRange> {
        (!factor.is_zero()).then(|| PriceRange {
            high: self.high / factor,
            low: self.low / factor,
        })
    }
}

/// The adjusted range of the last `n` of `bars` (ascending); `None` without bars.
pub fn recent_range(bars: &[Bar], n: usize) -> Option<PriceRange> {
    let recent = &bars[bars.len().saturating_sub(n)..];
    recent.iter().fold(None, |range, b| {
        let (high, low) = (
            b.high.unwrap_or(b.close).max(b.close),
            b.low.unwrap_or(b.close).min(b.close),
        );
        // Without an adjusted close (or with a zero close) f is `Decimal::ONE`, and v × 1 is
        // v, value and scale (`Decimal` gives a zero product as scale-0 zero): the backtest's
        // bars come adjusted, and skipping the products halved the analysis' range.
        let times_one = |v: Decimal| if v.is_zero() { Decimal::ZERO } else { v };
        let (high, low) = if b.adj_close.is_none() || b.close.is_zero() {
            (times_one(high), times_one(low))
        } else {
            let f = b.adjustment_factor();
            (high * f, low * f)
        };
        Some(match range {
            None => PriceRange { high, low },
            Some(r) => PriceRange {
                high: r.high.max(high),
                low: r.low.min(low),
            },
        })
    })
}

/// How many of today's shares one share at `bars[0]` became: the product of the splits
/// between consecutive bars (ascending by date). A split shows as a jump of the adjustment
/// factor f = adj_close / close by a simple ratio (4:1 → ×4, 3:2 → ×1.5, 1:10 → ×0.1);
/// dividends move f by a few percent and are not splits. A jump of 20 % or more that is no
/// fraction p/q with q ≤ 10 (within 3 %) is taken as a dividend. Bars without an adjusted
/// close carry no adjustment and no split.
pub fn split_multiplier(bars: &[Bar]) -> Decimal {
    let mut multiplier = Decimal::ONE;
    for pair in bars.windows(2) {
        let (Some(_), Some(_)) = (pair[0].adj_close, pair[1].adj_close) else {
            continue;
        };
        let (before, after) = (pair[0].adjustment_factor(), pair[1].adjustment_factor());
        if before.is_zero() {
            continue;
        }
        let jump = (after / before).to_f64().unwrap_or(1.0);
        if (1.0 / 1.2..1.2).contains(&jump) {
            continue;
        }
        if let Some(split) = simple_ratio(jump) {
            multiplier *= split;
        }
    }
    multiplier
}

/// The fraction p/q (q ≤ 10) within 3 % of `x`, smallest q first.
fn simple_ratio(x: f64) -> Option<Decimal> {
    (1..=10i64).find_map(|q| {
        let p = (x * q as f64).round() as i64;
        let close = p >= 1 && ((p as f64 / q as f64) - x).abs() / x < 0.03;
        close.then(|| Decimal::from(p) / Decimal::from(q))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_price_limit_is_a_trillion() {
        assert_eq!(PRICE_LIMIT, Decimal::from(1_000_000_000_000i64));
    }
    use rust_decimal_macros::dec;

    #[test]
    fn four_for_one_split_is_undone() {
        // Before a 4:1 split the raw close is 400 and the adjusted close 100: f = 0.25.
        let bar = Bar {
            date: NaiveDate::from_ymd_opt(2020, 8, 28).unwrap(),
            open: Some(dec!(396)),
            high: Some(dec!(404)),
            low: Some(dec!(392)),
            close: dec!(400),
            adj_close: Some(dec!(100)),
            volume: Some(1_000),
        };
        let adj = bar.adjusted();
        assert_eq!(adj.open, 99.0);
        assert_eq!(adj.high, 101.0);
        assert_eq!(adj.low, 98.0);
        assert_eq!(adj.close, 100.0);
        // Volume / 0.25 = 4 000 post-split shares.
        assert_eq!(adj.volume, 4_000.0);
    }

    #[test]
    fn no_adjusted_close_means_factor_one() {
        let bar = Bar {
            date: NaiveDate::from_ymd_opt(2020, 8, 28).unwrap(),
            open: None,
            high: Some(dec!(11)),
            low: Some(dec!(9)),
            close: dec!(10),
            adj_close: None,
            volume: None,
        };
        assert_eq!(bar.adjustment_factor(), Decimal::ONE);
        let adj = bar.adjusted();
        assert_eq!(
            (adj.open, adj.high, adj.close, adj.volume),
            (10.0, 11.0, 10.0, 0.0)
        );
    }

    fn bar(day: u32, close: Decimal, adj: Decimal) -> Bar {
        Bar {
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            open: None,
            high: None,
            low: None,
            close,
            adj_close: Some(adj),
            volume: None,
        }
    }

    #[test]
    fn splits_are_found_in_the_factor_jumps_and_dividends_are_not() {
        // 4:1 on day 3 (raw 400 → 100, adjusted 100 throughout), a 2 % dividend on day 5
        // (f 0.98 → 1), then a 3:2 split on day 7.
        let bars = [
            bar(2, dec!(400), dec!(98)),
            bar(3, dec!(100), dec!(98)),
            bar(5, dec!(100), dec!(100)),
            bar(7, dec!(66.67), dec!(100)),
        ];
        assert_eq!(split_multiplier(&bars), dec!(6));
        assert_eq!(split_multiplier(&bars[2..]), dec!(1.5));
        assert_eq!(split_multiplier(&bars[1..3]), dec!(1));
        // A 1:10 reverse split: raw 1 → 10.
        let reverse = [bar(2, dec!(1), dec!(10)), bar(3, dec!(10), dec!(10))];
        assert_eq!(split_multiplier(&reverse), dec!(0.1));
        assert_eq!(split_multiplier(&[]), dec!(1));
    }

    #[test]
    fn the_recent_range_is_adjusted_and_counts_only_the_last_bars() {
        // Day 2 (f 0.25): high 404 → 101, low 392 → 98; day 3 (f 1): high 103, low 99;
        // the close of day 4 (110) lies above its high (105) and counts.
        let mut a = bar(2, dec!(400), dec!(100));
        (a.high, a.low) = (Some(dec!(404)), Some(dec!(392)));
        let mut b = bar(3, dec!(100), dec!(100));
        (b.high, b.low) = (Some(dec!(103)), Some(dec!(99)));
        let mut c = bar(4, dec!(110), dec!(110));
        (c.high, c.low) = (Some(dec!(105)), Some(dec!(104)));
        let bars = [a, b, c];
        let all = recent_range(&bars, 60).unwrap();
        assert_eq!(
            (all.high, all.low, all.width()),
            (dec!(110), dec!(98), dec!(12))
        );
        let last_two = recent_range(&bars, 2).unwrap();
        assert_eq!((last_two.high, last_two.low), (dec!(110), dec!(99)));
        assert_eq!(recent_range(&[], 60), None);
        // Back to day 2's traded basis (f 0.25): 110 / 0.25 = 440, 98 / 0.25 = 392.
        let traded = all.on_basis(dec!(0.25)).unwrap();
        assert_eq!((traded.high, traded.low), (dec!(440), dec!(392)));
    }
}

#[cfg(test)]
mod range_tests {
    use super::*;
    use proptest::prelude::*;

    /// The range as it was computed: every value times its factor, even a factor of one.
    fn with_every_product(bars: &[Bar], n: usize) -> Option<PriceRange> {
        let recent = &bars[bars.len().saturating_sub(n)..];
        recent.iter().fold(None, |range, b| {
            let f = b.adjustment_factor();
            let high = b.high.unwrap_or(b.close).max(b.close) * f;
            let low = b.low.unwrap_or(b.close).min(b.close) * f;
            Some(match range {
                None => PriceRange { high, low },
                Some(r) => PriceRange {
                    high: r.high.max(high),
                    low: r.low.min(low),
                },
            })
        })
    }

    /// Prices of every size and scale, zeros of several scales among them.
    fn price() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            small(),
            (0i64..i64::MAX, 0u32..29).prop_map(|(m, s)| Decimal::new(m, s)),
        ]
    }

    /// Prices whose products with a factor of two of them cannot overflow `Decimal`.
    fn small() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (-2_000_000i64..2_000_000, 0u32..7).prop_map(|(m, s)| Decimal::new(m, s)),
            Just(Decimal::ZERO),
            Just(Decimal::new(0, 4)),
            Just(-Decimal::new(0, 2)),
        ]
    }

    /// (high, low, close, adj_close): any prices without an adjusted close, small ones with.
    fn raw_bar(
    ) -> impl Strategy<Value = (Option<Decimal>, Option<Decimal>, Decimal, Option<Decimal>)> {
        prop_oneof![
            (
                proptest::option::of(price()),
                proptest::option::of(price()),
                price(),
                Just(None)
            ),
            (
                proptest::option::of(small()),
                proptest::option::of(small()),
                small(),
                small().prop_map(Some),
            ),
        ]
    }

    proptest! {
        /// Value and scale (`serialize`) as before, zeros of any scale included.
        #[test]
        fn skipping_the_factor_of_one_changes_no_digit(
            raw in proptest::collection::vec(raw_bar(), 1..70),
            n in 1usize..70,
        ) {
            let bars: Vec<Bar> = raw
                .into_iter()
                .enumerate()
                .map(|(i, (high, low, close, adj_close))| Bar {
                    date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i as i64),
                    open: None,
                    high,
                    low,
                    close,
                    adj_close,
                    volume: None,
                })
                .collect();
            let (got, want) = (recent_range(&bars, n).unwrap(), with_every_product(&bars, n).unwrap());
            prop_assert_eq!(
                (got.high.serialize(), got.low.serialize()),
                (want.high.serialize(), want.low.serialize())
            );
        }
    }
}
