//! The explorer and the seminar deck in a real browser: Debian's Chromium, driven by
//! playwright-core (tests/browser/run.mjs). Builds the shipped data and the fixtures
//! into a temporary directory, then checks the explorer (overview, search and focus,
//! framing, history and address, filters, slider, evidence, export), stepping the deck
//! with the arrow keys, no console errors or network requests, and hostile names shown
//! as text. Screenshots go to `target/tmp/browser/`.
//!
//! Ignored by a plain `cargo test`: it needs Chromium, Node.js and playwright-core
//! (`apt-get install chromium chromium-driver`; `npm ci --prefix tests/browser`). With
//! `--include-ignored`, as `.ci/run` runs it, a missing one fails the test, saying which.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::run_ok as run;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("POLICYGRAPH_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// Why the browser tests cannot run here, if they cannot.
fn missing() -> Option<String> {
    if chromium().is_none() {
        return Some("Chromium is not installed (apt-get install chromium chromium-driver)".into());
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("Node.js is not installed".into());
    }
    if !Path::new(ROOT)
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        return Some("playwright-core is not installed (npm ci --prefix tests/browser)".into());
    }
    None
}

/// A collection whose lineage is larger than the explorer's overview draws: 100
/// chains of 7 bodies, each replacing the one before.
fn large_lineage(dir: &Path) {
    let mut text = String::from(
        "[[node]]\nid = \"src\"\nkind = \"document\"\nname = \"Register\"\nstart = \"2020\"\n\
         sources = [{ doc = \"src\", at = \"p. 1\" }]\n",
    );
    for c in 0..100 {
        for k in 0..7 {
            let (start, end) = (1950 + k * 8, 1958 + k * 8);
            let end = if k == 6 {
                "ongoing".to_string()
            } else {
                end.to_string()
            };
            text += &format!(
                "[[node]]\nid = \"body-{c}-{k}\"\nkind = \"body\"\nname = \"Board {c} stage {k}\"\n\
                 start = \"{start}\"\nend = \"{end}\"\nsources = [{{ doc = \"src\", at = \"p. {c}\" }}]\n"
            );
            if k > 0 {
                text += &format!(
                    "[[edge]]\nfrom = \"body-{c}-{k}\"\nrelation = \"replaced\"\nto = \"body-{c}-{}\"\n\
                     sources = [{{ doc = \"src\", at = \"p. {c}\" }}]\n",
                    k - 1
                );
            }
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("collection.toml"), text).unwrap();
}

#[test]
#[ignore = "needs Chromium, Node.js and playwright-core (npm ci --prefix tests/browser)"]
fn the_explorer_and_deck_work_in_chromium() {
    if let Some(reason) = missing() {
        panic!("this test needs a browser: {reason}");
    }
    let work = tempfile::tempdir().unwrap();
    let built = work.path().join("built");
    let injected = work.path().join("injected");
    run(&["build", "--out", built.to_str().unwrap()]);
    let data = ["--data", "tests/data/injection"];
    let seminar = injected.join("seminar");
    run(&[&data[..], &["seminar", "--out", seminar.to_str().unwrap()]].concat());
    let small = work.path().join("small");
    run(&[
        "--data",
        "tests/data/policy",
        "seminar",
        "--out",
        small.to_str().unwrap(),
    ]);
    // A story around one node: a handful of nodes on a small chart.
    let focus = work.path().join("focus");
    run(&[
        "seminar",
        "--focus",
        "better-care-fund",
        "--out",
        focus.to_str().unwrap(),
    ]);
    // Ids that name JavaScript built-ins.
    let builtins = work.path().join("builtins.html");
    run(&[
        "--data",
        "tests/data/builtins",
        "explorer",
        "-o",
        builtins.to_str().unwrap(),
    ]);
    let small_explorer = work.path().join("small-explorer.html");
    run(&[
        "--data",
        "tests/data/policy",
        "explorer",
        "-o",
        small_explorer.to_str().unwrap(),
    ]);
    let explorer = injected.join("explorer.html");
    run(&[&data[..], &["explorer", "-o", explorer.to_str().unwrap()]].concat());
    let large = work.path().join("large");
    large_lineage(&large);
    let large_explorer = work.path().join("large-explorer.html");
    run(&[
        "--data",
        large.to_str().unwrap(),
        "explorer",
        "-o",
        large_explorer.to_str().unwrap(),
    ]);
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&artefacts).unwrap();
    let out = Command::new("node")
        .arg(Path::new(ROOT).join("tests/browser/run.mjs"))
        .arg(chromium().unwrap())
        .arg(&artefacts)
        .arg(&built)
        .arg(&injected)
        .arg(&small)
        .arg(&focus)
        .arg(&builtins)
        .arg(&small_explorer)
        .arg(&large_explorer)
        .arg(std::env::var_os("POLICYGRAPH_DOCS_SHOTS").unwrap_or_else(|| "-".into()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("all browser checks passed"));
    for shot in [
        "explorer-overview.png",
        "explorer-focus.png",
        "explorer-2022.png",
        "explorer-small.png",
        "seminar.png",
    ] {
        let p = artefacts.join(shot);
        assert!(
            std::fs::metadata(&p).is_ok_and(|m| m.len() > 1000),
            "{}",
            p.display()
        );
    }
    eprintln!("screenshots in {}", artefacts.display());
}

/// Pages written by `build --watch` and opened from files reload themselves: when the
/// stamp beside them is rewritten, and when an edit of the data makes the running
/// watcher rebuild (tests/browser/reload.mjs). Waits are for lines the watcher prints
/// and for the page, each bounded.
#[test]
#[ignore = "needs Chromium, Node.js and playwright-core (npm ci --prefix tests/browser)"]
fn pages_built_by_watch_reload_themselves_from_file() {
    use std::io::BufRead;
    if let Some(reason) = missing() {
        panic!("this test needs a browser: {reason}");
    }
    let work = tempfile::tempdir().unwrap();
    let (data, out) = (work.path().join("data"), work.path().join("out"));
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("tests/data/valid/collection.toml"),
        data.join("collection.toml"),
    )
    .unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("policygraph"))
        .arg("--data")
        .arg(&data)
        .args(["build", "--watch", "--out"])
        .arg(&out)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = lines.recv_timeout(std::time::Duration::from_secs(30));
    let ok = matches!(&first, Ok(l) if l.starts_with("built "));
    if !ok {
        let _ = child.kill();
        panic!("no first build: {first:?}");
    }
    let result = Command::new("node")
        .arg(Path::new(ROOT).join("tests/browser/reload.mjs"))
        .arg(chromium().unwrap())
        .arg(&out)
        .arg(data.join("collection.toml"))
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    println!("{stdout}");
    assert!(result.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("all reload checks passed"));
}

/// Exports `view` of `data` as `format` into `dir/NAME.EXT`, with the expectation
/// consumers.mjs checks beside it (`NAME.expect.json`), counted from our own JSON
/// export of the same view.
fn export_for_readers(dir: &Path, name: &str, data: &str, view: &[&str], format: &str, ext: &str) {
    let file = dir.join(format!("{name}.{ext}"));
    let args = [
        &["--data", data, "export"][..],
        view,
        &["--format", format, "-o", file.to_str().unwrap()],
    ]
    .concat();
    run(&args);
    let json = run(&[&["--data", data, "export"][..], view, &["--format", "json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let nodes = json["nodes"].as_array().unwrap();
    // One node with a start and, where the data has one, a whole-number attribute,
    // whose values and types graphology-gexf must keep.
    let sample = nodes
        .iter()
        .find(|n| {
            n["start"].is_string()
                && n["attrs"]
                    .as_object()
                    .is_some_and(|a| a.values().any(|v| v.is_i64()))
        })
        .or_else(|| nodes.iter().find(|n| n["start"].is_string()))
        .map(|n| {
            let mut attributes = serde_json::Map::new();
            attributes.insert("label".into(), n["name"].clone());
            attributes.insert("kind".into(), n["kind"].clone());
            let year: u64 = n["start"].as_str().unwrap()[..4].parse().unwrap();
            attributes.insert("start_year".into(), year.into());
            for (k, v) in n["attrs"].as_object().into_iter().flatten() {
                if v.is_i64() || v.is_boolean() {
                    attributes.insert(format!("attrs.{k}"), v.clone());
                }
            }
            serde_json::json!({ "id": n["id"], "attributes": attributes })
        });
    let expect = serde_json::json!({
        "nodes": nodes.len(),
        "edges": json["links"].as_array().unwrap().len(),
        "sample": sample,
    });
    std::fs::write(dir.join(format!("{name}.expect.json")), expect.to_string()).unwrap();
}

#[test]
#[ignore = "needs Chromium, Node.js and the packages of tests/browser (npm ci --prefix tests/browser)"]
fn mermaid_and_graphology_gexf_read_our_exports() {
    if let Some(reason) = missing() {
        panic!("this test needs a browser: {reason}");
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let views: [(&str, &str, &[&str]); 5] = [
        ("lineage", "data", &["lineage"]),
        (
            "bcf",
            "data",
            &["ego", "--focus", "better-care-fund", "--depth", "2"],
        ),
        ("critiques", "data", &["critiques"]),
        ("injection", "tests/data/injection", &["whole"]),
        ("rich", "tests/data/rich", &["whole"]),
    ];
    for (name, data, view) in views {
        export_for_readers(dir, name, data, view, "mermaid", "mmd");
        export_for_readers(dir, &format!("{name}-gexf"), data, view, "gexf", "gexf");
    }
    export_for_readers(dir, "whole-gexf", "data", &["whole"], "gexf", "gexf");
    std::fs::write(
        dir.join("limits.json"),
        serde_json::json!({
            "edges": policygraph::export::mermaid::MAX_EDGES,
            "text": policygraph::export::mermaid::MAX_TEXT,
        })
        .to_string(),
    )
    .unwrap();
    let out = Command::new("node")
        .arg(Path::new(ROOT).join("tests/browser/consumers.mjs"))
        .arg(chromium().unwrap())
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
