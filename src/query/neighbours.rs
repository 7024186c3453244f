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
        (a.1, na.start.is_none(), na.start, &na.id).cmp(&(
            b.1,
            nb.start.is_none(),
            nb.start,
            &nb.id,
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
            .map(|&(n, _)| g.node(n).id.clone())
            .collect()
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
