//! How numbers look, in the reports and in the app alike. Before this module the same cash
//! figure printed as `$9934.20`, `$9,934.20`, `9,934.20` and `9934.20`, and an amount of
//! 999.995 as `999.99` in one place and `1,000.00` in another.
//!
//! - Money is rounded to the cent as it is stored (half to even, like `to_cents`), grouped
//!   by thousands, with the minus first: `-$1,126.70`. [`money`] carries the dollar sign
//!   for prose and reports; [`amount`] leaves it out for table cells whose column names
//!   the unit (`P&L $`), where a narrow column has no room for it.
//! - A change (return, alpha, move) always shows its sign: `+5.0%`; a share of a whole
//!   (weight, win rate, drawdown, volatility) does not: `5.0%`. One decimal.
//! - What is unknown is `—`, never 0.

use rust_decimal::{Decimal, RoundingStrategy};

pub const NONE: &str = "—";

/// `1234567.891` → `1,234,567.89`; `-1126.7` → `-1,126.70`.
pub fn amount(d: Decimal) -> String {
    let cents = d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    // `{:.2}` pads a shorter scale with zeros; the value already has at most two decimals.
    let text = format!("{:.2}", cents.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if cents.is_sign_negative() && !cents.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{frac}", group_thousands(int))
}

/// `1234.5` → `$1,234.50`; `-57.22` → `-$57.22`.
pub fn money(d: Decimal) -> String {
    let text = amount(d);
    match text.strip_prefix('-') {
        Some(abs) => format!("-${abs}"),
        None => format!("${text}"),
    }
}

/// A price with the decimals it was traded at: at least two (`$717.55`, `$1,086.28`), more
/// only where they carry a digit (a sub-dollar stock at `$0.1234`), at most six (what the
/// store keeps). Cut to cents, `0.1234` would show as `$0.12`, a 3 % error on that stock.
pub fn price(d: Decimal) -> String {
    let d = d
        .round_dp_with_strategy(6, RoundingStrategy::MidpointNearestEven)
        .normalize();
    if d.scale() <= 2 {
        return money(d);
    }
    let text = format!("{}", d.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if d.is_sign_negative() { "-" } else { "" };
    format!("{sign}${}.{frac}", group_thousands(int))
}

pub fn price_opt(d: Option<Decimal>) -> String {
    d.map_or_else(|| NONE.into(), price)
}

pub fn amount_opt(d: Option<Decimal>) -> String {
    d.map_or_else(|| NONE.into(), amount)
}

pub fn money_opt(d: Option<Decimal>) -> String {
    d.map_or_else(|| NONE.into(), money)
}

/// A change in percent, always signed: `+5.0%`, `-12.5%`.
pub fn change_pct(v: Option<f64>) -> String {
    v.map_or_else(|| NONE.into(), |v| format!("{v:+.1}%"))
}

/// A share of a whole in percent, unsigned: `16.7%`.
pub fn share_pct(v: Option<f64>) -> String {
    v.map_or_else(|| NONE.into(), |v| format!("{v:.1}%"))
}

/// A difference in percentage points, signed, without the unit: `+9.4`.
pub fn points(v: Option<f64>) -> String {
    v.map_or_else(|| NONE.into(), |v| format!("{v:+.1}"))
}

/// A plain figure (RSI, Sharpe, MACD) with `decimals` decimals.
pub fn num(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| NONE.into(), |v| format!("{v:.decimals$}"))
}

fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn amounts_round_to_the_cent_like_storage_and_group_thousands() {
        assert_eq!(amount(dec!(1234567.891)), "1,234,567.89");
        assert_eq!(amount(dec!(-1126.7)), "-1,126.70");
        assert_eq!(amount(dec!(0)), "0.00");
        assert_eq!(amount(dec!(999)), "999.00");
        assert_eq!(amount(dec!(100000)), "100,000.00");
        // Half to even, as to_cents stores it: .995 → 1,000.00, .985 → .98 (not cut to .99).
        assert_eq!(amount(dec!(999.995)), "1,000.00");
        assert_eq!(amount(dec!(0.985)), "0.98");
        assert_eq!(amount(dec!(2587.3056)), "2,587.31");
        // A loss that rounds to nothing is no loss.
        assert_eq!(amount(dec!(-0.004)), "0.00");
    }

    #[test]
    fn money_puts_the_sign_before_the_dollar() {
        assert_eq!(money(dec!(9934.2)), "$9,934.20");
        assert_eq!(money(dec!(-57.22)), "-$57.22");
        assert_eq!(money(dec!(-1421.875)), "-$1,421.88");
        assert_eq!(money_opt(None), "—");
        assert_eq!(amount_opt(Some(dec!(5))), "5.00");
    }

    #[test]
    fn prices_keep_the_decimals_they_carry() {
        assert_eq!(price(dec!(717.55)), "$717.55");
        assert_eq!(price(dec!(1086.2800)), "$1,086.28");
        assert_eq!(price(dec!(42)), "$42.00");
        assert_eq!(price(dec!(0.1234)), "$0.1234");
        assert_eq!(price(dec!(12.305)), "$12.305");
        assert_eq!(price(dec!(1234.567891)), "$1,234.567891");
        // Beyond six decimals (never stored) rounds half to even.
        assert_eq!(price(dec!(0.12345675)), "$0.123457");
        assert_eq!(price_opt(None), "—");
    }

    #[test]
    fn changes_are_signed_and_shares_are_not() {
        assert_eq!(change_pct(Some(-5.04)), "-5.0%");
        assert_eq!(change_pct(Some(10.26)), "+10.3%");
        assert_eq!(change_pct(None), "—");
        assert_eq!(share_pct(Some(16.666)), "16.7%");
        assert_eq!(points(Some(9.44)), "+9.4");
        assert_eq!(num(Some(0.3781), 3), "0.378");
        assert_eq!(num(None, 2), "—");
    }
}
