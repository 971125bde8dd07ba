//! The portfolio model: holdings, the watchlist and account balances.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::symbol::Symbol;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holding {
    pub symbol: Symbol,
    pub quantity: Decimal,
    pub avg_cost: Decimal,
    pub opened: Option<NaiveDate>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchItem {
    pub symbol: Symbol,
    pub added: NaiveDate,
    pub notes: Option<String>,
}

/// One recorded set of balances. The latest snapshot is the account's current state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountBalance {
    pub as_of: NaiveDate,
    pub cash: Decimal,
    pub margin_available: Decimal,
    pub margin_used: Decimal,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoldingError {
    #[error("quantity must be positive, got {0}")]
    NonPositiveQuantity(Decimal),
    #[error("average cost must be positive, got {0}")]
    NonPositiveCost(Decimal),
}

impl Holding {
    /// Builds a holding after checking the invariants every stored holding satisfies.
    pub fn new(
        symbol: Symbol,
        quantity: Decimal,
        avg_cost: Decimal,
        opened: Option<NaiveDate>,
        notes: Option<String>,
    ) -> Result<Self, HoldingError> {
        if quantity <= Decimal::ZERO {
            return Err(HoldingError::NonPositiveQuantity(quantity));
        }
        if avg_cost <= Decimal::ZERO {
            return Err(HoldingError::NonPositiveCost(avg_cost));
        }
        Ok(Holding {
            symbol,
            quantity,
            avg_cost,
            opened,
            notes: notes.filter(|n| !n.trim().is_empty()),
        })
    }

    pub fn cost_basis(&self) -> Decimal {
        (self.quantity * self.avg_cost).round_dp(2)
    }
}

/// Cash amounts are stored to the cent; the previous tool's float drift
/// (1126.7900000000002) is rounded half-even to 1126.79.
/// Always two decimals, so money prints and serializes as `"950.00"`.
pub fn to_cents(amount: Decimal) -> Decimal {
    let mut cents =
        amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
    cents.rescale(2);
    cents
}

/// Prices and quantities keep four decimals, the precision of the `prices` table.
pub fn to_price(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointNearestEven)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn float_drift_becomes_cents() {
        assert_eq!(to_cents(dec!(1126.7900000000002)), dec!(1126.79));
        assert_eq!(to_cents(dec!(0.125)), dec!(0.12));
        assert_eq!(to_price(dec!(182.123449999)), dec!(182.1234));
    }

    #[test]
    fn holding_rejects_non_positive_values() {
        let sym = Symbol::parse("AAPL").unwrap();
        assert_eq!(
            Holding::new(sym.clone(), dec!(-1), dec!(10), None, None),
            Err(HoldingError::NonPositiveQuantity(dec!(-1)))
        );
        assert_eq!(
            Holding::new(sym.clone(), dec!(1), dec!(0), None, None),
            Err(HoldingError::NonPositiveCost(dec!(0)))
        );
        let h = Holding::new(sym, dec!(3), dec!(10.005), None, Some(" ".into())).unwrap();
        // 3 × 10.005 = 30.015 → 30.02 (banker's rounding of the …15 midpoint goes to even: 30.02)
        assert_eq!(h.cost_basis(), dec!(30.02));
        assert_eq!(h.notes, None);
    }
}
