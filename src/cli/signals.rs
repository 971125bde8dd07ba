//! `ducklens signals …`: the journal from the command line.

use color_eyre::eyre::Result;
use rust_decimal::Decimal;
use serde::Serialize;

use super::args::{SignalsArgs, SignalsCommand};
use super::{user_error, Context};
use crate::domain::journal::{Outcome, SignalRecord};
use crate::market::portfolio_file::parse_decimal;
use crate::report;
use crate::service::journal::{evaluate, journal_as_of, journal_stats};
use crate::service::journal_ops;
use crate::store::{self, Store};

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
            let list: Vec<SignalRecord> = store::signals(store.conn())?
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
            let draft = crate::service::record::SignalDraft {
                symbol: a.symbol,
                signal_type: a.signal_type,
                source: a.source,
                strength: a.strength,
                price: a.price,
                notes: a.notes,
                date: a.date,
            };
            let mut s = crate::service::record::record(ctx, &store, draft)?;
            s.id = Some(store::insert_signal(store.conn(), &s)?);
            emit(json, &s, || {
                format!(
                    "Signal {} recorded: {} {} at {} (strength {})\n",
                    s.id.unwrap_or_default(),
                    s.signal_type.as_str(),
                    s.symbol,
                    s.price_at_signal.map(|p| p.to_string()).unwrap_or_default(),
                    s.signal_strength
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "—".into())
                )
            })
        }
        SignalsCommand::Take {
            id,
            price,
            qty,
            date,
        } => {
            let price = decimal("price", &price)?;
            let qty = decimal("qty", &qty)?;
            let s = journal_ops::take(ctx, &store, id, date, price, qty)?;
            emit(json, &s, || {
                format!("Signal {id}: taken, {qty} {} @ {price}\n", s.symbol)
            })
        }
        SignalsCommand::Close {
            id,
            price,
            date,
            outcome,
            yes,
        } => {
            let price = decimal("price", &price)?;
            let s = journal_ops::close(ctx, &store, id, date, price, outcome.as_deref(), yes)?;
            emit(json, &s, || {
                format!(
                    "Signal {id}: closed at {price}, P&L {:.2}, {} after {} day(s)\n",
                    s.actual_profit.unwrap_or_default(),
                    s.outcome.map_or("", |o| o.as_str()),
                    s.days_held.unwrap_or_default()
                )
            })
        }
        SignalsCommand::Note { id, text } => {
            let s = journal_ops::note(&store, id, &text)?;
            emit(json, &s, || format!("Signal {id}: notes saved\n"))
        }
        SignalsCommand::Delete { id, yes } => {
            load(&store, id)?;
            if !yes {
                return Err(user_error(format!(
                    "deleting signal {id} hides it from every view; repeat with --yes to confirm"
                )));
            }
            store::hide_signal(store.conn(), id)?;
            emit(json, &serde_json::json!({"deleted": id}), || {
                format!("Signal {id}: deleted (kept hidden)\n")
            })
        }
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
            let mut signals = store::signals(store.conn())?;
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

fn emit<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) -> Result<u8> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        print!("{}", text());
    }
    Ok(0)
}

fn load(store: &Store, id: i64) -> Result<SignalRecord> {
    store::signal(store.conn(), id)?.ok_or_else(|| user_error(format!("signal {id} not found")))
}

fn decimal(field: &str, raw: &str) -> Result<Decimal> {
    parse_decimal(raw).map_err(|e| user_error(format!("{field}: {e}")))
}

fn parse_outcome(raw: &str) -> Result<Outcome> {
    Outcome::parse(raw).ok_or_else(|| {
        user_error(format!(
            "unknown outcome {raw:?}; use WIN, LOSS, BREAKEVEN, MISSED or PASSED"
        ))
    })
}
