//! The set-based write of `import prices` (issue 18): the bars of many files go through one
//! staging table, one comparison with the stored bars (the per-file counts), one upsert of the
//! rows that differ and one delete of the provisional bars they replace. DuckDB costs about a
//! millisecond a statement here, so the number of statements does not grow with the files.
//!
//! Prices are appended as integer mantissas at the column's scale (HUGEINT) and turned into
//! DECIMAL by DuckDB in bulk: exact (a mantissa is the value times 10^scale), and it skips the
//! per-value DECIMAL conversion the Appender does for a `Decimal`, which dominated the append.

use std::collections::BTreeMap;

use duckdb::{params, Connection};
use rust_decimal::Decimal;

use super::{Result, StoreError, UpsertCounts};
use crate::domain::bar::Bar;
use crate::domain::symbol::Symbol;

/// Decimals of `prices.open/high/low/close` (DECIMAL(20,6), migration 7).
const PRICE_SCALE: u32 = 6;
/// Decimals of `prices.adj_close` (DECIMAL(24,12)).
const ADJ_CLOSE_SCALE: u32 = 12;

const STAGING: &str = "CREATE TEMP TABLE IF NOT EXISTS staging_import (
        file_no INTEGER NOT NULL, symbol VARCHAR NOT NULL, date DATE NOT NULL,
        open HUGEINT, high HUGEINT, low HUGEINT, close HUGEINT NOT NULL, adj_close HUGEINT,
        volume BIGINT);
    DELETE FROM staging_import;";

/// The staged rows as `prices` rows, each with its file and whether it is new or differs
/// from the stored bar. The scale factors match PRICE_SCALE and ADJ_CLOSE_SCALE.
const CHANGES: &str = "CREATE OR REPLACE TEMP TABLE import_changes AS
    WITH s AS (
        SELECT file_no, symbol, date,
               (open::DECIMAL(20,0) * 0.000001)::DECIMAL(20,6) AS open,
               (high::DECIMAL(20,0) * 0.000001)::DECIMAL(20,6) AS high,
               (low::DECIMAL(20,0) * 0.000001)::DECIMAL(20,6) AS low,
               (close::DECIMAL(20,0) * 0.000001)::DECIMAL(20,6) AS close,
               (adj_close::DECIMAL(26,0) * 0.000000000001)::DECIMAL(24,12) AS adj_close,
               volume
        FROM staging_import)
    SELECT s.*, p.symbol IS NULL AS is_new,
           (s.open, s.high, s.low, s.close, s.adj_close, s.volume)
               IS DISTINCT FROM (p.open, p.high, p.low, p.close, p.adj_close, p.volume) AS differs
    FROM s LEFT JOIN prices p USING (symbol, date)";

const COUNTS: &str = "SELECT file_no,
        count(*) FILTER (WHERE is_new),
        count(*) FILTER (WHERE differs AND NOT is_new),
        count(*) FILTER (WHERE NOT differs)
    FROM import_changes GROUP BY file_no";

/// New rows by a plain insert: an `ON CONFLICT` insert costs about twice as much.
const INSERT_NEW: &str = "INSERT INTO prices
    SELECT symbol, date, open, high, low, close, adj_close, volume, ?
    FROM import_changes WHERE is_new";

const UPDATE_CHANGED: &str = "UPDATE prices SET
        open = c.open, high = c.high, low = c.low, close = c.close, adj_close = c.adj_close,
        volume = c.volume, source = ?
    FROM import_changes c
    WHERE c.differs AND NOT c.is_new AND prices.symbol = c.symbol AND prices.date = c.date";

/// Final bars replace the provisional bars of their symbol up to their newest date.
const DROP_PROVISIONAL: &str = "DELETE FROM provisional_bars
    USING (SELECT symbol, max(date) AS through FROM staging_import GROUP BY symbol) n
    WHERE provisional_bars.symbol = n.symbol AND provisional_bars.date <= n.through";

const CHANGED_SYMBOLS: &str =
    "SELECT DISTINCT symbol FROM import_changes WHERE differs ORDER BY symbol";

/// What [`upsert_files`] did: the counts of each file, in the order given, and the symbols
/// whose stored bars changed (their indicators need recomputing).
#[derive(Debug, Default)]
pub struct BulkUpsert {
    pub counts: Vec<UpsertCounts>,
    pub changed: Vec<Symbol>,
}

/// Upserts the bars of several files on (symbol, date), in the caller's transaction. No
/// symbol may appear in two of the files (the caller splits such imports into several
/// calls, so a later file still overrides an earlier one).
pub fn upsert_files(
    conn: &Connection,
    files: &[&BTreeMap<Symbol, Vec<Bar>>],
    source: &str,
) -> Result<BulkUpsert> {
    let t = std::time::Instant::now();
    conn.execute_batch(STAGING)?;
    stage(conn, files)?;
    tracing::debug!(elapsed = ?t.elapsed(), "import: stage");
    conn.execute_batch(CHANGES)?;
    tracing::debug!(elapsed = ?t.elapsed(), "import: changes");
    let mut counts = vec![UpsertCounts::default(); files.len()];
    {
        let mut stmt = conn.prepare(COUNTS)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let file: i64 = r.get(0)?;
            let count = |i: usize| -> Result<usize> { Ok(r.get::<_, i64>(i)? as usize) };
            counts[file as usize] = UpsertCounts {
                inserted: count(1)?,
                updated: count(2)?,
                unchanged: count(3)?,
            };
        }
    }
    let mut changed = Vec::new();
    if counts.iter().any(|c| c.inserted > 0) {
        conn.execute(INSERT_NEW, [source])?;
    }
    if counts.iter().any(|c| c.updated > 0) {
        conn.execute(UPDATE_CHANGED, [source])?;
    }
    if counts.iter().any(UpsertCounts::changed) {
        let mut stmt = conn.prepare(CHANGED_SYMBOLS)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let raw: String = r.get(0)?;
            changed.push(Symbol::parse(&raw).map_err(|e| StoreError::Invalid(e.to_string()))?);
        }
    }
    tracing::debug!(elapsed = ?t.elapsed(), "import: upsert");
    conn.execute_batch(DROP_PROVISIONAL)?;
    conn.execute_batch("DELETE FROM staging_import; DROP TABLE IF EXISTS import_changes;")?;
    Ok(BulkUpsert { counts, changed })
}

/// Every bar of every file into `staging_import`, with one Appender.
fn stage(conn: &Connection, files: &[&BTreeMap<Symbol, Vec<Bar>>]) -> Result<()> {
    let mut appender = conn.appender_to_catalog_and_db("staging_import", "temp", "main")?;
    for (file_no, bars) in files.iter().enumerate() {
        let file_no = file_no as i32;
        for (symbol, bars) in bars.iter() {
            for b in bars {
                appender.append_row(params![
                    file_no,
                    symbol.as_str(),
                    b.date,
                    mantissa(b.open, PRICE_SCALE)?,
                    mantissa(b.high, PRICE_SCALE)?,
                    mantissa(b.low, PRICE_SCALE)?,
                    mantissa(Some(b.close), PRICE_SCALE)?,
                    mantissa(b.adj_close, ADJ_CLOSE_SCALE)?,
                    b.volume
                ])?;
            }
        }
    }
    appender.flush()?;
    Ok(())
}

/// `v` × 10^`scale` as an integer; a value with more decimals than `scale` is refused (the
/// parser refuses those first, naming the line: this guards other callers from rounding).
fn mantissa(v: Option<Decimal>, scale: u32) -> Result<Option<i128>> {
    let Some(v) = v else { return Ok(None) };
    let mut scaled = v;
    scaled.rescale(scale);
    if scaled != v {
        return Err(StoreError::Invalid(format!(
            "{v} has more than {scale} decimals; prices are stored as received"
        )));
    }
    Ok(Some(scaled.mantissa()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn mantissas_are_exact_or_refused() {
        // 146.360001 × 10^6 = 146360001; 0.595871970054 × 10^12 = 595871970054.
        assert_eq!(
            mantissa(Some(dec!(146.360001)), 6).unwrap(),
            Some(146_360_001)
        );
        assert_eq!(mantissa(Some(dec!(80.0)), 6).unwrap(), Some(80_000_000));
        assert_eq!(
            mantissa(Some(dec!(0.595871970054)), 12).unwrap(),
            Some(595_871_970_054)
        );
        assert_eq!(mantissa(None, 6).unwrap(), None);
        assert!(mantissa(Some(dec!(1.0000001)), 6).is_err());
    }
}
