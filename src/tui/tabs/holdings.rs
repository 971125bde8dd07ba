//! Holdings: the analysis table (alpha below −5 red, strength by band; alpha, strength and
//! stops come first, the rest scrolls sideways on an 80-column terminal), the selected
//! holding's stop alerts, and the forms to add, edit and remove holdings.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::sentence;
use crate::domain::analyzer::HoldingRow;
use crate::domain::format::{amount, amount_opt, change_pct, num, share_pct};
use crate::tui::data::Dashboard;
use crate::tui::forms;
use crate::tui::keys::{key_of, Action};
use crate::tui::theme;
use crate::tui::view::{Effect, Panels, Tab};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::fmt::{left, right, CellText};
use crate::tui::widgets::list::ListState;
use crate::tui::widgets::scroll::{self, TextState};
use crate::tui::widgets::table::{self, col, num as ncol, Column, View};

/// Panels: 0 the holdings table, 1 the selected holding's alerts.
#[derive(Debug, Default)]
pub struct State {
    pub list: ListState,
    pub alerts: TextState,
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

fn rows(data: &Dashboard) -> &[HoldingRow] {
    data.analysis.as_ref().map_or(&[], |a| &a.holdings)
}

impl State {
    /// Indices of the holdings shown, filtered and sorted.
    pub fn visible(&self, rows: &[HoldingRow]) -> Vec<usize> {
        self.list.visible(COLUMNS, 0..rows.len(), |i| &rows[i])
    }

    fn selected_row<'a>(&self, rows: &'a [HoldingRow]) -> Option<&'a HoldingRow> {
        let visible = self.visible(rows);
        visible
            .get(self.list.current(visible.len()))
            .map(|i| &rows[*i])
    }

    pub fn on_action(&mut self, action: Action, data: &Dashboard, today: NaiveDate) -> Effect {
        let rows = rows(data);
        let row = self.selected_row(rows);
        let selected = row.and_then(|r| data.holdings.iter().find(|h| h.symbol == r.symbol));
        match action {
            Action::Add => Effect::Open(forms::holding_add(today)),
            Action::Edit => selected.map_or(Effect::None, |h| {
                Effect::Open(forms::holding_edit(h, today))
            }),
            Action::Delete => selected.map_or(Effect::None, |h| {
                Effect::Open(forms::confirm_holding_remove(&h.symbol, today))
            }),
            Action::Detail => row.map_or(Effect::None, |r| {
                Effect::Detail(Detail::of_row(format!("Holding {}", r.symbol), COLUMNS, r))
            }),
            Action::NextPanel => {
                self.focus = (self.focus + 1) % 2;
                Effect::None
            }
            _ if self.focus == 1 => {
                self.alerts.on_action(action);
                Effect::None
            }
            _ => {
                let len = self.visible(rows).len();
                self.list.on_action(action, len, COLUMNS.len());
                Effect::None
            }
        }
    }
}

fn strength_cell(r: &HoldingRow) -> CellText {
    let text = r.strength.map_or("—".into(), |s| {
        format!("{s:.0}{}", if r.strength_complete { "" } else { "?" })
    });
    right(text, r.band.map(theme::band).unwrap_or_default())
}

fn alerts_cell(r: &HoldingRow) -> CellText {
    // The count here, the messages in the detail panel below the table.
    let style = if r.has_hard_stop() {
        theme::bad()
    } else {
        theme::warn()
    };
    match r.alerts.len() {
        0 => left("", style),
        n => left(format!("⚠ {n}"), style),
    }
}

const COLUMNS: &[Column<HoldingRow>] = &[
    col("Symbol", 6, |r| left(r.symbol.to_string(), theme::title())),
    ncol("Qty", 6, |r| {
        right(r.quantity.normalize().to_string(), Default::default())
    }),
    ncol("Avg cost", 9, |r| {
        right(amount(r.avg_cost), Default::default())
    }),
    ncol("Price", 9, |r| {
        right(amount_opt(r.price), Default::default())
    }),
    ncol("Value", 10, |r| {
        right(amount_opt(r.value), Default::default())
    }),
    ncol("Wt %", 5, |r| {
        right(num(r.weight_pct, 1), Default::default())
    }),
    ncol("Alpha", 6, |r| {
        right(num(r.alpha, 1), theme::alpha(r.alpha.unwrap_or(0.0)))
    }),
    ncol("Str", 4, strength_cell),
    col("Stops", 5, alerts_cell),
    ncol("P&L $", 10, |r| {
        let v = r.unrealized_pnl.map(|p| p.is_sign_positive());
        right(
            amount_opt(r.unrealized_pnl),
            if v == Some(false) {
                theme::bad()
            } else {
                theme::good()
            },
        )
    }),
    ncol("P&L %", 7, |r| {
        right(
            change_pct(r.unrealized_pnl_pct),
            theme::signed(r.unrealized_pnl_pct.unwrap_or(0.0)),
        )
    }),
    ncol("30d %", 7, |r| {
        right(
            change_pct(r.lookback_return_pct),
            theme::signed(r.lookback_return_pct.unwrap_or(0.0)),
        )
    }),
    ncol("RSI", 4, |r| right(num(r.rsi_14, 0), Default::default())),
    ncol("MACD h", 6, |r| {
        right(
            num(r.macd_hist, 2),
            theme::signed(r.macd_hist.unwrap_or(0.0)),
        )
    }),
    col("Trend", 5, |r| {
        left(r.trend.map_or("—", |t| t.as_str()), Default::default())
    }),
];

pub fn render(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    let [table_area, detail] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(7)]).areas(area);
    let Some(a) = data.analysis.as_ref() else {
        let reason = data.empty_reason.as_deref().unwrap_or("no analysis yet");
        return sentence(frame, area, "Holdings", reason);
    };
    let rows = &a.holdings;
    let visible = state.visible(rows);
    let title = format!("Holdings · {} positions", rows.len());
    let empty = format!(
        "No positions: press {} to add a holding.",
        key_of(Tab::Holdings, Action::Add)
    );
    table::render(
        frame,
        table_area,
        View {
            title: &title,
            empty: &empty,
            total: rows.len(),
            focused: state.focus == 0,
        },
        COLUMNS,
        &visible,
        |i| &rows[i],
        &state.list,
    );
    render_detail(frame, detail, state, state.selected_row(rows));
}

fn render_detail(frame: &mut Frame, area: Rect, state: &State, row: Option<&HoldingRow>) {
    let Some(r) = row else {
        return sentence(
            frame,
            area,
            "Selected",
            "Select a holding to see its alerts.",
        );
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", r.symbol), theme::title()),
        Span::raw(format!(
            "risk {} · volatility {} · 30d vs benchmark {} · opened {}",
            r.risk_level.map_or("—", |x| x.as_str()),
            share_pct(r.volatility_pct),
            change_pct(r.benchmark_return_pct),
            r.opened.map_or("—".into(), |d| d.to_string())
        )),
    ])];
    if r.alerts.is_empty() {
        lines.push(Line::styled("No stop alerts.", theme::good()));
    }
    for alert in &r.alerts {
        let style = if alert.kind.is_hard() {
            theme::bad()
        } else {
            theme::warn()
        };
        lines.push(Line::styled(
            format!("⚠ {}: {}", alert.kind.label(), alert.message),
            style,
        ));
    }
    if let Some(note) = &r.note {
        lines.push(Line::styled(note.clone(), theme::dim()));
    }
    scroll::render(
        frame,
        area,
        "Selected holding",
        lines,
        &state.alerts,
        state.focus == 1,
    );
}
