//! Commands over the portfolio model: import, export, holding, watch, account, db-check, config.

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use super::args::{
    AccountArgs, ConfigArgs, DbCheckArgs, ExportArgs, ExportFormat, HoldingArgs, ImportArgs,
    WatchArgs,
};
use super::{user_error, Context};
use crate::domain::parse::{parse_decimal, DecimalMark};
use crate::domain::portfolio::{to_cents, to_price, AccountBalance, Holding, WatchItem};
use crate::domain::symbol::Symbol;
use crate::market::portfolio_file;
use crate::report;
use crate::store;

pub fn import(ctx: &Context, args: ImportArgs) -> Result<u8> {
    match args {
        ImportArgs::Portfolio {
            file,
            merge,
            decimal_comma,
        } => {
            // Parse and validate everything before the database is touched.
            let parsed =
                portfolio_file::read_portfolio(&file, DecimalMark::comma_if(decimal_comma))?;
            if let Some(day) = parsed.cash_as_of.filter(|d| *d > ctx.today) {
                return Err(user_error(format!(
                    "{}: $.last_updated: {day} is in the future",
                    file.display()
                )));
            }
            let mut store = ctx.open_store()?;
            let latest = store.latest_balance()?;
            let today = ctx.today;
            store.in_transaction(|tx| {
                if !merge {
                    store::clear_holdings(tx)?;
                }
                for h in &parsed.holdings {
                    store::upsert_holding(tx, h)?;
                }
                if let Some(cash) = parsed.cash {
                    // The cash is from the file's day, not the day it is imported.
                    let day = parsed.cash_as_of.unwrap_or(today);
                    store::record_balance(tx, &carry_margin(latest.as_ref(), day, cash))?;
                }
                Ok(())
            })?;
            println!(
                "Imported {} holding(s) from {}{}{}{}",
                parsed.holdings.len(),
                file.display(),
                if merge {
                    " (merged)"
                } else {
                    " (replacing the previous holdings)"
                },
                parsed
                    .cash
                    .map(|c| format!("; cash {c}"))
                    .unwrap_or_default(),
                if decimal_comma {
                    "; numbers read with decimal commas"
                } else {
                    ""
                }
            );
        }
        ImportArgs::Watchlist { file } => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(&file)
                .map_err(|e| user_error(format!("cannot read {name}: {e}")))?;
            let symbols = portfolio_file::parse_watchlist(&text, &name)?;
            let mut store = ctx.open_store()?;
            store.in_transaction(|tx| {
                for (symbol, notes) in &symbols {
                    store::add_watch(
                        tx,
                        &WatchItem {
                            symbol: symbol.clone(),
                            added: ctx.today,
                            notes: notes.clone(),
                        },
                    )?;
                }
                Ok(())
            })?;
            println!("Watchlist: {} symbol(s) from {name}", symbols.len());
        }
        ImportArgs::Prices {
            paths,
            skip_bad,
            decimal_comma,
            json,
        } => {
            let mark = DecimalMark::comma_if(decimal_comma);
            return super::market::import_prices(ctx, &paths, skip_bad, mark, json);
        }
    }
    Ok(0)
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

fn holding_from(
    symbol: Symbol,
    quantity: Decimal,
    avg_cost: Decimal,
    opened: Option<NaiveDate>,
    notes: Option<String>,
) -> Result<Holding> {
    Holding::new(
        symbol,
        to_price(quantity),
        to_price(avg_cost),
        opened,
        notes,
    )
    .map_err(|e| user_error(e.to_string()))
}

pub fn holding(ctx: &Context, args: HoldingArgs) -> Result<u8> {
    match args {
        HoldingArgs::Add(f) => {
            if f.opened.is_some() {
                ctx.fact_date("opened", f.opened)?;
            }
            let h = holding_from(
                symbol_arg(&f.symbol)?,
                decimal_arg("quantity", &f.quantity)?,
                decimal_arg("avg_cost", &f.avg_cost)?,
                f.opened,
                f.notes,
            )?;
            ctx.open_store()?.upsert_holding(&h)?;
            println!("Saved {} {} @ {}", h.symbol, h.quantity, h.avg_cost);
        }
        HoldingArgs::Edit {
            symbol,
            quantity,
            avg_cost,
            opened,
            notes,
        } => {
            let symbol = symbol_arg(&symbol)?;
            if opened.is_some() {
                ctx.fact_date("opened", opened)?;
            }
            let store = ctx.open_store()?;
            let current = store
                .holdings()?
                .into_iter()
                .find(|h| h.symbol == symbol)
                .ok_or_else(|| user_error(format!("{symbol} is not a holding")))?;
            let h = holding_from(
                symbol,
                quantity.map_or(Ok(current.quantity), |q| decimal_arg("quantity", &q))?,
                avg_cost.map_or(Ok(current.avg_cost), |c| decimal_arg("avg_cost", &c))?,
                opened.or(current.opened),
                notes.or(current.notes),
            )?;
            store.upsert_holding(&h)?;
            println!("Updated {} {} @ {}", h.symbol, h.quantity, h.avg_cost);
        }
        HoldingArgs::Remove { symbol } => {
            let symbol = symbol_arg(&symbol)?;
            if !ctx.open_store()?.remove_holding(&symbol)? {
                return Err(user_error(format!("{symbol} is not a holding")));
            }
            println!("Removed {symbol}");
        }
        HoldingArgs::List { json } => {
            let holdings = ctx.open_store()?.holdings()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&holdings)?);
            } else {
                print!("{}", report::portfolio::holdings_table(&holdings));
            }
        }
    }
    Ok(0)
}

pub fn watch(ctx: &Context, args: WatchArgs) -> Result<u8> {
    match args {
        WatchArgs::Add { symbols, notes } => {
            let symbols: Vec<Symbol> = symbols
                .iter()
                .map(|s| symbol_arg(s))
                .collect::<Result<_>>()?;
            let mut store = ctx.open_store()?;
            store.in_transaction(|tx| {
                for symbol in &symbols {
                    let item = WatchItem {
                        symbol: symbol.clone(),
                        added: ctx.today,
                        notes: notes.clone(),
                    };
                    store::add_watch(tx, &item)?;
                }
                Ok(())
            })?;
            println!("Watching {}", join(&symbols));
        }
        WatchArgs::Remove { symbols } => {
            let symbols: Vec<Symbol> = symbols
                .iter()
                .map(|s| symbol_arg(s))
                .collect::<Result<_>>()?;
            let mut store = ctx.open_store()?;
            let missing = store.in_transaction(|tx| {
                let mut missing = Vec::new();
                for symbol in &symbols {
                    if !store::remove_watch(tx, symbol)? {
                        missing.push(symbol.clone());
                    }
                }
                Ok(missing)
            })?;
            if !missing.is_empty() {
                return Err(user_error(format!(
                    "not on the watchlist: {}",
                    join(&missing)
                )));
            }
            println!("Removed {}", join(&symbols));
        }
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
        }
    }
    Ok(0)
}

fn join(symbols: &[Symbol]) -> String {
    symbols
        .iter()
        .map(Symbol::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn account(ctx: &Context, args: AccountArgs) -> Result<u8> {
    let store = ctx.open_store()?;
    match args {
        AccountArgs::Show { json } => {
            let latest = store.latest_balance()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&latest)?);
            } else {
                match latest {
                    Some(b) => print!("{}", report::portfolio::balance_text(&b)),
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
            let latest = store.latest_balance()?;
            let pick =
                |field: &str, raw: Option<String>, old: Option<Decimal>| -> Result<Decimal> {
                    let value = match raw {
                        Some(raw) => decimal_arg(field, &raw)?,
                        None => old.unwrap_or(Decimal::ZERO),
                    };
                    if value < Decimal::ZERO {
                        return Err(user_error(format!(
                            "{field}: cannot be negative, got {value}"
                        )));
                    }
                    Ok(to_cents(value))
                };
            let balance = AccountBalance {
                as_of: ctx.fact_date("date", date)?,
                cash: pick("cash", cash, latest.as_ref().map(|b| b.cash))?,
                margin_available: pick(
                    "margin_available",
                    margin_available,
                    latest.as_ref().map(|b| b.margin_available),
                )?,
                margin_used: pick(
                    "margin_used",
                    margin_used,
                    latest.as_ref().map(|b| b.margin_used),
                )?,
                notes,
            };
            store.record_balance(&balance)?;
            print!("{}", report::portfolio::balance_text(&balance));
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
