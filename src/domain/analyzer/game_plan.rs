//! The game plan: an ordered list of concrete actions.
//!
//! 1. **Stops**: every holding with a hard stop (percentage or technical) → SELL the whole
//!    holding; with only soft stops (time, portfolio) → REVIEW. Holdings a swap already
//!    sells are left to the swap.
//! 2. **Swaps**, in swap order.
//! 3. **Buys with spare cash**: the opportunities no swap took, best first, each sized
//!    against the cash (and margin) the swaps and earlier buys left; those that size to 0
//!    shares are left out. Proceeds of stop sales are not counted: a stop is a decision for
//!    the user, and the next check sees the cash once it is there.
//!
//! An empty plan is "Hold: no changes needed".

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use super::holdings::{HoldingRow, StopKind};
use super::screens::Opportunity;
use super::sizing::{Budget, SizingContext};
use super::swaps::Swap;
use crate::domain::format::{money, price, share_pct};
use crate::domain::portfolio::to_cents;
use crate::domain::sizer::ExitPlan;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PlanAction {
    Sell {
        symbol: Symbol,
        quantity: Decimal,
        stops: Vec<StopKind>,
    },
    Review {
        symbol: Symbol,
        stops: Vec<StopKind>,
    },
    Swap {
        reduce: Symbol,
        reduce_quantity: Decimal,
        increase: Symbol,
        increase_quantity: u64,
        improvement_points: f64,
    },
    Buy {
        symbol: Symbol,
        quantity: u64,
        price: Decimal,
        value: Decimal,
        use_margin: bool,
        reward_risk: Option<f64>,
    },
    Hold,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanStep {
    /// One sentence for people.
    pub text: String,
    #[serde(flatten)]
    pub action: PlanAction,
}

fn stop_step(row: &HoldingRow) -> PlanStep {
    let stops: Vec<StopKind> = row.alerts.iter().map(|a| a.kind).collect();
    let detail: Vec<String> = row
        .alerts
        .iter()
        .map(|a| format!("{}: {}", a.kind.label(), a.message))
        .collect();
    let symbol = row.symbol.clone();
    if row.has_hard_stop() {
        PlanStep {
            text: format!("Sell {} {} — {}", row.quantity, symbol, detail.join("; ")),
            action: PlanAction::Sell {
                symbol,
                quantity: row.quantity,
                stops,
            },
        }
    } else {
        PlanStep {
            text: format!("Review {} — {}", symbol, detail.join("; ")),
            action: PlanAction::Review { symbol, stops },
        }
    }
}

/// "R/R 2.5" (rounded down), or "R/R unknown" without a price range: shown with every buy.
pub fn reward_risk_text(exit: &ExitPlan) -> String {
    exit.reward_risk_shown(1)
        .map_or_else(|| "R/R unknown".to_string(), |rr| format!("R/R {rr:.1}"))
}

fn swap_step(swap: &Swap) -> PlanStep {
    let (r, i, s) = (&swap.reduce, &swap.increase, &swap.size);
    let buy = match &s.reason {
        None => format!(
            "buy {} {} at {} ({}, {} of portfolio, {})",
            s.quantity,
            i.symbol,
            price(i.price),
            money(s.value),
            share_pct(Some(s.allocation_pct)),
            reward_risk_text(&s.exit)
        ),
        Some(reason) => format!("{} cannot be bought yet: {reason}", i.symbol),
    };
    PlanStep {
        text: format!(
            "Swap: sell {} {} ({}), {} — expected improvement {:+.0} points",
            r.quantity,
            r.symbol,
            money(r.value),
            buy,
            swap.improvement_points
        ),
        action: PlanAction::Swap {
            reduce: r.symbol.clone(),
            reduce_quantity: r.quantity,
            increase: i.symbol.clone(),
            increase_quantity: s.quantity,
            improvement_points: swap.improvement_points,
        },
    }
}

fn buy_steps(
    opportunities: &[Opportunity],
    taken: &BTreeSet<&Symbol>,
    ctx: &SizingContext,
    budget: &mut Budget,
) -> Vec<PlanStep> {
    let mut steps = Vec::new();
    for o in opportunities.iter().filter(|o| !taken.contains(&o.symbol)) {
        let size = ctx.size(&o.entry(), budget, Decimal::ZERO);
        if size.quantity == 0 {
            continue;
        }
        budget.spend(&size, Decimal::ZERO);
        let margin = if size.use_margin {
            format!(", {} on margin", money(size.margin_needed))
        } else {
            String::new()
        };
        steps.push(PlanStep {
            text: format!(
                "Buy {} {} at {} ({}, {} of portfolio{margin}) — strength {:.0}, stop {}, target {}, {}",
                size.quantity,
                o.symbol,
                price(o.price),
                money(size.value),
                share_pct(Some(size.allocation_pct)),
                o.strength,
                price(to_cents(size.exit.stop_loss)),
                price(to_cents(size.exit.target_exit)),
                reward_risk_text(&size.exit)
            ),
            action: PlanAction::Buy {
                symbol: o.symbol.clone(),
                quantity: size.quantity,
                price: o.price,
                value: size.value,
                use_margin: size.use_margin,
                reward_risk: size.exit.reward_risk,
            },
        });
    }
    steps
}

pub(super) fn game_plan(
    rows: &[HoldingRow],
    swaps: &[Swap],
    opportunities: &[Opportunity],
    ctx: &SizingContext,
    budget: &mut Budget,
) -> Vec<PlanStep> {
    let swapped: BTreeSet<&Symbol> = swaps.iter().map(|s| &s.reduce.symbol).collect();
    let taken: BTreeSet<&Symbol> = swaps.iter().map(|s| &s.increase.symbol).collect();
    let mut plan: Vec<PlanStep> = rows
        .iter()
        .filter(|r| !r.alerts.is_empty() && !swapped.contains(&r.symbol))
        .map(stop_step)
        .collect();
    plan.extend(swaps.iter().map(swap_step));
    plan.extend(buy_steps(opportunities, &taken, ctx, budget));
    if plan.is_empty() {
        plan.push(PlanStep {
            text: "Hold: no changes needed".to_string(),
            action: PlanAction::Hold,
        });
    }
    plan
}
