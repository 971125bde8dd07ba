//! The Market tab's state: the watchlist's sort and filter, the selection, and which chart
//! over which range.

use std::cmp::Ordering;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use crate::domain::analyzer::WatchRow;
use crate::domain::symbol::Symbol;
use crate::tui::data::{ChartData, Dashboard};
use crate::tui::forms;
use crate::tui::keys::Action;
use crate::tui::view::Effect;
use crate::tui::widgets::table;
use crate::tui::worker::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Watchlist,
    Strength,
    Change1d,
    Return30d,
    Rsi,
    Symbol,
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Watchlist => Sort::Strength,
            Sort::Strength => Sort::Change1d,
            Sort::Change1d => Sort::Return30d,
            Sort::Return30d => Sort::Rsi,
            Sort::Rsi => Sort::Symbol,
            Sort::Symbol => Sort::Watchlist,
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            Sort::Watchlist => "watchlist order",
            Sort::Strength => "strength ↓",
            Sort::Change1d => "1d % ↓",
            Sort::Return30d => "30d % ↓",
            Sort::Rsi => "RSI ↓",
            Sort::Symbol => "symbol",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Range {
    ThreeMonths,
    #[default]
    OneYear,
    FiveYears,
}

impl Range {
    pub(super) fn days(self) -> i64 {
        match self {
            Range::ThreeMonths => 92,
            Range::OneYear => 366,
            Range::FiveYears => 5 * 366,
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            Range::ThreeMonths => "3M",
            Range::OneYear => "1Y",
            Range::FiveYears => "5Y",
        }
    }
}

#[derive(Debug, Default)]
pub struct State {
    pub selected: usize,
    pub sort: Sort,
    pub filter: String,
    pub filtering: bool,
    pub range: Range,
    pub chart: Option<ChartData>,
}

impl State {
    /// The first chart: the benchmark.
    pub fn initial_chart(&self, data: Option<&Dashboard>) -> Vec<Command> {
        let bench = data
            .and_then(|d| d.analysis.as_ref())
            .and_then(|a| Symbol::parse(&a.benchmark).ok());
        bench.map(Command::LoadChart).into_iter().collect()
    }

    /// Indices into the watchlist rows, filtered and sorted as the table shows them.
    pub fn visible(&self, rows: &[WatchRow]) -> Vec<usize> {
        let needle = self.filter.to_ascii_uppercase();
        let mut idx: Vec<usize> = (0..rows.len())
            .filter(|i| rows[*i].symbol.as_str().contains(&needle))
            .collect();
        let desc = |a: Option<f64>, b: Option<f64>| b.partial_cmp(&a).unwrap_or(Ordering::Equal);
        match self.sort {
            Sort::Watchlist => {}
            Sort::Strength => idx.sort_by(|a, b| desc(rows[*a].strength, rows[*b].strength)),
            Sort::Change1d => {
                idx.sort_by(|a, b| desc(rows[*a].change_1d_pct, rows[*b].change_1d_pct))
            }
            Sort::Return30d => {
                idx.sort_by(|a, b| desc(rows[*a].lookback_return_pct, rows[*b].lookback_return_pct))
            }
            Sort::Rsi => idx.sort_by(|a, b| desc(rows[*a].rsi_14, rows[*b].rsi_14)),
            Sort::Symbol => idx.sort_by(|a, b| rows[*a].symbol.cmp(&rows[*b].symbol)),
        }
        idx
    }

    fn selected_symbol(&self, data: &Dashboard) -> Option<Symbol> {
        let visible = self.visible(&data.watch);
        visible
            .get(self.selected)
            .map(|i| data.watch[*i].symbol.clone())
    }

    pub fn on_action(&mut self, action: Action, data: &Dashboard, today: NaiveDate) -> Effect {
        let len = self.visible(&data.watch).len();
        match action {
            Action::Filter => {
                self.filtering = true;
                Effect::None
            }
            Action::Sort => {
                self.sort = self.sort.next();
                Effect::Note(format!("Watchlist sorted by {}", self.sort.label()))
            }
            Action::Range => {
                self.range = match self.range {
                    Range::ThreeMonths => Range::OneYear,
                    Range::OneYear => Range::FiveYears,
                    Range::FiveYears => Range::ThreeMonths,
                };
                Effect::None
            }
            Action::Open => self
                .selected_symbol(data)
                .map_or(Effect::None, |s| Effect::Send(Command::LoadChart(s))),
            Action::NextSymbol => self.next_chart(data),
            Action::Add => Effect::Open(forms::watch_add(today)),
            Action::Delete => self.selected_symbol(data).map_or(Effect::None, |s| {
                Effect::Open(forms::confirm_watch_remove(&s, today))
            }),
            _ => {
                self.selected = table::moved(self.selected, len, action);
                Effect::None
            }
        }
    }

    /// SPY → QQQ → the selected watchlist symbol → SPY.
    fn next_chart(&self, data: &Dashboard) -> Effect {
        let market: Vec<Symbol> = data
            .analysis
            .iter()
            .flat_map(|a| a.market.iter().map(|m| m.symbol.clone()))
            .collect();
        let current = self.chart.as_ref().map(|c| &c.symbol);
        let pos = current.and_then(|c| market.iter().position(|m| m == c));
        let next = match pos {
            Some(i) if i + 1 < market.len() => Some(market[i + 1].clone()),
            Some(_) => self
                .selected_symbol(data)
                .or_else(|| market.first().cloned()),
            None => market.first().cloned(),
        };
        next.map_or(Effect::None, |s| Effect::Send(Command::LoadChart(s)))
    }

    /// Typing while the filter is open: characters extend it, Backspace trims, Enter keeps
    /// it, Esc clears it.
    pub fn filter_key(&mut self, key: KeyEvent) -> Effect {
        match key.code {
            KeyCode::Char(c) if c.is_ascii_alphanumeric() || c == '.' || c == '-' => {
                self.filter.push(c)
            }
            KeyCode::Backspace => {
                self.filter.pop();
            }
            KeyCode::Enter => self.filtering = false,
            KeyCode::Esc => {
                self.filter.clear();
                self.filtering = false;
            }
            _ => {}
        }
        self.selected = 0;
        Effect::None
    }
}
