//! Property tests for the queries on random graphs, each against a naive reference:
//! lineage equals reachability along `replaced`; the shortest path has the length a
//! plain BFS finds; the ego network at depth d contains the one at depth d - 1; as-of
//! holds exactly the nodes active that year.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

use policygraph::graph::PolicyGraph;
use policygraph::load::toml_text;
use policygraph::open::finish;
use policygraph::query::Filter;
use policygraph::query::lineage::{Way, lineage};
use policygraph::query::neighbours::neighbours;
use policygraph::query::path::{Options, shortest};
use policygraph::query::succession::{Event, successions, successions_around};
use policygraph::query::timeline::as_of;
use proptest::prelude::*;
use std::collections::{BTreeSet, HashSet, VecDeque};

const RELATIONS: [&str; 3] = ["replaced", "established-by", "cites"];

/// A random graph of bodies (so every relation among them but `cites` is allowed; the
/// `cites` edges run between documents), with random dates.
#[derive(Debug, Clone)]
struct Spec {
    n: usize,
    dates: Vec<(Option<u16>, Option<u16>)>,
    edges: Vec<(usize, usize, usize)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (2usize..14).prop_flat_map(|n| {
        let dates = prop::collection::vec(
            (prop::option::of(1990u16..2020), prop::option::of(0u16..15))
                .prop_map(|(s, len)| (s, s.zip(len).map(|(s, l)| s + l))),
            n,
        );
        let edges = prop::collection::vec((0..n, 0..n, 0usize..3), 0..(3 * n));
        (Just(n), dates, edges).prop_map(|(n, dates, edges)| Spec { n, dates, edges })
    })
}

/// Builds the graph. Self-loops and `replaced` cycles are left out (the validator
/// rejects them); `cites` edges join the documents paired with each body.
fn build(spec: &Spec) -> (PolicyGraph, Vec<(usize, usize, usize)>) {
    let mut text = String::from(
        "[[node]]\nid = \"src\"\nkind = \"document\"\nname = \"S\"\nsources = [{ doc = \"src\", at = \"p\" }]\n",
    );
    for i in 0..spec.n {
        let (s, e) = spec.dates[i];
        text += &format!("[[node]]\nid = \"b{i}\"\nkind = \"body\"\nname = \"B{i}\"\n");
        if let Some(s) = s {
            text += &format!("start = \"{s}\"\n");
        }
        if let Some(e) = e {
            text += &format!("end = \"{e}\"\n");
        }
        text += "sources = [{ doc = \"src\", at = \"p\" }]\n";
    }
    let mut kept = Vec::new();
    let mut replaced: Vec<(usize, usize)> = Vec::new();
    for &(a, b, r) in &spec.edges {
        if a == b || kept.iter().any(|&(x, y, z)| (x, y, z) == (a, b, r)) {
            continue;
        }
        if r == 0 {
            replaced.push((a, b));
            if reaches(spec.n, &replaced, b, a) {
                replaced.pop();
                continue;
            }
        }
        kept.push((a, b, r));
        let (from, to) = if r == 2 {
            (format!("d{a}"), format!("d{b}"))
        } else {
            (format!("b{a}"), format!("b{b}"))
        };
        text += &format!(
            "[[edge]]\nfrom = \"{from}\"\nrelation = \"{}\"\nto = \"{to}\"\nsources = [{{ doc = \"src\", at = \"p\" }}]\n",
            RELATIONS[r]
        );
    }
    for i in 0..spec.n {
        text += &format!(
            "[[node]]\nid = \"d{i}\"\nkind = \"document\"\nname = \"D{i}\"\nsources = [{{ doc = \"src\", at = \"p\" }}]\n"
        );
    }
    let opened = finish(toml_text("random.toml", &text), false);
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    (opened.graph, kept)
}

/// Whether `to` is reachable from `from` along the directed pairs.
fn reaches(n: usize, pairs: &[(usize, usize)], from: usize, to: usize) -> bool {
    let mut seen = vec![false; n];
    let mut stack = vec![from];
    while let Some(v) = stack.pop() {
        if v == to {
            return true;
        }
        if std::mem::replace(&mut seen[v], true) {
            continue;
        }
        stack.extend(pairs.iter().filter(|p| p.0 == v).map(|p| p.1));
    }
    false
}

fn ids(
    g: &PolicyGraph,
    nodes: impl IntoIterator<Item = policygraph::graph::NodeIndex>,
) -> BTreeSet<String> {
    nodes
        .into_iter()
        .map(|n| g.node(n).id().to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn events_around_a_node_are_the_whole_graphs_events_there(spec in spec(), root in 0usize..14) {
        let (g, _) = build(&spec);
        let root = g.get(&format!("b{}", root % spec.n)).unwrap();
        same_events_around(&g, root).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn lineage_equals_reachability(spec in spec(), root in 0usize..14) {
        let (g, kept) = build(&spec);
        let root = root % spec.n;
        let replaced: Vec<(usize, usize)> = kept.iter().filter(|e| e.2 == 0).map(|e| (e.0, e.1)).collect();
        let l = lineage(&g, g.get(&format!("b{root}")).unwrap(), Way::Both);
        let expect_pred: BTreeSet<String> = (0..spec.n).filter(|&v| v != root && reaches(spec.n, &replaced, root, v)).map(|v| format!("b{v}")).collect();
        let expect_succ: BTreeSet<String> = (0..spec.n).filter(|&v| v != root && reaches(spec.n, &replaced, v, root)).map(|v| format!("b{v}")).collect();
        prop_assert_eq!(ids(&g, l.predecessors.iter().map(|s| s.node)), expect_pred);
        prop_assert_eq!(ids(&g, l.successors.iter().map(|s| s.node)), expect_succ);
    }

    #[test]
    fn shortest_path_has_the_bfs_length(spec in spec(), a in 0usize..14, b in 0usize..14) {
        let (g, _) = build(&spec);
        let (a, b) = (format!("b{}", a % spec.n), format!("b{}", b % spec.n));
        let (ga, gb) = (g.get(&a).unwrap(), g.get(&b).unwrap());
        // Reference: BFS on the undirected adjacency of every edge.
        let mut dist = std::collections::HashMap::from([(ga, 0usize)]);
        let mut queue = VecDeque::from([ga]);
        while let Some(v) = queue.pop_front() {
            let next = dist[&v] + 1;
            for w in g.graph.neighbors_undirected(v) {
                if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(w) {
                    e.insert(next);
                    queue.push_back(w);
                }
            }
        }
        let found = shortest(&g, ga, gb, &Options::default());
        prop_assert_eq!(found.as_ref().map(|p| p.hops.len()), dist.get(&gb).copied());
        if let Some(p) = found {
            // Every hop is a real edge between consecutive nodes.
            for (i, h) in p.hops.iter().enumerate() {
                let (x, y) = g.endpoints(h.edge);
                prop_assert!((x, y) == (p.nodes[i], p.nodes[i + 1]) || (y, x) == (p.nodes[i], p.nodes[i + 1]));
            }
        }
    }

    #[test]
    fn neighbours_grow_with_depth(spec in spec(), c in 0usize..14, depth in 1usize..5) {
        let (g, _) = build(&spec);
        let centre = g.get(&format!("b{}", c % spec.n)).unwrap();
        let inner: HashSet<_> = neighbours(&g, centre, depth - 1, &Filter::default()).nodes.into_iter().map(|x| x.0).collect();
        let outer = neighbours(&g, centre, depth, &Filter::default());
        let outer_set: HashSet<_> = outer.nodes.iter().map(|x| x.0).collect();
        prop_assert!(inner.is_subset(&outer_set));
        prop_assert!(outer.nodes.iter().all(|&(_, d)| d <= depth));
    }

    #[test]
    fn as_of_holds_exactly_the_active_nodes(spec in spec(), year in 1985u16..2040) {
        let (g, _) = build(&spec);
        let got = ids(&g, as_of(&g, year, &[]));
        let expect: BTreeSet<String> = (0..spec.n)
            .filter(|&i| {
                let (s, e) = spec.dates[i];
                // No end here means an unknown end: known to run in its start year only.
                s.is_some_and(|s| s <= year && e.map_or(s == year, |e| e >= year))
            })
            .map(|i| format!("b{i}"))
            .collect();
        prop_assert_eq!(got, expect);
    }
}

/// [`successions_around`] a node: in the order [`successions`] gives, a subsequence of the
/// whole graph's events, with every event the node takes part in.
fn same_events_around(g: &PolicyGraph, n: policygraph::graph::NodeIndex) -> Result<(), String> {
    let all = successions(g);
    let around = successions_around(g, [n]);
    let mut rest = all.iter();
    for event in &around {
        if !rest.any(|e| e == event) {
            return Err(format!(
                "{event:?} is not, in this order, an event of the whole graph"
            ));
        }
    }
    let has = |e: &Event| e.before.contains(&n) || e.after.contains(&n);
    for event in all.iter().filter(|e| has(e)) {
        if !around.contains(event) {
            return Err(format!("{event:?} is missing around {}", g.node(n).id()));
        }
    }
    Ok(())
}

/// The same on the curated collection, every node of it.
#[test]
fn events_around_each_curated_node_are_the_whole_graphs_events_there() {
    let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/integrated-care"));
    let opened = policygraph::open::open(data, true).expect("data loads");
    let g = &opened.graph;
    assert!(g.node_count() > 100);
    for n in g.nodes() {
        same_events_around(g, n).unwrap();
    }
}
