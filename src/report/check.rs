//! The morning check and the intraday check as text. Everything shown comes from the
//! `Analysis`; nothing is computed here.

use std::fmt::Write;

use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, Table};

use crate::domain::analyzer::{Analysis, HoldingRow};
use crate::domain::format::{
    change_pct, money, money_opt, num, points, price, price_opt, share_pct,
};
use crate::domain::risk::Regime;
use crate::domain::sizer::ExitPlan;

pub(super) fn strength(v: Option<f64>, complete: bool) -> String {
    v.map(|s| format!("{s:.0}{}", if complete { "" } else { "?" }))
        .unwrap_or_else(|| "—".into())
}

/// Reward/risk to one decimal, rounded down; "—" without a price range.
pub(super) fn reward_risk(exit: &ExitPlan) -> String {
    exit.reward_risk_shown(1)
        .map_or_else(|| "—".into(), |rr| format!("{rr:.1}"))
}

pub(crate) fn table(header: Vec<&str>, rows: Vec<Vec<String>>, right_from: usize) -> Table {
    let mut t = Table::new();
    let cols = header.len();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header);
    for r in rows {
        t.add_row(r);
    }
    for c in right_from..cols {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// What must be read before any figure: one `!` line each.
pub(super) fn warnings(out: &mut String, a: &Analysis) {
    for w in &a.warnings {
        let _ = writeln!(out, "! {w}");
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(out);
    }
}

pub(super) fn account(out: &mut String, a: &Analysis) {
    let acc = &a.account;
    let _ = writeln!(out, "=== ACCOUNT SUMMARY ({}) ===", a.as_of);
    if acc.balance_as_of.is_none() {
        let _ = writeln!(
            out,
            "No balances recorded: ducklens account set --cash AMOUNT"
        );
    }
    let _ = writeln!(out, "Cash:              {}", money(acc.cash));
    let _ = writeln!(out, "Positions:         {}", money(acc.positions_value));
    let _ = writeln!(out, "Portfolio value:   {}", money(acc.portfolio_value));
    let _ = writeln!(out, "Total value:       {}", money(acc.total_value));
    let _ = writeln!(out, "Buying power:      {}", money(acc.buying_power));
    let _ = writeln!(
        out,
        "Margin used:       {} of {} available ({} of portfolio, risk {:?})",
        money(acc.margin_used),
        money(acc.margin_available),
        share_pct(acc.margin_pct),
        acc.margin_risk
    );
    let _ = writeln!(
        out,
        "Cash reserve:      {}\n",
        share_pct(acc.cash_reserve_pct)
    );
}

pub(super) fn market(out: &mut String, a: &Analysis) {
    let _ = writeln!(out, "=== MARKET DIRECTION ===");
    if a.market.is_empty() {
        let _ = writeln!(
            out,
            "No market data: ducklens fetch SPY QQQ (or ducklens import prices FILE)\n"
        );
        return;
    }
    let rows = a
        .market
        .iter()
        .map(|m| {
            let above = |v: Option<bool>| {
                v.map_or("—", |b| if b { "above" } else { "below" })
                    .to_string()
            };
            vec![
                m.symbol.to_string(),
                price(m.price),
                change_pct(m.change_1d_pct),
                change_pct(m.change_5d_pct),
                change_pct(m.lookback_return_pct),
                num(m.rsi_14, 1),
                num(m.macd_hist, 3),
                m.trend.map_or("—", |t| t.as_str()).to_string(),
                above(m.above_sma_50),
                above(m.above_sma_200),
                m.regime.map_or("—".to_string(), regime_name),
            ]
        })
        .collect();
    let header = vec![
        "Symbol",
        "Price",
        "1d",
        "5d",
        "30d",
        "RSI",
        "MACD hist",
        "Trend",
        "SMA50",
        "SMA200",
        "Regime",
    ];
    let _ = writeln!(out, "{}\n", table(header, rows, 1));
}

fn regime_name(r: Regime) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn holding_row(h: &HoldingRow) -> Vec<String> {
    let alerts: Vec<&str> = h.alerts.iter().map(|a| a.kind.label()).collect();
    vec![
        h.symbol.to_string(),
        h.quantity.normalize().to_string(),
        price_opt(h.price),
        money_opt(h.value),
        share_pct(h.weight_pct),
        money_opt(h.unrealized_pnl),
        change_pct(h.lookback_return_pct),
        points(h.alpha),
        num(h.rsi_14, 1),
        h.trend.map_or("—", |t| t.as_str()).to_string(),
        strength(h.strength, h.strength_complete),
        h.risk_level.map_or("—", |r| r.as_str()).to_string(),
        if alerts.is_empty() {
            h.note.clone().unwrap_or_default()
        } else {
            alerts.join(", ")
        },
    ]
}

fn holdings(out: &mut String, a: &Analysis) {
    let _ = writeln!(out, "=== HOLDINGS STATUS ===");
    if a.holdings.is_empty() {
        let _ = writeln!(out, "No positions.\n");
        return;
    }
    let header = vec![
        "Symbol", "Qty", "Price", "Value", "Weight", "P&L", "30d", "Alpha", "RSI", "Trend",
        "Signal", "Risk", "Alerts",
    ];
    let _ = writeln!(
        out,
        "{}\n",
        table(header, a.holdings.iter().map(holding_row).collect(), 1)
    );
}

fn opportunities(out: &mut String, a: &Analysis) {
    let _ = writeln!(out, "=== WATCHLIST OPPORTUNITIES ===");
    if a.opportunities.is_empty() {
        let _ = writeln!(
            out,
            "No watchlist symbol reaches the opportunity threshold.\n"
        );
        return;
    }
    let rows = a
        .opportunities
        .iter()
        .map(|o| {
            vec![
                o.symbol.to_string(),
                price(o.price),
                strength(Some(o.strength), o.strength_complete),
                o.band.label().to_string(),
                points(o.alpha),
                o.risk_level.as_str().to_string(),
                reward_risk(&o.size.exit),
                format!("{} sh", o.size.quantity),
            ]
        })
        .collect();
    let header = vec![
        "Symbol", "Price", "Signal", "Band", "Alpha", "Risk", "R/R", "Size",
    ];
    let _ = writeln!(out, "{}", table(header, rows, 1));
    // A 0-share row says why, so a refused buy is never mistaken for a missing figure.
    for o in a.opportunities.iter().filter(|o| o.size.quantity == 0) {
        if let Some(reason) = &o.size.reason {
            let _ = writeln!(out, "  {}: 0 sh, {reason}", o.symbol);
        }
    }
    out.push('\n');
}

fn optimization(out: &mut String, a: &Analysis) {
    let _ = writeln!(out, "=== PORTFOLIO OPTIMIZATION ===");
    let h = &a.health;
    match (h.grade, h.score) {
        (Some(g), Some(s)) => {
            let _ = writeln!(
                out,
                "Portfolio Health: {g} ({s:.0}/100) | Average alpha: {} vs {}",
                change_pct(h.avg_alpha),
                a.benchmark
            );
        }
        _ => {
            let _ = writeln!(out, "Portfolio Health: — (no positions)");
        }
    }
    for issue in &h.issues {
        let _ = writeln!(out, "  ! {}", issue.message);
    }
    if a.swaps.is_empty() {
        let _ = writeln!(out, "\n{}\n", a.no_swap_message());
        return;
    }
    for (i, s) in a.swaps.iter().enumerate() {
        let _ = writeln!(out, "\nRecommendation {}:", i + 1);
        let rows = vec![
            vec![
                "REDUCE".into(),
                s.reduce.symbol.to_string(),
                money(s.reduce.value),
                strength(Some(s.reduce.strength), s.reduce.strength_complete),
                s.reduce.reason.clone(),
            ],
            vec![
                "INCREASE".into(),
                s.increase.symbol.to_string(),
                price(s.increase.price),
                strength(Some(s.increase.strength), s.increase.strength_complete),
                s.increase.reason.clone(),
            ],
        ];
        let _ = writeln!(
            out,
            "{}",
            table(
                vec!["Action", "Symbol", "Value/Price", "Signal", "Reason"],
                rows,
                9
            )
        );
        let _ = writeln!(
            out,
            "Expected Improvement: +{:.0} points",
            s.improvement_points
        );
        let _ = writeln!(out, "Risk Level: {}", s.risk_level.as_str());
        let _ = writeln!(
            out,
            "Stop {}, target {}, R/R {}",
            money(s.size.exit.stop_loss),
            money(s.size.exit.target_exit),
            reward_risk(&s.size.exit)
        );
        let _ = writeln!(
            out,
            "Suggested Size: {} shares ({}, {} of portfolio){}",
            s.size.quantity,
            money(s.size.value),
            share_pct(Some(s.size.allocation_pct)),
            if s.size.use_margin {
                format!(", margin {}", money(s.size.margin_needed))
            } else {
                String::new()
            }
        );
    }
    out.push('\n');
}

fn game_plan(out: &mut String, a: &Analysis) {
    let _ = writeln!(out, "=== GAME PLAN ===");
    for (i, step) in a.game_plan.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, step.text);
    }
    for m in &a.missing_data {
        let _ = writeln!(
            out,
            "Note: no prices for {} ({:?}); ducklens fetch {}",
            m.symbol, m.role, m.symbol
        );
    }
}

pub fn morning_text(a: &Analysis) -> String {
    let mut out = String::new();
    warnings(&mut out, a);
    account(&mut out, a);
    market(&mut out, a);
    holdings(&mut out, a);
    opportunities(&mut out, a);
    optimization(&mut out, a);
    game_plan(&mut out, a);
    out
}
