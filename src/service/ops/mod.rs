//! One typed core for every change (DESIGN §3): the command line and the app parse what the
//! user typed into an [`Op`] of domain values and hand it to [`apply`]. Each operation is one
//! transaction — all of it is written or none of it — and answers what changed with a
//! one-line summary both front ends show, or an [`OpError`] saying whose fault it is.
//!
//! Like gitui's `asyncgit::sync`: plain synchronous operations here; the app's worker only
//! runs them off the UI thread and posts the answer.

mod error;
mod journal;
mod ledger;
mod portfolio;
mod swaps;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use error::{report_is_user, store_error_is_user, OpError, TOO_LARGE};
pub use journal::{contradiction, SignalDraft};
pub use ledger::money_kind;
pub use swaps::record_swaps_of;

use super::swap::{Executed, SwapFills};
use super::Context;
use crate::domain::journal::{Outcome, SignalRecord};
use crate::domain::portfolio::{AccountBalance, Holding, WatchItem};
use crate::domain::symbol::Symbol;
use crate::market::portfolio_file::PortfolioFile;
use crate::store::{Recorded, Store};

/// Every change a user can make, with its values already parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    RecordBalance(BalanceInput),
    /// Adds or replaces a holding; `replaces` names the row it was edited from, removed in
    /// the same transaction when the symbol changed (a rename).
    SaveHolding {
        holding: Holding,
        replaces: Option<Symbol>,
    },
    /// Changes some fields of a holding; the others keep their stored values.
    EditHolding(HoldingEdit),
    RemoveHolding(Symbol),
    /// Adds (or re-notes) watchlist symbols: one from the app, several from the command line
    /// or a file.
    AddWatch(Vec<WatchItem>),
    /// Removes watchlist symbols; one that is not watched refuses the whole operation.
    RemoveWatch(Vec<Symbol>),
    /// Replaces the holdings (or merges into them) and records the file's cash.
    ImportPortfolio {
        file: PortfolioFile,
        /// The file's name, for messages.
        name: String,
        merge: bool,
    },
    NewSignal(SignalDraft),
    TakeSignal {
        id: i64,
        /// `None`: today.
        date: Option<NaiveDate>,
        price: Decimal,
        quantity: Decimal,
    },
    CloseSignal {
        id: i64,
        date: Option<NaiveDate>,
        price: Decimal,
        /// Overrides the computed outcome (WIN, LOSS or BREAKEVEN).
        outcome: Option<Outcome>,
        /// The user confirmed an outcome that contradicts the P&L.
        confirmed: bool,
    },
    /// Replaces the notes; blank text clears them.
    NoteSignal {
        id: i64,
        text: String,
    },
    /// Hides a signal from every view (it is kept).
    DeleteSignal {
        id: i64,
        confirmed: bool,
    },
    /// Stores the swaps of the morning analysis as of this day (`None`: the last session).
    RecordSwaps {
        as_of: Option<NaiveDate>,
    },
    ExecuteSwap {
        swap: SwapRef,
        fills: SwapFills,
    },
    /// A trade, a deposit or withdrawal, a dividend, a split, a fee or interest (issue 15).
    RecordTransaction(crate::domain::ledger::Transaction),
    DeleteTransaction {
        id: i64,
        confirmed: bool,
    },
    /// Records split/dividend proposal `number` (1-based, `ledger proposals`), once.
    ConfirmProposal {
        number: usize,
    },
    /// A file of transactions: all of them or none.
    ImportTransactions {
        transactions: Vec<crate::domain::ledger::Transaction>,
        name: String,
    },
}

/// Balances to record; a figure left out keeps the latest recorded one (0 when none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BalanceInput {
    /// `None`: today.
    pub as_of: Option<NaiveDate>,
    pub cash: Option<Decimal>,
    pub margin_available: Option<Decimal>,
    pub margin_used: Option<Decimal>,
    pub notes: Option<String>,
}

/// The fields of a holding to change; `None` keeps the stored value.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldingEdit {
    pub symbol: Symbol,
    pub quantity: Option<Decimal>,
    pub avg_cost: Option<Decimal>,
    pub opened: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// Which swap to execute: a stored recommendation, or the one the morning analysis of a
/// day recommends for this pair (stored first if it is not yet, as the app shows it).
#[derive(Debug, Clone, PartialEq)]
pub enum SwapRef {
    Stored(i64),
    Recommended {
        as_of: NaiveDate,
        sell: Symbol,
        buy: Symbol,
    },
}

/// What an operation changed, and the line that says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub summary: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Balance(AccountBalance),
    Holding {
        holding: Holding,
        renamed_from: Option<Symbol>,
    },
    HoldingRemoved(Symbol),
    Watching(Vec<Symbol>),
    Unwatched(Vec<Symbol>),
    Imported {
        holdings: usize,
        cash: Option<Decimal>,
    },
    /// The journal entry as stored after the change.
    Signal(Box<SignalRecord>),
    SignalHidden(i64),
    SwapsRecorded(Recorded),
    SwapExecuted(Box<Executed>),
    /// The ledger transactions written or removed.
    Ledger(Vec<i64>),
}

impl Applied {
    fn new(summary: impl Into<String>, change: Change) -> Applied {
        Applied {
            summary: summary.into(),
            change,
        }
    }
}

/// Applies `op` in one transaction. A refusal (`OpError::Refused`) names the field or record
/// at fault and leaves the database as it was.
pub fn apply(ctx: &Context, store: &mut Store, op: Op) -> Result<Applied, OpError> {
    match op {
        Op::RecordBalance(b) => portfolio::record_balance(ctx, store, b),
        Op::SaveHolding { holding, replaces } => {
            portfolio::save_holding(ctx, store, holding, replaces)
        }
        Op::EditHolding(edit) => portfolio::edit_holding(ctx, store, edit),
        Op::RemoveHolding(symbol) => portfolio::remove_holding(ctx, store, symbol),
        Op::AddWatch(items) => portfolio::add_watch(ctx, store, items),
        Op::RemoveWatch(symbols) => portfolio::remove_watch(store, symbols),
        Op::ImportPortfolio { file, name, merge } => {
            portfolio::import_portfolio(ctx, store, file, &name, merge)
        }
        Op::NewSignal(draft) => journal::new_signal(ctx, store, draft),
        Op::TakeSignal {
            id,
            date,
            price,
            quantity,
        } => journal::take(ctx, store, id, date, price, quantity),
        Op::CloseSignal {
            id,
            date,
            price,
            outcome,
            confirmed,
        } => journal::close(ctx, store, id, date, price, outcome, confirmed),
        Op::NoteSignal { id, text } => journal::note(store, id, &text),
        Op::DeleteSignal { id, confirmed } => journal::delete(store, id, confirmed),
        Op::RecordSwaps { as_of } => swaps::record(ctx, store, as_of),
        Op::ExecuteSwap { swap, fills } => swaps::execute(ctx, store, swap, fills),
        Op::RecordTransaction(t) => ledger::record(ctx, store, t),
        Op::DeleteTransaction { id, confirmed } => ledger::delete(ctx, store, id, confirmed),
        Op::ConfirmProposal { number } => ledger::confirm(ctx, store, number),
        Op::ImportTransactions { transactions, name } => {
            ledger::import(ctx, store, transactions, &name)
        }
    }
}

/// What is wrong with recording a fact dated `date` on `today`: a day after today. The
/// command line names the field before it; the app's forms show it beside the field.
pub fn future_date(date: NaiveDate, today: NaiveDate) -> Option<String> {
    (date > today).then(|| format!("{date} is in the future (today is {today})"))
}

fn list(symbols: &[Symbol]) -> String {
    symbols
        .iter()
        .map(Symbol::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
