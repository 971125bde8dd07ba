//! Storing the morning check's swaps: one `rebalancing_recommendations` row per swap and a
//! `trading_signals` row per leg. Running the check twice on a day stores nothing twice.

use chrono::NaiveDateTime;
use duckdb::{params, Connection};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

use super::Result;
use crate::domain::analyzer::{Analysis, Swap};
use crate::domain::journal::{SignalRecord, SignalType};
use crate::domain::signal::SignalInputs;

pub const MORNING_SOURCE: &str = "morning_check";

/// What `record_swaps` wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Recorded {
    pub recommendations: usize,
    pub signals: usize,
}

/// Stores every swap of `analysis` at `time`, in the caller's transaction.
pub fn record_swaps(
    conn: &Connection,
    analysis: &Analysis,
    time: NaiveDateTime,
) -> Result<Recorded> {
    let mut recorded = Recorded::default();
    for swap in &analysis.swaps {
        supersede(conn, analysis, swap, time)?;
        if insert_recommendation(conn, analysis, swap, time)? {
            recorded.recommendations += 1;
        }
        for mut leg in legs(swap, time) {
            leg.price_factor = recorded_basis(conn, &leg)?;
            if !signal_exists(conn, &leg)? {
                super::journal::insert_signal(conn, &leg)?;
                recorded.signals += 1;
            }
        }
    }
    Ok(recorded)
}

/// A re-run on the same day that pairs a holding with another opportunity replaces the
/// earlier, unexecuted swap of that holding (and hides its untaken buy leg), so two stored
/// swaps never sell the same shares.
fn supersede(conn: &Connection, a: &Analysis, s: &Swap, time: NaiveDateTime) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, symbol_to_increase FROM rebalancing_recommendations
         WHERE recommendation_date::DATE = ? AND symbol_to_reduce = ? AND symbol_to_increase <> ?
           AND NOT coalesce(executed, FALSE)",
    )?;
    let old: Vec<(i64, String)> = stmt
        .query_map(
            params![
                time.date(),
                s.reduce.symbol.as_str(),
                s.increase.symbol.as_str()
            ],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .collect::<std::result::Result<_, _>>()?;
    for (id, increase) in old {
        conn.execute("DELETE FROM rebalancing_recommendations WHERE id = ?", [id])?;
        // The symbol may be bought by another of today's swaps: its leg stays then.
        if a.swaps
            .iter()
            .any(|x| x.increase.symbol.as_str() == increase)
        {
            continue;
        }
        conn.execute(
            "UPDATE trading_signals SET deleted = TRUE
             WHERE signal_date = ? AND symbol = ? AND signal_type = 'BUY' AND signal_source = ?
               AND NOT coalesce(action_taken, FALSE) AND NOT deleted",
            params![time.date(), increase, MORNING_SOURCE],
        )?;
    }
    Ok(())
}

fn insert_recommendation(
    conn: &Connection,
    a: &Analysis,
    s: &Swap,
    time: NaiveDateTime,
) -> Result<bool> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM rebalancing_recommendations
         WHERE recommendation_date::DATE = ? AND symbol_to_reduce = ? AND symbol_to_increase = ?",
        params![
            time.date(),
            s.reduce.symbol.as_str(),
            s.increase.symbol.as_str()
        ],
        |r| r.get(0),
    )?;
    if exists {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO rebalancing_recommendations (recommendation_date, total_portfolio_value,
            cash_available, margin_available, action_type, symbol_to_reduce, symbol_to_increase,
            reduce_quantity, increase_quantity, reduce_reason, increase_reason,
            expected_improvement_pct, risk_score, created_at)
         VALUES (?, ?, ?, ?, 'SWAP', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            time,
            a.account.portfolio_value,
            a.account.cash,
            a.account.margin_available,
            s.reduce.symbol.as_str(),
            s.increase.symbol.as_str(),
            s.reduce.quantity.trunc().to_i64(),
            s.size.quantity as i64,
            s.reduce.reason,
            s.increase.reason,
            Decimal::from_f64(s.improvement_points).map(|d| d.round_dp(2)),
            Decimal::from_f64(risk_score(s)),
            time,
        ],
    )?;
    Ok(true)
}

/// LOW 1, MEDIUM 2, HIGH 3: the increase leg's risk as a number for the brief's column.
fn risk_score(s: &Swap) -> f64 {
    match s.risk_level.as_str() {
        "LOW" => 1.0,
        "MEDIUM" => 2.0,
        _ => 3.0,
    }
}

fn legs(s: &Swap, time: NaiveDateTime) -> [SignalRecord; 2] {
    let dec = |v: f64| Decimal::from_f64(v).map(|d| d.round_dp(2));
    let mut sell = SignalRecord::new(
        time,
        s.reduce.symbol.clone(),
        SignalType::Sell,
        MORNING_SOURCE,
    );
    sell.describe_technicals(
        &s.reduce.technicals,
        s.reduce.strength,
        SignalInputs::from_row(&s.reduce.technicals, None).trend,
    );
    sell.price_at_signal = Some(s.reduce.price);
    sell.current_position_size = Some(s.reduce.value);
    sell.suggested_action = Some("SWAP".into());
    sell.suggested_quantity = s.reduce.quantity.trunc().to_i32();
    sell.notes = Some(format!(
        "reduce leg of swap into {}: {}",
        s.increase.symbol, s.reduce.reason
    ));
    let mut buy = SignalRecord::new(
        time,
        s.increase.symbol.clone(),
        SignalType::Buy,
        MORNING_SOURCE,
    );
    buy.describe_technicals(
        &s.increase.technicals,
        s.increase.strength,
        SignalInputs::from_row(&s.increase.technicals, None).trend,
    );
    buy.price_at_signal = Some(s.increase.price);
    buy.target_entry = Some(s.increase.price);
    buy.stop_loss = Some(s.size.exit.stop_loss);
    buy.target_exit = Some(s.size.exit.target_exit);
    buy.suggested_action = Some("SWAP".into());
    buy.suggested_quantity = i32::try_from(s.size.quantity).ok();
    buy.suggested_allocation_pct = dec(s.size.allocation_pct);
    buy.use_margin = s.size.use_margin;
    buy.margin_requirement = Some(s.size.margin_needed);
    buy.risk_level = Some(s.risk_level.as_str().to_string());
    buy.notes = Some(format!(
        "increase leg of swap out of {}: {}",
        s.reduce.symbol, s.increase.reason
    ));
    [sell, buy]
}

/// The basis of a leg's price: its price over the close the signal day's bar traded at
/// (see `SignalRecord::price_factor`).
fn recorded_basis(conn: &Connection, s: &SignalRecord) -> Result<Option<Decimal>> {
    use duckdb::OptionalExt;
    let close: Option<Decimal> = conn
        .query_row(
            "SELECT close FROM prices WHERE symbol = ? AND date <= ? ORDER BY date DESC LIMIT 1",
            params![s.symbol.as_str(), s.signal_date],
            |r| r.get(0),
        )
        .optional()?;
    Ok(close
        .filter(|c| !c.is_zero())
        .zip(s.price_at_signal)
        .map(|(close, price)| (price / close).round_dp(12)))
}

fn signal_exists(conn: &Connection, s: &SignalRecord) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM trading_signals
         WHERE signal_date = ? AND symbol = ? AND signal_type = ? AND signal_source = ?",
        params![
            s.signal_date,
            s.symbol.as_str(),
            s.signal_type.as_str(),
            s.signal_source
        ],
        |r| r.get(0),
    )?)
}

/// A recommendation still waiting for its follow-up measurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFollowUp {
    pub id: i64,
    pub date: chrono::NaiveDate,
    pub reduce: String,
    pub increase: String,
}

/// Swaps dated on or before `cutoff` without `actual_improvement_pct`, executed or not.
pub fn pending_follow_ups(
    conn: &Connection,
    cutoff: chrono::NaiveDate,
) -> Result<Vec<PendingFollowUp>> {
    let mut stmt = conn.prepare(
        "SELECT id, recommendation_date::DATE, symbol_to_reduce, symbol_to_increase
         FROM rebalancing_recommendations
         WHERE actual_improvement_pct IS NULL AND recommendation_date::DATE <= ?
           AND symbol_to_reduce IS NOT NULL AND symbol_to_increase IS NOT NULL",
    )?;
    let rows = stmt.query_map([cutoff], |r| {
        Ok(PendingFollowUp {
            id: r.get(0)?,
            date: r.get(1)?,
            reduce: r.get(2)?,
            increase: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub fn set_actual_improvement(conn: &Connection, id: i64, pct: Decimal) -> Result<()> {
    conn.execute(
        "UPDATE rebalancing_recommendations SET actual_improvement_pct = ? WHERE id = ?",
        params![pct.round_dp(2), id],
    )?;
    Ok(())
}

/// Whether the swap recommended on `day` is already marked executed.
pub fn is_executed(
    conn: &Connection,
    day: chrono::NaiveDate,
    reduce: &crate::domain::symbol::Symbol,
    increase: &crate::domain::symbol::Symbol,
) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM rebalancing_recommendations
         WHERE recommendation_date::DATE = ? AND symbol_to_reduce = ? AND symbol_to_increase = ?
           AND executed",
        params![day, reduce.as_str(), increase.as_str()],
        |r| r.get(0),
    )?)
}

/// One stored swap recommendation, as `swap list` shows it and `swap execute` acts on it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredSwap {
    pub id: i64,
    pub date: chrono::NaiveDate,
    pub reduce: crate::domain::symbol::Symbol,
    pub increase: crate::domain::symbol::Symbol,
    pub reduce_quantity: Option<i64>,
    pub increase_quantity: Option<i64>,
    pub expected_improvement_pct: Option<Decimal>,
    pub executed: bool,
    pub execution_date: Option<NaiveDateTime>,
    pub actual_improvement_pct: Option<Decimal>,
    pub notes: Option<String>,
}

const SELECT_SWAPS: &str = "SELECT id, recommendation_date::DATE, symbol_to_reduce,
        symbol_to_increase, reduce_quantity, increase_quantity, expected_improvement_pct,
        coalesce(executed, FALSE), execution_date, actual_improvement_pct, notes
     FROM rebalancing_recommendations
     WHERE symbol_to_reduce IS NOT NULL AND symbol_to_increase IS NOT NULL";

fn swap_from_row(r: &duckdb::Row<'_>) -> duckdb::Result<StoredSwap> {
    let symbol = |i: usize| -> duckdb::Result<crate::domain::symbol::Symbol> {
        let raw: String = r.get(i)?;
        crate::domain::symbol::Symbol::parse(&raw).map_err(|e| {
            duckdb::Error::FromSqlConversionFailure(
                i,
                duckdb::types::Type::Text,
                e.to_string().into(),
            )
        })
    };
    Ok(StoredSwap {
        id: r.get(0)?,
        date: r.get(1)?,
        reduce: symbol(2)?,
        increase: symbol(3)?,
        reduce_quantity: r.get(4)?,
        increase_quantity: r.get(5)?,
        expected_improvement_pct: r.get(6)?,
        executed: r.get(7)?,
        execution_date: r.get(8)?,
        actual_improvement_pct: r.get(9)?,
        notes: r.get(10)?,
    })
}

/// The stored swaps, newest first, at most `limit`.
pub fn stored_swaps(conn: &Connection, limit: usize) -> Result<Vec<StoredSwap>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT_SWAPS} ORDER BY recommendation_date DESC, id DESC LIMIT ?"
    ))?;
    let rows = stmt.query_map([limit as i64], swap_from_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub fn stored_swap(conn: &Connection, id: i64) -> Result<Option<StoredSwap>> {
    use duckdb::OptionalExt;
    Ok(conn
        .query_row(&format!("{SELECT_SWAPS} AND id = ?"), [id], swap_from_row)
        .optional()?)
}

/// The id of the swap recommended on `day` from `reduce` to `increase`.
pub fn stored_swap_id(
    conn: &Connection,
    day: chrono::NaiveDate,
    reduce: &crate::domain::symbol::Symbol,
    increase: &crate::domain::symbol::Symbol,
) -> Result<Option<i64>> {
    use duckdb::OptionalExt;
    Ok(conn
        .query_row(
            "SELECT id FROM rebalancing_recommendations
             WHERE recommendation_date::DATE = ? AND symbol_to_reduce = ? AND symbol_to_increase = ?
             ORDER BY id LIMIT 1",
            params![day, reduce.as_str(), increase.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Marks swap `id` executed at `time`, with the quantities actually traded.
pub fn mark_swap_executed(
    conn: &Connection,
    id: i64,
    quantities: (Decimal, Decimal),
    time: NaiveDateTime,
) -> Result<()> {
    let note = format!("executed: sold {}, bought {}", quantities.0, quantities.1);
    conn.execute(
        "UPDATE rebalancing_recommendations SET executed = TRUE, execution_date = ?, notes = ?
         WHERE id = ?",
        params![time, note, id],
    )?;
    Ok(())
}
