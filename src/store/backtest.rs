//! Stored backtest runs: one row in `backtest_runs` (parameters and metrics as JSON), the
//! daily equity curve with its drawdown, and the trade log.

use std::collections::HashMap;

use chrono::NaiveDate;
use duckdb::arrow::array::Date32Array;
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::{params, Connection};

use super::ledger_read::{date_at, down, Decimals, Texts};
use super::Result;
use crate::domain::backtest::metrics::drawdown_curve;
use crate::domain::backtest::StrategyResult;
use crate::domain::bar::Bar;
use crate::domain::symbol::Symbol;

/// Saves one run; call it inside `Store::in_transaction` so the run is written whole or not
/// at all. Returns the run's id.
pub fn save_backtest_run(conn: &Connection, benchmark: &Symbol, r: &StrategyResult) -> Result<i64> {
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
    let id: i64 = conn.query_row(
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
    )?;
    let values: Vec<f64> = equity
        .iter()
        .map(|p| rust_decimal::prelude::ToPrimitive::to_f64(&p.equity).unwrap_or(0.0))
        .collect();
    let mut appender = conn.appender("backtest_equity")?;
    for (p, dd) in equity.iter().zip(drawdown_curve(&values)) {
        appender.append_row(params![
            id,
            p.date,
            p.cash,
            p.positions_value,
            p.debt,
            p.equity,
            p.benchmark,
            dd
        ])?;
    }
    appender.flush()?;
    let mut appender = conn.appender("backtest_trades")?;
    for (seq, t) in r.run.trades.iter().enumerate() {
        appender.append_row(params![
            id,
            seq as i64 + 1,
            t.date,
            t.symbol.as_str(),
            t.side.as_str(),
            t.quantity,
            t.price,
            t.commission,
            t.reason,
            t.pnl
        ])?;
    }
    appender.flush()?;
    Ok(id)
}

/// Saves every strategy of `report`, in the caller's transaction; the new run ids in order.
pub fn save_backtest_report(
    conn: &Connection,
    report: &crate::domain::backtest::BacktestReport,
) -> Result<Vec<i64>> {
    report
        .strategies
        .iter()
        .map(|s| save_backtest_run(conn, &report.benchmark.symbol, s))
        .collect()
}

/// A batch of the backtest's bars as DuckDB gave it (Arrow columns), decoded on whichever
/// thread prepares them: the reading thread only pulls batches.
#[derive(Clone)]
pub struct BarBatch(RecordBatch);

/// Which symbol a row is, as an index into the symbols asked for.
pub struct SymbolIndex {
    by_name: HashMap<String, usize>,
    names: Vec<String>,
}

impl SymbolIndex {
    pub fn new(symbols: &[Symbol]) -> Self {
        let names: Vec<String> = symbols.iter().map(|s| s.as_str().to_string()).collect();
        SymbolIndex {
            by_name: names.iter().cloned().zip(0..).collect(),
            names,
        }
    }

    /// The index of `name`, tried first at `guess`: rows of one date come in symbol order,
    /// which is mostly the order asked for, so the guess (the previous row's index + 1) saves
    /// most hash lookups.
    #[inline]
    fn find(&self, name: &str, guess: usize) -> Option<usize> {
        if self.names.get(guess).is_some_and(|n| n == name) {
            return Some(guess);
        }
        self.by_name.get(name).copied()
    }
}

impl BarBatch {
    /// `each(symbol, bar)` for every row, `symbol` an index into the symbols asked for.
    /// Volume is not read: the backtest keeps none (its indicators use the close only).
    /// Rows whose symbol `wanted` refuses are not decoded (another thread takes them).
    pub fn for_each(
        &self,
        index: &SymbolIndex,
        wanted: impl Fn(usize) -> bool,
        mut each: impl FnMut(usize, &Bar),
    ) -> Result<()> {
        let batch = &self.0;
        let symbol = Texts::new(batch, 0)?;
        let date: Date32Array = down(batch.column(1), "date")?;
        let [open, high, low, close, adj] = [2, 3, 4, 5, 6].map(|i| Decimals::new(batch, i));
        let [open, high, low, close, adj] = [open?, high?, low?, close?, adj?];
        // Rows come in runs of one date (the table is stored by date, then symbol), so the
        // symbol changes on every row.
        let mut guess = 0;
        for r in 0..batch.num_rows() {
            let Some(at) = symbol.get(r).and_then(|name| index.find(name, guess)) else {
                continue;
            };
            guess = at + 1;
            if !wanted(at) {
                continue;
            }
            let bar = Bar {
                date: date_at(&date, r)?,
                open: open.get(r),
                high: high.get(r),
                low: low.get(r),
                close: close.get(r).unwrap_or_default(),
                adj_close: adj.get(r),
                volume: None,
            };
            each(at, &bar);
        }
        Ok(())
    }
}

/// How many bars up to `to` each of `symbols` has, in their order: the backtest reserves its
/// columns at their final length (growing by doubling would copy them and leave up to half
/// of each unused). Reads two columns only.
pub fn backtest_bar_counts(
    conn: &Connection,
    symbols: &[Symbol],
    to: NaiveDate,
) -> Result<Vec<usize>> {
    let index = SymbolIndex::new(symbols);
    let mut stmt = conn.prepare_cached(
        "SELECT symbol, count(*) FROM prices
         WHERE date <= ? AND list_contains(?::VARCHAR[], symbol) GROUP BY symbol",
    )?;
    let mut counts = vec![0; symbols.len()];
    let mut rows = stmt.query(params![to, super::symbol_list(symbols)])?;
    while let Some(row) = rows.next()? {
        let (symbol, count): (String, i64) = (row.get(0)?, row.get(1)?);
        if let Some(at) = index.find(&symbol, 0) {
            counts[at] = usize::try_from(count).unwrap_or(0);
        }
    }
    Ok(counts)
}

/// Every bar up to `to` of `symbols`, in one scan, as batches handed to `each` until it
/// returns `false`. One scan: prices are stored in date order, so each row group holds every
/// symbol and a statement per group of symbols would decode the whole table once per group.
/// Rows come in storage order, which is date order for each symbol unless older bars were
/// added later; the caller orders them (`PreparedBuilder::finish`).
/// `memory`: DuckDB's memory limit while the scan runs (see below), `None` for its default.
pub fn backtest_batches(
    conn: &Connection,
    symbols: &[Symbol],
    to: NaiveDate,
    memory: Option<&str>,
    mut each: impl FnMut(BarBatch) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT symbol, date, open, high, low, close, adj_close FROM prices
         WHERE date <= ? AND list_contains(?::VARCHAR[], symbol)",
    )?;
    // DuckDB keeps the blocks it read in its buffer pool (up to 80 % of the RAM by default):
    // for 500 symbols × 25 years that held ~75 MB beside the prepared columns at the end of
    // the scan. A scan on two threads needs a few 256 KiB blocks at a time, so the caller may
    // cap the pool while it runs, with the threads fixed at two so that the need does not grow
    // with the cores. DuckLens sets neither anywhere else, so both defaults are put back after.
    if let Some(limit) = memory {
        let limit = limit.replace('\'', "");
        conn.execute_batch(&format!("SET threads = 2; SET memory_limit = '{limit}'"))?;
    }
    let scanned = (|| -> Result<()> {
        for batch in stmt.stream_arrow(params![to, super::symbol_list(symbols)])? {
            if !each(BarBatch(batch?)) {
                break;
            }
        }
        Ok(())
    })();
    if memory.is_some() {
        conn.execute_batch("RESET memory_limit; RESET threads")?;
    }
    scanned
}

/// How many runs are stored (for tests and `db-check`).
pub fn backtest_run_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM backtest_runs", [], |r| r.get(0))?)
}
