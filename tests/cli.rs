//! Integration tests: the real binary on small named fixtures in tests/data/.
//!
//! Every test runs with NO_COLOR and without RUST_BACKTRACE so output is stable, from
//! the crate root so paths in messages are relative. Nothing here writes into data/ or
//! output/: tests that need odd files make them in a temporary directory.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::policygraph;
use std::path::Path;

/// Runs the binary and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = policygraph().args(args).output().expect("runs");
    (
        out.status.code().expect("exits, not killed"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// Everything a person sees from a run, for snapshots.
fn transcript(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args);
    format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "panic hint: {stderr}");
}

// ---- validate ----

#[test]
fn shipped_data_validates_cleanly() {
    let (code, stdout, stderr) = run(&["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("ok: no errors, no warnings"),
        "{stdout}{stderr}"
    );
    assert!(stdout.contains("nodes by kind") && stdout.contains("edges by relation"));
}

#[test]
fn shipped_data_is_clean_even_when_strict() {
    let (code, _, stderr) = run(&["validate", "--strict"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn every_error_is_reported_in_one_run() {
    let (code, _, stderr) = run(&["--data", "tests/data/errors", "validate"]);
    assert_eq!(code, 1);
    for expected in [
        "syntax",
        "unknown-field",
        "wrong-type",
        "unknown-kind",
        "unknown-relation",
        "duplicate-id",
        "unknown-node",
        "source-not-document",
        "invalid-date",
        "replaced-kind-mismatch",
        "replaced-cycle",
        "relation-kinds",
    ] {
        assert!(
            stderr.contains(&format!("{expected}\n")),
            "missing {expected}:\n{stderr}"
        );
    }
    // Each with its file and line.
    assert!(stderr.contains("[tests/data/errors/broken.toml:2:"));
    assert!(
        stderr.contains("[tests/data/errors/nodes.toml:20:1]"),
        "unknown field at its key"
    );
    assert!(stderr.contains("did you mean `health-and-wellbeing-boards`?"));
    assert!(stderr.contains("board-a → board-b → board-c → board-a"));
}

#[test]
fn errors_report_snapshot() {
    insta::assert_snapshot!(transcript(&["--data", "tests/data/errors", "validate"]));
}

#[test]
fn warnings_pass_unless_strict() {
    let (code, stdout, _) = run(&["--data", "tests/data/warnings", "validate"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("ok: no errors, 8 warnings"), "{stdout}");
}

#[test]
fn warnings_report_snapshot_under_strict() {
    insta::assert_snapshot!(transcript(&[
        "--data",
        "tests/data/warnings",
        "validate",
        "--strict"
    ]));
}

#[test]
fn validate_json_lists_problems_with_locations() {
    let (code, stdout, _) = run(&[
        "--data",
        "tests/data/errors",
        "validate",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(v["ok"], false);
    let problems = v["problems"].as_array().expect("problems");
    assert_eq!(
        problems.len() as u64,
        v["errors"].as_u64().unwrap() + v["warnings"].as_u64().unwrap()
    );
    let dup = problems
        .iter()
        .find(|p| p["code"] == "duplicate-id")
        .expect("duplicate-id");
    assert_eq!(dup["file"], "tests/data/errors/nodes.toml");
    assert_eq!(dup["line"], 36);
    assert_eq!(dup["column"], 6);
    assert!(v["nodes"].is_array() && v["edges"].is_array());
}

#[test]
fn toml_and_csv_give_the_same_records() {
    let graph = |dir: &str| {
        let (code, stdout, stderr) = run(&["--data", dir, "validate", "--format", "json"]);
        assert_eq!(code, 0, "{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        (v["nodes"].clone(), v["edges"].clone())
    };
    assert_eq!(graph("tests/data/valid"), graph("tests/data/valid-csv"));
}

#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let before = run(&[
        "--data",
        "tests/data/valid",
        "--strict",
        "show",
        "PCTs",
        "--format",
        "json",
    ]);
    let after = run(&[
        "show",
        "PCTs",
        "--format",
        "json",
        "--data",
        "tests/data/valid",
        "--strict",
    ]);
    assert_eq!(before.0, 0, "{}", before.2);
    assert!(before.1.contains("\"primary-care-trusts\""), "{}", before.1);
    assert_eq!(before, after);
    // `--format` was a global option once: written before the subcommand, it still
    // reaches the command's own `--format`.
    let old = run(&[
        "--data",
        "tests/data/valid",
        "--format",
        "json",
        "--strict",
        "show",
        "PCTs",
    ]);
    assert_eq!(old, before);
}

#[test]
fn each_command_takes_only_its_own_formats() {
    let export_instead = "tip: `policygraph export VIEW --format";
    let none = "tip: --format belongs to the queries (text or json) and to `export`";
    for (args, expected) in [
        (vec!["lineage", "ccgs", "--format", "dot"], export_instead),
        (vec!["--format", "gexf", "show", "ccgs"], export_instead),
        (vec!["stats", "--format=cypher"], export_instead),
        (
            vec!["timeline", "--format", "xml"],
            "[possible values: text, json]",
        ),
        (
            vec!["export", "--format", "text"],
            "[possible values: dot, json,",
        ),
        (
            vec!["export", "--format", "dot,svg", "-o", "x"],
            "invalid value 'svg'",
        ),
        (vec!["render", "--format", "svg"], none),
        (vec!["build", "--format", "json"], none),
        (vec!["--format", "json", "seminar"], none),
        (vec!["explorer", "--format", "json"], none),
    ] {
        let mut full = vec!["--data", "tests/data/policy"];
        full.extend_from_slice(&args);
        let (code, stdout, stderr) = run(&full);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("--from"),
            "no guess at a similar option: {stderr}"
        );
    }
    let (code, help, _) = run(&["lineage", "--help"]);
    assert_eq!(code, 0);
    assert!(help.contains("- json:") && !help.contains("gexf") && !help.contains("cypher"));
}

// ---- show and search ----

#[test]
fn show_finds_by_id_alias_and_name_in_any_case() {
    for query in [
        "clinical-commissioning-groups",
        "CCGs",
        "ccgs",
        "Clinical Commissioning Groups",
    ] {
        let (code, stdout, stderr) = run(&["--data", "tests/data/valid", "show", query]);
        assert_eq!(code, 0, "{query}: {stderr}");
        assert!(
            stdout.starts_with("Clinical commissioning groups\n"),
            "{query}: {stdout}"
        );
    }
}

#[test]
fn show_text_snapshot() {
    insta::assert_snapshot!(transcript(&["--data", "tests/data/valid", "show", "CCGs"]));
}

#[test]
fn show_json_snapshot() {
    insta::assert_snapshot!(transcript(&[
        "--data",
        "tests/data/valid",
        "show",
        "CCGs",
        "--format",
        "json"
    ]));
}

#[test]
fn ambiguous_name_exits_2_with_candidates() {
    let (code, stdout, stderr) = run(&["--data", "tests/data/valid", "show", "care board"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("`care board` is ambiguous"), "{stderr}");
    assert!(
        stderr.contains("care-board (body)") && stderr.contains("care-fund (initiative)"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["--data", "tests/data/valid", "show", "cb"]);
    assert_eq!(code, 2, "an ambiguous alias too: {stderr}");
}

#[test]
fn unknown_name_exits_2_with_suggestions() {
    let (code, _, stderr) = run(&[
        "--data",
        "tests/data/valid",
        "show",
        "clinical-comissioning-groups",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no node is called `clinical-comissioning-groups`; did you mean:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("clinical-commissioning-groups (body"),
        "{stderr}"
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn search_matches_id_alias_name_and_summary() {
    let ids = |text: &str| {
        let (code, stdout, stderr) = run(&[
            "--data",
            "tests/data/valid",
            "search",
            text,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        v["matches"]
            .as_array()
            .expect("matches")
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("act-2012"), ["act-2012"], "by id");
    assert_eq!(ids("pcts"), ["primary-care-trusts"], "by alias");
    assert_eq!(ids("Health and Social"), ["act-2012"], "by name prefix");
    assert_eq!(ids("commissioned"), ["primary-care-trusts"], "by summary");
    assert_eq!(
        ids("care")[0],
        "care-board",
        "exact and prefix before substring"
    );
}

#[test]
fn search_json_snapshot() {
    insta::assert_snapshot!(transcript(&[
        "--data",
        "tests/data/valid",
        "search",
        "care",
        "--kinds",
        "body",
        "--format",
        "json"
    ]));
}

#[test]
fn search_text_snapshot() {
    insta::assert_snapshot!(transcript(&[
        "--data",
        "tests/data/valid",
        "search",
        "care"
    ]));
}

#[test]
fn queries_refuse_data_with_errors() {
    let (code, stdout, stderr) = run(&["--data", "tests/data/errors", "show", "fund"]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("error: the data has"), "{stderr}");
    assert!(stderr.contains("run `policygraph validate`"), "{stderr}");
}

// ---- queries: one JSON snapshot per command on the policy fixture ----

#[test]
fn query_json_snapshots() {
    let cases: &[(&str, &[&str])] = &[
        ("lineage_merge", &["lineage", "NHSI"]),
        (
            "lineage_split",
            &["lineage", "phe", "--direction", "forward"],
        ),
        ("lineage_chain", &["lineage", "ccgs"]),
        ("critiques_all", &["critiques"]),
        (
            "critiques_bcf_critical",
            &["critiques", "bcf", "--stance", "critical"],
        ),
        ("critiques_by_nao", &["critiques", "--by", "NAO"]),
        ("path_narrated", &["path", "pcts", "act-2022", "--narrate"]),
        (
            "path_all",
            &["path", "vanguards", "pioneers", "--all", "--max-len", "3"],
        ),
        ("explain", &["explain", "ukhsa", "ohid"]),
        ("neighbours", &["neighbours", "bcf", "--depth", "2"]),
        ("timeline", &["timeline", "--from", "2012", "--to", "2014"]),
        (
            "timeline_as_of",
            &["timeline", "--as-of", "2016", "--kinds", "body"],
        ),
        ("diff", &["diff", "2012", "2022"]),
        ("stats", &["stats", "--top", "5"]),
    ];
    for (name, args) in cases {
        let mut full = vec!["--data", "tests/data/policy"];
        full.extend_from_slice(args);
        full.extend_from_slice(&["--format", "json"]);
        let (code, stdout, stderr) = run(&full);
        assert_eq!(code, 0, "{name}: {stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
        assert!(
            v["nodes"].is_array() && v["edges"].is_array(),
            "{name}: the contract's nodes and edges"
        );
        for node in v["nodes"].as_array().unwrap() {
            for field in ["id", "kind", "name", "start", "end"] {
                assert!(node.get(field).is_some(), "{name}: node without {field}");
            }
        }
        insta::assert_snapshot!(format!("json_{name}"), stdout);
    }
}

#[test]
fn query_text_snapshots() {
    let cases: &[(&str, &[&str])] = &[
        ("lineage", &["lineage", "ccgs"]),
        ("critiques", &["critiques"]),
        ("path", &["path", "pcts", "act-2022", "--narrate"]),
        ("neighbours", &["neighbours", "bcf"]),
        ("timeline", &["timeline", "--to", "2013"]),
        ("diff", &["diff", "2012", "2022"]),
        ("stats", &["stats"]),
    ];
    for (name, args) in cases {
        let mut full = vec!["--data", "tests/data/policy"];
        full.extend_from_slice(args);
        let (code, stdout, stderr) = run(&full);
        assert_eq!(code, 0, "{name}: {stderr}");
        insta::assert_snapshot!(format!("text_{name}"), stdout);
    }
}

#[test]
fn no_path_exits_1_with_a_reason() {
    let (code, stdout, stderr) = run(&[
        "--data",
        "tests/data/policy",
        "path",
        "pcts",
        "monitor",
        "--directed",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("no path connects Primary care trusts (pcts) and Monitor (monitor)"),
        "{stderr}"
    );
    assert!(stderr.contains("try without --directed"), "{stderr}");
}

#[test]
fn query_usage_errors_exit_2() {
    for args in [
        vec!["timeline", "--as-of", "20"],
        vec!["critiques", "--stance", "angry"],
        vec!["path", "a"],
        vec!["neighbours", "bcf", "--relations", "replaces"],
        vec!["timeline", "--as-of", "2015", "--from", "2010"],
    ] {
        let mut full = vec!["--data", "tests/data/policy"];
        full.extend_from_slice(&args);
        let (code, _, stderr) = run(&full);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
}

// ---- help ----

#[test]
fn help_snapshots() {
    for (name, args) in [
        ("help_main", vec!["--help"]),
        ("help_validate", vec!["validate", "--help"]),
        ("help_show", vec!["show", "--help"]),
        ("help_search", vec!["search", "--help"]),
        ("help_lineage", vec!["lineage", "--help"]),
        ("help_critiques", vec!["critiques", "--help"]),
        ("help_discrepancies", vec!["discrepancies", "--help"]),
        ("help_path", vec!["path", "--help"]),
        ("help_explain", vec!["explain", "--help"]),
        ("help_neighbours", vec!["neighbours", "--help"]),
        ("help_timeline", vec!["timeline", "--help"]),
        ("help_diff", vec!["diff", "--help"]),
        ("help_stats", vec!["stats", "--help"]),
        ("help_export", vec!["export", "--help"]),
        ("help_render", vec!["render", "--help"]),
        ("help_seminar", vec!["seminar", "--help"]),
        ("help_explorer", vec!["explorer", "--help"]),
        ("help_build", vec!["build", "--help"]),
        ("help_new", vec!["new", "--help"]),
        ("help_import_refs", vec!["import", "refs", "--help"]),
        ("help_completions", vec!["completions", "--help"]),
        ("help_man", vec!["man", "--help"]),
        ("help_import_govuk", vec!["import", "govuk", "--help"]),
        ("help_import_wikidata", vec!["import", "wikidata", "--help"]),
        ("help_import_clml", vec!["import", "clml", "--help"]),
        ("help_successions", vec!["successions", "--help"]),
        ("help_layering", vec!["layering", "--help"]),
    ] {
        let (code, stdout, _) = run(&args);
        assert_eq!(code, 0);
        insta::assert_snapshot!(name, stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = run(&["frobnicate"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unrecognized subcommand"), "{stderr}");
    let (code, stdout, stderr) = run(&["search", "x", "--kinds", "bodyy"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty() && stderr.contains("bodyy"), "{stderr}");
}

// ---- hostile input: no panic, a documented exit code, a readable message ----

fn with_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), bytes).expect("write");
    let path = dir.path().to_str().expect("utf-8 path").to_string();
    (dir, path)
}

#[test]
fn empty_toml_file_is_no_data_but_no_crash() {
    let (_dir, path) = with_file("empty.toml", b"");
    let (code, stdout, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(
        code, 0,
        "an empty file is valid TOML with no records: {stderr}"
    );
    assert!(stdout.contains("0 nodes"), "{stdout}");
}

#[test]
fn empty_csv_file_is_an_error() {
    let (_dir, path) = with_file("nodes.csv", b"");
    let (code, _, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(stderr.contains("the file is empty"), "{stderr}");
}

#[test]
fn random_bytes_are_an_encoding_error() {
    // A fixed pseudo-random sequence, including bytes that are not UTF-8.
    let mut x: u32 = 0x2545_F491;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    let (_dir, path) = with_file("noise.toml", &bytes);
    let (code, _, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
}

#[test]
fn random_text_is_a_syntax_error() {
    let (_dir, path) = with_file(
        "noise.toml",
        "]]]] = = \"\n[[[ \u{7}\u{0} é ,,\n".as_bytes(),
    );
    let (code, _, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(stderr.contains("invalid TOML"), "{stderr}");
}

#[test]
fn ten_megabyte_single_line_gives_a_short_report() {
    let mut text = b"[[node]]\nid = \"".to_vec();
    text.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    // No closing quote: a syntax error at the end of a 10 MB line.
    let (_dir, path) = with_file("huge.toml", &text);
    let (code, _, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(stderr.contains("invalid TOML"), "{stderr}");
    assert!(
        stderr.len() < 4096,
        "the snippet is cropped, not 10 MB: {} bytes",
        stderr.len()
    );
}

#[test]
fn ten_megabyte_id_is_reported_cropped() {
    let mut text = b"[[node]]\nid = \"".to_vec();
    text.extend(std::iter::repeat_n(b'X', 10 * 1024 * 1024));
    text.extend(b"\"\nkind = \"body\"\nname = \"n\"\n");
    let (_dir, path) = with_file("huge.toml", &text);
    let (code, _, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is not kebab-case"),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    assert!(stderr.len() < 8192, "cropped: {} bytes", stderr.len());
}

const GOOD: &str = "[[node]]\nid = \"a\"\nkind = \"document\"\nname = \"A\"\nsources = [{ doc = \"a\", at = \"p. 1\" }]\n";

#[test]
fn utf8_bom_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(GOOD.as_bytes());
    let (_dir, path) = with_file("bom.toml", &bytes);
    let (code, stdout, stderr) = run(&["--data", &path, "validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 node"), "{stdout}");
}

#[test]
fn crlf_line_endings_are_accepted_and_located() {
    let text = GOOD.replace('\n', "\r\n")
        + "[[node]]\r\nid = \"b\"\r\nkind = \"bodyy\"\r\nname = \"B\"\r\n";
    let (_dir, path) = with_file("crlf.toml", text.as_bytes());
    let (code, _, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("crlf.toml:8:8]"),
        "line 8, column 8: {stderr}"
    );
}

#[test]
fn crlf_csv_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("nodes.csv"),
        "id,kind,name,start,end,aliases,summary,stance,sources\r\na,document,A,2020,,,,,a@p. 1\r\n",
    )
    .expect("write");
    let (code, stdout, stderr) = run(&["--data", dir.path().to_str().unwrap(), "validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 node"));
}

#[test]
fn invalid_utf8_is_located() {
    let mut bytes = GOOD.as_bytes().to_vec();
    bytes.extend(b"# caf\xE9\n");
    let (_dir, path) = with_file("latin1.toml", &bytes);
    let (code, _, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(stderr.contains("not valid UTF-8: byte 0xE9"), "{stderr}");
    assert!(stderr.contains("latin1.toml:6:6]"), "{stderr}");
}

#[test]
fn missing_data_path_is_a_usage_error() {
    let (code, stdout, stderr) = run(&["--data", "no/such/dir", "validate"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "error: data path `no/such/dir` does not exist\n  help: pass --data DIR with a directory of *.toml files or of nodes.csv and edges.csv (default: data/)\n"
    );
}

#[test]
fn directory_without_data_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("README.md"), "not data").expect("write");
    let (code, _, stderr) = run(&["--data", dir.path().to_str().unwrap(), "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(stderr.contains("no data found in"), "{stderr}");
}

#[test]
fn csv_errors_name_file_and_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("nodes.csv"),
        "id,kind,name,start,end,aliases,summary,stance,sources\na,document,A,2020,,,,,a@p. 1\nb,bodyy,B,2013-13-01,,,,,a@p. 1\nc,body,C\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("edges.csv"),
        "from,relation,to,date,stance,note,sources\nb,replaced,zz,,,,a@p. 2\n",
    )
    .expect("write");
    let (code, _, stderr) = run(&["--data", dir.path().to_str().unwrap(), "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("nodes.csv:3:3]") && stderr.contains("unknown kind `bodyy`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nodes.csv:3:11]") && stderr.contains("no month 13"),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 4 has 3 fields; the header has 9"),
        "{stderr}"
    );
    // `b` was rejected for its kind, so only `zz` is unknown.
    assert!(
        stderr.contains("unknown node `zz`") && !stderr.contains("unknown node `b`"),
        "{stderr}"
    );
}

#[test]
fn closed_pipe_is_a_quiet_exit() {
    // `policygraph search a | head -1`: read one line, close the pipe, and check the
    // process neither panics nor complains. The output must exceed the pipe buffer.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut nodes = String::from("id,kind,name,start,end,aliases,summary,stance,sources\n");
    for i in 0..20_000 {
        nodes.push_str(&format!("node-{i},body,A body named {i},,,,,,\n"));
    }
    std::fs::write(dir.path().join("nodes.csv"), nodes).expect("write");
    let bin = assert_cmd::cargo::cargo_bin("policygraph");
    let mut child = std::process::Command::new(bin)
        .args(["--data", dir.path().to_str().unwrap(), "search", "a"])
        .env_remove("RUST_BACKTRACE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    std::io::Read::read(&mut stdout, &mut first).expect("read");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_no_panic(&stderr);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn data_directory_is_never_written() {
    let before = snapshot_tree(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data")));
    let (code, stdout, stderr) = run(&["validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("ok: no errors"), "{stdout}");
    let (code, stdout, stderr) = run(&["show", "ccgs"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("Clinical commissioning groups\n"),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(&["search", "care", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert!(
        !v["matches"].as_array().expect("matches").is_empty(),
        "{stdout}"
    );
    assert_eq!(
        before,
        snapshot_tree(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data")))
    );
}

fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn build_refuses_data_with_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let (code, _, stderr) = run(&[
        "--data",
        "tests/data/errors",
        "build",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: the data has 13 errors"), "{stderr}");
    assert!(!out.exists(), "nothing is written from invalid data");
    let (code, stdout, stderr) = run(&[
        "--data",
        "tests/data/warnings",
        "build",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("note: the data has 8 warnings"), "{stderr}");
    assert!(stdout.starts_with("built "), "{stdout}");
}

#[test]
fn crlf_csv_rows_are_located_on_their_own_line() {
    // The csv crate gives a record after `\r\n` the offset of the `\n`: the problem must
    // still point at the row's own line, not the end of the one before.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("nodes.csv"),
        "id,kind,name\r\na,document,A\r\nb,bodyy,B\r\n",
    )
    .expect("write");
    let (code, _, stderr) = run(&["--data", dir.path().to_str().unwrap(), "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("nodes.csv:3:3]"),
        "line 3, column 3: {stderr}"
    );
}

#[test]
fn invalid_utf8_deep_in_a_streamed_csv_is_located_and_drops_the_file() {
    // Past the first read of the file, behind a BOM: the offset is exact, counted
    // without the BOM, and none of the file's rows are loaded.
    let mut bytes = b"\xEF\xBB\xBFid,kind,name\n".to_vec();
    let mut rows = 0;
    while bytes.len() < 200_000 {
        bytes.extend(format!("n{rows},body,N\n").as_bytes());
        rows += 1;
    }
    let at = bytes.len() - 3;
    bytes.extend(b"x,body,caf\xE9\n");
    let (_dir, path) = with_file("nodes.csv", &bytes);
    let (code, stdout, stderr) = run(&["--data", &path, "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("byte 0xE9 at offset {}", at + 10)),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("nodes.csv:{}:11]", rows + 2)),
        "{stderr}"
    );
    assert!(stdout.contains("0 nodes"), "{stdout}");
}

// ---- honest end dates: a date, `ongoing`, or unknown ----

#[test]
fn an_end_is_a_date_ongoing_or_unknown_in_toml_and_csv() {
    let toml = br#"[[node]]
id = "src"
kind = "document"
name = "Source"
start = "2020"
sources = [{ doc = "src", at = "p. 1" }]

[[node]]
id = "runs-on"
kind = "body"
name = "Runs on"
start = "2013"
end = "ongoing"
sources = [{ doc = "src", at = "p. 1" }]

[[node]]
id = "said-unknown"
kind = "body"
name = "Said unknown"
start = "2013"
end = "unknown"
sources = [{ doc = "src", at = "p. 1" }]

[[node]]
id = "left-out"
kind = "body"
name = "Left out"
start = "2013"
sources = [{ doc = "src", at = "p. 1" }]
"#;
    let (_dir, path) = with_file("c.toml", toml);
    let (code, stdout, stderr) = run(&[
        "--data", &path, "timeline", "--as-of", "2015", "--format", "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let ids: Vec<&str> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        ids,
        ["runs-on"],
        "only the ongoing body is known to run in 2015"
    );
    assert_eq!(
        v["end_unknown"],
        serde_json::json!(["left-out", "said-unknown"])
    );
    let status: Vec<&str> = v["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["end_status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(status, ["ongoing"]);

    let csv = "id,kind,name,start,end,aliases,summary,stance,sources\n\
        src,document,Source,2020,,,,,src@p. 1\n\
        runs-on,body,Runs on,2013,ongoing,,,,src@p. 1\n\
        said-unknown,body,Said unknown,2013,unknown,,,,src@p. 1\n\
        left-out,body,Left out,2013,,,,,src@p. 1\n";
    let (_dir2, path2) = with_file("nodes.csv", csv.as_bytes());
    let (code, stdout2, stderr) = run(&[
        "--data", &path2, "timeline", "--as-of", "2015", "--format", "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout2, stdout, "CSV and TOML say the same");
}

#[test]
fn a_bad_end_says_where_and_which_words_it_takes() {
    let toml = br#"[[node]]
id = "src"
kind = "document"
name = "Source"
sources = [{ doc = "src", at = "p. 1" }]

[[node]]
id = "x"
kind = "body"
name = "X"
start = "2013"
end = "still going"
sources = [{ doc = "src", at = "p. 1" }]
"#;
    let (_dir, path) = with_file("c.toml", toml);
    let (code, _, stderr) = run(&["--data", &path, "validate"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("c.toml:12:7"), "{stderr}");
    assert!(
        stderr.contains("`ongoing`") && stderr.contains("`unknown`"),
        "{stderr}"
    );
}

#[test]
fn a_collection_is_described_once_with_known_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let node = "[[node]]\nid = \"a\"\nkind = \"body\"\nname = \"A\"\n";
    std::fs::write(
        dir.path().join("a.toml"),
        format!("[collection]\ntitle = \"Ours\"\nauthr = \"Me\"\n\n{node}"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.toml"),
        "[collection]\ntitle = \"Theirs\"\n",
    )
    .expect("write");
    let (code, _, stderr) = run(&["--data", dir.path().to_str().unwrap(), "validate"]);
    assert_no_panic(&stderr);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("a.toml:3:1]") && stderr.contains("did you mean `author`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("b.toml:1:1]") && stderr.contains("a second [collection] table"),
        "{stderr}"
    );
}

#[test]
fn new_writes_a_collection_that_validates_and_whose_examples_are_true() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("my-area");
    let out = policygraph()
        .args([
            "new",
            dir.to_str().unwrap(),
            "--title",
            "Adult social care in Wales",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = policygraph()
        .args(["--data", dir.to_str().unwrap(), "validate", "--strict"])
        .output()
        .unwrap();
    assert!(
        out.status.success()
            && String::from_utf8_lossy(&out.stdout).contains("no errors, no warnings"),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Every example is a record of the shipped collection: same kind, name and dates,
    // and every example edge is an edge of the shipped collection.
    let new = policygraph::open::open(&dir, false).unwrap();
    let shipped = policygraph::open::open(std::path::Path::new("data"), false).unwrap();
    let (a, b) = (&new.graph, &shipped.graph);
    for n in a.nodes() {
        let mine = a.node(n);
        let theirs = b.node(
            b.get(mine.id())
                .unwrap_or_else(|| panic!("{} is not in data/", mine.id())),
        );
        assert_eq!(
            (mine.kind, mine.name(), mine.start, mine.end),
            (theirs.kind, theirs.name(), theirs.start, theirs.end),
            "{}",
            mine.id()
        );
        assert_eq!(mine.stance, theirs.stance, "{}", mine.id());
    }
    let edges = |g: &policygraph::graph::PolicyGraph| -> std::collections::BTreeSet<String> {
        g.edges()
            .map(|e| {
                let (x, y) = g.endpoints(e);
                format!(
                    "{} {} {}",
                    g.node(x).id(),
                    g.edge(e).relation,
                    g.node(y).id()
                )
            })
            .collect()
    };
    let theirs = edges(b);
    for edge in edges(a) {
        assert!(theirs.contains(&edge), "{edge} is not an edge of data/");
    }
    // A second `new` into the same folder refuses, and changes nothing.
    let before = std::fs::read(dir.join("policy.toml")).unwrap();
    let out = policygraph()
        .args(["new", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
    assert_eq!(std::fs::read(dir.join("policy.toml")).unwrap(), before);
}

/// The README's bibliography example ("Bibliography fields"), added to a collection
/// `new` made, passes `validate --strict`, and every field it shows reaches the
/// reference: the CSL-JSON export carries its three authors, journal, volume, issue,
/// article number and DOI.
#[test]
fn the_readme_bibliography_example_validates_and_is_cited_in_full() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = &readme[readme.find("### Bibliography fields").expect("section")..];
    let start = section.find("```toml\n").expect("a TOML example") + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("area");
    let out = policygraph()
        .args(["new", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(dir.join("lewis.toml"), example).unwrap();
    let out = policygraph()
        .args(["--data", dir.to_str().unwrap(), "validate", "--strict"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = policygraph()
        .args([
            "--data",
            dir.to_str().unwrap(),
            "export",
            "--format",
            "csl-json",
        ])
        .output()
        .unwrap();
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "lewis-2021-decade-of-pilots")
        .expect("exported");
    assert_eq!(item["type"], "article-journal");
    assert_eq!(item["author"].as_array().unwrap().len(), 3);
    assert_eq!(item["author"][0]["family"], "Lewis");
    assert_eq!(
        item["container-title"],
        "International Journal of Integrated Care"
    );
    assert_eq!(item["volume"], "21");
    assert_eq!(item["issue"], "4");
    assert_eq!(item["page"], "5");
    assert_eq!(item["DOI"], "10.5334/ijic.5631");
    assert_eq!(item["issued"]["date-parts"][0][0], 2021);
}

// ---- completions and man (issue 23) ----

/// The completion scripts come from the clap definitions: each names every subcommand,
/// bash's script is snapshotted, and bash itself loads it and completes a subcommand.
#[test]
fn completions_know_every_subcommand_and_bash_loads_them() {
    let subcommands: Vec<String> = {
        use clap::CommandFactory;
        policygraph::cli::Cli::command()
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect()
    };
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, stdout, stderr) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        for sub in &subcommands {
            assert!(stdout.contains(sub.as_str()), "{shell} lacks {sub}");
        }
        if shell == "bash" {
            insta::assert_snapshot!("completions_bash", stdout);
        }
    }
    // bash sources the script and completes `policygraph lin` to `lineage`.
    let script = String::from_utf8(common::run_ok(&["completions", "bash"]).stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policygraph.bash");
    std::fs::write(&path, script).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(policygraph lin); COMP_CWORD=1; COMP_LINE='policygraph lin'; COMP_POINT=15; _policygraph policygraph lin policygraph; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &probe])
        .output()
        .expect("bash runs");
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        words.lines().any(|w| w == "lineage"),
        "bash completed {words:?}; stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `man` prints policygraph.1; `man --out DIR` writes one page per command, nested
/// ones included, each a roff page with its own NAME.
#[test]
fn man_pages_cover_every_command() {
    let (code, stdout, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with(".ie") && stdout.contains(".TH policygraph 1"));
    insta::assert_snapshot!("man_policygraph", stdout);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let (code, _, stderr) = run(&["man", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    for page in [
        "policygraph.1",
        "policygraph-lineage.1",
        "policygraph-import.1",
        "policygraph-import-refs.1",
        "policygraph-man.1",
    ] {
        let text =
            std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let name = page.trim_end_matches(".1");
        assert!(text.contains(&format!(".TH {name} 1")), "{page}");
    }
}

// ---- a newcomer's first hour (issue 23) ----

/// With `--format json`, a failure is one JSON object on stderr: an unknown node (exit
/// 2), a missing data path (exit 2), data with errors (exit 1, the errors listed as
/// `validate --format json` lists them).
#[test]
fn json_errors_are_one_json_object_on_stderr() {
    for (args, code) in [
        (vec!["show", "nonexistent", "--format", "json"], 2),
        (
            vec![
                "--data",
                "/nonexistent/policygraph",
                "lineage",
                "x",
                "--format",
                "json",
            ],
            2,
        ),
        (
            vec![
                "--data",
                "tests/data/errors",
                "critiques",
                "--format",
                "json",
            ],
            1,
        ),
    ] {
        let out = policygraph().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&stderr).unwrap();
        let error = &json["error"];
        assert_eq!(error["exit_code"], code);
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(error["help"].as_str().is_some_and(|m| !m.is_empty()));
        if code == 1 {
            let problems = error["problems"].as_array().unwrap();
            assert_eq!(problems.len(), 13, "the errors of tests/data/errors");
            assert!(
                problems
                    .iter()
                    .all(|p| p["severity"] == "error" && p["line"].is_u64())
            );
        }
    }
    // Text, as before, without --format json.
    let (code, _, stderr) = run(&["show", "nonexistent"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: no node is called `nonexistent`"));
}

/// Years given the wrong way round are the range they name, everywhere, with a note:
/// `timeline --from 2015 --to 2010` is `--from 2010 --to 2015`, as `diff 2020 2010` is
/// `diff 2010 2020`, and so is a view's `--from`/`--to`.
#[test]
fn reversed_years_are_read_as_the_range_they_name() {
    let (code, reversed, note) = run(&["timeline", "--from", "2015", "--to", "2010"]);
    assert_eq!(code, 0);
    assert!(note.contains("note: --from 2015 is after --to 2010: read as 2010 to 2015"));
    let (_, ordered, _) = run(&["timeline", "--from", "2010", "--to", "2015"]);
    assert!(!ordered.is_empty());
    assert_eq!(reversed, ordered);
    let (_, a, _) = run(&["diff", "2020", "2010"]);
    let (_, b, _) = run(&["diff", "2010", "2020"]);
    assert_eq!(a, b);
    let (_, a, note) = run(&["export", "whole", "--from", "2015", "--to", "2010"]);
    let (_, b, _) = run(&["export", "whole", "--from", "2010", "--to", "2015"]);
    assert_eq!(a, b);
    assert!(note.contains("read as 2010 to 2015"));
}

/// `render -o DIR/x.svg` creates the missing folder, as `seminar --out` does; PNG is
/// drawn with nothing installed.
#[test]
fn render_creates_its_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("figures").join("deep").join("lineage.png");
    let (code, _, stderr) = run(&["render", "lineage", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
}

// ---- successions (issue 21) ----

/// The shipped data's succession events: Monitor and the NHS TDA into NHS Improvement is
/// a merger, Public Health England into UKHSA and OHID a split; the JSON is snapshotted;
/// the text's tally and the CSV's rows are recomputed from the JSON.
#[test]
fn successions_of_the_shipped_data_in_text_json_and_csv() {
    let (code, json, _) = run(&["successions", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = v["events"].as_array().unwrap();
    let find = |kind: &str, before: &[&str], after: &[&str]| {
        events.iter().any(|e| {
            e["type"] == kind
                && e["before"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect::<Vec<_>>()
                    == before
                && e["after"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect::<Vec<_>>()
                    == after
        })
    };
    assert!(find(
        "merger",
        &["monitor", "nhs-trust-development-authority"],
        &["nhs-improvement"]
    ));
    assert!(find(
        "split",
        &["public-health-england"],
        &[
            "uk-health-security-agency",
            "office-for-health-improvement-and-disparities"
        ]
    ));
    assert!(find(
        "renaming",
        &["department-of-health"],
        &["department-of-health-and-social-care"]
    ));
    // What the README's "Succession events" says of the shipped data, with the dates.
    let dated = |kind: &str, first: &str, date: &str| {
        events
            .iter()
            .any(|e| e["type"] == kind && e["before"][0] == first && e["date"] == date)
    };
    assert!(dated("merger", "monitor", "2016-04-01"));
    assert!(dated("split", "public-health-england", "2021-10-01"));
    assert!(dated("incorporation", "monitor", "2022-07-01"));
    assert!(dated("renaming", "department-of-health", "2018-01-08"));
    // NHS Improvement and the two legal bodies behind it went into NHS England at once.
    assert!(events.iter().any(|e| {
        e["type"] == "incorporation"
            && e["date"] == "2022-07-01"
            && e["before"]
                .as_array()
                .unwrap()
                .iter()
                .any(|b| b == "nhs-improvement")
    }));
    assert!(
        !events
            .iter()
            .any(|e| e["type"] == "termination" && e["before"][0] == "nhs-improvement")
    );
    assert!(
        events
            .iter()
            .all(|e| e["type"] == "termination" || !e["sources"].as_array().unwrap().is_empty())
    );
    insta::assert_snapshot!("successions_json", json);
    // The text's first line counts each type as the JSON lists them.
    let (_, text, _) = run(&["successions"]);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("{} succession events (", events.len())),
        "{first}"
    );
    for (kind, n) in v["counts"].as_object().unwrap() {
        let n = n.as_u64().unwrap();
        if n > 0 {
            assert!(first.contains(&format!("{n} {kind}")), "{first}");
        }
    }
    assert_eq!(text.lines().count(), 1 + events.len());
    // The CSV: one row per event, the same types in the same order.
    let (_, csv_text, _) = run(&["successions", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let types: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    let json_types: Vec<String> = events
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types, json_types);
    // --type filters.
    let (_, only, _) = run(&["successions", "--type", "split", "--format", "json"]);
    let only: serde_json::Value = serde_json::from_str(&only).unwrap();
    assert_eq!(only["events"].as_array().unwrap().len(), 1);
}
