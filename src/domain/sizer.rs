//! Position sizing (DESIGN §5 "Position size" and "Margin").
//!
//! The size is the smallest of these limits, in whole shares rounded down:
//! 1. **band**: portfolio value P × allocation band % (linear inside the band, 0 below the
//!    lowest band: watch only) × the risk multiplier;
//! 2. **cap**: 25 % of P minus what is already held of the symbol;
//! 3. **cash**: cash (plus a swap's reduce proceeds) minus the reserve of 20 % of P —
//!    raised by the margin room when margin is allowed, so margin covers only what cash
//!    cannot.
//!
//! Margin is allowed only when it was requested (config `margin.enabled` or `size --margin`)
//! and every condition holds: strength > 75, cash (with proceeds) ≥ 30 % of P, market not in
//! correction, margin available, and margin used still under 25 % of P. The room it adds is
//! `min(margin available, 25 % of P − margin used)`, which keeps margin used after the trade
//! ≤ 25 % of P (buying on margin leaves P unchanged). Money is `Decimal` throughout;
//! percentages are `f64`, turned into `Decimal` at six decimals before they touch money.

use std::fmt;

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::Serialize;

use super::bar::PriceRange;
use super::format::{money, price};
use super::portfolio::{to_cents, to_price};
use super::risk::RiskLevel;
use super::rules::{MarginRules, SizingRules, StopRules};

/// Portfolio value P = cash + positions − margin used: the account's equity.
pub fn portfolio_value(cash: Decimal, positions_value: Decimal, margin_used: Decimal) -> Decimal {
    cash + positions_value - margin_used
}

/// `pct` percent of `amount`.
pub fn pct_of(amount: Decimal, pct: f64) -> Decimal {
    let pct = rule_decimal(pct, 6).unwrap_or_default();
    amount * pct / Decimal::ONE_HUNDRED
}

/// [`pct_of`] for a percentage computed per sizing (the band's share of a strength), the
/// same figure: converted each time, it does not fill the per-thread cache of rule values
/// (every strength is a new `f64`, and once 32 were kept a later rule was converted on every
/// call).
fn computed_pct_of(amount: Decimal, pct: f64) -> Decimal {
    let pct = Decimal::from_f64(pct)
        .map(|d| d.round_dp(6))
        .unwrap_or_default();
    amount * pct / Decimal::ONE_HUNDRED
}

/// `Decimal::from_f64(x)` rounded to `dp` decimals, remembered per thread: every sizing
/// converts the same few rule percentages, and the base-2 expansion is the slow part of a
/// backtest's pre-screen. At most 32 values are kept; others are converted each time.
fn rule_decimal(x: f64, dp: u32) -> Option<Decimal> {
    use std::cell::RefCell;
    type Seen = Vec<(u64, u32, Option<Decimal>)>;
    thread_local!(static SEEN: RefCell<Seen> = const { RefCell::new(Vec::new()) });
    let key = (x.to_bits(), dp);
    SEEN.with_borrow_mut(|seen| {
        if let Some(&(_, _, d)) = seen.iter().find(|e| (e.0, e.1) == key) {
            return d;
        }
        let d = Decimal::from_f64(x).map(|d| d.round_dp(dp));
        if seen.len() < 32 {
            seen.push((key.0, key.1, d));
        }
        d
    })
}

/// Whether the reward/risk `x`, as the rule reads it (`Decimal::from_f64(x)` to six places,
/// `ExitPlan::reward_risk_decimal`), is under `minimum`; `None` where that has no `Decimal`.
/// Rounding to six places moves a value by 5e-7 at most, so an `x` further than 1e-6 (and
/// the floats' own error) from the minimum is decided in floats: the backtest's pre-screen
/// asks this of every candidate, and the base-2 expansion of `from_f64` was its slow part.
pub(crate) fn under_minimum(x: f64, minimum: Decimal) -> Option<bool> {
    const DECIMAL_RANGE: f64 = 7.0e28;
    if x.is_finite() && x.abs() < DECIMAL_RANGE {
        let m = minimum.to_f64().unwrap_or(f64::NAN);
        let margin = 1e-6 + (m.abs() + x.abs()) * 1e-12;
        if x < m - margin {
            return Some(true);
        }
        if x > m + margin {
            return Some(false);
        }
    }
    Some(Decimal::from_f64(x)?.round_dp(6) < minimum)
}

/// Everything one sizing needs. [`SizingRequest::new`] fills the rest with "nothing held,
/// no proceeds, no margin".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SizingRequest {
    pub price: Decimal,
    pub strength: f64,
    pub risk: RiskLevel,
    /// P = cash + positions − margin used.
    pub portfolio_value: Decimal,
    pub cash: Decimal,
    /// A swap's reduce-leg proceeds, spendable like cash.
    pub extra_cash: Decimal,
    /// Market value of this symbol already held (counts against the cap).
    pub held_value: Decimal,
    /// Margin the broker would still lend.
    pub margin_available: Decimal,
    pub margin_used: Decimal,
    /// Margin may be considered: enabled in config or asked for with `size --margin`.
    pub margin_requested: bool,
    pub market_in_correction: bool,
    /// The range of the last 60 bars, on the price's basis: the target exit's reward.
    pub range_60d: Option<PriceRange>,
}

impl SizingRequest {
    pub fn new(
        price: Decimal,
        strength: f64,
        risk: RiskLevel,
        portfolio_value: Decimal,
        cash: Decimal,
    ) -> Self {
        SizingRequest {
            price,
            strength,
            risk,
            portfolio_value,
            cash,
            extra_cash: Decimal::ZERO,
            held_value: Decimal::ZERO,
            margin_available: Decimal::ZERO,
            margin_used: Decimal::ZERO,
            margin_requested: false,
            market_in_correction: false,
            range_60d: None,
        }
    }
}

/// The rule that decided the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundBy {
    /// The allocation band × risk multiplier: the size wanted was affordable.
    Band,
    /// The per-stock cap, counting what is already held.
    Cap,
    /// Cash above the reserve (margin not allowed or not available).
    Cash,
    /// Cash above the reserve plus the margin allowed.
    Margin,
    /// Strength below the lowest band.
    WatchOnly,
    /// Reward/risk under the configured minimum: not a trade to take (DESIGN §5).
    RewardRisk,
    /// Portfolio value is zero or negative: nothing to size against.
    NoEquity,
    /// The price is zero or negative.
    BadPrice,
}

impl BoundBy {
    pub fn label(self) -> &'static str {
        match self {
            BoundBy::Band => "allocation band",
            BoundBy::Cap => "per-stock cap",
            BoundBy::Cash => "cash above reserve",
            BoundBy::Margin => "cash plus allowed margin",
            BoundBy::WatchOnly => "watch only",
            BoundBy::RewardRisk => "reward/risk under the minimum",
            BoundBy::NoEquity => "no portfolio value",
            BoundBy::BadPrice => "invalid price",
        }
    }
}

impl fmt::Display for BoundBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A margin condition that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarginCondition {
    NotRequested,
    Strength,
    UsedLimit,
    CashFloor,
    MarketCorrection,
    NoneAvailable,
}

impl MarginCondition {
    pub fn label(self) -> &'static str {
        match self {
            MarginCondition::NotRequested => "margin not enabled or requested",
            MarginCondition::Strength => "strength not above the margin minimum",
            MarginCondition::UsedLimit => "margin used already at its limit",
            MarginCondition::CashFloor => "cash below the margin minimum",
            MarginCondition::MarketCorrection => "market in correction",
            MarginCondition::NoneAvailable => "no margin available",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarginCheck {
    pub allowed: bool,
    /// Every condition that failed; empty when allowed.
    pub failed: Vec<MarginCondition>,
    /// What margin could add to cash: `min(available, limit − used)`; 0 unless allowed.
    pub room: Decimal,
}

/// Stop loss and target exit of an entry at `price` (DESIGN §5, README "Reward/risk").
///
/// The target is a measured move: price + the width of the last 60 bars' range (highest
/// high − lowest low), the distance the stock has shown it travels in that time. The risk R
/// is price − stop. So reward/risk = range / R: with the 8 % stop, a buy needs a 60-day
/// range of at least 16 % of the price to reach 2. Without a known range (no price history)
/// the target is price + 2R and the reward/risk is unknown, never made up.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExitPlan {
    /// price × (1 − stop %).
    pub stop_loss: Decimal,
    /// price + the 60-day range; price + 2R when no range is known.
    pub target_exit: Decimal,
    /// (target − price) / R; `None` when no range is known.
    pub reward_risk: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionSize {
    /// Whole shares.
    pub quantity: u64,
    /// quantity × price.
    pub value: Decimal,
    /// value as a percent of P.
    pub allocation_pct: f64,
    /// Band % × risk multiplier: the allocation wanted before caps and cash.
    pub target_pct: f64,
    pub use_margin: bool,
    pub margin_needed: Decimal,
    pub cash_needed: Decimal,
    pub bound_by: BoundBy,
    /// Why the quantity is 0; `None` otherwise.
    pub reason: Option<String>,
    /// The three limits, to the cent: wanted, cap room, cash above the reserve.
    pub target_value: Decimal,
    pub cap_room: Decimal,
    pub spendable_cash: Decimal,
    pub margin: MarginCheck,
    #[serde(flatten)]
    pub exit: ExitPlan,
}

impl ExitPlan {
    /// The reward/risk to `dp` decimals, rounded down: a shown figure never reads as more
    /// than it is, so a refused 1.996 is never printed as the minimum 2.0.
    pub fn reward_risk_shown(&self, dp: u32) -> Option<Decimal> {
        Some(
            self.reward_risk_decimal()?
                .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::ToZero),
        )
    }

    /// The reward/risk as a `Decimal` to six places: what the rule compares and shows.
    fn reward_risk_decimal(&self) -> Option<Decimal> {
        Some(Decimal::from_f64(self.reward_risk?)?.round_dp(6))
    }
}

/// Sizes positions with one set of rules.
#[derive(Debug, Clone, Copy)]
pub struct PositionSizer<'a> {
    pub sizing: &'a SizingRules,
    pub margin: &'a MarginRules,
    pub stops: &'a StopRules,
}

impl<'a> PositionSizer<'a> {
    pub fn new(sizing: &'a SizingRules, margin: &'a MarginRules, stops: &'a StopRules) -> Self {
        PositionSizer {
            sizing,
            margin,
            stops,
        }
    }

    /// The band allocation in percent of P for `strength`: linear from the band's `min_pct`
    /// at `from` towards `max_pct` at `to`; the top band includes its `to`; 0 outside every
    /// band. Strength above the top band counts as the top band's `to`.
    pub fn band_pct(&self, strength: f64) -> f64 {
        let bands = &self.sizing.bands;
        let top = bands.iter().map(|b| b.to).fold(f64::NEG_INFINITY, f64::max);
        let s = if strength > top { top } else { strength };
        bands
            .iter()
            .find(|b| (b.from <= s && s < b.to) || (b.to == top && s == top))
            .map_or(0.0, |b| {
                let width = b.to - b.from;
                let share = if width > 0.0 {
                    (s - b.from) / width
                } else {
                    0.0
                };
                b.min_pct + share * (b.max_pct - b.min_pct)
            })
    }

    pub fn risk_multiplier(&self, risk: RiskLevel) -> f64 {
        match risk {
            RiskLevel::Low => self.sizing.risk_multiplier_low,
            RiskLevel::Medium => self.sizing.risk_multiplier_medium,
            RiskLevel::High => self.sizing.risk_multiplier_high,
        }
    }

    pub fn exit_plan(&self, price: Decimal, range: Option<PriceRange>) -> ExitPlan {
        let stop_loss = to_price(price - pct_of(price, self.stops.loss_pct));
        let r = price - stop_loss;
        let target_exit = match range {
            Some(range) => to_price(price + range.width().max(Decimal::ZERO)),
            None => to_price(price + r + r),
        };
        let reward_risk = (r > Decimal::ZERO && range.is_some())
            .then(|| ((target_exit - price) / r).to_f64())
            .flatten();
        ExitPlan {
            stop_loss,
            target_exit,
            reward_risk,
        }
    }

    pub fn margin_check(&self, req: &SizingRequest) -> MarginCheck {
        let p = req.portfolio_value;
        let limit_room = pct_of(p, self.margin.max_used_pct) - req.margin_used;
        let strong_enough = req.strength > self.margin.min_strength;
        let conditions = [
            (!req.margin_requested, MarginCondition::NotRequested),
            (!strong_enough, MarginCondition::Strength),
            (limit_room <= Decimal::ZERO, MarginCondition::UsedLimit),
            (
                req.cash + req.extra_cash < pct_of(p, self.margin.min_cash_pct),
                MarginCondition::CashFloor,
            ),
            (req.market_in_correction, MarginCondition::MarketCorrection),
            (
                req.margin_available <= Decimal::ZERO,
                MarginCondition::NoneAvailable,
            ),
        ];
        let failed: Vec<MarginCondition> = conditions
            .iter()
            .filter(|(fails, _)| *fails)
            .map(|(_, c)| *c)
            .collect();
        let allowed = failed.is_empty();
        let room = if allowed {
            floor_cents(req.margin_available.min(limit_room))
        } else {
            Decimal::ZERO
        };
        MarginCheck {
            allowed,
            failed,
            room,
        }
    }

    pub fn size(&self, req: &SizingRequest) -> PositionSize {
        self.size_with(req, true)
    }

    /// The shares [`PositionSizer::size`] gives, without writing why none: the backtest's
    /// pre-screen asks this of ~100 candidates a decision and most are refused by the
    /// reward/risk rule, whose reason (formatted money) cost more than the sizing.
    pub fn quantity(&self, req: &SizingRequest) -> u64 {
        // The rule needs only the exit plan, and a refusal gives no shares whatever the rest
        // of the sizing says: asked first, it spares the refused ones the band's percentage
        // (a new `f64` to convert for every strength) and the margin check.
        let exit = self.exit_plan(req.price, req.range_60d);
        if self.reward_too_small(&exit, false).is_some() {
            return 0;
        }
        self.size_with(req, false).quantity
    }

    fn size_with(&self, req: &SizingRequest, reasons: bool) -> PositionSize {
        let p = req.portfolio_value;
        let target_pct = self.band_pct(req.strength) * self.risk_multiplier(req.risk);
        let target_value = computed_pct_of(p, target_pct).max(Decimal::ZERO);
        let cap_room =
            (pct_of(p, self.sizing.max_position_pct) - req.held_value).max(Decimal::ZERO);
        let reserve = pct_of(p, self.sizing.cash_reserve_pct);
        // Whole cents, rounded down: the reserve is a percentage and may end in fractions of
        // a cent, which rounding half-even could hand back to the purchase.
        let spendable = floor_cents((req.cash + req.extra_cash - reserve).max(Decimal::ZERO));
        let margin = self.margin_check(req);
        let mut size = PositionSize {
            quantity: 0,
            value: Decimal::ZERO,
            allocation_pct: 0.0,
            target_pct,
            use_margin: false,
            margin_needed: Decimal::ZERO,
            cash_needed: Decimal::ZERO,
            bound_by: BoundBy::Band,
            reason: None,
            target_value: to_cents(target_value),
            cap_room: to_cents(cap_room),
            spendable_cash: to_cents(spendable),
            margin,
            exit: self.exit_plan(req.price, req.range_60d),
        };
        if let Some((bound, reason)) = self
            .unsizeable(req)
            .or_else(|| self.reward_too_small(&size.exit, reasons))
        {
            size.bound_by = bound;
            size.reason = reasons.then_some(reason);
            return size;
        }
        let (limit, bound) = binding_limit(target_value, cap_room, spendable, size.margin.room);
        size.bound_by = bound;
        let quantity = (limit / req.price).floor().to_u64().unwrap_or(0);
        let value = Decimal::from(quantity) * req.price;
        size.quantity = quantity;
        size.value = to_cents(value);
        // Rounded up, so the cash part never exceeds `spendable`; both limits are whole
        // cents, so the loan stays within the margin room.
        size.margin_needed = (value - spendable)
            .max(Decimal::ZERO)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero);
        size.margin_needed.rescale(2);
        size.cash_needed = to_cents(value) - size.margin_needed;
        size.use_margin = size.margin_needed > Decimal::ZERO;
        size.allocation_pct = (value / p * Decimal::ONE_HUNDRED).to_f64().unwrap_or(0.0);
        if quantity == 0 && reasons {
            size.reason = Some(zero_reason(req.price, limit, bound));
        }
        size
    }

    /// The reward/risk rule: a buy whose known reward/risk is under `min_reward_risk` (0
    /// turns the rule off) gets no shares. Compared in `Decimal`, so 2.00 passes at 2.
    /// `reasons`: write the reason (else it is left empty).
    fn reward_too_small(&self, exit: &ExitPlan, reasons: bool) -> Option<(BoundBy, String)> {
        let minimum = rule_decimal(self.sizing.min_reward_risk, 4)?;
        let under = minimum > Decimal::ZERO && under_minimum(exit.reward_risk?, minimum)?;
        under.then(|| {
            if !reasons {
                return (BoundBy::RewardRisk, String::new());
            }
            let shown = exit.reward_risk_shown(2).unwrap_or_default();
            (
                BoundBy::RewardRisk,
                format!(
                    "reward/risk {shown:.2} is under {}: target {} against stop {}",
                    minimum.normalize(),
                    price(to_cents(exit.target_exit)),
                    price(to_cents(exit.stop_loss))
                ),
            )
        })
    }

    /// Inputs that leave nothing to size, with the reason.
    fn unsizeable(&self, req: &SizingRequest) -> Option<(BoundBy, String)> {
        if req.price <= Decimal::ZERO {
            return Some((
                BoundBy::BadPrice,
                format!("price {} is not positive", req.price),
            ));
        }
        if req.portfolio_value <= Decimal::ZERO {
            return Some((
                BoundBy::NoEquity,
                format!(
                    "portfolio value {} is not positive",
                    money(req.portfolio_value)
                ),
            ));
        }
        if self.band_pct(req.strength) <= 0.0 {
            let lowest = self
                .sizing
                .bands
                .iter()
                .map(|b| b.from)
                .fold(f64::INFINITY, f64::min);
            return Some((
                BoundBy::WatchOnly,
                format!(
                    "strength {:.0} is below {lowest:.0}: watch only",
                    req.strength
                ),
            ));
        }
        None
    }
}

/// Money rounded down to whole cents (for limits: never more than allowed).
fn floor_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
}

/// The amount that may be spent and the rule that set it.
fn binding_limit(
    target_value: Decimal,
    cap_room: Decimal,
    spendable: Decimal,
    margin_room: Decimal,
) -> (Decimal, BoundBy) {
    let (wanted, bound) = if cap_room < target_value {
        (cap_room, BoundBy::Cap)
    } else {
        (target_value, BoundBy::Band)
    };
    if wanted <= spendable {
        return (wanted, bound);
    }
    if margin_room <= Decimal::ZERO {
        return (spendable, BoundBy::Cash);
    }
    let with_margin = spendable + margin_room;
    if with_margin < wanted {
        (with_margin, BoundBy::Margin)
    } else {
        (wanted, bound)
    }
}

fn zero_reason(share_price: Decimal, limit: Decimal, bound: BoundBy) -> String {
    if limit <= Decimal::ZERO {
        return match bound {
            BoundBy::Cap => "the existing holding already fills the per-stock cap".to_string(),
            _ => "no cash above the reserve".to_string(),
        };
    }
    format!(
        "one share at {} costs more than the {} allowed by the {}",
        price(share_price),
        money(limit),
        bound.label()
    )
}

#[cfg(test)]
#[path = "sizer_tests.rs"]
mod tests;
