//! A transaction typed by hand — a trade, a deposit or withdrawal, a dividend, a split — as
//! the command line (`trade`, `cash`, `ledger dividend|split`) and the app's ledger forms
//! both record it: the one place either builds the `Op::RecordTransaction` it sends. Each
//! side parses its own input (flags, form fields) and names its own fields; what the
//! values must be is checked here, once, and a refusal names the field.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::ledger::{Kind, Split, Transaction};
use crate::domain::symbol::Symbol;
use crate::service::ops::{Op, OpError};

/// The side of a trade: `buy` or `sell` (any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    pub fn parse(word: &str) -> Option<Side> {
        match word.trim().to_ascii_lowercase().as_str() {
            "buy" | "b" => Some(Side::Buy),
            "sell" | "s" => Some(Side::Sell),
            _ => None,
        }
    }
}

/// A trade as typed: `quantity` shares of `symbol` at `price`, `fee` on top.
#[derive(Debug, Clone, PartialEq)]
pub struct Trade {
    pub side: Side,
    pub symbol: Symbol,
    pub quantity: Decimal,
    pub price: Decimal,
    pub fee: Decimal,
    pub date: NaiveDate,
    pub notes: Option<String>,
}

fn above_zero(field: &str, v: Decimal) -> Result<Decimal, OpError> {
    if v <= Decimal::ZERO {
        return Err(OpError::refused(format!(
            "{field}: must be positive, got {v}"
        )));
    }
    Ok(v)
}

/// BUY or SELL: cash moves by quantity × price ∓ the fee, to the cent.
pub fn trade(t: Trade) -> Result<Op, OpError> {
    let quantity = above_zero("quantity", t.quantity)?;
    let price = above_zero("price", t.price)?;
    if t.fee < Decimal::ZERO {
        return Err(OpError::refused(format!(
            "fee: must be 0 or more, got {}",
            t.fee
        )));
    }
    let record = match t.side {
        Side::Buy => Transaction::buy,
        Side::Sell => Transaction::sell,
    };
    let tx = record(t.date, t.symbol, quantity, price, t.fee).with_notes(t.notes);
    Ok(Op::RecordTransaction(tx))
}

/// A DEPOSIT or WITHDRAWAL of `amount` (positive; the kind gives the sign).
pub fn cash(
    kind: Kind,
    amount: Decimal,
    date: NaiveDate,
    notes: Option<String>,
) -> Result<Op, OpError> {
    if !matches!(kind, Kind::Deposit | Kind::Withdrawal) {
        return Err(OpError::refused(format!(
            "direction: {kind} is not a deposit or a withdrawal"
        )));
    }
    let amount = above_zero("amount", amount)?;
    Ok(Op::RecordTransaction(
        Transaction::money(date, kind, amount).with_notes(notes),
    ))
}

/// A cash DIVIDEND of `amount` received on `symbol`.
pub fn dividend(symbol: Symbol, amount: Decimal, date: NaiveDate) -> Result<Op, OpError> {
    let amount = above_zero("amount", amount)?;
    Ok(Op::RecordTransaction(Transaction::dividend(
        date, symbol, amount,
    )))
}

/// A SPLIT of `symbol` by `ratio` (new:old shares).
pub fn split(symbol: Symbol, ratio: Split, date: NaiveDate) -> Op {
    Op::RecordTransaction(Transaction::split(date, symbol, ratio))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn a_trade_moves_cash_by_its_value_and_fee() {
        let buy = Trade {
            side: Side::Buy,
            symbol: Symbol::parse("XYZ").unwrap(),
            quantity: dec!(10),
            price: dec!(123.45),
            fee: dec!(1),
            date: day(),
            notes: Some("first".into()),
        };
        let Ok(Op::RecordTransaction(t)) = trade(buy.clone()) else {
            panic!("a valid trade")
        };
        // 10 × 123.45 + 1 = 1,235.50 out of cash
        assert_eq!(
            (t.kind, t.amount, t.fees),
            (Kind::Buy, dec!(-1235.50), dec!(1))
        );
        let Ok(Op::RecordTransaction(s)) = trade(Trade {
            side: Side::Sell,
            ..buy.clone()
        }) else {
            panic!("a valid sale")
        };
        // 10 × 123.45 − 1 = 1,233.50 into cash
        assert_eq!((s.kind, s.amount), (Kind::Sell, dec!(1233.50)));
        let refused = trade(Trade {
            fee: dec!(-1),
            ..buy
        })
        .unwrap_err();
        assert!(refused.to_string().starts_with("fee:"), "{refused}");
        assert_eq!(Side::parse("SELL"), Some(Side::Sell));
        assert_eq!(Side::parse("short"), None);
    }

    #[test]
    fn money_movements_are_signed_by_their_kind() {
        let Ok(Op::RecordTransaction(w)) = cash(Kind::Withdrawal, dec!(500), day(), None) else {
            panic!("a valid withdrawal")
        };
        assert_eq!(w.amount, dec!(-500));
        assert!(cash(Kind::Fee, dec!(5), day(), None).is_err());
        assert!(cash(Kind::Deposit, dec!(0), day(), None)
            .unwrap_err()
            .to_string()
            .starts_with("amount:"));
    }
}
