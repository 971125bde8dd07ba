//! Number formatting for cells: money to the cent with thousands separators, percentages
//! with a sign, and "—" for what is unknown.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;
use rust_decimal::Decimal;

pub const NONE: &str = "—";

/// `1234567.891` → `1,234,567.89`.
pub fn money(d: Decimal) -> String {
    let s = format!("{:.2}", d.round_dp(2));
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

pub fn money_opt(d: Option<Decimal>) -> String {
    d.map_or_else(|| NONE.into(), money)
}

pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| NONE.into(), |v| format!("{v:+.1}%"))
}

pub fn num(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| NONE.into(), |v| format!("{v:.decimals$}"))
}

/// A right-aligned cell.
pub fn right(text: String, style: Style) -> Cell<'static> {
    Cell::from(Line::from(Span::styled(text, style)).right_aligned())
}

pub fn left(text: impl Into<String>, style: Style) -> Cell<'static> {
    Cell::from(Line::from(Span::styled(text.into(), style)))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn money_groups_thousands_and_keeps_cents() {
        assert_eq!(money(dec!(1234567.891)), "1,234,567.89");
        assert_eq!(money(dec!(-1126.7)), "-1,126.70");
        assert_eq!(money(dec!(0)), "0.00");
        assert_eq!(money(dec!(999.995)), "1,000.00");
        assert_eq!(pct(Some(-5.04)), "-5.0%");
        assert_eq!(pct(None), "—");
    }
}
