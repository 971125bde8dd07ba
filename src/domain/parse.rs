//! Reading the numbers and dates a user types or a file holds. Every entry point — files,
//! command-line flags, form fields — goes through these, so one rule decides what `1,5`
//! means: by default nothing (it is refused), and under an explicit decimal-comma mode 1.5.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// 10^14: every price and quantity column is DECIMAL(18,4), which holds less.
pub const MAX_NUMBER: Decimal = Decimal::from_parts(276_447_232, 23_283, 0, false, 0);

/// How a number's text marks its decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalMark {
    /// `1234.56`: a point, no grouping. A comma is refused, never guessed.
    #[default]
    Point,
    /// `1.234,56` or `145,52`: a comma for decimals; `.` or a space groups thousands
    /// (groups of three, checked, so `10.5` is refused rather than read as 105).
    Comma,
}

impl DecimalMark {
    /// The mark a `--decimal-comma` flag asks for.
    pub fn comma_if(decimal_comma: bool) -> Self {
        if decimal_comma {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        }
    }
}

/// A number written with a decimal point: `"145,52"` could be 145.52 or 14552, so a comma
/// is refused rather than guessed (it once stored 1,5 as 15). A value at or above
/// [`MAX_NUMBER`] is refused too: no price, quantity or amount is that large, and money
/// arithmetic on such values could overflow.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    parse_number(text, DecimalMark::Point)
}

/// [`parse_decimal`] with the file's or the user's decimal mark.
pub fn parse_number(text: &str, mark: DecimalMark) -> Result<Decimal, String> {
    let trimmed = text.trim();
    let unsigned = trimmed.strip_prefix('$').unwrap_or(trimmed);
    let value = match mark {
        DecimalMark::Point => point_number(text, unsigned)?,
        DecimalMark::Comma => comma_number(text, unsigned)?,
    };
    if value.abs() >= MAX_NUMBER {
        return Err(format!("{text:?} is too large (at most 99999999999999)"));
    }
    Ok(value)
}

fn point_number(text: &str, cleaned: &str) -> Result<Decimal, String> {
    if cleaned.contains(',') {
        return Err(format!(
            "{text:?}: write numbers with a decimal point and no thousands separator (1234.56)"
        ));
    }
    if let Some(v) = plain_decimal(cleaned) {
        return Ok(v);
    }
    // rust_decimal reads `1_000` as 1000; an underscore is a separator, refused like a comma.
    if cleaned.contains('_') {
        return Err(format!("{text:?} is not a number"));
    }
    Decimal::from_str(cleaned)
        .or_else(|_| Decimal::from_scientific(cleaned))
        .map_err(|_| format!("{text:?} is not a number"))
}

/// `123` or `123.45` of at most 19 characters, read without `Decimal::from_str`'s general
/// parser (a price file has five such fields a line): the same mantissa and scale, trailing
/// zeros kept. `None` for anything else, which the general parser then reads or refuses.
fn plain_decimal(text: &str) -> Option<Decimal> {
    let (int, frac) = match text.split_once('.') {
        Some((_, "")) => return None,
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let plain =
        !int.is_empty() && int.len() + frac.len() <= 19 && all_digits(int) && all_digits(frac);
    if !plain {
        return None;
    }
    // At most 19 digits: below 10^19, inside u64.
    let mantissa = int
        .bytes()
        .chain(frac.bytes())
        .fold(0u64, |m, b| m * 10 + u64::from(b - b'0'));
    Some(Decimal::from_i128_with_scale(
        i128::from(mantissa),
        frac.len() as u32,
    ))
}

/// `1.234,56` → 1234.56. Groups after the first hold exactly three digits, and one number
/// uses one grouping character, so a stray point (`10.5`) cannot shift the value by 10×.
fn comma_number(text: &str, cleaned: &str) -> Result<Decimal, String> {
    let bad = || {
        format!(
            "{text:?} is not a decimal-comma number (such as 1.234,56 or 145,52; \
             '.' or a space groups thousands)"
        )
    };
    let (sign, body) = match cleaned.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", cleaned.strip_prefix('+').unwrap_or(cleaned)),
    };
    let (int, frac) = match body.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(frac) = frac {
        if !is_digits(frac) {
            return Err(bad());
        }
    }
    let separators: Vec<char> = int.chars().filter(|c| !c.is_ascii_digit()).collect();
    let digits: String = match separators.first() {
        None => int.to_string(),
        Some(&sep) => {
            if !matches!(sep, '.' | ' ' | '\u{a0}' | '\u{202f}')
                || separators.iter().any(|&c| c != sep)
            {
                return Err(bad());
            }
            let groups: Vec<&str> = int.split(sep).collect();
            let first_ok = (1..=3).contains(&groups[0].len()) && is_digits(groups[0]);
            if !first_ok || groups[1..].iter().any(|g| g.len() != 3 || !is_digits(g)) {
                return Err(bad());
            }
            groups.concat()
        }
    };
    if !is_digits(&digits) {
        return Err(bad());
    }
    let normal = match frac {
        Some(f) => format!("{sign}{digits}.{f}"),
        None => format!("{sign}{digits}"),
    };
    Decimal::from_str(&normal).map_err(|_| bad())
}

/// `2024-03-01` or the US `03/01/2024`, with a four-digit year.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let raw = text.trim();
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%m/%d/%Y"))
        .map_err(|_| format!("{text:?} is not a date (use YYYY-MM-DD)"))?;
    four_digit_year(text, date)
}

/// A price file's date: ISO `2024-03-01`, US `03/01/2024`, or Stooq's `20240301`.
pub fn parse_bar_date(text: &str) -> Result<NaiveDate, String> {
    let raw = text.trim();
    if let Some(date) = iso_date(raw) {
        return four_digit_year(text, date);
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%m/%d/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(raw, "%Y%m%d"))
        .map_err(|_| format!("{raw:?} is not a date (use YYYY-MM-DD or MM/DD/YYYY)"))?;
    four_digit_year(text, date)
}

/// Exactly `YYYY-MM-DD` of a real day, without chrono's format parser (an import reads one
/// per bar); `None` for anything else, which `parse_from_str` then reads or refuses.
fn iso_date(raw: &str) -> Option<NaiveDate> {
    let b = raw.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(number(&b[..4])? as i32, number(&b[5..7])?, number(&b[8..])?)
}

/// chrono reads signed and five-digit years (`-0001-03-01`, `+10000-01-01`); no market
/// has such days, and the database could not read them back.
fn four_digit_year(text: &str, date: NaiveDate) -> Result<NaiveDate, String> {
    if (1..=9999).contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!(
            "{:?}: the year must be from 0001 to 9999",
            text.trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn comma(text: &str) -> Result<Decimal, String> {
        parse_number(text, DecimalMark::Comma)
    }

    #[test]
    fn a_point_number_refuses_commas_and_underscores() {
        assert_eq!(parse_decimal(" 145.52 "), Ok(dec!(145.52)));
        assert_eq!(parse_decimal("$12"), Ok(dec!(12)));
        assert_eq!(parse_decimal("1e3"), Ok(dec!(1000)));
        assert_eq!(
            parse_decimal("1,5").unwrap_err(),
            "\"1,5\": write numbers with a decimal point and no thousands separator (1234.56)"
        );
        assert!(parse_decimal("1,234.50")
            .unwrap_err()
            .contains("decimal point"));
        assert_eq!(
            parse_decimal("1_000").unwrap_err(),
            "\"1_000\" is not a number"
        );
        assert_eq!(parse_decimal("abc").unwrap_err(), "\"abc\" is not a number");
    }

    #[test]
    fn values_from_ten_to_the_fourteen_are_too_large() {
        assert_eq!(MAX_NUMBER, dec!(100_000_000_000_000));
        assert_eq!(parse_decimal("99999999999999"), Ok(dec!(99999999999999)));
        assert!(parse_decimal("1e14").unwrap_err().contains("too large"));
        assert!(parse_decimal("-1e20").unwrap_err().contains("too large"));
        assert!(comma("100.000.000.000.000")
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn a_decimal_comma_reads_commas_and_checked_groups() {
        assert_eq!(comma("145,52"), Ok(dec!(145.52)));
        assert_eq!(comma("1.234,56"), Ok(dec!(1234.56)));
        assert_eq!(comma("1 234 567,8"), Ok(dec!(1234567.8)));
        assert_eq!(comma("1\u{a0}234,5"), Ok(dec!(1234.5)));
        assert_eq!(comma("-0,5"), Ok(dec!(-0.5)));
        assert_eq!(comma("$1.000"), Ok(dec!(1000)));
        assert_eq!(comma("42"), Ok(dec!(42)));
        // A point is a thousands separator here, so 10.5 has a group of one digit.
        for bad in [
            "10.5",
            "1.23,4",
            "1234.567,8",
            "1.234 567",
            "1,2,3",
            "1,5e3",
            ",5",
            "1,",
            "",
            "-",
        ] {
            let e = comma(bad).unwrap_err();
            assert!(e.contains("not a decimal-comma number"), "{bad:?}: {e}");
        }
    }

    proptest::proptest! {
        /// The plain-number shortcut gives what the general parser gives, scale included.
        #[test]
        fn plain_numbers_read_as_the_general_parser_reads_them(
            int in "[0-9]{1,10}", frac in proptest::option::of("[0-9]{0,9}")
        ) {
            let text = match &frac { Some(f) => format!("{int}.{f}"), None => int.clone() };
            let general = Decimal::from_str(&text).ok();
            let plain = plain_decimal(&text);
            if let Some(v) = plain {
                let g = general.expect("the general parser reads it too");
                proptest::prop_assert_eq!((v.mantissa(), v.scale()), (g.mantissa(), g.scale()));
            } else {
                // Only "12." is left to the general parser.
                proptest::prop_assert_eq!(frac.as_deref(), Some(""));
            }
        }

        /// The ISO shortcut reads exactly the days chrono reads from those ten characters.
        #[test]
        fn iso_dates_read_as_chrono_reads_them(y in 0u32..10_000, m in 0u32..14, d in 0u32..33) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            proptest::prop_assert_eq!(
                iso_date(&text),
                NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()
            );
        }
    }

    #[test]
    fn shortcuts_leave_everything_else_to_the_general_readers() {
        for text in [
            "",
            ".5",
            "5.",
            "1.2.3",
            "+5",
            "-5",
            "1e3",
            "12345678901234567890",
        ] {
            assert_eq!(plain_decimal(text), None, "{text:?}");
        }
        assert_eq!(
            plain_decimal("0080.50").map(|v| (v.mantissa(), v.scale())),
            Some((8050, 2))
        );
        assert_eq!(
            parse_decimal("5."),
            Decimal::from_str("5.").map_err(|_| "\"5.\" is not a number".to_string())
        );
        for text in [
            "2024-3-01",
            "2024/03/01",
            " 2024-03-01",
            "2024-02-30",
            "+2024-03-01",
        ] {
            assert_eq!(iso_date(text), None, "{text:?}");
        }
        assert_eq!(
            parse_bar_date(" 2024-03-01 "),
            Ok(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap())
        );
    }

    #[test]
    fn dates_have_a_four_digit_year() {
        let march = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(parse_date("2024-03-01"), Ok(march));
        assert_eq!(parse_date("03/01/2024"), Ok(march));
        assert_eq!(parse_bar_date("20240301"), Ok(march));
        assert!(parse_date("2026-02-30").unwrap_err().contains("YYYY-MM-DD"));
        assert_eq!(
            parse_bar_date("-0001-03-01").unwrap_err(),
            "\"-0001-03-01\": the year must be from 0001 to 9999"
        );
        assert!(parse_date("+10000-01-01")
            .unwrap_err()
            .contains("0001 to 9999"));
        assert!(parse_date("0000-01-01")
            .unwrap_err()
            .contains("0001 to 9999"));
    }
}
