//! Underperformers and opportunities (DESIGN §5).
//!
//! - **Underperformer**: a holding with alpha < `morning_alpha_pp` or strength <
//!   `morning_strength` (intraday: the `intraday_*` thresholds). Sorted worst alpha first
//!   (unknown alpha last), then weakest first. Its action is SELL when a percentage or
//!   technical stop is hit, else REVIEW.
//! - **Opportunity**: a watchlist symbol not held with strength ≥ `opportunity_min_strength`,
//!   sorted by strength, then alpha (unknown last), then symbol; each carries a suggested
//!   size against the current account alone.

use std::cmp::Ordering;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::holdings::HoldingRow;
use super::series::Facts;
use super::sizing::{Budget, Entry, SizingContext};
use super::{AnalysisRules, CheckMode, SymbolSeries};
use crate::domain::bar::PriceRange;
use crate::domain::indicators::IndicatorRow;
use crate::domain::risk::RiskLevel;
use crate::domain::signal::Band;
use crate::domain::sizer::PositionSize;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FlagAction {
    Sell,
    Review,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Underperformer {
    pub symbol: Symbol,
    pub quantity: Decimal,
    pub price: Decimal,
    pub value: Decimal,
    /// Percentage points against the benchmark.
    pub alpha: Option<f64>,
    pub strength: f64,
    pub strength_complete: bool,
    pub risk_level: Option<RiskLevel>,
    pub reason: String,
    pub action: FlagAction,
    /// The indicators of the as-of bar, for the journal's technical columns.
    #[serde(skip)]
    pub technicals: IndicatorRow,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opportunity {
    pub symbol: Symbol,
    pub price: Decimal,
    pub price_date: NaiveDate,
    /// The last 60 bars' range on the adjusted basis: the reward of the target exit.
    pub range_60d: Option<PriceRange>,
    pub strength: f64,
    pub strength_complete: bool,
    pub band: Band,
    pub lookback_return_pct: Option<f64>,
    pub benchmark_return_pct: Option<f64>,
    pub alpha: Option<f64>,
    pub risk_level: RiskLevel,
    pub volatility_pct: Option<f64>,
    pub size: PositionSize,
    /// The indicators of the as-of bar, for the journal's technical columns.
    #[serde(skip)]
    pub technicals: IndicatorRow,
}

impl Opportunity {
    pub(crate) fn entry(&self) -> Entry {
        Entry {
            price: self.price,
            strength: self.strength,
            risk: self.risk_level,
            range_60d: self.range_60d,
        }
    }
}

/// Descending by `Some` value, `None` last.
fn desc_known_first(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (a, b) => b.is_some().cmp(&a.is_some()),
    }
}

fn flag(row: &HoldingRow, alpha_limit: f64, strength_limit: f64) -> Option<Underperformer> {
    let strength = row.strength?;
    let mut reasons = Vec::new();
    if let Some(a) = row.alpha.filter(|a| *a < alpha_limit) {
        reasons.push(format!("alpha {a:+.1} pp < {alpha_limit:+}"));
    }
    if strength < strength_limit {
        reasons.push(format!("strength {strength:.0} < {strength_limit}"));
    }
    if reasons.is_empty() {
        return None;
    }
    Some(Underperformer {
        symbol: row.symbol.clone(),
        quantity: row.quantity,
        price: row.price?,
        value: row.value?,
        alpha: row.alpha,
        strength,
        strength_complete: row.strength_complete,
        risk_level: row.risk_level,
        reason: reasons.join("; "),
        action: if row.has_hard_stop() {
            FlagAction::Sell
        } else {
            FlagAction::Review
        },
        technicals: row.technicals,
    })
}

pub(super) fn underperformers(
    rows: &[HoldingRow],
    mode: CheckMode,
    rules: &AnalysisRules,
) -> Vec<Underperformer> {
    let s = &rules.screens;
    let (alpha, strength) = match mode {
        CheckMode::Morning => (s.morning_alpha_pp, s.morning_strength),
        CheckMode::Intraday => (s.intraday_alpha_pp, s.intraday_strength),
    };
    let mut out: Vec<Underperformer> = rows
        .iter()
        .filter_map(|r| flag(r, alpha, strength))
        .collect();
    out.sort_by(|a, b| {
        let by_alpha = match (a.alpha, b.alpha) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (x, y) => y.is_some().cmp(&x.is_some()),
        };
        by_alpha
            .then(a.strength.total_cmp(&b.strength))
            .then_with(|| a.symbol.cmp(&b.symbol))
    });
    out
}

fn opportunity(
    symbol: &Symbol,
    f: &Facts,
    benchmark: Option<&SymbolSeries>,
    ctx: &SizingContext,
    budget: &Budget,
) -> Opportunity {
    let (benchmark_return_pct, alpha) = f.versus(benchmark);
    let range_60d = f.range_60d();
    let entry = Entry {
        price: f.price,
        strength: f.strength.score,
        risk: f.risk.level,
        range_60d,
    };
    Opportunity {
        symbol: symbol.clone(),
        price: f.price,
        price_date: f.date,
        range_60d,
        strength: f.strength.score,
        strength_complete: !f.strength.incomplete,
        band: f.strength.band(),
        lookback_return_pct: f.lookback.map(|l| l.return_pct),
        benchmark_return_pct,
        alpha,
        risk_level: f.risk.level,
        volatility_pct: f.risk.volatility_pct,
        size: ctx.size(&entry, budget, Decimal::ZERO),
        technicals: f.row,
    }
}

pub(super) fn opportunities(
    candidates: &[(Symbol, Facts)],
    benchmark: Option<&SymbolSeries>,
    ctx: &SizingContext,
    budget: &Budget,
    rules: &AnalysisRules,
) -> Vec<Opportunity> {
    let mut out: Vec<Opportunity> = candidates
        .iter()
        .filter(|(_, f)| f.strength.score >= rules.screens.opportunity_min_strength)
        .map(|(symbol, f)| opportunity(symbol, f, benchmark, ctx, budget))
        .collect();
    out.sort_by(|a, b| {
        b.strength
            .total_cmp(&a.strength)
            .then(desc_known_first(a.alpha, b.alpha))
            .then_with(|| a.symbol.cmp(&b.symbol))
    });
    out
}
