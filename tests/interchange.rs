//! Interchange: CSV round-trips exactly; networkx reads our JSON and GraphML with every
//! node, edge and attribute; GraphML and GEXF are well-formed and shaped as their
//! formats require; Cypher escapes hostile names.
//!
//! The networkx tests need python3 with networkx: a plain `cargo test` ignores them;
//! with `--include-ignored`, as .ci/run runs them, they fail when it is missing.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use policygraph::export::csv::to_csv;
use policygraph::export::cypher::{Dialect, to_cypher};
use policygraph::export::gexf::to_gexf;
use policygraph::export::graphml::to_graphml;
use policygraph::export::json::to_json;
use policygraph::graph::PolicyGraph;
use policygraph::load::{csv_text, toml_text};
use policygraph::model::field::{self, Field, Type, Value};
use policygraph::open::{Opened, finish};
use policygraph::view::{Narrow, ViewSpec, view};
use proptest::prelude::*;
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn whole(g: &PolicyGraph) -> policygraph::view::View {
    view(g, &ViewSpec::Whole, &Narrow::default())
}

/// The graph as comparable JSON: every node and edge with every field, each list sorted
/// (a graph has no order; exports sort, loads keep file order).
fn snapshot(opened: &Opened) -> serde_json::Value {
    let g = &opened.graph;
    let sorted = |v: serde_json::Value| {
        let mut items = v.as_array().cloned().unwrap_or_default();
        items.sort_by_key(|i| i.to_string());
        serde_json::Value::Array(items)
    };
    serde_json::json!({
        "nodes": sorted(serde_json::to_value(policygraph::json::nodes(g, g.nodes())).unwrap()),
        "edges": sorted(serde_json::to_value(policygraph::json::edges(g, g.edges())).unwrap()),
    })
}

fn shipped() -> Opened {
    policygraph::open::open(&Path::new(ROOT).join("data"), false).unwrap()
}

// ---- CSV round trip ----

fn cell() -> impl Strategy<Value = String> {
    // Any text but `|` (the list separator) and control characters; commas, quotes and
    // line breaks must survive the csv crate's quoting. Often it begins as a formula
    // would, or with quotes before one, which the export guards and the load unguards.
    let prefix = prop_oneof![
        3 => Just(""),
        1 => Just("="),
        1 => Just("+"),
        1 => Just("-"),
        1 => Just("@"),
        1 => Just("'"),
        1 => Just("'="),
        1 => Just("''-"),
        1 => Just("-3"),
        1 => Just("=HYPERLINK(\"http://x\",\"y\")"),
    ];
    (prefix, "[a-zA-Z0-9 ,\"'\n;:.()é漢=+@-]{0,16}")
        .prop_map(|(p, s)| format!("{p}{s}").trim().to_string())
}

/// A cell for a one-line field (a name, an alias, a locator): a line break there is an
/// error of the data, so the line feeds are spaces.
fn one_line_cell() -> impl Strategy<Value = String> {
    cell().prop_map(|s| s.replace('\n', " ").trim().to_string())
}

#[derive(Debug, Clone)]
struct Row {
    kind: usize,
    name: String,
    start: Option<(u16, Option<u8>)>,
    aliases: Vec<String>,
    summary: String,
    at: String,
    extra: String,
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    let row = (
        0usize..3,
        one_line_cell().prop_filter("a name", |s| !s.is_empty()),
        prop::option::of((1900u16..2030, prop::option::of(1u8..=12))),
        prop::collection::vec(
            one_line_cell().prop_filter("an alias", |s| !s.is_empty()),
            0..3,
        ),
        cell(),
        one_line_cell().prop_filter("a locator", |s| !s.is_empty()),
        cell(),
    )
        .prop_map(|(kind, name, start, aliases, summary, at, extra)| Row {
            kind,
            name,
            start,
            aliases,
            summary,
            at,
            extra,
        });
    prop::collection::vec(row, 1..12)
}

fn csv_line(cells: &[String]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(cells).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// CSV -> load -> export csv -> load gives an identical graph.
    #[test]
    fn csv_round_trips(rows in rows(), chain in prop::collection::vec((0usize..12, 0usize..12), 0..10)) {
        let kinds = ["body", "initiative", "document"];
        let mut nodes = String::from("id,kind,name,start,end,aliases,summary,stance,sources,note,extra\n");
        nodes += &csv_line(&["doc".into(), "document".into(), "Doc".into(), String::new(), String::new(), String::new(), String::new(), String::new(), "doc@p. 1".into(), String::new(), String::new()]);
        for (i, r) in rows.iter().enumerate() {
            let start = r.start.map(|(y, m)| match m { Some(m) => format!("{y:04}-{m:02}"), None => format!("{y:04}") }).unwrap_or_default();
            nodes += &csv_line(&[format!("n{i}"), kinds[r.kind].into(), r.name.clone(), start, String::new(), r.aliases.join("|"), r.summary.clone(), String::new(), format!("doc@{}", r.at), r.summary.clone(), r.extra.clone()]);
        }
        let mut edges = String::from("from,relation,to,date,stance,note,sources\n");
        let mut seen = BTreeSet::new();
        for (a, b) in chain {
            let (a, b) = (a % rows.len(), b % rows.len());
            // `cites` between documents, `established-by` from a body to anything else allowed.
            if a != b && rows[a].kind == 0 && rows[b].kind == 1 && seen.insert((a, b)) {
                edges += &csv_line(&[format!("n{a}"), "established-by".into(), format!("n{b}"), String::new(), String::new(), rows[a].summary.clone(), format!("doc@{}", rows[b].at)]);
            }
        }
        let first = finish(csv_text(&nodes, Some(&edges)), false);
        prop_assert_eq!(first.errors(), 0, "{:?}", first.problems);
        let files = to_csv(&first.graph, &whole(&first.graph)).unwrap();
        let second = finish(csv_text(&files.nodes, Some(&files.edges)), false);
        prop_assert_eq!(second.errors(), 0, "{:?}", second.problems);
        prop_assert_eq!(snapshot(&first), snapshot(&second));
    }
}

#[test]
fn the_shipped_data_round_trips_through_csv() {
    let first = shipped();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("csv");
    common::run_ok(&["export", "--format", "csv", "-o", out.to_str().unwrap()]);
    let second = policygraph::open::open(&out, false).unwrap();
    assert_eq!(second.errors(), 0, "{:?}", second.problems);
    // The eras come back, in order, with their dates and summaries.
    let eras = |o: &Opened| -> Vec<String> {
        o.graph
            .eras
            .iter()
            .map(|e| format!("{}|{}|{:?}|{:?}", e.name, e.start, e.end, e.summary))
            .collect()
    };
    assert!(!first.graph.eras.is_empty());
    assert_eq!(eras(&second), eras(&first));
    // Attributes keep their types: the shipped data has whole numbers among them.
    let typed = first
        .graph
        .nodes()
        .flat_map(|n| first.graph.node(n).attrs().values())
        .filter(|v| matches!(v, policygraph::model::AttrValue::Integer(_)))
        .count();
    assert!(typed > 0, "the shipped data has whole-number attributes");
    let (a, b) = (snapshot(&first), snapshot(&second));
    for list in ["nodes", "edges"] {
        let (x, y) = (a[list].as_array().unwrap(), b[list].as_array().unwrap());
        assert_eq!(x.len(), y.len(), "{list}");
        for (p, q) in x.iter().zip(y) {
            assert_eq!(p, q, "{list}");
        }
    }
}

// ---- networkx ----

/// Fails, saying so, when python3 with networkx is missing (for the ignored tests).
fn require_networkx() {
    common::require(
        common::networkx_available(),
        "python3 with networkx (pip install networkx)",
    );
}

#[test]
#[ignore = "needs python3 with networkx (pip install networkx)"]
fn networkx_reads_json_and_graphml_completely() {
    require_networkx();
    let opened = shipped();
    let g = &opened.graph;
    let v = whole(g);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.json"), to_json(g, &v)).unwrap();
    std::fs::write(dir.path().join("g.graphml"), to_graphml(g, &v)).unwrap();
    let script = r#"
import json, sys
import networkx as nx
d = sys.argv[1]
data = json.load(open(d + "/g.json"))
try:
    j = nx.node_link_graph(data, edges="links")
except TypeError:
    j = nx.node_link_graph(data)
x = nx.read_graphml(d + "/g.graphml")
out = {
    "json": {"nodes": j.number_of_nodes(), "edges": j.number_of_edges(), "directed": j.is_directed(),
             "node_attrs": sorted({k for _, a in j.nodes(data=True) for k in a}),
             "edge_attrs": sorted({k for _, _, a in j.edges(data=True) for k in a}),
             "sample": j.nodes["better-care-fund"]},
    "graphml": {"nodes": x.number_of_nodes(), "edges": x.number_of_edges(), "directed": x.is_directed(),
                "node_attrs": sorted({k for _, a in x.nodes(data=True) for k in a}),
                "edge_attrs": sorted({k for _, _, a in x.edges(data=True) for k in a}),
                "sample": x.nodes["better-care-fund"]},
}
print(json.dumps(out))
"#;
    let r = common::python_json(script, dir.path().to_str().unwrap());
    for format in ["json", "graphml"] {
        assert_eq!(r[format]["nodes"], g.node_count(), "{format} nodes");
        assert_eq!(r[format]["edges"], g.edge_count(), "{format} edges");
        assert_eq!(r[format]["directed"], true);
        let attrs: BTreeSet<&str> = r[format]["node_attrs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for field in [
            "kind", "name", "start", "end", "aliases", "summary", "stance", "note", "sources",
        ] {
            assert!(
                attrs.contains(field) || (format == "json" && field == "end"),
                "{format} node attribute {field}: {attrs:?}"
            );
        }
        let edge_attrs: BTreeSet<&str> = r[format]["edge_attrs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for field in ["relation", "stance", "note", "sources"] {
            assert!(
                edge_attrs.contains(field),
                "{format} edge attribute {field}: {edge_attrs:?}"
            );
        }
        assert_eq!(r[format]["sample"]["name"], "Better Care Fund", "{format}");
    }
    // Free attributes arrive too, typed in GraphML.
    let free: BTreeSet<&str> = g
        .nodes()
        .flat_map(|n| g.node(n).attrs().keys().map(String::as_str))
        .collect();
    let graphml_attrs: BTreeSet<&str> = r["graphml"]["node_attrs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for k in free {
        assert!(
            graphml_attrs.contains(k) || graphml_attrs.contains(format!("attrs.{k}").as_str()),
            "free attribute {k}"
        );
    }
}

// ---- XML shapes ----

/// Parses an XML document completely and returns each element's name with its
/// attributes, in document order.
fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
        {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().0.to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            a.key.0.to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn hostile_graph() -> Opened {
    let text = r#"
[[node]]
id = "doc"
kind = "document"
name = "</data><node id=\"x\"><script>alert(1)</script>"
summary = "quote \" apostrophe ' amp & lt < gt > nul-free"
start = "2013"
sources = [{ doc = "doc", at = "p. <1> & 'two'" }]
attrs = { weight = 3, ratio = 0.5, open = true, url = "javascript:alert(1)" }

[[node]]
id = "body"
kind = "body"
name = "x'}) DETACH DELETE n // \\ back"
start = "2010-04"
end = "2015"
sources = [{ doc = "doc", at = "L1" }]

[[edge]]
from = "doc"
relation = "published-by"
to = "body"
note = "]]> <!-- -->"
sources = [{ doc = "doc", at = "fn \"3\"" }]
"#;
    let opened = finish(toml_text("hostile.toml", text), false);
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    opened
}

#[test]
fn graphml_is_well_formed_and_shaped() {
    for opened in [shipped(), hostile_graph()] {
        let g = &opened.graph;
        let xml = to_graphml(g, &whole(g));
        let els = elements(&xml);
        assert_eq!(els[0].0, "graphml");
        let keys: BTreeSet<String> = els
            .iter()
            .filter(|e| e.0 == "key")
            .map(|e| e.1["id"].clone())
            .collect();
        let nodes: Vec<&String> = els
            .iter()
            .filter(|e| e.0 == "node")
            .map(|e| &e.1["id"])
            .collect();
        let node_set: BTreeSet<&String> = nodes.iter().copied().collect();
        assert_eq!(nodes.len(), g.node_count(), "one element per node");
        assert_eq!(node_set.len(), nodes.len(), "node ids are unique");
        let edges: Vec<_> = els.iter().filter(|e| e.0 == "edge").collect();
        assert_eq!(edges.len(), g.edge_count());
        for e in &edges {
            assert!(
                node_set.contains(&e.1["source"]) && node_set.contains(&e.1["target"]),
                "edge ends exist"
            );
        }
        for d in els.iter().filter(|e| e.0 == "data") {
            assert!(keys.contains(&d.1["key"]), "data uses a declared key");
        }
        assert!(!els.iter().any(|e| e.0 == "script"), "no element injected");
    }
}

#[test]
fn gexf_is_well_formed_and_has_time_intervals() {
    for opened in [shipped(), hostile_graph()] {
        let g = &opened.graph;
        let xml = to_gexf(g, &whole(g));
        let els = elements(&xml);
        assert_eq!(els[0].0, "gexf");
        let graph = els.iter().find(|e| e.0 == "graph").unwrap();
        assert_eq!(graph.1["mode"], "dynamic");
        assert_eq!(graph.1["timeformat"], "date");
        let nodes: Vec<_> = els.iter().filter(|e| e.0 == "node").collect();
        assert_eq!(nodes.len(), g.node_count());
        let ids: BTreeSet<&String> = nodes.iter().map(|n| &n.1["id"]).collect();
        let date = |s: &str| s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
        for n in &nodes {
            for k in ["start", "end"] {
                if let Some(v) = n.1.get(k) {
                    assert!(date(v), "{k} {v} is a full date");
                }
            }
            if let (Some(s), Some(e)) = (n.1.get("start"), n.1.get("end")) {
                assert!(s <= e, "{s} before {e}");
            }
        }
        let edges: Vec<_> = els.iter().filter(|e| e.0 == "edge").collect();
        assert_eq!(edges.len(), g.edge_count());
        for e in &edges {
            assert!(ids.contains(&e.1["source"]) && ids.contains(&e.1["target"]));
        }
        let declared: BTreeSet<&String> = els
            .iter()
            .filter(|e| e.0 == "attribute")
            .map(|e| &e.1["id"])
            .collect();
        for v in els.iter().filter(|e| e.0 == "attvalue") {
            assert!(
                declared.contains(&v.1["for"]),
                "attvalue for a declared attribute"
            );
        }
        assert!(!els.iter().any(|e| e.0 == "script"), "no element injected");
    }
    // Partial dates widen to the days they can mean.
    let opened = hostile_graph();
    let xml = to_gexf(&opened.graph, &whole(&opened.graph));
    assert!(
        xml.contains(r#"start="2010-04-01" end="2015-12-31""#),
        "{xml}"
    );
}

#[test]
fn cypher_escapes_hostile_names() {
    let opened = hostile_graph();
    for dialect in [Dialect::Neo4j, Dialect::Falkordb] {
        let cypher = to_cypher(&opened.graph, &whole(&opened.graph), dialect).unwrap();
        assert!(
            cypher.contains(r#"name: 'x\'}) DETACH DELETE n // \\ back'"#),
            "{cypher}"
        );
        assert!(
            cypher.contains(r#"summary: 'quote \" apostrophe \' amp & lt < gt > nul-free'"#),
            "{cypher}"
        );
        // Every statement ends in `;`, and every line (a row of an UNWIND list) holds
        // its literals whole: no literal was left open.
        for statement in cypher.split("\n\n").skip(1) {
            assert!(statement.trim_end().ends_with(';'), "{statement}");
        }
        for line in cypher.lines().filter(|l| !l.starts_with("//")) {
            let unescaped_quotes = line
                .replace("\\\\", "")
                .replace("\\'", "")
                .matches('\'')
                .count();
            assert_eq!(unescaped_quotes % 2, 0, "balanced quotes in {line}");
        }
    }
}

#[test]
fn a_value_csv_cannot_hold_fails_the_export_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.toml"),
        "[[node]]\nid = \"d\"\nkind = \"document\"\nname = \"D\"\naliases = [\"a|b\"]\nsources = [{ doc = \"d\", at = \"p\" }]\n",
    )
    .unwrap();
    let out = dir.path().join("csv");
    let run = common::policygraph()
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "export",
            "--format",
            "csv",
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("an alias of `d` contains `|`"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}

// ---- free attribute names: one rule for CSV, GraphML and GEXF ----

/// Attribute names a flat format could confuse: empty, spaces at either end, the
/// names of fixed columns, fields and GraphML/networkx words, the prefix itself and
/// prefixed names, quotes, commas, tabs and other scripts. (A line break is not
/// allowed in a name: attribute names are one-line fields.)
fn attr_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "", " ", " id", "id ", "id", "kind", "name", "note", "start", "end", "aliases",
            "summary", "stance", "sources", "from", "relation", "to", "date", "dates", "key",
            "attrs.", "attrs.x", "x", "attrs.attrs.x", "attrs.id", "ATTRS.x", "=x", "'=x",
        ])
        .prop_map(String::from),
        2 => "[a-z ,\"'.=é漢\t]{0,8}",
    ]
}

/// A free attribute's value as a TOML literal: text (never empty: an empty CSV cell
/// is an absent value) that may look like a number or a boolean, a whole number, a
/// float (infinities and NaN among them) or a boolean.
fn attr_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ,\"'.=+@<>&é漢\n-]{1,10}".prop_map(|t| serde_json::to_string(&t).unwrap()),
        1 => prop::sample::select(vec!["3", "-1", "1.5", "true", "false", "nan", "inf", "0", "1e3"])
            .prop_map(|t| serde_json::to_string(t).unwrap()),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => any::<f64>().prop_map(|f| format!("{f:?}")),
        1 => prop::sample::select(vec!["inf", "-inf", "nan", "-0.0", "2.0", "1e-7"]).prop_map(String::from),
        1 => any::<bool>().prop_map(|b| b.to_string()),
    ]
}

/// Plain text values as TOML literals, for [`attrs_graph`].
fn texts(attrs: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    attrs
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::to_string(v).unwrap()))
        .collect()
}

/// An inline TOML table of attributes whose values are TOML literals.
fn attr_table(attrs: &BTreeMap<String, String>) -> String {
    let items: Vec<String> = attrs
        .iter()
        .map(|(k, v)| format!("{} = {v}", serde_json::to_string(k).unwrap()))
        .collect();
    format!("{{ {} }}", items.join(", "))
}

/// A document, a body and an edge between them, with these free attributes (values
/// as TOML literals: [`texts`] makes them from plain text).
fn attrs_graph(node: &BTreeMap<String, String>, edge: &BTreeMap<String, String>) -> Opened {
    let text = format!(
        r#"
[[node]]
id = "doc"
kind = "document"
name = "Doc"
sources = [{{ doc = "doc", at = "p. 1" }}]
attrs = {}

[[node]]
id = "body"
kind = "body"
name = "Body"
sources = [{{ doc = "doc", at = "p. 2" }}]

[[edge]]
from = "doc"
relation = "published-by"
to = "body"
sources = [{{ doc = "doc", at = "p. 3" }}]
attrs = {}
"#,
        attr_table(node),
        attr_table(edge)
    );
    let opened = finish(toml_text("attrs.toml", &text), false);
    assert_eq!(opened.errors(), 0, "{:?}\n{text}", opened.problems);
    opened
}

/// Every free attribute of `g` comes back from its CSV, GraphML and GEXF exports with
/// its name and value.
fn assert_free_attributes_survive(opened: &Opened) {
    let g = &opened.graph;
    let v = whole(g);
    let want = common::free_of(g);
    let files = to_csv(g, &v).unwrap();
    let back = finish(csv_text(&files.nodes, Some(&files.edges)), false);
    assert_eq!(back.errors(), 0, "{:?}\n{}", back.problems, files.nodes);
    assert_eq!(
        common::free_of(&back.graph),
        want,
        "CSV\n{}\n{}",
        files.nodes,
        files.edges
    );
    assert_eq!(snapshot(&back), snapshot(opened), "CSV");
    for (format, xml) in [("GraphML", to_graphml(g, &v)), ("GEXF", to_gexf(g, &v))] {
        assert_eq!(common::free_attributes(&xml), want, "{format}\n{xml}");
        // No two keys of a class share a name.
        let els = elements(&xml);
        let mut seen = BTreeSet::new();
        let mut class = String::new();
        for (name, a) in &els {
            let declared = match name.as_str() {
                "key" => Some((a["for"].clone(), a["attr.name"].clone())),
                "attributes" => {
                    class = a["class"].clone();
                    None
                }
                "attribute" => Some((class.clone(), a["title"].clone())),
                _ => None,
            };
            if let Some(d) = declared {
                assert!(seen.insert(d.clone()), "{format}: {d:?} declared twice");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Hostile attribute names survive CSV (export, load: the same graph), GraphML and
    /// GEXF (read back: the same names and values).
    #[test]
    fn free_attribute_names_round_trip(
        node in prop::collection::btree_map(attr_name(), attr_value(), 0..8),
        edge in prop::collection::btree_map(attr_name(), attr_value(), 0..5),
    ) {
        assert_free_attributes_survive(&attrs_graph(&node, &edge));
    }
}

#[test]
fn attributes_named_like_columns_round_trip() {
    // The issue's names, and a prefixed name beside its bare one.
    let node: BTreeMap<String, String> = [
        "id",
        "kind",
        "name",
        "note",
        "",
        " id",
        "foo",
        "attrs.foo",
        "key",
    ]
    .iter()
    .map(|k| ((*k).to_string(), format!("value of {k:?}")))
    .collect();
    let edge: BTreeMap<String, String> = ["key", "id", "relation", "from", "attrs.key"]
        .iter()
        .map(|k| ((*k).to_string(), format!("edge {k}")))
        .collect();
    let opened = attrs_graph(&texts(&node), &texts(&edge));
    assert_free_attributes_survive(&opened);
    let g = &opened.graph;
    let files = to_csv(g, &whole(g)).unwrap();
    // The table's columns (less `attrs`, which becomes one column per name), then the
    // free attributes, each under the prefix.
    let columns = policygraph::model::field::names(&policygraph::model::field::NODE);
    let header = format!(
        "{},attrs.,attrs. id,attrs.attrs.foo,attrs.foo,attrs.id,",
        columns[..columns.len() - 1].join(",")
    );
    assert!(files.nodes.starts_with(&header), "{}", files.nodes);
}

#[test]
fn a_hand_written_column_without_the_prefix_is_still_an_attribute() {
    let nodes = "id,kind,name,sources,url,attrs.kind\nd,document,D,d@p,https://x.org/,a report\n";
    let opened = finish(csv_text(nodes, None), false);
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    let g = &opened.graph;
    let d = g.node(g.get("d").unwrap());
    assert_eq!(d.kind.as_str(), "document");
    assert_eq!(
        d.attrs().keys().map(String::as_str).collect::<Vec<_>>(),
        ["kind", "url"]
    );
    // `url` and `attrs.url` name one attribute: refused, and said where.
    let both = "id,kind,name,sources,url,attrs.url\nd,document,D,d@p,a,b\n";
    let opened = finish(csv_text(both, None), false);
    assert_eq!(opened.errors(), 1);
    let message = format!("{:?}", opened.problems);
    assert!(
        message.contains("both hold the free attribute `url`"),
        "{message}"
    );
}

#[test]
#[ignore = "needs python3 with networkx (pip install networkx)"]
fn networkx_reads_an_edge_attribute_named_key() {
    require_networkx();
    let edge: BTreeMap<String, String> = [("key", "k1"), ("id", "i1"), ("relation", "r1")]
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    let node: BTreeMap<String, String> = [("kind", "free kind"), ("foo", "a"), ("attrs.foo", "b")]
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    let opened = attrs_graph(&texts(&node), &texts(&edge));
    let g = &opened.graph;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.graphml"), to_graphml(g, &whole(g))).unwrap();
    let script = r#"
import json, sys
import networkx as nx
x = nx.read_graphml(sys.argv[1] + "/g.graphml")
print(json.dumps({"edges": [d for _, _, d in x.edges(data=True)], "doc": x.nodes["doc"]}))
"#;
    let r = common::python_json(script, dir.path().to_str().unwrap());
    let e = &r["edges"][0];
    assert_eq!(e["attrs.key"], "k1", "{r}");
    assert_eq!(e["attrs.id"], "i1", "{r}");
    assert_eq!(e["attrs.relation"], "r1", "{r}");
    assert_eq!(e["relation"], "published-by", "{r}");
    let d = &r["doc"];
    assert_eq!(d["kind"], "document", "{r}");
    assert_eq!(d["attrs.kind"], "free kind", "{r}");
    assert_eq!(d["attrs.foo"], "a", "{r}");
    assert_eq!(d["attrs.attrs.foo"], "b", "{r}");
}

// ---- The field table: every field reaches every format ----

/// Each field of a record with the text every flat format must carry for it (lists
/// joined with `sep`), under its name: `attrs.<name>` for free attributes, `@id`,
/// `@source` and `@target` for the element's own id and ends.
fn expected<'a>(
    values: impl IntoIterator<Item = (&'static Field, Option<Value<'a>>)>,
    sep: &str,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (field, value) in values {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            continue;
        };
        let name = match field.ty {
            Type::Id => "@id".to_string(),
            Type::From => "@source".to_string(),
            Type::To => "@target".to_string(),
            Type::Attrs => {
                if let Value::Attrs(attrs) = value {
                    for (k, v) in attrs {
                        out.insert(format!("attrs.{k}"), policygraph::export::xml::typed(v).1);
                    }
                }
                continue;
            }
            _ => field.name.to_string(),
        };
        out.insert(name, value.flat(sep).unwrap());
    }
    out
}

fn rich() -> Opened {
    let opened = policygraph::open::open(&Path::new(ROOT).join("tests/data/rich"), false).unwrap();
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    opened
}

/// The rich fixture fills every field of every record type, attributes of each type
/// among them: a field the fixture leaves empty would be tested by nothing below.
#[test]
fn the_rich_fixture_fills_every_field() {
    let opened = rich();
    let g = &opened.graph;
    let mut filled = BTreeSet::new();
    let mut attr_types = BTreeSet::new();
    let mut note = |table: &str, values: &[(&'static Field, Option<Value<'_>>)]| {
        for (f, v) in values {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                filled.insert(format!("{table}.{}", f.name));
                if let Value::Attrs(a) = v {
                    attr_types.extend(a.values().map(|x| policygraph::export::xml::typed(x).0));
                }
            }
        }
    };
    for n in g.nodes() {
        note("node", &g.node(n).values());
    }
    for e in g.edges() {
        note("edge", &g.edge(e).values("a", "b"));
    }
    for era in &g.eras {
        note("era", &era.values());
    }
    if let Some(about) = &g.about {
        note("collection", &about.values());
    }
    let all: BTreeSet<String> = [
        ("node", &field::NODE[..]),
        ("edge", &field::EDGE),
        ("era", &field::ERA),
        ("collection", &field::COLLECTION),
    ]
    .iter()
    .flat_map(|(t, table)| table.iter().map(move |f| format!("{t}.{}", f.name)))
    .collect();
    assert_eq!(filled, all);
    assert_eq!(attr_types.len(), 4, "{attr_types:?}");
}

/// Every field of every node and edge of the rich fixture reaches every format that
/// carries fields, under its table name, and comes back: CSV loads back to the same
/// graph; JSON, GraphML and GEXF are parsed and each value found; Cypher and the Neo4j
/// CSV set each. (DOT and Mermaid draw a picture: ids, names, kinds and relations, no
/// fields. Eras and the collection are TOML only: no export format has a place for
/// them.) The test iterates the field table, so a new field is covered.
#[test]
fn every_field_reaches_every_format() {
    let opened = rich();
    let g = &opened.graph;
    let v = whole(g);
    let nodes: BTreeMap<String, BTreeMap<String, String>> = g
        .nodes()
        .map(|n| {
            (
                g.node(n).id().to_string(),
                expected(g.node(n).values(), "|"),
            )
        })
        .collect();
    let edges: Vec<BTreeMap<String, String>> = v
        .edges
        .iter()
        .map(|&e| {
            let (a, b) = g.endpoints(e);
            expected(g.edge(e).values(g.node(a).id(), g.node(b).id()), "|")
        })
        .collect();

    // CSV: loads back to the same graph (free attributes come back as text, the type
    // CSV has), and every field is a column.
    let files = to_csv(g, &v).unwrap();
    let back = finish(csv_text(&files.nodes, Some(&files.edges)), false);
    assert_eq!(back.errors(), 0, "{:?}", back.problems);
    let as_text = |opened: &Opened| {
        let mut s = snapshot(opened);
        for list in ["nodes", "edges"] {
            for item in s[list].as_array_mut().unwrap() {
                if let Some(attrs) = item.get_mut("attrs").and_then(|a| a.as_object_mut()) {
                    for value in attrs.values_mut() {
                        if !value.is_string() {
                            *value = value.to_string().into();
                        }
                    }
                }
            }
        }
        s
    };
    assert_eq!(
        as_text(&back),
        as_text(&opened),
        "CSV\n{}\n{}",
        files.nodes,
        files.edges
    );
    for (text, table) in [
        (&files.nodes, &field::NODE[..]),
        (&files.edges, &field::EDGE),
    ] {
        let header = text.lines().next().unwrap();
        for f in table.iter().filter(|f| f.ty != Type::Attrs) {
            assert!(
                header.split(',').any(|c| c == f.name),
                "{} not in {header}",
                f.name
            );
        }
    }

    // GraphML and GEXF: every value under its name.
    for (format, xml) in [("GraphML", to_graphml(g, &v)), ("GEXF", to_gexf(g, &v))] {
        let mut got = common::xml_values(&xml);
        if format == "GEXF" {
            // GEXF adds the years of each interval, for readers that ignore them.
            for (id, values) in &mut got.nodes {
                let node = g.node(g.get(id).unwrap());
                let start = values.remove("start_year");
                assert_eq!(start, node.start.map(|s| s.year_part().to_string()), "{id}");
                if let Some(end) = values.remove("end_year") {
                    assert!(start.is_none_or(|s| s <= end), "{id}: {end}");
                }
            }
            for values in &mut got.edges {
                values.remove("start_year");
                values.remove("end_year");
            }
        }
        assert_eq!(got.nodes, nodes, "{format}");
        assert_eq!(got.edges, edges, "{format}");
    }

    // JSON: every value under its name, lists as arrays, sources as { doc, at }.
    let json: serde_json::Value = serde_json::from_str(&to_json(g, &v)).unwrap();
    let flat = |value: &serde_json::Value| match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| match i {
                serde_json::Value::Object(o) => format!(
                    "{}@{}",
                    o["doc"].as_str().unwrap(),
                    o["at"].as_str().unwrap()
                ),
                other => other.as_str().unwrap().to_string(),
            })
            .collect::<Vec<_>>()
            .join("|"),
        other => other.to_string(),
    };
    let from_json = |item: &serde_json::Value, id: &[(&str, &str)]| {
        let mut out = BTreeMap::new();
        for (key, value) in item.as_object().unwrap() {
            let name = id
                .iter()
                .find(|(k, _)| k == key)
                .map_or(key.as_str(), |(_, n)| n);
            match (key.as_str(), value) {
                ("end" | "end_status", _) => {}
                ("attrs", serde_json::Value::Object(attrs)) => {
                    for (k, a) in attrs {
                        out.insert(format!("attrs.{k}"), flat(a));
                    }
                }
                (_, serde_json::Value::Null) => {}
                (_, serde_json::Value::Array(a)) if a.is_empty() => {}
                _ => {
                    out.insert(name.to_string(), flat(value));
                }
            }
        }
        if let Some(status) = item.get("end_status").and_then(|s| s.as_str()) {
            match (status, &item["end"]) {
                ("dated", end) => out.insert("end".into(), flat(end)),
                ("ongoing", _) => out.insert("end".into(), "ongoing".into()),
                _ => None,
            };
        }
        out
    };
    let json_nodes: BTreeMap<String, BTreeMap<String, String>> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_string(),
                from_json(n, &[("id", "@id")]),
            )
        })
        .collect();
    assert_eq!(json_nodes, nodes, "JSON");
    let json_edges: Vec<_> = json["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let o = e.as_object_mut().unwrap();
            // The key is the relation; the id is the edge's own (README).
            assert_eq!(o["key"], o["relation"], "JSON key");
            let id = format!(
                "{}:{}:{}",
                o["source"].as_str().unwrap(),
                o["relation"].as_str().unwrap(),
                o["target"].as_str().unwrap()
            );
            assert_eq!(o["id"], id.as_str(), "JSON edge id");
            for k in ["source", "target", "key", "id"] {
                o.remove(k);
            }
            from_json(&e, &[("from", "@source"), ("to", "@target")])
        })
        .collect();
    assert_eq!(json_edges, edges, "JSON");

    // Cypher: each field a property of its node or relationship, each value a literal.
    let cypher = to_cypher(g, &v, Dialect::Neo4j).unwrap();
    for (id, fields) in &nodes {
        let line = cypher
            .lines()
            .find(|l| l.starts_with(&format!("  {{id: '{id}'")))
            .unwrap();
        for (name, value) in fields {
            if name == "kind" {
                // The kind is the second label of the row's statement.
                let statement = cypher.split("\n\n").find(|s| s.contains(line)).unwrap();
                let label = format!(":PolicyNode:{}{}", value[..1].to_uppercase(), &value[1..]);
                assert!(statement.contains(&label), "{label} in {statement}");
                continue;
            }
            let item = value.split('|').next().unwrap();
            let (line_lower, item) = (
                line.to_lowercase(),
                item.replace('\n', "\\n").to_lowercase(),
            );
            assert!(line_lower.contains(&item), "{name} {value:?} in {line}");
            if !name.starts_with('@') && name != "kind" {
                let key = if name.starts_with("attrs.") {
                    format!("`{name}`")
                } else {
                    name.clone()
                };
                // An end that is no date is only its status.
                let found = line.contains(&format!("{key}: "))
                    || (name == "end" && line.contains("end_status: "));
                assert!(found, "{name} in {line}");
            }
        }
    }
    for fields in &edges {
        let ends = format!(
            "  {{a: '{}', b: '{}', p: {{",
            fields["@source"], fields["@target"]
        );
        let line = cypher.lines().find(|l| l.starts_with(&ends)).unwrap();
        let statement = cypher.split("\n\n").find(|s| s.contains(line)).unwrap();
        for (name, value) in fields {
            let item = value.split('|').next().unwrap();
            if name == "relation" {
                let ty = item.replace('-', "_").to_uppercase();
                assert!(
                    statement.contains(&format!("[e:{ty}]")),
                    "{ty} in {statement}"
                );
            } else {
                assert!(
                    line.contains(&item.replace('\n', "\\n")),
                    "{name} {value:?} in {line}"
                );
            }
        }
    }

    // Neo4j CSV: every field a column (tests/graphdb.rs reads the values back).
    let neo = policygraph::export::neo4j::to_neo4j_csv(g, &v).unwrap();
    for (text, table) in [(&neo.nodes, &field::NODE[..]), (&neo.edges, &field::EDGE)] {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        for f in table {
            let found = header.iter().any(|h| match f.ty {
                Type::Attrs => h.starts_with("attrs."),
                Type::Kind => h == ":LABEL",
                Type::Relation => h == ":TYPE",
                Type::From => h == ":START_ID",
                Type::To => h == ":END_ID",
                _ => h.split(':').next() == Some(f.name),
            });
            assert!(found, "{} not in {header:?}", f.name);
        }
        assert!(reader.records().all(|r| r.is_ok()));
    }
}

// ---- The official schemas: xmllint ----

/// Whether xmllint (libxml2-utils) is on the PATH.
fn xmllint_available() -> bool {
    std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Validates each file against the schema with xmllint, offline: an XML catalog maps
/// the GraphML schema addresses (ours name 1.0, the vendored files import 1.1) to the
/// copies in tests/schemas. Fails with xmllint's report on the first invalid file.
fn assert_valid(schema: &str, files: &[std::path::PathBuf]) {
    let schemas = Path::new(ROOT).join("tests/schemas");
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.xml");
    let local = format!("file://{}/graphml-1.1/", schemas.display());
    let rules: String = ["1.0", "1.1"]
        .iter()
        .map(|v| {
            let remote = format!("http://graphml.graphdrawing.org/xmlns/{v}/");
            format!(
                r#"<rewriteURI uriStartString="{remote}" rewritePrefix="{local}"/>
<rewriteSystem systemIdStartString="{remote}" rewritePrefix="{local}"/>
"#
            )
        })
        .collect();
    std::fs::write(
        &catalog,
        format!(
            r#"<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
{rules}</catalog>
"#
        ),
    )
    .unwrap();
    for file in files {
        let out = std::process::Command::new("xmllint")
            .env("XML_CATALOG_FILES", &catalog)
            .args(["--nonet", "--noout", "--schema"])
            .arg(schemas.join(schema))
            .arg(file)
            .output()
            .expect("xmllint runs");
        assert!(
            out.status.success(),
            "{} is not valid against {schema}:\n{}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
#[ignore = "needs xmllint (apt-get install libxml2-utils)"]
fn graphml_and_gexf_are_valid_against_the_official_schemas() {
    common::require(
        xmllint_available(),
        "xmllint (apt-get install libxml2-utils)",
    );
    let mut graphs: Vec<(String, Opened)> = vec![("shipped".into(), shipped())];
    for fixture in [
        "rich",
        "builtins",
        "injection",
        "policy",
        "valid",
        "valid-csv",
    ] {
        let opened =
            policygraph::open::open(&Path::new(ROOT).join("tests/data").join(fixture), false)
                .unwrap();
        graphs.push((fixture.into(), opened));
    }
    graphs.push(("hostile".into(), hostile_graph()));
    let odd: BTreeMap<String, String> = [
        ("key", "3"),
        ("id", r#""x y""#),
        ("1 two", "true"),
        ("<tag>", "1.5"),
        ("ünï", r#""text & <more>""#),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    graphs.push((
        "odd attribute names".into(),
        attrs_graph(&odd, &texts(&odd)),
    ));
    let dir = tempfile::tempdir().unwrap();
    let (mut graphml, mut gexf) = (Vec::new(), Vec::new());
    for (i, (name, opened)) in graphs.iter().enumerate() {
        assert_eq!(opened.errors(), 0, "{name}: {:?}", opened.problems);
        let g = &opened.graph;
        let mut views = vec![whole(g)];
        if name == "shipped" {
            let bcf = g.resolve("better-care-fund").unwrap();
            for spec in [
                ViewSpec::Lineage(None),
                ViewSpec::Critiques(Some(bcf)),
                ViewSpec::Citations,
                ViewSpec::Ego(bcf, 2),
            ] {
                views.push(view(g, &spec, &Narrow::default()));
            }
        }
        for (j, v) in views.iter().enumerate() {
            let stem = dir.path().join(format!("{i}-{j}"));
            let (a, b) = (stem.with_extension("graphml"), stem.with_extension("gexf"));
            std::fs::write(&a, to_graphml(g, v)).unwrap();
            std::fs::write(&b, to_gexf(g, v)).unwrap();
            graphml.push(a);
            gexf.push(b);
        }
    }
    assert_valid("graphml-1.1/graphml.xsd", &graphml);
    assert_valid("gexf-1.3/gexf.xsd", &gexf);
}

// ---- CSV: typed columns and eras ----

#[test]
fn a_typed_column_holds_typed_values_and_says_where_a_cell_is_not_one() {
    let nodes = "id,kind,name,sources,attrs.count:int,attrs.ratio:float,attrs.open:boolean,attrs.x:any,attrs.size:int:string\n\
                 d,document,D,d@p,-7,2,true,\"\"\"7\"\"\",12\n";
    let opened = finish(csv_text(nodes, None), false);
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    let g = &opened.graph;
    let attrs = &g.node(g.get("d").unwrap()).attrs();
    use policygraph::model::AttrValue as A;
    assert_eq!(attrs["count"], A::Integer(-7));
    assert_eq!(attrs["ratio"], A::Float(2.0));
    assert_eq!(attrs["open"], A::Bool(true));
    assert_eq!(attrs["x"], A::String("7".into()));
    assert_eq!(attrs["size:int"], A::String("12".into()));

    let bad = "id,kind,name,sources,attrs.count:int\nd,document,D,d@p,many\n";
    let opened = finish(csv_text(bad, None), false);
    assert_eq!(opened.errors(), 1);
    let message = format!("{:?}", opened.problems);
    assert!(
        message.contains("`many` in row 2 is not a whole number") && message.contains("WrongType"),
        "{message}"
    );
}

#[test]
fn eras_csv_loads_back_and_a_stale_one_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("csv");
    let out_s = out.to_str().unwrap();
    common::run_ok(&["export", "--format", "csv", "-o", out_s]);
    assert!(out.join("eras.csv").exists());
    // A collection without eras, exported into the same folder, leaves no eras.csv.
    let plain = dir.path().join("plain.toml");
    std::fs::write(
        &plain,
        "[[node]]\nid = \"d\"\nkind = \"document\"\nname = \"D\"\nsources = [{ doc = \"d\", at = \"p. 1\" }]\n",
    )
    .unwrap();
    common::run_ok(&[
        "--data",
        plain.to_str().unwrap(),
        "export",
        "--format",
        "csv",
        "-o",
        out_s,
    ]);
    assert!(!out.join("eras.csv").exists());

    // An eras.csv with a column eras do not have is refused, and said where.
    std::fs::write(
        out.join("eras.csv"),
        "name,start,end,summary,colour\nEarly,1990,1999,,red\n",
    )
    .unwrap();
    let opened = policygraph::open::open(&out, false).unwrap();
    assert_eq!(opened.errors(), 1, "{:?}", opened.problems);
    assert!(format!("{:?}", opened.problems).contains("an era has no field `colour`"));
    assert_eq!(opened.graph.eras.len(), 1);
}

// ---- networkx and igraph: every edge arrives, duplicates too ----

/// A finding judged twice by one body with different stances (a `duplicate-edge`
/// warning, kept), and two relations between the same pair.
fn duplicates_graph() -> Opened {
    let text = r#"
[[node]]
id = "doc"
kind = "document"
name = "Doc"
start = "2015"
sources = [{ doc = "doc", at = "p. 1" }]

[[node]]
id = "fund"
kind = "initiative"
name = "Fund"
start = "2013"
sources = [{ doc = "doc", at = "p. 2" }]

[[node]]
id = "finding"
kind = "finding"
name = "A finding"
start = "2015"
stance = "mixed"
sources = [{ doc = "doc", at = "p. 3" }]

[[edge]]
from = "fund"
relation = "evaluated-by"
to = "finding"
stance = "critical"
sources = [{ doc = "doc", at = "p. 3" }]

[[edge]]
from = "fund"
relation = "evaluated-by"
to = "finding"
stance = "supportive"
sources = [{ doc = "doc", at = "p. 4" }]

[[edge]]
from = "finding"
relation = "cites"
to = "doc"
sources = [{ doc = "doc", at = "p. 3" }]

[[edge]]
from = "finding"
relation = "reported-in"
to = "doc"
sources = [{ doc = "doc", at = "p. 5" }]
"#;
    let opened = finish(toml_text("duplicates.toml", text), false);
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    opened
}

#[test]
#[ignore = "needs python3 with networkx and igraph (pip install networkx igraph)"]
fn networkx_and_igraph_keep_every_edge_even_duplicates() {
    require_networkx();
    common::require(
        std::process::Command::new("python3")
            .args(["-c", "import igraph"])
            .output()
            .is_ok_and(|o| o.status.success()),
        "python3 with igraph (pip install igraph)",
    );
    for (name, opened) in [("duplicates", duplicates_graph()), ("shipped", shipped())] {
        let g = &opened.graph;
        let v = whole(g);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("g.json"), to_json(g, &v)).unwrap();
        std::fs::write(dir.path().join("g.graphml"), to_graphml(g, &v)).unwrap();
        let script = r#"
import json, sys
import networkx as nx
import igraph as ig
d = sys.argv[1]
data = json.load(open(d + "/g.json"))
j = nx.node_link_graph(data, edges="links")
x = nx.read_graphml(d + "/g.graphml")
i = ig.Graph.Read_GraphML(d + "/g.graphml")
def stances(edges):
    return sorted(f"{a}|{r}|{b}|{s}" for a, b, r, s in edges)
out = {
    "json": {"edges": j.number_of_edges(), "keys": sorted(k for _, _, k in j.edges(keys=True)),
             "stances": stances((a, b, e["relation"], e.get("stance", "")) for a, b, e in j.edges(data=True))},
    "graphml": {"edges": x.number_of_edges(), "title": x.graph.get("title"),
                "stances": stances((a, b, e["relation"], e.get("stance", "")) for a, b, e in x.edges(data=True))},
    "igraph": {"nodes": i.vcount(), "edges": i.ecount(), "directed": i.is_directed(),
               "stances": stances((i.vs[e.source]["id"], i.vs[e.target]["id"], e["relation"], e["stance"] or "") for e in i.es)},
}
print(json.dumps(out))
"#;
        let r = common::python_json(script, dir.path().to_str().unwrap());
        let mut want: Vec<String> = g
            .edges()
            .map(|e| {
                let (a, b) = g.endpoints(e);
                let edge = g.edge(e);
                format!(
                    "{}|{}|{}|{}",
                    g.node(a).id(),
                    edge.relation,
                    g.node(b).id(),
                    edge.stance.map(|s| s.to_string()).unwrap_or_default()
                )
            })
            .collect();
        want.sort();
        // The JSON key is the relation (README), so networkx's node_link_graph keeps one
        // of two duplicate edges (a `duplicate-edge` warning): said in the README.
        // GraphML's edge ids are unique, so networkx and igraph keep both from it.
        let readers: &[&str] = if name == "duplicates" {
            &["graphml", "igraph"]
        } else {
            &["json", "graphml", "igraph"]
        };
        if name == "duplicates" {
            assert_eq!(r["json"]["edges"], g.edge_count() - 1, "{name}: json edges");
        }
        for &reader in readers {
            assert_eq!(r[reader]["edges"], g.edge_count(), "{name}: {reader} edges");
            let got: Vec<String> = r[reader]["stances"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            assert_eq!(
                got, want,
                "{name}: {reader} keeps every edge and its stance"
            );
        }
        assert_eq!(r["igraph"]["nodes"], g.node_count(), "{name}: igraph nodes");
        assert_eq!(r["igraph"]["directed"], true);
        assert_eq!(r["graphml"]["title"], v.title.as_str(), "{name}: the title");
        if name == "duplicates" {
            assert_eq!(
                r["json"]["keys"],
                serde_json::json!(["cites", "evaluated-by", "reported-in"])
            );
        }
    }
}

// ---- Parquet: read back with the same crate, and with pyarrow ----

/// Without the `parquet` feature the format is listed, and asking for it is a usage
/// error that says how to rebuild, before anything is written.
#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_says_how_to_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g");
    let run = common::policygraph()
        .args(["export", "--format", "json,parquet", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("--features parquet"), "{stderr}");
    assert!(!dir.path().join("g.json").exists(), "nothing written");
    let help = common::run_ok(&["export", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("parquet"));
}

#[cfg(feature = "parquet")]
mod parquet_tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use arrow_array::{Array, RecordBatch};
    use arrow_schema::DataType;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use policygraph::attr_name::FreeAttrs;
    use policygraph::export::parquet::{EDGE_ID, column_name, status_column, to_parquet};
    use policygraph::model::{AttrValue, Attrs};
    use serde_json::{Map, Value as Json};

    /// A Parquet file read back with the `parquet` crate's Arrow reader: its column
    /// names in order, and each row as column name to JSON value (null for null).
    fn read(bytes: &[u8]) -> (Vec<String>, Vec<Map<String, Json>>) {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, bytes).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let names: Vec<String> = builder
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().to_string())
            .collect();
        let mut rows = Vec::new();
        for batch in builder.build().unwrap() {
            let batch: RecordBatch = batch.unwrap();
            let schema = batch.schema();
            for i in 0..batch.num_rows() {
                rows.push(
                    schema
                        .fields()
                        .iter()
                        .zip(batch.columns())
                        .map(|(f, c)| (f.name().to_string(), cell(c.as_ref(), i)))
                        .collect(),
                );
            }
        }
        (names, rows)
    }

    fn cell(a: &dyn Array, i: usize) -> Json {
        if a.is_null(i) {
            return Json::Null;
        }
        match a.data_type() {
            DataType::Utf8 => a.as_string::<i32>().value(i).into(),
            DataType::Int64 => a.as_primitive::<Int64Type>().value(i).into(),
            DataType::Float64 => a.as_primitive::<Float64Type>().value(i).into(),
            DataType::Boolean => a.as_boolean().value(i).into(),
            DataType::List(_) => {
                let items = a.as_list::<i32>().value(i);
                (0..items.len()).map(|k| cell(&items, k)).collect()
            }
            DataType::Struct(fields) => {
                let s = a.as_struct();
                fields
                    .iter()
                    .zip(s.columns())
                    .map(|(f, c)| (f.name().to_string(), cell(c.as_ref(), i)))
                    .collect::<Map<_, _>>()
                    .into()
            }
            other => panic!("a column of type {other}"),
        }
    }

    /// What a record's Parquet row must hold, from its JSON (the contract every other
    /// format is tested against): each field of `table` under its column, absent ones
    /// null and lists empty; each free attribute of `free` typed, or as text in a
    /// column of mixed types.
    fn expected_row(
        table: &[Field],
        json: &Json,
        attrs: &Attrs,
        free: &FreeAttrs,
        edge_id: Option<usize>,
    ) -> Map<String, Json> {
        let mut row = Map::new();
        if let Some(id) = edge_id {
            row.insert(EDGE_ID.into(), id.into());
        }
        for f in table {
            let value = json.get(f.name).cloned().unwrap_or(Json::Null);
            match f.ty {
                Type::Attrs => {
                    for (name, ty) in &free.list {
                        let v = match (attrs.get(name), *ty) {
                            (None, _) => Json::Null,
                            (Some(v), "string") => policygraph::export::xml::typed(v).1.into(),
                            (Some(v), _) => serde_json::to_value(v).unwrap(),
                        };
                        row.insert(policygraph::attr_name::column(name), v);
                    }
                }
                Type::End => {
                    row.insert(f.name.into(), value);
                    let status = json[format!("{}_status", f.name)].clone();
                    row.insert(status_column(f), status);
                }
                Type::List { .. } | Type::Sources if value.is_null() => {
                    row.insert(f.name.into(), Json::Array(Vec::new()));
                }
                _ => {
                    row.insert(column_name(f).into(), value);
                }
            }
        }
        row
    }

    /// Exports the whole graph as Parquet, reads both files back, and checks every
    /// row against the graph's JSON, the columns against the GraphFrames names, and
    /// the order of the rows against the view's.
    pub(super) fn assert_round_trip(opened: &Opened) {
        let g = &opened.graph;
        let v = whole(g);
        let files = to_parquet(g, &v).unwrap();

        let free = FreeAttrs::collect(v.nodes.iter().map(|&n| g.node(n).attrs()));
        let (columns, rows) = read(&files.nodes);
        assert_eq!(rows.len(), v.nodes.len(), "node rows");
        assert_eq!(&columns[..3], ["id", "kind", "name"]);
        for (&n, got) in v.nodes.iter().zip(&rows) {
            let json = serde_json::to_value(policygraph::json::JsonNode::new(g, n)).unwrap();
            let want = expected_row(&field::NODE, &json, g.node(n).attrs(), &free, None);
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                want.keys().collect::<Vec<_>>()
            );
            assert_eq!(got, &want, "node {}", g.node(n).id());
        }

        let free = FreeAttrs::collect(v.edges.iter().map(|&e| g.edge(e).attrs()));
        let (columns, rows) = read(&files.edges);
        assert_eq!(rows.len(), v.edges.len(), "edge rows");
        assert_eq!(&columns[..4], [EDGE_ID, "src", "relationship", "dst"]);
        for (&e, got) in v.edges.iter().zip(&rows) {
            let json = serde_json::to_value(policygraph::json::JsonEdge::new(g, e)).unwrap();
            let want = expected_row(
                &field::EDGE,
                &json,
                g.edge(e).attrs(),
                &free,
                Some(e.index()),
            );
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                want.keys().collect::<Vec<_>>()
            );
            assert_eq!(got, &want, "edge {}", e.index());
        }
        // Column names are unique (a free attribute cannot take a field's column).
        for bytes in [&files.nodes, &files.edges] {
            let (columns, _) = read(bytes);
            let unique: BTreeSet<&String> = columns.iter().collect();
            assert_eq!(unique.len(), columns.len(), "{columns:?}");
        }
    }

    #[test]
    fn the_shipped_data_round_trips_through_parquet() {
        assert_round_trip(&shipped());
    }

    #[test]
    fn every_field_of_the_rich_fixture_reaches_parquet() {
        let opened = rich();
        assert_round_trip(&opened);
        // Typed columns: the rich fixture has an attribute of each type.
        let g = &opened.graph;
        let files = to_parquet(g, &whole(g)).unwrap();
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &files.nodes).unwrap();
        let schema = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .schema()
            .clone();
        let types: BTreeSet<String> = schema
            .fields()
            .iter()
            .filter(|f| f.name().starts_with("attrs."))
            .map(|f| f.data_type().to_string())
            .collect();
        for t in ["Int64", "Float64", "Boolean", "Utf8"] {
            assert!(types.contains(t), "{t} in {types:?}");
        }
    }

    #[test]
    fn an_empty_view_has_its_columns_and_no_rows() {
        let opened = attrs_graph(&BTreeMap::new(), &BTreeMap::new());
        let g = &opened.graph;
        let empty = view(
            g,
            &ViewSpec::Years(1000, 1000),
            &Narrow {
                filter: Default::default(),
                from: Some(1000),
                to: Some(1000),
            },
        );
        let files = to_parquet(g, &empty).unwrap();
        let (columns, rows) = read(&files.edges);
        assert!(rows.is_empty());
        assert_eq!(&columns[..4], [EDGE_ID, "src", "relationship", "dst"]);
    }

    /// A free attribute value of any type; floats finite (JSON has no NaN).
    fn typed_value() -> impl Strategy<Value = AttrValue> {
        prop_oneof![
            attr_value().prop_map(AttrValue::String),
            any::<i64>().prop_map(AttrValue::Integer),
            prop::num::f64::NORMAL.prop_map(AttrValue::Float),
            Just(AttrValue::Float(0.0)),
            any::<bool>().prop_map(AttrValue::Bool),
        ]
    }

    fn toml_value(v: &AttrValue) -> String {
        match v {
            AttrValue::String(s) => serde_json::to_string(s).unwrap(),
            AttrValue::Integer(i) => i.to_string(),
            AttrValue::Float(f) => format!("{f:?}"),
            AttrValue::Bool(b) => b.to_string(),
        }
    }

    fn typed_table(attrs: &BTreeMap<String, AttrValue>) -> String {
        let items: Vec<String> = attrs
            .iter()
            .map(|(k, v)| format!("{} = {}", serde_json::to_string(k).unwrap(), toml_value(v)))
            .collect();
        format!("{{ {} }}", items.join(", "))
    }

    /// Three nodes and two edges with these typed free attributes: names drawn from one
    /// pool, so one name often has values of several types across records.
    fn typed_graph(
        nodes: &[BTreeMap<String, AttrValue>; 3],
        edges: &[BTreeMap<String, AttrValue>; 2],
    ) -> Opened {
        let text = typed_collection(nodes, edges);
        let opened = finish(toml_text("attrs.toml", &text), false);
        assert_eq!(opened.errors(), 0, "{:?}\n{text}", opened.problems);
        opened
    }

    /// The TOML of [`typed_graph`].
    fn typed_collection(
        nodes: &[BTreeMap<String, AttrValue>; 3],
        edges: &[BTreeMap<String, AttrValue>; 2],
    ) -> String {
        format!(
            r#"
[[node]]
id = "doc"
kind = "document"
name = "Doc"
sources = [{{ doc = "doc", at = "p. 1" }}]
attrs = {}

[[node]]
id = "body"
kind = "body"
name = "Body"
sources = [{{ doc = "doc", at = "p. 2" }}]
attrs = {}

[[node]]
id = "other"
kind = "body"
name = "Other"
sources = [{{ doc = "doc", at = "p. 3" }}]
attrs = {}

[[edge]]
from = "doc"
relation = "published-by"
to = "body"
sources = [{{ doc = "doc", at = "p. 4" }}]
attrs = {}

[[edge]]
from = "doc"
relation = "published-by"
to = "body"
attrs = {}
"#,
            typed_table(&nodes[0]),
            typed_table(&nodes[1]),
            typed_table(&nodes[2]),
            typed_table(&edges[0]),
            typed_table(&edges[1]),
        )
    }

    fn typed_attrs(max: usize) -> impl Strategy<Value = BTreeMap<String, AttrValue>> {
        prop::collection::btree_map(attr_name(), typed_value(), 0..max)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Hostile attribute names with values of every type, mixed across records,
        /// survive Parquet: read back, every row equals the graph's JSON (typed where a
        /// name's values share a type, text where they differ).
        #[test]
        fn hostile_typed_attributes_round_trip_through_parquet(
            nodes in [typed_attrs(6), typed_attrs(6), typed_attrs(6)],
            edges in [typed_attrs(4), typed_attrs(4)],
        ) {
            assert_round_trip(&typed_graph(&nodes, &edges));
        }
    }

    /// The hostile fixture of the pyarrow test, as TOML: free attributes named like the
    /// columns (`id`, `src`, `edge_id`, `end_status`), empty, padded, prefixed, in
    /// another script, differing only in case (one column in Spark unless
    /// `spark.sql.caseSensitive` is on), holding formula and quote characters, extreme
    /// numbers, and one name (`mixed`) with values of three types.
    pub(super) fn hostile_typed() -> String {
        let node = |pairs: &[(&str, AttrValue)]| -> BTreeMap<String, AttrValue> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect()
        };
        use AttrValue::{Bool, Float, Integer, String as S};
        let nodes = [
            node(&[
                ("id", S("not the id".into())),
                ("", Integer(-7)),
                (" id", Float(2.5)),
                ("attrs.x", Bool(true)),
                ("x", S("=HYPERLINK(\"x\")".into())),
                ("src", S("a'b\"c,d\ne".into())),
                ("end_status", Integer(i64::MIN)),
                ("edge_id", Float(1e300)),
                ("mixed", Integer(3)),
                ("漢字 名", S("値".into())),
                ("Case", Integer(1)),
            ]),
            node(&[
                ("mixed", Float(0.1)),
                ("case", Bool(false)),
                ("kind", S("x".into())),
            ]),
            node(&[("mixed", Bool(true)), ("id", S("second".into()))]),
        ];
        let edges = [
            node(&[
                ("relationship", S("r".into())),
                ("dst", Integer(i64::MAX)),
                ("key", Bool(false)),
            ]),
            node(&[("edge_id", S("e".into())), ("key", S("k".into()))]),
        ];
        assert_round_trip(&typed_graph(&nodes, &edges));
        typed_collection(&nodes, &edges)
    }
}

/// Whether `python3` can import pyarrow.
#[cfg(feature = "parquet")]
fn pyarrow_available() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import pyarrow.parquet"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// pyarrow reads the two files of `export --format json,parquet` on the collection at
/// `data` and compares them with the JSON written beside them: the counts, every column
/// of every row (free attributes typed, or text where a name's values differ in type,
/// which must parse back to the JSON value), and that every JSON field has its column.
/// Returns the counts pyarrow saw.
#[cfg(feature = "parquet")]
fn pyarrow_compare(data: &Path) -> (u64, u64) {
    common::require(
        pyarrow_available(),
        "python3 with pyarrow (pip install pyarrow==26.0.1)",
    );
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("g");
    let run = common::policygraph()
        .arg("--data")
        .arg(data)
        .args(["export", "--format", "json,parquet", "-o"])
        .arg(&stem)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let script = r#"
import json, sys
import pyarrow.parquet as pq
d = sys.argv[1]
g = json.load(open(d + "/g.json"))
nodes = pq.read_table(d + "/g-parquet/nodes.parquet")
edges = pq.read_table(d + "/g-parquet/edges.parquet")
problems = []
def same(got, want, where):
    if got != want or type(got) is not type(want):
        problems.append(f"{where}: parquet {got!r}, json {want!r}")
def compare(row, record, names, where):
    for col, got in row.items():
        if col.startswith("attrs."):
            want = record.get("attrs", {}).get(col[len("attrs."):])
            if isinstance(got, str) and want is not None and not isinstance(want, str):
                # a column of mixed types holds each value's text
                if json.loads(got) != want:
                    problems.append(f"{where} {col}: text {got!r}, json {want!r}")
            else:
                same(got, want, f"{where} {col}")
        elif col in names:
            want = record.get(names[col])
            if want is None and col in ("aliases", "sources"):
                want = []
            same(got, want, f"{where} {col}")
    for k, v in record.items():
        if k == "attrs":
            for a in v:
                if "attrs." + a not in row:
                    problems.append(f"{where}: no column for attribute {a!r}")
        elif k in names.values():
            pass
        elif k not in ("source", "target", "key", "id"):
            # a link's `key` (its relation) and `id` (FROM:RELATION:TO) are node-link
            # JSON's own; Parquet has `relationship` and `edge_id`
            problems.append(f"{where}: no column for field {k!r}")
node_names = {c: c for c in nodes.column_names if not c.startswith("attrs.")}
edge_names = {c: c for c in edges.column_names if not c.startswith("attrs.")}
edge_names.update({"src": "from", "dst": "to", "relationship": "relation"})
edge_names.pop("edge_id")
by_id = {n["id"]: n for n in g["nodes"]}
rows = nodes.to_pylist()
if len(rows) != len(g["nodes"]):
    problems.append(f"{len(rows)} node rows, {len(g['nodes'])} JSON nodes")
for row in rows:
    compare(row, by_id.get(row["id"], {}), node_names, f"node {row['id']}")
rows = edges.to_pylist()
if len(rows) != len(g["links"]):
    problems.append(f"{len(rows)} edge rows, {len(g['links'])} JSON links")
for i, (row, link) in enumerate(zip(rows, g["links"])):
    compare(row, link, edge_names, f"edge {i}")
ids = [r["edge_id"] for r in rows]
if len(set(ids)) != len(ids):
    problems.append("edge ids repeat")
print(json.dumps({"nodes": nodes.num_rows, "edges": edges.num_rows,
                  "columns": nodes.column_names[:1] + edges.column_names[:4],
                  "problems": problems[:50]}))
"#;
    let r = common::python_json(script, dir.path().to_str().unwrap());
    assert_eq!(r["problems"], serde_json::json!([]), "{r}");
    assert_eq!(
        r["columns"],
        serde_json::json!(["id", "edge_id", "src", "relationship", "dst"]),
        "the columns GraphFrames reads"
    );
    (r["nodes"].as_u64().unwrap(), r["edges"].as_u64().unwrap())
}

#[cfg(feature = "parquet")]
#[test]
#[ignore = "needs python3 with pyarrow (pip install pyarrow==26.0.1)"]
fn pyarrow_reads_the_parquet_of_the_shipped_data_as_json_has_it() {
    let opened = shipped();
    let (nodes, edges) = pyarrow_compare(&Path::new(ROOT).join("data"));
    assert_eq!(nodes, opened.graph.node_count() as u64);
    assert_eq!(edges, opened.graph.edge_count() as u64);
}

#[cfg(feature = "parquet")]
#[test]
#[ignore = "needs python3 with pyarrow (pip install pyarrow==26.0.1)"]
fn pyarrow_reads_the_parquet_of_hostile_typed_attributes_as_json_has_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("collection.toml"),
        parquet_tests::hostile_typed(),
    )
    .unwrap();
    assert_eq!(pyarrow_compare(dir.path()), (3, 2));
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_needs_a_directory() {
    let run = common::policygraph()
        .args(["export", "--format", "parquet"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("needs -o DIR"));
}

/// `export --format csl-json` writes what hayagriva (through citationberg) reads back
/// and renders, for every document of the shipped collection; and BibTeX that the
/// biblatex crate parses, one entry per document.
#[test]
fn csl_json_and_bibtex_read_back() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policygraph"))
        .args(["export", "--format", "csl-json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let items: Vec<hayagriva::citationberg::json::Item> =
        serde_json::from_slice(&out.stdout).expect("CSL-JSON items");
    assert!(items.len() > 50, "{}", items.len());
    let style = match hayagriva::archive::ArchivedStyle::HarvardCiteThemRight.get() {
        hayagriva::citationberg::Style::Independent(s) => s,
        _ => unreachable!(),
    };
    let locales = hayagriva::archive::locales();
    let mut driver = hayagriva::BibliographyDriver::new();
    for item in &items {
        driver.citation(hayagriva::CitationRequest::from_items(
            vec![hayagriva::CitationItem::with_entry(item)],
            &style,
            &locales,
        ));
    }
    let rendered = driver.finish(hayagriva::BibliographyRequest::new(&style, None, &locales));
    let list = rendered.bibliography.expect("a list").items;
    assert_eq!(list.len(), items.len());
    let text: Vec<String> = list.iter().map(|i| format!("{:#}", i.content)).collect();
    assert!(
        text.iter().any(|t| t.starts_with("Leutz, W. (2005)")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.starts_with("National Voices (2013)")),
        "{text:?}"
    );

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policygraph"))
        .args(["export", "--format", "bibtex"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let bib = biblatex::Bibliography::parse(&String::from_utf8(out.stdout).unwrap())
        .expect("BibTeX parses");
    assert_eq!(bib.len(), items.len());
    let voices = bib.iter().find(|e| {
        e.author()
            .is_ok_and(|a| a.first().is_some_and(|p| p.name == "National Voices"))
    });
    assert!(voices.is_some(), "an organisation stays whole in BibTeX");
}
