//! Accounting as a property over random price paths and parameters, and the pre-screen
//! changing nothing.

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::tests::{bars, params, run, universe, wave, WARMUP};
use super::*;
use crate::domain::analyzer::fixtures::rules as live_rules;

/// The pre-screened run equals one that hands the analyzer every symbol each time.
fn assert_same_as_unscreened(
    u: &Universe,
    p: &StrategyParams,
    rules: &AnalysisRules,
    r: &BacktestRun,
) {
    let cancel = AtomicBool::new(false);
    let full = engine::run_with(u, p, rules, &cancel, None, None).unwrap();
    // One candidate per chunk: the most chunks there can be.
    let single = engine::run_with(u, p, rules, &cancel, Some(0), None).unwrap();
    // The strengths shared by a backtest's strategies, as `run_strategies` computes them.
    let table = strengths::Strengths::compute(u, rules, &cancel)
        .unwrap()
        .expect("one set of slots");
    // The strategy's own rules read the table (else `shared` would compare nothing new).
    let own = p.analysis_rules(rules, u.benchmark.symbol.as_str());
    assert!(table.on(u.days.len() - 1, &own).is_some());
    let shared = engine::run_sharing(u, p, rules, &cancel, Some(&table)).unwrap();
    for other in [&full, &single, &shared] {
        assert_eq!(r.orders, other.orders);
        assert_eq!(r.trades, other.trades);
        assert_eq!(r.equity, other.equity);
    }
}

#[test]
fn screening_changes_nothing() {
    // 40 symbols: the cash runs out before 8 positions, so the analyzer sees several chunks.
    let n = WARMUP + 200;
    let names: Vec<String> = (0..40).map(|i| format!("S{i:02}")).collect();
    let syms = names
        .iter()
        .zip(1..)
        .map(|(s, seed)| (s.as_str(), bars(&wave(n, seed))))
        .collect();
    let u = universe(bars(&wave(n, 0)), syms);
    let rules = live_rules();
    for kind in StrategyKind::ALL {
        for (entry, positions) in [(50.0, 8), (60.0, 8), (70.0, 2)] {
            let p = StrategyParams {
                entry_strength: entry,
                max_positions: positions,
                ..params(kind, &rules)
            };
            let r = run(&u, &p, &rules);
            assert_same_as_unscreened(&u, &p, &rules, &r);
        }
    }
}

fn check_accounting(u: &Universe, r: &BacktestRun, margin: bool) -> Result<(), TestCaseError> {
    let mut held: std::collections::BTreeMap<Symbol, Decimal> = Default::default();
    let mut next_trade = 0;
    for (i, point) in r.equity.iter().enumerate() {
        while next_trade < r.trades.len() && r.trades[next_trade].date <= point.date {
            let t = &r.trades[next_trade];
            prop_assert_eq!(t.quantity.fract(), Decimal::ZERO, "whole shares");
            let q = held.entry(t.symbol.clone()).or_default();
            *q += if t.side == Side::Buy {
                t.quantity
            } else {
                -t.quantity
            };
            next_trade += 1;
        }
        let positions: Decimal = held
            .iter()
            .map(|(s, q)| {
                let p = u.symbols.iter().find(|p| &p.symbol == s).unwrap();
                crate::domain::portfolio::to_cents(*q * p.close_at(i).unwrap())
            })
            .sum();
        prop_assert_eq!(point.equity, point.cash + positions - point.debt);
        prop_assert!(point.cash >= Decimal::ZERO);
        if !margin {
            prop_assert_eq!(point.debt, Decimal::ZERO);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn accounting_holds_on_random_paths(
        steps in proptest::collection::vec(-0.06f64..0.06, 3 * 100),
        freq in prop_oneof![Just(Frequency::Days(7)), Just(Frequency::Days(14)), Just(Frequency::CalendarMonth)],
        entry in 40.0f64..75.0,
        margin in any::<bool>(),
        per_trade in 0u32..5,
        slippage in 0.0f64..30.0,
    ) {
        let n = WARMUP + 100;
        let path = |k: usize| -> Vec<f64> {
            let mut c = wave(n, k as u32);
            for (i, s) in steps[k * 100..(k + 1) * 100].iter().enumerate() {
                c[WARMUP + i] = c[WARMUP + i - 1] * (1.0 + s);
            }
            c
        };
        let u = universe(bars(&wave(n, 0)), vec![("AAA", bars(&path(0))), ("BBB", bars(&path(1))), ("CCC", bars(&path(2)))]);
        let rules = live_rules();
        let p = StrategyParams {
            frequency: freq,
            entry_strength: entry,
            margin,
            costs: Costs { commission_per_trade: Decimal::from(per_trade), commission_bps: 1.0, slippage_bps: slippage },
            ..params(StrategyKind::Monthly, &rules)
        };
        let r = run(&u, &p, &rules);
        check_accounting(&u, &r, margin)?;
        assert_same_as_unscreened(&u, &p, &rules, &r);
    }
}
