//! The data a backtest runs over, prepared once and shared by every strategy and sweep
//! point: each symbol's adjusted bars, its indicators over its whole history, and for each
//! trading day the index of its last bar on or before that day.
//!
//! Indicators are computed once per symbol over the whole range. They are causal (an SMA,
//! EMA, RSI or ATR at bar i reads bars ≤ i only), and the engine never hands the analyzer a
//! bar after the decision day, so precomputing them leaks nothing.

use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::domain::analyzer::SymbolSeries;
use crate::domain::bar::Bar;
use crate::domain::indicators::IndicatorRow;
use crate::domain::portfolio::to_price;
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

/// One symbol, prepared.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub symbol: Symbol,
    /// Adjusted bars: open, high, low and close already multiplied by adj_close / close,
    /// with `adj_close` cleared, so the analyzer's own adjustment is the identity.
    pub bars: Vec<Bar>,
    pub indicators: Vec<IndicatorRow>,
    /// The bars' dates and adjusted closes as `f64`, converted once for the pre-screen.
    pub dates: Vec<NaiveDate>,
    pub closes: Vec<f64>,
    /// Per trading day of the universe: the last bar on or before it.
    pub at_day: Vec<Option<usize>>,
}

/// Every symbol of a backtest plus the benchmark over the trading days.
#[derive(Debug, Clone)]
pub struct Universe {
    /// The benchmark's bars between `from` and `to`.
    pub days: Vec<NaiveDate>,
    pub benchmark: Prepared,
    pub symbols: Vec<Prepared>,
}

/// Scales open/high/low/close by f = adj_close / close (DESIGN §5); volume stays raw since
/// the indicators were already computed from the raw bar.
fn adjust(bar: &Bar) -> Bar {
    let f = bar.adjustment_factor();
    if f == Decimal::ONE {
        return Bar {
            adj_close: None,
            ..bar.clone()
        };
    }
    let scale = |v: Option<Decimal>| v.map(|v| to_price(v * f));
    Bar {
        date: bar.date,
        open: scale(bar.open),
        high: scale(bar.high),
        low: scale(bar.low),
        close: bar.adjusted_close(),
        adj_close: None,
        volume: bar.volume,
    }
}

impl Prepared {
    /// Indicators from the raw bars (as the store computes them), then the adjusted bars.
    /// Bars after `to` are dropped: they are never needed.
    pub fn new(symbol: Symbol, mut bars: Vec<Bar>, to: NaiveDate, days: &[NaiveDate]) -> Self {
        bars.retain(|b| b.date <= to);
        let series = SymbolSeries::new(bars);
        let bars: Vec<Bar> = series.bars.iter().map(adjust).collect();
        let mut at_day = Vec::with_capacity(days.len());
        let mut next = 0;
        for day in days {
            while next < bars.len() && bars[next].date <= *day {
                next += 1;
            }
            at_day.push(next.checked_sub(1));
        }
        Prepared {
            symbol,
            dates: bars.iter().map(|b| b.date).collect(),
            closes: bars
                .iter()
                .map(|b| b.close.to_f64().unwrap_or(0.0))
                .collect(),
            bars,
            indicators: series.indicators,
            at_day,
        }
    }

    /// The bar of trading day `i`, only if it is dated that day.
    pub fn bar_on(&self, i: usize, day: NaiveDate) -> Option<&Bar> {
        self.at_day[i]
            .map(|k| &self.bars[k])
            .filter(|b| b.date == day)
    }

    /// The last close on or before trading day `i`.
    pub fn close_at(&self, i: usize) -> Option<Decimal> {
        self.at_day[i].map(|k| self.bars[k].close)
    }

    /// Whether the indicators the signal strength reads (RSI, MACD histogram, SMA20/50)
    /// exist at trading day `i`: a symbol enters the universe only then.
    pub fn warmed_up(&self, i: usize) -> bool {
        self.at_day[i].is_some_and(|k| {
            let row = &self.indicators[k];
            row.sma_50.is_some() && row.macd_hist.is_some() && row.rsi_14.is_some()
        })
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
        let days: Vec<NaiveDate> = benchmark_bars
            .iter()
            .map(|b| b.date)
            .filter(|d| (from..=to).contains(d))
            .collect();
        match days.len() {
            0 => {
                return Err(BacktestError::NoBenchmarkData {
                    benchmark,
                    from,
                    to,
                })
            }
            1 => {
                return Err(BacktestError::TooFewDays {
                    benchmark,
                    days: 1,
                    from,
                    to,
                })
            }
            _ => {}
        }
        let benchmark = Prepared::new(benchmark, benchmark_bars, to, &days);
        let symbols = symbols
            .into_par_iter()
            .filter(|(s, _)| *s != benchmark.symbol)
            .map(|(s, bars)| Prepared::new(s, bars, to, &days))
            .collect();
        Ok(Universe {
            days,
            benchmark,
            symbols,
        })
    }

    pub fn from(&self) -> NaiveDate {
        self.days[0]
    }

    pub fn to(&self) -> NaiveDate {
        self.days[self.days.len() - 1]
    }
}
