//! The brief's validation criteria, each PASS or FAIL, with thresholds from the config:
//! alpha (the excess return over the benchmark) > 3 %, Sharpe > 1.0, max drawdown < 20 %,
//! win rate of closed trades > 55 %. A criterion that cannot be computed (no closed
//! trades, a flat curve) fails and says so.

use serde::Serialize;

use super::metrics::Metrics;
use crate::domain::rules::BacktestRules;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    Pass,
    Fail,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    pub name: &'static str,
    /// "> 3 %", "< 20 %", …
    pub rule: String,
    pub value: Option<f64>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub criteria: Vec<Criterion>,
    pub passed: usize,
}

fn criterion(
    name: &'static str,
    rule: String,
    value: Option<f64>,
    pass: impl Fn(f64) -> bool,
) -> Criterion {
    let outcome = match value {
        Some(v) if pass(v) => Outcome::Pass,
        _ => Outcome::Fail,
    };
    Criterion {
        name,
        rule,
        value,
        outcome,
    }
}

pub fn verdict(m: &Metrics, rules: &BacktestRules) -> Verdict {
    let (alpha, sharpe) = (rules.verdict_alpha_pct, rules.verdict_sharpe);
    let (dd, win) = (rules.verdict_max_drawdown_pct, rules.verdict_win_rate_pct);
    let criteria = vec![
        criterion(
            "alpha",
            format!("> {alpha} %"),
            Some(m.excess_return_pct),
            |v| v > alpha,
        ),
        criterion("sharpe", format!("> {sharpe}"), m.sharpe, |v| v > sharpe),
        criterion(
            "max_drawdown",
            format!("< {dd} %"),
            Some(m.max_drawdown_pct),
            |v| v < dd,
        ),
        criterion(
            "win_rate",
            format!("> {win} %"),
            m.trade_stats.win_rate_pct,
            |v| v > win,
        ),
    ];
    let passed = criteria
        .iter()
        .filter(|c| c.outcome == Outcome::Pass)
        .count();
    Verdict { criteria, passed }
}
