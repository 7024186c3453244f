//! The README's walkthrough ("A walkthrough: from `new` to a deck") runs as written:
//! every command line of its `sh` block, in order, from a folder holding the
//! repository's `docs/walkthrough/`, with `policygraph` the binary under test. Each line
//! must succeed, and what the README says of the result is checked here (issue 20).

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

use std::path::Path;
use std::process::Command;

/// The command lines of the walkthrough's `sh` block in README.md.
fn walkthrough_lines() -> Vec<String> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = &readme[readme
        .find("### A walkthrough: from `new` to a deck")
        .expect("the README has the walkthrough")..];
    let start = section.find("```sh\n").unwrap() + "```sh\n".len();
    let block = &section[start..start + section[start..].find("```").unwrap()];
    block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn the_readme_walkthrough_makes_a_deck_from_imported_and_hand_written_data() {
    let work = tempfile::tempdir().unwrap();
    copy_dir(
        Path::new("docs/walkthrough"),
        &work.path().join("docs/walkthrough"),
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_policygraph"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let lines = walkthrough_lines();
    assert!(lines.len() >= 8, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("policygraph ") || l.starts_with("rm ") || l.starts_with("cp "))
    );
    for line in &lines {
        let out = Command::new("sh")
            .args(["-c", line])
            .current_dir(work.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`{line}` failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let area = work.path().join("nhs-bodies");
    // The README's counts of the inputs.
    let orgs: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            work.path()
                .join("docs/walkthrough/govuk-organisations.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(orgs.as_array().unwrap().len(), 8, "eight organisations");
    let library: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(work.path().join("docs/walkthrough/library.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(library.as_array().unwrap().len(), 9, "nine references");
    // The hand-written start is kept and the register's closing date filled in.
    let bodies = std::fs::read_to_string(area.join("bodies.toml")).unwrap();
    let phe = &bodies[bodies.find("id = \"public-health-england\"").unwrap()..];
    let phe = &phe[..phe.find("[[").unwrap_or(phe.len())];
    assert!(phe.contains("start = \"2013-04-01\""), "{phe}");
    assert!(phe.contains("end = \"2021-10-01\""), "{phe}");
    // The successions the README names, with NHS England's absorption dated 2022.
    let opened = policygraph::open::open(&area, true).unwrap();
    let g = &opened.graph;
    let replaced: Vec<(String, String, Option<String>)> = g
        .edges()
        .filter(|&e| g.edge(e).relation == policygraph::model::Relation::Replaced)
        .map(|e| {
            let (a, b) = g.endpoints(e);
            (
                g.node(a).id().to_string(),
                g.node(b).id().to_string(),
                g.edge(e).date.map(|d| d.to_string()),
            )
        })
        .collect();
    for (from, to) in [
        ("nhs-improvement", "monitor"),
        ("nhs-improvement", "nhs-trust-development-authority"),
        ("nhs-england", "nhs-improvement"),
        ("uk-health-security-agency", "public-health-england"),
        (
            "office-for-health-improvement-and-disparities",
            "public-health-england",
        ),
    ] {
        assert!(
            replaced.iter().any(|(f, t, _)| f == from && t == to),
            "{from} replaced {to}: {replaced:?}"
        );
    }
    assert!(replaced.contains(&(
        "nhs-england".into(),
        "nhs-improvement".into(),
        Some("2022-07-01".into())
    )));
    assert_eq!(replaced.len(), 5);
    // The deck: a title slide, one for the years before the first era, one per era.
    let deck = work.path().join("nhs-bodies-deck");
    let index = std::fs::read_to_string(deck.join("index.html")).unwrap();
    assert!(index.contains("NHS and public health bodies in England, 2004 to 2022"));
    let steps = std::fs::read_dir(&deck)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.starts_with("step-") && name.ends_with(".svg")
        })
        .count();
    assert_eq!(steps, 1 + 3, "before the first era, then the three eras");
    let handout = std::fs::read_to_string(deck.join("handout.md")).unwrap();
    for name in [
        "Public Health England",
        "UK Health Security Agency",
        "NHS Improvement",
        "Health and Care Act 2022",
    ] {
        assert!(handout.contains(name), "{name} in the handout");
    }
}
