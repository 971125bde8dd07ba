//! How the account has done: time- and money-weighted returns over the usual periods next to
//! SPY's, today's change, the monthly table and the road to $1M — all computed from the
//! ledger's [`DayValue`] series and the benchmark's adjusted closes, handed in as arguments.
//!
//! Money stays `Decimal` (values, flows, the day's change in dollars). Rates are `f64`: a
//! return is a ratio of two money figures that is chained, powered and root-solved (XIRR),
//! which `Decimal` cannot do (no fractional powers) and which never flows back into a stored
//! amount (DESIGN §1: money crosses into `f64` only inside metric formulas).

pub mod chart;
pub mod holdings;
pub mod million;
pub mod monthly;
pub mod periods;
pub mod today;
pub mod twr;
pub mod xirr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::domain::account_history::DayValue;
pub use million::{MillionPlan, RoadToMillion};
pub use monthly::MonthlyTable;
pub use periods::PeriodReturn;
pub use today::DayChange;

/// The benchmark's closes, ascending: `(date, adjusted close)`. Adjusted closes make SPY's
/// figure a total return (dividends reinvested), the fair comparison for an account whose
/// dividends are cash in its value.
pub type BenchmarkCloses = [(NaiveDate, Decimal)];

/// Everything the performance view shows, as of `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Performance {
    pub as_of: NaiveDate,
    /// The first session of the account's history.
    pub first: NaiveDate,
    /// Total value at the close of `as_of` (raw closes, after that day's transactions).
    pub value: Decimal,
    pub today: Option<DayChange>,
    pub periods: Vec<PeriodReturn>,
    pub monthly: MonthlyTable,
    pub million: RoadToMillion,
}

/// The performance as of the last session on or before `as_of`; `None` when the history
/// has no session that early. `values` ascending by date.
pub fn summarize(
    values: &[DayValue],
    benchmark: &BenchmarkCloses,
    as_of: NaiveDate,
    plan: &MillionPlan,
    uniform: &mut impl FnMut() -> f64,
) -> Option<Performance> {
    let end = twr::session_on_or_before(values, as_of)?;
    let values = &values[..=end];
    let last = values[end];
    let monthly = monthly::monthly_returns(values);
    let realized = periods::annualized_since_start(values);
    Some(Performance {
        as_of: last.date,
        first: values[0].date,
        value: last.value,
        today: today::day_change(values, benchmark),
        periods: periods::period_returns(values, benchmark),
        million: million::road_to_million(
            last.value,
            last.date,
            plan,
            realized,
            &monthly::complete_month_returns(&monthly),
            uniform,
        ),
        monthly: MonthlyTable::from_months(&monthly),
    })
}

/// `fraction` (0.1) as percent (10.0), rounded to 1e-9 pp so that hand-worked figures such
/// as 10 % compare exactly and do not print as 9.999999999999998.
pub(crate) fn pct(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e9).round() / 1e9
}

/// `+$100.00`, `-$57.22`, `$0.00`: a change in money always shows its sign.
pub fn signed_money(d: Decimal) -> String {
    let text = crate::domain::format::money(d);
    if d > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

pub fn to_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
pub(crate) mod test_data {
    use super::*;

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub fn dv(date: NaiveDate, value: i64, flow: i64) -> DayValue {
        DayValue {
            date,
            value: Decimal::from(value),
            flow: Decimal::from(flow),
        }
    }
}
