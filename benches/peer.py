#!/usr/bin/env python3
"""One fast peer as a whole process: the pipeline of shared/bench/networkx_baseline.py,
written the way a performance-minded researcher would write it today.

    peer.py LIBRARY validate   DIR
    peer.py LIBRARY lineage    DIR NODE_ID
    peer.py LIBRARY critiques  DIR
    peer.py LIBRARY neighbours DIR NODE_ID DEPTH
    peer.py LIBRARY path       DIR FROM_ID TO_ID
    peer.py LIBRARY export-dot DIR OUT_FILE      (rustworkx and igraph only)

LIBRARY is rustworkx, igraph (python-igraph) or networkit. DIR holds nodes.csv and
edges.csv in the CSV interchange format. benches/peers.py runs this under the virtual
environment it makes (polars, numpy and the three libraries, pinned in
benches/peers-requirements.txt) and times it against policygraph.

Every command does what policygraph's command does, with the same libraries' fastest
means: the CSVs read with polars (every column as text), string ids mapped to integers
by a join, the whole graph built in the library from integer edge arrays, then

- the checks policygraph's loader makes on every record (missing fields, kebab-case ids,
  kinds, relations and stances from the data model, real dates, end not before start,
  a stance only on findings and `evaluated-by` edges, duplicate ids, edges and sources
  naming no node), and the graph checks that find errors (sources that are not
  documents, relations joining kinds the data model does not allow, `replaced` edges of
  different kinds, `replaced` cycles, unsafe characters in text). A query refuses data
  with errors, as policygraph's queries do (exit 1);
- validate: also the checks that find warnings (dates out of order, duplicate edges,
  nodes and edges without sources, orphans, findings without a stance), then the counts
  by kind and relation and the number of problems of each code;
- lineage: breadth-first along `replaced` both ways, with distances, and what
  established (or reformed) each member;
- critiques --stance critical: every `evaluated-by` edge whose stance (its own, else its
  finding's) is critical, with the document the finding cites first, that document's
  publishers, the year, and the further documents reporting the finding (polars joins:
  the relational part is a table job);
- neighbours: every node within DEPTH hops either way along each edge, with its
  distance, and the edges among them;
- path: the fewest hops between two nodes, either way along each edge;
- export-dot: a DOT file with each node's name, dates and kind, and each edge's
  relation (networkit cannot: its DotGraphWriter writes an undirected graph of node
  numbers, without labels).

Prints the answer as one line of JSON, in the canonical form peers.py reduces
policygraph's `--format json` answer to (export-dot prints nothing: peers.py reads the
file). Unsafe text is classed by the first such character in a record's one-line
fields, then in its many-line fields (policygraph goes field by field, and lets a
joiner stand between two letters it joins): the same counts unless a record mixes
classes.
"""
import json
import os
import sys

import numpy as np
import polars as pl

KINDS = ["initiative", "body", "legislation", "document", "finding"]
RELATIONS = ["established-by", "replaced", "evaluated-by", "cites", "published-by",
             "reported-in", "reformed-by", "led-to"]
STANCES = ["critical", "supportive", "mixed", "neutral"]
INI, BODY, LEG, DOC, FIN = range(5)
EST, REP, EVAL, CITES, PUB, REPORTED, REFORMED, LED = range(8)

# Which kinds each relation joins (FROM kinds, TO kinds): src/model/kind.rs.
ENDS = {
    EST: ({BODY, INI}, {LEG, BODY, INI}),
    REP: ({INI, BODY, LEG, DOC}, {INI, BODY, LEG, DOC}),
    EVAL: ({INI, BODY, LEG}, {FIN, DOC}),
    CITES: ({DOC, FIN}, {DOC, INI}),
    PUB: ({DOC}, {BODY}),
    REPORTED: ({FIN}, {DOC}),
    REFORMED: ({BODY, INI}, {LEG, INI, DOC}),
    LED: ({DOC, INI, BODY}, {INI, LEG, BODY}),
}
ALLOWED = np.zeros((len(RELATIONS), len(KINDS), len(KINDS)), dtype=bool)
for _r, (_froms, _tos) in ENDS.items():
    for _a in _froms:
        for _b in _tos:
            # `replaced` joins one kind, or an initiative and a body either way round.
            ALLOWED[_r, _a, _b] = _r != REP or _a == _b or {_a, _b} <= {INI, BODY}

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
# Characters a text field may not hold (src/text.rs); a tab is fine everywhere, line
# feeds and joiners only in many-line fields (summary, note).
CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
BREAKS = r"\n\r\x{2028}\x{2029}"
BIDI = r"\x{061c}\x{200e}\x{200f}\x{202a}-\x{202e}\x{2066}-\x{2069}"
INVISIBLE = r"\x{200b}-\x{200d}\x{2060}-\x{2064}\x{feff}\x{180e}\x{fff9}-\x{fffb}"
NONCHAR = r"\x{fdd0}-\x{fdef}\x{fffe}\x{ffff}"
NONCHAR_PLANES = "".join(f"\\x{{{p:x}fffe}}\\x{{{p:x}ffff}}" for p in range(1, 17))
ONE_LINE = f"[{CONTROL}{BREAKS}{BIDI}{INVISIBLE}{NONCHAR}{NONCHAR_PLANES}]"
MANY_LINES = f"[{CONTROL}\\x{{2028}}\\x{{2029}}{BIDI}{NONCHAR}{NONCHAR_PLANES}]|\\r[^\\n]|\\r$"


class Problems(dict):
    def add(self, code, n):
        n = int(n)
        if n:
            self[code] = self.get(code, 0) + n


def vocabulary(col, words):
    """The index of each value in `words`; null where absent or unknown."""
    return col.replace_strict(words, list(range(len(words))), default=None, return_dtype=pl.Int8)


def partial_dates(col):
    """(valid, earliest, latest) of partial ISO dates, as yyyymmdd integers."""
    y = col.str.slice(0, 4).cast(pl.Int32, strict=False)
    m = col.str.slice(5, 2).cast(pl.Int32, strict=False)
    d = col.str.slice(8, 2).cast(pl.Int32, strict=False)
    m12 = m.fill_null(12)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    days = (pl.when(m12.is_in([4, 6, 9, 11])).then(30)
            .when(m12 == 2).then(pl.when(leap).then(29).otherwise(28)).otherwise(31))
    valid = (col.str.contains(DATE) & (m.is_null() | m.is_between(1, 12))
             & (d.is_null() | d.is_between(1, days)))
    earliest = y * 10000 + m.fill_null(1) * 100 + d.fill_null(1)
    latest = y * 10000 + m12 * 100 + d.fill_null(days)
    return valid, earliest, latest


def source_parts(frame):
    """One row per source of each record: (doc, ok) where ok says it has doc@locator."""
    parts = (frame.select(pl.col("sources").str.split("|")).explode("sources")
             .select(pl.col("sources").str.strip_chars()).filter(pl.col("sources") != ""))
    return parts.select(
        pl.col("sources").str.split_exact("@", 1).struct.field("field_0").str.strip_chars().alias("doc"),
        (pl.col("sources").str.contains("@")
         & (pl.col("sources").str.split_exact("@", 1).struct.field("field_0").str.strip_chars() != "")
         & (pl.col("sources").str.splitn("@", 2).struct.field("field_1").str.strip_chars() != "")).alias("ok"))


def unsafe_text(frame, one, many, problems):
    """One problem per record with a character its fields may not hold."""
    def first(cols, pattern):
        text = pl.concat_str([pl.col(c).fill_null("") for c in cols], separator="\t")
        return text.str.extract(f"({pattern})", 1)
    found = frame.select(pl.coalesce(first(one, ONE_LINE), first(many, MANY_LINES)).alias("c")).filter(
        pl.col("c").is_not_null())
    for c in found["c"]:
        c = c[0]
        if c in "\n\r\u2028\u2029":
            problems.add("line-break", 1)
        elif ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f:
            problems.add("control-character", 1)
        elif 0xfdd0 <= ord(c) <= 0xfdef or ord(c) & 0xfffe == 0xfffe:
            problems.add("noncharacter", 1)
        else:
            problems.add("format-character", 1)


def with_columns(frame, cols):
    """The frame with every optional column, absent ones empty."""
    missing = [pl.lit(None, pl.String).alias(c) for c in cols if c not in frame.columns]
    return frame.with_columns(missing) if missing else frame


class Data:
    """The collection as columns: nodes and edges frames, integer ends and codes."""

    def __init__(self, d, problems):
        nodes = pl.read_csv(os.path.join(d, "nodes.csv"), infer_schema=False)
        edges = pl.read_csv(os.path.join(d, "edges.csv"), infer_schema=False)
        nodes = with_columns(nodes, ["aliases", "summary", "stance", "sources", "start", "end", "note"])
        edges = with_columns(edges, ["date", "stance", "note", "sources"])
        # The loader's checks on each node.
        start_ok, start_lo, start_hi = partial_dates(pl.col("start"))
        end_word = pl.col("end").str.strip_chars().str.to_lowercase().is_in(["ongoing", "unknown"])
        end_ok, end_lo, end_hi = partial_dates(pl.col("end"))
        kind = vocabulary(pl.col("kind"), KINDS)
        stance = vocabulary(pl.col("stance"), STANCES)
        n = nodes.with_columns(
            kind.alias("k"), stance.alias("s"),
            pl.when(start_ok).then(start_lo).alias("start_lo"),
            pl.when(start_ok).then(start_hi).alias("start_hi"),
            pl.when(end_ok & ~end_word).then(end_lo).alias("end_lo"),
            pl.when(end_ok & ~end_word).then(end_hi).alias("end_hi"),
        ).with_columns(
            (pl.col("id").is_not_null() & ~pl.col("id").str.contains(KEBAB)).alias("bad_id"),
            (pl.col("kind").is_not_null() & pl.col("k").is_null()).alias("bad_kind"),
            (pl.col("name").is_null() | (pl.col("name").str.strip_chars() == "")).alias("no_name"),
            (pl.col("start").is_not_null() & pl.col("start_lo").is_null()).alias("bad_start"),
            (pl.col("end").is_not_null() & pl.col("end_lo").is_null() & ~end_word).alias("bad_end"),
            (pl.col("end_hi") < pl.col("start_lo")).fill_null(False).alias("end_first"),
            (pl.col("stance").is_not_null() & pl.col("k").is_not_null() & (pl.col("k") != FIN)).alias("stance_here"),
            (pl.col("stance").is_not_null() & pl.col("s").is_null()).alias("bad_stance"),
        )
        c = n.select(
            (pl.col("id").is_null().sum() + (pl.col("id").is_not_null() & pl.col("kind").is_null()).sum()
             + (pl.col("id").is_not_null() & pl.col("no_name")).sum()).alias("missing-field"),
            pl.col("bad_id").sum().alias("invalid-id"),
            pl.col("bad_kind").sum().alias("unknown-kind"),
            (pl.col("bad_start").sum() + pl.col("bad_end").sum()).alias("invalid-date"),
            pl.col("end_first").sum().alias("end-before-start"),
            pl.col("stance_here").sum().alias("stance-not-allowed"),
            (pl.col("bad_stance") & ~pl.col("stance_here")).sum().alias("unknown-stance"),
        ).row(0, named=True)
        for code, count in c.items():
            problems.add(code, count)
        bad = (pl.col("id").is_null() | pl.col("k").is_null() | pl.col("no_name") | pl.col("bad_id")
               | pl.col("bad_start") | pl.col("bad_end") | pl.col("end_first") | pl.col("stance_here")
               | pl.col("bad_stance"))
        node_sources = source_parts(nodes)
        edge_sources = source_parts(edges)
        problems.add("missing-field", (~node_sources["ok"]).sum() + (~edge_sources["ok"]).sum())
        rejected = n.filter(bad & pl.col("id").is_not_null()).select("id")
        n = n.filter(~bad)
        first = n.select(pl.col("id").is_first_distinct()).to_series()
        problems.add("duplicate-id", (~first).sum())
        n = n.filter(first)
        self.nodes = n.with_row_index("ix")
        self.n = self.nodes.height
        index = self.nodes.select("id", "ix")
        # The loader's checks on each edge, then the ends mapped to integers by a join.
        relation = vocabulary(pl.col("relation"), RELATIONS)
        date_ok, date_lo, date_hi = partial_dates(pl.col("date"))
        e = edges.with_columns(relation.alias("r"), vocabulary(pl.col("stance"), STANCES).alias("s"),
                               pl.when(date_ok).then(date_lo).alias("date_lo"),
                               pl.when(date_ok).then(date_hi).alias("date_hi")).with_columns(
            (pl.col("relation").is_not_null() & pl.col("r").is_null()).alias("bad_relation"),
            (pl.col("date").is_not_null() & pl.col("date_lo").is_null()).alias("bad_date"),
            (pl.col("stance").is_not_null() & pl.col("r").is_not_null() & (pl.col("r") != EVAL)).alias("stance_here"),
            (pl.col("stance").is_not_null() & pl.col("s").is_null()).alias("bad_stance"),
        )
        c = e.select(
            (pl.col("from").is_null().sum() + pl.col("relation").is_null().sum()
             + pl.col("to").is_null().sum()).alias("missing-field"),
            pl.col("bad_relation").sum().alias("unknown-relation"),
            pl.col("bad_date").sum().alias("invalid-date"),
            pl.col("stance_here").sum().alias("stance-not-allowed"),
            (pl.col("bad_stance") & ~pl.col("stance_here")).sum().alias("unknown-stance"),
        ).row(0, named=True)
        for code, count in c.items():
            problems.add(code, count)
        e = e.filter(pl.col("from").is_not_null() & pl.col("to").is_not_null() & pl.col("r").is_not_null()
                     & ~pl.col("bad_date") & ~pl.col("stance_here") & ~pl.col("bad_stance"))
        e = (e.join(index.rename({"id": "from", "ix": "a"}), on="from", how="left", maintain_order="left")
             .join(index.rename({"id": "to", "ix": "b"}), on="to", how="left", maintain_order="left"))
        # An end naming no node is an error, unless it names a node rejected above.
        known = rejected["id"]
        problems.add("unknown-node", e.select(
            (pl.col("a").is_null() & ~pl.col("from").is_in(known.implode())).sum()
            + (pl.col("b").is_null() & ~pl.col("to").is_in(known.implode())).sum()).item())
        self.edges = e.filter(pl.col("a").is_not_null() & pl.col("b").is_not_null()).with_row_index("eix")
        self.src = self.edges["a"].to_numpy()
        self.dst = self.edges["b"].to_numpy()
        self.rel = self.edges["r"].to_numpy()
        self.kind = self.nodes["k"].to_numpy()
        # The graph checks read the sources of the records kept.
        self.node_sources, self.edge_sources = source_parts(self.nodes), source_parts(self.edges)
        self.rejected = known

    def ids(self, ixs):
        return self.nodes["id"].gather(list(ixs)).to_list()

    def ix(self, node_id):
        found = self.nodes.filter(pl.col("id") == node_id)["ix"]
        if found.len() == 0:
            sys.exit(f"unknown node {node_id}")  # exit 1, as a failed operation
        return int(found[0])

    def check_errors(self, lib, problems):
        """The graph checks that find errors."""
        # Sources: each must name a node, and that node a document.
        docs = pl.concat([self.node_sources.filter("ok"), self.edge_sources.filter("ok")]).join(
            self.nodes.select(pl.col("id").alias("doc"), "k"), on="doc", how="left")
        problems.add("unknown-node", (docs["k"].is_null() & ~docs["doc"].is_in(self.rejected.implode())).sum())
        problems.add("source-not-document", (docs["k"].is_not_null() & (docs["k"] != DOC)).sum())
        ka, kb = self.kind[self.src], self.kind[self.dst]
        wrong = ~ALLOWED[self.rel, ka, kb]
        mismatch = wrong & (self.rel == REP) & (ka != kb)
        problems.add("replaced-kind-mismatch", mismatch.sum())
        problems.add("relation-kinds", (wrong & ~mismatch).sum())
        replaced = self.rel == REP
        self.replaced = lib.graph(self.n, self.src[replaced], self.dst[replaced])
        problems.add("replaced-cycle", lib.cyclic_components(self.replaced))
        unsafe_text(self.nodes, ["id", "kind", "name", "start", "end", "aliases", "stance", "sources"],
                    ["summary", "note"], problems)
        unsafe_text(self.edges, ["from", "relation", "to", "date", "stance", "sources"], ["note"], problems)

    def check_warnings(self, problems):
        """The graph checks that find warnings."""
        starts_lo = self.nodes["start_lo"].to_numpy()
        starts_hi = self.nodes["start_hi"].to_numpy()
        ends_hi = self.nodes["end_hi"].to_numpy()
        has_start = ~np.isnan(starts_lo.astype(float))
        fa, fb = self.src, self.dst
        both = has_start[fa] & has_start[fb]
        lo, hi = np.nan_to_num(starts_lo.astype(float)), np.nan_to_num(starts_hi.astype(float))
        est = (self.rel == EST) & both & (lo[fb] // 10000 > hi[fa] // 10000 + 1)
        problems.add("establisher-starts-later", est.sum())
        # A successor dated on the edge after its predecessor began absorbed it: not reported.
        edge_hi = self.edges["date_hi"].to_numpy().astype(float)
        absorbed = ~np.isnan(edge_hi) & (np.nan_to_num(edge_hi) >= lo[fb])
        problems.add("successor-starts-first",
                     ((self.rel == REP) & both & (hi[fa] < lo[fb]) & ~absorbed).sum())
        edge_date = self.edges["date_lo"].to_numpy().astype(float)
        acted = np.where(np.isnan(edge_date) & (self.rel != EVAL), np.where(has_start[fa], lo[fa], np.nan), edge_date)
        end = ends_hi.astype(float)[fb]
        acts = np.isin(self.rel, [EST, EVAL, PUB, REFORMED]) & ~np.isnan(acted) & ~np.isnan(end)
        problems.add("acts-after-end", (acts & (np.nan_to_num(end) < np.nan_to_num(acted))).sum())
        key = (fa.astype(np.int64) * len(RELATIONS) + self.rel) * self.n + fb
        problems.add("duplicate-edge", len(key) - len(np.unique(key)))
        problems.add("no-source", self.nodes["sources"].is_null().sum() + self.edges["sources"].is_null().sum())
        degree = np.bincount(fa, minlength=self.n) + np.bincount(fb, minlength=self.n)
        orphans = self.nodes.filter(pl.Series(degree == 0))
        cited = pl.concat([self.node_sources.filter("ok"), self.edge_sources.filter("ok")])["doc"]
        problems.add("orphan", orphans.filter((pl.col("k") != DOC) | ~pl.col("id").is_in(cited.implode())).height)
        problems.add("no-stance", ((self.kind == FIN) & self.nodes["s"].is_null().to_numpy()).sum())


class Rustworkx:
    def __init__(self):
        import rustworkx
        self.rx = rustworkx

    def graph(self, n, src, dst, rel=None):
        g = self.rx.PyDiGraph(multigraph=True, node_count_hint=n, edge_count_hint=len(src))
        g.add_nodes_from(range(n))
        if rel is None:
            g.add_edges_from_no_data(list(zip(src.tolist(), dst.tolist())))
        else:
            g.add_edges_from(list(zip(src.tolist(), dst.tolist(), rel.tolist())))
        return g

    def cyclic_components(self, g):
        if self.rx.is_directed_acyclic_graph(g):
            return 0
        return sum(1 for c in self.rx.strongly_connected_components(g)
                   if len(c) > 1 or g.has_edge(c[0], c[0]))

    def layers(self, g, root, reverse=False):
        if reverse:
            g = g.copy()
            g.reverse()
        return self.rx.bfs_layers(g, [root])

    def around(self, g, root, depth):
        """{node: distance} within depth hops, either way along each edge."""
        dist, frontier = {root: 0}, [root]
        for d in range(1, depth + 1):
            nxt = []
            for v in frontier:
                for m in g.neighbors_undirected(v):
                    if m not in dist:
                        dist[m] = d
                        nxt.append(m)
            frontier = nxt
        return dist

    def induced_edges(self, g, members):
        return g.subgraph(sorted(members)).num_edges()

    def hops(self, g, a, b):
        paths = self.rx.digraph_dijkstra_shortest_paths(g, a, target=b, as_undirected=True)
        return len(paths[b]) - 1 if b in paths else None

    def write_dot(self, g, data, path):
        names, kinds, rel, dates = data.labels()
        g.to_dot(node_attr=lambda v: {"label": f"{names[v]}\\n{dates[v]}", "kind": kinds[v]},
                 edge_attr=lambda r: {"label": RELATIONS[r]}, filename=path)


class Igraph:
    def __init__(self):
        import igraph
        self.ig = igraph

    def graph(self, n, src, dst, rel=None):
        g = self.ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist())), directed=True)
        if rel is not None:
            g.es["relation"] = [RELATIONS[r] for r in rel.tolist()]
        return g

    def cyclic_components(self, g):
        if g.is_dag():
            return 0
        comps = g.connected_components(mode="strong")
        loops = set(np.flatnonzero(g.is_loop()).tolist())
        loop_nodes = {g.es[e].source for e in loops}
        return sum(1 for c in comps if len(c) > 1 or c[0] in loop_nodes)

    def layers(self, g, root, reverse=False):
        vids, starts, _ = g.bfs(root, mode="in" if reverse else "out")
        return [vids[starts[i]:starts[i + 1]] for i in range(len(starts) - 1)]

    def around(self, g, root, depth):
        dist = {root: 0}
        for d in range(1, depth + 1):
            for m in g.neighborhood(root, order=d, mode="all"):
                dist.setdefault(m, d)
        return dist

    def induced_edges(self, g, members):
        return g.induced_subgraph(sorted(members)).ecount()

    def hops(self, g, a, b):
        p = g.get_shortest_path(a, b, mode="all")
        return len(p) - 1 if p else None

    def write_dot(self, g, data, path):
        names, kinds, _, dates = data.labels()
        g.vs["label"] = [f"{a}\n{b}" for a, b in zip(names, dates)]
        g.vs["kind"] = kinds
        g.write_dot(path)


class Networkit:
    def __init__(self):
        import networkit
        self.nk = networkit

    def graph(self, n, src, dst, rel=None):
        g = self.nk.Graph(n, directed=True)
        g.addEdges((src.astype(np.uint64), dst.astype(np.uint64)), checkMultiEdge=False)
        return g

    def cyclic_components(self, g):
        scc = self.nk.components.StronglyConnectedComponents(g)
        scc.run()
        sizes = scc.getPartition().subsetSizeMap()
        loops = {scc.componentOfNode(u) for u, v in g.iterEdges() if u == v} if g.numberOfSelfLoops() else set()
        return sum(1 for c, s in sizes.items() if s > 1 or c in loops)

    def layers(self, g, root, reverse=False):
        bfs = (self.nk.distance.ReverseBFS if reverse else self.nk.distance.BFS)(g, root, storePaths=False)
        bfs.run()
        dist = np.asarray(bfs.getDistances())
        reached = np.isfinite(dist) & (dist < 1e300)
        out = {}
        for v in np.flatnonzero(reached).tolist():
            out.setdefault(int(dist[v]), []).append(v)
        return [out[d] for d in sorted(out)]

    def around(self, g, root, depth):
        dist, frontier = {root: 0}, [root]
        for d in range(1, depth + 1):
            nxt = []
            for v in frontier:
                for m in list(g.iterNeighbors(v)) + list(g.iterInNeighbors(v)):
                    if m not in dist:
                        dist[m] = d
                        nxt.append(m)
            frontier = nxt
        return dist

    def induced_edges(self, g, members):
        return self.nk.graphtools.subgraphFromNodes(g, sorted(members)).numberOfEdges()

    def hops(self, g, a, b):
        u = self.nk.graphtools.toUndirected(g)
        bfs = self.nk.distance.BidirectionalBFS(u, a, b, storePred=False)
        bfs.run()
        h = bfs.getDistance()
        return int(h) if h < 2 ** 60 else None

    write_dot = None


LIBRARIES = {"rustworkx": Rustworkx, "igraph": Igraph, "networkit": Networkit}


def labels(self):
    n = self.nodes
    names = n["name"].to_list()
    kinds = n["kind"].to_list()
    dates = n.select(pl.concat_str([pl.col("start").fill_null("?"), pl.col("end").fill_null("?")],
                                   separator="-"))[:, 0].to_list()
    return names, kinds, None, dates


Data.labels = labels


def lineage(lib, data, root):
    members = {}
    for reverse, role in ((False, "predecessors"), (True, "successors")):
        layers = lib.layers(data.replaced, root, reverse)
        members[role] = [(v, d) for d, layer in enumerate(layers) for v in layer if d > 0]
    everyone = np.array([root] + [v for role in members.values() for v, _ in role])
    made = np.isin(data.src, everyone) & np.isin(data.rel, [EST, REFORMED])
    made_by = sorted(zip(data.ids(data.src[made]), [RELATIONS[r] for r in data.rel[made].tolist()],
                         data.ids(data.dst[made])))
    answer = {role: sorted(zip(data.ids(v for v, _ in m), (d for _, d in m))) for role, m in members.items()}
    answer["established_by"] = made_by
    return answer


def critiques(data):
    e = data.edges.select("eix", "a", "b", "r", "s")
    k = data.nodes.select(pl.col("ix"), pl.col("k"), pl.col("s").alias("ns"), pl.col("id"),
                          pl.col("start").str.slice(0, 4).cast(pl.Int32, strict=False).alias("year"))
    ev = e.filter(pl.col("r") == EVAL).join(k.rename({"ix": "b", "k": "tk"}), on="b", how="left")
    ev = ev.with_columns(pl.coalesce("s", pl.when(pl.col("tk") == FIN).then("ns")).alias("stance"))
    ev = ev.filter(pl.col("stance") == STANCES.index("critical"))
    ev = ev.with_columns(pl.when(pl.col("tk") == FIN).then("b").alias("finding"))
    out = e.filter(pl.col("r").is_in([CITES, REPORTED])).sort("eix")
    first_cite = (out.filter(pl.col("r") == CITES).group_by("a", maintain_order=True)
                  .agg(pl.col("b").first().alias("cited"), pl.col("eix").first().alias("first_eix")))
    ev = ev.join(first_cite.rename({"a": "finding"}), on="finding", how="left")
    ev = ev.with_columns(pl.when(pl.col("finding").is_null()).then("b").otherwise("cited").alias("document"))
    pubs = (e.filter(pl.col("r") == PUB).sort("eix").join(k.select("ix", "id").rename({"ix": "b"}), on="b")
            .group_by("a", maintain_order=True).agg(pl.col("id").alias("publishers")))
    # Reported in: the finding's reported-in edges, then its further cites.
    reported = (out.join(first_cite.select("a", "first_eix"), on="a", how="left")
                .filter((pl.col("r") == REPORTED) | (pl.col("eix") != pl.col("first_eix")))
                .sort(pl.col("r") != REPORTED, "eix")
                .join(k.select("ix", "id").rename({"ix": "b"}), on="b")
                .group_by("a", maintain_order=True).agg(pl.col("id").alias("reported_in")))
    ids = k.select("ix", "id", "year")
    rows = (ev.join(ids.rename({"ix": "a", "id": "subject"}).drop("year"), on="a", how="left")
            .join(ids.rename({"ix": "finding", "id": "finding_id", "year": "finding_year"}), on="finding", how="left")
            .join(ids.rename({"ix": "document", "id": "document_id", "year": "document_year"}), on="document", how="left")
            .join(pubs.rename({"a": "document"}), on="document", how="left")
            .join(reported.rename({"a": "finding"}), on="finding", how="left")
            .select("subject", pl.col("finding_id").alias("finding"), pl.col("document_id").alias("document"),
                    pl.col("publishers").fill_null([]), pl.coalesce("document_year", "finding_year").alias("year"),
                    pl.col("reported_in").fill_null([])))
    return {"rows": sorted(json.dumps(r, separators=(",", ":")) for r in rows.iter_rows())}


def main():
    library, cmd, d = sys.argv[1], sys.argv[2], sys.argv[3]
    lib = LIBRARIES[library]()
    if cmd == "export-dot" and lib.write_dot is None:
        sys.exit(f"{library} cannot write this DOT file (no labels, no direction)")
    problems = Problems()
    data = Data(d, problems)
    g = lib.graph(data.n, data.src, data.dst, data.rel if cmd == "export-dot" else None)
    data.check_errors(lib, problems)
    if cmd == "validate":
        data.check_warnings(problems)
        by_kind = np.bincount(data.kind, minlength=len(KINDS))
        by_relation = np.bincount(data.rel, minlength=len(RELATIONS))
        print(json.dumps({"nodes": data.n, "edges": len(data.rel),
                          "by_kind": dict(zip(KINDS, by_kind.tolist())),
                          "by_relation": dict(zip(RELATIONS, by_relation.tolist())),
                          "problems": dict(sorted(problems.items()))}))
        sys.exit(1 if any(p not in WARNINGS for p in problems) else 0)
    if problems:
        sys.exit(f"the data has errors: {dict(problems)}")
    if cmd == "lineage":
        print(json.dumps(lineage(lib, data, data.ix(sys.argv[4]))))
    elif cmd == "critiques":
        print(json.dumps(critiques(data)))
    elif cmd == "neighbours":
        dist = lib.around(g, data.ix(sys.argv[4]), int(sys.argv[5]))
        print(json.dumps({"distances": sorted(zip(data.ids(dist), dist.values())),
                          "edges": lib.induced_edges(g, dist)}))
    elif cmd == "path":
        hops = lib.hops(g, data.ix(sys.argv[4]), data.ix(sys.argv[5]))
        if hops is None:
            sys.exit("no path")
        print(json.dumps({"hops": hops}))
    elif cmd == "export-dot":
        lib.write_dot(g, data, sys.argv[4])
    else:
        sys.exit(f"unknown command {cmd}")


WARNINGS = {"successor-starts-first", "establisher-starts-later", "acts-after-end", "no-source",
            "duplicate-edge", "orphan", "no-stance"}

if __name__ == "__main__":
    main()
