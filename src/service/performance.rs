//! The performance figures the `performance` command and the Account tab show: the
//! ledger's daily values and the benchmark's adjusted closes, handed to
//! `domain::performance`.

use chrono::{Duration, NaiveDate};
use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use super::{user_error, Context};
use crate::domain::performance::{summarize, DayValue, MillionPlan, Performance};
use crate::domain::symbol::Symbol;
use crate::market::rng::SplitMix64;
use crate::store::Store;

/// The road to $1M's resampling uses this seed, so the range is the same on every run
/// and in the app and the CLI alike.
pub const RESAMPLE_SEED: u64 = 0x00D0_C1E5;

/// The benchmark's closes from a week before `from` (so that the last bar on or before the
/// first session exists), on adjusted closes where the source has them: a total return.
pub fn benchmark_closes(
    ctx: &Context,
    store: &Store,
    from: NaiveDate,
) -> Result<(Symbol, Vec<(NaiveDate, Decimal)>)> {
    let name = &ctx.config.analysis_rules().general.benchmark;
    let benchmark =
        Symbol::parse(name).map_err(|e| user_error(format!("config general.benchmark: {e}")))?;
    let bars = store.bars_since(&benchmark, from - Duration::days(7))?;
    let closes = bars
        .into_iter()
        .map(|b| (b.date, b.adj_close.unwrap_or(b.close)))
        .collect();
    Ok((benchmark, closes))
}

/// The performance as of the last session of `values` on or before `as_of` (default
/// today). No session that early is a user error naming what to record.
pub fn performance_over(
    ctx: &Context,
    store: &Store,
    values: &[DayValue],
    as_of: Option<NaiveDate>,
    plan: &MillionPlan,
) -> Result<Performance> {
    let wanted = as_of.unwrap_or(ctx.today);
    let Some(first) = values.first().filter(|v| v.date <= wanted) else {
        return Err(user_error(format!(
            "no account history on or before {wanted}: record a deposit with `ducklens cash deposit AMOUNT --date YYYY-MM-DD`"
        )));
    };
    let (_, closes) = benchmark_closes(ctx, store, first.date)?;
    let mut rng = SplitMix64::new(RESAMPLE_SEED);
    summarize(values, &closes, wanted, plan, &mut || rng.uniform())
        .ok_or_else(|| user_error(format!("no account history on or before {wanted}")))
}

/// `--return 7.5` (percent a year) and `--monthly-contribution 500`, checked: the field is
/// named in the message and nothing runs on a bad value.
pub fn plan_from_text(
    annual_return_pct: Option<&str>,
    monthly_contribution: Option<&str>,
) -> Result<MillionPlan> {
    use crate::domain::parse::parse_decimal;
    let annual_return = annual_return_pct
        .map(|text| {
            let pct = parse_decimal(text).map_err(|e| user_error(format!("--return: {e}")))?;
            if pct <= Decimal::from(-100) {
                return Err(user_error(format!(
                    "--return: {pct} % a year would lose everything; give more than -100"
                )));
            }
            Ok(crate::domain::performance::to_f64(pct) / 100.0)
        })
        .transpose()?;
    let monthly_contribution = match monthly_contribution {
        None => Decimal::ZERO,
        Some(text) => {
            let amount = parse_decimal(text)
                .map_err(|e| user_error(format!("--monthly-contribution: {e}")))?;
            if amount.is_sign_negative() {
                return Err(user_error(format!(
                    "--monthly-contribution: {amount} is negative; give 0 or more"
                )));
            }
            amount
        }
    };
    Ok(MillionPlan {
        annual_return,
        monthly_contribution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_names_a_bad_field() {
        let plan = plan_from_text(Some("7.5"), Some("$500")).unwrap();
        assert!((plan.annual_return.unwrap() - 0.075).abs() < 1e-12);
        assert_eq!(plan.monthly_contribution, Decimal::from(500));
        let err = plan_from_text(Some("seven"), None).unwrap_err().to_string();
        assert!(err.starts_with("--return:"), "{err}");
        let err = plan_from_text(Some("-100"), None).unwrap_err().to_string();
        assert!(err.contains("lose everything"), "{err}");
        let err = plan_from_text(None, Some("-5")).unwrap_err().to_string();
        assert!(err.starts_with("--monthly-contribution:"), "{err}");
        assert_eq!(plan_from_text(None, None).unwrap(), MillionPlan::default());
    }
}
