//! `provisional_bars`: the day so far from quotes, apart from `prices` so that only the
//! readers that ask for them see them.

use chrono::{NaiveDate, NaiveDateTime};
use duckdb::{params, Connection};
use rust_decimal::Decimal;

use super::Result;
use crate::domain::quote::{ProvisionalBar, Quote};
use crate::domain::symbol::Symbol;

/// Whether a quote became a provisional bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Provisional,
    /// The final bar of that day is already in `prices`: the quote is not needed.
    FinalExists,
}

/// Stores `quote` as the provisional bar of its day (replacing an earlier quote of that
/// day), unless the final bar is already stored. Runs in the caller's transaction.
pub fn store_quote(
    conn: &Connection,
    quote: &Quote,
    source: &str,
    fetched_at: NaiveDateTime,
) -> Result<Stored> {
    let final_exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM prices WHERE symbol = ? AND date = ?",
        params![quote.symbol.as_str(), quote.date()],
        |r| r.get(0),
    )?;
    if final_exists {
        return Ok(Stored::FinalExists);
    }
    conn.execute(
        "INSERT INTO provisional_bars
             (symbol, date, open, high, low, close, volume, quote_time, source, fetched_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (symbol, date) DO UPDATE SET
             open = excluded.open, high = excluded.high, low = excluded.low,
             close = excluded.close, volume = excluded.volume,
             quote_time = excluded.quote_time, source = excluded.source,
             fetched_at = excluded.fetched_at",
        params![
            quote.symbol.as_str(),
            quote.date(),
            quote.open,
            quote.high,
            quote.low,
            quote.last,
            quote.volume,
            quote.time,
            source,
            fetched_at
        ],
    )?;
    Ok(Stored::Provisional)
}

/// A final bar up to `through` replaces the provisional ones: called by every write of
/// final bars, in its transaction.
pub fn drop_provisional_through(
    conn: &Connection,
    symbol: &Symbol,
    through: NaiveDate,
) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM provisional_bars WHERE symbol = ? AND date <= ?",
        params![symbol.as_str(), through],
    )?)
}

/// The provisional bars dated `date` of the symbols that have one, by symbol.
pub fn provisional_on(conn: &Connection, date: NaiveDate) -> Result<Vec<ProvisionalBar>> {
    let mut stmt = conn.prepare(
        "SELECT symbol, open, high, low, close, volume, quote_time, source, fetched_at
         FROM provisional_bars WHERE date = ? ORDER BY symbol",
    )?;
    let rows = stmt.query_map(params![date], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<Decimal>>(1)?,
            r.get::<_, Option<Decimal>>(2)?,
            r.get::<_, Option<Decimal>>(3)?,
            r.get::<_, Decimal>(4)?,
            r.get::<_, Option<i64>>(5)?,
            r.get::<_, NaiveDateTime>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, NaiveDateTime>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (symbol, open, high, low, last, volume, time, source, fetched_at) = row?;
        // Stored symbols were parsed on the way in.
        let Ok(symbol) = Symbol::parse(&symbol) else {
            continue;
        };
        // As `prices` is read: DECIMAL(18,4) without its trailing zeros.
        let norm = |d: Option<Decimal>| d.map(|d| d.normalize());
        out.push(ProvisionalBar {
            quote: Quote {
                symbol,
                time,
                open: norm(open),
                high: norm(high),
                low: norm(low),
                last: last.normalize(),
                volume,
            },
            source,
            fetched_at,
        });
    }
    Ok(out)
}

impl super::Store {
    pub fn provisional_on(&self, date: NaiveDate) -> Result<Vec<ProvisionalBar>> {
        provisional_on(self.conn(), date)
    }
}
