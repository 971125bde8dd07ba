//! Account totals (DESIGN §5 "Portfolio value").
//!
//! - positions value = Σ holding values (quantity × adjusted close, to the cent), holdings
//!   without a price excluded (they are listed in `missing_data`);
//! - portfolio value P = cash + positions − margin used (the equity every weight and
//!   allocation is a percent of);
//! - total value = cash + positions (gross assets, before the margin debt);
//! - buying power = cash + margin available;
//! - margin % = margin used / P; cash reserve % = cash / P;
//! - spendable cash = cash − the reserve (20 % of P), never below 0.
//!
//! Without an account row, cash and margin are taken as 0 and `balance_as_of` is `None`.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::holdings::{cents, HoldingRow};
use crate::domain::portfolio::AccountBalance;
use crate::domain::risk::{margin_pct, margin_risk, MarginRisk};
use crate::domain::rules::{MarginRules, SizingRules};
use crate::domain::sizer::{pct_of, portfolio_value};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountSummary {
    /// Date of the account row used; `None` when there is none (cash and margin taken as 0).
    pub balance_as_of: Option<NaiveDate>,
    pub cash: Decimal,
    pub positions_value: Decimal,
    pub portfolio_value: Decimal,
    pub total_value: Decimal,
    pub buying_power: Decimal,
    pub margin_available: Decimal,
    pub margin_used: Decimal,
    pub margin_pct: Option<f64>,
    pub margin_risk: MarginRisk,
    pub cash_reserve_pct: Option<f64>,
    pub spendable_cash: Decimal,
}

pub(super) fn account_summary(
    balance: Option<&AccountBalance>,
    rows: &[HoldingRow],
    sizing: &SizingRules,
    margin: &MarginRules,
) -> AccountSummary {
    let field = |f: fn(&AccountBalance) -> Decimal| cents(balance.map_or(Decimal::ZERO, f));
    let cash = field(|b| b.cash);
    let margin_used = field(|b| b.margin_used);
    let margin_available = field(|b| b.margin_available);
    let positions_value: Decimal = rows.iter().filter_map(|r| r.value).sum();
    let p = portfolio_value(cash, positions_value, margin_used);
    let cash_reserve_pct = (p > Decimal::ZERO)
        .then(|| (cash / p * Decimal::ONE_HUNDRED).to_f64())
        .flatten();
    AccountSummary {
        balance_as_of: balance.map(|b| b.as_of),
        cash,
        positions_value,
        portfolio_value: p,
        total_value: cash + positions_value,
        buying_power: cash + margin_available,
        margin_available,
        margin_used,
        margin_pct: margin_pct(margin_used, p),
        margin_risk: margin_risk(margin_used, p, margin),
        cash_reserve_pct,
        spendable_cash: cents((cash - pct_of(p, sizing.cash_reserve_pct)).max(Decimal::ZERO)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analyzer::fixtures::{date, rules, sym};
    use rust_decimal_macros::dec;

    fn row(value: Option<Decimal>) -> HoldingRow {
        HoldingRow::without_data(&crate::domain::portfolio::Holding {
            symbol: sym("AAA"),
            quantity: dec!(1),
            avg_cost: dec!(1),
            opened: None,
            notes: None,
        })
        .with_value(value)
    }

    #[test]
    fn totals_from_cash_positions_and_margin() {
        let r = rules();
        let balance = AccountBalance {
            as_of: date(2026, 3, 31),
            cash: dec!(1126.7900000000002),
            margin_available: dec!(5000),
            margin_used: dec!(2000),
            notes: None,
        };
        let rows = [row(Some(dec!(9000))), row(Some(dec!(1873.21))), row(None)];
        let a = account_summary(Some(&balance), &rows, &r.sizing, &r.margin);
        // Cash to the cent 1 126.79; positions 9 000 + 1 873.21 = 10 873.21 (no price: excluded).
        assert_eq!((a.cash, a.positions_value), (dec!(1126.79), dec!(10873.21)));
        // P = 1 126.79 + 10 873.21 − 2 000 = 10 000; total 12 000; buying power 6 126.79.
        assert_eq!(
            (a.portfolio_value, a.total_value),
            (dec!(10000), dec!(12000))
        );
        assert_eq!(a.buying_power, dec!(6126.79));
        // Margin 2 000 / 10 000 = 20 % → LOW; cash reserve 11.2679 %.
        assert_eq!((a.margin_pct, a.margin_risk), (Some(20.0), MarginRisk::Low));
        assert!((a.cash_reserve_pct.unwrap() - 11.2679).abs() < 1e-9);
        // Reserve 20 % of 10 000 = 2 000 > cash: nothing spendable.
        assert_eq!(a.spendable_cash, dec!(0));
    }

    #[test]
    fn no_account_row_means_no_cash() {
        let r = rules();
        let a = account_summary(None, &[row(Some(dec!(500)))], &r.sizing, &r.margin);
        assert_eq!(a.balance_as_of, None);
        assert_eq!(
            (a.cash, a.portfolio_value, a.cash_reserve_pct),
            (dec!(0), dec!(500), Some(0.0))
        );
        assert_eq!(a.margin_risk, MarginRisk::None);
    }
}
