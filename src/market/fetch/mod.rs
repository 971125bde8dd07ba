//! Downloading daily bars: the Polygon and Stooq providers behind one trait, HTTP with
//! retries, and the per-symbol plan (incremental, or full history after an adjustment).

mod http;
mod polygon;
mod polygon_snapshot;
mod stooq;
mod stooq_quote;

use chrono::{Datelike, Duration, NaiveDate};

pub use http::{HttpClient, RetryPolicy};
pub use polygon::Polygon;
pub use polygon_snapshot::parse_snapshot;
pub use stooq::Stooq;
pub use stooq_quote::parse_quotes;

use crate::domain::bar::Bar;
use crate::domain::quote::Quote;
use crate::domain::rules::{ProviderName, ProviderRules};
use crate::domain::symbol::Symbol;

/// Why one symbol could not be fetched; one line each, the other symbols go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{provider} rejected the API key (HTTP {status}); set providers.polygon_api_key or POLYGON_API_KEY")]
    BadKey { provider: &'static str, status: u16 },
    #[error("{provider} knows no symbol {symbol}")]
    UnknownSymbol {
        provider: &'static str,
        symbol: String,
    },
    #[error("cannot reach {provider}: {message}")]
    Network {
        provider: &'static str,
        message: String,
    },
    #[error("{provider} answered HTTP {status} after {attempts} attempt(s)")]
    Http {
        provider: &'static str,
        status: u16,
        attempts: u32,
    },
    #[error("{provider} sent a response DuckLens cannot read: {message}")]
    Malformed {
        provider: &'static str,
        message: String,
    },
    /// Not a failure: the market is closed, or has not traded the symbol yet today.
    #[error("no trade today on {provider}{}", last.map(|t| format!(" (last trade {} ET)", t.format("%Y-%m-%d %H:%M"))).unwrap_or_default())]
    NoTradeToday {
        provider: &'static str,
        symbol: String,
        last: Option<chrono::NaiveDateTime>,
    },
    #[error("{0}")]
    Config(String),
}

/// Each asked symbol with its quote of `today`, or why there is none.
pub type QuoteOutcomes = Vec<(Symbol, Result<Quote, FetchError>)>;

/// How many symbols one quote request asks for (both providers take a list).
pub const QUOTES_PER_REQUEST: usize = 50;

/// A source of daily bars.
pub trait Provider: Send + Sync {
    fn name(&self) -> &'static str;
    /// Bars in `[from, to]`, ascending. An empty Vec means the provider has no bars in range.
    fn daily_bars(
        &self,
        symbol: &Symbol,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Bar>, FetchError>;
    /// The `source` column value for bars from this provider.
    fn source(&self) -> &'static str {
        self.name()
    }
    /// The latest price of `today` of each symbol, in one request for up to
    /// [`QUOTES_PER_REQUEST`] symbols. An error refuses the whole request.
    fn quotes(&self, symbols: &[Symbol], today: NaiveDate) -> Result<QuoteOutcomes, FetchError>;
}

/// The quote outcomes of `symbols`, asked in chunks; a chunk whose request failed gives its
/// error to each of its symbols, and the other chunks go on.
pub fn all_quotes(provider: &dyn Provider, symbols: &[Symbol], today: NaiveDate) -> QuoteOutcomes {
    symbols
        .chunks(QUOTES_PER_REQUEST)
        .flat_map(|chunk| match provider.quotes(chunk, today) {
            Ok(outcomes) => outcomes,
            Err(e) => chunk.iter().map(|s| (s.clone(), Err(e.clone()))).collect(),
        })
        .collect()
}

/// Builds the configured provider. `api_key_env` is `POLYGON_API_KEY`, read at the CLI edge.
pub fn provider_from(
    rules: &ProviderRules,
    which: Option<ProviderName>,
    api_key_env: Option<String>,
) -> Result<Box<dyn Provider>, FetchError> {
    let client = HttpClient::new(
        RetryPolicy {
            max_retries: rules.max_retries,
            base_delay: std::time::Duration::from_millis(rules.retry_base_ms),
        },
        std::time::Duration::from_secs(rules.timeout_secs),
    );
    match which.unwrap_or(rules.default) {
        ProviderName::Polygon => {
            let key = Some(rules.polygon_api_key.clone())
                .filter(|k| !k.is_empty())
                .or(api_key_env.filter(|k| !k.is_empty()))
                .ok_or_else(|| {
                    FetchError::Config(
                        "Polygon needs an API key: set providers.polygon_api_key or POLYGON_API_KEY, \
                         or use --provider stooq"
                            .into(),
                    )
                })?;
            Ok(Box::new(Polygon::new(client, &rules.polygon_base_url, key)))
        }
        ProviderName::Stooq => Ok(Box::new(Stooq::new(client, &rules.stooq_base_url))),
    }
}

/// What to download for one symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchPlan {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// True when nothing is stored: the download is the whole history.
    pub full: bool,
}

/// Incremental from the last stored date minus the overlap, or the full history.
pub fn plan(last_stored: Option<NaiveDate>, today: NaiveDate, rules: &ProviderRules) -> FetchPlan {
    match last_stored {
        Some(last) => FetchPlan {
            from: last - Duration::days(i64::from(rules.overlap_days)),
            to: today,
            full: false,
        },
        None => full_history(today, rules),
    }
}

pub fn full_history(today: NaiveDate, rules: &ProviderRules) -> FetchPlan {
    let years = i32::try_from(rules.history_years).unwrap_or(20);
    let from = NaiveDate::from_ymd_opt(today.year() - years, 1, 1).unwrap_or(today);
    FetchPlan {
        from,
        to: today,
        full: true,
    }
}

/// True when a fetched bar disagrees with the stored one by more than the tolerance on the
/// adjusted close: a split or dividend has been applied since the last fetch.
pub fn adjustment_detected(stored: &[Bar], fetched: &[Bar], tolerance_pct: f64) -> bool {
    use rust_decimal::prelude::ToPrimitive;
    fetched.iter().any(|f| {
        stored.iter().find(|s| s.date == f.date).is_some_and(|s| {
            let (a, b) = (
                s.adjusted_close().to_f64().unwrap_or(0.0),
                f.adjusted_close().to_f64().unwrap_or(0.0),
            );
            a > 0.0 && ((b - a) / a).abs() * 100.0 > tolerance_pct
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn bar(day: u32, close: i64) -> Bar {
        Bar {
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            open: None,
            high: None,
            low: None,
            close: Decimal::from(close),
            adj_close: None,
            volume: None,
        }
    }

    #[test]
    fn plans_overlap_or_full_history() {
        let rules = crate::config::Config::default().providers;
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let p = plan(NaiveDate::from_ymd_opt(2026, 11, 20), today, &rules);
        assert_eq!(
            (p.from, p.full),
            (NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(), false)
        );
        let p = plan(None, today, &rules);
        assert_eq!(
            (p.from, p.full),
            (NaiveDate::from_ymd_opt(2006, 1, 1).unwrap(), true)
        );
    }

    #[test]
    fn detects_adjustment_beyond_half_a_percent() {
        let stored = [bar(20, 200), bar(21, 202)];
        // 202 → 201: 0.495 % apart, within tolerance.
        assert!(!adjustment_detected(&stored, &[bar(21, 201)], 0.5));
        // A 2:1 split halves the history: 202 → 101.
        assert!(adjustment_detected(&stored, &[bar(21, 101)], 0.5));
        // New days alone are no evidence.
        assert!(!adjustment_detected(&stored, &[bar(24, 50)], 0.5));
    }
}
