//! The README's transcripts are real output (issue 23). Every ```` ```console ```` block of
//! README.md is a transcript: `$ policygraph ...` lines, each followed by what it prints
//! (stdout and stderr together, in the order a terminal shows them). trycmd runs each
//! command, with `policygraph` the binary under test and the repository's folder as the
//! working directory (so the default `--data data` is the shipped collection, only read),
//! and fails when the output differs from the README's by one character. In an expected
//! output, `...` alone on a line stands for any number of lines left out and `[..]` for
//! the rest of a line; the README says where it leaves lines out.
//!
//! Blocks in any other language (```` ```sh ````, ```` ```text ````...) are not run. A
//! command that writes files (`build`, `seminar`, `explorer`, `render`, `export`, `new`,
//! `import` without `--dry-run`, anything with `-o` or `--out`) belongs in an `sh` block:
//! tests never write into `output/` or `data/`, and the second test below refuses such a
//! command in a transcript. (The walkthrough's `sh` block runs in a temporary folder, in
//! tests/walkthrough.rs.)
//!
//! **Refreshing the transcripts** when the data or an output changes on purpose:
//!
//! ```sh
//! TRYCMD=overwrite cargo test --test readme
//! git diff README.md     # read every changed line: it is what the README now claims
//! ```
//!
//! trycmd rewrites each block's output in place from a real run, keeping `...` and `[..]`
//! where what they stand for still matches. The prose around a block (a count or a date it
//! quotes from the output) is not rewritten: read it again against the new output.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

/// The command lines (after `$ `) of the README's `console` blocks.
fn transcript_commands(readme: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_console = false;
    let mut in_other = false;
    for line in readme.lines() {
        if let Some(info) = line.strip_prefix("```") {
            if in_console || in_other {
                in_console = false;
                in_other = false;
            } else if info.trim() == "console" {
                in_console = true;
            } else {
                in_other = true;
            }
        } else if in_console && let Some(command) = line.strip_prefix("$ ") {
            commands.push(command.to_owned());
        }
    }
    commands
}

#[test]
fn every_readme_transcript_prints_what_the_readme_shows() {
    trycmd::TestCases::new()
        // The binary Cargo built for this test run, under the name the README uses.
        .register_bin(
            "policygraph",
            std::path::PathBuf::from(env!("CARGO_BIN_EXE_policygraph")),
        )
        .env("NO_COLOR", "1")
        .case("README.md");
}

#[test]
fn the_readme_transcripts_are_read_only_queries_of_policygraph() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let commands = transcript_commands(&readme);
    // The tour alone has a dozen: a README that lost its transcripts would test nothing.
    assert!(commands.len() >= 10, "{commands:?}");
    const WRITERS: [&str; 7] = [
        "build", "seminar", "explorer", "render", "export", "new", "man",
    ];
    for command in &commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(words[0], "policygraph", "`{command}`: run policygraph only");
        let mut rest = words[1..].iter();
        let mut subcommand = "";
        while let Some(word) = rest.next() {
            if ["--data", "--known-by", "--format"].contains(word) {
                rest.next();
            } else if !word.starts_with('-') {
                subcommand = word;
                break;
            }
        }
        assert!(
            !WRITERS.contains(&subcommand) && !words.iter().any(|w| *w == "-o" || *w == "--out"),
            "`{command}` writes files: show it in an `sh` block"
        );
        assert!(
            subcommand != "import" || words.contains(&"--dry-run"),
            "`{command}` writes into the data: show it in an `sh` block"
        );
    }
}

/// The counts the README's prose quotes from the shipped data (outside any transcript).
#[test]
fn the_readme_prose_counts_are_those_of_the_shipped_data() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let opened = policygraph::open::open(std::path::Path::new("data"), false).unwrap();
    let g = &opened.graph;
    let (nodes, edges) = (g.nodes().count(), g.edges().count());
    let sentence = format!("holds {nodes} nodes and {edges} edges built");
    assert!(readme.contains(&sentence), "README should say `{sentence}`");
    let rows = policygraph::query::critiques::critiques(g, &Default::default());
    let contested = policygraph::query::critiques::contested(rows).len();
    let sentence = format!("Shipped data: {contested} contested subjects");
    assert!(readme.contains(&sentence), "README should say `{sentence}`");
}
