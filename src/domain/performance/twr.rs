//! Time-weighted return: daily chain-linking, neutral to deposits and withdrawals.
//!
//! Flow timing: a flow on day t is already in that day's closing value V_t (the ledger
//! values the account after the day's transactions), so the day's own return is
//! r_t = (V_t − F_t) / V_{t−1} − 1 and the period's is Π (1 + r_t) − 1. The money moved in
//! or out earns nothing on the day it moves, which is the conservative end-of-day
//! convention Portfolio Performance and most brokers' statements use.

use super::{to_f64, DayValue};
use chrono::NaiveDate;

/// The index of the last session on or before `date`.
pub fn session_on_or_before(values: &[DayValue], date: NaiveDate) -> Option<usize> {
    values.partition_point(|v| v.date <= date).checked_sub(1)
}

/// Π over sessions `start+1..=end` of (V_t − F_t) / V_{t−1}, minus 1, as a fraction.
/// A session that follows a value of zero or less (before the first deposit, or an account
/// emptied to nothing) has no capital to earn on: it adds nothing rather than dividing by
/// zero. `None` when `end < start`.
pub fn twr(values: &[DayValue], start: usize, end: usize) -> Option<f64> {
    if end < start || end >= values.len() {
        return None;
    }
    let mut growth = 1.0;
    for pair in values[start..=end].windows(2) {
        let before = to_f64(pair[0].value);
        if before > 0.0 {
            growth *= to_f64(pair[1].value - pair[1].flow) / before;
        }
    }
    Some(growth - 1.0)
}

/// The TWR between the last sessions on or before `from` and `to`.
pub fn twr_between(values: &[DayValue], from: NaiveDate, to: NaiveDate) -> Option<f64> {
    twr(
        values,
        session_on_or_before(values, from)?,
        session_on_or_before(values, to)?,
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_data::{d, dv};
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    #[test]
    fn a_hand_chain() {
        // 1000 → 1100 (+10 %) → 990 (−10 %) → 1089 (+10 %):
        // 1.1 × 0.9 × 1.1 = 1.089 → +8.9 %.
        let v = [
            dv(d(2026, 1, 5), 1000, 1000),
            dv(d(2026, 1, 6), 1100, 0),
            dv(d(2026, 1, 7), 990, 0),
            dv(d(2026, 1, 8), 1089, 0),
        ];
        assert!((twr(&v, 0, 3).unwrap() - 0.089).abs() < 1e-12);
        // From the 6th: 0.9 × 1.1 = 0.99 → −1 %.
        let r = twr_between(&v, d(2026, 1, 6), d(2026, 1, 10)).unwrap();
        assert!((r + 0.01).abs() < 1e-12);
    }

    #[test]
    fn a_deposit_mid_period_does_not_move_it() {
        // Day 1: 1000 → 1100 (+10 %). Day 2: deposit 900, close 2200:
        // (2200 − 900) / 1100 = 1.181818… Day 3: 2200 → 2420 (+10 %).
        // Without the deposit the same market days give 1100 → 1300 → 1430:
        // 1.1 × 1300/1100 × 1.1 = 1.43 → +43 % in both cases.
        let with = [
            dv(d(2026, 2, 2), 1000, 1000),
            dv(d(2026, 2, 3), 1100, 0),
            dv(d(2026, 2, 4), 2200, 900),
            dv(d(2026, 2, 5), 2420, 0),
        ];
        let without = [
            dv(d(2026, 2, 2), 1000, 1000),
            dv(d(2026, 2, 3), 1100, 0),
            dv(d(2026, 2, 4), 1300, 0),
            dv(d(2026, 2, 5), 1430, 0),
        ];
        assert!((twr(&with, 0, 3).unwrap() - 0.43).abs() < 1e-12);
        assert!((twr(&without, 0, 3).unwrap() - 0.43).abs() < 1e-12);
    }

    #[test]
    fn a_withdrawal() {
        // 2000 → 2200 (+10 %); day 2 withdraw 1200 and close 990:
        // (990 − (−1200)) / 2200 = 2190 / 2200 = 0.995454…; chain 1.1 × 0.995454… = 1.095
        // → +9.5 %.
        let v = [
            dv(d(2026, 3, 2), 2000, 2000),
            dv(d(2026, 3, 3), 2200, 0),
            dv(d(2026, 3, 4), 990, -1200),
        ];
        assert!((twr(&v, 0, 2).unwrap() - 0.095).abs() < 1e-12);
    }

    #[test]
    fn nothing_invested_earns_nothing() {
        // The account is opened on the 2nd (value 0), funded on the 3rd; the first
        // session with capital is the 4th: 500 → 550 = +10 %.
        let v = [
            dv(d(2026, 3, 2), 0, 0),
            dv(d(2026, 3, 3), 500, 500),
            dv(d(2026, 3, 4), 550, 0),
        ];
        assert!((twr(&v, 0, 2).unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(session_on_or_before(&v, d(2026, 3, 1)), None);
    }

    proptest! {
        // With flows, V_t = V_{t−1}(1 + r_t) + F_t; without them, W_t = W_{t−1}(1 + r_t):
        // the same market days rescaled. Both chains must give the same TWR.
        #[test]
        fn flows_do_not_change_it(
            days in prop::collection::vec((-0.05f64..0.05, -300i64..600), 1..60)
        ) {
            let start = d(2025, 1, 1);
            let mut with = vec![dv(start, 10_000, 10_000)];
            let mut without = vec![dv(start, 10_000, 0)];
            for (i, (r, flow)) in days.iter().enumerate() {
                let date = start + chrono::Duration::days(i as i64 + 1);
                let grow = |v: Decimal| v * Decimal::from_f64_retain(1.0 + r).unwrap();
                let prev = with.last().unwrap().value;
                let value = (grow(prev) + Decimal::from(*flow)).round_dp(8);
                prop_assume!(value > Decimal::ZERO);
                with.push(DayValue { date, value, flow: Decimal::from(*flow) });
                let plain = grow(without.last().unwrap().value).round_dp(8);
                without.push(DayValue { date, value: plain, flow: Decimal::ZERO });
            }
            let n = with.len() - 1;
            let a = twr(&with, 0, n).unwrap();
            let b = twr(&without, 0, n).unwrap();
            prop_assert!((a - b).abs() < 1e-9, "with flows {a}, without {b}");
        }
    }
}
