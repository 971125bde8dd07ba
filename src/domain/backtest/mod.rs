//! The backtest engine (DESIGN §5 "Backtest", issue 6): the live analyzer and sizer replayed
//! day by day over history, with fills at the next open, costs, margin, and honest metrics.
//!
//! Pure: no I/O, no clock. The caller loads every bar of the benchmark and of the symbols
//! (`store::bars`, `store::backtest_bars`), builds a [`Universe`] once with
//! [`Universe::new`] (indicators are computed there), and runs:
//!
//! ```no_run
//! # use std::sync::atomic::AtomicBool;
//! # use ducklens::domain::backtest::*;
//! # fn demo(universe: &Universe, rules: &ducklens::domain::analyzer::AnalysisRules,
//! #         bt: &ducklens::domain::rules::BacktestRules) -> Result<(), BacktestError> {
//! let cancel = AtomicBool::new(false); // set it from another thread to stop
//! let progress = |done: usize, total: usize| eprintln!("{done}/{total}");
//! let presets: Vec<StrategyParams> =
//!     StrategyKind::ALL.iter().map(|k| StrategyParams::preset(*k, bt, rules)).collect();
//! let report = run_strategies(universe, &presets, rules, bt, &progress, &cancel)?;
//! let best = report.best();
//! let grid = run_sweep(universe, &presets[2], &SweepGrid::default(), rules, bt, &progress, &cancel)?;
//! # Ok(()) }
//! ```
//!
//! Every entry point takes `&Universe` (shareable behind an `Arc`), a progress callback
//! `Fn(done, total) + Sync` called from worker threads, and a cancel flag; a cancelled run
//! returns [`BacktestError::Cancelled`]. The TUI worker calls them inside `spawn_blocking`
//! and forwards the callback's calls as `Progress` events.

mod adjust;
mod builder;
mod columns;
mod engine;
mod ledger;
pub mod metrics;
mod overrides;
mod rebalance;
mod strategy;
mod strengths;
mod sweep;
mod universe;
mod verdict;
mod window;

#[cfg(test)]
mod accounting_tests;
#[cfg(test)]
mod margin_tests;
#[cfg(test)]
mod metrics_tests;
#[cfg(test)]
mod prepared_tests;
#[cfg(test)]
mod raw_bar_tests;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

pub use builder::{PreparedBuilder, RawBar};
pub use columns::DaySlots;
pub use engine::{run_strategy, BacktestRun, EquityPoint, Order};
pub use ledger::{Side, Trade};
pub use metrics::{Metrics, TradeStats};
pub use overrides::{InvalidParam, ParamOverrides};
pub use strategy::{decision_slots, Costs, Frequency, StrategyKind, StrategyParams};
pub use sweep::{rank, run_sweep, SweepGrid, SweepPoint};
pub use universe::{BacktestError, Prepared, Universe};
pub use verdict::{verdict, Criterion, Outcome, Verdict};

use crate::domain::analyzer::AnalysisRules;
use crate::domain::rules::BacktestRules;
use crate::domain::symbol::Symbol;

/// `progress(done, total)`: runs or sweep points finished so far.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// One strategy's run with its metrics and verdict.
#[derive(Debug, Clone, Serialize)]
pub struct StrategyResult {
    pub params: StrategyParams,
    pub metrics: Metrics,
    pub verdict: Verdict,
    pub run: BacktestRun,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchmarkResult {
    pub symbol: Symbol,
    pub metrics: Metrics,
}

/// Several strategies over the same days, and the benchmark held from the first close.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub benchmark: BenchmarkResult,
    pub strategies: Vec<StrategyResult>,
}

impl BacktestReport {
    /// The strategy with the best Sharpe (unknown counts as worst), then total return.
    pub fn best(&self) -> Option<&StrategyResult> {
        self.strategies.iter().max_by(|a, b| {
            let s = |r: &StrategyResult| r.metrics.sharpe.unwrap_or(f64::NEG_INFINITY);
            s(a).total_cmp(&s(b)).then(
                a.metrics
                    .total_return_pct
                    .total_cmp(&b.metrics.total_return_pct),
            )
        })
    }
}

/// Runs one strategy and scores it.
fn evaluate(
    universe: &Universe,
    (params, rules): (&StrategyParams, &AnalysisRules),
    backtest: &BacktestRules,
    cancel: &AtomicBool,
    strengths: Option<&strengths::Strengths>,
) -> Result<StrategyResult, BacktestError> {
    let run = engine::run_sharing(universe, params, rules, cancel, strengths)?;
    let metrics = metrics::run_metrics(&run, backtest.risk_free_pct);
    Ok(StrategyResult {
        params: params.clone(),
        verdict: verdict(&metrics, backtest),
        metrics,
        run,
    })
}

/// Runs `params` in parallel, in the given order, plus the benchmark's own metrics.
pub fn run_strategies(
    universe: &Universe,
    params: &[StrategyParams],
    rules: &AnalysisRules,
    backtest: &BacktestRules,
    progress: Progress,
    cancel: &AtomicBool,
) -> Result<BacktestReport, BacktestError> {
    let done = AtomicUsize::new(0);
    let strengths = strengths::Strengths::compute(universe, rules, cancel)?;
    let strategies = params
        .par_iter()
        .map(|p| {
            let r = evaluate(universe, (p, rules), backtest, cancel, strengths.as_ref())?;
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, params.len());
            Ok(r)
        })
        .collect::<Result<Vec<_>, BacktestError>>()?;
    let benchmark = match strategies.first() {
        Some(s) => metrics::benchmark_metrics(&s.run, backtest.risk_free_pct),
        None => {
            let idle = StrategyParams {
                frequency: Frequency::Never,
                max_positions: 0,
                ..StrategyParams::preset(StrategyKind::BuyHold, backtest, rules)
            };
            let run = run_strategy(universe, &idle, rules, cancel)?;
            metrics::benchmark_metrics(&run, backtest.risk_free_pct)
        }
    };
    Ok(BacktestReport {
        from: universe.from(),
        to: universe.to(),
        benchmark: BenchmarkResult {
            symbol: universe.benchmark.symbol.clone(),
            metrics: benchmark,
        },
        strategies,
    })
}
