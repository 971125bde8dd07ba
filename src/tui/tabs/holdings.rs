//! Holdings: the analysis table (alpha below −5 red, strength by band; alpha, strength and
//! stops come early so they survive on an 80-column terminal), the selected
//! holding's stop alerts, and the forms to add, edit and remove holdings.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::sentence;
use crate::domain::analyzer::HoldingRow;
use crate::domain::format::{amount, amount_opt, change_pct, num, share_pct};
use crate::tui::data::Dashboard;
use crate::tui::forms;
use crate::tui::keys::{self, Action};
use crate::tui::theme;
use crate::tui::view::{Effect, Tab};
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::panel;
use crate::tui::widgets::table::{self, col, num as ncol, Column};

#[derive(Debug, Default)]
pub struct State {
    pub selected: usize,
}

fn rows(data: &Dashboard) -> &[HoldingRow] {
    data.analysis.as_ref().map_or(&[], |a| &a.holdings)
}

impl State {
    pub fn on_action(&mut self, action: Action, data: &Dashboard, today: NaiveDate) -> Effect {
        let rows = rows(data);
        let selected = rows
            .get(self.selected)
            .and_then(|r| data.holdings.iter().find(|h| h.symbol == r.symbol));
        match action {
            Action::Add => Effect::Open(forms::holding_add(today)),
            Action::Edit => selected.map_or(Effect::None, |h| {
                Effect::Open(forms::holding_edit(h, today))
            }),
            Action::Delete => selected.map_or(Effect::None, |h| {
                Effect::Open(forms::confirm_holding_remove(&h.symbol, today))
            }),
            _ => {
                self.selected = table::moved(self.selected, rows.len(), action);
                Effect::None
            }
        }
    }
}

fn strength_cell(r: &HoldingRow) -> ratatui::widgets::Cell<'static> {
    let text = r.strength.map_or("—".into(), |s| {
        format!("{s:.0}{}", if r.strength_complete { "" } else { "?" })
    });
    right(text, r.band.map(theme::band).unwrap_or_default())
}

fn alerts_cell(r: &HoldingRow) -> ratatui::widgets::Cell<'static> {
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
    let title = format!(
        "Holdings · {} positions · {}",
        a.holdings.len(),
        keys::hints(Tab::Holdings, &[Action::Add, Action::Edit, Action::Delete])
    );
    let rows = &a.holdings;
    let selected = state.selected.min(rows.len().saturating_sub(1));
    table::render(
        frame,
        table_area,
        &title,
        COLUMNS,
        rows.len(),
        |i| &rows[i],
        Some(selected),
        "No positions: press a to add a holding.",
    );
    render_detail(frame, detail, rows.get(selected));
}

fn render_detail(frame: &mut Frame, area: Rect, row: Option<&HoldingRow>) {
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
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(panel("Selected holding")),
        area,
    );
}
