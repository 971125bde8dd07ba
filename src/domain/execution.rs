//! Executing a swap the user confirmed: the reduce leg is sold, the increase leg bought, and
//! the cash moves by exactly the difference. Pure: the caller stores the result in one
//! transaction.
//!
//! Margin: a swap whose size planned `margin_needed` borrows exactly that (never more than
//! the purchase costs) and raises `margin_used` by it; cash pays the rest. A purchase the
//! cash and the planned loan cannot pay, or a loan beyond `margin_available`, is refused.

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
    /// Sale proceeds − what cash paid of the purchase, to the cent (negative when the swap
    /// spends cash).
    pub cash_change: Decimal,
    /// What the purchase borrowed on margin (added to `margin_used`).
    pub borrowed: Decimal,
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
    #[error("the purchase borrows {wanted} on margin but only {available} is available")]
    MarginUnavailable { wanted: Decimal, available: Decimal },
    #[error("cannot sell {symbol} on {date}: it was opened on {opened}")]
    SoldBeforeOpened {
        symbol: Symbol,
        date: NaiveDate,
        opened: NaiveDate,
    },
}

/// Applies the swap to the holdings and the balance, as of `date`, borrowing `planned_margin`
/// (capped at the purchase's cost). The bought symbol's average cost is the
/// quantity-weighted mean of the old and new lots.
pub fn execute_swap(
    holdings: &[Holding],
    balance: &AccountBalance,
    sell: &Fill,
    buy: &Fill,
    date: NaiveDate,
    planned_margin: Decimal,
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
    if let Some(opened) = held.opened.filter(|o| *o > date) {
        return Err(ExecutionError::SoldBeforeOpened {
            symbol: sell.symbol.clone(),
            date,
            opened,
        });
    }
    let proceeds = to_cents(sell.quantity * sell.price);
    let cost = to_cents(buy.quantity * buy.price);
    let borrowed = to_cents(planned_margin.max(Decimal::ZERO).min(cost));
    let available = balance.margin_available - balance.margin_used;
    if borrowed > available {
        return Err(ExecutionError::MarginUnavailable {
            wanted: borrowed,
            available,
        });
    }
    let cash = balance.cash + proceeds - (cost - borrowed);
    if cash < Decimal::ZERO {
        return Err(ExecutionError::NotEnoughCash {
            needed: cost - borrowed,
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
            margin_used: balance.margin_used + borrowed,
            notes: Some(format!(
                "swap {} → {}",
                sell.symbol.as_str(),
                buy.symbol.as_str()
            )),
            ..balance.clone()
        },
        cash_change: proceeds - (cost - borrowed),
        borrowed,
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
            Decimal::ZERO,
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
            Decimal::ZERO,
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
            execute_swap(&h, &b, &fill("ZZZ", dec!(1), dec!(1)), &buy, d(5), dec!(0)),
            Err(ExecutionError::NotHeld(sym("ZZZ")))
        );
        assert!(matches!(
            execute_swap(&h, &b, &fill("AAA", dec!(11), dec!(1)), &buy, d(5), dec!(0)),
            Err(ExecutionError::TooMany { .. })
        ));
        assert_eq!(
            execute_swap(&h, &b, &fill("AAA", dec!(1), dec!(0)), &buy, d(5), dec!(0)),
            Err(ExecutionError::NotPositive("sell price"))
        );
        // 100 + 50 = 150 available, 151 needed
        assert!(matches!(
            execute_swap(
                &h,
                &b,
                &fill("AAA", dec!(1), dec!(50)),
                &fill("CCC", dec!(1), dec!(151)),
                d(5),
                Decimal::ZERO,
            ),
            Err(ExecutionError::NotEnoughCash { .. })
        ));
    }

    #[test]
    fn a_swap_sized_with_margin_borrows_the_planned_amount_and_keeps_the_rest_in_cash() {
        let (h, b) = book();
        // Sell 10 AAA at 50 = 500.00; buy 20 CCC at 40 = 800.00, of which 250.00 was planned
        // on margin. Cash pays 800 − 250 = 550: 100 + 500 − 550 = 50.00 left.
        let x = execute_swap(
            &h,
            &b,
            &fill("AAA", dec!(10), dec!(50)),
            &fill("CCC", dec!(20), dec!(40)),
            d(5),
            dec!(250),
        )
        .unwrap();
        assert_eq!(x.borrowed, dec!(250.00));
        assert_eq!(x.balance.margin_used, dec!(250.00));
        assert_eq!(x.balance.cash, dec!(50.00));
        assert_eq!(x.cash_change, dec!(-50.00));
    }

    #[test]
    fn a_loan_beyond_the_margin_available_or_a_sale_before_opening_is_refused() {
        let (h, mut b) = book();
        b.margin_used = dec!(4900);
        assert_eq!(
            execute_swap(
                &h,
                &b,
                &fill("AAA", dec!(10), dec!(50)),
                &fill("CCC", dec!(20), dec!(40)),
                d(5),
                dec!(250),
            ),
            Err(ExecutionError::MarginUnavailable {
                wanted: dec!(250.00),
                available: dec!(100)
            })
        );
        let early = NaiveDate::from_ymd_opt(2026, 2, 27).unwrap();
        assert!(matches!(
            execute_swap(
                &h,
                &book().1,
                &fill("AAA", dec!(1), dec!(50)),
                &fill("CCC", dec!(1), dec!(40)),
                early,
                dec!(0),
            ),
            Err(ExecutionError::SoldBeforeOpened { .. })
        ));
    }
}
