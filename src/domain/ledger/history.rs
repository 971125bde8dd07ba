//! The account's value session by session from the ledger and the stored raw closes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// Where each symbol's series has been read up to, and the last trade price as the fallback
/// for a symbol bought before its first stored bar.
struct Pricer<'a> {
    history: &'a PriceHistory,
    cursor: HashMap<&'a Symbol, usize>,
    trade_price: HashMap<Symbol, Decimal>,
}

impl<'a> Pricer<'a> {
    /// The last close on or before `day`, else the last trade price, else `None`.
    /// Days must be asked in order.
    fn price(&mut self, symbol: &Symbol, day: NaiveDate) -> Option<Decimal> {
        if let Some((key, bars)) = self.history.get_key_value(symbol) {
            let at = self.cursor.entry(key).or_insert(0);
            while *at < bars.len() && bars[*at].0 <= day {
                *at += 1;
            }
            if *at > 0 {
                return Some(bars[*at - 1].1);
            }
        }
        self.trade_price.get(symbol).copied()
    }

    fn note(&mut self, t: &Transaction) {
        let Some(symbol) = &t.symbol else { return };
        match (t.kind, t.price, t.split) {
            (Kind::Split, _, Some(split)) => {
                if let Some(p) = self.trade_price.get_mut(symbol) {
                    *p /= split.factor();
                }
            }
            (Kind::Buy | Kind::Sell | Kind::OpeningPosition | Kind::Adjustment, Some(price), _)
                if price > Decimal::ZERO =>
            {
                self.trade_price.insert(symbol.clone(), price);
            }
            _ => {}
        }
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
    let mut days: BTreeSet<NaiveDate> = sorted
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
    let mut pricer = Pricer {
        history,
        cursor: HashMap::new(),
        trade_price: HashMap::new(),
    };
    let mut state = LedgerState::new(method);
    let mut next = 0;
    while next < sorted.len() && sorted[next].date < from {
        state.apply(sorted[next])?;
        pricer.note(sorted[next]);
        next += 1;
    }
    let mut out = Vec::with_capacity(days.len());
    for day in days {
        let mut flow = Decimal::ZERO;
        while next < sorted.len() && sorted[next].date <= day {
            let t = sorted[next];
            let before = t.symbol.as_ref().map(|s| state.quantity(s));
            state.apply(t)?;
            pricer.note(t);
            flow += external_flow(t, &state, before, &mut pricer, day);
            next += 1;
        }
        let value = state.value(|s| pricer.price(s, day));
        out.push(DayValue {
            date: day,
            value: to_cents(value),
            flow: to_cents(flow),
        });
    }
    Ok(out)
}

fn external_flow(
    t: &Transaction,
    after: &LedgerState,
    quantity_before: Option<Decimal>,
    pricer: &mut Pricer<'_>,
    day: NaiveDate,
) -> Decimal {
    match t.kind {
        Kind::Deposit | Kind::Withdrawal | Kind::OpeningCash => t.amount,
        Kind::OpeningMargin => -t.amount,
        Kind::OpeningPosition | Kind::Adjustment => {
            let symbol = t.symbol.as_ref().expect("checked by apply");
            let added = after.quantity(symbol) - quantity_before.unwrap_or_default();
            let price = pricer.price(symbol, day).unwrap_or_default();
            added * price
        }
        _ => Decimal::ZERO,
    }
}
