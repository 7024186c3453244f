#!/usr/bin/env python3
"""The explorer at scale: how long a synthetic collection's page takes to write, to
open in Chromium, to answer a search and to focus a node.

    python3 benches/explorer.py [--sizes 1000,10000] [--runs 3] [--shared ../shared]
                                [--work /tmp/policygraph-bench-explorer]

Generates synthetic graphs with shared/bench/gen_synthetic.py (once per size), writes
each one's explorer with the release binary (timed as a whole process), then drives
Chromium with benches/explorer.mjs: open (until the page is drawn), search (until the
first result), focus (until the neighbourhood is laid out) for the busiest node, whose
name is the query. The target (issue 17): a 10,000-node collection opens and answers a
search within 2 s. No peer has a standalone explorer to compare with; the figure is the
target itself.

Needs: cargo, python3, Node.js, Chromium, and playwright-core (`npm ci --prefix
tests/browser`). A benchmark, not a test: timings depend on the machine.
"""
import argparse
import collections
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def busiest(d):
    """The name of the node with the most edges, and that count."""
    degree = collections.Counter()
    with open(os.path.join(d, "edges.csv"), newline="") as f:
        for row in csv.DictReader(f):
            degree[row["from"]] += 1
            degree[row["to"]] += 1
    node, count = degree.most_common(1)[0]
    with open(os.path.join(d, "nodes.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["id"] == node:
                return row["name"], count
    sys.exit(f"no node {node}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--work", default="/tmp/policygraph-bench-explorer")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "policygraph")
    os.makedirs(a.work, exist_ok=True)
    print(f"{'nodes':>7} {'write s':>8} {'page MB':>8} {'mode':>11} {'open s':>7} "
          f"{'search s':>9} {'focus s':>8} {'drawn':>6}  verdict (open + search < 2 s)")
    results = []
    for size in [int(s) for s in a.sizes.split(",")]:
        d = os.path.join(a.work, str(size))
        if not os.path.exists(os.path.join(d, "edges.csv")):
            subprocess.run([sys.executable, os.path.join(a.shared, "bench", "gen_synthetic.py"),
                            str(size), d], check=True)
        page = os.path.join(a.work, f"explorer-{size}.html")
        t = time.perf_counter()
        subprocess.run([exe, "--data", d, "explorer", "-o", page], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        write = time.perf_counter() - t
        query, degree = busiest(d)
        got = subprocess.run(["node", os.path.join(HERE, "explorer.mjs"), a.chromium, page,
                              query, str(a.runs)], check=True, capture_output=True, text=True)
        r = json.loads(got.stdout)
        med = {k: statistics.median(r[k]) for k in ("open", "search", "focus")}
        ok = med["open"] + med["search"] < 2.0 and not r["problems"]
        mb = os.path.getsize(page) / 1e6
        print(f"{size:>7} {write:>8.2f} {mb:>8.1f} {r['mode']:>11} {med['open']:>7.2f} "
              f"{med['search']:>9.3f} {med['focus']:>8.2f} {r['drawn']:>6}  "
              f"{'meets' if ok else 'MISSES'}"
              + (f"; problems: {r['problems'][:3]}" if r["problems"] else ""))
        results.append({"nodes": size, "write_s": write, "page_mb": mb, "busiest_degree": degree,
                        **{f"{k}_s": v for k, v in med.items()},
                        "runs": {k: r[k] for k in ("open", "search", "focus")},
                        "mode": r["mode"], "drawn": r["drawn"], "problems": r["problems"]})
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"(medians of {a.runs} runs; focus: the busiest node; results in {a.work}/results.json)")


if __name__ == "__main__":
    main()
