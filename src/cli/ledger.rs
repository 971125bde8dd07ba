//! `trade`, `cash`, `ledger` and `import transactions`: the ledger from the command line.
//! Every write is one `Op`; the reads print the stored transactions and the state.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use super::{user_error, Context};
use crate::domain::ledger::Split;
use crate::domain::parse::parse_decimal;
use crate::domain::symbol::Symbol;
use crate::service::ledger;
use crate::service::ledger_entry::{self as entry, Side};
use crate::service::ops::{money_kind, Op};

#[derive(Debug, Args)]
pub struct TradeArgs {
    /// buy or sell
    #[arg(value_parser = ["buy", "sell"])]
    pub side: String,
    pub symbol: String,
    pub quantity: String,
    pub price: String,
    /// The trade's day [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Commission paid, in dollars
    #[arg(long)]
    pub fee: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct CashArgs {
    /// deposit or withdraw
    #[arg(value_parser = ["deposit", "withdraw"])]
    pub direction: String,
    pub amount: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    pub command: Option<LedgerCommand>,
    /// Print JSON (list and show)
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Every transaction, oldest first (the default)
    List,
    /// One transaction, and the account right after its day
    Show { id: i64 },
    /// Remove a transaction (refused when a later one then no longer replays)
    Delete {
        id: i64,
        #[arg(long)]
        yes: bool,
    },
    /// Record a cash dividend received
    Dividend {
        symbol: String,
        amount: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// Splits and cash dividends seen in the stored prices of symbols held on the day
    Proposals,
    /// Record proposal N of `ledger proposals` (once)
    Confirm { number: usize },
    /// Record a split: RATIO new:old shares, e.g. 2:1, 3:2, 1:10
    Split {
        symbol: String,
        ratio: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
}

fn decimal(field: &str, raw: &str) -> Result<Decimal> {
    parse_decimal(raw).map_err(|e| user_error(format!("{field}: {e}")))
}

fn symbol(raw: &str) -> Result<Symbol> {
    Symbol::parse(raw).map_err(|e| user_error(format!("symbol: {e}")))
}

fn record(ctx: &Context, op: Op) -> Result<u8> {
    println!("{}", super::apply(ctx, op)?.summary);
    Ok(0)
}

pub fn trade(ctx: &Context, a: TradeArgs) -> Result<u8> {
    let side = Side::parse(&a.side).ok_or_else(|| user_error(format!("side: {:?}", a.side)))?;
    let fee = a
        .fee
        .map(|f| decimal("fee", &f))
        .transpose()?
        .unwrap_or_default();
    let op = entry::trade(entry::Trade {
        side,
        symbol: symbol(&a.symbol)?,
        quantity: decimal("quantity", &a.quantity)?,
        price: decimal("price", &a.price)?,
        fee,
        date: a.date.unwrap_or(ctx.today),
        notes: a.notes,
    })?;
    record(ctx, op)
}

pub fn cash(ctx: &Context, a: CashArgs) -> Result<u8> {
    let kind = money_kind(&a.direction)
        .ok_or_else(|| user_error(format!("direction: {:?}", a.direction)))?;
    let amount = decimal("amount", &a.amount)?;
    let op = entry::cash(kind, amount, a.date.unwrap_or(ctx.today), a.notes)?;
    record(ctx, op)
}

pub fn run(ctx: &Context, a: LedgerArgs) -> Result<u8> {
    match a.command.unwrap_or(LedgerCommand::List) {
        LedgerCommand::List => list(ctx, a.json),
        LedgerCommand::Show { id } => show(ctx, id, a.json),
        LedgerCommand::Delete { id, yes } => {
            let op = Op::DeleteTransaction { id, confirmed: yes };
            println!("{}", super::apply(ctx, op)?.summary);
            Ok(0)
        }
        LedgerCommand::Proposals => proposals(ctx, a.json),
        LedgerCommand::Confirm { number } => {
            println!(
                "{}",
                super::apply(ctx, Op::ConfirmProposal { number })?.summary
            );
            Ok(0)
        }
        LedgerCommand::Dividend {
            symbol: s,
            amount,
            date,
        } => {
            let op = entry::dividend(
                symbol(&s)?,
                decimal("amount", &amount)?,
                date.unwrap_or(ctx.today),
            )?;
            record(ctx, op)
        }
        LedgerCommand::Split {
            symbol: s,
            ratio,
            date,
        } => {
            let ratio: Split = ratio.parse().map_err(user_error)?;
            record(
                ctx,
                entry::split(symbol(&s)?, ratio, date.unwrap_or(ctx.today)),
            )
        }
    }
}

fn list(ctx: &Context, json: bool) -> Result<u8> {
    let store = ctx.open_store()?;
    let txs = store.transactions()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&txs)?);
        return Ok(0);
    }
    if txs.is_empty() {
        println!("No transactions yet: ducklens trade buy SYMBOL QTY PRICE, ducklens cash deposit AMOUNT");
        return Ok(0);
    }
    println!(
        "{:>5}  {:<10}  {:<16}  {:>12}  {:<8}  what",
        "id", "date", "kind", "cash", "source"
    );
    for t in &txs {
        println!(
            "{:>5}  {:<10}  {:<16}  {:>12}  {:<8}  {}",
            t.id,
            t.date,
            t.kind.as_str(),
            t.amount,
            t.source.as_str(),
            t.describe()
        );
    }
    let state = ledger::state_at(ctx, &store, chrono::NaiveDate::MAX)?;
    println!(
        "{} transaction(s); cash {}, margin used {}, {} position(s), realized P&L {}",
        txs.len(),
        state.cash,
        state.margin_used,
        state.positions.len(),
        state.realized_pnl()
    );
    Ok(0)
}

fn show(ctx: &Context, id: i64, json: bool) -> Result<u8> {
    let store = ctx.open_store()?;
    let t = store
        .ledger_transaction(id)?
        .ok_or_else(|| user_error(format!("id: no transaction {id}")))?;
    let state = ledger::state_at(ctx, &store, t.date)?;
    if json {
        let v = serde_json::json!({ "transaction": t, "state_after_day": state });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    println!(
        "Transaction {id}: {} on {} ({})",
        t.describe(),
        t.date,
        t.source.as_str()
    );
    println!("  Cash effect:  {}", t.amount);
    if let Some(n) = &t.notes {
        println!("  Notes:        {n}");
    }
    if let Some(s) = t.signal_id {
        println!("  Signal:       {s}");
    }
    if let Some(r) = t.recommendation_id {
        println!("  Swap:         {r}");
    }
    println!(
        "After {}: cash {}, margin used {}",
        t.date, state.cash, state.margin_used
    );
    for p in state.positions.values() {
        println!(
            "  {:<8} {:>12} @ {:>10}  ({} lot(s))",
            p.symbol.as_str(),
            p.quantity().normalize(),
            p.avg_cost(),
            p.lots.len()
        );
    }
    Ok(0)
}

fn proposals(ctx: &Context, json: bool) -> Result<u8> {
    let mut store = ctx.open_store()?;
    let found = store.transaction(|tx| ledger::proposals(ctx, tx))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&found)?);
        return Ok(0);
    }
    if found.is_empty() {
        println!("No split or dividend seen in the stored prices of what the ledger held");
    }
    for (i, p) in found.iter().enumerate() {
        let status = if p.recorded {
            "recorded"
        } else {
            "pending: ducklens ledger confirm"
        };
        println!(
            "{:>3}  {}  [{status}{}]",
            i + 1,
            p.describe(),
            if p.recorded {
                String::new()
            } else {
                format!(" {}", i + 1)
            }
        );
    }
    Ok(0)
}
