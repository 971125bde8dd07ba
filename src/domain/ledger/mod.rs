//! The ledger (issue 15): dated transactions are the source of truth, and the account at
//! any date — positions with their lots, cash, margin used, realized P&L, dividends, fees
//! and interest — is a replay of them. Pure: the transactions and prices come in as
//! arguments.
//!
//! Signs: a transaction's `amount` is its effect on cash (a BUY is negative), fees included;
//! `fees` repeats the fee part. OPENING_MARGIN's amount is margin used added (not cash) and a
//! SPLIT moves no money.

mod history;
mod kinds;
mod state;
#[cfg(test)]
mod tests;

pub use history::{daily_values, PriceHistory};
pub use kinds::{CostMethod, Kind, Source, Split};
pub use state::{LedgerError, LedgerState, Lot, Position, Realized};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::portfolio::to_cents;
use super::symbol::Symbol;

/// One row of the ledger. `id` is 0 until stored; replay orders by (date, id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transaction {
    pub id: i64,
    pub date: NaiveDate,
    pub kind: Kind,
    pub symbol: Option<Symbol>,
    pub quantity: Option<Decimal>,
    pub price: Option<Decimal>,
    pub amount: Decimal,
    pub fees: Decimal,
    pub split: Option<Split>,
    pub notes: Option<String>,
    pub source: Source,
    pub signal_id: Option<i64>,
    pub recommendation_id: Option<i64>,
}

impl Transaction {
    fn blank(date: NaiveDate, kind: Kind) -> Transaction {
        Transaction {
            id: 0,
            date,
            kind,
            symbol: None,
            quantity: None,
            price: None,
            amount: Decimal::ZERO,
            fees: Decimal::ZERO,
            split: None,
            notes: None,
            source: Source::Manual,
            signal_id: None,
            recommendation_id: None,
        }
    }

    fn traded(
        date: NaiveDate,
        kind: Kind,
        symbol: Symbol,
        quantity: Decimal,
        price: Decimal,
    ) -> Transaction {
        Transaction {
            symbol: Some(symbol),
            quantity: Some(quantity),
            price: Some(price),
            ..Transaction::blank(date, kind)
        }
    }

    /// A purchase: cash falls by quantity × price + fees, to the cent.
    pub fn buy(
        date: NaiveDate,
        symbol: Symbol,
        quantity: Decimal,
        price: Decimal,
        fees: Decimal,
    ) -> Transaction {
        Transaction {
            amount: -to_cents(quantity * price + fees),
            fees: to_cents(fees),
            ..Transaction::traded(date, Kind::Buy, symbol, quantity, price)
        }
    }

    /// A sale: cash rises by quantity × price − fees, to the cent.
    pub fn sell(
        date: NaiveDate,
        symbol: Symbol,
        quantity: Decimal,
        price: Decimal,
        fees: Decimal,
    ) -> Transaction {
        Transaction {
            amount: to_cents(quantity * price - fees),
            fees: to_cents(fees),
            ..Transaction::traded(date, Kind::Sell, symbol, quantity, price)
        }
    }

    /// A position brought in at `price` per share, without moving cash.
    pub fn opening_position(
        date: NaiveDate,
        symbol: Symbol,
        quantity: Decimal,
        price: Decimal,
    ) -> Transaction {
        Transaction::traded(date, Kind::OpeningPosition, symbol, quantity, price)
    }

    /// Sets the symbol's position to `quantity` at `price` per share (0: gone), without cash.
    pub fn adjustment(
        date: NaiveDate,
        symbol: Symbol,
        quantity: Decimal,
        price: Decimal,
    ) -> Transaction {
        Transaction::traded(date, Kind::Adjustment, symbol, quantity, price)
    }

    /// A money movement of `magnitude` (positive), signed by its kind: DEPOSIT, WITHDRAWAL,
    /// FEE, MARGIN_INTEREST, MARGIN_BORROW, MARGIN_REPAY, OPENING_CASH, OPENING_MARGIN, or a
    /// DIVIDEND (give it a symbol). INTEREST is signed by the caller (earned positive).
    pub fn money(date: NaiveDate, kind: Kind, magnitude: Decimal) -> Transaction {
        let amount = if kind.money_sign() < 0 {
            -magnitude
        } else {
            magnitude
        };
        Transaction {
            amount: to_cents(amount),
            ..Transaction::blank(date, kind)
        }
    }

    pub fn dividend(date: NaiveDate, symbol: Symbol, amount: Decimal) -> Transaction {
        Transaction {
            symbol: Some(symbol),
            ..Transaction::money(date, Kind::Dividend, amount)
        }
    }

    pub fn split(date: NaiveDate, symbol: Symbol, split: Split) -> Transaction {
        Transaction {
            symbol: Some(symbol),
            split: Some(split),
            ..Transaction::blank(date, Kind::Split)
        }
    }

    pub fn with_source(mut self, source: Source) -> Transaction {
        self.source = source;
        self
    }

    pub fn with_notes(mut self, notes: Option<String>) -> Transaction {
        self.notes = notes.filter(|n| !n.trim().is_empty());
        self
    }

    /// A one-line description: `BUY 10 AAA @ 101.5 (fees 1.00)`.
    pub fn describe(&self) -> String {
        let sym = self.symbol.as_ref().map(Symbol::as_str).unwrap_or("");
        let q = self
            .quantity
            .map(|q| q.normalize().to_string())
            .unwrap_or_default();
        let p = self
            .price
            .map(|p| p.normalize().to_string())
            .unwrap_or_default();
        match self.kind {
            Kind::Buy | Kind::Sell | Kind::OpeningPosition | Kind::Adjustment => {
                let fees = if self.fees.is_zero() {
                    String::new()
                } else {
                    format!(" (fees {})", self.fees)
                };
                format!("{} {q} {sym} @ {p}{fees}", self.kind)
            }
            Kind::Split => match self.split {
                Some(s) => format!("SPLIT {sym} {s}"),
                None => format!("SPLIT {sym}"),
            },
            Kind::Dividend => format!("DIVIDEND {sym} {}", self.amount),
            _ => format!("{} {}", self.kind, self.amount),
        }
    }
}

/// Replays `transactions` (any order; sorted by date then id) dated on or before `until`.
pub fn replay(
    transactions: &[Transaction],
    until: NaiveDate,
    method: CostMethod,
) -> Result<LedgerState, LedgerError> {
    let mut sorted: Vec<&Transaction> = transactions.iter().filter(|t| t.date <= until).collect();
    sorted.sort_by_key(|t| (t.date, t.id));
    let mut state = LedgerState::new(method);
    for t in sorted {
        state.apply(t)?;
    }
    Ok(state)
}
