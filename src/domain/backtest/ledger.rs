//! The simulated account: cash, margin debt, positions, and fills with costs.
//!
//! - A buy spends what the sizer planned for it ([`Funding`]): cash first, at most its
//!   planned cash and never below the cash reserve, then debt, at most the planned
//!   `margin_needed` (DESIGN §5 "Margin"). It pays quantity × fill price (to the cent) plus
//!   commission; a buy that no longer fits at the fill price is cut to the whole shares the
//!   funding pays for. At the decision price without costs a margin buy borrows exactly the
//!   planned margin and leaves cash at the reserve.
//! - A sale receives quantity × fill price minus commission (never more commission than
//!   the notional); the proceeds repay margin debt first.
//! - Fill price = the open (the close when the bar has no open) moved against the trade by
//!   the slippage, to four decimals. Commission = per trade + bps of the notional, to cents.
//! - Interest on debt accrues every calendar day at APR / 365, added to the debt in cents.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::strategy::Costs;
use crate::domain::portfolio::{to_cents, to_price};
use crate::domain::sizer::pct_of;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "BUY",
            Side::Sell => "SELL",
        }
    }
}

/// One executed trade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trade {
    pub date: NaiveDate,
    pub symbol: Symbol,
    pub side: Side,
    pub quantity: Decimal,
    pub price: Decimal,
    pub commission: Decimal,
    pub reason: String,
    /// Sales only: proceeds after commission − what the lot cost including its commission.
    pub pnl: Option<Decimal>,
    /// Sales only: calendar days the lot was held.
    pub hold_days: Option<i64>,
}

/// One open position: whole shares, and what it cost including the buy commission.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    pub symbol: Symbol,
    /// Index into the universe's symbols.
    pub index: usize,
    pub quantity: u64,
    /// The fill price paid (after slippage): the holding's average cost.
    pub avg_price: Decimal,
    pub cost: Decimal,
    pub opened: NaiveDate,
}

/// What a buy may spend, as the sizer planned it at the decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Funding {
    /// The most cash the buy takes: the sizer's cash part, plus the cash above the reserve
    /// that no buy of the same decision planned to spend.
    pub cash: Decimal,
    /// The most it borrows: the sizer's `margin_needed`.
    pub margin: Decimal,
    /// The cash reserve at the decision; a buy never takes cash below it.
    pub reserve: Decimal,
}

#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub cash: Decimal,
    pub debt: Decimal,
    /// Interest charged on the debt so far.
    pub interest: Decimal,
    pub positions: Vec<Position>,
    pub trades: Vec<Trade>,
}

fn bps(v: f64) -> f64 {
    v / 100.0
}

impl Ledger {
    pub fn new(cash: Decimal) -> Self {
        Ledger {
            cash: to_cents(cash),
            ..Ledger::default()
        }
    }

    pub fn commission(costs: &Costs, notional: Decimal) -> Decimal {
        let c = to_cents(costs.commission_per_trade + pct_of(notional, bps(costs.commission_bps)));
        c.min(notional.max(Decimal::ZERO))
    }

    pub fn fill_price(costs: &Costs, raw: Decimal, side: Side) -> Decimal {
        let slip = pct_of(raw, bps(costs.slippage_bps));
        to_price(match side {
            Side::Buy => raw + slip,
            Side::Sell => raw - slip,
        })
    }

    /// Buys up to `quantity` shares at `raw` (before slippage) with what `funding` allows:
    /// cash first, then debt. Returns the shares bought.
    #[allow(clippy::too_many_arguments)]
    pub fn buy(
        &mut self,
        costs: &Costs,
        funding: Funding,
        (index, symbol): (usize, &Symbol),
        quantity: u64,
        raw: Decimal,
        date: NaiveDate,
        reason: &str,
    ) -> u64 {
        let price = Self::fill_price(costs, raw, Side::Buy);
        if price <= Decimal::ZERO {
            return 0;
        }
        let total = |q: u64| {
            let notional = to_cents(Decimal::from(q) * price);
            (notional, Self::commission(costs, notional))
        };
        // Whole cents, rounded down: the reserve is a percentage of P, not a cent amount.
        let cash_room = funding
            .cash
            .min(self.cash - funding.reserve)
            .max(Decimal::ZERO)
            .round_dp_with_strategy(2, RoundingStrategy::ToZero);
        let limit = cash_room + funding.margin.max(Decimal::ZERO);
        let per_share = price * (Decimal::ONE + pct_of(Decimal::ONE, bps(costs.commission_bps)));
        let affordable = ((limit - costs.commission_per_trade).max(Decimal::ZERO) / per_share)
            .floor()
            .to_u64()
            .unwrap_or(0);
        let mut quantity = quantity.min(affordable);
        while quantity > 0 && total(quantity).0 + total(quantity).1 > limit {
            quantity -= 1;
        }
        if quantity == 0 {
            return 0;
        }
        let (notional, commission) = total(quantity);
        let paid = notional + commission;
        let from_cash = paid.min(cash_room);
        self.cash -= from_cash;
        self.debt += paid - from_cash;
        self.add_to_position(index, symbol, quantity, price, paid, date);
        self.trades.push(Trade {
            date,
            symbol: symbol.clone(),
            side: Side::Buy,
            quantity: Decimal::from(quantity),
            price,
            commission,
            reason: reason.to_string(),
            pnl: None,
            hold_days: None,
        });
        quantity
    }

    fn add_to_position(
        &mut self,
        index: usize,
        symbol: &Symbol,
        quantity: u64,
        price: Decimal,
        paid: Decimal,
        date: NaiveDate,
    ) {
        if let Some(p) = self.positions.iter_mut().find(|p| p.index == index) {
            let total = p.quantity + quantity;
            p.avg_price = to_price(
                (p.avg_price * Decimal::from(p.quantity) + price * Decimal::from(quantity))
                    / Decimal::from(total),
            );
            p.quantity = total;
            p.cost += paid;
        } else {
            self.positions.push(Position {
                symbol: symbol.clone(),
                index,
                quantity,
                avg_price: price,
                cost: paid,
                opened: date,
            });
        }
    }

    /// Sells the whole position in universe symbol `index` at `raw` (before slippage).
    pub fn sell_all(
        &mut self,
        costs: &Costs,
        index: usize,
        raw: Decimal,
        date: NaiveDate,
        reason: &str,
    ) {
        let Some(at) = self.positions.iter().position(|p| p.index == index) else {
            return;
        };
        let p = self.positions.remove(at);
        let price = Self::fill_price(costs, raw, Side::Sell).max(Decimal::ZERO);
        let notional = to_cents(Decimal::from(p.quantity) * price);
        let commission = Self::commission(costs, notional);
        let proceeds = notional - commission;
        let repay = proceeds.min(self.debt);
        self.debt -= repay;
        self.cash += proceeds - repay;
        self.trades.push(Trade {
            date,
            symbol: p.symbol,
            side: Side::Sell,
            quantity: Decimal::from(p.quantity),
            price,
            commission,
            reason: reason.to_string(),
            pnl: Some(proceeds - p.cost),
            hold_days: Some((date - p.opened).num_days()),
        });
    }

    /// Interest for `days` calendar days at `apr_pct`, added to the debt.
    pub fn accrue_interest(&mut self, apr_pct: f64, days: i64) {
        if self.debt > Decimal::ZERO && days > 0 {
            let daily = pct_of(self.debt, apr_pct) / Decimal::from(365);
            let interest = to_cents(daily * Decimal::from(days));
            self.debt += interest;
            self.interest += interest;
        }
    }

    pub fn held(&self, index: usize) -> Option<&Position> {
        self.positions.iter().find(|p| p.index == index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    /// All the cash, no margin, no reserve.
    fn cash_only(cash: Decimal) -> Funding {
        Funding {
            cash,
            ..Funding::default()
        }
    }

    #[test]
    fn buy_and_sell_with_costs() {
        let costs = Costs {
            commission_per_trade: dec!(1),
            commission_bps: 10.0,
            slippage_bps: 50.0,
        };
        let sym = Symbol::parse("AAA").unwrap();
        let mut l = Ledger::new(dec!(1000));
        // Fill 100 + 0.5 % = 100.50; 5 shares = 502.50; commission 1 + 0.1 % = 1.50 (1.5025 → 1.50).
        let funding = cash_only(dec!(1000));
        assert_eq!(
            l.buy(&costs, funding, (0, &sym), 5, dec!(100), day(2), "t"),
            5
        );
        assert_eq!(l.cash, dec!(1000) - dec!(502.50) - dec!(1.50));
        // Sell at 110 − 0.5 % = 109.45; 547.25 − (1 + 0.54725 → 1.55) = 545.70; P&L 545.70 − 504.00.
        l.sell_all(&costs, 0, dec!(110), day(9), "t");
        let t = &l.trades[1];
        assert_eq!((t.price, t.commission), (dec!(109.45), dec!(1.55)));
        assert_eq!(t.pnl, Some(dec!(41.70)));
        assert_eq!(t.hold_days, Some(7));
        assert_eq!(l.cash, dec!(496) + dec!(545.70));
    }

    #[test]
    fn a_buy_spends_its_funding_cash_first_and_never_the_reserve() {
        let sym = Symbol::parse("AAA").unwrap();
        let none = Costs::NONE;
        // 10 shares wanted at 100: only 2 fit in 250.
        let mut l = Ledger::new(dec!(250));
        assert_eq!(
            l.buy(
                &none,
                cash_only(dec!(250)),
                (0, &sym),
                10,
                dec!(100),
                day(2),
                "t"
            ),
            2
        );
        assert_eq!(l.cash, dec!(50));
        // Reserve 200 of 1 000: 8 shares at 100 fit in the 800 above it, not 10.
        let mut r = Ledger::new(dec!(1000));
        let reserved = Funding {
            reserve: dec!(200),
            ..cash_only(dec!(1000))
        };
        assert_eq!(
            r.buy(&none, reserved, (0, &sym), 10, dec!(100), day(2), "t"),
            8
        );
        assert_eq!(r.cash, dec!(200));
        // Planned: 250 of cash and 50 of margin. 4 shares (400) would need 150 of debt: cut
        // to 3 = 250 cash + 50 borrowed.
        let mut m = Ledger::new(dec!(250));
        let funding = Funding {
            margin: dec!(50),
            ..cash_only(dec!(250))
        };
        assert_eq!(
            m.buy(&none, funding, (0, &sym), 4, dec!(100), day(2), "t"),
            3
        );
        assert_eq!((m.cash, m.debt), (dec!(0), dec!(50)));
        // 8 % APR on 50 for 365 days = 4.00; the sale repays the debt first.
        m.accrue_interest(8.0, 365);
        assert_eq!((m.debt, m.interest), (dec!(54), dec!(4)));
        m.sell_all(&none, 0, dec!(100), day(3), "t");
        assert_eq!((m.cash, m.debt), (dec!(246), dec!(0)));
        // A reserve in fractions of a cent: 250 − 0.004 leaves 249.99 of cash to spend, so
        // 3 shares (300) borrow 50.01 — debt stays in cents and cash above the reserve.
        let mut c = Ledger::new(dec!(250));
        let funding = Funding {
            cash: dec!(250),
            margin: dec!(60),
            reserve: dec!(0.004),
        };
        assert_eq!(
            c.buy(&none, funding, (0, &sym), 4, dec!(100), day(2), "t"),
            3
        );
        assert_eq!((c.cash, c.debt), (dec!(0.01), dec!(50.01)));
    }
}
