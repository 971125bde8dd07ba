//! Daily bars as received from a source.

use chrono::NaiveDate;
use duckdb::{params, Connection};
use rust_decimal::Decimal;

use super::{Result, Store};
use crate::domain::bar::Bar;
use crate::domain::symbol::Symbol;

/// Appends bars for `symbol` that are not stored yet (bulk, via the DuckDB Appender).
/// Callers that may overlap existing rows must delete them first in the same transaction.
pub fn append_bars(conn: &Connection, symbol: &Symbol, bars: &[Bar], source: &str) -> Result<()> {
    let mut appender = conn.appender("prices")?;
    for b in bars {
        appender.append_row(params![
            symbol.as_str(),
            b.date,
            b.open,
            b.high,
            b.low,
            b.close,
            b.adj_close,
            b.volume,
            source
        ])?;
    }
    appender.flush()?;
    drop_provisional(conn, symbol, bars)?;
    Ok(())
}

/// Final bars replace the provisional bars up to their newest date.
fn drop_provisional(conn: &Connection, symbol: &Symbol, bars: &[Bar]) -> Result<()> {
    if let Some(newest) = bars.iter().map(|b| b.date).max() {
        super::provisional::drop_provisional_through(conn, symbol, newest)?;
    }
    Ok(())
}

/// Every bar of `symbol` in date order.
pub fn bars(conn: &Connection, symbol: &Symbol) -> Result<Vec<Bar>> {
    bars_since(conn, symbol, NaiveDate::MIN)
}

/// Bars of `symbol` on or after `from`, in date order.
pub fn bars_since(conn: &Connection, symbol: &Symbol, from: NaiveDate) -> Result<Vec<Bar>> {
    let mut stmt = conn.prepare(
        "SELECT date, open, high, low, close, adj_close, volume FROM prices
         WHERE symbol = ? AND date >= ? ORDER BY date",
    )?;
    let rows = stmt.query_map(params![symbol.as_str(), from], |r| {
        Ok(Bar {
            date: r.get(0)?,
            open: r.get::<_, Option<Decimal>>(1)?,
            high: r.get::<_, Option<Decimal>>(2)?,
            low: r.get::<_, Option<Decimal>>(3)?,
            close: r.get::<_, Decimal>(4)?,
            adj_close: r.get::<_, Option<Decimal>>(5)?,
            volume: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The last stored bar date of every symbol.
pub fn last_dates(conn: &Connection) -> Result<Vec<(String, NaiveDate)>> {
    let mut stmt =
        conn.prepare("SELECT symbol, max(date) FROM prices GROUP BY symbol ORDER BY symbol")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// How many symbols have stored daily bars, and the newest bar's date: the app's
/// first-run checklist (one aggregate, not a row per symbol).
pub fn price_coverage(conn: &Connection) -> Result<(usize, Option<NaiveDate>)> {
    let (symbols, newest): (i64, Option<NaiveDate>) = conn.query_row(
        "SELECT count(DISTINCT symbol), max(date) FROM prices",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((usize::try_from(symbols).unwrap_or_default(), newest))
}

impl Store {
    pub fn bars(&self, symbol: &Symbol) -> Result<Vec<Bar>> {
        bars(&self.conn, symbol)
    }

    pub fn price_coverage(&self) -> Result<(usize, Option<NaiveDate>)> {
        price_coverage(&self.conn)
    }
}

/// What an upsert did to the stored bars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct UpsertCounts {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl UpsertCounts {
    pub fn changed(&self) -> bool {
        self.inserted + self.updated > 0
    }
}

const STAGING: &str = "CREATE TEMP TABLE IF NOT EXISTS staging_prices AS
    SELECT * FROM prices WITH NO DATA";

/// Replaces the whole stored history of `symbol` by `bars` (a vendor re-adjusted it), in the
/// caller's transaction.
pub fn replace_bars(
    conn: &Connection,
    symbol: &Symbol,
    bars: &[Bar],
    source: &str,
) -> Result<UpsertCounts> {
    conn.execute("DELETE FROM prices WHERE symbol = ?", [symbol.as_str()])?;
    upsert_bars(conn, symbol, bars, source)
}

/// Upserts bars on (symbol, date) through a staging table filled by the Appender, and
/// counts inserted, updated and unchanged rows. Runs in the caller's transaction.
pub fn upsert_bars(
    conn: &Connection,
    symbol: &Symbol,
    bars: &[Bar],
    source: &str,
) -> Result<UpsertCounts> {
    conn.execute_batch(STAGING)?;
    conn.execute("DELETE FROM staging_prices", [])?;
    {
        let mut appender = conn.appender_to_catalog_and_db("staging_prices", "temp", "main")?;
        for b in bars {
            appender.append_row(params![
                symbol.as_str(),
                b.date,
                b.open,
                b.high,
                b.low,
                b.close,
                b.adj_close,
                b.volume,
                source
            ])?;
        }
        appender.flush()?;
    }
    let (inserted, updated, unchanged): (i64, i64, i64) = conn.query_row(
        "SELECT count(*) FILTER (WHERE p.symbol IS NULL),
                count(*) FILTER (WHERE p.symbol IS NOT NULL AND
                    (s.open, s.high, s.low, s.close, s.adj_close, s.volume)
                    IS DISTINCT FROM (p.open, p.high, p.low, p.close, p.adj_close, p.volume)),
                count(*) FILTER (WHERE p.symbol IS NOT NULL AND
                    (s.open, s.high, s.low, s.close, s.adj_close, s.volume)
                    IS NOT DISTINCT FROM (p.open, p.high, p.low, p.close, p.adj_close, p.volume))
         FROM staging_prices s LEFT JOIN prices p USING (symbol, date)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    conn.execute_batch(
        "INSERT INTO prices SELECT * FROM staging_prices
         ON CONFLICT (symbol, date) DO UPDATE SET
            open = excluded.open, high = excluded.high, low = excluded.low,
            close = excluded.close, adj_close = excluded.adj_close,
            volume = excluded.volume, source = excluded.source;
         DELETE FROM staging_prices;",
    )?;
    drop_provisional(conn, symbol, bars)?;
    Ok(UpsertCounts {
        inserted: inserted as usize,
        updated: updated as usize,
        unchanged: unchanged as usize,
    })
}
