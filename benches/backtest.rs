//! Issue targets: all four strategies over 500 symbols × 25 years of daily bars in under
//! 2 s in total; a 64-point sweep over 100 symbols × 10 years in under 5 s on 2 cores.
//! Preparing the universe (indicators once per symbol) is timed separately and printed.

use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;
use std::time::Instant;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use ducklens::config::Config;
use ducklens::domain::backtest::{
    run_strategies, run_sweep, StrategyKind, StrategyParams, SweepGrid, Universe,
};
use ducklens::domain::calendar;
use ducklens::domain::symbol::Symbol;

#[path = "shared/bars.rs"]
mod shared_bars;
use shared_bars::bars;

/// `symbols` symbols over `years` years; the backtest starts after a year of warm-up.
fn universe(symbols: usize, years: usize) -> Universe {
    let started = Instant::now();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let days = calendar::trading_days_ending(as_of, (years + 1) * 252);
    let sym = |n: String| Symbol::parse(&n).expect("symbol");
    let list = (0..symbols)
        .map(|i| (sym(format!("S{i:04}")), bars(&days, i + 1)))
        .collect();
    let u =
        Universe::new(sym("SPY".into()), bars(&days, 0), list, days[252], as_of).expect("universe");
    eprintln!(
        "prepared {symbols} symbols × {years} years ({} trading days) in {:.2?}",
        u.days.len(),
        started.elapsed()
    );
    u
}

fn large() -> &'static Universe {
    static U: OnceLock<Universe> = OnceLock::new();
    U.get_or_init(|| universe(500, 25))
}

fn medium() -> &'static Universe {
    static U: OnceLock<Universe> = OnceLock::new();
    U.get_or_init(|| universe(100, 10))
}

fn backtests(c: &mut Criterion) {
    let config = Config::default();
    let rules = config.analysis_rules();
    let bt = config.backtest.clone();
    let presets: Vec<StrategyParams> = StrategyKind::ALL
        .iter()
        .map(|k| StrategyParams::preset(*k, &bt, &rules))
        .collect();
    let cancel = AtomicBool::new(false);
    let mut group = c.benchmark_group("backtest");
    group.sample_size(10);
    group.bench_function("all_four_500_symbols_25y", |b| {
        let u = large();
        b.iter(|| run_strategies(u, &presets, &rules, &bt, &|_, _| {}, &cancel).expect("run"))
    });
    group.bench_function("sweep_64_points_100_symbols_10y", |b| {
        let u = medium();
        let grid = SweepGrid::default();
        b.iter(|| {
            run_sweep(u, &presets[2], &grid, &rules, &bt, &|_, _| {}, &cancel).expect("sweep")
        })
    });
    group.finish();
}

criterion_group!(benches, backtests);
criterion_main!(benches);
