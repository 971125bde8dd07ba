//! Polygon's snapshot of tickers (`/v2/snapshot/locale/us/markets/stocks/tickers?tickers=A,B`):
//! the day's aggregate so far and the last trade, each ticker once. A ticker Polygon does
//! not know is simply missing from `tickers`.

use chrono::{DateTime, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::FetchError;
use crate::domain::portfolio::to_price;
use crate::domain::quote::{eastern_of_utc, Quote};
use crate::domain::symbol::Symbol;

const NAME: &str = "polygon";

#[derive(Deserialize)]
struct Snapshot {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    tickers: Option<Vec<TickerSnapshot>>,
}

#[derive(Deserialize)]
struct TickerSnapshot {
    ticker: String,
    #[serde(default)]
    day: Option<DayAgg>,
    #[serde(default, rename = "lastTrade")]
    last_trade: Option<LastTrade>,
    /// Nanoseconds since the epoch.
    #[serde(default)]
    updated: Option<i64>,
}

/// All zero before the day's first trade (Polygon clears it overnight).
#[derive(Deserialize)]
struct DayAgg {
    #[serde(default)]
    o: Option<serde_json::Number>,
    #[serde(default)]
    h: Option<serde_json::Number>,
    #[serde(default)]
    l: Option<serde_json::Number>,
    #[serde(default)]
    c: Option<serde_json::Number>,
    #[serde(default)]
    v: Option<serde_json::Number>,
}

#[derive(Deserialize)]
struct LastTrade {
    p: serde_json::Number,
    /// SIP timestamp, nanoseconds since the epoch.
    t: i64,
}

fn malformed(message: String) -> FetchError {
    FetchError::Malformed {
        provider: NAME,
        message,
    }
}

fn price(symbol: &str, n: &serde_json::Number) -> Result<Decimal, FetchError> {
    let text = n.to_string();
    text.parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&text))
        .map(to_price)
        .map_err(|_| malformed(format!("{symbol}: {text} is not a price")))
}

/// A positive price, or none (Polygon writes 0 for "no trade yet").
fn positive(symbol: &str, n: &Option<serde_json::Number>) -> Result<Option<Decimal>, FetchError> {
    match n {
        Some(n) => Ok(Some(price(symbol, n)?).filter(|p| *p > Decimal::ZERO)),
        None => Ok(None),
    }
}

/// One outcome per asked symbol, in the order asked: a quote dated `today`, a
/// `NoTradeToday` (the market has not traded it today: closed, or before the open), or an
/// unknown symbol.
pub fn parse_snapshot(
    body: &str,
    symbols: &[Symbol],
    today: NaiveDate,
) -> Result<super::QuoteOutcomes, FetchError> {
    let parsed: Snapshot = serde_json::from_str(body).map_err(|e| malformed(e.to_string()))?;
    if parsed.status.as_deref() == Some("ERROR") {
        return Err(malformed(
            parsed.error.unwrap_or_else(|| "status ERROR".into()),
        ));
    }
    let tickers = parsed
        .tickers
        .ok_or_else(|| malformed("no `tickers` in the snapshot".into()))?;
    symbols
        .iter()
        .map(|symbol| {
            let outcome = match tickers.iter().find(|t| t.ticker == symbol.as_str()) {
                Some(t) => quote_of(t, symbol, today),
                None => Ok(Err(FetchError::UnknownSymbol {
                    provider: NAME,
                    symbol: symbol.to_string(),
                })),
            };
            outcome.map(|o| (symbol.clone(), o))
        })
        .collect()
}

/// The outer error is a malformed answer (the whole response is refused); the inner one
/// is this symbol's.
fn quote_of(
    t: &TickerSnapshot,
    symbol: &Symbol,
    today: NaiveDate,
) -> Result<Result<Quote, FetchError>, FetchError> {
    let s = symbol.as_str();
    let eastern = |nanos: i64| eastern_of_utc(DateTime::from_timestamp_nanos(nanos).naive_utc());
    let (open, mut high, mut low, day_close, volume) = match &t.day {
        Some(d) => (
            positive(s, &d.o)?,
            positive(s, &d.h)?,
            positive(s, &d.l)?,
            positive(s, &d.c)?,
            match &d.v {
                Some(v) => price(s, v)?
                    .trunc()
                    .try_into()
                    .ok()
                    .filter(|v: &i64| *v > 0),
                None => None,
            },
        ),
        None => (None, None, None, None, None),
    };
    let (last, time) = match (&t.last_trade, day_close, t.updated) {
        (Some(trade), _, _) => (price(s, &trade.p)?, eastern(trade.t)),
        (None, Some(close), Some(updated)) => (close, eastern(updated)),
        _ => {
            return Ok(Err(FetchError::NoTradeToday {
                provider: NAME,
                symbol: symbol.to_string(),
                last: None,
            }))
        }
    };
    if time.date() != today || day_close.is_none() {
        return Ok(Err(FetchError::NoTradeToday {
            provider: NAME,
            symbol: symbol.to_string(),
            last: Some(time),
        }));
    }
    // The last trade may be newer than the aggregate: the day's range includes it.
    high = high.map(|h| h.max(last));
    low = low.map(|l| l.min(last));
    Ok(Ok(Quote {
        symbol: symbol.clone(),
        time,
        open,
        high,
        low,
        last,
        volume,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// Polygon's documented example, one ticker traded today and one not since yesterday.
    const BODY: &str = r#"{"count":2,"status":"OK","tickers":[
      {"day":{"c":20.506,"h":20.64,"l":20.506,"o":20.64,"v":37216,"vw":20.616},
       "lastQuote":{"P":20.6,"S":22,"p":20.5,"s":13,"t":1764618719994246100},
       "lastTrade":{"c":[14,41],"i":"71675577320245","p":20.55,"s":2416,"t":1764618720000000000,"x":4},
       "min":{"av":37216,"c":20.506,"h":20.506,"l":20.506,"o":20.506,"t":1764618660000,"v":5000,"vw":20.5105,"n":5},
       "prevDay":{"c":20.63,"h":21,"l":20.5,"o":20.79,"v":292738,"vw":20.6939},
       "ticker":"BCDA","todaysChange":-0.124,"todaysChangePerc":-0.601,"updated":1764618720000000000},
      {"day":{"c":0,"h":0,"l":0,"o":0,"v":0,"vw":0},
       "lastTrade":{"p":11.5,"s":100,"t":1764536400000000000,"x":4},
       "prevDay":{"c":11.5,"h":12,"l":11,"o":11.2,"v":1000,"vw":11.4},
       "ticker":"SLEPT","updated":1764536400000000000}
    ]}"#;

    fn sym(s: &str) -> Symbol {
        Symbol::parse(s).unwrap()
    }

    #[test]
    fn a_ticker_traded_today_becomes_a_quote_with_the_days_range() {
        let today = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
        let out = parse_snapshot(BODY, &[sym("BCDA"), sym("SLEPT"), sym("NOPE")], today).unwrap();
        let q = out[0].1.as_ref().unwrap();
        // 1 764 618 720 s = 2025-12-01 19:52:00 UTC = 14:52 EST.
        assert_eq!(q.time.to_string(), "2025-12-01 14:52:00");
        assert_eq!(q.as_of_label(), "as of 14:52 ET, delayed");
        // The last trade (20.55) is newer than the aggregate's close (20.506).
        assert_eq!(q.last, dec!(20.55));
        assert_eq!(
            (q.open, q.high, q.low),
            (Some(dec!(20.64)), Some(dec!(20.64)), Some(dec!(20.506)))
        );
        assert_eq!(q.volume, Some(37_216));
        // 1 764 536 400 s = 2025-11-30 21:00 UTC = 16:00 EST the day before: no trade today.
        assert!(matches!(
            &out[1].1,
            Err(FetchError::NoTradeToday { last: Some(t), .. }) if t.to_string() == "2025-11-30 16:00:00"
        ));
        assert!(
            matches!(&out[2].1, Err(FetchError::UnknownSymbol { symbol, .. }) if symbol == "NOPE")
        );
    }

    #[test]
    fn an_answer_without_tickers_is_malformed() {
        let today = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
        for body in [
            r#"{"status":"OK"}"#,
            "{\"tickers\": [",
            r#"{"status":"ERROR","error":"bad"}"#,
        ] {
            assert!(
                matches!(
                    parse_snapshot(body, &[sym("A")], today),
                    Err(FetchError::Malformed { .. })
                ),
                "{body}"
            );
        }
    }
}
