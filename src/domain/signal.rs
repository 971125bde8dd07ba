//! Signal strength: a 0–100 score built from RSI, MACD histogram, trend and lookback
//! return (DESIGN §5 "Signal strength").
//!
//! Edges, chosen so that every value lands in exactly one bucket:
//! - RSI: `< rsi_oversold` → +15, `> rsi_overbought` → −15,
//!   `rsi_neutral_low ..= rsi_neutral_high` (both inclusive) → +5, anything else 0.
//!   With the defaults, RSI 30 and 70 add 0; 40 and 60 add +5.
//! - MACD histogram: `> 0` → +10, `< 0` → −10, exactly 0 → 0.
//! - Trend: UP +10, DOWN −10, NEUTRAL 0 (but NEUTRAL is a known input).
//! - Lookback return, by magnitude `|r|`: `> 10` → 15, `5 ..= 10` → 10, `(0, 5)` → 5,
//!   exactly 0 → 0; the sign of `r` gives the sign. So +5 % and +10 % both add +10,
//!   −5 % and −10 % both add −10.
//!
//! A missing (or non-finite) input adds nothing and marks the score incomplete; it is
//! never silently taken as neutral.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::indicators::{IndicatorRow, Trend};

/// Every threshold and weight of the signal-strength rule; the names are the keys of
/// `[signal]` in `assets/config.toml`. Point values are magnitudes; the rule supplies
/// the sign. Thresholds are RSI values or returns in percent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignalRules {
    /// Score before any input is counted.
    pub base: f64,
    /// RSI strictly below this adds `rsi_oversold_points`.
    pub rsi_oversold: f64,
    pub rsi_oversold_points: f64,
    /// RSI strictly above this subtracts `rsi_overbought_points`.
    pub rsi_overbought: f64,
    pub rsi_overbought_points: f64,
    /// RSI in `rsi_neutral_low..=rsi_neutral_high` adds `rsi_neutral_points`.
    pub rsi_neutral_low: f64,
    pub rsi_neutral_high: f64,
    pub rsi_neutral_points: f64,
    /// Added for a positive MACD histogram, subtracted for a negative one.
    pub macd_points: f64,
    /// Added for an UP trend, subtracted for DOWN.
    pub trend_points: f64,
    /// |return| strictly above this gets `return_high_points`.
    pub return_high_pct: f64,
    pub return_high_points: f64,
    /// |return| from this (inclusive) up to `return_high_pct` gets `return_mid_points`.
    pub return_mid_pct: f64,
    pub return_mid_points: f64,
    /// Any other non-zero |return| gets `return_low_points`.
    pub return_low_points: f64,
}

impl Default for SignalRules {
    fn default() -> Self {
        Self {
            base: 50.0,
            rsi_oversold: 30.0,
            rsi_oversold_points: 15.0,
            rsi_overbought: 70.0,
            rsi_overbought_points: 15.0,
            rsi_neutral_low: 40.0,
            rsi_neutral_high: 60.0,
            rsi_neutral_points: 5.0,
            macd_points: 10.0,
            trend_points: 10.0,
            return_high_pct: 10.0,
            return_high_points: 15.0,
            return_mid_pct: 5.0,
            return_mid_points: 10.0,
            return_low_points: 5.0,
        }
    }
}

impl SignalRules {
    /// Checks what the scoring relies on: finite numbers, non-negative points and
    /// buckets in order. The message names the offending field for the config error.
    pub fn validate(&self) -> Result<(), String> {
        let fields = [
            ("base", self.base),
            ("rsi_oversold", self.rsi_oversold),
            ("rsi_oversold_points", self.rsi_oversold_points),
            ("rsi_overbought", self.rsi_overbought),
            ("rsi_overbought_points", self.rsi_overbought_points),
            ("rsi_neutral_low", self.rsi_neutral_low),
            ("rsi_neutral_high", self.rsi_neutral_high),
            ("rsi_neutral_points", self.rsi_neutral_points),
            ("macd_points", self.macd_points),
            ("trend_points", self.trend_points),
            ("return_high_pct", self.return_high_pct),
            ("return_high_points", self.return_high_points),
            ("return_mid_pct", self.return_mid_pct),
            ("return_mid_points", self.return_mid_points),
            ("return_low_points", self.return_low_points),
        ];
        if let Some((name, value)) = fields.iter().find(|(_, v)| !v.is_finite()) {
            return Err(format!("{name} must be a finite number, not {value}"));
        }
        if let Some((name, value)) = fields
            .iter()
            .find(|(name, v)| name.ends_with("_points") && *v < 0.0)
        {
            return Err(format!(
                "{name} is {value}; points are magnitudes, use a number >= 0"
            ));
        }
        if !(self.rsi_oversold <= self.rsi_neutral_low
            && self.rsi_neutral_low <= self.rsi_neutral_high
            && self.rsi_neutral_high <= self.rsi_overbought)
        {
            return Err(
                "RSI thresholds must satisfy rsi_oversold <= rsi_neutral_low \
                 <= rsi_neutral_high <= rsi_overbought"
                    .to_string(),
            );
        }
        if !(0.0 < self.return_mid_pct && self.return_mid_pct <= self.return_high_pct) {
            return Err("return thresholds must satisfy 0 < return_mid_pct \
                 <= return_high_pct"
                .to_string());
        }
        Ok(())
    }
}

/// What the score is built from; `None` means unknown.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SignalInputs {
    pub rsi: Option<f64>,
    pub macd_hist: Option<f64>,
    /// `Some(Trend::Neutral)` is a known trend that adds 0; `None` is unknown.
    pub trend: Option<Trend>,
    /// Lookback return in percent (7.5 means +7.5 %).
    pub lookback_return_pct: Option<f64>,
}

impl SignalInputs {
    /// The inputs from one bar's indicators. The trend is unknown (not NEUTRAL) until both
    /// SMA20 and SMA50 exist, so a young series is scored as incomplete.
    pub fn from_row(row: &IndicatorRow, lookback_return_pct: Option<f64>) -> Self {
        let trend = match (row.sma_20, row.sma_50) {
            (Some(_), Some(_)) => Some(row.trend()),
            _ => None,
        };
        SignalInputs {
            rsi: row.rsi_14,
            macd_hist: row.macd_hist,
            trend,
            lookback_return_pct,
        }
    }
}

/// A signal-strength score in 0..=100, flagged when an input was missing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Strength {
    pub score: f64,
    pub incomplete: bool,
}

impl Strength {
    pub fn band(&self) -> Band {
        Band::from_score(self.score)
    }
}

/// Whole points, as the score is read, with `?` when an input was missing: `72`, `72?`.
impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.incomplete { "?" } else { "" };
        write!(f, "{}{mark}", self.score.round())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    VeryStrong,
    Strong,
    Moderate,
    Weak,
    VeryWeak,
}

impl Band {
    /// 80–100 very strong, 70–79 strong, 60–69 moderate, 50–59 weak, < 50 very weak.
    /// The score is rounded to whole points first, so the band always agrees with the
    /// number `Strength` displays (79.6 shows as 80 and is very strong).
    pub fn from_score(score: f64) -> Band {
        match score.round() {
            s if s >= 80.0 => Band::VeryStrong,
            s if s >= 70.0 => Band::Strong,
            s if s >= 60.0 => Band::Moderate,
            s if s >= 50.0 => Band::Weak,
            _ => Band::VeryWeak,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::VeryStrong => "very strong",
            Band::Strong => "strong",
            Band::Moderate => "moderate",
            Band::Weak => "weak",
            Band::VeryWeak => "very weak",
        }
    }
}

/// Scores one symbol: base, plus each known input's points, clamped to 0..=100.
pub fn signal_strength(inputs: &SignalInputs, rules: &SignalRules) -> Strength {
    let rsi = inputs.rsi.filter(|x| x.is_finite());
    let macd_hist = inputs.macd_hist.filter(|x| x.is_finite());
    let lookback = inputs.lookback_return_pct.filter(|x| x.is_finite());
    let parts = [
        rsi.map(|x| rsi_points(x, rules)),
        macd_hist.map(|h| signed_points(h, rules.macd_points)),
        inputs.trend.map(|t| trend_points(t, rules)),
        lookback.map(|r| return_points(r, rules)),
    ];
    let incomplete = parts.iter().any(Option::is_none);
    let total = rules.base + parts.iter().flatten().sum::<f64>();
    // NaN only comes from unvalidated rules; 0 keeps it out of every recommendation.
    let score = if total.is_nan() {
        0.0
    } else {
        total.clamp(0.0, 100.0)
    };
    Strength { score, incomplete }
}

fn rsi_points(rsi: f64, rules: &SignalRules) -> f64 {
    if rsi < rules.rsi_oversold {
        rules.rsi_oversold_points
    } else if rsi > rules.rsi_overbought {
        -rules.rsi_overbought_points
    } else if (rules.rsi_neutral_low..=rules.rsi_neutral_high).contains(&rsi) {
        rules.rsi_neutral_points
    } else {
        0.0
    }
}

/// `points` with the sign of `x`; 0 when `x` is 0.
fn signed_points(x: f64, points: f64) -> f64 {
    if x > 0.0 {
        points
    } else if x < 0.0 {
        -points
    } else {
        0.0
    }
}

fn trend_points(trend: Trend, rules: &SignalRules) -> f64 {
    match trend {
        Trend::Up => rules.trend_points,
        Trend::Down => -rules.trend_points,
        Trend::Neutral => 0.0,
    }
}

fn return_points(return_pct: f64, rules: &SignalRules) -> f64 {
    let magnitude = return_pct.abs();
    let points = if magnitude > rules.return_high_pct {
        rules.return_high_points
    } else if magnitude >= rules.return_mid_pct {
        rules.return_mid_points
    } else {
        rules.return_low_points
    };
    signed_points(return_pct, points)
}

#[cfg(test)]
#[path = "signal_tests.rs"]
mod tests;
