//! The signal journal as text: the brief's signal-history view and signal listings.

use std::fmt::Write;

use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, Table};
use rust_decimal::prelude::ToPrimitive;

use crate::domain::format::{amount, amount_opt, change_pct, num, share_pct};
use crate::domain::journal::SignalRecord;
use crate::domain::swap_review::{SwapReview, SwapReviewSummary};
use crate::domain::tracker::{JournalStats, WindowStats};

/// A strength is a score from 0 to 100, shown whole as everywhere else.
fn strength(v: Option<rust_decimal::Decimal>) -> String {
    num(v.and_then(|d| d.to_f64()), 0)
}

fn right_align(table: &mut Table, from: usize, to: usize) {
    for col in from..to {
        if let Some(c) = table.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn stats_row(label: &str, s: &WindowStats) -> Vec<String> {
    vec![
        label.to_string(),
        s.total.to_string(),
        s.taken.to_string(),
        share_pct(Some(s.action_rate_pct)),
        format!("{}/{}/{}", s.wins, s.losses, s.breakevens),
        share_pct(s.win_rate_pct),
        amount(s.total_pnl),
        amount_opt(s.avg_win),
        amount_opt(s.avg_loss),
        s.profit_factor.to_string(),
        amount_opt(s.expectancy),
    ]
}

const STATS_HEADER: [&str; 11] = [
    "",
    "Signals",
    "Taken",
    "Action rate",
    "W/L/B",
    "Win rate",
    "Total P&L",
    "Avg win",
    "Avg loss",
    "Profit factor",
    "Expectancy",
];

fn stats_table<'a>(rows: impl Iterator<Item = (String, &'a WindowStats)>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_BORDERS_ONLY)
        .set_header(STATS_HEADER.to_vec());
    for (label, s) in rows {
        table.add_row(stats_row(&label, s));
    }
    right_align(&mut table, 1, STATS_HEADER.len());
    table
}

pub fn stats_text(stats: &JournalStats, recent: &[SignalRecord]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "=== SIGNAL HISTORY ===");
    let order = ["90d", "30d", "all"];
    let windows = order.iter().filter_map(|k| {
        stats
            .windows
            .get(*k)
            .map(|s| (format!("Last {k}").replace("Last all", "All time"), s))
    });
    let _ = writeln!(out, "{}", stats_table(windows));
    let _ = writeln!(out, "\nBy source:");
    let _ = writeln!(
        out,
        "{}",
        stats_table(stats.by_source.iter().map(|(k, v)| (k.clone(), v)))
    );
    let _ = writeln!(out, "\nMost recent signals:");
    let _ = writeln!(out, "{}", signal_table(&recent[..recent.len().min(20)]));
    let _ = writeln!(out, "\nMissed opportunities:");
    if stats.missed.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for m in &stats.missed {
        let _ = writeln!(
            out,
            "  #{:<5} {:<6} {}  strength {:>5}  price {:>10}  missed {:>10}",
            m.id.unwrap_or_default(),
            m.symbol,
            m.signal_date,
            strength(m.strength),
            amount_opt(m.price_at_signal),
            amount(m.max_profit_potential)
        );
    }
    let _ = writeln!(
        out,
        "\nCalibration (BUY signals, 20-session forward return):"
    );
    let mut table = Table::new();
    table.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "Strength",
        "Signals",
        "Avg fwd return",
        "Rose",
    ]);
    for b in &stats.calibration {
        table.add_row(vec![
            b.band.to_string(),
            b.count.to_string(),
            change_pct(b.avg_forward_return_pct),
            share_pct(b.hit_rate_pct),
        ]);
    }
    right_align(&mut table, 1, 4);
    let _ = writeln!(out, "{table}");
    swaps_text(&mut out, &stats.swaps, &stats.swap_summary);
    out
}

/// Percentage points with a sign; "—" when unknown.
fn pp(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{x:+.1} pp"))
}

/// The brief's "compare actual vs expected": both in points of return over one window.
fn swaps_text(out: &mut String, swaps: &[SwapReview], s: &SwapReviewSummary) {
    let _ = writeln!(
        out,
        "\nSwaps, expected vs actual (increase − reduce return over {} days, \
         expected = the lookback gap when recommended):",
        s.window_days
    );
    if swaps.is_empty() {
        let _ = writeln!(out, "  no swap recommended yet");
        return;
    }
    let _ = writeln!(
        out,
        "  {} recommended, {} measured: expected {} on average, actual {}; \
         improved {}, met the expectation {}",
        s.recommended,
        s.measured,
        pp(s.mean_expected_pct),
        pp(s.mean_actual_pct),
        share_pct(s.improved_pct),
        share_pct(s.met_expected_pct)
    );
    let mut table = Table::new();
    table.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "Id", "Date", "Swap", "Points", "Expected", "Actual", "Executed",
    ]);
    for r in swaps.iter().take(10) {
        table.add_row(vec![
            r.id.to_string(),
            r.date.to_string(),
            format!("{} → {}", r.reduce, r.increase),
            r.points.map_or_else(|| "—".into(), |p| format!("{p:+.0}")),
            pp(r.expected_pct),
            pp(r.actual_pct),
            if r.executed { "yes" } else { "no" }.to_string(),
        ]);
    }
    right_align(&mut table, 3, 6);
    let _ = writeln!(out, "{table}");
}

pub fn signal_table(signals: &[SignalRecord]) -> String {
    if signals.is_empty() {
        return "  No signals recorded yet.".to_string();
    }
    let mut table = Table::new();
    table.load_preset(UTF8_BORDERS_ONLY).set_header(vec![
        "ID", "Date", "Symbol", "Type", "Source", "Strength", "Price", "Taken", "Entry", "Exit",
        "P&L", "Outcome",
    ]);
    for s in signals {
        table.add_row(vec![
            s.id.unwrap_or_default().to_string(),
            s.signal_date.to_string(),
            s.symbol.to_string(),
            s.signal_type.as_str().to_string(),
            s.signal_source.clone(),
            strength(s.signal_strength),
            amount_opt(s.price_at_signal),
            if s.action_taken { "yes" } else { "no" }.to_string(),
            amount_opt(s.actual_entry_price),
            amount_opt(s.exit_price),
            amount_opt(s.actual_profit),
            match (s.outcome, s.action_taken) {
                (Some(o), _) => o.as_str(),
                (None, true) => "open",
                (None, false) => "pending",
            }
            .to_string(),
        ]);
    }
    right_align(&mut table, 5, 11);
    table.to_string()
}

pub fn signal_detail(s: &SignalRecord) -> String {
    let value = serde_json::to_value(s).unwrap_or_default();
    let mut out = String::new();
    if let Some(map) = value.as_object() {
        for (k, v) in map {
            let shown = match v {
                serde_json::Value::Null => "—".to_string(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let _ = writeln!(out, "{k:<26} {shown}");
        }
    }
    out
}
