#!/usr/bin/env python3
"""Whole-process timings of every query command on the shipped dataset.

    python3 benches/curated.py [--runs N] [--bin target/release/policygraph]

Builds nothing: run `cargo build --release` first. Prints the median and the slowest
of N runs for each command, in milliseconds, and whether the median is under the 30 ms
budget (SPEC.md, quality bars). Timings only: this is a benchmark, never a test.
"""
import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = [
    ["validate"],
    ["show", "better-care-fund"],
    ["search", "care"],
    ["lineage", "primary-care-trusts"],
    ["critiques"],
    ["critiques", "better-care-fund", "--stance", "critical"],
    ["path", "primary-care-trusts", "health-and-care-act-2022"],
    ["explain", "primary-care-trusts", "health-and-social-care-act-2012"],
    ["neighbours", "national-audit-office", "--depth", "2"],
    ["timeline"],
    ["timeline", "--as-of", "2015"],
    ["diff", "2010", "2020"],
    ["stats"],
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--bin", default="target/release/policygraph")
    ap.add_argument("--data", default="data")
    a = ap.parse_args()
    worst = 0.0
    print(f"{'command':<62} {'median ms':>9} {'max ms':>7}  budget")
    for args in COMMANDS:
        for fmt in ("text", "json"):
            cmd = [a.bin, "--data", a.data, *args, "--format", fmt]
            times = []
            for _ in range(a.runs):
                t = time.perf_counter()
                r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times.append((time.perf_counter() - t) * 1000)
                if r.returncode != 0:
                    sys.exit(f"{' '.join(cmd)} exited {r.returncode}")
            med = statistics.median(times)
            worst = max(worst, med)
            label = " ".join(args) + ("" if fmt == "text" else " --format json")
            print(f"{label:<62} {med:>9.1f} {max(times):>7.1f}  {'ok' if med < 30 else 'OVER'}")
    print(f"\nslowest median: {worst:.1f} ms (budget 30 ms)")


if __name__ == "__main__":
    main()
