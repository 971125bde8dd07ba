//! Optimization: the health grade with its three terms as gauges and the issues found, the
//! swap recommendations as REDUCE/INCREASE pairs (record them, mark one executed), and the
//! intraday rebalancing alerts.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};
use ratatui::Frame;

use super::sentence;
use crate::domain::analyzer::{Analysis, Swap, Underperformer};
use crate::domain::format::{amount, change_pct, money, num, share_pct};
use crate::service::ops::Op;
use crate::tui::data::Dashboard;
use crate::tui::forms;
use crate::tui::keys::Action;
use crate::tui::theme;
use crate::tui::view::{Effect, Panels};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::list::ListState;
use crate::tui::widgets::panel;
use crate::tui::widgets::scroll::{self, TextState};
use crate::tui::widgets::table::{self, col, fill, num as ncol, Column, View};
use crate::tui::worker::Command;

/// Panels: 0 the swaps, 1 the issues and game plan, 2 the intraday alerts.
#[derive(Debug, Default)]
pub struct State {
    pub swaps: ListState,
    pub plan: TextState,
    pub alerts: ListState,
    pub focus: usize,
}

impl Panels for State {
    fn focus_mut(&mut self) -> &mut usize {
        &mut self.focus
    }

    fn focused_list(&self) -> Option<&ListState> {
        match self.focus {
            0 => Some(&self.swaps),
            2 => Some(&self.alerts),
            _ => None,
        }
    }

    fn lists(&mut self) -> Vec<(usize, &mut ListState)> {
        vec![(0, &mut self.swaps), (2, &mut self.alerts)]
    }
}

impl State {
    fn visible_swaps(&self, swaps: &[Swap]) -> Vec<usize> {
        self.swaps
            .visible(SWAP_COLUMNS, 0..swaps.len(), |i| &swaps[i])
    }

    fn visible_alerts(&self, alerts: &[Underperformer]) -> Vec<usize> {
        self.alerts
            .visible(ALERT_COLUMNS, 0..alerts.len(), |i| &alerts[i])
    }

    pub fn on_action(&mut self, action: Action, data: &Dashboard, today: NaiveDate) -> Effect {
        let swaps = data.analysis.as_ref().map_or(&[][..], |a| &a.swaps);
        let visible = self.visible_swaps(swaps);
        let swap = visible
            .get(self.swaps.current(visible.len()))
            .map(|i| &swaps[*i]);
        let alerts = self.visible_alerts(&data.alerts);
        match action {
            Action::NextPanel => {
                self.focus = (self.focus + 1) % 3;
                return Effect::None;
            }
            Action::Detail if self.focus == 2 => {
                let alert = alerts
                    .get(self.alerts.current(alerts.len()))
                    .map(|i| &data.alerts[*i]);
                return alert.map_or(Effect::None, |u| {
                    Effect::Detail(Detail::of_row(
                        format!("Alert {}", u.symbol),
                        ALERT_COLUMNS,
                        u,
                    ))
                });
            }
            Action::Detail => {
                return swap.map_or(Effect::None, |s| {
                    Effect::Detail(Detail::of_row(
                        format!("Swap {} → {}", s.reduce.symbol, s.increase.symbol),
                        SWAP_COLUMNS,
                        s,
                    ))
                })
            }
            _ => {}
        }
        let as_of = data.analysis.as_ref().map(|a| a.as_of);
        match (action, as_of) {
            (Action::RecordSwaps, _) if swaps.is_empty() => {
                Effect::Note("No swaps to record".into())
            }
            (Action::RecordSwaps, as_of) => Effect::Send(Command::Apply(Op::RecordSwaps { as_of })),
            (Action::Take, Some(as_of)) => {
                swap.map_or(Effect::Note("No swap selected".into()), |s| {
                    let opened = data
                        .holdings
                        .iter()
                        .find(|h| h.symbol == s.reduce.symbol)
                        .and_then(|h| h.opened);
                    Effect::Open(forms::execute_swap(s, as_of, opened, today))
                })
            }
            (Action::Take, None) => Effect::Note("No swap selected".into()),
            (action, _) => {
                match self.focus {
                    1 => self.plan.on_action(action),
                    2 => self
                        .alerts
                        .on_action(action, alerts.len(), ALERT_COLUMNS.len()),
                    _ => self
                        .swaps
                        .on_action(action, visible.len(), SWAP_COLUMNS.len()),
                };
                Effect::None
            }
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    let Some(a) = data.analysis.as_ref() else {
        let reason = data.empty_reason.as_deref().unwrap_or("no analysis yet");
        return sentence(frame, area, "Optimization", reason);
    };
    // Tall screens size the swaps and alerts to their rows and give the rest to the health
    // and the game plan (all of it at 120×40); short ones fix every panel and scroll inside.
    let tall = area.height >= 30;
    let swap_rows = a.swaps.len().clamp(1, 5) as u16 + 3 + if tall { 4 } else { 0 };
    let alert_rows = data.alerts.len().clamp(1, 5) as u16 + 3;
    let [top, swaps_area, bottom] = if tall {
        Layout::vertical([
            Constraint::Min(11),
            Constraint::Length(swap_rows),
            Constraint::Length(alert_rows),
        ])
        .areas(area)
    } else {
        Layout::vertical([
            Constraint::Length(7),
            Constraint::Length(6),
            Constraint::Min(5),
        ])
        .areas(area)
    };
    let [health, issues] =
        Layout::horizontal([Constraint::Length(48), Constraint::Min(30)]).areas(top);
    render_health(frame, health, a);
    render_issues(frame, issues, a, state);
    render_swaps(frame, swaps_area, a, state, tall);
    render_alerts(frame, bottom, &data.alerts, state);
}

fn render_health(frame: &mut Frame, area: Rect, a: &Analysis) {
    let h = &a.health;
    let block = panel("Portfolio health");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let step = if inner.height >= 9 { 2 } else { 1 };
    let [headline, g1, g2, g3, rest] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(step),
        Constraint::Length(step),
        Constraint::Length(step),
        Constraint::Min(0),
    ])
    .areas(inner);
    let grade = h.grade.map_or("—".to_string(), |g| g.to_string());
    let score = h.score.map_or("—".to_string(), |s| format!("{s:.0}/100"));
    let style = match grade.as_str() {
        "A" | "B" => theme::good(),
        "C" => theme::warn(),
        _ => theme::bad(),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![Span::styled(
                format!("Grade {grade} ({score})"),
                style.add_modifier(ratatui::style::Modifier::BOLD),
            )]),
            Line::styled(
                format!(
                    "avg alpha {} vs {} · avg strength {}{}",
                    change_pct(h.avg_alpha),
                    a.benchmark,
                    num(h.avg_strength, 0),
                    if h.incomplete { " · incomplete" } else { "" }
                ),
                theme::dim(),
            ),
        ]),
        headline,
    );
    let terms = h.terms.as_ref();
    gauge(frame, g1, "Alpha", terms.map(|t| t.alpha), -10.0, 20.0);
    gauge(frame, g2, "Signal", terms.map(|t| t.signal), -10.0, 30.0);
    gauge(frame, g3, "Breadth", terms.map(|t| t.breadth), -10.0, 20.0);
    // What the numbers mean, where there is room for it.
    frame.render_widget(
        Paragraph::new(vec![Line::styled(
            "Score = base 50 + the three terms, 0–100. Breadth: the share of holdings \
             with negative alpha (fewer is better).",
            theme::dim(),
        )])
        .wrap(Wrap { trim: true }),
        rest,
    );
}

/// A term between its worst and best points.
fn gauge(frame: &mut Frame, area: Rect, name: &str, value: Option<f64>, lo: f64, hi: f64) {
    let v = value.unwrap_or(lo);
    let ratio = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    let style = if v > 0.0 {
        theme::good()
    } else if v < 0.0 {
        theme::bad()
    } else {
        theme::warn()
    };
    let label = format!("{name} {:+.0} (of {lo:+.0}…{hi:+.0})", v);
    let g = Gauge::default()
        .gauge_style(style)
        .ratio(ratio)
        .label(label);
    frame.render_widget(g, Rect { height: 1, ..area });
}

fn render_issues(frame: &mut Frame, area: Rect, a: &Analysis, state: &State) {
    let mut lines: Vec<Line<'static>> = a
        .health
        .issues
        .iter()
        .map(|i| Line::styled(format!("⚠ {}", i.message), theme::warn()))
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled("✓ No issues detected", theme::good()));
    }
    lines.push(Line::raw(""));
    lines.extend(
        a.game_plan
            .iter()
            .enumerate()
            .map(|(i, s)| Line::raw(format!("{}. {}", i + 1, s.text))),
    );
    scroll::render(
        frame,
        area,
        "Issues detected · game plan",
        lines,
        &state.plan,
        state.focus == 1,
    );
}

const SWAP_COLUMNS: &[Column<Swap>] = &[
    col("REDUCE", 7, |s| {
        left(s.reduce.symbol.to_string(), theme::bad())
    }),
    ncol("Value", 11, |s| {
        right(amount(s.reduce.value), Default::default())
    }),
    ncol("Str", 4, |s| {
        right(
            with_mark(s.reduce.strength, s.reduce.strength_complete),
            Default::default(),
        )
    }),
    col("→ INCREASE", 10, |s| {
        left(format!("→ {}", s.increase.symbol), theme::good())
    }),
    ncol("Price", 9, |s| {
        right(amount(s.increase.price), Default::default())
    }),
    ncol("Str", 4, |s| {
        right(
            with_mark(s.increase.strength, s.increase.strength_complete),
            Default::default(),
        )
    }),
    ncol("Improve", 8, |s| {
        right(format!("+{:.0} pts", s.improvement_points), theme::good())
    }),
    col("Risk", 6, |s| {
        left(s.risk_level.as_str(), Default::default())
    }),
    ncol("R/R", 4, |s| {
        let rr = s.size.exit.reward_risk_shown(1);
        right(
            rr.map_or("—".into(), |r| format!("{r:.1}")),
            Default::default(),
        )
    }),
    ncol("Size", 27, |s| {
        let z = &s.size;
        right(
            format!(
                "{} sh ({}, {})",
                z.quantity,
                money(z.value),
                share_pct(Some(z.allocation_pct))
            ),
            Default::default(),
        )
    }),
    col("Margin", 14, |s| {
        let text = if s.size.use_margin {
            format!("yes {}", money(s.size.margin_needed))
        } else {
            "no".into()
        };
        left(text, Default::default())
    }),
];

fn render_swaps(frame: &mut Frame, area: Rect, a: &Analysis, state: &State, why: bool) {
    if a.swaps.is_empty() {
        return frame.render_widget(
            Paragraph::new(Line::styled(
                a.no_swap_message(),
                if a.underperformers.is_empty() {
                    theme::good()
                } else {
                    theme::warn()
                },
            ))
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(panel("Swap recommendations")),
            area,
        );
    }
    let why_rows = if why { 4 } else { 0 };
    let [list, reasons] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(why_rows)]).areas(area);
    let visible = state.visible_swaps(&a.swaps);
    let title = format!("Swap recommendations ({})", a.swaps.len());
    table::render(
        frame,
        list,
        View {
            title: &title,
            empty: "",
            total: a.swaps.len(),
            focused: state.focus == 0,
        },
        SWAP_COLUMNS,
        &visible,
        |i| &a.swaps[i],
        &state.swaps,
    );
    let Some(s) = visible
        .get(state.swaps.current(visible.len()))
        .map(|i| &a.swaps[*i])
    else {
        return;
    };
    if !why {
        return;
    }
    let lines = vec![
        Line::from(vec![
            Span::styled("REDUCE   ", theme::bad()),
            Span::raw(s.reduce.reason.clone()),
        ]),
        Line::from(vec![
            Span::styled("INCREASE ", theme::good()),
            Span::raw(s.increase.reason.clone()),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(panel("Why")),
        reasons,
    );
}

const ALERT_COLUMNS: &[Column<Underperformer>] = &[
    col("Symbol", 8, |u| left(u.symbol.to_string(), theme::title())),
    ncol("Value", 12, |u| right(amount(u.value), Default::default())),
    ncol("Alpha", 7, |u| {
        right(num(u.alpha, 1), theme::alpha(u.alpha.unwrap_or(0.0)))
    }),
    ncol("Signal", 7, |u| {
        right(
            with_mark(u.strength, u.strength_complete),
            Default::default(),
        )
    }),
    col("Action", 7, |u| {
        left(format!("{:?}", u.action).to_uppercase(), theme::warn())
    }),
    fill("Reason", 10, |u| left(u.reason.clone(), theme::dim())),
];

fn render_alerts(frame: &mut Frame, area: Rect, alerts: &[Underperformer], state: &State) {
    let title = format!(
        "Intraday rebalancing alerts: {} position(s) flagged for review",
        alerts.len()
    );
    let visible = state.visible_alerts(alerts);
    table::render(
        frame,
        area,
        View {
            title: &title,
            empty: "✓ No positions flagged by the intraday thresholds.",
            total: alerts.len(),
            focused: state.focus == 2,
        },
        ALERT_COLUMNS,
        &visible,
        |i| &alerts[i],
        &state.alerts,
    );
}

/// A strength to print: `?` marks one computed with an input missing.
fn with_mark(strength: f64, complete: bool) -> String {
    format!("{strength:.0}{}", if complete { "" } else { "?" })
}
