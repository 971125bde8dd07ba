//! Today's performance, the after-close review: the last session's change in dollars and
//! percent, neutral to that day's deposits and withdrawals, next to SPY's day.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{pct, periods::benchmark_return, to_f64, BenchmarkCloses, DayValue};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayChange {
    pub date: NaiveDate,
    /// The session the change is measured from.
    pub previous: NaiveDate,
    /// V_t − V_{t−1} − F_t: what the market (and the day's dividends, fees and interest)
    /// did, not the money moved in or out.
    pub change: Decimal,
    /// change / V_{t−1}; `None` when the account held nothing the day before.
    pub change_pct: Option<f64>,
    /// That day's deposits (+) and withdrawals (−), shown beside the change.
    pub flow: Decimal,
    /// SPY's adjusted close on `date` against `previous`.
    pub spy_pct: Option<f64>,
    pub difference_pp: Option<f64>,
}

/// The change of the last session of `values` against the one before; `None` with fewer
/// than two sessions.
pub fn day_change(values: &[DayValue], benchmark: &BenchmarkCloses) -> Option<DayChange> {
    let [before, today] = values.get(values.len().checked_sub(2)?..)? else {
        return None;
    };
    let change = today.value - today.flow - before.value;
    let change_pct =
        (before.value > Decimal::ZERO).then(|| pct(to_f64(change) / to_f64(before.value)));
    let spy_pct = benchmark_return(benchmark, before.date, today.date).map(pct);
    Some(DayChange {
        date: today.date,
        previous: before.date,
        change,
        change_pct,
        flow: today.flow,
        spy_pct,
        difference_pp: change_pct.zip(spy_pct).map(|(a, b)| a - b),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_data::{d, dv};
    use super::*;

    #[test]
    fn a_deposit_is_not_a_gain() {
        // 10,000 on the 1st; on the 2nd 500 is deposited and the close is 10,700:
        // 10,700 − 500 − 10,000 = +200 = +2 %. SPY 400 → 404 = +1 %: +1 pp.
        let v = [
            dv(d(2026, 12, 1), 10_000, 0),
            dv(d(2026, 12, 2), 10_700, 500),
        ];
        let spy = [
            (d(2026, 12, 1), Decimal::from(400)),
            (d(2026, 12, 2), Decimal::from(404)),
        ];
        let c = day_change(&v, &spy).unwrap();
        assert_eq!(c.change, Decimal::from(200));
        assert_eq!(c.flow, Decimal::from(500));
        assert_eq!(c.previous, d(2026, 12, 1));
        assert!((c.change_pct.unwrap() - 2.0).abs() < 1e-9);
        assert!((c.spy_pct.unwrap() - 1.0).abs() < 1e-9);
        assert!((c.difference_pp.unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(day_change(&v[..1], &spy), None);
    }
}
