//! The backtest as text and JSON: the comparison table with the benchmark row, the best
//! strategy's details, its last 10 trades and the verdict. Formatting only.

use std::fmt::Write;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::check::table;
use crate::domain::backtest::{
    BacktestReport, Frequency, Metrics, StrategyParams, StrategyResult, SweepPoint, Universe,
};
use crate::domain::format::{amount, change_pct, money, num, share_pct};

fn comparison_row(name: &str, m: &Metrics) -> Vec<String> {
    vec![
        name.to_string(),
        money(m.final_value),
        change_pct(Some(m.total_return_pct)),
        change_pct(Some(m.excess_return_pct)),
        change_pct(m.alpha_capm_pct),
        share_pct(Some(m.max_drawdown_pct)),
        num(m.sharpe, 2),
        share_pct(m.trade_stats.win_rate_pct),
        m.trade_stats.trades.to_string(),
        m.trade_stats
            .avg_hold_days
            .map_or("—".into(), |d| format!("{d:.0}d")),
    ]
}

fn describe(p: &StrategyParams) -> String {
    let rebalance = match p.frequency {
        Frequency::Never => "never rebalanced".to_string(),
        f => format!("rebalanced {f}"),
    };
    let margin = if p.margin {
        format!(
            "margin up to {} % at {} % APR",
            p.margin_limit_pct, p.margin_apr_pct
        )
    } else {
        "no margin".to_string()
    };
    format!(
        "{rebalance} · buy strength ≥ {} · sell under {} · max {} positions · {margin}",
        p.entry_strength, p.exit_strength, p.max_positions
    )
}

fn details(out: &mut String, s: &StrategyResult) {
    let m = &s.metrics;
    let t = &m.trade_stats;
    let c = &s.params.costs;
    let _ = writeln!(out, "\n=== BEST: {} (highest Sharpe) ===", s.params.name);
    let _ = writeln!(out, "Rules:         {}", describe(&s.params));
    let _ = writeln!(
        out,
        "Costs:         {} per trade + {} bps commission, {} bps slippage",
        money(c.commission_per_trade),
        c.commission_bps,
        c.slippage_bps
    );
    let _ = writeln!(out, "CAGR:          {}", change_pct(m.cagr_pct));
    let _ = writeln!(out, "Volatility:    {}", share_pct(m.volatility_pct));
    let _ = writeln!(
        out,
        "Sharpe:        {}   Sortino: {}   Beta: {}",
        num(m.sharpe, 2),
        num(m.sortino, 2),
        num(m.beta, 2)
    );
    let recovered = m
        .max_drawdown_recovered
        .map_or("not recovered".to_string(), |d| format!("recovered {d}"));
    let _ = writeln!(
        out,
        "Max drawdown:  {} from {} to {}, {recovered} ({} trading days)",
        share_pct(Some(m.max_drawdown_pct)),
        m.max_drawdown_peak,
        m.max_drawdown_trough,
        m.max_drawdown_days
    );
    let _ = writeln!(
        out,
        "Turnover:      {:.2}×   Exposure: {:.0}%",
        t.turnover, t.exposure_pct
    );
}

fn last_trades(out: &mut String, s: &StrategyResult) {
    let trades = &s.run.trades;
    let _ = writeln!(out, "\nLast {} trades:", trades.len().min(10));
    if trades.is_empty() {
        let _ = writeln!(out, "No trades.");
        return;
    }
    let rows = trades[trades.len().saturating_sub(10)..]
        .iter()
        .map(|t| {
            vec![
                t.date.to_string(),
                t.side.as_str().to_string(),
                t.symbol.to_string(),
                t.quantity.to_string(),
                amount(t.price),
                amount(t.commission),
                t.pnl.map_or(String::new(), money),
                t.reason.clone(),
            ]
        })
        .collect();
    let header = vec![
        "Date", "Side", "Symbol", "Qty", "Price", "Comm.", "P&L", "Reason",
    ];
    let mut t = table(header, rows, 3);
    if let Some(reason) = t.column_mut(7) {
        reason.set_cell_alignment(comfy_table::CellAlignment::Left);
    }
    let _ = writeln!(out, "{t}");
}

fn verdict(out: &mut String, s: &StrategyResult) {
    let _ = writeln!(out, "\n=== VERDICT ({}) ===", s.params.name);
    for c in &s.verdict.criteria {
        let value = match c.name {
            "sharpe" => num(c.value, 2),
            "alpha" => change_pct(c.value),
            _ => share_pct(c.value),
        };
        let why = match (c.value, c.name) {
            (None, "win_rate") => " (no closed trades)",
            (None, _) => " (cannot be computed)",
            _ => "",
        };
        let _ = writeln!(
            out,
            "{:<14}{:<10}{:>8}   {}{why}",
            c.name.replace('_', " "),
            c.rule,
            value,
            c.outcome.as_str()
        );
    }
    let _ = writeln!(
        out,
        "Passed {} of {}.",
        s.verdict.passed,
        s.verdict.criteria.len()
    );
}

pub fn text(r: &BacktestReport) -> String {
    let mut out = String::new();
    let days = r.strategies.first().map_or(0, |s| s.run.equity.len());
    let capital = r
        .strategies
        .first()
        .map_or(Decimal::ZERO, |s| s.params.initial_capital);
    let _ = writeln!(
        out,
        "=== BACKTEST {} → {} ({days} trading days, benchmark {}, capital {}) ===",
        r.from,
        r.to,
        r.benchmark.symbol,
        money(capital)
    );
    let vs = format!("vs {}", r.benchmark.symbol);
    let header = vec![
        "Strategy",
        "Final Value",
        "Return %",
        &vs,
        "Alpha",
        "Max DD",
        "Sharpe",
        "Win Rate",
        "Trades",
        "Avg Hold",
    ];
    let mut rows: Vec<Vec<String>> = r
        .strategies
        .iter()
        .map(|s| comparison_row(&s.params.name, &s.metrics))
        .collect();
    let bench_name = format!("{} (buy & hold)", r.benchmark.symbol);
    rows.push(comparison_row(&bench_name, &r.benchmark.metrics));
    let _ = writeln!(out, "{}", table(header, rows, 1));
    let _ = writeln!(
        out,
        "Alpha: CAPM, per year. Decisions at the close, fills at the next open."
    );
    if let Some(best) = r.best() {
        details(&mut out, best);
        last_trades(&mut out, best);
        verdict(&mut out, best);
    }
    out
}

pub(super) fn metrics_json(m: &Metrics) -> Value {
    serde_json::to_value(m).unwrap_or(Value::Null)
}

pub(super) fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}

pub use super::backtest_json::{json, write_json};

pub fn sweep_text(u: &Universe, points: &[SweepPoint]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "=== SWEEP {} → {} ({} points, ranked by Sharpe, benchmark {}) ===",
        u.from(),
        u.to(),
        points.len(),
        u.benchmark.symbol
    );
    let vs = format!("vs {}", u.benchmark.symbol);
    let header = vec![
        "#",
        "Rebalance",
        "Entry",
        "Margin",
        "Final Value",
        "Return %",
        &vs,
        "Max DD",
        "Sharpe",
        "Win Rate",
        "Trades",
        "Verdict",
    ];
    let rows = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let m = &p.metrics;
            vec![
                (i + 1).to_string(),
                p.params.frequency.to_string(),
                format!("{}", p.params.entry_strength),
                if p.params.margin { "yes" } else { "no" }.to_string(),
                money(m.final_value),
                change_pct(Some(m.total_return_pct)),
                change_pct(Some(m.excess_return_pct)),
                share_pct(Some(m.max_drawdown_pct)),
                num(m.sharpe, 2),
                share_pct(m.trade_stats.win_rate_pct),
                m.trade_stats.trades.to_string(),
                format!("{}/{}", p.verdict.passed, p.verdict.criteria.len()),
            ]
        })
        .collect();
    let _ = writeln!(out, "{}", table(header, rows, 4));
    out
}

pub fn sweep_json(u: &Universe, points: &[SweepPoint]) -> String {
    let ranked: Vec<Value> = points
        .iter()
        .map(|p| {
            let head = json!({"name": p.params.name, "params": p.params});
            merge(
                merge(head, metrics_json(&p.metrics)),
                json!({"verdict": p.verdict}),
            )
        })
        .collect();
    let value = json!({
        "from": u.from(),
        "to": u.to(),
        "benchmark": {"symbol": u.benchmark.symbol},
        "sweep": ranked,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
