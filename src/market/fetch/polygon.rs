//! Polygon.io aggregates: `/v2/aggs/ticker/{T}/range/1/day/{from}/{to}?adjusted=true&sort=asc`.

use chrono::{DateTime, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::http::{HttpClient, HttpFailure};
use super::{FetchError, Provider};
use crate::domain::bar::Bar;
use crate::domain::portfolio::to_price;
use crate::domain::symbol::Symbol;

const NAME: &str = "polygon";

pub struct Polygon {
    client: HttpClient,
    base_url: String,
    api_key: String,
}

#[derive(Deserialize)]
struct Aggregates {
    #[serde(default)]
    results: Option<Vec<Agg>>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// Prices arrive as JSON numbers; serde_json's arbitrary precision keeps their digits, so
/// they become `Decimal` without passing through `f64`.
#[derive(Deserialize)]
struct Agg {
    t: i64,
    o: serde_json::Number,
    h: serde_json::Number,
    l: serde_json::Number,
    c: serde_json::Number,
    #[serde(default)]
    v: Option<serde_json::Number>,
}

impl Polygon {
    pub fn new(client: HttpClient, base_url: &str, api_key: String) -> Self {
        Polygon {
            client,
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key,
        }
    }
}

impl Provider for Polygon {
    fn name(&self) -> &'static str {
        NAME
    }

    fn daily_bars(
        &self,
        symbol: &Symbol,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Bar>, FetchError> {
        let url = format!(
            "{}/v2/aggs/ticker/{symbol}/range/1/day/{from}/{to}?adjusted=true&sort=asc&limit=50000&apiKey={}",
            self.base_url, self.api_key
        );
        let body = self
            .client
            .get(&url)
            .map_err(|f| failure(f, Some(symbol)))?;
        parse_aggregates(&body, symbol)
    }

    fn quotes(
        &self,
        symbols: &[Symbol],
        today: NaiveDate,
    ) -> Result<super::QuoteOutcomes, FetchError> {
        let tickers: Vec<&str> = symbols.iter().map(Symbol::as_str).collect();
        let url = format!(
            "{}/v2/snapshot/locale/us/markets/stocks/tickers?tickers={}&apiKey={}",
            self.base_url,
            tickers.join(","),
            self.api_key
        );
        let body = self.client.get(&url).map_err(|f| failure(f, None))?;
        super::parse_snapshot(&body, symbols, today)
    }
}

/// What a failed GET means; `symbol` for the requests about one symbol (a 404 there is an
/// unknown symbol).
fn failure(f: HttpFailure, symbol: Option<&Symbol>) -> FetchError {
    match f {
        HttpFailure::Status {
            status: 401 | 403, ..
        } => FetchError::BadKey {
            provider: NAME,
            status: 401,
        },
        HttpFailure::Status { status: 404, .. } if symbol.is_some() => FetchError::UnknownSymbol {
            provider: NAME,
            symbol: symbol.map(Symbol::to_string).unwrap_or_default(),
        },
        HttpFailure::Status {
            status, attempts, ..
        } => FetchError::Http {
            provider: NAME,
            status,
            attempts,
        },
        HttpFailure::Transport(message) => FetchError::Network {
            provider: NAME,
            message,
        },
    }
}

/// Parses an aggregates response. Polygon answers an unknown ticker with 200 and no results.
pub fn parse_aggregates(body: &str, symbol: &Symbol) -> Result<Vec<Bar>, FetchError> {
    let malformed = |message: String| FetchError::Malformed {
        provider: NAME,
        message,
    };
    let parsed: Aggregates = serde_json::from_str(body).map_err(|e| malformed(e.to_string()))?;
    if parsed.status.as_deref() == Some("ERROR") {
        return Err(malformed(
            parsed.error.unwrap_or_else(|| "status ERROR".into()),
        ));
    }
    let results = parsed.results.unwrap_or_default();
    let mut bars = Vec::with_capacity(results.len());
    for a in results {
        let dec = |n: &serde_json::Number| -> Result<Decimal, FetchError> {
            let text = n.to_string();
            text.parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(&text))
                .map(to_price)
                .map_err(|_| malformed(format!("{symbol}: {text} is not a price")))
        };
        // `t` is the session's midnight in US/Eastern, i.e. 04:00 or 05:00 UTC of the same
        // calendar day, so the UTC date is the session date.
        let date = DateTime::from_timestamp_millis(a.t)
            .ok_or_else(|| malformed(format!("{symbol}: bad timestamp {}", a.t)))?
            .date_naive();
        let volume = match &a.v {
            Some(v) => Some(
                dec(v)?
                    .trunc()
                    .try_into()
                    .map_err(|_| malformed(format!("{symbol}: bad volume")))?,
            ),
            None => None,
        };
        bars.push(Bar {
            date,
            open: Some(dec(&a.o)?),
            high: Some(dec(&a.h)?),
            low: Some(dec(&a.l)?),
            close: dec(&a.c)?,
            // `adjusted=true`: the OHLC already are split-adjusted, so f = 1.
            adj_close: None,
            volume,
        });
    }
    Ok(bars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_documented_shape() {
        // 2024-03-01 00:00 US/Eastern = 05:00 UTC = 1 709 269 200 000 ms.
        let body = r#"{"ticker":"AAPL","queryCount":1,"resultsCount":1,"adjusted":true,
            "results":[{"v":73488997.0,"vw":179.4,"o":179.55,"c":179.66,"h":180.53,"l":177.38,"t":1709269200000,"n":1}],
            "status":"OK","request_id":"x","count":1}"#;
        let bars = parse_aggregates(body, &Symbol::parse("AAPL").unwrap()).unwrap();
        assert_eq!(bars.len(), 1);
        assert_eq!(bars[0].date, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        assert_eq!(bars[0].close, dec!(179.66));
        assert_eq!(bars[0].volume, Some(73_488_997));
    }

    #[test]
    fn empty_and_malformed() {
        let sym = Symbol::parse("ZZZZ").unwrap();
        let empty =
            r#"{"ticker":"ZZZZ","queryCount":0,"resultsCount":0,"adjusted":true,"status":"OK"}"#;
        assert_eq!(parse_aggregates(empty, &sym).unwrap(), vec![]);
        assert!(matches!(
            parse_aggregates("{not json", &sym),
            Err(FetchError::Malformed { .. })
        ));
    }
}
