//! Every threshold the domain computes with, as plain data. `crate::config` fills these from
//! `assets/config.toml` and the user's file; the domain only ever receives them as arguments.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralRules {
    pub benchmark: String,
    pub market_symbols: Vec<String>,
    pub lookback_days: u32,
}

pub use super::signal::SignalRules;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenRules {
    pub morning_alpha_pp: f64,
    pub morning_strength: f64,
    pub intraday_alpha_pp: f64,
    pub intraday_strength: f64,
    pub opportunity_min_strength: f64,
    pub swap_min_improvement: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRules {
    pub high_rsi: f64,
    pub high_volatility_pct: f64,
    pub medium_rsi: f64,
    pub medium_volatility_pct: f64,
    pub volatility_window: usize,
}

/// A score tier: applies when the value is strictly above `above`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AboveTier {
    pub above: f64,
    pub points: f64,
}

/// A score tier: applies when the value is strictly below `below`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BelowTier {
    pub below: f64,
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthRules {
    pub base: f64,
    pub alpha: Vec<AboveTier>,
    pub alpha_else: f64,
    pub strength: Vec<AboveTier>,
    pub strength_else: f64,
    pub breadth: Vec<BelowTier>,
    pub breadth_else: f64,
    pub grade_a: f64,
    pub grade_b: f64,
    pub grade_c: f64,
    pub grade_d: f64,
    pub concentration_pct: f64,
    pub min_positions: usize,
    pub min_cash_reserve_pct: f64,
}

/// An allocation band: strength in `[from, to)` (the top band includes `to`) maps linearly
/// from `min_pct` towards `max_pct`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationBand {
    pub from: f64,
    pub to: f64,
    pub min_pct: f64,
    pub max_pct: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizingRules {
    pub bands: Vec<AllocationBand>,
    pub risk_multiplier_low: f64,
    pub risk_multiplier_medium: f64,
    pub risk_multiplier_high: f64,
    pub max_position_pct: f64,
    pub cash_reserve_pct: f64,
    /// A buy needs reward/risk at least this (target = price + 60-day range, risk = price −
    /// stop); 0 turns the rule off.
    pub min_reward_risk: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarginRules {
    pub enabled: bool,
    pub min_strength: f64,
    pub max_used_pct: f64,
    pub min_cash_pct: f64,
    pub correction_sma: usize,
    pub correction_drawdown_pct: f64,
    pub risk_high_pct: f64,
    pub risk_moderate_pct: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopRules {
    pub loss_pct: f64,
    pub technical_sma: usize,
    pub time_strength: f64,
    pub portfolio_alpha_pp: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalRules {
    pub breakeven_pct: f64,
    pub horizon_trading_days: usize,
    pub commission: Decimal,
    pub windows_days: Vec<u32>,
    pub followup_days: u32,
}

/// `[ledger]`: how a sale's cost is taken from the lots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerRules {
    pub cost_method: crate::domain::ledger::CostMethod,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BacktestRules {
    pub initial_capital: Decimal,
    pub commission_per_trade: Decimal,
    pub commission_bps: f64,
    pub slippage_bps: f64,
    pub risk_free_pct: f64,
    pub margin_apr_pct: f64,
    pub maintenance_pct: f64,
    pub max_positions: usize,
    pub verdict_alpha_pct: f64,
    pub verdict_sharpe: f64,
    pub verdict_max_drawdown_pct: f64,
    pub verdict_win_rate_pct: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderName {
    Polygon,
    Stooq,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderRules {
    pub default: ProviderName,
    pub polygon_api_key: String,
    pub polygon_base_url: String,
    pub stooq_base_url: String,
    pub history_years: u32,
    pub overlap_days: u32,
    pub adjustment_tolerance_pct: f64,
    pub max_retries: u32,
    pub retry_base_ms: u64,
    pub timeout_secs: u64,
}
