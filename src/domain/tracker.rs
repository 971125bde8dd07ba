//! The signal journal's rules: taking and closing a signal, judging the ones not taken, and
//! the statistics that tell the user which signals work.
//!
//! Decisions (the brief is silent):
//! - A window of N days holds the signals dated on or after `as_of − N days`: the boundary
//!   day is inside.
//! - Win rate, averages and profit factor count closed taken signals (WIN, LOSS, BREAKEVEN).
//!   Expectancy is total P&L / closed trades. Breakevens count in gross profit or gross
//!   loss by the sign of their P&L.
//! - When the target and the stop are both touched on the same bar, the stop counts first
//!   (see `journal::judge_not_taken`).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::journal::{classify_outcome, trade_profit, Outcome, SignalRecord, SignalType};
use super::swap_review::{SwapReview, SwapReviewSummary};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("signal {0} is already taken")]
    AlreadyTaken(i64),
    #[error("signal {0} was not taken; mark it taken before recording an exit")]
    NotTaken(i64),
    #[error("{field} must be positive, got {value}")]
    NotPositive { field: &'static str, value: Decimal },
    #[error("exit date {exit} is before the entry date {entry}")]
    ExitBeforeEntry { exit: NaiveDate, entry: NaiveDate },
    #[error("unknown outcome {0:?}; use WIN, LOSS or BREAKEVEN")]
    UnknownOutcome(String),
    #[error("quantity must be a whole number of shares, got {0}")]
    NotWhole(Decimal),
    #[error("quantity {0} is too large (at most 2147483647 shares)")]
    TooLarge(Decimal),
}

fn positive(field: &'static str, value: Decimal) -> Result<(), JournalError> {
    if value <= Decimal::ZERO {
        Err(JournalError::NotPositive { field, value })
    } else {
        Ok(())
    }
}

/// Marks a signal taken. The quantity must be whole, as `actual_quantity` is an INTEGER.
pub fn take(
    signal: &mut SignalRecord,
    date: NaiveDate,
    price: Decimal,
    quantity: Decimal,
) -> Result<(), JournalError> {
    let id = signal.id.unwrap_or_default();
    if signal.action_taken {
        return Err(JournalError::AlreadyTaken(id));
    }
    positive("price", price)?;
    positive("quantity", quantity)?;
    if quantity.fract() != Decimal::ZERO {
        return Err(JournalError::NotWhole(quantity));
    }
    let whole = quantity.to_i32().ok_or(JournalError::TooLarge(quantity))?;
    signal.action_taken = true;
    signal.actual_entry_date = Some(date);
    signal.actual_entry_price = Some(price);
    signal.actual_quantity = Some(whole);
    Ok(())
}

/// Records the exit and computes profit, days held and the outcome. An explicit outcome
/// overrides the computed one, and the journal notes that it did.
pub fn close(
    signal: &mut SignalRecord,
    date: NaiveDate,
    price: Decimal,
    override_outcome: Option<&str>,
    commission: Decimal,
    breakeven_pct: f64,
) -> Result<(), JournalError> {
    let id = signal.id.unwrap_or_default();
    let (Some(entry_date), Some(entry), Some(qty)) = (
        signal.actual_entry_date,
        signal.actual_entry_price,
        signal.actual_quantity,
    ) else {
        return Err(JournalError::NotTaken(id));
    };
    if !signal.action_taken {
        return Err(JournalError::NotTaken(id));
    }
    positive("price", price)?;
    if date < entry_date {
        return Err(JournalError::ExitBeforeEntry {
            exit: date,
            entry: entry_date,
        });
    }
    let forced = match override_outcome {
        None => None,
        Some(word) => match Outcome::parse(word) {
            Some(o @ (Outcome::Win | Outcome::Loss | Outcome::Breakeven)) => Some(o),
            _ => return Err(JournalError::UnknownOutcome(word.to_string())),
        },
    };
    let quantity = Decimal::from(qty);
    let profit = trade_profit(signal.signal_type, entry, price, quantity, commission);
    let computed = classify_outcome(profit, entry * quantity, breakeven_pct);
    signal.exit_date = Some(date);
    signal.exit_price = Some(price);
    signal.actual_profit = Some(profit);
    signal.days_held = i32::try_from((date - entry_date).num_days()).ok();
    signal.outcome = Some(forced.unwrap_or(computed));
    signal.outcome_overridden = forced.is_some_and(|f| f != computed);
    if signal.outcome_overridden {
        let note = format!(
            "outcome set to {} by the user (computed: {})",
            forced.map_or("", |f| f.as_str()),
            computed.as_str()
        );
        signal.notes = Some(match signal.notes.take() {
            Some(n) if !n.is_empty() => format!("{n}; {note}"),
            _ => note,
        });
    }
    Ok(())
}

/// Profit factor: gross profit / gross loss; infinite without a loss; undefined without a
/// closed trade. Serialises as a number, `"inf"` or `null`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProfitFactor {
    Undefined,
    Infinite,
    Value(f64),
}

impl Serialize for ProfitFactor {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ProfitFactor::Undefined => s.serialize_none(),
            ProfitFactor::Infinite => s.serialize_str("inf"),
            ProfitFactor::Value(v) => s.serialize_f64(*v),
        }
    }
}

impl std::fmt::Display for ProfitFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProfitFactor::Undefined => f.write_str("—"),
            ProfitFactor::Infinite => f.write_str("∞"),
            ProfitFactor::Value(v) => write!(f, "{v:.2}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowStats {
    pub total: usize,
    pub taken: usize,
    pub action_rate_pct: f64,
    pub wins: usize,
    pub losses: usize,
    pub breakevens: usize,
    pub win_rate_pct: Option<f64>,
    pub total_pnl: Decimal,
    pub avg_win: Option<Decimal>,
    pub avg_loss: Option<Decimal>,
    pub profit_factor: ProfitFactor,
    pub expectancy: Option<Decimal>,
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64 * 100.0
    }
}

fn mean(values: &[Decimal]) -> Option<Decimal> {
    (!values.is_empty())
        .then(|| (values.iter().sum::<Decimal>() / Decimal::from(values.len())).round_dp(2))
}

/// Whether `outcome` says the opposite of `profit`: a LOSS that made money or a WIN that
/// lost it.
pub fn contradicts(outcome: Outcome, profit: Decimal) -> bool {
    matches!(outcome, Outcome::Loss) && profit > Decimal::ZERO
        || matches!(outcome, Outcome::Win) && profit < Decimal::ZERO
}

/// The outcome the statistics count: the recorded one, unless an override contradicts the
/// P&L, which then decides (so win rate, profit factor and P&L never disagree).
fn counted_outcome(outcome: Outcome, profit: Decimal) -> Outcome {
    if !contradicts(outcome, profit) {
        outcome
    } else if profit > Decimal::ZERO {
        Outcome::Win
    } else {
        Outcome::Loss
    }
}

/// Statistics over the given signals (already filtered to a window or a group).
pub fn window_stats<'a>(signals: impl IntoIterator<Item = &'a SignalRecord>) -> WindowStats {
    let signals: Vec<&SignalRecord> = signals.into_iter().collect();
    let taken = signals.iter().filter(|s| s.action_taken).count();
    let closed: Vec<(Outcome, Decimal)> = signals
        .iter()
        .filter(|s| s.action_taken)
        .filter_map(|s| match (s.outcome, s.actual_profit) {
            (Some(o @ (Outcome::Win | Outcome::Loss | Outcome::Breakeven)), Some(p)) => {
                Some((counted_outcome(o, p), p))
            }
            _ => None,
        })
        .collect();
    let of = |want: Outcome| {
        closed
            .iter()
            .filter(|(o, _)| *o == want)
            .map(|(_, p)| *p)
            .collect::<Vec<_>>()
    };
    let (wins, losses, breakevens) = (of(Outcome::Win), of(Outcome::Loss), of(Outcome::Breakeven));
    let total_pnl: Decimal = closed.iter().map(|(_, p)| *p).sum();
    let gross_profit: Decimal = closed
        .iter()
        .map(|(_, p)| *p)
        .filter(|p| *p > Decimal::ZERO)
        .sum();
    let gross_loss: Decimal = closed
        .iter()
        .map(|(_, p)| -*p)
        .filter(|p| *p > Decimal::ZERO)
        .sum();
    // Breakevens alone (no gross profit, no gross loss) have no ratio: "—", not ∞.
    let profit_factor = if closed.is_empty() || (gross_profit.is_zero() && gross_loss.is_zero()) {
        ProfitFactor::Undefined
    } else if gross_loss.is_zero() {
        ProfitFactor::Infinite
    } else {
        ProfitFactor::Value((gross_profit / gross_loss).to_f64().unwrap_or(0.0))
    };
    WindowStats {
        total: signals.len(),
        taken,
        action_rate_pct: pct(taken, signals.len()),
        wins: wins.len(),
        losses: losses.len(),
        breakevens: breakevens.len(),
        win_rate_pct: (!closed.is_empty()).then(|| pct(wins.len(), closed.len())),
        total_pnl,
        avg_win: mean(&wins),
        avg_loss: mean(&losses),
        profit_factor,
        expectancy: (!closed.is_empty())
            .then(|| (total_pnl / Decimal::from(closed.len())).round_dp(2)),
    }
}

/// Signals dated on or after `as_of − days` (the boundary day included).
pub fn in_window(signals: &[SignalRecord], as_of: NaiveDate, days: u32) -> Vec<&SignalRecord> {
    let from = as_of - Duration::days(i64::from(days));
    signals
        .iter()
        .filter(|s| s.signal_date >= from && s.signal_date <= as_of)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedOpportunity {
    pub id: Option<i64>,
    pub symbol: String,
    pub signal_date: NaiveDate,
    pub strength: Option<Decimal>,
    pub price_at_signal: Option<Decimal>,
    pub max_profit_potential: Decimal,
}

/// The `limit` MISSED signals with the largest potential, largest first.
pub fn top_missed(signals: &[SignalRecord], limit: usize) -> Vec<MissedOpportunity> {
    let mut missed: Vec<MissedOpportunity> = signals
        .iter()
        .filter(|s| s.outcome == Some(Outcome::Missed))
        .map(|s| MissedOpportunity {
            id: s.id,
            symbol: s.symbol.to_string(),
            signal_date: s.signal_date,
            strength: s.signal_strength,
            price_at_signal: s.price_at_signal,
            max_profit_potential: s.max_profit_potential.unwrap_or_default(),
        })
        .collect();
    missed.sort_by(|a, b| {
        b.max_profit_potential
            .cmp(&a.max_profit_potential)
            .then(a.signal_date.cmp(&b.signal_date))
    });
    missed.truncate(limit);
    missed
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationBand {
    pub band: &'static str,
    pub count: usize,
    pub avg_forward_return_pct: Option<f64>,
    pub hit_rate_pct: Option<f64>,
}

pub const CALIBRATION_BANDS: [(&str, f64, f64); 4] = [
    ("50-59", 50.0, 60.0),
    ("60-69", 60.0, 70.0),
    ("70-79", 70.0, 80.0),
    ("80-100", 80.0, 100.1),
];

/// For every BUY signal with a known strength, its forward return over `horizon` sessions
/// from the adjusted closes (`closes[symbol]` ascending by date); bucketed by strength band.
/// Signals without `horizon` sessions after them yet are left out.
pub fn calibration(
    signals: &[SignalRecord],
    closes: &BTreeMap<String, Vec<(NaiveDate, f64)>>,
    horizon: usize,
) -> Vec<CalibrationBand> {
    let mut buckets: Vec<Vec<f64>> = vec![Vec::new(); CALIBRATION_BANDS.len()];
    for s in signals.iter().filter(|s| s.signal_type == SignalType::Buy) {
        let Some(strength) = s.signal_strength.and_then(|d| d.to_f64()) else {
            continue;
        };
        let Some(band) = CALIBRATION_BANDS
            .iter()
            .position(|(_, lo, hi)| strength >= *lo && strength < *hi)
        else {
            continue;
        };
        let Some(series) = closes.get(s.symbol.as_str()) else {
            continue;
        };
        // The signal's own session: the last bar on or before the signal date.
        let start = series.partition_point(|(d, _)| *d <= s.signal_date);
        if start == 0 || start - 1 + horizon >= series.len() {
            continue;
        }
        let (from, to) = (series[start - 1].1, series[start - 1 + horizon].1);
        if from > 0.0 {
            buckets[band].push((to / from - 1.0) * 100.0);
        }
    }
    CALIBRATION_BANDS
        .iter()
        .zip(buckets)
        .map(|((name, _, _), returns)| {
            let n = returns.len();
            CalibrationBand {
                band: name,
                count: n,
                avg_forward_return_pct: (n > 0).then(|| returns.iter().sum::<f64>() / n as f64),
                hit_rate_pct: (n > 0).then(|| pct(returns.iter().filter(|r| **r > 0.0).count(), n)),
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalStats {
    pub windows: BTreeMap<String, WindowStats>,
    pub by_source: BTreeMap<String, WindowStats>,
    pub by_type: BTreeMap<String, WindowStats>,
    pub missed: Vec<MissedOpportunity>,
    pub calibration: Vec<CalibrationBand>,
    /// Swaps, expected against actual improvement: filled by `service::swap_review` from
    /// the stored recommendations, empty from the journal alone.
    pub swaps: Vec<SwapReview>,
    pub swap_summary: SwapReviewSummary,
}

/// Every statistic of the journal as of `as_of`.
pub fn journal_stats(
    signals: &[SignalRecord],
    as_of: NaiveDate,
    windows_days: &[u32],
    closes: &BTreeMap<String, Vec<(NaiveDate, f64)>>,
    horizon: usize,
) -> JournalStats {
    let mut windows: BTreeMap<String, WindowStats> = windows_days
        .iter()
        .map(|d| (format!("{d}d"), window_stats(in_window(signals, as_of, *d))))
        .collect();
    windows.insert("all".into(), window_stats(signals));
    let group = |key: fn(&SignalRecord) -> String| {
        let mut groups: BTreeMap<String, Vec<&SignalRecord>> = BTreeMap::new();
        for s in signals {
            groups.entry(key(s)).or_default().push(s);
        }
        groups
            .into_iter()
            .map(|(k, v)| (k, window_stats(v)))
            .collect::<BTreeMap<_, _>>()
    };
    JournalStats {
        windows,
        by_source: group(|s| s.signal_source.clone()),
        by_type: group(|s| s.signal_type.as_str().to_string()),
        missed: top_missed(signals, 10),
        calibration: calibration(signals, closes, horizon),
        swaps: Vec::new(),
        swap_summary: SwapReviewSummary::default(),
    }
}

#[cfg(test)]
#[path = "tracker_tests.rs"]
mod tests;
