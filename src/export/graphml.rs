//! GraphML with typed attributes, for Gephi, yEd, Cytoscape and networkx's
//! `read_graphml`. Every node field and free attribute becomes a `<data>` of a declared
//! `<key>`; a free attribute whose values differ in type across nodes is a string.

use super::xml::{clean, sources, typed};
use crate::graph::PolicyGraph;
use crate::model::Attrs;
use crate::view::View;
use quick_xml::Writer;
use quick_xml::events::BytesText;
use std::collections::BTreeMap;
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

/// Keys for the fixed fields and for every free attribute used, in a stable order. A
/// free attribute named like a field is written as `attrs.<name>`.
fn keys<'a>(
    prefix: &str,
    fields: &[&str],
    attrs: impl Iterator<Item = &'a Attrs>,
) -> (Vec<Key>, BTreeMap<String, usize>) {
    let mut out: Vec<Key> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| Key {
            id: format!("{prefix}{i}"),
            name: (*f).to_string(),
            kind: "string",
        })
        .collect();
    let mut types: BTreeMap<&str, &'static str> = BTreeMap::new();
    for a in attrs {
        for (k, v) in a {
            let t = typed(v).0;
            types
                .entry(k)
                .and_modify(|old| {
                    if *old != t {
                        *old = "string"
                    }
                })
                .or_insert(t);
        }
    }
    let mut free = BTreeMap::new();
    for (k, t) in types {
        let name = if fields.contains(&k) {
            format!("attrs.{k}")
        } else {
            k.to_string()
        };
        free.insert(k.to_string(), out.len());
        out.push(Key {
            id: format!("{prefix}{}", out.len()),
            name,
            kind: t,
        });
    }
    (out, free)
}

fn data(w: &mut Writer<Cursor<Vec<u8>>>, key: &str, value: &str) -> std::io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
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
                            .with_attribute(("attr.name", clean(&k.name).as_ref()))
                            .with_attribute(("attr.type", k.kind))
                            .write_empty()?;
                    }
                }
                w.create_element("graph")
                    .with_attribute(("id", clean(&view.title).as_ref()))
                    .with_attribute(("edgedefault", "directed"))
                    .write_inner_content(|w| {
                        for &n in &view.nodes {
                            let node = g.node(n);
                            w.create_element("node").with_attribute(("id", node.id.as_str())).write_inner_content(|w| {
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
                                    data(w, &node_keys[node_free[k]].id, &typed(v).1)?;
                                }
                                Ok(())
                            })?;
                        }
                        for (i, &e) in view.edges.iter().enumerate() {
                            let edge = g.edge(e);
                            let (a, b) = g.endpoints(e);
                            w.create_element("edge")
                                .with_attribute(("id", format!("e{i}").as_str()))
                                .with_attribute(("source", g.node(a).id.as_str()))
                                .with_attribute(("target", g.node(b).id.as_str()))
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
                                        data(w, &edge_keys[edge_free[k]].id, &typed(v).1)?;
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
