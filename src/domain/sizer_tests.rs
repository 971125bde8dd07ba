//! Tests of `sizer.rs`.

use super::*;
use crate::domain::analyzer::fixtures::rules;
use crate::domain::analyzer::AnalysisRules;
use crate::domain::bar::PriceRange;
use proptest::prelude::*;
use rust_decimal_macros::dec;

fn size_with(r: &AnalysisRules, req: &SizingRequest) -> PositionSize {
    PositionSizer::new(&r.sizing, &r.margin, &r.stops).size(req)
}

fn size(req: &SizingRequest) -> PositionSize {
    size_with(&rules(), req)
}

/// P = 100 000 all in cash: reserve 20 000, spendable 80 000, cap 25 000; price 100.
fn rich(strength: f64, risk: RiskLevel) -> SizingRequest {
    SizingRequest::new(dec!(100), strength, risk, dec!(100000), dec!(100000))
}

/// P = 100 000 with cash 30 000 (exactly the 30 % margin floor), positions 70 000:
/// spendable 30 000 − 20 000 = 10 000. Strength 80 wants 15 % = 15 000, so 5 000 must
/// come from margin; 50 000 available, margin limit 25 % = 25 000. Every condition holds.
fn margin_case() -> SizingRequest {
    SizingRequest {
        margin_available: dec!(50000),
        margin_requested: true,
        ..SizingRequest::new(
            dec!(100),
            80.0,
            RiskLevel::Medium,
            dec!(100000),
            dec!(30000),
        )
    }
}

#[test]
fn band_edges_are_linear_inside_each_band() {
    // (strength, band %): 100 000 × % / 100 at price 100 gives % × 10 shares.
    let cases = [
        (100.0, 20.0, 200),
        (90.0, 17.5, 175),
        (80.0, 15.0, 150),
        (79.0, 14.5, 145), // 10 + 9/10 × 5
        (75.0, 12.5, 125),
        (70.0, 10.0, 100),
        (65.0, 7.5, 75),
        (60.0, 5.0, 50),
        (55.0, 4.0, 40),
        (50.0, 3.0, 30),
    ];
    for (strength, pct, shares) in cases {
        let s = size(&rich(strength, RiskLevel::Medium));
        assert_eq!(s.target_pct, pct, "strength {strength}");
        assert_eq!(
            (s.quantity, s.bound_by),
            (shares, BoundBy::Band),
            "strength {strength}"
        );
        assert_eq!(s.value, Decimal::from(shares) * dec!(100));
        assert_eq!(s.allocation_pct, pct);
        assert_eq!(s.reason, None);
    }
}

#[test]
fn below_fifty_is_watch_only() {
    let s = size(&rich(49.0, RiskLevel::Low));
    assert_eq!((s.quantity, s.bound_by), (0, BoundBy::WatchOnly));
    assert_eq!(
        s.reason.as_deref(),
        Some("strength 49 is below 50: watch only")
    );
    assert_eq!(s.value, Decimal::ZERO);
}

#[test]
fn risk_multipliers_scale_the_band() {
    // Strength 80 → 15 %: LOW 15 × 1.2 = 18 % → 180; MEDIUM 15 % → 150; HIGH 15 × 0.7 = 10.5 % → 105.
    let shares = |risk| size(&rich(80.0, risk)).quantity;
    assert_eq!(shares(RiskLevel::Low), 180);
    assert_eq!(shares(RiskLevel::Medium), 150);
    assert_eq!(shares(RiskLevel::High), 105);
    // Strength 100 LOW: 20 × 1.2 = 24 % = 24 000 < cap 25 000 → 240, still the band.
    let top = size(&rich(100.0, RiskLevel::Low));
    assert_eq!((top.quantity, top.bound_by), (240, BoundBy::Band));
}

#[test]
fn the_worked_example_from_the_brief() {
    // P = 6 000 + 10×100 − 0 = 7 000; band 75 → 12.5 % × MEDIUM 1.0 = 875 → 8 shares at 100.
    // Spendable 6 000 − 20 % × 7 000 = 4 600; cap 25 % = 1 750. The band binds.
    let p = portfolio_value(dec!(6000), dec!(1000), dec!(0));
    assert_eq!(p, dec!(7000));
    let req = SizingRequest::new(dec!(100), 75.0, RiskLevel::Medium, p, dec!(6000));
    let s = size(&req);
    assert_eq!(
        (s.quantity, s.value, s.bound_by),
        (8, dec!(800), BoundBy::Band)
    );
    assert_eq!(
        (s.target_value, s.cap_room, s.spendable_cash),
        (dec!(875), dec!(1750), dec!(4600))
    );
    // 800 / 7 000 = 11.43 % of P.
    assert!((s.allocation_pct - 11.428571).abs() < 1e-6);
    // The 10 shares held are this symbol: cap room 1 750 − 1 000 = 750 < 875 → 7 shares.
    let held = size(&SizingRequest {
        held_value: dec!(1000),
        ..req
    });
    assert_eq!((held.quantity, held.bound_by), (7, BoundBy::Cap));
}

#[test]
fn cap_binds_counting_the_holding() {
    // Strength 90 LOW: 17.5 × 1.2 = 21 % = 21 000; held 20 000 leaves 5 000 → 50 shares.
    let req = SizingRequest {
        held_value: dec!(20000),
        ..rich(90.0, RiskLevel::Low)
    };
    let s = size(&req);
    assert_eq!(
        (s.quantity, s.bound_by, s.cap_room),
        (50, BoundBy::Cap, dec!(5000))
    );
    // Held 26 000 already exceeds the 25 000 cap: nothing more.
    let full = size(&SizingRequest {
        held_value: dec!(26000),
        ..req
    });
    assert_eq!((full.quantity, full.bound_by), (0, BoundBy::Cap));
    assert_eq!(
        full.reason.as_deref(),
        Some("the existing holding already fills the per-stock cap")
    );
    // With a 20 % cap, strength 100 LOW wants 24 000 but may have 20 000 → 200.
    let mut r = rules();
    r.sizing.max_position_pct = 20.0;
    let capped = size_with(&r, &rich(100.0, RiskLevel::Low));
    assert_eq!((capped.quantity, capped.bound_by), (200, BoundBy::Cap));
}

#[test]
fn cash_binds_above_the_reserve() {
    // P 100 000, cash 30 000: spendable 30 000 − 20 000 = 10 000 < 15 000 wanted → 100.
    let req = SizingRequest::new(
        dec!(100),
        80.0,
        RiskLevel::Medium,
        dec!(100000),
        dec!(30000),
    );
    let s = size(&req);
    assert_eq!(
        (s.quantity, s.bound_by, s.cash_needed),
        (100, BoundBy::Cash, dec!(10000))
    );
    assert_eq!(
        s.margin.failed,
        vec![
            MarginCondition::NotRequested,
            MarginCondition::NoneAvailable
        ]
    );
    // Cash 20 000 is all reserve.
    let none = size(&SizingRequest {
        cash: dec!(20000),
        ..req
    });
    assert_eq!((none.quantity, none.bound_by), (0, BoundBy::Cash));
    assert_eq!(none.reason.as_deref(), Some("no cash above the reserve"));
}

#[test]
fn a_share_dearer_than_the_limit_says_so() {
    // Strength 50 → 3 % of 100 000 = 3 000; one share costs 3 500.
    let req = SizingRequest {
        price: dec!(3500),
        ..rich(50.0, RiskLevel::Medium)
    };
    let s = size(&req);
    assert_eq!((s.quantity, s.bound_by), (0, BoundBy::Band));
    assert_eq!(
        s.reason.as_deref(),
        Some("one share at $3,500.00 costs more than the $3,000.00 allowed by the allocation band")
    );
}

#[test]
fn swap_proceeds_count_as_cash() {
    // P 100 000 with cash 20 000: nothing above the reserve. Selling a 12 000 position
    // (P unchanged) adds 12 000 spendable: 15 000 wanted, 12 000 available → 120 shares.
    let base = SizingRequest::new(
        dec!(100),
        80.0,
        RiskLevel::Medium,
        dec!(100000),
        dec!(20000),
    );
    assert_eq!(size(&base).quantity, 0);
    let swap = size(&SizingRequest {
        extra_cash: dec!(12000),
        ..base
    });
    assert_eq!(
        (swap.quantity, swap.bound_by, swap.cash_needed),
        (120, BoundBy::Cash, dec!(12000))
    );
}

#[test]
fn margin_covers_only_what_cash_cannot() {
    // 15 000 wanted: 10 000 from cash, 5 000 from margin; the band still binds.
    let s = size(&margin_case());
    assert!(s.margin.allowed);
    assert_eq!(
        (s.quantity, s.bound_by, s.use_margin),
        (150, BoundBy::Band, true)
    );
    assert_eq!((s.cash_needed, s.margin_needed), (dec!(10000), dec!(5000)));
    // Only 2 000 available: 10 000 + 2 000 = 12 000 → 120 shares, bound by margin.
    let thin = size(&SizingRequest {
        margin_available: dec!(2000),
        ..margin_case()
    });
    assert_eq!(
        (thin.quantity, thin.bound_by, thin.margin_needed),
        (120, BoundBy::Margin, dec!(2000))
    );
    // 23 000 already used (positions 93 000 keep P at 100 000): the 25 % limit leaves
    // 2 000 → 120 shares, and margin used after = 25 000 = 25 % of P.
    let used = size(&SizingRequest {
        margin_used: dec!(23000),
        ..margin_case()
    });
    assert_eq!(
        (used.quantity, used.bound_by, used.margin.room),
        (120, BoundBy::Margin, dec!(2000))
    );
    // Enough cash: no margin even when allowed.
    let cashy = size(&SizingRequest {
        cash: dec!(40000),
        ..margin_case()
    });
    assert_eq!(
        (cashy.quantity, cashy.use_margin, cashy.margin_needed),
        (150, false, dec!(0))
    );
}

#[test]
fn each_margin_condition_failing_alone_blocks_margin() {
    // Each case breaks one condition of margin_case(); cash then buys 10 000 → 100 shares
    // (strength 75 wants 12 500 and also gets 100; cash 29 999 leaves 9 999 → 99).
    type Breaker = fn(&mut SizingRequest);
    let cases: [(Breaker, MarginCondition, u64); 6] = [
        (
            |r| r.margin_requested = false,
            MarginCondition::NotRequested,
            100,
        ),
        (|r| r.strength = 75.0, MarginCondition::Strength, 100),
        (
            |r| r.margin_used = dec!(25000),
            MarginCondition::UsedLimit,
            100,
        ),
        (|r| r.cash = dec!(29999), MarginCondition::CashFloor, 99),
        (
            |r| r.market_in_correction = true,
            MarginCondition::MarketCorrection,
            100,
        ),
        (
            |r| r.margin_available = dec!(0),
            MarginCondition::NoneAvailable,
            100,
        ),
    ];
    for (break_it, condition, shares) in cases {
        let mut req = margin_case();
        break_it(&mut req);
        let s = size(&req);
        assert_eq!(s.margin.failed, vec![condition]);
        assert!(!s.margin.allowed && !s.use_margin);
        let got = (s.quantity, s.bound_by);
        assert_eq!(got, (shares, BoundBy::Cash), "{condition:?}");
    }
}

#[test]
fn margin_truth_table() {
    // The four DESIGN conditions plus "requested": allowed only when all five hold.
    let r = rules();
    let sizer = PositionSizer::new(&r.sizing, &r.margin, &r.stops);
    for bits in 0u8..32 {
        let on = |i: u8| bits & (1 << i) != 0;
        let req = SizingRequest {
            margin_requested: on(0),
            strength: if on(1) { 76.0 } else { 75.0 },
            margin_used: if on(2) { dec!(24999) } else { dec!(25000) },
            cash: if on(3) { dec!(30000) } else { dec!(29999.99) },
            market_in_correction: !on(4),
            ..margin_case()
        };
        let check = sizer.margin_check(&req);
        assert_eq!(check.allowed, bits == 31, "bits {bits:05b}");
        assert_eq!(
            check.failed.len(),
            5 - bits.count_ones() as usize,
            "bits {bits:05b}"
        );
    }
}

fn range(high: Decimal, low: Decimal) -> Option<PriceRange> {
    Some(PriceRange { high, low })
}

#[test]
fn stop_loss_and_target_exit() {
    let r = rules();
    let sizer = PositionSizer::new(&r.sizing, &r.margin, &r.stops);
    // Stop 100 × (1 − 8 %) = 92, R = 8. A 60-day range 90–110 (width 20) is the measured
    // move: target 100 + 20 = 120, R/R 20 / 8 = 2.5.
    let plan = sizer.exit_plan(dec!(100), range(dec!(110), dec!(90)));
    assert_eq!(
        (plan.stop_loss, plan.target_exit, plan.reward_risk),
        (dec!(92), dec!(120), Some(2.5))
    );
    // At the high or far below it, only the width counts: 100–104 → target 104, R/R 0.5.
    let narrow = sizer.exit_plan(dec!(100), range(dec!(104), dec!(100)));
    assert_eq!(
        (narrow.target_exit, narrow.reward_risk),
        (dec!(104), Some(0.5))
    );
    // No range known: target 100 + 2 × 8 = 116, and the reward/risk is unknown.
    let unknown = sizer.exit_plan(dec!(100), None);
    assert_eq!(
        (unknown.target_exit, unknown.reward_risk),
        (dec!(116), None)
    );
    // 182.1234 × 0.92 = 167.553528 → 167.5535 (four decimals, the prices precision).
    assert_eq!(
        sizer.exit_plan(dec!(182.1234), None).stop_loss,
        dec!(167.5535)
    );
}

#[test]
fn a_buy_under_the_minimum_reward_risk_gets_no_shares() {
    let mut r = rules();
    r.sizing.min_reward_risk = 2.0;
    let with = |range_60d| SizingRequest {
        range_60d,
        ..rich(80.0, RiskLevel::Low)
    };
    // Range width 15.99: R/R 15.99 / 8 = 1.99 < 2 → refused, with the levels in the reason.
    let s = size_with(&r, &with(range(dec!(110), dec!(94.01))));
    assert_eq!((s.quantity, s.bound_by), (0, BoundBy::RewardRisk));
    // 1.99875 is shown rounded down, so a refused figure never reads as the minimum.
    assert_eq!(
        s.reason.as_deref(),
        Some("reward/risk 1.99 is under 2: target $115.99 against stop $92.00")
    );
    // Width 16: R/R exactly 2 passes, and the band decides (80 → 15 % × 1.2 = 18 % = 180).
    let s = size_with(&r, &with(range(dec!(110), dec!(94))));
    assert_eq!(
        (s.quantity, s.bound_by, s.exit.reward_risk),
        (180, BoundBy::Band, Some(2.0))
    );
    // Unknown reward/risk is not refused: nothing is made up either way.
    assert_eq!(size_with(&r, &with(None)).quantity, 180);
    // 0 turns the rule off.
    r.sizing.min_reward_risk = 0.0;
    assert_eq!(
        size_with(&r, &with(range(dec!(101), dec!(100)))).quantity,
        180
    );
}

#[test]
fn bad_inputs_size_to_zero_with_a_reason() {
    let s = size(&SizingRequest {
        price: dec!(0),
        ..rich(80.0, RiskLevel::Low)
    });
    assert_eq!((s.quantity, s.bound_by), (0, BoundBy::BadPrice));
    let s = size(&SizingRequest {
        portfolio_value: dec!(-5),
        ..rich(80.0, RiskLevel::Low)
    });
    assert_eq!((s.quantity, s.bound_by), (0, BoundBy::NoEquity));
    assert_eq!(
        s.reason.as_deref(),
        Some("portfolio value -$5.00 is not positive")
    );
}

#[test]
fn serializes_money_as_strings() {
    let json = serde_json::to_value(size(&margin_case())).unwrap();
    assert_eq!(json["quantity"], 150);
    assert_eq!(json["value"], "15000.00");
    assert_eq!(json["margin_needed"], "5000.00");
    assert_eq!(json["use_margin"], true);
    assert_eq!(json["bound_by"], "band");
    assert_eq!(json["stop_loss"], "92");
    assert_eq!(json["allocation_pct"], 15.0);
}

fn money(max_cents: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_cents).prop_map(|c| Decimal::new(c, 2))
}

prop_compose! {
    fn any_request()(
        price in (1i64..=500_000).prop_map(|c| Decimal::new(c, 2)),
        strength in 0.0f64..=100.0,
        risk in prop_oneof![Just(RiskLevel::Low), Just(RiskLevel::Medium), Just(RiskLevel::High)],
        cash in money(50_000_000),
        others in money(50_000_000),
        held_share in 0.0f64..=1.0,
        used_share in 0.0f64..=1.0,
        extra_cash in money(5_000_000),
        margin_available in money(20_000_000),
        margin_requested in any::<bool>(),
        market_in_correction in any::<bool>(),
    ) -> SizingRequest {
        let held_value = (others * Decimal::from_f64(held_share).unwrap()).round_dp(2);
        let positions = others + held_value;
        let margin_used = (positions * Decimal::from_f64(used_share).unwrap()).round_dp(2);
        SizingRequest {
            extra_cash,
            held_value,
            margin_available,
            margin_used,
            margin_requested,
            market_in_correction,
            ..SizingRequest::new(price, strength, risk, portfolio_value(cash, positions, margin_used), cash)
        }
    }
}

proptest! {
    /// The pre-screen's quantity is the sizing's, reasons or not (ranges included, so the
    /// reward/risk rule refuses some).
    #[test]
    fn the_quantity_without_reasons_is_the_sizing_quantity(
        req in any_request(),
        width in 0u32..4000,
    ) {
        let r = rules();
        let sizer = PositionSizer::new(&r.sizing, &r.margin, &r.stops);
        let req = SizingRequest {
            range_60d: (width > 0).then(|| PriceRange {
                high: req.price + Decimal::new(i64::from(width), 2),
                low: req.price,
            }),
            ..req
        };
        prop_assert_eq!(sizer.quantity(&req), sizer.size(&req).quantity);
    }

    #[test]
    fn never_breaks_the_cap_counting_the_holding(req in any_request()) {
        let s = size(&req);
        if s.quantity > 0 {
            prop_assert!(req.held_value + s.value <= req.portfolio_value * dec!(0.25));
        }
    }

    #[test]
    fn never_spends_the_reserve_unless_margin_covers_it(req in any_request()) {
        let s = size(&req);
        let spendable = (req.cash + req.extra_cash - req.portfolio_value * dec!(0.20)).max(Decimal::ZERO);
        prop_assert!(s.cash_needed <= spendable);
        prop_assert_eq!(s.cash_needed + s.margin_needed, s.value);
        if s.use_margin {
            prop_assert!(s.margin.allowed && req.margin_requested && req.strength > 75.0);
            prop_assert!(!req.market_in_correction);
            prop_assert!(s.margin_needed <= req.margin_available);
            prop_assert!(req.margin_used + s.margin_needed <= req.portfolio_value * dec!(0.25));
        } else {
            prop_assert_eq!(s.margin_needed, Decimal::ZERO);
        }
    }

    #[test]
    fn quantity_is_whole_and_not_negative(req in any_request()) {
        let s = size(&req);
        // `u64` cannot be negative or fractional; the value is exactly quantity × price.
        prop_assert_eq!(s.value, Decimal::from(s.quantity) * req.price);
        prop_assert!(s.value >= Decimal::ZERO && s.cash_needed >= Decimal::ZERO);
        prop_assert_eq!(s.quantity == 0, s.reason.is_some());
    }

    /// The float shortcut decides as the `Decimal` comparison does, right by the minimum
    /// (± a few 1e-7, where the six-place rounding decides) and far from it.
    #[test]
    fn under_minimum_is_the_decimal_comparison(
        m in prop_oneof![Just(dec!(2)), Just(dec!(1.5)), Just(dec!(0.0001)), (1i64..=99_999).prop_map(|m| Decimal::new(m, 4))],
        offset in prop_oneof![
            (-20i64..=20).prop_map(|k| k as f64 * 1e-7),
            (-1.0f64..1.0),
            (-1e30f64..1e30),
        ],
    ) {
        let x = m.to_f64().unwrap() + offset;
        let exact = Decimal::from_f64(x).map(|d| d.round_dp(6) < m);
        prop_assert_eq!(under_minimum(x, m), exact);
    }

    /// The pre-screen's `quantity` asks the reward/risk rule first; its shares are still
    /// `size`'s, with or without a 60-bar range (and so with the rule on or off).
    #[test]
    fn quantity_is_sizes_quantity(
        req in any_request(),
        range in proptest::option::of((0i64..=600_000, 0i64..=600_000)),
    ) {
        let range = range.map(|(a, b)| PriceRange {
            high: Decimal::new(a.max(b), 2),
            low: Decimal::new(a.min(b), 2),
        });
        let req = SizingRequest { range_60d: range, ..req };
        let r = rules();
        let sizer = PositionSizer::new(&r.sizing, &r.margin, &r.stops);
        prop_assert_eq!(sizer.quantity(&req), sizer.size(&req).quantity);
    }

    #[test]
    fn allocation_never_falls_as_strength_rises(req in any_request(), bump in 0.0f64..=100.0) {
        let stronger = SizingRequest { strength: (req.strength + bump).min(100.0), ..req.clone() };
        let (weak, strong) = (size(&req), size(&stronger));
        prop_assert!(weak.target_pct <= strong.target_pct);
        prop_assert!(weak.quantity <= strong.quantity);
    }
}

/// Where `Decimal` has no value the rule has none either (the shortcut keeps out of it).
#[test]
fn under_minimum_without_a_decimal() {
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e29, -1e29] {
        assert_eq!(
            under_minimum(x, dec!(2)),
            Decimal::from_f64(x).map(|d| d.round_dp(6) < dec!(2)),
            "{x}"
        );
    }
    // 1.9999995 rounds (half to even at the sixth place) to 2.000000: not under 2.
    assert_eq!(under_minimum(1.9999995, dec!(2)), Some(false));
    assert_eq!(under_minimum(1.999999, dec!(2)), Some(true));
}

proptest! {
    /// The band's percentage converted each time is the cached conversion's figure.
    #[test]
    fn computed_pct_of_is_pct_of(m in -1_000_000_000i64..1_000_000_000, pct in -200.0f64..200.0) {
        let amount = Decimal::new(m, 2);
        prop_assert_eq!(computed_pct_of(amount, pct).serialize(), pct_of(amount, pct).serialize());
    }
}
