//! `ducklens_meta`: facts about the file itself. The demo marks the files it builds, so that
//! it rebuilds only its own files and never a user's.

use duckdb::{params, Connection, OptionalExt};

use super::{Result, Store};

const DEMO_KEY: &str = "demo";

/// Tables that hold what a user enters or imports; a file with rows in none of them holds
/// nothing that could be lost.
const USER_TABLES: &[&str] = &[
    "prices",
    "holdings",
    "watchlist",
    "account_snapshots",
    "transactions",
    "trading_signals",
    "rebalancing_recommendations",
    "backtest_runs",
];

/// Marks the file as built by the demo (as of `as_of`); call inside the demo's transaction.
pub fn mark_demo(conn: &Connection, as_of: chrono::NaiveDate) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO ducklens_meta (key, value) VALUES (?, ?)",
        params![DEMO_KEY, as_of.to_string()],
    )?;
    Ok(())
}

/// Whose the file is, as far as the demo is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ownership {
    /// No row in any table a user writes to.
    Empty,
    /// Built by the demo (its mark, or every table carrying the demo's labels).
    Demo,
    /// Anything else: a user's data, which the demo must not replace. Names what was found.
    User(String),
}

impl Store {
    /// Decides from every table, never one: empty, the demo's own, or a user's.
    pub fn ownership(&self, demo_source: &str, demo_label: &str) -> Result<Ownership> {
        let conn = self.conn();
        let marked: Option<String> = conn
            .query_row(
                "SELECT value FROM ducklens_meta WHERE key = ?",
                [DEMO_KEY],
                |r| r.get(0),
            )
            .optional()?;
        if marked.is_some() {
            return Ok(Ownership::Demo);
        }
        let mut found = Vec::new();
        for table in USER_TABLES {
            // Table names come from the constant list above, never from input.
            let rows: i64 =
                conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            if rows > 0 {
                found.push(format!("{rows} {table} rows"));
            }
        }
        if found.is_empty() {
            return Ok(Ownership::Empty);
        }
        if self.is_unmarked_demo(demo_source, demo_label)? {
            return Ok(Ownership::Demo);
        }
        Ok(Ownership::User(found.join(", ")))
    }

    /// A demo built before the mark existed: demo prices, and every holding, watch symbol
    /// and balance labelled by the demo. Journal rows are not asked about: using the demo
    /// app records signals of its own.
    fn is_unmarked_demo(&self, source: &str, label: &str) -> Result<bool> {
        let (demo_prices, other_rows): (i64, i64) = self.conn().query_row(
            "SELECT (SELECT count(*) FROM prices WHERE source = ?1),
                    (SELECT count(*) FROM prices WHERE source <> ?1)
                  + (SELECT count(*) FROM holdings WHERE coalesce(notes, '') <> ?2)
                  + (SELECT count(*) FROM watchlist WHERE coalesce(notes, '') <> ?2)
                  + (SELECT count(*) FROM account_snapshots WHERE coalesce(notes, '') <> ?2)",
            params![source, label],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(demo_prices > 0 && other_rows == 0)
    }
}
