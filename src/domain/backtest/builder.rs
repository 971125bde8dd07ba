//! Building a symbol's prepared columns from its bars as they arrive (issue 18): one scan of
//! the whole prices table hands each row to its symbol's builder, which adjusts it at once
//! (`adjust`) so that no raw bar is kept.

use std::sync::Arc;

use chrono::NaiveDate;

use super::adjust::{normalized, to_f64, Factor};
use super::columns::{DaySlots, DecimalColumn, IndicatorColumns};
use super::universe::Prepared;
use crate::domain::bar::Bar;
use crate::domain::symbol::Symbol;

/// One symbol's bars as they arrive (in any order, from one scan of the whole table),
/// each adjusted at once so that no raw bar is kept; [`PreparedBuilder::finish`] puts them in
/// date order and computes the indicators.
#[derive(Debug, Clone)]
pub struct PreparedBuilder {
    p: Prepared,
    to: NaiveDate,
    /// Keep the SMA 200 (the benchmark's; see `IndicatorColumns`).
    long_sma: bool,
    /// Where the indicators' close (`Bar::adjusted`'s) differs from the pre-screen's.
    indicator_closes: Vec<(usize, f64)>,
}

impl PreparedBuilder {
    /// Bars after `to` are dropped: they are never needed.
    pub fn new(symbol: Symbol, to: NaiveDate) -> Self {
        PreparedBuilder {
            p: Prepared {
                symbol,
                dates: Vec::new(),
                closes: Vec::new(),
                open: DecimalColumn::default(),
                high: DecimalColumn::default(),
                low: DecimalColumn::default(),
                close: DecimalColumn::default(),
                indicators: IndicatorColumns::default(),
                slots: Arc::new(DaySlots::every(0)),
                indicator_closes: Vec::new(),
                at_day: Vec::new(),
            },
            to,
            long_sma: false,
            indicator_closes: Vec::new(),
        }
    }

    /// The benchmark's builder: it keeps the SMA 200 the market direction reads.
    pub fn benchmark(mut self) -> Self {
        self.long_sma = true;
        self
    }

    pub fn symbol(&self) -> &Symbol {
        &self.p.symbol
    }

    pub fn reserve(&mut self, n: usize) {
        let p = &mut self.p;
        p.dates.reserve_exact(n);
        p.closes.reserve_exact(n);
        for c in [&mut p.open, &mut p.high, &mut p.low, &mut p.close] {
            c.reserve(n);
        }
    }

    /// The dates of the bars so far, in arrival order.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.p.dates
    }

    /// One bar, adjusted as DESIGN §5 says (open, high and low × f = adj_close / close,
    /// rounded like a price; the close is the adjusted close). The `f64` close of the
    /// indicators is `Bar::adjusted`'s, the pre-screen's that of the adjusted bar (the same
    /// value; kept apart in case the two decimals differ in scale).
    pub fn push(&mut self, bar: &Bar) {
        if bar.date > self.to {
            return;
        }
        let p = &mut self.p;
        // `Bar::adjusted_close` and `to_f64`, the same values by a shorter road.
        let adjusted_close = bar.adj_close.map_or(bar.close, normalized);
        let indicator_close = to_f64(adjusted_close);
        p.dates.push(bar.date);
        let mut f = Factor::of(bar.adj_close, bar.close);
        if f.is_one() {
            // The bar stays as received (only its adj_close is dropped).
            if bar.close.serialize() == adjusted_close.serialize() {
                p.closes.push(indicator_close);
            } else {
                self.indicator_closes
                    .push((p.closes.len(), indicator_close));
                p.closes.push(to_f64(bar.close));
            }
            p.open.push(bar.open);
            p.high.push(bar.high);
            p.low.push(bar.low);
            p.close.push(Some(bar.close));
            return;
        }
        p.closes.push(indicator_close);
        p.open.push(bar.open.map(|v| f.apply(v)));
        p.high.push(bar.high.map(|v| f.apply(v)));
        p.low.push(bar.low.map(|v| f.apply(v)));
        p.close.push(Some(adjusted_close));
    }

    /// The bars in date order, for each of `days` the last bar on or before it, and the
    /// indicators over the whole history, kept on the days of `slots` (made for `days`).
    pub fn finish(self, days: &[NaiveDate], slots: &Arc<DaySlots>) -> Prepared {
        assert_eq!(slots.days(), days.len(), "one slot entry per trading day");
        let PreparedBuilder {
            mut p,
            mut indicator_closes,
            long_sma,
            ..
        } = self;
        if !p.dates.is_sorted() {
            let mut order: Vec<usize> = (0..p.dates.len()).collect();
            order.sort_by_key(|&k| p.dates[k]);
            let mut at = vec![0; order.len()];
            for (new, &old) in order.iter().enumerate() {
                at[old] = new;
            }
            p.dates = order.iter().map(|&k| p.dates[k]).collect();
            p.closes = order.iter().map(|&k| p.closes[k]).collect();
            for c in [&mut p.open, &mut p.high, &mut p.low, &mut p.close] {
                *c = c.permuted(&order);
            }
            for (k, _) in &mut indicator_closes {
                *k = at[*k];
            }
            indicator_closes.sort_unstable_by_key(|&(k, _)| k);
        }
        let n = p.len();
        p.at_day.reserve_exact(days.len());
        let mut next = 0;
        for day in days {
            while next < n && p.dates[next] <= *day {
                next += 1;
            }
            p.at_day
                .push(next.checked_sub(1).map_or(u32::MAX, |k| k as u32));
        }
        p.indicators = if indicator_closes.is_empty() {
            IndicatorColumns::on_days(&p.closes, &p.at_day, slots, long_sma)
        } else {
            let mut c = p.closes.clone();
            for &(k, close) in &indicator_closes {
                c[k] = close;
            }
            IndicatorColumns::on_days(&c, &p.at_day, slots, long_sma)
        };
        p.slots = Arc::clone(slots);
        p.indicator_closes = indicator_closes;
        p.dates.shrink_to_fit();
        p.closes.shrink_to_fit();
        p
    }
}
