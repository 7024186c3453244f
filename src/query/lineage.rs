//! Lineage: what a node replaced, transitively, and what replaced it, along `replaced`
//! edges, with what established each member.
//!
//! `A replaced B` makes B a predecessor of A. Merges (one node replacing several) and
//! splits (several replacing one) give several predecessors or successors at the same
//! distance; siblings of a split are not in each other's lineage.

use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::Relation;
use petgraph::Direction;
use petgraph::visit::EdgeRef;
use std::collections::{HashMap, VecDeque};

/// Which way to walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Way {
    /// Predecessors only.
    Back,
    /// Successors only.
    Forward,
    /// Both.
    #[default]
    Both,
}

/// One member of a lineage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The node.
    pub node: NodeIndex,
    /// How many `replaced` edges away from the root.
    pub distance: usize,
    /// The `replaced` edge by which it was first reached.
    pub via: EdgeIndex,
}

/// The lineage of one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    /// The node asked about.
    pub root: NodeIndex,
    /// What it replaced, transitively; nearest first, then by start date and id.
    pub predecessors: Vec<Step>,
    /// What replaced it, transitively; nearest first, then by start date and id.
    pub successors: Vec<Step>,
    /// Every `replaced` edge among the members.
    pub replaced_edges: Vec<EdgeIndex>,
    /// For each member (root included), its `established-by` and `reformed-by` edges
    /// (what created it, and what later reformed it), in load order.
    pub established_by: Vec<(NodeIndex, Vec<EdgeIndex>)>,
}

impl Lineage {
    /// Every member in time order: predecessors (oldest first), the root, successors.
    /// Undated members keep their distance order.
    pub fn in_time_order(&self, g: &PolicyGraph) -> Vec<NodeIndex> {
        let when = |s: &Step| {
            let node = g.node(s.node);
            (node.start.is_none(), node.start, node.id())
        };
        let mut before: Vec<&Step> = self.predecessors.iter().collect();
        before.sort_by_key(|s| (std::cmp::Reverse(s.distance), when(s)));
        let mut after: Vec<&Step> = self.successors.iter().collect();
        after.sort_by_key(|s| (s.distance, when(s)));
        before
            .into_iter()
            .map(|s| s.node)
            .chain(std::iter::once(self.root))
            .chain(after.into_iter().map(|s| s.node))
            .collect()
    }

    /// The members: root, predecessors, successors.
    pub fn members(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        std::iter::once(self.root)
            .chain(self.predecessors.iter().map(|s| s.node))
            .chain(self.successors.iter().map(|s| s.node))
    }
}

/// The lineage of `root`.
///
/// Breadth-first along `replaced` edges; O(members + their edges). Nearest first; ties
/// by start date (undated last), then id.
pub fn lineage(g: &PolicyGraph, root: NodeIndex, way: Way) -> Lineage {
    let walk = |dir: Direction| -> Vec<Step> {
        let mut seen: HashMap<NodeIndex, usize> = HashMap::from([(root, 0)]);
        let mut out = Vec::new();
        let mut queue = VecDeque::from([root]);
        while let Some(n) = queue.pop_front() {
            let d = seen[&n];
            let mut edges: Vec<_> = g
                .graph
                .edges_directed(n, dir)
                .filter(|e| *e.weight() == Relation::Replaced)
                .map(|e| {
                    (
                        e.id(),
                        if dir == Direction::Outgoing {
                            e.target()
                        } else {
                            e.source()
                        },
                    )
                })
                .collect();
            edges.sort();
            for (e, m) in edges {
                if let std::collections::hash_map::Entry::Vacant(v) = seen.entry(m) {
                    v.insert(d + 1);
                    out.push(Step {
                        node: m,
                        distance: d + 1,
                        via: e,
                    });
                    queue.push_back(m);
                }
            }
        }
        out.sort_unstable_by(|a, b| {
            let (na, nb) = (g.node(a.node), g.node(b.node));
            (a.distance, na.start.is_none(), na.start, na.id()).cmp(&(
                b.distance,
                nb.start.is_none(),
                nb.start,
                nb.id(),
            ))
        });
        out
    };
    let predecessors = if way == Way::Forward {
        Vec::new()
    } else {
        walk(Direction::Outgoing)
    };
    let successors = if way == Way::Back {
        Vec::new()
    } else {
        walk(Direction::Incoming)
    };
    let mut lineage = Lineage {
        root,
        predecessors,
        successors,
        replaced_edges: Vec::new(),
        established_by: Vec::new(),
    };
    let members: std::collections::HashSet<NodeIndex> = lineage.members().collect();
    let mut replaced = Vec::new();
    let mut established = Vec::new();
    for n in lineage.in_time_order(g) {
        let mut mine = Vec::new();
        for e in g.graph.edges_directed(n, Direction::Outgoing) {
            match *e.weight() {
                Relation::Replaced if members.contains(&e.target()) => replaced.push(e.id()),
                Relation::EstablishedBy | Relation::ReformedBy => mine.push(e.id()),
                _ => {}
            }
        }
        mine.sort();
        established.push((n, mine));
    }
    replaced.sort();
    lineage.replaced_edges = replaced;
    lineage.established_by = established;
    lineage
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;

    fn ids(g: &PolicyGraph, steps: &[Step]) -> Vec<String> {
        steps
            .iter()
            .map(|s| g.node(s.node).id().to_string())
            .collect()
    }

    #[test]
    fn chain_in_both_directions() {
        let g = graph(
            "a body 2000; b body 2005; c body 2010; act legislation 2004; b replaced a; c replaced b; b established-by act",
        );
        let l = lineage(&g, g.get("b").unwrap(), Way::Both);
        assert_eq!(ids(&g, &l.predecessors), ["a"]);
        assert_eq!(ids(&g, &l.successors), ["c"]);
        let order: Vec<&str> = l
            .in_time_order(&g)
            .iter()
            .map(|&n| g.node(n).id())
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
        let (_, est) = l
            .established_by
            .iter()
            .find(|(n, _)| g.node(*n).id() == "b")
            .unwrap();
        assert_eq!(est.len(), 1);
        assert_eq!(l.replaced_edges.len(), 2);
    }

    #[test]
    fn merge_gives_several_predecessors() {
        // NHS Improvement replaced Monitor and the TDA.
        let g = graph(
            "monitor body 2004; tda body 2012; nhsi body 2016; nhsi replaced monitor; nhsi replaced tda",
        );
        let l = lineage(&g, g.get("nhsi").unwrap(), Way::Back);
        assert_eq!(
            ids(&g, &l.predecessors),
            ["monitor", "tda"],
            "same distance, by start date"
        );
        assert!(l.successors.is_empty());
    }

    #[test]
    fn split_gives_several_successors_but_siblings_are_not_lineage() {
        let g = graph(
            "phe body 2013; ukhsa body 2021; ohid body 2021-10; ukhsa replaced phe; ohid replaced phe",
        );
        let l = lineage(&g, g.get("phe").unwrap(), Way::Forward);
        assert_eq!(ids(&g, &l.successors), ["ukhsa", "ohid"]);
        let l = lineage(&g, g.get("ukhsa").unwrap(), Way::Both);
        assert_eq!(ids(&g, &l.predecessors), ["phe"]);
        assert!(
            l.successors.is_empty(),
            "ohid is a sibling, not a successor"
        );
    }

    #[test]
    fn disconnected_node_has_empty_lineage() {
        let g = graph("a body; b body");
        let l = lineage(&g, g.get("a").unwrap(), Way::Both);
        assert!(l.predecessors.is_empty() && l.successors.is_empty());
        assert_eq!(l.in_time_order(&g), vec![g.get("a").unwrap()]);
    }

    #[test]
    fn long_chain_is_linear_and_does_not_overflow() {
        let n = 100_000;
        let mut spec = String::new();
        for i in 0..n {
            spec += &format!("n{i} body;");
            if i > 0 {
                spec += &format!("n{i} replaced n{};", i - 1);
            }
        }
        let g = graph(&spec);
        let l = lineage(&g, g.get(&format!("n{}", n - 1)).unwrap(), Way::Both);
        assert_eq!(l.predecessors.len(), n - 1);
        assert_eq!(l.predecessors.last().unwrap().distance, n - 1);
    }
}
