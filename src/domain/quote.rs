//! A price of the day before the close: a quote from a provider, kept as a provisional bar
//! until the final daily bar replaces it. Its time is the exchange's clock (US/Eastern).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rust_decimal::Decimal;
use serde::Serialize;

use super::bar::Bar;
use super::calendar;
use super::symbol::Symbol;

/// The day so far for one symbol. Open, high and low are missing when the provider gave
/// only a last trade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub symbol: Symbol,
    /// When the last price was made, US/Eastern wall-clock time.
    pub time: NaiveDateTime,
    pub open: Option<Decimal>,
    pub high: Option<Decimal>,
    pub low: Option<Decimal>,
    pub last: Decimal,
    pub volume: Option<i64>,
}

impl Quote {
    pub fn date(&self) -> NaiveDate {
        self.time.date()
    }

    /// The bar the analysis appends: the last price as the close, no adjustment (f = 1:
    /// adjustments apply to history, never to the newest day).
    pub fn bar(&self) -> Bar {
        Bar {
            date: self.date(),
            open: self.open,
            high: self.high,
            low: self.low,
            close: self.last,
            adj_close: None,
            volume: self.volume,
        }
    }

    /// "as of 14:52 ET, delayed": said beside every figure computed from this quote.
    pub fn as_of_label(&self) -> String {
        as_of_label(self.time)
    }
}

pub fn as_of_label(time: NaiveDateTime) -> String {
    format!("as of {} ET, delayed", time.format("%H:%M"))
}

/// The n-th `weekday` of `month` (1-based), or the last one when `n` is 0.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> NaiveDate {
    if n == 0 {
        let next_month = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .unwrap_or(NaiveDate::MAX);
        let mut d = next_month - Duration::days(1);
        while d.weekday() != weekday {
            d -= Duration::days(1);
        }
        return d;
    }
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n).unwrap_or(NaiveDate::MIN)
}

/// US/Eastern wall-clock time of a UTC instant. Daylight time (UTC−4) runs from the second
/// Sunday of March 02:00 EST (07:00 UTC) to the first Sunday of November 02:00 EDT (06:00 UTC),
/// the rule since 2007; otherwise UTC−5.
pub fn eastern_of_utc(utc: NaiveDateTime) -> NaiveDateTime {
    let year = utc.year();
    let at =
        |d: NaiveDate, h: u32| d.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default());
    let starts = at(nth_weekday(year, 3, Weekday::Sun, 2), 7);
    let ends = at(nth_weekday(year, 11, Weekday::Sun, 1), 6);
    let offset = if utc >= starts && utc < ends { 4 } else { 5 };
    utc - Duration::hours(offset)
}

/// UTC of a Warsaw wall-clock time (Stooq's clock). Summer time (UTC+2) runs from the last
/// Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC; otherwise UTC+1.
/// The hour repeated in October is read as summer time.
pub fn utc_of_warsaw(local: NaiveDateTime) -> NaiveDateTime {
    let year = local.year();
    let at =
        |d: NaiveDate, h: u32| d.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default());
    let summer_utc = local - Duration::hours(2);
    let starts = at(nth_weekday(year, 3, Weekday::Sun, 0), 1);
    let ends = at(nth_weekday(year, 10, Weekday::Sun, 0), 1);
    if summer_utc >= starts && summer_utc < ends {
        summer_utc
    } else {
        local - Duration::hours(1)
    }
}

/// True during the regular session (09:30–16:00 US/Eastern on a trading day).
pub fn in_regular_session(eastern: NaiveDateTime) -> bool {
    let t = eastern.time();
    calendar::is_trading_day(eastern.date())
        && t >= NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default()
        && t < NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn eastern_time_follows_us_daylight_saving() {
        // 2026: DST from Sun 8 March 07:00 UTC to Sun 1 November 06:00 UTC.
        assert_eq!(
            eastern_of_utc(dt("2026-12-01 19:52")),
            dt("2026-12-01 14:52")
        );
        assert_eq!(
            eastern_of_utc(dt("2026-07-01 18:52")),
            dt("2026-07-01 14:52")
        );
        assert_eq!(
            eastern_of_utc(dt("2026-03-08 06:59")),
            dt("2026-03-08 01:59")
        );
        assert_eq!(
            eastern_of_utc(dt("2026-03-08 07:00")),
            dt("2026-03-08 03:00")
        );
        assert_eq!(
            eastern_of_utc(dt("2026-11-01 05:59")),
            dt("2026-11-01 01:59")
        );
        assert_eq!(
            eastern_of_utc(dt("2026-11-01 06:00")),
            dt("2026-11-01 01:00")
        );
    }

    #[test]
    fn warsaw_time_follows_eu_summer_time() {
        // 2026: summer time from Sun 29 March to Sun 25 October, 01:00 UTC.
        assert_eq!(
            utc_of_warsaw(dt("2026-12-01 20:52")),
            dt("2026-12-01 19:52")
        );
        assert_eq!(
            utc_of_warsaw(dt("2026-07-01 20:52")),
            dt("2026-07-01 18:52")
        );
        assert_eq!(
            utc_of_warsaw(dt("2026-03-29 01:59")),
            dt("2026-03-29 00:59")
        );
        assert_eq!(
            utc_of_warsaw(dt("2026-03-29 03:00")),
            dt("2026-03-29 01:00")
        );
    }

    #[test]
    fn the_regular_session_is_half_past_nine_to_four_on_trading_days() {
        assert!(in_regular_session(dt("2026-12-01 09:30")));
        assert!(in_regular_session(dt("2026-12-01 15:59")));
        assert!(!in_regular_session(dt("2026-12-01 16:00")));
        assert!(!in_regular_session(dt("2026-12-01 09:29")));
        // Saturday, and Thanksgiving (Thursday 26 November 2026).
        assert!(!in_regular_session(dt("2026-12-05 12:00")));
        assert!(!in_regular_session(dt("2026-11-26 12:00")));
    }
}
