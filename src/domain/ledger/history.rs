//! The account's value session by session from the ledger and the stored raw closes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::kinds::{CostMethod, Kind};
use super::state::{LedgerError, LedgerState};
use super::Transaction;
use crate::domain::account_history::DayValue;
use crate::domain::portfolio::to_cents;
use crate::domain::symbol::Symbol;

/// Raw closes per symbol, each series sorted by date.
pub type PriceHistory = BTreeMap<Symbol, Vec<(NaiveDate, Decimal)>>;

/// One symbol the ledger names, with the quantity held after the transactions applied so
/// far, where its series has been read up to, and its last trade price: the fallback for a
/// symbol bought before its first stored bar. Kept per symbol so a session costs one step
/// per holding, not a walk of its lots (benches/ledger.rs).
struct Slot<'a> {
    quantity: Decimal,
    bars: &'a [(NaiveDate, Decimal)],
    cursor: usize,
    trade_price: Option<Decimal>,
}

impl Slot<'_> {
    /// The last close on or before `day`, else the last trade price. Days come in order.
    fn price(&mut self, day: NaiveDate) -> Option<Decimal> {
        while self.cursor < self.bars.len() && self.bars[self.cursor].0 <= day {
            self.cursor += 1;
        }
        match self.cursor {
            0 => self.trade_price,
            n => Some(self.bars[n - 1].1),
        }
    }
}

struct Book<'a> {
    history: &'a PriceHistory,
    slots: BTreeMap<Symbol, Slot<'a>>,
    state: LedgerState,
}

impl<'a> Book<'a> {
    /// Applies `t` and returns the external money it brought in on `day`.
    fn apply(&mut self, t: &Transaction, day: NaiveDate) -> Result<Decimal, LedgerError> {
        self.state.apply(t)?;
        let Some(symbol) = &t.symbol else {
            return Ok(match t.kind {
                Kind::Deposit | Kind::Withdrawal | Kind::OpeningCash => t.amount,
                Kind::OpeningMargin => -t.amount,
                _ => Decimal::ZERO,
            });
        };
        let history = self.history;
        let slot = self.slots.entry(symbol.clone()).or_insert_with(|| Slot {
            quantity: Decimal::ZERO,
            bars: history.get(symbol).map(Vec::as_slice).unwrap_or(&[]),
            cursor: 0,
            trade_price: None,
        });
        match (t.kind, t.price, t.split) {
            (Kind::Split, _, Some(split)) => {
                slot.trade_price = slot.trade_price.map(|p| p / split.factor());
            }
            (_, Some(price), _) if price > Decimal::ZERO => slot.trade_price = Some(price),
            _ => {}
        }
        let before = slot.quantity;
        slot.quantity = self.state.quantity(symbol);
        Ok(match t.kind {
            Kind::OpeningPosition | Kind::Adjustment => {
                (slot.quantity - before) * slot.price(day).unwrap_or_default()
            }
            _ => Decimal::ZERO,
        })
    }

    /// Cash + Σ quantity × price − margin used; a holding without any price counts at its
    /// cost per share.
    fn value(&mut self, day: NaiveDate) -> Decimal {
        let mut held = Decimal::ZERO;
        for (symbol, slot) in &mut self.slots {
            if slot.quantity.is_zero() {
                continue;
            }
            let price = slot.price(day).unwrap_or_else(|| {
                self.state
                    .positions
                    .get(symbol)
                    .map(|p| p.avg_cost())
                    .unwrap_or_default()
            });
            held += slot.quantity * price;
        }
        self.state.cash + held - self.state.margin_used
    }
}

/// One [`DayValue`] per session from `from` to `to`: the days with a stored bar of any
/// symbol, plus the days with a transaction. A holding is valued at its last raw close on or
/// before the day (a symbol whose prices stopped keeps its last bar), else at its last trade
/// price (a buy before the first stored bar). Flows are deposits and withdrawals, and the
/// positions, cash and margin brought in by opening transactions and adjustments (at their
/// value that day), so that recording a holding is not mistaken for a return.
pub fn daily_values(
    transactions: &[Transaction],
    history: &PriceHistory,
    from: NaiveDate,
    to: NaiveDate,
    method: CostMethod,
) -> Result<Vec<DayValue>, LedgerError> {
    let mut sorted: Vec<&Transaction> = transactions.iter().filter(|t| t.date <= to).collect();
    sorted.sort_by_key(|t| (t.date, t.id));
    let mut days: Vec<NaiveDate> = sorted
        .iter()
        .map(|t| t.date)
        .filter(|d| *d >= from)
        .collect();
    for bars in history.values() {
        let start = bars.partition_point(|(d, _)| *d < from);
        days.extend(
            bars[start..]
                .iter()
                .map(|(d, _)| *d)
                .take_while(|d| *d <= to),
        );
    }
    days.sort_unstable();
    days.dedup();
    let mut book = Book {
        history,
        slots: BTreeMap::new(),
        state: LedgerState::new(method),
    };
    let mut next = 0;
    while next < sorted.len() && sorted[next].date < from {
        book.apply(sorted[next], sorted[next].date)?;
        next += 1;
    }
    let mut out = Vec::with_capacity(days.len());
    for day in days {
        let mut flow = Decimal::ZERO;
        while next < sorted.len() && sorted[next].date <= day {
            flow += book.apply(sorted[next], day)?;
            next += 1;
        }
        out.push(DayValue {
            date: day,
            value: to_cents(book.value(day)),
            flow: to_cents(flow),
        });
    }
    Ok(out)
}
