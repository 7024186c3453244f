//! Diagrams: `build` reproduces the committed `output/` byte for byte, twice over, with
//! no Graphviz installed; every DOT file it writes is accepted by the real `dot` with no
//! warning and parses back with graphviz-rust; hostile labels cannot add or remove
//! nodes; the lineage diagram carries its labels, years and legend.
//!
//! Tests that need the system `dot` are ignored by a plain `cargo test`; with
//! `--include-ignored` (as CI runs them, with Graphviz installed) they fail when it is
//! missing.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;
#[path = "common/outputs.rs"]
mod outputs;

use common::policygraph;
use graphviz_rust::dot_structures::{EdgeTy, Graph, Id, Stmt, Vertex};
use policygraph::export::dot::{DotOptions, to_dot};
use policygraph::load::toml_text;
use policygraph::open::finish;
use policygraph::view::{Narrow, ViewSpec, view};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every file under `dir` (the seminar deck is in a folder), by relative path.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().unwrap().to_str().unwrap().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let name = p.strip_prefix(root).unwrap().to_str().unwrap().to_string();
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// Fails, saying so, when the system `dot` is missing (for the ignored tests that need it).
fn require_dot() {
    common::require(
        policygraph::render::dot_available(),
        "the system Graphviz `dot` (apt-get install graphviz)",
    );
}

#[test]
fn a_fresh_build_reproduces_the_committed_output() {
    // Built with an empty PATH: no `dot` can be found, so every SVG comes from the
    // embedded engine.
    let dir = common::built();
    let built = files(dir);
    let committed: Vec<(String, Vec<u8>)> = files(&Path::new(ROOT).join("output"))
        .into_iter()
        .filter(|(name, _)| name != ".gitkeep")
        .collect();
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&built), names(&committed), "the same files");
    for ((name, a), (_, b)) in built.iter().zip(&committed) {
        assert!(
            a == b,
            "{name} differs from the committed output/: run `cargo run --release -- build` and commit"
        );
    }
    // The manifests (hidden, so not in `files`) too: a build of a fresh clone removes
    // what the committed manifest lists and the build no longer writes.
    for manifest in [".policygraph.manifest", "seminar/.policygraph.manifest"] {
        assert_eq!(
            std::fs::read_to_string(dir.join(manifest)).unwrap(),
            std::fs::read_to_string(Path::new(ROOT).join("output").join(manifest))
                .unwrap_or_default(),
            "{manifest} differs from the committed output/: run `cargo run --release -- build` and commit"
        );
    }
    for standard in [
        "graph.svg",
        "lineage.svg",
        "critiques.svg",
        "citations.svg",
        "graph.json",
        "lineage.dot",
        "layering.svg",
        "layering.csv",
        "explorer.html",
        "seminar/index.html",
        "seminar/handout.md",
        "seminar/handout.html",
        "seminar/layering.svg",
        "seminar/step-01.svg",
        "seminar/story.svg",
        "seminar/deck.pdf",
    ] {
        assert!(
            names(&built).contains(&standard.to_string()),
            "{standard} is built"
        );
    }
}

/// A second build into a fresh directory gives the same bytes as the shared one, and
/// building again over it changes nothing.
#[test]
fn two_builds_are_byte_identical_and_a_rebuild_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let build = ["build", "--out", dir.path().to_str().unwrap()];
    common::run_ok(&build);
    assert_eq!(files(common::built()), files(dir.path()));
    let out = common::run_ok(&build);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("(0 changed)"), "{stdout}");
}

fn dot_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dot"))
        .collect();
    v.sort();
    v
}

#[test]
#[ignore = "needs the system Graphviz `dot` (apt-get install graphviz)"]
fn every_built_dot_file_is_accepted_by_graphviz_without_warnings() {
    require_dot();
    for file in dot_files(common::built()) {
        let out = std::process::Command::new("dot")
            .arg("-Tsvg")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{} warns: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The text of a parsed DOT id: quotes removed, `\"`, `\\` and `\n` read, and `&amp;`
/// (which Graphviz decodes when it draws) as `&`.
fn id_text(id: &Id) -> String {
    let (Id::Html(s) | Id::Escaped(s) | Id::Plain(s) | Id::Anonymous(s)) = id;
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(c @ ('"' | '\\')) => out.push(c),
                Some(c) => {
                    out.push('\\');
                    out.push(c);
                }
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out.replace("&amp;", "&")
}

/// The data of a parsed DOT graph: each node statement with attributes (id → attribute
/// → value) and each edge (from, to), leaving out the legend's and the time axis's.
#[allow(clippy::type_complexity)]
fn drawn(
    graph: &Graph,
) -> (
    BTreeMap<String, BTreeMap<String, String>>,
    Vec<(String, String)>,
) {
    fn data(id: &str) -> bool {
        !id.starts_with("legend-") && !id.starts_with("band-")
    }
    fn walk(
        stmts: &[Stmt],
        nodes: &mut BTreeMap<String, BTreeMap<String, String>>,
        edges: &mut Vec<(String, String)>,
    ) {
        for s in stmts {
            match s {
                Stmt::Node(n) if !n.attributes.is_empty() && data(&id_text(&n.id.0)) => {
                    let attrs = n.attributes.iter().map(|a| (id_text(&a.0), id_text(&a.1)));
                    let fresh = nodes.insert(id_text(&n.id.0), attrs.collect()).is_none();
                    assert!(fresh, "one statement per node");
                }
                Stmt::Edge(e) => {
                    if let EdgeTy::Pair(Vertex::N(a), Vertex::N(b)) = &e.ty
                        && data(&id_text(&a.0))
                    {
                        edges.push((id_text(&a.0), id_text(&b.0)));
                    }
                }
                Stmt::Subgraph(sg) => walk(&sg.stmts, nodes, edges),
                _ => {}
            }
        }
    }
    let (mut nodes, mut edges) = (BTreeMap::new(), Vec::new());
    let (Graph::DiGraph { stmts, .. } | Graph::Graph { stmts, .. }) = graph;
    walk(stmts, &mut nodes, &mut edges);
    edges.sort();
    (nodes, edges)
}

/// Text as DOT carries it: control characters other than line breaks are dropped.
fn as_drawn(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || !c.is_control())
        .collect()
}

/// Words, whatever breaks the lines.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Options as bits: era clusters, no legend, edge ids.
fn options(bits: u8) -> DotOptions {
    DotOptions {
        cluster_eras: bits & 1 != 0,
        no_legend: bits & 2 != 0,
        edge_ids: bits & 4 != 0,
    }
}

/// Each option on and off: every one of them, and none.
const ALL_AND_NONE: [u8; 2] = [0b101, 0b010];

/// The view's DOT with each of the options (as bits) parses back with graphviz-rust to
/// exactly the view's nodes and edges, each node's label holding its name and its
/// tooltip its name and summary.
fn parses_back(
    g: &policygraph::graph::PolicyGraph,
    v: &policygraph::view::View,
    bits: &[u8],
) -> Result<(), String> {
    let mut want_edges: Vec<(String, String)> = v
        .edges
        .iter()
        .map(|&e| {
            let (a, b) = g.endpoints(e);
            (g.node(a).id().to_string(), g.node(b).id().to_string())
        })
        .collect();
    want_edges.sort();
    for &bits in bits {
        let options = options(bits);
        let dot = to_dot(g, v, &options);
        let parsed = graphviz_rust::parse(&dot).map_err(|e| format!("{options:?}: {e}\n{dot}"))?;
        let (nodes, edges) = drawn(&parsed);
        let ids: BTreeSet<&str> = nodes.keys().map(String::as_str).collect();
        let want: BTreeSet<&str> = v.nodes.iter().map(|&n| g.node(n).id()).collect();
        if ids != want || edges != want_edges {
            return Err(format!("{options:?}: nodes or edges differ\n{dot}"));
        }
        for &n in &v.nodes {
            let node = g.node(n);
            let attrs = &nodes[node.id()];
            let tooltip = match node.summary() {
                Some(s) => format!("{}\n{s}", node.name()),
                None => node.name().to_string(),
            };
            if !words(&attrs["label"]).contains(&words(&as_drawn(node.name())))
                || !attrs["tooltip"].starts_with(&as_drawn(&tooltip))
            {
                return Err(format!(
                    "{options:?}: {:?} is drawn as {attrs:?}",
                    node.id()
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn every_view_parses_back_with_graphviz_rust() {
    let opened = policygraph::open::open(&Path::new(ROOT).join("data"), false).unwrap();
    let g = &opened.graph;
    let focus = g.get("clinical-commissioning-groups").unwrap();
    let specs = [
        ViewSpec::Whole,
        ViewSpec::Lineage(None),
        ViewSpec::Lineage(Some(focus)),
        ViewSpec::Critiques(None),
        ViewSpec::Critiques(g.get("better-care-fund")),
        ViewSpec::Citations,
        ViewSpec::Ego(focus, 2),
        ViewSpec::Years(2013, 2013),
        ViewSpec::Story(None),
    ];
    for (i, spec) in specs.into_iter().enumerate() {
        let v = view(g, &spec, &Narrow::default());
        // Every combination on the whole graph, each option on and off on the others.
        let bits: Vec<u8> = if i == 0 {
            (0..8).collect()
        } else {
            ALL_AND_NONE.to_vec()
        };
        parses_back(g, &v, &bits).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
    }
}

#[test]
fn the_lineage_chart_is_on_a_time_axis_with_arrows_forward_and_honest_ends() {
    let svg = std::fs::read_to_string(Path::new(ROOT).join("output/lineage.svg")).unwrap();
    let opened = policygraph::open::open(&Path::new(ROOT).join("data"), false).unwrap();
    let g = &opened.graph;
    let v = view(g, &ViewSpec::Lineage(None), &Narrow::default());
    let group = |id: &str| -> &str {
        let at = svg
            .find(&format!("<g id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id} is drawn"));
        &svg[at..at + svg[at..].find("</g>").unwrap()]
    };
    // An initiative, body or law with no start has no place on the axis: it is named
    // in the sentence under the legend instead, never dropped silently.
    let undated: String = svg
        .find("<g class=\"undated\"")
        .map(|at| &svg[at..at + svg[at..].find("</g>").unwrap()])
        .unwrap_or_default()
        .split("</text>")
        .filter_map(|t| t.rsplit_once('>').map(|(_, text)| text))
        .collect::<Vec<_>>()
        .join(" ");
    for &n in &v.nodes {
        let node = g.node(n);
        if node.start.is_none()
            && !matches!(
                node.kind,
                policygraph::model::NodeKind::Document | policygraph::model::NodeKind::Finding
            )
        {
            let name = policygraph::timechart::esc(node.name());
            assert!(
                undated.contains(name.as_str()),
                "{} is named as undated in: {undated}",
                node.id()
            );
            continue;
        }
        let drawn = group(&format!("node-{}", node.id()));
        assert!(drawn.contains("<text"), "{} is labelled", node.id());
        if let Some(s) = node.start {
            assert!(
                drawn.contains(&s.year_part().to_string()),
                "{}: its dates in the tooltip",
                node.id()
            );
        }
        if node.kind.has_lifespan() {
            match node.end {
                policygraph::model::End::Unknown => {
                    assert!(
                        drawn.contains(">?</text>"),
                        "{}: end not recorded",
                        node.id()
                    )
                }
                policygraph::model::End::Ongoing => {
                    assert!(!drawn.contains(">?</text>"), "{}", node.id())
                }
                policygraph::model::End::On(_) => {
                    assert!(!drawn.contains(">?</text>"), "{}", node.id())
                }
            }
        }
    }
    // Every succession is drawn forward in time: the path ends at or right of its start.
    for &e in &v.edges {
        let (a, b) = g.endpoints(e);
        if g.edge(e).relation != policygraph::model::Relation::Replaced
            || g.node(a).start.is_none()
            || g.node(b).start.is_none()
        {
            continue; // an undated end is named under the legend, not drawn
        }
        let drawn = group(&format!("edge-{}", e.index()));
        let d = drawn
            .split("<path d=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap();
        let numbers: Vec<f32> = d
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        let (x0, x1) = (numbers[0], numbers[numbers.len() - 2]);
        assert!(x1 + 0.5 >= x0, "edge-{} runs backwards: {d}", e.index());
    }
    assert!(svg.contains("class=\"legend\""), "the legend is drawn");
    for era in [
        "New Labour",
        "Coalition",
        "Conservative",
        "COVID-19 and after",
    ] {
        assert!(
            svg.contains(&format!(">{era}</text>")),
            "the era band {era}"
        );
    }
    for year in ["1970", "1990", "2010", "2020"] {
        assert!(
            svg.contains(&format!(">{year}</text>")),
            "the year {year} is ticked"
        );
    }
    assert!(
        !svg.contains("2012 / 2012") && !svg.contains("Act 2012\n2012"),
        "Acts do not repeat their year"
    );
}

#[test]
fn render_without_graphviz_explains_itself() {
    let out = policygraph()
        .args([
            "render",
            "lineage",
            "-t",
            "png",
            "--engine",
            "graphviz",
            "-o",
            "/nonexistent/x.png",
        ])
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("Graphviz `dot` is not installed"),
        "{stderr}"
    );
    // Without --engine graphviz, PNG and PDF need nothing installed.
    let out = policygraph()
        .args(["render", "lineage", "-t", "pdf"])
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"%PDF-"));
}

#[test]
#[ignore = "needs the system Graphviz `dot` (apt-get install graphviz)"]
fn render_with_graphviz_draws_png_and_pdf() {
    require_dot();
    let dir = tempfile::tempdir().unwrap();
    for (ext, magic) in [
        ("png", &b"\x89PNG"[..]),
        ("pdf", &b"%PDF"[..]),
        ("svg", &b"<?xml"[..]),
    ] {
        let path = dir.path().join(format!("lineage.{ext}"));
        let out = policygraph()
            .args([
                "render",
                "lineage",
                "--focus",
                "ccgs",
                "--engine",
                "graphviz",
                "-o",
                path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(std::fs::read(&path).unwrap().starts_with(magic), "{ext}");
    }
}

#[test]
fn export_writes_several_formats_and_mermaid() {
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("lineage");
    let out = policygraph()
        .args([
            "export",
            "lineage",
            "--focus",
            "ccgs",
            "--format",
            "dot,json,mermaid",
            "-o",
            stem.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for ext in ["dot", "json", "mmd"] {
        assert!(dir.path().join(format!("lineage.{ext}")).exists(), "{ext}");
    }
    let out = policygraph()
        .args([
            "--data",
            "tests/data/policy",
            "export",
            "lineage",
            "--format",
            "mermaid",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("mermaid_lineage", String::from_utf8(out.stdout).unwrap());
    let out = policygraph()
        .args([
            "--data",
            "tests/data/policy",
            "export",
            "critiques",
            "--focus",
            "bcf",
            "--format",
            "dot",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("dot_critiques_bcf", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn export_usage_errors_exit_2() {
    for args in [
        vec!["export", "ego"],
        vec!["export", "era", "--era", "Victorian"],
        vec!["export", "--format", "dot,json"],
        vec!["show", "ccgs", "--format", "dot"],
    ] {
        let out = policygraph().args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Names that try to break out of a DOT string, an HTML label or an SVG attribute.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("\"]; x [label=\"".to_string()),
        Just("<>&{}".to_string()),
        Just("</text><script>alert(1)</script>".to_string()),
        Just("\\N\\G\\l".to_string()),
        Just("é 漢字 🙂".to_string()),
        "[a-z ]{1,6}",
    ];
    prop::collection::vec(pieces, 1..5).prop_map(|v| v.concat())
}

/// A name or locator from a hostile string: one line, as the loader requires (a line
/// feed is kept in the summary, which may span lines).
/// A one-line, non-blank spelling of `s` for a name or locator (a line break or an
/// empty name is an error at load; a summary keeps `s` as it is).
fn one_line(s: &str) -> String {
    let line = s.replace('\n', " ");
    if line.trim().is_empty() {
        format!("_{line}_")
    } else {
        line
    }
}

fn toml_string(s: &str) -> String {
    // A TOML basic string: escape backslash, quote and control characters.
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The real `dot` sees exactly the intended nodes, with the names as labels, however
    /// hostile the names.
    #[test]
    #[ignore = "needs the system Graphviz `dot` (apt-get install graphviz)"]
    fn hostile_names_cannot_inject_dot(names in prop::collection::vec(hostile(), 1..6)) {
        require_dot();
        let mut text = String::from("[[node]]\nid = \"doc\"\nkind = \"document\"\nname = \"Doc\"\nsources = [{ doc = \"doc\", at = \"p\" }]\n");
        for (i, name) in names.iter().enumerate() {
            text += &format!("[[node]]\nid = \"n{i}\"\nkind = \"body\"\nname = {}\nsummary = {}\nsources = [{{ doc = \"doc\", at = {} }}]\n", toml_string(&one_line(name)), toml_string(name), toml_string(&one_line(name)));
            if i > 0 {
                text += &format!("[[edge]]\nfrom = \"n{i}\"\nrelation = \"replaced\"\nto = \"n{}\"\nsources = [{{ doc = \"doc\", at = \"p\" }}]\n", i - 1);
            }
        }
        let opened = finish(toml_text("hostile.toml", &text), false);
        prop_assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
        let g = &opened.graph;
        let v = view(g, &ViewSpec::Whole, &Narrow::default());
        let dot = to_dot(g, &v, &DotOptions { no_legend: true, ..DotOptions::default() });
        let mut child = std::process::Command::new("dot")
            .arg("-Tjson")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), dot.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let objects = json["objects"].as_array().cloned().unwrap_or_default();
        let seen: BTreeSet<String> = objects.iter().filter_map(|o| o["name"].as_str()).map(String::from).collect();
        let expected: BTreeSet<String> = std::iter::once("doc".to_string()).chain((0..names.len()).map(|i| format!("n{i}"))).collect();
        prop_assert_eq!(seen, expected);
        prop_assert_eq!(json["edges"].as_array().map_or(0, Vec::len), names.len() - 1);
        for o in &objects {
            if let Some(i) = o["name"].as_str().and_then(|n| n.strip_prefix('n')).and_then(|n| n.parse::<usize>().ok()) {
                // `&` is written `&amp;`, which Graphviz decodes when it draws the label.
                let label = o["label"].as_str().unwrap_or_default().replace("&amp;", "&");
                let first_word = names[i].split_whitespace().next().unwrap_or("");
                prop_assert!(label.contains(first_word.trim_matches('\\')) || first_word.contains('\\'), "label {:?} for {:?}", label, names[i]);
            }
        }
    }
}

/// Two builds into a work directory: `output/` holds the old one, and `new/` what the
/// changed data in `data/` builds to. Returns (data, output, old files, new files).
#[allow(clippy::type_complexity)]
fn old_and_new_builds(
    work: &Path,
) -> (
    PathBuf,
    PathBuf,
    Vec<(String, Vec<u8>)>,
    Vec<(String, Vec<u8>)>,
) {
    let data = work.join("data");
    let out = work.join("output");
    copy_dir(&Path::new(ROOT).join("data"), &data);
    assert!(build_to(&data, &out).status.success());
    let old = files(&out);
    // New data: every file changes (names appear in every view, and in graph.json).
    let toml = data.join("integrated-care/bodies.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("Primary care trusts", "Primary care trusts (PCTs)");
    std::fs::write(&toml, text).unwrap();
    let new_dir = work.join("new");
    assert!(build_to(&data, &new_dir).status.success());
    let new = files(&new_dir);
    (data, out, old, new)
}

fn build_to(data: &Path, out: &Path) -> std::process::Output {
    policygraph()
        .args([
            "--data",
            data.to_str().unwrap(),
            "build",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap()
}

/// Starts a build of `data` into `out` in the background.
fn spawn_build(data: &Path, out: &Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("policygraph"))
        .args([
            "--data",
            data.to_str().unwrap(),
            "build",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Every file in `out` is the old or the new version of itself.
fn assert_old_or_new(out: &Path, old: &[(String, Vec<u8>)], new: &[(String, Vec<u8>)], when: &str) {
    for (name, bytes) in files(out) {
        let was = old.iter().find(|f| f.0 == name).map(|f| &f.1);
        let will = new.iter().find(|f| f.0 == name).map(|f| &f.1);
        assert!(
            Some(&bytes) == was || Some(&bytes) == will,
            "{name} is neither the old nor the new version {when}"
        );
    }
}

/// Temporary files left in `out` or its `seminar/` folder.
fn temporaries(out: &Path) -> Vec<String> {
    [out.to_path_buf(), out.join("seminar")]
        .iter()
        .filter(|d| d.is_dir())
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(policygraph::output::TEMPORARY_PREFIX))
        .collect()
}

/// A build killed part-way leaves every file in the output directory either as the
/// previous build wrote it or as the new build writes it, never partial.
#[test]
fn a_killed_build_leaves_old_or_new_files_never_partial() {
    let work = tempfile::tempdir().unwrap();
    let (data, out, old, new) = old_and_new_builds(work.path());
    for delay_ms in [5, 20, 60, 150] {
        let mut child = spawn_build(&data, &out);
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert_old_or_new(&out, &old, &new, &format!("after a kill at {delay_ms} ms"));
    }
    // The next build finishes the job and clears what the killed ones left behind.
    assert!(build_to(&data, &out).status.success());
    assert_eq!(files(&out), new);
    let leftovers = temporaries(&out);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Ctrl-C during a build: exit 130 with a short message, every file old or new, and
/// no temporary file left behind (the handler removes them; no later build needed).
#[cfg(unix)]
#[test]
fn an_interrupted_build_exits_130_leaving_old_or_new_files_and_no_temporaries() {
    let work = tempfile::tempdir().unwrap();
    let (data, out, old, new) = old_and_new_builds(work.path());
    let mut interrupted = 0;
    // A build renders every view even when its files end up unchanged, so each of
    // these runs for seconds, whatever the previous one managed to write.
    for delay_ms in [250, 800, 2000] {
        let child = spawn_build(&data, &out);
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let sent = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let run = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        match run.status.code() {
            Some(130) => {
                interrupted += 1;
                assert_eq!(stderr, "error: interrupted\n");
            }
            Some(0) => {} // finished before the signal arrived
            other => panic!("exit {other:?} after SIGINT at {delay_ms} ms: {stderr}"),
        }
        assert_old_or_new(&out, &old, &new, &format!("after SIGINT at {delay_ms} ms"));
        let leftovers = temporaries(&out);
        assert!(leftovers.is_empty(), "at {delay_ms} ms: {leftovers:?}");
    }
    assert!(
        interrupted > 0,
        "no build was still running when interrupted"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn an_unwritable_output_is_a_clear_error_and_leaves_nothing() {
    let work = tempfile::tempdir().unwrap();
    let blocker = work.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    // A directory cannot be made under a file, whoever runs the test (root included).
    let out = blocker.join("output");
    let run = policygraph()
        .args(["build", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("error: cannot write")
            && stderr.contains("help: a part of the path is a file, not a directory"),
        "{stderr}"
    );
    // A folder of `-o` that is missing is created; one that cannot be (under a file)
    // is a clear error, and nothing is written.
    let missing = blocker.join("missing").join("lineage.dot");
    let run = policygraph()
        .args([
            "export",
            "lineage",
            "--format",
            "dot",
            "-o",
            missing.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8(run.stderr)
            .unwrap()
            .contains("cannot write")
    );
    assert_eq!(
        std::fs::read_dir(work.path()).unwrap().count(),
        1,
        "nothing was written"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// However hostile the names, summaries and locators, the DOT parses back with
    /// graphviz-rust to the view's nodes, edges, labels and tooltips, with and without
    /// era clusters, the legend, stances and wide fan-outs.
    #[test]
    fn hostile_dot_parses_back_with_its_labels(
        names in prop::collection::vec(hostile(), 1..12),
        fan in 0usize..10,
    ) {
        let mut text = String::from("[[era]]\nname = \"E \\\"1\\\"\"\nstart = \"1990\"\n[[node]]\nid = \"doc\"\nkind = \"document\"\nname = \"Doc\"\nstart = \"1995\"\nsources = [{ doc = \"doc\", at = \"p\" }]\n");
        for (i, name) in names.iter().enumerate() {
            let kind = if i % 3 == 2 { "finding" } else { "body" };
            let stance = if kind == "finding" { "stance = \"critical\"\n" } else { "" };
            text += &format!("[[node]]\nid = \"n{i}\"\nkind = \"{kind}\"\n{stance}name = {}\nsummary = {}\nstart = \"{}\"\nsources = [{{ doc = \"doc\", at = {} }}]\n", toml_string(&one_line(name)), toml_string(name), 1985 + i * 3, toml_string(&one_line(name)));
            if i > 0 && kind == "body" && i % 3 == 0 {
                text += &format!("[[edge]]\nfrom = \"n{i}\"\nrelation = \"replaced\"\nto = \"n{}\"\nsources = [{{ doc = \"doc\", at = {} }}]\n", i - 3, toml_string(&one_line(name)));
            }
            if kind == "finding" {
                text += &format!("[[edge]]\nfrom = \"n{}\"\nrelation = \"evaluated-by\"\nto = \"n{i}\"\n", i - 2);
            }
        }
        for j in 0..fan {
            text += &format!("[[node]]\nid = \"f{j}\"\nkind = \"document\"\nname = \"F{j}\"\n[[edge]]\nfrom = \"f{j}\"\nrelation = \"published-by\"\nto = \"n0\"\n");
        }
        let opened = finish(toml_text("hostile.toml", &text), false);
        prop_assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
        let g = &opened.graph;
        for spec in [ViewSpec::Whole, ViewSpec::Lineage(None), ViewSpec::Critiques(None), ViewSpec::Years(1980, 2030)] {
            let v = view(g, &spec, &Narrow::default());
            let back = parses_back(g, &v, &ALL_AND_NONE);
            prop_assert!(back.is_ok(), "{:?}: {}", spec, back.unwrap_err());
        }
    }
}

/// A read-only output directory: `build` and `export` fail with a clear message and
/// leave no file, partial or temporary, behind. Root ignores permissions, so under root
/// the binary runs as an unprivileged user (created if missing): the test never skips.
#[cfg(unix)]
#[test]
fn a_read_only_output_directory_is_a_clear_error_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    copy_dir(&Path::new(ROOT).join("tests/data/policy"), &data);
    let out = work.path().join("read-only");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    let user = outputs::unprivileged().map(|user| {
        std::fs::set_permissions(work.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        outputs::give(work.path(), user);
        (user, outputs::binary_for(user, work.path()))
    });
    let run = |args: &[&str]| -> std::process::Output {
        let mut cmd = match &user {
            Some((user, bin)) => outputs::as_user(*user, bin),
            None => std::process::Command::new(assert_cmd::cargo::cargo_bin("policygraph")),
        };
        cmd.env("NO_COLOR", "1")
            .arg("--data")
            .arg(&data)
            .args(args)
            .output()
            .unwrap()
    };
    let build = run(&["build", "--out", out.to_str().unwrap()]);
    let export = run(&[
        "export",
        "--format",
        "dot",
        "-o",
        out.join("graph.dot").to_str().unwrap(),
    ]);
    for run in [build, export] {
        assert_eq!(run.status.code(), Some(1));
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert!(
            stderr.contains("error: cannot write")
                && stderr.to_lowercase().contains("permission denied"),
            "{stderr}"
        );
        assert!(
            !stderr.contains(policygraph::output::TEMPORARY_PREFIX),
            "no temporary name: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "nothing written"
    );
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Two builds started together into one directory: each succeeds or is refused at once
/// because the other holds the directory, saying so; neither deletes the other's
/// temporary files (before the lock, 3 runs of 3 failed), and the directory ends up
/// exactly as one build writes it, with no temporary file left.
#[test]
fn two_builds_into_one_directory_end_well_defined() {
    let work = tempfile::tempdir().unwrap();
    let data = Path::new(ROOT).join("tests/data/policy");
    let reference = work.path().join("reference");
    assert!(build_to(&data, &reference).status.success());
    let want = files(&reference);
    let out = work.path().join("output");
    let mut refused = 0;
    for round in 0..5 {
        let (a, b) = (spawn_build(&data, &out), spawn_build(&data, &out));
        for run in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
            let stderr = String::from_utf8_lossy(&run.stderr);
            match run.status.code() {
                Some(0) => assert!(stderr.is_empty(), "{stderr}"),
                Some(1) => {
                    assert!(
                        stderr.contains("error: another policygraph build (pid ")
                            && stderr.contains(") is writing to"),
                        "round {round}: {stderr}"
                    );
                    refused += 1;
                }
                other => panic!("round {round}: exit {other:?}: {stderr}"),
            }
        }
        assert_eq!(files(&out), want, "round {round}");
        let leftovers = temporaries(&out);
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
    assert!(refused > 0, "the builds never overlapped");
}

/// Ctrl-C at any moment of a short command, up to and past its end: the process says
/// "interrupted" exactly when it exits with 130 (once, a late interrupt printed it and
/// the process exited 0). Before the handler is installed, the signal kills it.
#[cfg(unix)]
#[test]
fn an_interrupt_exits_130_exactly_when_it_says_interrupted() {
    use std::os::unix::process::ExitStatusExt;
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("lineage.dot");
    let mut seen = std::collections::BTreeMap::new();
    for step in 0..60u64 {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("policygraph"))
            .current_dir(ROOT)
            .args(["export", "lineage", "-o", target.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(step * 3));
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let run = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        let said = stderr.contains("interrupted");
        match (run.status.code(), run.status.signal()) {
            (Some(130), _) => assert_eq!(stderr, "error: interrupted\n", "at {step}"),
            (Some(0), _) => assert!(!said, "exit 0 after saying interrupted: {stderr}"),
            (None, Some(2)) => assert!(!said, "{stderr}"),
            other => panic!("at step {step}: {other:?}: {stderr}"),
        }
        *seen.entry(run.status.code()).or_insert(0) += 1;
        assert!(temporaries(work.path()).is_empty());
    }
    eprintln!("outcomes (exit code: runs): {seen:?}");
}

#[test]
fn mermaid_refuses_a_view_past_its_limits_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    // 501 documents citing one: past Mermaid's 500 edges.
    let mut text = String::new();
    for i in 0..=501 {
        text += &format!(
            "[[node]]\nid = \"d{i}\"\nkind = \"document\"\nname = \"D{i}\"\nsources = [{{ doc = \"d{i}\", at = \"p. 1\" }}]\n"
        );
        if i > 0 {
            text += &format!(
                "[[edge]]\nfrom = \"d{i}\"\nrelation = \"cites\"\nto = \"d0\"\nsources = [{{ doc = \"d{i}\", at = \"p. 1\" }}]\n"
            );
        }
    }
    std::fs::write(dir.path().join("many.toml"), text).unwrap();
    let target = dir.path().join("g.mmd");
    let out = policygraph()
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "export",
            "--format",
            "mermaid",
            "-o",
        ])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the view has 501 edges, past Mermaid's limit of 500")
            && stderr.contains("narrower view"),
        "{stderr}"
    );
    assert!(!target.exists(), "nothing is written");
    // A narrower view of the same data is written.
    let out = policygraph()
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "export",
            "ego",
            "--focus",
            "d7",
            "--format",
            "mermaid",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
