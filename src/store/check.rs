//! `db-check`: what the database holds and what is wrong with it.

use chrono::NaiveDate;
use duckdb::{params, Connection};
use serde::Serialize;

use super::{migrations, Result, Store};
use crate::domain::calendar;

/// Tables reported by `db-check`, in schema order.
pub const TABLES: &[&str] = &[
    "prices",
    "indicators",
    "holdings",
    "watchlist",
    "account_snapshots",
    "trading_signals",
    "rebalancing_recommendations",
    "backtest_runs",
    "backtest_equity",
    "backtest_trades",
];

/// Prices are stale when their last bar lags `as_of` by more than this many sessions.
pub const STALE_AFTER_TRADING_DAYS: u32 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: String,
    pub rows: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: String,
    pub symbol: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DbCheck {
    pub path: String,
    pub schema_version: u32,
    pub as_of: NaiveDate,
    pub tables: Vec<TableCount>,
    pub first_price_date: Option<NaiveDate>,
    pub last_price_date: Option<NaiveDate>,
    pub symbols: i64,
    pub problems: Vec<Problem>,
}

impl DbCheck {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Store {
    /// Inspects the database as of `as_of` (the day staleness is measured against).
    /// Whether every price comes from `source` and every holding's note is `note`: how the
    /// demo database is told from the user's (an empty database counts as such too).
    pub fn holds_only(&self, source: &str, note: &str) -> Result<bool> {
        let other_rows: i64 = self.conn().query_row(
            "SELECT (SELECT count(*) FROM prices WHERE source <> ?)
                  + (SELECT count(*) FROM holdings WHERE coalesce(notes, '') <> ?)",
            [source, note],
            |r| r.get(0),
        )?;
        Ok(other_rows == 0)
    }

    pub fn check(&self, as_of: NaiveDate) -> Result<DbCheck> {
        let conn = &self.conn;
        let mut tables = Vec::new();
        for table in TABLES {
            // Table names come from the constant list above, never from input.
            let rows = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                r.get::<_, i64>(0)
            })?;
            tables.push(TableCount {
                table: table.to_string(),
                rows,
            });
        }
        let (first_price_date, last_price_date, symbols) = conn.query_row(
            "SELECT min(date), max(date), count(DISTINCT symbol) FROM prices",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(DbCheck {
            path: self.path.display().to_string(),
            schema_version: migrations::current_version(conn)?,
            as_of,
            tables,
            first_price_date,
            last_price_date,
            symbols,
            problems: problems(conn, as_of)?,
        })
    }
}

fn problems(conn: &Connection, as_of: NaiveDate) -> Result<Vec<Problem>> {
    let mut found = Vec::new();
    found.extend(query_problems(
        conn,
        "missing prices",
        "SELECT symbol, 'held but has no prices' FROM holdings
         WHERE symbol NOT IN (SELECT DISTINCT symbol FROM prices)
         UNION ALL
         SELECT symbol, 'on the watchlist but has no prices' FROM watchlist
         WHERE symbol NOT IN (SELECT DISTINCT symbol FROM prices)
         ORDER BY 1",
    )?);
    for (symbol, last) in super::prices::last_dates(conn)? {
        let behind = calendar::trading_days_between(last, as_of);
        if behind > STALE_AFTER_TRADING_DAYS {
            found.push(Problem {
                kind: "stale prices".into(),
                symbol,
                detail: format!("last bar {last} is {behind} trading days before {as_of}"),
            });
        }
    }
    found.extend(query_problems(
        conn,
        "non-positive price",
        "SELECT symbol, date::VARCHAR || ': a price is zero or negative' FROM prices
         WHERE open <= 0 OR high <= 0 OR low <= 0 OR close <= 0 OR adj_close <= 0
         ORDER BY symbol, date",
    )?);
    found.extend(query_problems(
        conn,
        "high below low",
        "SELECT symbol, date::VARCHAR || ': high ' || high::VARCHAR || ' < low ' || low::VARCHAR
         FROM prices WHERE high < low ORDER BY symbol, date",
    )?);
    found.extend(query_problems(
        conn,
        "duplicate bar",
        "SELECT symbol, date::VARCHAR || ': same open, high, low, close and volume as ' || prev::VARCHAR
         FROM (
            SELECT symbol, date, lag(date) OVER w AS prev,
                   (open, high, low, close, volume) IS NOT DISTINCT FROM
                   lag((open, high, low, close, volume)) OVER w AS same
            FROM prices WINDOW w AS (PARTITION BY symbol ORDER BY date)
         ) WHERE same AND prev IS NOT NULL ORDER BY symbol, date",
    )?);
    Ok(found)
}

fn query_problems(conn: &Connection, kind: &str, sql: &str) -> Result<Vec<Problem>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params![], |r| {
        Ok(Problem {
            kind: kind.to_string(),
            symbol: r.get(0)?,
            detail: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
