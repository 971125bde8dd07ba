//! A run's equity curve and trade log written through a staged CSV file (`csv_load`):
//! duckdb-rs's Appender hands every `Decimal` over as a DuckDB value it then casts, ~1 µs
//! each, and a 500-symbol run of all four strategies has ~150,000 of them (issue 18).
//!
//! Exact both ways: a decimal is written with all its digits and only when its column keeps
//! them all (else `None`, and the caller appends the rows as before, letting DuckDB round as
//! it always did); drawdowns as the shortest text of their bits; text quoted, quotes doubled.

use std::io::Write;

use duckdb::{params, Connection};
use rust_decimal::Decimal;

use super::csv_load::{self, TempCsv};
use super::Result;
use crate::domain::backtest::{EquityPoint, Trade};

/// `v` as CSV text when its column (`scale` decimals) keeps every digit it has.
fn exact(out: &mut Vec<u8>, v: Decimal, scale: u32) -> Option<()> {
    (v.scale() <= scale || v.normalize().scale() <= scale).then(|| {
        let _ = write!(out, "{v}");
    })
}

/// `text` quoted, its quotes doubled (DuckDB's default escape).
fn quoted(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
    out.push(b'"');
}

/// The equity rows of run `id` with their drawdowns, `None` if a value has more decimals
/// than its column.
fn equity_csv(id: i64, equity: &[EquityPoint], drawdowns: &[f64]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(equity.len() * 72);
    for (p, dd) in equity.iter().zip(drawdowns) {
        let _ = write!(out, "{id},{},", p.date);
        for v in [p.cash, p.positions_value, p.debt, p.equity, p.benchmark] {
            exact(&mut out, v, 2)?;
            out.push(b',');
        }
        // A drawdown that is not a number is kept as such by the appender, not as NULL.
        if !dd.is_finite() {
            return None;
        }
        csv_load::double(&mut out, Some(*dd));
        out.push(b'\n');
    }
    Some(out)
}

/// The trade rows of run `id`, numbered from 1, `None` as for [`equity_csv`].
fn trades_csv(id: i64, trades: &[Trade]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(trades.len() * 96);
    for (seq, t) in trades.iter().enumerate() {
        let _ = write!(out, "{id},{},{},", seq + 1, t.date);
        quoted(&mut out, t.symbol.as_str());
        out.push(b',');
        quoted(&mut out, t.side.as_str());
        out.push(b',');
        exact(&mut out, t.quantity, 4)?;
        out.push(b',');
        exact(&mut out, t.price, 4)?;
        out.push(b',');
        exact(&mut out, t.commission, 2)?;
        out.push(b',');
        quoted(&mut out, &t.reason);
        out.push(b',');
        if let Some(pnl) = t.pnl {
            exact(&mut out, pnl, 2)?;
        }
        out.push(b'\n');
    }
    Some(out)
}

const EQUITY_COLUMNS: &str = "'run_id': 'INTEGER', 'date': 'DATE', 'cash': 'DECIMAL(18,2)', \
     'positions_value': 'DECIMAL(18,2)', 'debt': 'DECIMAL(18,2)', 'equity': 'DECIMAL(18,2)', \
     'benchmark_value': 'DECIMAL(18,2)', 'drawdown_pct': 'DOUBLE'";
const TRADE_COLUMNS: &str = "'run_id': 'INTEGER', 'seq': 'INTEGER', 'date': 'DATE', \
     'symbol': 'VARCHAR', 'side': 'VARCHAR', 'quantity': 'DECIMAL(18,4)', \
     'price': 'DECIMAL(18,4)', 'commission': 'DECIMAL(18,2)', 'reason': 'VARCHAR', \
     'pnl': 'DECIMAL(18,2)'";

/// The equity curves and trade logs of several runs, staged to be inserted together: each
/// `read_csv` insert costs several milliseconds however few its rows, so the runs of one
/// backtest share one per table instead of having two each (issue 18).
#[derive(Debug, Default)]
pub(super) struct StagedRows {
    equity: Vec<Vec<u8>>,
    trades: Vec<Vec<u8>>,
}

impl StagedRows {
    /// Stages run `id`'s rows; `false`, with nothing staged, when a value has more decimals
    /// than its column.
    pub(super) fn stage(
        &mut self,
        id: i64,
        equity: &[EquityPoint],
        drawdowns: &[f64],
        trades: &[Trade],
    ) -> bool {
        let (Some(equity), Some(trades)) =
            (equity_csv(id, equity, drawdowns), trades_csv(id, trades))
        else {
            return false;
        };
        self.equity.push(equity);
        self.trades.push(trades);
        true
    }

    /// Inserts every staged row in the caller's transaction, in the order staged, and empties
    /// the stage.
    pub(super) fn insert(&mut self, conn: &Connection) -> Result<()> {
        for (table, runs, columns) in [
            (
                "backtest_equity",
                std::mem::take(&mut self.equity),
                EQUITY_COLUMNS,
            ),
            (
                "backtest_trades",
                std::mem::take(&mut self.trades),
                TRADE_COLUMNS,
            ),
        ] {
            if runs.iter().all(Vec::is_empty) {
                continue;
            }
            let csv = TempCsv::write(&runs)?;
            // A quoted empty reason is an empty text, as the appender stored it, not NULL.
            let read = csv_load::read_csv_sql(columns)
                .replace("nullstr = ''", "nullstr = '', allow_quoted_nulls = false");
            conn.execute(
                &format!("INSERT INTO {table} SELECT * FROM {read}"),
                [csv.path()?],
            )?;
        }
        Ok(())
    }
}

/// The rows appended one by one, as every run was saved before (for values [`StagedRows`]
/// cannot write exactly).
pub(super) fn append_rows(
    conn: &Connection,
    id: i64,
    equity: &[EquityPoint],
    drawdowns: &[f64],
    trades: &[Trade],
) -> Result<()> {
    let mut appender = conn.appender("backtest_equity")?;
    for (p, &dd) in equity.iter().zip(drawdowns) {
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
    for (seq, t) in trades.iter().enumerate() {
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::backtest::Side;
    use crate::domain::symbol::Symbol;
    use crate::store::Store;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn point(d: u32, cash: Decimal, equity: Decimal) -> EquityPoint {
        EquityPoint {
            date: day(d),
            cash,
            positions_value: equity - cash,
            debt: Decimal::ZERO,
            equity,
            benchmark: dec!(30000.00),
        }
    }

    fn trade(d: u32, side: Side, price: Decimal, reason: &str, pnl: Option<Decimal>) -> Trade {
        Trade {
            date: day(d),
            symbol: Symbol::parse("BRK-B").unwrap(),
            side,
            quantity: dec!(12),
            price,
            commission: dec!(1.00),
            reason: reason.into(),
            pnl,
            hold_days: None,
        }
    }

    /// Stages run `id` alone and inserts it; whether it could be staged.
    fn insert_rows(
        conn: &Connection,
        id: i64,
        equity: &[EquityPoint],
        drawdowns: &[f64],
        trades: &[Trade],
    ) -> Result<bool> {
        let mut staged = StagedRows::default();
        if !staged.stage(id, equity, drawdowns, trades) {
            return Ok(false);
        }
        staged.insert(conn)?;
        Ok(true)
    }

    fn stored(store: &Store) -> Vec<String> {
        let conn = store.conn();
        let mut rows = Vec::new();
        for sql in [
            "SELECT * FROM backtest_equity ORDER BY run_id, date",
            "SELECT * FROM backtest_trades ORDER BY run_id, seq",
        ] {
            let mut stmt = conn
                .prepare(&format!("SELECT CAST(t AS VARCHAR) FROM ({sql}) t"))
                .unwrap();
            let got = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
            rows.extend(got.map(|r| r.unwrap()));
        }
        rows
    }

    /// The staged CSV stores what the appender stored, value for value: money with trailing
    /// zeros and whole, a reason with a comma and quotes, an empty reason, no P&L, a loss.
    #[test]
    fn the_staged_rows_are_the_appended_rows() {
        let equity = [
            point(2, dec!(30000.00), dec!(30000.00)),
            point(3, dec!(1234.5), dec!(30123.450000)),
            point(4, dec!(0), dec!(29999.99)),
        ];
        let drawdowns = [0.0, 0.1 + 0.2, 1e-7];
        let trades = [
            trade(
                3,
                Side::Buy,
                dec!(49.9950),
                "opportunity: strength 72, \"band\" bound",
                None,
            ),
            trade(4, Side::Sell, dec!(50.1), "", Some(dec!(-12.34))),
        ];
        let (mut staged, mut appended) = (
            Store::open_in_memory().unwrap(),
            Store::open_in_memory().unwrap(),
        );
        let wrote = staged
            .in_transaction(|tx| insert_rows(tx, 7, &equity, &drawdowns, &trades))
            .unwrap();
        assert!(wrote);
        appended
            .in_transaction(|tx| append_rows(tx, 7, &equity, &drawdowns, &trades))
            .unwrap();
        let rows = stored(&staged);
        assert_eq!(rows, stored(&appended));
        assert_eq!(rows.len(), 5);
        assert!(rows[3].contains("\"band\" bound"), "{}", rows[3]);
    }

    /// Runs staged together are stored as each alone, in the order staged (`rowid` order), and
    /// the stage is empty after: a second insert writes nothing.
    #[test]
    fn runs_staged_together_are_stored_in_their_order() {
        let first = [point(2, dec!(30000.00), dec!(30000.00))];
        let second = [
            point(2, dec!(100.00), dec!(30000.00)),
            point(3, dec!(99.5), dec!(30001.25)),
        ];
        let trades = [trade(3, Side::Buy, dec!(49.9950), "x", None)];
        let (mut together, mut alone) = (
            Store::open_in_memory().unwrap(),
            Store::open_in_memory().unwrap(),
        );
        together
            .in_transaction(|tx| {
                let mut staged = StagedRows::default();
                assert!(staged.stage(8, &second, &[0.0, 0.5], &trades));
                assert!(staged.stage(3, &first, &[0.0], &[]));
                staged.insert(tx)?;
                staged.insert(tx)
            })
            .unwrap();
        alone
            .in_transaction(|tx| {
                append_rows(tx, 8, &second, &[0.0, 0.5], &trades)?;
                append_rows(tx, 3, &first, &[0.0], &[])
            })
            .unwrap();
        assert_eq!(stored(&together), stored(&alone));
        let in_rowid_order = |store: &Store| -> Vec<(i64, String)> {
            let conn = store.conn();
            let mut stmt = conn
                .prepare("SELECT run_id, CAST(date AS VARCHAR) FROM backtest_equity ORDER BY rowid")
                .unwrap();
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            rows.map(|r| r.unwrap()).collect()
        };
        let order = in_rowid_order(&together);
        assert_eq!(
            order,
            [(8, "2026-03-02"), (8, "2026-03-03"), (3, "2026-03-02")]
                .map(|(id, d)| (id, d.to_string()))
        );
        assert_eq!(order, in_rowid_order(&alone));
    }

    /// A value its column would round (a price to six decimals in a four-decimal column) is
    /// not staged: the caller appends, and DuckDB rounds it as it always did.
    #[test]
    fn values_finer_than_their_columns_are_not_staged() {
        let equity = [point(2, dec!(30000.00), dec!(30000.00))];
        let fine = [trade(3, Side::Buy, dec!(49.995012), "x", None)];
        let mut store = Store::open_in_memory().unwrap();
        let wrote = store
            .in_transaction(|tx| insert_rows(tx, 1, &equity, &[0.0], &fine))
            .unwrap();
        assert!(!wrote);
        assert!(stored(&store).is_empty());
        let nan = store
            .in_transaction(|tx| insert_rows(tx, 1, &equity, &[f64::NAN], &[]))
            .unwrap();
        assert!(!nan);
    }
}
