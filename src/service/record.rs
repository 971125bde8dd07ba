//! `signals record`: a new journal entry, with what the user leaves out filled from the
//! stored prices and indicators of that day.

use chrono::{NaiveDate, NaiveTime};
use duckdb::Connection;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use super::ops::OpError;
use super::Context;
use crate::domain::analyzer::TARGET_HIGH_BARS;
use crate::domain::bar::{recent_range, PriceRange};
use crate::domain::journal::{SignalRecord, SignalType};
use crate::domain::returns::lookback_return_pct;
use crate::domain::risk::entry_risk;
use crate::domain::signal::{signal_strength, SignalInputs};
use crate::domain::sizer::PositionSizer;
use crate::domain::symbol::Symbol;
use crate::store;

/// A new signal as the user gives it: everything but the symbol and type may be left out.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalDraft {
    pub symbol: Symbol,
    pub signal_type: SignalType,
    pub source: String,
    /// 0–100; `None`: computed from that day's indicators.
    pub strength: Option<f64>,
    /// `None`: that day's close.
    pub price: Option<Decimal>,
    pub notes: Option<String>,
    /// `None`: the symbol's last session on or before today.
    pub date: Option<NaiveDate>,
}

impl SignalDraft {
    pub fn new(symbol: Symbol, signal_type: SignalType, source: &str) -> SignalDraft {
        SignalDraft {
            symbol,
            signal_type,
            source: source.to_string(),
            strength: None,
            price: None,
            notes: None,
            date: None,
        }
    }
}

/// The signal `a` describes, filled from the stored data of its day; not yet stored. Reads
/// through `conn`, so it can run inside the transaction that stores it.
pub fn record(ctx: &Context, conn: &Connection, a: SignalDraft) -> Result<SignalRecord, OpError> {
    let symbol = a.symbol.clone();
    let kind = a.signal_type;
    if a.price.is_some_and(|p| p <= Decimal::ZERO) {
        return Err(OpError::refused("price: must be positive"));
    }
    if let Some(strength) = a.strength {
        if !(0.0..=100.0).contains(&strength) {
            return Err(OpError::refused(format!(
                "strength: must be 0-100, got {strength}"
            )));
        }
    }
    let day = store::last_bar_on_or_before(conn, &symbol, ctx.fact_date("date", a.date)?)?;
    let snapshot = match day {
        Some(d) => store::load_snapshot(conn, std::slice::from_ref(&symbol), d)?,
        None => Default::default(),
    };
    let series = snapshot.series.get(&symbol);
    let date = a.date.or(day).unwrap_or(ctx.today);
    let mut s = SignalRecord::new(
        date.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default()),
        symbol.clone(),
        kind,
        &a.source,
    );
    s.notes = a.notes.filter(|n| !n.trim().is_empty());
    let given_price = a.price;
    let Some(series) = series.filter(|x| !x.bars.is_empty()) else {
        let price = given_price.ok_or_else(|| {
            OpError::refused(format!(
                "no prices for {symbol}: give a price, or import prices first"
            ))
        })?;
        s.price_at_signal = Some(price);
        s.price_factor = Some(Decimal::ONE);
        s.signal_strength = a
            .strength
            .and_then(Decimal::from_f64)
            .map(|d| d.round_dp(2));
        return Ok(s);
    };
    let i = series.bars.len() - 1;
    let row = series.indicators_at(i).copied().unwrap_or_default();
    let dates: Vec<_> = series.bars.iter().map(|b| b.date).collect();
    let closes: Vec<f64> = series.bars.iter().map(|b| b.adjusted().close).collect();
    let lookback = lookback_return_pct(&dates, &closes, i, ctx.config.general.lookback_days);
    let strength = a.strength.unwrap_or_else(|| {
        signal_strength(&SignalInputs::from_row(&row, lookback), &ctx.config.signal).score
    });
    // Levels are kept as traded that day (factor 1), the basis a user sees and gives to
    // `take --price`: the 60-day range is taken on adjusted prices, then put on that basis.
    let day_factor = series.bars[i].adjustment_factor();
    let price = given_price.unwrap_or_else(|| series.bars[i].close.normalize());
    let range_60d = recent_range(&series.bars[..=i], TARGET_HIGH_BARS)
        .and_then(|r| r.on_basis(day_factor))
        .map(PriceRange::rounded);
    let exit = PositionSizer::new(&ctx.config.sizing, &ctx.config.margin, &ctx.config.stops)
        .exit_plan(price, range_60d);
    s.describe_technicals(&row, strength, SignalInputs::from_row(&row, lookback).trend);
    s.price_at_signal = Some(price);
    s.price_factor = Some(Decimal::ONE);
    s.target_entry = Some(price);
    s.stop_loss = Some(exit.stop_loss);
    s.target_exit = Some(exit.target_exit);
    s.risk_level = Some(
        entry_risk(row.rsi_14, &closes, &ctx.config.risk)
            .level
            .as_str()
            .to_string(),
    );
    s.suggested_action = Some(
        match kind {
            SignalType::Buy => "ENTER",
            SignalType::Sell => "REDUCE",
            SignalType::Hold => "HOLD",
        }
        .into(),
    );
    Ok(s)
}
