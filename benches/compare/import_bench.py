#!/usr/bin/env python3
"""Time `ducklens import prices` into a fresh database against a bare DuckDB `read_csv` of the
same files into a fresh database file, interleaved, best of several runs.

    python3 -m pip install duckdb        # the Python DuckDB, for the bare read_csv side
    cargo build --release
    python3 benches/compare/import_bench.py FOLDER [--runs 5] [--ducklens PATH]

FOLDER holds one CSV per symbol (`date,open,high,low,close,adj_close,volume`). Both sides
start a fresh process and write a fresh file database; the DuckDB side is

    CREATE TABLE prices AS SELECT * FROM read_csv('FOLDER/*.csv', filename = true)

in a `python3 -c` process (the interpreter's start and `import duckdb` are timed too, about
what DuckLens's start and schema creation cost). `uptime` is printed before and after:
compare load averages before comparing numbers.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

BARE = """
import duckdb, sys
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE prices AS SELECT * FROM read_csv(?, filename = true)", [sys.argv[2]])
con.close()
"""


def timed(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(here, "..", "..", "target"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ducklens", default=os.path.join(target, "release", "ducklens"))
    args = parser.parse_args()
    files = sorted(f for f in os.listdir(args.folder) if f.endswith(".csv"))
    rows = sum(sum(1 for _ in open(os.path.join(args.folder, f))) - 1 for f in files)
    print(f"{len(files)} files, {rows} bars; {args.ducklens}")
    subprocess.run(["uptime"])
    best = {"ducklens": float("inf"), "duckdb": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_STATE_HOME=tmp, XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp)
        env.pop("DUCKLENS_DB", None)
        for run in range(args.runs):
            db = os.path.join(tmp, f"d{run}.duckdb")
            t = timed([args.ducklens, "--db", db, "import", "prices", args.folder], env)
            best["ducklens"] = min(best["ducklens"], t)
            bare = os.path.join(tmp, f"b{run}.duckdb")
            glob = os.path.join(args.folder, "*.csv")
            u = timed([sys.executable, "-c", BARE, bare, glob])
            best["duckdb"] = min(best["duckdb"], u)
            print(f"run {run + 1}: ducklens {t:.3f} s, bare read_csv {u:.3f} s")
    subprocess.run(["uptime"])
    ratio = best["ducklens"] / best["duckdb"]
    print(
        f"best: ducklens import prices {best['ducklens']:.3f} s, "
        f"DuckDB read_csv {best['duckdb']:.3f} s, ratio {ratio:.2f}x"
    )


if __name__ == "__main__":
    main()
