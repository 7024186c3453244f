//! What every integration test crate shares: the binary, run from the crate root with
//! stable output (no colour, no backtrace hint), so messages and paths are the same on
//! every machine.

use assert_cmd::Command;

/// The `policygraph` binary, ready to be given arguments.
pub fn policygraph() -> Command {
    let mut cmd = Command::cargo_bin("policygraph").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs the binary with `args` and returns its output, failing the test with stderr
/// when it does not succeed. Not every test crate uses it.
#[allow(dead_code)]
pub fn run_ok(args: &[&str]) -> std::process::Output {
    let out = policygraph().args(args).output().expect("binary runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Free attributes as a GraphML or GEXF export gives them back to an XML reader
/// (quick-xml, attribute values normalised as XML 1.0 says): for each node, by id, and
/// each edge, in order, the attribute's name (its key's `attr.name`, decoded, or its `title`,
/// with the `attrs.` prefix of free attributes removed) and its value's text. Fixed
/// fields (names without the prefix) are left out.
#[allow(dead_code)]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FreeAttributes {
    /// Node id to its free attributes.
    pub nodes: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// Each edge's free attributes, in document order.
    pub edges: Vec<std::collections::BTreeMap<String, String>>,
}

/// Reads [`FreeAttributes`] from GraphML or GEXF text, failing on XML that is not
/// well-formed and on a value for an undeclared key or a name declared twice.
#[allow(dead_code)]
pub fn free_attributes(xml: &str) -> FreeAttributes {
    let free = |values: std::collections::BTreeMap<String, String>| {
        values
            .into_iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("attrs.")?.to_string(), v)))
            .collect()
    };
    let all = xml_values(xml);
    FreeAttributes {
        nodes: all.nodes.into_iter().map(|(id, v)| (id, free(v))).collect(),
        edges: all.edges.into_iter().map(free).collect(),
    }
}

/// Every value of every node and edge of GraphML or GEXF text, as [`free_attributes`]
/// reads them, fixed fields included, with the element's own `@id`, `@source` and
/// `@target`.
#[allow(dead_code)]
pub fn xml_values(xml: &str) -> FreeAttributes {
    use quick_xml::events::{BytesStart, Event};
    use std::collections::BTreeMap;
    let attrs = |e: &BytesStart| -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute");
                (
                    a.key.0.to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .expect("a well-formed value")
                        .into_owned(),
                )
            })
            .collect()
    };
    // (class, key id) to name; the class is `node` or `edge`.
    let mut names: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut gexf_class = String::new();
    let mut out = FreeAttributes::default();
    // The element whose values are being read: ("node", id) or ("edge", "").
    let mut owner: Option<(String, String)> = None;
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    // The GraphML `<data>` being read: its key and text so far.
    let mut data: Option<(String, String)> = None;
    fn declare(names: &mut BTreeMap<(String, String), String>, class: &str, id: &str, name: &str) {
        let previous = names.insert((class.to_string(), id.to_string()), name.to_string());
        assert!(previous.is_none(), "key {id} declared twice");
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let a = attrs(&e);
            match e.name().0 {
                "key" => declare(
                    &mut names,
                    &a["for"],
                    &a["id"],
                    &policygraph::attr_name::from_xml_name(&a["attr.name"]),
                ),
                "attributes" => gexf_class = a["class"].clone(),
                "attribute" => declare(&mut names, &gexf_class, &a["id"], &a["title"]),
                "node" => {
                    owner = Some(("node".into(), a["id"].clone()));
                    values.insert("@id".into(), a["id"].clone());
                }
                "edge" => {
                    owner = Some(("edge".into(), String::new()));
                    values.insert("@source".into(), a["source"].clone());
                    values.insert("@target".into(), a["target"].clone());
                }
                "data" => data = Some((a["key"].clone(), String::new())),
                "attvalue" => {
                    let class = &owner.as_ref().expect("an attvalue in a node or edge").0;
                    let name = &names[&(class.clone(), a["for"].clone())];
                    values.insert(name.clone(), a["value"].clone());
                }
                _ => {}
            }
            if empty && matches!(e.name().0, "node" | "edge" | "data") {
                // An element with nothing inside: close it now.
                let end = quick_xml::events::BytesEnd::new(e.name().0.to_string());
                close(&end, &mut owner, &mut values, &mut data, &names, &mut out);
            }
            continue;
        }
        match event {
            Event::Text(t) => {
                if let Some((_, text)) = data.as_mut() {
                    *text += &t.xml10_content();
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = data.as_mut() {
                    let name = r.xml10_content();
                    text.push(match name.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => r
                            .resolve_char_ref()
                            .expect("a character reference")
                            .unwrap_or_else(|| panic!("an undefined entity &{name};")),
                    });
                }
            }
            Event::End(e) => close(&e, &mut owner, &mut values, &mut data, &names, &mut out),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn close(
    end: &quick_xml::events::BytesEnd,
    owner: &mut Option<(String, String)>,
    values: &mut std::collections::BTreeMap<String, String>,
    data: &mut Option<(String, String)>,
    names: &std::collections::BTreeMap<(String, String), String>,
    out: &mut FreeAttributes,
) {
    match end.name().0 {
        "data" => {
            if let (Some((key, text)), Some((class, _))) = (data.take(), owner.as_ref()) {
                let name = &names[&(class.clone(), key)];
                values.insert(name.clone(), text);
            }
        }
        "node" | "edge" => {
            let Some((class, id)) = owner.take() else {
                return;
            };
            let free = std::mem::take(values);
            if class == "node" {
                out.nodes.insert(id, free);
            } else {
                out.edges.push(free);
            }
        }
        _ => {}
    }
}

/// The free attributes of every node (by id) and edge (in order) of a loaded graph, as
/// text: what an export of them must give back.
#[allow(dead_code)]
pub fn free_of(g: &policygraph::graph::PolicyGraph) -> FreeAttributes {
    let text = |a: &policygraph::model::Attrs| -> std::collections::BTreeMap<String, String> {
        a.iter()
            .map(|(k, v)| (k.clone(), policygraph::export::xml::typed(v).1))
            .collect()
    };
    FreeAttributes {
        nodes: g
            .nodes()
            .map(|n| (g.node(n).id().to_string(), text(g.node(n).attrs())))
            .collect(),
        edges: g.edges().map(|e| text(g.edge(e).attrs())).collect(),
    }
}

/// For a test that needs a tool, marked `#[ignore = "needs …"]` so that `cargo test`
/// lists it as ignored rather than passing it silently (CI runs it with
/// `--include-ignored`): fails, saying what to install, when the tool is missing.
#[allow(dead_code)]
pub fn require(available: bool, what: &str) {
    assert!(
        available,
        "this test needs {what}, which is missing: install it, or leave out --include-ignored"
    );
}

/// Runs a Python script (`python3 -c script arg`) that prints one JSON value, and
/// returns that value; fails the test, with Python's stderr, when the script fails.
#[allow(dead_code)]
pub fn python_json(script: &str, arg: &str) -> serde_json::Value {
    let out = std::process::Command::new("python3")
        .args(["-c", script, arg])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

/// Whether `python3` can import networkx.
#[allow(dead_code)]
pub fn networkx_available() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The shipped `data/` built into a temporary directory, once per test binary, with an
/// empty PATH (so no system `dot` can take part): tests that only read the built files
/// share it instead of building again.
#[allow(dead_code)]
pub fn built() -> &'static std::path::Path {
    static BUILT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            // Under the target directory: a static is never dropped, so the folder stays.
            let dir = tempfile::Builder::new()
                .prefix("built-")
                .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
                .expect("a temporary directory");
            let out = policygraph()
                .args(["build", "--out", dir.path().to_str().expect("UTF-8 path")])
                .env("PATH", "")
                .output()
                .expect("binary runs");
            assert!(
                out.status.success(),
                "build: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            dir
        })
        .path()
}
