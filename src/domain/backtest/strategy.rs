//! What a strategy is: when it rebalances and the parameters it trades with.
//!
//! Every parameter is a setting of the live rules, not a rule of its own: the entry
//! threshold is the opportunity screen's minimum strength, the exit threshold the morning
//! underperformer strength, the sizing multiplier scales the allocation bands, the margin
//! limit is the margin rules' maximum used, and margin itself is the `margin.enabled`
//! switch. [`StrategyParams::analysis_rules`] writes them into a copy of the rules, which
//! the real analyzer and sizer then apply.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::columns::DaySlots;
use crate::domain::analyzer::AnalysisRules;
use crate::domain::rules::BacktestRules;

/// How often a strategy rebalances. `Never` is buy & hold: only the initial selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Never,
    /// At least this many calendar days after the previous rebalance.
    Days(u32),
    /// The first trading day of each calendar week (ISO weeks).
    CalendarWeek,
    /// The first trading day of each calendar month.
    CalendarMonth,
}

impl Frequency {
    /// Whether `day` is a rebalance day, given the previous trading day and the last
    /// rebalance. The first day of a run is always a decision day (the initial selection).
    pub fn is_rebalance(
        self,
        day: NaiveDate,
        previous_day: Option<NaiveDate>,
        last_rebalance: Option<NaiveDate>,
    ) -> bool {
        let (Some(previous), Some(last)) = (previous_day, last_rebalance) else {
            return last_rebalance.is_none();
        };
        match self {
            Frequency::Never => false,
            Frequency::Days(n) => (day - last).num_days() >= i64::from(n),
            Frequency::CalendarWeek => day.iso_week() != previous.iso_week(),
            Frequency::CalendarMonth => {
                (day.year(), day.month()) != (previous.year(), previous.month())
            }
        }
    }
}

/// The trading days on which runs of these frequencies can decide (`None`: any frequency, as
/// a sweep's), so that the indicators are kept for those days only: the first day, and each
/// day `is_rebalance` names for the week's or month's first trading day. A margin call on
/// such a day skips its decision and moves no later one; `Days` counts from the last decision,
/// so a margin call can move every later one and any day can be a decision day. A decision on
/// another day still gets its indicators, computed again (`Prepared::indicators_on`).
pub fn decision_slots(days: &[NaiveDate], frequencies: Option<&[Frequency]>) -> DaySlots {
    let Some(frequencies) = frequencies else {
        return DaySlots::every(days.len());
    };
    if frequencies.iter().any(|f| matches!(f, Frequency::Days(_))) {
        return DaySlots::every(days.len());
    }
    DaySlots::only(days.len(), |i| {
        i == 0
            || frequencies
                .iter()
                .any(|f| f.is_rebalance(days[i], Some(days[i - 1]), Some(days[i - 1])))
    })
}

impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frequency::Never => write!(f, "never"),
            Frequency::Days(n) => write!(f, "every {n} days"),
            Frequency::CalendarWeek => write!(f, "weekly"),
            Frequency::CalendarMonth => write!(f, "monthly"),
        }
    }
}

/// The four named strategies of the issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StrategyKind {
    BuyHold,
    Weekly,
    Monthly,
    MonthlyMargin,
}

impl StrategyKind {
    pub const ALL: [StrategyKind; 4] = [
        StrategyKind::BuyHold,
        StrategyKind::Weekly,
        StrategyKind::Monthly,
        StrategyKind::MonthlyMargin,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StrategyKind::BuyHold => "buy-hold",
            StrategyKind::Weekly => "weekly",
            StrategyKind::Monthly => "monthly",
            StrategyKind::MonthlyMargin => "monthly-margin",
        }
    }
}

impl FromStr for StrategyKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        StrategyKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                format!("unknown strategy {s:?}: use buy-hold, weekly, monthly or monthly-margin")
            })
    }
}

/// Trading costs. Commission = `per_trade` + `bps` of the notional, to the cent; slippage
/// moves the fill price against the trade by `slippage_bps`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    pub commission_per_trade: Decimal,
    pub commission_bps: f64,
    pub slippage_bps: f64,
}

impl Costs {
    pub const NONE: Costs = Costs {
        commission_per_trade: Decimal::ZERO,
        commission_bps: 0.0,
        slippage_bps: 0.0,
    };
}

/// Everything one run trades with. Serialized as the run's `params`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyParams {
    pub name: String,
    pub frequency: Frequency,
    /// Minimum strength of an opportunity to buy (the opportunity screen's threshold).
    pub entry_strength: f64,
    /// A holding weaker than this is an underperformer and is sold.
    pub exit_strength: f64,
    /// Scales the allocation bands (1.0 = the configured sizes).
    pub sizing_multiplier: f64,
    pub max_positions: usize,
    pub margin: bool,
    /// Margin used may not exceed this percent of the portfolio value.
    pub margin_limit_pct: f64,
    pub margin_apr_pct: f64,
    /// A margin call comes when equity falls under this percent of the positions' value.
    pub maintenance_pct: f64,
    pub initial_capital: Decimal,
    pub costs: Costs,
}

impl StrategyParams {
    /// One of the named strategies with the configured defaults.
    pub fn preset(kind: StrategyKind, backtest: &BacktestRules, rules: &AnalysisRules) -> Self {
        let frequency = match kind {
            StrategyKind::BuyHold => Frequency::Never,
            StrategyKind::Weekly => Frequency::CalendarWeek,
            StrategyKind::Monthly | StrategyKind::MonthlyMargin => Frequency::CalendarMonth,
        };
        StrategyParams {
            name: kind.name().to_string(),
            frequency,
            entry_strength: rules.screens.opportunity_min_strength,
            exit_strength: rules.screens.morning_strength,
            sizing_multiplier: 1.0,
            max_positions: backtest.max_positions,
            margin: kind == StrategyKind::MonthlyMargin,
            margin_limit_pct: rules.margin.max_used_pct,
            margin_apr_pct: backtest.margin_apr_pct,
            maintenance_pct: backtest.maintenance_pct,
            initial_capital: backtest.initial_capital,
            costs: Costs {
                commission_per_trade: backtest.commission_per_trade,
                commission_bps: backtest.commission_bps,
                slippage_bps: backtest.slippage_bps,
            },
        }
    }

    /// The live rules with this strategy's settings written in, for `benchmark`.
    pub fn analysis_rules(&self, base: &AnalysisRules, benchmark: &str) -> AnalysisRules {
        let mut rules = base.clone();
        rules.general.benchmark = benchmark.to_string();
        // Market directions are display only; the regime comes from the benchmark.
        rules.general.market_symbols.clear();
        rules.screens.opportunity_min_strength = self.entry_strength;
        rules.screens.morning_strength = self.exit_strength;
        rules.margin.enabled = self.margin;
        rules.margin.max_used_pct = self.margin_limit_pct;
        for band in &mut rules.sizing.bands {
            band.min_pct *= self.sizing_multiplier;
            band.max_pct *= self.sizing_multiplier;
        }
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn rebalance_days() {
        // The first day always decides, whatever the frequency.
        assert!(Frequency::Never.is_rebalance(d(3, 2), None, None));
        assert!(!Frequency::Never.is_rebalance(d(3, 3), Some(d(3, 2)), Some(d(3, 2))));
        // Monday 2026-03-09 starts a new ISO week after Friday 03-06.
        let w = Frequency::CalendarWeek;
        assert!(w.is_rebalance(d(3, 9), Some(d(3, 6)), Some(d(3, 2))));
        assert!(!w.is_rebalance(d(3, 10), Some(d(3, 9)), Some(d(3, 9))));
        // 04-01 is the first trading day of April.
        let m = Frequency::CalendarMonth;
        assert!(m.is_rebalance(d(4, 1), Some(d(3, 31)), Some(d(3, 2))));
        assert!(!m.is_rebalance(d(3, 31), Some(d(3, 30)), Some(d(3, 2))));
        // 14 calendar days: 03-02 → 03-16 yes, 03-13 no.
        let f = Frequency::Days(14);
        assert!(f.is_rebalance(d(3, 16), Some(d(3, 13)), Some(d(3, 2))));
        assert!(!f.is_rebalance(d(3, 13), Some(d(3, 12)), Some(d(3, 2))));
    }

    #[test]
    fn names_round_trip() {
        for k in StrategyKind::ALL {
            assert_eq!(k.name().parse::<StrategyKind>(), Ok(k));
        }
        assert!("daily".parse::<StrategyKind>().is_err());
    }
}
