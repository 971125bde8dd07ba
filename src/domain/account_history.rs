//! The account's value session by session, as the ledger derives it: the one input the
//! performance figures (time- and money-weighted returns, the monthly table, the road to
//! $1M) are computed from, so the ledger and the performance code meet at this type only.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One session of the account's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayValue {
    pub date: NaiveDate,
    /// Total value at the close of `date`, after that day's transactions: cash + Σ quantity ×
    /// raw close − margin used. Raw closes, because the ledger's quantities are the shares
    /// actually held on that date (splits are ledger transactions) and dividends are cash.
    pub value: Decimal,
    /// External money that day: deposits positive, withdrawals negative. Trades, dividends,
    /// fees and interest are not flows: they are the account's own return.
    pub flow: Decimal,
}
