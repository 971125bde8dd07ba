//! Stored backtest runs: one row in `backtest_runs` (parameters and metrics as JSON), the
//! daily equity curve with its drawdown, and the trade log.

use std::collections::HashMap;

use chrono::NaiveDate;
use duckdb::arrow::array::Date32Array;
use duckdb::types::Value;
use duckdb::{params, Connection};

use super::ledger_read::{date_at, down, Decimals, Ints, Texts};
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

/// Each symbol's bars, as `domain::backtest::Universe::new` takes them.
pub type SymbolBars = Vec<(Symbol, Vec<Bar>)>;

/// Every bar up to `to` of each of `symbols` that has one, in the order of `symbols`, in one
/// columnar read (a DuckDB statement costs about a millisecond, a row-by-row read of DECIMAL
/// columns several times the Arrow one). Symbols without a bar on or before `to` are not in
/// the answer: the caller says they were left out.
pub fn backtest_bars(conn: &Connection, symbols: &[Symbol], to: NaiveDate) -> Result<SymbolBars> {
    let names = Value::List(
        symbols
            .iter()
            .map(|s| Value::Text(s.as_str().to_string()))
            .collect(),
    );
    let mut stmt = conn.prepare_cached(
        "SELECT symbol, date, open, high, low, close, adj_close, volume FROM prices
         WHERE date <= ? AND list_contains(?::VARCHAR[], symbol)",
    )?;
    let position: HashMap<&str, usize> = symbols
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut series: Vec<Vec<Bar>> = vec![Vec::new(); symbols.len()];
    for batch in stmt.stream_arrow(params![to, names])? {
        let batch = batch?;
        let symbol = Texts::new(&batch, 0)?;
        let date: Date32Array = down(batch.column(1), "date")?;
        let [open, high, low, close, adj] = [2, 3, 4, 5, 6].map(|i| Decimals::new(&batch, i));
        let [open, high, low, close, adj] = [open?, high?, low?, close?, adj?];
        let volume = Ints::new(&batch, 7)?;
        let mut start = 0;
        while start < batch.num_rows() {
            let name = symbol.get(start).unwrap_or("");
            let end = (start + 1..batch.num_rows())
                .find(|&r| symbol.get(r).unwrap_or("") != name)
                .unwrap_or(batch.num_rows());
            let Some(&at) = position.get(name) else {
                start = end;
                continue;
            };
            let bars = &mut series[at];
            bars.reserve(end - start);
            for r in start..end {
                bars.push(Bar {
                    date: date_at(&date, r)?,
                    open: open.get(r),
                    high: high.get(r),
                    low: low.get(r),
                    close: close.get(r).unwrap_or_default(),
                    adj_close: adj.get(r),
                    volume: volume.get(r),
                });
            }
            start = end;
        }
    }
    // Unordered in SQL (sorting every row costs more than the read): rows come in runs of
    // one symbol in storage order; each series is put in date order here.
    Ok(symbols
        .iter()
        .zip(series)
        .filter(|(_, bars)| !bars.is_empty())
        .map(|(s, mut bars)| {
            // Stable: it finds the sorted runs storage order leaves and merges them.
            if !bars.is_sorted_by_key(|b| b.date) {
                bars.sort_by_key(|b| b.date);
            }
            (s.clone(), bars)
        })
        .collect())
}

/// How many runs are stored (for tests and `db-check`).
pub fn backtest_run_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM backtest_runs", [], |r| r.get(0))?)
}
