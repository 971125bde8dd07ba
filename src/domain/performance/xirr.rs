//! Money-weighted return: the XIRR of the account's cash flows, annualized on actual/365.
//!
//! Seen from the investor: the value at the start of the period is paid in (negative), each
//! deposit is paid in and each withdrawal taken out, and the value at the end is taken out.
//! The rate r solves Σ c_i / (1 + r)^(days_i / 365) = 0. Unlike the TWR it weighs each
//! period by the money that was in the account then, so a deposit before a bad month lowers
//! it and the TWR does not move.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{to_f64, DayValue};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CashFlow {
    pub date: NaiveDate,
    /// Negative when the investor pays in, positive when money comes out.
    pub amount: Decimal,
}

/// The investor's flows between sessions `start` and `end`: −V_start, −F_t for each later
/// session, +V_end. The flow of the start session is already in V_start.
pub fn account_flows(values: &[DayValue], start: usize, end: usize) -> Vec<CashFlow> {
    let mut flows = vec![CashFlow {
        date: values[start].date,
        amount: -values[start].value,
    }];
    flows.extend(
        values[start + 1..=end]
            .iter()
            .filter(|v| !v.flow.is_zero())
            .map(|v| CashFlow {
                date: v.date,
                amount: -v.flow,
            }),
    );
    flows.push(CashFlow {
        date: values[end].date,
        amount: values[end].value,
    });
    flows
}

/// Net present value at `rate` of `flows`, discounted to the first flow's date.
pub fn npv(flows: &[CashFlow], rate: f64) -> f64 {
    let Some(first) = flows.first() else {
        return 0.0;
    };
    let log_growth = (1.0 + rate).ln();
    flows
        .iter()
        .map(|f| to_f64(f.amount) * (-years(first.date, f.date) * log_growth).exp())
        .sum()
}

fn years(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / 365.0
}

/// d NPV / d rate.
fn npv_slope(flows: &[CashFlow], rate: f64) -> f64 {
    let first = flows[0].date;
    let log_growth = (1.0 + rate).ln();
    flows
        .iter()
        .map(|f| {
            let t = years(first, f.date);
            -t * to_f64(f.amount) * (-(t + 1.0) * log_growth).exp()
        })
        .sum()
}

/// The annual rate (fraction) at which the flows' NPV is zero. Newton from 10 %; when it
/// leaves (−1, ∞) or does not settle in 50 steps, bisection over a bracket found by doubling
/// the upper end. `None` when the flows cannot have a root: no money both in and out, all
/// on one day, or no sign change of the NPV between −99.9999 % and 10⁹ %.
pub fn xirr(flows: &[CashFlow]) -> Option<f64> {
    let paid_in = flows
        .iter()
        .any(|f| f.amount.is_sign_negative() && !f.amount.is_zero());
    let taken_out = flows
        .iter()
        .any(|f| f.amount.is_sign_positive() && !f.amount.is_zero());
    let span = flows.last()?.date - flows.first()?.date;
    if !paid_in || !taken_out || span.num_days() <= 0 {
        return None;
    }
    newton(flows).or_else(|| bisection(flows))
}

fn newton(flows: &[CashFlow]) -> Option<f64> {
    let scale = flows.iter().map(|f| to_f64(f.amount).abs()).sum::<f64>();
    let mut rate = 0.1;
    for _ in 0..50 {
        let value = npv(flows, rate);
        let slope = npv_slope(flows, rate);
        if !slope.is_finite() || slope == 0.0 {
            return None;
        }
        let next = rate - value / slope;
        if !next.is_finite() || next <= -1.0 {
            return None;
        }
        if (next - rate).abs() < 1e-12 {
            return (npv(flows, next).abs() <= 1e-9 * scale).then_some(next);
        }
        rate = next;
    }
    None
}

fn bisection(flows: &[CashFlow]) -> Option<f64> {
    let mut lo = -0.999_999;
    let mut hi = 1.0;
    let f_lo = npv(flows, lo);
    while (npv(flows, hi) > 0.0) == (f_lo > 0.0) {
        hi *= 2.0;
        if hi > 1e7 {
            return None;
        }
    }
    let mut f_lo = f_lo;
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        let f_mid = npv(flows, mid);
        if (f_mid > 0.0) == (f_lo > 0.0) {
            lo = mid;
            f_lo = f_mid;
        } else {
            hi = mid;
        }
    }
    Some((lo + hi) / 2.0)
}

/// The XIRR of the account between two sessions.
pub fn account_xirr(values: &[DayValue], start: usize, end: usize) -> Option<f64> {
    if end <= start {
        return None;
    }
    xirr(&account_flows(values, start, end))
}

#[cfg(test)]
mod tests {
    use super::super::test_data::{d, dv};
    use super::*;
    use proptest::prelude::*;

    fn cf(date: NaiveDate, amount: i64) -> CashFlow {
        CashFlow {
            date,
            amount: Decimal::from(amount),
        }
    }

    #[test]
    fn one_year_ten_percent() {
        // −1000 on day 0, +1100 on day 365: 1100 / 1000 = 1.1^(365/365) → 10 % exactly.
        let r = xirr(&[cf(d(2025, 1, 1), -1000), cf(d(2026, 1, 1), 1100)]).unwrap();
        assert!((r - 0.10).abs() < 1e-12, "{r}");
    }

    #[test]
    fn two_deposits_closed_form() {
        // −1000 on day 0, −1000 on day 365, +2310 on day 730. With x = 1 + r:
        // 1000x² + 1000x = 2310 → x² + x − 2.31 = 0 → x = (−1 + √10.24) / 2 = 1.1 → 10 %.
        let flows = [
            cf(d(2025, 1, 1), -1000),
            cf(d(2026, 1, 1), -1000),
            cf(d(2027, 1, 1), 2310),
        ];
        assert!((xirr(&flows).unwrap() - 0.10).abs() < 1e-12);
    }

    #[test]
    fn a_deposit_mid_year_changes_it_but_not_the_twr() {
        // 1000 grows to 1100 by 2025-07-02 (+10 %), 1000 is deposited that day (2100), and
        // the second half is flat: TWR = 1.1 × 1.0 − 1 = 10 %. The investor put 1000 in for
        // a year and 1000 for half a year and holds 2100: flows −1000 @0, −1000 @182,
        // +2100 @365. benches/compare/xirr_check.py (plain bisection, no shared code) gives
        // 0.066967221731.
        let v = [
            dv(d(2025, 1, 1), 1000, 1000),
            dv(d(2025, 7, 2), 2100, 1000),
            dv(d(2026, 1, 1), 2100, 0),
        ];
        let twr = super::super::twr::twr(&v, 0, 2).unwrap();
        assert!((twr - 0.10).abs() < 1e-12);
        let r = account_xirr(&v, 0, 2).unwrap();
        assert!((r - 0.066_967_221_731).abs() < 1e-10, "{r}");
        // Without the deposit the same year is 1000 → 1100: XIRR = TWR = 10 %.
        let plain = [
            dv(d(2025, 1, 1), 1000, 1000),
            dv(d(2025, 7, 2), 1100, 0),
            dv(d(2026, 1, 1), 1100, 0),
        ];
        assert!((account_xirr(&plain, 0, 2).unwrap() - 0.10).abs() < 1e-12);
    }

    #[test]
    fn a_withdrawal() {
        // 2000 → 2200 by 2025-04-01 (+10 %), 1200 withdrawn (1000 left), flat to 2026-01-01:
        // TWR 10 %; flows −2000 @0, +1200 @90, +1000 @365 → xirr_check.py: 0.179446893833.
        let v = [
            dv(d(2025, 1, 1), 2000, 2000),
            dv(d(2025, 4, 1), 1000, -1200),
            dv(d(2026, 1, 1), 1000, 0),
        ];
        assert!((super::super::twr::twr(&v, 0, 2).unwrap() - 0.10).abs() < 1e-12);
        let r = account_xirr(&v, 0, 2).unwrap();
        assert!((r - 0.179_446_893_833).abs() < 1e-10, "{r}");
    }

    #[test]
    fn none_without_a_root() {
        // Money only paid in; money in and out on one day; a total loss has r = −100 %,
        // outside (−1, ∞).
        assert_eq!(xirr(&[cf(d(2025, 1, 1), -10), cf(d(2026, 1, 1), -5)]), None);
        assert_eq!(xirr(&[cf(d(2025, 1, 1), -10), cf(d(2025, 1, 1), 12)]), None);
        assert_eq!(xirr(&[cf(d(2025, 1, 1), -10), cf(d(2026, 1, 1), 0)]), None);
        assert_eq!(xirr(&[]), None);
    }

    #[test]
    fn bisection_when_newton_leaves() {
        // −1000 → +10 after one year: r = 10/1000 − 1 = −99 %. Newton from +10 % jumps
        // below −100 % on its first step; bisection finds it.
        let flows = [cf(d(2025, 1, 1), -1000), cf(d(2026, 1, 1), 10)];
        assert_eq!(newton(&flows), None);
        assert!((xirr(&flows).unwrap() + 0.99).abs() < 1e-9);
    }

    proptest! {
        #[test]
        fn npv_at_the_root_is_zero(
            start in 100i64..100_000,
            middle in prop::collection::vec((1i64..700, -5_000i64..5_000), 0..6),
            end in 1i64..200_000,
        ) {
            let day0 = d(2024, 1, 1);
            let mut flows = vec![cf(day0, -start)];
            let mut middle = middle;
            middle.sort();
            flows.extend(middle.iter().map(|(day, a)| cf(day0 + chrono::Duration::days(*day), *a)));
            flows.push(cf(day0 + chrono::Duration::days(730), end));
            if let Some(r) = xirr(&flows) {
                // Relative to the size of the discounted flows themselves: near −100 % a year
                // (a root of −99.9999 % exists when a tiny end value follows large payments)
                // each discounted flow is huge and only their balance is near 0.
                let log_growth = (1.0 + r).ln();
                let scale: f64 = flows
                    .iter()
                    .map(|f| (to_f64(f.amount) * (-years(day0, f.date) * log_growth).exp()).abs())
                    .sum();
                prop_assert!(npv(&flows, r).abs() <= 1e-6 * scale, "r {r}");
            }
        }
    }
}
