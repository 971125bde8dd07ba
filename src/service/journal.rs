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
use crate::domain::journal::{
    judge_not_taken, judge_not_taken_exit, Outcome, SignalRecord, SignalType,
};
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
        .map(|(symbol, from)| Ok((symbol.clone(), store.bars_since(symbol, from)?)))
        .collect()
}

/// Judges every signal not taken whose horizon has passed, in one transaction: a BUY by
/// whether its target came before its stop, a SELL or HOLD by whether the price fell
/// through its stop (see `judge_not_taken_exit`).
pub fn evaluate(ctx: &Context, store: &mut Store) -> Result<EvaluationSummary> {
    let horizon = ctx.config.journal.horizon_trading_days;
    let pending = store.pending_signals()?;
    let bars = bars_from_first_signal(store, &pending)?;
    let mut judged = Vec::new();
    for mut s in pending {
        let all = bars.get(&s.symbol).map_or(&[][..], Vec::as_slice);
        if judge(&mut s, all, horizon) {
            judged.push(s);
        }
    }
    store.in_transaction(|tx| store::record_verdicts(tx, &judged))?;
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

/// Judges one untaken signal when `bars` cover its horizon; false when they do not yet.
/// The levels are first put on the basis of today's adjusted bars (`rescale_to`), so the
/// verdict does not depend on when the history was last re-adjusted.
fn judge(s: &mut SignalRecord, bars: &[crate::domain::bar::Bar], horizon: usize) -> bool {
    let split = bars.partition_point(|b| b.date <= s.signal_date);
    let after = &bars[split..];
    let (Some(recorded), true) = (s.price_at_signal, after.len() >= horizon) else {
        return false;
    };
    let scale = s.rescale_to(split.checked_sub(1).map(|i| &bars[i]));
    let price = recorded * scale;
    let stop = s
        .stop_loss
        .map_or(price * (Decimal::ONE - Decimal::new(8, 2)), |v| v * scale);
    let qty = Decimal::from(s.suggested_quantity.unwrap_or(1).max(1));
    let (outcome, potential) = if s.signal_type == SignalType::Buy {
        let target = s
            .target_exit
            .map_or(price * Decimal::new(110, 2), |v| v * scale);
        judge_not_taken(&after[..horizon], price, target, stop, qty)
    } else {
        judge_not_taken_exit(&after[..horizon], price, stop, qty)
    };
    s.outcome = Some(outcome);
    // Back to the money of the recorded quantity (a later split scales shares, not money).
    s.max_profit_potential = Some(if scale.is_zero() {
        potential
    } else {
        (potential / scale).round_dp(2)
    });
    true
}

/// The journal as it stood at the end of `as_of`: signals of that day and before, exits
/// after it still open, and untaken signals judged again with bars dated ≤ `as_of` only.
/// Nothing is written.
pub fn journal_as_of(
    ctx: &Context,
    store: &Store,
    signals: &[SignalRecord],
    as_of: NaiveDate,
) -> Result<Vec<SignalRecord>> {
    let mut view: Vec<SignalRecord> = signals
        .iter()
        .filter(|s| s.signal_date <= as_of)
        .cloned()
        .collect();
    let bars = bars_from_first_signal(store, &view)?;
    let horizon = ctx.config.journal.horizon_trading_days;
    for s in &mut view {
        if s.action_taken && s.actual_entry_date.is_some_and(|d| d > as_of) {
            s.action_taken = false;
            s.actual_entry_date = None;
            s.actual_entry_price = None;
            s.actual_quantity = None;
        }
        if s.exit_date.is_some_and(|d| d > as_of) || !s.action_taken {
            s.exit_date = None;
            s.exit_price = None;
            s.actual_profit = None;
            s.days_held = None;
            s.outcome = None;
            s.max_profit_potential = None;
        }
        if !s.action_taken {
            let all = bars.get(&s.symbol).map_or(&[][..], Vec::as_slice);
            let known = &all[..all.partition_point(|b| b.date <= as_of)];
            judge(s, known, horizon);
        }
    }
    Ok(view)
}

/// Paper-trading record of every swap older than the follow-up window, executed or not:
/// the increase symbol's return minus the reduce symbol's since the recommendation.
fn follow_up_recommendations(ctx: &Context, store: &mut Store) -> Result<usize> {
    let window = chrono::Duration::days(i64::from(ctx.config.journal.followup_days));
    let pending = store.pending_follow_ups(ctx.today - window)?;
    let mut measured = Vec::new();
    for rec in pending {
        // Exactly `followup_days` after the recommendation (the last bar on or before that
        // day), measured once a bar on or after that day exists, so the figure never
        // depends on when `evaluate` happens to run.
        let end = rec.date + window;
        let ret = |raw: &str| -> Result<Option<f64>> {
            let Ok(symbol) = Symbol::parse(raw) else {
                return Ok(None);
            };
            let series = SymbolSeries {
                indicators: Vec::new(),
                bars: store.bars(&symbol)?,
                range_60d: None,
            };
            if series.bars.last().is_none_or(|b| b.date < end) {
                return Ok(None);
            }
            Ok(series.return_between_pct(rec.date, end))
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
            // A view at `as_of` sees only the bars of that day and before.
            let closes = bars
                .iter()
                .filter(|b| b.date <= as_of)
                .map(|b| (b.date, b.adjusted().close))
                .collect();
            (symbol.to_string(), closes)
        })
        .collect();
    let mut stats = tracker::journal_stats(
        signals,
        as_of,
        &ctx.config.journal.windows_days,
        &closes,
        ctx.config.journal.horizon_trading_days,
    );
    stats.swaps = super::swap_review::swap_reviews(ctx, store, as_of)?;
    stats.swap_summary =
        crate::domain::swap_review::summarize(&stats.swaps, ctx.config.journal.followup_days);
    Ok(stats)
}
