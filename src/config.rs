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
    pub backtest: BacktestRules,
    pub providers: ProviderRules,
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
    fn printed_config_round_trips() {
        let c = Config::default();
        assert_eq!(Config::from_toml_str(&c.to_toml(), "printed").unwrap(), c);
    }
}
