//! A Cypher script for Neo4j: a uniqueness constraint, one `MERGE` per node and per
//! relationship, properties set with `SET`. Every string is a single-quoted Cypher
//! literal written by [`literal`], which escapes backslashes, quotes and line breaks, so
//! a name cannot end the string and run its own statement. Labels and relationship
//! types come from the fixed vocabularies, never from data.

use super::csv::{label, rel_type};
use super::xml::typed;
use crate::graph::PolicyGraph;
use crate::model::AttrValue;
use crate::model::field::{Field, Type, Value};
use crate::view::View;
use std::fmt::Write;

/// A Cypher string literal.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.map(|i| literal(&i)).collect();
    format!("[{}]", items.join(", "))
}

/// A property key: plain when it is a word, else in backticks (doubled inside).
fn key(name: &str) -> String {
    if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// The `SET` items of a record's fields for the variable `v`: every field of the table
/// but the id, the ends, the kind and the relation (the pattern's own), each free
/// attribute as `attrs.<name>` with its type.
fn set<'a>(
    v: &str,
    values: impl IntoIterator<Item = (&'static Field, Option<Value<'a>>)>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (field, value) in values {
        let Some(value) = value else { continue };
        let name = field.name;
        match (field.ty, value) {
            (Type::Id | Type::From | Type::To | Type::Kind | Type::Relation, _) => {}
            (Type::End, Value::End(end)) => {
                if let Some(d) = end.date() {
                    out.push(format!("{v}.{name} = {}", literal(&d.to_string())));
                }
                out.push(format!("{v}.{name}_status = {}", literal(end.status())));
            }
            (Type::Attrs, Value::Attrs(attrs)) => {
                for (k, a) in attrs {
                    let text = match a {
                        AttrValue::String(s) => literal(s),
                        AttrValue::Float(f) if !f.is_finite() => literal(&f.to_string()),
                        AttrValue::Float(f) => format!("{f:?}"),
                        other => typed(other).1,
                    };
                    let k = key(&crate::attr_name::column(k));
                    out.push(format!("{v}.{k} = {text}"));
                }
            }
            (Type::List { .. } | Type::Sources, value) if !value.is_empty() => {
                out.push(format!("{v}.{name} = {}", list(value.items().into_iter())));
            }
            (_, value) if !value.is_empty() => {
                let text = value.flat("|").unwrap_or_default();
                out.push(format!("{v}.{name} = {}", literal(&text)));
            }
            _ => {}
        }
    }
    out
}

/// The Cypher script of a view.
pub fn to_cypher(g: &PolicyGraph, view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// {} (policygraph)",
        view.title.replace(['\n', '\r'], " ")
    );
    let _ = writeln!(
        out,
        "CREATE CONSTRAINT policy_node_id IF NOT EXISTS FOR (n:PolicyNode) REQUIRE n.id IS UNIQUE;"
    );
    for &n in &view.nodes {
        let node = g.node(n);
        let _ = writeln!(
            out,
            "MERGE (n:PolicyNode {{id: {}}}) SET n:{}, {};",
            literal(&node.id),
            label(node.kind),
            set("n", node.values()).join(", ")
        );
    }
    for &e in &view.edges {
        let edge = g.edge(e);
        let (a, b) = g.endpoints(e);
        let (from, to) = (&g.node(a).id, &g.node(b).id);
        let set = set("r", edge.values(from, to));
        let set = if set.is_empty() {
            String::new()
        } else {
            format!(" SET {}", set.join(", "))
        };
        let _ = writeln!(
            out,
            "MATCH (a:PolicyNode {{id: {}}}), (b:PolicyNode {{id: {}}}) MERGE (a)-[r:{}]->(b){set};",
            literal(from),
            literal(to),
            rel_type(edge.relation)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_cannot_end_early() {
        assert_eq!(literal("it's"), r"'it\'s'");
        assert_eq!(literal(r"a\b"), r"'a\\b'");
        assert_eq!(
            literal("x'}) DETACH DELETE n //"),
            r"'x\'}) DETACH DELETE n //'"
        );
        assert_eq!(literal("line\nbreak"), r"'line\nbreak'");
    }
}
