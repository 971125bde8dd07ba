//! Configuration: the embedded `assets/config.toml` defaults, overlaid by the user's file.
//!
//! The user's file may hold any subset of keys. It is merged table by table over the
//! defaults (arrays are replaced whole), then deserialized with unknown keys refused, so a
//! typo is an error that names the key instead of a silently ignored setting.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::rules::*;

pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub general: GeneralRules,
    pub signal: SignalRules,
    pub screens: ScreenRules,
    pub risk: RiskRules,
    pub health: HealthRules,
    pub sizing: SizingRules,
    pub margin: MarginRules,
    pub stops: StopRules,
    pub journal: JournalRules,
    pub ledger: LedgerRules,
    pub backtest: BacktestRules,
    pub providers: ProviderRules,
    /// The app's keys: each action's name and its keys (`src/tui/keymap.rs`).
    pub keys: std::collections::BTreeMap<String, Vec<String>>,
    pub theme: ThemeColors,
}

/// The app's colours by role, each a colour name (`cyan`, `light_red`, `dark_gray`), an
/// index 0-255 or `#rrggbb`; the defaults use only the 16 ANSI colours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeColors {
    pub accent: String,
    pub header: String,
    pub selected_bg: String,
    pub good: String,
    pub bad: String,
    pub warn: String,
    pub dim: String,
    pub badge_fg: String,
    pub badge_bg: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {path}: {message}")]
    Invalid { path: String, message: String },
}

impl Default for Config {
    fn default() -> Self {
        Config::from_toml_str(DEFAULT_CONFIG, "built-in defaults")
            .expect("the embedded default config is valid")
    }
}

impl Config {
    /// Loads the defaults, overlaid by `path` when given. A missing file at the
    /// default location is fine; a missing file the user named explicitly is not.
    pub fn load(path: Option<&Path>, explicit: bool) -> Result<Config, ConfigError> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Config::from_toml_str(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                Ok(Config::default())
            }
            Err(source) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses a user config (any subset of keys) over the embedded defaults.
    pub fn from_toml_str(user: &str, origin: &str) -> Result<Config, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: origin.to_string(),
            message,
        };
        let mut merged: toml::Table = DEFAULT_CONFIG
            .parse()
            .expect("the embedded default config parses");
        let overlay: toml::Table = user.parse().map_err(|e: toml::de::Error| {
            invalid(e.message().to_string() + &line_hint(user, e.span()))
        })?;
        check_known_keys(&merged, &overlay, "").map_err(invalid)?;
        merge(&mut merged, overlay);
        let config: Config = toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| invalid(e.to_string().trim().to_string()))?;
        config.validate().map_err(invalid)?;
        Ok(config)
    }

    /// Range checks that TOML types cannot express; each message names its key.
    pub fn validate(&self) -> Result<(), String> {
        let pct = |key: &str, v: f64| -> Result<(), String> {
            if (0.0..=100.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("{key} must be between 0 and 100, got {v}"))
            }
        };
        if !(7.0..=10.0).contains(&self.stops.loss_pct) {
            return Err(format!(
                "stops.loss_pct must be between 7 and 10, got {}",
                self.stops.loss_pct
            ));
        }
        if self.general.lookback_days == 0 {
            return Err("general.lookback_days must be at least 1".into());
        }
        pct("sizing.max_position_pct", self.sizing.max_position_pct)?;
        pct("sizing.cash_reserve_pct", self.sizing.cash_reserve_pct)?;
        if !(0.0..=100.0).contains(&self.sizing.min_reward_risk) {
            return Err(format!(
                "sizing.min_reward_risk must be between 0 (off) and 100, got {}",
                self.sizing.min_reward_risk
            ));
        }
        pct("margin.max_used_pct", self.margin.max_used_pct)?;
        pct("margin.min_cash_pct", self.margin.min_cash_pct)?;
        pct("backtest.maintenance_pct", self.backtest.maintenance_pct)?;
        for (i, band) in self.sizing.bands.iter().enumerate() {
            if band.to <= band.from || band.min_pct > band.max_pct {
                return Err(format!(
                    "sizing.bands[{i}] needs from < to and min_pct <= max_pct"
                ));
            }
        }
        if self.backtest.initial_capital <= rust_decimal::Decimal::ZERO {
            return Err("backtest.initial_capital must be positive".into());
        }
        if self.risk.volatility_window < 2 {
            return Err("risk.volatility_window must be at least 2".into());
        }
        crate::tui::keymap::Keymap::from_config(&self.keys)?;
        crate::tui::theme::Palette::from_config(&self.theme)?;
        self.validate_orders()
    }

    /// Signs and orders the rules rely on: points are magnitudes (the rule applies the
    /// sign, so a negative one would flip it), thresholds ascend, tiers and bands descend
    /// without overlap or gap.
    fn validate_orders(&self) -> Result<(), String> {
        let s = &self.signal;
        for (key, v) in [
            ("signal.rsi_oversold_points", s.rsi_oversold_points),
            ("signal.rsi_overbought_points", s.rsi_overbought_points),
            ("signal.rsi_neutral_points", s.rsi_neutral_points),
            ("signal.macd_points", s.macd_points),
            ("signal.trend_points", s.trend_points),
            ("signal.return_high_points", s.return_high_points),
            ("signal.return_mid_points", s.return_mid_points),
            ("signal.return_low_points", s.return_low_points),
        ] {
            if !(0.0..=100.0).contains(&v) {
                return Err(format!(
                    "{key} must be between 0 and 100 (the rule applies the sign), got {v}"
                ));
            }
        }
        if !(s.rsi_oversold <= s.rsi_neutral_low
            && s.rsi_neutral_low <= s.rsi_neutral_high
            && s.rsi_neutral_high <= s.rsi_overbought)
        {
            return Err("signal: rsi_oversold <= rsi_neutral_low <= rsi_neutral_high <= rsi_overbought must hold".into());
        }
        if s.return_mid_pct > s.return_high_pct {
            return Err(format!(
                "signal.return_mid_pct ({}) must not exceed signal.return_high_pct ({})",
                s.return_mid_pct, s.return_high_pct
            ));
        }
        if self.risk.medium_volatility_pct > self.risk.high_volatility_pct {
            return Err(format!(
                "risk.medium_volatility_pct ({}) must not exceed risk.high_volatility_pct ({})",
                self.risk.medium_volatility_pct, self.risk.high_volatility_pct
            ));
        }
        for pair in self.sizing.bands.windows(2) {
            if pair[1].to != pair[0].from {
                return Err(format!(
                    "sizing.bands must run from the highest down without gap or overlap: \
                     a band ends at {} where the one above starts at {}",
                    pair[1].to, pair[0].from
                ));
            }
        }
        let h = &self.health;
        for (key, tiers) in [("health.alpha", &h.alpha), ("health.strength", &h.strength)] {
            if tiers.windows(2).any(|t| t[1].above >= t[0].above) {
                return Err(format!(
                    "{key} tiers must be in descending order of `above`"
                ));
            }
        }
        if h.breadth.windows(2).any(|t| t[1].below <= t[0].below) {
            return Err("health.breadth tiers must be in ascending order of `below`".into());
        }
        if !(h.grade_a > h.grade_b && h.grade_b > h.grade_c && h.grade_c > h.grade_d) {
            return Err("health: grade_a > grade_b > grade_c > grade_d must hold".into());
        }
        Ok(())
    }

    /// The rule tables the analyzer needs, cloned for the pure domain.
    pub fn analysis_rules(&self) -> crate::domain::analyzer::AnalysisRules {
        crate::domain::analyzer::AnalysisRules {
            general: self.general.clone(),
            signal: self.signal.clone(),
            screens: self.screens.clone(),
            risk: self.risk.clone(),
            health: self.health.clone(),
            sizing: self.sizing.clone(),
            margin: self.margin.clone(),
            stops: self.stops.clone(),
        }
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("config serializes")
    }
}

fn line_hint(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}

/// Refuses keys the defaults do not have, naming the full dotted key.
fn check_known_keys(
    defaults: &toml::Table,
    user: &toml::Table,
    prefix: &str,
) -> Result<(), String> {
    for (key, value) in user {
        let dotted = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match (defaults.get(key), value) {
            (None, _) => return Err(format!("unknown key `{dotted}`")),
            (Some(toml::Value::Table(d)), toml::Value::Table(u)) => {
                check_known_keys(d, u, &dotted)?
            }
            (Some(toml::Value::Table(_)), _) => {
                return Err(format!("`{dotted}` must be a table of settings"))
            }
            _ => {}
        }
    }
    Ok(())
}

fn merge(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn defaults_hold_the_design_values() {
        let c = Config::default();
        assert_eq!(c.general.lookback_days, 30);
        assert_eq!(c.sizing.max_position_pct, 25.0);
        assert_eq!(c.sizing.bands.len(), 4);
        assert_eq!(c.stops.loss_pct, 8.0);
        assert_eq!(c.backtest.initial_capital, dec!(30000));
        assert!(!c.margin.enabled);
    }

    #[test]
    fn a_subset_overrides() {
        let c = Config::from_toml_str("[stops]\nloss_pct = 9.5\n[journal]\ncommission = 1.1", "t")
            .unwrap();
        assert_eq!(c.stops.loss_pct, 9.5);
        assert_eq!(c.journal.commission, dec!(1.1));
        assert_eq!(c.stops.technical_sma, 50);
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::from_toml_str("[stops]\nloss_pc = 9", "my.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "config my.toml: unknown key `stops.loss_pc`"
        );
        let err = Config::from_toml_str("colour = 1", "my.toml").unwrap_err();
        assert!(err.to_string().contains("unknown key `colour`"));
    }

    #[test]
    fn bad_value_is_named() {
        let err = Config::from_toml_str("[stops]\nloss_pct = 12.0", "x").unwrap_err();
        assert!(err
            .to_string()
            .contains("stops.loss_pct must be between 7 and 10"));
        let err = Config::from_toml_str("[sizing]\nmax_position_pct = \"lots\"", "x").unwrap_err();
        assert!(err.to_string().contains("max_position_pct"), "{err}");
        let err = Config::from_toml_str("[stops\nloss_pct = 8", "x").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn the_config_documents_every_default_key() {
        use crate::tui::keymap::Keymap;
        let documented = Keymap::from_config(&Config::default().keys).unwrap();
        let every = Keymap::default().to_toml_section();
        assert_eq!(
            documented.to_toml_section(),
            every,
            "assets/config.toml's [keys] differs from keys.rs; paste:\n{every}"
        );
        assert_eq!(
            Config::default().keys.len(),
            crate::tui::keymap::actions().len(),
            "assets/config.toml's [keys] must list every action; paste:\n{every}"
        );
    }

    #[test]
    fn a_key_bound_twice_or_an_unknown_action_or_colour_is_refused() {
        let err = Config::from_toml_str("[keys]\ntake = [\"x\"]", "my.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "config my.toml: keys: `x` is bound to both `take` and `exit`; one key has one \
             meaning (bind the other action to another key too)"
        );
        let ok = Config::from_toml_str("[keys]\ntake = [\"x\"]\nexit = [\"X\"]", "t").unwrap();
        assert_eq!(ok.keys["take"], ["x"]);
        let err = Config::from_toml_str("[keys]\ntakee = [\"x\"]", "my.toml").unwrap_err();
        assert!(
            err.to_string().contains("unknown key `keys.takee`"),
            "{err}"
        );
        let err = Config::from_toml_str("[theme]\naccent = \"sky\"", "my.toml").unwrap_err();
        assert!(
            err.to_string()
                .contains("theme.accent: \"sky\" is not a colour"),
            "{err}"
        );
    }

    #[test]
    fn printed_config_round_trips() {
        let c = Config::default();
        assert_eq!(Config::from_toml_str(&c.to_toml(), "printed").unwrap(), c);
    }

    #[test]
    fn every_section_refuses_values_that_would_flip_or_break_a_rule() {
        for (toml, key) in [
            ("[signal]\nmacd_points = -10", "signal.macd_points"),
            ("[signal]\nrsi_neutral_low = 75", "rsi_neutral_high"),
            ("[signal]\nreturn_mid_pct = 20", "signal.return_mid_pct"),
            ("[risk]\nmedium_volatility_pct = 50", "risk.medium_volatility_pct"),
            ("[health]\ngrade_b = 95", "grade_a > grade_b"),
            (
                "[health]\nalpha = [{ above = 0.0, points = 10.0 }, { above = 5.0, points = 20.0 }]",
                "health.alpha",
            ),
            (
                "[sizing]\nbands = [{ from = 80.0, to = 100.0, min_pct = 15.0, max_pct = 20.0 }, \
                 { from = 60.0, to = 70.0, min_pct = 5.0, max_pct = 10.0 }]",
                "sizing.bands",
            ),
            ("[sizing]\nmin_reward_risk = -1", "sizing.min_reward_risk"),
        ] {
            let err = Config::from_toml_str(toml, "x").unwrap_err().to_string();
            assert!(err.contains(key), "{toml}: {err}");
        }
    }
}
