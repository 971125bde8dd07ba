//! What the analyzer reads from one symbol's bars up to the as-of date.
//!
//! Everything is computed on adjusted prices. Windows count bars (trading days): the
//! 60-day high is the highest adjusted high of the last 60 bars, the 52-week high that of
//! the last 252; the 1-day and 5-day changes compare the close with the close 1 and 5
//! bars earlier. Only the lookback return counts calendar days (DESIGN §5).

use chrono::{Duration, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::{AnalysisRules, SymbolSeries};
use crate::domain::bar::{recent_range, AdjustedBar, Bar, PriceRange};
use crate::domain::exact_float;
use crate::domain::indicators::{compute_all, IndicatorRow};
use crate::domain::returns::{base_index, lookback_return_pct};
use crate::domain::risk::{entry_risk, EntryRisk, YEAR_BARS};
use crate::domain::signal::{signal_strength, SignalInputs, Strength};

/// Bars in the window of the target exit's range.
pub const TARGET_HIGH_BARS: usize = 60;

/// Calendar days of history the analysis reads, for the market symbols (benchmark and
/// market direction: the 52-week high and the correction SMA) and for every other symbol (the
/// technical-stop SMA, the 60-day high, the volatility window and the lookback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryDays {
    pub market: i64,
    pub other: i64,
}

/// 1.5 calendar days a session covers weekends (1.4) and holidays with room to spare; 20
/// more days cover a stale last bar.
pub fn history_days(rules: &AnalysisRules) -> HistoryDays {
    let other = [
        rules.stops.technical_sma,
        TARGET_HIGH_BARS,
        rules.risk.volatility_window + 1,
        6,
    ]
    .into_iter()
    .max()
    .unwrap_or(TARGET_HIGH_BARS);
    let market = other.max(rules.margin.correction_sma).max(YEAR_BARS);
    let days = |sessions: usize| (sessions as i64) * 3 / 2 + 20;
    let lookback = i64::from(rules.general.lookback_days) + 20;
    HistoryDays {
        market: days(market).max(lookback),
        other: days(other).max(lookback),
    }
}

/// A lookback return and the two dates it spans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Lookback {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub return_pct: f64,
}

/// One symbol at the as-of date. The short windows (lookback, volatility, 1- and 5-day
/// changes) are computed up front; the long ones (SMAs of closes, 60-day and 52-week highs)
/// on demand, since only some symbols need them.
#[derive(Debug, Clone)]
pub(super) struct Facts<'a> {
    /// The bars up to and including the as-of date.
    bars: &'a [Bar],
    /// Date of the last bar on or before the as-of date.
    pub date: NaiveDate,
    /// Adjusted close, as money.
    pub price: Decimal,
    /// The bar's close as traded that day (raw, before any later adjustment).
    pub bar_close: Decimal,
    pub close: f64,
    pub row: IndicatorRow,
    pub lookback: Option<Lookback>,
    pub strength: Strength,
    pub risk: EntryRisk,
    pub change_1d_pct: Option<f64>,
    pub change_5d_pct: Option<f64>,
    /// The series' own 60-bar range when it is for this date (`SymbolSeries::range_60d`).
    known_range: Option<PriceRange>,
}

impl SymbolSeries {
    /// A series with its indicators computed from the adjusted bars (ascending dates), as
    /// `store::indicators` computes them.
    pub fn new(bars: Vec<Bar>) -> Self {
        let adjusted: Vec<_> = bars.iter().map(Bar::adjusted).collect();
        let column = |f: fn(&AdjustedBar) -> f64| adjusted.iter().map(f).collect::<Vec<f64>>();
        let indicators = compute_all(
            &column(|b| b.high),
            &column(|b| b.low),
            &column(|b| b.close),
            &column(|b| b.volume),
        );
        SymbolSeries {
            bars,
            indicators,
            range_60d: None,
        }
    }

    /// The indicators of bar `i`; `None` when they were not loaded or computed for it.
    pub fn indicators_at(&self, i: usize) -> Option<&IndicatorRow> {
        let without = self.bars.len().checked_sub(self.indicators.len())?;
        self.indicators.get(i.checked_sub(without)?)
    }

    /// Index of the last bar on or before `date`.
    pub fn index_on_or_before(&self, date: NaiveDate) -> Option<usize> {
        self.bars.partition_point(|b| b.date <= date).checked_sub(1)
    }

    /// The adjusted close of the last bar on or before `date`.
    pub fn close_on_or_before(&self, date: NaiveDate) -> Option<f64> {
        let bar = &self.bars[self.index_on_or_before(date)?];
        Some(exact_float::to_f64(bar.adjusted_close()))
    }

    /// The return in percent from the close on or before `from` to the close on or before
    /// `to`: how a benchmark is measured over a holding's two dates.
    pub fn return_between_pct(&self, from: NaiveDate, to: NaiveDate) -> Option<f64> {
        let base = self.close_on_or_before(from).filter(|b| *b > 0.0)?;
        let end = self.close_on_or_before(to)?;
        Some((end / base - 1.0) * 100.0)
    }
}

fn change_pct(closes: &[f64], bars_back: usize) -> Option<f64> {
    let last = closes.len().checked_sub(1)?;
    let base = closes[last.checked_sub(bars_back)?];
    (base > 0.0).then(|| (closes[last] / base - 1.0) * 100.0)
}

fn adjusted_close(bar: &Bar) -> f64 {
    exact_float::to_f64(bar.adjusted_close())
}

/// The facts of `series` at `as_of`; `None` when it has no bar on or before that date.
pub(super) fn facts<'a>(
    series: &'a SymbolSeries,
    as_of: NaiveDate,
    rules: &AnalysisRules,
) -> Option<Facts<'a>> {
    let last = series.index_on_or_before(as_of)?;
    let bars = &series.bars[..=last];
    let day = bars[last].date;
    // Only a short tail is converted to f64: the lookback base onwards, and enough bars
    // for the volatility window and the 5-day change.
    let cutoff = day - Duration::days(i64::from(rules.general.lookback_days));
    let base = bars.partition_point(|b| b.date <= cutoff).saturating_sub(1);
    let window = (rules.risk.volatility_window + 1).max(6);
    let tail = &bars[bars.len().saturating_sub(window).min(base)..];
    let dates: Vec<NaiveDate> = tail.iter().map(|b| b.date).collect();
    let closes: Vec<f64> = tail.iter().map(adjusted_close).collect();
    let end = tail.len() - 1;
    let days = rules.general.lookback_days;
    let lookback = lookback_return_pct(&dates, &closes, end, days)
        .zip(base_index(&dates, end, days))
        .map(|(return_pct, from)| Lookback {
            from: dates[from],
            to: day,
            return_pct,
        });
    let row = series.indicators_at(last).copied().unwrap_or_default();
    let inputs = SignalInputs::from_row(&row, lookback.map(|l| l.return_pct));
    Some(Facts {
        bars,
        date: day,
        price: bars[last].adjusted_close(),
        // Shown like the adjusted close used to be: normalised when the source adjusts.
        bar_close: match bars[last].adj_close {
            Some(_) => bars[last].close.normalize(),
            None => bars[last].close,
        },
        close: closes[end],
        row,
        lookback,
        strength: signal_strength(&inputs, &rules.signal),
        risk: entry_risk(row.rsi_14, &closes, &rules.risk),
        change_1d_pct: change_pct(&closes, 1),
        change_5d_pct: change_pct(&closes, 5),
        known_range: series.range_60d.filter(|(d, _)| *d == day).map(|(_, r)| r),
    })
}

impl Facts<'_> {
    /// The mean of the last `n` adjusted closes; `None` with fewer bars.
    pub fn sma(&self, n: usize) -> Option<f64> {
        let start = self.bars.len().checked_sub(n).filter(|_| n > 0)?;
        let sum: f64 = self.bars[start..].iter().map(adjusted_close).sum();
        Some(sum / n as f64)
    }

    /// The adjusted range of the last 60 bars, to the price's four decimals: the reward of
    /// the target exit (a measured move, see `sizer::ExitPlan`).
    pub fn range_60d(&self) -> Option<PriceRange> {
        self.known_range
            .or_else(|| recent_range(self.bars, TARGET_HIGH_BARS).map(PriceRange::rounded))
    }

    /// The highest adjusted high (or close, if higher) of the last 252 bars. The maximum is
    /// taken in `Decimal` and converted once, which keeps the order of the values (to the
    /// last bit of a 28-digit product) at a fraction of the cost of 1 000 conversions.
    pub fn high_52w(&self) -> f64 {
        let year = &self.bars[self.bars.len().saturating_sub(YEAR_BARS)..];
        // Without an adjusted close the factor is 1, and v × 1 is v, value and scale (a zero
        // product is a scale-0 zero, which converts to the same 0.0): the backtest's bars come
        // adjusted, and the benchmark's year of products was 1 % of its CPU.
        let high = |b: &Bar| match b.adj_close {
            None => b.high.unwrap_or(b.close),
            Some(_) => b.high.unwrap_or(b.close) * b.adjustment_factor(),
        };
        year.iter()
            .map(|b| high(b).max(b.adjusted_close()))
            .max()
            .and_then(|high| high.to_f64())
            .map_or(0.0, |high| high.max(0.0))
    }

    /// The benchmark's return over this symbol's own lookback dates, and the alpha in
    /// percentage points against it.
    pub fn versus(&self, benchmark: Option<&SymbolSeries>) -> (Option<f64>, Option<f64>) {
        let Some(lookback) = self.lookback else {
            return (None, None);
        };
        let bench = benchmark.and_then(|b| b.return_between_pct(lookback.from, lookback.to));
        (bench, bench.map(|b| lookback.return_pct - b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analyzer::fixtures::{daily, date, rules};
    use rust_decimal_macros::dec;

    #[test]
    fn a_known_range_is_used_for_its_own_date_only() {
        // Closes 1..=400 one a day to 2026-03-31: the last 60 bars close 341..=400.
        let closes: Vec<f64> = (1..=400).map(f64::from).collect();
        let mut series = daily(date(2026, 3, 31), &closes);
        let computed = facts(&series, date(2026, 3, 31), &rules())
            .unwrap()
            .range_60d();
        let range = |high, low| Some(PriceRange { high, low });
        assert_eq!(computed, range(dec!(400), dec!(341)));
        // A range the caller knows for 03-31 (made up, to tell it from the computed one).
        series.range_60d = Some((
            date(2026, 3, 31),
            PriceRange {
                high: dec!(999),
                low: dec!(1),
            },
        ));
        let known = facts(&series, date(2026, 3, 31), &rules())
            .unwrap()
            .range_60d();
        assert_eq!(known, range(dec!(999), dec!(1)));
        // At 03-30 the bars end a day earlier: computed again, 340..=399.
        let earlier = facts(&series, date(2026, 3, 30), &rules())
            .unwrap()
            .range_60d();
        assert_eq!(earlier, range(dec!(399), dec!(340)));
    }

    #[test]
    fn lookback_matches_returns_rs_on_a_long_series() {
        // 400 daily bars rising by 1 a day, ending 2026-03-31 at close 400.
        let closes: Vec<f64> = (1..=400).map(f64::from).collect();
        let series = daily(date(2026, 3, 31), &closes);
        let f = facts(&series, date(2026, 3, 31), &rules()).unwrap();
        // Base 30 days earlier (03-01) closes at 370: 400 / 370 − 1 = 8.108 %.
        let l = f.lookback.unwrap();
        assert_eq!((l.from, l.to), (date(2026, 3, 1), date(2026, 3, 31)));
        assert!((l.return_pct - (400.0 / 370.0 - 1.0) * 100.0).abs() < 1e-9);
        // 1-day 400/399, 5-day 400/395; 52-week high = last close 400; 60-day high 400.
        assert!((f.change_1d_pct.unwrap() - (400.0 / 399.0 - 1.0) * 100.0).abs() < 1e-9);
        assert!((f.change_5d_pct.unwrap() - (400.0 / 395.0 - 1.0) * 100.0).abs() < 1e-9);
        assert_eq!(
            (f.high_52w(), f.range_60d().map(|r| r.high)),
            (400.0, Some(Decimal::from(400)))
        );
        // SMA50 of 351..=400 = 375.5; SMA200 of 201..=400 = 300.5; 401 bars do not exist.
        assert_eq!(
            (f.sma(50), f.sma(200), f.sma(401)),
            (Some(375.5), Some(300.5), None)
        );
        assert_eq!(f.row.sma_50, Some(375.5));
    }

    #[test]
    fn bars_after_the_as_of_date_are_ignored() {
        let series = daily(date(2026, 3, 31), &[10.0, 11.0, 12.0]);
        let f = facts(&series, date(2026, 3, 30), &rules()).unwrap();
        assert_eq!((f.date, f.price), (date(2026, 3, 30), Decimal::from(11)));
        assert!(facts(&series, date(2026, 3, 28), &rules()).is_none());
    }

    #[test]
    fn benchmark_return_uses_the_same_two_dates() {
        // SPY: one bar a day 03-01..03-31, close 100 + day. A holding's lookback runs
        // 02-27 → 03-20: SPY's close on or before 02-27 does not exist → no return.
        let spy: Vec<f64> = (1..=31).map(|d| 100.0 + f64::from(d)).collect();
        let spy = daily(date(2026, 3, 31), &spy);
        assert_eq!(
            spy.return_between_pct(date(2026, 2, 27), date(2026, 3, 20)),
            None
        );
        // 03-05 → 03-20: 120 / 105 − 1 = 14.29 %, not SPY's own latest close 131.
        let r = spy
            .return_between_pct(date(2026, 3, 5), date(2026, 3, 20))
            .unwrap();
        assert!((r - (120.0 / 105.0 - 1.0) * 100.0).abs() < 1e-9);
    }

    #[test]
    fn history_days_cover_every_window_the_rules_use() {
        let r = crate::domain::analyzer::fixtures::rules();
        // Others: max(technical SMA 50, 60-day high, volatility 20 + 1, 6) = 60 sessions
        // → 60 × 3 / 2 + 20 = 110 days (≥ lookback 30 + 20).
        // Market: max(60, correction SMA 200, 52 weeks = 252) = 252 → 252 × 3 / 2 + 20 = 398.
        assert_eq!(
            history_days(&r),
            HistoryDays {
                market: 398,
                other: 110
            }
        );
        let mut wide = r.clone();
        wide.stops.technical_sma = 200;
        wide.general.lookback_days = 365;
        // 200 sessions → 320 days, but the lookback needs 365 + 20 = 385.
        assert_eq!(history_days(&wide).other, 385);
    }
}
