#!/usr/bin/env python3
"""policygraph against the networkx baseline, whole processes, on the same files.

    python3 benches/compare.py [--sizes 100000,1000000] [--runs 5] [--nx-runs 3]
                               [--shared ../shared] [--work /tmp/policygraph-bench]

Generates synthetic graphs with shared/bench/gen_synthetic.py (once per size), then
times each command as a whole process for both tools in one run: validate, lineage,
critiques, neighbours, path and a DOT export. Prints medians, peak resident memory
(from wait4, per process) and the ratios, plus load throughput against a bare parse of
the same CSV files with the csv crate: `validate` against examples/bare_csv.rs as whole
processes, and, in one process (examples/load_phases.rs), the load itself (parse into
records, index and build the graph) and the checks against the same bare parse.

Needs: cargo, python3 with networkx (and pydot for the DOT export; without it that row
is skipped). Builds `cargo build --release --examples` itself. A benchmark, not a test:
timings depend on the machine.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def release_dir():
    """Where cargo puts release binaries (CARGO_TARGET_DIR and config respected)."""
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    return os.path.join(json.loads(meta)["target_directory"], "release")


def run(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (seconds, peak RSS in MB, exit code)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t
    return secs, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def measure(cmd, runs):
    times, peaks = [], []
    for _ in range(runs):
        secs, peak, code = run(cmd)
        if code not in (0, 1):  # validate exits 1 on invalid data; anything else is a failure
            sys.exit(f"{' '.join(cmd)} exited {code}")
        times.append(secs)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def pick_nodes(d):
    """A node with a lineage, a node to reach from it, and a well-connected centre."""
    lineage = target = centre = None
    with open(os.path.join(d, "edges.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if lineage is None and row["relation"] == "replaced":
                lineage = row["from"]
            if target is None and row["relation"] == "published-by":
                target = row["to"]
            if centre is None and row["relation"] == "evaluated-by":
                centre = row["from"]
            if lineage and target and centre:
                break
    return lineage, target, centre


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--nx-runs", type=int, default=3)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--work", default="/tmp/policygraph-bench")
    a = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--bins", "--examples", "--quiet"], cwd=ROOT, check=True)
    ours = os.path.join(release_dir(), "policygraph")
    bare = os.path.join(release_dir(), "examples", "bare_csv")
    phases_bin = os.path.join(release_dir(), "examples", "load_phases")
    gen = os.path.join(a.shared, "bench", "gen_synthetic.py")
    nx = os.path.join(a.shared, "bench", "networkx_baseline.py")
    have_pydot = subprocess.run([sys.executable, "-c", "import pydot"], capture_output=True).returncode == 0
    os.makedirs(a.work, exist_ok=True)

    print(f"{'size':>8} {'command':<12} {'ours s':>8} {'ours MB':>8} {'nx s':>8} {'nx MB':>8} {'speed':>7} {'memory':>7}")
    for size in [int(s) for s in a.sizes.split(",")]:
        d = os.path.join(a.work, f"syn{size}")
        if not os.path.exists(os.path.join(d, "edges.csv")):
            subprocess.run([sys.executable, gen, str(size), d], check=True)
        lineage, target, centre = pick_nodes(d)
        dot_ours = os.path.join(a.work, f"ours{size}.dot")
        dot_nx = os.path.join(a.work, f"nx{size}.dot")
        cases = [
            ("validate", ["validate"], ["validate"]),
            ("lineage", ["lineage", lineage], ["lineage", lineage]),
            ("critiques", ["critiques", "--stance", "critical"], ["critiques"]),
            ("neighbours", ["neighbours", centre, "--depth", "2"], ["neighbours", centre, "2"]),
            ("path", ["path", lineage, target], ["path", lineage, target]),
            ("export dot", ["export", "--format", "dot", "-o", dot_ours], ["export-dot", dot_nx] if have_pydot else None),
        ]
        for name, our_args, nx_args in cases:
            o_t, o_m = measure([ours, "--data", d, *our_args], a.runs)
            if nx_args is None:
                print(f"{size:>8} {name:<12} {o_t:>8.3f} {o_m:>8.0f} {'(pydot missing)':>26}")
                continue
            n_t, n_m = measure([sys.executable, nx, nx_args[0], d, *nx_args[1:]], a.nx_runs)
            print(f"{size:>8} {name:<12} {o_t:>8.3f} {o_m:>8.0f} {n_t:>8.3f} {n_m:>8.0f} {n_t / o_t:>6.1f}x {n_m / o_m:>6.1f}x", flush=True)
        b_t, _ = measure([bare, d], a.runs)
        v_t, _ = measure([ours, "--data", d, "validate"], a.runs)
        print(f"{size:>8} {'validate vs bare csv parse':<30} bare {b_t:.3f} s, validate {v_t:.3f} s: {v_t / b_t:.1f}x the bare parse (whole processes)")
        phases = load_phases(phases_bin, d, a.runs)
        load = phases["parse"] + phases["build"]
        print(f"{size:>8} {'load vs bare csv parse':<30} bare {phases['bare']:.3f} s, load {load:.3f} s "
              f"(parse {phases['parse']:.3f} + graph {phases['build']:.3f}): {load / phases['bare']:.1f}x the bare parse; "
              f"checks {phases['checks']:.3f} s (in one process, medians)", flush=True)


def load_phases(binary, d, runs):
    """Medians of each phase timed by examples/load_phases.rs, in one process per run."""
    keys = {"bare csv parse": "bare", "parse to records": "parse", "build graph": "build", "checks": "checks"}
    seen = {k: [] for k in keys.values()}
    for _ in range(runs):
        out = subprocess.run([binary, d], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            for label, key in keys.items():
                if line.startswith(label):
                    seen[key].append(float(line[len(label):].split()[0]))
    return {k: statistics.median(v) for k, v in seen.items()}


if __name__ == "__main__":
    main()
