//! Market: SPY and QQQ direction, a price chart with SMA50/200 over 3M/1Y/5Y, and the
//! watchlist table, sortable and filterable (its state is in `market_state.rs`).

use chrono::{Duration, NaiveDate};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::{key_values, sentence};
use crate::domain::analyzer::{MarketDirection, WatchRow};

use crate::domain::format::{amount_opt, change_pct, num, price};
use crate::tui::data::Dashboard;
use crate::tui::keys::{key_of, Action};
use crate::tui::theme;
use crate::tui::view::Tab;
use crate::tui::widgets::chart;
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::scroll;
use crate::tui::widgets::table::{self, col, num as ncol, Column, View};

pub use super::market_state::{Range, State};

pub fn render(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Min(6)]).areas(area);
    let [directions, chart_area] =
        Layout::horizontal([Constraint::Length(46), Constraint::Min(30)]).areas(top);
    render_directions(frame, directions, state, data);
    render_chart(frame, chart_area, state);
    render_watchlist(frame, bottom, state, data);
}

fn render_directions(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    let Some(a) = data.analysis.as_ref().filter(|a| !a.market.is_empty()) else {
        let reason = data
            .empty_reason
            .as_deref()
            .unwrap_or("no market symbols have data");
        return sentence(frame, area, "Market direction", reason);
    };
    let mut lines = Vec::new();
    for (i, m) in a.market.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        lines.extend(direction_lines(m));
    }
    scroll::render(
        frame,
        area,
        "Market direction",
        lines,
        &state.directions,
        state.focus == 1,
    );
}

fn direction_lines(m: &MarketDirection) -> Vec<Line<'static>> {
    let flag = |b: Option<bool>| match b {
        Some(true) => Span::styled("above", theme::good()),
        Some(false) => Span::styled("below", theme::bad()),
        None => Span::styled("—", theme::dim()),
    };
    let regime = m.regime.map_or("—", |r| r.as_str());
    let regime_style = if regime == "BULL" {
        theme::good()
    } else {
        theme::bad()
    };
    let trend = m.trend.map_or("—", |t| t.as_str());
    let mut lines = vec![Line::styled(
        format!("{} {}", m.symbol, m.price_date),
        theme::title(),
    )];
    lines.extend(key_values(vec![
        ("Price", Span::raw(price(m.price))),
        (
            "1d / 5d / 30d",
            Span::raw(format!(
                "{} / {} / {}",
                change_pct(m.change_1d_pct),
                change_pct(m.change_5d_pct),
                change_pct(m.lookback_return_pct)
            )),
        ),
        (
            "Regime",
            Span::styled(
                format!(
                    "{regime} · {} from 52w high",
                    change_pct(m.drawdown_pct.map(|d| -d))
                ),
                regime_style,
            ),
        ),
        ("Trend", Span::raw(trend.to_string())),
        (
            "RSI / MACD h",
            Span::raw(format!("{} / {}", num(m.rsi_14, 1), num(m.macd_hist, 3))),
        ),
        ("SMA50", flag(m.above_sma_50)),
        ("SMA200", flag(m.above_sma_200)),
    ]));
    lines
}

fn render_chart(frame: &mut Frame, area: Rect, state: &State) {
    let Some(c) = state.chart.as_ref() else {
        return sentence(frame, area, "Chart", "Loading the chart…");
    };
    let from = c
        .points
        .last()
        .map(|p| p.date - Duration::days(state.range.days()))
        .unwrap_or_default();
    let points: Vec<_> = c.points.iter().filter(|p| p.date >= from).collect();
    let dates: Vec<NaiveDate> = points.iter().map(|p| p.date).collect();
    let line = |f: fn(&crate::tui::data::ChartPoint) -> Option<f64>| -> Vec<(f64, f64)> {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| f(p).map(|y| (i as f64, y)))
            .collect()
    };
    let lines = vec![
        chart::Line {
            name: c.symbol.to_string(),
            style: theme::title(),
            points: line(|p| Some(p.close)),
        },
        chart::Line {
            name: "SMA50".into(),
            style: theme::warn(),
            points: line(|p| p.sma_50),
        },
        chart::Line {
            name: "SMA200".into(),
            style: theme::bad(),
            points: line(|p| p.sma_200),
        },
    ];
    let title = format!("{} · {}", c.symbol, state.range.label());
    chart::render(
        frame,
        area,
        &title,
        &dates,
        &lines,
        "No prices to chart for this symbol.",
    );
}

pub(super) const WATCH_COLUMNS: &[Column<WatchRow>] = &[
    col("Symbol", 8, |r| {
        left(
            format!("{}{}", r.symbol, if r.held { " *" } else { "" }),
            theme::title(),
        )
    }),
    ncol("Price", 11, |r| {
        right(amount_opt(r.price), Default::default())
    }),
    ncol("1d %", 7, |r| {
        right(
            change_pct(r.change_1d_pct),
            theme::signed(r.change_1d_pct.unwrap_or(0.0)),
        )
    }),
    ncol("30d %", 7, |r| {
        right(
            change_pct(r.lookback_return_pct),
            theme::signed(r.lookback_return_pct.unwrap_or(0.0)),
        )
    }),
    ncol("RSI", 5, |r| right(num(r.rsi_14, 1), Default::default())),
    ncol("MACD h", 8, |r| {
        right(
            num(r.macd_hist, 3),
            theme::signed(r.macd_hist.unwrap_or(0.0)),
        )
    }),
    col("Trend", 7, |r| {
        left(r.trend.map_or("—", |t| t.as_str()), Default::default())
    }),
    ncol("Strength", 9, |r| {
        let text = r.strength.map_or("—".into(), |s| {
            format!("{s:.0}{}", if r.strength_complete { "" } else { "?" })
        });
        right(text, r.band.map(theme::band).unwrap_or_default())
    }),
    col("Band", 12, |r| {
        left(
            r.band.map_or("no data", |b| b.label()),
            r.band.map(theme::band).unwrap_or_default(),
        )
    }),
];

fn render_watchlist(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    let visible = state.visible(&data.watch);
    let title = format!("Watchlist {} · * held", data.watch.len());
    let empty = if data.watch.is_empty() {
        format!(
            "The watchlist is empty: press {} to add a symbol.",
            key_of(Tab::Market, Action::Add)
        )
    } else {
        format!(
            "No symbol matches the filter: {} clears it.",
            key_of(Tab::Market, Action::Back)
        )
    };
    table::render(
        frame,
        area,
        View {
            title: &title,
            empty: &empty,
            total: data.watch.len(),
            focused: state.focus == 0,
        },
        WATCH_COLUMNS,
        &visible,
        |i| &data.watch[i],
        &state.list,
    );
}
