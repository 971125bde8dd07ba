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

/// The signals waiting for a verdict: not taken, not judged, not hidden. Only these are read
/// before judging, not the whole journal.
pub fn pending_signals(conn: &Connection) -> Result<Vec<SignalRecord>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT_SIGNALS} AND NOT coalesce(action_taken, FALSE) AND outcome IS NULL ORDER BY id"
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

/// Writes the verdicts of judged untaken signals (outcome and the potential profit) in one
/// set-based statement. A statement costs DuckDB about a millisecond whatever its size, so
/// 60,000 verdicts written row by row took a minute; staged through an appender and applied
/// by one `UPDATE … FROM` they take milliseconds.
pub fn record_verdicts(conn: &Connection, judged: &[SignalRecord]) -> Result<()> {
    if judged.is_empty() {
        return Ok(());
    }
    conn.execute_batch(
        "CREATE OR REPLACE TEMP TABLE signal_verdicts (
            id INTEGER NOT NULL, outcome VARCHAR(20), max_profit_potential DECIMAL(18,2))",
    )?;
    {
        let mut appender = conn.appender("signal_verdicts")?;
        for s in judged {
            let id =
                s.id.ok_or_else(|| StoreError::Invalid("a stored signal needs an id".into()))?;
            appender.append_row(params![
                id,
                s.outcome.map(|o| o.as_str()),
                s.max_profit_potential
            ])?;
        }
        appender.flush()?;
    }
    conn.execute_batch(
        "UPDATE trading_signals SET outcome = v.outcome,
             max_profit_potential = v.max_profit_potential
         FROM signal_verdicts v WHERE trading_signals.id = v.id;
         DROP TABLE signal_verdicts;",
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use super::*;
    use crate::store::Store;

    fn signal(day: u32, symbol: &str) -> SignalRecord {
        let time = NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        let mut s = SignalRecord::new(
            time,
            Symbol::parse(symbol).unwrap(),
            SignalType::Buy,
            "manual",
        );
        s.price_at_signal = Some(Decimal::new(5000, 2));
        s
    }

    #[test]
    fn only_untaken_unjudged_visible_signals_wait_and_verdicts_are_written_in_one_go() {
        let mut store = Store::open_in_memory().unwrap();
        let ids = store
            .in_transaction(|tx| {
                let waiting = insert_signal(tx, &signal(2, "AAA"))?;
                let mut taken = signal(3, "BBB");
                taken.action_taken = true;
                let taken = insert_signal(tx, &taken)?;
                let mut judged = signal(4, "CCC");
                judged.outcome = Some(Outcome::Missed);
                let judged = insert_signal(tx, &judged)?;
                let hidden = insert_signal(tx, &signal(5, "DDD"))?;
                hide_signal(tx, hidden)?;
                // A row of an older version with no action_taken value still waits.
                let legacy = insert_signal(tx, &signal(6, "EEE"))?;
                tx.execute(
                    "UPDATE trading_signals SET action_taken = NULL WHERE id = ?",
                    [legacy],
                )?;
                Ok([waiting, taken, judged, legacy])
            })
            .unwrap();
        let pending = store.pending_signals().unwrap();
        let pending_ids: Vec<i64> = pending.iter().filter_map(|s| s.id).collect();
        assert_eq!(pending_ids, vec![ids[0], ids[3]]);

        let mut verdicts = pending;
        verdicts[0].outcome = Some(Outcome::Missed);
        verdicts[0].max_profit_potential = Some(Decimal::new(12345, 2));
        verdicts[1].outcome = Some(Outcome::Passed);
        verdicts[1].max_profit_potential = Some(Decimal::ZERO);
        store
            .in_transaction(|tx| record_verdicts(tx, &verdicts))
            .unwrap();
        assert!(store.pending_signals().unwrap().is_empty());
        let first = store.signal(ids[0]).unwrap().unwrap();
        assert_eq!(first.outcome, Some(Outcome::Missed));
        assert_eq!(first.max_profit_potential, Some(Decimal::new(12345, 2)));
        let legacy = store.signal(ids[3]).unwrap().unwrap();
        assert_eq!(legacy.outcome, Some(Outcome::Passed));
        // The taken signal was not touched.
        assert_eq!(store.signal(ids[1]).unwrap().unwrap().outcome, None);
    }
}
