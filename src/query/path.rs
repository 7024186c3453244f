//! Paths: the shortest connection between two nodes, or every simple path up to a
//! length, each hop with its relation and the direction it was walked.

use super::{Filter, Walk, steps};
use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
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
pub fn shortest(g: &PolicyGraph, a: NodeIndex, b: NodeIndex, options: &Options) -> Option<Path> {
    if a == b {
        return Some(Path {
            nodes: vec![a],
            hops: Vec::new(),
        });
    }
    let mut parent: HashMap<NodeIndex, Hop> = HashMap::new();
    let mut queue = VecDeque::from([a]);
    let mut seen = HashSet::from([a]);
    while let Some(n) = queue.pop_front() {
        for (e, m, walk) in allowed(g, n, options) {
            if m != b && !options.filter.kind(g.node(m).kind) {
                continue;
            }
            if !seen.insert(m) {
                continue;
            }
            parent.insert(
                m,
                Hop {
                    edge: e,
                    from: n,
                    to: m,
                    walk,
                },
            );
            if m == b {
                let mut hops = Vec::new();
                let mut at = b;
                while at != a {
                    let hop = parent[&at];
                    hops.push(hop);
                    at = hop.from;
                }
                hops.reverse();
                let mut nodes = vec![a];
                nodes.extend(hops.iter().map(|h| h.to));
                return Some(Path { nodes, hops });
            }
            queue.push_back(m);
        }
    }
    None
}

/// Every simple path from `a` to `b` of at most `max_len` hops, shortest first (ties in
/// edge load order), at most `limit` of them.
///
/// Iterative deepening: one depth-first pass (explicit stack, no recursion) per length,
/// so the shortest paths are found first and the search stops as soon as `limit` are
/// found. The number of paths can grow exponentially with `max_len`; `limit` bounds it.
pub fn all_simple(
    g: &PolicyGraph,
    a: NodeIndex,
    b: NodeIndex,
    options: &Options,
    max_len: usize,
    limit: usize,
) -> Vec<Path> {
    let mut found = Vec::new();
    if a == b || limit == 0 {
        return found;
    }
    for len in 1..=max_len {
        of_length(g, a, b, options, len, limit, &mut found);
        if found.len() >= limit {
            break;
        }
    }
    found
}

/// Appends the simple paths of exactly `len` hops to `found`, until it holds `limit`.
fn of_length(
    g: &PolicyGraph,
    a: NodeIndex,
    b: NodeIndex,
    options: &Options,
    len: usize,
    limit: usize,
    found: &mut Vec<Path>,
) {
    type Frame = (NodeIndex, std::vec::IntoIter<(EdgeIndex, NodeIndex, Walk)>);
    let mut stack: Vec<Frame> = vec![(a, allowed(g, a, options).into_iter())];
    let mut hops: Vec<Hop> = Vec::new();
    let mut on_path: HashSet<NodeIndex> = HashSet::from([a]);
    while let Some((n, next)) = stack.last_mut() {
        let n = *n;
        let Some((e, m, walk)) = next.next() else {
            stack.pop();
            if let Some(h) = hops.pop() {
                on_path.remove(&h.to);
            }
            continue;
        };
        if on_path.contains(&m) {
            continue;
        }
        let hop = Hop {
            edge: e,
            from: n,
            to: m,
            walk,
        };
        if hops.len() + 1 == len {
            if m == b {
                let mut all = hops.clone();
                all.push(hop);
                let mut nodes = vec![a];
                nodes.extend(all.iter().map(|h| h.to));
                found.push(Path { nodes, hops: all });
                if found.len() >= limit {
                    return;
                }
            }
        } else if m != b && options.filter.kind(g.node(m).kind) {
            hops.push(hop);
            on_path.insert(m);
            stack.push((m, allowed(g, m, options).into_iter()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Relation;
    use crate::query::fixture::graph;

    fn names(g: &PolicyGraph, p: &Path) -> Vec<String> {
        p.nodes.iter().map(|&n| g.node(n).id.clone()).collect()
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

    #[test]
    fn all_simple_paths_are_bounded_and_sorted() {
        let g = graph(
            "a body; b body; c body; d body; b replaced a; c replaced a; d replaced b; d replaced c; c replaced b",
        );
        let paths = all_simple(
            &g,
            g.get("a").unwrap(),
            g.get("d").unwrap(),
            &Options::default(),
            3,
            10,
        );
        let lens: Vec<usize> = paths.iter().map(|p| p.hops.len()).collect();
        assert_eq!(lens, [2, 2, 3, 3]);
        let short = all_simple(
            &g,
            g.get("a").unwrap(),
            g.get("d").unwrap(),
            &Options::default(),
            2,
            10,
        );
        assert_eq!(short.len(), 2);
    }
}
