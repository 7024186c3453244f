//! The hostile-input corpus: one folder per case under `tests/hostile/`, each a test.
//!
//! A case is a folder with a `case.toml` saying what it shows, the command (`--data`
//! is added), the exit code, and text stdout and stderr must (or must not) hold; its
//! data sits in `data/`, or, for the big cases (a 1 MB id, a 100,000-long chain, a
//! 10,000-node cycle, deep nesting), is generated into a temporary directory by the
//! generator `generate` names. An injection case names a `consumer` instead: its data
//! is exported in that format by the real binary and read back by what reads that
//! format for real (the system `dot`, an XML parser, the csv crate), which must see
//! exactly the intended nodes with their names as literal text.
//!
//! Every run must exit with the documented code (0 success, 1 invalid data, 2 usage or
//! unknown node), never panic, and say what went wrong. Adding a case is adding a
//! folder and one line to `cases!`; `every_case_folder_has_a_test` keeps the two in
//! step. Nothing here writes outside temporary directories.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::policygraph;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A case's `case.toml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case shows, in a sentence.
    #[allow(dead_code)] // documentation for people reading the corpus
    what: String,
    /// The command after `--data DIR`.
    #[serde(default)]
    args: Vec<String>,
    /// The exit code.
    exit: i32,
    /// Text stdout must hold.
    #[serde(default)]
    stdout: Vec<String>,
    /// Text stdout must not hold.
    #[serde(default)]
    stdout_absent: Vec<String>,
    /// Nothing on stdout.
    #[serde(default)]
    stdout_empty: bool,
    /// Text stderr must hold.
    #[serde(default)]
    stderr: Vec<String>,
    /// At most this many bytes on stderr: long input gives a short report.
    max_stderr: Option<usize>,
    /// Generate the data at test time with this generator.
    generate: Option<String>,
    /// An injection case: export for this consumer and read the export back.
    consumer: Option<String>,
}

macro_rules! cases {
    ($($test:ident => $folder:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                run_case($folder);
            }
        )*
        const LISTED: &[&str] = &[$($folder),*];
    };
}

cases! {
    truncated_toml => "truncated-toml",
    truncated_csv => "truncated-csv",
    truncated_utf8 => "truncated-utf8",
    wrong_types_toml => "wrong-types-toml",
    wrong_types_csv => "wrong-types-csv",
    deep_arrays_toml => "deep-arrays-toml",
    special_files => "special-files",
    non_utf8_file_name => "non-utf8-file-name",
    deep_tables_toml => "deep-tables-toml",
    deep_keys_toml => "deep-keys-toml",
    huge_id_toml => "huge-id-toml",
    huge_id_csv => "huge-id-csv",
    replaced_chain_100000 => "replaced-chain-100000",
    replaced_cycle_10000 => "replaced-cycle-10000",
    control_characters_toml => "control-characters-toml",
    control_characters_show => "control-characters-show",
    nul_bytes_csv => "nul-bytes-csv",
    nul_bytes_toml => "nul-bytes-toml",
    confusable_ids => "confusable-ids",
    confusable_names => "confusable-names",
    bom_crlf_toml => "bom-crlf-toml",
    bom_crlf_csv => "bom-crlf-csv",
    crlf_csv_located => "crlf-csv-located",
    unknown_node => "unknown-node",
    toml_20000_nodes => "toml-20000-nodes",
    toml_piece_too_large => "toml-piece-too-large",
    toml_record_too_large => "toml-record-too-large",
    inject_dot => "inject-dot",
    inject_svg => "inject-svg",
    inject_graphml => "inject-graphml",
    inject_gexf => "inject-gexf",
    inject_csv => "inject-csv",
    inject_mermaid => "inject-mermaid",
}

fn corpus() -> PathBuf {
    Path::new(ROOT).join("tests/hostile")
}

#[test]
fn every_case_folder_has_a_test() {
    let mut folders: Vec<String> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut listed: Vec<String> = LISTED.iter().map(|s| (*s).to_string()).collect();
    listed.sort();
    assert_eq!(folders, listed, "tests/hostile/ folders and cases! differ");
    for folder in &folders {
        let case = read_case(folder);
        let has_data = corpus().join(folder).join("data").is_dir();
        assert!(
            has_data != case.generate.is_some(),
            "{folder}: either a data/ folder or a generator, not both or neither"
        );
    }
}

fn read_case(folder: &str) -> Case {
    let path = corpus().join(folder).join("case.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs the binary with `--data data` and `args`: (exit code, stdout, stderr), after
/// checking it exited by itself and did not panic.
fn run(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = policygraph()
        .arg("--data")
        .arg(data)
        .args(args)
        // A hang (a FIFO read) is a failure, not a stuck suite.
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let Some(code) = out.status.code() else {
        panic!("killed by a signal (a stack overflow?): {args:?}\n{stderr}");
    };
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "panic hint: {stderr}");
    (code, stdout, stderr)
}

fn run_case(folder: &str) {
    let case = read_case(folder);
    let generated = tempfile::tempdir().unwrap();
    let data = match &case.generate {
        Some(name) => {
            generate(name, generated.path());
            generated.path().to_path_buf()
        }
        None => corpus().join(folder).join("data"),
    };
    if let Some(consumer) = &case.consumer {
        assert_eq!(case.exit, 0, "{folder}: injection cases are valid data");
        consume(consumer, &data);
        return;
    }
    let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run(&data, &args);
    let shown = |s: &str| s.chars().take(3000).collect::<String>();
    assert_eq!(
        code,
        case.exit,
        "{folder}: exit code\n--- stdout\n{}\n--- stderr\n{}",
        shown(&stdout),
        shown(&stderr)
    );
    for want in &case.stdout {
        assert!(
            stdout.contains(want),
            "{folder}: stdout lacks {want:?}\n{}",
            shown(&stdout)
        );
    }
    for unwanted in &case.stdout_absent {
        assert!(
            !stdout.contains(unwanted),
            "{folder}: stdout holds {unwanted:?}"
        );
    }
    if case.stdout_empty {
        assert!(stdout.is_empty(), "{folder}: stdout {}", shown(&stdout));
    }
    for want in &case.stderr {
        assert!(
            stderr.contains(want),
            "{folder}: stderr lacks {want:?}\n{}",
            shown(&stderr)
        );
    }
    if case.exit != 0 {
        // Problems are drawn on stderr (`×` and a code); other failures say `error:`.
        assert!(
            stderr.contains("error") || stderr.contains('×'),
            "{folder}: no error message\n{}",
            shown(&stderr)
        );
    }
    if let Some(max) = case.max_stderr {
        assert!(
            stderr.len() <= max,
            "{folder}: {} bytes of stderr, more than {max}\n{}",
            stderr.len(),
            shown(&stderr)
        );
    }
}

// ---- generators for the big cases ----

const DOC: &str = "[[node]]\nid = \"doc\"\nkind = \"document\"\nname = \"D\"\nsources = [{ doc = \"doc\", at = \"p\" }]\n";
const NODES: &str = "id,kind,name,start,end,aliases,summary,stance,sources\n";
const EDGES: &str = "from,relation,to,date,stance,note,sources\n";

fn generate(name: &str, dir: &Path) {
    let write = |file: &str, text: String| std::fs::write(dir.join(file), text).unwrap();
    match name {
        "non-utf8-file-name" => {
            use std::os::unix::ffi::OsStrExt;
            write("ok.toml", DOC.to_string());
            let bad = std::ffi::OsStr::from_bytes(b"caf\xe9.toml");
            std::fs::write(dir.join(bad), DOC.replace("\"doc\"", "\"other\"")).unwrap();
            std::fs::create_dir(dir.join(std::ffi::OsStr::from_bytes(b"\xff-folder"))).unwrap();
        }
        "special-files" => {
            // Before the check, the FIFO blocked the open forever and /dev/zero was
            // read until memory ran out: the runner's timeout turns that into a failure.
            write("ok.toml", DOC.to_string());
            std::os::unix::fs::symlink("/dev/zero", dir.join("zero.toml")).unwrap();
            let sub = dir.join("csv");
            std::fs::create_dir(&sub).unwrap();
            for fifo in [dir.join("pipe.toml"), sub.join("nodes.csv")] {
                let made = std::process::Command::new("mkfifo")
                    .arg(&fifo)
                    .status()
                    .unwrap();
                assert!(made.success(), "mkfifo {}", fifo.display());
            }
        }
        "deep-arrays" => {
            let n = 100_000;
            write(
                "deep.toml",
                format!(
                    "{DOC}attrs = {{ x = {}{} }}\n",
                    "[".repeat(n),
                    "]".repeat(n)
                ),
            );
        }
        "deep-tables" => {
            let n = 100_000;
            write(
                "deep.toml",
                format!("{DOC}attrs = {}1{}\n", "{ x = ".repeat(n), " }".repeat(n)),
            );
        }
        "deep-keys" => {
            write(
                "deep.toml",
                format!("[{}]\nx = 1\n", vec!["a"; 5000].join(".")),
            );
        }
        "huge-bad-id" => {
            let id = "Huge Id ".repeat(128 * 1024);
            write(
                "huge.toml",
                format!(
                    "{DOC}[[node]]\nid = \"{id}\"\nkind = \"body\"\nname = \"B\"\nsources = [{{ doc = \"doc\", at = \"p\" }}]\n"
                ),
            );
        }
        "huge-good-id" => {
            let id = format!("a{}", "-a".repeat(512 * 1024));
            write(
                "nodes.csv",
                format!("{NODES}doc,document,D,,,,,,doc@p\n{id},body,Huge,,,,,,doc@p\n"),
            );
            write(
                "edges.csv",
                format!("{EDGES}doc,published-by,{id},,,,doc@p\n"),
            );
        }
        "chain" | "cycle" => {
            let n: usize = if name == "chain" { 100_000 } else { 10_000 };
            let mut nodes = format!("{NODES}doc,document,D,,,,,,doc@p\n");
            let mut edges = EDGES.to_string();
            for i in 0..n {
                nodes += &format!("n{i},body,Body {i},,,,,,doc@p\n");
                if i + 1 < n {
                    edges += &format!("n{},replaced,n{i},,,,doc@p\n", i + 1);
                } else if name == "cycle" {
                    edges += &format!("n0,replaced,n{i},,,,doc@p\n");
                }
            }
            write("nodes.csv", nodes);
            write("edges.csv", edges);
        }
        "toml-20000-nodes" => {
            // 4.6 MB: cut into pieces, parsed on two threads, its text not kept.
            let n = 20_000;
            let source = "sources = [{ doc = \"doc\", at = \"p\" }]\n\n";
            let mut text = DOC.to_string();
            for i in 0..n {
                text += &format!(
                    "[[node]]\nid = \"n{i}\"\nkind = \"body\"\nname = \"Body {i}\"\n{source}"
                );
            }
            for i in 1..n {
                text += &format!(
                    "[[edge]]\nfrom = \"n{i}\"\nrelation = \"replaced\"\nto = \"n{}\"\n{source}",
                    i - 1
                );
            }
            // The one error, on line 240,002.
            text += &format!("[[node]]\nid = \"bad\"\nkind = \"bdy\"\nname = \"Bad\"\n{source}");
            write("big.toml", text);
        }
        "toml-piece-too-large" => {
            // One piece over 32 MiB before the first record: a comment.
            let comment = "x".repeat(33 << 20);
            write(
                "big.toml",
                format!("[collection]\ntitle = \"Big\"\n# {comment}\n{DOC}"),
            );
        }
        "toml-record-too-large" => {
            // One record over 32 MiB: a summary of 33 MiB.
            let summary = "thirty-two bytes of summary ...\n".repeat(33 << 15);
            write(
                "big.toml",
                format!(
                    "{DOC}\n[[node]]\nid = \"long\"\nkind = \"body\"\nname = \"L\"\nsummary = \"\"\"\n{summary}\"\"\"\n"
                ),
            );
        }
        other => panic!("no generator called {other}"),
    }
}

// ---- injection cases: the export read back by its consumer ----

/// The nodes the data holds: id to name.
fn intended(data: &Path) -> BTreeMap<String, String> {
    let opened = policygraph::open::open(data, false).unwrap();
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    let g = &opened.graph;
    g.nodes()
        .map(|n| (g.node(n).id.clone(), g.node(n).name.clone()))
        .collect()
}

/// A name as a diagram shows it: words separated by single spaces (labels are wrapped
/// at spaces, so the line breaks fall where spaces were).
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn export(data: &Path, args: &[&str]) {
    let (code, _, stderr) = run(data, args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
}

fn consume(consumer: &str, data: &Path) {
    let want = intended(data);
    let out = tempfile::tempdir().unwrap();
    let file = |name: &str| out.path().join(name).to_str().unwrap().to_string();
    match consumer {
        "dot" => {
            if !policygraph::render::dot_available() {
                eprintln!(
                    "skipped: the system Graphviz `dot` is not installed (apt-get install graphviz); CI installs it"
                );
                return;
            }
            export(
                data,
                &[
                    "export",
                    "--format",
                    "dot",
                    "--no-legend",
                    "-o",
                    &file("g.dot"),
                ],
            );
            let drawn = std::process::Command::new("dot")
                .args(["-Tsvg", &file("g.dot")])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&drawn.stderr);
            assert!(drawn.status.success() && stderr.is_empty(), "dot: {stderr}");
            check_svg(&String::from_utf8(drawn.stdout).unwrap(), &want);
        }
        "svg" => {
            export(data, &["render", "--no-legend", "-o", &file("g.svg")]);
            check_svg(&std::fs::read_to_string(file("g.svg")).unwrap(), &want);
        }
        "graphml" => {
            export(
                data,
                &["export", "--format", "graphml", "-o", &file("g.graphml")],
            );
            check_graphml(&std::fs::read_to_string(file("g.graphml")).unwrap(), &want);
        }
        "gexf" => {
            export(data, &["export", "--format", "gexf", "-o", &file("g.gexf")]);
            check_gexf(&std::fs::read_to_string(file("g.gexf")).unwrap(), &want);
        }
        "csv" => {
            export(data, &["export", "--format", "csv", "-o", &file("csv")]);
            check_csv(&out.path().join("csv"), &want);
        }
        "mermaid" => {
            export(
                data,
                &["export", "--format", "mermaid", "-o", &file("g.mmd")],
            );
            check_mermaid(&std::fs::read_to_string(file("g.mmd")).unwrap(), &want);
        }
        other => panic!("no consumer called {other}"),
    }
}

/// Reads an XML document with a real parser, failing on anything not well-formed, and
/// calls `visit` with each element's name, its attributes (unescaped), and the text
/// directly inside it (unescaped), in document order of the elements' ends.
fn walk_xml(xml: &str, mut visit: impl FnMut(&[String], &BTreeMap<String, String>, &str)) {
    let mut reader = quick_xml::Reader::from_str(xml);
    // The open elements: name, attributes, text so far.
    let mut stack: Vec<(String, BTreeMap<String, String>, String)> = Vec::new();
    let attrs = |e: &quick_xml::events::BytesStart| -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.0.to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect()
    };
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
        {
            Event::Start(e) => {
                let name = e.name().0.to_string();
                stack.push((name, attrs(&e), String::new()));
            }
            Event::Empty(e) => {
                let name = e.name().0.to_string();
                let mut path: Vec<String> = stack.iter().map(|s| s.0.clone()).collect();
                path.push(name);
                visit(&path, &attrs(&e), "");
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.2 += &t.xml10_content();
                }
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let text = match name.as_ref() {
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "amp" => "&".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    _ => {
                        let c = r
                            .resolve_char_ref()
                            .unwrap()
                            .unwrap_or_else(|| panic!("an entity XML does not define: &{name};"));
                        c.to_string()
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.2 += &text;
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.2 += &t.xml10_content();
                }
            }
            Event::End(_) => {
                let path: Vec<String> = stack.iter().map(|s| s.0.clone()).collect();
                let (_, attrs, text) = stack.pop().unwrap();
                visit(&path, &attrs, &text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
}

/// A Graphviz SVG: one `<g class="node">` per intended node, its `<title>` the id and
/// its `<text>` lines the name; no script, no foreign content, no link out of the page.
fn check_svg(svg: &str, want: &BTreeMap<String, String>) {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut title = String::new();
    let mut texts: Vec<String> = Vec::new();
    walk_xml(svg, |path, attrs, text| {
        let name = path.last().unwrap().as_str();
        assert!(
            !matches!(
                name,
                "script" | "foreignObject" | "iframe" | "object" | "embed"
            ),
            "an injected <{name}>"
        );
        for (key, value) in attrs {
            assert!(!key.starts_with("on"), "an event handler {key}={value}");
            if key.ends_with("href") {
                assert!(value.starts_with('#'), "a link out of the page: {value}");
            }
        }
        match name {
            "title" => {
                // A node's group opens with its title; text before it is not the node's.
                title = text.to_string();
                texts.clear();
            }
            "text" => texts.push(text.to_string()),
            "g" if attrs.get("class").is_some_and(|c| c == "node") => {
                let previous = seen.insert(title.clone(), std::mem::take(&mut texts));
                assert!(previous.is_none(), "node {title} drawn twice");
            }
            _ => {}
        }
    });
    let ids: Vec<&String> = seen.keys().collect();
    let expected: Vec<&String> = want.keys().collect();
    assert_eq!(ids, expected, "exactly the intended nodes");
    for (id, name) in want {
        assert_eq!(
            words(&seen[id].join(" ")),
            words(name),
            "the name of {id} shown literally"
        );
    }
}

fn check_graphml(xml: &str, want: &BTreeMap<String, String>) {
    let mut name_key = None;
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut pending: Vec<(String, String)> = Vec::new();
    let mut nodes = Vec::new();
    walk_xml(xml, |path, attrs, text| {
        let name = path.last().unwrap().as_str();
        assert_ne!(name, "script", "an injected element");
        match name {
            "key"
                if attrs.get("attr.name").is_some_and(|n| n == "name")
                    && attrs.get("for").is_some_and(|f| f == "node") =>
            {
                name_key = attrs.get("id").cloned();
            }
            "data" if path.len() >= 2 && path[path.len() - 2] == "node" => {
                pending.push((attrs["key"].clone(), text.to_string()));
            }
            "node" => {
                let id = attrs["id"].clone();
                for (key, value) in pending.drain(..) {
                    if Some(&key) == name_key.as_ref() {
                        names.insert(id.clone(), value);
                    }
                }
                nodes.push(id);
            }
            _ => {}
        }
    });
    nodes.sort();
    assert_eq!(
        nodes,
        want.keys().cloned().collect::<Vec<_>>(),
        "exactly the intended nodes"
    );
    assert_eq!(
        &names, want,
        "every name literally, as the node's name data"
    );
}

fn check_gexf(xml: &str, want: &BTreeMap<String, String>) {
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut count = 0;
    walk_xml(xml, |path, attrs, _| {
        let name = path.last().unwrap().as_str();
        assert_ne!(name, "script", "an injected element");
        if name == "node" {
            count += 1;
            labels.insert(attrs["id"].clone(), attrs["label"].clone());
        }
    });
    assert_eq!(count, want.len(), "one node element per node");
    assert_eq!(&labels, want, "exactly the intended nodes, names as labels");
}

/// Whether a spreadsheet would run a cell as a formula (OWASP's list), numbers aside.
fn spreadsheet_runs(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err()
}

fn check_csv(dir: &Path, want: &BTreeMap<String, String>) {
    for file in ["nodes.csv", "edges.csv"] {
        let mut reader = csv::Reader::from_path(dir.join(file)).unwrap();
        assert!(
            reader
                .headers()
                .unwrap()
                .iter()
                .all(|c| !spreadsheet_runs(c))
        );
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !spreadsheet_runs(cell),
                    "{file}: a spreadsheet would run {cell:?}"
                );
            }
        }
    }
    let mut reader = csv::Reader::from_path(dir.join("nodes.csv")).unwrap();
    let mut cells = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        cells.insert(record[0].to_string(), record[2].to_string());
    }
    assert_eq!(cells.len(), want.len(), "one row per node");
    for (id, name) in want {
        let guarded = spreadsheet_runs(name.trim_start_matches('\''));
        let expected = if guarded {
            format!("'{name}")
        } else {
            name.clone()
        };
        assert_eq!(cells[id], expected, "the name of {id} in the cell");
    }
    // And our loader reads the guard back off: the same names.
    assert_eq!(&intended(dir), want, "the export loads back unchanged");
}

/// Mermaid's `#name;` and `#code;` entities, decoded.
fn mermaid_text(label: &str) -> String {
    let mut out = String::new();
    let mut rest = label;
    while let Some(at) = rest.find('#') {
        out += &rest[..at];
        let end = rest[at..]
            .find(';')
            .map(|e| at + e)
            .expect("an entity ends with ;");
        let entity = &rest[at + 1..end];
        out.push(match entity {
            "quot" => '"',
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            code => char::from_u32(code.parse().expect("a numeric entity")).unwrap(),
        });
        rest = &rest[end + 1..];
    }
    out + rest
}

fn check_mermaid(text: &str, want: &BTreeMap<String, String>) {
    let openers = ["([", "[/", "{{", "(", "["];
    let closers = ["])", "\\]", "}}", ")", "]"];
    let mut labels = Vec::new();
    for line in text.lines().skip(1) {
        let line = line.trim();
        if line.is_empty()
            || line.starts_with("%%")
            || line.starts_with("classDef ")
            || line.contains(" ==>|")
            || line.contains(" -->|")
            || line.contains(" -.->|")
        {
            continue;
        }
        // A node: nK, an opener, one quoted label with no quote inside, a closer, a class.
        let (head, tail) = line
            .split_once('"')
            .unwrap_or_else(|| panic!("not a node: {line}"));
        let (label, end) = tail.rsplit_once('"').unwrap();
        assert!(!label.contains('"'), "a quote inside a label: {line}");
        let opener = openers.iter().find(|o| head.ends_with(**o)).expect(line);
        let key = &head[..head.len() - opener.len()];
        assert!(
            key.starts_with('n') && key[1..].parse::<usize>().is_ok(),
            "{line}"
        );
        let (closer, class) = end.split_once(":::").expect(line);
        assert!(closers.contains(&closer), "{line}");
        assert!(class.chars().all(|c| c.is_ascii_lowercase()), "{line}");
        labels.push(mermaid_text(label));
    }
    labels.sort();
    let mut expected: Vec<String> = want
        .values()
        .map(|n| n.replace(['\n', '\r'], " "))
        .collect();
    expected.sort();
    assert_eq!(labels, expected, "one node per node, every name literally");
    for edge in text.lines().filter(|l| l.contains(" ==>|")) {
        assert_eq!(edge.matches('"').count(), 2, "{edge}");
    }
}
