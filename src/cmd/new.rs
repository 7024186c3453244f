//! `new DIR`: start a collection of your own. Writes a folder that validates as it is
//! (`validate --strict` passes): a README with the conventions, `collection.toml`,
//! `eras.toml`, and one example of every kind and relation, commented, in
//! `documents.toml`, `policy.toml` and `findings.toml`. The examples are records of
//! the shipped integrated-care collection, so what they say is true and sourced
//! (`tests/cli.rs` checks them against `data/`). Refuses a folder that is not empty.
//!
//! Cost: writes six small files; reads no data.

use super::Failure;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Options of `new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create (or an empty folder to fill)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// The collection's title, for the seminar's title slide (default: the folder's name)
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

/// The files of a new collection: name and text, `TITLE` and `DIR` still to fill in.
const FILES: [(&str, &str); 6] = [
    ("README.md", include_str!("new/README.md")),
    ("collection.toml", include_str!("new/collection.toml")),
    ("eras.toml", include_str!("new/eras.toml")),
    ("documents.toml", include_str!("new/documents.toml")),
    ("policy.toml", include_str!("new/policy.toml")),
    ("findings.toml", include_str!("new/findings.toml")),
];

/// The files of a new collection titled `title` in the folder shown as `dir`, with
/// their text. Pure: `run` writes them.
pub fn skeleton(title: &str, dir: &str) -> Vec<(&'static str, String)> {
    // A TOML basic string: the title has no control characters (checked by `run`), and
    // JSON's escapes (`\"`, `\\`, `\uXXXX`) are TOML's.
    let quoted =
        serde_json::to_string(title).unwrap_or_else(|e| unreachable!("a string is JSON: {e}"));
    FILES
        .iter()
        .map(|(name, text)| {
            let text = match *name {
                "collection.toml" => text.replace("\"TITLE\"", &quoted),
                "README.md" => text.replace("TITLE", title).replace("DIR", dir),
                _ => (*text).to_string(),
            };
            (*name, text)
        })
        .collect()
}

/// Whether `dir` is missing or an empty folder; an error saying what to do otherwise.
fn check_empty(dir: &Path) -> Result<(), Failure> {
    let shown = crate::diag::excerpt(&dir.to_string_lossy()).into_owned();
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::Write {
            path: dir.to_path_buf(),
            source: e,
        }),
        Ok(meta) if !meta.is_dir() => Err(Failure::Usage {
            message: format!("`{shown}` exists and is not a folder"),
            help: "name a new folder: policygraph new my-policy-area".into(),
        }),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(|e| Failure::Write {
                path: dir.to_path_buf(),
                source: e,
            })?;
            if entries.next().is_some() {
                return Err(Failure::Usage {
                    message: format!("`{shown}` is not empty"),
                    help: "name a new or empty folder, so nothing of yours is overwritten: policygraph new my-policy-area".into(),
                });
            }
            Ok(())
        }
    }
}

/// Runs `new`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let dir = &args.dir;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "My policy area".into());
    let title = args.title.clone().unwrap_or(name);
    if title.trim().is_empty()
        || crate::text::first_unsafe(&title, crate::text::Lines::One).is_some()
    {
        return Err(Failure::Usage {
            message: "the title must be one line of visible text".into(),
            help: "for example: policygraph new my-area --title \"Adult social care in Wales, 1990 to 2020\"".into(),
        });
    }
    check_empty(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| Failure::Write {
        path: dir.clone(),
        source: e,
    })?;
    let shown = dir.to_string_lossy();
    let files = skeleton(&title, &shown);
    for (file, text) in &files {
        let path = dir.join(file);
        crate::output::write_atomic(&path, text.as_bytes())
            .map_err(|e| Failure::Write { path, source: e })?;
    }
    let shown = crate::diag::excerpt(&shown).into_owned();
    writeln!(
        std::io::stderr(),
        "created {shown} with {} files: a collection with one example of each kind and relation\n\
         next: policygraph --data {shown} validate --strict, then edit the .toml files (see {shown}/README.md)",
        files.len()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skeleton_validates_strictly_and_carries_the_title() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in skeleton("Adult \"social\" care \\ Wales", "my-area") {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let opened = crate::open::open(dir.path(), true).unwrap();
        let problems: Vec<_> = opened.problems.iter().map(|p| p.message.clone()).collect();
        assert!(problems.is_empty(), "{problems:#?}");
        let g = &opened.graph;
        let about = g.about.as_ref().unwrap();
        assert_eq!(
            about.title.as_deref(),
            Some("Adult \"social\" care \\ Wales")
        );
        assert_eq!(g.eras.len(), 2);
        // One example of every kind and every relation.
        for kind in crate::model::NodeKind::ALL {
            assert!(g.nodes().any(|n| g.node(n).kind == *kind), "{kind}");
        }
        for relation in crate::model::Relation::ALL {
            assert!(
                g.edges().any(|e| g.edge(e).relation == *relation),
                "{relation}"
            );
        }
    }
}
