//! `trading_signals` rows.

use duckdb::{params, Connection};

use super::{Result, StoreError};
use crate::domain::journal::{Outcome, SignalRecord, SignalType};
use crate::domain::symbol::Symbol;

/// Inserts a signal and returns its id. `created_at` is the signal's own time, so the same
/// input always produces the same row.
pub fn insert_signal(conn: &Connection, s: &SignalRecord) -> Result<i64> {
    let id = conn.query_row(
        "INSERT INTO trading_signals (
            signal_date, signal_time, symbol, signal_type, signal_source, signal_strength,
            confidence_level, price_at_signal, target_entry, target_exit, stop_loss, rsi_value,
            macd_value, volume_ratio, trend_direction, current_position_size, suggested_action,
            suggested_quantity, suggested_allocation_pct, use_margin, margin_requirement,
            risk_level, action_taken, actual_entry_date, actual_entry_price, actual_quantity,
            max_profit_potential, actual_profit, days_held, outcome, notes, exit_date,
            exit_price, outcome_overridden, created_at, price_factor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                 ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id",
        params![
            s.signal_date,
            s.signal_time,
            s.symbol.as_str(),
            s.signal_type.as_str(),
            s.signal_source,
            s.signal_strength,
            s.confidence_level,
            s.price_at_signal,
            s.target_entry,
            s.target_exit,
            s.stop_loss,
            s.rsi_value,
            s.macd_value,
            s.volume_ratio,
            s.trend_direction,
            s.current_position_size,
            s.suggested_action,
            s.suggested_quantity,
            s.suggested_allocation_pct,
            s.use_margin,
            s.margin_requirement,
            s.risk_level,
            s.action_taken,
            s.actual_entry_date,
            s.actual_entry_price,
            s.actual_quantity,
            s.max_profit_potential,
            s.actual_profit,
            s.days_held,
            s.outcome.map(|o| o.as_str()),
            s.notes,
            s.exit_date,
            s.exit_price,
            s.outcome_overridden,
            s.signal_time,
            s.price_factor,
        ],
        |r| r.get::<_, i64>(0),
    )?;
    Ok(id)
}

const SELECT_SIGNALS: &str =
    "SELECT id, signal_date, signal_time, symbol, signal_type, signal_source,
    signal_strength, confidence_level, price_at_signal, target_entry, target_exit, stop_loss,
    rsi_value, macd_value, volume_ratio, trend_direction, current_position_size,
    suggested_action, suggested_quantity, suggested_allocation_pct, use_margin,
    margin_requirement, risk_level, action_taken, actual_entry_date, actual_entry_price,
    actual_quantity, max_profit_potential, actual_profit, days_held, outcome, notes, exit_date,
    exit_price, outcome_overridden, price_factor
    FROM trading_signals WHERE NOT deleted";

fn signal_from_row(r: &duckdb::Row<'_>) -> duckdb::Result<SignalRecord> {
    let text = |i: usize| -> duckdb::Result<String> { r.get(i) };
    let bad = |i: usize, what: &str| {
        duckdb::Error::FromSqlConversionFailure(
            i,
            duckdb::types::Type::Text,
            what.to_string().into(),
        )
    };
    Ok(SignalRecord {
        id: r.get(0)?,
        signal_date: r.get(1)?,
        signal_time: r.get(2)?,
        symbol: Symbol::parse(&text(3)?).map_err(|_| bad(3, "bad symbol"))?,
        signal_type: SignalType::parse(&text(4)?).ok_or_else(|| bad(4, "bad signal_type"))?,
        signal_source: text(5)?,
        signal_strength: r.get(6)?,
        confidence_level: r.get(7)?,
        price_at_signal: r.get(8)?,
        target_entry: r.get(9)?,
        target_exit: r.get(10)?,
        stop_loss: r.get(11)?,
        rsi_value: r.get(12)?,
        macd_value: r.get(13)?,
        volume_ratio: r.get(14)?,
        trend_direction: r.get(15)?,
        current_position_size: r.get(16)?,
        suggested_action: r.get(17)?,
        suggested_quantity: r.get(18)?,
        suggested_allocation_pct: r.get(19)?,
        use_margin: r.get::<_, Option<bool>>(20)?.unwrap_or(false),
        margin_requirement: r.get(21)?,
        risk_level: r.get(22)?,
        action_taken: r.get::<_, Option<bool>>(23)?.unwrap_or(false),
        actual_entry_date: r.get(24)?,
        actual_entry_price: r.get(25)?,
        actual_quantity: r.get(26)?,
        max_profit_potential: r.get(27)?,
        actual_profit: r.get(28)?,
        days_held: r.get(29)?,
        outcome: r
            .get::<_, Option<String>>(30)?
            .and_then(|o| Outcome::parse(&o)),
        notes: r.get(31)?,
        exit_date: r.get(32)?,
        exit_price: r.get(33)?,
        outcome_overridden: r.get::<_, Option<bool>>(34)?.unwrap_or(false),
        price_factor: r.get(35)?,
    })
}

/// Every visible (not deleted) signal, newest first.
pub fn signals(conn: &Connection) -> Result<Vec<SignalRecord>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT_SIGNALS} ORDER BY signal_time DESC, id DESC"
    ))?;
    let rows = stmt.query_map([], signal_from_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub fn signal(conn: &Connection, id: i64) -> Result<Option<SignalRecord>> {
    use duckdb::OptionalExt;
    Ok(conn
        .query_row(
            &format!("{SELECT_SIGNALS} AND id = ?"),
            [id],
            signal_from_row,
        )
        .optional()?)
}

/// Writes back the mutable part of a signal: taking, exit, outcome, evaluation and notes.
pub fn update_signal_progress(conn: &Connection, s: &SignalRecord) -> Result<()> {
    let id =
        s.id.ok_or_else(|| StoreError::Invalid("a stored signal needs an id".into()))?;
    conn.execute(
        "UPDATE trading_signals SET action_taken = ?, actual_entry_date = ?, actual_entry_price = ?,
            actual_quantity = ?, max_profit_potential = ?, actual_profit = ?, days_held = ?,
            outcome = ?, notes = ?, exit_date = ?, exit_price = ?, outcome_overridden = ?
         WHERE id = ?",
        params![
            s.action_taken,
            s.actual_entry_date,
            s.actual_entry_price,
            s.actual_quantity,
            s.max_profit_potential,
            s.actual_profit,
            s.days_held,
            s.outcome.map(|o| o.as_str()),
            s.notes,
            s.exit_date,
            s.exit_price,
            s.outcome_overridden,
            id
        ],
    )?;
    Ok(())
}

/// Hides a signal; the row is kept for the record.
pub fn hide_signal(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE trading_signals SET deleted = TRUE WHERE id = ? AND NOT deleted",
        [id],
    )? > 0)
}

/// The journal legs a stored swap wrote: the morning check's signal of `kind` on `day` for
/// `symbol`, if any.
pub fn swap_leg(
    conn: &Connection,
    day: chrono::NaiveDate,
    symbol: &Symbol,
    kind: SignalType,
) -> Result<Option<SignalRecord>> {
    use duckdb::OptionalExt;
    Ok(conn
        .query_row(
            &format!(
                "{SELECT_SIGNALS} AND signal_date = ? AND symbol = ? AND signal_type = ?
                   AND signal_source = ? ORDER BY id LIMIT 1"
            ),
            params![
                day,
                symbol.as_str(),
                kind.as_str(),
                super::recommendations::MORNING_SOURCE
            ],
            signal_from_row,
        )
        .optional()?)
}

/// The visible signals of `source` dated `day`, oldest first.
pub fn signals_on(
    conn: &Connection,
    day: chrono::NaiveDate,
    source: &str,
) -> Result<Vec<SignalRecord>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT_SIGNALS} AND signal_date = ? AND signal_source = ? ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![day, source], signal_from_row)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
