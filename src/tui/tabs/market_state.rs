//! The Market tab's state: the watchlist's sort and filter, the selection, and which chart
//! over which range.

use chrono::NaiveDate;

use crate::domain::analyzer::WatchRow;
use crate::domain::symbol::Symbol;
use crate::tui::data::{ChartData, Dashboard};
use crate::tui::forms;
use crate::tui::keys::Action;
use crate::tui::view::{Effect, Panels};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::list::ListState;
use crate::tui::widgets::scroll::TextState;
use crate::tui::worker::Command;

use super::market::WATCH_COLUMNS;

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

/// Panels: 0 the watchlist, 1 the market direction.
#[derive(Debug, Default)]
pub struct State {
    pub list: ListState,
    pub directions: TextState,
    pub focus: usize,
    pub range: Range,
    pub chart: Option<ChartData>,
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
    /// The first chart: the benchmark.
    pub fn initial_chart(&self, data: Option<&Dashboard>) -> Vec<Command> {
        let bench = data
            .and_then(|d| d.analysis.as_ref())
            .and_then(|a| Symbol::parse(&a.benchmark).ok());
        bench.map(Command::LoadChart).into_iter().collect()
    }

    /// Indices into the watchlist rows, filtered and sorted as the table shows them.
    pub fn visible(&self, rows: &[WatchRow]) -> Vec<usize> {
        self.list
            .visible(WATCH_COLUMNS, 0..rows.len(), |i| &rows[i])
    }

    fn selected_symbol(&self, data: &Dashboard) -> Option<Symbol> {
        let visible = self.visible(&data.watch);
        visible
            .get(self.list.current(visible.len()))
            .map(|i| data.watch[*i].symbol.clone())
    }

    pub fn on_action(&mut self, action: Action, data: &Dashboard, today: NaiveDate) -> Effect {
        let visible = self.visible(&data.watch);
        let len = visible.len();
        match action {
            Action::NextPanel => {
                self.focus = (self.focus + 1) % 2;
                Effect::None
            }
            Action::Detail => visible
                .get(self.list.current(len))
                .map_or(Effect::None, |i| {
                    let row = &data.watch[*i];
                    Effect::Detail(Detail::of_row(
                        format!("Watchlist {}", row.symbol),
                        WATCH_COLUMNS,
                        row,
                    ))
                }),
            Action::Range => {
                self.range = match self.range {
                    Range::ThreeMonths => Range::OneYear,
                    Range::OneYear => Range::FiveYears,
                    Range::FiveYears => Range::ThreeMonths,
                };
                Effect::None
            }
            Action::Chart => self
                .selected_symbol(data)
                .map_or(Effect::None, |s| Effect::Send(Command::LoadChart(s))),
            Action::NextSymbol => self.next_chart(data),
            Action::Add => Effect::Open(forms::watch_add(today)),
            Action::Delete => self.selected_symbol(data).map_or(Effect::None, |s| {
                Effect::Open(forms::confirm_watch_remove(&s, today))
            }),
            _ if self.focus == 1 => {
                self.directions.on_action(action);
                Effect::None
            }
            _ => {
                self.list.on_action(action, len, WATCH_COLUMNS.len());
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
}
