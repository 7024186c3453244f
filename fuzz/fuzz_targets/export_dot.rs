//! The DOT exporter on a small graph of arbitrary names, summaries, locators, notes and
//! dates: the text must parse back with graphviz-rust's parser to exactly the nodes
//! and edges of the view, whatever the names hold (quotes, backslashes, `"]; x [`,
//! HTML, control characters).

#![no_main]

use arbitrary::Arbitrary;
use graphviz_rust::dot_structures::{EdgeTy, Graph, Id, Stmt, Vertex};
use libfuzzer_sys::fuzz_target;
use policygraph::export::dot::{DotOptions, to_dot};
use policygraph::load::toml_text;
use policygraph::open::finish;
use policygraph::view::{Narrow, ViewSpec, view};
use std::collections::BTreeSet;

#[path = "common.rs"]
mod common;

#[derive(Debug, Arbitrary)]
struct Node {
    kind: u8,
    name: String,
    summary: Option<String>,
    at: String,
    start: Option<(u16, u8)>,
}

#[derive(Debug, Arbitrary)]
struct Edge {
    from: u8,
    relation: u8,
    to: u8,
    note: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    cluster_eras: bool,
    edge_ids: bool,
    era: Option<String>,
}



fn text(input: &Input) -> String {
    let mut t = String::from(
        "[[node]]\nid = \"doc\"\nkind = \"document\"\nname = \"Doc\"\nsources = [{ doc = \"doc\", at = \"p\" }]\n",
    );
    let n = input.nodes.len().min(12);
    for (i, node) in input.nodes.iter().take(n).enumerate() {
        t += &format!(
            "[[node]]\nid = \"n{i}\"\nkind = \"{}\"\nname = {}\nsources = [{{ doc = \"doc\", at = {} }}]\n",
            common::kind(node.kind),
            common::toml_string(&node.name),
            common::toml_string(&node.at),
        );
        if let Some(s) = &node.summary {
            t += &format!("summary = {}\n", common::toml_string(s));
        }
        if let Some((y, m)) = node.start {
            t += &format!("start = \"{:04}-{:02}\"\n", 1900 + y % 200, 1 + m % 12);
        }
        if node.kind >= 128 {
            t += "stance = \"critical\"\n";
        }
    }
    if n > 0 {
        for e in input.edges.iter().take(24) {
            t += &format!(
                "[[edge]]\nfrom = \"n{}\"\nrelation = \"{}\"\nto = \"n{}\"\nsources = [{{ doc = \"doc\", at = \"p\" }}]\n",
                usize::from(e.from) % n,
                common::relation(e.relation),
                usize::from(e.to) % n,
            );
            if let Some(note) = &e.note {
                t += &format!("note = {}\n", common::toml_string(note));
            }
        }
    }
    if let Some(era) = &input.era {
        t += &format!(
            "[[era]]\nname = {}\nstart = \"1990\"\nend = \"2010\"\n",
            common::toml_string(era)
        );
    }
    t
}

fn plain(id: &Id) -> String {
    match id {
        Id::Html(s) | Id::Escaped(s) | Id::Plain(s) | Id::Anonymous(s) => s.clone(),
    }
}

/// (node ids, edge count) of a parsed graph, counting nodes named only in edges too.
fn counts(graph: &Graph) -> (BTreeSet<String>, usize) {
    fn walk(stmts: &[Stmt], nodes: &mut BTreeSet<String>, edges: &mut usize) {
        for s in stmts {
            match s {
                Stmt::Node(n) => {
                    nodes.insert(plain(&n.id.0));
                }
                Stmt::Edge(e) => match &e.ty {
                    EdgeTy::Pair(a, b) => {
                        for v in [a, b] {
                            if let Vertex::N(id) = v {
                                nodes.insert(plain(&id.0));
                            }
                        }
                        *edges += 1;
                    }
                    EdgeTy::Chain(vs) => {
                        for v in vs {
                            if let Vertex::N(id) = v {
                                nodes.insert(plain(&id.0));
                            }
                        }
                        *edges += vs.len().saturating_sub(1);
                    }
                },
                Stmt::Subgraph(sg) => walk(&sg.stmts, nodes, edges),
                _ => {}
            }
        }
    }
    let (mut nodes, mut edges) = (BTreeSet::new(), 0);
    let (Graph::DiGraph { stmts, .. } | Graph::Graph { stmts, .. }) = graph;
    walk(stmts, &mut nodes, &mut edges);
    (nodes, edges)
}

fuzz_target!(|input: Input| {
    let opened = finish(toml_text("fuzz.toml", &text(&input)), false);
    // The exporter draws whatever was built, errors or not.
    let g = &opened.graph;
    let options = DotOptions {
        no_legend: true,
        cluster_eras: input.cluster_eras,
        edge_ids: input.edge_ids,
    };
    let v = view(g, &ViewSpec::Whole, &Narrow::default());
    let dot = to_dot(g, &v, &options);
    let parsed =
        graphviz_rust::parse(&dot).unwrap_or_else(|e| panic!("does not parse: {e}\n{dot}"));
    let (nodes, edges) = counts(&parsed);
    let expected: BTreeSet<String> = v
        .nodes
        .iter()
        .map(|&n| format!("\"{}\"", g.node(n).id))
        .collect();
    let drawn: BTreeSet<String> = nodes
        .into_iter()
        .filter(|n| !n.contains("band-") && !n.contains("era-"))
        .collect();
    assert_eq!(drawn, expected, "nodes\n{dot}");
    assert_eq!(edges, v.edges.len(), "edges\n{dot}");
    for spec in [
        ViewSpec::Lineage(None),
        ViewSpec::Critiques(None),
        ViewSpec::Citations,
        ViewSpec::Years(1950, 2000),
    ] {
        let v = view(g, &spec, &Narrow::default());
        let dot = to_dot(g, &v, &DotOptions::default());
        graphviz_rust::parse(&dot)
            .unwrap_or_else(|e| panic!("{spec:?} does not parse: {e}\n{dot}"));
    }
});
