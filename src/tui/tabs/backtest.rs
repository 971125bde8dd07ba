//! Backtest: the parameters and a run in the background (progress gauge, Esc cancels), the
//! strategy comparison with the benchmark, the selected strategy's equity against SPY and
//! its drawdown, the validation checklist, and the trade list or the sweep results.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Gauge, Paragraph};
use ratatui::Frame;

use super::backtest_panels::{
    render_drawdown, render_equity, render_sweep, render_trades, render_verdict,
};
use super::sentence;
use crate::domain::backtest::{Metrics, StrategyResult};
use crate::domain::format::{amount, change_pct, num, share_pct};
use crate::tui::backtest_job::{BacktestOutcome, BacktestRequest};
use crate::tui::forms;
use crate::tui::keys::{self, Action};
use crate::tui::theme;
use crate::tui::view::{Effect, Tab};
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::panel;
use crate::tui::widgets::table::{self, col, num as ncol, Column};
use crate::tui::worker::{Command, JobId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Panel {
    #[default]
    Trades,
    Sweep,
}

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
    pub selected: usize,
    /// The tab starts the default comparison the first time it is shown.
    pub started: bool,
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

    pub fn on_action(&mut self, action: Action, today: NaiveDate) -> Effect {
        match action {
            Action::Run if self.running.is_none() => {
                Effect::Open(forms::backtest_params(&self.request, today))
            }
            Action::Open if self.running.is_none() => self.start(BacktestRequest {
                sweep: true,
                ..self.request.clone()
            }),
            Action::Run | Action::Open => {
                Effect::Note("A backtest is running: Esc cancels it".into())
            }
            Action::Cancel => match self.job {
                Some(job) => Effect::Send(Command::CancelBacktest(job)),
                None => Effect::None,
            },
            Action::NextPanel => {
                self.panel = match self.panel {
                    Panel::Trades => Panel::Sweep,
                    Panel::Sweep => Panel::Trades,
                };
                Effect::None
            }
            _ => {
                self.selected = table::moved(self.selected, self.strategies().len(), action);
                Effect::None
            }
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
                self.selected = 0;
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
    let bottom_height = if area.height < 30 { 0 } else { 9 };
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
            "Replaying the strategies…"
        } else {
            "No backtest yet: press p to choose the parameters and run."
        };
        return sentence(frame, compare.union(charts).union(bottom), "Backtest", text);
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
    let selected = state
        .selected
        .min(report.strategies.len().saturating_sub(1));
    let title = format!(
        "Strategies {} → {} · j/k select · Alpha: CAPM, per year",
        report.from, report.to
    );
    table::render(
        frame,
        compare,
        &title,
        COMPARE,
        rows.len(),
        |i| &rows[i],
        Some(selected),
        "",
    );
    let Some(chosen) = report.strategies.get(selected) else {
        return;
    };
    let benchmark = report.benchmark.symbol.as_str();
    // Under 30 rows the drawdown and the trade list give way: the comparison, the equity
    // curve and the checklist are what a decision needs.
    if area.height < 30 {
        let [equity, checklist] = Layout::horizontal([Constraint::Min(30), Constraint::Length(40)])
            .areas(charts.union(bottom));
        render_equity(frame, equity, chosen, benchmark);
        render_verdict(frame, checklist, &chosen.params.name, &chosen.verdict);
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
        Panel::Trades => render_trades(frame, list, chosen),
        Panel::Sweep => render_sweep(frame, list, state.sweep.as_ref()),
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
        "strategy {} · {range} · capital {} · {}",
        crate::tui::backtest_job::strategy_name(r.strategy),
        r.params
            .initial_capital
            .map_or("default".to_string(), |c| c.to_string()),
        keys::hints(
            Tab::Backtest,
            &[Action::Run, Action::Open, Action::NextPanel]
        )
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
