//! Engine tests: known answers, no look-ahead, splits, the windowed snapshot, accounting.

use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::domain::analyzer::fixtures::{rules as live_rules, sym};
use crate::domain::analyzer::{analyze, CheckMode, MarketSnapshot, SymbolSeries, TARGET_HIGH_BARS};
use crate::domain::bar::Bar;
use crate::domain::calendar::trading_days_ending;
use crate::domain::rules::AllocationBand;

pub(super) const WARMUP: usize = 260;

pub(super) fn money(x: f64) -> Decimal {
    Decimal::from_f64(x).unwrap().round_dp(2)
}

/// One bar per trading day ending 2026-11-20; each opens at the previous close.
pub(super) fn bars(closes: &[f64]) -> Vec<Bar> {
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
pub(super) fn wave(n: usize, seed: u32) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let t = i as f64;
            let s = f64::from(seed);
            (40.0 + 5.0 * s + t * 0.02 * (s - 2.0)) * (1.0 + 0.1 * (t / (9.0 + s)).sin())
        })
        .collect()
}

pub(super) fn universe(bench: Vec<Bar>, symbols: Vec<(&str, Vec<Bar>)>) -> Universe {
    let from = bench[WARMUP].date;
    let to = bench[bench.len() - 1].date;
    let symbols = symbols.into_iter().map(|(s, b)| (sym(s), b)).collect();
    Universe::new(sym("SPY"), bench, symbols, from, to).unwrap()
}

pub(super) fn backtest_rules() -> BacktestRules {
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

pub(super) fn params(kind: StrategyKind, rules: &AnalysisRules) -> StrategyParams {
    StrategyParams::preset(kind, &backtest_rules(), rules)
}

pub(super) fn run(u: &Universe, p: &StrategyParams, rules: &AnalysisRules) -> BacktestRun {
    run_strategy(u, p, rules, &AtomicBool::new(false)).unwrap()
}

pub(super) fn f(d: Decimal) -> f64 {
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
        w.advance_to(&u, (i, day), &all, &all);
        let full = MarketSnapshot {
            as_of: day,
            series: std::iter::once(&u.benchmark)
                .chain(&u.symbols)
                .map(|p| {
                    let k = p.at(i).unwrap();
                    let series = SymbolSeries {
                        bars: (0..=k).map(|j| p.bar(j)).collect(),
                        indicators: (0..=k).map(|j| p.indicators_at_bar(j)).collect(),
                        range_60d: None,
                    };
                    (p.symbol.clone(), series)
                })
                .collect(),
            splits_after: Default::default(),
        };
        let a = |m: &MarketSnapshot| {
            let x = analyze(&holdings, &watch, None, m, &rules, CheckMode::Morning);
            serde_json::to_value(x).unwrap()
        };
        assert_eq!(a(&w.snapshot), a(&full), "day {day}");
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

#[test]
fn margin_interest_and_the_margin_call() {
    // One band at 125 % of P with 25 % margin allowed: 10 000 buys 125 shares at 100 with
    // 2 500 borrowed. The margin conditions on strength and cash are switched off.
    let mut rules = all_in_rules();
    rules.sizing.bands[0].min_pct = 125.0;
    rules.sizing.bands[0].max_pct = 125.0;
    rules.sizing.max_position_pct = 125.0;
    rules.margin.min_strength = 0.0;
    rules.margin.min_cash_pct = 0.0;
    let n = WARMUP + 40;
    let crash = WARMUP + 30;
    let mut aaa = vec![100.0; n];
    aaa[crash..].fill(35.0);
    let rising: Vec<f64> = (0..n).map(|i| 100.0 + i as f64 * 0.1).collect();
    let u = universe(bars(&rising), vec![("AAA", bars(&aaa))]);
    let p = StrategyParams {
        initial_capital: dec!(10000),
        entry_strength: 0.0,
        costs: Costs::NONE,
        maintenance_pct: 50.0,
        ..params(StrategyKind::MonthlyMargin, &rules)
    };
    let r = run(&u, &p, &rules);
    assert_eq!(
        (r.trades[0].quantity, r.trades[0].price),
        (dec!(125), dec!(100))
    );
    assert_eq!(r.equity[1].debt, dec!(2500));
    // 8 % a year on 2 500 is 0.55 a calendar day: the debt grows every day.
    let before_crash = &r.equity[crash - WARMUP - 1];
    assert!(before_crash.debt > dec!(2500) && before_crash.equity < dec!(10000));
    // At 35: positions 4 375, equity ≈ 1 850 < 50 % of 4 375 → sold at the next open.
    let sale = r.trades.iter().find(|t| t.side == Side::Sell).unwrap();
    assert!(sale.reason.starts_with("margin call"), "{}", sale.reason);
    assert_eq!(sale.date, u.days[crash - WARMUP + 1]);
    let after = &r.equity[crash - WARMUP + 1];
    assert_eq!((after.debt, after.positions_value), (dec!(0), dec!(0)));
    assert_eq!(after.cash, after.equity);
}

#[test]
fn the_backtest_buys_only_what_the_reward_risk_rule_allows() {
    let n = WARMUP + 150;
    let u = wavy(n, None);
    let mut rules = live_rules();
    let p = StrategyParams {
        entry_strength: 50.0,
        ..params(StrategyKind::Weekly, &rules)
    };
    let buys = |r: &BacktestRun| -> Vec<Order> {
        r.orders
            .iter()
            .filter(|o| o.side == Side::Buy)
            .cloned()
            .collect()
    };
    // Off: the waves give buys to compare with.
    rules.sizing.min_reward_risk = 0.0;
    let free = buys(&run(&u, &p, &rules));
    assert!(free.len() > 4, "the test needs buys: {}", free.len());
    // At 2, every buy's own reward/risk on its decision day is at least 2: the 60-bar range
    // (highest high − lowest low) over R = close − close × 0.92 (rounded like a price).
    rules.sizing.min_reward_risk = 2.0;
    let ruled = buys(&run(&u, &p, &rules));
    assert!(!ruled.is_empty(), "the waves are wide enough for some buys");
    for o in &ruled {
        let p = u.symbols.iter().find(|s| s.symbol == o.symbol).unwrap();
        let bars: Vec<_> = (0..p.len()).map(|j| p.bar(j)).collect();
        let k = bars.iter().position(|b| b.date == o.decided).unwrap();
        let window = &bars[k + 1 - TARGET_HIGH_BARS.min(k + 1)..=k];
        let high = window.iter().filter_map(|b| b.high).max().unwrap();
        let low = window.iter().filter_map(|b| b.low).min().unwrap();
        let close = bars[k].close;
        let risk = close - crate::domain::portfolio::to_price(close * dec!(0.92));
        assert!(
            (high.max(close) - low.min(close)) / risk >= dec!(2),
            "{} on {}: range {high}–{low}, R {risk}",
            o.symbol,
            o.decided
        );
    }
    // Impossible: nothing is bought at all.
    rules.sizing.min_reward_risk = 99.0;
    assert!(buys(&run(&u, &p, &rules)).is_empty());
}
