//! Recording the morning analysis's swaps, and executing one.

use chrono::{NaiveDate, NaiveTime};

use super::{Applied, Change, OpError, SwapRef};
use crate::domain::analyzer::{Analysis, CheckMode};
use crate::service::analysis::analysis;
use crate::service::swap::{execute_in, SwapFills};
use crate::service::Context;
use crate::store::{self, Recorded, Store, StoreError};

/// The morning check's swaps are recorded at the open of their day.
fn recorded_at(a: &Analysis) -> chrono::NaiveDateTime {
    a.as_of
        .and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default())
}

/// Stores every swap of `a` (one transaction); those already stored are kept. Also what
/// `morning-check` does after printing.
pub fn record_swaps_of(store: &mut Store, a: &Analysis) -> Result<Recorded, OpError> {
    Ok(store.in_transaction(|tx| store::record_swaps(tx, a, recorded_at(a)))?)
}

fn morning(ctx: &Context, store: &Store, as_of: Option<NaiveDate>) -> Result<Analysis, OpError> {
    analysis(ctx, store, as_of, CheckMode::Morning).map_err(OpError::from_report)
}

pub(super) fn record(
    ctx: &Context,
    store: &mut Store,
    as_of: Option<NaiveDate>,
) -> Result<Applied, OpError> {
    let a = morning(ctx, store, as_of)?;
    if a.swaps.is_empty() {
        return Ok(Applied::new(
            format!("No swaps to record on {}", a.as_of),
            Change::SwapsRecorded(Recorded::default()),
        ));
    }
    let r = record_swaps_of(store, &a)?;
    Ok(Applied::new(
        format!(
            "Recorded {} recommendation(s) and {} signal(s) of {}; already stored ones were kept",
            r.recommendations, r.signals, a.as_of
        ),
        Change::SwapsRecorded(r),
    ))
}

pub(super) fn execute(
    ctx: &Context,
    store: &mut Store,
    swap: SwapRef,
    fills: SwapFills,
) -> Result<Applied, OpError> {
    ctx.fact_date("date", fills.date)?;
    let today = ctx.today;
    let method = ctx.config.ledger.cost_method;
    let done = match swap {
        SwapRef::Stored(id) => store.transaction(|tx| execute_in(tx, today, method, id, &fills))?,
        SwapRef::Recommended { as_of, sell, buy } => {
            let a = morning(ctx, store, Some(as_of))?;
            store.transaction(|tx| -> store::Result<_> {
                store::record_swaps(tx, &a, recorded_at(&a))?;
                let id = store::stored_swap_id(tx, a.as_of, &sell, &buy)?.ok_or_else(|| {
                    StoreError::Invalid(format!(
                        "no recommendation {sell} → {buy} on {}: refresh and try again",
                        a.as_of
                    ))
                })?;
                execute_in(tx, today, method, id, &fills)
            })?
        }
    };
    Ok(Applied::new(
        done.summary(),
        Change::SwapExecuted(Box::new(done)),
    ))
}
