//! The JSON contract of SPEC.md: every query prints one object with `nodes` (each with
//! at least id, kind, name, start, end) and `edges` (each with from, relation, to) for
//! the subgraph it is about, plus fields of its own. These are the serialisable shapes;
//! the graph's internals are not the file format.

use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::{Attrs, NodeKind, PartialDate, Relation, Source, Stance};
use serde::Serialize;

/// A source as JSON.
#[derive(Debug, Serialize)]
pub struct JsonSource<'a> {
    /// Document id.
    pub doc: &'a str,
    /// Locator.
    pub at: &'a str,
}

fn sources(list: &[Source]) -> Vec<JsonSource<'_>> {
    list.iter()
        .map(|s| JsonSource {
            doc: &s.doc,
            at: &s.at,
        })
        .collect()
}

/// A node as JSON. `start` and `end` are always present (null when unknown).
#[derive(Debug, Serialize)]
pub struct JsonNode<'a> {
    /// Id.
    pub id: &'a str,
    /// Kind.
    pub kind: NodeKind,
    /// Name.
    pub name: &'a str,
    /// Start date.
    pub start: Option<PartialDate>,
    /// End date.
    pub end: Option<PartialDate>,
    /// `dated`, `ongoing` (still running when the sources were written) or `unknown`.
    pub end_status: &'static str,
    /// Aliases.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub aliases: &'a [String],
    /// Summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<&'a str>,
    /// Stance of a finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// Note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    /// Provenance.
    pub sources: Vec<JsonSource<'a>>,
    /// Free attributes.
    #[serde(skip_serializing_if = "Attrs::is_empty")]
    pub attrs: &'a Attrs,
}

impl<'a> JsonNode<'a> {
    /// The JSON shape of a node of `g`.
    pub fn new(g: &'a PolicyGraph, ix: NodeIndex) -> Self {
        let n = g.node(ix);
        JsonNode {
            id: &n.id,
            kind: n.kind,
            name: &n.name,
            start: n.start,
            end: n.end.date(),
            end_status: n.end.status(),
            aliases: &n.aliases,
            summary: n.summary.as_deref(),
            stance: n.stance,
            note: n.note.as_deref(),
            sources: sources(&n.sources),
            attrs: &n.attrs,
        }
    }
}

/// An edge as JSON.
#[derive(Debug, Serialize)]
pub struct JsonEdge<'a> {
    /// FROM id.
    pub from: &'a str,
    /// Relation.
    pub relation: Relation,
    /// TO id.
    pub to: &'a str,
    /// Date of the relation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Stance of an evaluation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// Note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    /// Provenance.
    pub sources: Vec<JsonSource<'a>>,
    /// Free attributes.
    #[serde(skip_serializing_if = "Attrs::is_empty")]
    pub attrs: &'a Attrs,
}

impl<'a> JsonEdge<'a> {
    /// The JSON shape of an edge of `g`. Endpoints are the resolved node ids.
    pub fn new(g: &'a PolicyGraph, e: EdgeIndex) -> Self {
        let edge = g.edge(e);
        let (a, b) = g.endpoints(e);
        JsonEdge {
            from: &g.node(a).id,
            relation: edge.relation,
            to: &g.node(b).id,
            date: edge.date,
            stance: edge.stance,
            note: edge.note(),
            sources: sources(edge.sources()),
            attrs: edge.attrs(),
        }
    }
}

/// Nodes as JSON, in the order given.
pub fn nodes<'a>(
    g: &'a PolicyGraph,
    ixs: impl IntoIterator<Item = NodeIndex>,
) -> Vec<JsonNode<'a>> {
    ixs.into_iter().map(|ix| JsonNode::new(g, ix)).collect()
}

/// Edges as JSON, in the order given.
pub fn edges<'a>(
    g: &'a PolicyGraph,
    ixs: impl IntoIterator<Item = EdgeIndex>,
) -> Vec<JsonEdge<'a>> {
    ixs.into_iter().map(|e| JsonEdge::new(g, e)).collect()
}
