//! What a reader needs to trust a record: sources, a place in the graph, a stance.

use crate::diag::{Code, Problem, Problems};
use crate::graph::PolicyGraph;
use crate::model::NodeKind;
use hashbrown::HashSet;
use petgraph::Direction;

/// Nodes, then edges, without sources.
pub(super) fn no_source(g: &PolicyGraph, problems: &mut Problems) {
    let code = Code::NoSource;
    for ix in g.nodes() {
        let node = g.node(ix);
        if node.sources().is_empty() {
            problems.push_with(code, || {
                Problem::warning(
                    code,
                    node.loc.id(),
                    format!("node `{}` has no source", node.id()),
                )
                .label("no `sources`")
                .help(code.help())
            });
        }
    }
    for e in g.edges() {
        let edge = g.edge(e);
        if edge.sources().is_empty() {
            problems.push_with(code, || {
                let (a, b) = g.endpoints(e);
                let message = format!(
                    "edge `{}` {} `{}` has no source",
                    g.node(a).id(),
                    edge.relation,
                    g.node(b).id()
                );
                Problem::warning(code, edge.loc.whole(), message)
                    .label("no `sources`")
                    .help(code.help())
            });
        }
    }
}

/// Nodes with no edges, unless a source cites them (a document may be in the graph only
/// as a source).
pub(super) fn orphans(g: &PolicyGraph, problems: &mut Problems) {
    let edgeless = |ix| {
        g.graph
            .neighbors_directed(ix, Direction::Outgoing)
            .next()
            .is_none()
            && g.graph
                .neighbors_directed(ix, Direction::Incoming)
                .next()
                .is_none()
    };
    let orphans: Vec<_> = g.nodes().filter(|&ix| edgeless(ix)).collect();
    if orphans.is_empty() {
        return;
    }
    // Only documents can be cited; sources name them by exact id.
    let mut documents: HashSet<&str> = orphans
        .iter()
        .map(|&ix| g.node(ix))
        .filter(|n| n.kind == NodeKind::Document)
        .map(|n| n.id())
        .collect();
    let mut cited = HashSet::new();
    if !documents.is_empty() {
        let nodes = g.nodes().flat_map(|ix| g.node(ix).sources().iter());
        let edges = g.edges().flat_map(|e| g.edge(e).sources().iter());
        for source in nodes.chain(edges) {
            if let Some(id) = documents.take(source.doc.as_str()) {
                cited.insert(id);
            }
        }
    }
    let code = Code::Orphan;
    for ix in orphans {
        let node = g.node(ix);
        if cited.contains(node.id()) || g.lost_an_edge(node.id()) {
            continue;
        }
        problems.push_with(code, || {
            Problem::warning(
                code,
                node.loc.id(),
                format!("node `{}` has no edges", node.id()),
            )
            .label("connected to nothing")
            .help(code.help())
        });
    }
}

/// Findings without a stance.
pub(super) fn no_stance(g: &PolicyGraph, problems: &mut Problems) {
    let code = Code::NoStance;
    for ix in g.nodes() {
        let node = g.node(ix);
        if node.kind == NodeKind::Finding && node.stance.is_none() {
            problems.push_with(code, || {
                let message = format!("finding `{}` has no stance", node.id());
                Problem::warning(code, node.loc.id(), message)
                    .label("finding without `stance`")
                    .help(code.help())
            });
        }
    }
}
