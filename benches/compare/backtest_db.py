#!/usr/bin/env python3
"""Writes the price files of the large backtest benchmark: SPY plus N symbols over Y years of
US-style trading days (weekdays), as `date,open,high,low,close,adj_close,volume` CSVs like a
vendor's (raw prices, a split- and dividend-adjusted close), then, with --db, imports them
into a fresh DuckLens database and puts the symbols on its watchlist.

Deterministic (seeded SplitMix64): the same files on every run. Every 7th symbol has a 2:1
split in the middle of its history and every symbol a quarterly 0.5 % dividend, so the
backtest's adjustment has work to do.

    python3 benches/compare/backtest_db.py --out /tmp/bt500 --symbols 500 --years 25 \
        --db /tmp/bt500.duckdb --ducklens target/release/ducklens

Plain Python 3, no libraries.
"""

import argparse
import datetime as dt
import os
import subprocess
import sys

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) / float(1 << 53)


def trading_days(last, count):
    days = []
    d = last
    while len(days) < count:
        if d.weekday() < 5:
            days.append(d)
        d -= dt.timedelta(days=1)
    days.reverse()
    return days


def series(days, seed):
    """Raw bars and the adjusted close, back-adjusted as of the last day."""
    rng = SplitMix64(seed * 7919 + 18)
    price = 20.0 + 80.0 * rng.uniform()
    drift = (rng.uniform() - 0.45) * 0.0012
    split_at = len(days) // 2 if seed % 7 == 1 else None
    rows = []
    for i, d in enumerate(days):
        if split_at is not None and i == split_at:
            price /= 2.0
        ret = drift + (rng.uniform() - 0.5) * 0.04
        open_ = price * (1.0 + (rng.uniform() - 0.5) * 0.01)
        price = max(1.0, price * (1.0 + ret))
        high = max(open_, price) * (1.0 + rng.uniform() * 0.01)
        low = min(open_, price) * (1.0 - rng.uniform() * 0.01)
        volume = 500_000 + int(rng.uniform() * 2_000_000)
        rows.append([d, round(open_, 2), round(high, 2), round(low, 2), round(price, 2), volume])
    # Back-adjust: a dividend of 0.5 % of the close every 63 sessions, the split at split_at.
    factor = 1.0
    adjusted = [0.0] * len(rows)
    for i in range(len(rows) - 1, -1, -1):
        adjusted[i] = round(rows[i][4] * factor, 4)
        if i > 0 and i % 63 == 0:
            factor *= 1.0 - 0.005
        if split_at is not None and i == split_at:
            factor *= 0.5
    return rows, adjusted


def write(path, rows, adjusted):
    with open(path, "w") as f:
        f.write("date,open,high,low,close,adj_close,volume\n")
        for (d, o, h, lo, c, v), a in zip(rows, adjusted):
            f.write(f"{d.isoformat()},{o:.2f},{h:.2f},{lo:.2f},{c:.2f},{a:.4f},{v}\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="folder for the CSV files")
    p.add_argument("--symbols", type=int, default=500)
    p.add_argument("--years", type=int, default=25, help="years of bars (252 sessions each)")
    p.add_argument("--last", default="2026-11-20", help="last trading day, YYYY-MM-DD")
    p.add_argument("--db", help="import into this (new) database file")
    p.add_argument("--ducklens", default="ducklens", help="the DuckLens binary for --db")
    a = p.parse_args()
    days = trading_days(dt.date.fromisoformat(a.last), a.years * 252)
    os.makedirs(a.out, exist_ok=True)
    names = ["SPY"] + [f"S{i:04d}" for i in range(a.symbols)]
    for seed, name in enumerate(names):
        write(os.path.join(a.out, f"{name}.csv"), *series(days, seed))
    print(f"{len(names)} files × {len(days)} bars in {a.out} ({days[0]} … {days[-1]})")
    if a.db:
        if os.path.exists(a.db):
            sys.exit(f"{a.db} exists: give a new file")
        env = dict(os.environ, DUCKLENS_DB=a.db)
        run = lambda *args: subprocess.run([a.ducklens, *args], check=True, env=env, stdout=subprocess.DEVNULL)
        files = [os.path.join(a.out, f"{n}.csv") for n in names]
        run("import", "prices", *files)
        run("watch", "add", *names[1:])
        print(f"imported into {a.db}; watchlist: {len(names) - 1} symbols")


if __name__ == "__main__":
    main()
