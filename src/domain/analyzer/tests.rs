//! End-to-end tests of `analyze` on the hand-made market of `scenario.rs`.

use std::collections::BTreeMap;

use rust_decimal_macros::dec;

use super::fixtures::{daily, date, rules, scripted, sym};
use super::scenario::*;
use super::*;
use crate::domain::risk::RiskLevel;
use crate::domain::sizer::BoundBy;

fn symbols<T>(items: &[T], symbol: fn(&T) -> &Symbol) -> Vec<&str> {
    items.iter().map(|x| symbol(x).as_str()).collect()
}

#[test]
fn morning_rows_and_screens() {
    let a = run(CheckMode::Morning);
    let totals = (a.account.portfolio_value, a.account.positions_value);
    assert_eq!(totals, (dec!(10000), dec!(2624)));
    assert_eq!(a.market_regime, Some(Regime::Bull));
    let strengths: Vec<Option<f64>> = a.holdings.iter().map(|h| h.strength).collect();
    assert_eq!(strengths, [Some(25.0), Some(85.0), Some(70.0), None]);
    // GOOD: 1 080 / 10 000.
    assert_eq!(a.holdings[1].weight_pct, Some(10.8));
    // Only WEAK is a morning underperformer: alpha −8 < −5 and strength 25 < 40.
    assert_eq!(symbols(&a.underperformers, |u| &u.symbol), ["WEAK"]);
    let weak = &a.underperformers[0];
    assert_eq!(weak.reason, "alpha -8.0 pp < -5; strength 25 < 40");
    assert_eq!(weak.action, FlagAction::Review);
    // Opportunities: STAR 90 then NICE 85; GOOD is held, MEH is 55, GHOST has no data.
    assert_eq!(symbols(&a.opportunities, |o| &o.symbol), ["STAR", "NICE"]);
    let risks: Vec<RiskLevel> = a.opportunities.iter().map(|o| o.risk_level).collect();
    assert_eq!(risks, [RiskLevel::Medium, RiskLevel::Low]);
}

#[test]
fn morning_swap_counts_the_proceeds() {
    let a = run(CheckMode::Morning);
    // Swap WEAK (25) → STAR (90): +65 points. Cash 7 376 + proceeds 950 − reserve 2 000 =
    // 6 326 spendable; STAR wants 17.5 % × 1.0 of 10 000 = 1 750 → 39 × 44.4 = 1 731.6.
    assert_eq!(a.swaps.len(), 1);
    let swap = &a.swaps[0];
    assert_eq!(
        (swap.reduce.symbol.as_str(), swap.increase.symbol.as_str()),
        ("WEAK", "STAR")
    );
    assert_eq!(
        (swap.improvement_points, swap.risk_level),
        (65.0, RiskLevel::Medium)
    );
    assert_eq!(
        (swap.reduce.quantity, swap.reduce.value),
        (dec!(10), dec!(950))
    );
    let size = (swap.size.quantity, swap.size.value, swap.size.bound_by);
    assert_eq!(size, (39, dec!(1731.6), BoundBy::Band));
    assert_eq!(
        swap.increase.reason,
        "strength 90 (very strong), alpha +8.0 pp"
    );
}

#[test]
fn morning_game_plan() {
    let a = run(CheckMode::Morning);
    // After the swap: cash 7 376 + 950 − 1 731.6 = 6 594.4 (4 594.4 above the reserve).
    // NICE 85 → 15 + 5 × 5/20 = 16.25 % × LOW 1.2 = 19.5 % = 1 950 → 61 × 31.5 = 1 921.5.
    let actions: Vec<&PlanAction> = a.game_plan.iter().map(|s| &s.action).collect();
    assert_eq!(actions.len(), 2, "WEAK's stops are left to the swap");
    let swap_quantity = match actions[0] {
        PlanAction::Swap {
            increase_quantity, ..
        } => *increase_quantity,
        other => panic!("{other:?}"),
    };
    assert_eq!(swap_quantity, 39);
    let buy = match actions[1] {
        PlanAction::Buy {
            symbol,
            quantity,
            value,
            ..
        } => (symbol.as_str(), *quantity, *value),
        other => panic!("{other:?}"),
    };
    assert_eq!(buy, ("NICE", 61, dec!(1921.5)));
    assert_eq!(
        a.game_plan[0].text,
        "Swap: sell 10 WEAK ($950.00), buy 39 STAR at $44.40 ($1,731.60, 17.3% of portfolio, \
         R/R 1.2) — expected improvement +65 points"
    );
}

#[test]
fn morning_health_and_missing_data() {
    let a = run(CheckMode::Morning);
    // Alphas −8, +5, −4 → avg −2.33 (0 points); strengths 25, 85, 70 → avg 60, not above
    // 60 (+10); 2 of 3 negative = 66.7 % (−10). 50 + 0 + 10 − 10 = 50 → F.
    let h = &a.health;
    assert_eq!(
        (h.score, h.grade, h.avg_strength),
        (Some(50.0), Some(Grade::F), Some(60.0))
    );
    assert!((h.avg_alpha.unwrap() + 7.0 / 3.0).abs() < 1e-9);
    let kinds: Vec<IssueKind> = h.issues.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            IssueKind::FewPositions,
            IssueKind::StopHit,
            IssueKind::MissingData
        ]
    );
    assert_eq!(h.issues[1].message, "WEAK: time stop, portfolio stop");
    let missing: Vec<(&str, DataRole)> = a
        .missing_data
        .iter()
        .map(|m| (m.symbol.as_str(), m.role))
        .collect();
    assert_eq!(
        missing,
        [
            ("LOST", DataRole::Holding),
            ("GHOST", DataRole::Watchlist),
            ("QQQ", DataRole::Market)
        ]
    );
    assert_eq!(
        a.holdings[3].note.as_deref(),
        Some("no price data on or before the as-of date")
    );
}

#[test]
fn intraday_uses_the_tighter_screens_and_no_swaps() {
    let a = run(CheckMode::Intraday);
    // MID's alpha −4 is under −3: flagged intraday only. Worst alpha first.
    let under: Vec<&str> = a
        .underperformers
        .iter()
        .map(|u| u.symbol.as_str())
        .collect();
    assert_eq!(under, ["WEAK", "MID"]);
    assert_eq!(a.underperformers[1].reason, "alpha -4.0 pp < -3");
    assert!(a.swaps.is_empty());
    // No swap takes WEAK, so its soft stops ask for a review; both opportunities are buys:
    // STAR 39 (spendable 5 376), then NICE 61 (5 644.4 − 2 000 = 3 644.4 left).
    let plan: Vec<String> = a
        .game_plan
        .iter()
        .map(|s| serde_json::to_value(&s.action).unwrap()["action"].to_string())
        .collect();
    assert_eq!(plan, ["\"review\"", "\"buy\"", "\"buy\""]);
    assert!(a.game_plan[0]
        .text
        .starts_with("Review WEAK — time stop: strength 25 under 50"));
    // Stop 44.4 × 0.92 = 40.848; the 60-day range 40–44.4 → target 44.4 + 4.4 = 48.8, R/R
    // 4.4 / 3.552 = 1.24 (the fixture turns the minimum off).
    assert_eq!(
        a.game_plan[1].text,
        "Buy 39 STAR at $44.40 ($1,731.60, 17.3% of portfolio) — strength 90, stop $40.85, \
         target $48.80, R/R 1.2"
    );
}

#[test]
fn benchmark_return_uses_the_holdings_own_dates() {
    // SPY closes 100 + k on day k from 02-01: 02-18 → 117, 03-01 → 128, 03-20 → 147,
    // 03-31 → 158. STALE's last bar is 03-20, its base 02-18: 100 → 105 (+5 %).
    // SPY over 02-18 → 03-20: 147 / 117 − 1 = 25.64 %, not its own 03-01 → 03-31 23.44 %.
    let as_of = date(2026, 3, 31);
    let spy_closes: Vec<f64> = (0..59).map(|k| 100.0 + f64::from(k)).collect();
    let market = MarketSnapshot {
        as_of,
        series: BTreeMap::from([
            (sym("SPY"), daily(as_of, &spy_closes)),
            (
                sym("STALE"),
                daily(date(2026, 3, 20), &closes(100.0, 105.0)),
            ),
        ]),
        splits_after: Default::default(),
    };
    let a = analyze(
        &[holding("STALE", dec!(1), dec!(100))],
        &[],
        None,
        &market,
        &rules(),
        CheckMode::Morning,
    );
    let row = &a.holdings[0];
    assert_eq!(
        (row.price_date, row.lookback_from),
        (Some(date(2026, 3, 20)), Some(date(2026, 2, 18)))
    );
    let spy_return = (147.0 / 117.0 - 1.0) * 100.0;
    assert!((row.benchmark_return_pct.unwrap() - spy_return).abs() < 1e-9);
    assert!((row.alpha.unwrap() - (5.0 - spy_return)).abs() < 1e-9);
}

#[test]
fn no_holdings_no_account_is_not_an_error() {
    let a = analyze(&[], &[], None, &market(), &rules(), CheckMode::Morning);
    assert!(a.holdings.is_empty() && a.underperformers.is_empty() && a.swaps.is_empty());
    assert_eq!((a.health.score, a.account.portfolio_value), (None, dec!(0)));
    let kinds: Vec<IssueKind> = a.health.issues.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [IssueKind::NoPositions, IssueKind::NoAccount]);
    assert_eq!(a.game_plan.len(), 1);
    assert_eq!(
        (&a.game_plan[0].action, a.game_plan[0].text.as_str()),
        (&PlanAction::Hold, "Hold: no changes needed")
    );
    // Market direction still works; no SPY at all is reported, not a crash.
    assert_eq!(a.market[0].symbol.as_str(), "SPY");
    let empty = MarketSnapshot {
        as_of: date(2026, 3, 31),
        series: BTreeMap::new(),
        splits_after: Default::default(),
    };
    let b = analyze(&holdings(), &[], None, &empty, &rules(), CheckMode::Morning);
    assert!(b.market.is_empty() && b.market_regime.is_none());
    assert!(b.missing_data.iter().any(|m| m.role == DataRole::Benchmark));
    assert_eq!(b.health.score, None);
}

#[test]
fn margin_only_when_enabled_and_the_market_is_not_in_correction() {
    // Enabled, SPY BULL: 39 × 44.4 = 1 731.6, of which 1 000 cash and 731.6 margin.
    let bull = margin_run(206.0, true);
    let size = &bull.opportunities[0].size;
    assert_eq!(
        (size.quantity, size.use_margin, size.margin_needed),
        (39, true, dec!(731.6))
    );
    assert!(matches!(
        bull.game_plan[0].action,
        PlanAction::Buy {
            quantity: 39,
            use_margin: true,
            ..
        }
    ));
    // SPY 170 is 17.5 % under its high: CORRECTION → cash only: 1 000 / 44.4 → 22 shares.
    let correction = margin_run(170.0, true);
    assert_eq!(correction.market_regime, Some(Regime::Correction));
    let size = &correction.opportunities[0].size;
    assert_eq!(
        (size.quantity, size.use_margin, size.bound_by),
        (22, false, BoundBy::Cash)
    );
    // Disabled in config: cash only as well.
    assert_eq!(margin_run(206.0, false).opportunities[0].size.quantity, 22);
}

/// `keys` separated by spaces.
fn assert_keys(value: &serde_json::Value, path: &str, keys: &str) {
    for key in keys.split_whitespace() {
        assert!(value.get(key).is_some(), "{path}.{key} is missing");
    }
}

#[test]
fn json_keeps_the_documented_keys() {
    let json = serde_json::to_value(run(CheckMode::Morning)).unwrap();
    assert_eq!(json["as_of"], "2026-03-31");
    let account = "cash portfolio_value total_value margin_used margin_pct margin_risk";
    assert_keys(&json["account"], "account", account);
    let health = "score grade avg_alpha avg_strength terms issues";
    assert_keys(&json["health"], "health", health);
    let holding = "symbol quantity price value weight_pct lookback_return_pct \
        benchmark_return_pct alpha rsi_14 macd_hist trend strength strength_complete \
        risk_level alerts";
    assert_keys(&json["holdings"][0], "holdings[]", holding);
    let under = "symbol alpha strength reason";
    assert_keys(&json["underperformers"][0], "underperformers[]", under);
    let opportunity = "symbol price strength alpha";
    assert_keys(&json["opportunities"][0], "opportunities[]", opportunity);
    let swap = &json["swaps"][0];
    let swap_keys = "reduce increase improvement_points risk_level size";
    assert_keys(swap, "swaps[]", swap_keys);
    let reduce = "symbol quantity value strength reason";
    assert_keys(&swap["reduce"], "swaps[].reduce", reduce);
    let increase = "symbol price strength reason";
    assert_keys(&swap["increase"], "swaps[].increase", increase);
    let size = "quantity value allocation_pct use_margin margin_needed bound_by";
    assert_keys(&swap["size"], "swaps[].size", size);
    assert_keys(&json["market"][0], "market[]", "symbol regime");
    assert!(json["game_plan"].is_array());
}

#[test]
fn json_values_money_as_strings() {
    let json = serde_json::to_value(run(CheckMode::Morning)).unwrap();
    // Money is an exact decimal string; ratios and percentages are numbers.
    assert_eq!(json["account"]["cash"], "7376.00");
    assert_eq!(json["account"]["portfolio_value"], "10000.00");
    assert_eq!(json["holdings"][0]["value"], "950.00");
    assert_eq!(json["holdings"][0]["trend"], "DOWN");
    assert_eq!(json["holdings"][1]["weight_pct"], 10.8);
    assert_eq!(json["health"]["grade"], "F");
    assert_eq!(json["swaps"][0]["improvement_points"], 65.0);
    assert_eq!(json["swaps"][0]["risk_level"], "MEDIUM");
    assert_eq!(json["swaps"][0]["size"]["value"], "1731.60");
    assert_eq!(json["swaps"][0]["size"]["bound_by"], "band");
    assert_eq!(json["market"][0]["regime"], "BULL");
    assert_eq!(json["game_plan"][1]["action"], "buy");
    assert_eq!(json["game_plan"][1]["symbol"], "NICE");
}

#[test]
fn a_hard_stop_comes_first_as_a_sell() {
    // GOOD bought at 60 now 54: −10 % ≤ −8 % → percentage stop → SELL all 20 first. Its
    // proceeds are not spent by later steps: the swap and the NICE buy are unchanged.
    let mut held = holdings();
    held[1].avg_cost = dec!(60);
    let account = balance(dec!(7376));
    let a = analyze(
        &held,
        &watchlist(),
        Some(&account),
        &market(),
        &rules(),
        CheckMode::Morning,
    );
    let first = &a.game_plan[0];
    let expected = PlanAction::Sell {
        symbol: sym("GOOD"),
        quantity: dec!(20),
        stops: vec![StopKind::Percentage],
    };
    assert_eq!(first.action, expected);
    assert_eq!(
        first.text,
        "Sell 20 GOOD — percentage stop: down 10.0 % from cost 60 (stop at 8 %)"
    );
    assert_eq!(a.game_plan.len(), 3);
    assert!(matches!(
        a.game_plan[2].action,
        PlanAction::Buy { quantity: 61, .. }
    ));
}

#[test]
fn a_buy_under_the_reward_risk_minimum_gets_no_shares_and_the_swap_takes_the_next() {
    // WIDE is STAR with a dip to 30 on 03-02: the same strength 90 and alpha +8, a wider range.
    let mut m = market();
    let mut wide = closes(40.0, 44.4);
    wide[1] = 30.0;
    m.series.insert(
        sym("WIDE"),
        scripted(m.as_of, &wide, super::fixtures::row(0.5, true, 40.0)),
    );
    let mut r = rules();
    r.sizing.min_reward_risk = 2.0;
    let mut watching = watchlist();
    watching.push(watch("WIDE"));
    let account = balance(dec!(7376));
    let a = analyze(
        &holdings(),
        &watching,
        Some(&account),
        &m,
        &r,
        CheckMode::Morning,
    );
    assert_eq!(
        symbols(&a.opportunities, |o| &o.symbol),
        ["STAR", "WIDE", "NICE"]
    );
    // STAR: stop 44.4 × 0.92 = 40.848, R = 3.552; range 40–44.4 = 4.4 → target 48.8 and
    // R/R 4.4 / 3.552 = 1.2387 < 2: no shares, and the reason says so.
    let star = &a.opportunities[0].size;
    assert_eq!((star.quantity, star.bound_by), (0, BoundBy::RewardRisk));
    assert_eq!(
        star.reason.as_deref(),
        Some("reward/risk 1.23 is under 2: target $48.80 against stop $40.85")
    );
    // NICE: range 30–31.5 = 1.5 over R = 31.5 × 8 % = 2.52 → 0.595: refused too.
    assert_eq!(a.opportunities[2].size.bound_by, BoundBy::RewardRisk);
    // WIDE: range 30–44.4 = 14.4 → target 58.8, R/R 14.4 / 3.552 = 4.054 (shown rounded
    // down, 4.0). The swap takes it,
    // sized as STAR was: 17.5 % of 10 000 = 1 750 → 39 × 44.4 = 1 731.6.
    assert_eq!(a.swaps.len(), 1);
    let swap = &a.swaps[0];
    assert_eq!(
        (swap.reduce.symbol.as_str(), swap.increase.symbol.as_str()),
        ("WEAK", "WIDE")
    );
    assert_eq!(
        (
            swap.size.quantity,
            swap.size.value,
            swap.size.exit.target_exit
        ),
        (39, dec!(1731.6), dec!(58.8))
    );
    assert_eq!(
        a.game_plan[0].text,
        "Swap: sell 10 WEAK ($950.00), buy 39 WIDE at $44.40 ($1,731.60, 17.3% of portfolio, \
         R/R 4.0) — expected improvement +65 points"
    );
    // Neither refused name is bought with the spare cash either.
    assert!(a
        .game_plan
        .iter()
        .all(|step| !matches!(step.action, PlanAction::Buy { .. })));
}

/// The backtest's analysis is the morning check's without its swaps and game plan: the
/// same rows, account, regime, underperformers and opportunities (serialized, every field),
/// on the scenario where the full check has a swap (WEAK → STAR) and a plan.
#[test]
fn the_decisions_analysis_is_the_full_one_without_swaps_and_plan() {
    let account = balance(dec!(7376));
    let full = run(CheckMode::Morning);
    let decisions = analyze_for_decisions(
        &holdings(),
        &watchlist(),
        Some(&account),
        &market(),
        &rules(),
        CheckMode::Morning,
    );
    assert_eq!((full.swaps.len(), full.game_plan.is_empty()), (1, false));
    assert!(decisions.swaps.is_empty() && decisions.game_plan.is_empty());
    let json = |a: &Analysis| {
        let mut v = serde_json::to_value(a).unwrap();
        let map = v.as_object_mut().unwrap();
        map.remove("swaps");
        map.remove("game_plan");
        v
    };
    assert_eq!(json(&decisions), json(&full));
}
