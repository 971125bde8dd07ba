//! `ducklens demo`: (re)build the demo database and summarise it.

use std::path::Path;

use chrono::Datelike;
use color_eyre::eyre::Result;

use super::args::DemoArgs;
use super::{user_error, Context};
use crate::domain::calendar;
use crate::market::demo::{self, DemoData, DEMO_LABEL, DEMO_SOURCE};
use crate::report;
use crate::store::{self, Ownership, Store};

pub fn run(ctx: &Context, args: DemoArgs) -> Result<u8> {
    // The demo never touches the user's database: only an explicit --db redirects it.
    let path = ctx
        .db_flag
        .clone()
        .unwrap_or_else(crate::paths::default_demo_db);
    let as_of = args
        .as_of
        .unwrap_or_else(|| calendar::last_trading_day_on_or_before(ctx.today));
    let started = std::time::Instant::now();
    build(&path, as_of)?;
    tracing::info!(path = %path.display(), elapsed_ms = started.elapsed().as_millis() as u64, "demo built");
    if !args.no_tui && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let ctx = Context {
            db_path: path,
            ..ctx.clone()
        };
        return super::open_app(ctx, true);
    }
    let store = Store::open(&path)?;
    let check = store.check(as_of)?;
    println!(
        "{DEMO_LABEL}: synthetic market, not real prices. Built in {:.2} s.",
        started.elapsed().as_secs_f64()
    );
    print!("{}", report::db_check::text(&check));
    Ok(0)
}

/// Replaces `path` with a fresh demo database. Writes only to a file that is new, empty, or
/// one the demo built (its mark in `ducklens_meta`); anything else is refused unchanged.
pub fn build(path: &Path, as_of: chrono::NaiveDate) -> Result<()> {
    if as_of < chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default()
        || as_of.year() > 9000
    {
        return Err(user_error(format!(
            "--as-of {as_of}: the demo needs a date between 1990-01-01 and 9000-12-31"
        )));
    }
    if path.exists() {
        let existing = Store::open(path)?;
        match existing.ownership(DEMO_SOURCE, DEMO_LABEL)? {
            Ownership::Demo | Ownership::Empty => {}
            Ownership::User(found) => {
                return Err(user_error(format!(
                    "{} holds real data ({found}), not the demo; nothing was changed. \
                     Choose another --db for the demo",
                    path.display()
                )))
            }
        }
        drop(existing);
        remove_database(path)?;
    }
    let data = demo::generate(as_of);
    let mut store = Store::open(path)?;
    write(&mut store, &data)?;
    Ok(())
}

fn remove_database(path: &Path) -> Result<()> {
    std::fs::remove_file(path)?;
    let wal = store::wal_of(path);
    if wal.exists() {
        std::fs::remove_file(wal)?;
    }
    Ok(())
}

/// Writes the whole demo in one transaction.
pub fn write(store: &mut Store, data: &DemoData) -> Result<()> {
    store.in_transaction(|tx| {
        for (symbol, bars) in &data.prices {
            store::append_bars(tx, symbol, bars, DEMO_SOURCE)?;
            store::recompute_indicators(tx, symbol)?;
        }
        for h in &data.holdings {
            store::upsert_holding(tx, h)?;
        }
        for w in &data.watchlist {
            store::add_watch(tx, w)?;
        }
        for b in &data.balances {
            store::record_balance(tx, b)?;
        }
        for s in &data.signals {
            store::insert_signal(tx, s)?;
        }
        store::open_ledger_from_holdings(tx)?;
        store::mark_demo(tx, data.as_of)?;
        Ok(())
    })?;
    Ok(())
}
