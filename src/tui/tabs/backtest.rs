//! Backtest: the parameters and a run in the background (progress gauge, Esc cancels), the
//! strategy comparison with the benchmark, the selected strategy's equity against SPY and
//! its drawdown, the validation checklist, and the trade list or the sweep results.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Gauge, Paragraph};
use ratatui::Frame;

use super::backtest_panels::{
    self, render_drawdown, render_equity, render_sweep, render_trades, render_verdict,
};
use super::sentence;
use crate::domain::backtest::{Metrics, StrategyResult};
use crate::domain::format::{amount, change_pct, num, share_pct};
use crate::tui::backtest_job::{BacktestOutcome, BacktestRequest};
use crate::tui::forms;
use crate::tui::keys::{key_of, Action};
use crate::tui::theme;
use crate::tui::view::{Effect, Panels, Tab};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::list::ListState;
use crate::tui::widgets::panel;
use crate::tui::widgets::table::{self, col, num as ncol, Column, View};
use crate::tui::worker::{Command, JobId};

/// Which list the bottom panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Panel {
    #[default]
    Trades,
    Sweep,
}

/// The panels `v` moves through.
pub const STRATEGIES: usize = 0;
pub const TRADES: usize = 1;
pub const SWEEP: usize = 2;

#[derive(Debug, Default)]
pub struct State {
    pub request: BacktestRequest,
    /// `Some((done, total))` while a run is under way.
    pub running: Option<(usize, usize)>,
    /// The job of the run under way: only its answers move the gauge or show results.
    pub job: Option<JobId>,
    /// What that run was asked, recorded as the tab's request once the worker accepts it.
    pending: Option<BacktestRequest>,
    pub report: Option<BacktestOutcome>,
    pub sweep: Option<BacktestOutcome>,
    pub panel: Panel,
    pub strategies: ListState,
    pub trades: ListState,
    pub sweep_list: ListState,
    pub focus: usize,
    /// Small screens show one chart: the drawdown instead of the equity when set.
    pub drawdown_chart: bool,
    /// The tab starts the default comparison the first time it is shown.
    pub started: bool,
}

impl Panels for State {
    fn focus_mut(&mut self) -> &mut usize {
        &mut self.focus
    }

    fn focused_list(&self) -> Option<&ListState> {
        Some(match self.focus {
            TRADES => &self.trades,
            SWEEP => &self.sweep_list,
            _ => &self.strategies,
        })
    }

    fn lists(&mut self) -> Vec<(usize, &mut ListState)> {
        vec![
            (STRATEGIES, &mut self.strategies),
            (TRADES, &mut self.trades),
            (SWEEP, &mut self.sweep_list),
        ]
    }
}

impl State {
    /// Called when the tab is shown: the first visit runs the default comparison.
    pub fn on_show(&mut self) -> Effect {
        if self.started {
            return Effect::None;
        }
        self.start(self.request.clone())
    }

    pub fn start(&mut self, request: BacktestRequest) -> Effect {
        self.started = true;
        Effect::Send(Command::RunBacktest(request))
    }

    /// A run was sent as `job` (from this tab or the parameters form): the gauge shows.
    pub fn submitted(&mut self, job: JobId, request: BacktestRequest) {
        self.started = true;
        self.job = Some(job);
        self.running = Some((0, 1));
        self.pending = Some(request);
    }

    /// The worker started `job`; false when it is not this tab's run.
    pub fn accepted(&mut self, job: JobId) -> bool {
        if self.job != Some(job) {
            return false;
        }
        if let Some(request) = self.pending.take() {
            if request.sweep {
                self.panel = Panel::Sweep;
            } else {
                self.request = request;
            }
        }
        true
    }

    /// Progress of `job`; false (and ignored) when it is not this tab's run.
    pub fn progress(&mut self, job: JobId, done: usize, total: usize) -> bool {
        if self.job != Some(job) {
            return false;
        }
        self.running = Some((done, total));
        true
    }

    /// `job` ended without a result (cancelled or failed); false when it is not this tab's.
    pub fn stopped(&mut self, job: JobId) -> bool {
        if self.job != Some(job) {
            return false;
        }
        self.job = None;
        self.running = None;
        self.pending = None;
        true
    }

    /// Esc: cancels the run under way; `None` when there is none.
    pub fn cancel(&self) -> Option<Effect> {
        self.job
            .map(|job| Effect::Send(Command::CancelBacktest(job)))
    }

    pub fn on_action(&mut self, action: Action, today: NaiveDate) -> Effect {
        match action {
            Action::Run if self.running.is_none() => {
                Effect::Open(forms::backtest_params(&self.request, today))
            }
            Action::Sweep if self.running.is_none() => self.start(BacktestRequest {
                sweep: true,
                ..self.request.clone()
            }),
            Action::Run | Action::Sweep => {
                Effect::Note("A backtest is running: Esc cancels it".into())
            }
            Action::Chart => {
                self.drawdown_chart = !self.drawdown_chart;
                Effect::None
            }
            Action::NextPanel => {
                self.focus = (self.focus + 1) % 3;
                match self.focus {
                    TRADES => self.panel = Panel::Trades,
                    SWEEP => self.panel = Panel::Sweep,
                    _ => {}
                }
                Effect::None
            }
            Action::Detail => self.detail(),
            _ => {
                match self.focus {
                    TRADES => {
                        let rows = self.visible_trades();
                        self.trades.on_action(
                            action,
                            rows.len(),
                            backtest_panels::TRADE_COLUMNS.len(),
                        );
                    }
                    SWEEP => {
                        let rows = self.visible_sweep();
                        self.sweep_list.on_action(
                            action,
                            rows.len(),
                            backtest_panels::SWEEP_COLUMNS.len(),
                        );
                    }
                    _ => {
                        let n = self.strategies().len();
                        self.strategies.on_action(action, n, COMPARE.len());
                    }
                }
                Effect::None
            }
        }
    }

    /// The strategy whose curves and trades show.
    pub fn chosen(&self) -> Option<&StrategyResult> {
        let s = self.strategies();
        s.get(self.strategies.current(s.len()))
    }

    pub fn visible_trades(&self) -> Vec<usize> {
        let Some(s) = self.chosen() else {
            return Vec::new();
        };
        let t = &s.run.trades;
        self.trades
            .visible(backtest_panels::TRADE_COLUMNS, 0..t.len(), |i| &t[i])
    }

    pub fn sweep_points(&self) -> &[crate::domain::backtest::SweepPoint] {
        match &self.sweep {
            Some(BacktestOutcome::Sweep { points, .. }) => points,
            _ => &[],
        }
    }

    pub fn visible_sweep(&self) -> Vec<usize> {
        let p = self.sweep_points();
        self.sweep_list
            .visible(backtest_panels::SWEEP_COLUMNS, 0..p.len(), |i| &p[i])
    }

    fn detail(&self) -> Effect {
        match self.focus {
            TRADES => {
                let rows = self.visible_trades();
                let Some(s) = self.chosen() else {
                    return Effect::None;
                };
                rows.get(self.trades.current(rows.len()))
                    .map_or(Effect::None, |i| {
                        let t = &s.run.trades[*i];
                        Effect::Detail(Detail::of_row(
                            format!("Trade {} {} {}", t.date, t.symbol, s.params.name),
                            backtest_panels::TRADE_COLUMNS,
                            t,
                        ))
                    })
            }
            SWEEP => {
                let rows = self.visible_sweep();
                let points = self.sweep_points();
                rows.get(self.sweep_list.current(rows.len()))
                    .map_or(Effect::None, |i| {
                        Effect::Detail(Detail::of_row(
                            "Sweep point".into(),
                            backtest_panels::SWEEP_COLUMNS,
                            &points[*i],
                        ))
                    })
            }
            _ => self.chosen().map_or(Effect::None, |s| {
                let mut lines = crate::tui::widgets::detail::fields(&s.params);
                lines.extend(crate::tui::widgets::detail::fields(&s.metrics));
                lines.extend(crate::tui::widgets::detail::fields(&s.verdict));
                Effect::Detail(Detail::new(format!("Strategy {}", s.params.name), lines))
            }),
        }
    }

    /// `job` finished with `outcome`: the message for the status bar, `None` (and the outcome
    /// dropped) when it is not this tab's run.
    pub fn finished(&mut self, job: JobId, outcome: BacktestOutcome) -> Option<String> {
        self.accepted(job);
        if !self.stopped(job) {
            return None;
        }
        Some(match &outcome {
            BacktestOutcome::Report { run_ids, report } => {
                let message = match (run_ids.first(), run_ids.last()) {
                    (Some(a), Some(b)) => format!(
                        "Backtest done: {} strategies, saved as runs {a}–{b}",
                        report.strategies.len()
                    ),
                    _ => "Backtest done".into(),
                };
                self.report = Some(outcome);
                self.strategies.selected = 0;
                self.trades = ListState::at_end();
                message
            }
            BacktestOutcome::Sweep { points, .. } => {
                let message = format!("Sweep done: {} points ranked by Sharpe", points.len());
                self.sweep = Some(outcome);
                self.panel = Panel::Sweep;
                message
            }
        })
    }

    fn strategies(&self) -> &[StrategyResult] {
        match &self.report {
            Some(BacktestOutcome::Report { report, .. }) => &report.strategies,
            _ => &[],
        }
    }
}

/// One row of the comparison: a strategy or the benchmark.
struct Compared {
    name: String,
    metrics: Metrics,
}

const COMPARE: &[Column<Compared>] = &[
    col("Strategy", 17, |c| left(c.name.clone(), theme::title())),
    ncol("Final Value", 12, |c| {
        right(amount(c.metrics.final_value), Default::default())
    }),
    ncol("Return %", 9, |c| {
        right(
            change_pct(Some(c.metrics.total_return_pct)),
            theme::signed(c.metrics.total_return_pct),
        )
    }),
    ncol("vs SPY", 8, |c| {
        right(
            change_pct(Some(c.metrics.excess_return_pct)),
            theme::signed(c.metrics.excess_return_pct),
        )
    }),
    ncol("Alpha", 8, |c| {
        right(
            change_pct(c.metrics.alpha_capm_pct),
            theme::signed(c.metrics.alpha_capm_pct.unwrap_or(0.0)),
        )
    }),
    ncol("Max DD", 7, |c| {
        right(
            share_pct(Some(c.metrics.max_drawdown_pct)),
            Default::default(),
        )
    }),
    ncol("Sharpe", 6, |c| {
        right(num(c.metrics.sharpe, 2), Default::default())
    }),
    ncol("Win Rate", 8, |c| {
        right(
            share_pct(c.metrics.trade_stats.win_rate_pct),
            Default::default(),
        )
    }),
    ncol("Trades", 6, |c| {
        right(c.metrics.trade_stats.trades.to_string(), Default::default())
    }),
    ncol("Avg Hold", 8, |c| {
        right(
            c.metrics
                .trade_stats
                .avg_hold_days
                .map_or("—".into(), |d| format!("{d:.0}d")),
            Default::default(),
        )
    }),
];

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let tall = area.height >= 30;
    let bottom_height = if tall { 9 } else { 0 };
    let [head, compare, charts, bottom] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(8),
        Constraint::Min(6),
        Constraint::Length(bottom_height),
    ])
    .areas(area);
    render_head(frame, head, state);
    let Some(BacktestOutcome::Report { report, .. }) = &state.report else {
        let text = if state.running.is_some() {
            "Replaying the strategies…".to_string()
        } else {
            format!(
                "No backtest yet: press {} to choose the parameters and run.",
                key_of(Tab::Backtest, Action::Run)
            )
        };
        return sentence(
            frame,
            compare.union(charts).union(bottom),
            "Backtest",
            &text,
        );
    };
    let mut rows: Vec<Compared> = report
        .strategies
        .iter()
        .map(|s| Compared {
            name: s.params.name.clone(),
            metrics: s.metrics.clone(),
        })
        .collect();
    rows.push(Compared {
        name: format!("{} (buy & hold)", report.benchmark.symbol),
        metrics: report.benchmark.metrics.clone(),
    });
    let title = format!(
        "Strategies {} → {} · Alpha: CAPM, per year",
        report.from, report.to
    );
    let order: Vec<usize> = (0..rows.len()).collect();
    table::render(
        frame,
        compare,
        View {
            title: &title,
            empty: "",
            total: rows.len(),
            focused: state.focus == STRATEGIES,
        },
        COMPARE,
        &order,
        |i| &rows[i],
        &state.strategies,
    );
    let Some(chosen) = state.chosen() else {
        return;
    };
    let benchmark = report.benchmark.symbol.as_str();
    // Under 30 rows one panel shows below the comparison: the chosen chart and the
    // checklist, or (v) the trades, or the sweep.
    if !tall {
        let lower = charts.union(bottom);
        match state.focus {
            TRADES => render_trades(frame, lower, state, chosen, true),
            SWEEP => render_sweep(frame, lower, state, true),
            _ => {
                let [chart, checklist] =
                    Layout::horizontal([Constraint::Min(30), Constraint::Length(40)]).areas(lower);
                if state.drawdown_chart {
                    render_drawdown(frame, chart, chosen);
                } else {
                    render_equity(frame, chart, chosen, benchmark);
                }
                render_verdict(frame, checklist, &chosen.params.name, &chosen.verdict);
            }
        }
        return;
    }
    let [equity, drawdown] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(charts);
    render_equity(frame, equity, chosen, benchmark);
    render_drawdown(frame, drawdown, chosen);
    let [checklist, list] =
        Layout::horizontal([Constraint::Length(40), Constraint::Min(30)]).areas(bottom);
    render_verdict(frame, checklist, &chosen.params.name, &chosen.verdict);
    match state.panel {
        Panel::Trades => render_trades(frame, list, state, chosen, state.focus == TRADES),
        Panel::Sweep => render_sweep(frame, list, state, state.focus == SWEEP),
    }
}

fn render_head(frame: &mut Frame, area: Rect, state: &State) {
    let r = &state.request.plan;
    let range = match (r.from, r.to) {
        (None, None) => "last 365 days".to_string(),
        (f, t) => format!(
            "{} → {}",
            f.map_or("365 days before".into(), |d| d.to_string()),
            t.map_or("last bar".into(), |d| d.to_string())
        ),
    };
    let params = format!(
        "strategy {} · {range} · capital {}",
        crate::tui::backtest_job::strategy_name(r.strategy),
        r.params
            .initial_capital
            .map_or("default".to_string(), |c| c.to_string()),
    );
    let block = panel("Backtest");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match state.running {
        Some((done, total)) => {
            let ratio = if total == 0 {
                0.0
            } else {
                done as f64 / total as f64
            };
            let gauge = Gauge::default()
                .gauge_style(theme::good())
                .ratio(ratio.clamp(0.0, 1.0))
                .label(format!("running {done}/{total} · Esc cancels"));
            frame.render_widget(gauge, inner);
        }
        None => frame.render_widget(Paragraph::new(Line::styled(params, theme::dim())), inner),
    }
}
