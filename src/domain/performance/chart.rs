//! The total-value-vs-SPY chart: the account's value each session next to what the same
//! deposits and withdrawals, made on the same days into SPY, would be worth. Rebasing SPY
//! to the first value alone would show every deposit as outperformance.

use chrono::NaiveDate;

use super::{to_f64, BenchmarkCloses, DayValue};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueVsBenchmark {
    pub date: NaiveDate,
    pub value: f64,
    /// B_t = B_{t−1} × SPY_t / SPY_{t−1} + F_t, started at the first session's value;
    /// `None` before the benchmark's first bar.
    pub benchmark: Option<f64>,
}

pub fn value_vs_benchmark(
    values: &[DayValue],
    benchmark: &BenchmarkCloses,
) -> Vec<ValueVsBenchmark> {
    let close_on = |date: NaiveDate| {
        let i = benchmark
            .partition_point(|(d, _)| *d <= date)
            .checked_sub(1)?;
        Some(to_f64(benchmark[i].1)).filter(|c| *c > 0.0)
    };
    let mut held: Option<(f64, f64)> = None; // (benchmark account, SPY close it was valued at)
    values
        .iter()
        .map(|v| {
            let close = close_on(v.date);
            held = match (held, close) {
                (Some((b, before)), Some(now)) => Some((b * now / before + to_f64(v.flow), now)),
                (Some((b, before)), None) => Some((b + to_f64(v.flow), before)),
                (None, Some(now)) => Some((to_f64(v.value), now)),
                (None, None) => None,
            };
            ValueVsBenchmark {
                date: v.date,
                value: to_f64(v.value),
                benchmark: held.map(|(b, _)| b),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_data::{d, dv};
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn spy_gets_the_same_deposits() {
        // SPY 100 → 110 → 99. B: 1000, 1000 × 1.1 = 1100, 1100 × 0.9 + 1000 deposit = 1990.
        let v = [
            dv(d(2026, 1, 5), 1000, 1000),
            dv(d(2026, 1, 6), 1100, 0),
            dv(d(2026, 1, 7), 2200, 1000),
        ];
        let spy = [
            (d(2026, 1, 5), Decimal::from(100)),
            (d(2026, 1, 6), Decimal::from(110)),
            (d(2026, 1, 7), Decimal::from(99)),
        ];
        let points = value_vs_benchmark(&v, &spy);
        let b: Vec<f64> = points.iter().map(|p| p.benchmark.unwrap()).collect();
        assert!((b[0] - 1000.0).abs() < 1e-9);
        assert!((b[1] - 1100.0).abs() < 1e-9);
        assert!((b[2] - 1990.0).abs() < 1e-9);
        assert!((points[2].value - 2200.0).abs() < 1e-9);
        assert_eq!(value_vs_benchmark(&v, &[])[0].benchmark, None);
    }
}
