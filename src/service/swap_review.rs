//! Swaps, expected against actual (see `domain::swap_review`): read from the stored
//! recommendations and the prices, as of a day. A view at a past day D sees the swaps
//! recommended on or before D, and an actual figure only once its follow-up window ended by
//! D, so the view never knows what that day did not.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use color_eyre::eyre::Result;
use rust_decimal::prelude::ToPrimitive;

use super::Context;
use crate::domain::analyzer::SymbolSeries;
use crate::domain::swap_review::{expected_improvement_pct, SwapReview};
use crate::domain::symbol::Symbol;
use crate::store::Store;

/// How many swaps the view reads, newest first: years of daily checks.
const MAX_SWAPS: usize = 10_000;

pub fn swap_reviews(ctx: &Context, store: &Store, as_of: NaiveDate) -> Result<Vec<SwapReview>> {
    let rules = &ctx.config;
    let lookback = rules.general.lookback_days;
    let followup = rules.journal.followup_days;
    let swaps: Vec<_> = store
        .stored_swaps(MAX_SWAPS)?
        .into_iter()
        .filter(|s| s.date <= as_of)
        .collect();
    let mut series: BTreeMap<Symbol, SymbolSeries> = BTreeMap::new();
    for symbol in swaps.iter().flat_map(|s| [&s.reduce, &s.increase]) {
        if !series.contains_key(symbol) {
            let bars = store.bars(symbol)?;
            series.insert(
                symbol.clone(),
                SymbolSeries {
                    bars,
                    indicators: Vec::new(),
                    range_60d: None,
                },
            );
        }
    }
    // The lookback return at the recommendation: the same two dates for both legs.
    let lookback_at = |symbol: &Symbol, day: NaiveDate| {
        let from = day - Duration::days(i64::from(lookback));
        series.get(symbol)?.return_between_pct(from, day)
    };
    Ok(swaps
        .into_iter()
        .map(|s| {
            let expected = match (
                lookback_at(&s.increase, s.date),
                lookback_at(&s.reduce, s.date),
            ) {
                (Some(up), Some(down)) => expected_improvement_pct(up, down, lookback, followup),
                _ => None,
            };
            let window_ended = s.date + Duration::days(i64::from(followup)) <= as_of;
            SwapReview {
                id: s.id,
                date: s.date,
                executed: s.executed && s.execution_date.is_none_or(|d| d.date() <= as_of),
                points: s.expected_improvement_pct.and_then(|p| p.to_f64()),
                expected_pct: expected,
                actual_pct: s
                    .actual_improvement_pct
                    .filter(|_| window_ended)
                    .and_then(|p| p.to_f64()),
                reduce: s.reduce,
                increase: s.increase,
            }
        })
        .collect())
}
