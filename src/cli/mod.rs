//! The command line: argument definitions and dispatch. Each command resolves paths and the
//! clock here, at the edge, and hands plain values to `store`, `market` and `report`.

mod args;
mod backtest;
mod check;
mod data;
mod demo;
mod fault;
mod fetch;
mod ledger;
pub mod market;
mod performance;
mod signals;
mod size;
mod swap;

use chrono::NaiveDate;
use color_eyre::eyre::{Report, Result};

pub use args::{Cli, Command};
pub use demo::{build as build_demo, write as write_demo};

pub use crate::service::{user_error, Context, UserError};

use crate::config::Config;
use crate::paths;
use crate::service::ops::{self, report_is_user, Applied, Op, OpError};

/// 1 for errors the user can fix (bad input, locked or newer database, bad config, a full
/// disk or a folder they may not write to), else 2: an operation's own verdict when it gave
/// one, else the same classification it uses.
pub fn exit_code_for(report: &Report) -> u8 {
    if fault::storage_fault(report).is_some() {
        return 1;
    }
    if let Some(op) = report.chain().find_map(|c| c.downcast_ref::<OpError>()) {
        return op.exit_code();
    }
    if report_is_user(report) {
        1
    } else {
        2
    }
}

/// Opens the database and applies one operation: the command line's only way to change it.
fn apply(ctx: &Context, op: Op) -> Result<Applied> {
    let mut store = ctx.open_store()?;
    Ok(ops::apply(ctx, &mut store, op)?)
}

/// The one line shown for an error the user can fix (exit code 1).
pub fn user_line(report: &Report) -> String {
    if let Some(fault) = fault::storage_fault(report) {
        return fault::storage_line(report, fault);
    }
    // A database message carries the SQL after its first line.
    let text = report.to_string();
    let first = text.lines().next().unwrap_or_default();
    // An operation already said so in these words (`service::ops::TOO_LARGE`).
    if first.contains("out of range") && !first.contains("too large to store") {
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
        Command::Fetch(a) if a.quotes => {
            fetch::quotes(&ctx, &a.symbols, a.provider.map(Into::into), a.json)
        }
        Command::Fetch(a) => fetch::run(&ctx, &a.symbols, a.provider.map(Into::into), a.json),
        Command::Performance(a) => performance::run(&ctx, a),
        Command::DbCheck(args) => data::db_check(&ctx, args),
        Command::Config(args) => data::config(&ctx, args),
        Command::Trade(a) => ledger::trade(&ctx, a),
        Command::Cash(a) => ledger::cash(&ctx, a),
        Command::Ledger(a) => ledger::run(&ctx, a),
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
