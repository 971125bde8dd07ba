//! Field validators: each returns the message shown beside the field, naming what is wrong.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::journal::{Outcome, SignalType};
use crate::domain::parse::{parse_date, parse_decimal};
use crate::domain::symbol::Symbol;

pub type Check = fn(&str) -> Result<(), String>;

pub fn symbol(v: &str) -> Result<(), String> {
    Symbol::parse(v).map(|_| ()).map_err(|e| e.to_string())
}

/// Empty passes; anything else must pass `check`.
fn optional(v: &str, check: Check) -> Result<(), String> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        check(v)
    }
}

/// A number from 0 to 100, named `what` when it is not.
fn within(v: &str, what: &str) -> Result<(), String> {
    match v.trim().parse::<f64>() {
        Ok(x) if (0.0..=100.0).contains(&x) => Ok(()),
        _ => Err(format!("{:?} is not {what} between 0 and 100", v.trim())),
    }
}

fn required(v: &str) -> Result<(), String> {
    if v.trim().is_empty() {
        Err("required".into())
    } else {
        Ok(())
    }
}

pub fn positive(v: &str) -> Result<(), String> {
    required(v)?;
    match parse_decimal(v)? {
        d if d > Decimal::ZERO => Ok(()),
        d => Err(format!("must be above 0, got {d}")),
    }
}

pub fn non_negative(v: &str) -> Result<(), String> {
    required(v)?;
    match parse_decimal(v)? {
        d if d >= Decimal::ZERO => Ok(()),
        d => Err(format!("must be 0 or more, got {d}")),
    }
}

pub fn optional_positive(v: &str) -> Result<(), String> {
    optional(v, positive)
}

pub fn whole_positive(v: &str) -> Result<(), String> {
    required(v)?;
    let d = parse_decimal(v)?;
    if d <= Decimal::ZERO || d.fract() != Decimal::ZERO {
        return Err(format!("must be a whole number above 0, got {d}"));
    }
    Ok(())
}

pub fn date(v: &str) -> Result<(), String> {
    required(v)?;
    parse_date(v).map(|_| ())
}

pub fn optional_date(v: &str) -> Result<(), String> {
    optional(v, date)
}

pub fn signal_type(v: &str) -> Result<(), String> {
    SignalType::parse(v)
        .map(|_| ())
        .ok_or_else(|| format!("{:?} is not BUY, SELL or HOLD", v.trim()))
}

pub fn optional_strength(v: &str) -> Result<(), String> {
    optional(v, |t| within(t, "a strength"))
}

/// Empty (computed) or one of the outcomes a closed trade can have.
pub fn optional_outcome(v: &str) -> Result<(), String> {
    match v.trim() {
        "" => Ok(()),
        w => match Outcome::parse(w) {
            Some(Outcome::Win | Outcome::Loss | Outcome::Breakeven) => Ok(()),
            _ => Err(format!("{w:?}: leave empty, or WIN, LOSS or BREAKEVEN")),
        },
    }
}

pub fn strategy(v: &str) -> Result<(), String> {
    crate::tui::backtest_job::parse_strategy(v)
        .map(|_| ())
        .ok_or_else(|| {
            format!(
                "{:?}: all, buy-hold, weekly, monthly or monthly-margin",
                v.trim()
            )
        })
}

pub fn optional_frequency(v: &str) -> Result<(), String> {
    optional(v, |t| {
        t.parse::<crate::domain::backtest::Frequency>().map(|_| ())
    })
}

pub fn optional_pct(v: &str) -> Result<(), String> {
    optional(v, |t| within(t, "a percentage"))
}

/// The backtest's sizing multiplier: it scales the allocation bands, 0.01 to 5.
pub fn optional_multiplier(v: &str) -> Result<(), String> {
    optional(v, |t| match t.trim().parse::<f64>() {
        Ok(x) if (0.01..=5.0).contains(&x) => Ok(()),
        _ => Err(format!("{:?} is not a multiplier from 0.01 to 5", t.trim())),
    })
}

pub fn optional_whole(v: &str) -> Result<(), String> {
    optional(v, whole_positive)
}

pub fn optional_non_negative(v: &str) -> Result<(), String> {
    optional(v, non_negative)
}

pub fn any(_: &str) -> Result<(), String> {
    Ok(())
}

pub fn decimal_of(v: &str) -> Decimal {
    parse_decimal(v).unwrap_or_default()
}

pub fn date_of(v: &str) -> Option<NaiveDate> {
    parse_date(v).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators_accept_and_name_the_problem() {
        assert!(positive("12.5").is_ok());
        assert_eq!(positive("0"), Err("must be above 0, got 0".into()));
        assert_eq!(positive("abc"), Err("\"abc\" is not a number".into()));
        assert!(non_negative("0").is_ok());
        assert!(whole_positive("3").is_ok());
        assert_eq!(positive(" "), Err("required".into()));
        assert!(whole_positive("2.5").unwrap_err().contains("whole number"));
        assert!(date("2026-02-30").unwrap_err().contains("YYYY-MM-DD"));
        assert!(optional_date("").is_ok());
        assert!(signal_type("sell").is_ok());
        assert!(signal_type("short").is_err());
        assert!(optional_strength("101").is_err());
        assert!(optional_outcome("missed").is_err());
        assert!(optional_multiplier("0.5").is_ok() && optional_multiplier("").is_ok());
        assert!(optional_multiplier("6").unwrap_err().contains("0.01 to 5"));
        assert!(optional_frequency("week").is_ok() && optional_frequency("0").is_err());
        assert!(optional_pct("25").is_ok() && optional_pct("101").is_err());
        assert!(optional_outcome("win").is_ok());
        assert!(symbol("BRK.B").is_ok());
        assert!(symbol("").is_err());
    }
}
