#!/usr/bin/env python3
"""Loads policygraph's Cypher (FalkorDB dialect) into a real FalkorDB and checks it
against the same view's `export --format json`.

    falkordb_check.py DB_DIR SAMPLE NAME CYPHER JSON [NAME CYPHER JSON ...]

FalkorDB runs in-process through falkordblite (PyPI `falkordblite`, Python >= 3.12),
one server for all the pairs, each pair in a graph of its own. For each pair it checks
node counts per label (`PolicyNode` and the kind's), relationship counts per type,
that every relationship has its own `edge_id`, and every property of a sample of at
most SAMPLE nodes and SAMPLE (from, type, to) groups of relationships (all of them when
there are fewer), compared as typed values with what the JSON says: free attributes of
one type across the view keep it, mixed ones are their text, as the exporter's rule is.
Prints one line per pair; exits 1 listing the first differences, 2 on bad arguments.
Used by tests/graphdb.rs.
"""
import json
import math
import sys
import time

from redislite.falkordb_client import FalkorDB

LABELS = {"initiative": "Initiative", "body": "Body", "legislation": "Legislation",
          "document": "Document", "finding": "Finding"}


def rel_type(relation):
    return relation.upper().replace("-", "_")


def statements(text):
    """The script's statements: blank-line separated, `//` lines are comments."""
    out = []
    for chunk in text.split("\n\n"):
        lines = [l for l in chunk.split("\n") if l.strip() and not l.startswith("//")]
        if lines:
            out.append("\n".join(lines))
    return out


def rust_text(v):
    """A value's text as the exporter writes a mixed-type attribute (Rust's Display)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return repr(v)
    return str(v)


def attr_types(records):
    types = {}
    for r in records:
        for k, v in (r.get("attrs") or {}).items():
            types.setdefault(k, set()).add(type(v).__name__)
    return {k: (t.pop() if len(t) == 1 else "str") for k, t in types.items()}


def common(record, types, out):
    """The properties every record has from the fields they share."""
    for k in ("date", "stance", "summary", "note"):
        if record.get(k) is not None:
            out[k] = record[k]
    if record.get("sources"):
        out["sources"] = [f"{s['doc']}@{s['at']}" for s in record["sources"]]
    for k, v in (record.get("attrs") or {}).items():
        out["attrs." + k] = v if types[k] != "str" else rust_text(v)
    return out


def node_props(n, types):
    out = {"id": n["id"], "name": n["name"], "end_status": n["end_status"]}
    if n.get("start") is not None:
        out["start"] = n["start"]
    if n["end_status"] == "dated":
        out["end"] = n["end"]
    if n.get("aliases"):
        out["aliases"] = n["aliases"]
    return common(n, types, out)


def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def same_props(a, b):
    return set(a) == set(b) and all(same(a[k], b[k]) for k in a)


def every(items, n):
    """At most n items, spread evenly, deterministic."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def check(db, name, cypher, json_path, sample, problems):
    view = json.load(open(json_path, encoding="utf-8"))
    g = db.select_graph(name)
    started = time.time()
    for s in statements(open(cypher, encoding="utf-8").read()):
        try:
            g.query(s)
        except Exception as e:  # FalkorDB's own message says what it rejected
            problems.append(f"{name}: FalkorDB rejects a statement: {e}\n{s[:400]}")
            return
    loaded = time.time() - started

    def scalar(q, params=None):
        return g.query(q, params).result_set[0][0]

    nodes, links = view["nodes"], view["links"]
    want = {"PolicyNode": len(nodes)}
    for n in nodes:
        want[LABELS[n["kind"]]] = want.get(LABELS[n["kind"]], 0) + 1
    got = {}
    for labels, count in g.query("MATCH (n) RETURN labels(n), count(n)").result_set:
        for l in labels:
            got[l] = got.get(l, 0) + count
    if got != want:
        problems.append(f"{name}: nodes per label {got}, JSON has {want}")
    want = {}
    for e in links:
        want[rel_type(e["relation"])] = want.get(rel_type(e["relation"]), 0) + 1
    got = dict(g.query("MATCH ()-[e]->() RETURN type(e), count(e)").result_set)
    if got != want:
        problems.append(f"{name}: relationships per type {got}, JSON has {want}")
    ids = scalar("MATCH ()-[e]->() RETURN count(DISTINCT e.edge_id)")
    if ids != len(links):
        problems.append(f"{name}: {ids} distinct edge_id for {len(links)} relationships")

    types = attr_types(nodes)
    for n in every(sorted(nodes, key=lambda n: n["id"]), sample):
        rows = g.query("MATCH (n:PolicyNode {id: $id}) RETURN labels(n), properties(n)",
                       {"id": n["id"]}).result_set
        if len(rows) != 1:
            problems.append(f"{name}: {len(rows)} nodes with id {n['id']!r}")
            continue
        labels, props = rows[0][0], dict(rows[0][1])
        if sorted(labels) != sorted(["PolicyNode", LABELS[n["kind"]]]):
            problems.append(f"{name}: node {n['id']!r} labels {labels}")
        want = node_props(n, types)
        if not same_props(props, want):
            problems.append(f"{name}: node {n['id']!r}\n  FalkorDB {props}\n  JSON     {want}")

    types = attr_types(links)
    groups = {}
    for e in links:
        groups.setdefault((e["from"], rel_type(e["relation"]), e["to"]), []).append(
            common(e, types, {}))
    sampled = every(sorted(groups), sample)
    for key in sampled:
        a, t, b = key
        rows = g.query(f"MATCH (a:PolicyNode {{id: $a}})-[e:{t}]->(b:PolicyNode {{id: $b}}) "
                       "RETURN properties(e)", {"a": a, "b": b}).result_set
        got = []
        for (props,) in rows:
            props = dict(props)
            if not isinstance(props.pop("edge_id", None), int):
                problems.append(f"{name}: edge {key} has no integer edge_id")
            got.append(props)
        canon = lambda ps: sorted(json.dumps(p, sort_keys=True) for p in ps)
        want = groups[key]
        if len(got) != len(want) or not all(
                any(same_props(g_, w) for g_ in got) for w in want):
            problems.append(f"{name}: edges {key}\n  FalkorDB {canon(got)}\n  JSON     {canon(want)}")
    print(f"{name}: {len(nodes)} nodes, {len(links)} relationships loaded in {loaded:.1f} s; "
          f"checked {min(len(nodes), sample)} nodes and {len(sampled)} edge groups")


def main():
    args = sys.argv[1:]
    if len(args) < 5 or (len(args) - 2) % 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    db = FalkorDB(args[0] + "/falkordb.rdb")
    problems = []
    for i in range(2, len(args), 3):
        check(db, *args[i:i + 3], int(args[1]), problems)
    for p in problems[:20]:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} differences", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
