//! The account a replay arrives at, and the rules each transaction must pass.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::kinds::{CostMethod, Kind, Split};
use super::Transaction;
use crate::domain::portfolio::{to_cents, to_price};
use crate::domain::symbol::Symbol;

/// Shares bought together: `cost` is their whole cost (fees included), so a split changes
/// the quantity and keeps the cost, dividing the cost per share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lot {
    pub date: NaiveDate,
    pub quantity: Decimal,
    pub cost: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    pub symbol: Symbol,
    /// Oldest first.
    pub lots: Vec<Lot>,
}

impl Position {
    pub fn quantity(&self) -> Decimal {
        self.lots.iter().map(|l| l.quantity).sum()
    }

    /// Cost basis (fees included), unrounded.
    pub fn cost(&self) -> Decimal {
        self.lots.iter().map(|l| l.cost).sum()
    }

    /// Cost per share to four decimals, the precision of `holdings.avg_cost`.
    pub fn avg_cost(&self) -> Decimal {
        let q = self.quantity();
        if q.is_zero() {
            Decimal::ZERO
        } else {
            to_price(self.cost() / q).normalize()
        }
    }

    pub fn opened(&self) -> Option<NaiveDate> {
        self.lots.first().map(|l| l.date)
    }
}

/// The realized result of one sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Realized {
    pub transaction_id: i64,
    pub date: NaiveDate,
    pub symbol: Symbol,
    pub quantity: Decimal,
    /// Quantity × price − fees.
    pub proceeds: Decimal,
    /// The cost of the lots the sale closed.
    pub cost: Decimal,
}

impl Realized {
    /// Proceeds − cost, to the cent.
    pub fn pnl(&self) -> Decimal {
        to_cents(self.proceeds - self.cost)
    }
}

/// A transaction the ledger refuses: the message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct LedgerError {
    pub field: &'static str,
    pub message: String,
}

fn refuse<T>(field: &'static str, message: String) -> Result<T, LedgerError> {
    Err(LedgerError { field, message })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerState {
    pub method: CostMethod,
    /// The date of the last transaction applied.
    pub last_date: Option<NaiveDate>,
    pub cash: Decimal,
    pub margin_used: Decimal,
    pub positions: BTreeMap<Symbol, Position>,
    pub realized: Vec<Realized>,
    pub dividends: Decimal,
    /// Fee transactions plus the fees of trades.
    pub fees: Decimal,
    /// Interest earned (positive) or paid (negative), margin interest included.
    pub interest: Decimal,
    pub deposits: Decimal,
    pub withdrawals: Decimal,
    #[serde(skip)]
    splits_applied: HashSet<(Symbol, NaiveDate, Split)>,
}

impl LedgerState {
    pub fn new(method: CostMethod) -> LedgerState {
        LedgerState {
            method,
            last_date: None,
            cash: Decimal::ZERO,
            margin_used: Decimal::ZERO,
            positions: BTreeMap::new(),
            realized: Vec::new(),
            dividends: Decimal::ZERO,
            fees: Decimal::ZERO,
            interest: Decimal::ZERO,
            deposits: Decimal::ZERO,
            withdrawals: Decimal::ZERO,
            splits_applied: HashSet::new(),
        }
    }

    pub fn quantity(&self, symbol: &Symbol) -> Decimal {
        self.positions
            .get(symbol)
            .map(Position::quantity)
            .unwrap_or_default()
    }

    /// Realized P&L of every sale, to the cent.
    pub fn realized_pnl(&self) -> Decimal {
        to_cents(self.realized.iter().map(|r| r.proceeds - r.cost).sum())
    }

    /// Cash + Σ quantity × price − margin used, prices from `price_of` (a held symbol
    /// without a price counts at its cost per share).
    pub fn value(&self, mut price_of: impl FnMut(&Symbol) -> Option<Decimal>) -> Decimal {
        let held: Decimal = self
            .positions
            .values()
            .map(|p| {
                let price = price_of(&p.symbol).unwrap_or_else(|| p.avg_cost());
                p.quantity() * price
            })
            .sum();
        self.cash + held - self.margin_used
    }

    /// Checks `t` against the state it follows and applies it; a refusal changes nothing.
    pub fn apply(&mut self, t: &Transaction) -> Result<(), LedgerError> {
        if let Some(last) = self.last_date {
            if t.date < last {
                return refuse(
                    "date",
                    format!("{} comes before the ledger's last date {last}", t.date),
                );
            }
        }
        if t.kind.needs_symbol() && t.symbol.is_none() {
            return refuse("symbol", format!("a {} needs a symbol", t.kind));
        }
        if t.fees < Decimal::ZERO {
            return refuse("fees", format!("cannot be negative, got {}", t.fees));
        }
        match t.kind {
            Kind::Buy | Kind::OpeningPosition => self.add_lot(t)?,
            Kind::Sell => self.sell(t)?,
            Kind::Adjustment => self.adjust(t)?,
            Kind::Split => self.split(t)?,
            _ => self.money(t)?,
        }
        self.last_date = Some(t.date);
        Ok(())
    }

    fn symbol(t: &Transaction) -> Symbol {
        t.symbol.clone().expect("checked by needs_symbol")
    }

    fn quantity_and_price(t: &Transaction) -> Result<(Decimal, Decimal), LedgerError> {
        let quantity = t.quantity.unwrap_or_default();
        let price = t.price.unwrap_or_default();
        if quantity <= Decimal::ZERO {
            return refuse(
                "quantity",
                format!("a {} needs a positive quantity, got {quantity}", t.kind),
            );
        }
        if price <= Decimal::ZERO {
            return refuse(
                "price",
                format!("a {} needs a positive price, got {price}", t.kind),
            );
        }
        Ok((quantity, price))
    }

    fn add_lot(&mut self, t: &Transaction) -> Result<(), LedgerError> {
        let (quantity, price) = Self::quantity_and_price(t)?;
        let symbol = Self::symbol(t);
        let cost = if t.kind == Kind::Buy {
            if t.amount >= Decimal::ZERO {
                return refuse("amount", format!("a BUY takes cash, got {}", t.amount));
            }
            quantity * price + t.fees
        } else {
            quantity * price
        };
        self.cash += if t.kind == Kind::Buy {
            t.amount
        } else {
            Decimal::ZERO
        };
        self.fees += t.fees;
        let lot = Lot {
            date: t.date,
            quantity,
            cost,
        };
        let position = self
            .positions
            .entry(symbol.clone())
            .or_insert_with(|| Position {
                symbol,
                lots: Vec::new(),
            });
        position.lots.push(lot);
        if self.method == CostMethod::Average {
            pool(position);
        }
        Ok(())
    }

    fn sell(&mut self, t: &Transaction) -> Result<(), LedgerError> {
        let (quantity, price) = Self::quantity_and_price(t)?;
        let symbol = Self::symbol(t);
        let held = self.quantity(&symbol);
        if quantity > held {
            return refuse(
                "quantity",
                format!(
                    "selling {} {symbol} on {} is more than the {} held",
                    quantity.normalize(),
                    t.date,
                    held.normalize()
                ),
            );
        }
        let position = self.positions.get_mut(&symbol).expect("held > 0");
        let mut left = quantity;
        let mut cost = Decimal::ZERO;
        while left > Decimal::ZERO {
            let lot = &mut position.lots[0];
            if lot.quantity <= left {
                left -= lot.quantity;
                cost += lot.cost;
                position.lots.remove(0);
            } else {
                let part = lot.cost * left / lot.quantity;
                lot.quantity -= left;
                lot.cost -= part;
                cost += part;
                left = Decimal::ZERO;
            }
        }
        if position.lots.is_empty() {
            self.positions.remove(&symbol);
        }
        self.cash += t.amount;
        self.fees += t.fees;
        self.realized.push(Realized {
            transaction_id: t.id,
            date: t.date,
            symbol,
            quantity,
            proceeds: quantity * price - t.fees,
            cost,
        });
        Ok(())
    }

    fn adjust(&mut self, t: &Transaction) -> Result<(), LedgerError> {
        let symbol = Self::symbol(t);
        let quantity = t.quantity.unwrap_or_default();
        if quantity < Decimal::ZERO {
            return refuse("quantity", format!("cannot be negative, got {quantity}"));
        }
        if quantity.is_zero() {
            self.positions.remove(&symbol);
            return Ok(());
        }
        let (quantity, price) = Self::quantity_and_price(t)?;
        let date = self
            .positions
            .get(&symbol)
            .and_then(Position::opened)
            .unwrap_or(t.date);
        self.positions.insert(
            symbol.clone(),
            Position {
                symbol,
                lots: vec![Lot {
                    date,
                    quantity,
                    cost: quantity * price,
                }],
            },
        );
        Ok(())
    }

    fn split(&mut self, t: &Transaction) -> Result<(), LedgerError> {
        let symbol = Self::symbol(t);
        let Some(split) = t.split else {
            return refuse("ratio", "a SPLIT needs a ratio such as 2:1".into());
        };
        let key = (symbol.clone(), t.date, split);
        if self.splits_applied.contains(&key) {
            return refuse(
                "ratio",
                format!(
                    "the {split} split of {symbol} on {} is already recorded",
                    t.date
                ),
            );
        }
        let Some(position) = self.positions.get_mut(&symbol) else {
            return refuse(
                "symbol",
                format!("no {symbol} is held on {} to split", t.date),
            );
        };
        let factor = split.factor();
        for lot in &mut position.lots {
            lot.quantity = to_price(lot.quantity * factor);
        }
        position.lots.retain(|l| l.quantity > Decimal::ZERO);
        if position.lots.is_empty() {
            self.positions.remove(&symbol);
        }
        self.splits_applied.insert(key);
        Ok(())
    }

    fn money(&mut self, t: &Transaction) -> Result<(), LedgerError> {
        let amount = t.amount;
        let want = |positive: bool| -> Result<(), LedgerError> {
            let fine = if positive {
                amount > Decimal::ZERO
            } else {
                amount < Decimal::ZERO
            };
            if fine {
                Ok(())
            } else {
                refuse(
                    "amount",
                    format!(
                        "a {} must be {} cash, got {amount}",
                        t.kind,
                        if positive { "positive" } else { "negative" }
                    ),
                )
            }
        };
        match t.kind {
            Kind::Deposit => {
                want(true)?;
                self.deposits += amount;
            }
            Kind::Withdrawal => {
                want(false)?;
                if -amount > self.cash {
                    return refuse(
                        "amount",
                        format!(
                            "withdrawing {} on {} is more than the cash {}",
                            -amount, t.date, self.cash
                        ),
                    );
                }
                self.withdrawals -= amount;
            }
            Kind::Dividend => {
                want(true)?;
                self.dividends += amount;
            }
            Kind::Fee => {
                want(false)?;
                self.fees -= amount;
            }
            Kind::Interest => {
                if amount.is_zero() {
                    return refuse("amount", "an INTEREST of 0 changes nothing".into());
                }
                self.interest += amount;
            }
            Kind::MarginInterest => {
                want(false)?;
                self.interest += amount;
            }
            Kind::MarginBorrow => {
                want(true)?;
                self.margin_used += amount;
            }
            Kind::MarginRepay => {
                want(false)?;
                if -amount > self.margin_used {
                    return refuse(
                        "amount",
                        format!(
                            "repaying {} on {} is more than the margin used {}",
                            -amount, t.date, self.margin_used
                        ),
                    );
                }
                self.margin_used += amount;
            }
            Kind::OpeningCash => {}
            Kind::OpeningMargin => {
                if amount < Decimal::ZERO {
                    return refuse(
                        "amount",
                        format!("margin used cannot be negative, got {amount}"),
                    );
                }
                self.margin_used += amount;
                return Ok(());
            }
            _ => unreachable!("positions are handled by apply"),
        }
        self.cash += amount;
        Ok(())
    }
}

/// Average cost: every lot merged into one, dated by the oldest.
fn pool(position: &mut Position) {
    if position.lots.len() < 2 {
        return;
    }
    let lot = Lot {
        date: position.lots[0].date,
        quantity: position.quantity(),
        cost: position.cost(),
    };
    position.lots = vec![lot];
}
