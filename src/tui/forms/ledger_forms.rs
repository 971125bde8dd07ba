//! The ledger's forms (the Account tab's ledger view): a trade, a deposit or withdrawal, a
//! dividend, a split, and the confirmation of a deletion. Each builds its operation through
//! `service::ledger_entry`, as the command line does.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::build::Reader;
use super::parse;
use super::{Field, Form, FormKind};
use crate::domain::format::amount;
use crate::domain::ledger::Transaction;
use crate::service::ledger_entry::{self as entry, Side, Trade};
use crate::service::ops::{Op, OpError};

pub fn ledger_trade(today: NaiveDate) -> Form {
    Form::new(
        FormKind::LedgerTrade,
        "Record a trade",
        today,
        vec![
            Field::new("Side", "buy or sell", "buy"),
            Field::new("Symbol", "e.g. AAPL", ""),
            Field::new("Quantity", "shares, above 0", ""),
            Field::new("Price", "dollars per share", ""),
            Field::new("Date", "YYYY-MM-DD", &today.to_string()),
            Field::new("Fee", "dollars, 0 or more", "0"),
            Field::new("Notes", "optional", ""),
        ],
    )
    .with_intro(
        "A trade moves cash by quantity × price and the fee; a sale closes the oldest lots first.",
    )
}

pub fn ledger_cash(today: NaiveDate) -> Form {
    Form::new(
        FormKind::LedgerCash,
        "Record a deposit or withdrawal",
        today,
        vec![
            Field::new("Direction", "deposit or withdraw", "deposit"),
            Field::new("Amount", "dollars, above 0", ""),
            Field::new("Date", "YYYY-MM-DD", &today.to_string()),
            Field::new("Notes", "optional", ""),
        ],
    )
    .with_intro("Money in or out of the account: returns (TWR) are neutral to it.")
}

pub fn ledger_dividend(today: NaiveDate) -> Form {
    Form::new(
        FormKind::LedgerDividend,
        "Record a dividend",
        today,
        vec![
            Field::new("Symbol", "e.g. AAPL", ""),
            Field::new("Amount", "dollars received in all", ""),
            Field::new("Date", "YYYY-MM-DD", &today.to_string()),
        ],
    )
    .with_intro("A cash dividend received; the position's cost does not change.")
}

pub fn ledger_split(today: NaiveDate) -> Form {
    Form::new(
        FormKind::LedgerSplit,
        "Record a split",
        today,
        vec![
            Field::new("Symbol", "e.g. AAPL", ""),
            Field::new("Ratio", "new:old shares, e.g. 2:1, 3:2, 1:10", ""),
            Field::new("Date", "YYYY-MM-DD", &today.to_string()),
        ],
    )
    .with_intro("Multiplies the shares held and divides their cost per share; once per split.")
}

pub fn confirm_transaction_delete(t: &Transaction, today: NaiveDate) -> Form {
    Form::new(
        FormKind::LedgerDelete(t.id),
        "Delete transaction",
        today,
        vec![],
    )
    .with_intro(format!(
        "Delete transaction {} ({} on {})? The account's history changes. Enter confirms, Esc keeps it.",
        t.id,
        t.describe(),
        t.date
    ))
}

/// What the shared constructor refused, beside the form's first field (the field parsers
/// catch every such value first; this keeps a refusal visible should they ever differ).
fn built(r: &mut Reader, op: Result<Op, OpError>) -> Option<Op> {
    op.map_err(|e| r.flag(0, e.to_string())).ok()
}

pub(super) fn trade(r: &mut Reader, today: NaiveDate) -> Option<Op> {
    let side = r.read(parse::side);
    let symbol = r.read(parse::symbol);
    let quantity = r.read(parse::positive);
    let price = r.read(parse::positive);
    let date = r.read(parse::past_date(today));
    let fee = r.read(parse::optional_non_negative);
    let notes = r.read(parse::text);
    let fee_value = fee.value.map(Option::unwrap_or_default);
    match (side.value, quantity.value, price.value, fee_value) {
        (Some(side), Some(q), Some(p), Some(f)) => {
            let value = crate::domain::portfolio::to_cents(q * p);
            let change = match side {
                Side::Buy => -(value + f),
                Side::Sell => value - f,
            };
            r.preview.push(format!(
                "Cash {}{}: {} × {} {} fee {}",
                if change >= Decimal::ZERO { "+" } else { "" },
                amount(change),
                q.normalize(),
                p.normalize(),
                if side == Side::Buy { "+" } else { "−" },
                amount(f)
            ));
        }
        _ => r
            .preview
            .push("Cash: type the quantity, the price and the fee".into()),
    }
    let op = entry::trade(Trade {
        side: side.value?,
        symbol: symbol.value?,
        quantity: quantity.value?,
        price: price.value?,
        fee: fee_value?,
        date: date.value?,
        notes: notes.value?,
    });
    built(r, op)
}

pub(super) fn cash(r: &mut Reader, today: NaiveDate) -> Option<Op> {
    let kind = r.read(parse::direction);
    let value = r.read(parse::positive);
    let date = r.read(parse::past_date(today));
    let notes = r.read(parse::text);
    let op = entry::cash(kind.value?, value.value?, date.value?, notes.value?);
    built(r, op)
}

pub(super) fn dividend(r: &mut Reader, today: NaiveDate) -> Option<Op> {
    let symbol = r.read(parse::symbol);
    let value = r.read(parse::positive);
    let date = r.read(parse::past_date(today));
    let op = entry::dividend(symbol.value?, value.value?, date.value?);
    built(r, op)
}

pub(super) fn split(r: &mut Reader, today: NaiveDate) -> Option<Op> {
    let symbol = r.read(parse::symbol);
    let ratio = r.read(parse::split_ratio);
    let date = r.read(parse::past_date(today));
    Some(entry::split(symbol.value?, ratio.value?, date.value?))
}
