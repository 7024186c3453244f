//! What the fuzz targets share: the whole pipeline after a load (build the graph, run
//! every check, draw every problem, and on clean data write every export), asserting
//! only that nothing panics and that every problem points inside its file.

use policygraph::diag::{RenderOptions, render};
use policygraph::export::dot::{DotOptions, to_dot};
use policygraph::open::Opened;
use policygraph::view::{Narrow, ViewSpec, view};

/// Draws every problem and checks its location lies inside its file.
#[allow(dead_code)] // export_all draws its own, checking each for control characters
pub fn draw_problems(opened: &Opened) {
    let options = RenderOptions {
        color: false,
        width: 80,
    };
    for p in &opened.problems {
        if let Some(loc) = p.loc {
            let range = opened.sources.range(loc);
            assert!(range.start <= range.end);
            assert!(range.end <= opened.sources.file(loc.file).text().len());
        }
        let mut out = String::new();
        render(p, &opened.sources, options, &mut out);
    }
}

/// Every export of every standard view; none may panic.
#[allow(dead_code)] // not used by export_dot
pub fn export_everything(opened: &Opened) {
    let g = &opened.graph;
    let all = Narrow::default();
    let mut specs = vec![
        ViewSpec::Whole,
        ViewSpec::Lineage(None),
        ViewSpec::Critiques(None),
        ViewSpec::Citations,
        ViewSpec::Years(1990, 2030),
    ];
    if let Some(first) = g.nodes().next() {
        specs.push(ViewSpec::Lineage(Some(first)));
        specs.push(ViewSpec::Ego(first, 2));
    }
    for spec in &specs {
        let v = view(g, spec, &all);
        let dot = to_dot(g, &v, &DotOptions::default());
        graphviz_rust::parse(&dot)
            .unwrap_or_else(|e| panic!("{spec:?}: DOT does not parse: {e}\n{dot}"));
        let _ = policygraph::export::json::to_json(g, &v);
        let _ = policygraph::export::mermaid::to_mermaid(g, &v);
        let _ = policygraph::export::graphml::to_graphml(g, &v);
        let _ = policygraph::export::gexf::to_gexf(g, &v);
        for dialect in [
            policygraph::export::cypher::Dialect::Neo4j,
            policygraph::export::cypher::Dialect::Falkordb,
        ] {
            let _ = policygraph::export::cypher::to_cypher(g, &v, dialect);
        }
        let _ = policygraph::export::csv::to_csv(g, &v);
        let _ = policygraph::export::neo4j::to_neo4j_csv(g, &v);
    }
}

/// The graph as comparable JSON, each list sorted.
#[allow(dead_code)] // used by load_csv only
pub fn snapshot(opened: &Opened) -> serde_json::Value {
    let g = &opened.graph;
    let sorted = |v: serde_json::Value| {
        let mut items = v.as_array().cloned().unwrap_or_default();
        items.sort_by_key(|i| i.to_string());
        serde_json::Value::Array(items)
    };
    serde_json::json!({
        "nodes": sorted(serde_json::to_value(policygraph::json::nodes(g, g.nodes())).expect("json")),
        "edges": sorted(serde_json::to_value(policygraph::json::edges(g, g.edges())).expect("json")),
    })
}

/// `s` as a TOML basic string: backslash, quote and every control character escaped.
#[allow(dead_code)] // used by the structured targets
/// A node kind chosen by a byte, from the model's own list (a new kind is fuzzed too).
#[allow(dead_code)]
pub fn kind(i: u8) -> &'static str {
    let all = policygraph::model::NodeKind::ALL;
    all[usize::from(i) % all.len()].as_str()
}

/// A relation chosen by a byte, from the model's own list.
#[allow(dead_code)]
pub fn relation(i: u8) -> &'static str {
    let all = policygraph::model::Relation::ALL;
    all[usize::from(i) % all.len()].as_str()
}

#[allow(dead_code)] // used by the export targets
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
