//! The intraday check as text (the brief's 3 PM glance). Everything shown comes from the
//! `Analysis` and its `IntradayPlan`; nothing is computed here.

use std::fmt::Write;

use super::check::{account, market, reward_risk, strength, table, warnings};
use crate::domain::analyzer::{Analysis, CheckMode, HoldingRow, IntradayPlan};
use crate::domain::format::{money, points, price};
use crate::service::live::NewStop;

/// The brief's intraday glance: morning buys still valid?, the sell check, new buy signals,
/// the rebalancing alerts and the final decision before the close.
/// `since_morning`: the stops today's quotes hit that the last close did not.
pub fn intraday_text(a: &Analysis, plan: &IntradayPlan, since_morning: &[NewStop]) -> String {
    debug_assert_eq!(a.mode, CheckMode::Intraday);
    let mut out = String::new();
    warnings(&mut out, a);
    account(&mut out, a);
    market(&mut out, a);
    morning_buys(&mut out, plan);
    let _ = writeln!(out, "=== HOLDINGS SELL CHECK ===");
    let stopped: Vec<&HoldingRow> = a.holdings.iter().filter(|h| !h.alerts.is_empty()).collect();
    if stopped.is_empty() {
        let _ = writeln!(out, "No stops hit.");
    }
    for s in since_morning {
        let _ = writeln!(
            out,
            "  NEW SINCE THE MORNING (provisional): {} {}: {}",
            s.symbol, s.kind, s.message
        );
    }
    for h in stopped {
        for alert in &h.alerts {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                h.symbol,
                alert.kind.label(),
                alert.message
            );
        }
    }
    out.push('\n');
    new_buys(&mut out, plan);
    let _ = writeln!(out, "=== PORTFOLIO REBALANCING ALERTS ===");
    if a.underperformers.is_empty() {
        let _ = writeln!(out, "✓ No positions flagged");
    } else {
        let _ = writeln!(
            out,
            "⚠️  {} position(s) flagged for review:",
            a.underperformers.len()
        );
        let rows = a
            .underperformers
            .iter()
            .map(|u| {
                vec![
                    u.symbol.to_string(),
                    money(u.value),
                    points(u.alpha),
                    strength(Some(u.strength), u.strength_complete),
                    serde_json::to_value(u.action)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        let _ = writeln!(
            out,
            "{}",
            table(
                vec!["Symbol", "Value", "Alpha", "Signal", "Action"],
                rows,
                1
            )
        );
    }
    let _ = writeln!(
        out,
        "Review full optimization in morning check for swap recommendations"
    );
    let _ = writeln!(out, "\n=== FINAL DECISION ===");
    for (i, step) in plan.final_decision.iter().enumerate() {
        let _ = writeln!(out, "{}. {step}", i + 1);
    }
    out
}

fn morning_buys(out: &mut String, plan: &IntradayPlan) {
    let _ = writeln!(out, "=== MORNING BUY SIGNALS ===");
    if plan.morning_buys.is_empty() {
        let _ = writeln!(out, "No morning buy signals today.");
    }
    for m in &plan.morning_buys {
        let mark = if m.valid { "✓" } else { "✗" };
        let _ = writeln!(out, "  {mark} {}: {}", m.symbol, m.why);
    }
    out.push('\n');
}

fn new_buys(out: &mut String, plan: &IntradayPlan) {
    let _ = writeln!(out, "=== NEW BUY SIGNALS ===");
    if plan.new_buys.is_empty() {
        let _ = writeln!(out, "No new buy signals since the morning.\n");
        return;
    }
    let rows = plan
        .new_buys
        .iter()
        .map(|n| {
            vec![
                n.symbol.to_string(),
                price(n.price),
                strength(Some(n.strength), n.strength_complete),
                reward_risk(&n.exit),
                n.quantity.to_string(),
            ]
        })
        .collect();
    let _ = writeln!(
        out,
        "{}\n",
        table(vec!["Symbol", "Price", "Signal", "R/R", "Shares"], rows, 1)
    );
}
