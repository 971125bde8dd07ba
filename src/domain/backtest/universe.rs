//! The data a backtest runs over, prepared once and shared by every strategy and sweep
//! point: each symbol's adjusted bars, its indicators on the days a strategy can decide on,
//! and for each trading day the index of its last bar on or before that day.
//!
//! Indicators are computed once per symbol over the whole range and kept on the decision
//! days ([`DaySlots`]); another day's are computed again from the closes. They are causal
//! (an SMA, EMA, RSI or ATR at bar i reads bars ≤ i only), and the engine never hands the
//! analyzer a bar after the decision day, so precomputing them leaks nothing.

use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;

use super::builder::PreparedBuilder;
use super::columns::{DaySlots, DecimalColumn, IndicatorColumns};
use crate::domain::bar::{Bar, PriceRange};
use crate::domain::indicators::{for_each_signal_row, IndicatorRow};
use crate::domain::symbol::Symbol;

/// Why a backtest cannot run, in words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BacktestError {
    #[error("no {benchmark} prices between {from} and {to}: fetch or import {benchmark} prices, or choose another --benchmark")]
    NoBenchmarkData {
        benchmark: Symbol,
        from: NaiveDate,
        to: NaiveDate,
    },
    #[error("only {days} trading day(s) of {benchmark} between {from} and {to}: a backtest needs at least 2; widen --from/--to")]
    TooFewDays {
        benchmark: Symbol,
        days: usize,
        from: NaiveDate,
        to: NaiveDate,
    },
    #[error("cancelled")]
    Cancelled,
}

/// One symbol, prepared: adjusted once, in columns (see `columns`).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub symbol: Symbol,
    /// The bars' dates and adjusted closes as `f64`, for the pre-screen.
    pub dates: Vec<NaiveDate>,
    pub closes: Vec<f64>,
    /// Adjusted open, high, low (multiplied by adj_close / close and rounded like a price)
    /// and close (the adjusted close) as money: fills and valuations read these.
    pub(super) open: DecimalColumn,
    pub(super) high: DecimalColumn,
    pub(super) low: DecimalColumn,
    pub(super) close: DecimalColumn,
    /// On the days of `slots`, at each one's last bar.
    pub(super) indicators: IndicatorColumns,
    pub(super) slots: Arc<DaySlots>,
    /// Where the indicators' close differs from `closes` (see `PreparedBuilder::push`).
    pub(super) indicator_closes: Vec<(usize, f64)>,
    /// Per trading day of the universe: the last bar on or before it (`u32::MAX`: none).
    pub(super) at_day: Vec<u32>,
}

/// Every symbol of a backtest plus the benchmark over the trading days.
#[derive(Debug, Clone)]
pub struct Universe {
    /// The benchmark's bars between `from` and `to`.
    pub days: Vec<NaiveDate>,
    pub benchmark: Prepared,
    pub symbols: Vec<Prepared>,
}

impl Prepared {
    /// Indicators from the adjusted closes (as the store computes them), kept with the
    /// adjusted bars. Bars after `to` are dropped: they are never needed.
    /// The indicators are kept on every trading day.
    pub fn new(symbol: Symbol, bars: Vec<Bar>, to: NaiveDate, days: &[NaiveDate]) -> Self {
        let slots = Arc::new(DaySlots::every(days.len()));
        Self::from_builder(PreparedBuilder::new(symbol, to), bars, days, &slots)
    }

    /// [`Prepared::new`] for the benchmark (it keeps the SMA 200).
    pub fn benchmark(symbol: Symbol, bars: Vec<Bar>, to: NaiveDate, days: &[NaiveDate]) -> Self {
        let slots = Arc::new(DaySlots::every(days.len()));
        Self::from_builder(
            PreparedBuilder::new(symbol, to).benchmark(),
            bars,
            days,
            &slots,
        )
    }

    fn from_builder(
        mut builder: PreparedBuilder,
        bars: Vec<Bar>,
        days: &[NaiveDate],
        slots: &Arc<DaySlots>,
    ) -> Self {
        builder.reserve(bars.len());
        for bar in &bars {
            builder.push(bar);
        }
        builder.finish(days, slots)
    }

    /// Bars kept.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// The last bar on or before trading day `i`.
    pub fn at(&self, i: usize) -> Option<usize> {
        let k = self.at_day[i];
        (k != u32::MAX).then_some(k as usize)
    }

    /// Bar `k`, adjusted: `adj_close` cleared, so the analyzer's own adjustment is the
    /// identity. Volume is not kept (the indicators were computed with it).
    pub fn bar(&self, k: usize) -> Bar {
        Bar {
            date: self.dates[k],
            open: self.open.get(k),
            high: self.high.get(k),
            low: self.low.get(k),
            close: self.close(k),
            adj_close: None,
            volume: None,
        }
    }

    /// The adjusted close of bar `k`, as money.
    pub fn close(&self, k: usize) -> Decimal {
        self.close.get(k).unwrap_or_default()
    }

    /// Whether trading day `i`'s indicators are kept (else `indicators_on` computes them).
    pub fn keeps_indicators_on(&self, i: usize) -> bool {
        self.slots.slot(i).is_some()
    }

    /// The indicators at trading day `i`'s last bar (all `None` without one).
    pub fn indicators_on(&self, i: usize) -> IndicatorRow {
        match (self.slots.slot(i), self.at(i)) {
            (_, None) => IndicatorRow::default(),
            (Some(s), Some(_)) => self.indicators.row(s),
            (None, Some(k)) => self.indicators_at_bar(k),
        }
    }

    /// The indicators kept at bar `k`, computed again from the closes (for a day that does
    /// not keep them: the same computation, so the same values).
    pub fn indicators_at_bar(&self, k: usize) -> IndicatorRow {
        let mut c = self.closes[..=k].to_vec();
        for &(j, close) in self.indicator_closes.iter().filter(|(j, _)| *j <= k) {
            c[j] = close;
        }
        let mut last = IndicatorRow::default();
        for_each_signal_row(&c, |_, row| last = row);
        let long_sma = self.indicators.keeps_long_sma();
        IndicatorRow {
            sma_20: last.sma_20,
            sma_50: last.sma_50,
            sma_200: last.sma_200.filter(|_| long_sma),
            macd_hist: last.macd_hist,
            rsi_14: last.rsi_14,
            ..IndicatorRow::default()
        }
    }

    /// The fill price of trading day `i` (its open, else its close), only if a bar is dated
    /// that day.
    pub fn fill_price_on(&self, i: usize, day: NaiveDate) -> Option<Decimal> {
        let k = self.at(i).filter(|&k| self.dates[k] == day)?;
        Some(self.open.get(k).unwrap_or_else(|| self.close(k)))
    }

    /// The last close on or before trading day `i`.
    pub fn close_at(&self, i: usize) -> Option<Decimal> {
        self.at(i).map(|k| self.close(k))
    }

    /// `bar::recent_range` of the `n` bars ending at `k`, on these already adjusted bars
    /// (factor 1, so the products are the values themselves).
    pub fn recent_range(&self, k: usize, n: usize) -> PriceRange {
        let from = (k + 1).saturating_sub(n);
        self.range_in_integers(from, k, DecimalColumn::at_scale_8)
            .or_else(|| self.range_in_integers(from, k, DecimalColumn::at_scale_12))
            .unwrap_or_else(|| self.range_in_decimals(from, k))
    }

    /// The range as `range_in_decimals` finds it — each bar's high (its close if higher),
    /// the first of equal ones kept, likewise for the low — compared as integers at scale
    /// 8 in 64 bits (`at_scale_8`, most prices) or at 12 in 128 (`at_scale_12`); only the two
    /// winners become `Decimal`s. `None` for a value it cannot compare so.
    fn range_in_integers<T: Copy + Ord + Default>(
        &self,
        from: usize,
        k: usize,
        at: impl Fn(&DecimalColumn, usize) -> Result<Option<T>, ()>,
    ) -> Option<PriceRange> {
        // (value, bar, from the close) of the highest high and the lowest low so far.
        let mut high: Option<(T, usize, bool)> = None;
        let mut low: Option<(T, usize, bool)> = None;
        for j in from..=k {
            let close = at(&self.close, j).ok()?.unwrap_or_default();
            let h = match at(&self.high, j).ok()? {
                Some(h) if h >= close => (h, j, false),
                _ => (close, j, true),
            };
            let l = match at(&self.low, j).ok()? {
                Some(l) if l <= close => (l, j, false),
                _ => (close, j, true),
            };
            if high.is_none_or(|best| best.0 < h.0) {
                high = Some(h);
            }
            if low.is_none_or(|best| best.0 > l.0) {
                low = Some(l);
            }
        }
        let value = |column: &DecimalColumn, (_, j, from_close): (T, usize, bool)| {
            if from_close {
                self.close(j)
            } else {
                column.get(j).unwrap_or_else(|| self.close(j))
            }
        };
        Some(match (high, low) {
            (Some(h), Some(l)) => PriceRange {
                high: value(&self.high, h),
                low: value(&self.low, l),
            },
            _ => PriceRange {
                high: Decimal::ZERO,
                low: Decimal::ZERO,
            },
        })
    }

    pub(super) fn range_in_decimals(&self, from: usize, k: usize) -> PriceRange {
        let mut range: Option<PriceRange> = None;
        for j in from..=k {
            let close = self.close(j);
            let high = self.high.get(j).unwrap_or(close).max(close);
            let low = self.low.get(j).unwrap_or(close).min(close);
            range = Some(match range {
                None => PriceRange { high, low },
                Some(r) => PriceRange {
                    high: r.high.max(high),
                    low: r.low.min(low),
                },
            });
        }
        range.unwrap_or(PriceRange {
            high: Decimal::ZERO,
            low: Decimal::ZERO,
        })
    }

    /// Whether the indicators the signal strength reads (RSI, MACD histogram, SMA20/50)
    /// exist at trading day `i`: a symbol enters the universe only then.
    pub fn warmed_up(&self, i: usize) -> bool {
        let row = self.indicators_on(i);
        row.sma_50.is_some() && row.macd_hist.is_some() && row.rsi_14.is_some()
    }
}

impl Universe {
    /// Trading days are the benchmark's bars in `from..=to`. Each symbol keeps its history
    /// before `from` for its indicators.
    pub fn new(
        benchmark: Symbol,
        benchmark_bars: Vec<Bar>,
        symbols: Vec<(Symbol, Vec<Bar>)>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Self, BacktestError> {
        let days = Self::trading_days(&benchmark, &benchmark_bars, from, to)?;
        let slots = Arc::new(DaySlots::every(days.len()));
        let builder = PreparedBuilder::new(benchmark, to).benchmark();
        let benchmark = Prepared::from_builder(builder, benchmark_bars, &days, &slots);
        let symbols = symbols
            .into_par_iter()
            .filter(|(s, _)| *s != benchmark.symbol)
            .map(|(s, bars)| {
                Prepared::from_builder(PreparedBuilder::new(s, to), bars, &days, &slots)
            })
            .collect();
        Ok(Self::assemble(days, benchmark, symbols))
    }

    /// The benchmark's bar dates in `from..=to`; at least two of them.
    pub fn trading_days(
        benchmark: &Symbol,
        benchmark_bars: &[Bar],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<NaiveDate>, BacktestError> {
        let dates: Vec<NaiveDate> = benchmark_bars.iter().map(|b| b.date).collect();
        Self::trading_days_of(benchmark, &dates, from, to)
    }

    /// [`Universe::trading_days`] from the benchmark's bar dates, in any order.
    pub fn trading_days_of(
        benchmark: &Symbol,
        dates: &[NaiveDate],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<NaiveDate>, BacktestError> {
        let mut days: Vec<NaiveDate> = dates
            .iter()
            .copied()
            .filter(|d| (from..=to).contains(d))
            .collect();
        days.sort_unstable();
        match days.len() {
            0 => Err(BacktestError::NoBenchmarkData {
                benchmark: benchmark.clone(),
                from,
                to,
            }),
            1 => Err(BacktestError::TooFewDays {
                benchmark: benchmark.clone(),
                days: 1,
                from,
                to,
            }),
            _ => Ok(days),
        }
    }

    /// A universe from symbols prepared by the caller (each with `Prepared::new` over
    /// `days`), in the order given; the benchmark among them is left out.
    pub fn assemble(days: Vec<NaiveDate>, benchmark: Prepared, mut symbols: Vec<Prepared>) -> Self {
        symbols.retain(|p| p.symbol != benchmark.symbol);
        Universe {
            days,
            benchmark,
            symbols,
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.days[0]
    }

    pub fn to(&self) -> NaiveDate {
        self.days[self.days.len() - 1]
    }
}
