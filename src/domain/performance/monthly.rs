//! The monthly returns table: the TWR of each calendar month (from the last session of the
//! month before to the month's last session), and a year column compounding the year's
//! months. The first month of the history runs from its first session (partial), as does
//! the current month to as_of; both are marked incomplete and are left out of the
//! resampling behind the road to $1M.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{pct, twr, DayValue};
use crate::domain::calendar::last_trading_day_on_or_before;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MonthReturn {
    pub year: i32,
    pub month: u32,
    /// TWR of the month, as a fraction.
    pub twr: f64,
    /// From the month before's last session to this month's last trading day.
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthlyTable {
    pub years: Vec<YearReturns>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearReturns {
    pub year: i32,
    /// January … December in percent; `None` for months outside the history.
    pub months_pct: [Option<f64>; 12],
    /// Π (1 + month) − 1 over the months present, in percent.
    pub year_pct: f64,
}

/// One entry per calendar month that has a session, ascending.
pub fn monthly_returns(values: &[DayValue]) -> Vec<MonthReturn> {
    let mut months = Vec::new();
    let mut start = 0;
    for end in 0..values.len() {
        let date = values[end].date;
        let month_ends = values.get(end + 1).is_none_or(|next| {
            (next.date.year(), next.date.month()) != (date.year(), date.month())
        });
        if !month_ends {
            continue;
        }
        let opened_in_month = start == 0 && same_month(values[0].date, date);
        let complete = !opened_in_month
            && (end + 1 < values.len() || date >= last_trading_day_on_or_before(month_end(date)));
        if let Some(twr) = twr::twr(values, start, end) {
            months.push(MonthReturn {
                year: date.year(),
                month: date.month(),
                twr,
                complete,
            });
        }
        start = end;
    }
    months
}

fn same_month(a: NaiveDate, b: NaiveDate) -> bool {
    (a.year(), a.month()) == (b.year(), b.month())
}

fn month_end(date: NaiveDate) -> NaiveDate {
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).map_or(date, |first| first.pred_opt().unwrap_or(date))
}

/// The complete months' returns (fractions), oldest first: the sample the road to $1M
/// resamples.
pub fn complete_month_returns(months: &[MonthReturn]) -> Vec<f64> {
    months
        .iter()
        .filter(|m| m.complete)
        .map(|m| m.twr)
        .collect()
}

impl MonthlyTable {
    pub fn from_months(months: &[MonthReturn]) -> MonthlyTable {
        let mut years: Vec<YearReturns> = Vec::new();
        let mut growth = 1.0;
        for m in months {
            if years.last().is_none_or(|y| y.year != m.year) {
                growth = 1.0;
                years.push(YearReturns {
                    year: m.year,
                    months_pct: [None; 12],
                    year_pct: 0.0,
                });
            }
            let row = years.last_mut().expect("pushed above");
            row.months_pct[m.month as usize - 1] = Some(pct(m.twr));
            growth *= 1.0 + m.twr;
            row.year_pct = pct(growth - 1.0);
        }
        MonthlyTable { years }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_data::{d, dv};
    use super::*;

    #[test]
    fn a_year_boundary() {
        // Opened 2025-11-14 with 1000 (partial November). Nov 28 close 1100: +10 %.
        // Dec 31 close 1210: December 1210 / 1100 = +10 %. 2025 = 1.1 × 1.1 − 1 = +21 %.
        // Jan 2 2026: deposit 790, close 1990 → (1990 − 790) / 1210 = 0.991735…
        // Jan 30 close 1791 → 1791 / 1990 = 0.9; January = 0.991735… × 0.9 = 0.892562 →
        // −10.7438 %. 2026 (January only) = the same.
        let v = [
            dv(d(2025, 11, 14), 1000, 1000),
            dv(d(2025, 11, 28), 1100, 0),
            dv(d(2025, 12, 31), 1210, 0),
            dv(d(2026, 1, 2), 1990, 790),
            dv(d(2026, 1, 30), 1791, 0),
        ];
        let months = monthly_returns(&v);
        assert_eq!(months.len(), 3);
        assert!(!months[0].complete, "November started mid-month");
        assert!(months[1].complete);
        // 2026-01-30 is January's last trading day (the 31st is a Saturday).
        assert!(months[2].complete);
        let t = MonthlyTable::from_months(&months);
        assert_eq!(t.years.len(), 2);
        assert_eq!(t.years[0].year, 2025);
        assert!((t.years[0].months_pct[10].unwrap() - 10.0).abs() < 1e-9);
        assert!((t.years[0].months_pct[11].unwrap() - 10.0).abs() < 1e-9);
        assert_eq!(t.years[0].months_pct[9], None);
        assert!((t.years[0].year_pct - 21.0).abs() < 1e-9);
        let january = (1200.0 / 1210.0 * 0.9 - 1.0) * 100.0;
        assert!((t.years[1].months_pct[0].unwrap() - january).abs() < 1e-9);
        assert!((t.years[1].year_pct - january).abs() < 1e-9);
        assert_eq!(complete_month_returns(&months).len(), 2);
    }

    #[test]
    fn the_current_month_is_incomplete_until_its_last_session() {
        // Through 2026-01-15 only: January is running, not complete.
        let v = [dv(d(2025, 12, 31), 1000, 1000), dv(d(2026, 1, 15), 1050, 0)];
        let months = monthly_returns(&v);
        assert_eq!(months.len(), 2);
        assert!(!months[1].complete);
        assert!((months[1].twr - 0.05).abs() < 1e-12);
    }
}
