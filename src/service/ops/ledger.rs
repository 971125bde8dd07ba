//! Writes to the ledger: a trade, a money movement, a dividend or a split; a deletion; a
//! file of transactions. Each is one transaction, checked by replaying the whole ledger.

use chrono::NaiveDate;

use super::{Applied, Change, OpError};
use rust_decimal::Decimal;

use crate::domain::journal::{SignalRecord, SignalType};
use crate::domain::ledger::{Kind, Source, Transaction};
use crate::service::ledger;
use crate::service::Context;
use crate::store::{self, Store};

pub(super) fn record(ctx: &Context, store: &mut Store, t: Transaction) -> Result<Applied, OpError> {
    let line = format!("{} on {}", t.describe(), t.date);
    let (ids, state) = store.transaction(|tx| ledger::record(ctx, tx, vec![t]))?;
    let held = state.positions.len();
    Ok(Applied::new(
        format!(
            "Transaction {} recorded: {line}; cash {}, {held} position(s)",
            ids[0], state.cash
        ),
        Change::Ledger(ids),
    ))
}

pub(super) fn delete(
    ctx: &Context,
    store: &mut Store,
    id: i64,
    confirmed: bool,
) -> Result<Applied, OpError> {
    if !confirmed {
        return Err(OpError::refused(format!(
            "deleting transaction {id} changes the account's history: add --yes to confirm"
        )));
    }
    let gone = store.transaction(|tx| ledger::remove(ctx, tx, id))?;
    Ok(Applied::new(
        format!(
            "Transaction {id} deleted: {} on {}",
            gone.describe(),
            gone.date
        ),
        Change::Ledger(vec![id]),
    ))
}

pub(super) fn import(
    ctx: &Context,
    store: &mut Store,
    transactions: Vec<Transaction>,
    name: &str,
) -> Result<Applied, OpError> {
    if transactions.is_empty() {
        return Err(OpError::refused(format!("{name}: no transactions")));
    }
    let n = transactions.len();
    let (ids, state) = store
        .transaction(|tx| ledger::record(ctx, tx, transactions))
        .map_err(|e| OpError::refused(format!("{name}: {e}")))?;
    Ok(Applied::new(
        format!(
            "Imported {n} transaction(s) from {name}; cash {}, {} position(s)",
            state.cash,
            state.positions.len()
        ),
        Change::Ledger(ids),
    ))
}

/// A holding typed by hand becomes the ledger's: a new one is a position brought in on its
/// opened date (else today), an edited one an adjustment today, a removed one an adjustment
/// to 0. Call inside the operation's transaction, before the holding's row is written.
pub(super) fn holding_change(
    ctx: &Context,
    tx: &duckdb::Connection,
    symbol: &crate::domain::symbol::Symbol,
    target: Option<(Decimal, Decimal, Option<NaiveDate>)>,
    source: Source,
) -> Result<(), OpError> {
    let state = ledger::replay_stored(ctx, tx)?;
    let held = state.positions.get(symbol);
    let t = match (held, target) {
        (None, None) => return Ok(()),
        (None, Some((q, cost, opened))) => {
            Transaction::opening_position(opened.unwrap_or(ctx.today), symbol.clone(), q, cost)
        }
        (Some(p), Some((q, cost, _))) if p.quantity() == q && p.avg_cost() == cost => return Ok(()),
        (Some(_), Some((q, cost, _))) => {
            Transaction::adjustment(ctx.today, symbol.clone(), q, cost)
        }
        (Some(p), None) => {
            Transaction::adjustment(ctx.today, symbol.clone(), 0.into(), p.avg_cost())
        }
    };
    let note = match source {
        Source::Import => "holding of an imported portfolio file",
        _ => "holding edited by hand",
    };
    ledger::record(
        ctx,
        tx,
        vec![t.with_source(source).with_notes(Some(note.into()))],
    )?;
    Ok(())
}

/// The money kinds `cash deposit|withdraw` and the forms record.
pub fn money_kind(word: &str) -> Option<Kind> {
    match word {
        "deposit" => Some(Kind::Deposit),
        "withdraw" | "withdrawal" => Some(Kind::Withdrawal),
        _ => None,
    }
}

/// Brings the ledger's cash to `cash` on `day` with an OPENING_CASH of the difference (an
/// imported portfolio file's cash).
pub(super) fn opening_cash(
    ctx: &Context,
    tx: &duckdb::Connection,
    day: NaiveDate,
    cash: Decimal,
) -> Result<(), OpError> {
    let state = ledger::replay_stored(ctx, tx)?;
    let delta = cash - state.cash;
    if delta.is_zero() {
        return Ok(());
    }
    let t = Transaction {
        amount: crate::domain::portfolio::to_cents(delta),
        ..Transaction::money(day, Kind::OpeningCash, Decimal::ZERO)
    }
    .with_source(crate::domain::ledger::Source::Import)
    .with_notes(Some("cash of an imported portfolio file".into()));
    ledger::record(ctx, tx, vec![t])?;
    Ok(())
}

/// A taken BUY signal is a purchase: an unlinked BUY of the same symbol, day, quantity and
/// price already in the ledger is linked to it, else one is recorded. SELL and HOLD signals
/// stay in the journal only (the ledger holds no short positions).
pub(super) fn signal_taken(
    ctx: &Context,
    tx: &duckdb::Connection,
    s: &SignalRecord,
    date: NaiveDate,
    price: Decimal,
    quantity: Decimal,
) -> Result<(), OpError> {
    let (SignalType::Buy, Some(id)) = (s.signal_type, s.id) else {
        return Ok(());
    };
    let existing = store::transactions(tx)?.into_iter().find(|t| {
        t.kind == Kind::Buy
            && t.signal_id.is_none()
            && t.date == date
            && t.symbol.as_ref() == Some(&s.symbol)
            && t.quantity == Some(quantity.normalize())
            && t.price == Some(price.normalize())
    });
    if let Some(t) = existing {
        store::link_signal(tx, t.id, id)?;
        return Ok(());
    }
    let t = Transaction {
        signal_id: Some(id),
        ..Transaction::buy(date, s.symbol.clone(), quantity, price, Decimal::ZERO)
            .with_source(Source::Signal)
    };
    ledger::record(ctx, tx, vec![t])?;
    Ok(())
}

/// Closing a taken BUY signal whose purchase is in the ledger sells what it bought, the
/// journal's commission as the sale's fee: the trades' realized P&L is then the signal's.
pub(super) fn signal_closed(
    ctx: &Context,
    tx: &duckdb::Connection,
    s: &SignalRecord,
    date: NaiveDate,
    price: Decimal,
) -> Result<(), OpError> {
    let (SignalType::Buy, Some(id), Some(quantity)) = (s.signal_type, s.id, s.actual_quantity)
    else {
        return Ok(());
    };
    let linked = store::transactions_of_signal(tx, id)?;
    if !linked.iter().any(|t| t.kind == Kind::Buy) || linked.iter().any(|t| t.kind == Kind::Sell) {
        return Ok(());
    }
    let t = Transaction {
        signal_id: Some(id),
        ..Transaction::sell(
            date,
            s.symbol.clone(),
            Decimal::from(quantity),
            price,
            ctx.config.journal.commission,
        )
        .with_source(Source::Signal)
    };
    ledger::record(ctx, tx, vec![t])?;
    Ok(())
}

pub(super) fn confirm(ctx: &Context, store: &mut Store, number: usize) -> Result<Applied, OpError> {
    store.transaction(|tx| -> Result<_, OpError> {
        let all = ledger::proposals(ctx, tx)?;
        let p = number
            .checked_sub(1)
            .and_then(|i| all.get(i))
            .ok_or_else(|| {
                OpError::refused(format!(
                    "number: no proposal {number} (`ducklens ledger proposals` lists {})",
                    all.len()
                ))
            })?;
        if p.recorded {
            return Err(OpError::refused(format!(
                "number: proposal {number} ({}) is already recorded",
                p.describe()
            )));
        }
        let (ids, _) = ledger::record(ctx, tx, vec![p.transaction()])?;
        Ok(Applied::new(
            format!(
                "Proposal {number} recorded as transaction {}: {}",
                ids[0],
                p.describe()
            ),
            Change::Ledger(ids),
        ))
    })
}
