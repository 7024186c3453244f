//! A Cypher script for Neo4j: a uniqueness constraint, one `MERGE` per node and per
//! relationship, properties set with `SET`. Every string is a single-quoted Cypher
//! literal written by [`literal`], which escapes backslashes, quotes and line breaks, so
//! a name cannot end the string and run its own statement. Labels and relationship
//! types come from the fixed vocabularies, never from data.

use super::csv::{label, rel_type};
use crate::graph::PolicyGraph;
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
        let mut set = vec![format!("n.name = {}", literal(&node.name))];
        let mut prop = |key: &str, value: Option<String>| {
            if let Some(v) = value {
                set.push(format!("n.{key} = {}", literal(&v)));
            }
        };
        prop("start", node.start.map(|d| d.to_string()));
        prop("end", node.end.date().map(|d| d.to_string()));
        prop("end_status", Some(node.end.status().to_string()));
        prop("summary", node.summary.as_deref().map(String::from));
        prop("stance", node.stance.map(|s| s.to_string()));
        prop("note", node.note.as_deref().map(String::from));
        if !node.aliases.is_empty() {
            set.push(format!(
                "n.aliases = {}",
                list(node.aliases.iter().cloned())
            ));
        }
        if !node.sources.is_empty() {
            set.push(format!(
                "n.sources = {}",
                list(node.sources.iter().map(|s| format!("{}@{}", s.doc, s.at)))
            ));
        }
        let _ = writeln!(
            out,
            "MERGE (n:PolicyNode {{id: {}}}) SET n:{}, {};",
            literal(&node.id),
            label(node.kind),
            set.join(", ")
        );
    }
    for &e in &view.edges {
        let edge = g.edge(e);
        let (a, b) = g.endpoints(e);
        let mut set = Vec::new();
        if let Some(d) = edge.date {
            set.push(format!("r.date = {}", literal(&d.to_string())));
        }
        if let Some(s) = edge.stance {
            set.push(format!("r.stance = {}", literal(s.as_str())));
        }
        if let Some(note) = edge.note() {
            set.push(format!("r.note = {}", literal(note)));
        }
        if !edge.sources().is_empty() {
            set.push(format!(
                "r.sources = {}",
                list(edge.sources().iter().map(|s| format!("{}@{}", s.doc, s.at)))
            ));
        }
        let set = if set.is_empty() {
            String::new()
        } else {
            format!(" SET {}", set.join(", "))
        };
        let _ = writeln!(
            out,
            "MATCH (a:PolicyNode {{id: {}}}), (b:PolicyNode {{id: {}}}) MERGE (a)-[r:{}]->(b){set};",
            literal(&g.node(a).id),
            literal(&g.node(b).id),
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
