//! Sizing inside the analysis: one sizer, one portfolio value, and a cash budget that each
//! swap and buy draws down in game-plan order, so later suggestions never spend what earlier
//! ones already used. Selling never changes P (a position becomes cash), so P stays fixed.

use rust_decimal::Decimal;

use super::account::AccountSummary;
use super::AnalysisRules;
use crate::domain::bar::PriceRange;
use crate::domain::risk::{Regime, RiskLevel};
use crate::domain::sizer::{PositionSize, PositionSizer, SizingRequest};

pub(crate) struct SizingContext<'a> {
    sizer: PositionSizer<'a>,
    portfolio_value: Decimal,
    margin_requested: bool,
    market_in_correction: bool,
}

/// What is left to spend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Budget {
    pub cash: Decimal,
    pub margin_used: Decimal,
    pub margin_available: Decimal,
}

/// The symbol-side inputs of one sizing.
pub(crate) struct Entry {
    pub price: Decimal,
    pub strength: f64,
    pub risk: RiskLevel,
    pub range_60d: Option<PriceRange>,
}

impl<'a> SizingContext<'a> {
    /// Margin is considered only when the config enables it, and the market counts as in
    /// correction unless the benchmark's regime is known to be BULL.
    pub fn new(rules: &'a AnalysisRules, account: &AccountSummary, regime: Option<Regime>) -> Self {
        SizingContext {
            sizer: PositionSizer::new(&rules.sizing, &rules.margin, &rules.stops),
            portfolio_value: account.portfolio_value,
            margin_requested: rules.margin.enabled,
            market_in_correction: regime != Some(Regime::Bull),
        }
    }

    /// Sizes `entry` against `budget`, with `proceeds` from a reduce leg counted as cash.
    pub fn size(&self, entry: &Entry, budget: &Budget, proceeds: Decimal) -> PositionSize {
        self.sizer.size(&self.request(entry, budget, proceeds))
    }

    /// The shares [`SizingContext::size`] gives, without the reasons (`PositionSizer::quantity`).
    pub fn quantity(&self, entry: &Entry, budget: &Budget, proceeds: Decimal) -> u64 {
        self.sizer.quantity(&self.request(entry, budget, proceeds))
    }

    fn request(&self, entry: &Entry, budget: &Budget, proceeds: Decimal) -> SizingRequest {
        SizingRequest {
            extra_cash: proceeds,
            margin_available: budget.margin_available,
            margin_used: budget.margin_used,
            margin_requested: self.margin_requested,
            market_in_correction: self.market_in_correction,
            range_60d: entry.range_60d,
            ..SizingRequest::new(
                entry.price,
                entry.strength,
                entry.risk,
                self.portfolio_value,
                budget.cash,
            )
        }
    }
}

impl Budget {
    pub fn from_account(account: &AccountSummary) -> Self {
        Budget {
            cash: account.cash,
            margin_used: account.margin_used,
            margin_available: account.margin_available,
        }
    }

    /// Books a trade: `proceeds` come in, the size's cash and margin go out.
    pub fn spend(&mut self, size: &PositionSize, proceeds: Decimal) {
        self.cash += proceeds - size.cash_needed;
        self.margin_used += size.margin_needed;
        self.margin_available -= size.margin_needed;
    }
}
