//! Changing one journal entry: take, record the exit, notes. Written once, called by
//! `ducklens signals take|close|note` and by the app's forms; a refusal is a user error
//! (exit 1 on the command line, shown in the form in the app) naming what is wrong.

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use super::{user_error, Context};
use crate::domain::journal::SignalRecord;
use crate::domain::tracker;
use crate::store::{self, Store};

fn load(store: &Store, id: i64) -> Result<SignalRecord> {
    store::signal(store.conn(), id)?.ok_or_else(|| user_error(format!("signal {id} not found")))
}

/// Marks signal `id` taken at `price` × `quantity` (whole shares) on `date` (default today).
pub fn take(
    ctx: &Context,
    store: &Store,
    id: i64,
    date: Option<NaiveDate>,
    price: Decimal,
    quantity: Decimal,
) -> Result<SignalRecord> {
    let date = ctx.fact_date("date", date)?;
    let mut s = load(store, id)?;
    tracker::take(&mut s, date, price, quantity).map_err(|e| user_error(e.to_string()))?;
    store::update_signal_progress(store.conn(), &s)?;
    Ok(s)
}

/// Records the exit of taken signal `id`: P&L, days held and the outcome (an explicit
/// `outcome` overrides the computed one and is noted). An override that contradicts the
/// P&L (a LOSS on a gain, a WIN on a loss) needs `confirmed`; the statistics then count
/// that trade by its P&L.
pub fn close(
    ctx: &Context,
    store: &Store,
    id: i64,
    date: Option<NaiveDate>,
    price: Decimal,
    outcome: Option<&str>,
    confirmed: bool,
) -> Result<SignalRecord> {
    let date = ctx.fact_date("date", date)?;
    let mut s = load(store, id)?;
    let rules = &ctx.config.journal;
    tracker::close(
        &mut s,
        date,
        price,
        outcome,
        rules.commission,
        rules.breakeven_pct,
    )
    .map_err(|e| user_error(e.to_string()))?;
    if let (true, Some(o), Some(p)) = (s.outcome_overridden, s.outcome, s.actual_profit) {
        if tracker::contradicts(o, p) && !confirmed {
            return Err(user_error(format!(
                "outcome {} contradicts the P&L {p:+.2}: clear it to keep the computed one, or \
                 confirm it with `signals close --yes` (the statistics count the trade by its P&L)",
                o.as_str()
            )));
        }
    }
    store::update_signal_progress(store.conn(), &s)?;
    Ok(s)
}

/// Replaces the notes of signal `id`; blank text clears them.
pub fn note(store: &Store, id: i64, text: &str) -> Result<SignalRecord> {
    let mut s = load(store, id)?;
    s.notes = Some(text.to_string()).filter(|t| !t.trim().is_empty());
    store::update_signal_progress(store.conn(), &s)?;
    Ok(s)
}
