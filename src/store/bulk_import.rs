//! The set-based write of `import prices` (issue 18): the bars of many files go through one
//! staging table, one comparison with the stored bars (the per-file counts), one upsert of the
//! rows that differ and one delete of the provisional bars they replace. DuckDB costs about a
//! millisecond a statement here, so the number of statements does not grow with the files.
//!
//! The bars reach DuckDB as a temporary CSV file (`csv_load`): every digit as received, read
//! straight into the DECIMAL columns' types.

use std::collections::{BTreeMap, HashSet};

use duckdb::Connection;
use rust_decimal::Decimal;

use super::csv_load::{self, TempCsv};
use super::{Result, StoreError, UpsertCounts};
use crate::domain::bar::Bar;
use crate::domain::symbol::Symbol;

/// Decimals of `prices.open/high/low/close` (DECIMAL(18,6), migrations 7 and 8).
const PRICE_SCALE: u32 = 6;
use crate::domain::bar::PRICE_LIMIT;
/// Decimals of `prices.adj_close` (DECIMAL(24,12)).
const ADJ_CLOSE_SCALE: u32 = 12;

/// The staged rows (`file_no, symbol, date, open … volume`) in the `prices` types.
const STAGED_COLUMNS: &str = "'file_no': 'INTEGER', 'symbol': 'VARCHAR', 'date': 'DATE',
    'open': 'DECIMAL(18,6)', 'high': 'DECIMAL(18,6)', 'low': 'DECIMAL(18,6)',
    'close': 'DECIMAL(18,6)', 'adj_close': 'DECIMAL(24,12)', 'volume': 'BIGINT'";

/// The staged rows, each with whether it is new or differs from the stored bar.
fn changes_sql() -> String {
    format!(
        "CREATE OR REPLACE TEMP TABLE import_changes AS
         SELECT s.*, p.symbol IS NULL AS is_new,
                (s.open, s.high, s.low, s.close, s.adj_close, s.volume)
                    IS DISTINCT FROM (p.open, p.high, p.low, p.close, p.adj_close, p.volume)
                    AS differs
         FROM {} s LEFT JOIN prices p USING (symbol, date)",
        csv_load::read_csv_sql(STAGED_COLUMNS)
    )
}

const COUNTS: &str = "SELECT file_no,
        count(*) FILTER (WHERE is_new),
        count(*) FILTER (WHERE differs AND NOT is_new),
        count(*) FILTER (WHERE NOT differs)
    FROM import_changes GROUP BY file_no";

/// New rows by a plain insert: an `ON CONFLICT` insert costs about twice as much. In date
/// order, so that a date filter prunes row groups by their zone maps: the morning check reads
/// a few months of every symbol, and with the rows stored file by file each row group held 20
/// symbols' whole histories and every read scanned the table (analysis bench: 278 → 65 ms).
const INSERT_NEW: &str = "INSERT INTO prices
    SELECT symbol, date, open, high, low, close, adj_close, volume, ?
    FROM import_changes WHERE is_new ORDER BY date, symbol";

const UPDATE_CHANGED: &str = "UPDATE prices SET
        open = c.open, high = c.high, low = c.low, close = c.close, adj_close = c.adj_close,
        volume = c.volume, source = ?
    FROM import_changes c
    WHERE c.differs AND NOT c.is_new AND prices.symbol = c.symbol AND prices.date = c.date";

/// Final bars replace the provisional bars of their symbol up to their newest date.
const DROP_PROVISIONAL: &str = "DELETE FROM provisional_bars
    USING (SELECT symbol, max(date) AS through FROM import_changes GROUP BY symbol) n
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
    let staged = stage(files)?;
    tracing::debug!(elapsed = ?t.elapsed(), "import: stage");
    conn.execute(&changes_sql(), [staged.path()?])?;
    drop(staged);
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
    conn.execute_batch("DROP TABLE IF EXISTS import_changes")?;
    Ok(BulkUpsert { counts, changed })
}

/// [`upsert_files`] and the indicators of every symbol whose bars changed, in the caller's
/// transaction. A symbol with no stored bar before (every symbol of a first import) has for
/// history exactly the file's bars, so its indicators are computed from those on another
/// thread while DuckDB writes the bars, instead of being read back after (issue 18); the
/// others' are recomputed from their stored bars as before. Returns the upsert's counts.
pub fn import_bars(
    conn: &Connection,
    files: &[&BTreeMap<Symbol, Vec<Bar>>],
    source: &str,
) -> Result<BulkUpsert> {
    let symbols: Vec<Symbol> = files.iter().flat_map(|f| f.keys().cloned()).collect();
    let stored = symbols_with_bars(conn, &symbols)?;
    tracing::trace!("import: stored symbols read");
    // The new symbols' bars as stored, on the indicator thread (a copy of every bar).
    let fresh = || -> Vec<(Symbol, Vec<Bar>)> {
        files
            .iter()
            .flat_map(|f| f.iter())
            .filter(|(symbol, _)| !stored.contains(*symbol))
            .map(|(symbol, bars)| (symbol.clone(), bars.iter().map(as_stored).collect()))
            .collect()
    };
    // Nothing stored to compare with: every bar is new (`insert_new_symbols`).
    let write = || {
        if stored.is_empty() {
            insert_new_symbols(conn, files, source)
        } else {
            upsert_files(conn, files, source)
        }
    };
    conn.execute_batch("SET threads = 1")?;
    let (bulk, fresh_rows) = std::thread::scope(|scope| {
        let rows = scope.spawn(|| {
            let t = std::time::Instant::now();
            let mut rows = super::indicators::rows_of(&fresh(), false);
            // No stored symbol, so no other rows will join these.
            if stored.is_empty() {
                rows.stage()?;
            }
            tracing::debug!(elapsed = ?t.elapsed(), "import: new symbols' indicators computed");
            Ok::<_, StoreError>(rows)
        });
        (write(), rows.join())
    });
    conn.execute_batch("RESET threads")?;
    let bulk = bulk?;
    let mut rows =
        fresh_rows.map_err(|_| StoreError::Invalid("computing the indicators failed".into()))??;
    let others: Vec<Symbol> = bulk
        .changed
        .iter()
        .filter(|s| stored.contains(*s))
        .cloned()
        .collect();
    if !others.is_empty() {
        let histories = super::market::histories(conn, &others)?;
        rows.extend(super::indicators::rows_of(&histories, true));
    }
    if !bulk.changed.is_empty() {
        super::indicators::write_rows(conn, &bulk.changed, rows)?;
    }
    Ok(bulk)
}

/// [`upsert_files`] for files none of whose symbols has a stored bar: every bar is new, so
/// the bars go straight from the staged file into `prices` (in date order, as `INSERT_NEW`,
/// the order `stage` writes them in)
/// without the comparison with the stored ones, and the counts are the files' own. Final
/// bars replace the provisional bars of their symbol up to their newest date, as
/// `DROP_PROVISIONAL` does.
fn insert_new_symbols(
    conn: &Connection,
    files: &[&BTreeMap<Symbol, Vec<Bar>>],
    source: &str,
) -> Result<BulkUpsert> {
    let t = std::time::Instant::now();
    let staged = stage(files)?;
    tracing::debug!(elapsed = ?t.elapsed(), "import: new bars staged");
    conn.execute(
        &format!(
            "INSERT INTO prices
             SELECT symbol, date, open, high, low, close, adj_close, volume, ?
             FROM {}",
            csv_load::read_csv_sql(STAGED_COLUMNS)
        ),
        [source, staged.path()?],
    )?;
    drop(staged);
    tracing::debug!(elapsed = ?t.elapsed(), "import: new bars inserted");
    let mut changed: Vec<Symbol> = files
        .iter()
        .flat_map(|f| f.iter())
        .filter(|(_, bars)| !bars.is_empty())
        .map(|(symbol, _)| symbol.clone())
        .collect();
    changed.sort();
    conn.execute(
        "DELETE FROM provisional_bars
         WHERE symbol IN (SELECT unnest(?::VARCHAR[]))
           AND date <= (SELECT max(p.date) FROM prices p
                        WHERE p.symbol = provisional_bars.symbol)",
        [super::symbol_list(&changed)],
    )?;
    let counts = files
        .iter()
        .map(|f| UpsertCounts {
            inserted: f.values().map(Vec::len).sum(),
            updated: 0,
            unchanged: 0,
        })
        .collect();
    Ok(BulkUpsert { counts, changed })
}

/// Which of `symbols` have a stored bar.
fn symbols_with_bars(conn: &Connection, symbols: &[Symbol]) -> Result<HashSet<Symbol>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT symbol FROM prices WHERE symbol IN (SELECT unnest(?::VARCHAR[]))",
    )?;
    let mut rows = stmt.query([super::symbol_list(symbols)])?;
    let mut found = HashSet::new();
    while let Some(r) = rows.next()? {
        let raw: String = r.get(0)?;
        found.insert(Symbol::parse(&raw).map_err(|e| StoreError::Invalid(e.to_string()))?);
    }
    Ok(found)
}

/// A parsed bar as the store gives it back: each price at its column's scale (the value is
/// the same; `exact` refused any that would not be).
fn as_stored(bar: &Bar) -> Bar {
    let at = |v: Decimal, scale: u32| {
        let mut v = v;
        v.rescale(scale);
        v
    };
    Bar {
        open: bar.open.map(|v| at(v, PRICE_SCALE)),
        high: bar.high.map(|v| at(v, PRICE_SCALE)),
        low: bar.low.map(|v| at(v, PRICE_SCALE)),
        close: at(bar.close, PRICE_SCALE),
        adj_close: bar.adj_close.map(|v| at(v, ADJ_CLOSE_SCALE)),
        ..*bar
    }
}

/// Every bar of every file as CSV rows, formatted in parallel file by file, written in
/// order of date, then symbol (`TempCsv::write_by_date`).
fn stage(files: &[&BTreeMap<Symbol, Vec<Bar>>]) -> Result<TempCsv> {
    use rayon::prelude::*;
    let runs: Vec<Vec<csv_load::Run>> = files
        .par_iter()
        .enumerate()
        .map(|(file_no, bars)| {
            let mut file_no_text = itoa::Buffer::new();
            let file_no = file_no_text.format(file_no).as_bytes();
            bars.iter()
                .map(|(symbol, bars)| {
                    let mut run = csv_load::Run::new(symbol.as_str(), 64 * bars.len());
                    for b in bars {
                        let out = &mut run.text;
                        out.extend_from_slice(file_no);
                        out.push(b',');
                        out.extend_from_slice(symbol.as_str().as_bytes());
                        out.push(b',');
                        csv_load::date(out, b.date);
                        out.push(b',');
                        for (v, scale) in [
                            (b.open, PRICE_SCALE),
                            (b.high, PRICE_SCALE),
                            (b.low, PRICE_SCALE),
                            (Some(b.close), PRICE_SCALE),
                            (b.adj_close, ADJ_CLOSE_SCALE),
                        ] {
                            csv_load::decimal(out, exact(v, scale)?);
                            out.push(b',');
                        }
                        if let Some(v) = b.volume {
                            out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
                        }
                        out.push(b'\n');
                        run.end_row(b.date);
                    }
                    Ok(run)
                })
                .collect()
        })
        .collect::<Result<_>>()?;
    tracing::trace!("import: staged rows formatted");
    TempCsv::write_by_date(&runs.into_iter().flatten().collect::<Vec<_>>())
}

/// `v` when its column keeps all its decimals; refused otherwise (the parser refuses those
/// first, naming the line: this guards other callers from DuckDB rounding them).
fn exact(v: Option<Decimal>, scale: u32) -> Result<Option<Decimal>> {
    match v {
        Some(v) if v.scale() > scale && v.normalize().scale() > scale => Err(StoreError::Invalid(
            format!("{v} has more than {scale} decimals; prices are stored as received"),
        )),
        Some(v) if v.abs() >= PRICE_LIMIT => Err(StoreError::Invalid(format!(
            "{v} is {PRICE_LIMIT} or more; prices are kept below that"
        ))),
        _ => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn decimals_beyond_the_column_are_refused_not_rounded() {
        assert_eq!(
            exact(Some(dec!(146.360001)), 6).unwrap(),
            Some(dec!(146.360001))
        );
        // Trailing zeros are no decimals: 80.00000000 is 80.
        assert_eq!(exact(Some(dec!(80.00000000)), 6).unwrap(), Some(dec!(80)));
        assert_eq!(exact(None, 6).unwrap(), None);
        assert!(exact(Some(dec!(1.0000001)), 6).is_err());
    }
}

#[cfg(test)]
#[path = "bulk_import_tests.rs"]
mod import_tests;
