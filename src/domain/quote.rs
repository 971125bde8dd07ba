//! A price of the day before the close: a quote from a provider, kept as a provisional bar
//! until the final daily bar replaces it. Its time is the exchange's clock (US/Eastern).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rust_decimal::Decimal;
use serde::Serialize;

use super::analyzer::SymbolSeries;
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

/// A stored quote: the provisional bar of its day until the final bar replaces it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvisionalBar {
    pub quote: Quote,
    pub source: String,
    /// UTC.
    pub fetched_at: NaiveDateTime,
}

/// `series` with the quote's bar appended and the indicators of that bar recomputed from
/// `history` (every final bar of the symbol, ascending) plus the quote: the same values the
/// final bar would get if it closed at the quote's price. Nothing is stored. A series whose
/// last bar is already on or after the quote's day is returned unchanged (the final bar
/// wins).
pub fn with_quote(series: &SymbolSeries, history: &[Bar], quote: &Quote) -> SymbolSeries {
    if series.bars.last().is_some_and(|b| b.date >= quote.date()) {
        return series.clone();
    }
    let mut all: Vec<Bar> = history
        .iter()
        .filter(|b| b.date < quote.date())
        .cloned()
        .collect();
    all.push(quote.bar());
    let computed = SymbolSeries::new(all);
    let mut bars = series.bars.clone();
    bars.push(quote.bar());
    SymbolSeries {
        bars,
        indicators: computed.indicators.last().cloned().into_iter().collect(),
        range_60d: None,
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
    fn a_quote_appends_a_bar_whose_indicators_are_recomputed_not_stored() {
        // Closes 1..=20 then a quote at 41: SMA20 of 2..=20 and 41 = (Σ2..20 = 209, + 41)
        // = 250 / 20 = 12.5, against (Σ1..20 = 210) / 20 = 10.5 for the final bars alone.
        let day = |i: i64| NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + Duration::days(i);
        let history: Vec<Bar> = (1..=20)
            .map(|i| Bar {
                date: day(i),
                open: None,
                high: None,
                low: None,
                close: Decimal::from(i),
                adj_close: None,
                volume: Some(100),
            })
            .collect();
        let series = SymbolSeries::new(history.clone());
        assert_eq!(series.indicators.last().unwrap().sma_20, Some(10.5));
        let quote = Quote {
            symbol: Symbol::parse("AAA").unwrap(),
            time: day(21).and_hms_opt(14, 52, 0).unwrap(),
            open: None,
            high: None,
            low: None,
            last: Decimal::from(41),
            volume: Some(50),
        };
        let live = with_quote(&series, &history, &quote);
        assert_eq!(live.bars.len(), 21);
        assert_eq!(live.bars.last().unwrap().close, Decimal::from(41));
        assert_eq!(live.indicators_at(20).unwrap().sma_20, Some(12.5));
        // A final bar of that day already there: the quote changes nothing.
        let mut closed = history.clone();
        closed.push(Bar {
            date: day(21),
            close: Decimal::from(21),
            ..history[0].clone()
        });
        let final_series = SymbolSeries::new(closed.clone());
        let unchanged = with_quote(&final_series, &closed, &quote);
        assert_eq!(unchanged.bars.last().unwrap().close, Decimal::from(21));
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
