//! The US equity trading calendar: weekdays minus NYSE full-day holidays.
//!
//! Rule-based (no table to go stale): fixed-date holidays move to the nearest weekday when
//! they fall on a weekend, except New Year's Day on a Saturday, which NYSE does not observe
//! on the preceding Friday. Juneteenth is a holiday from 2022. One-off closures (national
//! days of mourning, hurricanes) are not modelled; real price files simply lack those bars.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

pub fn is_trading_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(date)
}

pub fn is_holiday(date: NaiveDate) -> bool {
    let year = date.year();
    holidays(year).contains(&date)
}

/// The NYSE full-day holidays observed in `year`.
pub fn holidays(year: i32) -> Vec<NaiveDate> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("valid holiday date");
    let mut days = Vec::with_capacity(10);
    let new_year = ymd(1, 1);
    if new_year.weekday() != Weekday::Sat {
        days.push(observed(new_year));
    }
    days.push(nth_weekday(year, 1, Weekday::Mon, 3)); // Martin Luther King Jr. Day
    days.push(nth_weekday(year, 2, Weekday::Mon, 3)); // Washington's Birthday
    days.push(easter_sunday(year) - Duration::days(2)); // Good Friday
    days.push(last_weekday(year, 5, Weekday::Mon)); // Memorial Day
    if year >= 2022 {
        days.push(observed(ymd(6, 19)));
    }
    days.push(observed(ymd(7, 4)));
    days.push(nth_weekday(year, 9, Weekday::Mon, 1)); // Labor Day
    days.push(nth_weekday(year, 11, Weekday::Thu, 4)); // Thanksgiving
    days.push(observed(ymd(12, 25)));
    days
}

/// The trading day `n` sessions before `date` (`date` itself need not be a trading day).
pub fn trading_days_back(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day -= Duration::days(1);
        if is_trading_day(day) {
            left -= 1;
        }
    }
    day
}

/// The last trading day on or before `date`.
pub fn last_trading_day_on_or_before(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !is_trading_day(day) {
        day -= Duration::days(1);
    }
    day
}

/// Trading days in `(from, to]`: how many sessions `from` lags behind `to`.
pub fn trading_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut count = 0;
    let mut day = from;
    while day < to {
        day += Duration::days(1);
        if is_trading_day(day) {
            count += 1;
        }
    }
    count
}

/// `count` consecutive trading days ending on the last trading day on or before `end`.
pub fn trading_days_ending(end: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let mut days = Vec::with_capacity(count);
    let mut day = last_trading_day_on_or_before(end);
    while days.len() < count {
        if is_trading_day(day) {
            days.push(day);
        }
        day -= Duration::days(1);
    }
    days.reverse();
    days
}

fn observed(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date - Duration::days(1),
        Weekday::Sun => date + Duration::days(1),
        _ => date,
    }
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n).expect("nth weekday exists")
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, 5)
        .unwrap_or_else(|| nth_weekday(year, month, weekday, 4))
}

/// Gregorian Easter (Anonymous Gregorian algorithm, Meeus/Jones/Butcher).
fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("valid Easter date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn nyse_2024_holidays() {
        // Published NYSE schedule for 2024.
        let expected = vec![
            d(2024, 1, 1),
            d(2024, 1, 15),
            d(2024, 2, 19),
            d(2024, 3, 29),
            d(2024, 5, 27),
            d(2024, 6, 19),
            d(2024, 7, 4),
            d(2024, 9, 2),
            d(2024, 11, 28),
            d(2024, 12, 25),
        ];
        assert_eq!(holidays(2024), expected);
    }

    #[test]
    fn weekend_observance() {
        // 2022-01-01 was a Saturday: NYSE stayed open on Friday 2021-12-31.
        assert!(is_trading_day(d(2021, 12, 31)));
        // 2021-07-04 was a Sunday: observed Monday 07-05.
        assert!(!is_trading_day(d(2021, 7, 5)));
        // 2026-07-04 is a Saturday: observed Friday 07-03.
        assert!(!is_trading_day(d(2026, 7, 3)));
        // Easter 2025 was 04-20, so Good Friday 04-18.
        assert!(!is_trading_day(d(2025, 4, 18)));
    }

    #[test]
    fn counting_sessions() {
        // Thanksgiving 2026 is Thursday 11-26.
        assert_eq!(trading_days_between(d(2026, 11, 20), d(2026, 11, 27)), 4);
        assert_eq!(trading_days_back(d(2026, 11, 27), 1), d(2026, 11, 25));
        assert_eq!(
            last_trading_day_on_or_before(d(2026, 11, 29)),
            d(2026, 11, 27)
        );
        let days = trading_days_ending(d(2026, 11, 29), 3);
        assert_eq!(
            days,
            vec![d(2026, 11, 24), d(2026, 11, 25), d(2026, 11, 27)]
        );
    }
}
