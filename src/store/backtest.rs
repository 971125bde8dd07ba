//! Stored backtest runs: one row in `backtest_runs` (parameters and metrics as JSON), the
//! daily equity curve with its drawdown, and the trade log.

use chrono::NaiveDate;
use duckdb::arrow::array::{Array, Date32Array, Int32Array};
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::{params, Connection};

use super::backtest_rows::StagedRows;
use super::ledger_read::{date_at, down, Decimals};
use super::Result;
use crate::domain::backtest::metrics::drawdown_curve;
use crate::domain::backtest::{RawBar, StrategyResult};
use crate::domain::symbol::Symbol;

/// Saves one run; call it inside `Store::in_transaction` so the run is written whole or not
/// at all. Returns the run's id.
pub fn save_backtest_run(conn: &Connection, benchmark: &Symbol, r: &StrategyResult) -> Result<i64> {
    Ok(save_runs(conn, benchmark, [r])?[0])
}

/// Saves every strategy of `report`, in the caller's transaction; the new run ids in order.
pub fn save_backtest_report(
    conn: &Connection,
    report: &crate::domain::backtest::BacktestReport,
) -> Result<Vec<i64>> {
    save_runs(conn, &report.benchmark.symbol, &report.strategies)
}

/// Each run's row, then the equity curves and trade logs of all of them in one insert per
/// table; a run with a value the staged file cannot write exactly is appended row by row, in
/// its place among the others. The ids in order.
fn save_runs<'a>(
    conn: &Connection,
    benchmark: &Symbol,
    runs: impl IntoIterator<Item = &'a StrategyResult>,
) -> Result<Vec<i64>> {
    let mut staged = StagedRows::default();
    let mut ids = Vec::new();
    for r in runs {
        let id = insert_run(conn, benchmark, r)?;
        let (equity, trades) = (&r.run.equity, &r.run.trades);
        let values: Vec<f64> = equity
            .iter()
            .map(|p| rust_decimal::prelude::ToPrimitive::to_f64(&p.equity).unwrap_or(0.0))
            .collect();
        let drawdowns = drawdown_curve(&values);
        if !staged.stage(id, equity, &drawdowns, trades) {
            tracing::debug!(
                id,
                "backtest run has values its columns round; appended row by row"
            );
            staged.insert(conn)?;
            super::backtest_rows::append_rows(conn, id, equity, &drawdowns, trades)?;
        }
        ids.push(id);
    }
    staged.insert(conn)?;
    Ok(ids)
}

/// The run's row in `backtest_runs`; its id.
fn insert_run(conn: &Connection, benchmark: &Symbol, r: &StrategyResult) -> Result<i64> {
    let equity = &r.run.equity;
    let (Some(first), Some(last)) = (equity.first(), equity.last()) else {
        return Err(super::StoreError::Invalid(
            "a backtest run without days cannot be saved".into(),
        ));
    };
    let params_json = serde_json::to_string(&r.params).unwrap_or_default();
    let metrics_json = serde_json::to_string(&serde_json::json!({
        "metrics": r.metrics,
        "verdict": r.verdict,
    }))
    .unwrap_or_default();
    Ok(conn.query_row(
        "INSERT INTO backtest_runs (strategy, benchmark, from_date, to_date, initial_capital,
             final_value, params_json, metrics_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        params![
            r.params.name,
            benchmark.as_str(),
            first.date,
            last.date,
            r.params.initial_capital,
            last.equity,
            params_json,
            metrics_json
        ],
        |row| row.get(0),
    )?)
}

/// A batch of the backtest's bars as DuckDB gave it (Arrow columns), decoded on whichever
/// thread prepares them: the reading thread only pulls batches.
#[derive(Clone)]
pub struct BarBatch(RecordBatch);

/// The symbols asked for with their index (from 0) in the list, as a table `k (symbol, idx)`
/// to join: every read returns a row's symbol as that index, not as text to look up. Binds
/// the list twice.
const INDEXED_SYMBOLS: &str = "SELECT unnest(?::VARCHAR[]) AS symbol,
        (generate_subscripts(?::VARCHAR[], 1) - 1)::INTEGER AS idx";

impl BarBatch {
    /// `each(symbol, bar)` for every row, `symbol` an index into the symbols asked for.
    /// Volume is not read: the backtest keeps none (its indicators use the close only).
    /// The first error `each` returns stops the batch.
    pub fn for_each(&self, mut each: impl FnMut(usize, &RawBar) -> Result<()>) -> Result<()> {
        let batch = &self.0;
        let symbol: Int32Array = down(batch.column(0), "symbol index")?;
        let date: Date32Array = down(batch.column(1), "date")?;
        let [open, high, low, close, adj] = [2, 3, 4, 5, 6].map(|i| Decimals::new(batch, i));
        let [open, high, low, close, adj] = [open?, high?, low?, close?, adj?];
        let scales = [&open, &high, &low, &close].map(|c| c.scale());
        if scales.iter().any(|&s| s != scales[0]) {
            return Err(super::StoreError::Invalid(
                "backtest read: price columns of different scales".into(),
            ));
        }
        // Rows come in runs of one date (the table is stored by date, then symbol).
        let mut last_date = None;
        for r in 0..batch.num_rows() {
            let Some(at) = (!symbol.is_null(r))
                .then(|| usize::try_from(symbol.value(r)).ok())
                .flatten()
            else {
                continue;
            };
            let day = date.value(r);
            let bar_date = match last_date {
                Some((d, at_date)) if d == day => at_date,
                _ => {
                    let at_date = date_at(&date, r)?;
                    last_date = Some((day, at_date));
                    at_date
                }
            };
            let bar = RawBar {
                date: bar_date,
                open: open.mantissa(r),
                high: high.mantissa(r),
                low: low.mantissa(r),
                close: close.mantissa(r),
                adj_close: adj.mantissa(r),
                price_scale: scales[0],
                adj_scale: adj.scale(),
            };
            each(at, &bar)?;
        }
        Ok(())
    }
}

/// Where the prices table is cut into `parts` stretches of about as many rows each, as
/// `rowid`s: stretch `w` runs from boundary `w − 1` (the first from row 0) to boundary `w`
/// (the last to the end, so every row is in exactly one, whatever the count). A statement
/// reading one stretch reads only its row groups: split by symbol instead, each of two
/// statements decompressed every row group (issue 18: 65 → 42 ms a statement here).
pub fn backtest_row_splits(conn: &Connection, parts: usize) -> Result<Vec<i64>> {
    let rows: i64 = conn.query_row("SELECT count(*) FROM prices", [], |r| r.get(0))?;
    let parts = parts.max(1) as i64;
    Ok((1..parts).map(|w| rows * w / parts).collect())
}

/// The condition that a row is in stretch `w` of `splits`.
fn in_stretch(splits: &[i64], w: usize) -> String {
    let from = w.checked_sub(1).and_then(|v| splits.get(v));
    let to = splits.get(w);
    match (from, to) {
        (Some(a), Some(b)) => format!("p.rowid >= {a} AND p.rowid < {b}"),
        (Some(a), None) => format!("p.rowid >= {a}"),
        (None, Some(b)) => format!("p.rowid < {b}"),
        (None, None) => "true".into(),
    }
}

/// How many bars up to `to` each of `symbols` has in each stretch of `splits`
/// (`counts[w][k]`, `k` in the order of `symbols`): the backtest reserves its columns at
/// their final length (growing by doubling would copy them and leave up to half of each
/// unused). Reads two columns only.
pub fn backtest_bar_counts(
    conn: &Connection,
    symbols: &[Symbol],
    to: NaiveDate,
    splits: &[i64],
) -> Result<Vec<Vec<usize>>> {
    // The rows before each boundary, then all: a filtered count per boundary took 25 ms for
    // 3.15 million rows, grouping by a stretch number 35–41.
    let before: String = splits
        .iter()
        .map(|b| format!("count(*) FILTER (WHERE p.rowid < {b}), "))
        .collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT k.idx, {before}count(*) FROM prices p JOIN ({INDEXED_SYMBOLS}) k
           ON p.symbol = k.symbol
         WHERE p.date <= ? GROUP BY k.idx"
    ))?;
    let mut counts = vec![vec![0; symbols.len()]; splits.len() + 1];
    let list = super::symbol_list(symbols);
    let mut rows = stmt.query(params![list.clone(), list, to])?;
    while let Some(row) = rows.next()? {
        let Some(at) = usize::try_from(row.get::<_, i64>(0)?)
            .ok()
            .filter(|&at| at < symbols.len())
        else {
            continue;
        };
        let mut earlier = 0;
        for (w, part) in counts.iter_mut().enumerate() {
            let upto = usize::try_from(row.get::<_, i64>(w + 1)?).unwrap_or(0);
            part[at] = upto.saturating_sub(earlier);
            earlier = upto;
        }
    }
    Ok(counts)
}

/// Every bar up to `to` of `symbols`, read by one thread per stretch of rows of `splits`
/// ([`backtest_row_splits`]): thread `w` reads stretch `w` on a connection of its own and
/// hands each batch to `each` with its state, made by `state(w)`; the states come back in
/// order of `w`. Decoding DuckDB's batches into Arrow is one thread's work per statement
/// (~100 ns a row, 0.3 s for 3.15 million), so two statements read on two cores (issue 18).
/// Rows come in storage order, which is date order for each symbol unless older bars were
/// added later, and a symbol's rows may be in any stretch; the caller orders them
/// (`PreparedBuilder::append`, `PreparedBuilder::finish`).
/// `memory`: DuckDB's memory limit while the scan runs (see below), `None` for its default.
pub fn backtest_scan<T: Send>(
    conn: &Connection,
    (symbols, to): (&[Symbol], NaiveDate),
    memory: Option<&str>,
    splits: &[i64],
    state: impl Fn(usize) -> T,
    each: impl Fn(&mut T, BarBatch) -> Result<()> + Sync,
) -> Result<Vec<T>> {
    let parts = splits.len() + 1;
    let conns = (0..parts)
        .map(|_| {
            let clone = conn.try_clone()?;
            super::attach::same_database(conn, &clone)?;
            Ok(clone)
        })
        .collect::<Result<Vec<_>>>()?;
    let states: Vec<T> = (0..parts).map(state).collect();
    // DuckDB keeps the blocks it read in its buffer pool (up to 80 % of the RAM by default):
    // for 500 symbols × 25 years that held ~75 MB beside the prepared columns at the end of
    // the scan. A scan needs a few 256 KiB blocks at a time, so the caller may cap the pool
    // while it runs. One thread each: every statement runs on the thread reading it, and
    // DuckDB's own workers would only compete with them. DuckLens sets neither anywhere else,
    // so both defaults are put back after.
    conn.execute_batch("SET threads = 1")?;
    if let Some(limit) = memory {
        let limit = limit.replace('\'', "");
        conn.execute_batch(&format!("SET memory_limit = '{limit}'"))?;
    }
    let list = super::symbol_list(symbols);
    let scanned = std::thread::scope(|scope| {
        let workers: Vec<_> = conns
            .into_iter()
            .zip(states)
            .enumerate()
            .map(|(w, (conn, mut state))| {
                let (list, each) = (list.clone(), &each);
                scope.spawn(move || -> Result<T> {
                    let mut stmt = conn.prepare(&format!(
                        "SELECT k.idx, p.date, p.open, p.high, p.low, p.close, p.adj_close
                         FROM prices p JOIN ({INDEXED_SYMBOLS}) k ON p.symbol = k.symbol
                         WHERE p.date <= ? AND {}",
                        in_stretch(splits, w)
                    ))?;
                    for batch in stmt.stream_arrow(params![list.clone(), list, to])? {
                        each(&mut state, BarBatch(batch?))?;
                    }
                    Ok(state)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    Err(super::StoreError::Invalid(
                        "backtest read: a reading thread failed".into(),
                    ))
                })
            })
            .collect::<Result<Vec<T>>>()
    });
    let reset = conn.execute_batch(if memory.is_some() {
        "RESET memory_limit; RESET threads"
    } else {
        "RESET threads"
    });
    let states = scanned?;
    reset?;
    Ok(states)
}

/// How many runs are stored (for tests and `db-check`).
pub fn backtest_run_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM backtest_runs", [], |r| r.get(0))?)
}
