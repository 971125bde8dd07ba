//! Building a symbol's prepared columns from its bars as they arrive (issue 18): the scan of
//! the prices (two statements, each for half the table's rows) hands each row to its symbol's
//! builder for that statement, which adjusts it at once (`adjust`, from the row's integers)
//! so that no raw bar is kept; a symbol's builders are then joined (`append`).

use std::sync::Arc;

use chrono::NaiveDate;

use rust_decimal::Decimal;

use super::adjust::{pow10, Factor, Fast};
use super::columns::{DaySlots, DecimalColumn, IndicatorColumns};
use super::universe::Prepared;
use crate::domain::bar::Bar;
use crate::domain::exact_float::{normalized, normalized_parts, to_f64, to_f64_parts};
use crate::domain::symbol::Symbol;

/// One stored bar as the mantissas of its decimals: open, high, low and close at
/// `price_scale`, the adjusted close at `adj_scale` (a batch's column scales). The scan hands
/// these over instead of `Bar`s: building 3 million bars of `Decimal`s only to take their
/// mantissas apart again was a third of a 500-symbol backtest's load (issue 18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawBar {
    pub date: NaiveDate,
    pub open: Option<i128>,
    pub high: Option<i128>,
    pub low: Option<i128>,
    /// `None` reads as zero, as it did for `Bar`s (`Decimal::default()`).
    pub close: Option<i128>,
    pub adj_close: Option<i128>,
    pub price_scale: u32,
    pub adj_scale: u32,
}

impl RawBar {
    /// The bar as `Decimal`s (the stored columns' 18 and 24 digits fit one).
    pub fn to_bar(&self) -> Bar {
        let price = |m: Option<i128>| m.map(|m| Decimal::from_i128_with_scale(m, self.price_scale));
        Bar {
            date: self.date,
            open: price(self.open),
            high: price(self.high),
            low: price(self.low),
            close: price(self.close).unwrap_or_default(),
            adj_close: self
                .adj_close
                .map(|m| Decimal::from_i128_with_scale(m, self.adj_scale)),
            volume: None,
        }
    }
}

/// What [`PreparedBuilder::push_raw`] keeps of a bar it adjusts in integers.
struct Adjusted {
    /// Open, high and low: (mantissa, scale) each.
    prices: [Option<(i64, u32)>; 3],
    close: (i64, u32),
    /// The pre-screen's close, and the indicators' where it differs.
    closes: (f64, Option<f64>),
}

/// `m` as a mantissa the integer road takes: positive and under 2^63.
fn positive(m: i128) -> Option<i64> {
    i64::try_from(m).ok().filter(|&m| m > 0)
}

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

    /// `later`'s bars after this builder's (the same symbol's, read in another stretch of the
    /// table): as if each had been pushed here, in that order.
    pub fn append(&mut self, later: PreparedBuilder) {
        debug_assert_eq!(self.p.symbol, later.p.symbol, "one symbol's parts");
        let p = &mut self.p;
        let offset = p.dates.len();
        self.indicator_closes.extend(
            later
                .indicator_closes
                .into_iter()
                .map(|(k, close)| (k + offset, close)),
        );
        let q = later.p;
        // Exactly: grown by doubling, a column could keep up to half of itself unused.
        p.dates.reserve_exact(q.dates.len());
        p.closes.reserve_exact(q.closes.len());
        p.dates.extend_from_slice(&q.dates);
        p.closes.extend_from_slice(&q.closes);
        p.open.append(q.open);
        p.high.append(q.high);
        p.low.append(q.low);
        p.close.append(q.close);
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

    /// [`PreparedBuilder::push`] of `bar.to_bar()`, the very same columns, in integers when
    /// they decide it (positive prices of the usual scales); otherwise through `push`.
    pub fn push_raw(&mut self, bar: &RawBar) {
        if bar.date > self.to {
            return;
        }
        let Some(a) = adjusted(bar) else {
            return self.push(&bar.to_bar());
        };
        let p = &mut self.p;
        let (close, indicator) = a.closes;
        if let Some(indicator) = indicator {
            self.indicator_closes.push((p.closes.len(), indicator));
        }
        p.dates.push(bar.date);
        p.closes.push(close);
        for (column, v) in [&mut p.open, &mut p.high, &mut p.low]
            .into_iter()
            .zip(a.prices)
        {
            match v {
                Some((m, s)) => column.push_parts(m, s),
                None => column.push(None),
            }
        }
        p.close.push_parts(a.close.0, a.close.1);
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

/// `push`'s figures for `bar` from its integers, or `None` where they would not be the very
/// same (`push` then decides): a price that is not positive or does not fit, a scale past
/// 19 (adjusted close past 12), a true midpoint or a product too close to one.
fn adjusted(bar: &RawBar) -> Option<Adjusted> {
    let (sp, sa) = (bar.price_scale, bar.adj_scale);
    if sp > 19 || sa > 12 {
        return None;
    }
    let close = positive(bar.close?)?;
    let ohl = [bar.open, bar.high, bar.low].map(|v| v.map(positive));
    if ohl.iter().any(|v| matches!(v, Some(None))) {
        return None;
    }
    let [open, high, low] = ohl.map(Option::flatten);
    let as_is = |v: Option<i64>| v.map(|m| (m, sp));
    let Some(adj) = bar.adj_close else {
        let f = to_f64_parts(close as u64, sp)?;
        return Some(Adjusted {
            prices: [as_is(open), as_is(high), as_is(low)],
            close: (close, sp),
            closes: (f, None),
        });
    };
    let adj = positive(adj)?;
    // `normalized` and `to_f64` of the adjusted close.
    let (an, sn) = normalized_parts(adj as u64, sa);
    let indicator = to_f64_parts(an, sn).or_else(|| (sn == 0).then_some(an as f64))?;
    let adjusted_close = (i64::try_from(an).ok()?, sn);
    // `Factor::of`: both at scale 12 (under 1e12 each, or `Decimal` decides), equal or not.
    let limit = 1_000_000_000_000i128 * 1_000_000_000_000;
    let (a12, c12) = (
        i128::from(adj) * pow10(12 - sa)?,
        i128::from(close) * pow10(12u32.checked_sub(sp)?)?,
    );
    if a12 >= limit || c12 >= limit {
        return None;
    }
    if a12 == c12 {
        let raw_close = to_f64_parts(close as u64, sp)?;
        let closes = if (close, sp) == adjusted_close {
            (indicator, None)
        } else {
            (raw_close, Some(indicator))
        };
        return Some(Adjusted {
            prices: [as_is(open), as_is(high), as_is(low)],
            close: (close, sp),
            closes,
        });
    }
    let fast = Fast::from_parts(sp, (i128::from(adj), sa), (i128::from(close), sp))?;
    // `None` (to `push`) if any of the three is not decided by the integers.
    let adjust = |v: Option<i64>| match v {
        Some(m) => fast.apply_mantissa(m).map(|q| Some((q, 4))),
        None => Some(None),
    };
    Some(Adjusted {
        prices: [adjust(open)?, adjust(high)?, adjust(low)?],
        close: adjusted_close,
        closes: (indicator, None),
    })
}
