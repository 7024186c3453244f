//! The checks that need the whole graph: provenance, which kinds a relation may join,
//! cycles in lineage, and the warnings about dates, sources, duplicates and orphans.
//!
//! Field-level problems (syntax, types, dates, vocabularies) are found while loading;
//! duplicate ids and unknown edge endpoints while building the graph. Everything here
//! is a pure function of the graph. Each check is linear in nodes plus edges, so a
//! million-node graph validates in one pass. The checks run on two threads, each into
//! problems of its own recorded in a fixed order, so the result never depends on timing.

use crate::diag::{Problem, Problems, Severity, excerpt};
use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::{Node, NodeKind, Relation, Source, TextField, Texts};
use crate::text::{Unsafe, first_unsafe};
use hashbrown::{HashMap, HashSet};
use petgraph::Direction;
use petgraph::visit::{EdgeFiltered, EdgeRef};
use std::collections::VecDeque;

/// Records every problem the graph has; the order is not meaningful (callers sort).
pub fn check(g: &PolicyGraph, problems: &mut Problems) {
    run_split(g, problems, ALL_A, ALL_B);
}

/// Only the checks that can find errors: what a query needs before it may answer
/// (warnings are `validate`'s business, and on a million rows they cost a third of a
/// load). Returns the documents named as sources.
pub fn check_errors(g: &PolicyGraph, problems: &mut Problems) -> HashSet<NodeIndex> {
    let cited = run_split(g, problems, ERRORS_A, ERRORS_B);
    g.nodes().filter(|ix| cited[ix.index()]).collect()
}

/// The graph-wide checks, in the order their problems are recorded. The checks run on
/// two threads, each into problems of its own, appended afterwards in this order: so
/// which problems are kept under a limit, and their order, is what running the checks
/// one after another gives, whatever the threads' timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Check {
    Sources,
    RelationKinds,
    ReplacedCycles,
    TextInNodes,
    TextInEdges,
    Dates,
    DuplicateEdges,
    UnsourcedNodesAndOrphans,
    UnsourcedEdges,
    FindingsWithoutStance,
}

/// The records a check made of two parts reads; each part writes problems of its own,
/// recorded in the order nodes, edges, as one pass over both would.
#[derive(Debug, Clone, Copy)]
enum Records {
    Nodes,
    Edges,
}

/// The two halves of [`check`], balanced by measured cost at a million nodes (each
/// about half). Sources must come before `UnsourcedNodesAndOrphans` in the first half:
/// it needs the documents cited. Relation kinds and dates share [`NodeFacts`], so they
/// run on the same thread.
const ALL_A: &[Check] = &[
    Check::Sources,
    Check::TextInNodes,
    Check::DuplicateEdges,
    Check::UnsourcedNodesAndOrphans,
    Check::FindingsWithoutStance,
];
/// The other half of [`check`].
const ALL_B: &[Check] = &[
    Check::RelationKinds,
    Check::Dates,
    Check::ReplacedCycles,
    Check::TextInEdges,
    Check::UnsourcedEdges,
];
/// The two halves of [`check_errors`]; sources first in the first.
const ERRORS_A: &[Check] = &[Check::Sources, Check::TextInNodes, Check::TextInEdges];
/// The other half of [`check_errors`].
const ERRORS_B: &[Check] = &[Check::RelationKinds, Check::ReplacedCycles];

/// Runs `checks` in turn, each into new problems with at most `limit` of each code.
/// Returns the documents cited when [`Check::Sources`] was among them.
fn run(
    g: &PolicyGraph,
    checks: &[Check],
    limit: Option<usize>,
) -> (Option<Vec<bool>>, Vec<(Check, Problems)>) {
    let mut cited = None;
    let mut facts = None;
    let found = checks
        .iter()
        .map(|&check| {
            let mut p = Problems::new(limit);
            match check {
                Check::Sources => cited = Some(sources(g, &mut p)),
                Check::RelationKinds => {
                    relation_kinds(g, facts.get_or_insert_with(|| NodeFacts::new(g)), &mut p);
                }
                Check::ReplacedCycles => replaced_cycles(g, &mut p),
                Check::TextInNodes => unsafe_text(g, Records::Nodes, &mut p),
                Check::TextInEdges => unsafe_text(g, Records::Edges, &mut p),
                Check::Dates => dates(g, facts.get_or_insert_with(|| NodeFacts::new(g)), &mut p),
                Check::DuplicateEdges => duplicate_edges(g, &mut p),
                Check::UnsourcedEdges => unsourced_edges(g, &mut p),
                Check::UnsourcedNodesAndOrphans => {
                    let cited = cited.as_ref().unwrap_or_else(|| {
                        unreachable!("sources are checked first, on the same thread")
                    });
                    unsourced_nodes_and_orphans(g, cited, &mut p);
                }
                Check::FindingsWithoutStance => findings_without_stance(g, &mut p),
            }
            (check, p)
        })
        .collect();
    (cited, found)
}

/// Runs the checks `a` on this thread and `b` on another, then records their problems
/// in [`Check`] order. Returns whether each node is cited (`a` must check sources).
fn run_split(g: &PolicyGraph, problems: &mut Problems, a: &[Check], b: &[Check]) -> Vec<bool> {
    let limit = problems.limit();
    let ((cited, mut found), (_, other)) = std::thread::scope(|s| {
        let other = std::thread::Builder::new().spawn_scoped(s, || run(g, b, limit));
        let mine = run(g, a, limit);
        let other = match other {
            Ok(other) => other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had (a limit on processes): the other half runs here.
            Err(_) => run(g, b, limit),
        };
        (mine, other)
    });
    found.extend(other);
    found.sort_by_key(|&(check, _)| check);
    for (_, p) in found {
        problems.append(p);
    }
    cited.unwrap_or_else(|| unreachable!("the first half checks sources"))
}

/// What the passes over the edges need of every node, gathered in one pass over the
/// node records into arrays indexed by node. A million edges then look their ends up
/// in a few megabytes that mostly stay in cache, not in the records (a cache miss each).
///
/// Dates are day numbers; an absent date is a number that makes `earlier < later`
/// false: `u32::MAX` where it is compared as the earlier, 0 where as the later.
struct NodeFacts {
    /// Each node's kind.
    kinds: Vec<NodeKind>,
    /// A bit per node: whether it has an end (most do not; the bit saves a lookup).
    ended: Vec<u64>,
    /// The first day a node's start can mean (0 without a start).
    start_first: Vec<u32>,
    /// The last day a node's start can mean (`u32::MAX` without a start).
    start_last: Vec<u32>,
    /// The last day a node's end can mean (`u32::MAX` without an end).
    end_last: Vec<u32>,
}

impl NodeFacts {
    /// Gathers the facts of every node of `g`.
    fn new(g: &PolicyGraph) -> NodeFacts {
        let n = g.node_count();
        let mut facts = NodeFacts {
            kinds: Vec::with_capacity(n),
            ended: vec![0; n.div_ceil(64)],
            start_first: Vec::with_capacity(n),
            start_last: Vec::with_capacity(n),
            end_last: Vec::with_capacity(n),
        };
        for (i, ix) in g.nodes().enumerate() {
            let node = g.node(ix);
            facts.kinds.push(node.kind);
            let start = node
                .start
                .map(|d| (day_number(d.earliest()), day_number(d.latest())));
            let (first, last) = start.unwrap_or((0, u32::MAX));
            facts.start_first.push(first);
            facts.start_last.push(last);
            facts
                .end_last
                .push(node.end.date().map_or(u32::MAX, |d| day_number(d.latest())));
            facts.ended[i / 64] |= u64::from(node.end.date().is_some()) << (i % 64);
        }
        facts
    }

    /// Whether the node has an end.
    fn ended(&self, ix: NodeIndex) -> bool {
        self.ended[ix.index() / 64] >> (ix.index() % 64) & 1 == 1
    }
}

/// A day as a number that orders as the days do.
fn day_number((year, month, day): (u16, u8, u8)) -> u32 {
    u32::from(year) << 16 | u32::from(month) << 8 | u32::from(day)
}

/// Text a field may not hold ([`crate::text::first_unsafe`]: control characters, line
/// breaks in one-line fields, bidirectional controls, invisible characters, noncharacters)
/// in any text field of a node, an edge, an era or the collection: an error, at the
/// record. Which fields are text is [`Texts`]' business, so none is missed.
fn unsafe_text(g: &PolicyGraph, records: Records, problems: &mut Problems) {
    fn first<'a, T: Texts>(record: &'a T) -> Option<(TextField<'a>, Unsafe)> {
        record.find_text(|field, text| first_unsafe(text, field.lines()).map(|u| (field, u)))
    }
    let mut report = |loc, owner: &dyn Fn() -> String, (field, found): (TextField, Unsafe)| {
        problems.push_with(found.code(), Severity::Error, || {
            Problem::error(
                found.code(),
                loc,
                format!(
                    "{} of {} contains {}",
                    field.describe(),
                    owner(),
                    found.describe()
                ),
            )
            .label("here")
            .help(found.help(field.lines()))
        });
    };
    match records {
        Records::Nodes => {
            for ix in g.nodes() {
                let n = g.node(ix);
                if let Some(found) = first(n) {
                    report(n.loc.id(), &|| format!("`{}`", excerpt(&n.id)), found);
                }
            }
            for era in &g.eras {
                if let Some(found) = first(era) {
                    report(
                        era.loc,
                        &|| format!("the era `{}`", excerpt(&era.name)),
                        found,
                    );
                }
            }
            if let Some(about) = &g.about
                && let Some(found) = first(about)
            {
                report(about.loc, &|| "the collection".to_string(), found);
            }
        }
        Records::Edges => {
            for e in g.edges() {
                let edge = g.edge(e);
                if let Some(found) = first(edge) {
                    let owner = || {
                        let (a, b) = g.endpoints(e);
                        format!(
                            "the edge `{}` {} `{}`",
                            excerpt(&g.node(a).id),
                            edge.relation,
                            excerpt(&g.node(b).id)
                        )
                    };
                    report(edge.loc.whole(), &owner, found);
                }
            }
        }
    }
}

/// Every source must name a document node. Returns the documents named, which are
/// therefore part of the graph's provenance even with no edges: a flag per node.
fn sources(g: &PolicyGraph, problems: &mut Problems) -> Vec<bool> {
    let mut cited = vec![false; g.node_count()];
    let mut hinted = 0;
    let mut one = |source: &Source, problems: &mut Problems| {
        let Some(ix) = g.endpoint(&source.doc, source.loc, problems, &mut hinted) else {
            return;
        };
        let doc = g.node(ix);
        if doc.kind == NodeKind::Document {
            cited[ix.index()] = true;
        } else {
            problems.push_with("source-not-document", Severity::Error, || {
                Problem::error(
                    "source-not-document",
                    source.loc,
                    format!("source `{}` is a {}, not a document", doc.id, doc.kind),
                )
                .label("sources must name document nodes")
                .help("cite the document that says this (add it as a node of kind \"document\" if it is missing)")
            });
        }
    };
    for ix in g.nodes() {
        for s in &g.node(ix).sources {
            one(s, problems);
        }
    }
    for e in g.edges() {
        for s in g.edge(e).sources() {
            one(s, problems);
        }
    }
    cited
}

fn kinds_list(kinds: &[NodeKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    names.join(" or ")
}

/// For each relation (by its place in [`Relation::ALL`]), the bits `from * 8 + to` of
/// the kinds it may join: [`Relation::allows`] as a table.
fn allowed_kinds() -> Vec<u64> {
    Relation::ALL
        .iter()
        .map(|&relation| {
            let mut bits = 0;
            for &from in NodeKind::ALL {
                for &to in NodeKind::ALL {
                    if relation.allows(from, to) {
                        bits |= 1 << (from as u32 * 8 + to as u32);
                    }
                }
            }
            bits
        })
        .collect()
}

/// Edges joining kinds their relation may not join (for `replaced`, different kinds).
fn relation_kinds(g: &PolicyGraph, facts: &NodeFacts, problems: &mut Problems) {
    let kinds = &facts.kinds;
    let allowed = allowed_kinds();
    for (i, raw) in g.graph.raw_edges().iter().enumerate() {
        let (a, b) = (raw.source(), raw.target());
        let bit = kinds[a.index()] as u32 * 8 + kinds[b.index()] as u32;
        if allowed[raw.weight as usize] >> bit & 1 == 1 {
            continue;
        }
        let mismatch = raw.weight == Relation::Replaced && kinds[a.index()] != kinds[b.index()];
        let code = if mismatch {
            "replaced-kind-mismatch"
        } else {
            "relation-kinds"
        };
        problems.push_with(code, Severity::Error, || {
            let edge = g.edge(EdgeIndex::new(i));
            let (from, to) = (g.node(a), g.node(b));
            let sentence = format!(
                "`{}` ({}) {} `{}` ({})",
                from.id, from.kind, edge.relation, to.id, to.kind
            );
            if mismatch {
                Problem::error("replaced-kind-mismatch", edge.loc.relation(), format!("{sentence}: `replaced` joins nodes of the same kind"))
                    .label("different kinds")
                    .help("a successor has the same kind as what it replaced; for a body set up under an Act, use `established-by`")
            } else {
                let (froms, tos) = edge.relation.endpoint_kinds();
                Problem::error(
                    "relation-kinds",
                    edge.loc.relation(),
                    format!("{sentence}: the data model does not allow these kinds"),
                )
                .label("not allowed between these kinds")
                .help(format!(
                    "`{}` runs from {} to {}",
                    edge.relation,
                    kinds_list(froms),
                    kinds_list(tos)
                ))
            }
        });
    }
}

/// Lineage must not loop: finds every strongly connected set of `replaced` edges and
/// prints one cycle through it. Uses Kosaraju's algorithm, which petgraph runs without
/// recursion, so a 100,000-long chain cannot overflow the stack.
fn replaced_cycles(g: &PolicyGraph, problems: &mut Problems) {
    // Peel off every node that cannot be on a cycle (Kahn's algorithm over `replaced`
    // edges): linear, and on real data it leaves nothing, so the strongly connected
    // components are computed only among what remains. The `replaced` edges are first
    // gathered by source into one array (counting sort), so following them reads
    // memory in order rather than chasing petgraph's per-node edge lists.
    let n = g.node_count();
    let mut indegree = vec![0u32; n];
    let mut out_start = vec![0u32; n + 1];
    let mut replaced: Vec<(u32, u32)> = Vec::new();
    for e in g.graph.raw_edges() {
        if e.weight == Relation::Replaced {
            let (a, b) = (e.source().index(), e.target().index());
            indegree[b] += 1;
            out_start[a + 1] += 1;
            replaced.push((a as u32, b as u32));
        }
    }
    if replaced.is_empty() {
        return;
    }
    for i in 0..n {
        out_start[i + 1] += out_start[i];
    }
    let mut successors = vec![0u32; replaced.len()];
    let mut next = out_start.clone();
    for (a, b) in replaced {
        successors[next[a as usize] as usize] = b;
        next[a as usize] += 1;
    }
    drop(next);
    let successors_of = |v: usize| &successors[out_start[v] as usize..out_start[v + 1] as usize];
    let mut removed = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    for start in 0..n {
        if indegree[start] != 0 || removed[start] {
            continue;
        }
        stack.push(start as u32);
        while let Some(v) = stack.pop() {
            removed[v as usize] = true;
            for &t in successors_of(v as usize) {
                indegree[t as usize] -= 1;
                if indegree[t as usize] == 0 {
                    stack.push(t);
                }
            }
        }
    }
    if !removed.contains(&false) {
        return;
    }
    let replaced = EdgeFiltered::from_fn(&g.graph, |e| {
        *e.weight() == Relation::Replaced
            && !removed[e.source().index()]
            && !removed[e.target().index()]
    });
    for component in petgraph::algo::kosaraju_scc(&replaced) {
        if component.iter().any(|c| removed[c.index()]) {
            continue;
        }
        // A single node is a cycle only with a self-loop; skip the rest cheaply.
        if let [one] = component[..]
            && !g
                .graph
                .edges(one)
                .any(|e| *e.weight() == Relation::Replaced && e.target() == one)
        {
            continue;
        }
        let members: HashSet<NodeIndex> = component.iter().copied().collect();
        let Some(&start) = component
            .iter()
            .min_by(|a, b| g.node(**a).id.cmp(&g.node(**b).id))
        else {
            continue;
        };
        let Some(cycle) = cycle_through(g, start, &members) else {
            continue; // a single node without a self-loop
        };
        let names: Vec<&str> = cycle.iter().map(|(n, _)| g.node(*n).id.as_str()).collect();
        let shown = if names.len() > 12 {
            format!(
                "{} → … ({} more) … → {}",
                names[..6].join(" → "),
                names.len() - 11,
                names[names.len() - 5..].join(" → ")
            )
        } else {
            names.join(" → ")
        };
        let first_edge = cycle[0]
            .1
            .unwrap_or_else(|| unreachable!("a cycle has edges"));
        problems.push(
            Problem::error(
                "replaced-cycle",
                g.edge(first_edge).loc.relation(),
                format!(
                    "`replaced` forms a cycle of {}: {shown} → {}",
                    names.len(),
                    names[0]
                ),
            )
            .label("this edge is on the cycle")
            .help(
                "lineage runs one way in time: remove or reverse one `replaced` edge on the cycle",
            ),
        );
    }
}

/// The shortest cycle from `start` back to itself within `members`, as nodes each with
/// the `replaced` edge leaving it. Breadth-first, so it terminates on any size.
fn cycle_through(
    g: &PolicyGraph,
    start: NodeIndex,
    members: &HashSet<NodeIndex>,
) -> Option<Vec<(NodeIndex, Option<EdgeIndex>)>> {
    let mut parent: HashMap<NodeIndex, (NodeIndex, EdgeIndex)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut seen: HashSet<NodeIndex> = HashSet::new();
    seen.insert(start);
    while let Some(n) = queue.pop_front() {
        for e in g.graph.edges(n) {
            if *e.weight() != Relation::Replaced || !members.contains(&e.target()) {
                continue;
            }
            let next = e.target();
            if next == start {
                // Walk the parents back to start.
                let mut path = vec![(n, Some(e.id()))];
                let mut at = n;
                while at != start {
                    let (p, pe) = parent[&at];
                    path.push((p, Some(pe)));
                    at = p;
                }
                path.reverse();
                return Some(path);
            }
            if seen.insert(next) {
                parent.insert(next, (n, e.id()));
                queue.push_back(next);
            }
        }
    }
    None
}

fn year_phrase(node: &Node, date: crate::model::PartialDate) -> String {
    format!("`{}` ({date})", node.id)
}

/// Dates out of order along an edge: a successor that started before what it replaced,
/// and a node that establishes, evaluates or publishes after its own end.
fn dates(g: &PolicyGraph, facts: &NodeFacts, problems: &mut Problems) {
    for (i, raw) in g.graph.raw_edges().iter().enumerate() {
        let relation = raw.weight;
        let (a, b) = (raw.source(), raw.target());
        // Compared as day numbers; the records are read only for a problem.
        if relation == Relation::Replaced
            && facts.start_last[a.index()] < facts.start_first[b.index()]
        {
            problems.push_with("successor-starts-first", Severity::Warning, || {
                let (from, to) = (g.node(a), g.node(b));
                let (Some(fs), Some(ts)) = (from.start, to.start) else {
                    unreachable!("both have a start")
                };
                Problem::warning(
                    "successor-starts-first",
                    g.edge(EdgeIndex::new(i)).loc.relation(),
                    format!("{} replaced {}, which started later", year_phrase(from, fs), year_phrase(to, ts)),
                )
                .label("successor starts before its predecessor")
                .help("check both start dates, or whether the edge runs the other way (FROM replaced TO)")
            });
        }
        if !relation.target_acts() || !facts.ended(b) {
            continue;
        }
        let end = facts.end_last[b.index()];
        let edge = g.edge(EdgeIndex::new(i));
        // When the act happened: the edge's own date, else the start of what was
        // established or published. An evaluation is dated by its edge only.
        let when = match (edge.date, relation) {
            (Some(date), _) => day_number(date.earliest()),
            (None, Relation::EvaluatedBy) => 0,
            (None, _) => facts.start_first[a.index()],
        };
        if end < when {
            problems.push_with("acts-after-end", Severity::Warning, || {
                let (from, to) = (g.node(a), g.node(b));
                let acted = match relation {
                    Relation::EvaluatedBy => edge.date,
                    _ => edge.date.or(from.start),
                };
                let (Some(when), Some(end)) = (acted, to.end.date()) else {
                    unreachable!("both dates are there")
                };
                let verb = match relation {
                    Relation::EstablishedBy => "establishes",
                    Relation::EvaluatedBy => "evaluates",
                    _ => "publishes",
                };
                Problem::warning(
                    "acts-after-end",
                    edge.loc.to(),
                    format!(
                        "`{}` ended in {end} but {verb} `{}` in {when}",
                        to.id, from.id
                    ),
                )
                .label("acts after its own end")
                .help("check the end date of the acting node and the date of what it acts on")
            });
        }
    }
}

/// Reports every edge that repeats an earlier one's (from, relation, to), in edge order.
///
/// A first pass hashes each edge's (from, relation, to) to a cell of a table of two-bit
/// cells (a few megabytes at most, mostly in cache), marking the cells hit twice; only
/// the edges on such a cell (the duplicates, their first edges, and a few others by
/// chance) are then sorted as packed integer keys. A hash map of every edge cost twice
/// the memory at the peak of a large load, and sorting every edge a tenth of a second
/// at a million nodes.
fn duplicate_edges(g: &PolicyGraph, problems: &mut Problems) {
    let raw = g.graph.raw_edges();
    // Eight cells an edge, but at most four megabytes: at a million nodes a bigger
    // table costs more in cache misses than its fewer chance hits save in sorting.
    let cells = (8 * raw.len()).next_power_of_two().clamp(64, 1 << 24);
    // Fibonacci hashing: the multiplication mixes, the top bits pick the cell.
    let slot = |e: &petgraph::graph::Edge<Relation>| {
        let ends = (e.source().index() as u64) << 32 | e.target().index() as u64;
        let h = (ends ^ (e.weight as u64) << 61).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> (64 - cells.trailing_zeros())) as usize
    };
    // Two bits a cell: seen once, seen again.
    let mut table = crate::mem::filled(cells / 32, 0u64);
    for e in raw {
        let i = slot(e);
        let (w, shift) = (i / 32, i % 32 * 2);
        let word = table[w];
        table[w] = word | 1 << shift | (word >> shift & 1) << (shift + 1);
    }
    let mut keys: Vec<u128> = raw
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let i = slot(e);
            table[i / 32] >> (i % 32 * 2 + 1) & 1 == 1
        })
        .map(|(i, e)| {
            (e.source().index() as u128) << 72
                | (e.weight as u128) << 64
                | (e.target().index() as u128) << 32
                | i as u128
        })
        .collect();
    drop(table);
    keys.sort_unstable();
    let edge_of = |k: u128| EdgeIndex::new((k & 0xFFFF_FFFF) as usize);
    // (duplicate, first of its key), put back in edge order.
    let mut found: Vec<(EdgeIndex, EdgeIndex)> = Vec::new();
    for run in keys.chunk_by(|x, y| x >> 32 == y >> 32) {
        found.extend(run[1..].iter().map(|&k| (edge_of(k), edge_of(run[0]))));
    }
    drop(keys);
    found.sort_unstable();
    for (e, earlier) in found {
        problems.push_with("duplicate-edge", Severity::Warning, || {
            let (a, b) = g.endpoints(e);
            let edge = g.edge(e);
            Problem::warning(
                "duplicate-edge",
                edge.loc.whole(),
                format!(
                    "duplicate edge `{}` {} `{}`",
                    g.node(a).id,
                    edge.relation,
                    g.node(b).id
                ),
            )
            .label("same from, relation and to as an earlier edge")
            .related(g.edge(earlier).loc.whole(), "first written")
            .help("merge the two edges, keeping both sources in one `sources` list")
        });
    }
}

/// Nodes without sources, and nodes with no edges that no source cites.
fn unsourced_nodes_and_orphans(g: &PolicyGraph, cited: &[bool], problems: &mut Problems) {
    for (ix, raw) in g.nodes().zip(g.graph.raw_nodes()) {
        let node = g.node(ix);
        if node.sources.is_empty() {
            problems.push_with("no-source", Severity::Warning, || {
                Problem::warning("no-source", node.loc.id(), format!("node `{}` has no source", node.id))
                    .label("no `sources`")
                    .help("add sources = [{ doc = \"document-id\", at = \"p. 12\" }] saying where this comes from")
            });
        }
        let has_edges = raw.next_edge(Direction::Outgoing) != EdgeIndex::end()
            || raw.next_edge(Direction::Incoming) != EdgeIndex::end();
        if !has_edges && !cited[ix.index()] {
            problems.push_with("orphan", Severity::Warning, || {
                Problem::warning(
                    "orphan",
                    node.loc.id(),
                    format!("node `{}` has no edges", node.id),
                )
                .label("connected to nothing")
                .help("add an edge that says how it relates to the rest of the graph, or remove it")
            });
        }
    }
}

/// Edges without sources.
fn unsourced_edges(g: &PolicyGraph, problems: &mut Problems) {
    for e in g.edges() {
        let edge = g.edge(e);
        if edge.sources().is_empty() {
            let (a, b) = g.endpoints(e);
            problems.push_with("no-source", Severity::Warning, || {
                Problem::warning(
                    "no-source",
                    edge.loc.whole(),
                    format!("edge `{}` {} `{}` has no source", g.node(a).id, edge.relation, g.node(b).id),
                )
                .label("no `sources`")
                .help("add sources = [{ doc = \"document-id\", at = \"p. 12\" }] saying where this comes from")
            });
        }
    }
}

fn findings_without_stance(g: &PolicyGraph, problems: &mut Problems) {
    for ix in g.nodes() {
        let node = g.node(ix);
        if node.kind == NodeKind::Finding && node.stance.is_none() {
            problems.push_with("no-stance", Severity::Warning, || {
                Problem::warning(
                    "no-stance",
                    node.loc.id(),
                    format!("finding `{}` has no stance", node.id),
                )
                .label("finding without `stance`")
                .help("add stance = \"critical\", \"supportive\", \"mixed\" or \"neutral\"")
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Problem;
    use std::fmt::Write;

    #[test]
    fn duplicate_edges_are_each_edge_that_repeats_an_earlier_one() {
        let dir = troubled_collection(1500);
        let loaded = crate::load::load(dir.path(), None).unwrap();
        let mut problems = loaded.problems;
        let g = PolicyGraph::build(loaded.dataset, &mut problems);
        let mut first: HashMap<(NodeIndex, Relation, NodeIndex), EdgeIndex> = HashMap::new();
        let mut expected = Vec::new();
        for e in g.edges() {
            let (a, b) = g.endpoints(e);
            let earlier = *first.entry((a, g.edge(e).relation, b)).or_insert(e);
            if earlier != e {
                expected.push((g.edge(e).loc.whole(), g.edge(earlier).loc.whole()));
            }
        }
        let mut found = Problems::new(None);
        duplicate_edges(&g, &mut found);
        let found: Vec<_> = found
            .kept()
            .iter()
            .map(|p| (p.loc.unwrap(), p.related[0].0))
            .collect();
        assert!(expected.len() > 100);
        assert_eq!(found, expected);
    }

    /// Every check, one after another into the same problems: what [`check`] must equal.
    fn one_after_another(g: &PolicyGraph, problems: &mut Problems, warnings: bool) {
        let cited = sources(g, problems);
        let facts = NodeFacts::new(g);
        relation_kinds(g, &facts, problems);
        replaced_cycles(g, problems);
        unsafe_text(g, Records::Nodes, problems);
        unsafe_text(g, Records::Edges, problems);
        if warnings {
            dates(g, &facts, problems);
            duplicate_edges(g, problems);
            unsourced_nodes_and_orphans(g, &cited, problems);
            unsourced_edges(g, problems);
            findings_without_stance(g, problems);
        }
    }

    /// A collection of `n` nodes with many problems of every code the checks find:
    /// sources that are not documents or unknown, kinds a relation may not join,
    /// `replaced` cycles, control characters, dates out of order, duplicate edges,
    /// nodes without sources, orphans (some cited, so not orphans), findings without
    /// a stance. Deterministic: a linear congruential generator picks the edges.
    fn troubled_collection(n: usize) -> tempfile::TempDir {
        let kinds = ["initiative", "body", "legislation", "document", "finding"];
        let relations = [
            "established-by",
            "replaced",
            "evaluated-by",
            "cites",
            "published-by",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut random = move |below: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % below
        };
        let mut nodes = String::from("id,kind,name,start,end,stance,sources,note\n");
        for i in 0..n {
            let kind = kinds[i % kinds.len()];
            let name = if i % 37 == 0 {
                format!("node \u{1b}[31m{i}")
            } else {
                format!("node {i}")
            };
            let start = 1900 + random(100);
            let end = if i % 3 == 0 {
                format!("{}", start + random(30))
            } else {
                String::new()
            };
            let stance = if kind == "finding" && i % 2 == 0 {
                "critical"
            } else {
                ""
            };
            // Documents are n3, n8, ...; n1 is a body, n0 an initiative.
            let sources = match i % 11 {
                0 => String::new(),
                1 => format!("n{}@p. {i}", 3 + 5 * random(n / 5)),
                // Few unknown documents: each costs a search for a suggestion.
                2 if i % 242 == 2 => format!("n1@p. {i}|missing-{}@p. 2", i % 7),
                2 => format!("n1@p. {i}"),
                3 => format!("n{}@para \u{7}{i}", 3 + 5 * random(n / 5)),
                _ => format!("n{}@p. 1", 3 + 5 * random(n / 5)),
            };
            let note = if i % 53 == 0 { "a note \u{85}" } else { "" };
            writeln!(
                nodes,
                "n{i},{kind},{name},{start},{end},{stance},{sources},{note}"
            )
            .unwrap();
        }
        let mut edges = String::from("from,relation,to,date,note,sources\n");
        // The last tenth of the nodes has no edges; the tenth before is kept for
        // `replaced` cycles, so that random edges do not merge them into one.
        let linked = n - 2 * (n / 10);
        let mut written: Vec<String> = Vec::new();
        for i in 0..3 * n {
            let line = match i % 9 {
                1 if !written.is_empty() => written[random(written.len())].clone(),
                2 => format!(
                    "n{},established-by,n{},{},,",
                    random(linked),
                    random(linked),
                    1900 + random(150)
                ),
                3 => format!(
                    "n{},cites,n{},,a note \u{1}{i},n{}@p. 3",
                    random(linked),
                    random(linked),
                    3 + 5 * random(n / 5)
                ),
                _ => format!(
                    "n{},{},n{},,,",
                    random(linked),
                    relations[random(relations.len())],
                    random(linked)
                ),
            };
            writeln!(edges, "{line}").unwrap();
            written.push(line);
        }
        // Cycles of one, two and three nodes of a kind, and a chain into one.
        for first in (linked..n - n / 10 - 15).step_by(15) {
            let [a, b, c] = [first, first + 5, first + 10];
            let cycle = match first % 4 {
                0 => format!("n{a},replaced,n{a},,,"),
                1 => format!("n{a},replaced,n{b},,,\nn{b},replaced,n{a},,,"),
                _ => format!("n{c},replaced,n{a},,,\nn{a},replaced,n{b},,,\nn{b},replaced,n{c},,,"),
            };
            writeln!(edges, "{cycle}\nn{},replaced,n{a},,,", first + 5 * 3).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("nodes.csv"), nodes).unwrap();
        std::fs::write(dir.path().join("edges.csv"), edges).unwrap();
        dir
    }

    fn same(a: &Problems, b: &Problems) {
        assert_eq!(a.kept(), b.kept());
        assert_eq!(a.total(), b.total());
        assert_eq!(a.tally(), b.tally());
        assert_eq!(a.omitted(), b.omitted());
        let (a, b): (Vec<Problem>, Vec<Problem>) =
            (a.clone().into_sorted(), b.clone().into_sorted());
        assert_eq!(a, b);
    }

    #[test]
    fn checks_on_two_threads_find_what_checks_in_turn_find() {
        let dir = troubled_collection(1500);
        for limit in [Some(3), Some(1), None] {
            let loaded = crate::load::load(dir.path(), limit).unwrap();
            let mut problems = loaded.problems;
            let g = PolicyGraph::build(loaded.dataset, &mut problems);
            let mut in_turn = problems.clone();
            one_after_another(&g, &mut in_turn, true);
            let mut parallel = problems.clone();
            check(&g, &mut parallel);
            same(&parallel, &in_turn);
            if limit == Some(3) {
                // Every code the checks find is there beyond the limit, so which are
                // kept matters.
                let omitted = in_turn.omitted();
                for code in [
                    "source-not-document",
                    "unknown-node",
                    "relation-kinds",
                    "replaced-kind-mismatch",
                    "replaced-cycle",
                    "control-character",
                    "successor-starts-first",
                    "acts-after-end",
                    "duplicate-edge",
                    "no-source",
                    "orphan",
                    "no-stance",
                ] {
                    assert!(
                        omitted.get(code).is_some_and(|&n| n > 0),
                        "{code}: {omitted:?}"
                    );
                }
            }

            let mut in_turn = problems.clone();
            one_after_another(&g, &mut in_turn, false);
            let mut parallel = problems.clone();
            check_errors(&g, &mut parallel);
            same(&parallel, &in_turn);
        }
    }
}
