//! The analyzer's view of the market on a decision day, kept up to date incrementally.
//!
//! The analyzer reads only the tail of each series: the lookback base (L calendar days),
//! the volatility window, the 60-bar high, the technical stop's SMA of closes; for the
//! benchmark also the 52-week high and the correction SMA. So each symbol's series holds
//! just those bars, ending at the decision day: bars are appended as days pass and the
//! front is dropped once the series is twice as long as needed, so a bar is copied about
//! twice over a whole run, never once per rebalance. Bars after the decision day are never
//! in the snapshot.

use chrono::NaiveDate;

use super::universe::{Prepared, Universe};
use crate::domain::analyzer::{AnalysisRules, MarketSnapshot, SymbolSeries, TARGET_HIGH_BARS};
use crate::domain::risk::YEAR_BARS;

/// Bars each symbol needs at the decision day.
fn keep(rules: &AnalysisRules, benchmark: bool) -> usize {
    let calendar = rules.general.lookback_days as usize + 1;
    let short = TARGET_HIGH_BARS
        .max(rules.stops.technical_sma)
        .max(rules.risk.volatility_window + 1)
        .max(calendar)
        .max(6);
    if benchmark {
        short.max(YEAR_BARS).max(rules.margin.correction_sma)
    } else {
        short
    }
}

struct Cursor {
    /// The next bar of the source not yet in the snapshot.
    next: usize,
    keep: usize,
}

pub struct Window {
    pub snapshot: MarketSnapshot,
    benchmark: Cursor,
    symbols: Vec<Cursor>,
}

/// Brings `series` up to bar `last`, trading day `i`'s.
fn advance(
    series: &mut SymbolSeries,
    source: &Prepared,
    cursor: &mut Cursor,
    i: usize,
    last: usize,
) {
    if last + 1 < cursor.next {
        return;
    }
    let from = cursor.next.max((last + 1).saturating_sub(cursor.keep));
    if from > cursor.next {
        series.bars.clear();
    }
    series.bars.extend((from..=last).map(|k| source.bar(k)));
    // Only the last bar's indicators: the analysis reads no other (`SymbolSeries`), and 4
    // strategies × 500 symbols × 120 rows of 176 bytes were 40 MB.
    series.indicators.clear();
    series.indicators.push(source.indicators_on(i));
    cursor.next = last + 1;
    let len = series.bars.len();
    if len > 2 * cursor.keep {
        series.bars.drain(..len - cursor.keep);
    }
}

impl Window {
    pub fn new(universe: &Universe, rules: &AnalysisRules) -> Self {
        let short = keep(rules, false);
        Window {
            snapshot: MarketSnapshot::default(),
            benchmark: Cursor {
                next: 0,
                keep: keep(rules, true),
            },
            symbols: universe
                .symbols
                .iter()
                .map(|_| Cursor {
                    next: 0,
                    keep: short,
                })
                .collect(),
        }
    }

    /// Brings the benchmark and the symbols `wanted` (indices into the universe) up to
    /// trading day `i`; the `watched` among them (candidates to buy) also get their 60-bar
    /// range (`SymbolSeries::range_60d`).
    pub fn advance_to(
        &mut self,
        universe: &Universe,
        (i, day): (usize, NaiveDate),
        wanted: &[usize],
        watched: &[usize],
    ) {
        self.snapshot.as_of = day;
        let b = &universe.benchmark;
        if let Some(last) = b.at(i) {
            let series = self.snapshot.series.entry(b.symbol.clone()).or_default();
            advance(series, b, &mut self.benchmark, i, last);
        }
        for &k in wanted {
            let source = &universe.symbols[k];
            let Some(last) = source.at(i) else {
                continue;
            };
            let series = match self.snapshot.series.get_mut(&source.symbol) {
                Some(s) => s,
                None => self
                    .snapshot
                    .series
                    .entry(source.symbol.clone())
                    .or_default(),
            };
            advance(series, source, &mut self.symbols[k], i, last);
        }
        for &k in watched {
            let source = &universe.symbols[k];
            let Some(last) = source.at(i) else {
                continue;
            };
            let Some(series) = self.snapshot.series.get_mut(&source.symbol) else {
                continue;
            };
            // From the prepared columns in integers: the value the analysis would find over
            // `series.bars` in `Decimal`s (prepared_tests), at a fraction of the cost (6 % of
            // a 500-symbol run's CPU went to that). Once per bar: a day's holdings and
            // candidates are analysed more than once.
            let date = source.dates[last];
            if series.range_60d.is_none_or(|(d, _)| d != date) {
                let range = source.recent_range(last, TARGET_HIGH_BARS).rounded();
                series.range_60d = Some((date, range));
            }
        }
    }
}
