#!/usr/bin/env python3
"""Time TA-Lib's C code on the series `cargo bench --bench indicators` times DuckLens on.

The nine indicators of DuckLens's `compute_all`: SMA 20/50/200, EMA 12/26, MACD 12/26/9
(line, signal, histogram), RSI 14, ATR 14 and volume / SMA20(volume). The series is the
bench's seeded random walk, generated bit for bit the same (SplitMix64, same arithmetic).

Prints ns per bar, best of several repeats, with the machine's load, for each length.
See README.md beside this file.
"""

import argparse
import os
import timeit

import numpy as np
import talib

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit(self):
        return (self.next_u64() >> 11) / float(1 << 53)


def random_walk(bars, seed):
    """The same walk as `random_walk` in benches/indicators.rs."""
    rng = SplitMix64(seed)
    high, low, close, volume = [], [], [], []
    c = 100.0
    for _ in range(bars):
        c *= 1.0 + (rng.unit() - 0.5) * 0.04
        high.append(c * (1.0 + rng.unit() * 0.02))
        low.append(c * (1.0 - rng.unit() * 0.02))
        close.append(c)
        volume.append(1_000_000.0 * (0.5 + rng.unit()))
    return tuple(np.array(x, dtype=np.float64) for x in (high, low, close, volume))


def nine_indicators(high, low, close, volume):
    talib.SMA(close, 20)
    talib.SMA(close, 50)
    talib.SMA(close, 200)
    talib.EMA(close, 12)
    talib.EMA(close, 26)
    talib.MACD(close, 12, 26, 9)
    talib.RSI(close, 14)
    talib.ATR(high, low, close, 14)
    volume / talib.SMA(volume, 20)


def best_ns_per_call(fn, repeat, number):
    return min(timeit.repeat(fn, repeat=repeat, number=number)) / number * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, nargs="+", default=[5000, 6500])
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--repeat", type=int, default=20, help="timings; the best is kept")
    parser.add_argument("--number", type=int, default=200, help="runs per timing")
    args = parser.parse_args()

    print(f"TA-Lib {talib.__version__} (C {talib.__ta_version__.decode().split()[0]}), "
          f"numpy {np.__version__}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for bars in args.bars:
        series = random_walk(bars, args.seed)
        # `cargo bench --bench indicators` prints the same line for the same series.
        print(f"{bars} bars: last close {series[2][-1]:.12f}")
        total = best_ns_per_call(lambda: nine_indicators(*series), args.repeat, args.number)
        # The same nine calls on one bar: what Python and numpy cost per call, not TA-Lib.
        tiny = tuple(x[:1].copy() for x in series)
        overhead = best_ns_per_call(lambda: nine_indicators(*tiny), args.repeat, args.number)
        print(f"{bars} bars: {total / bars:.1f} ns/bar "
              f"(of which Python call overhead ≈ {overhead / bars:.1f} ns/bar), "
              f"best of {args.repeat} × {args.number}")
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
