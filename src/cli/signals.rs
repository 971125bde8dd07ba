//! `ducklens signals …`: the journal from the command line.

use color_eyre::eyre::Result;
use rust_decimal::Decimal;
use serde::Serialize;

use super::args::{SignalsArgs, SignalsCommand};
use super::{user_error, Context};
use crate::domain::journal::{Outcome, SignalRecord, SignalType};
use crate::domain::symbol::Symbol;
use crate::market::portfolio_file::parse_decimal;
use crate::report;
use crate::service::journal::{evaluate, journal_as_of, journal_stats};
use crate::service::ops::{self, Change, Op, SignalDraft};
use crate::store::Store;

pub fn run(ctx: &Context, args: SignalsArgs) -> Result<u8> {
    let mut store = ctx.open_store()?;
    let json = args.json;
    match args.command {
        SignalsCommand::List {
            source,
            outcome,
            taken,
            open,
            limit,
        } => {
            let wanted = outcome.as_deref().map(parse_outcome).transpose()?;
            let list: Vec<SignalRecord> = store
                .signals()?
                .into_iter()
                .filter(|s| {
                    source
                        .as_ref()
                        .is_none_or(|src| s.signal_source.eq_ignore_ascii_case(src))
                })
                .filter(|s| wanted.is_none_or(|o| s.outcome == Some(o)))
                .filter(|s| !taken || s.action_taken)
                .filter(|s| !open || (s.action_taken && s.exit_date.is_none()))
                .take(limit)
                .collect();
            emit(json, &list, || report::signals::signal_table(&list) + "\n")
        }
        SignalsCommand::Show { id } => {
            let s = load(&store, id)?;
            emit(json, &s, || report::signals::signal_detail(&s))
        }
        SignalsCommand::Record(a) => {
            let draft = SignalDraft {
                symbol: Symbol::parse(&a.symbol).map_err(|e| user_error(format!("symbol: {e}")))?,
                signal_type: SignalType::parse(&a.signal_type).ok_or_else(|| {
                    user_error(format!(
                        "type: {:?} is not BUY, SELL or HOLD",
                        a.signal_type
                    ))
                })?,
                source: a.source,
                strength: a.strength,
                price: a.price.map(|p| decimal("price", &p)).transpose()?,
                notes: a.notes,
                date: a.date,
            };
            change(ctx, &mut store, json, Op::NewSignal(draft))
        }
        SignalsCommand::Take {
            id,
            price,
            qty,
            date,
        } => {
            let op = Op::TakeSignal {
                id,
                date,
                price: decimal("price", &price)?,
                quantity: decimal("qty", &qty)?,
            };
            change(ctx, &mut store, json, op)
        }
        SignalsCommand::Close {
            id,
            price,
            date,
            outcome,
            yes,
        } => {
            let op = Op::CloseSignal {
                id,
                date,
                price: decimal("price", &price)?,
                outcome: outcome.as_deref().map(parse_exit_outcome).transpose()?,
                confirmed: yes,
            };
            change(ctx, &mut store, json, op)
        }
        SignalsCommand::Note { id, text } => {
            change(ctx, &mut store, json, Op::NoteSignal { id, text })
        }
        SignalsCommand::Delete { id, yes } => change(
            ctx,
            &mut store,
            json,
            Op::DeleteSignal { id, confirmed: yes },
        ),
        SignalsCommand::Evaluate => {
            let summary = evaluate(ctx, &mut store)?;
            emit(json, &summary, || {
                format!(
                    "Evaluated {} signal(s): {} missed, {} passed; {} recommendation(s) followed up\n",
                    summary.evaluated, summary.missed, summary.passed, summary.recommendations_followed_up
                )
            })
        }
        SignalsCommand::Stats { as_of } => {
            evaluate(ctx, &mut store)?;
            let mut signals = store.signals()?;
            // A past day's view knows only what that day knew.
            if let Some(day) = as_of.filter(|d| *d < ctx.today) {
                signals = journal_as_of(ctx, &store, &signals, day)?;
            }
            let stats = journal_stats(ctx, &store, &signals, as_of.unwrap_or(ctx.today))?;
            emit(json, &stats, || {
                report::signals::stats_text(&stats, &signals)
            })
        }
    }
}

/// Applies `op` and prints its summary, or (`--json`) the entry as stored.
fn change(ctx: &Context, store: &mut Store, json: bool, op: Op) -> Result<u8> {
    let applied = ops::apply(ctx, store, op)?;
    match &applied.change {
        Change::Signal(s) => emit(json, s, || format!("{}\n", applied.summary)),
        Change::SignalHidden(id) => emit(json, &serde_json::json!({"deleted": id}), || {
            format!("{}\n", applied.summary)
        }),
        _ => emit(json, &applied.summary, || format!("{}\n", applied.summary)),
    }
}

fn emit<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) -> Result<u8> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        print!("{}", text());
    }
    Ok(0)
}

fn load(store: &Store, id: i64) -> Result<SignalRecord> {
    store
        .signal(id)?
        .ok_or_else(|| user_error(format!("signal {id} not found")))
}

fn decimal(field: &str, raw: &str) -> Result<Decimal> {
    parse_decimal(raw).map_err(|e| user_error(format!("{field}: {e}")))
}

/// The outcome a closed trade can be given.
fn parse_exit_outcome(raw: &str) -> Result<Outcome> {
    match Outcome::parse(raw) {
        Some(o @ (Outcome::Win | Outcome::Loss | Outcome::Breakeven)) => Ok(o),
        _ => Err(user_error(format!(
            "outcome: unknown outcome {raw:?}; use WIN, LOSS or BREAKEVEN"
        ))),
    }
}

fn parse_outcome(raw: &str) -> Result<Outcome> {
    Outcome::parse(raw).ok_or_else(|| {
        user_error(format!(
            "unknown outcome {raw:?}; use WIN, LOSS, BREAKEVEN, MISSED or PASSED"
        ))
    })
}
