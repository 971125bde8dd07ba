//! Synthetic bars shared by the benchmarks (each bench is its own crate, so it is included
//! with `#[path]`).

use chrono::NaiveDate;
use ducklens::domain::bar::Bar;
use rust_decimal::Decimal;

/// A deterministic wavy series per symbol: no randomness needed for timing.
pub fn bars(days: &[NaiveDate], seed: usize) -> Vec<Bar> {
    days.iter()
        .enumerate()
        .map(|(i, d)| {
            let t = i as f64;
            let level = 50.0 + seed as f64 % 40.0 + t * 0.01 * ((seed % 7) as f64 - 3.0).abs();
            let close = level * (1.0 + 0.08 * (t / (15.0 + (seed % 11) as f64)).sin());
            let c = Decimal::from_f64_retain(close)
                .unwrap_or(Decimal::ONE)
                .round_dp(2)
                .max(Decimal::ONE);
            Bar {
                date: *d,
                open: Some(c),
                high: Some(c * Decimal::new(101, 2)),
                low: Some(c * Decimal::new(99, 2)),
                close: c,
                adj_close: Some(c),
                volume: Some(1_000_000 + (i % 17) as i64 * 10_000),
            }
        })
        .collect()
}
