//! The signal journal's records and the arithmetic that decides a trade's outcome.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::bar::Bar;
use super::indicators::{IndicatorRow, Trend};
use super::symbol::Symbol;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SignalType {
    Buy,
    Sell,
    Hold,
}

impl SignalType {
    pub fn as_str(self) -> &'static str {
        match self {
            SignalType::Buy => "BUY",
            SignalType::Sell => "SELL",
            SignalType::Hold => "HOLD",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "BUY" => Some(SignalType::Buy),
            "SELL" => Some(SignalType::Sell),
            "HOLD" => Some(SignalType::Hold),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    Win,
    Loss,
    Breakeven,
    /// Not taken, and the target would have been hit before the stop.
    Missed,
    /// Not taken, and rightly so: the target was not reached first.
    Passed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Win => "WIN",
            Outcome::Loss => "LOSS",
            Outcome::Breakeven => "BREAKEVEN",
            Outcome::Missed => "MISSED",
            Outcome::Passed => "PASSED",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "WIN" => Some(Outcome::Win),
            "LOSS" => Some(Outcome::Loss),
            "BREAKEVEN" => Some(Outcome::Breakeven),
            "MISSED" => Some(Outcome::Missed),
            "PASSED" => Some(Outcome::Passed),
            _ => None,
        }
    }
}

/// One row of `trading_signals`, every column of the product brief plus the exit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalRecord {
    pub id: Option<i64>,
    pub signal_date: NaiveDate,
    pub signal_time: NaiveDateTime,
    pub symbol: Symbol,
    pub signal_type: SignalType,
    pub signal_source: String,
    pub signal_strength: Option<Decimal>,
    pub confidence_level: Option<String>,
    pub price_at_signal: Option<Decimal>,
    pub target_entry: Option<Decimal>,
    pub target_exit: Option<Decimal>,
    pub stop_loss: Option<Decimal>,
    pub rsi_value: Option<Decimal>,
    pub macd_value: Option<Decimal>,
    pub volume_ratio: Option<Decimal>,
    pub trend_direction: Option<String>,
    pub current_position_size: Option<Decimal>,
    pub suggested_action: Option<String>,
    pub suggested_quantity: Option<i32>,
    pub suggested_allocation_pct: Option<Decimal>,
    pub use_margin: bool,
    pub margin_requirement: Option<Decimal>,
    pub risk_level: Option<String>,
    pub action_taken: bool,
    pub actual_entry_date: Option<NaiveDate>,
    pub actual_entry_price: Option<Decimal>,
    pub actual_quantity: Option<i32>,
    pub max_profit_potential: Option<Decimal>,
    pub actual_profit: Option<Decimal>,
    pub days_held: Option<i32>,
    pub outcome: Option<Outcome>,
    pub notes: Option<String>,
    pub exit_date: Option<NaiveDate>,
    pub exit_price: Option<Decimal>,
    pub outcome_overridden: bool,
    /// The basis of the price levels (price, entry, stop, target): the adjustment factor
    /// (adj_close / close) the signal day's bar had when they were recorded; 1 for prices
    /// as traded that day. A later re-adjusted history is rescaled by f_now / this before
    /// judging. `None` for rows recorded before the factor was kept: judged as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_factor: Option<Decimal>,
}

impl SignalRecord {
    /// A bare signal: everything optional left empty, nothing taken.
    pub fn new(
        signal_time: NaiveDateTime,
        symbol: Symbol,
        signal_type: SignalType,
        signal_source: &str,
    ) -> Self {
        SignalRecord {
            id: None,
            signal_date: signal_time.date(),
            signal_time,
            symbol,
            signal_type,
            signal_source: signal_source.to_string(),
            signal_strength: None,
            confidence_level: None,
            price_at_signal: None,
            target_entry: None,
            target_exit: None,
            stop_loss: None,
            rsi_value: None,
            macd_value: None,
            volume_ratio: None,
            trend_direction: None,
            current_position_size: None,
            suggested_action: None,
            suggested_quantity: None,
            suggested_allocation_pct: None,
            use_margin: false,
            margin_requirement: None,
            risk_level: None,
            action_taken: false,
            actual_entry_date: None,
            actual_entry_price: None,
            actual_quantity: None,
            max_profit_potential: None,
            actual_profit: None,
            days_held: None,
            outcome: None,
            notes: None,
            exit_date: None,
            exit_price: None,
            outcome_overridden: false,
            price_factor: None,
        }
    }

    /// The multiplier that puts this signal's price levels on the basis of today's
    /// adjusted bars, given the signal day's bar as stored now.
    pub fn rescale_to(&self, day_bar: Option<&Bar>) -> Decimal {
        match (self.price_factor, day_bar) {
            (Some(then), Some(bar)) if !then.is_zero() => bar.adjustment_factor() / then,
            _ => Decimal::ONE,
        }
    }
}

/// HIGH from strength 75, MEDIUM from 60, else LOW.
pub fn confidence_level(strength: f64) -> &'static str {
    if strength >= 75.0 {
        "HIGH"
    } else if strength >= 60.0 {
        "MEDIUM"
    } else {
        "LOW"
    }
}

impl SignalRecord {
    /// Strength, confidence and the indicator columns from one session's technicals,
    /// rounded to the columns' scales.
    pub fn describe_technicals(&mut self, row: &IndicatorRow, strength: f64, trend: Option<Trend>) {
        let dec = |v: Option<f64>, dp: u32| v.and_then(Decimal::from_f64).map(|d| d.round_dp(dp));
        self.signal_strength = dec(Some(strength), 2);
        self.confidence_level = Some(confidence_level(strength).to_string());
        self.rsi_value = dec(row.rsi_14, 2);
        self.macd_value = dec(row.macd, 4);
        self.volume_ratio = dec(row.volume_ratio, 2);
        self.trend_direction = trend.map(|t| t.as_str().to_string());
    }
}

/// Realised profit of a closed trade: (exit − entry) × qty for a BUY, reversed for a SELL,
/// less the commission; to the cent.
pub fn trade_profit(
    side: SignalType,
    entry: Decimal,
    exit: Decimal,
    quantity: Decimal,
    commission: Decimal,
) -> Decimal {
    let gross = match side {
        SignalType::Sell => (entry - exit) * quantity,
        _ => (exit - entry) * quantity,
    };
    (gross - commission).round_dp(2)
}

/// WIN, LOSS, or BREAKEVEN when |profit| is under `breakeven_pct` % of the cost.
pub fn classify_outcome(profit: Decimal, cost: Decimal, breakeven_pct: f64) -> Outcome {
    let threshold = cost.abs() * Decimal::from_f64(breakeven_pct / 100.0).unwrap_or_default();
    if profit.abs() < threshold {
        Outcome::Breakeven
    } else if profit > Decimal::ZERO {
        Outcome::Win
    } else {
        Outcome::Loss
    }
}

/// Judges a BUY signal that was not taken, over the bars of its horizon (after the signal
/// day). MISSED when the target's high came before the stop's low; a bar that touches both
/// counts as the stop first, the conservative reading. `max_profit_potential` is
/// (highest high − price at signal) × quantity, never negative.
pub fn judge_not_taken(
    horizon: &[Bar],
    price_at_signal: Decimal,
    target: Decimal,
    stop: Decimal,
    quantity: Decimal,
) -> (Outcome, Decimal) {
    let mut outcome = Outcome::Passed;
    for bar in horizon {
        let f = bar.adjustment_factor();
        let low = bar.low.unwrap_or(bar.close) * f;
        let high = bar.high.unwrap_or(bar.close) * f;
        if low <= stop {
            break;
        }
        if high >= target {
            outcome = Outcome::Missed;
            break;
        }
    }
    let highest = horizon
        .iter()
        .map(|b| b.high.unwrap_or(b.close) * b.adjustment_factor())
        .max()
        .unwrap_or(price_at_signal);
    let potential = ((highest - price_at_signal) * quantity)
        .max(Decimal::ZERO)
        .round_dp(2);
    (outcome, potential)
}

/// Judges a SELL or HOLD signal that was not acted on, over the bars of its horizon. MISSED
/// when a low fell to its stop (price × (1 − 8 %) unless one was stored): selling would have
/// avoided that fall. PASSED otherwise: keeping the shares was right. `max_profit_potential`
/// is the fall selling would have avoided, (price − lowest low) × quantity, never negative.
pub fn judge_not_taken_exit(
    horizon: &[Bar],
    price_at_signal: Decimal,
    stop: Decimal,
    quantity: Decimal,
) -> (Outcome, Decimal) {
    let lows = horizon
        .iter()
        .map(|b| b.low.unwrap_or(b.close) * b.adjustment_factor());
    let lowest = lows.min().unwrap_or(price_at_signal);
    let outcome = if lowest <= stop {
        Outcome::Missed
    } else {
        Outcome::Passed
    };
    let avoided = ((price_at_signal - lowest) * quantity)
        .max(Decimal::ZERO)
        .round_dp(2);
    (outcome, avoided)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn bar(day: u32, high: Decimal, low: Decimal) -> Bar {
        Bar {
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            open: None,
            high: Some(high),
            low: Some(low),
            close: (high + low) / dec!(2),
            adj_close: None,
            volume: None,
        }
    }

    #[test]
    fn profit_by_side_less_commission() {
        // BUY 10 @ 100 → 110: 100 − 1 commission = 99.
        assert_eq!(
            trade_profit(SignalType::Buy, dec!(100), dec!(110), dec!(10), dec!(1)),
            dec!(99)
        );
        // SELL 10 @ 100 → 110 loses 100, −1 commission = −101.
        assert_eq!(
            trade_profit(SignalType::Sell, dec!(100), dec!(110), dec!(10), dec!(1)),
            dec!(-101)
        );
    }

    #[test]
    fn breakeven_is_under_half_a_percent_of_cost() {
        // cost 1 000 → threshold 5.00
        assert_eq!(
            classify_outcome(dec!(4.99), dec!(1000), 0.5),
            Outcome::Breakeven
        );
        assert_eq!(
            classify_outcome(dec!(-4.99), dec!(1000), 0.5),
            Outcome::Breakeven
        );
        assert_eq!(classify_outcome(dec!(5.00), dec!(1000), 0.5), Outcome::Win);
        assert_eq!(
            classify_outcome(dec!(-5.00), dec!(1000), 0.5),
            Outcome::Loss
        );
    }

    #[test]
    fn missed_when_target_comes_before_stop() {
        let bars = [bar(2, dec!(101), dec!(97)), bar(5, dec!(111), dec!(99))];
        // target 110, stop 92: high 111 on day 2 of the horizon → MISSED; (111 − 100) × 10 = 110.
        assert_eq!(
            judge_not_taken(&bars, dec!(100), dec!(110), dec!(92), dec!(10)),
            (Outcome::Missed, dec!(110))
        );
        let stopped = [bar(2, dec!(101), dec!(91)), bar(5, dec!(115), dec!(99))];
        assert_eq!(
            judge_not_taken(&stopped, dec!(100), dec!(110), dec!(92), dec!(10)),
            (Outcome::Passed, dec!(150))
        );
        // One bar touches both the target (111) and the stop (91): the stop counts first.
        let both = [bar(2, dec!(111), dec!(91))];
        assert_eq!(
            judge_not_taken(&both, dec!(100), dec!(110), dec!(92), dec!(10)),
            (Outcome::Passed, dec!(110))
        );
        assert_eq!(
            judge_not_taken(&[], dec!(100), dec!(110), dec!(92), dec!(10)),
            (Outcome::Passed, dec!(0))
        );
    }

    #[test]
    fn an_untaken_sell_is_missed_when_the_price_fell_through_its_stop() {
        // Price 100, stop 92. Lows 97 then 91: selling would have avoided (100 − 91) × 10 = 90.
        let fell = [bar(2, dec!(101), dec!(97)), bar(5, dec!(99), dec!(91))];
        assert_eq!(
            judge_not_taken_exit(&fell, dec!(100), dec!(92), dec!(10)),
            (Outcome::Missed, dec!(90))
        );
        // Lowest low 95 stays above the stop: holding on was right; 5 × 10 = 50 avoided.
        let held = [bar(2, dec!(104), dec!(95)), bar(5, dec!(110), dec!(99))];
        assert_eq!(
            judge_not_taken_exit(&held, dec!(100), dec!(92), dec!(10)),
            (Outcome::Passed, dec!(50))
        );
        // A rise only: nothing avoided.
        let rose = [bar(2, dec!(110), dec!(101))];
        assert_eq!(
            judge_not_taken_exit(&rose, dec!(100), dec!(92), dec!(10)),
            (Outcome::Passed, dec!(0))
        );
    }
}
