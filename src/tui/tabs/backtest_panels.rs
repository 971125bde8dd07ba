//! The Backtest tab's lower panels: the selected strategy's equity against the benchmark,
//! its drawdown, the validation checklist, its trades, and the sweep results.

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use rust_decimal::prelude::ToPrimitive;

use super::backtest::State;
use super::sentence;
use crate::domain::backtest::{Outcome, StrategyResult, SweepPoint, Trade, Verdict};
use crate::domain::format::{amount, change_pct, num, share_pct};
use crate::tui::backtest_job::BacktestOutcome;
use crate::tui::keys::{key_of, Action};
use crate::tui::theme;
use crate::tui::view::Tab;
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::table::{self, col, fill, num as ncol, Column, View};
use crate::tui::widgets::{chart, panel};

fn series(points: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    points.enumerate().map(|(i, y)| (i as f64, y)).collect()
}

pub(super) fn render_equity(frame: &mut Frame, area: Rect, s: &StrategyResult, benchmark: &str) {
    let eq = &s.run.equity;
    let dates: Vec<NaiveDate> = eq.iter().map(|p| p.date).collect();
    let value = |d: rust_decimal::Decimal| d.to_f64().unwrap_or(0.0);
    let lines = vec![
        chart::Line {
            name: s.params.name.clone(),
            style: theme::good(),
            points: series(eq.iter().map(|p| value(p.equity))),
        },
        chart::Line {
            name: benchmark.to_string(),
            style: theme::warn(),
            points: series(eq.iter().map(|p| value(p.benchmark))),
        },
    ];
    chart::render(
        frame,
        area,
        &format!("Equity: {} vs {benchmark}", s.params.name),
        &dates,
        &lines,
        "No equity curve.",
    );
}

/// Percent below the running peak, the first day counting as a peak.
pub(super) fn render_drawdown(frame: &mut Frame, area: Rect, s: &StrategyResult) {
    let eq = &s.run.equity;
    let dates: Vec<NaiveDate> = eq.iter().map(|p| p.date).collect();
    let mut peak = f64::MIN;
    let dd = eq.iter().map(|p| {
        let v = p.equity.to_f64().unwrap_or(0.0);
        peak = peak.max(v);
        if peak > 0.0 {
            (v / peak - 1.0) * 100.0
        } else {
            0.0
        }
    });
    let lines = vec![chart::Line {
        name: "drawdown %".into(),
        style: theme::bad(),
        points: series(dd),
    }];
    let max = share_pct(Some(-s.metrics.max_drawdown_pct));
    let mut title = format!(
        "Drawdown · max {max} ({} → {})",
        s.metrics.max_drawdown_peak, s.metrics.max_drawdown_trough
    );
    // A narrow chart keeps the depth and the trough's day rather than cut the title.
    if title.chars().count() + 2 > area.width as usize {
        title = format!("Drawdown max {max} on {}", s.metrics.max_drawdown_trough);
    }
    let axis = chart::YAxis {
        max: Some(0.0),
        unit: "%",
    };
    chart::render_with(frame, area, &title, &dates, &lines, "No drawdown.", axis);
}

pub(super) fn render_verdict(frame: &mut Frame, area: Rect, name: &str, v: &Verdict) {
    let mut lines: Vec<Line> = v
        .criteria
        .iter()
        .map(|c| {
            let (mark, style) = match c.outcome {
                Outcome::Pass => ("✓ PASS", theme::good()),
                Outcome::Fail => ("✗ FAIL", theme::bad()),
            };
            Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(format!("{} {} ({})", c.name, c.rule, num(c.value, 2))),
            ])
        })
        .collect();
    let ready = v.passed == v.criteria.len();
    lines.push(Line::styled(
        format!(
            "{}/{} passed{}",
            v.passed,
            v.criteria.len(),
            if ready {
                ": ready to trust"
            } else {
                ": not yet"
            }
        ),
        if ready { theme::good() } else { theme::warn() },
    ));
    frame.render_widget(
        Paragraph::new(lines).block(panel(&format!("Validation: {name}"))),
        area,
    );
}

pub(super) const TRADE_COLUMNS: &[Column<Trade>] = &[
    col("Date", 10, |t| left(t.date.to_string(), Default::default())),
    col("Side", 4, |t| {
        left(format!("{:?}", t.side).to_uppercase(), Default::default())
    }),
    col("Symbol", 6, |t| left(t.symbol.to_string(), theme::title())),
    ncol("Qty", 5, |t| {
        right(t.quantity.normalize().to_string(), Default::default())
    }),
    ncol("Price", 9, |t| right(amount(t.price), Default::default())),
    ncol("P&L", 9, |t| {
        right(
            t.pnl.map_or(String::new(), amount),
            theme::signed(t.pnl.and_then(|p| p.to_f64()).unwrap_or(0.0)),
        )
    }),
    fill("Reason", 10, |t| left(t.reason.clone(), theme::dim())),
];

pub(super) fn render_trades(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    s: &StrategyResult,
    focused: bool,
) {
    let trades = &s.run.trades;
    let n = trades.len();
    let title = format!("Trades of {} ({n}, newest last)", s.params.name);
    let rows = state.visible_trades();
    table::render(
        frame,
        area,
        View {
            title: &title,
            empty: "No trades.",
            total: n,
            focused,
        },
        TRADE_COLUMNS,
        &rows,
        |i| &trades[i],
        &state.trades,
    );
}

pub(super) const SWEEP_COLUMNS: &[Column<SweepPoint>] = &[
    col("Rebalance", 14, |p| {
        left(p.params.frequency.to_string(), Default::default())
    }),
    ncol("Entry", 5, |p| {
        right(
            format!("{:.0}", p.params.entry_strength),
            Default::default(),
        )
    }),
    col("Margin", 6, |p| {
        left(
            if p.params.margin { "yes" } else { "no" },
            Default::default(),
        )
    }),
    ncol("Return %", 9, |p| {
        right(
            change_pct(Some(p.metrics.total_return_pct)),
            theme::signed(p.metrics.total_return_pct),
        )
    }),
    ncol("Max DD", 7, |p| {
        right(
            share_pct(Some(p.metrics.max_drawdown_pct)),
            Default::default(),
        )
    }),
    ncol("Sharpe", 6, |p| {
        right(num(p.metrics.sharpe, 2), Default::default())
    }),
    ncol("Verdict", 7, |p| {
        right(
            format!("{}/{}", p.verdict.passed, p.verdict.criteria.len()),
            Default::default(),
        )
    }),
];

pub(super) fn render_sweep(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let Some(BacktestOutcome::Sweep { points, from, to }) = state.sweep.as_ref() else {
        return sentence(
            frame,
            area,
            "Sweep",
            &format!(
                "No sweep yet: press {} to run the 64-point grid (frequency × entry × margin).",
                key_of(Tab::Backtest, Action::Sweep)
            ),
        );
    };
    let title = format!(
        "Sweep {from} → {to}: {} points, best Sharpe first",
        points.len(),
    );
    let rows = state.visible_sweep();
    table::render(
        frame,
        area,
        View {
            title: &title,
            empty: "No sweep points.",
            total: points.len(),
            focused,
        },
        SWEEP_COLUMNS,
        &rows,
        |i| &points[i],
        &state.sweep_list,
    );
}
