//! A backtest run from the app: loaded under the store lock, computed without it on the
//! blocking pool, reporting progress and stopping when the cancel flag is set.

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use tokio::sync::mpsc::UnboundedSender;

use super::worker::Event;
use crate::cli::args::{BacktestArgs, StrategyArg, StrategyFlags};
use crate::cli::Context;
use crate::domain::backtest::{
    run_strategies, run_sweep, BacktestError, BacktestReport, StrategyKind, StrategyParams,
    SweepGrid, SweepPoint, Universe,
};
use crate::domain::symbol::Symbol;
use crate::store::{self, Store};

/// What the parameter form asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestRequest {
    pub strategy: StrategyArg,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Capital, frequency, thresholds, sizing, positions, margin limit and costs.
    pub flags: StrategyFlags,
    pub sweep: bool,
}

impl Default for BacktestRequest {
    fn default() -> Self {
        BacktestRequest {
            strategy: StrategyArg::All,
            from: None,
            to: None,
            flags: StrategyFlags::default(),
            sweep: false,
        }
    }
}

const STRATEGIES: [(StrategyArg, &str); 5] = [
    (StrategyArg::All, "all"),
    (StrategyArg::BuyHold, "buy-hold"),
    (StrategyArg::Weekly, "weekly"),
    (StrategyArg::Monthly, "monthly"),
    (StrategyArg::MonthlyMargin, "monthly-margin"),
];

pub fn parse_strategy(raw: &str) -> Option<StrategyArg> {
    let wanted = raw.trim().to_ascii_lowercase();
    STRATEGIES
        .iter()
        .find(|(_, name)| *name == wanted)
        .map(|(s, _)| *s)
}

pub fn strategy_name(s: StrategyArg) -> &'static str {
    STRATEGIES
        .iter()
        .find(|(x, _)| *x == s)
        .map_or("all", |(_, n)| n)
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

fn args(r: &BacktestRequest) -> BacktestArgs {
    BacktestArgs {
        strategy: r.strategy,
        from: r.from,
        to: r.to,
        symbols: Vec::new(),
        params: r.flags.clone(),
        benchmark: None,
        sweep: r.sweep,
        json: false,
    }
}

/// Everything a run needs, read in one go so the store is free while it computes.
fn prepare(
    ctx: &Context,
    store: &Store,
    r: &BacktestRequest,
) -> Result<(Universe, Vec<StrategyParams>)> {
    let args = args(r);
    let rules = ctx.config.analysis_rules();
    let benchmark = Symbol::parse(&rules.general.benchmark)?;
    let symbols = crate::cli::backtest::universe_symbols(store, &args)?;
    let (from, to) = crate::cli::backtest::range(ctx, store, &args, &benchmark)?;
    let overrides = crate::cli::backtest::overrides(&r.flags)?;
    let params = crate::cli::backtest::presets(ctx, &args, &overrides);
    // Symbols without prices in the range are left out, as the CLI does (it says so on
    // stderr; the app has the universe's size in the comparison instead).
    let (universe, _left_out) = crate::cli::backtest::load(store, &benchmark, &symbols, from, to)?;
    Ok((universe, params))
}

/// Runs the request and sends `Progress` events on the way; `Ok(None)` when cancelled.
pub fn run(
    ctx: &Context,
    store: &Mutex<Store>,
    request: &BacktestRequest,
    cancel: &AtomicBool,
    events: &UnboundedSender<Event>,
) -> Result<Option<BacktestOutcome>> {
    let (universe, params) = {
        let guard = store.lock().unwrap_or_else(|p| p.into_inner());
        prepare(ctx, &guard, request)?
    };
    let rules = ctx.config.analysis_rules();
    let backtest = &ctx.config.backtest;
    let progress = |done: usize, total: usize| {
        let _ = events.send(Event::Progress { done, total });
    };
    let result = if request.sweep {
        let base = params
            .last()
            .cloned()
            .unwrap_or_else(|| StrategyParams::preset(StrategyKind::Monthly, backtest, &rules));
        run_sweep(
            &universe,
            &base,
            &SweepGrid::default(),
            &rules,
            backtest,
            &progress,
            cancel,
        )
        .map(|points| BacktestOutcome::Sweep {
            from: universe.from(),
            to: universe.to(),
            points,
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
        Err(e) => Err(crate::cli::user_error(e.to_string())),
        Ok(BacktestOutcome::Report { report, .. }) => {
            let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
            let run_ids = guard.in_transaction(|tx| store::save_backtest_report(tx, &report))?;
            Ok(Some(BacktestOutcome::Report { report, run_ids }))
        }
        Ok(sweep) => Ok(Some(sweep)),
    }
}
