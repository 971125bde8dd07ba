//! Swaps (DESIGN §5): each underperformer, worst alpha first, is paired with the best
//! opportunity not yet used whose strength is more than `swap_min_improvement` points
//! higher. The expected improvement is that difference in points. The reduce leg sells the
//! whole holding; its proceeds count as cash when the increase leg is sized, and each swap
//! draws on the cash the earlier ones left.

use rust_decimal::Decimal;
use serde::Serialize;

use super::screens::{Opportunity, Underperformer};
use super::sizing::{Budget, SizingContext};
use super::AnalysisRules;
use crate::domain::indicators::IndicatorRow;
use crate::domain::risk::RiskLevel;
use crate::domain::signal::Band;
use crate::domain::sizer::PositionSize;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SwapReduce {
    pub symbol: Symbol,
    /// The whole holding.
    pub quantity: Decimal,
    pub price: Decimal,
    /// The proceeds, counted as cash for the increase leg.
    pub value: Decimal,
    pub strength: f64,
    /// False when an input was missing: the strength prints with `?`.
    pub strength_complete: bool,
    pub alpha: Option<f64>,
    pub reason: String,
    #[serde(skip)]
    pub technicals: IndicatorRow,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SwapIncrease {
    pub symbol: Symbol,
    pub price: Decimal,
    pub strength: f64,
    /// False when an input was missing: the strength prints with `?`.
    pub strength_complete: bool,
    pub alpha: Option<f64>,
    pub reason: String,
    #[serde(skip)]
    pub technicals: IndicatorRow,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swap {
    pub reduce: SwapReduce,
    pub increase: SwapIncrease,
    /// Increase strength − reduce strength.
    pub improvement_points: f64,
    /// The increase leg's entry risk.
    pub risk_level: RiskLevel,
    pub size: PositionSize,
}

/// The pairing rule alone. `underperformers` and `opportunities` are strengths in priority
/// order (worst alpha first; best opportunity first). Returns (underperformer, opportunity)
/// index pairs: each underperformer takes the first unused opportunity more than
/// `min_improvement` points stronger; one that finds none is left unpaired.
pub fn pair_swaps(
    underperformers: &[f64],
    opportunities: &[f64],
    min_improvement: f64,
) -> Vec<(usize, usize)> {
    pair_swaps_where(underperformers, opportunities, min_improvement, |_, _| true)
}

/// [`pair_swaps`], where an underperformer takes the first unused, strong-enough opportunity
/// that `accept(underperformer, opportunity)` also takes; `accept` is asked in pairing order
/// and a `true` is final.
pub fn pair_swaps_where(
    underperformers: &[f64],
    opportunities: &[f64],
    min_improvement: f64,
    mut accept: impl FnMut(usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    let mut used = vec![false; opportunities.len()];
    let mut pairs = Vec::new();
    for (u, weak) in underperformers.iter().enumerate() {
        let best = (0..opportunities.len())
            .find(|&o| !used[o] && opportunities[o] - weak > min_improvement && accept(u, o));
        if let Some(o) = best {
            used[o] = true;
            pairs.push((u, o));
        }
    }
    pairs
}

fn increase_reason(o: &Opportunity) -> String {
    let alpha = o
        .alpha
        .map_or(String::new(), |a| format!(", alpha {a:+.1} pp"));
    let mark = if o.strength_complete { "" } else { "?" };
    format!(
        "strength {:.0}{mark} ({}){alpha}",
        o.strength,
        Band::label(o.band)
    )
}

/// Each underperformer, worst alpha first, takes the first unused opportunity more than
/// `swap_min_improvement` points stronger **that the sizer can buy at least one share of**
/// (with the reduce leg's proceeds); one it cannot buy is skipped for the next, and an
/// underperformer left with none gets no swap. A 0-share increase leg is never proposed.
pub(super) fn swaps(
    underperformers: &[Underperformer],
    opportunities: &[Opportunity],
    ctx: &SizingContext,
    budget: &mut Budget,
    rules: &AnalysisRules,
) -> Vec<Swap> {
    let weak: Vec<f64> = underperformers.iter().map(|u| u.strength).collect();
    let strong: Vec<f64> = opportunities.iter().map(|o| o.strength).collect();
    let mut out = Vec::new();
    pair_swaps_where(
        &weak,
        &strong,
        rules.screens.swap_min_improvement,
        |u, o| {
            let (u, o) = (&underperformers[u], &opportunities[o]);
            let size = ctx.size(&o.entry(), budget, u.value);
            if size.quantity == 0 {
                return false;
            }
            budget.spend(&size, u.value);
            out.push(swap(u, o, size));
            true
        },
    );
    out
}

fn swap(u: &Underperformer, o: &Opportunity, size: PositionSize) -> Swap {
    Swap {
        reduce: SwapReduce {
            symbol: u.symbol.clone(),
            quantity: u.quantity,
            price: u.price,
            value: u.value,
            strength: u.strength,
            strength_complete: u.strength_complete,
            alpha: u.alpha,
            reason: u.reason.clone(),
            technicals: u.technicals,
        },
        increase: SwapIncrease {
            symbol: o.symbol.clone(),
            price: o.price,
            strength: o.strength,
            strength_complete: o.strength_complete,
            alpha: o.alpha,
            reason: increase_reason(o),
            technicals: o.technicals,
        },
        improvement_points: o.strength - u.strength,
        risk_level: o.risk_level,
        size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_first_takes_the_best_unused_opportunity() {
        // Underperformers (worst alpha first) at strengths 35, 30, 45; opportunities 80, 70, 50.
        // 35 takes 80 (+45); 30 takes 70 (+40); 45 finds only 50: +5 is not more than 10.
        assert_eq!(
            pair_swaps(&[35.0, 30.0, 45.0], &[80.0, 70.0, 50.0], 10.0),
            vec![(0, 0), (1, 1)]
        );
    }

    #[test]
    fn more_than_ten_points_is_strict() {
        // 50 → 60 is exactly 10: no swap; 60.5 is more.
        assert_eq!(pair_swaps(&[50.0], &[60.0], 10.0), vec![]);
        assert_eq!(pair_swaps(&[50.0], &[60.5], 10.0), vec![(0, 0)]);
    }

    #[test]
    fn a_strong_underperformer_skips_to_a_later_opportunity_only_if_it_beats_by_ten() {
        // The first (worst-alpha) holding has strength 65: 80 is +15 → taken. The second,
        // strength 20, gets the next unused one (70), not the already used 80.
        assert_eq!(
            pair_swaps(&[65.0, 20.0], &[80.0, 70.0], 10.0),
            vec![(0, 0), (1, 1)]
        );
        // Strength 62: 70 is only +8, 80 is +18 → it takes 80 and the next gets 70.
        assert_eq!(
            pair_swaps(&[62.0, 20.0], &[70.0, 80.0], 10.0),
            vec![(0, 1), (1, 0)]
        );
        assert_eq!(pair_swaps(&[], &[70.0], 10.0), vec![]);
        assert_eq!(pair_swaps(&[20.0, 20.0], &[70.0], 10.0), vec![(0, 0)]);
    }
}
