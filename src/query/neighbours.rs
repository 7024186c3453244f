//! Neighbours: the ego network of a node, every node within a number of hops along the
//! allowed relations, either way along each edge.

use super::{Filter, steps};
use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use std::collections::{HashMap, HashSet, VecDeque};

/// An ego network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ego {
    /// The centre and every node within the depth, with its distance; by distance, then
    /// start date, then id.
    pub nodes: Vec<(NodeIndex, usize)>,
    /// Every allowed edge between two of those nodes, in load order.
    pub edges: Vec<EdgeIndex>,
}

/// The nodes within `depth` hops of `centre`. Breadth-first; O(nodes + edges visited).
pub fn neighbours(g: &PolicyGraph, centre: NodeIndex, depth: usize, filter: &Filter) -> Ego {
    let mut distance: HashMap<NodeIndex, usize> = HashMap::from([(centre, 0)]);
    let mut queue = VecDeque::from([centre]);
    while let Some(n) = queue.pop_front() {
        let d = distance[&n];
        if d == depth {
            continue;
        }
        for (_, m, _) in steps(g, n, filter, false) {
            if let std::collections::hash_map::Entry::Vacant(v) = distance.entry(m) {
                v.insert(d + 1);
                queue.push_back(m);
            }
        }
    }
    let mut nodes: Vec<(NodeIndex, usize)> = distance.into_iter().collect();
    nodes.sort_by(|a, b| {
        let (na, nb) = (g.node(a.0), g.node(b.0));
        (a.1, na.start.is_none(), na.start, na.id()).cmp(&(
            b.1,
            nb.start.is_none(),
            nb.start,
            nb.id(),
        ))
    });
    let members: HashSet<NodeIndex> = nodes.iter().map(|&(n, _)| n).collect();
    let mut edges: Vec<EdgeIndex> = g
        .edges()
        .filter(|&e| {
            let (a, b) = g.endpoints(e);
            filter.relation(g.edge(e).relation) && members.contains(&a) && members.contains(&b)
        })
        .collect();
    edges.sort();
    Ego { nodes, edges }
}

/// How a node of the ego network is reached: an edge between it and a node one hop
/// nearer the centre, and whether it runs from the nearer node (`true`: NEARER relation
/// THIS) or to it (`false`: THIS relation NEARER).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// The node one hop nearer the centre.
    pub nearer: NodeIndex,
    /// The edge.
    pub edge: EdgeIndex,
    /// True when the edge runs from `nearer` to the node.
    pub outward: bool,
}

/// For each node of `ego` but the centre, the edges that join it to the nodes one hop
/// nearer, in load order: what `neighbours` prints beside each node.
pub fn links(g: &PolicyGraph, ego: &Ego) -> HashMap<NodeIndex, Vec<Link>> {
    let distance: HashMap<NodeIndex, usize> = ego.nodes.iter().copied().collect();
    let mut out: HashMap<NodeIndex, Vec<Link>> = HashMap::new();
    for &e in &ego.edges {
        let (a, b) = g.endpoints(e);
        let (da, db) = (distance[&a], distance[&b]);
        if db == da + 1 {
            out.entry(b).or_default().push(Link {
                nearer: a,
                edge: e,
                outward: true,
            });
        } else if da == db + 1 {
            out.entry(a).or_default().push(Link {
                nearer: b,
                edge: e,
                outward: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeKind;
    use crate::query::fixture::graph;

    const SPEC: &str = "a body; b body; c body; d body; act legislation; b replaced a; c replaced b; d replaced c; \
        b established-by act; x body";

    fn ids(g: &PolicyGraph, ego: &Ego) -> Vec<String> {
        ego.nodes
            .iter()
            .map(|&(n, _)| g.node(n).id().to_string())
            .collect()
    }

    #[test]
    fn each_node_is_linked_to_the_nodes_one_hop_nearer() {
        let g = graph(SPEC);
        let b = g.get("b").unwrap();
        let ego = neighbours(&g, b, 2, &Filter::default());
        let links = links(&g, &ego);
        let said = |id: &str| -> Vec<String> {
            links[&g.get(id).unwrap()]
                .iter()
                .map(|l| {
                    let (from, to) = g.endpoints(l.edge);
                    format!(
                        "{} {} {} {}",
                        g.node(from).id(),
                        g.edge(l.edge).relation,
                        g.node(to).id(),
                        l.outward
                    )
                })
                .collect()
        };
        assert_eq!(said("a"), ["b replaced a true"]);
        assert_eq!(said("act"), ["b established-by act true"]);
        assert_eq!(said("c"), ["c replaced b false"]);
        assert_eq!(said("d"), ["d replaced c false"], "two hops out, through c");
        assert!(!links.contains_key(&b), "the centre has no link");
    }

    #[test]
    fn depth_bounds_the_network() {
        let g = graph(SPEC);
        let b = g.get("b").unwrap();
        assert_eq!(ids(&g, &neighbours(&g, b, 0, &Filter::default())), ["b"]);
        assert_eq!(
            ids(&g, &neighbours(&g, b, 1, &Filter::default())),
            ["b", "a", "act", "c"]
        );
        let two = neighbours(&g, b, 2, &Filter::default());
        assert_eq!(ids(&g, &two), ["b", "a", "act", "c", "d"]);
        assert_eq!(two.edges.len(), 4);
    }

    #[test]
    fn kinds_filter_the_nodes_visited() {
        let g = graph(SPEC);
        let bodies = Filter {
            relations: vec![],
            kinds: vec![NodeKind::Body],
        };
        let ego = neighbours(&g, g.get("b").unwrap(), 1, &bodies);
        assert_eq!(ids(&g, &ego), ["b", "a", "c"]);
    }

    #[test]
    fn a_disconnected_node_is_alone() {
        let g = graph(SPEC);
        let ego = neighbours(&g, g.get("x").unwrap(), 3, &Filter::default());
        assert_eq!(ids(&g, &ego), ["x"]);
        assert!(ego.edges.is_empty());
    }
}
