#!/usr/bin/env python3
"""policygraph against the fast peers, whole processes, on the same files.

    python3 benches/peers.py [--sizes 100000,1000000] [--runs 3]
                             [--peers igraph,rustworkx,networkit] [--commands validate,...]
                             [--shared ../shared] [--work /tmp/policygraph-bench]
                             [--venv /tmp/policygraph-peers-venv]

The peers are what a performance-minded researcher would script instead of policygraph:
python-igraph, rustworkx and networkit, the CSVs read with polars (benches/peer.py, one
program for the three; versions pinned in benches/peers-requirements.txt, installed
here into a virtual environment when missing). For each size, on the synthetic graph of
shared/bench/gen_synthetic.py (the files benches/compare.py uses), and each command
(validate, lineage, critiques --stance critical, neighbours --depth 2, path, export
--format dot):

1. answers first: policygraph's `--format json` answer, reduced to the canonical form
   the peer prints (sorted ids with distances, counts, rows), must equal each peer's,
   else the difference is printed and that peer is not timed for that command (the DOT
   files: their node and edge statements are counted);
2. then N rounds of whole processes, policygraph and each peer in turn (the order
   rotating every round), each timed and its peak resident memory read from wait4;
   medians of the times, the largest peak. policygraph is timed with the output
   closest to what the peers print (--ours-format): `validate` with its text summary
   and problems (its JSON lists the whole graph; the peers print counts), the queries
   with the JSON answer that was checked (ids; `critiques`' text adds Harvard citations
   no peer makes), the DOT export writing its file.

Prints each peer's time and memory, ours as a share of each peer's and of the fastest
peer's, then a Markdown table and the issue's targets (at most 1/3 of the fastest peer's
time, 1/2 of its memory; at 10^6 memory at most twice the input's bytes, validate under
a second, critiques not slower than validate), each met or missed by how much.

Needs: cargo, python3 (3.11 or later, with venv and pip). A benchmark, not a test:
timings depend on the machine; a busy machine slows every tool, not in proportion.
"""
import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in benches/ from importing compare
from compare import pick_nodes, release_dir, run  # noqa: E402  (one timing for both benches)

PEER = os.path.join(HERE, "peer.py")
REQUIREMENTS = os.path.join(HERE, "peers-requirements.txt")
PEERS = ["igraph", "rustworkx", "networkit"]
NO_DOT = {"networkit": "its DotGraphWriter writes an undirected graph of node numbers, no labels"}


def pins():
    with open(REQUIREMENTS) as f:
        return dict(line.strip().split("==") for line in f if "==" in line and not line.startswith("#"))


def peer_python(venv):
    """The virtual environment's python, with the pinned peers installed."""
    python = os.path.join(venv, "bin", "python")
    probe = ("import importlib.metadata as m, json, sys; p = json.loads(sys.argv[1]); "
             "sys.exit(any(m.version(k) != v for k, v in p.items()))")
    if os.path.exists(python) and subprocess.run([python, "-c", probe, json.dumps(pins())],
                                                 capture_output=True).returncode == 0:
        return python
    print(f"installing the peers into {venv} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS], check=True)
    return python


# policygraph's --format json answers, reduced to the canonical form peer.py prints.

def validate_answer(j):
    problems = collections.Counter(p["code"] for p in j["problems"])
    problems.update(j["omitted"])
    c = j["counts"]
    return {"nodes": c["nodes"], "edges": c["edges"], "by_kind": c["by_kind"],
            "by_relation": c["by_relation"], "problems": dict(sorted(problems.items()))}


def lineage_answer(j):
    roles = {"predecessors": [], "successors": []}
    made_by = []
    for m in j["members"]:
        if m["role"] != "root":
            roles[m["role"] + "s"].append([m["id"], m["distance"]])
        made_by += [[m["id"], "established-by", t] for t in m["established_by"]]
        made_by += [[m["id"], "reformed-by", t] for t in m["reformed_by"]]
    return {**{k: sorted(v) for k, v in roles.items()}, "established_by": sorted(made_by)}


def critiques_answer(j):
    rows = ([r["subject"], r["finding"], r["document"], r["publishers"], r["year"],
             [x["document"] for x in r["reported_in"]]] for r in j["rows"])
    return {"rows": sorted(json.dumps(r, separators=(",", ":")) for r in rows)}


def neighbours_answer(j):
    return {"distances": sorted([k, v] for k, v in j["distances"].items()), "edges": len(j["edges"])}


def path_answer(j):
    return {"hops": len(j["path"]) - 1}


STATEMENT = re.compile(r'^\s*(\d+|"(?:[^"\\]|\\.)*")\s*(->|\[)')


def dot_answer(path):
    """The node and edge statements of a DOT file (the legend's are not the graph's)."""
    counts = {"nodes": 0, "edges": 0}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = STATEMENT.match(line)
            if m and not m.group(1).startswith('"legend-'):
                counts["edges" if m.group(2) == "->" else "nodes"] += 1
    return counts


def difference(ours, theirs, at="answer"):
    """Lines saying where two canonical answers differ."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for k in sorted(set(ours) | set(theirs)):
            if ours.get(k) != theirs.get(k):
                yield from difference(ours.get(k), theirs.get(k), f"{at}.{k}")
    elif isinstance(ours, list) and isinstance(theirs, list):
        a = collections.Counter(json.dumps(x) for x in ours)
        b = collections.Counter(json.dumps(x) for x in theirs)
        yield (f"{at}: {len(ours)} items in ours, {len(theirs)} in theirs; only ours: "
               f"{list((a - b).elements())[:3]}; only theirs: {list((b - a).elements())[:3]}")
    else:
        yield f"{at}: ours {ours!r}, theirs {theirs!r}"


def answer(cmd, reduce=None, out_file=None, cut=False):
    """The canonical answer of one run: the DOT file's counts, or stdout's JSON reduced.
    With `cut`, the JSON is read only up to its top-level "nodes" (which follows every
    key the reductions of validate and critiques read): a million nodes' JSON would take
    gigabytes as Python objects."""
    with tempfile.TemporaryFile("w+") as errors:
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True) as p:
            kept = []
            for line in p.stdout:
                if cut and line.startswith('  "nodes": '):
                    for _ in p.stdout:
                        pass
                    kept = ["".join(kept).rstrip().rstrip(","), "}"]
                    break
                kept.append(line)
        errors.seek(0)
        err = errors.read()
    text = "".join(kept)
    if p.returncode not in (0, 1):
        return None, f"exited {p.returncode}: {err.strip()[-500:]}"
    if out_file:
        return dot_answer(out_file), None
    try:
        return (reduce(json.loads(text)) if reduce else json.loads(text)), None
    except (ValueError, KeyError) as e:
        return None, f"no answer ({e}): {err.strip()[-500:]}"


def share(ours, theirs):
    return ours / theirs if theirs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--commands", default="validate,lineage,critiques,neighbours,path,export dot")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--work", default="/tmp/policygraph-bench")
    ap.add_argument("--venv", default="/tmp/policygraph-peers-venv")
    ap.add_argument("--ours-format", choices=["closest", "text", "json"], default="closest",
                    help="policygraph's output when timed; closest: validate's text (a summary "
                         "and the problems, as the peers print counts), the others' JSON (ids, "
                         "as the peers print; critiques' text adds Harvard citations no peer makes)")
    a = ap.parse_args()
    peers = a.peers.split(",")
    wanted = {c.strip().replace("export-dot", "export dot") for c in a.commands.split(",")}

    python = peer_python(a.venv)
    subprocess.run(["cargo", "build", "--release", "--bins", "--quiet"], cwd=ROOT, check=True)
    ours = os.path.join(release_dir(), "policygraph")
    gen = os.path.join(a.shared, "bench", "gen_synthetic.py")
    os.makedirs(a.work, exist_ok=True)
    print(f"peers: {', '.join(f'{k} {v}' for k, v in pins().items() if k in peers + ['polars'])}; "
          f"runs: {a.runs}; policygraph's output: {a.ours_format}; load average: {os.getloadavg()[0]:.2f}",
          flush=True)

    results = []  # (size, command, {tool: (median seconds, peak MB)})
    inputs = {}
    print(f"{'size':>8} {'command':<11} {'tool':<12} {'s':>7} {'MB':>6} {'ours/s':>7} {'ours/MB':>8}")
    for size in [int(s) for s in a.sizes.split(",")]:
        d = os.path.join(a.work, f"syn{size}")
        if not os.path.exists(os.path.join(d, "edges.csv")):
            subprocess.run([sys.executable, gen, str(size), d], check=True)
        inputs[size] = sum(os.path.getsize(os.path.join(d, f)) for f in ("nodes.csv", "edges.csv"))
        print(f"{size:>8} input: nodes.csv + edges.csv = {inputs[size] / 2**20:.0f} MB ({inputs[size]:,} bytes)", flush=True)
        lineage, target, centre = pick_nodes(d)
        dots = {tool: os.path.join(a.work, f"peers-{tool}-{size}.dot") for tool in ["ours"] + peers}
        cases = [
            ("validate", ["validate"], ["validate"], validate_answer, True),
            ("lineage", ["lineage", lineage], ["lineage", lineage], lineage_answer, False),
            ("critiques", ["critiques", "--stance", "critical"], ["critiques"], critiques_answer, True),
            ("neighbours", ["neighbours", centre, "--depth", "2"], ["neighbours", centre, "2"], neighbours_answer, False),
            ("path", ["path", lineage, target], ["path", lineage, target], path_answer, False),
            ("export dot", ["export", "--format", "dot", "-o", dots["ours"]], ["export-dot"], None, False),
        ]
        for name, our_args, peer_args, reduce, cut in cases:
            if name not in wanted:
                continue
            dot = name == "export dot"
            timed_json = not dot and (a.ours_format == "json" or a.ours_format == "closest" and name != "validate")

            def command(tool, json_answer=False):
                if tool == "ours":
                    return [ours, "--data", d, *(["--format", "json"] if json_answer else []), *our_args]
                extra = [dots[tool]] if dot else []
                return [python, PEER, tool, peer_args[0], d, *peer_args[1:], *extra]

            mine, error = answer(command("ours", not dot), reduce, dots["ours"] if dot else None, cut)
            if error:
                sys.exit(f"policygraph {name}: {error}")
            timed = ["ours"]
            for tool in peers:
                if dot and tool in NO_DOT:
                    print(f"{size:>8} {name:<11} {tool:<12} cannot write this DOT: {NO_DOT[tool]}")
                    continue
                theirs, error = answer(command(tool), None, dots[tool] if dot else None)
                if error or theirs != mine:
                    why = [error] if error else list(difference(mine, theirs))
                    print(f"{size:>8} {name:<11} {tool:<12} ANSWER DIFFERS, not timed:")
                    for line in why:
                        print(f"{'':>22}{line}")
                    continue
                timed.append(tool)
            if len(timed) == 1:
                print(f"{size:>8} {name:<11} not timed: no peer gives our answer")
                continue
            times = {tool: [] for tool in timed}
            peaks = {tool: [] for tool in timed}
            for r in range(a.runs):
                for tool in timed[r % len(timed):] + timed[:r % len(timed)]:
                    secs, peak, code = run(command(tool, timed_json))
                    if code not in (0, 1):
                        sys.exit(f"{' '.join(command(tool))} exited {code}")
                    times[tool].append(secs)
                    peaks[tool].append(peak)
            got = {tool: (statistics.median(times[tool]), max(peaks[tool])) for tool in timed}
            results.append((size, name, got))
            o_t, o_m = got["ours"]
            print(f"{size:>8} {name:<11} {'policygraph':<12} {o_t:>7.3f} {o_m:>6.0f}")
            for tool in timed[1:]:
                t, m = got[tool]
                print(f"{size:>8} {name:<11} {tool:<12} {t:>7.3f} {m:>6.0f} {share(o_t, t):>7.2f} {share(o_m, m):>8.2f}")
            fastest = min(timed[1:], key=lambda tool: got[tool][0])
            t, m = got[fastest]
            print(f"{size:>8} {name:<11} {'fastest: ' + fastest:<20} {share(o_t, t):>7.2f} {share(o_m, m):>8.2f}",
                  flush=True)
            for f in dots.values():
                if dot and os.path.exists(f):
                    os.remove(f)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}\n")
    markdown(results, peers)
    targets(results, inputs)


def markdown(results, peers):
    print("| size | command | policygraph | " + " | ".join(peers) + " | ours / fastest peer (time, memory) |")
    print("|---|---|---|" + "---|" * len(peers) + "---|")
    for size, name, got in results:
        o_t, o_m = got["ours"]
        cells = [f"{got[p][0]:.3f} s, {got[p][1]:.0f} MB" if p in got else "–" for p in peers]
        others = [p for p in got if p != "ours"]
        best = ""
        if others:
            f = min(others, key=lambda p: got[p][0])
            best = f"{share(o_t, got[f][0]):.2f}, {share(o_m, got[f][1]):.2f} ({f})"
        print(f"| {size:,} | {name} | {o_t:.3f} s, {o_m:.0f} MB | " + " | ".join(cells) + f" | {best} |")


def targets(results, inputs):
    print("\ntargets (issue 22):")

    def verdict(label, value, limit, unit=""):
        ok = value <= limit
        how = "met" if ok else f"missed by {value / limit:.2f}x"
        print(f"  {label}: {value:.3f}{unit} against at most {limit:.3f}{unit}: {how}")

    at = {}
    for size, name, got in results:
        at[size, name] = got["ours"]
        others = [p for p in got if p != "ours"]
        if not others:
            continue
        f = min(others, key=lambda p: got[p][0])
        verdict(f"{size:,} {name} time / fastest peer's ({f})", share(got["ours"][0], got[f][0]), 1 / 3)
        verdict(f"{size:,} {name} memory / fastest peer's ({f})", share(got["ours"][1], got[f][1]), 1 / 2)
    big = 1_000_000
    if big not in inputs:
        print("  (the targets at 10^6 need --sizes to include 1000000)")
        return
    peak = max(m for (size, _), (_, m) in at.items() if size == big)
    verdict(f"{big:,} peak memory, MB / twice the input's", peak / (2 * inputs[big] / 2**20), 1)
    if (big, "validate") in at:
        verdict(f"{big:,} validate", at[big, "validate"][0], 1, " s")
        if (big, "critiques") in at:
            verdict(f"{big:,} critiques / validate", at[big, "critiques"][0] / at[big, "validate"][0], 1)

if __name__ == "__main__":
    main()
