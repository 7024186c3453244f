//! The hostile-input corpus: one folder per case under `tests/hostile/`, each a test.
//!
//! A case is a folder with a `case.toml` saying what it shows, the command (`--data`
//! is added), the exit code, and text stdout and stderr must (or must not) hold; its
//! data sits in `data/`, or, for the big cases (a 1 MB id, a 100,000-long chain, a
//! 10,000-node cycle, deep nesting), is generated into a temporary directory by the
//! generator `generate` names. An injection case names a `consumer` instead: its data
//! is exported in that format by the real binary and read back by what reads that
//! format for real (the system `dot`, an XML parser, the csv crate), which must see
//! exactly the intended nodes with their names as literal text. Cases whose consumer is
//! a tool (the system `dot`, networkx) are ignored by a plain `cargo test` and fail
//! when the tool is missing under `--include-ignored`.
//!
//! An output-target case names a `setup` (in `tests/common/outputs.rs`): it prepares a
//! work directory (devices behind links, FIFOs, links out of `--out`, a held lock), the
//! binary runs there with `{work}` in `args` naming it, and the setup's check runs
//! afterwards (what is outside is untouched, the link is still a link). `unprivileged`
//! runs the binary as an unprivileged user when the tests run as root, so a permission
//! case cannot pass by skipping; `stdout_to` sends stdout to a file (`/dev/full`).
//!
//! Every run must exit with the documented code (0 success, 1 invalid data, 2 usage or
//! unknown node), never panic, and say what went wrong. Every run's stdout and stderr
//! must be UTF-8 holding no character a terminal acts on (C0 controls other than tab and
//! line feed, DEL, C1 controls, bidirectional controls; see `assert_inert`), whatever
//! the data holds: a case with binary stdout says `stdout_binary`. In `args`, `{tmp}`
//! (like `{work}`) stands for the case's own temporary work folder (an `--out` folder,
//! say), whose files `tmp_files` lists. Adding a case is adding a
//! folder and one line to `cases!`; `every_case_folder_has_a_test` keeps the two in
//! step. Nothing here writes outside temporary directories.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;
#[path = "common/outputs.rs"]
mod outputs;

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
    /// Text stderr must not hold.
    #[serde(default)]
    stderr_absent: Vec<String>,
    /// An output-target case: prepare a work directory with this setup.
    setup: Option<String>,
    /// Run as an unprivileged user (when the tests run as root).
    #[serde(default)]
    unprivileged: bool,
    /// Stdout goes to this file (such as `/dev/full`) instead of being captured.
    stdout_to: Option<String>,
    /// Stdout is binary (an image written to `-o -`): only stderr is checked for
    /// terminal controls.
    #[serde(default)]
    stdout_binary: bool,
    /// Files that must be in `{tmp}` after the run (paths relative to it).
    #[serde(default)]
    tmp_files: Vec<String>,
}

macro_rules! cases {
    ($($(#[$meta:meta])* $test:ident => $folder:literal),* $(,)?) => {
        $(
            #[test]
            $(#[$meta])*
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
    path_max => "path-max",
    look_alike_data_files => "look-alike-data-files",
    empty_fields_toml => "empty-fields-toml",
    padded_fields_toml => "padded-fields-toml",
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
    #[ignore = "needs the system Graphviz `dot` (apt-get install graphviz)"]
    inject_dot => "inject-dot",
    inject_svg => "inject-svg",
    inject_graphml => "inject-graphml",
    inject_gexf => "inject-gexf",
    inject_csv => "inject-csv",
    inject_mermaid => "inject-mermaid",
    output_dev_null => "output-dev-null",
    output_dev_null_render => "output-dev-null-render",
    output_proc_self_fd => "output-proc-self-fd",
    output_dash => "output-dash",
    output_fifo_render => "output-fifo-render",
    output_fifo_export => "output-fifo-export",
    output_fifo_no_reader => "output-fifo-no-reader",
    output_link_to_file => "output-link-to-file",
    output_dangling_link => "output-dangling-link",
    output_directory => "output-directory",
    output_disk_full => "output-disk-full",
    output_name_too_long => "output-name-too-long",
    output_read_only_directory => "output-read-only-directory",
    output_read_only_export => "output-read-only-export",
    help_to_full_stdout => "help-to-full-stdout",
    version_to_full_stdout => "version-to-full-stdout",
    explorer_default_link => "explorer-default-link",
    explorer_builtin_ids => "explorer-builtin-ids",
    linked_seminar_folder => "linked-seminar-folder",
    linked_out_folder => "linked-out-folder",
    links_in_out => "links-in-out",
    user_files_in_out => "user-files-in-out",
    seminar_user_steps => "seminar-user-steps",
    tampered_manifest => "tampered-manifest",
    output_locked => "output-locked",
    seminar_locked => "seminar-locked",
    terminal_toml_escapes => "terminal-toml-escapes",
    terminal_toml_raw => "terminal-toml-raw",
    terminal_csv_cells => "terminal-csv-cells",
    terminal_json_report => "terminal-json-report",
    line_break_in_name => "line-break-in-name",
    line_break_in_name_path => "line-break-in-name-path",
    format_characters => "format-characters",
    joiners_kept => "joiners-kept",
    noncharacter_name => "noncharacter-name",
    noncharacter_export => "noncharacter-export",
    era_names => "era-names",
    era_file_names => "era-file-names",
    gexf_many_node_attributes => "gexf-many-node-attributes",
    gexf_many_edge_attributes => "gexf-many-edge-attributes",
    attr_names_like_columns => "attr-names-like-columns",
    attr_names_prefixed => "attr-names-prefixed",
    handout_url_injection => "handout-url-injection",
    handout_doi_injection => "handout-doi-injection",
    path_all_22_nodes => "path-all-22-nodes",
    path_all_huge_max_len => "path-all-huge-max-len",
    path_all_huge_max_len_ring => "path-all-huge-max-len-ring",
    path_all_clique => "path-all-clique",
    path_all_clique_default => "path-all-clique-default",
    path_all_choke => "path-all-choke",
    path_all_json_choke => "path-all-json-choke",
    limit_zero_search => "limit-zero-search",
    limit_zero_path => "limit-zero-path",
    year_0800_as_of => "year-0800-as-of",
    year_0000_diff => "year-0000-diff",
    year_three_digits => "year-three-digits",
    stats_near_cap => "stats-near-cap",
    stats_over_cap => "stats-over-cap",
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
    run_with(policygraph(), data, args, false)
}

/// [`run`] with a prepared command (the binary, perhaps as another user, in a work
/// directory, with stdout redirected), and stdout allowed to be binary when `binary`.
fn run_with(
    mut cmd: assert_cmd::Command,
    data: &Path,
    args: &[&str],
    binary: bool,
) -> (i32, String, String) {
    let out = cmd
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
    assert_inert("stderr", &out.stderr, args);
    if !binary {
        assert_inert("stdout", &out.stdout, args);
    }
    (code, stdout, stderr)
}

/// Fails unless `bytes` is UTF-8 with no character a terminal acts on: U+0000–U+0008,
/// U+000B–U+001F (carriage return included), U+007F–U+009F (DEL and the C1 controls,
/// among them CSI U+009B), and the bidirectional controls U+061C, U+200E, U+200F,
/// U+202A–U+202E and U+2066–U+2069. Tab and line feed are the only controls output
/// may hold. (The bytes 0x80–0x9F occur inside ordinary UTF-8 characters, so the
/// check is on the decoded text; text that does not decode fails.)
fn assert_inert(what: &str, bytes: &[u8], args: &[&str]) {
    let text = std::str::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("{what} of {args:?} is not UTF-8: {e}"));
    let acts = |c: char| {
        matches!(c,
            '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
            | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}')
    };
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| acts(c)) {
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(60)
            .map_or(0, |(i, _)| i);
        panic!(
            "{what} of {args:?} holds U+{:04X} at byte {at}: {:?}",
            c as u32,
            &text[from..(at + 20).min(text.len())]
        );
    }
}

/// The `attrs` cases with networkx reading the GraphML back as well.
#[test]
#[ignore = "needs python3 with networkx (pip install networkx)"]
fn attr_names_read_by_networkx() {
    for folder in ["attr-names-like-columns", "attr-names-prefixed"] {
        run_case_with(folder, true);
    }
}

fn run_case(folder: &str) {
    run_case_with(folder, false);
}

/// Runs a case; `tools`: its consumer also runs the parts that need a tool which a
/// plain `cargo test` may lack (networkx).
fn run_case_with(folder: &str, tools: bool) {
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
        consume(consumer, &data, tools);
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let after = case
        .setup
        .as_deref()
        .map(|name| outputs::setup(name, work.path()));
    let work_dir = work.path().to_str().unwrap();
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| a.replace("{work}", work_dir).replace("{tmp}", work_dir))
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut cmd = policygraph();
    let mut std_cmd = None;
    if case.unprivileged
        && let Some(user) = outputs::unprivileged()
    {
        use std::os::unix::fs::PermissionsExt;
        for dir in [work.path(), generated.path()] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        outputs::give(work.path(), user);
        std_cmd = Some(outputs::as_user(
            user,
            &outputs::binary_for(user, work.path()),
        ));
    }
    if let Some(to) = &case.stdout_to {
        // assert_cmd captures stdout itself: a shell redirects it instead.
        let inner = std_cmd.unwrap_or_else(|| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("policygraph"))
        });
        let mut sh = std::process::Command::new("sh");
        sh.args(["-c", "exec \"$@\" > \"$0\"", to])
            .arg(inner.get_program())
            .args(inner.get_args());
        std_cmd = Some(sh);
    }
    if let Some(std_cmd) = std_cmd {
        cmd = assert_cmd::Command::from_std(std_cmd);
        cmd.env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    }
    if case.setup.is_some() {
        cmd.current_dir(work.path());
    }
    let (code, stdout, stderr) = run_with(cmd, &data, &args, case.stdout_binary);
    for file in &case.tmp_files {
        assert!(
            work.path().join(file).is_file(),
            "{folder}: {file} was not written; {:?}",
            std::fs::read_dir(work.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect::<Vec<_>>()
        );
    }
    if let Some(after) = after {
        after(work.path(), &stdout);
    }
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
    for unwanted in &case.stderr_absent {
        assert!(
            !stderr.contains(unwanted),
            "{folder}: stderr holds {unwanted:?}\n{}",
            shown(&stderr)
        );
    }
    if case.exit != 0 {
        // Problems are drawn on stderr (`×` and a code); other failures say `error:`;
        // a JSON report lists them on stdout.
        assert!(
            stderr.contains("error")
                || stderr.contains('×')
                || stdout.contains("\"severity\": \"error\""),
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
        "policy" => {
            // A small valid collection with eras: what output-target cases build.
            let text =
                std::fs::read_to_string(Path::new(ROOT).join("tests/data/policy/collection.toml"));
            write("collection.toml", text.unwrap());
        }
        "non-utf8-file-name" => {
            use std::os::unix::ffi::OsStrExt;
            write("ok.toml", DOC.to_string());
            let bad = std::ffi::OsStr::from_bytes(b"caf\xe9.toml");
            std::fs::write(dir.join(bad), DOC.replace("\"doc\"", "\"other\"")).unwrap();
            std::fs::create_dir(dir.join(std::ffi::OsStr::from_bytes(b"\xff-folder"))).unwrap();
        }
        "path-max" => {
            // Two steps of relative `mkdir -p`, each under PATH_MAX (4096 bytes), make a
            // folder whose full path is over it; a process cannot name it in one path.
            write("ok.toml", DOC.to_string());
            let part = vec!["d".repeat(200); 12].join("/");
            let mkdir = |cwd: &Path, rel: &str| {
                let made = std::process::Command::new("mkdir")
                    .args(["-p", rel])
                    .current_dir(cwd)
                    .status()
                    .unwrap();
                assert!(made.success(), "mkdir -p in {}", cwd.display());
            };
            mkdir(dir, &part);
            let middle = dir.join(&part);
            mkdir(&middle, &part);
            let made = std::process::Command::new("sh")
                .args(["-c", &format!("printf '%s' \"$0\" > {part}/deep.toml"), DOC])
                .current_dir(&middle)
                .status()
                .unwrap();
            assert!(made.success());
        }
        "look-alike-data-files" => {
            write("ok.toml", DOC.to_string());
            let csv = dir.join("csv");
            std::fs::create_dir(&csv).unwrap();
            std::fs::write(
                csv.join("Nodes.csv"),
                format!("{NODES}n,body,N,,,,,,doc@p\n"),
            )
            .unwrap();
            std::fs::write(csv.join("EDGES.CSV"), EDGES).unwrap();
            write("eras.TOML", String::new());
            let elsewhere = dir.join(".elsewhere");
            std::fs::create_dir(&elsewhere).unwrap();
            std::fs::write(
                elsewhere.join("more.toml"),
                DOC.replace("\"doc\"", "\"more\""),
            )
            .unwrap();
            std::os::unix::fs::symlink(&elsewhere, dir.join("linked")).unwrap();
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
        // Bounded work (issue 15 items 9 and 10): bodies `n0`, `n1`, ... joined by
        // `established-by` edges, as CSV.
        "path-clique" => bodies(dir, 300, &clique(300)),
        "path-hang" => {
            // The target hangs off the start of a 21-clique: one path, but every branch
            // into the clique used to be searched to --max-len.
            let mut edges = clique(21);
            edges.push((21, 0));
            bodies(dir, 22, &edges);
        }
        "path-ring" => {
            // Two ways round a ring of 400: the lengths stop once the long way is found.
            let mut edges: Vec<(usize, usize)> = (0..399).map(|i| (i, i + 1)).collect();
            edges.push((399, 0));
            bodies(dir, 400, &edges);
        }
        "path-choke" => {
            // n20 - n0 - n21 with n0 in a 20-clique: one path, and a distance table
            // cannot see that the clique leads back to n21 only through n0.
            let mut edges = clique(20);
            edges.extend([(20, 0), (0, 21)]);
            bodies(dir, 22, &edges);
        }
        "stats-near-cap" | "stats-over-cap" => {
            // With the document every source cites: 19,999 or 20,001 nodes in all.
            let n = if name == "stats-near-cap" {
                19_998
            } else {
                20_000
            };
            let mut rng = fastrand::Rng::with_seed(15);
            let mut seen = std::collections::HashSet::new();
            while seen.len() < 200_000 {
                let (a, b) = (rng.usize(..n), rng.usize(..n));
                if a != b {
                    seen.insert((a, b));
                }
            }
            let mut edges: Vec<(usize, usize)> = seen.into_iter().collect();
            edges.sort_unstable();
            bodies(dir, n, &edges);
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
        "many-node-attributes" | "many-edge-attributes" => {
            // 20,000 free attributes on each of 6 nodes or edges: GEXF looked each
            // value's attribute up by a search of all of them (174 s in a debug build,
            // past the 60 s timeout; 1.4 s with the lookup by hash).
            let (columns, rows) = (20_000, 6);
            let names: Vec<String> = (0..columns).map(|c| format!("c{c}")).collect();
            let values = |r: usize| -> String {
                (0..columns)
                    .map(|c| format!("r{r}-{c}"))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let mut nodes = String::from("id,kind,name,sources");
            let mut edges = String::from("from,relation,to,sources");
            let on_nodes = name == "many-node-attributes";
            if on_nodes {
                nodes += &format!(",{}", names.join(","));
            } else {
                edges += &format!(",{}", names.join(","));
            }
            nodes += "\n";
            edges += "\n";
            nodes += "doc,document,D,doc@p";
            nodes += &if on_nodes {
                format!(",{}\n", values(0))
            } else {
                "\n".into()
            };
            for r in 1..rows {
                nodes += &format!("b{r},body,Body {r},doc@p");
                nodes += &if on_nodes {
                    format!(",{}\n", values(r))
                } else {
                    "\n".into()
                };
                edges += &format!("doc,published-by,b{r},doc@p");
                edges += &if on_nodes {
                    "\n".into()
                } else {
                    format!(",{}\n", values(r))
                };
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

/// Every pair of `0..n` once, as edges.
fn clique(n: usize) -> Vec<(usize, usize)> {
    (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect()
}

/// Writes `n` bodies `n0`... and `a established-by b` for each edge, as CSV.
fn bodies(dir: &Path, n: usize, edges: &[(usize, usize)]) {
    use std::fmt::Write;
    let mut nodes = format!("{NODES}doc,document,D,,,,,,doc@p\n");
    for i in 0..n {
        writeln!(nodes, "n{i},body,Body {i},,,,,,doc@p").unwrap();
    }
    let mut text = EDGES.to_string();
    for (a, b) in edges {
        writeln!(text, "n{a},established-by,n{b},,,,doc@p").unwrap();
    }
    std::fs::write(dir.join("nodes.csv"), nodes).unwrap();
    std::fs::write(dir.join("edges.csv"), text).unwrap();
}

// ---- injection cases: the export read back by its consumer ----

/// The nodes the data holds: id to name.
fn intended(data: &Path) -> BTreeMap<String, String> {
    let opened = policygraph::open::open(data, false).unwrap();
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    let g = &opened.graph;
    g.nodes()
        .map(|n| (g.node(n).id().to_string(), g.node(n).name().to_string()))
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

fn consume(consumer: &str, data: &Path, tools: bool) {
    let want = intended(data);
    let out = tempfile::tempdir().unwrap();
    let file = |name: &str| out.path().join(name).to_str().unwrap().to_string();
    match consumer {
        "dot" => {
            common::require(
                policygraph::render::dot_available(),
                "the system Graphviz `dot` (apt-get install graphviz)",
            );
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
        "attrs" => check_attrs(data, &file, tools),
        "handout" => check_handout(data, out.path()),
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

// ---- free attribute names (CSV, GraphML, GEXF) and links in the handout ----

/// Every free attribute, whatever its name, comes back from the CSV export loaded
/// again, and from GraphML and GEXF read by an XML parser, with its name and value;
/// with `networkx`, networkx sees each in the GraphML under `attrs.<name>`.
fn check_attrs(data: &Path, file: &dyn Fn(&str) -> String, networkx: bool) {
    let opened = policygraph::open::open(data, false).unwrap();
    assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
    let want = common::free_of(&opened.graph);
    export(data, &["export", "--format", "csv", "-o", &file("csv")]);
    let back = policygraph::open::open(Path::new(&file("csv")), false).unwrap();
    assert_eq!(back.errors(), 0, "{:?}", back.problems);
    assert_eq!(common::free_of(&back.graph), want, "CSV loaded back");
    for format in ["graphml", "gexf"] {
        let path = file(&format!("g.{format}"));
        export(data, &["export", "--format", format, "-o", &path]);
        let xml = std::fs::read_to_string(&path).unwrap();
        assert_eq!(common::free_attributes(&xml), want, "{format} read back");
    }
    if !networkx {
        return;
    }
    common::require(
        common::networkx_available(),
        "python3 with networkx (pip install networkx)",
    );
    let script = r#"
import json, sys
import networkx as nx
x = nx.read_graphml(sys.argv[1])
print(json.dumps({"nodes": dict(x.nodes(data=True)), "edges": [d for _, _, d in x.edges(data=True)]}))
"#;
    let read = common::python_json(script, &file("g.graphml"));
    let free = |d: &serde_json::Value| -> BTreeMap<String, String> {
        d.as_object()
            .unwrap()
            .iter()
            .filter_map(|(k, v)| {
                let text = v.as_str().map_or_else(|| v.to_string(), String::from);
                // A GraphML key name is an XML NMTOKEN: networkx shows `attrs. id` as
                // `attrs._x0020_id`, which attr_name::from_xml_name reads back.
                let k = policygraph::attr_name::from_xml_name(k);
                Some((k.strip_prefix("attrs.")?.to_string(), text))
            })
            .collect()
    };
    for (id, attrs) in &want.nodes {
        assert_eq!(&free(&read["nodes"][id]), attrs, "networkx: node {id}");
    }
    let edges: Vec<BTreeMap<String, String>> =
        read["edges"].as_array().unwrap().iter().map(free).collect();
    let (mut got, mut expected) = (edges, want.edges.clone());
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "networkx: edges");
}

/// The links the data asks for: each node's checked `doi` or `url`.
fn asked_links(data: &Path) -> std::collections::BTreeSet<String> {
    let opened = policygraph::open::open(data, false).unwrap();
    let g = &opened.graph;
    g.nodes()
        .filter_map(|n| policygraph::weblink::link(g.node(n).attrs()))
        .collect()
}

/// The handout, read by a real CommonMark reader, holds no element the data did not
/// ask for: every link an `http(s)` address from the data, images only ours, headings
/// only the handout's own, no raw HTML. Its HTML twin and the explorer link only to
/// such addresses too.
fn check_handout(data: &Path, out: &Path) {
    use pulldown_cmark::{Event as Md, HeadingLevel, Tag};
    let asked = asked_links(data);
    let deck = out.join("seminar");
    export(data, &["seminar", "--out", deck.to_str().unwrap()]);
    let md = std::fs::read_to_string(deck.join("handout.md")).unwrap();
    let sections = [
        "Timeline",
        "Lineage chains",
        "The eras",
        "Critiques",
        "Layering",
        "Questions for discussion",
        "Bibliography",
    ];
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut links = std::collections::BTreeSet::new();
    let mut h1 = 0;
    let mut in_link = false;
    for event in pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES) {
        match event {
            Md::Start(Tag::Link { dest_url, .. }) => {
                assert!(
                    asked.contains(dest_url.as_ref()),
                    "a link the data did not ask for: {dest_url}\n{md}"
                );
                links.insert(dest_url.to_string());
                in_link = true;
            }
            Md::End(pulldown_cmark::TagEnd::Link) => in_link = false,
            Md::Start(Tag::Image { dest_url, .. }) => {
                let ours = ["story.svg", "layering.svg"].contains(&dest_url.as_ref())
                    || dest_url
                        .strip_prefix("step-")
                        .and_then(|n| n.strip_suffix(".svg"))
                        .is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()));
                assert!(ours, "an image that is not ours: {dest_url}\n{md}");
            }
            Md::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Md::Text(t) => {
                // A rejected address is shown as code, never as bare text, which
                // GitHub's reader would make a link of.
                assert!(
                    in_link
                        || !(t.contains("://") || t.contains("javascript:") || t.contains("data:")),
                    "an address as bare text: {t}\n{md}"
                );
                if let Some((_, text)) = heading.as_mut() {
                    *text += &t;
                }
            }
            Md::Code(t) => {
                if let Some((_, text)) = heading.as_mut() {
                    *text += &t;
                }
            }
            Md::End(pulldown_cmark::TagEnd::Heading(_)) => {
                let (level, text) = heading.take().unwrap();
                match level {
                    HeadingLevel::H1 => h1 += 1,
                    HeadingLevel::H2 => assert!(
                        sections.contains(&text.as_str()),
                        "a heading that is not the handout's: {text}"
                    ),
                    // An era's title.
                    HeadingLevel::H3 => {}
                    other => panic!("a heading of level {other:?}: {text}"),
                }
            }
            Md::Html(h) | Md::InlineHtml(h) => panic!("raw HTML in the handout: {h}\n{md}"),
            _ => {}
        }
    }
    assert_eq!(h1, 1, "one title");
    assert!(!links.is_empty(), "the well-formed addresses are links");
    assert_eq!(links, asked, "every address the data asks for is a link");
    for page in [deck.join("handout.html"), deck.join("index.html")] {
        let html = std::fs::read_to_string(&page).unwrap();
        for href in html.split("href=\"").skip(1) {
            let href = &href[..href.find('"').unwrap()];
            assert!(
                href.starts_with('#') || asked.contains(href),
                "{}: a link the data did not ask for: {href}",
                page.display()
            );
        }
    }
    let explorer = out.join("explorer.html");
    export(data, &["explorer", "-o", explorer.to_str().unwrap()]);
    let page = std::fs::read_to_string(&explorer).unwrap();
    let start = page.find("id=\"policygraph-data\"").unwrap();
    let json = &page[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    let explorer_data: serde_json::Value = serde_json::from_str(json).unwrap();
    let given: std::collections::BTreeSet<String> = explorer_data["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["link"].as_str().map(String::from))
        .collect();
    assert_eq!(given, asked, "the explorer's links are the checked ones");
}
