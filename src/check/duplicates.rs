//! Edges that say the same thing twice.

use crate::diag::{Code, Problem, Problems};
use crate::graph::{EdgeIndex, PolicyGraph};
use petgraph::visit::EdgeRef;

/// Reports every edge that repeats an earlier one's (from, relation, to), in edge order,
/// with the first edge so written. Duplicates share their FROM node, so the edges leaving
/// each node are sorted in turn: memory for one node's edges, not for all of them.
pub(super) fn duplicate_edges(g: &PolicyGraph, problems: &mut Problems) {
    // (duplicate, first of its kind)
    let mut found: Vec<(EdgeIndex, EdgeIndex)> = Vec::new();
    let mut leaving = Vec::new();
    for node in g.nodes() {
        leaving.clear();
        leaving.extend(
            g.graph
                .edges(node)
                .map(|e| (e.target(), *e.weight(), e.id())),
        );
        if leaving.len() < 2 {
            continue;
        }
        leaving.sort_unstable();
        for same in leaving.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
            found.extend(same[1..].iter().map(|&(_, _, e)| (e, same[0].2)));
        }
    }
    found.sort_unstable();
    let code = Code::DuplicateEdge;
    for (e, earlier) in found {
        problems.push_with(code, || {
            let (a, b) = g.endpoints(e);
            let edge = g.edge(e);
            let message = format!(
                "duplicate edge `{}` {} `{}`",
                g.node(a).id(),
                edge.relation,
                g.node(b).id()
            );
            Problem::warning(code, edge.loc.whole(), message)
                .label("same from, relation and to as an earlier edge")
                .related(g.edge(earlier).loc.whole(), "first written")
                .help(code.help())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::NodeIndex;
    use crate::model::Relation;
    use hashbrown::HashMap;

    #[test]
    fn duplicate_edges_are_each_edge_that_repeats_an_earlier_one() {
        let (g, _) = crate::check::tests::troubled(1500, None);
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
}
