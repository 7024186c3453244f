//! The one id of an edge in every export that names edges (JSON `id`, GraphML edge
//! `id`, Cypher and Neo4j relationship `id`, Parquet `id`): `FROM:RELATION:TO`, and for
//! the second and later edges with the same three (a `duplicate-edge` warning)
//! `FROM:RELATION:TO:2`, `:3`, ... in the data's order. Node ids are kebab-case, so the
//! colons cannot be ambiguous, and the id is a valid XML `NMTOKEN`. It depends on the
//! edge's ends and relation, not on its position, so adding an unrelated edge changes
//! no other edge's id, and a view's edges keep the ids they have in the whole graph.

use crate::graph::{EdgeIndex, PolicyGraph};
use std::collections::HashMap;

/// The ordinal of each edge among the edges with its ends and relation (0 for the
/// first), for the whole graph; 4 bytes an edge, counted once per export.
pub struct EdgeIds {
    ordinal: Vec<u32>,
}

impl EdgeIds {
    /// Numbers the duplicates of the whole graph, in the data's order.
    pub fn new(g: &PolicyGraph) -> Self {
        let mut seen = HashMap::new();
        let ordinal = g
            .graph
            .edge_indices()
            .map(|e| {
                let (a, b) = g.endpoints(e);
                let n = seen.entry((a, b, g.edge(e).relation)).or_insert(0u32);
                *n += 1;
                *n - 1
            })
            .collect();
        EdgeIds { ordinal }
    }

    /// The id of edge `e`.
    pub fn get(&self, g: &PolicyGraph, e: EdgeIndex) -> String {
        let (a, b) = g.endpoints(e);
        let base = format!(
            "{}:{}:{}",
            g.node(a).id(),
            g.edge(e).relation.as_str(),
            g.node(b).id()
        );
        match self.ordinal[e.index()] {
            0 => base,
            n => format!("{base}:{}", n + 1),
        }
    }
}
