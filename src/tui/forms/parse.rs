//! Field parsers: each turns a field's text into its value, or into the message shown
//! beside the field, naming what is wrong.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::domain::backtest::{Frequency, StrategyKind};
use crate::domain::journal::{Outcome, SignalType};
use crate::domain::parse::{parse_date, parse_decimal};
use crate::domain::symbol::Symbol;
use crate::service::ops::future_date;

pub type Parsed<T> = Result<T, String>;

fn required(v: &str) -> Parsed<&str> {
    match v.trim() {
        "" => Err("required".into()),
        t => Ok(t),
    }
}

/// Empty is `None`; anything else must pass `parse`.
fn optional<T>(v: &str, parse: impl FnOnce(&str) -> Parsed<T>) -> Parsed<Option<T>> {
    match v.trim() {
        "" => Ok(None),
        t => parse(t).map(Some),
    }
}

pub fn symbol(v: &str) -> Parsed<Symbol> {
    Symbol::parse(v).map_err(|e| e.to_string())
}

pub fn text(v: &str) -> Parsed<Option<String>> {
    Ok(Some(v.trim().to_string()).filter(|t| !t.is_empty()))
}

pub fn any(v: &str) -> Parsed<String> {
    Ok(v.trim().to_string())
}

fn decimal(v: &str) -> Parsed<Decimal> {
    parse_decimal(required(v)?)
}

pub fn positive(v: &str) -> Parsed<Decimal> {
    match decimal(v)? {
        d if d > Decimal::ZERO => Ok(d),
        d => Err(format!("must be above 0, got {d}")),
    }
}

pub fn non_negative(v: &str) -> Parsed<Decimal> {
    match decimal(v)? {
        d if d >= Decimal::ZERO => Ok(d),
        d => Err(format!("must be 0 or more, got {d}")),
    }
}

pub fn optional_positive(v: &str) -> Parsed<Option<Decimal>> {
    optional(v, positive)
}

pub fn optional_non_negative(v: &str) -> Parsed<Option<Decimal>> {
    optional(v, non_negative)
}

/// Whole shares, as every traded quantity is (the journal stores them as an INTEGER).
pub fn whole_positive(v: &str) -> Parsed<Decimal> {
    let d = decimal(v)?;
    if d <= Decimal::ZERO || d.fract() != Decimal::ZERO {
        return Err(format!("must be a whole number above 0, got {d}"));
    }
    if d > Decimal::from(i32::MAX) {
        return Err(format!("{d} is too large (at most {} shares)", i32::MAX));
    }
    Ok(d)
}

pub fn date(v: &str) -> Parsed<NaiveDate> {
    parse_date(required(v)?)
}

pub fn optional_date(v: &str) -> Parsed<Option<NaiveDate>> {
    optional(v, date)
}

/// A date of a fact: on or before `today`.
pub fn past_date(today: NaiveDate) -> impl Fn(&str) -> Parsed<NaiveDate> {
    move |v| {
        let d = date(v)?;
        future_date(d, today).map_or(Ok(d), Err)
    }
}

pub fn optional_past_date(today: NaiveDate) -> impl Fn(&str) -> Parsed<Option<NaiveDate>> {
    move |v| optional(v, past_date(today))
}

pub fn signal_type(v: &str) -> Parsed<SignalType> {
    SignalType::parse(v).ok_or_else(|| format!("{:?} is not BUY, SELL or HOLD", v.trim()))
}

/// A number from 0 to 100, named `what` when it is not.
fn within(v: &str, what: &str) -> Parsed<f64> {
    match v.trim().parse::<f64>() {
        Ok(x) if (0.0..=100.0).contains(&x) => Ok(x),
        _ => Err(format!("{:?} is not {what} between 0 and 100", v.trim())),
    }
}

pub fn optional_strength(v: &str) -> Parsed<Option<f64>> {
    optional(v, |t| within(t, "a strength"))
}

pub fn optional_pct(v: &str) -> Parsed<Option<f64>> {
    optional(v, |t| within(t, "a percentage"))
}

/// Empty (computed) or one of the outcomes a closed trade can have.
pub fn optional_outcome(v: &str) -> Parsed<Option<Outcome>> {
    optional(v, |w| match Outcome::parse(w) {
        Some(o @ (Outcome::Win | Outcome::Loss | Outcome::Breakeven)) => Ok(o),
        _ => Err(format!("{w:?}: leave empty, or WIN, LOSS or BREAKEVEN")),
    })
}

/// `all` (every strategy: `None`) or one strategy's name.
pub fn strategy(v: &str) -> Parsed<Option<StrategyKind>> {
    match v.trim().to_ascii_lowercase().as_str() {
        "all" => Ok(None),
        name => name.parse::<StrategyKind>().map(Some).map_err(|_| {
            format!(
                "{:?}: all, buy-hold, weekly, monthly or monthly-margin",
                v.trim()
            )
        }),
    }
}

pub fn optional_frequency(v: &str) -> Parsed<Option<Frequency>> {
    optional(v, |t| t.parse::<Frequency>())
}

/// The backtest's sizing multiplier: it scales the allocation bands, 0.01 to 5.
pub fn optional_multiplier(v: &str) -> Parsed<Option<f64>> {
    optional(v, |t| match t.trim().parse::<f64>() {
        Ok(x) if (0.01..=5.0).contains(&x) => Ok(x),
        _ => Err(format!("{:?} is not a multiplier from 0.01 to 5", t.trim())),
    })
}

pub fn optional_count(v: &str) -> Parsed<Option<usize>> {
    optional(v, |t| {
        let d = whole_positive(t)?;
        d.to_usize().ok_or_else(|| format!("{d} is too large"))
    })
}

/// Basis points or another non-negative rate.
pub fn optional_rate(v: &str) -> Parsed<Option<f64>> {
    optional(v, |t| {
        let d = non_negative(t)?;
        t.trim()
            .parse::<f64>()
            .map_err(|_| format!("{d} is not a rate"))
    })
}

/// A trade's side.
pub fn side(v: &str) -> Parsed<crate::service::ledger_entry::Side> {
    crate::service::ledger_entry::Side::parse(v)
        .ok_or_else(|| format!("{:?} is not buy or sell", v.trim()))
}

/// A money movement's direction: DEPOSIT or WITHDRAWAL.
pub fn direction(v: &str) -> Parsed<crate::domain::ledger::Kind> {
    crate::service::ops::money_kind(&v.trim().to_ascii_lowercase())
        .ok_or_else(|| format!("{:?} is not deposit or withdraw", v.trim()))
}

/// A split ratio, new:old shares (`2:1`, `3:2`, `1:10`).
pub fn split_ratio(v: &str) -> Parsed<crate::domain::ledger::Split> {
    let text = required(v)?;
    text.parse::<crate::domain::ledger::Split>()
        .map_err(|e| e.trim_start_matches("ratio: ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsers_give_the_value_or_name_the_problem() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(positive("12.5"), Ok(Decimal::new(125, 1)));
        assert_eq!(positive("0"), Err("must be above 0, got 0".into()));
        assert_eq!(positive("abc"), Err("\"abc\" is not a number".into()));
        assert!(non_negative("0").is_ok());
        assert_eq!(whole_positive("3"), Ok(Decimal::from(3)));
        assert_eq!(positive(" "), Err("required".into()));
        assert!(whole_positive("2.5").unwrap_err().contains("whole number"));
        assert!(whole_positive("3000000000")
            .unwrap_err()
            .contains("too large"));
        assert!(date("2026-02-30").unwrap_err().contains("YYYY-MM-DD"));
        assert_eq!(optional_date(""), Ok(None));
        assert!(past_date(today)("2026-11-20").is_ok());
        assert!(past_date(today)("2026-11-21")
            .unwrap_err()
            .contains("is in the future"));
        assert_eq!(signal_type("sell"), Ok(SignalType::Sell));
        assert!(signal_type("short").is_err());
        assert!(optional_strength("101").is_err());
        assert!(optional_outcome("missed").is_err());
        assert_eq!(optional_outcome("win"), Ok(Some(Outcome::Win)));
        assert_eq!(optional_multiplier("0.5"), Ok(Some(0.5)));
        assert_eq!(optional_multiplier(""), Ok(None));
        assert!(optional_multiplier("6").unwrap_err().contains("0.01 to 5"));
        assert!(optional_frequency("week").is_ok() && optional_frequency("0").is_err());
        assert!(optional_pct("25").is_ok() && optional_pct("101").is_err());
        assert_eq!(optional_count("3"), Ok(Some(3)));
        assert_eq!(optional_rate("2.5"), Ok(Some(2.5)));
        assert_eq!(strategy("ALL"), Ok(None));
        assert!(symbol("BRK.B").is_ok());
        assert!(symbol("").is_err());
        assert!(side("Sell").is_ok() && side("short").unwrap_err().contains("buy or sell"));
        assert!(direction("Withdraw").is_ok() && direction("gift").is_err());
        assert_eq!(split_ratio("2:1").map(|s| s.to_string()), Ok("2:1".into()));
        assert!(split_ratio("2:2").unwrap_err().contains("changes nothing"));
        assert_eq!(split_ratio(""), Err("required".into()));
    }
}
