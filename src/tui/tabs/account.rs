//! Account: balances and margin, the balance history and the form that records new
//! balances; the performance from the ledger lives in `account_performance.rs`.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::account_ledger::{PROPOSALS, TRANSACTIONS};
use super::{key_values, sentence};
use crate::domain::format::{amount, money, share_pct};
use crate::domain::portfolio::AccountBalance;
use crate::tui::data::Dashboard;
use crate::tui::forms;
use crate::tui::keys::{key_of, Action};
use crate::tui::theme;
use crate::tui::view::{Effect, Panels, Tab};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::list::ListState;
use crate::tui::widgets::panel;
use crate::tui::widgets::table::{self, col, fill, num, Column, View};

/// Panels: 0 the balance history (it starts on the newest, last, row), 1 the performance,
/// 2 the ledger's transactions and 3 its proposals (`account_ledger.rs`).
#[derive(Debug)]
pub struct State {
    pub balances: ListState,
    pub focus: usize,
    pub ledger: super::account_ledger::State,
}

impl Default for State {
    fn default() -> Self {
        State {
            balances: ListState::at_end(),
            focus: 0,
            ledger: Default::default(),
        }
    }
}

impl Panels for State {
    fn focus_mut(&mut self) -> &mut usize {
        &mut self.focus
    }

    fn focused_list(&self) -> Option<&ListState> {
        match self.focus {
            TRANSACTIONS => Some(&self.ledger.transactions),
            PROPOSALS => Some(&self.ledger.proposals),
            _ => Some(&self.balances),
        }
    }

    fn lists(&mut self) -> Vec<(usize, &mut ListState)> {
        vec![
            (0, &mut self.balances),
            (TRANSACTIONS, &mut self.ledger.transactions),
            (PROPOSALS, &mut self.ledger.proposals),
        ]
    }
}

impl State {
    fn visible(&self, data: &Dashboard) -> Vec<usize> {
        let b = &data.balances;
        self.balances
            .visible(BALANCE_COLUMNS, 0..b.len(), |i| &b[i])
    }

    pub fn on_action(&mut self, action: Action, data: &Dashboard, today: NaiveDate) -> Effect {
        let visible = self.visible(data);
        let ledger_keys = matches!(
            action,
            Action::RecordTrade
                | Action::RecordCash
                | Action::RecordDividend
                | Action::RecordSplit
                | Action::Delete
                | Action::ConfirmProposal
        );
        if ledger_keys || (self.focus >= TRANSACTIONS && action != Action::NextPanel) {
            if action == Action::Add {
                return Effect::Open(forms::balance(data.balances.last(), today));
            }
            return self.ledger.on_action(action, self.focus, data, today);
        }
        match action {
            Action::Add => Effect::Open(forms::balance(data.balances.last(), today)),
            // Below the size that holds both, v switches between the balances and the
            // performance panels, so nothing is out of reach at 80×24; then come the
            // ledger's transactions and its proposals.
            Action::NextPanel => {
                self.focus = (self.focus + 1) % 4;
                Effect::None
            }
            Action::Detail => {
                visible
                    .get(self.balances.current(visible.len()))
                    .map_or(Effect::None, |i| {
                        let b = &data.balances[*i];
                        Effect::Detail(Detail::of_row(
                            format!("Balances of {}", b.as_of),
                            BALANCE_COLUMNS,
                            b,
                        ))
                    })
            }
            _ => {
                self.balances
                    .on_action(action, visible.len(), BALANCE_COLUMNS.len());
                Effect::None
            }
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    if state.focus >= TRANSACTIONS {
        return super::account_ledger::render(frame, area, &state.ledger, state.focus, data);
    }
    if state.focus == 0 && data.first_run.shown() {
        return render_first_run(frame, area, state, data);
    }
    if let Some(account) = data
        .performance
        .as_ref()
        .filter(|_| state.focus == 1 || super::account_performance::holds_everything(area))
    {
        return super::account_performance::render(
            frame,
            area,
            data,
            account,
            render_summary,
            &|f, a, d| render_balances(f, a, state, d),
        );
    }
    let [top, bottom] = Layout::vertical([Constraint::Length(13), Constraint::Min(5)]).areas(area);
    let [summary, history] =
        Layout::horizontal([Constraint::Length(44), Constraint::Min(30)]).areas(top);
    render_summary(frame, summary, data);
    render_balances(frame, history, state, data);
    if data.performance.is_some() {
        let note = format!(
            "Performance, the road to $1M and the monthly returns: press {}.",
            key_of(Tab::Account, Action::NextPanel)
        );
        return sentence(frame, bottom, "Performance", &note);
    }
    render_no_history(frame, bottom, data);
}

/// A new database: the checklist on top, and below it the balances (beside the account's
/// figures once there is an analysis). The summary's own empty state names command-line
/// commands; the checklist says the keys instead.
fn render_first_run(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    let [checklist, rest] = Layout::vertical([
        Constraint::Length(super::getting_started::HEIGHT),
        Constraint::Min(5),
    ])
    .areas(area);
    super::getting_started::render(frame, checklist, &data.first_run);
    if data.analysis.is_none() {
        return render_balances(frame, rest, state, data);
    }
    let [summary, history] =
        Layout::horizontal([Constraint::Length(44), Constraint::Min(30)]).areas(rest);
    render_summary(frame, summary, data);
    render_balances(frame, history, state, data);
}

fn render_summary(frame: &mut Frame, area: Rect, data: &Dashboard) {
    let Some(a) = data.analysis.as_ref() else {
        let reason = data.empty_reason.as_deref().unwrap_or("no analysis yet");
        return sentence(frame, area, "Account", reason);
    };
    let acc = &a.account;
    let risk_style = match acc.margin_risk.as_str() {
        "HIGH" => theme::bad(),
        "MODERATE" => theme::warn(),
        _ => theme::good(),
    };
    let reserve_style = match acc.cash_reserve_pct {
        Some(r) if r < 20.0 => theme::warn(),
        _ => theme::good(),
    };
    let as_of = acc.balance_as_of.map_or_else(
        || {
            format!(
                "no balances recorded: press {}",
                key_of(Tab::Account, Action::Add)
            )
        },
        |d| d.to_string(),
    );
    let lines = key_values(vec![
        ("Balances as of", Span::raw(as_of)),
        ("Cash", Span::raw(money(acc.cash))),
        ("Positions", Span::raw(money(acc.positions_value))),
        (
            "Equity (net of margin)",
            Span::styled(money(acc.portfolio_value), theme::title()),
        ),
        // Total value is cash plus positions, the borrowed part included; the equity
        // (portfolio value, what sizing uses) takes the margin loan off.
        ("Total value (gross)", Span::raw(money(acc.total_value))),
        ("Buying power", Span::raw(money(acc.buying_power))),
        ("Margin used", Span::raw(money(acc.margin_used))),
        ("Margin available", Span::raw(money(acc.margin_available))),
        (
            "Margin %",
            Span::styled(
                format!("{} {}", share_pct(acc.margin_pct), acc.margin_risk.as_str()),
                risk_style,
            ),
        ),
        (
            "Cash reserve",
            Span::styled(share_pct(acc.cash_reserve_pct), reserve_style),
        ),
        ("Spendable cash", Span::raw(money(acc.spendable_cash))),
    ]);
    frame.render_widget(Paragraph::new(lines).block(panel("Account")), area);
}

const BALANCE_COLUMNS: &[Column<AccountBalance>] = &[
    col("Date", 10, |b| {
        left(b.as_of.to_string(), Default::default())
    }),
    num("Cash", 13, |b| right(amount(b.cash), Default::default())),
    num("Margin avail", 13, |b| {
        right(amount(b.margin_available), Default::default())
    }),
    num("Margin used", 12, |b| {
        right(amount(b.margin_used), Default::default())
    }),
    fill("Notes", 5, |b| {
        left(b.notes.clone().unwrap_or_default(), theme::dim())
    }),
];

fn render_balances(frame: &mut Frame, area: Rect, state: &State, data: &Dashboard) {
    let visible = state.visible(data);
    table::render(
        frame,
        area,
        View {
            title: "Balance history (newest last)",
            empty: &format!(
                "No balances recorded yet: press {} to record cash and margin.",
                key_of(Tab::Account, Action::Add)
            ),
            total: data.balances.len(),
            focused: state.focus == 0,
        },
        BALANCE_COLUMNS,
        &visible,
        |i| &data.balances[i],
        &state.balances,
    );
}

/// Without a ledger history there is no value chart: say why, and what records one.
fn render_no_history(frame: &mut Frame, area: Rect, data: &Dashboard) {
    let note = data
        .performance_note
        .as_deref()
        .unwrap_or("no account history yet");
    sentence(frame, area, "Performance", note);
}
