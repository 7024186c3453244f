#!/usr/bin/env python3
"""The explorer at scale: how long a synthetic collection's page takes to write, to
open in Chromium, to answer a search and to focus a node.

    python3 benches/explorer.py [--sizes 1000,10000] [--runs 3] [--shared ../shared]
                                [--work /tmp/policygraph-bench-explorer]

Generates synthetic graphs with shared/bench/gen_synthetic.py (once per size), writes
each one's explorer with the release binary (timed as a whole process), then drives
Chromium with benches/explorer.mjs, each run in a fresh 1366x768 page: open (from goto
until the page is drawn), search (from filling the search box until the first result)
and focus (from clicking it until the neighbourhood is laid out). Two queries, each
the name of a node: a typical one (the first with 4 to 8 edges) and the busiest. Prints
min and median of the runs, the mode the page opened in (overview or focus only), the
JS heap used, and a verdict per size against the target (issue 17): the page opens and
answers a search within 2 s (median open + search, typical query; no console or page
errors). Results are also written to WORK/results.json (merged by size).

Needs: cargo, python3, Node.js, Chromium, and playwright-core (`npm ci --prefix
tests/browser`; in a git worktree without it, the main checkout's is used). Honours
CARGO_TARGET_DIR. A benchmark, not a test: timings depend on the machine.
"""
import argparse
import collections
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main_checkout():
    """The main checkout when ROOT is a git worktree (else ROOT)."""
    got = subprocess.run(["git", "-C", ROOT, "rev-parse", "--path-format=absolute",
                          "--git-common-dir"], capture_output=True, text=True)
    return os.path.dirname(got.stdout.strip()) if got.returncode == 0 else ROOT


def first_existing(paths, what):
    for p in paths:
        if os.path.exists(p):
            return p
    sys.exit(f"no {what} in {paths}")


def pick_queries(d):
    """A typical node (the first in file order with 4 to 8 edges) and the busiest one:
    (label, name, degree) each."""
    degree = collections.Counter()
    with open(os.path.join(d, "edges.csv"), newline="") as f:
        for row in csv.DictReader(f):
            degree[row["from"]] += 1
            degree[row["to"]] += 1
    busiest = degree.most_common(1)[0][0]
    names, typical = {}, None
    with open(os.path.join(d, "nodes.csv"), newline="") as f:
        for row in csv.DictReader(f):
            names[row["id"]] = row["name"]
            if typical is None and 4 <= degree[row["id"]] <= 8:
                typical = row["id"]
    return [("typical", names[typical], degree[typical]),
            ("busiest", names[busiest], degree[busiest])]


def span(xs):
    return {"min": min(xs), "median": statistics.median(xs)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=None, help="default: ../shared beside the checkout")
    ap.add_argument("--work", default="/tmp/policygraph-bench-explorer")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    a = ap.parse_args()
    main_root = main_checkout()
    shared = a.shared or first_existing(
        [os.path.join(ROOT, "..", "shared"), os.path.join(main_root, "..", "shared")], "shared/")
    gen = os.path.join(shared, "bench", "gen_synthetic.py")
    modules = first_existing(
        [os.path.join(r, "tests", "browser") for r in (ROOT, main_root)
         if os.path.isdir(os.path.join(r, "tests", "browser", "node_modules", "playwright-core"))],
        "tests/browser/node_modules/playwright-core (npm ci --prefix tests/browser)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    exe = os.path.join(target, "release", "policygraph")
    os.makedirs(a.work, exist_ok=True)

    print(f"{'nodes':>6} {'write s':>7} {'MB':>5} {'mode':>10} {'lineage':>7} "
          f"{'open s':>11} {'search s':>11} {'focus s':>11} {'drawn':>5} {'heap MB':>7}  query")
    results = []
    for size in [int(s) for s in a.sizes.split(",")]:
        d = os.path.join(a.work, str(size))
        if not os.path.exists(os.path.join(d, "edges.csv")):
            subprocess.run([sys.executable, gen, str(size), d], check=True,
                           stdout=subprocess.DEVNULL)
        page = os.path.join(a.work, f"explorer-{size}.html")
        t = time.perf_counter()
        subprocess.run([exe, "--data", d, "explorer", "-o", page], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        write = time.perf_counter() - t
        mb = os.path.getsize(page) / 1e6
        queries = pick_queries(d)
        got = subprocess.run(
            ["node", os.path.join(HERE, "explorer.mjs"), a.chromium, page, str(a.runs),
             json.dumps([{"label": l, "name": n} for l, n, _ in queries]), modules],
            capture_output=True, text=True)
        if got.returncode != 0:
            sys.exit(f"explorer.mjs failed for {size}:\n{got.stderr}")
        r = json.loads(got.stdout)
        m = re.search(r"(\d+) of \d+ nodes|has (\d+) nodes", r["count"])
        lineage = int(m.group(1) or m.group(2)) if m else None
        opened = span(r["open"])
        row = {"nodes": size, "loadavg_after": os.getloadavg()[0], "write_s": write, "page_mb": mb, "mode": r["mode"],
               "count": r["count"], "lineage": lineage, "open_s": opened, "open_runs": r["open"],
               "heap_open_mb": max(r["heap_open_mb"]), "errors": r["errors"],
               "warnings": r["warnings"], "queries": {}}
        for label, name, degree in queries:
            q = r["queries"][label]
            row["queries"][label] = {
                "name": name, "degree": degree, "search_s": span(q["search"]),
                "focus_s": span(q["focus"]), "search_runs": q["search"], "focus_runs": q["focus"],
                "drawn": q["drawn"], "count": q["count"], "first_is_query": q["first_is_query"],
                "heap_focus_mb": max(q["heap_focus_mb"]), "dagre_s": span(q["dagre"])}
        for i, (label, name, degree) in enumerate(queries):
            q = row["queries"][label]
            lead = (f"{size:>6} {write:>7.2f} {mb:>5.1f} {r['mode']:>10} {lineage or '?':>7} "
                    f"{opened['min']:>5.2f}/{opened['median']:<5.2f}" if i == 0 else " " * 56)
            print(f"{lead} {q['search_s']['min']:>5.3f}/{q['search_s']['median']:<5.3f} "
                  f"{q['focus_s']['min']:>5.2f}/{q['focus_s']['median']:<5.2f} "
                  f"{q['dagre_s']['median']:>7.2f} {q['drawn']:>5} "
                  f"{q['heap_focus_mb']:>7.0f}  {label}, degree {degree}"
                  + ("" if q["first_is_query"] else " (first result not the query)"))
        total = opened["median"] + row["queries"]["typical"]["search_s"]["median"]
        row["open_plus_search_s"] = total
        row["meets_target"] = total < 2.0 and not r["errors"]
        print(f"{'':>6} (load average {row['loadavg_after']:.2f}) verdict: open + search = {total:.2f} s "
              + ("meets" if row["meets_target"] else "MISSES")
              + " the target (opens and responds to a search within 2 s)"
              + (f"; {len(r['errors'])} errors: {r['errors'][:3]}" if r["errors"] else "; no errors")
              + (f"; {len(r['warnings'])} warnings: {r['warnings'][:2]}" if r["warnings"] else ""))
        results.append(row)
    out = os.path.join(a.work, "results.json")
    old = []
    if os.path.exists(out):
        try:
            with open(out) as f:
                old = [x for x in json.load(f) if isinstance(x, dict) and "queries" in x]
        except ValueError:
            old = []
    new = {x["nodes"] for x in results}
    merged = sorted([x for x in old if x["nodes"] not in new] + results, key=lambda x: x["nodes"])
    with open(out, "w") as f:
        json.dump(merged, f, indent=1)
    print(f"(min/median of {a.runs} runs, each in a fresh page per query; write: one whole "
          f"process; dagre: median of the focus layout alone, unanimated; heap: most JS heap "
          f"used after the focus; results in {out})")


if __name__ == "__main__":
    main()
