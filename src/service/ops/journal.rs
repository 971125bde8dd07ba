//! New signals and changes to one journal entry: take, record the exit, notes, delete.

use chrono::NaiveDate;
use duckdb::Connection;
use rust_decimal::Decimal;

use super::{Applied, Change, OpError};
use crate::domain::journal::{Outcome, SignalRecord};
use crate::domain::tracker;
use crate::service::record::record;
pub use crate::service::record::SignalDraft;
use crate::service::Context;
use crate::store::{self, Store};

fn load(tx: &Connection, id: i64) -> Result<SignalRecord, OpError> {
    store::signal(tx, id)?.ok_or_else(|| OpError::refused(format!("signal {id} not found")))
}

fn changed(summary: String, s: SignalRecord) -> Applied {
    Applied::new(summary, Change::Signal(Box::new(s)))
}

pub(super) fn new_signal(
    ctx: &Context,
    store: &mut Store,
    draft: SignalDraft,
) -> Result<Applied, OpError> {
    store.transaction(|tx| -> Result<_, OpError> {
        let mut s = record(ctx, tx, draft)?;
        let id = store::insert_signal(tx, &s)?;
        s.id = Some(id);
        let summary = format!(
            "Signal {id} recorded: {} {} at {} (strength {})",
            s.signal_type.as_str(),
            s.symbol,
            s.price_at_signal.map(|p| p.to_string()).unwrap_or_default(),
            s.signal_strength
                .map(|p| p.to_string())
                .unwrap_or_else(|| "—".into())
        );
        Ok(changed(summary, s))
    })
}

/// Marks signal `id` taken at `price` × `quantity` (whole shares) on `date` (default today).
pub(super) fn take(
    ctx: &Context,
    store: &mut Store,
    id: i64,
    date: Option<NaiveDate>,
    price: Decimal,
    quantity: Decimal,
) -> Result<Applied, OpError> {
    let date = ctx.fact_date("date", date)?;
    store.transaction(|tx| -> Result<_, OpError> {
        let mut s = load(tx, id)?;
        if date < s.signal_date {
            return Err(OpError::refused(format!(
                "date: the entry {date} is before the signal ({})",
                s.signal_date
            )));
        }
        tracker::take(&mut s, date, price, quantity)?;
        store::update_signal_progress(tx, &s)?;
        super::ledger::signal_taken(ctx, tx, &s, date, price, quantity)?;
        let summary = format!("Signal {id}: taken, {quantity} {} @ {price}", s.symbol);
        Ok(changed(summary, s))
    })
}

/// Records the exit of taken signal `id`: P&L, days held and the outcome (an explicit
/// `outcome` overrides the computed one and is noted). An override that contradicts the
/// P&L (a LOSS on a gain, a WIN on a loss) needs `confirmed`; the statistics then count
/// that trade by its P&L.
pub(super) fn close(
    ctx: &Context,
    store: &mut Store,
    id: i64,
    date: Option<NaiveDate>,
    price: Decimal,
    outcome: Option<Outcome>,
    confirmed: bool,
) -> Result<Applied, OpError> {
    let date = ctx.fact_date("date", date)?;
    let rules = &ctx.config.journal;
    store.transaction(|tx| -> Result<_, OpError> {
        let mut s = load(tx, id)?;
        tracker::close(
            &mut s,
            date,
            price,
            outcome.map(Outcome::as_str),
            rules.commission,
            rules.breakeven_pct,
        )?;
        if let (true, Some(o), Some(p)) = (s.outcome_overridden, s.outcome, s.actual_profit) {
            if tracker::contradicts(o, p) && !confirmed {
                return Err(OpError::refused(contradiction(o, p)));
            }
        }
        store::update_signal_progress(tx, &s)?;
        super::ledger::signal_closed(ctx, tx, &s, date, price)?;
        let summary = format!(
            "Signal {id}: closed at {price}, P&L {:+.2} ({}) after {} day(s)",
            s.actual_profit.unwrap_or_default(),
            s.outcome.map_or("", |o| o.as_str()),
            s.days_held.unwrap_or_default()
        );
        Ok(changed(summary, s))
    })
}

/// Why an override needs confirming; the app's exit form shows the same words.
pub fn contradiction(outcome: Outcome, profit: Decimal) -> String {
    format!(
        "outcome {} contradicts the P&L {profit:+.2}: clear it to keep the computed one, or \
         confirm it (`signals close --yes`; Enter again in the app); the statistics count the \
         trade by its P&L",
        outcome.as_str()
    )
}

pub(super) fn note(store: &mut Store, id: i64, text: &str) -> Result<Applied, OpError> {
    store.transaction(|tx| -> Result<_, OpError> {
        let mut s = load(tx, id)?;
        s.notes = Some(text.to_string()).filter(|t| !t.trim().is_empty());
        store::update_signal_progress(tx, &s)?;
        Ok(changed(format!("Signal {id}: notes saved"), s))
    })
}

pub(super) fn delete(store: &mut Store, id: i64, confirmed: bool) -> Result<Applied, OpError> {
    store.transaction(|tx| -> Result<_, OpError> {
        load(tx, id)?;
        if !confirmed {
            return Err(OpError::refused(format!(
                "deleting signal {id} hides it from every view; repeat with --yes to confirm"
            )));
        }
        store::hide_signal(tx, id)?;
        Ok(Applied::new(
            format!("Signal {id}: deleted (kept hidden)"),
            Change::SignalHidden(id),
        ))
    })
}
