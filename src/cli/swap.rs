//! `ducklens swap`: the stored swap recommendations, and executing one exactly as the app's
//! execution form does (both apply `Op::ExecuteSwap`); recording the day's swaps as the app's
//! Optimization tab does.

use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use super::args::SwapArgs;
use super::{user_error, Context};
use crate::market::portfolio_file::parse_decimal;
use crate::report;
use crate::service::ops::{self, Change, Op, SwapRef};
use crate::service::swap::SwapFills;

pub fn run(ctx: &Context, args: SwapArgs) -> Result<u8> {
    let mut store = ctx.open_store()?;
    match args {
        SwapArgs::List { limit, json } => {
            let swaps = store.stored_swaps(limit)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&swaps)?);
            } else if swaps.is_empty() {
                println!("No stored swaps: `ducklens morning-check` records the day's swaps");
            } else {
                println!("{}", report::swaps::swap_table(&swaps));
            }
        }
        SwapArgs::Execute {
            id,
            sell_qty,
            sell_price,
            buy_qty,
            buy_price,
            date,
            json,
        } => {
            // Every value is checked before the transaction starts.
            let fills = SwapFills {
                sell_quantity: number("--sell-qty", sell_qty)?,
                sell_price: number("--sell-price", sell_price)?,
                buy_quantity: number("--buy-qty", buy_qty)?,
                buy_price: number("--buy-price", buy_price)?,
                date,
            };
            let op = Op::ExecuteSwap {
                swap: SwapRef::Stored(id),
                fills,
            };
            let applied = ops::apply(ctx, &mut store, op)?;
            let Change::SwapExecuted(done) = &applied.change else {
                return Err(color_eyre::eyre::eyre!("swap {id}: no execution reported"));
            };
            if json {
                let value = serde_json::json!({
                    "id": done.swap.id,
                    "date": done.date,
                    "sell": {"symbol": done.sell.symbol, "quantity": done.sell.quantity, "price": done.sell.price},
                    "buy": {"symbol": done.buy.symbol, "quantity": done.buy.quantity, "price": done.buy.price},
                    "cash_change": done.cash_change,
                    "borrowed": done.borrowed,
                    "legs_taken": done.legs_taken,
                });
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                println!("{}", applied.summary);
            }
        }
        SwapArgs::Record { as_of, json } => {
            let applied = ops::apply(ctx, &mut store, Op::RecordSwaps { as_of })?;
            match (&applied.change, json) {
                (Change::SwapsRecorded(r), true) => {
                    println!("{}", serde_json::to_string_pretty(r)?)
                }
                _ => println!("{}", applied.summary),
            }
        }
    }
    Ok(0)
}

fn number(flag: &str, raw: Option<String>) -> Result<Option<Decimal>> {
    raw.map(|r| parse_decimal(&r).map_err(|e| user_error(format!("{flag}: {e}"))))
        .transpose()
}
