//! Signals: the journal with filters, the stats panel (win rate over 30 and 90 days, P&L,
//! profit factor, by source), missed opportunities and calibration by strength band; forms
//! to add a signal, mark it taken, record its exit and edit notes.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::format::{amount, amount_opt};
use crate::domain::journal::{Outcome, SignalRecord, SignalType};
use crate::domain::symbol::Symbol;
use crate::domain::tracker::{CalibrationBand, JournalStats, WindowStats};
use crate::tui::data::Dashboard;
use crate::tui::forms;
use crate::tui::keys::{key_of, Action};
use crate::tui::theme;
use crate::tui::view::{Effect, Panels, Tab};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::list::ListState;
use crate::tui::widgets::panel;
use crate::tui::widgets::scroll::{self, TextState};
use crate::tui::widgets::table::{self, col, num as ncol, Column, View};

/// The journal's `F` filter: one symbol and a range of signal dates, both ends included.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    pub symbol: Option<Symbol>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Window {
    pub fn keeps(&self, s: &SignalRecord) -> bool {
        self.symbol.as_ref().is_none_or(|sym| &s.symbol == sym)
            && self.from.is_none_or(|d| s.signal_date >= d)
            && self.to.is_none_or(|d| s.signal_date <= d)
    }

    fn describe(&self, parts: &mut Vec<String>) {
        if let Some(s) = &self.symbol {
            parts.push(format!("symbol {s}"));
        }
        match (self.from, self.to) {
            (Some(f), Some(t)) => parts.push(format!("{f} to {t}")),
            (Some(f), None) => parts.push(format!("from {f}")),
            (None, Some(t)) => parts.push(format!("to {t}")),
            (None, None) => {}
        }
    }
}

/// Which journal rows show. `None` everywhere shows all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub source: Option<String>,
    pub kind: Option<SignalType>,
    /// `Some(None)` shows rows with no outcome yet.
    pub outcome: Option<Option<Outcome>>,
    pub taken: Option<bool>,
    pub window: Window,
}

impl Filters {
    pub fn keeps(&self, s: &SignalRecord) -> bool {
        self.source
            .as_ref()
            .is_none_or(|src| &s.signal_source == src)
            && self.kind.is_none_or(|k| s.signal_type == k)
            && self.outcome.is_none_or(|o| s.outcome == o)
            && self.taken.is_none_or(|t| s.action_taken == t)
            && self.window.keeps(s)
    }

    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        self.window.describe(&mut parts);
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

/// Panels: 0 the journal, 1 the statistics (with the calibration beside them).
#[derive(Debug, Default)]
pub struct State {
    pub list: ListState,
    pub filters: Filters,
    pub stats: TextState,
    pub focus: usize,
}

impl Panels for State {
    fn focus_mut(&mut self) -> &mut usize {
        &mut self.focus
    }

    fn focused_list(&self) -> Option<&ListState> {
        (self.focus == 0).then_some(&self.list)
    }

    fn lists(&mut self) -> Vec<(usize, &mut ListState)> {
        vec![(0, &mut self.list)]
    }
}

impl State {
    /// Indices of the rows that pass the S/T/O/K filters and the `/` filter, newest first
    /// as stored unless sorted.
    pub fn visible(&self, signals: &[SignalRecord]) -> Vec<usize> {
        let kept = (0..signals.len()).filter(|i| self.filters.keeps(&signals[*i]));
        self.list.visible(COLUMNS, kept, |i| &signals[i])
    }

    /// "source manual, taken" or "all", and the `/` text when one is set.
    pub fn active_filters(&self) -> String {
        let mut text = self.filters.describe();
        if !self.list.filter.is_empty() {
            text = format!("{text}, /{}", self.list.filter);
        }
        text
    }

    pub fn on_action(&mut self, action: Action, data: &Dashboard, today: NaiveDate) -> Effect {
        let visible = self.visible(&data.signals);
        let selected = visible
            .get(self.list.current(visible.len()))
            .map(|i| &data.signals[*i]);
        match action {
            Action::Add => Effect::Open(forms::signal_new(today)),
            Action::Take => selected.map_or(Effect::None, |s| open(s, today, data)),
            Action::Exit => selected.map_or(Effect::None, |s| exit(s, today, data)),
            Action::Edit => {
                selected.map_or(Effect::None, |s| Effect::Open(forms::signal_note(s, today)))
            }
            Action::Detail => selected.map_or(Effect::None, |s| {
                Effect::Detail(Detail::of_row(
                    format!("Signal {} {}", s.id.unwrap_or_default(), s.symbol),
                    COLUMNS,
                    s,
                ))
            }),
            Action::NextPanel => {
                self.focus = (self.focus + 1) % 2;
                Effect::None
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
            Action::JournalWindow => {
                Effect::Open(forms::journal_window(&self.filters.window, today))
            }
            Action::ClearFilters => {
                self.filters = Filters::default();
                self.list.filter.clear();
                self.refiltered()
            }
            _ if self.focus == 1 => {
                self.stats.on_action(action);
                Effect::None
            }
            _ => {
                self.list.on_action(action, visible.len(), COLUMNS.len());
                Effect::None
            }
        }
    }

    /// The `F` form's symbol and dates, applied; says what the journal shows now.
    pub fn set_window(&mut self, window: Window) -> String {
        self.filters.window = window;
        match self.refiltered() {
            Effect::Note(message) => message,
            _ => String::new(),
        }
    }

    fn refiltered(&mut self) -> Effect {
        self.list.selected = 0;
        self.focus = 0;
        Effect::Note(format!("Journal filter: {}", self.active_filters()))
    }
}

/// `t` on an open signal marks it taken; on a taken one it records the exit.
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
            "Signal {id} is not taken: press {} to mark it taken first",
            key_of(Tab::Signals, Action::Take)
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
    // From 110 columns the stats sit beside the journal; below, `v` shows them in its place.
    let wide = area.width >= 110;
    if !wide && state.focus == 1 {
        return render_side(frame, area, state, data, true);
    }
    let side_width = if wide { 36 } else { 0 };
    let [journal, side] =
        Layout::horizontal([Constraint::Min(60), Constraint::Length(side_width)]).areas(area);
    let visible = state.visible(&data.signals);
    let title = format!(
        "Journal {}/{} · filters: {}",
        visible.len(),
        data.signals.len(),
        state.filters.describe(),
    );
    let empty = if data.signals.is_empty() {
        format!(
            "The journal is empty: press {} to record a signal, or run the morning check.",
            key_of(Tab::Signals, Action::Add)
        )
    } else {
        format!(
            "No signal passes the filters: press {} to clear them.",
            key_of(Tab::Signals, Action::ClearFilters)
        )
    };
    table::render(
        frame,
        journal,
        View {
            title: &title,
            empty: &empty,
            total: data.signals.len(),
            focused: state.focus == 0,
        },
        COLUMNS,
        &visible,
        |i| &data.signals[i],
        &state.list,
    );
    if wide {
        render_side(frame, side, state, data, false);
    }
}

/// The statistics (scrollable) and the calibration: beside the journal, or in its place.
fn render_side(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard, full: bool) {
    let Some(stats) = data.stats.as_ref() else {
        let why = if data.journal_pending {
            "Judging the journal: the statistics follow in a moment."
        } else {
            "No statistics yet."
        };
        return super::sentence(frame, area, "Stats", why);
    };
    let [text, calib] = if full {
        Layout::horizontal([Constraint::Min(36), Constraint::Length(40)]).areas(area)
    } else {
        Layout::vertical([Constraint::Min(8), Constraint::Length(8)]).areas(area)
    };
    let mut lines = stats_lines(stats);
    lines.push(Line::raw(""));
    lines.extend(swaps_lines(stats));
    lines.push(Line::raw(""));
    lines.extend(missed_lines(stats));
    scroll::render(
        frame,
        text,
        "Stats after commission",
        lines,
        &state.stats,
        state.focus == 1,
    );
    render_calibration(frame, calib, stats);
}

/// The brief's "compare actual vs expected": both in points of return over the follow-up
/// window, newest swaps first.
fn swaps_lines(stats: &JournalStats) -> Vec<Line<'static>> {
    let s = &stats.swap_summary;
    let pp = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:+.1}"));
    let mut lines = vec![Line::styled(
        format!("Swaps: expected vs actual, {}d pp", s.window_days),
        theme::title(),
    )];
    lines.push(if stats.swaps.is_empty() {
        Line::styled("No swap recommended yet.", theme::dim())
    } else {
        Line::raw(format!(
            "{} measured · avg {} vs {}",
            s.measured,
            pp(s.mean_expected_pct),
            pp(s.mean_actual_pct)
        ))
    });
    if !stats.swaps.is_empty() {
        lines.push(Line::styled(
            format!("{:<18}{:>7}{:>7}", "Swap", "Exp", "Act"),
            theme::dim(),
        ));
    }
    for r in &stats.swaps {
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
    lines
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

fn stats_lines(stats: &JournalStats) -> Vec<Line<'static>> {
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
    lines
}

fn missed_lines(stats: &JournalStats) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        "Missed opportunities (potential)",
        theme::title(),
    )];
    lines.extend(if stats.missed.is_empty() {
        vec![Line::styled("No missed opportunities.", theme::dim())]
    } else {
        stats
            .missed
            .iter()
            .map(|m| {
                Line::raw(format!(
                    "{:<6} {}  +{}",
                    m.symbol,
                    m.signal_date,
                    amount(m.max_profit_potential)
                ))
            })
            .collect()
    });
    lines
}

/// Average forward return by strength band: does a stronger signal do better? Bars grow
/// from a zero line, negative to its left, positive to its right, on one scale.
fn render_calibration(frame: &mut Frame, area: Rect, stats: &JournalStats) {
    // Inside the border: a 6-wide label and a space, two halves around │, " +12.3".
    let half = (area.width.saturating_sub(2 + 7 + 1 + 7) / 2).max(1) as usize;
    let lines = calibration_lines(&stats.calibration, half);
    frame.render_widget(
        Paragraph::new(lines).block(panel("Calibration: avg fwd return % by band")),
        area,
    );
}

fn calibration_lines(bands: &[CalibrationBand], half: usize) -> Vec<Line<'static>> {
    let biggest = bands
        .iter()
        .filter_map(|c| c.avg_forward_return_pct)
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let cells = |v: f64| {
        if biggest == 0.0 {
            0
        } else {
            ((v.abs() / biggest) * half as f64).round() as usize
        }
    };
    bands
        .iter()
        .map(|c| {
            let label: String = c.band.chars().take(6).collect();
            let Some(v) = c.avg_forward_return_pct else {
                return Line::raw(format!("{label:<6} {:>half$}│{:half$} {:>6}", "", "", "—"));
            };
            let n = cells(v);
            let (neg, pos) = if v < 0.0 {
                (format!("{:>half$}", "█".repeat(n)), " ".repeat(half))
            } else {
                (" ".repeat(half), format!("{:<half$}", "█".repeat(n)))
            };
            Line::from(vec![
                Span::raw(format!("{label:<6} ")),
                Span::styled(neg, theme::bad()),
                Span::styled("│", theme::dim()),
                Span::styled(pos, theme::good()),
                Span::styled(format!(" {:>+6.1}", v), theme::signed(v)),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_returns_are_drawn_left_of_the_zero_line() {
        let bands = [
            CalibrationBand {
                band: "strong",
                count: 3,
                avg_forward_return_pct: Some(9.2),
                hit_rate_pct: None,
            },
            CalibrationBand {
                band: "weak",
                count: 2,
                avg_forward_return_pct: Some(-4.6),
                hit_rate_pct: None,
            },
        ];
        let text: Vec<String> = calibration_lines(&bands, 10)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        // +9.2 is the biggest: 10 cells right of │; −4.6 is half of it: 5 cells left.
        assert_eq!(
            text[0],
            format!("strong {}│{} {:>6}", " ".repeat(10), "█".repeat(10), "+9.2")
        );
        assert_eq!(
            text[1],
            format!(
                "weak   {}{}│{} {:>6}",
                " ".repeat(5),
                "█".repeat(5),
                " ".repeat(10),
                "-4.6"
            )
        );
    }
}
