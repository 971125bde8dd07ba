//! Balances, holdings, the watchlist and a portfolio file.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{list, Applied, BalanceInput, Change, HoldingEdit, OpError};
use crate::domain::ledger::Source;
use crate::domain::portfolio::{to_cents, to_price, AccountBalance, Holding, WatchItem};
use crate::domain::symbol::Symbol;
use crate::market::portfolio_file::PortfolioFile;
use crate::service::Context;
use crate::store::{self, Store};

pub(super) fn record_balance(
    ctx: &Context,
    store: &mut Store,
    b: BalanceInput,
) -> Result<Applied, OpError> {
    let as_of = ctx.fact_date("date", b.as_of)?;
    store.transaction(|tx| -> Result<_, OpError> {
        let latest = store::latest_balance(tx)?;
        let pick = |field: &str, given: Option<Decimal>, old: Option<Decimal>| {
            let value = given.or(old).unwrap_or(Decimal::ZERO);
            if value < Decimal::ZERO {
                return Err(OpError::refused(format!(
                    "{field}: cannot be negative, got {value}"
                )));
            }
            Ok(to_cents(value))
        };
        let balance = AccountBalance {
            as_of,
            cash: pick("cash", b.cash, latest.as_ref().map(|l| l.cash))?,
            margin_available: pick(
                "margin_available",
                b.margin_available,
                latest.as_ref().map(|l| l.margin_available),
            )?,
            margin_used: pick(
                "margin_used",
                b.margin_used,
                latest.as_ref().map(|l| l.margin_used),
            )?,
            notes: b.notes.filter(|n| !n.trim().is_empty()),
        };
        if balance.margin_used > balance.margin_available {
            return Err(OpError::refused(format!(
                "margin_used: {} is above the margin available ({})",
                balance.margin_used, balance.margin_available
            )));
        }
        store::record_balance(tx, &balance)?;
        Ok(Applied::new(
            format!("Balances of {as_of} saved"),
            Change::Balance(balance),
        ))
    })
}

/// The holding as stored: prices and quantities to four decimals, `opened` not in the future.
fn checked(ctx: &Context, h: Holding) -> Result<Holding, OpError> {
    if h.opened.is_some() {
        ctx.fact_date("opened", h.opened)?;
    }
    Ok(Holding::new(
        h.symbol,
        to_price(h.quantity),
        to_price(h.avg_cost),
        h.opened,
        h.notes,
    )?)
}

pub(super) fn save_holding(
    ctx: &Context,
    store: &mut Store,
    holding: Holding,
    replaces: Option<Symbol>,
) -> Result<Applied, OpError> {
    let holding = checked(ctx, holding)?;
    let renamed = replaces.filter(|old| *old != holding.symbol);
    store.transaction(|tx| -> Result<_, OpError> {
        if let Some(old) = &renamed {
            let held = store::holdings(tx)?;
            if held.iter().any(|h| h.symbol == holding.symbol) {
                return Err(OpError::refused(format!(
                    "{} is already held: edit that holding instead",
                    holding.symbol
                )));
            }
            if !held.iter().any(|h| h.symbol == *old) {
                return Err(OpError::refused(format!("{old} is not a holding")));
            }
            super::ledger::holding_change(ctx, tx, old, None, Source::Manual)?;
            store::remove_holding(tx, old)?;
        }
        super::ledger::holding_change(
            ctx,
            tx,
            &holding.symbol,
            Some((holding.quantity, holding.avg_cost, holding.opened)),
            Source::Manual,
        )?;
        Ok(store::upsert_holding(tx, &holding)?)
    })?;
    let summary = match &renamed {
        Some(old) => format!("Holding {old} renamed to {}", holding.symbol),
        None => format!(
            "Holding {} saved: {} @ {}",
            holding.symbol, holding.quantity, holding.avg_cost
        ),
    };
    Ok(Applied::new(
        summary,
        Change::Holding {
            holding,
            renamed_from: renamed,
        },
    ))
}

pub(super) fn edit_holding(
    ctx: &Context,
    store: &mut Store,
    e: HoldingEdit,
) -> Result<Applied, OpError> {
    store.transaction(|tx| -> Result<_, OpError> {
        let current = store::holdings(tx)?
            .into_iter()
            .find(|h| h.symbol == e.symbol)
            .ok_or_else(|| OpError::refused(format!("{} is not a holding", e.symbol)))?;
        let holding = checked(
            ctx,
            Holding::new(
                e.symbol,
                e.quantity.unwrap_or(current.quantity),
                e.avg_cost.unwrap_or(current.avg_cost),
                e.opened.or(current.opened),
                e.notes.or(current.notes),
            )?,
        )?;
        super::ledger::holding_change(
            ctx,
            tx,
            &holding.symbol,
            Some((holding.quantity, holding.avg_cost, holding.opened)),
            Source::Manual,
        )?;
        store::upsert_holding(tx, &holding)?;
        Ok(Applied::new(
            format!(
                "Holding {} updated: {} @ {}",
                holding.symbol, holding.quantity, holding.avg_cost
            ),
            Change::Holding {
                holding,
                renamed_from: None,
            },
        ))
    })
}

pub(super) fn remove_holding(
    ctx: &Context,
    store: &mut Store,
    symbol: Symbol,
) -> Result<Applied, OpError> {
    store.transaction(|tx| -> Result<_, OpError> {
        if !store::holdings(tx)?.iter().any(|h| h.symbol == symbol) {
            return Err(OpError::refused(format!("{symbol} is not a holding")));
        }
        super::ledger::holding_change(ctx, tx, &symbol, None, Source::Manual)?;
        store::remove_holding(tx, &symbol)?;
        Ok(Applied::new(
            format!("Holding {symbol} removed"),
            Change::HoldingRemoved(symbol),
        ))
    })
}

pub(super) fn add_watch(
    ctx: &Context,
    store: &mut Store,
    items: Vec<WatchItem>,
) -> Result<Applied, OpError> {
    if items.is_empty() {
        return Err(OpError::refused("symbol: give at least one"));
    }
    for item in &items {
        ctx.fact_date("added", Some(item.added))?;
    }
    store.transaction(|tx| -> Result<_, OpError> {
        for item in &items {
            store::add_watch(tx, item)?;
        }
        Ok(())
    })?;
    let symbols: Vec<Symbol> = items.into_iter().map(|i| i.symbol).collect();
    Ok(Applied::new(
        format!("{} added to the watchlist", list(&symbols)),
        Change::Watching(symbols),
    ))
}

pub(super) fn remove_watch(store: &mut Store, symbols: Vec<Symbol>) -> Result<Applied, OpError> {
    if symbols.is_empty() {
        return Err(OpError::refused("symbol: give at least one"));
    }
    store.transaction(|tx| -> Result<_, OpError> {
        let mut missing = Vec::new();
        for symbol in &symbols {
            if !store::remove_watch(tx, symbol)? {
                missing.push(symbol.clone());
            }
        }
        if !missing.is_empty() {
            // Returning the error rolls back the symbols that were removed.
            return Err(OpError::refused(format!(
                "not on the watchlist: {}",
                list(&missing)
            )));
        }
        Ok(())
    })?;
    Ok(Applied::new(
        format!("{} removed from the watchlist", list(&symbols)),
        Change::Unwatched(symbols),
    ))
}

/// New cash keeps the latest margin figures.
fn carry_margin(
    latest: Option<&AccountBalance>,
    as_of: NaiveDate,
    cash: Decimal,
) -> AccountBalance {
    AccountBalance {
        as_of,
        cash,
        margin_available: latest.map_or(Decimal::ZERO, |b| b.margin_available),
        margin_used: latest.map_or(Decimal::ZERO, |b| b.margin_used),
        notes: Some("imported".to_string()),
    }
}

pub(super) fn import_portfolio(
    ctx: &Context,
    store: &mut Store,
    file: PortfolioFile,
    name: &str,
    merge: bool,
) -> Result<Applied, OpError> {
    if let Some(day) = file.cash_as_of.filter(|d| *d > ctx.today) {
        return Err(OpError::refused(format!(
            "{name}: $.last_updated: {day} is in the future"
        )));
    }
    let today = ctx.today;
    store.transaction(|tx| -> Result<_, OpError> {
        let latest = store::latest_balance(tx)?;
        if !merge {
            for h in store::holdings(tx)? {
                if !file.holdings.iter().any(|f| f.symbol == h.symbol) {
                    super::ledger::holding_change(ctx, tx, &h.symbol, None, Source::Import)?;
                }
            }
            store::clear_holdings(tx)?;
        }
        for h in &file.holdings {
            super::ledger::holding_change(
                ctx,
                tx,
                &h.symbol,
                Some((h.quantity, h.avg_cost, h.opened)),
                Source::Import,
            )?;
            store::upsert_holding(tx, h)?;
        }
        if let Some(cash) = file.cash {
            // The cash is from the file's day, not the day it is imported.
            let day = file.cash_as_of.unwrap_or(today);
            store::record_balance(tx, &carry_margin(latest.as_ref(), day, cash))?;
            super::ledger::opening_cash(ctx, tx, day, cash)?;
        }
        Ok(())
    })?;
    let summary = format!(
        "Imported {} holding(s) from {name}{}{}",
        file.holdings.len(),
        if merge {
            " (merged)"
        } else {
            " (replacing the previous holdings)"
        },
        file.cash.map(|c| format!("; cash {c}")).unwrap_or_default()
    );
    Ok(Applied::new(
        summary,
        Change::Imported {
            holdings: file.holdings.len(),
            cash: file.cash,
        },
    ))
}
