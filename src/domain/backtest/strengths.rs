//! The pre-screen's signal strengths of every symbol on every day that keeps its indicators,
//! computed once for all the strategies of a backtest or a sweep (issue 18).
//!
//! A strategy's ranking at a rebalance read, for each of the 500 symbols, its indicators, its
//! bars and the close a lookback earlier: a few cache lines in 500 places, again at the next
//! rebalance and again in each strategy. Computed here symbol by symbol, the same reads walk
//! each symbol's columns in order, and a rebalance reads one row of this table. The values are
//! `strength_at`'s own (the same function on the same bars), so the rankings are unchanged;
//! the strategies' rules differ only in what they do with a strength (the entry threshold),
//! never in how it is computed, and a table made with other strength rules is not used.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::columns::DaySlots;
use super::rebalance::strength_at;
use super::universe::{BacktestError, Universe};
use crate::domain::analyzer::AnalysisRules;
use crate::domain::signal::SignalRules;

/// Day-major: the strengths of all symbols on one kept day lie side by side.
#[derive(Debug)]
pub(super) struct Strengths {
    slots: Arc<DaySlots>,
    symbols: usize,
    /// `values[s × symbols + k]`: symbol k's strength on slot s's day, `NaN` where it is no
    /// candidate (its indicators are not warmed up, or it has no bar yet).
    values: Vec<f64>,
    lookback_days: u32,
    signal: SignalRules,
}

impl Strengths {
    /// `None` for a universe whose symbols keep their indicators on different days (the
    /// backtest's never do). `cancel` is looked at before each symbol (an every-day sweep's
    /// table takes ~100 ms).
    pub(super) fn compute(
        universe: &Universe,
        rules: &AnalysisRules,
        cancel: &AtomicBool,
    ) -> Result<Option<Self>, BacktestError> {
        let symbols = &universe.symbols;
        let Some(first) = symbols.first() else {
            return Ok(None);
        };
        let slots = Arc::clone(&first.slots);
        if !symbols.iter().all(|p| Arc::ptr_eq(&p.slots, &slots)) {
            return Ok(None);
        }
        let columns: Vec<Vec<f64>> = symbols
            .par_iter()
            .map(|p| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(BacktestError::Cancelled);
                }
                Ok((0..slots.len())
                    .map(|s| {
                        let i = slots.day(s);
                        match p.at(i) {
                            Some(k) if p.warmed_up(i) => strength_at(p, i, k, rules).0,
                            _ => f64::NAN,
                        }
                    })
                    .collect())
            })
            .collect::<Result<_, _>>()?;
        let n = symbols.len();
        let mut values = vec![f64::NAN; slots.len() * n];
        for (k, column) in columns.iter().enumerate() {
            for (s, &v) in column.iter().enumerate() {
                values[s * n + k] = v;
            }
        }
        Ok(Some(Strengths {
            slots,
            symbols: n,
            values,
            lookback_days: rules.general.lookback_days,
            signal: rules.signal.clone(),
        }))
    }

    /// Trading day `i`'s strengths, one per symbol, if the day keeps its indicators and
    /// `rules` compute strengths as the table's did.
    pub(super) fn on(&self, i: usize, rules: &AnalysisRules) -> Option<&[f64]> {
        if rules.general.lookback_days != self.lookback_days || rules.signal != self.signal {
            return None;
        }
        let s = self.slots.slot(i)?;
        self.values.get(s * self.symbols..(s + 1) * self.symbols)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bars, universe, wave, WARMUP};
    use super::*;
    use crate::domain::analyzer::fixtures::rules as live_rules;

    /// Every entry is `strength_at`'s, to the bit, where the symbol is a candidate, and `NaN`
    /// before its first bar and while its indicators warm up (the late listing "L"); rules that
    /// compute strengths otherwise do not read the table.
    #[test]
    fn the_table_holds_strength_at_where_a_symbol_is_a_candidate() {
        let n = WARMUP + 80;
        let mut syms: Vec<(&str, _)> = [("A", 1), ("B", 2)]
            .into_iter()
            .map(|(s, seed)| (s, bars(&wave(n, seed))))
            .collect();
        syms.push(("L", bars(&wave(60, 3))));
        let u = universe(bars(&wave(n, 0)), syms);
        let rules = live_rules();
        let go = AtomicBool::new(false);
        let table = Strengths::compute(&u, &rules, &go)
            .unwrap()
            .expect("one set of slots");
        let (mut values, mut missing) = (0, 0);
        for i in 0..u.days.len() {
            let day = table
                .on(i, &rules)
                .expect("every day keeps its indicators here");
            assert_eq!(day.len(), 3);
            for (k, p) in u.symbols.iter().enumerate() {
                match p.at(i) {
                    Some(at) if p.warmed_up(i) => {
                        let expected = strength_at(p, i, at, &rules).0;
                        assert_eq!(day[k].to_bits(), expected.to_bits(), "day {i}, symbol {k}");
                        values += 1;
                    }
                    _ => {
                        assert!(day[k].is_nan(), "day {i}, symbol {k}");
                        missing += 1;
                    }
                }
            }
        }
        // 80 days; L's 60 bars start on day 20, and its SMA 50 (the last of the signal's
        // indicators to exist) on its bar 49, day 69: 69 days without, 11 with.
        assert_eq!(u.days.len(), 80);
        assert_eq!(missing, 69);
        assert_eq!(values, 2 * 80 + 11);
        let mut other = rules.clone();
        other.general.lookback_days += 1;
        assert!(table.on(0, &other).is_none());
        let mut signal = rules.clone();
        signal.signal.rsi_oversold += 1.0;
        assert!(table.on(0, &signal).is_none());
        // Cancelled (the app's Esc during a backtest): no table, the cancellation.
        let stop = AtomicBool::new(true);
        assert_eq!(
            Strengths::compute(&u, &rules, &stop).err(),
            Some(BacktestError::Cancelled)
        );
    }
}
