//! Quotes for today, stored as provisional bars: one use-case for `ducklens fetch --quotes`
//! and the app's fetch key.

use chrono::{NaiveDate, NaiveDateTime};
use color_eyre::eyre::Result;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::symbol::Symbol;
use crate::market::fetch::{FetchError, Provider, QuoteOutcomes};
use crate::store::{self, Store, Stored};

/// What happened to one symbol's quote.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuoteReport {
    pub symbol: String,
    /// True when the quote is now today's provisional bar.
    pub stored: bool,
    pub last: Option<Decimal>,
    /// US/Eastern.
    pub quote_time: Option<NaiveDateTime>,
    /// Why nothing was stored, when that is not a failure (no trade today, final bar there).
    pub note: Option<String>,
    pub error: Option<String>,
}

impl QuoteReport {
    fn new(symbol: &Symbol) -> Self {
        QuoteReport {
            symbol: symbol.to_string(),
            stored: false,
            last: None,
            quote_time: None,
            note: None,
            error: None,
        }
    }

    /// The line the CLI prints and the app lists.
    pub fn line(&self) -> String {
        match (&self.error, &self.note, self.last, self.quote_time) {
            (Some(e), _, _, _) => format!("{:<8} FAILED: {e}", self.symbol),
            (None, Some(note), _, _) => format!("{:<8} {note}", self.symbol),
            (None, None, Some(last), Some(time)) => format!(
                "{:<8} {last} {} (provisional)",
                self.symbol,
                crate::domain::quote::as_of_label(time)
            ),
            _ => format!("{:<8} nothing stored", self.symbol),
        }
    }
}

/// Asks `provider` for the quotes of `symbols` (no database held meanwhile).
pub fn download(provider: &dyn Provider, symbols: &[Symbol], today: NaiveDate) -> QuoteOutcomes {
    crate::market::fetch::all_quotes(provider, symbols, today)
}

/// Stores the quotes of today as provisional bars, all in one transaction, and reports on
/// every symbol.
pub fn store_quotes(
    store: &mut Store,
    outcomes: &QuoteOutcomes,
    source: &str,
    fetched_at: NaiveDateTime,
) -> Result<Vec<QuoteReport>> {
    let reports = store.in_transaction(|tx| {
        let mut reports = Vec::with_capacity(outcomes.len());
        for (symbol, outcome) in outcomes {
            let mut r = QuoteReport::new(symbol);
            match outcome {
                Ok(quote) => {
                    r.last = Some(quote.last);
                    r.quote_time = Some(quote.time);
                    match store::store_quote(tx, quote, source, fetched_at)? {
                        Stored::Provisional => r.stored = true,
                        Stored::FinalExists => {
                            r.note = Some(format!(
                                "the final bar of {} is already stored: quote not kept",
                                quote.date()
                            ))
                        }
                    }
                }
                Err(e @ FetchError::NoTradeToday { .. }) => {
                    r.note = Some(format!("{e}: nothing stored for today"))
                }
                Err(e) => r.error = Some(e.to_string()),
            }
            reports.push(r);
        }
        Ok(reports)
    })?;
    Ok(reports)
}
