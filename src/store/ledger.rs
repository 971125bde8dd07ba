//! The `transactions` table, and the reads a replay needs: the ledger in order and the raw
//! closes of every symbol it names. Also keeps the `holdings` cache equal to the ledger.

use chrono::NaiveDate;
use duckdb::{params, Connection, OptionalExt};
use rust_decimal::Decimal;

use super::ledger_read::{ledger_closes, transactions};
use super::{Result, Store, StoreError};
use crate::domain::ledger::{LedgerState, PriceHistory, Split, Transaction};
use crate::domain::symbol::Symbol;

const COLUMNS: &str = "id, date, kind, symbol, quantity, price, amount, fees, split_to, \
                       split_from, notes, source, signal_id, recommendation_id";

fn invalid(what: &str, e: String) -> StoreError {
    StoreError::Invalid(format!("stored transaction {what}: {e}"))
}

type Row = (
    i64,
    NaiveDate,
    String,
    Option<String>,
    Option<Decimal>,
    Option<Decimal>,
    Decimal,
    Decimal,
    Option<i64>,
    Option<i64>,
    Option<String>,
    String,
    Option<i64>,
    Option<i64>,
);

fn read_row(r: &duckdb::Row<'_>) -> duckdb::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
    ))
}

fn from_row(row: Row) -> Result<Transaction> {
    let (id, date, kind, symbol, quantity, price, amount, fees, to, from, notes, source, sig, rec) =
        row;
    let split = match (to, from) {
        (Some(to), Some(from)) => Some(Split {
            to: u32::try_from(to).map_err(|e| invalid("split_to", e.to_string()))?,
            from: u32::try_from(from).map_err(|e| invalid("split_from", e.to_string()))?,
        }),
        _ => None,
    };
    Ok(Transaction {
        id,
        date,
        kind: kind.parse().map_err(|e| invalid("kind", e))?,
        symbol: symbol
            .map(|s| Symbol::parse(&s).map_err(|e| invalid("symbol", e.to_string())))
            .transpose()?,
        quantity: quantity.map(|q| q.normalize()),
        price: price.map(|p| p.normalize()),
        amount,
        fees,
        split,
        notes,
        source: source.parse().map_err(|e| invalid("source", e))?,
        signal_id: sig,
        recommendation_id: rec,
    })
}

pub fn transaction(conn: &Connection, id: i64) -> Result<Option<Transaction>> {
    let row = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM transactions WHERE id = ?"),
            [id],
            read_row,
        )
        .optional()?;
    row.map(from_row).transpose()
}

/// Stores `t` (its `id` ignored) and returns the id it got.
pub fn insert_transaction(conn: &Connection, t: &Transaction) -> Result<i64> {
    let id: i64 = conn.query_row(
        "INSERT INTO transactions (date, kind, symbol, quantity, price, amount, fees, split_to,
             split_from, notes, source, signal_id, recommendation_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        params![
            t.date,
            t.kind.as_str(),
            t.symbol.as_ref().map(Symbol::as_str),
            t.quantity,
            t.price,
            t.amount,
            t.fees,
            t.split.map(|s| s.to),
            t.split.map(|s| s.from),
            t.notes,
            t.source.as_str(),
            t.signal_id,
            t.recommendation_id,
        ],
        |r| r.get(0),
    )?;
    Ok(id)
}

pub fn delete_transaction(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM transactions WHERE id = ?", [id])? > 0)
}

/// The transactions linked to a journal signal, by date then id.
pub fn transactions_of_signal(conn: &Connection, signal_id: i64) -> Result<Vec<Transaction>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM transactions WHERE signal_id = ? ORDER BY date, id"
    ))?;
    let rows = stmt.query_map([signal_id], read_row)?;
    rows.map(|r| from_row(r?)).collect()
}

/// Rewrites the `holdings` cache to `state`'s positions: quantities and average costs from
/// the ledger; a row that stays keeps its opened date and notes, a new one is opened on its
/// first lot's date.
pub fn sync_holdings(conn: &Connection, state: &LedgerState) -> Result<()> {
    let held: Vec<String> = state
        .positions
        .keys()
        .map(|s| s.as_str().to_string())
        .collect();
    let mut stmt = conn.prepare("SELECT symbol FROM holdings")?;
    let stored: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    for gone in stored.iter().filter(|s| !held.contains(s)) {
        conn.execute("DELETE FROM holdings WHERE symbol = ?", [gone])?;
    }
    for p in state.positions.values() {
        conn.execute(
            "INSERT INTO holdings (symbol, quantity, avg_cost, opened) VALUES (?, ?, ?, ?)
             ON CONFLICT (symbol) DO UPDATE SET quantity = excluded.quantity,
                 avg_cost = excluded.avg_cost",
            params![p.symbol.as_str(), p.quantity(), p.avg_cost(), p.opened()],
        )?;
    }
    Ok(())
}

impl Store {
    pub fn transactions(&self) -> Result<Vec<Transaction>> {
        transactions(self.conn())
    }

    pub fn ledger_transaction(&self, id: i64) -> Result<Option<Transaction>> {
        transaction(self.conn(), id)
    }

    pub fn ledger_closes(&self, to: NaiveDate, extra: &[Symbol]) -> Result<PriceHistory> {
        ledger_closes(self.conn(), to, extra)
    }
}
