//! `ducklens demo`: (re)build the demo database and summarise it.

use std::path::Path;

use color_eyre::eyre::Result;

use super::args::DemoArgs;
use super::{user_error, Context};
use crate::domain::calendar;
use crate::market::demo::{self, DemoData, DEMO_LABEL, DEMO_SOURCE};
use crate::report;
use crate::store::{self, Store};

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

/// Replaces `path` with a fresh demo database. Refuses to replace a file that holds
/// anything but demo data.
pub fn build(path: &Path, as_of: chrono::NaiveDate) -> Result<()> {
    if path.exists() {
        let existing = Store::open(path)?;
        if !is_demo(&existing)? {
            return Err(user_error(format!(
                "{} holds real data, not the demo; choose another --db for the demo",
                path.display()
            )));
        }
        drop(existing);
        remove_database(path)?;
    }
    let data = demo::generate(as_of);
    let mut store = Store::open(path)?;
    write(&mut store, &data)?;
    Ok(())
}

/// A database is the demo when its prices all come from the demo source (or it is empty).
fn is_demo(store: &Store) -> Result<bool> {
    Ok(store.holds_only(DEMO_SOURCE, DEMO_LABEL)?)
}

fn remove_database(path: &Path) -> Result<()> {
    std::fs::remove_file(path)?;
    let wal = path.with_extension(
        path.extension()
            .map(|e| format!("{}.wal", e.to_string_lossy()))
            .unwrap_or_else(|| "wal".into()),
    );
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
        Ok(())
    })?;
    Ok(())
}
