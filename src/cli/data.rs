//! Commands over the portfolio model: import, export, holding, watch, account, db-check, config.

use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use super::args::{
    AccountArgs, ConfigArgs, DbCheckArgs, ExportArgs, ExportFormat, HoldingArgs, ImportArgs,
    WatchArgs,
};
use super::{user_error, Context};
use crate::domain::parse::{parse_decimal, DecimalMark};
use crate::domain::portfolio::{Holding, WatchItem};
use crate::domain::symbol::Symbol;
use crate::report;
use crate::service::import;
use crate::service::ops::{BalanceInput, Change, HoldingEdit, Op, OpError};

pub fn import(ctx: &Context, args: ImportArgs) -> Result<u8> {
    let mut read_with_commas = false;
    // Parsed and checked before the database is touched (`service::import`, as the app's).
    let op = match args {
        ImportArgs::Portfolio {
            file,
            merge,
            decimal_comma,
        } => {
            read_with_commas = decimal_comma;
            import::portfolio_op(&file, merge, DecimalMark::comma_if(decimal_comma))?
        }
        ImportArgs::Watchlist { file } => import::watchlist_op(ctx, &file)?,
        ImportArgs::Transactions { file } => import::transactions_op(&file)?,
        ImportArgs::Prices {
            paths,
            skip_bad,
            decimal_comma,
            json,
        } => {
            let mark = DecimalMark::comma_if(decimal_comma);
            return super::market::import_prices(ctx, &paths, skip_bad, mark, json);
        }
    };
    let summary = super::apply(ctx, op)?.summary;
    if read_with_commas {
        println!("{summary}; numbers read with decimal commas");
    } else {
        println!("{summary}");
    }
    Ok(0)
}

pub fn export(ctx: &Context, args: ExportArgs) -> Result<u8> {
    let ExportArgs::Portfolio { format, output } = args;
    let store = ctx.open_store()?;
    let holdings = store.holdings()?;
    let cash = store.latest_balance()?.map(|b| b.cash);
    let text = match format {
        ExportFormat::Json => report::portfolio::to_json(&holdings, cash, ctx.today),
        ExportFormat::Csv => report::portfolio::to_csv(&holdings)?,
    };
    match output {
        Some(path) => {
            std::fs::write(&path, text)
                .map_err(|e| user_error(format!("cannot write {}: {e}", path.display())))?;
            println!("Wrote {} holding(s) to {}", holdings.len(), path.display());
        }
        None => print!("{text}"),
    }
    Ok(0)
}

fn symbol_arg(raw: &str) -> Result<Symbol> {
    Symbol::parse(raw).map_err(|e| user_error(format!("symbol: {e}")))
}

fn decimal_arg(field: &str, raw: &str) -> Result<Decimal> {
    parse_decimal(raw).map_err(|e| user_error(format!("{field}: {e}")))
}

fn optional_decimal(field: &str, raw: Option<String>) -> Result<Option<Decimal>> {
    raw.map(|r| decimal_arg(field, &r)).transpose()
}

pub fn holding(ctx: &Context, args: HoldingArgs) -> Result<u8> {
    let op = match args {
        HoldingArgs::Add(f) => Op::SaveHolding {
            holding: Holding::new(
                symbol_arg(&f.symbol)?,
                decimal_arg("quantity", &f.quantity)?,
                decimal_arg("avg_cost", &f.avg_cost)?,
                f.opened,
                f.notes,
            )
            .map_err(OpError::from)?,
            replaces: None,
        },
        HoldingArgs::Edit {
            symbol,
            quantity,
            avg_cost,
            opened,
            notes,
        } => Op::EditHolding(HoldingEdit {
            symbol: symbol_arg(&symbol)?,
            quantity: optional_decimal("quantity", quantity)?,
            avg_cost: optional_decimal("avg_cost", avg_cost)?,
            opened,
            notes,
        }),
        HoldingArgs::Remove { symbol } => Op::RemoveHolding(symbol_arg(&symbol)?),
        HoldingArgs::List { json } => {
            let holdings = ctx.open_store()?.holdings()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&holdings)?);
            } else {
                print!("{}", report::portfolio::holdings_table(&holdings));
            }
            return Ok(0);
        }
    };
    println!("{}", super::apply(ctx, op)?.summary);
    Ok(0)
}

fn symbols_arg(raw: &[String]) -> Result<Vec<Symbol>> {
    raw.iter().map(|s| symbol_arg(s)).collect()
}

pub fn watch(ctx: &Context, args: WatchArgs) -> Result<u8> {
    let op = match args {
        WatchArgs::Add { symbols, notes } => Op::AddWatch(
            symbols_arg(&symbols)?
                .into_iter()
                .map(|symbol| WatchItem {
                    symbol,
                    added: ctx.today,
                    notes: notes.clone(),
                })
                .collect(),
        ),
        WatchArgs::Remove { symbols } => Op::RemoveWatch(symbols_arg(&symbols)?),
        WatchArgs::List { json } => {
            let list = ctx.open_store()?.watchlist()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for item in &list {
                    println!(
                        "{:<10} {}  {}",
                        item.symbol,
                        item.added,
                        item.notes.as_deref().unwrap_or("")
                    );
                }
            }
            return Ok(0);
        }
    };
    println!("{}", super::apply(ctx, op)?.summary);
    Ok(0)
}

pub fn account(ctx: &Context, args: AccountArgs) -> Result<u8> {
    match args {
        AccountArgs::Show { json } => {
            let store = ctx.open_store()?;
            let latest = store.latest_balance()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&latest)?);
            } else {
                match latest {
                    Some(b) => {
                        print!("{}", report::portfolio::balance_text(&b));
                        // The broker's figure and the ledger's, side by side; neither changes.
                        if let Some(r) = crate::service::ledger::reconciliation(ctx, &store)? {
                            println!(
                                "  Ledger cash:       {:>10} (ledger − snapshot: {:+})",
                                r.ledger_cash, r.difference
                            );
                        }
                    }
                    None => {
                        println!("No balances recorded yet: ducklens account set --cash AMOUNT")
                    }
                }
            }
        }
        AccountArgs::Set {
            cash,
            margin_available,
            margin_used,
            date,
            notes,
        } => {
            let op = Op::RecordBalance(BalanceInput {
                as_of: date,
                cash: optional_decimal("cash", cash)?,
                margin_available: optional_decimal("margin_available", margin_available)?,
                margin_used: optional_decimal("margin_used", margin_used)?,
                notes,
            });
            let applied = super::apply(ctx, op)?;
            println!("{}", applied.summary);
            if let Change::Balance(b) = &applied.change {
                print!("{}", report::portfolio::balance_text(b));
            }
        }
    }
    Ok(0)
}

pub fn db_check(ctx: &Context, args: DbCheckArgs) -> Result<u8> {
    let store = ctx.open_store()?;
    let check = store.check(args.as_of.unwrap_or(ctx.today))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&check)?);
    } else {
        print!("{}", report::db_check::text(&check));
    }
    Ok(if check.is_clean() { 0 } else { 1 })
}

pub fn config(ctx: &Context, args: ConfigArgs) -> Result<u8> {
    if args.path {
        println!("{}", crate::paths::config_file().display());
    } else {
        let mut shown = ctx.config.clone();
        if !shown.providers.polygon_api_key.is_empty() {
            shown.providers.polygon_api_key = "********".into();
        }
        print!("{}", shown.to_toml());
    }
    Ok(0)
}
