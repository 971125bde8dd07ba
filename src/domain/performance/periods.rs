//! Returns over 1M, 3M, YTD, 1Y, 3Y and since the start, each next to SPY's over the same
//! two dates.
//!
//! A period ends at the last session (`as_of`). It starts at the last session on or before
//! its start date: as_of − 1, 3, 12 or 36 months, or 31 December of the previous year for
//! YTD (the last close of the old year is the base of the new one). A start date before
//! the first session means the history is shorter than the period: the period says so
//! (`figures: None`) rather than quoting the shorter history under the longer name.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::{pct, to_f64, twr, xirr, BenchmarkCloses, DayValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Period {
    #[serde(rename = "1M")]
    OneMonth,
    #[serde(rename = "3M")]
    ThreeMonths,
    #[serde(rename = "YTD")]
    YearToDate,
    #[serde(rename = "1Y")]
    OneYear,
    #[serde(rename = "3Y")]
    ThreeYears,
    #[serde(rename = "since start")]
    SinceStart,
}

impl Period {
    pub const ALL: [Period; 6] = [
        Period::OneMonth,
        Period::ThreeMonths,
        Period::YearToDate,
        Period::OneYear,
        Period::ThreeYears,
        Period::SinceStart,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Period::OneMonth => "1M",
            Period::ThreeMonths => "3M",
            Period::YearToDate => "YTD",
            Period::OneYear => "1Y",
            Period::ThreeYears => "3Y",
            Period::SinceStart => "Since start",
        }
    }

    /// The date the period starts on, before snapping to a session.
    pub fn start_date(self, as_of: NaiveDate, first: NaiveDate) -> NaiveDate {
        let back = |months| {
            as_of
                .checked_sub_months(Months::new(months))
                .unwrap_or(first)
        };
        match self {
            Period::OneMonth => back(1),
            Period::ThreeMonths => back(3),
            Period::YearToDate => {
                NaiveDate::from_ymd_opt(as_of.year() - 1, 12, 31).unwrap_or(first)
            }
            Period::OneYear => back(12),
            Period::ThreeYears => back(36),
            Period::SinceStart => first,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodReturn {
    pub period: Period,
    /// The period's start date as asked (as_of − 1 month …), before snapping to a session.
    pub wanted_from: NaiveDate,
    /// `None` when the history starts after `wanted_from`.
    pub figures: Option<PeriodFigures>,
}

/// All in percent, and all three on one basis so they can stand side by side: over the
/// period when it is shorter than a year, a year when it is a year or longer (the GIPS
/// rule: a return under a year is never annualized, because a good month compounded to a
/// year is not a result anyone had). The money-weighted figure is the XIRR (annualized,
/// actual/365), brought back to the period's length when the period is under a year:
/// (1 + XIRR)^(days / 365) − 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigures {
    /// The session the period starts from and the one it ends at.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Whether the figures are a year's (the period is 365 days or longer).
    pub annualized: bool,
    pub twr_pct: Option<f64>,
    /// Money-weighted, on the same basis as `twr_pct`.
    pub mwr_pct: Option<f64>,
    /// The XIRR itself, always annualized.
    pub xirr_annual_pct: Option<f64>,
    pub spy_pct: Option<f64>,
    /// TWR − SPY in percentage points.
    pub difference_pp: Option<f64>,
}

/// Every period, ending at the last of `values` (ascending, not empty).
pub fn period_returns(values: &[DayValue], benchmark: &BenchmarkCloses) -> Vec<PeriodReturn> {
    let (Some(first), Some(last)) = (values.first(), values.last()) else {
        return Vec::new();
    };
    let end = values.len() - 1;
    Period::ALL
        .iter()
        .map(|&period| {
            let wanted_from = period.start_date(last.date, first.date);
            let figures = (wanted_from >= first.date)
                .then(|| twr::session_on_or_before(values, wanted_from))
                .flatten()
                .map(|start| figures(values, benchmark, start, end));
            PeriodReturn {
                period,
                wanted_from,
                figures,
            }
        })
        .collect()
}

fn figures(
    values: &[DayValue],
    benchmark: &BenchmarkCloses,
    start: usize,
    end: usize,
) -> PeriodFigures {
    let (from, to) = (values[start].date, values[end].date);
    let years = (to - from).num_days() as f64 / 365.0;
    let annualized = years >= 1.0;
    // A cumulative return over `years` as a year's, or a year's over the period.
    let per_year = |cumulative: f64| (1.0 + cumulative).powf(1.0 / years) - 1.0;
    let over_period = |annual: f64| (1.0 + annual).powf(years) - 1.0;
    let on_basis =
        |cumulative: Option<f64>| cumulative.map(|c| pct(if annualized { per_year(c) } else { c }));
    let twr_pct = on_basis(twr::twr(values, start, end));
    let spy_pct = on_basis(benchmark_return(benchmark, from, to));
    let xirr = xirr::account_xirr(values, start, end);
    PeriodFigures {
        from,
        to,
        annualized,
        twr_pct,
        mwr_pct: xirr.map(|r| pct(if annualized { r } else { over_period(r) })),
        xirr_annual_pct: xirr.map(pct),
        spy_pct,
        difference_pp: twr_pct.zip(spy_pct).map(|(a, b)| a - b),
    }
}

/// close(last bar on or before `to`) / close(last bar on or before `from`) − 1, as a
/// fraction; `None` when either bar is missing or the base is not positive.
pub fn benchmark_return(
    benchmark: &BenchmarkCloses,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<f64> {
    let close_on = |date: NaiveDate| {
        let i = benchmark
            .partition_point(|(d, _)| *d <= date)
            .checked_sub(1)?;
        Some(to_f64(benchmark[i].1))
    };
    let base = close_on(from)?;
    (base > 0.0).then(|| close_on(to).map(|end| end / base - 1.0))?
}

/// The realized TWR since the first session, annualized over calendar days:
/// (1 + TWR)^(365 / days) − 1. `None` under one year of history: a few good weeks
/// compounded over a year is no rate to plan on.
pub fn annualized_since_start(values: &[DayValue]) -> Option<f64> {
    let (first, last) = (values.first()?, values.last()?);
    let days = (last.date - first.date).num_days();
    if days < 365 {
        return None;
    }
    let growth = 1.0 + twr::twr(values, 0, values.len() - 1)?;
    (growth > 0.0).then(|| growth.powf(365.0 / days as f64) - 1.0)
}

#[cfg(test)]
mod tests {
    use super::super::test_data::{d, dv};
    use super::*;
    use rust_decimal::Decimal;

    fn spy(rows: &[(NaiveDate, i64)]) -> Vec<(NaiveDate, Decimal)> {
        rows.iter().map(|(d, c)| (*d, Decimal::from(*c))).collect()
    }

    #[test]
    fn each_period_starts_at_the_last_session_on_or_before_its_date() {
        // as_of 2026-03-31. 1M wants 2026-02-28 (a Saturday): the last session on or
        // before it is 02-27. YTD wants 2025-12-31. 1Y wants 2025-03-31, before the first
        // session (2025-06-02): too short. Since start: 2025-06-02.
        let v = [
            dv(d(2025, 6, 2), 1000, 1000),
            dv(d(2025, 12, 31), 1200, 0),
            dv(d(2026, 2, 27), 1250, 0),
            dv(d(2026, 3, 2), 1000, -300),
            dv(d(2026, 3, 31), 1100, 0),
        ];
        let bench = spy(&[
            (d(2025, 6, 2), 500),
            (d(2025, 12, 31), 550),
            (d(2026, 2, 27), 540),
            (d(2026, 3, 31), 567),
        ]);
        let p = period_returns(&v, &bench);
        let one_month = p[0].figures.as_ref().unwrap();
        assert_eq!(
            (one_month.from, one_month.to),
            (d(2026, 2, 27), d(2026, 3, 31))
        );
        // TWR: (1000 + 300) / 1250 = 1.04, then 1100 / 1000 = 1.1 → 1.144 → +14.4 %.
        // SPY: 567 / 540 = 1.05 → +5 %. Difference 9.4 pp.
        assert!((one_month.twr_pct.unwrap() - 14.4).abs() < 1e-9);
        assert!((one_month.spy_pct.unwrap() - 5.0).abs() < 1e-9);
        assert!((one_month.difference_pp.unwrap() - 9.4).abs() < 1e-9);
        let ytd = p[2].figures.as_ref().unwrap();
        // From 1200: 1250/1200 × 1.04 × 1.1 = 1.191666… → +19.1667 %; SPY 567/550 − 1.
        assert_eq!(ytd.from, d(2025, 12, 31));
        assert!((ytd.twr_pct.unwrap() - (1250.0 / 1200.0 * 1.144 - 1.0) * 100.0).abs() < 1e-9);
        assert!((ytd.spy_pct.unwrap() - (567.0 / 550.0 - 1.0) * 100.0).abs() < 1e-9);
        assert_eq!(p[3].period, Period::OneYear);
        assert_eq!(p[3].wanted_from, d(2025, 3, 31));
        assert_eq!(p[3].figures, None);
        assert_eq!(p[4].figures, None);
        let since = p[5].figures.as_ref().unwrap();
        // 1.2 × 1250/1200 × 1.04 × 1.1 = 1.43 → +43 %; SPY 567 / 500 = +13.4 %; 302 days,
        // under a year, so not annualized.
        assert!(!since.annualized);
        assert!((since.twr_pct.unwrap() - 43.0).abs() < 1e-9);
        assert!((since.spy_pct.unwrap() - 13.4).abs() < 1e-9);
        // The money-weighted figure over the period: the XIRR brought back to 302 days.
        let xirr = since.xirr_annual_pct.unwrap() / 100.0;
        let mwr = ((1.0 + xirr).powf(302.0 / 365.0) - 1.0) * 100.0;
        assert!((since.mwr_pct.unwrap() - mwr).abs() < 1e-6);
    }

    #[test]
    fn a_period_of_a_year_or_more_is_annualized() {
        // 2024-01-01 → 2025-12-31 is 730 days. Account 1000 → 1210: 1.21^(1/2) = 1.1 →
        // +10 % a year, and with no flows the XIRR is the same 10 %. SPY 100 → 144:
        // 1.44^(1/2) = 1.2 → +20 % a year. Difference −10 pp.
        let v = [dv(d(2024, 1, 1), 1000, 1000), dv(d(2025, 12, 31), 1210, 0)];
        let bench = spy(&[(d(2024, 1, 1), 100), (d(2025, 12, 31), 144)]);
        let since = period_returns(&v, &bench)[5].figures.clone().unwrap();
        assert!(since.annualized);
        assert!((since.twr_pct.unwrap() - 10.0).abs() < 1e-9);
        assert!((since.mwr_pct.unwrap() - 10.0).abs() < 1e-9);
        assert!((since.spy_pct.unwrap() - 20.0).abs() < 1e-9);
        assert!((since.difference_pp.unwrap() + 10.0).abs() < 1e-9);
    }

    #[test]
    fn annualizes_only_a_year_or_more() {
        // 1000 → 1210 over 730 days: 1.21^(365/730) = 1.1 → 10 % a year.
        let v = [dv(d(2024, 1, 1), 1000, 1000), dv(d(2025, 12, 31), 1210, 0)];
        assert!((annualized_since_start(&v).unwrap() - 0.1).abs() < 1e-12);
        let short = [dv(d(2025, 1, 1), 1000, 1000), dv(d(2025, 12, 31), 1210, 0)];
        assert_eq!(annualized_since_start(&short), None);
    }
}
