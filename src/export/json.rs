//! JSON in the node-link shape that networkx (`node_link_graph`) and D3 read:
//! `{"directed": true, "multigraph": true, "graph": {...}, "nodes": [...], "links": [...]}`.
//! Every node keeps all its fields; every link has `source`, `target`, `key` (its
//! relation), `id` (its own id, [`super::edge_id`]: unique, so reading with
//! `node_link_graph(data, edges="links", key="id")` keeps even duplicate edges apart)
//! and its fields.

use crate::graph::PolicyGraph;
use crate::json::{JsonEdge, JsonNode};
use crate::view::View;
use serde::Serialize;

#[derive(Serialize)]
struct GraphInfo<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Link<'a> {
    source: &'a str,
    target: &'a str,
    key: &'a str,
    id: String,
    #[serde(flatten)]
    edge: JsonEdge<'a>,
}

#[derive(Serialize)]
struct NodeLink<'a> {
    directed: bool,
    multigraph: bool,
    graph: GraphInfo<'a>,
    nodes: Vec<JsonNode<'a>>,
    links: Vec<Link<'a>>,
}

/// The node-link JSON of a view, pretty-printed, ending in a newline.
pub fn to_json(g: &PolicyGraph, view: &View) -> String {
    let ids = super::edge_id::EdgeIds::new(g);
    let links = view
        .edges
        .iter()
        .map(|&e| {
            let (a, b) = g.endpoints(e);
            Link {
                source: g.node(a).id(),
                target: g.node(b).id(),
                key: g.edge(e).relation.as_str(),
                id: ids.get(g, e),
                edge: JsonEdge::new(g, e),
            }
        })
        .collect();
    let doc = NodeLink {
        directed: true,
        multigraph: true,
        graph: GraphInfo { name: &view.title },
        nodes: crate::json::nodes(g, view.nodes.iter().copied()),
        links,
    };
    let mut text = serde_json::to_string_pretty(&doc)
        .unwrap_or_else(|e| unreachable!("plain data serialises: {e}"));
    text.push('\n');
    text
}
