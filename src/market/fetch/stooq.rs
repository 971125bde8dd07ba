//! Stooq daily CSV (`/q/d/l/?s={symbol}.us&i=d`), no key needed.

use std::path::Path;

use chrono::NaiveDate;

use super::http::{HttpClient, HttpFailure};
use super::{FetchError, Provider};
use crate::domain::bar::Bar;
use crate::domain::symbol::Symbol;
use crate::market::price_file::parse_prices;

const NAME: &str = "stooq";

pub struct Stooq {
    client: HttpClient,
    base_url: String,
}

impl Stooq {
    pub fn new(client: HttpClient, base_url: &str) -> Self {
        Stooq {
            client,
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }
}

impl Provider for Stooq {
    fn name(&self) -> &'static str {
        NAME
    }

    fn daily_bars(
        &self,
        symbol: &Symbol,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Bar>, FetchError> {
        let ticker = super::stooq_quote::stooq_ticker(symbol);
        let url = format!(
            "{}/q/d/l/?s={ticker}&d1={}&d2={}&i=d",
            self.base_url,
            from.format("%Y%m%d"),
            to.format("%Y%m%d")
        );
        let body = self
            .client
            .get(&url)
            .map_err(|f| failure(f, Some(symbol)))?;
        parse_stooq(&body, symbol)
    }

    fn quotes(
        &self,
        symbols: &[Symbol],
        today: NaiveDate,
    ) -> Result<super::QuoteOutcomes, FetchError> {
        let tickers: Vec<String> = symbols
            .iter()
            .map(super::stooq_quote::stooq_ticker)
            .collect();
        let url = format!(
            "{}/q/l/?s={}&f=sd2t2ohlcv&h&e=csv",
            self.base_url,
            tickers.join("+")
        );
        let body = self.client.get(&url).map_err(|f| failure(f, None))?;
        super::parse_quotes(&body, symbols, today)
    }
}

fn failure(f: HttpFailure, symbol: Option<&Symbol>) -> FetchError {
    match f {
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

/// Stooq answers an unknown symbol with the text "No data".
pub fn parse_stooq(body: &str, symbol: &Symbol) -> Result<Vec<Bar>, FetchError> {
    let trimmed = body.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("no data") {
        return Err(FetchError::UnknownSymbol {
            provider: NAME,
            symbol: symbol.to_string(),
        });
    }
    let name = format!("{}.csv", symbol.as_str());
    // The provider's own dates are taken as they come (its clock, not the user's typing).
    let file = parse_prices(
        body,
        Path::new(&name),
        false,
        chrono::NaiveDate::MAX,
        crate::domain::parse::DecimalMark::Point,
    )
    .map_err(|e| FetchError::Malformed {
        provider: NAME,
        message: e.to_string(),
    })?;
    Ok(file.bars.into_values().next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_no_data() {
        let sym = Symbol::parse("AAPL").unwrap();
        let body =
            "Date,Open,High,Low,Close,Volume\n2024-03-01,179.55,180.53,177.38,179.66,73488997\n";
        assert_eq!(parse_stooq(body, &sym).unwrap().len(), 1);
        assert!(matches!(
            parse_stooq("No data", &sym),
            Err(FetchError::UnknownSymbol { .. })
        ));
    }
}
