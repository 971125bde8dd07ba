//! Holdings, the watchlist and account balance snapshots.

use chrono::NaiveDate;
use duckdb::{params, Connection, OptionalExt};
use rust_decimal::Decimal;

use super::{Result, Store, StoreError};
use crate::domain::portfolio::{AccountBalance, Holding, WatchItem};
use crate::domain::symbol::Symbol;

fn symbol_from(raw: String) -> Result<Symbol> {
    Symbol::parse(&raw).map_err(|e| StoreError::Invalid(format!("stored symbol: {e}")))
}

pub fn holdings(conn: &Connection) -> Result<Vec<Holding>> {
    let mut stmt = conn.prepare(
        "SELECT symbol, quantity, avg_cost, opened, notes FROM holdings ORDER BY symbol",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Decimal>(1)?,
            r.get::<_, Decimal>(2)?,
            r.get::<_, Option<NaiveDate>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    rows.map(|row| {
        let (symbol, quantity, avg_cost, opened, notes) = row?;
        Ok(Holding {
            symbol: symbol_from(symbol)?,
            quantity: quantity.normalize(),
            avg_cost: avg_cost.normalize(),
            opened,
            notes,
        })
    })
    .collect()
}

/// Adds the holding, or replaces the one with the same symbol.
pub fn upsert_holding(conn: &Connection, h: &Holding) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO holdings (symbol, quantity, avg_cost, opened, notes)
         VALUES (?, ?, ?, ?, ?)",
        params![h.symbol.as_str(), h.quantity, h.avg_cost, h.opened, h.notes],
    )?;
    Ok(())
}

/// Returns whether a holding was removed.
pub fn remove_holding(conn: &Connection, symbol: &Symbol) -> Result<bool> {
    Ok(conn.execute("DELETE FROM holdings WHERE symbol = ?", [symbol.as_str()])? > 0)
}

pub fn clear_holdings(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM holdings", [])?;
    Ok(())
}

pub fn watchlist(conn: &Connection) -> Result<Vec<WatchItem>> {
    let mut stmt = conn.prepare("SELECT symbol, added, notes FROM watchlist ORDER BY symbol")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, NaiveDate>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (symbol, added, notes) = row?;
        Ok(WatchItem {
            symbol: symbol_from(symbol)?,
            added,
            notes,
        })
    })
    .collect()
}

/// Adds a symbol to the watchlist; an existing entry keeps its date and gets the new notes.
pub fn add_watch(conn: &Connection, item: &WatchItem) -> Result<()> {
    conn.execute(
        "INSERT INTO watchlist (symbol, added, notes) VALUES (?, ?, ?)
         ON CONFLICT (symbol) DO UPDATE SET notes = excluded.notes",
        params![item.symbol.as_str(), item.added, item.notes],
    )?;
    Ok(())
}

pub fn remove_watch(conn: &Connection, symbol: &Symbol) -> Result<bool> {
    Ok(conn.execute("DELETE FROM watchlist WHERE symbol = ?", [symbol.as_str()])? > 0)
}

/// Records balances for a day; a second record on the same day replaces the first.
pub fn record_balance(conn: &Connection, b: &AccountBalance) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO account_snapshots (as_of, cash, margin_available, margin_used, notes)
         VALUES (?, ?, ?, ?, ?)",
        params![b.as_of, b.cash, b.margin_available, b.margin_used, b.notes],
    )?;
    Ok(())
}

pub fn latest_balance(conn: &Connection) -> Result<Option<AccountBalance>> {
    Ok(conn
        .query_row(
            "SELECT as_of, cash, margin_available, margin_used, notes
             FROM account_snapshots ORDER BY as_of DESC LIMIT 1",
            [],
            balance_from_row,
        )
        .optional()?)
}

/// The balances a check dated `day` may know: the last recorded on or before it.
pub fn balance_on_or_before(conn: &Connection, day: NaiveDate) -> Result<Option<AccountBalance>> {
    Ok(conn
        .query_row(
            "SELECT as_of, cash, margin_available, margin_used, notes
             FROM account_snapshots WHERE as_of <= ? ORDER BY as_of DESC LIMIT 1",
            [day],
            balance_from_row,
        )
        .optional()?)
}

pub fn balance_history(conn: &Connection) -> Result<Vec<AccountBalance>> {
    let mut stmt = conn.prepare(
        "SELECT as_of, cash, margin_available, margin_used, notes
         FROM account_snapshots ORDER BY as_of",
    )?;
    let rows = stmt.query_map([], balance_from_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

fn balance_from_row(r: &duckdb::Row<'_>) -> duckdb::Result<AccountBalance> {
    Ok(AccountBalance {
        as_of: r.get(0)?,
        cash: r.get::<_, Decimal>(1)?,
        margin_available: r.get::<_, Decimal>(2)?,
        margin_used: r.get::<_, Decimal>(3)?,
        notes: r.get(4)?,
    })
}

impl Store {
    pub fn holdings(&self) -> Result<Vec<Holding>> {
        holdings(&self.conn)
    }

    pub fn upsert_holding(&self, h: &Holding) -> Result<()> {
        upsert_holding(&self.conn, h)
    }

    pub fn remove_holding(&self, symbol: &Symbol) -> Result<bool> {
        remove_holding(&self.conn, symbol)
    }

    pub fn watchlist(&self) -> Result<Vec<WatchItem>> {
        watchlist(&self.conn)
    }

    pub fn add_watch(&self, item: &WatchItem) -> Result<()> {
        add_watch(&self.conn, item)
    }

    pub fn remove_watch(&self, symbol: &Symbol) -> Result<bool> {
        remove_watch(&self.conn, symbol)
    }

    pub fn record_balance(&self, b: &AccountBalance) -> Result<()> {
        record_balance(&self.conn, b)
    }

    pub fn latest_balance(&self) -> Result<Option<AccountBalance>> {
        latest_balance(&self.conn)
    }

    pub fn balance_on_or_before(&self, day: NaiveDate) -> Result<Option<AccountBalance>> {
        balance_on_or_before(&self.conn, day)
    }

    pub fn balance_history(&self) -> Result<Vec<AccountBalance>> {
        balance_history(&self.conn)
    }
}
