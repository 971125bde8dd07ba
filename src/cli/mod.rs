//! The command line: argument definitions and dispatch. Each command resolves paths and the
//! clock here, at the edge, and hands plain values to `store`, `market` and `report`.

mod args;
mod backtest;
mod check;
mod data;
mod demo;
mod fault;
mod fetch;
pub mod market;
mod signals;
mod size;
mod swap;

use chrono::NaiveDate;
use color_eyre::eyre::{Report, Result};

pub use args::{Cli, Command};
pub use demo::{build as build_demo, write as write_demo};

pub use crate::service::{user_error, Context, UserError};

use crate::config::{Config, ConfigError};
use crate::market::portfolio_file::ImportError;
use crate::paths;
use crate::store::StoreError;

/// 1 for errors the user can fix (bad input, locked or newer database, bad config, a full
/// disk or a folder they may not write to), else 2.
pub fn exit_code_for(report: &Report) -> u8 {
    if fault::storage_fault(report).is_some() {
        return 1;
    }
    // A value the database cannot hold (DECIMAL out of range) is the input's fault.
    let too_large = report.chain().any(|cause| {
        matches!(cause.downcast_ref::<StoreError>(), Some(StoreError::Db(e))
            if e.to_string().contains("out of range"))
    });
    if too_large {
        return 1;
    }
    let is_user = report.chain().any(|cause| {
        cause.is::<UserError>()
            || cause.is::<ImportError>()
            || cause.is::<ConfigError>()
            || matches!(
                cause.downcast_ref::<StoreError>(),
                Some(
                    StoreError::Locked { .. }
                        | StoreError::NewerSchema { .. }
                        | StoreError::Open { .. }
                        | StoreError::Damaged { .. }
                        | StoreError::Foreign { .. }
                        | StoreError::Invalid(_)
                )
            )
    });
    if is_user {
        1
    } else {
        2
    }
}

/// The one line shown for an error the user can fix (exit code 1).
pub fn user_line(report: &Report) -> String {
    if let Some(fault) = fault::storage_fault(report) {
        return fault::storage_line(report, fault);
    }
    // A database message carries the SQL after its first line.
    let text = report.to_string();
    let first = text.lines().next().unwrap_or_default();
    if first.contains("out of range") {
        format!("a value is too large to store, nothing was written ({first})")
    } else {
        first.to_string()
    }
}

/// The context from the command line: the config file and database path it names.
pub fn context_from_cli(cli: &Cli, today: NaiveDate) -> Result<Context> {
    let explicit = cli.config.is_some();
    let config_path = cli.config.clone().unwrap_or_else(paths::config_file);
    let config = Config::load(Some(&config_path), explicit)?;
    let db_path = paths::resolve_db(cli.db.clone(), std::env::var("DUCKLENS_DB").ok());
    Ok(Context {
        db_path,
        db_flag: cli.db.clone(),
        config,
        today,
    })
}

/// Runs a parsed command; the returned code is the process exit status.
pub fn run(cli: Cli, today: NaiveDate) -> Result<u8> {
    let ctx = context_from_cli(&cli, today)?;
    let Some(command) = cli.command else {
        return open_app(ctx, false);
    };
    match command {
        Command::Tui => open_app(ctx, false),
        Command::Demo(args) => demo::run(&ctx, args),
        Command::Import(args) => data::import(&ctx, args),
        Command::Indicators(a) => market::indicators(&ctx, &a.symbol, a.last, a.json),
        Command::Export(args) => data::export(&ctx, args),
        Command::Holding(args) => data::holding(&ctx, args),
        Command::Watch(args) => data::watch(&ctx, args),
        Command::Account(args) => data::account(&ctx, args),
        Command::MorningCheck(a) => check::morning(&ctx, a.as_of, a.json),
        Command::Intraday(a) => check::intraday(&ctx, a.as_of, a.json),
        Command::Size(a) => size::run(&ctx, a),
        Command::Signals(a) => signals::run(&ctx, a),
        Command::Swap(a) => swap::run(&ctx, a),
        Command::Backtest(a) => backtest::run(&ctx, a),
        Command::Fetch(a) => fetch::run(&ctx, &a.symbols, a.provider.map(Into::into), a.json),
        Command::DbCheck(args) => data::db_check(&ctx, args),
        Command::Config(args) => data::config(&ctx, args),
    }
}

/// The full-screen app needs a terminal; scripts get a pointer to the commands instead.
pub fn open_app(ctx: Context, demo: bool) -> Result<u8> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return Err(user_error(
            "the app needs a terminal; for scripts use a command such as `ducklens morning-check` (see --help)",
        ));
    }
    crate::tui::run(ctx, demo)?;
    Ok(0)
}
