//! Stored backtest runs: one row in `backtest_runs` (parameters and metrics as JSON), the
//! daily equity curve with its drawdown, and the trade log.

use chrono::NaiveDate;
use duckdb::{params, Connection};

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

/// Each symbol's bars, as `domain::backtest::Universe::new` takes them.
pub type SymbolBars = Vec<(Symbol, Vec<Bar>)>;

/// Every bar of each symbol; symbols without a bar on or before `to` are returned apart, so
/// the caller can say they were left out.
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

pub fn backtest_bars(
    conn: &Connection,
    symbols: &[Symbol],
    to: NaiveDate,
) -> Result<(SymbolBars, Vec<Symbol>)> {
    let mut loaded = Vec::new();
    let mut left_out = Vec::new();
    for s in symbols {
        let bars = super::bars(conn, s)?;
        if bars.iter().all(|b| b.date > to) {
            left_out.push(s.clone());
        } else {
            loaded.push((s.clone(), bars));
        }
    }
    Ok((loaded, left_out))
}

/// How many runs are stored (for tests and `db-check`).
pub fn backtest_run_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM backtest_runs", [], |r| r.get(0))?)
}
