//! Executing a swap the user confirmed: the reduce leg is sold, the increase leg bought, and
//! the cash moves by exactly the difference. Pure: the caller stores the result in one
//! transaction.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::portfolio::{to_cents, AccountBalance, Holding};
use super::symbol::Symbol;

/// One leg as the user confirmed it (quantity and fill price may differ from the advice).
#[derive(Debug, Clone, PartialEq)]
pub struct Fill {
    pub symbol: Symbol,
    pub quantity: Decimal,
    pub price: Decimal,
}

/// What the swap changes: holdings to upsert, holdings to remove and the new balance.
#[derive(Debug, Clone, PartialEq)]
pub struct SwapExecution {
    pub upserts: Vec<Holding>,
    pub removals: Vec<Symbol>,
    pub balance: AccountBalance,
    /// Sale proceeds − purchase cost, to the cent (negative when the swap spends cash).
    pub cash_change: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecutionError {
    #[error("{0} is not held")]
    NotHeld(Symbol),
    #[error("cannot sell {wanted} {symbol}: only {held} held")]
    TooMany {
        symbol: Symbol,
        wanted: Decimal,
        held: Decimal,
    },
    #[error("{0} must be positive")]
    NotPositive(&'static str),
    #[error("the purchase needs {needed} but only {cash} cash would be left")]
    NotEnoughCash { needed: Decimal, cash: Decimal },
}

/// Applies the swap to the holdings and the latest balance, as of `date`. The bought
/// symbol's average cost is the quantity-weighted mean of the old and new lots.
pub fn execute_swap(
    holdings: &[Holding],
    balance: &AccountBalance,
    sell: &Fill,
    buy: &Fill,
    date: NaiveDate,
) -> Result<SwapExecution, ExecutionError> {
    for (field, v) in [
        ("sell quantity", sell.quantity),
        ("sell price", sell.price),
        ("buy quantity", buy.quantity),
        ("buy price", buy.price),
    ] {
        if v <= Decimal::ZERO {
            return Err(ExecutionError::NotPositive(field));
        }
    }
    let held = holdings
        .iter()
        .find(|h| h.symbol == sell.symbol)
        .ok_or_else(|| ExecutionError::NotHeld(sell.symbol.clone()))?;
    if sell.quantity > held.quantity {
        return Err(ExecutionError::TooMany {
            symbol: sell.symbol.clone(),
            wanted: sell.quantity,
            held: held.quantity,
        });
    }
    let proceeds = to_cents(sell.quantity * sell.price);
    let cost = to_cents(buy.quantity * buy.price);
    let cash = balance.cash + proceeds - cost;
    if cash < Decimal::ZERO {
        return Err(ExecutionError::NotEnoughCash {
            needed: cost,
            cash: balance.cash + proceeds,
        });
    }
    let mut upserts = Vec::new();
    let mut removals = Vec::new();
    if sell.quantity == held.quantity {
        removals.push(sell.symbol.clone());
    } else {
        upserts.push(Holding {
            quantity: held.quantity - sell.quantity,
            ..held.clone()
        });
    }
    upserts.push(bought(holdings, buy, date));
    Ok(SwapExecution {
        upserts,
        removals,
        balance: AccountBalance {
            as_of: date,
            cash,
            notes: Some(format!(
                "swap {} → {}",
                sell.symbol.as_str(),
                buy.symbol.as_str()
            )),
            ..balance.clone()
        },
        cash_change: proceeds - cost,
    })
}

fn bought(holdings: &[Holding], buy: &Fill, date: NaiveDate) -> Holding {
    match holdings.iter().find(|h| h.symbol == buy.symbol) {
        Some(h) => {
            let quantity = h.quantity + buy.quantity;
            let avg_cost = (h.quantity * h.avg_cost + buy.quantity * buy.price) / quantity;
            Holding {
                quantity,
                avg_cost: avg_cost.round_dp(4),
                ..h.clone()
            }
        }
        None => Holding {
            symbol: buy.symbol.clone(),
            quantity: buy.quantity,
            avg_cost: buy.price,
            opened: Some(date),
            notes: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn sym(s: &str) -> Symbol {
        Symbol::parse(s).unwrap()
    }

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    fn book() -> (Vec<Holding>, AccountBalance) {
        let holdings = vec![
            Holding::new(sym("AAA"), dec!(10), dec!(50), Some(d(1)), None).unwrap(),
            Holding::new(sym("BBB"), dec!(4), dec!(20), Some(d(1)), None).unwrap(),
        ];
        let balance = AccountBalance {
            as_of: d(1),
            cash: dec!(100.00),
            margin_available: dec!(5000),
            margin_used: dec!(0),
            notes: None,
        };
        (holdings, balance)
    }

    fn fill(s: &str, q: Decimal, p: Decimal) -> Fill {
        Fill {
            symbol: sym(s),
            quantity: q,
            price: p,
        }
    }

    #[test]
    fn whole_sale_into_new_symbol_moves_cash_by_the_difference() {
        let (h, b) = book();
        // proceeds 10 × 45.555 = 455.55; cost 7 × 60.10 = 420.70; cash 100 + 34.85 = 134.85
        let x = execute_swap(
            &h,
            &b,
            &fill("AAA", dec!(10), dec!(45.555)),
            &fill("CCC", dec!(7), dec!(60.10)),
            d(5),
        )
        .unwrap();
        assert_eq!(x.removals, vec![sym("AAA")]);
        assert_eq!(x.upserts.len(), 1);
        assert_eq!(
            (x.upserts[0].quantity, x.upserts[0].avg_cost),
            (dec!(7), dec!(60.10))
        );
        assert_eq!(x.upserts[0].opened, Some(d(5)));
        assert_eq!(x.cash_change, dec!(34.85));
        assert_eq!((x.balance.cash, x.balance.as_of), (dec!(134.85), d(5)));
        assert_eq!(x.balance.margin_available, dec!(5000));
    }

    #[test]
    fn partial_sale_and_adding_to_a_held_symbol_averages_the_cost() {
        let (h, b) = book();
        // BBB: (4 × 20 + 2 × 26) / 6 = 132 / 6 = 22
        let x = execute_swap(
            &h,
            &b,
            &fill("AAA", dec!(4), dec!(50)),
            &fill("BBB", dec!(2), dec!(26)),
            d(5),
        )
        .unwrap();
        assert!(x.removals.is_empty());
        assert_eq!(x.upserts[0].quantity, dec!(6));
        assert_eq!(x.upserts[1].avg_cost, dec!(22));
        assert_eq!(x.upserts[1].quantity, dec!(6));
        // 200 − 52 = 148
        assert_eq!(x.balance.cash, dec!(248.00));
    }

    #[test]
    fn refusals_name_the_problem() {
        let (h, b) = book();
        let buy = fill("CCC", dec!(1), dec!(1));
        assert_eq!(
            execute_swap(&h, &b, &fill("ZZZ", dec!(1), dec!(1)), &buy, d(5)),
            Err(ExecutionError::NotHeld(sym("ZZZ")))
        );
        assert!(matches!(
            execute_swap(&h, &b, &fill("AAA", dec!(11), dec!(1)), &buy, d(5)),
            Err(ExecutionError::TooMany { .. })
        ));
        assert_eq!(
            execute_swap(&h, &b, &fill("AAA", dec!(1), dec!(0)), &buy, d(5)),
            Err(ExecutionError::NotPositive("sell price"))
        );
        // 100 + 50 = 150 available, 151 needed
        assert!(matches!(
            execute_swap(
                &h,
                &b,
                &fill("AAA", dec!(1), dec!(50)),
                &fill("CCC", dec!(1), dec!(151)),
                d(5)
            ),
            Err(ExecutionError::NotEnoughCash { .. })
        ));
    }
}
