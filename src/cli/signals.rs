//! `ducklens signals …`: the journal from the command line.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::args::{SignalsArgs, SignalsCommand};
use super::{user_error, Context};
use crate::domain::analyzer::SymbolSeries;
use crate::domain::journal::{judge_not_taken, Outcome, SignalRecord, SignalType};
use crate::domain::symbol::Symbol;
use crate::domain::tracker::{self, JournalError};
use crate::market::portfolio_file::parse_decimal;
use crate::report;
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
            let mut s = super::record::record(ctx, &store, a)?;
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
            let mut s = load(&store, id)?;
            let price = decimal("price", &price)?;
            let qty = decimal("qty", &qty)?;
            tracker::take(&mut s, date.unwrap_or(ctx.today), price, qty).map_err(journal_error)?;
            store::update_signal_progress(store.conn(), &s)?;
            emit(json, &s, || {
                format!("Signal {id}: taken, {qty} {} @ {price}\n", s.symbol)
            })
        }
        SignalsCommand::Close {
            id,
            price,
            date,
            outcome,
        } => {
            let mut s = load(&store, id)?;
            let price = decimal("price", &price)?;
            let rules = &ctx.config.journal;
            tracker::close(
                &mut s,
                date.unwrap_or(ctx.today),
                price,
                outcome.as_deref(),
                rules.commission,
                rules.breakeven_pct,
            )
            .map_err(journal_error)?;
            store::update_signal_progress(store.conn(), &s)?;
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
            let mut s = load(&store, id)?;
            s.notes = Some(text).filter(|t| !t.trim().is_empty());
            store::update_signal_progress(store.conn(), &s)?;
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
            let signals = store::signals(store.conn())?;
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
    store::signal(store.conn(), id)?.ok_or_else(|| user_error(format!("no signal with id {id}")))
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

fn journal_error(e: JournalError) -> color_eyre::Report {
    user_error(e.to_string())
}

#[derive(Debug, Default, Serialize)]
pub struct EvaluationSummary {
    pub evaluated: usize,
    pub missed: usize,
    pub passed: usize,
    pub recommendations_followed_up: usize,
}

/// Each symbol's bars from shortly before its earliest signal (the signal's own session may
/// fall on an earlier day than its date: a weekend, a holiday run): one query per symbol,
/// not per signal, and none of the older history.
fn bars_from_first_signal(
    store: &Store,
    signals: &[SignalRecord],
) -> Result<BTreeMap<Symbol, Vec<crate::domain::bar::Bar>>> {
    let mut first: BTreeMap<&Symbol, NaiveDate> = BTreeMap::new();
    for s in signals {
        let day = first.entry(&s.symbol).or_insert(s.signal_date);
        *day = (*day).min(s.signal_date);
    }
    first
        .into_iter()
        .map(|(symbol, from)| {
            Ok((
                symbol.clone(),
                store::bars_since(store.conn(), symbol, from)?,
            ))
        })
        .collect()
}

/// Judges every BUY signal not taken whose horizon has passed, in one transaction.
pub fn evaluate(ctx: &Context, store: &mut Store) -> Result<EvaluationSummary> {
    let horizon = ctx.config.journal.horizon_trading_days;
    let pending: Vec<SignalRecord> = store::signals(store.conn())?
        .into_iter()
        .filter(|s| !s.action_taken && s.outcome.is_none() && s.signal_type == SignalType::Buy)
        .collect();
    let bars = bars_from_first_signal(store, &pending)?;
    let mut judged = Vec::new();
    for mut s in pending {
        let all = bars.get(&s.symbol).map_or(&[][..], Vec::as_slice);
        let after = &all[all.partition_point(|b| b.date <= s.signal_date)..];
        let (Some(price), true) = (s.price_at_signal, after.len() >= horizon) else {
            continue;
        };
        let stop = s
            .stop_loss
            .unwrap_or(price * (Decimal::ONE - Decimal::new(8, 2)));
        let target = s.target_exit.unwrap_or(price * Decimal::new(110, 2));
        let qty = Decimal::from(s.suggested_quantity.unwrap_or(1).max(1));
        let (outcome, potential) = judge_not_taken(&after[..horizon], price, target, stop, qty);
        s.outcome = Some(outcome);
        s.max_profit_potential = Some(potential);
        judged.push(s);
    }
    store.in_transaction(|tx| {
        for s in &judged {
            store::update_signal_progress(tx, s)?;
        }
        Ok(())
    })?;
    let missed = judged
        .iter()
        .filter(|s| s.outcome == Some(Outcome::Missed))
        .count();
    let followed_up = follow_up_recommendations(ctx, store)?;
    Ok(EvaluationSummary {
        evaluated: judged.len(),
        missed,
        passed: judged.len() - missed,
        recommendations_followed_up: followed_up,
    })
}

/// Paper-trading record of every swap older than the follow-up window, executed or not:
/// the increase symbol's return minus the reduce symbol's since the recommendation.
fn follow_up_recommendations(ctx: &Context, store: &mut Store) -> Result<usize> {
    let cutoff = ctx.today - chrono::Duration::days(i64::from(ctx.config.journal.followup_days));
    let pending = store::pending_follow_ups(store.conn(), cutoff)?;
    let mut measured = Vec::new();
    for rec in pending {
        let ret = |raw: &str| -> Result<Option<f64>> {
            let Ok(symbol) = Symbol::parse(raw) else {
                return Ok(None);
            };
            let series = SymbolSeries {
                indicators: Vec::new(),
                bars: store.bars(&symbol)?,
            };
            Ok(series.return_between_pct(rec.date, ctx.today))
        };
        if let (Some(up), Some(down)) = (ret(&rec.increase)?, ret(&rec.reduce)?) {
            if let Some(pct) = Decimal::from_f64(up - down) {
                measured.push((rec.id, pct));
            }
        }
    }
    store.in_transaction(|tx| {
        for (id, pct) in &measured {
            store::set_actual_improvement(tx, *id, *pct)?;
        }
        Ok(())
    })?;
    Ok(measured.len())
}

pub(crate) fn journal_stats(
    ctx: &Context,
    store: &Store,
    signals: &[SignalRecord],
    as_of: NaiveDate,
) -> Result<tracker::JournalStats> {
    let closes: BTreeMap<String, Vec<(NaiveDate, f64)>> = bars_from_first_signal(store, signals)?
        .into_iter()
        .map(|(symbol, bars)| {
            let closes = bars.iter().map(|b| (b.date, b.adjusted().close)).collect();
            (symbol.to_string(), closes)
        })
        .collect();
    Ok(tracker::journal_stats(
        signals,
        as_of,
        &ctx.config.journal.windows_days,
        &closes,
        ctx.config.journal.horizon_trading_days,
    ))
}
