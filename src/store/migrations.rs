//! Schema migrations, embedded in the binary and applied in order, each in its own
//! transaction and recorded in `schema_migrations`.

use duckdb::{params, Connection};

use super::Result;

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../../migrations/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "journal",
        sql: include_str!("../../migrations/0002_journal.sql"),
    },
    Migration {
        version: 3,
        name: "backtest",
        sql: include_str!("../../migrations/0003_backtest.sql"),
    },
    Migration {
        version: 4,
        name: "meta",
        sql: include_str!("../../migrations/0004_meta.sql"),
    },
    Migration {
        version: 5,
        name: "ledger",
        // The opening part is also what the demo runs after writing its holdings.
        sql: concat!(
            include_str!("../../migrations/0005_ledger.sql"),
            include_str!("../../migrations/0005_ledger_opening.sql")
        ),
    },
    Migration {
        version: 6,
        name: "provisional",
        sql: include_str!("../../migrations/0006_provisional.sql"),
    },
    Migration {
        version: 7,
        name: "raw_prices",
        sql: include_str!("../../migrations/0007_raw_prices.sql"),
    },
    Migration {
        version: 8,
        name: "price_digits",
        sql: include_str!("../../migrations/0008_price_digits.sql"),
    },
];

pub const LATEST_VERSION: u32 = 8;

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        VARCHAR NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
)";

/// The highest applied version; 0 for a database without the ledger.
pub fn current_version(conn: &Connection) -> Result<u32> {
    // The ledger is read straight away: asking the catalog first (`duckdb_tables()`) cost
    // 22–30 ms on a connection's first use, at every start (issue 18). Only a file without
    // a readable ledger pays for the catalog's answer, which tells "no ledger" (version 0)
    // from a ledger that failed to read.
    let read = conn.query_row("SELECT max(version) FROM schema_migrations", [], |r| {
        r.get::<_, Option<i64>>(0)
    });
    match read {
        Ok(version) => Ok(version.unwrap_or(0).max(0) as u32),
        Err(e) if has_ledger(conn)? => Err(e.into()),
        Err(_) => Ok(0),
    }
}

fn has_ledger(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = 'schema_migrations'",
        [],
        |r| r.get(0),
    )?)
}

/// Applies every migration above the current version up to `target`; returns the versions
/// applied.
pub fn apply_migrations_up_to(conn: &mut Connection, target: u32) -> Result<Vec<u32>> {
    conn.execute_batch(CREATE_LEDGER)?;
    let current = current_version(conn)?;
    let pending: Vec<&Migration> = MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
        .collect();
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    // All in one transaction: a file is upgraded to `target` or left as it was (and the copy
    // made before an upgrade is of that state), and a new file pays one commit, not eight.
    let tx = conn.transaction()?;
    for migration in &pending {
        tx.execute_batch(migration.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
            params![migration.version, migration.name],
        )?;
    }
    tx.commit()?;
    for migration in &pending {
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied migration"
        );
    }
    Ok(pending.iter().map(|m| m.version).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_and_latest_matches() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.name);
        }
        assert_eq!(MIGRATIONS.last().unwrap().version, LATEST_VERSION);
    }
}
