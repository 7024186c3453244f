//! Paths: the shortest connection between two nodes, or every simple path up to a
//! length, each hop with its relation and the direction it was walked.
//!
//! A path does not, unless asked, pass through a document that **merely cites** its two
//! neighbours on the path: one that speaks of both, each hop being a reference it makes.
//! A node *speaks of* its neighbour over
//! - its own outgoing `cites` edge (`D → cites Y`: D cites Y),
//! - a `reported-in` edge into it (`f → reported-in D`: D reports the finding f), or
//! - a finding's `cites` edge into it (`f → cites D`: D makes the judgement f).
//!
//! So `X ← cites D → cites Y`, `f1 → reported-in D ← reported-in f2` and
//! `f1 → reported-in D ← cites f2` (a review that reports one judgement and makes another)
//! are such passes: a review that mentions two programmes says nothing about how one led
//! to the other, so the search routes around it ([`Options::through_citing`] allows it).
//! A citation chain is not (`A → cites B → cites C`: B speaks of C but not of A), and a
//! path may end at such a document.

use super::{Filter, Walk, steps};
use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::{HashMap, HashSet, VecDeque};

/// One edge of a path, as walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    /// The edge.
    pub edge: EdgeIndex,
    /// The node the hop leaves.
    pub from: NodeIndex,
    /// The node the hop reaches.
    pub to: NodeIndex,
    /// Whether the edge was walked as written or against it.
    pub walk: Walk,
}

/// A path: its nodes in order and the hops between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// Nodes from start to end.
    pub nodes: Vec<NodeIndex>,
    /// `nodes.len() - 1` hops.
    pub hops: Vec<Hop>,
}

/// How to search.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Relations and kinds allowed (the two ends are always allowed).
    pub filter: Filter,
    /// Follow edges only as written (FROM to TO).
    pub directed: bool,
    /// Nodes the path may not pass through (the two ends are always allowed).
    pub avoid: Vec<NodeIndex>,
    /// Allow passing through a node that merely cites both its neighbours on the path.
    pub through_citing: bool,
}

/// The node that speaks of the other end of an edge (see the module): the citing node
/// of a `cites` edge, but the document of a finding's `cites` (the one that makes the
/// judgement), and the reporting document of `reported-in`; no other relation speaks.
pub fn citing_end(g: &PolicyGraph, e: EdgeIndex) -> Option<NodeIndex> {
    let (from, to) = g.endpoints(e);
    match g.edge(e).relation {
        crate::model::Relation::Cites if g.node(from).kind == crate::model::NodeKind::Finding => {
            Some(to)
        }
        crate::model::Relation::Cites => Some(from),
        crate::model::Relation::ReportedIn => Some(to),
        _ => None,
    }
}

/// Whether the hops `into` and then `out` pass through a node that merely cites both
/// its neighbours: it speaks of both.
pub fn merely_cites(g: &PolicyGraph, into: &Hop, out: &Hop) -> bool {
    into.to == out.from
        && citing_end(g, into.edge) == Some(into.to)
        && citing_end(g, out.edge) == Some(out.from)
}

/// The nodes a path passes through only by citing both neighbours (see the module).
pub fn citing_hubs(g: &PolicyGraph, p: &Path) -> Vec<NodeIndex> {
    p.hops
        .windows(2)
        .filter(|w| merely_cites(g, &w[0], &w[1]))
        .map(|w| w[0].to)
        .collect()
}

/// Whether every hop of a non-empty path is a citation: a `cites` or `reported-in` edge.
pub fn only_citations(g: &PolicyGraph, p: &Path) -> bool {
    !p.hops.is_empty() && p.hops.iter().all(|h| citing_end(g, h.edge).is_some())
}

fn allowed(g: &PolicyGraph, n: NodeIndex, options: &Options) -> Vec<(EdgeIndex, NodeIndex, Walk)> {
    // Kinds restrict the nodes passed through; the target is checked by the caller.
    let relations_only = Filter {
        relations: options.filter.relations.clone(),
        kinds: Vec::new(),
    };
    steps(g, n, &relations_only, options.directed)
}

/// The shortest path from `a` to `b` (fewest hops), breadth-first; ties go to edges in
/// load order, outgoing before incoming. O(nodes + edges).
///
/// Unless `options.through_citing`, a node is reached in one of two states: by a
/// reference it makes ([`citing_end`]), or otherwise; from the first it may not leave by
/// another reference it makes. Each state is visited once, so the search stays linear.
pub fn shortest(g: &PolicyGraph, a: NodeIndex, b: NodeIndex, options: &Options) -> Option<Path> {
    if a == b {
        return Some(Path {
            nodes: vec![a],
            hops: Vec::new(),
        });
    }
    // A state: the node, and the hop that reached it when that hop was one of the
    // node's own citations (so the next hop may not be another).
    type State = (NodeIndex, bool);
    let mut parent: HashMap<State, (Hop, State)> = HashMap::new();
    let mut queue = VecDeque::from([(a, false)]);
    let mut seen = HashSet::from([(a, false)]);
    while let Some(state) = queue.pop_front() {
        let (n, by_own_citation) = state;
        for (e, m, walk) in allowed(g, n, options) {
            if m != b && (!options.filter.kind(g.node(m).kind) || options.avoid.contains(&m)) {
                continue;
            }
            let hop = Hop {
                edge: e,
                from: n,
                to: m,
                walk,
            };
            let citing = citing_end(g, e);
            if !options.through_citing && by_own_citation && citing == Some(n) {
                continue;
            }
            let next = (m, !options.through_citing && citing == Some(m));
            if !seen.insert(next) {
                continue;
            }
            parent.insert(next, (hop, state));
            if m == b {
                let mut hops = Vec::new();
                let mut at = next;
                while at != (a, false) {
                    let (hop, before) = parent[&at];
                    hops.push(hop);
                    at = before;
                }
                hops.reverse();
                let mut nodes = vec![a];
                nodes.extend(hops.iter().map(|h| h.to));
                let mut sorted = nodes.clone();
                sorted.sort_unstable();
                if sorted.windows(2).any(|w| w[0] == w[1]) {
                    // The shortest walk passes a node twice, once in each state: the
                    // shortest simple path is found by the bounded search instead.
                    return all_simple(g, a, b, options, g.node_count(), FALLBACK_STEPS)
                        .next()
                        .and_then(Result::ok);
                }
                return Some(Path { nodes, hops });
            }
            queue.push_back(next);
        }
    }
    None
}

/// Every simple path from `a` to `b` of at most `max_len` hops, shortest first (ties in
/// edge load order), found one at a time: see [`AllSimple`]. Take as many as wanted
/// (`.take(limit)`); the search does the work for those and no more.
///
/// `budget` bounds the work: the number of edges the search may look at (the
/// distance table costs one more pass over the graph, not counted). When it is spent,
/// the iterator yields one `Err(Stopped)` and ends.
pub fn all_simple<'g>(
    g: &'g PolicyGraph,
    a: NodeIndex,
    b: NodeIndex,
    options: &Options,
    max_len: usize,
    budget: u64,
) -> AllSimple<'g> {
    let relations_only = Filter {
        relations: options.filter.relations.clone(),
        kinds: Vec::new(),
    };
    // No simple path has more hops than there are other nodes.
    let max_len = max_len.min(g.node_count().saturating_sub(1));
    let finished = a == b || max_len == 0;
    let to_target = if finished {
        Vec::new()
    } else {
        distances_to(g, a, b, options)
    };
    let mut search = AllSimple {
        g,
        a,
        b,
        options: options.clone(),
        relations_only,
        max_len,
        len: 0,
        to_target,
        stack: Vec::new(),
        hops: Vec::new(),
        on_path: vec![false; if finished { 0 } else { g.node_count() }],
        cut: false,
        steps: 0,
        budget,
        finished,
    };
    if !finished {
        search.start_pass(1);
    }
    search
}

/// Why [`AllSimple`] stopped before listing every path: the work budget was spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// Edges looked at, the budget.
    pub steps: u64,
    /// The path length being searched when the budget ran out: every path shorter than
    /// this has been listed.
    pub len: usize,
}

/// The work bound of [`shortest`]'s rare fallback to the simple-path search.
const FALLBACK_STEPS: u64 = 10_000_000;

/// Distance unknown: the node cannot reach the target without passing the start.
const FAR: u32 = u32::MAX;

/// For every node, the fewest hops to `b` along the steps the search may take, through
/// nodes of the allowed kinds and never through `a` (every path starts there, so no
/// continuation can come back to it): a reverse breadth-first search from `b`. A lower
/// bound on the hops any simple continuation needs, so branches that cannot reach `b`
/// within the hops left are never entered.
fn distances_to(g: &PolicyGraph, a: NodeIndex, b: NodeIndex, options: &Options) -> Vec<u32> {
    let mut dist = vec![FAR; g.node_count()];
    dist[b.index()] = 0;
    let mut queue = VecDeque::from([b]);
    while let Some(y) = queue.pop_front() {
        let next = dist[y.index()].saturating_add(1);
        // Nodes x with a step x -> y: edges into y walked forward, and when undirected,
        // edges out of y walked backward.
        let incoming = g.graph.edges_directed(y, petgraph::Direction::Incoming);
        let outgoing = g.graph.edges_directed(y, petgraph::Direction::Outgoing);
        let mut visit = |x: NodeIndex, relation| {
            if x == a
                || options.avoid.contains(&x)
                || dist[x.index()] != FAR
                || !options.filter.relation(relation)
                || !options.filter.kind(g.node(x).kind)
            {
                return;
            }
            dist[x.index()] = next;
            queue.push_back(x);
        };
        for e in incoming {
            visit(e.source(), *e.weight());
        }
        if !options.directed {
            for e in outgoing {
                visit(e.target(), *e.weight());
            }
        }
    }
    dist
}

type Frame = (NodeIndex, std::vec::IntoIter<(EdgeIndex, NodeIndex, Walk)>);

/// The simple paths from one node to another, shortest first, as an iterator: made by
/// [`all_simple`].
///
/// Iterative deepening: one depth-first pass (explicit stack, no recursion) per length,
/// so shorter paths come first and only the paths asked for are searched for. Memory is
/// one path and its frontier, however many paths there are. Three bounds keep the work
/// finite and small:
/// - a branch is entered only when its node can still reach the target in the hops left
///   (a table of distances to the target, computed once);
/// - the lengths stop when a pass cut no branch short for lack of hops (so no longer
///   path can exist), and at the number of nodes less one;
/// - at most `budget` edges are looked at, then the iterator yields [`Stopped`].
#[derive(Debug)]
pub struct AllSimple<'g> {
    g: &'g PolicyGraph,
    a: NodeIndex,
    b: NodeIndex,
    options: Options,
    /// The options' relations without their kinds (the target's kind is always allowed).
    relations_only: Filter,
    max_len: usize,
    /// The length of the current pass, in hops.
    len: usize,
    /// Fewest hops from each node to `b`, [`FAR`] when it cannot get there.
    to_target: Vec<u32>,
    stack: Vec<Frame>,
    hops: Vec<Hop>,
    on_path: Vec<bool>,
    /// Whether this pass left a branch because its length was used up: only then can a
    /// longer pass find anything.
    cut: bool,
    steps: u64,
    budget: u64,
    finished: bool,
}

impl AllSimple<'_> {
    fn start_pass(&mut self, len: usize) {
        self.len = len;
        self.cut = false;
        self.hops.clear();
        self.on_path.fill(false);
        self.on_path[self.a.index()] = true;
        let first = steps(self.g, self.a, &self.relations_only, self.options.directed);
        self.stack = vec![(self.a, first.into_iter())];
    }

    /// How many edges the search has looked at so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }
}

impl Iterator for AllSimple<'_> {
    type Item = Result<Path, Stopped>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            let Some((n, next)) = self.stack.last_mut() else {
                // A pass is over: a longer one only if this one ran out of hops somewhere.
                if self.cut && self.len < self.max_len {
                    self.start_pass(self.len + 1);
                } else {
                    self.finished = true;
                }
                continue;
            };
            let n = *n;
            let Some((e, m, walk)) = next.next() else {
                self.stack.pop();
                if let Some(h) = self.hops.pop() {
                    self.on_path[h.to.index()] = false;
                }
                continue;
            };
            if self.steps >= self.budget {
                self.finished = true;
                return Some(Err(Stopped {
                    steps: self.steps,
                    len: self.len,
                }));
            }
            self.steps += 1;
            if self.on_path[m.index()] {
                continue;
            }
            let depth = self.hops.len() + 1;
            let hop = Hop {
                edge: e,
                from: n,
                to: m,
                walk,
            };
            if !self.options.through_citing
                && self
                    .hops
                    .last()
                    .is_some_and(|last| merely_cites(self.g, last, &hop))
            {
                continue;
            }
            if m == self.b {
                // Shorter paths were listed by earlier passes.
                if depth == self.len {
                    let mut hops = self.hops.clone();
                    hops.push(hop);
                    let mut nodes = vec![self.a];
                    nodes.extend(hops.iter().map(|h| h.to));
                    return Some(Ok(Path { nodes, hops }));
                }
                continue;
            }
            // FAR also for nodes of kinds the filter leaves out.
            let left = self.to_target[m.index()];
            if left == FAR {
                continue;
            }
            if depth + left as usize > self.len {
                self.cut = true;
                continue;
            }
            self.hops.push(hop);
            self.on_path[m.index()] = true;
            let onward = steps(self.g, m, &self.relations_only, self.options.directed);
            self.stack.push((m, onward.into_iter()));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Relation;
    use crate::query::fixture::graph;

    fn names(g: &PolicyGraph, p: &Path) -> Vec<String> {
        p.nodes
            .iter()
            .map(|&n| g.node(n).id().to_string())
            .collect()
    }

    const SPEC: &str = "pct body 2000; ccg body 2013; icb body 2022; act12 legislation 2012; act22 legislation 2022; \
        ccg replaced pct; icb replaced ccg; ccg established-by act12; icb established-by act22; lonely body";

    #[test]
    fn shortest_walks_both_ways_by_default() {
        let g = graph(SPEC);
        let p = shortest(
            &g,
            g.get("pct").unwrap(),
            g.get("act12").unwrap(),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(names(&g, &p), ["pct", "ccg", "act12"]);
        assert_eq!(
            p.hops[0].walk,
            Walk::Backward,
            "ccg replaced pct, walked from pct"
        );
        assert_eq!(p.hops[1].walk, Walk::Forward);
    }

    #[test]
    fn directed_follows_edges_as_written() {
        let g = graph(SPEC);
        let directed = Options {
            directed: true,
            ..Options::default()
        };
        assert!(
            shortest(
                &g,
                g.get("pct").unwrap(),
                g.get("act12").unwrap(),
                &directed
            )
            .is_none()
        );
        let p = shortest(&g, g.get("icb").unwrap(), g.get("pct").unwrap(), &directed).unwrap();
        assert_eq!(names(&g, &p), ["icb", "ccg", "pct"]);
    }

    #[test]
    fn relations_restrict_the_walk() {
        let g = graph(SPEC);
        let only_replaced = Options {
            filter: Filter {
                relations: vec![Relation::Replaced],
                kinds: vec![],
            },
            ..Options::default()
        };
        assert!(
            shortest(
                &g,
                g.get("pct").unwrap(),
                g.get("act12").unwrap(),
                &only_replaced
            )
            .is_none()
        );
    }

    /// A fund replaced by a scheme; a review citing both; an audit making two findings,
    /// one on each, reported in the review; a chain of citations.
    const HUB: &str = "fund initiative 2013; scheme initiative 2019; review document 2021; \
        audit document 2017; f1 finding 2017; f2 finding 2017; act legislation 2012; \
        act2 legislation 2018; old document 2000; \
        review cites fund; review cites scheme; fund evaluated-by f1; scheme evaluated-by f2; \
        f1 cites audit; f2 cites audit; f1 reported-in review; \
        fund established-by act; act2 replaced act; scheme established-by act2; audit cites old";

    fn between(g: &PolicyGraph, a: &str, b: &str, options: &Options) -> Option<Vec<String>> {
        shortest(g, g.get(a).unwrap(), g.get(b).unwrap(), options).map(|p| names(g, &p))
    }

    #[test]
    fn a_document_that_merely_cites_both_ends_is_routed_around() {
        let g = graph(HUB);
        let through = Options {
            through_citing: true,
            ..Options::default()
        };
        assert_eq!(
            between(&g, "fund", "scheme", &through).unwrap(),
            ["fund", "review", "scheme"]
        );
        assert_eq!(
            between(&g, "fund", "scheme", &Options::default()).unwrap(),
            ["fund", "act", "act2", "scheme"],
            "the review cites both; the audit makes both findings"
        );
        let p = shortest(
            &g,
            g.get("fund").unwrap(),
            g.get("scheme").unwrap(),
            &through,
        )
        .unwrap();
        assert_eq!(citing_hubs(&g, &p), [g.get("review").unwrap()]);
        assert!(only_citations(&g, &p));
    }

    #[test]
    fn a_chain_of_citations_is_not_a_hub() {
        // review reports f1, which the audit makes, and the audit cites old: the audit
        // speaks of f1 and old, so it is a hub; with --through-citing it is passed.
        let g = graph(HUB);
        assert_eq!(
            between(&g, "review", "old", &Options::default()),
            None,
            "f1 → audit → old: the audit makes f1 and cites old"
        );
        let g = graph("a document 2020; b document 2010; c document 2000; a cites b; b cites c");
        let p = shortest(
            &g,
            g.get("a").unwrap(),
            g.get("c").unwrap(),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(names(&g, &p), ["a", "b", "c"]);
        assert!(citing_hubs(&g, &p).is_empty());
        assert!(only_citations(&g, &p));
    }

    #[test]
    fn avoided_nodes_are_not_passed_through() {
        let g = graph(HUB);
        let avoid = Options {
            avoid: vec![g.get("act").unwrap()],
            ..Options::default()
        };
        assert_eq!(between(&g, "fund", "scheme", &avoid), None);
        let all: Vec<Vec<String>> = all_simple(
            &g,
            g.get("fund").unwrap(),
            g.get("scheme").unwrap(),
            &avoid,
            6,
            u64::MAX,
        )
        .map(|p| names(&g, &p.unwrap()))
        .collect();
        let avoid_review = Options {
            avoid: vec![g.get("review").unwrap()],
            through_citing: true,
            ..Options::default()
        };
        assert_eq!(
            between(&g, "fund", "scheme", &avoid_review).unwrap(),
            ["fund", "act", "act2", "scheme"]
        );
        assert_eq!(
            all,
            Vec::<Vec<String>>::new(),
            "only through the act, or a citing hub"
        );
        let all: Vec<Vec<String>> = all_simple(
            &g,
            g.get("fund").unwrap(),
            g.get("scheme").unwrap(),
            &Options::default(),
            6,
            u64::MAX,
        )
        .map(|p| names(&g, &p.unwrap()))
        .collect();
        assert_eq!(all, [vec!["fund", "act", "act2", "scheme"]]);
    }

    #[test]
    fn disconnected_nodes_have_no_path() {
        let g = graph(SPEC);
        assert!(
            shortest(
                &g,
                g.get("lonely").unwrap(),
                g.get("pct").unwrap(),
                &Options::default()
            )
            .is_none()
        );
    }

    /// The first `limit` paths, failing the test if the budget runs out.
    fn listed(
        g: &PolicyGraph,
        a: &str,
        b: &str,
        options: &Options,
        max_len: usize,
        limit: usize,
    ) -> Vec<Path> {
        all_simple(
            g,
            g.get(a).unwrap(),
            g.get(b).unwrap(),
            options,
            max_len,
            u64::MAX,
        )
        .take(limit)
        .collect::<Result<_, _>>()
        .unwrap()
    }

    #[test]
    fn all_simple_paths_are_bounded_and_sorted() {
        let g = graph(
            "a body; b body; c body; d body; b replaced a; c replaced a; d replaced b; d replaced c; c replaced b",
        );
        let paths = listed(&g, "a", "d", &Options::default(), 3, 10);
        let lens: Vec<usize> = paths.iter().map(|p| p.hops.len()).collect();
        assert_eq!(lens, [2, 2, 3, 3]);
        let short = listed(&g, "a", "d", &Options::default(), 2, 10);
        assert_eq!(short.len(), 2);
        assert_eq!(listed(&g, "a", "d", &Options::default(), 3, 3).len(), 3);
    }

    /// A clique of `n` bodies (each established by every later one), as fixture text.
    fn clique(n: usize) -> String {
        let mut spec: Vec<String> = (0..n).map(|i| format!("n{i} body")).collect();
        for i in 0..n {
            for j in i + 1..n {
                spec.push(format!("n{i} established-by n{j}"));
            }
        }
        spec.join("; ")
    }

    #[test]
    fn lengths_stop_where_no_longer_path_can_exist() {
        // Three nodes and a huge max-len: two passes, a handful of steps.
        let g = graph("a body; b body; c body; a established-by b; b established-by c");
        let mut search = all_simple(
            &g,
            g.get("a").unwrap(),
            g.get("c").unwrap(),
            &Options::default(),
            usize::MAX,
            u64::MAX,
        );
        assert_eq!(search.by_ref().count(), 1);
        assert!(search.steps() < 20, "{} steps", search.steps());
        // The target hangs off the start of a clique: only the one-hop path exists, and
        // no branch into the clique is entered (it cannot reach the target without
        // coming back through the start).
        let g = graph(&format!("{}; t body; t established-by n0", clique(12)));
        let mut search = all_simple(
            &g,
            g.get("n0").unwrap(),
            g.get("t").unwrap(),
            &Options::default(),
            11,
            u64::MAX,
        );
        assert_eq!(search.by_ref().count(), 1);
        assert!(search.steps() < 100, "{} steps", search.steps());
    }

    #[test]
    fn the_budget_stops_the_search_with_a_reason() {
        // a - c - t, c in a clique: the only path is a, c, t, but the distance table
        // cannot see that every way back to t passes c, so the clique is searched.
        let g = graph(&format!(
            "{}; a body; t body; a established-by n0; n0 established-by t",
            clique(10)
        ));
        let (a, t) = (g.get("a").unwrap(), g.get("t").unwrap());
        let found: Vec<_> = all_simple(&g, a, t, &Options::default(), 11, 5_000).collect();
        assert_eq!(found.len(), 2, "the path, then the stop");
        assert!(found[0].is_ok());
        let stopped = found[1].as_ref().unwrap_err();
        assert_eq!(stopped.steps, 5_000);
        assert!(stopped.len >= 3, "every path of 2 hops was listed first");
        let all: Vec<_> = all_simple(&g, a, t, &Options::default(), 11, u64::MAX).collect();
        assert_eq!(all.len(), 1, "with no budget the search ends by itself");
    }

    /// Every simple path from `a` to `b` of at most `max_len` hops, by brute force: the
    /// node sequences and edges, recursively over every step.
    fn brute_force(
        g: &PolicyGraph,
        a: NodeIndex,
        b: NodeIndex,
        options: &Options,
        max_len: usize,
    ) -> Vec<Vec<EdgeIndex>> {
        #[allow(clippy::too_many_arguments)] // a recursive reference, kept plain
        fn go(
            g: &PolicyGraph,
            at: NodeIndex,
            b: NodeIndex,
            options: &Options,
            left: usize,
            path: &mut Vec<NodeIndex>,
            edges: &mut Vec<EdgeIndex>,
            out: &mut Vec<Vec<EdgeIndex>>,
        ) {
            if at == b {
                out.push(edges.clone());
                return;
            }
            if left == 0 {
                return;
            }
            let all = Filter {
                relations: options.filter.relations.clone(),
                kinds: Vec::new(),
            };
            for (e, m, _) in steps(g, at, &all, options.directed) {
                if path.contains(&m) || (m != b && !options.filter.kind(g.node(m).kind)) {
                    continue;
                }
                path.push(m);
                edges.push(e);
                go(g, m, b, options, left - 1, path, edges, out);
                path.pop();
                edges.pop();
            }
        }
        let mut out = Vec::new();
        if a != b {
            go(
                g,
                a,
                b,
                options,
                max_len,
                &mut vec![a],
                &mut Vec::new(),
                &mut out,
            );
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

        /// The iterator lists exactly the paths brute force finds, each once, shortest
        /// first; with a limit, the first ones of that list.
        #[test]
        fn all_simple_lists_what_brute_force_finds(
            n in 2usize..8,
            kinds in proptest::collection::vec(proptest::bool::ANY, 8),
            edges in proptest::collection::vec((0usize..8, 0usize..8, proptest::bool::ANY), 0..20),
            ends in (0usize..8, 0usize..8),
            max_len in 0usize..9,
            directed in proptest::bool::ANY,
            only_bodies in proptest::bool::ANY,
            only_replaced in proptest::bool::ANY,
            limit in 1usize..6,
        ) {
            // Bodies and initiatives; `established-by` either way, and `replaced` from a
            // later to an earlier node of the same kind (no cycles), so pairs of nodes
            // can be joined by parallel edges.
            let kind = |i: usize| if kinds[i] { "body" } else { "initiative" };
            let mut spec: Vec<String> = (0..n).map(|i| format!("n{i} {}", kind(i))).collect();
            let mut seen = HashSet::new();
            for (x, y, replaced) in edges {
                let (x, y) = (x % n, y % n);
                let relation = if replaced { "replaced" } else { "established-by" };
                if x == y || (replaced && (x < y || kind(x) != kind(y))) || !seen.insert((x, y, replaced)) {
                    continue;
                }
                spec.push(format!("n{x} {relation} n{y}"));
            }
            let g = graph(&spec.join("; "));
            let options = Options {
                filter: Filter {
                    relations: if only_replaced { vec![Relation::Replaced] } else { vec![] },
                    kinds: if only_bodies { vec![crate::model::NodeKind::Body] } else { vec![] },
                },
                directed,
                ..Options::default()
            };
            let (a, b) = (g.get(&format!("n{}", ends.0 % n)).unwrap(), g.get(&format!("n{}", ends.1 % n)).unwrap());
            let mut expected = brute_force(&g, a, b, &options, max_len);
            let got: Vec<Path> = all_simple(&g, a, b, &options, max_len, u64::MAX)
                .collect::<Result<_, _>>()
                .unwrap();
            for p in &got {
                proptest::prop_assert_eq!(p.nodes.len(), p.hops.len() + 1);
                for (i, h) in p.hops.iter().enumerate() {
                    proptest::prop_assert_eq!((h.from, h.to), (p.nodes[i], p.nodes[i + 1]));
                    let (x, y) = g.endpoints(h.edge);
                    let expect = match h.walk {
                        Walk::Forward => (x, y),
                        Walk::Backward => (y, x),
                    };
                    proptest::prop_assert_eq!(expect, (h.from, h.to));
                }
            }
            let lens: Vec<usize> = got.iter().map(|p| p.hops.len()).collect();
            proptest::prop_assert!(lens.is_sorted(), "shortest first: {:?}", lens);
            let mut listed: Vec<Vec<EdgeIndex>> =
                got.iter().map(|p| p.hops.iter().map(|h| h.edge).collect()).collect();
            let first: Vec<Path> = all_simple(&g, a, b, &options, max_len, u64::MAX)
                .take(limit)
                .collect::<Result<_, _>>()
                .unwrap();
            proptest::prop_assert_eq!(&first[..], &got[..limit.min(got.len())]);
            listed.sort();
            expected.sort();
            proptest::prop_assert_eq!(listed, expected);
        }
    }
}
