//! What the ledger adds to the performance: realized and unrealized P&L, dividends, fees
//! and interest, and each holding's day and contribution.
//!
//! A holding's day change on session t (previous session p) is the cash-flow identity
//!   q_t × close_t − q_p × close_p − bought + sold + dividends,
//! where bought and sold are that day's trades of the symbol at their prices (shares
//! brought in by an opening transaction or an adjustment count as bought at close_t, as the
//! ledger counts them as a flow). With no trade it is q_{t−1} × (close_t − close_{t−1}); a
//! split that day changes q and the raw close together, so it adds nothing. Fees and
//! interest are the account's, not a holding's. The percent is of q_p × close_p + bought.
//!
//! A holding's contribution is its P&L since the start (realized + unrealized + dividends)
//! and its share of the sum of every holding's P&L (closed positions included).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{pct, to_f64};
use crate::domain::ledger::Kind;
use crate::domain::ledger::{LedgerState, Transaction};
use crate::domain::portfolio::to_cents;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerFigures {
    pub realized_pnl: Decimal,
    /// Σ quantity × close − cost over the positions held; `None` when a held symbol has no
    /// close.
    pub unrealized_pnl: Option<Decimal>,
    pub dividends: Decimal,
    pub fees: Decimal,
    /// Earned (+) or paid (−), margin interest included.
    pub interest: Decimal,
    pub holdings: Vec<HoldingPerformance>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldingPerformance {
    pub symbol: Symbol,
    pub quantity: Decimal,
    /// Raw close on or before the as-of session.
    pub close: Option<Decimal>,
    pub day_change: Option<Decimal>,
    pub day_change_pct: Option<f64>,
    pub realized: Decimal,
    pub unrealized: Option<Decimal>,
    pub dividends: Decimal,
    /// realized + unrealized + dividends.
    pub pnl: Option<Decimal>,
    /// pnl / Σ pnl of every holding, in percent.
    pub contribution_pct: Option<f64>,
}

/// The two sessions the day change spans, and the account on each.
pub struct Sessions<'a> {
    pub today: NaiveDate,
    pub previous: Option<NaiveDate>,
    pub state: &'a LedgerState,
    pub before: &'a LedgerState,
}

pub fn ledger_figures(
    transactions: &[Transaction],
    s: &Sessions<'_>,
    close_on: &dyn Fn(&Symbol, NaiveDate) -> Option<Decimal>,
) -> LedgerFigures {
    let done: Vec<&Transaction> = transactions.iter().filter(|t| t.date <= s.today).collect();
    let symbols: BTreeSet<&Symbol> = done.iter().filter_map(|t| t.symbol.as_ref()).collect();
    let mut holdings: Vec<HoldingPerformance> = symbols
        .into_iter()
        .map(|symbol| holding(symbol, &done, s, close_on))
        .collect();
    let total: Option<Decimal> = holdings.iter().map(|h| h.pnl).sum();
    for h in &mut holdings {
        h.contribution_pct = match (h.pnl, total) {
            (Some(p), Some(t)) if !t.is_zero() => Some(pct(to_f64(p) / to_f64(t))),
            _ => None,
        };
    }
    LedgerFigures {
        realized_pnl: s.state.realized_pnl(),
        unrealized_pnl: holdings.iter().map(|h| h.unrealized).sum(),
        dividends: s.state.dividends,
        fees: s.state.fees,
        interest: s.state.interest,
        holdings,
    }
}

fn holding(
    symbol: &Symbol,
    done: &[&Transaction],
    s: &Sessions<'_>,
    close_on: &dyn Fn(&Symbol, NaiveDate) -> Option<Decimal>,
) -> HoldingPerformance {
    let position = s.state.positions.get(symbol);
    let quantity = position.map_or(Decimal::ZERO, |p| p.quantity());
    let close = close_on(symbol, s.today);
    let unrealized = match position {
        None => Some(Decimal::ZERO),
        Some(p) => close.map(|c| to_cents(p.quantity() * c - p.cost())),
    };
    let realized = to_cents(
        s.state
            .realized
            .iter()
            .filter(|r| &r.symbol == symbol)
            .map(|r| r.pnl())
            .sum(),
    );
    let of_symbol = |t: &&&Transaction| t.symbol.as_ref() == Some(symbol);
    let dividends: Decimal = done
        .iter()
        .filter(of_symbol)
        .filter(|t| t.kind == Kind::Dividend)
        .map(|t| t.amount)
        .sum();
    let (day_change, day_change_pct) = s
        .previous
        .and_then(|previous| day_change(symbol, done, s, previous, close_on))
        .unzip();
    HoldingPerformance {
        symbol: symbol.clone(),
        quantity,
        close,
        day_change,
        day_change_pct: day_change_pct.flatten(),
        realized,
        unrealized,
        dividends,
        pnl: unrealized.map(|u| realized + u + dividends),
        contribution_pct: None,
    }
}

fn day_change(
    symbol: &Symbol,
    done: &[&Transaction],
    s: &Sessions<'_>,
    previous: NaiveDate,
    close_on: &dyn Fn(&Symbol, NaiveDate) -> Option<Decimal>,
) -> Option<(Decimal, Option<f64>)> {
    let q_now = s.state.quantity(symbol);
    let q_before = s.before.quantity(symbol);
    let close_now = close_on(symbol, s.today);
    let close_before = close_on(symbol, previous);
    let value_now = if q_now.is_zero() {
        Decimal::ZERO
    } else {
        q_now * close_now?
    };
    let value_before = if q_before.is_zero() {
        Decimal::ZERO
    } else {
        q_before * close_before?
    };
    let (mut bought, mut sold, mut dividends) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for t in done
        .iter()
        .filter(|t| t.date > previous && t.symbol.as_ref() == Some(symbol))
    {
        let traded = t.quantity.unwrap_or_default() * t.price.unwrap_or_default();
        match t.kind {
            Kind::Buy => bought += traded,
            Kind::Sell => sold += traded,
            Kind::Dividend => dividends += t.amount,
            Kind::OpeningPosition | Kind::Adjustment => {
                bought += t.quantity.unwrap_or_default() * close_now.unwrap_or_default()
            }
            _ => {}
        }
    }
    let change = to_cents(value_now - value_before - bought + sold + dividends);
    let base = value_before + bought;
    let change_pct = (base > Decimal::ZERO).then(|| pct(to_f64(change) / to_f64(base)));
    Some((change, change_pct))
}

#[cfg(test)]
mod tests {
    use super::super::test_data::d;
    use super::*;
    use crate::domain::ledger::{replay, CostMethod};
    use rust_decimal_macros::dec;

    fn sym(s: &str) -> Symbol {
        Symbol::parse(s).unwrap()
    }

    #[test]
    fn day_change_pnl_and_contribution() {
        // Deposit 10,000 on 12-01. Buy 10 AAA at 100 and 20 BBB at 50 (fee 1) on 12-01.
        // 12-02: sell 5 AAA at 112 (FIFO cost 5 × 100 = 500 → realized +60);
        // buy 10 more BBB at 49; BBB pays a 3.00 dividend.
        // Closes: AAA 105 → 110, BBB 50 → 48.
        let aaa = sym("AAA");
        let bbb = sym("BBB");
        let txs: Vec<Transaction> = vec![
            Transaction::money(d(2026, 12, 1), Kind::Deposit, dec!(10000)),
            Transaction::buy(
                d(2026, 12, 1),
                aaa.clone(),
                dec!(10),
                dec!(100),
                Decimal::ZERO,
            ),
            Transaction::buy(d(2026, 12, 1), bbb.clone(), dec!(20), dec!(50), dec!(1)),
            Transaction::sell(
                d(2026, 12, 2),
                aaa.clone(),
                dec!(5),
                dec!(112),
                Decimal::ZERO,
            ),
            Transaction::buy(
                d(2026, 12, 2),
                bbb.clone(),
                dec!(10),
                dec!(49),
                Decimal::ZERO,
            ),
            Transaction::dividend(d(2026, 12, 2), bbb.clone(), dec!(3)),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, mut t)| {
            t.id = i as i64 + 1;
            t
        })
        .collect();
        let state = replay(&txs, d(2026, 12, 2), CostMethod::Fifo).unwrap();
        let before = replay(&txs, d(2026, 12, 1), CostMethod::Fifo).unwrap();
        let close_on = |s: &Symbol, day: NaiveDate| {
            let first = day == d(2026, 12, 1);
            Some(match (s.as_str(), first) {
                ("AAA", true) => dec!(105),
                ("AAA", false) => dec!(110),
                (_, true) => dec!(50),
                _ => dec!(48),
            })
        };
        let s = Sessions {
            today: d(2026, 12, 2),
            previous: Some(d(2026, 12, 1)),
            state: &state,
            before: &before,
        };
        let f = ledger_figures(&txs, &s, &close_on);
        let (a, b) = (&f.holdings[0], &f.holdings[1]);
        // AAA: 5 × 110 − 10 × 105 + 5 × 112 sold = 550 − 1050 + 560 = +60 on 1,050 → +5.714 %.
        // (= 10 × (110 − 105) + 5 × (112 − 110): +50 held, +10 sold above the close.)
        assert_eq!(a.day_change, Some(dec!(60)));
        assert!((a.day_change_pct.unwrap() - 60.0 / 1050.0 * 100.0).abs() < 1e-9);
        // BBB: 30 × 48 − 20 × 50 − 10 × 49 bought + 3 dividend = 1440 − 1000 − 490 + 3 = −47
        // on 1,000 + 490 = 1,490.
        assert_eq!(b.day_change, Some(dec!(-47)));
        // Realized: AAA 5 × 112 − 500 = +60. Unrealized: AAA 5 × 110 − 500 = +50;
        // BBB 30 × 48 − (1000 + 1 fee + 490) = 1440 − 1491 = −51.
        assert_eq!(f.realized_pnl, dec!(60));
        assert_eq!(a.unrealized, Some(dec!(50)));
        assert_eq!(b.unrealized, Some(dec!(-51)));
        assert_eq!(f.unrealized_pnl, Some(dec!(-1)));
        assert_eq!(f.dividends, dec!(3));
        assert_eq!(f.fees, dec!(1));
        // P&L: AAA 60 + 50 = 110; BBB −51 + 3 = −48; total 62 → AAA 177.4 %, BBB −77.4 %.
        assert_eq!(a.pnl, Some(dec!(110)));
        assert_eq!(b.pnl, Some(dec!(-48)));
        assert!((a.contribution_pct.unwrap() - 110.0 / 62.0 * 100.0).abs() < 1e-9);
        assert!((b.contribution_pct.unwrap() + 48.0 / 62.0 * 100.0).abs() < 1e-9);
    }
}
