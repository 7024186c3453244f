//! GraphML with typed attributes, for Gephi, yEd, Cytoscape and networkx's
//! `read_graphml`. Every node field and free attribute becomes a `<data>` of a declared
//! `<key>`; a free attribute whose values differ in type across nodes is a string. A
//! free attribute's key is named `attrs.<name>` ([`crate::attr_name`]), every one.

use super::xml::{attr, clean, sources, typed};
use crate::attr_name::FreeAttrs;
use crate::graph::PolicyGraph;
use crate::model::Attrs;
use crate::view::View;
use quick_xml::Writer;
use quick_xml::events::BytesText;
use std::io::Cursor;

/// A declared key: its XML id, the attribute's name and type.
struct Key {
    id: String,
    name: String,
    kind: &'static str,
}

const NODE_FIELDS: [&str; 9] = [
    "kind", "name", "start", "end", "aliases", "summary", "stance", "note", "sources",
];
const EDGE_FIELDS: [&str; 5] = ["relation", "date", "stance", "note", "sources"];

/// Keys for the fixed fields, then one for every free attribute used (named by
/// [`crate::attr_name`]'s rule, `attrs.<name>`), with generated ids (`n0`, `e3`), so
/// no name can meet another or break a reader (networkx takes an edge's `key` and
/// `id` for its own).
fn keys<'a>(
    prefix: &str,
    fields: &[&str],
    attrs: impl Iterator<Item = &'a Attrs>,
) -> (Vec<Key>, FreeAttrs) {
    let free = FreeAttrs::collect(attrs);
    let keys = fields
        .iter()
        .map(|f| ((*f).to_string(), "string"))
        .chain(
            free.list
                .iter()
                .map(|(name, t)| (crate::attr_name::column(name), *t)),
        )
        .enumerate()
        .map(|(i, (name, kind))| Key {
            id: format!("{prefix}{i}"),
            name,
            kind,
        })
        .collect();
    (keys, free)
}

fn data(w: &mut Writer<Cursor<Vec<u8>>>, key: &str, value: &str) -> std::io::Result<()> {
    w.create_element("data")
        .with_attribute(attr("key", key))
        .write_text_content(BytesText::new(&clean(value)))?;
    Ok(())
}

/// The GraphML text of a view.
pub fn to_graphml(g: &PolicyGraph, view: &View) -> String {
    let (node_keys, node_free) = keys(
        "n",
        &NODE_FIELDS,
        view.nodes.iter().map(|&n| &g.node(n).attrs),
    );
    let (edge_keys, edge_free) = keys(
        "e",
        &EDGE_FIELDS,
        view.edges.iter().map(|&e| g.edge(e).attrs()),
    );
    super::xml::document(|w| {
        w.create_element("graphml")
            .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
            .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
            .with_attribute((
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ))
            .write_inner_content(|w| {
                for (keys, domain) in [(&node_keys, "node"), (&edge_keys, "edge")] {
                    for k in keys {
                        w.create_element("key")
                            .with_attribute(("id", k.id.as_str()))
                            .with_attribute(("for", domain))
                            .with_attribute(attr("attr.name", &k.name))
                            .with_attribute(("attr.type", k.kind))
                            .write_empty()?;
                    }
                }
                w.create_element("graph")
                    .with_attribute(attr("id", &view.title))
                    .with_attribute(("edgedefault", "directed"))
                    .write_inner_content(|w| {
                        for &n in &view.nodes {
                            let node = g.node(n);
                            w.create_element("node").with_attribute(attr("id", &node.id)).write_inner_content(|w| {
                                let fields = [
                                    Some(node.kind.to_string()),
                                    Some(node.name.clone()),
                                    node.start.map(|d| d.to_string()),
                                    (node.end != crate::model::End::Unknown)
                                        .then(|| node.end.to_string()),
                                    (!node.aliases.is_empty()).then(|| node.aliases.join("|")),
                                    node.summary.as_deref().map(String::from),
                                    node.stance.map(|s| s.to_string()),
                                    node.note.as_deref().map(String::from),
                                    (!node.sources.is_empty()).then(|| sources(&node.sources)),
                                ];
                                for (i, f) in fields.iter().enumerate() {
                                    if let Some(v) = f {
                                        data(w, &node_keys[i].id, v)?;
                                    }
                                }
                                for (k, v) in &node.attrs {
                                    if let Some(p) = node_free.position(k) {
                                        data(w, &node_keys[NODE_FIELDS.len() + p].id, &typed(v).1)?;
                                    }
                                }
                                Ok(())
                            })?;
                        }
                        for (i, &e) in view.edges.iter().enumerate() {
                            let edge = g.edge(e);
                            let (a, b) = g.endpoints(e);
                            w.create_element("edge")
                                .with_attribute(("id", format!("e{i}").as_str()))
                                .with_attribute(attr("source", &g.node(a).id))
                                .with_attribute(attr("target", &g.node(b).id))
                                .write_inner_content(|w| {
                                    let fields = [
                                        Some(edge.relation.to_string()),
                                        edge.date.map(|d| d.to_string()),
                                        edge.stance.map(|s| s.to_string()),
                                        edge.note().map(String::from),
                                        (!edge.sources().is_empty()).then(|| sources(edge.sources())),
                                    ];
                                    for (i, f) in fields.iter().enumerate() {
                                        if let Some(v) = f {
                                            data(w, &edge_keys[i].id, v)?;
                                        }
                                    }
                                    for (k, v) in edge.attrs() {
                                        if let Some(p) = edge_free.position(k) {
                                            data(w, &edge_keys[EDGE_FIELDS.len() + p].id, &typed(v).1)?;
                                        }
                                    }
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })
}
