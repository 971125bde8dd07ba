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
    "transactions",
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

    /// Reads every row of every table, which makes DuckDB read and verify the checksum of
    /// every block in use: a file whose bytes were overwritten is reported as damaged.
    pub fn verify_blocks(&self) -> Result<()> {
        let conn = &self.conn;
        for table in TABLES.iter().chain(&["schema_migrations", "ducklens_meta"]) {
            // The whole row is hashed, so no column can be skipped by the scan.
            let sql = format!("SELECT count(*), max(hash(t)) FROM {table} t");
            conn.query_row(&sql, [], |r| r.get::<_, Option<u64>>(1))
                .map_err(|e| {
                    let raw = e.to_string();
                    if super::safety::looks_damaged(&raw) {
                        super::StoreError::Damaged {
                            path: self.path.clone(),
                            message: raw.lines().next().unwrap_or("unreadable").to_string(),
                        }
                    } else {
                        e.into()
                    }
                })?;
        }
        Ok(())
    }

    pub fn check(&self, as_of: NaiveDate) -> Result<DbCheck> {
        self.verify_blocks()?;
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
        "outside the day's range",
        "SELECT symbol, date::VARCHAR || ': ' ||
                CASE WHEN close < low OR close > high THEN 'close ' || close::VARCHAR
                     ELSE 'open ' || open::VARCHAR END
                || ' outside [' || low::VARCHAR || ', ' || high::VARCHAR || ']'
         FROM prices
         WHERE high >= low AND (close < low OR close > high OR open < low OR open > high)
         ORDER BY symbol, date",
    )?);
    found.extend(query_problems(
        conn,
        "future date",
        &format!(
            "SELECT symbol, date::VARCHAR || ': after {as_of}' FROM prices
             WHERE date > DATE '{as_of}' ORDER BY symbol, date"
        ),
    )?);
    // A move the adjusted close does not explain: the raw close moved by more than half
    // in a day while the adjustment factor stayed (a split changes the factor too).
    found.extend(query_problems(
        conn,
        "unexplained move",
        "SELECT symbol, date::VARCHAR || ': close ' || prev_close::VARCHAR || ' → '
                || close::VARCHAR || ' with no split in the adjusted close'
         FROM (
            SELECT symbol, date, close, lag(close) OVER w AS prev_close,
                   coalesce(adj_close, close) / close AS f,
                   lag(coalesce(adj_close, close) / close) OVER w AS prev_f
            FROM prices WHERE close > 0 WINDOW w AS (PARTITION BY symbol ORDER BY date)
         )
         WHERE prev_close > 0 AND abs(close / prev_close - 1) > 0.5
           AND abs(f / prev_f - 1) < 0.2
         ORDER BY symbol, date",
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
