//! Parameter sweeps: a grid of rebalance frequency × entry threshold × margin on/off, each
//! point a full run, on all cores (rayon). Progress is reported after every finished point;
//! the cancel flag stops the points not yet started and the ones running (within 64 days).
//! Results are ranked by Sharpe (unknown last), and every point is kept.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::engine::run_sharing;
use super::metrics::{run_metrics, Metrics};
use super::strategy::{Frequency, StrategyParams};
use super::strengths::Strengths;
use super::universe::{BacktestError, Universe};
use super::verdict::{verdict, Verdict};
use super::Progress;
use crate::domain::analyzer::AnalysisRules;
use crate::domain::rules::BacktestRules;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepGrid {
    pub frequencies: Vec<Frequency>,
    pub entry_strengths: Vec<f64>,
    pub margin: Vec<bool>,
}

impl Default for SweepGrid {
    /// 4 frequencies × 8 entry thresholds × margin off/on = 64 points.
    fn default() -> Self {
        SweepGrid {
            frequencies: vec![
                Frequency::Days(7),
                Frequency::Days(14),
                Frequency::Days(30),
                Frequency::Days(60),
            ],
            entry_strengths: vec![50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 85.0],
            margin: vec![false, true],
        }
    }
}

impl SweepGrid {
    /// Every combination, the rest of the parameters taken from `base`.
    pub fn points(&self, base: &StrategyParams) -> Vec<StrategyParams> {
        let mut out = Vec::new();
        for &frequency in &self.frequencies {
            for &entry_strength in &self.entry_strengths {
                for &margin in &self.margin {
                    let suffix = if margin { " margin" } else { "" };
                    out.push(StrategyParams {
                        name: format!("{frequency}, entry {entry_strength}{suffix}"),
                        frequency,
                        entry_strength,
                        margin,
                        ..base.clone()
                    });
                }
            }
        }
        out
    }
}

/// One grid point's outcome. The equity curve is not kept: rerun the point to see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    pub params: StrategyParams,
    pub metrics: Metrics,
    pub verdict: Verdict,
}

/// Best Sharpe first; points whose Sharpe is unknown last, in grid order.
pub fn rank(points: &mut [SweepPoint]) {
    points.sort_by(|a, b| match (a.metrics.sharpe, b.metrics.sharpe) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (x, y) => y.is_some().cmp(&x.is_some()),
    });
}

/// Runs every point of `grid` in parallel; `progress(done, total)` after each.
pub fn run_sweep(
    universe: &Universe,
    base: &StrategyParams,
    grid: &SweepGrid,
    rules: &AnalysisRules,
    backtest: &BacktestRules,
    progress: Progress,
    cancel: &AtomicBool,
) -> Result<Vec<SweepPoint>, BacktestError> {
    let params = grid.points(base);
    let total = params.len();
    let done = AtomicUsize::new(0);
    let strengths = Strengths::compute(universe, rules, cancel)?;
    let mut points = params
        .into_par_iter()
        .map(|params| {
            if cancel.load(Ordering::Relaxed) {
                return Err(BacktestError::Cancelled);
            }
            let run = run_sharing(universe, &params, rules, cancel, strengths.as_ref())?;
            let metrics = run_metrics(&run, backtest.risk_free_pct);
            let verdict = verdict(&metrics, backtest);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            Ok(SweepPoint {
                params,
                metrics,
                verdict,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    rank(&mut points);
    Ok(points)
}
