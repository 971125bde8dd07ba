//! Signals: the journal with filters, the stats panel (win rate over 30 and 90 days, P&L,
//! profit factor, by source), missed opportunities and calibration by strength band; forms
//! to add a signal, mark it taken, record its exit and edit notes.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};
use ratatui::Frame;

use crate::domain::format::{amount, amount_opt};
use crate::domain::journal::{Outcome, SignalRecord, SignalType};
use crate::domain::tracker::{JournalStats, WindowStats};
use crate::tui::data::Dashboard;
use crate::tui::forms;
use crate::tui::keys::{self, Action};
use crate::tui::theme;
use crate::tui::view::{Effect, Tab};
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::panel;
use crate::tui::widgets::table::{self, col, num as ncol, Column};

/// Which journal rows show. `None` everywhere shows all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub source: Option<String>,
    pub kind: Option<SignalType>,
    /// `Some(None)` shows rows with no outcome yet.
    pub outcome: Option<Option<Outcome>>,
    pub taken: Option<bool>,
}

impl Filters {
    pub fn keeps(&self, s: &SignalRecord) -> bool {
        self.source
            .as_ref()
            .is_none_or(|src| &s.signal_source == src)
            && self.kind.is_none_or(|k| s.signal_type == k)
            && self.outcome.is_none_or(|o| s.outcome == o)
            && self.taken.is_none_or(|t| s.action_taken == t)
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.source {
            parts.push(format!("source {s}"));
        }
        if let Some(k) = self.kind {
            parts.push(format!("type {}", k.as_str()));
        }
        if let Some(o) = self.outcome {
            parts.push(format!("outcome {}", o.map_or("open", |o| o.as_str())));
        }
        if let Some(t) = self.taken {
            parts.push(if t {
                "taken".into()
            } else {
                "not taken".into()
            });
        }
        if parts.is_empty() {
            "all".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The value after `current` in `options`, wrapping to `None` (no filter) after the last.
fn cycle<T: Clone + PartialEq>(current: &Option<T>, options: &[T]) -> Option<T> {
    match current {
        None => options.first().cloned(),
        Some(c) => options
            .iter()
            .position(|o| o == c)
            .and_then(|i| options.get(i + 1))
            .cloned(),
    }
}

#[derive(Debug, Default)]
pub struct State {
    pub selected: usize,
    pub filters: Filters,
}

impl State {
    /// Indices of the rows that pass the filters, newest first as stored.
    pub fn visible(&self, signals: &[SignalRecord]) -> Vec<usize> {
        (0..signals.len())
            .filter(|i| self.filters.keeps(&signals[*i]))
            .collect()
    }

    pub fn on_action(&mut self, action: Action, data: &Dashboard, today: NaiveDate) -> Effect {
        let visible = self.visible(&data.signals);
        let selected = visible.get(self.selected).map(|i| &data.signals[*i]);
        match action {
            Action::Add => Effect::Open(forms::signal_new(today)),
            Action::Open => selected.map_or(Effect::None, |s| open(s, today, data)),
            Action::Exit => selected.map_or(Effect::None, |s| exit(s, today, data)),
            Action::Note => {
                selected.map_or(Effect::None, |s| Effect::Open(forms::signal_note(s, today)))
            }
            Action::CycleSource => {
                let mut sources: Vec<String> = data
                    .signals
                    .iter()
                    .map(|s| s.signal_source.clone())
                    .collect();
                sources.sort();
                sources.dedup();
                self.filters.source = cycle(&self.filters.source, &sources);
                self.refiltered()
            }
            Action::CycleType => {
                self.filters.kind = cycle(
                    &self.filters.kind,
                    &[SignalType::Buy, SignalType::Sell, SignalType::Hold],
                );
                self.refiltered()
            }
            Action::CycleOutcome => {
                let options = [
                    None,
                    Some(Outcome::Win),
                    Some(Outcome::Loss),
                    Some(Outcome::Breakeven),
                    Some(Outcome::Missed),
                    Some(Outcome::Passed),
                ];
                self.filters.outcome = cycle(&self.filters.outcome, &options);
                self.refiltered()
            }
            Action::CycleTaken => {
                self.filters.taken = cycle(&self.filters.taken, &[true, false]);
                self.refiltered()
            }
            Action::ClearFilters => {
                self.filters = Filters::default();
                self.refiltered()
            }
            _ => {
                self.selected = table::moved(self.selected, visible.len(), action);
                Effect::None
            }
        }
    }

    fn refiltered(&mut self) -> Effect {
        self.selected = 0;
        Effect::Note(format!("Journal filter: {}", self.filters.describe()))
    }
}

/// Enter on an open signal marks it taken; on a taken one it records the exit.
fn open(s: &SignalRecord, today: NaiveDate, data: &Dashboard) -> Effect {
    if s.action_taken {
        return exit(s, today, data);
    }
    if s.outcome.is_some() {
        return Effect::Note(format!(
            "Signal {} was judged {}; nothing to take",
            s.id.unwrap_or_default(),
            s.outcome.map_or("", |o| o.as_str())
        ));
    }
    Effect::Open(forms::signal_take(s, today))
}

fn exit(s: &SignalRecord, today: NaiveDate, data: &Dashboard) -> Effect {
    let id = s.id.unwrap_or_default();
    if !s.action_taken {
        return Effect::Note(format!(
            "Signal {id} is not taken: press t to mark it taken first"
        ));
    }
    if s.exit_date.is_some() {
        return Effect::Note(format!("Signal {id} is already closed"));
    }
    forms::signal_close(s, today, data.journal_commission, data.breakeven_pct).map_or_else(
        || Effect::Note(format!("Signal {id} has no recorded entry to close")),
        Effect::Open,
    )
}

fn outcome_style(o: Option<Outcome>) -> Style {
    match o {
        Some(Outcome::Win | Outcome::Missed) => theme::good(),
        Some(Outcome::Loss) => theme::bad(),
        Some(_) => theme::dim(),
        None => Style::default(),
    }
}

const COLUMNS: &[Column<SignalRecord>] = &[
    ncol("ID", 5, |s| {
        right(s.id.unwrap_or_default().to_string(), theme::dim())
    }),
    col("Date", 10, |s| {
        left(s.signal_date.to_string(), Default::default())
    }),
    col("Symbol", 6, |s| left(s.symbol.to_string(), theme::title())),
    col("Type", 4, |s| {
        left(s.signal_type.as_str(), Default::default())
    }),
    col("Source", 13, |s| {
        left(s.signal_source.clone(), theme::dim())
    }),
    ncol("Str", 3, |s| {
        right(
            s.signal_strength
                .map_or("—".into(), |v| v.round().to_string()),
            Default::default(),
        )
    }),
    ncol("Price", 9, |s| {
        right(amount_opt(s.price_at_signal), Default::default())
    }),
    col("Tkn", 3, |s| {
        left(if s.action_taken { "yes" } else { "" }, theme::good())
    }),
    col("Outcome", 9, |s| {
        left(
            s.outcome.map_or("open", |o| o.as_str()),
            outcome_style(s.outcome),
        )
    }),
    ncol("P&L", 9, |s| {
        let style = s.actual_profit.map_or(Style::default(), |p| {
            theme::signed(if p.is_sign_negative() { -1.0 } else { 1.0 })
        });
        right(amount_opt(s.actual_profit), style)
    }),
];

pub fn render(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    // Below 110 columns the journal gets the whole width; the stats need the room.
    let side_width = if area.width >= 110 { 36 } else { 0 };
    let [journal, side] =
        Layout::horizontal([Constraint::Min(60), Constraint::Length(side_width)]).areas(area);
    let visible = state.visible(&data.signals);
    let title = format!(
        "Journal {}/{} · {} · {} · {} · {}",
        visible.len(),
        data.signals.len(),
        state.filters.describe(),
        keys::hints(
            Tab::Signals,
            &[Action::Add, Action::Open, Action::Exit, Action::Note]
        ),
        keys::grouped_hint(
            Tab::Signals,
            &[
                Action::CycleSource,
                Action::CycleType,
                Action::CycleOutcome,
                Action::CycleTaken
            ]
        ),
        keys::hints(Tab::Signals, &[Action::ClearFilters])
    );
    let empty = if data.signals.is_empty() {
        "The journal is empty: press a to record a signal, or run the morning check."
    } else {
        "No signal passes the filters: press 0 to clear them."
    };
    let selected = state.selected.min(visible.len().saturating_sub(1));
    table::render(
        frame,
        journal,
        &title,
        COLUMNS,
        visible.len(),
        |i| &data.signals[visible[i]],
        Some(selected),
        empty,
    );
    if side_width == 0 {
        return;
    }
    let Some(stats) = data.stats.as_ref() else {
        let why = if data.journal_pending {
            "Judging the journal: the statistics follow in a moment."
        } else {
            "No statistics yet."
        };
        return super::sentence(frame, side, "Stats", why);
    };
    let [top, missed, swaps, calib] = Layout::vertical([
        Constraint::Length(12),
        Constraint::Min(4),
        Constraint::Length(7),
        Constraint::Length(10),
    ])
    .areas(side);
    render_stats(frame, top, stats);
    render_missed(frame, missed, stats);
    render_swaps(frame, swaps, stats);
    render_calibration(frame, calib, stats);
}

/// The brief's "compare actual vs expected": both in points of return over the follow-up
/// window, newest swaps first.
fn render_swaps(frame: &mut Frame, area: Rect, stats: &JournalStats) {
    let s = &stats.swap_summary;
    let pp = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:+.1}"));
    let mut lines = vec![if stats.swaps.is_empty() {
        Line::styled("No swap recommended yet.", theme::dim())
    } else {
        Line::raw(format!(
            "{} measured · avg {} vs {}",
            s.measured,
            pp(s.mean_expected_pct),
            pp(s.mean_actual_pct)
        ))
    }];
    if !stats.swaps.is_empty() {
        lines.push(Line::styled(
            format!("{:<18}{:>7}{:>7}", "Swap", "Exp", "Act"),
            theme::dim(),
        ));
    }
    for r in stats.swaps.iter().take(3) {
        let swap: String = format!("{}→{}", r.reduce, r.increase)
            .chars()
            .take(17)
            .collect();
        lines.push(Line::from(vec![
            Span::raw(format!("{swap:<18}{:>7}", pp(r.expected_pct))),
            Span::styled(
                format!("{:>7}", pp(r.actual_pct)),
                theme::signed(r.actual_pct.unwrap_or(0.0)),
            ),
        ]));
    }
    let title = format!("Swaps: expected vs actual, {}d pp", s.window_days);
    frame.render_widget(Paragraph::new(lines).block(panel(&title)), area);
}

fn window_line(name: &str, w: Option<&WindowStats>) -> Line<'static> {
    let Some(w) = w else {
        return Line::raw(format!("{name:<4} —"));
    };
    let rate = w.win_rate_pct.map_or("—".into(), |r| format!("{r:.0}%"));
    let record = format!("{}/{}", w.wins, w.losses);
    Line::from(vec![
        Span::styled(format!("{name:<4}"), theme::header()),
        Span::raw(format!(
            "{rate:>5} {record:>6} {:>5} ",
            w.profit_factor.to_string()
        )),
        Span::styled(
            format!("{:>10}", amount(w.total_pnl)),
            theme::signed(if w.total_pnl.is_sign_negative() {
                -1.0
            } else {
                1.0
            }),
        ),
    ])
}

fn render_stats(frame: &mut Frame, area: Rect, stats: &JournalStats) {
    let mut lines = vec![
        Line::styled(
            format!(
                "{:<4}{:>5} {:>6} {:>5} {:>10}",
                "", "Win%", "W/L", "PF", "P&L"
            ),
            theme::dim(),
        ),
        window_line("30d", stats.windows.get("30d")),
        window_line("90d", stats.windows.get("90d")),
        window_line("all", stats.windows.get("all")),
        Line::styled("By source        n  Win%       P&L", theme::title()),
    ];
    for (source, w) in &stats.by_source {
        let rate = w.win_rate_pct.map_or("—".into(), |r| format!("{r:.0}%"));
        lines.push(Line::raw(format!(
            "{:<13} {:>4} {rate:>5} {:>9}",
            source,
            w.total,
            amount(w.total_pnl)
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(panel("Stats (after commission)")),
        area,
    );
}

fn render_missed(frame: &mut Frame, area: Rect, stats: &JournalStats) {
    let lines: Vec<Line> = if stats.missed.is_empty() {
        vec![Line::styled("No missed opportunities.", theme::dim())]
    } else {
        stats
            .missed
            .iter()
            .map(|m| {
                Line::raw(format!(
                    "{:<6} {} +{} potential",
                    m.symbol,
                    m.signal_date,
                    amount(m.max_profit_potential)
                ))
            })
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines).block(panel("Missed opportunities")),
        area,
    );
}

/// Average forward return by strength band: does a stronger signal do better?
fn render_calibration(frame: &mut Frame, area: Rect, stats: &JournalStats) {
    let bars: Vec<Bar> = stats
        .calibration
        .iter()
        .map(|c| {
            let v = c.avg_forward_return_pct.unwrap_or(0.0);
            Bar::default()
                .label(Line::raw(c.band.chars().take(6).collect::<String>()))
                .value((v.abs() * 10.0).round() as u64)
                .text_value(
                    c.avg_forward_return_pct
                        .map_or("—".into(), |v| format!("{v:+.1}")),
                )
                .style(theme::signed(v))
        })
        .collect();
    let chart = BarChart::default()
        .block(panel("Calibration: avg fwd return % by band"))
        .data(BarGroup::default().bars(&bars))
        .bar_width(6)
        .bar_gap(1);
    frame.render_widget(chart, area);
}
