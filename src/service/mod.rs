//! What the command line and the app both do with the store: load the analysis inputs,
//! evaluate and summarise the journal, record a signal, prepare a backtest. Each takes the
//! [`Context`] and a `Store` and returns domain values; printing and drawing stay with the
//! caller (`cli` prints, `tui` renders).

pub mod analysis;
pub mod backtest;
pub mod fetch;
pub mod import;
pub mod intraday;
pub mod journal;
pub mod ledger;
pub mod ledger_entry;
pub mod live;
pub mod ops;
pub mod performance;
pub mod prices;
pub mod quotes;
pub mod record;
pub mod swap;
pub mod swap_review;

use std::path::PathBuf;

use chrono::NaiveDate;
use color_eyre::eyre::{Report, Result};

use crate::config::Config;
use crate::store::Store;
use ops::OpError;

/// A mistake the user can fix: exit code 1 and a one-line message.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

pub fn user_error(message: impl Into<String>) -> Report {
    Report::new(UserError(message.into()))
}

/// What every command and the app get: the resolved paths, the config and today's date.
#[derive(Clone)]
pub struct Context {
    pub db_path: PathBuf,
    pub db_flag: Option<PathBuf>,
    pub config: Config,
    pub today: NaiveDate,
}

impl Context {
    /// The date of a fact being recorded: today when not given. A day after today is a
    /// user error naming the field: nothing is recorded in the future.
    pub fn fact_date(&self, field: &str, given: Option<NaiveDate>) -> Result<NaiveDate, OpError> {
        let date = given.unwrap_or(self.today);
        match ops::future_date(date, self.today) {
            Some(problem) => Err(OpError::refused(format!("{field}: {problem}"))),
            None => Ok(date),
        }
    }

    /// Opens the database; when the open upgraded its schema, says on stderr where the
    /// copy of the old file is (before any screen is drawn).
    pub fn open_store(&self) -> Result<Store> {
        let store = Store::open(&self.db_path)?;
        announce_upgrade(&store);
        Ok(store)
    }
}

/// One line on stderr naming the copy an upgrade left beside the database.
pub fn announce_upgrade(store: &Store) {
    if let Some(copy) = store.upgrade_backup() {
        eprintln!(
            "note: {} was upgraded to schema version {}; the file as it was is kept at {}",
            store.path().display(),
            crate::store::LATEST_VERSION,
            copy.display()
        );
    }
}
