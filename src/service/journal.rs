//! The journal's upkeep and summary: judging untaken signals after their horizon, following
//! up old swaps, and the statistics with the closes they need; and recording a new signal
//! with what the user leaves out filled from that day's stored data.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::Context;
use crate::domain::analyzer::SymbolSeries;
use crate::domain::journal::{judge_not_taken, Outcome, SignalRecord, SignalType};
use crate::domain::symbol::Symbol;
use crate::domain::tracker;
use crate::store::{self, Store};

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

pub fn journal_stats(
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
