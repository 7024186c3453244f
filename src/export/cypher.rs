//! A Cypher script that loads a view into a graph database, in the dialect of Neo4j 5
//! (the default) or of FalkorDB ([`Dialect`]).
//!
//! The script is statements separated by blank lines, each ending in `;` (cypher-shell
//! reads it as is; FalkorDB takes one statement per query). First the index on
//! `PolicyNode.id`: Neo4j's uniqueness constraint, or FalkorDB's `CREATE INDEX` (it
//! rejects `CREATE CONSTRAINT … REQUIRE`). Then nodes and relationships in batches of
//! at most [`BATCH`], each an `UNWIND` over a literal list of property maps: nodes of
//! one kind per batch, `CREATE (n:PolicyNode:Initiative) SET n = p`; relationships of
//! one type per batch, matched by their ends' ids and `CREATE`d, never `MERGE`d, each
//! with `edge_id`, its place in the collection (the pictures' `edge-N`), so duplicate
//! edges stay distinct relationships (issue 19: `MERGE` lost 388 of 246,704 at 10^5
//! nodes, and one stance of two duplicate evaluations). One statement per node made
//! 350,000 statements at 10^5 nodes; a batch is one parse and one transaction.
//!
//! Properties: every field of the field table but the id's and ends' own places and the
//! kind and relation (the label and type); lists as lists of strings, sources as
//! `doc@at`; `end` is the date when there is one and `end_status` says `dated`,
//! `ongoing` or `unknown`, as in JSON; each free attribute `attrs.<name>`
//! ([`crate::attr_name`]) typed integer, float, boolean or string by what its values
//! share across the view (strings, each value's text, when they differ: the rule of
//! GraphML, GEXF and Neo4j's CSV).
//!
//! Every string is a single-quoted literal written by [`literal`], which escapes
//! backslashes, quotes and line breaks, so a name cannot end the string and run its own
//! statement; every key not a plain word is in backticks ([`key`]), a backtick in it
//! doubled for Neo4j and refused for FalkorDB, which has no escape for one. Labels and
//! relationship types come from fixed vocabularies ([`super::neo4j::label`]), never
//! from data.
//!
//! kuzu and LadybugDB are not a dialect: they need a node table per label and a
//! relationship table per type and pair of labels declared first, with a typed column
//! for every property (free attributes included), and take no second label; that is a
//! schema writer of its own, not a change of a few statements.

use super::neo4j::{EDGE_ID, NODE_LABEL, label, rel_type};
use crate::attr_name::{FreeAttrs, column};
use crate::graph::PolicyGraph;
use crate::model::field::{Field, Type, Value};
use crate::model::{AttrValue, NodeKind, Relation};
use crate::view::View;
use std::fmt::Write;

/// The Cypher a script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Dialect {
    /// Neo4j 5 (cypher-shell, Neo4j Browser): a uniqueness constraint on the id
    #[default]
    Neo4j,
    /// FalkorDB (openCypher): an index on the id
    Falkordb,
}

/// Rows per `UNWIND` statement.
pub const BATCH: usize = 1000;

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

fn list(items: Vec<String>) -> String {
    let items: Vec<String> = items.iter().map(|i| literal(i)).collect();
    format!("[{}]", items.join(", "))
}

/// A property key: plain when it is a word, else in backticks (doubled inside).
pub fn key(name: &str) -> String {
    let word = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if word {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// A float literal; Cypher has none for NaN and the infinities, so they are divisions.
fn float(f: f64) -> String {
    if f.is_nan() {
        "0.0 / 0.0".into()
    } else if f.is_infinite() {
        if f > 0.0 { "1.0 / 0.0" } else { "-1.0 / 0.0" }.into()
    } else {
        format!("{f:?}")
    }
}

/// A free attribute's value in a property of type `ty` (its text when `string`).
fn attr(value: &AttrValue, ty: &str) -> String {
    match (value, ty) {
        (AttrValue::String(s), _) => literal(s),
        (AttrValue::Integer(i), "long") if *i == i64::MIN => format!("({} - 1)", i + 1),
        (AttrValue::Integer(i), "long") => i.to_string(),
        (AttrValue::Float(f), "double") => float(*f),
        (AttrValue::Bool(b), "boolean") => b.to_string(),
        (other, _) => literal(&super::xml::typed(other).1),
    }
}

/// The properties of a record as `key: value` items: every field of the table but the
/// id's and ends' places and the kind and relation, each free attribute typed by `attrs`.
fn properties<'a>(
    values: impl IntoIterator<Item = (&'static Field, Option<Value<'a>>)>,
    attrs: &FreeAttrs,
) -> Vec<String> {
    let mut out = Vec::new();
    for (field, value) in values {
        let Some(value) = value else { continue };
        let name = field.name;
        match (field.ty, value) {
            (Type::From | Type::To | Type::Kind | Type::Relation, _) => {}
            (Type::End, Value::End(end)) => {
                if let Some(d) = end.date() {
                    out.push(format!("{name}: {}", literal(&d.to_string())));
                }
                out.push(format!("{name}_status: {}", literal(end.status())));
            }
            (Type::Attrs, Value::Attrs(own)) => {
                for (k, a) in own {
                    let ty = attrs.position(k).map_or("string", |i| attrs.list[i].1);
                    out.push(format!("{}: {}", key(&column(k)), attr(a, ty)));
                }
            }
            (Type::List { .. } | Type::Sources, value) if !value.is_empty() => {
                out.push(format!("{name}: {}", list(value.items())));
            }
            (Type::List { .. } | Type::Sources, _) => {}
            (_, value) if !value.is_empty() => {
                let text = value.flat("|").unwrap_or_default();
                out.push(format!("{name}: {}", literal(&text)));
            }
            _ => {}
        }
    }
    out
}

/// One `UNWIND` statement over `rows` (map literals) with `body` after it.
fn unwind(out: &mut String, rows: &[String], var: &str, body: &str) {
    out.push_str("\nUNWIND [\n");
    for (i, r) in rows.iter().enumerate() {
        let comma = if i + 1 < rows.len() { "," } else { "" };
        let _ = writeln!(out, "  {r}{comma}");
    }
    let _ = writeln!(out, "] AS {var}\n{body};");
}

/// A free attribute name a dialect cannot write as a property key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "attribute `{name}` of `{id}` holds a backtick, which FalkorDB cannot read in a property name (it has no escape for one)"
)]
pub struct CypherError {
    /// The node id, or the edge as `from relation to`.
    pub id: String,
    /// The attribute's name.
    pub name: String,
}

/// FalkorDB reads a backticked name to the next backtick, with no escape (measured with
/// falkordblite 0.11.0: `` `a``b` `` and `` `a\`b` `` are syntax errors), so a name
/// holding one is refused there; Neo4j doubles it.
fn check_keys(g: &PolicyGraph, view: &View, dialect: Dialect) -> Result<(), CypherError> {
    if dialect == Dialect::Neo4j {
        return Ok(());
    }
    let bad = |attrs: &crate::model::Attrs| attrs.keys().find(|k| k.contains('`')).cloned();
    for &n in &view.nodes {
        let node = g.node(n);
        if let Some(name) = bad(node.attrs()) {
            return Err(CypherError {
                id: node.id().to_string(),
                name,
            });
        }
    }
    for &e in &view.edges {
        if let Some(name) = bad(g.edge(e).attrs()) {
            let (a, b) = g.endpoints(e);
            let id = format!(
                "{} {} {}",
                g.node(a).id(),
                g.edge(e).relation,
                g.node(b).id()
            );
            return Err(CypherError { id, name });
        }
    }
    Ok(())
}

/// The Cypher script of a view in `dialect` (the module's doc has its shape).
pub fn to_cypher(g: &PolicyGraph, view: &View, dialect: Dialect) -> Result<String, CypherError> {
    check_keys(g, view, dialect)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// {} (policygraph, {} dialect)",
        view.title.replace(['\n', '\r'], " "),
        match dialect {
            Dialect::Neo4j => "Neo4j",
            Dialect::Falkordb => "FalkorDB",
        }
    );
    let _ = writeln!(
        out,
        "{}",
        match dialect {
            Dialect::Neo4j => format!(
                "CREATE CONSTRAINT policy_node_id IF NOT EXISTS FOR (n:{NODE_LABEL}) REQUIRE n.id IS UNIQUE;"
            ),
            Dialect::Falkordb => format!("CREATE INDEX FOR (n:{NODE_LABEL}) ON (n.id);"),
        }
    );

    let node_attrs = FreeAttrs::collect(view.nodes.iter().map(|&n| g.node(n).attrs()));
    for kind in NodeKind::ALL {
        let rows: Vec<String> = view
            .nodes
            .iter()
            .map(|&n| g.node(n))
            .filter(|node| node.kind == *kind)
            .map(|node| format!("{{{}}}", properties(node.values(), &node_attrs).join(", ")))
            .collect();
        let body = format!("CREATE (n:{NODE_LABEL}:{}) SET n = p", label(*kind));
        for batch in rows.chunks(BATCH) {
            unwind(&mut out, batch, "p", &body);
        }
    }

    let edge_attrs = FreeAttrs::collect(view.edges.iter().map(|&e| g.edge(e).attrs()));
    for relation in Relation::ALL {
        let rows: Vec<String> = view
            .edges
            .iter()
            .filter(|&&e| g.edge(e).relation == *relation)
            .map(|&e| {
                let (a, b) = g.endpoints(e);
                let (from, to) = (g.node(a).id(), g.node(b).id());
                let mut props = vec![format!("{EDGE_ID}: {}", e.index())];
                props.extend(properties(g.edge(e).values(from, to), &edge_attrs));
                format!(
                    "{{a: {}, b: {}, p: {{{}}}}}",
                    literal(from),
                    literal(to),
                    props.join(", ")
                )
            })
            .collect();
        let body = format!(
            "MATCH (a:{NODE_LABEL} {{id: r.a}}), (b:{NODE_LABEL} {{id: r.b}})\nCREATE (a)-[e:{}]->(b) SET e = r.p",
            rel_type(*relation)
        );
        for batch in rows.chunks(BATCH) {
            unwind(&mut out, batch, "r", &body);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::{Opened, finish};
    use crate::view::{Narrow, ViewSpec, view};

    fn opened(text: &str) -> Opened {
        let opened = finish(crate::load::toml_text("t.toml", text), false);
        assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
        opened
    }

    fn script(text: &str, dialect: Dialect) -> String {
        let o = opened(text);
        to_cypher(
            &o.graph,
            &view(&o.graph, &ViewSpec::Whole, &Narrow::default()),
            dialect,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_backtick_in_an_attribute_name_is_refused_for_falkordb_only() {
        let text = format!("{TWO}attrs = {{ \"a`b\" = 1 }}\n");
        assert!(script(&text, Dialect::Neo4j).contains("`attrs.a``b`: 1"));
        let o = opened(&text);
        let v = view(&o.graph, &ViewSpec::Whole, &Narrow::default());
        let msg = to_cypher(&o.graph, &v, Dialect::Falkordb)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("attribute `a`b` of `i` holds a backtick"),
            "{msg}"
        );
    }

    const TWO: &str = "[[node]]\nid = \"d\"\nkind = \"document\"\nname = \"D\"\nsources = [{ doc = \"d\", at = \"p. 1\" }]\n[[node]]\nid = \"i\"\nkind = \"initiative\"\nname = \"I\"\nsources = [{ doc = \"d\", at = \"p. 1\" }]\n";

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

    #[test]
    fn keys_that_are_not_words_are_quoted_with_backticks_doubled() {
        assert_eq!(key("name"), "name");
        assert_eq!(key("attrs.url"), "`attrs.url`");
        assert_eq!(key("a`b) SET x"), "`a``b) SET x`");
        assert_eq!(key("1a"), "`1a`");
    }

    #[test]
    fn duplicate_edges_are_created_each_with_its_edge_id() {
        let text = format!(
            "{TWO}[[edge]]\nfrom = \"i\"\nrelation = \"evaluated-by\"\nto = \"d\"\nstance = \"critical\"\nsources = [{{ doc = \"d\", at = \"a\" }}]\n[[edge]]\nfrom = \"i\"\nrelation = \"evaluated-by\"\nto = \"d\"\nstance = \"supportive\"\nsources = [{{ doc = \"d\", at = \"b\" }}]\n"
        );
        let cypher = script(&text, Dialect::Neo4j);
        assert!(!cypher.contains("MERGE"), "{cypher}");
        assert!(
            cypher.contains("edge_id: 0,") && cypher.contains("edge_id: 1,"),
            "{cypher}"
        );
        assert!(cypher.contains("stance: 'critical'") && cypher.contains("stance: 'supportive'"));
        assert!(
            cypher.contains("CREATE (a)-[e:EVALUATED_BY]->(b) SET e = r.p;"),
            "{cypher}"
        );
    }

    #[test]
    fn dialects_differ_in_the_index_only() {
        let neo = script(TWO, Dialect::Neo4j);
        let falkor = script(TWO, Dialect::Falkordb);
        assert!(neo.contains("CREATE CONSTRAINT policy_node_id IF NOT EXISTS FOR (n:PolicyNode) REQUIRE n.id IS UNIQUE;"));
        assert!(falkor.contains("CREATE INDEX FOR (n:PolicyNode) ON (n.id);"));
        assert!(!falkor.contains("REQUIRE"));
        let body = |s: &str| s.lines().skip(2).collect::<Vec<_>>().join("\n");
        assert_eq!(body(&neo), body(&falkor));
    }

    #[test]
    fn nodes_are_batched_by_kind() {
        let cypher = script(TWO, Dialect::Neo4j);
        assert!(
            cypher.contains("] AS p\nCREATE (n:PolicyNode:Document) SET n = p;"),
            "{cypher}"
        );
        assert!(cypher.contains("] AS p\nCREATE (n:PolicyNode:Initiative) SET n = p;"));
    }

    #[test]
    fn attributes_are_typed_and_mixed_ones_are_strings() {
        let text = "[[node]]\nid = \"a\"\nkind = \"document\"\nname = \"A\"\nsources = [{ doc = \"a\", at = \"p\" }]\nattrs = { n = 3, r = 0.5, ok = true, s = \"x\", m = 1, big = -9223372036854775808, nan = nan }\n[[node]]\nid = \"b\"\nkind = \"document\"\nname = \"B\"\nsources = [{ doc = \"a\", at = \"p\" }]\nattrs = { m = \"one\" }\n";
        let cypher = script(text, Dialect::Falkordb);
        for item in [
            "`attrs.n`: 3",
            "`attrs.r`: 0.5",
            "`attrs.ok`: true",
            "`attrs.s`: 'x'",
            "`attrs.m`: '1'",
            "`attrs.m`: 'one'",
            "`attrs.big`: (-9223372036854775807 - 1)",
            "`attrs.nan`: 0.0 / 0.0",
        ] {
            assert!(cypher.contains(item), "{item} in {cypher}");
        }
    }
}
