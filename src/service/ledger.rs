//! The ledger as the account's source of truth: the state of any date, the value of every
//! session, and the one write path every change to positions, cash or margin goes through
//! (checked by replaying the whole ledger, and the `holdings` cache re-derived, in the
//! caller's transaction).

use chrono::NaiveDate;
use duckdb::Connection;
use rust_decimal::Decimal;

use super::ops::OpError;
use super::Context;
use crate::domain::account_history::DayValue;
use crate::domain::ledger::{self, LedgerState, Transaction};
use crate::domain::symbol::Symbol;
use crate::store::{self, Store};

fn refused(e: ledger::LedgerError) -> OpError {
    OpError::refused(e.to_string())
}

/// The account after every transaction dated on or before `date`.
pub fn state_at(ctx: &Context, store: &Store, date: NaiveDate) -> Result<LedgerState, OpError> {
    let txs = store.transactions()?;
    ledger::replay(&txs, date, ctx.config.ledger.cost_method).map_err(refused)
}

/// The account's value at each session from `from` to `to` (see
/// [`ledger::daily_values`]): raw closes × the ledger's quantities; the benchmark's bars
/// count as sessions too.
pub fn daily_values(
    ctx: &Context,
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DayValue>, OpError> {
    let txs = store.transactions()?;
    let benchmark: Vec<Symbol> = Symbol::parse(&ctx.config.general.benchmark)
        .into_iter()
        .collect();
    let history = store.ledger_closes(to, &benchmark)?;
    ledger::daily_values(&txs, &history, from, to, ctx.config.ledger.cost_method).map_err(refused)
}

/// Ledger cash − the last balance snapshot's cash, and that snapshot's date: what the
/// broker's figure and the ledger disagree by (neither is changed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reconciliation {
    pub snapshot_date: NaiveDate,
    pub snapshot_cash: Decimal,
    pub ledger_cash: Decimal,
    pub difference: Decimal,
}

pub fn reconciliation(ctx: &Context, store: &Store) -> Result<Option<Reconciliation>, OpError> {
    let Some(snapshot) = store.latest_balance()? else {
        return Ok(None);
    };
    let state = state_at(ctx, store, NaiveDate::MAX)?;
    Ok(Some(Reconciliation {
        snapshot_date: snapshot.as_of,
        snapshot_cash: snapshot.cash,
        ledger_cash: state.cash,
        difference: state.cash - snapshot.cash,
    }))
}

/// Records `new` after checking that the whole ledger still replays with them (a refusal
/// names the field and the transaction), then re-derives the `holdings` cache. Call inside
/// the operation's transaction. Returns the new ids and the account after everything.
pub fn record(
    ctx: &Context,
    tx: &Connection,
    new: Vec<Transaction>,
) -> Result<(Vec<i64>, LedgerState), OpError> {
    record_with(tx, ctx.today, ctx.config.ledger.cost_method, new)
}

/// [`record`] for callers holding only today and the cost method (the swap execution).
pub fn record_with(
    tx: &Connection,
    today: NaiveDate,
    method: ledger::CostMethod,
    new: Vec<Transaction>,
) -> Result<(Vec<i64>, LedgerState), OpError> {
    for t in &new {
        if let Some(problem) = super::ops::future_date(t.date, today) {
            return Err(OpError::refused(format!("date: {problem}")));
        }
    }
    let mut all = store::transactions(tx)?;
    let next_id = all.iter().map(|t| t.id).max().unwrap_or(0) + 1;
    for (i, t) in new.iter().enumerate() {
        let mut t = t.clone();
        t.id = next_id + i as i64;
        all.push(t);
    }
    let state = check(method, &all, &new)?;
    let ids = new
        .iter()
        .map(|t| store::insert_transaction(tx, t))
        .collect::<Result<Vec<_>, _>>()?;
    store::sync_holdings(tx, &state)?;
    Ok((ids, state))
}

/// Removes transaction `id` when the ledger still replays without it.
pub fn remove(ctx: &Context, tx: &Connection, id: i64) -> Result<Transaction, OpError> {
    let Some(gone) = store::transaction(tx, id)? else {
        return Err(OpError::refused(format!("id: no transaction {id}")));
    };
    let all: Vec<Transaction> = store::transactions(tx)?
        .into_iter()
        .filter(|t| t.id != id)
        .collect();
    let state =
        ledger::replay(&all, NaiveDate::MAX, ctx.config.ledger.cost_method).map_err(|e| {
            OpError::refused(format!(
                "id: deleting transaction {id} ({}) breaks a later one: {e}",
                gone.describe()
            ))
        })?;
    store::delete_transaction(tx, id)?;
    store::sync_holdings(tx, &state)?;
    Ok(gone)
}

fn check(
    method: ledger::CostMethod,
    all: &[Transaction],
    new: &[Transaction],
) -> Result<LedgerState, OpError> {
    ledger::replay(all, NaiveDate::MAX, method).map_err(|e| {
        let what = match new {
            [one] => format!("{} on {}", one.describe(), one.date),
            _ => format!("{} transactions", new.len()),
        };
        OpError::refused(format!("{e} (recording {what})"))
    })
}

/// The ledger as stored, replayed to its end, inside the caller's transaction.
pub fn replay_stored(ctx: &Context, tx: &Connection) -> Result<LedgerState, OpError> {
    let txs = store::transactions(tx)?;
    ledger::replay(&txs, NaiveDate::MAX, ctx.config.ledger.cost_method).map_err(refused)
}

/// The splits and dividends the stored prices show for symbols the ledger held on the day,
/// numbered from 1 in date order (recorded ones keep their number, so `confirm N` is stable).
/// Only the bars where the adjustment factor moves are read (`store::adjustment_moves`).
pub fn proposals(
    ctx: &Context,
    tx: &Connection,
) -> Result<Vec<ledger::proposals::Proposal>, OpError> {
    let txs = store::transactions(tx)?;
    let pairs = store::adjustment_moves(tx)?;
    Ok(ledger::proposals::proposals_from_pairs(
        &pairs,
        &txs,
        ctx.config.ledger.cost_method,
    ))
}
