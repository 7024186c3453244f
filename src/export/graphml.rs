//! GraphML with typed attributes, for Gephi, yEd, Cytoscape and networkx's
//! `read_graphml`, valid against the official GraphML schema. Every node field and
//! free attribute becomes a `<data>` of a declared `<key>`; a free attribute whose
//! values differ in type across nodes is a string. A free attribute's key is named
//! `attrs.<name>` ([`crate::attr_name`]), every one, with the characters an XML
//! `NMTOKEN` cannot hold written as `_xHHHH_` ([`crate::attr_name::xml_name`]).

use super::xml::{attr, clean, typed};
use crate::attr_name::FreeAttrs;
use crate::graph::PolicyGraph;
use crate::model::Attrs;
use crate::model::field::{EDGE, Field, NODE, Value};
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

/// Keys for the fields of `table`, then one for every free attribute used (named by
/// [`crate::attr_name`]'s rule, `attrs.<name>`), with generated ids (`n0`, `e3`), so
/// no name can meet another or break a reader (networkx takes an edge's `key` and
/// `id` for its own).
fn keys<'a>(
    prefix: &str,
    table: &[Field],
    attrs: impl Iterator<Item = &'a Attrs>,
) -> (Vec<Key>, FreeAttrs) {
    let free = FreeAttrs::collect(attrs);
    let keys = table
        .iter()
        .filter(|f| f.ty.is_declared_value())
        .map(|f| (f.name.to_string(), "string"))
        .chain(free.list.iter().map(|(name, t)| {
            let column = crate::attr_name::column(name);
            (crate::attr_name::xml_name(&column), *t)
        }))
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

/// The `<data>` of a record's fields: each key field in order, then its free attributes.
fn fields<'a>(
    w: &mut Writer<Cursor<Vec<u8>>>,
    values: impl IntoIterator<Item = (&'static Field, Option<Value<'a>>)>,
    keys: &[Key],
    free: &FreeAttrs,
) -> std::io::Result<()> {
    let values: Vec<_> = values.into_iter().collect();
    let fixed = values
        .iter()
        .filter(|(f, _)| f.ty.is_declared_value())
        .count();
    let mut i = 0;
    for (field, value) in &values {
        match value {
            Some(Value::Attrs(attrs)) => {
                for (k, v) in attrs.iter() {
                    if let Some(p) = free.position(k) {
                        data(w, &keys[fixed + p].id, &typed(v).1)?;
                    }
                }
            }
            Some(v) if field.ty.is_declared_value() && !v.is_empty() => {
                data(w, &keys[i].id, &v.flat("|").unwrap_or_default())?;
            }
            _ => {}
        }
        i += usize::from(field.ty.is_declared_value());
    }
    Ok(())
}

/// The GraphML text of a view.
pub fn to_graphml(g: &PolicyGraph, view: &View) -> String {
    let (node_keys, node_free) = keys("n", &NODE, view.nodes.iter().map(|&n| g.node(n).attrs()));
    let (edge_keys, edge_free) = keys("e", &EDGE, view.edges.iter().map(|&e| g.edge(e).attrs()));
    super::xml::document(|w| {
        w.create_element("graphml")
            .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
            .with_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"))
            .with_attribute((
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ))
            .write_inner_content(|w| {
                w.create_element("key")
                    .with_attribute(("id", "title"))
                    .with_attribute(("for", "graph"))
                    .with_attribute(("attr.name", "title"))
                    .with_attribute(("attr.type", "string"))
                    .write_empty()?;
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
                // The schema makes a graph id an `xs:NMTOKEN`, which a title with
                // spaces is not: the id is `G` (networkx's own default) and the title
                // a graph-level `<data>`, which networkx reads into `G.graph`.
                w.create_element("graph")
                    .with_attribute(("id", "G"))
                    .with_attribute(("edgedefault", "directed"))
                    .write_inner_content(|w| {
                        data(w, "title", &view.title)?;
                        for &n in &view.nodes {
                            let node = g.node(n);
                            w.create_element("node")
                                .with_attribute(attr("id", node.id()))
                                .write_inner_content(|w| fields(w, node.values(), &node_keys, &node_free))?;
                        }
                        let ids = super::edge_id::EdgeIds::new(g);
                        for &e in &view.edges {
                            let edge = g.edge(e);
                            let (a, b) = g.endpoints(e);
                            w.create_element("edge")
                                .with_attribute(attr("id", &ids.get(g, e)))
                                .with_attribute(attr("source", g.node(a).id()))
                                .with_attribute(attr("target", g.node(b).id()))
                                .write_inner_content(|w| {
                                    let (from, to) = (g.node(a).id(), g.node(b).id());
                                    fields(w, edge.values(from, to), &edge_keys, &edge_free)
                                })?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })
}
