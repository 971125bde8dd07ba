//! DuckDB storage. SQL lives here and nowhere else; every function converts rows to domain
//! types and back, with parameters bound, never formatted into SQL.

mod attach;
mod backtest;
mod backtest_rows;
mod bulk_import;
mod check;
mod csv_load;
mod indicators;
mod journal;
mod ledger;
mod ledger_read;
mod market;
mod meta;
mod migrations;
mod portfolio;
mod prices;
mod provisional;
mod reads;
mod recommendations;
mod safety;
mod shared;

pub use safety::wal_of;
pub use shared::SharedStore;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use duckdb::Connection;

pub use backtest::{
    backtest_bar_counts, backtest_row_splits, backtest_run_count, backtest_scan,
    save_backtest_report, save_backtest_run, BarBatch,
};
pub use bulk_import::{import_bars, upsert_files, BulkUpsert};
pub use check::{DbCheck, Problem, TableCount, STALE_AFTER_TRADING_DAYS};
pub use indicators::{indicators_since, recompute_indicators};
pub use journal::{
    hide_signal, insert_signal, pending_signals, record_verdicts, signal, signals, signals_on,
    swap_leg, update_signal_progress,
};
pub use ledger::{
    delete_transaction, insert_transaction, link_signal, open_ledger_from_holdings, sync_holdings,
    transaction, transactions_of_signal,
};
pub use ledger_read::{adjustment_moves, ledger_closes, transactions};
pub use market::{last_bar_on_or_before, load_snapshot, load_snapshot_windows, splits_after};
pub use meta::{mark_demo, Ownership};
pub use migrations::{apply_migrations_up_to, LATEST_VERSION, MIGRATIONS};
pub use portfolio::{
    add_watch, balance_on_or_before, clear_holdings, holdings, latest_balance, record_balance,
    remove_holding, remove_watch, upsert_holding,
};
pub use prices::{
    append_bars, bars, bars_since, last_dates, replace_bars, upsert_bars, UpsertCounts,
};
pub use provisional::{drop_provisional_through, provisional_on, store_quote, Stored};
pub use recommendations::{
    is_executed, mark_swap_executed, pending_follow_ups, record_swaps, set_actual_improvement,
    stored_swap, stored_swap_id, stored_swaps, PendingFollowUp, Recorded, StoredSwap,
    MORNING_SOURCE,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", locked_message(path, holder.as_deref()))]
    Locked {
        path: PathBuf,
        /// The process DuckDB names as holding the file ("/usr/bin/ducklens (PID 4242)"),
        /// when another process holds it.
        holder: Option<String>,
    },
    #[error(
        "{path} has schema version {found}, newer than this DuckLens understands ({supported}); \
         upgrade DuckLens. The file was not modified"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("cannot open {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error(
        "{path} is damaged or is not a DuckDB database ({message}); nothing was written to it. \
         Restore it from a copy (an upgrade leaves NAME.before-vN beside it) or choose another --db"
    )]
    Damaged { path: PathBuf, message: String },
    #[error(
        "{path} is a DuckDB database of another program (tables: {tables}); DuckLens does not \
         change it. Choose another --db"
    )]
    Foreign { path: PathBuf, tables: String },
    #[error("database error: {0}")]
    Db(#[from] duckdb::Error),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Paths this process holds open. DuckDB's file lock is per process, so a second handle in
/// the same process would not be refused by the lock; this registry refuses it instead.
static OPEN_PATHS: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

pub struct Store {
    conn: Connection,
    path: PathBuf,
    registered: Option<PathBuf>,
    /// Where the file was copied before this open upgraded its schema.
    upgrade_backup: Option<PathBuf>,
}

impl Store {
    /// Opens or creates the database at `path` and brings its schema up to date.
    ///
    /// A newer schema is detected through a read-only handle first, so such a file is never
    /// written to, not even by a checkpoint on close.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_up_to(path, LATEST_VERSION)
    }

    /// Like [`Store::open`] but stops at schema `version`; used to build old databases in tests.
    pub fn open_up_to(path: &Path, version: u32) -> Result<Store> {
        let registered = register(path)?;
        let result = retry_while_busy(|| Self::open_registered(path, version));
        if result.is_err() {
            unregister(&registered);
        }
        let (conn, upgrade_backup) = result?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            registered: Some(registered),
            upgrade_backup,
        })
    }

    /// Opens a file this process opened (and checked) before, without the checks of a first
    /// open: the app's worker reopens its file for every command. A file whose schema is no
    /// longer the current one (replaced meanwhile) gets the full [`Store::open`].
    pub fn reopen(path: &Path) -> Result<Store> {
        let registered = register(path)?;
        let conn = retry_while_busy(|| Connection::open(path).map_err(|e| open_error(path, e)));
        let conn = match conn {
            Ok(conn) => conn,
            Err(e) => {
                unregister(&registered);
                return Err(e);
            }
        };
        let current = migrations::current_version(&conn).unwrap_or(0);
        if current != LATEST_VERSION {
            drop(conn);
            unregister(&registered);
            return Store::open(path);
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            registered: Some(registered),
            upgrade_backup: None,
        })
    }

    /// Inspects an existing file through a read-only handle before anything may write to
    /// it: refused when it is not a regular file, damaged, newer, or another program's
    /// database; copied beside itself when a migration is about to change it.
    fn open_registered(path: &Path, version: u32) -> Result<(Connection, Option<PathBuf>)> {
        let mut upgrade_backup = None;
        let mut current = false;
        let mut conn = attach::instance_for(path).map_err(|e| open_error(path, e))?;
        if let Some(found) = safety::inspect_existing(&conn, path)? {
            current = found == version;
            if found > LATEST_VERSION {
                return Err(StoreError::NewerSchema {
                    path: path.to_path_buf(),
                    found,
                    supported: LATEST_VERSION,
                });
            }
            if found > 0 && found < version {
                upgrade_backup = Some(safety::copy_before_upgrade(path, version)?);
            }
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                message: format!("cannot create folder {}: {e}", parent.display()),
            })?;
        }
        attach::attach(&conn, path, false).map_err(|e| open_error(path, e))?;
        // A file found at the wanted version has nothing to apply (the check costs ~15 ms).
        if !current {
            apply_migrations_up_to(&mut conn, version)?;
        }
        if let Some(copy) = &upgrade_backup {
            tracing::info!(path = %path.display(), copy = %copy.display(), "schema upgraded");
        }
        Ok((conn, upgrade_backup))
    }

    /// The copy made before this open upgraded the schema, if it did.
    pub fn upgrade_backup(&self) -> Option<&Path> {
        self.upgrade_backup.as_deref()
    }

    /// An in-memory database with the full schema, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        apply_migrations_up_to(&mut conn, LATEST_VERSION)?;
        Ok(Store {
            conn,
            path: PathBuf::from(":memory:"),
            registered: None,
            upgrade_backup: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_in_memory(&self) -> bool {
        self.registered.is_none()
    }

    pub fn schema_version(&self) -> Result<u32> {
        migrations::current_version(&self.conn)
    }

    /// Runs `work` in one transaction: all of it is written or none of it.
    pub fn in_transaction<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let value = work(&tx)?;
        let t = std::time::Instant::now();
        tx.commit()?;
        tracing::trace!(elapsed = ?t.elapsed(), "store: commit");
        Ok(value)
    }

    /// Like [`Store::in_transaction`] for work whose errors are not the store's own (an
    /// operation's refusals): an error rolls everything back.
    pub fn transaction<T, E: From<StoreError>>(
        &mut self,
        work: impl FnOnce(&Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let value = work(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}

impl Store {
    /// The connection, for the store's own modules only: callers use methods, or the
    /// connection of a transaction they were handed.
    pub(in crate::store) fn conn(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(key) = self.registered.take() {
            unregister(&key);
        }
    }
}

/// How long an open waits for another process to let go of the file, and how often it
/// looks: a `ducklens fetch` or the app's worker holds the file for one command, not for a
/// session, and the app leaves a gap between its commands (see `SharedStore`) that a
/// frequent look finds; growing waits would keep missing it.
// 5 s, not 2: on a loaded machine (load 5, two builds running) the app's reload of the demo
// after a save held the file for over 2 s, and a `signals record` from another terminal
// failed although the app was only busy, not stuck.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
const BUSY_POLL: std::time::Duration = std::time::Duration::from_millis(10);

/// Runs `open` again while another process holds the file, for up to [`BUSY_WAIT`].
/// Symbols as one bound `VARCHAR[]` parameter (`list_contains(?::VARCHAR[], symbol)`).
fn symbol_list<'a>(
    symbols: impl IntoIterator<Item = &'a crate::domain::symbol::Symbol>,
) -> duckdb::types::Value {
    use duckdb::types::Value;
    Value::List(
        symbols
            .into_iter()
            .map(|s| Value::Text(s.as_str().to_string()))
            .collect(),
    )
}

fn retry_while_busy<T>(mut open: impl FnMut() -> Result<T>) -> Result<T> {
    let started = std::time::Instant::now();
    loop {
        match open() {
            Err(StoreError::Locked {
                holder: Some(holder),
                path,
            }) if started.elapsed() < BUSY_WAIT => {
                tracing::debug!(%holder, path = %path.display(), "database busy; retrying");
                std::thread::sleep(BUSY_POLL);
            }
            other => return other,
        }
    }
}

fn locked_message(path: &Path, holder: Option<&str>) -> String {
    match holder {
        Some(holder) => format!(
            "{} is busy: {holder} has held it for over 5 s; try again when it is done, or close it",
            path.display()
        ),
        None => format!(
            "{} is in use by another DuckLens (or another DuckDB program); close it and try again",
            path.display()
        ),
    }
}

/// The holder DuckDB names in its lock error: `… Conflicting lock is held in PROGRAM (PID N)
/// by user U. …` gives "PROGRAM (PID N)".
fn lock_holder(raw: &str) -> Option<String> {
    let rest = raw.split("Conflicting lock is held in ").nth(1)?;
    let end = rest.find(" by user").or_else(|| rest.find(". "))?;
    Some(rest[..end].trim().to_string()).filter(|h| !h.is_empty())
}

fn registry_key(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute.canonicalize().unwrap_or(absolute)
}

fn register(path: &Path) -> Result<PathBuf> {
    let key = registry_key(path);
    let mut guard = OPEN_PATHS.lock().unwrap_or_else(|e| e.into_inner());
    let set = guard.get_or_insert_with(HashSet::new);
    if !set.insert(key.clone()) {
        return Err(StoreError::Locked {
            path: path.to_path_buf(),
            holder: None,
        });
    }
    Ok(key)
}

fn unregister(key: &Path) {
    let mut guard = OPEN_PATHS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(set) = guard.as_mut() {
        set.remove(key);
    }
}

/// Turns DuckDB's open failures into one line a user can act on.
fn open_error(path: &Path, err: duckdb::Error) -> StoreError {
    let raw = err.to_string();
    if raw.contains("Could not set lock") || raw.contains("Conflicting lock") {
        return StoreError::Locked {
            path: path.to_path_buf(),
            // Unnamed, it is still another process: the registry refuses this one's own.
            holder: Some(lock_holder(&raw).unwrap_or_else(|| "another process".into())),
        };
    }
    let first_line = raw
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("unknown error")
        .to_string();
    if safety::looks_damaged(&raw) {
        return StoreError::Damaged {
            path: path.to_path_buf(),
            message: first_line,
        };
    }
    StoreError::Open {
        path: path.to_path_buf(),
        message: first_line,
    }
}

#[cfg(test)]
mod lock_tests {
    use super::*;

    #[test]
    fn the_holder_is_read_from_duckdbs_lock_error() {
        let raw = "IO Error: Could not set lock on file \"/d/x.duckdb\": Conflicting lock is held \
                   in /usr/local/bin/ducklens (PID 4242) by user ann. See also \
                   https://duckdb.org/docs/stable/connect/concurrency";
        assert_eq!(
            lock_holder(raw).as_deref(),
            Some("/usr/local/bin/ducklens (PID 4242)")
        );
        assert_eq!(lock_holder("IO Error: Could not set lock on file"), None);
        assert_eq!(
            locked_message(
                Path::new("/d/x.duckdb"),
                Some("/usr/local/bin/ducklens (PID 4242)")
            ),
            "/d/x.duckdb is busy: /usr/local/bin/ducklens (PID 4242) has held it for over 5 s; \
             try again when it is done, or close it"
        );
    }
}
