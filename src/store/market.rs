//! Building the analyzer's `MarketSnapshot` from stored bars and indicators.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use duckdb::Connection;

use super::Result;
use crate::domain::analyzer::{MarketSnapshot, SymbolSeries};
use crate::domain::symbol::Symbol;

/// The last benchmark bar on or before `day`: the as-of date of a check.
pub fn last_bar_on_or_before(
    conn: &Connection,
    symbol: &Symbol,
    day: NaiveDate,
) -> Result<Option<NaiveDate>> {
    Ok(conn.query_row(
        "SELECT max(date) FROM prices WHERE symbol = ? AND date <= ?",
        duckdb::params![symbol.as_str(), day],
        |r| r.get(0),
    )?)
}

/// Bars up to `as_of` and their stored indicators for each symbol with data. Indicators are
/// recomputed in memory when the stored ones do not line up with the bars.
pub fn load_snapshot(
    conn: &Connection,
    symbols: &[Symbol],
    as_of: NaiveDate,
) -> Result<MarketSnapshot> {
    let mut series = BTreeMap::new();
    for symbol in symbols {
        if series.contains_key(symbol) {
            continue;
        }
        let mut bars = super::prices::bars(conn, symbol)?;
        bars.retain(|b| b.date <= as_of);
        if bars.is_empty() {
            continue;
        }
        let stored = super::indicators::indicators_since(conn, symbol, bars[0].date)?;
        let aligned =
            stored.len() >= bars.len() && bars.iter().zip(&stored).all(|(b, (d, _))| b.date == *d);
        let s = if aligned {
            let indicators = stored
                .into_iter()
                .take(bars.len())
                .map(|(_, r)| r)
                .collect();
            SymbolSeries { bars, indicators }
        } else {
            SymbolSeries::new(bars)
        };
        series.insert(symbol.clone(), s);
    }
    Ok(MarketSnapshot { as_of, series })
}
