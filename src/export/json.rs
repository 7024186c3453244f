//! JSON in the node-link shape that networkx (`node_link_graph`) and D3 read:
//! `{"directed": true, "multigraph": true, "graph": {...}, "nodes": [...], "links": [...]}`.
//! Every node keeps all its fields; every link has `source`, `target`, `key` (the
//! relation, so parallel edges of different relations stay distinct) and its fields.

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
    key: String,
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
    let mut keys = std::collections::HashMap::new();
    let links = view
        .edges
        .iter()
        .map(|&e| {
            let (a, b) = g.endpoints(e);
            let relation = g.edge(e).relation.as_str();
            // networkx keys parallel edges; a second edge with the same relation (a
            // duplicate-edge warning) gets a numbered key.
            let n = keys.entry((a, b, relation)).or_insert(0usize);
            let key = if *n == 0 {
                relation.to_string()
            } else {
                format!("{relation}-{n}")
            };
            *n += 1;
            Link {
                source: &g.node(a).id,
                target: &g.node(b).id,
                key,
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
