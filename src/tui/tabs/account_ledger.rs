//! The Account tab's ledger view (its panels 2 and 3, reached with `v` after the balances
//! and the performance): every transaction newest first, and the split and dividend
//! proposals seen in the stored prices, waiting for the user's `y`. Decided: a panel of the
//! Account tab rather than a seventh tab, so the tab bar keeps its full names at 80×24.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

use crate::domain::format::{amount, money, NONE};
use crate::domain::ledger::proposals::Proposed;
use crate::domain::ledger::{Kind, Transaction};
use crate::service::ops::Op;
use crate::tui::data::Dashboard;
use crate::tui::forms;
use crate::tui::keys::{key_of, Action};
use crate::tui::ledger_data::{LedgerData, PendingProposal};
use crate::tui::theme;
use crate::tui::view::{Effect, Tab};
use crate::tui::widgets::detail::Detail;
use crate::tui::widgets::fmt::{left, right};
use crate::tui::widgets::list::ListState;
use crate::tui::widgets::table::{self, col, fill, num, Column, View};
use crate::tui::worker::Command;

/// The Account tab's panel numbers of the ledger's two lists.
pub const TRANSACTIONS: usize = 2;
pub const PROPOSALS: usize = 3;

#[derive(Debug, Default)]
pub struct State {
    pub transactions: ListState,
    pub proposals: ListState,
}

fn plain(text: String) -> crate::tui::widgets::fmt::CellText {
    left(text, Default::default())
}

const TRANSACTION_COLUMNS: &[Column<Transaction>] = &[
    col("Date", 10, |t| plain(t.date.to_string())),
    col("Kind", 16, |t| plain(t.kind.as_str().to_string())),
    col("Symbol", 6, |t| {
        plain(t.symbol.as_ref().map(|s| s.to_string()).unwrap_or_default())
    }),
    // A split's quantity is its ratio.
    num("Quantity", 9, |t| {
        let text = match (t.split, t.quantity) {
            (Some(s), _) => s.to_string(),
            (None, Some(q)) => q.normalize().to_string(),
            (None, None) => String::new(),
        };
        right(text, Default::default())
    }),
    num("Price", 10, |t| {
        right(
            t.price
                .map(|p| p.normalize().to_string())
                .unwrap_or_default(),
            Default::default(),
        )
    }),
    // OPENING_MARGIN's amount is margin used added, not cash: shown dim.
    num("Amount", 12, |t| {
        let style = match t.kind {
            Kind::Split => return right(NONE.to_string(), theme::dim()),
            Kind::OpeningMargin => theme::dim(),
            _ if t.amount.is_sign_negative() && !t.amount.is_zero() => theme::bad(),
            _ => Default::default(),
        };
        right(amount(t.amount), style)
    }),
    num("Fees", 7, |t| {
        let text = if t.fees.is_zero() {
            NONE.to_string()
        } else {
            amount(t.fees)
        };
        right(text, Default::default())
    }),
    col("Source", 8, |t| {
        left(t.source.as_str().to_string(), theme::dim())
    }),
    num("#", 5, |t| right(t.id.to_string(), theme::dim())),
    fill("Notes", 8, |t| {
        left(t.notes.clone().unwrap_or_default(), theme::dim())
    }),
];

const PROPOSAL_COLUMNS: &[Column<PendingProposal>] = &[
    num("No.", 3, |p| {
        right(p.number.to_string(), Default::default())
    }),
    col("Date", 10, |p| plain(p.proposal.date.to_string())),
    col("Symbol", 6, |p| plain(p.proposal.symbol.to_string())),
    col("Proposed", 18, |p| {
        let text = match &p.proposal.proposed {
            Proposed::Split { ratio } => format!("SPLIT {ratio}"),
            Proposed::Dividend { amount: a, .. } => format!("DIVIDEND {}", money(*a)),
        };
        left(text, theme::warn())
    }),
    num("Held", 9, |p| {
        right(p.proposal.held.to_string(), Default::default())
    }),
    fill("Seen as", 10, |p| {
        let why = match &p.proposal.proposed {
            Proposed::Split { .. } => "close jumps, adjusted not".into(),
            Proposed::Dividend { per_share, .. } => {
                format!("{per_share}/share, adj. factor")
            }
        };
        left(why, theme::dim())
    }),
];

impl State {
    fn visible_transactions(&self, l: &LedgerData) -> Vec<usize> {
        let t = &l.transactions;
        self.transactions
            .visible(TRANSACTION_COLUMNS, 0..t.len(), |i| &t[i])
    }

    fn visible_proposals(&self, l: &LedgerData) -> Vec<usize> {
        let p = &l.pending;
        self.proposals
            .visible(PROPOSAL_COLUMNS, 0..p.len(), |i| &p[i])
    }

    /// `focus`: the Account tab's focused panel; the ledger's keys act on its lists.
    pub fn on_action(
        &mut self,
        action: Action,
        focus: usize,
        data: &Dashboard,
        today: NaiveDate,
    ) -> Effect {
        let l = &data.ledger;
        match action {
            Action::RecordTrade => Effect::Open(forms::ledger_trade(today)),
            Action::RecordCash => Effect::Open(forms::ledger_cash(today)),
            Action::RecordDividend => Effect::Open(forms::ledger_dividend(today)),
            Action::RecordSplit => Effect::Open(forms::ledger_split(today)),
            Action::Delete if focus == TRANSACTIONS => {
                self.selected_transaction(l).map_or(Effect::None, |t| {
                    Effect::Open(forms::confirm_transaction_delete(t, today))
                })
            }
            Action::Delete => Effect::Note(format!(
                "{} deletes the selected transaction: press {} for the ledger",
                key_of(Tab::Account, Action::Delete),
                key_of(Tab::Account, Action::NextPanel)
            )),
            Action::ConfirmProposal if focus == PROPOSALS => {
                self.selected_proposal(l).map_or(Effect::None, |p| {
                    Effect::Send(Command::Apply(Op::ConfirmProposal { number: p.number }))
                })
            }
            Action::ConfirmProposal => Effect::Note(format!(
                "{} records the selected proposal: press {} until the proposals have the focus",
                key_of(Tab::Account, Action::ConfirmProposal),
                key_of(Tab::Account, Action::NextPanel)
            )),
            Action::Detail if focus == TRANSACTIONS => {
                self.selected_transaction(l).map_or(Effect::None, |t| {
                    Effect::Detail(Detail::of_row(
                        format!("Transaction {}", t.id),
                        TRANSACTION_COLUMNS,
                        t,
                    ))
                })
            }
            Action::Detail => self.selected_proposal(l).map_or(Effect::None, |p| {
                Effect::Detail(Detail::of_row(
                    format!("Proposal {}: {}", p.number, p.proposal.describe()),
                    PROPOSAL_COLUMNS,
                    p,
                ))
            }),
            _ if focus == TRANSACTIONS => {
                let n = self.visible_transactions(l).len();
                self.transactions
                    .on_action(action, n, TRANSACTION_COLUMNS.len());
                Effect::None
            }
            _ => {
                let n = self.visible_proposals(l).len();
                self.proposals.on_action(action, n, PROPOSAL_COLUMNS.len());
                Effect::None
            }
        }
    }

    fn selected_transaction<'a>(&self, l: &'a LedgerData) -> Option<&'a Transaction> {
        let visible = self.visible_transactions(l);
        visible
            .get(self.transactions.current(visible.len()))
            .map(|i| &l.transactions[*i])
    }

    fn selected_proposal<'a>(&self, l: &'a LedgerData) -> Option<&'a PendingProposal> {
        let visible = self.visible_proposals(l);
        visible
            .get(self.proposals.current(visible.len()))
            .map(|i| &l.pending[*i])
    }
}

/// The transactions above, the pending proposals below (as tall as they need, up to five
/// rows; a scrollbar past that).
pub fn render(frame: &mut Frame, area: Rect, state: &State, focus: usize, data: &Dashboard) {
    let l = &data.ledger;
    let below = if l.pending.is_empty() {
        3
    } else {
        (l.pending.len() as u16 + 3).min(8)
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(below)]).areas(area);
    let visible = state.visible_transactions(l);
    let account = match (l.cash, &l.note) {
        (Some(cash), _) => format!(
            " · cash {} · {} position{}",
            money(cash),
            l.positions,
            if l.positions == 1 { "" } else { "s" }
        ),
        (None, Some(note)) => format!(" · {note}"),
        (None, None) => String::new(),
    };
    // Short enough at 80 columns to keep the filter's "3 of 40" after it.
    let title = format!("Ledger, newest first{account}");
    table::render(
        frame,
        top,
        View {
            title: &title,
            empty: "No transactions yet: b records a trade, $ a deposit.",
            total: l.transactions.len(),
            focused: focus == TRANSACTIONS,
        },
        TRANSACTION_COLUMNS,
        &visible,
        |i| &l.transactions[i],
        &state.transactions,
    );
    let visible = state.visible_proposals(l);
    table::render(
        frame,
        bottom,
        View {
            title: "Proposals from the stored prices · y records the selected",
            empty: "No pending split or dividend: none seen in the prices of what the ledger held.",
            total: l.pending.len(),
            focused: focus == PROPOSALS,
        },
        PROPOSAL_COLUMNS,
        &visible,
        |i| &l.pending[i],
        &state.proposals,
    );
}
