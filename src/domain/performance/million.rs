//! The road to $1M (the brief's "calculate to $1M timeline").
//!
//! From today's total value, an annual return and a monthly contribution, month by month:
//! V_{k+1} = V_k × (1 + m) + C, with m = (1 + annual)^(1/12) − 1 and the contribution paid at
//! each month's end. The first k with V_k ≥ $1,000,000 is the month it is reached. The same
//! rule, with each month's return drawn at random from the account's own complete months,
//! gives 2,000 paths; their 10th and 90th percentile reach months are the range.
//!
//! Projections are `f64`: a forecast compounded over decades is an estimate, not an amount
//! that is stored or booked, and the powers and logs need floating point.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{pct, to_f64};

pub const TARGET: f64 = 1_000_000.0;
/// A path that has not arrived within 100 years is "not within 100 years".
pub const HORIZON_MONTHS: u32 = 1200;
pub const PATHS: usize = 2_000;
/// Fewer complete months than this and the range is "too short to say".
pub const MIN_MONTHS: usize = 12;

/// What the user asks for: their own annual return instead of the realized one, and what
/// they add each month.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MillionPlan {
    /// Annual return as a fraction (0.07), when the user gives one.
    pub annual_return: Option<f64>,
    pub monthly_contribution: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateSource {
    /// Typed by the user (`--return`).
    Given,
    /// The account's TWR since the start, annualized.
    Realized,
    /// Under a year of history and no rate given.
    TooShort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Reach {
    /// Already at or above the target today.
    Already,
    On {
        date: NaiveDate,
        months: u32,
    },
    /// The return is ≤ 0 and nothing is added, or what is added never outgrows the losses.
    Never,
    /// Still short after [`HORIZON_MONTHS`].
    Beyond {
        years: u32,
    },
    /// No rate to project with.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ReachRange {
    Between {
        early: Reach,
        late: Reach,
        paths: usize,
    },
    TooShort {
        months: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoadToMillion {
    pub from: NaiveDate,
    pub value: Decimal,
    pub annual_return_pct: Option<f64>,
    pub rate_source: RateSource,
    pub monthly_contribution: Decimal,
    pub reach: Reach,
    pub range: ReachRange,
    /// The complete months the range resamples.
    pub sample_months: usize,
}

/// `uniform` gives draws in [0, 1) (the caller passes a fixed-seed generator so the range
/// is the same on every run).
pub fn road_to_million(
    value: Decimal,
    from: NaiveDate,
    plan: &MillionPlan,
    realized_annual: Option<f64>,
    monthly_sample: &[f64],
    uniform: &mut impl FnMut() -> f64,
) -> RoadToMillion {
    let (rate, rate_source) = match (plan.annual_return, realized_annual) {
        (Some(r), _) => (Some(r), RateSource::Given),
        (None, Some(r)) => (Some(r), RateSource::Realized),
        (None, None) => (None, RateSource::TooShort),
    };
    let start = to_f64(value);
    let contribution = to_f64(plan.monthly_contribution);
    let reach = match rate {
        None if start >= TARGET => Reach::Already,
        None => Reach::Unknown,
        Some(r) => {
            let monthly = (1.0 + r).powf(1.0 / 12.0) - 1.0;
            months_to_target(start, contribution, |_| monthly)
                .map_or_else(|never| never, |months| on(from, months))
        }
    };
    let range = if monthly_sample.len() < MIN_MONTHS {
        ReachRange::TooShort {
            months: monthly_sample.len(),
        }
    } else {
        resampled_range(start, contribution, from, monthly_sample, uniform)
    };
    RoadToMillion {
        from,
        value,
        annual_return_pct: rate.map(pct),
        rate_source,
        monthly_contribution: plan.monthly_contribution,
        reach,
        range,
        sample_months: monthly_sample.len(),
    }
}

fn on(from: NaiveDate, months: u32) -> Reach {
    if months == 0 {
        return Reach::Already;
    }
    from.checked_add_months(Months::new(months)).map_or(
        Reach::Beyond {
            years: HORIZON_MONTHS / 12,
        },
        |date| Reach::On { date, months },
    )
}

/// The first month k (0 = already) at which the value reaches the target, growing by
/// `rate_of(k)` and adding `contribution` each month. `Err(Reach::Never)` when a constant
/// rate ≤ 0 without a contribution can never get there; `Err(Reach::Beyond)` past the
/// horizon.
fn months_to_target(
    start: f64,
    contribution: f64,
    mut rate_of: impl FnMut(u32) -> f64,
) -> Result<u32, Reach> {
    let mut value = start;
    if value >= TARGET {
        return Ok(0);
    }
    for month in 1..=HORIZON_MONTHS {
        let rate = rate_of(month);
        if month == 1 && rate <= 0.0 && contribution <= 0.0 {
            return Err(Reach::Never);
        }
        value = value * (1.0 + rate) + contribution;
        if value >= TARGET {
            return Ok(month);
        }
    }
    Err(Reach::Beyond {
        years: HORIZON_MONTHS / 12,
    })
}

/// The 10th and 90th percentile reach months over [`PATHS`] resampled paths (nearest rank;
/// a path that never arrives counts as later than any that does).
fn resampled_range(
    start: f64,
    contribution: f64,
    from: NaiveDate,
    sample: &[f64],
    uniform: &mut impl FnMut() -> f64,
) -> ReachRange {
    let count = sample.len() as f64;
    let last = sample.len() - 1;
    let mut months: Vec<u32> = (0..PATHS)
        .map(|_| {
            // A resampled path is never "never": a later draw may be positive.
            let mut value = start;
            let mut month = 0;
            while value < TARGET && month < HORIZON_MONTHS {
                month += 1;
                let drawn = sample[((uniform() * count) as usize).min(last)];
                value = value * (1.0 + drawn) + contribution;
            }
            if value >= TARGET {
                month
            } else {
                u32::MAX
            }
        })
        .collect();
    months.sort_unstable();
    let at = |p: f64| {
        let rank = ((p * PATHS as f64).ceil() as usize).clamp(1, PATHS) - 1;
        match months[rank] {
            u32::MAX => Reach::Beyond {
                years: HORIZON_MONTHS / 12,
            },
            m => on(from, m),
        }
    };
    ReachRange::Between {
        early: at(0.10),
        late: at(0.90),
        paths: PATHS,
    }
}

impl Reach {
    /// `2035-04 (100 months)`, `already there`, `never at this rate` …: the words the
    /// report and the app both show.
    pub fn describe(&self) -> String {
        match self {
            Reach::Already => "already there".into(),
            Reach::On { date, months } => {
                format!(
                    "{} ({} y {} m)",
                    date.format("%Y-%m"),
                    months / 12,
                    months % 12
                )
            }
            Reach::Never => "never at this rate".into(),
            Reach::Beyond { years } => format!("not within {years} years"),
            Reach::Unknown => "too short to say (under a year of history; give a return)".into(),
        }
    }
}

impl ReachRange {
    pub fn describe(&self) -> String {
        match self {
            ReachRange::Between { early, late, .. } => {
                format!("{} to {}", early.describe(), late.describe())
            }
            ReachRange::TooShort { months } => {
                format!("too short to say ({months} complete months, {MIN_MONTHS} needed)")
            }
        }
    }
}

impl RateSource {
    pub fn describe(self) -> &'static str {
        match self {
            RateSource::Given => "as given",
            RateSource::Realized => "realized TWR since start",
            RateSource::TooShort => "none: under a year of history",
        }
    }
}

/// The closed form of the constant-rate path, for the tests: the smallest k with
/// V0(1+m)^k + C((1+m)^k − 1)/m ≥ T, i.e. k = ⌈ln((T + C/m) / (V0 + C/m)) / ln(1 + m)⌉.
#[cfg(test)]
fn closed_form_months(start: f64, contribution: f64, monthly: f64) -> f64 {
    let c = contribution / monthly;
    (((TARGET + c) / (start + c)).ln() / (1.0 + monthly).ln()).ceil()
}

#[cfg(test)]
mod tests {
    use super::super::test_data::d;
    use super::*;
    use crate::market::rng::SplitMix64;
    use rust_decimal_macros::dec;

    fn run(
        value: Decimal,
        plan: MillionPlan,
        realized: Option<f64>,
        sample: &[f64],
    ) -> RoadToMillion {
        let mut rng = SplitMix64::new(7);
        road_to_million(value, d(2026, 12, 1), &plan, realized, sample, &mut || {
            rng.uniform()
        })
    }

    #[test]
    fn doubling_without_contributions() {
        // 125,000 at 100 % a year doubles each year: 250k, 500k, 1M after 36 months.
        // The monthly rate is 2^(1/12) − 1; month by month the 36th month lands on
        // 1,000,000 up to rounding, so allow the closed form to decide: ⌈ln 8 / ln 2^(1/12)⌉
        // = ⌈36⌉ and floating point may put it at 36 or 37.
        let r = run(
            dec!(125000),
            MillionPlan {
                annual_return: Some(1.0),
                ..Default::default()
            },
            None,
            &[],
        );
        let Reach::On { months, date } = r.reach else {
            panic!("{:?}", r.reach)
        };
        assert!(months == 36 || months == 37, "{months}");
        assert_eq!(
            date,
            d(2026, 12, 1)
                .checked_add_months(Months::new(months))
                .unwrap()
        );
        assert_eq!(r.rate_source, RateSource::Given);
        assert_eq!(r.range, ReachRange::TooShort { months: 0 });
    }

    #[test]
    fn a_contribution_at_zero_return() {
        // 400,000 + 5,000 a month at 0 %: (1,000,000 − 400,000) / 5,000 = 120 months,
        // 2026-12-01 + 120 months = 2036-12-01.
        let plan = MillionPlan {
            annual_return: Some(0.0),
            monthly_contribution: dec!(5000),
        };
        let r = run(dec!(400000), plan, None, &[]);
        assert_eq!(
            r.reach,
            Reach::On {
                date: d(2036, 12, 1),
                months: 120
            }
        );
    }

    #[test]
    fn matches_the_closed_form() {
        // 100,000 at 7 % a year plus 1,000 a month: the closed form
        // k = ⌈ln((T + C/m) / (V0 + C/m)) / ln(1 + m)⌉ with m = 1.07^(1/12) − 1.
        let plan = MillionPlan {
            annual_return: Some(0.07),
            monthly_contribution: dec!(1000),
        };
        let r = run(dec!(100000), plan, None, &[]);
        let m = 1.07f64.powf(1.0 / 12.0) - 1.0;
        let expected = closed_form_months(100_000.0, 1000.0, m) as u32;
        // By hand: m = 0.0056541; C/m = 176,863; (1,176,863 / 276,863) = 4.2507;
        // ln 4.2507 / ln 1.0056541 = 1.44708 / 0.0056382 = 256.6 → 257 months.
        assert_eq!(expected, 257);
        assert_eq!(
            r.reach,
            Reach::On {
                date: d(2048, 5, 1),
                months: 257
            }
        );
    }

    #[test]
    fn never_at_this_rate() {
        let plan = MillionPlan {
            annual_return: Some(-0.02),
            ..Default::default()
        };
        assert_eq!(run(dec!(50000), plan, None, &[]).reach, Reach::Never);
        let flat = MillionPlan {
            annual_return: Some(0.0),
            ..Default::default()
        };
        assert_eq!(run(dec!(50000), flat, None, &[]).reach, Reach::Never);
        // 1 a month at 0 %: 999,000 months, past the 100-year horizon.
        let trickle = MillionPlan {
            annual_return: Some(0.0),
            monthly_contribution: dec!(1),
        };
        assert_eq!(
            run(dec!(1000), trickle, None, &[]).reach,
            Reach::Beyond { years: 100 }
        );
    }

    #[test]
    fn too_short_without_a_year_of_history() {
        let r = run(dec!(50000), MillionPlan::default(), None, &[0.01; 11]);
        assert_eq!(r.rate_source, RateSource::TooShort);
        assert_eq!(r.reach, Reach::Unknown);
        assert_eq!(r.range, ReachRange::TooShort { months: 11 });
        assert_eq!(
            run(dec!(1000000), MillionPlan::default(), None, &[]).reach,
            Reach::Already
        );
    }

    #[test]
    fn a_constant_history_has_no_spread() {
        // Every resampled month is +1 %, so every path is the constant path:
        // 500,000 × 1.01^k ≥ 1,000,000 → k = ⌈ln 2 / ln 1.01⌉ = ⌈69.66⌉ = 70 months.
        let r = run(
            dec!(500000),
            MillionPlan::default(),
            Some(0.126_825_030_131_969_7),
            &[0.01; 24],
        );
        let at_70 = Reach::On {
            date: d(2032, 10, 1),
            months: 70,
        };
        assert_eq!(
            r.range,
            ReachRange::Between {
                early: at_70,
                late: at_70,
                paths: PATHS
            }
        );
        // The realized rate 1.01^12 − 1 = 12.6825 % gives the same 70 months.
        assert_eq!(r.reach, at_70);
        assert_eq!(r.rate_source, RateSource::Realized);
    }

    #[test]
    fn the_range_brackets_a_mixed_history() {
        // Months of +3 % and −1 % alternate: the mean path grows ~1 % a month; the 10th
        // percentile must come no later than the 90th, and both within the horizon.
        let sample: Vec<f64> = (0..24)
            .map(|i| if i % 2 == 0 { 0.03 } else { -0.01 })
            .collect();
        let r = run(dec!(500000), MillionPlan::default(), None, &sample);
        let ReachRange::Between {
            early: Reach::On { months: a, .. },
            late: Reach::On { months: b, .. },
            ..
        } = r.range
        else {
            panic!("{:?}", r.range)
        };
        // All +3 %: ⌈ln 2 / ln 1.03⌉ = 24; all −1 % never: the range sits between.
        assert!(24 <= a && a <= b, "{a} {b}");
        assert!(b < 200, "{b}");
        // Same seed, same range.
        assert_eq!(
            run(dec!(500000), MillionPlan::default(), None, &sample).range,
            r.range
        );
    }
}
