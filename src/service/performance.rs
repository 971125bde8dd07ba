//! The performance figures the `performance` command and the Account tab show: the
//! ledger's daily values and the benchmark's adjusted closes, handed to
//! `domain::performance`.

use chrono::{Duration, NaiveDate};
use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use super::{ledger, user_error, Context};
use crate::domain::ledger::{LedgerState, PriceHistory};
use crate::domain::performance::chart::{value_vs_benchmark, ValueVsBenchmark};
use crate::domain::performance::holdings::{ledger_figures, LedgerFigures, Sessions};
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

/// The performance with what the ledger adds (P&L, dividends, fees, interest, each
/// holding's day and contribution), as `ducklens performance` prints it and the Account tab
/// shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AccountReport {
    #[serde(flatten)]
    pub performance: Performance,
    pub ledger: LedgerFigures,
    /// The value-vs-SPY chart's points (every session; not in the JSON).
    #[serde(skip)]
    pub chart: Vec<ValueVsBenchmark>,
}

/// The account's report as of `as_of` (default today), from the ledger's daily values.
pub fn account_report(
    ctx: &Context,
    store: &Store,
    as_of: Option<NaiveDate>,
    plan: &MillionPlan,
) -> Result<AccountReport> {
    let wanted = as_of.unwrap_or(ctx.today);
    let values = ledger::daily_values(ctx, store, NaiveDate::MIN, wanted)?;
    report_over(ctx, store, history_from_first_holding(&values), as_of, plan)
}

/// The sessions from the first on which the account holds anything (or money moves):
/// the bars of the days before it are not the account's history.
pub fn history_from_first_holding(values: &[DayValue]) -> &[DayValue] {
    let start = values
        .iter()
        .position(|v| !v.value.is_zero() || !v.flow.is_zero())
        .unwrap_or(values.len());
    &values[start..]
}

/// [`account_report`] over daily values already derived (the worker's path, and the tests
/// that generate a history).
pub fn report_over(
    ctx: &Context,
    store: &Store,
    values: &[DayValue],
    as_of: Option<NaiveDate>,
    plan: &MillionPlan,
) -> Result<AccountReport> {
    let performance = performance_over(ctx, store, values, as_of, plan)?;
    let (_, closes) = benchmark_closes(ctx, store, performance.first)?;
    let shown = values.partition_point(|v| v.date <= performance.as_of);
    let chart = value_vs_benchmark(&values[..shown], &closes);
    let transactions = store.transactions()?;
    let state = ledger::state_at(ctx, store, performance.as_of)?;
    let previous = performance.today.as_ref().map(|d| d.previous);
    let before = match previous {
        Some(day) => ledger::state_at(ctx, store, day)?,
        None => LedgerState::new(ctx.config.ledger.cost_method),
    };
    let history = store.ledger_closes(performance.as_of, &[])?;
    let sessions = Sessions {
        today: performance.as_of,
        previous,
        state: &state,
        before: &before,
    };
    let ledger = ledger_figures(&transactions, &sessions, &|s, day| {
        close_on(&history, s, day)
    });
    Ok(AccountReport {
        performance,
        ledger,
        chart,
    })
}

fn close_on(history: &PriceHistory, symbol: &Symbol, day: NaiveDate) -> Option<Decimal> {
    let bars = history.get(symbol)?;
    let i = bars.partition_point(|(d, _)| *d <= day).checked_sub(1)?;
    Some(bars[i].1)
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
