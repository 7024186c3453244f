//! Pure queries over a [`PolicyGraph`]: each takes the graph and plain arguments and
//! returns data. No printing, no files, no clocks.
//!
//! **Architecture invariant:** nothing here does I/O, and every traversal is iterative
//! (breadth-first with an explicit queue), so a 100,000-long chain cannot overflow the
//! stack and each query is linear in the part of the graph it visits.

pub mod bibliography;
pub mod critiques;
pub mod known;
pub mod layering;
pub mod lineage;
pub mod narrate;
pub mod neighbours;
pub mod path;
pub mod stats;
pub mod succession;
pub mod timeline;

use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::{NodeKind, Relation};
use petgraph::Direction;
use petgraph::visit::EdgeRef;

/// Which direction an edge was walked in, relative to how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Walk {
    /// From FROM to TO, as the sentence reads.
    Forward,
    /// From TO back to FROM.
    Backward,
}

/// A filter on relations and kinds shared by several queries. Empty lists allow all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Relations that may be followed.
    pub relations: Vec<Relation>,
    /// Kinds of node that may be visited (the starting node is always kept).
    pub kinds: Vec<NodeKind>,
}

impl Filter {
    /// Whether an edge of this relation may be followed.
    pub fn relation(&self, r: Relation) -> bool {
        self.relations.is_empty() || self.relations.contains(&r)
    }

    /// Whether a node of this kind may be visited.
    pub fn kind(&self, k: NodeKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&k)
    }
}

/// The edges touching `n` that pass `filter`, with the neighbour reached and the walk
/// direction; outgoing first, each side in load order, so results are deterministic.
pub fn steps(
    g: &PolicyGraph,
    n: NodeIndex,
    filter: &Filter,
    directed: bool,
) -> Vec<(EdgeIndex, NodeIndex, Walk)> {
    let mut out: Vec<(EdgeIndex, NodeIndex, Walk)> = g
        .graph
        .edges_directed(n, Direction::Outgoing)
        .filter(|e| filter.relation(*e.weight()))
        .map(|e| (e.id(), e.target(), Walk::Forward))
        .collect();
    if !directed {
        out.extend(
            g.graph
                .edges_directed(n, Direction::Incoming)
                .filter(|e| filter.relation(*e.weight()))
                .map(|e| (e.id(), e.source(), Walk::Backward)),
        );
    }
    out.retain(|&(_, m, _)| filter.kind(g.node(m).kind));
    out.sort_by_key(|&(e, _, w)| (w == Walk::Backward, e));
    out
}

/// The year a node is dated by, for ordering and time axes.
pub fn year(g: &PolicyGraph, n: NodeIndex) -> Option<u16> {
    g.node(n).start.map(|d| d.year_part())
}

/// Sorts nodes by start date (undated last), then id.
pub fn sort_by_time(g: &PolicyGraph, nodes: &mut [NodeIndex]) {
    nodes.sort_by(|&a, &b| {
        let (na, nb) = (g.node(a), g.node(b));
        (na.start.is_none(), na.start, na.id()).cmp(&(nb.start.is_none(), nb.start, nb.id()))
    });
}

/// The free attribute in which a record says where its sources disagree with the public
/// record (the shipped data: FACTS.md section G, one `D<n>: ...` item per disagreement,
/// items separated by `; `).
pub const DISCREPANCY: &str = "discrepancy";

/// Every node with a [`DISCREPANCY`] text, in time order (undated last), with the text.
pub fn discrepancies(g: &PolicyGraph) -> Vec<(NodeIndex, &str)> {
    let mut nodes: Vec<NodeIndex> = g.nodes().filter(|&n| discrepancy(g, n).is_some()).collect();
    sort_by_time(g, &mut nodes);
    nodes
        .into_iter()
        .filter_map(|n| Some((n, discrepancy(g, n)?)))
        .collect()
}

/// A node's [`DISCREPANCY`] text, when it has one (a text attribute).
pub fn discrepancy(g: &PolicyGraph, n: NodeIndex) -> Option<&str> {
    match g.node(n).attrs().get(DISCREPANCY) {
        Some(crate::model::AttrValue::String(s)) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! Builds graphs for unit tests from compact text.

    use crate::graph::PolicyGraph;
    use crate::load::toml_text;
    use crate::model::Relation;
    use crate::open::finish;

    /// "primary-care-trusts" -> "Primary care trusts".
    fn display_name(id: &str) -> String {
        let spaced = id.replace('-', " ");
        let mut chars = spaced.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    /// A graph from lines `id kind [start] [end]` for nodes and `a relation b` for
    /// edges, separated by `;`. Panics on invalid data: fixtures must be valid.
    pub fn graph(spec: &str) -> PolicyGraph {
        let text = graph_text(spec);
        let opened = finish(toml_text("fixture.toml", &text), false);
        let errors: Vec<_> = opened
            .problems
            .iter()
            .filter(|p| p.severity == crate::diag::Severity::Error)
            .map(|p| p.message.clone())
            .collect();
        assert!(errors.is_empty(), "fixture has errors: {errors:?}");
        opened.graph
    }

    /// The TOML text [`graph`] loads, for a fixture that needs more than the spec says.
    pub fn graph_text(spec: &str) -> String {
        let mut text = String::from(
            "[[node]]\nid = \"src\"\nkind = \"document\"\nname = \"Source\"\nsources = [{ doc = \"src\", at = \"p\" }]\n",
        );
        for item in spec.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let words: Vec<&str> = item.split_whitespace().collect();
            let is_relation = words.get(1).and_then(|w| Relation::parse(w)).is_some();
            if (3..=4).contains(&words.len()) && is_relation {
                // "b replaced a", or with the edge's own date: "b replaced a 2022-07-01".
                let date = words
                    .get(3)
                    .map(|d| format!("date = \"{d}\"\n"))
                    .unwrap_or_default();
                text += &format!(
                    "[[edge]]\nfrom = \"{}\"\nrelation = \"{}\"\nto = \"{}\"\n{date}sources = [{{ doc = \"src\", at = \"p\" }}]\n",
                    words[0], words[1], words[2]
                );
            } else {
                text += &format!(
                    "[[node]]\nid = \"{}\"\nkind = \"{}\"\nname = \"{}\"\n",
                    words[0],
                    words[1],
                    display_name(words[0])
                );
                if let Some(s) = words.get(2).filter(|s| **s != "-") {
                    text += &format!("start = \"{s}\"\n");
                }
                if let Some(e) = words.get(3) {
                    text += &format!("end = \"{e}\"\n");
                }
                if words[1] == "finding" {
                    text += "stance = \"critical\"\n";
                }
                text += "sources = [{ doc = \"src\", at = \"p\" }]\n";
            }
        }
        text
    }
}
