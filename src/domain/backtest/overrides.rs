//! The user's changes to a strategy's parameters (issue 6: frequency, thresholds, sizing
//! multiplier, max positions, margin limit, costs, capital), checked and applied to the
//! presets. Buy & hold keeps its frequency: never rebalancing is what it is.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::strategy::{Frequency, StrategyKind, StrategyParams};

impl FromStr for Frequency {
    type Err = String;

    /// `7`, `14`, `30`, `60` (any whole number of days ≥ 1), `week`, `month` or `never`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "week" | "weekly" => Ok(Frequency::CalendarWeek),
            "month" | "monthly" => Ok(Frequency::CalendarMonth),
            "never" => Ok(Frequency::Never),
            days => match days.parse::<u32>() {
                Ok(n) if n >= 1 => Ok(Frequency::Days(n)),
                _ => Err(format!(
                    "{s:?} is not a frequency: a number of days (7, 14, 30, 60), week, month or never"
                )),
            },
        }
    }
}

/// Each `None` keeps the preset's value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParamOverrides {
    pub frequency: Option<Frequency>,
    pub entry_strength: Option<f64>,
    pub exit_strength: Option<f64>,
    pub sizing_multiplier: Option<f64>,
    pub max_positions: Option<usize>,
    pub margin_limit_pct: Option<f64>,
    pub initial_capital: Option<Decimal>,
    pub commission_per_trade: Option<Decimal>,
    pub commission_bps: Option<f64>,
    pub slippage_bps: Option<f64>,
}

/// A parameter out of range: which one (as a kebab-case key, `entry-strength`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidParam {
    pub param: &'static str,
    pub problem: String,
}

impl std::fmt::Display for InvalidParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.param, self.problem)
    }
}

fn within(param: &'static str, v: Option<f64>, lo: f64, hi: f64) -> Result<(), InvalidParam> {
    match v {
        Some(x) if !(lo..=hi).contains(&x) || x.is_nan() => Err(InvalidParam {
            param,
            problem: format!("must be between {lo} and {hi}, got {x}"),
        }),
        _ => Ok(()),
    }
}

fn refuse(param: &'static str, problem: &str) -> Result<(), InvalidParam> {
    Err(InvalidParam {
        param,
        problem: problem.to_string(),
    })
}

impl ParamOverrides {
    /// The first value out of range.
    pub fn validate(&self) -> Result<(), InvalidParam> {
        within("entry-strength", self.entry_strength, 0.0, 100.0)?;
        within("exit-strength", self.exit_strength, 0.0, 100.0)?;
        within("sizing-multiplier", self.sizing_multiplier, 0.01, 5.0)?;
        within("margin-limit", self.margin_limit_pct, 0.0, 100.0)?;
        within("commission-bps", self.commission_bps, 0.0, 1_000.0)?;
        within("slippage-bps", self.slippage_bps, 0.0, 1_000.0)?;
        if self.max_positions == Some(0) {
            return refuse("max-positions", "must be at least 1");
        }
        if self.initial_capital.is_some_and(|c| c <= Decimal::ZERO) {
            return refuse("capital", "must be positive");
        }
        if self.commission_per_trade.is_some_and(|c| c < Decimal::ZERO) {
            return refuse("commission", "must be 0 or more");
        }
        Ok(())
    }

    /// `preset` with the overrides written in. A changed frequency renames the strategy
    /// (`monthly (every 14 days)`) so a report never calls a 14-day rebalance "monthly".
    pub fn apply(&self, kind: StrategyKind, preset: StrategyParams) -> StrategyParams {
        let mut p = preset;
        if let Some(f) = self.frequency.filter(|_| kind != StrategyKind::BuyHold) {
            if f != p.frequency {
                p.name = format!("{} ({f})", p.name);
                p.frequency = f;
            }
        }
        set(&mut p.entry_strength, self.entry_strength);
        set(&mut p.exit_strength, self.exit_strength);
        set(&mut p.sizing_multiplier, self.sizing_multiplier);
        set(&mut p.max_positions, self.max_positions);
        set(&mut p.margin_limit_pct, self.margin_limit_pct);
        set(&mut p.initial_capital, self.initial_capital);
        set(&mut p.costs.commission_per_trade, self.commission_per_trade);
        set(&mut p.costs.commission_bps, self.commission_bps);
        set(&mut p.costs.slippage_bps, self.slippage_bps);
        p
    }
}

fn set<T: Copy>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::analyzer::fixtures::rules;

    #[test]
    fn frequencies_parse_and_name_the_problem() {
        assert_eq!("14".parse::<Frequency>(), Ok(Frequency::Days(14)));
        assert_eq!("Week".parse::<Frequency>(), Ok(Frequency::CalendarWeek));
        assert_eq!("month".parse::<Frequency>(), Ok(Frequency::CalendarMonth));
        assert!("0"
            .parse::<Frequency>()
            .unwrap_err()
            .contains("not a frequency"));
        assert!("daily".parse::<Frequency>().is_err());
    }

    #[test]
    fn overrides_change_only_what_they_set_and_buy_hold_never_rebalances() {
        let bt = crate::config::Config::default().backtest;
        let o = ParamOverrides {
            frequency: Some(Frequency::Days(14)),
            entry_strength: Some(70.0),
            max_positions: Some(3),
            slippage_bps: Some(10.0),
            initial_capital: Some(dec!(50000)),
            ..ParamOverrides::default()
        };
        let monthly = StrategyParams::preset(StrategyKind::Monthly, &bt, &rules());
        let p = o.apply(StrategyKind::Monthly, monthly.clone());
        assert_eq!(p.name, "monthly (every 14 days)");
        assert_eq!(
            (p.frequency, p.entry_strength, p.max_positions),
            (Frequency::Days(14), 70.0, 3)
        );
        assert_eq!(
            (p.costs.slippage_bps, p.initial_capital),
            (10.0, dec!(50000))
        );
        assert_eq!(p.exit_strength, monthly.exit_strength);
        assert_eq!(
            p.costs.commission_per_trade,
            monthly.costs.commission_per_trade
        );
        let hold = StrategyParams::preset(StrategyKind::BuyHold, &bt, &rules());
        let h = o.apply(StrategyKind::BuyHold, hold);
        assert_eq!(
            (h.name.as_str(), h.frequency),
            ("buy-hold", Frequency::Never)
        );
    }

    #[test]
    fn out_of_range_values_are_refused_by_name() {
        let bad = |o: ParamOverrides| o.validate().unwrap_err().to_string();
        let entry = ParamOverrides {
            entry_strength: Some(120.0),
            ..Default::default()
        };
        assert_eq!(
            bad(entry),
            "entry-strength must be between 0 and 100, got 120"
        );
        let positions = ParamOverrides {
            max_positions: Some(0),
            ..Default::default()
        };
        assert_eq!(bad(positions), "max-positions must be at least 1");
        let sizing = ParamOverrides {
            sizing_multiplier: Some(0.0),
            ..Default::default()
        };
        assert!(bad(sizing).starts_with("sizing-multiplier must be between"));
        let capital = ParamOverrides {
            initial_capital: Some(dec!(-1)),
            ..Default::default()
        };
        assert_eq!(bad(capital), "capital must be positive");
        assert_eq!(ParamOverrides::default().validate(), Ok(()));
    }
}
