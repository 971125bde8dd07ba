//! Risk classifications (DESIGN §5): the risk level of an entry, the risk of the margin in
//! use, and the market regime that decides whether margin may be used at all.
//!
//! Edges, so that every value lands in exactly one class:
//! - Entry: HIGH if RSI > `high_rsi` or volatility > `high_volatility_pct`; else MEDIUM if
//!   RSI < `medium_rsi` or volatility > `medium_volatility_pct`; else LOW. LOW needs both
//!   inputs known: an entry whose RSI or volatility is missing is at least MEDIUM (and
//!   flagged incomplete), so missing data never earns the 1.2× LOW multiplier.
//! - Margin % of portfolio value: > `risk_high_pct` HIGH, > `risk_moderate_pct` MODERATE,
//!   > 0 LOW, else NONE. Margin in use against a portfolio value ≤ 0 is HIGH.
//! - Regime of a market symbol, from its adjusted close, its SMA of `correction_sma` bars
//!   and its 52-week high (the highest adjusted high of the last 252 bars):
//!   BEAR when more than [`BEAR_DRAWDOWN_PCT`] below the 52-week high; otherwise
//!   CORRECTION when more than `correction_drawdown_pct` below it or the close is below
//!   the SMA; otherwise BULL. Unknown (`None`) when the SMA is missing and the drawdown
//!   alone does not decide. BEAR is the deeper form of correction: both block margin.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::indicators::volatility_annualised;
use super::rules::{MarginRules, RiskRules};

/// A drawdown from the 52-week high beyond this many percent is a bear market.
pub const BEAR_DRAWDOWN_PCT: f64 = 20.0;

/// Bars in the 52-week window of the market regime.
pub const YEAR_BARS: usize = 252;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "LOW",
            RiskLevel::Medium => "MEDIUM",
            RiskLevel::High => "HIGH",
        }
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("risk level must be LOW, MEDIUM or HIGH, not {0:?}")]
pub struct RiskLevelError(pub String);

impl FromStr for RiskLevel {
    type Err = RiskLevelError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "LOW" => Ok(RiskLevel::Low),
            "MEDIUM" => Ok(RiskLevel::Medium),
            "HIGH" => Ok(RiskLevel::High),
            _ => Err(RiskLevelError(raw.to_string())),
        }
    }
}

/// The risk of an entry and what it was judged on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EntryRisk {
    pub level: RiskLevel,
    pub rsi: Option<f64>,
    /// Annualised volatility in percent (32.5 means 32.5 %).
    pub volatility_pct: Option<f64>,
    /// RSI or volatility was missing; the level is then at least MEDIUM.
    pub incomplete: bool,
}

/// Annualised volatility in percent of the last `rules.volatility_window` daily returns of
/// `adjusted_closes` (ascending); `None` without `window + 1` closes.
pub fn volatility_pct(adjusted_closes: &[f64], rules: &RiskRules) -> Option<f64> {
    volatility_annualised(adjusted_closes, rules.volatility_window).map(|v| v * 100.0)
}

/// The risk level of an entry from its RSI and its annualised volatility in percent.
pub fn risk_level(rsi: Option<f64>, volatility_pct: Option<f64>, rules: &RiskRules) -> RiskLevel {
    let rsi = rsi.filter(|x| x.is_finite());
    let vol = volatility_pct.filter(|x| x.is_finite());
    let above = |x: Option<f64>, limit: f64| x.is_some_and(|x| x > limit);
    if above(rsi, rules.high_rsi) || above(vol, rules.high_volatility_pct) {
        RiskLevel::High
    } else if rsi.is_some_and(|r| r < rules.medium_rsi)
        || above(vol, rules.medium_volatility_pct)
        || rsi.is_none()
        || vol.is_none()
    {
        RiskLevel::Medium
    } else {
        RiskLevel::Low
    }
}

/// The risk of entering a symbol whose latest RSI is `rsi` and whose adjusted closes, up to
/// and including the entry bar, are `adjusted_closes`.
pub fn entry_risk(rsi: Option<f64>, adjusted_closes: &[f64], rules: &RiskRules) -> EntryRisk {
    let rsi = rsi.filter(|x| x.is_finite());
    let volatility_pct = volatility_pct(adjusted_closes, rules);
    EntryRisk {
        level: risk_level(rsi, volatility_pct, rules),
        rsi,
        volatility_pct,
        incomplete: rsi.is_none() || volatility_pct.is_none(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MarginRisk {
    None,
    Low,
    Moderate,
    High,
}

impl MarginRisk {
    pub fn as_str(self) -> &'static str {
        match self {
            MarginRisk::None => "NONE",
            MarginRisk::Low => "LOW",
            MarginRisk::Moderate => "MODERATE",
            MarginRisk::High => "HIGH",
        }
    }
}

impl fmt::Display for MarginRisk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Margin used as a percent of portfolio value; `None` when the portfolio value is not
/// positive (the ratio has no meaning).
pub fn margin_pct(margin_used: Decimal, portfolio_value: Decimal) -> Option<f64> {
    if portfolio_value <= Decimal::ZERO {
        return None;
    }
    (margin_used / portfolio_value * Decimal::ONE_HUNDRED).to_f64()
}

pub fn margin_risk(
    margin_used: Decimal,
    portfolio_value: Decimal,
    rules: &MarginRules,
) -> MarginRisk {
    if margin_used <= Decimal::ZERO {
        return MarginRisk::None;
    }
    match margin_pct(margin_used, portfolio_value) {
        None => MarginRisk::High,
        Some(pct) if pct > rules.risk_high_pct => MarginRisk::High,
        Some(pct) if pct > rules.risk_moderate_pct => MarginRisk::Moderate,
        Some(_) => MarginRisk::Low,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Regime {
    Bull,
    Correction,
    Bear,
}

impl Regime {
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Bull => "BULL",
            Regime::Correction => "CORRECTION",
            Regime::Bear => "BEAR",
        }
    }

    /// DESIGN's "market in correction" (below the SMA, or more than the drawdown limit
    /// below the 52-week high) covers both CORRECTION and BEAR.
    pub fn is_correction(self) -> bool {
        self != Regime::Bull
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far `price` is below `high`, in percent (0 at or above the high).
pub fn drawdown_pct(price: f64, high: f64) -> Option<f64> {
    (high > 0.0 && price.is_finite()).then(|| ((1.0 - price / high) * 100.0).max(0.0))
}

/// The regime from the close, the SMA of `rules.correction_sma` bars and the 52-week high.
pub fn market_regime(
    price: f64,
    sma: Option<f64>,
    high_52w: f64,
    rules: &MarginRules,
) -> Option<Regime> {
    let drawdown = drawdown_pct(price, high_52w)?;
    if drawdown > BEAR_DRAWDOWN_PCT {
        return Some(Regime::Bear);
    }
    if drawdown > rules.correction_drawdown_pct {
        return Some(Regime::Correction);
    }
    match sma.filter(|s| s.is_finite()) {
        Some(sma) if price < sma => Some(Regime::Correction),
        Some(_) => Some(Regime::Bull),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analyzer::fixtures::rules;
    use rust_decimal_macros::dec;

    #[test]
    fn entry_risk_edges() {
        let r = rules().risk;
        // RSI 71 > 70 → HIGH whatever the volatility.
        assert_eq!(risk_level(Some(71.0), Some(10.0), &r), RiskLevel::High);
        // Volatility 45.1 > 45 → HIGH.
        assert_eq!(risk_level(Some(50.0), Some(45.1), &r), RiskLevel::High);
        // RSI 70 and volatility 45 are not above their limits; 45 > 25 → MEDIUM.
        assert_eq!(risk_level(Some(70.0), Some(45.0), &r), RiskLevel::Medium);
        // RSI 29 < 30 → MEDIUM.
        assert_eq!(risk_level(Some(29.0), Some(10.0), &r), RiskLevel::Medium);
        // RSI 30 and volatility 25 are both on the LOW side of their edges.
        assert_eq!(risk_level(Some(30.0), Some(25.0), &r), RiskLevel::Low);
        assert_eq!(risk_level(Some(70.0), Some(24.9), &r), RiskLevel::Low);
    }

    #[test]
    fn missing_inputs_are_never_low() {
        let r = rules().risk;
        assert_eq!(risk_level(None, Some(10.0), &r), RiskLevel::Medium);
        assert_eq!(risk_level(Some(50.0), None, &r), RiskLevel::Medium);
        assert_eq!(risk_level(None, None, &r), RiskLevel::Medium);
        // A known HIGH input still decides.
        assert_eq!(risk_level(Some(75.0), None, &r), RiskLevel::High);
        assert_eq!(risk_level(Some(f64::NAN), Some(50.0), &r), RiskLevel::High);
    }

    #[test]
    fn entry_risk_uses_twenty_returns_of_the_closes() {
        let r = rules().risk;
        // Closes alternate 100, 101, 100 …: returns +1 % and −0.990099 % alternate. 21 closes
        // give 20 returns: mean 0.00495 %, each 0.0099505 from it; sample sd
        // 0.0099505·√(20/19) = 0.0102089 → × √252 = 0.162063 → 16.21 % < 25 → LOW (RSI 50).
        let closes: Vec<f64> = (0..21)
            .map(|i| if i % 2 == 0 { 100.0 } else { 101.0 })
            .collect();
        let risk = entry_risk(Some(50.0), &closes, &r);
        let vol = risk.volatility_pct.unwrap();
        assert!((vol - 16.2063).abs() < 1e-3, "{vol}");
        assert_eq!((risk.level, risk.incomplete), (RiskLevel::Low, false));
        // 20 closes are one short of 20 returns: volatility unknown → MEDIUM, incomplete.
        let short = entry_risk(Some(50.0), &closes[1..], &r);
        assert_eq!((short.level, short.incomplete), (RiskLevel::Medium, true));
    }

    #[test]
    fn margin_risk_edges() {
        let m = rules().margin;
        let p = dec!(10000);
        assert_eq!(margin_risk(dec!(0), p, &m), MarginRisk::None);
        // 1 / 10 000 = 0.01 % > 0 → LOW
        assert_eq!(margin_risk(dec!(1), p, &m), MarginRisk::Low);
        // 2 500 / 10 000 = 25 % is not above 25 → LOW; 25.01 % → MODERATE
        assert_eq!(margin_risk(dec!(2500), p, &m), MarginRisk::Low);
        assert_eq!(margin_risk(dec!(2501), p, &m), MarginRisk::Moderate);
        // 50 % → MODERATE; 50.01 % → HIGH
        assert_eq!(margin_risk(dec!(5000), p, &m), MarginRisk::Moderate);
        assert_eq!(margin_risk(dec!(5001), p, &m), MarginRisk::High);
        // Margin against no equity at all.
        assert_eq!(margin_risk(dec!(1), dec!(0), &m), MarginRisk::High);
        assert_eq!(margin_pct(dec!(1), dec!(0)), None);
        assert_eq!(margin_pct(dec!(2500), p), Some(25.0));
    }

    #[test]
    fn regime_edges() {
        let m = rules().margin;
        // 52-week high 100: close 95 is 5 % below, above its SMA 90 → BULL.
        assert_eq!(
            market_regime(95.0, Some(90.0), 100.0, &m),
            Some(Regime::Bull)
        );
        // Below the SMA → CORRECTION even near the high.
        assert_eq!(
            market_regime(95.0, Some(96.0), 100.0, &m),
            Some(Regime::Correction)
        );
        // Exactly 10 % below is not more than 10 % → BULL; 10.5 % → CORRECTION.
        assert_eq!(
            market_regime(90.0, Some(80.0), 100.0, &m),
            Some(Regime::Bull)
        );
        assert_eq!(
            market_regime(89.5, Some(80.0), 100.0, &m),
            Some(Regime::Correction)
        );
        // Exactly 20 % below is a correction; more is a bear market, even above the SMA.
        assert_eq!(
            market_regime(80.0, Some(70.0), 100.0, &m),
            Some(Regime::Correction)
        );
        assert_eq!(
            market_regime(79.0, Some(70.0), 100.0, &m),
            Some(Regime::Bear)
        );
        // Without the SMA only a drawdown decides.
        assert_eq!(market_regime(95.0, None, 100.0, &m), None);
        assert_eq!(
            market_regime(85.0, None, 100.0, &m),
            Some(Regime::Correction)
        );
        assert!(Regime::Bear.is_correction() && !Regime::Bull.is_correction());
    }

    #[test]
    fn risk_level_parses_and_serializes() {
        assert_eq!("medium".parse::<RiskLevel>(), Ok(RiskLevel::Medium));
        assert!(" HIGH ".parse::<RiskLevel>().is_ok());
        assert_eq!(
            "extreme".parse::<RiskLevel>().unwrap_err().to_string(),
            "risk level must be LOW, MEDIUM or HIGH, not \"extreme\""
        );
        assert_eq!(serde_json::to_string(&RiskLevel::Low).unwrap(), "\"LOW\"");
        assert_eq!(
            serde_json::to_string(&MarginRisk::Moderate).unwrap(),
            "\"MODERATE\""
        );
        assert_eq!(
            serde_json::to_string(&Regime::Correction).unwrap(),
            "\"CORRECTION\""
        );
    }
}
