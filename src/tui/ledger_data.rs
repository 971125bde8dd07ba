//! What the Account tab's ledger view shows, loaded by the worker with the rest of the
//! dashboard: every transaction, the account they replay to, and the split and dividend
//! proposals still waiting for the user.

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use rust_decimal::Decimal;

use crate::domain::ledger::proposals::Proposal;
use crate::domain::ledger::{self, Transaction};
use crate::service::Context;
use crate::store::Store;

#[derive(Debug, Clone, Default)]
pub struct LedgerData {
    /// Newest first (date, then id), as the view lists them.
    pub transactions: Vec<Transaction>,
    /// The proposals not recorded yet, each with its number for `Op::ConfirmProposal`
    /// (the number `ducklens ledger proposals` gives it, recorded ones counted).
    pub pending: Vec<PendingProposal>,
    /// The ledger's cash and positions after its last transaction; `None` when it does not
    /// replay (`note` says why).
    pub cash: Option<Decimal>,
    pub positions: usize,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PendingProposal {
    pub number: usize,
    #[serde(flatten)]
    pub proposal: Proposal,
}

/// One read of the transactions, one replay, and the proposals (one bars read per ledger
/// symbol and one replay per symbol: see `domain::ledger::proposals`).
pub fn load(ctx: &Context, store: &mut Store) -> Result<LedgerData> {
    let mut transactions = store.transactions()?;
    let mut d = LedgerData::default();
    match ledger::replay(&transactions, NaiveDate::MAX, ctx.config.ledger.cost_method) {
        Ok(state) => {
            d.cash = Some(state.cash);
            d.positions = state.positions.len();
        }
        Err(e) => d.note = Some(format!("the ledger does not replay: {e}")),
    }
    let all = store.transaction(|tx| crate::service::ledger::proposals(ctx, tx))?;
    d.pending = all
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.recorded)
        .map(|(i, proposal)| PendingProposal {
            number: i + 1,
            proposal,
        })
        .collect();
    transactions.sort_by_key(|t| std::cmp::Reverse((t.date, t.id)));
    d.transactions = transactions;
    Ok(d)
}
