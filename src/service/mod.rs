//! What the command line and the app both do with the store: load the analysis inputs,
//! evaluate and summarise the journal, record a signal, prepare a backtest. Each takes the
//! [`Context`] and a `Store` and returns domain values; printing and drawing stay with the
//! caller (`cli` prints, `tui` renders).

pub mod analysis;
pub mod backtest;
pub mod journal;
pub mod record;

use std::path::PathBuf;

use chrono::NaiveDate;
use color_eyre::eyre::{Report, Result};

use crate::config::Config;
use crate::store::Store;

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
    pub fn open_store(&self) -> Result<Store> {
        Ok(Store::open(&self.db_path)?)
    }
}
