//! Executing a stored swap: the one use-case behind `ducklens swap execute` and the app's
//! execution form. In one transaction it sells and buys in the holdings, moves the cash
//! (borrowing what the swap's size planned on margin), marks the recommendation executed
//! and marks both journal legs taken with their fills, so the journal never judges an
//! executed swap as if the user had ignored it.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use duckdb::Connection;
use rust_decimal::Decimal;

use crate::domain::execution::{execute_swap, Fill};
use crate::domain::journal::{SignalRecord, SignalType};
use crate::domain::ledger::{CostMethod, Kind, Source, Transaction};
use crate::domain::tracker;
use crate::store::{self, StoreError, StoredSwap};

/// What the user confirms; anything left out comes from the recommendation and its legs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SwapFills {
    pub sell_quantity: Option<Decimal>,
    pub sell_price: Option<Decimal>,
    pub buy_quantity: Option<Decimal>,
    pub buy_price: Option<Decimal>,
    pub date: Option<NaiveDate>,
}

/// What the execution changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    pub swap: StoredSwap,
    pub sell: Fill,
    pub buy: Fill,
    pub date: NaiveDate,
    pub cash_change: Decimal,
    pub borrowed: Decimal,
    /// Journal legs marked taken (0–2: a leg the user already took is left as it is).
    pub legs_taken: usize,
}

impl Executed {
    pub fn summary(&self) -> String {
        let margin = if self.borrowed > Decimal::ZERO {
            format!(", {} borrowed on margin", self.borrowed)
        } else {
            String::new()
        };
        format!(
            "Swap {} executed on {}: sold {} {} @ {}, bought {} {} @ {}; cash {:+}{margin}; \
             {} journal leg(s) marked taken",
            self.swap.id,
            self.date,
            self.sell.quantity,
            self.sell.symbol,
            self.sell.price,
            self.buy.quantity,
            self.buy.symbol,
            self.buy.price,
            self.cash_change,
            self.legs_taken
        )
    }
}

fn refuse(message: impl Into<String>) -> StoreError {
    StoreError::Invalid(message.into())
}

/// Executes swap `id` inside the caller's transaction; `today` bounds the date.
pub fn execute_in(
    tx: &Connection,
    today: NaiveDate,
    method: CostMethod,
    id: i64,
    fills: &SwapFills,
) -> store::Result<Executed> {
    let swap = store::stored_swap(tx, id)?.ok_or_else(|| {
        refuse(format!(
            "swap {id} not found: `ducklens swap list` shows the stored swaps"
        ))
    })?;
    if swap.executed {
        return Err(refuse(format!(
            "swap {id} ({} → {}) is already executed",
            swap.reduce, swap.increase
        )));
    }
    let date = fills.date.unwrap_or(today);
    if date > today {
        return Err(refuse(format!("date: {date} is in the future")));
    }
    if date < swap.date {
        return Err(refuse(format!(
            "date: {date} is before the swap was recommended ({})",
            swap.date
        )));
    }
    let mut sell_leg = store::swap_leg(tx, swap.date, &swap.reduce, SignalType::Sell)?;
    let mut buy_leg = store::swap_leg(tx, swap.date, &swap.increase, SignalType::Buy)?;
    let sell = Fill {
        symbol: swap.reduce.clone(),
        quantity: quantity("sell quantity", fills.sell_quantity, swap.reduce_quantity)?,
        price: price("sell price", fills.sell_price, sell_leg.as_ref())?,
    };
    let buy = Fill {
        symbol: swap.increase.clone(),
        quantity: quantity("buy quantity", fills.buy_quantity, swap.increase_quantity)?,
        price: price("buy price", fills.buy_price, buy_leg.as_ref())?,
    };
    let planned_margin = buy_leg
        .as_ref()
        .filter(|l| l.use_margin)
        .and_then(|l| l.margin_requirement)
        .unwrap_or(Decimal::ZERO);
    let holdings = store::holdings(tx)?;
    let balance = store::balance_on_or_before(tx, date)?.ok_or_else(|| {
        refuse(format!(
            "no account balances on or before {date}: record them first (`ducklens account set`)"
        ))
    })?;
    let exec = execute_swap(&holdings, &balance, &sell, &buy, date, planned_margin)
        .map_err(|e| refuse(e.to_string()))?;
    for h in &exec.upserts {
        store::upsert_holding(tx, h)?;
    }
    for s in &exec.removals {
        store::remove_holding(tx, s)?;
    }
    store::record_balance(tx, &exec.balance)?;
    write_ledger(
        tx,
        today,
        method,
        &swap,
        (&sell, &buy),
        (&sell_leg, &buy_leg),
        exec.borrowed,
        date,
    )?;
    store::mark_swap_executed(tx, id, (sell.quantity, buy.quantity), closing_time(date))?;
    let mut legs_taken = 0;
    for (leg, fill) in [(&mut sell_leg, &sell), (&mut buy_leg, &buy)] {
        if let Some(leg) = leg.as_mut().filter(|l| !l.action_taken) {
            tracker::take(leg, date, fill.price, fill.quantity)
                .map_err(|e| refuse(format!("journal leg {}: {e}", leg.id.unwrap_or(0))))?;
            store::update_signal_progress(tx, leg)?;
            legs_taken += 1;
        }
    }
    Ok(Executed {
        swap,
        sell,
        buy,
        date,
        cash_change: exec.cash_change,
        borrowed: exec.borrowed,
        legs_taken,
    })
}

/// The swap in the ledger: its SELL and BUY (and the margin it borrows), linked to the
/// recommendation and to each journal leg; the ledger refuses what it cannot replay.
#[allow(clippy::too_many_arguments)]
fn write_ledger(
    tx: &Connection,
    today: NaiveDate,
    method: CostMethod,
    swap: &StoredSwap,
    (sell, buy): (&Fill, &Fill),
    (sell_leg, buy_leg): (&Option<SignalRecord>, &Option<SignalRecord>),
    borrowed: Decimal,
    date: NaiveDate,
) -> store::Result<()> {
    let link = |t: Transaction, leg: &Option<SignalRecord>| Transaction {
        recommendation_id: Some(swap.id),
        signal_id: leg.as_ref().and_then(|l| l.id),
        ..t.with_source(Source::Swap)
    };
    let mut new = vec![
        link(
            Transaction::sell(
                date,
                sell.symbol.clone(),
                sell.quantity,
                sell.price,
                Decimal::ZERO,
            ),
            sell_leg,
        ),
        link(
            Transaction::buy(
                date,
                buy.symbol.clone(),
                buy.quantity,
                buy.price,
                Decimal::ZERO,
            ),
            buy_leg,
        ),
    ];
    if borrowed > Decimal::ZERO {
        new.push(link(
            Transaction::money(date, Kind::MarginBorrow, borrowed),
            &None,
        ));
    }
    crate::service::ledger::record_with(tx, today, method, new)
        .map_err(|e| refuse(e.to_string()))?;
    Ok(())
}

/// Trades are booked at the close of their day.
fn closing_time(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default())
}

/// Whole shares, positive; the recommendation's quantity when not given.
fn quantity(field: &str, given: Option<Decimal>, planned: Option<i64>) -> store::Result<Decimal> {
    let q = given
        .or(planned.map(Decimal::from))
        .ok_or_else(|| refuse(format!("{field}: the swap has none planned; give it")))?;
    if q <= Decimal::ZERO || q.fract() != Decimal::ZERO || q > Decimal::from(i32::MAX) {
        return Err(refuse(format!(
            "{field}: must be a whole number of shares from 1 to {}, got {q}",
            i32::MAX
        )));
    }
    Ok(q.normalize())
}

/// Positive; the leg's price at the signal when not given.
fn price(
    field: &str,
    given: Option<Decimal>,
    leg: Option<&SignalRecord>,
) -> store::Result<Decimal> {
    let p = given
        .or(leg.and_then(|l| l.price_at_signal))
        .ok_or_else(|| refuse(format!("{field}: no price recorded for this leg; give it")))?;
    if p <= Decimal::ZERO {
        return Err(refuse(format!("{field}: must be positive, got {p}")));
    }
    Ok(p)
}
