//! The `indicators` table: recomputed per symbol from its adjusted bars.

use chrono::NaiveDate;

use duckdb::{params, Connection};

use super::Result;
use crate::domain::bar::{AdjustedBar, Bar};
use crate::domain::indicators::{compute_all, IndicatorRow};
use crate::domain::symbol::Symbol;

/// Recomputes every indicator of `symbol` from its stored bars, in the caller's transaction.
/// Returns the number of rows written.
pub fn recompute_indicators(conn: &Connection, symbol: &Symbol) -> Result<usize> {
    let adjusted: Vec<AdjustedBar> = super::prices::bars(conn, symbol)?
        .iter()
        .map(|b| b.adjusted())
        .collect();
    let column = |f: fn(&AdjustedBar) -> f64| adjusted.iter().map(f).collect::<Vec<f64>>();
    let rows = compute_all(
        &column(|b| b.high),
        &column(|b| b.low),
        &column(|b| b.close),
        &column(|b| b.volume),
    );
    conn.execute("DELETE FROM indicators WHERE symbol = ?", [symbol.as_str()])?;
    let mut appender = conn.appender("indicators")?;
    for (bar, r) in adjusted.iter().zip(&rows) {
        appender.append_row(params![
            symbol.as_str(),
            bar.date,
            r.sma_20,
            r.sma_50,
            r.sma_200,
            r.ema_12,
            r.ema_26,
            r.macd,
            r.macd_signal,
            r.macd_hist,
            r.rsi_14,
            r.volume_ratio,
            r.atr_14
        ])?;
    }
    appender.flush()?;
    Ok(rows.len())
}

/// Stored indicators of `symbol` on or after `from`, in date order.
pub fn indicators_since(
    conn: &Connection,
    symbol: &Symbol,
    from: NaiveDate,
) -> Result<Vec<(NaiveDate, IndicatorRow)>> {
    let mut stmt = conn.prepare(
        "SELECT date, sma_20, sma_50, sma_200, ema_12, ema_26, macd, macd_signal, macd_hist,
                rsi_14, volume_ratio, atr_14
         FROM indicators WHERE symbol = ? AND date >= ? ORDER BY date",
    )?;
    let rows = stmt.query_map(params![symbol.as_str(), from], |r| {
        Ok((
            r.get(0)?,
            IndicatorRow {
                sma_20: r.get(1)?,
                sma_50: r.get(2)?,
                sma_200: r.get(3)?,
                ema_12: r.get(4)?,
                ema_26: r.get(5)?,
                macd: r.get(6)?,
                macd_signal: r.get(7)?,
                macd_hist: r.get(8)?,
                rsi_14: r.get(9)?,
                volume_ratio: r.get(10)?,
                atr_14: r.get(11)?,
            },
        ))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The indicator rows of whole histories as CSV text, one part per symbol: the rows
/// [`recompute_indicators`] writes symbol by symbol. No database is involved, so the import
/// computes those of symbols new to the store while DuckDB writes their bars
/// (`bulk_import::import_bars`), and those of stored symbols from one read of their bars.
pub(super) struct Rows {
    runs: Vec<super::csv_load::Run>,
    count: usize,
    /// The runs' staged file, once written (`stage`).
    staged: Option<super::csv_load::TempCsv>,
}

impl Rows {
    /// Adds `other`'s rows; only to rows not staged yet.
    pub(super) fn extend(&mut self, other: Rows) {
        assert!(self.staged.is_none(), "indicator rows added after staging");
        self.runs.extend(other.runs);
        self.count += other.count;
    }

    /// Writes the staged file now, when no more rows will join: on the thread that
    /// computed them, while DuckDB still writes the bars, rather than after.
    pub(super) fn stage(&mut self) -> Result<()> {
        self.staged = Some(super::csv_load::TempCsv::write_by_date(&self.runs)?);
        self.runs = Vec::new();
        Ok(())
    }
}

/// `histories`: each symbol's bars as stored (in date order, each value at its column's
/// scale, as the store reads them back: the adjustment's `Decimal` products depend on it).
/// `parallel`: on rayon's pool, else on the calling thread alone (beside DuckDB's work, whose
/// staging needs the pool).
pub(super) fn rows_of(histories: &[(Symbol, Vec<Bar>)], parallel: bool) -> Rows {
    use rayon::prelude::*;
    let one = |(symbol, bars): &(Symbol, Vec<Bar>)| {
        let adjusted: Vec<AdjustedBar> = bars.iter().map(|b| b.adjusted()).collect();
        let column = |f: fn(&AdjustedBar) -> f64| adjusted.iter().map(f).collect::<Vec<f64>>();
        let rows = compute_all(
            &column(|b| b.high),
            &column(|b| b.low),
            &column(|b| b.close),
            &column(|b| b.volume),
        );
        let mut run = super::csv_load::Run::new(symbol.as_str(), 160 * rows.len());
        for (bar, r) in adjusted.iter().zip(&rows) {
            let out = &mut run.text;
            out.extend_from_slice(symbol.as_str().as_bytes());
            out.push(b',');
            super::csv_load::date(out, bar.date);
            for v in [
                r.sma_20,
                r.sma_50,
                r.sma_200,
                r.ema_12,
                r.ema_26,
                r.macd,
                r.macd_signal,
                r.macd_hist,
                r.rsi_14,
                r.volume_ratio,
                r.atr_14,
            ] {
                out.push(b',');
                super::csv_load::double(out, v);
            }
            out.push(b'\n');
            run.end_row(bar.date);
        }
        run
    };
    let runs: Vec<super::csv_load::Run> = if parallel {
        histories.par_iter().map(one).collect()
    } else {
        histories.iter().map(one).collect()
    };
    Rows {
        count: runs.iter().map(|r| r.rows.len()).sum(),
        runs,
        staged: None,
    }
}

/// Replaces the indicators of `symbols` with `rows` (theirs), in one delete and one load.
pub(super) fn write_rows(conn: &Connection, symbols: &[Symbol], rows: Rows) -> Result<usize> {
    let t = std::time::Instant::now();
    let names = super::symbol_list(symbols);
    conn.execute(
        "DELETE FROM indicators WHERE symbol IN (SELECT unnest(?::VARCHAR[]))",
        [names],
    )?;
    let csv = match rows.staged {
        Some(csv) => csv,
        None => super::csv_load::TempCsv::write_by_date(&rows.runs)?,
    };
    tracing::debug!(elapsed = ?t.elapsed(), "import: ind deleted and staged");
    let columns = "'symbol': 'VARCHAR', 'date': 'DATE', 'sma_20': 'DOUBLE', 'sma_50': 'DOUBLE',
        'sma_200': 'DOUBLE', 'ema_12': 'DOUBLE', 'ema_26': 'DOUBLE', 'macd': 'DOUBLE',
        'macd_signal': 'DOUBLE', 'macd_hist': 'DOUBLE', 'rsi_14': 'DOUBLE',
        'volume_ratio': 'DOUBLE', 'atr_14': 'DOUBLE'";
    conn.execute(
        &format!(
            // In date order, as the prices (`bulk_import::INSERT_NEW`): the check reads
            // the as-of row of every symbol. The file is in that order already.
            "INSERT INTO indicators SELECT * FROM {}",
            super::csv_load::read_csv_sql(columns)
        ),
        [csv.path()?],
    )?;
    tracing::debug!(elapsed = ?t.elapsed(), "import: ind written");
    Ok(rows.count)
}
