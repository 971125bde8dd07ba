#!/usr/bin/env python3
"""Best ns/bar of `cargo bench --bench indicators`, from criterion's saved samples.

Criterion prints the mean of its samples, which on a shared machine includes the time other
processes held the core; `talib_bench.py` keeps the best of its repeats. This reads the
samples criterion saved (`<target>/criterion/indicators/compute_all/<bars>/<baseline>/
sample.json`) and prints the best one per bar, comparable with the TA-Lib figure.
"""

import argparse
import json
import os
import pathlib


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_target = os.environ.get("CARGO_TARGET_DIR", "target")
    parser.add_argument("--target-dir", default=default_target)
    parser.add_argument("--baseline", default="new", help="criterion's `new` or a saved name")
    args = parser.parse_args()
    group = pathlib.Path(args.target_dir) / "criterion" / "indicators" / "compute_all"
    for bars_dir in sorted(group.iterdir(), key=lambda p: (not p.name.isdigit(), p.name)):
        sample = bars_dir / args.baseline / "sample.json"
        if not bars_dir.name.isdigit() or not sample.exists():
            continue
        bars = int(bars_dir.name)
        data = json.loads(sample.read_text())
        per_iter = [t / n for t, n in zip(data["times"], data["iters"])]
        mean = sum(data["times"]) / sum(data["iters"])
        print(f"{bars} bars: best {min(per_iter) / bars:.1f} ns/bar, "
              f"mean {mean / bars:.1f} ns/bar ({len(per_iter)} samples, {args.baseline})")


if __name__ == "__main__":
    main()
