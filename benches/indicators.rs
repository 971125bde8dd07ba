//! Issue 18 target: the nine indicators (SMA 20/50/200, EMA 12/26, MACD 12/26/9 with signal
//! and histogram, RSI 14, ATR 14, volume ratio) at most as slow per bar as TA-Lib's C code.
//! Criterion reports bars per second; ns/bar = 1000 / (Melem/s). `benches/compare/` times
//! TA-Lib on the very same series.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ducklens::domain::indicators::compute_all;

/// Series lengths of real files: 20 and 26 years of daily bars.
const LENGTHS: [usize; 2] = [5_000, 6_500];

/// SplitMix64: tiny, seedable and easy to reproduce bit for bit in Python
/// (`benches/compare/talib_bench.py` has the same generator).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1) from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Series {
    high: Vec<f64>,
    low: Vec<f64>,
    close: Vec<f64>,
    volume: Vec<f64>,
}

/// A random walk of ±2 % a day from 100, a daily range of up to 2 % on either side and a
/// volume between 0.5 and 1.5 million.
fn random_walk(bars: usize, seed: u64) -> Series {
    let mut rng = SplitMix64(seed);
    let mut s = Series {
        high: Vec::with_capacity(bars),
        low: Vec::with_capacity(bars),
        close: Vec::with_capacity(bars),
        volume: Vec::with_capacity(bars),
    };
    let mut close = 100.0;
    for _ in 0..bars {
        close *= 1.0 + (rng.unit() - 0.5) * 0.04;
        s.high.push(close * (1.0 + rng.unit() * 0.02));
        s.low.push(close * (1.0 - rng.unit() * 0.02));
        s.close.push(close);
        s.volume.push(1_000_000.0 * (0.5 + rng.unit()));
    }
    s
}

fn indicators(c: &mut Criterion) {
    let mut group = c.benchmark_group("indicators");
    for bars in LENGTHS {
        let s = random_walk(bars, 18);
        // benches/compare/talib_bench.py prints the same line for the same series.
        eprintln!("{bars} bars: last close {:.12}", s.close[bars - 1]);
        group.throughput(Throughput::Elements(bars as u64));
        group.bench_with_input(BenchmarkId::new("compute_all", bars), &s, |b, s| {
            b.iter(|| compute_all(&s.high, &s.low, &s.close, &s.volume))
        });
    }
    group.finish();
}

criterion_group!(benches, indicators);
criterion_main!(benches);
