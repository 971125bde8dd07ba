//! Engine tests: known answers, no look-ahead, splits, the windowed snapshot, accounting.

use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::domain::analyzer::fixtures::{rules as live_rules, sym};
use crate::domain::analyzer::{analyze, CheckMode, MarketSnapshot, SymbolSeries};
use crate::domain::bar::Bar;
use crate::domain::calendar::trading_days_ending;
use crate::domain::rules::AllocationBand;

const WARMUP: usize = 260;

fn money(x: f64) -> Decimal {
    Decimal::from_f64(x).unwrap().round_dp(2)
}

/// One bar per trading day ending 2026-11-20; each opens at the previous close.
fn bars(closes: &[f64]) -> Vec<Bar> {
    let days = trading_days_ending(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), closes.len());
    days.iter()
        .zip(closes)
        .enumerate()
        .map(|(i, (d, c))| {
            let open = if i == 0 { *c } else { closes[i - 1] };
            Bar {
                date: *d,
                open: Some(money(open)),
                high: Some(money(open.max(*c) * 1.01)),
                low: Some(money(open.min(*c) * 0.99)),
                close: money(*c),
                adj_close: None,
                volume: Some(1_000_000),
            }
        })
        .collect()
}

/// A deterministic wave with a drift, different per seed.
fn wave(n: usize, seed: u32) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let t = i as f64;
            let s = f64::from(seed);
            (40.0 + 5.0 * s + t * 0.02 * (s - 2.0)) * (1.0 + 0.1 * (t / (9.0 + s)).sin())
        })
        .collect()
}

fn universe(bench: Vec<Bar>, symbols: Vec<(&str, Vec<Bar>)>) -> Universe {
    let from = bench[WARMUP].date;
    let to = bench[bench.len() - 1].date;
    let symbols = symbols.into_iter().map(|(s, b)| (sym(s), b)).collect();
    Universe::new(sym("SPY"), bench, symbols, from, to).unwrap()
}

fn backtest_rules() -> BacktestRules {
    crate::config::Config::default().backtest
}

/// The live rules, changed so one position takes all the cash: one band 0–100 at 100 %,
/// no risk discount, no cap, no reserve.
fn all_in_rules() -> AnalysisRules {
    let mut r = live_rules();
    r.sizing.bands = vec![AllocationBand {
        from: 0.0,
        to: 100.0,
        min_pct: 100.0,
        max_pct: 100.0,
    }];
    r.sizing.risk_multiplier_low = 1.0;
    r.sizing.risk_multiplier_medium = 1.0;
    r.sizing.risk_multiplier_high = 1.0;
    r.sizing.max_position_pct = 100.0;
    r.sizing.cash_reserve_pct = 0.0;
    r
}

fn params(kind: StrategyKind, rules: &AnalysisRules) -> StrategyParams {
    StrategyParams::preset(kind, &backtest_rules(), rules)
}

fn run(u: &Universe, p: &StrategyParams, rules: &AnalysisRules) -> BacktestRun {
    run_strategy(u, p, rules, &AtomicBool::new(false)).unwrap()
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap()
}

#[test]
fn buy_and_hold_of_one_symbol_without_costs_is_its_price_return() {
    let n = WARMUP + 120;
    let mut closes = wave(n, 3);
    // The decision close and the next open are 50: 50 000 buys exactly 1 000 shares.
    closes[WARMUP] = 50.0;
    let u = universe(bars(&wave(n, 1)), vec![("AAA", bars(&closes))]);
    let rules = all_in_rules();
    let p = StrategyParams {
        initial_capital: dec!(50000),
        costs: Costs::NONE,
        entry_strength: 0.0,
        ..params(StrategyKind::BuyHold, &rules)
    };
    let r = run(&u, &p, &rules);
    assert_eq!(r.trades.len(), 1);
    assert_eq!(
        (r.trades[0].quantity, r.trades[0].price),
        (dec!(1000), dec!(50))
    );
    let m = metrics::run_metrics(&r, 0.0);
    // Adjusted price return from the fill (open of day 1 = 50) to the last close.
    let last = f(money(closes[n - 1]));
    assert!((m.total_return_pct - (last / 50.0 - 1.0) * 100.0).abs() < 1e-9);
    assert_eq!(r.equity.last().unwrap().cash, dec!(0));
}

#[test]
fn constant_prices_lose_exactly_the_costs() {
    let n = WARMUP + 60;
    let u = universe(bars(&vec![100.0; n]), vec![("AAA", bars(&vec![100.0; n]))]);
    let rules = all_in_rules();
    let p = StrategyParams {
        initial_capital: dec!(10000),
        entry_strength: 0.0,
        costs: Costs {
            commission_per_trade: dec!(1),
            commission_bps: 0.0,
            slippage_bps: 10.0,
        },
        ..params(StrategyKind::Weekly, &rules)
    };
    let r = run(&u, &p, &rules);
    // Decided at 100 → 100 shares; fill 100.10: 10 010 + 1 commission > 10 000, so the
    // ledger buys 99 shares = 9 909.90 + 1 = 9 910.90. Nothing else ever trades.
    assert_eq!(r.trades.len(), 1);
    assert_eq!(
        (r.trades[0].quantity, r.trades[0].price),
        (dec!(99), dec!(100.10))
    );
    let end = r.equity.last().unwrap();
    // Equity 89.10 cash + 9 900 shares = 9 989.10: the 9.90 slippage and the 1 commission.
    assert_eq!(end.equity, dec!(10000) - dec!(9.90) - dec!(1));
}

#[test]
fn a_split_day_is_not_a_loss() {
    let n = WARMUP + 40;
    let split = WARMUP + 20;
    // Raw closes 200 then 100 after a 2:1 split; the adjusted close is 100 throughout.
    let mut aaa = bars(&vec![100.0; n]);
    for b in &mut aaa[..split] {
        b.open = b.open.map(|v| v * dec!(2));
        b.high = b.high.map(|v| v * dec!(2));
        b.low = b.low.map(|v| v * dec!(2));
        b.close *= dec!(2);
        b.adj_close = Some(b.close / dec!(2));
    }
    let u = universe(bars(&vec![100.0; n]), vec![("AAA", aaa)]);
    let rules = all_in_rules();
    let p = StrategyParams {
        initial_capital: dec!(10000),
        entry_strength: 0.0,
        costs: Costs::NONE,
        ..params(StrategyKind::BuyHold, &rules)
    };
    let r = run(&u, &p, &rules);
    assert_eq!(r.trades[0].price, dec!(100), "fills at the adjusted open");
    assert!(r.equity.iter().all(|e| e.equity == dec!(10000)));
}

/// Runs a weekly strategy over four wavy symbols.
fn wavy(n: usize, change_after: Option<usize>) -> Universe {
    let mut syms: Vec<(&str, Vec<Bar>)> = ["AAA", "BBB", "CCC", "DDD"]
        .into_iter()
        .zip(1..)
        .map(|(s, seed)| (s, bars(&wave(n, seed))))
        .collect();
    let mut bench = bars(&wave(n, 0));
    if let Some(t) = change_after {
        for series in syms
            .iter_mut()
            .map(|(_, b)| b)
            .chain(std::iter::once(&mut bench))
        {
            series[t + 1].close *= dec!(1.3);
            series[t + 1].high = Some(series[t + 1].close * dec!(2));
            for b in &mut series[t + 2..] {
                b.open = b.open.map(|v| v * dec!(0.7));
                b.close *= dec!(0.7);
                b.low = b.low.map(|v| v * dec!(0.5));
            }
        }
    }
    universe(bench, syms)
}

#[test]
fn no_look_ahead() {
    let n = WARMUP + 150;
    let rules = live_rules();
    let p = StrategyParams {
        entry_strength: 50.0,
        ..params(StrategyKind::Weekly, &rules)
    };
    let base = run(&wavy(n, None), &p, &rules);
    assert!(
        base.trades.len() > 4,
        "the test needs trades: {}",
        base.trades.len()
    );
    for t in [WARMUP + 5, WARMUP + 60, WARMUP + 110] {
        let changed = run(&wavy(n, Some(t)), &p, &rules);
        let day = |i: usize| base.equity[i - WARMUP].date;
        let (decided, filled) = (day(t), day(t + 1));
        let orders = |r: &BacktestRun| -> Vec<Order> {
            r.orders
                .iter()
                .filter(|o| o.decided <= decided)
                .cloned()
                .collect()
        };
        let trades = |r: &BacktestRun| -> Vec<Trade> {
            r.trades
                .iter()
                .filter(|x| x.date <= filled)
                .cloned()
                .collect()
        };
        assert_eq!(orders(&base), orders(&changed));
        assert_eq!(trades(&base), trades(&changed));
        assert_eq!(base.equity[..=t - WARMUP], changed.equity[..=t - WARMUP]);
    }
}

#[test]
fn the_window_gives_the_analysis_of_the_full_history() {
    let n = WARMUP + 80;
    let u = wavy(n, None);
    let rules = params(StrategyKind::Weekly, &live_rules()).analysis_rules(&live_rules(), "SPY");
    let mut w = window::Window::new(&u, &rules);
    let all: Vec<usize> = (0..u.symbols.len()).collect();
    let holdings = vec![crate::domain::portfolio::Holding {
        symbol: sym("AAA"),
        quantity: dec!(10),
        avg_cost: dec!(60),
        opened: None,
        notes: None,
    }];
    let watch: Vec<_> = u.symbols[1..]
        .iter()
        .map(|s| crate::domain::portfolio::WatchItem {
            symbol: s.symbol.clone(),
            added: u.from(),
            notes: None,
        })
        .collect();
    for i in (0..u.days.len()).step_by(7) {
        let day = u.days[i];
        w.advance_to(&u, i, day, &all);
        let full = MarketSnapshot {
            as_of: day,
            series: std::iter::once(&u.benchmark)
                .chain(&u.symbols)
                .map(|p| {
                    let k = p.at_day[i].unwrap();
                    let series = SymbolSeries {
                        bars: p.bars[..=k].to_vec(),
                        indicators: p.indicators[..=k].to_vec(),
                    };
                    (p.symbol.clone(), series)
                })
                .collect(),
        };
        let a = |m: &MarketSnapshot| {
            let x = analyze(&holdings, &watch, None, m, &rules, CheckMode::Morning);
            serde_json::to_value(x).unwrap()
        };
        assert_eq!(a(&w.snapshot), a(&full), "day {day}");
    }
}

#[test]
fn hand_built_ten_day_series() {
    // Returns +2 %, −1 %, +3 %, −2 %, +1 %, 0, +2 %, −1 %, +1 % on 100.
    let r = [0.02, -0.01, 0.03, -0.02, 0.01, 0.0, 0.02, -0.01, 0.01];
    let mut values = vec![100.0];
    for x in r {
        values.push(values.last().unwrap() * (1.0 + x));
    }
    let dates = trading_days_ending(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(), 10);
    let m = metrics::metrics(
        &dates,
        &values,
        &values,
        dec!(0),
        TradeStats::default(),
        0.0,
    );
    // Mean = 0.05 / 9. Σr² = 0.0025, so Σ(r − mean)² = 0.0025 − 0.05²/9 = 0.02/9 and the
    // sample variance is 0.02/9/8 = 1/3600: sd = 1/60. Sharpe = (0.05/9)/(1/60)·√252 = √252/3.
    assert!((m.sharpe.unwrap() - 252f64.sqrt() / 3.0).abs() < 1e-9);
    assert!((m.volatility_pct.unwrap() - 252f64.sqrt() / 60.0 * 100.0).abs() < 1e-9);
    // Downside over all 9 returns: √((0.01² + 0.02² + 0.01²)/9) = √(0.0006/9).
    let sortino = (0.05 / 9.0) / (0.0006f64 / 9.0).sqrt() * 252f64.sqrt();
    assert!((m.sortino.unwrap() - sortino).abs() < 1e-9);
    // Peak after day 3 (104.0094), −2 % on day 4 is the trough; day 7 (105.0075) recovers:
    // max drawdown exactly 2 %, 4 trading days from peak to recovery.
    assert!((m.max_drawdown_pct - 2.0).abs() < 1e-9);
    assert_eq!(
        (m.max_drawdown_peak, m.max_drawdown_trough),
        (dates[3], dates[4])
    );
    assert_eq!(
        (m.max_drawdown_recovered, m.max_drawdown_days),
        (Some(dates[7]), 4)
    );
    // CAGR over 9 returns: (E9/100)^(252/9) − 1, E9 = 100 · Π(1 + r).
    let growth: f64 = r.iter().map(|x| 1.0 + x).product();
    let cagr = (growth.powf(252.0 / 9.0) - 1.0) * 100.0;
    assert!((m.cagr_pct.unwrap() - cagr).abs() < 1e-9);
    assert!((m.total_return_pct - (growth - 1.0) * 100.0).abs() < 1e-9);
    // Against itself: beta 1, alpha 0.
    assert!((m.beta.unwrap() - 1.0).abs() < 1e-12 && m.alpha_capm_pct.unwrap().abs() < 1e-9);
}

#[test]
fn first_day_counts_as_a_peak() {
    let dates = trading_days_ending(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(), 3);
    // 100 → 90 → 95: 10 % below the first day, never recovered; 2 days to the end.
    let d = metrics::max_drawdown(&dates, &[100.0, 90.0, 95.0]);
    assert!((d.pct - 10.0).abs() < 1e-12);
    assert_eq!(
        (d.peak, d.trough, d.recovered, d.days),
        (dates[0], dates[1], None, 2)
    );
}

#[test]
fn verdict_thresholds() {
    let dates = trading_days_ending(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(), 3);
    let m = metrics::metrics(
        &dates,
        &[100.0, 110.0, 121.0],
        &[100.0; 3],
        dec!(121),
        TradeStats::default(),
        0.0,
    );
    let v = verdict(&m, &backtest_rules());
    let outcomes: Vec<Outcome> = v.criteria.iter().map(|c| c.outcome).collect();
    // +21 % vs 0: alpha PASS; constant returns: Sharpe undefined → FAIL; no drawdown PASS;
    // no closed trades → FAIL.
    assert_eq!(
        outcomes,
        [Outcome::Pass, Outcome::Fail, Outcome::Pass, Outcome::Fail]
    );
    assert_eq!(v.passed, 2);
}

/// The pre-screened run equals one that hands the analyzer every symbol each time.
fn assert_same_as_unscreened(
    u: &Universe,
    p: &StrategyParams,
    rules: &AnalysisRules,
    r: &BacktestRun,
) {
    let cancel = AtomicBool::new(false);
    let full = engine::run_with(u, p, rules, &cancel, None).unwrap();
    // One candidate per chunk: the most chunks there can be.
    let single = engine::run_with(u, p, rules, &cancel, Some(0)).unwrap();
    for other in [&full, &single] {
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

#[test]
fn cancelled_runs_stop() {
    let u = wavy(WARMUP + 30, None);
    let rules = live_rules();
    let p = params(StrategyKind::Weekly, &rules);
    let cancel = AtomicBool::new(true);
    assert_eq!(
        run_strategy(&u, &p, &rules, &cancel).unwrap_err(),
        BacktestError::Cancelled
    );
    let grid = SweepGrid::default();
    let err = run_sweep(
        &u,
        &p,
        &grid,
        &rules,
        &backtest_rules(),
        &|_, _| {},
        &cancel,
    );
    assert_eq!(err.unwrap_err(), BacktestError::Cancelled);
}

#[test]
fn sweep_ranks_the_whole_grid_by_sharpe() {
    let u = wavy(WARMUP + 60, None);
    let rules = live_rules();
    let grid = SweepGrid {
        frequencies: vec![Frequency::Days(7), Frequency::Days(30)],
        entry_strengths: vec![50.0, 70.0],
        margin: vec![false, true],
    };
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let progress = |_: usize, total: usize| {
        assert_eq!(total, 8);
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let p = params(StrategyKind::Monthly, &rules);
    let points = run_sweep(
        &u,
        &p,
        &grid,
        &rules,
        &backtest_rules(),
        &progress,
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!((points.len(), calls.into_inner()), (8, 8));
    let sharpes: Vec<f64> = points
        .iter()
        .map(|p| p.metrics.sharpe.unwrap_or(f64::NEG_INFINITY))
        .collect();
    assert!(sharpes.windows(2).all(|w| w[0] >= w[1]), "{sharpes:?}");
}

#[test]
fn report_of_all_four_has_the_benchmark_row() {
    let u = wavy(WARMUP + 60, None);
    let rules = live_rules();
    let bt = backtest_rules();
    let presets: Vec<_> = StrategyKind::ALL
        .iter()
        .map(|k| params(*k, &rules))
        .collect();
    let report = run_strategies(
        &u,
        &presets,
        &rules,
        &bt,
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(report.strategies.len(), 4);
    // The benchmark bought at the first close: its return is close(last) / close(first) − 1.
    let b = &u.benchmark;
    let expected = f(b.close_at(u.days.len() - 1).unwrap()) / f(b.close_at(0).unwrap()) - 1.0;
    assert!((report.benchmark.metrics.total_return_pct - expected * 100.0).abs() < 1e-4);
    assert!(report.best().is_some());
}
