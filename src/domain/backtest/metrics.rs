//! Performance metrics of an equity curve. `f64` lives only inside these formulas; money
//! (the final value) stays `Decimal`.
//!
//! Conventions (also in the README):
//! - daily simple returns r_i = E_i / E_{i−1} − 1; n = number of returns; 252 periods a year;
//! - total return = E_last / E_first − 1; CAGR = (E_last / E_first)^(252 / n) − 1;
//! - volatility = sample standard deviation (n − 1) of r × √252;
//! - Sharpe = mean(r − rf_d) / sd(r) × √252, with rf_d = risk-free % / 100 / 252;
//! - Sortino = mean(r − rf_d) / √(Σ min(0, r − rf_d)² / n) × √252: the downside deviation
//!   is taken over all returns, not only the negative ones;
//! - max drawdown = the largest fall from a running peak, the first day counting as a peak;
//!   its duration is the trading days from the peak to the recovery (or to the last day);
//! - CAPM: beta = cov(r, b) / var(b) (sample), alpha = (mean(r − rf_d) − beta × mean(b −
//!   rf_d)) × 252, in percent per year.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::engine::BacktestRun;
use super::ledger::Side;

pub const PERIODS_PER_YEAR: f64 = 252.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Drawdown {
    pub pct: f64,
    pub peak: NaiveDate,
    pub trough: NaiveDate,
    pub recovered: Option<NaiveDate>,
    /// Trading days from the peak to the recovery, or to the last day when not recovered.
    pub days: usize,
}

/// The trade-log side of the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TradeStats {
    /// Share of closed trades (sales) with a positive P&L after costs; `None` without any.
    pub win_rate_pct: Option<f64>,
    pub avg_hold_days: Option<f64>,
    pub trades: usize,
    /// Traded value (buys + sales) / 2 / average equity.
    pub turnover: f64,
    /// Average share of gross assets (cash + positions) invested, in percent.
    pub exposure_pct: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub final_value: Decimal,
    pub total_return_pct: f64,
    pub cagr_pct: Option<f64>,
    pub benchmark_return_pct: f64,
    pub excess_return_pct: f64,
    pub alpha_capm_pct: Option<f64>,
    pub beta: Option<f64>,
    pub max_drawdown_pct: f64,
    pub max_drawdown_peak: NaiveDate,
    pub max_drawdown_trough: NaiveDate,
    pub max_drawdown_recovered: Option<NaiveDate>,
    pub max_drawdown_days: usize,
    pub volatility_pct: Option<f64>,
    pub sharpe: Option<f64>,
    pub sortino: Option<f64>,
    /// The largest margin debt at a close; 0 for the benchmark.
    pub max_debt: Decimal,
    /// Interest charged on margin debt over the run; 0 for the benchmark.
    pub interest_paid: Decimal,
    #[serde(flatten)]
    pub trade_stats: TradeStats,
}

pub fn daily_returns(values: &[f64]) -> Vec<f64> {
    values.windows(2).map(|w| w[1] / w[0] - 1.0).collect()
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample standard deviation (n − 1).
fn sample_sd(xs: &[f64]) -> Option<f64> {
    let m = mean(xs).filter(|_| xs.len() > 1)?;
    let ss: f64 = xs.iter().map(|x| (x - m).powi(2)).sum();
    Some((ss / (xs.len() - 1) as f64).sqrt())
}

fn daily_rf(risk_free_pct: f64) -> f64 {
    risk_free_pct / 100.0 / PERIODS_PER_YEAR
}

pub fn volatility_pct(returns: &[f64]) -> Option<f64> {
    sample_sd(returns).map(|sd| sd * PERIODS_PER_YEAR.sqrt() * 100.0)
}

pub fn sharpe(returns: &[f64], risk_free_pct: f64) -> Option<f64> {
    let excess = mean(returns)? - daily_rf(risk_free_pct);
    let sd = sample_sd(returns).filter(|sd| *sd > 0.0)?;
    Some(excess / sd * PERIODS_PER_YEAR.sqrt())
}

pub fn sortino(returns: &[f64], risk_free_pct: f64) -> Option<f64> {
    let rf = daily_rf(risk_free_pct);
    let excess = mean(returns)? - rf;
    let downside: f64 = returns.iter().map(|r| (r - rf).min(0.0).powi(2)).sum();
    let dd = (downside / returns.len() as f64).sqrt();
    (dd > 0.0).then(|| excess / dd * PERIODS_PER_YEAR.sqrt())
}

pub fn cagr_pct(first: f64, last: f64, returns: usize) -> Option<f64> {
    (first > 0.0 && last >= 0.0 && returns > 0)
        .then(|| ((last / first).powf(PERIODS_PER_YEAR / returns as f64) - 1.0) * 100.0)
}

/// The deepest fall from a running peak; the first day is a peak.
pub fn max_drawdown(dates: &[NaiveDate], values: &[f64]) -> Drawdown {
    let (mut peak, mut best) = (0, (0.0, 0, 0));
    for (i, v) in values.iter().enumerate() {
        if *v > values[peak] {
            peak = i;
        }
        let dd = if values[peak] > 0.0 {
            1.0 - v / values[peak]
        } else {
            0.0
        };
        if dd > best.0 {
            best = (dd, peak, i);
        }
    }
    let (pct, peak, trough) = best;
    let recovery = (trough..values.len()).find(|&i| pct > 0.0 && values[i] >= values[peak]);
    let end = recovery.unwrap_or(values.len().saturating_sub(1));
    Drawdown {
        pct: pct * 100.0,
        peak: dates[peak],
        trough: dates[trough],
        recovered: recovery.map(|i| dates[i]),
        days: if pct > 0.0 { end - peak } else { 0 },
    }
}

/// The drawdown of each day from the running peak, in percent (0 at a peak).
pub fn drawdown_curve(values: &[f64]) -> Vec<f64> {
    let mut peak = f64::MIN;
    values
        .iter()
        .map(|v| {
            peak = peak.max(*v);
            if peak > 0.0 {
                (1.0 - v / peak) * 100.0
            } else {
                0.0
            }
        })
        .collect()
}

/// CAPM alpha (percent a year) and beta against the benchmark's returns.
pub fn capm(returns: &[f64], benchmark: &[f64], risk_free_pct: f64) -> Option<(f64, f64)> {
    let rf = daily_rf(risk_free_pct);
    let (mr, mb) = (mean(returns)?, mean(benchmark)?);
    if returns.len() != benchmark.len() || returns.len() < 2 {
        return None;
    }
    let n1 = (returns.len() - 1) as f64;
    let cov: f64 = returns
        .iter()
        .zip(benchmark)
        .map(|(r, b)| (r - mr) * (b - mb))
        .sum::<f64>()
        / n1;
    let var: f64 = benchmark.iter().map(|b| (b - mb).powi(2)).sum::<f64>() / n1;
    if var <= 0.0 {
        return None;
    }
    let beta = cov / var;
    let alpha = ((mr - rf) - beta * (mb - rf)) * PERIODS_PER_YEAR * 100.0;
    Some((alpha, beta))
}

/// Every metric of `values` (one per date) against `benchmark` (same dates).
pub fn metrics(
    dates: &[NaiveDate],
    values: &[f64],
    benchmark: &[f64],
    final_value: Decimal,
    trade_stats: TradeStats,
    risk_free_pct: f64,
) -> Metrics {
    let returns = daily_returns(values);
    let bench_returns = daily_returns(benchmark);
    let total = |v: &[f64]| match (v.first(), v.last()) {
        (Some(f), Some(l)) if *f > 0.0 => (l / f - 1.0) * 100.0,
        _ => 0.0,
    };
    let total_return_pct = total(values);
    let benchmark_return_pct = total(benchmark);
    let capm = capm(&returns, &bench_returns, risk_free_pct);
    let dd = max_drawdown(dates, values);
    Metrics {
        final_value,
        total_return_pct,
        cagr_pct: cagr_pct(values[0], values[values.len() - 1], returns.len()),
        benchmark_return_pct,
        excess_return_pct: total_return_pct - benchmark_return_pct,
        alpha_capm_pct: capm.map(|c| c.0),
        beta: capm.map(|c| c.1),
        max_drawdown_pct: dd.pct,
        max_drawdown_peak: dd.peak,
        max_drawdown_trough: dd.trough,
        max_drawdown_recovered: dd.recovered,
        max_drawdown_days: dd.days,
        volatility_pct: volatility_pct(&returns),
        sharpe: sharpe(&returns, risk_free_pct),
        sortino: sortino(&returns, risk_free_pct),
        max_debt: Decimal::ZERO,
        interest_paid: Decimal::ZERO,
        trade_stats,
    }
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Win rate, holding period, count, turnover and exposure from a run.
pub fn trade_stats(run: &BacktestRun) -> TradeStats {
    let closed: Vec<_> = run.trades.iter().filter(|t| t.side == Side::Sell).collect();
    let wins = closed
        .iter()
        .filter(|t| t.pnl.is_some_and(|p| p > Decimal::ZERO))
        .count();
    let holds: Vec<f64> = closed
        .iter()
        .filter_map(|t| t.hold_days)
        .map(|d| d as f64)
        .collect();
    let traded: f64 = run.trades.iter().map(|t| f(t.quantity * t.price)).sum();
    let equities: Vec<f64> = run.equity.iter().map(|p| f(p.equity)).collect();
    let exposures: Vec<f64> = run
        .equity
        .iter()
        .map(|p| {
            let gross = f(p.cash + p.positions_value);
            if gross > 0.0 {
                f(p.positions_value) / gross * 100.0
            } else {
                0.0
            }
        })
        .collect();
    let avg_equity = mean(&equities).unwrap_or(0.0);
    TradeStats {
        win_rate_pct: (!closed.is_empty()).then(|| wins as f64 / closed.len() as f64 * 100.0),
        avg_hold_days: mean(&holds),
        trades: run.trades.len(),
        turnover: if avg_equity > 0.0 {
            traded / 2.0 / avg_equity
        } else {
            0.0
        },
        exposure_pct: mean(&exposures).unwrap_or(0.0),
    }
}

/// The metrics of a run, against the benchmark curve of the same run.
pub fn run_metrics(run: &BacktestRun, risk_free_pct: f64) -> Metrics {
    let dates: Vec<NaiveDate> = run.equity.iter().map(|p| p.date).collect();
    let values: Vec<f64> = run.equity.iter().map(|p| f(p.equity)).collect();
    let bench: Vec<f64> = run.equity.iter().map(|p| f(p.benchmark)).collect();
    let last = run.equity.last().map(|p| p.equity).unwrap_or_default();
    Metrics {
        max_debt: run.equity.iter().map(|p| p.debt).max().unwrap_or_default(),
        interest_paid: run.interest,
        ..metrics(
            &dates,
            &values,
            &bench,
            last,
            trade_stats(run),
            risk_free_pct,
        )
    }
}

/// The benchmark bought at the first close and held: the same code, itself as benchmark.
pub fn benchmark_metrics(run: &BacktestRun, risk_free_pct: f64) -> Metrics {
    let dates: Vec<NaiveDate> = run.equity.iter().map(|p| p.date).collect();
    let bench: Vec<f64> = run.equity.iter().map(|p| f(p.benchmark)).collect();
    let last = run.equity.last().map(|p| p.benchmark).unwrap_or_default();
    let stats = TradeStats {
        trades: 1,
        exposure_pct: 100.0,
        ..TradeStats::default()
    };
    metrics(&dates, &bench, &bench, last, stats, risk_free_pct)
}
