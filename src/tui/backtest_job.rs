//! A backtest run from the app: prepared under the store lock, computed without it on the
//! blocking pool, reporting progress and stopping when the cancel flag is set.

use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use tokio::sync::mpsc::UnboundedSender;

use super::worker::{Event, JobId};
use crate::domain::backtest::{
    run_strategies, run_sweep, BacktestError, BacktestReport, StrategyKind, SweepGrid, SweepPoint,
};
use crate::service::backtest::{prepare, sweep_base, BacktestPlan, Prepared};
use crate::service::{user_error, Context};
use crate::store::{self, SharedStore};

/// What the parameter form asks for: the plan, and whether to run the sweep instead.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BacktestRequest {
    pub plan: BacktestPlan,
    pub sweep: bool,
}

pub fn strategy_name(s: Option<StrategyKind>) -> &'static str {
    s.map_or("all", StrategyKind::name)
}

#[derive(Debug, Clone)]
pub enum BacktestOutcome {
    /// The strategies compared, saved as these run ids.
    Report {
        report: Box<BacktestReport>,
        run_ids: Vec<i64>,
    },
    Sweep {
        from: NaiveDate,
        to: NaiveDate,
        points: Vec<SweepPoint>,
    },
}

/// Runs the request as `job`: sends `Accepted` once the inputs are prepared (an error before
/// that means the run never started) and `Progress` on the way; `Ok(None)` when cancelled.
/// Symbols without prices in the range are left out, as the CLI does.
pub fn run(
    ctx: &Context,
    store: &SharedStore,
    job: JobId,
    request: &BacktestRequest,
    cancel: &AtomicBool,
    events: &UnboundedSender<Event>,
) -> Result<Option<BacktestOutcome>> {
    let Prepared {
        universe, params, ..
    } = store.with(|s| prepare(ctx, s, &request.plan, request.sweep))?;
    let _ = events.send(Event::Accepted { job });
    let rules = ctx.config.analysis_rules();
    let backtest = &ctx.config.backtest;
    let progress = |done: usize, total: usize| {
        let _ = events.send(Event::Progress { job, done, total });
    };
    let result = if request.sweep {
        let base = sweep_base(ctx, &params);
        let grid = SweepGrid::default();
        run_sweep(&universe, &base, &grid, &rules, backtest, &progress, cancel).map(|points| {
            BacktestOutcome::Sweep {
                from: universe.from(),
                to: universe.to(),
                points,
            }
        })
    } else {
        run_strategies(&universe, &params, &rules, backtest, &progress, cancel).map(|report| {
            BacktestOutcome::Report {
                report: Box::new(report),
                run_ids: Vec::new(),
            }
        })
    };
    match result {
        Err(BacktestError::Cancelled) => Ok(None),
        Err(e) => Err(user_error(e.to_string())),
        Ok(BacktestOutcome::Report { report, .. }) => {
            let run_ids = store.with(|s| -> Result<_> {
                Ok(s.in_transaction(|tx| store::save_backtest_report(tx, &report))?)
            })?;
            Ok(Some(BacktestOutcome::Report { report, run_ids }))
        }
        Ok(sweep) => Ok(Some(sweep)),
    }
}
