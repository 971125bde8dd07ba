//! The intraday glance's plan (the brief's 3 PM check): are the morning's buy signals still
//! valid, which buys are new since the morning, and the final decision before the close.
//!
//! - A morning BUY is **still valid** when it was not taken, its symbol has a bar on the
//!   as-of day, the price is above its stop and its strength now is at least
//!   `screens.opportunity_min_strength`; otherwise the plan says why not.
//! - **New buy signals** are the intraday opportunities (a bar on the day, strength ≥ the
//!   minimum, not held) with no morning BUY for the symbol that day. Their share counts are
//!   the game plan's, sized one after the other from one budget (strongest first): together
//!   they never spend more than the spendable cash, and a buy the cash no longer reaches
//!   shows 0 shares and is not in the final decision.
//! - The **final decision** lists, in this order: sells for hard stops, still-valid morning
//!   buys, new buys with their size, reviews of flagged positions; or "HOLD" when empty.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{series, Analysis, AnalysisRules, MarketSnapshot, PlanAction};
use crate::domain::journal::{SignalRecord, SignalType};
use crate::domain::portfolio::to_cents;
use crate::domain::sizer::ExitPlan;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MorningBuyCheck {
    pub signal_id: Option<i64>,
    pub symbol: Symbol,
    pub price_at_signal: Option<Decimal>,
    pub price_now: Option<Decimal>,
    pub strength_now: Option<f64>,
    pub valid: bool,
    /// Why it is (or is no longer) valid, one line.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewBuy {
    pub symbol: Symbol,
    pub price: Decimal,
    pub strength: f64,
    pub strength_complete: bool,
    pub quantity: u64,
    /// The entry's stop, target and reward/risk; a buy under the minimum gets 0 shares.
    pub exit: ExitPlan,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntradayPlan {
    pub morning_buys: Vec<MorningBuyCheck>,
    pub new_buys: Vec<NewBuy>,
    /// The ordered actions before the close; one "HOLD …" line when there is none.
    pub final_decision: Vec<String>,
}

/// The plan for `a` (an intraday analysis) given the day's morning BUY signals.
pub fn intraday_plan(
    a: &Analysis,
    morning: &[SignalRecord],
    market: &MarketSnapshot,
    rules: &AnalysisRules,
) -> IntradayPlan {
    let buys: Vec<&SignalRecord> = morning
        .iter()
        .filter(|s| s.signal_type == SignalType::Buy && s.signal_date == a.as_of)
        .collect();
    let morning_buys: Vec<MorningBuyCheck> = buys
        .iter()
        .map(|s| check_morning_buy(s, market, rules))
        .collect();
    let signalled: BTreeSet<&Symbol> = buys.iter().map(|s| &s.symbol).collect();
    let budgeted = |symbol: &Symbol| {
        a.game_plan.iter().find_map(|step| match &step.action {
            PlanAction::Buy {
                symbol: s,
                quantity,
                ..
            } if s == symbol => Some(*quantity),
            _ => None,
        })
    };
    let new_buys: Vec<NewBuy> = a
        .opportunities
        .iter()
        .filter(|o| !signalled.contains(&o.symbol))
        .map(|o| NewBuy {
            symbol: o.symbol.clone(),
            price: o.price,
            strength: o.strength,
            strength_complete: o.strength_complete,
            quantity: budgeted(&o.symbol).unwrap_or(0),
            exit: o.size.exit,
        })
        .collect();
    let final_decision = decide(a, &morning_buys, &new_buys);
    IntradayPlan {
        morning_buys,
        new_buys,
        final_decision,
    }
}

fn check_morning_buy(
    s: &SignalRecord,
    market: &MarketSnapshot,
    rules: &AnalysisRules,
) -> MorningBuyCheck {
    let facts = market
        .series
        .get(&s.symbol)
        .and_then(|series| series::facts(series, market.as_of, rules))
        .filter(|f| f.date >= market.as_of);
    let mut check = MorningBuyCheck {
        signal_id: s.id,
        symbol: s.symbol.clone(),
        price_at_signal: s.price_at_signal,
        price_now: facts.as_ref().map(|f| f.price),
        strength_now: facts.as_ref().map(|f| f.strength.score),
        valid: false,
        why: String::new(),
    };
    let min = rules.screens.opportunity_min_strength;
    check.why = match facts {
        _ if s.action_taken => "taken already".into(),
        None => format!("no {} bar on {}", s.symbol, market.as_of),
        Some(f) if s.stop_loss.is_some_and(|stop| f.price <= stop) => format!(
            "price {} at or below its stop {}",
            to_cents(f.price),
            to_cents(s.stop_loss.unwrap_or_default())
        ),
        Some(f) if f.strength.score < min => {
            format!("strength fell to {} (< {min})", f.strength)
        }
        Some(f) => {
            check.valid = true;
            format!(
                "still valid: strength {}, price {}",
                f.strength,
                to_cents(f.price)
            )
        }
    };
    check
}

fn decide(a: &Analysis, morning: &[MorningBuyCheck], new: &[NewBuy]) -> Vec<String> {
    let mut steps = Vec::new();
    for h in a.holdings.iter().filter(|h| h.has_hard_stop()) {
        let why: Vec<&str> = h
            .alerts
            .iter()
            .filter(|x| x.kind.is_hard())
            .map(|x| x.message.as_str())
            .collect();
        steps.push(format!(
            "SELL {} {}: {}",
            h.quantity,
            h.symbol,
            why.join("; ")
        ));
    }
    for m in morning.iter().filter(|m| m.valid) {
        steps.push(format!("BUY {}: morning signal {}", m.symbol, m.why));
    }
    for n in new.iter().filter(|n| n.quantity > 0) {
        let mark = if n.strength_complete { "" } else { "?" };
        steps.push(format!(
            "BUY {} {} at {}: new intraday signal, strength {:.0}{mark}",
            n.quantity,
            n.symbol,
            to_cents(n.price),
            n.strength
        ));
    }
    let sold: BTreeSet<&Symbol> = a
        .holdings
        .iter()
        .filter(|h| h.has_hard_stop())
        .map(|h| &h.symbol)
        .collect();
    for u in a
        .underperformers
        .iter()
        .filter(|u| !sold.contains(&u.symbol))
    {
        steps.push(format!("REVIEW {}: {}", u.symbol, u.reason));
    }
    if steps.is_empty() {
        steps.push("HOLD: no trade before the close".into());
    }
    steps
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::super::fixtures::{date, rules, sym};
    use super::super::scenario::{market, run};
    use super::super::CheckMode;
    use super::*;

    fn morning_buy(symbol: &str, stop: Option<Decimal>) -> SignalRecord {
        let time = date(2026, 3, 31).and_hms_opt(9, 30, 0).unwrap();
        let mut s = SignalRecord::new(time, sym(symbol), SignalType::Buy, "morning_check");
        s.stop_loss = stop;
        s
    }

    #[test]
    fn morning_buys_are_checked_and_the_final_decision_is_ordered() {
        let a = run(CheckMode::Intraday);
        let morning = [
            morning_buy("STAR", Some(dec!(40))),
            morning_buy("MEH", None),
            morning_buy("GHOST", None),
        ];
        let plan = intraday_plan(&a, &morning, &market(), &rules());
        let why: Vec<(&str, bool, &str)> = plan
            .morning_buys
            .iter()
            .map(|m| (m.symbol.as_str(), m.valid, m.why.as_str()))
            .collect();
        // STAR: 44.4 above its stop 40, strength 90. MEH: 55 < 60. GHOST: no data.
        assert_eq!(
            why,
            [
                ("STAR", true, "still valid: strength 90, price 44.40"),
                ("MEH", false, "strength fell to 55 (< 60)"),
                ("GHOST", false, "no GHOST bar on 2026-03-31"),
            ]
        );
        // NICE is an opportunity without a morning signal: a new buy.
        let new: Vec<&str> = plan.new_buys.iter().map(|n| n.symbol.as_str()).collect();
        assert_eq!(new, ["NICE"]);
        // No hard stop in this market: the valid morning buy, the new buy (NICE 85, LOW:
        // 19.5 % of 10 000 = 1 950 → 61 shares), then WEAK and MID to review.
        assert_eq!(
            plan.final_decision,
            [
                "BUY STAR: morning signal still valid: strength 90, price 44.40",
                "BUY 61 NICE at 31.50: new intraday signal, strength 85",
                "REVIEW WEAK: alpha -8.0 pp < -3; strength 25 < 45",
                "REVIEW MID: alpha -4.0 pp < -3",
            ]
        );
    }

    #[test]
    fn a_hard_stop_is_sold_before_anything_is_bought() {
        // WEAK bought at 110: 95 is 13.6 % down, past the 8 % stop.
        let mut a = run(CheckMode::Intraday);
        let weak = a
            .holdings
            .iter_mut()
            .find(|h| h.symbol.as_str() == "WEAK")
            .unwrap();
        weak.alerts.push(super::super::StopAlert {
            kind: super::super::StopKind::Percentage,
            message: "down 13.6 % from cost 110 (stop at 8 %)".into(),
        });
        let plan = intraday_plan(&a, &[], &market(), &rules());
        assert_eq!(
            plan.final_decision[0],
            "SELL 10 WEAK: down 13.6 % from cost 110 (stop at 8 %)"
        );
        assert!(plan
            .final_decision
            .iter()
            .all(|s| !s.starts_with("REVIEW WEAK")));
    }

    #[test]
    fn a_morning_buy_under_its_stop_is_no_longer_valid_and_nothing_to_do_is_hold() {
        let a = run(CheckMode::Intraday);
        let plan = intraday_plan(
            &a,
            &[morning_buy("NICE", Some(dec!(32)))],
            &market(),
            &rules(),
        );
        assert_eq!(
            plan.morning_buys[0].why,
            "price 31.50 at or below its stop 32.00"
        );
        let empty = Analysis {
            holdings: Vec::new(),
            underperformers: Vec::new(),
            opportunities: Vec::new(),
            ..a
        };
        let plan = intraday_plan(&empty, &[], &market(), &rules());
        assert_eq!(plan.final_decision, ["HOLD: no trade before the close"]);
    }
}
