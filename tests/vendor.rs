//! The graph library the explorer embeds (src/teach/assets/vendor/) is the files of
//! its pinned npm releases, byte for byte, with their licences.
//!
//! The byte check needs npm and the registry: ignored by a plain `cargo test`, run by
//! `.ci/run` (`--include-ignored`). The pins themselves are checked offline.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use std::path::Path;
use std::process::Command;

const VENDOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/teach/assets/vendor");

/// (npm package, file in its release, file here)
const FILES: [(&str, &str, &str); 2] = [
    ("cytoscape", "dist/cytoscape.min.js", "cytoscape.min.js"),
    (
        "cytoscape-dagre",
        "dist/cytoscape-dagre.min.js",
        "cytoscape-dagre.min.js",
    ),
];

fn json(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(Path::new(VENDOR).join(name)).unwrap()).unwrap()
}

#[test]
fn the_pins_are_exact_and_locked_with_an_integrity_hash() {
    let package = json("package.json");
    let lock = json("package-lock.json");
    for (name, _, _) in FILES {
        let pinned = package["dependencies"][name].as_str().unwrap();
        assert!(
            pinned.chars().all(|c| c.is_ascii_digit() || c == '.'),
            "{name} is pinned to an exact version, not {pinned}"
        );
        let locked = &lock["packages"][format!("node_modules/{name}")];
        assert_eq!(locked["version"].as_str(), Some(pinned), "{name}");
        assert!(
            locked["integrity"]
                .as_str()
                .is_some_and(|i| i.starts_with("sha512-")),
            "{name} has an integrity hash in the lock"
        );
    }
    let licences = std::fs::read_to_string(Path::new(VENDOR).join("LICENSES.txt")).unwrap();
    for name in ["cytoscape 3.35.0", "cytoscape-dagre 4.0.1", "dagre"] {
        assert!(licences.contains(name), "LICENSES.txt names {name}");
    }
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/output/explorer.html"))
            .unwrap();
    assert!(
        page.contains("The Cytoscape Consortium") && page.contains("Chris Pettitt"),
        "the built explorer carries the licences"
    );
}

#[test]
#[ignore = "needs npm and the npm registry"]
fn the_vendored_files_are_the_npm_releases_byte_for_byte() {
    let npm = Command::new("npm").arg("--version").output();
    common::require(npm.is_ok_and(|o| o.status.success()), "npm");
    let work = tempfile::tempdir().unwrap();
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(Path::new(VENDOR).join(f), work.path().join(f)).unwrap();
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "npm ci: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (package, release, here) in FILES {
        let theirs =
            std::fs::read(work.path().join("node_modules").join(package).join(release)).unwrap();
        let ours = std::fs::read(Path::new(VENDOR).join(here)).unwrap();
        assert!(
            theirs == ours,
            "{here} differs from {package}'s {release}: copy it again from the release"
        );
    }
}
