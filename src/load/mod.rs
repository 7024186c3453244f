//! Loading a `--data` path into a [`Dataset`], with every problem found on the way.
//!
//! A path may be a directory of collections (the default `data/`), one collection
//! directory, or one `.toml` file. Inside a directory, every `*.toml` file is read, and
//! every directory holding `nodes.csv` is read as the CSV interchange format; both give
//! the same records. Files are visited in sorted path order so loads are deterministic.
//!
//! **Architecture invariant:** loading never fails on bad data. It returns what it
//! could read plus the problems; only a path that does not exist is an `Err`.

mod csv;
mod record;
mod toml;

pub use record::{is_kebab_id, kebab_case};

use crate::diag::{FileId, Loc, Problem, Problems, SourceMap};
use crate::model::Dataset;
use std::path::{Path, PathBuf};

/// What a load produced: the records, the files they came from, and the problems.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Everything that could be read.
    pub dataset: Dataset,
    /// The files, for showing problems in context.
    pub sources: SourceMap,
    /// Problems met while reading (syntax, fields, types); graph checks add more.
    pub problems: Problems,
}

/// Why a path could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The path does not exist.
    #[error("data path `{0}` does not exist")]
    NotFound(PathBuf),
    /// The path is a file policygraph does not read on its own.
    #[error("data path `{0}` is not a data directory or .toml file")]
    NotData(PathBuf),
}

impl LoadError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            LoadError::NotFound(_) => {
                "pass --data DIR with a directory of *.toml files or of nodes.csv and edges.csv (default: data/)"
            }
            LoadError::NotData(_) => {
                "pass a directory: *.toml collections, or nodes.csv and edges.csv for the CSV format"
            }
        }
    }
}

/// One input file and how to read it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Input {
    Toml(PathBuf),
    CsvNodes(PathBuf),
    CsvEdges(PathBuf),
}

/// Loads everything under `path`, keeping at most `limit` problems of each code (all
/// of them with `None`; every problem is counted either way).
pub fn load(path: &Path, limit: Option<usize>) -> Result<Loaded, LoadError> {
    let meta = std::fs::metadata(path).map_err(|_| LoadError::NotFound(path.to_path_buf()))?;
    let mut loaded = Loaded {
        problems: Problems::new(limit),
        ..Loaded::default()
    };
    let mut inputs = Vec::new();
    if meta.is_file() {
        if path.extension().is_some_and(|e| e == "toml") {
            inputs.push(Input::Toml(path.to_path_buf()));
        } else {
            return Err(LoadError::NotData(path.to_path_buf()));
        }
    } else {
        discover(path, &mut inputs, &mut loaded.problems);
    }
    if inputs.is_empty() && loaded.problems.is_empty() {
        loaded.problems.push(
            Problem::general("no-data", format!("no data found in `{}`", path.display()))
                .help("a collection is *.toml files with [[node]] and [[edge]] tables, or nodes.csv and edges.csv"),
        );
    }
    // Nodes before edges within a CSV collection, so row order reads naturally; the
    // sorted enum order gives exactly that per directory.
    let progress = progress_bar(&inputs);
    read_all(inputs, &mut loaded, limit, &progress);
    progress.finish_and_clear();
    Ok(loaded)
}

/// Loads TOML text as if read from a file called `name`: for tests, fuzzing and
/// tools that hold data in memory.
pub fn toml_text(name: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    let file = loaded.sources.add(PathBuf::from(name), text.to_string());
    let text = &loaded.sources.file(file).text;
    toml::load(text, file, &mut loaded.dataset, &mut loaded.problems);
    loaded
}

/// Loads CSV interchange text (`nodes.csv`, and `edges.csv` when given) from memory.
pub fn csv_text(nodes: &str, edges: Option<&str>) -> Loaded {
    let mut loaded = Loaded::default();
    let files = [
        ("nodes.csv", Some(nodes), csv::Table::Nodes),
        ("edges.csv", edges, csv::Table::Edges),
    ];
    for (name, text, table) in files {
        let Some(text) = text else { continue };
        let file = loaded.sources.add(PathBuf::from(name), text.to_string());
        let text = &loaded.sources.file(file).text;
        let hidden = indicatif::ProgressBar::hidden();
        csv::load(
            text,
            file,
            table,
            &mut loaded.dataset,
            &mut loaded.problems,
            &hidden,
        );
    }
    loaded
}

fn discover(dir: &Path, inputs: &mut Vec<Input>, problems: &mut Problems) {
    let mut stack = vec![dir.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(
                    Problem::general(
                        "io",
                        format!("cannot read directory `{}`: {e}", dir.display()),
                    )
                    .help("check the directory's permissions"),
                );
                continue;
            }
        };
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        let has_nodes = names
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == "nodes.csv"));
        for path in names {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            // Do not follow symlinked directories: a link loop must not hang a load.
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(path);
            } else if name.ends_with(".toml") {
                found.push(Input::Toml(path));
            } else if name == "nodes.csv" {
                found.push(Input::CsvNodes(path));
            } else if name == "edges.csv" {
                if has_nodes {
                    found.push(Input::CsvEdges(path));
                } else {
                    problems.push(
                        Problem::general(
                            "missing-file",
                            format!("`{}` has no nodes.csv beside it", path.display()),
                        )
                        .help("the CSV format needs nodes.csv and edges.csv in the same directory"),
                    );
                }
            }
        }
    }
    found.sort_by_key(key);
    inputs.extend(found);
}

/// Sort key: by directory, then nodes.csv before edges.csv before the TOML files.
fn key(input: &Input) -> (PathBuf, u8, PathBuf) {
    let (path, rank) = match input {
        Input::CsvNodes(p) => (p, 0),
        Input::CsvEdges(p) => (p, 1),
        Input::Toml(p) => (p, 2),
    };
    (
        path.parent().map(Path::to_path_buf).unwrap_or_default(),
        rank,
        path.clone(),
    )
}

/// Reads one file: bytes, BOM, UTF-8, then the format's loader.
/// Files larger than this in all get a progress bar (about a second of loading).
const PROGRESS_BYTES: u64 = 64 << 20;

/// A bar counting the bytes of CSV parsed, shown only on a terminal and only when the
/// inputs are large enough to take a while.
fn progress_bar(inputs: &[Input]) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let total: u64 = inputs
        .iter()
        .filter_map(|i| match i {
            Input::CsvNodes(p) | Input::CsvEdges(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Input::Toml(_) => None,
        })
        .sum();
    if total < PROGRESS_BYTES || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "loading {bar:30} {binary_bytes}/{binary_total_bytes} ({eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Reads one file into the source map: bytes, size limit, BOM, UTF-8. Returns its id
/// when it can be parsed.
fn read_text(path: &Path, loaded: &mut Loaded) -> Option<FileId> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            loaded.problems.push(
                Problem::general("io", format!("cannot read `{}`: {e}", path.display()))
                    .help("check that the file exists and is readable"),
            );
            loaded.dataset.skipped_files = true;
            return None;
        }
    };
    if bytes.len() > crate::diag::MAX_FILE_BYTES {
        loaded.problems.push(
            Problem::general(
                "too-large",
                format!("`{}` is larger than 4 GiB", path.display()),
            )
            .help("split it: a collection may hold any number of files"),
        );
        loaded.dataset.skipped_files = true;
        return None;
    }
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // Take the bytes as the text without copying them: a large file is read once.
    let (text, bad) = match String::from_utf8(bytes) {
        Ok(t) => (t, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let byte = bytes[at];
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                Some((at, byte)),
            )
        }
    };
    let file = loaded.sources.add(path.to_path_buf(), text);
    if let Some((at, byte)) = bad {
        loaded.problems.push(invalid_utf8(file, at, byte));
        loaded.dataset.skipped_files = true;
        return None;
    }
    Some(file)
}

/// Reads and parses the inputs in order. A CSV collection's two files are parsed at the
/// same time, one per thread: they are independent until the graph is built, and on a
/// million rows the parse is most of a load.
fn read_all(
    inputs: Vec<Input>,
    loaded: &mut Loaded,
    limit: Option<usize>,
    progress: &indicatif::ProgressBar,
) {
    let mut inputs = inputs.into_iter().peekable();
    while let Some(input) = inputs.next() {
        match input {
            Input::Toml(path) => {
                if let Some(file) = read_text(&path, loaded) {
                    let text = &loaded.sources.file(file).text;
                    toml::load(text, file, &mut loaded.dataset, &mut loaded.problems);
                }
            }
            Input::CsvNodes(nodes_path) => {
                let pair = match inputs.peek() {
                    Some(Input::CsvEdges(e)) if e.parent() == nodes_path.parent() => inputs.next(),
                    _ => None,
                };
                let nodes = read_text(&nodes_path, loaded);
                let edges = match pair {
                    Some(Input::CsvEdges(p)) => read_text(&p, loaded),
                    _ => None,
                };
                let sources = &loaded.sources;
                let (mut edge_data, mut edge_problems) = (Dataset::default(), Problems::new(limit));
                std::thread::scope(|scope| {
                    let parse_edges = edges.map(|file| {
                        let (data, problems) = (&mut edge_data, &mut edge_problems);
                        scope.spawn(move || {
                            csv::load(
                                &sources.file(file).text,
                                file,
                                csv::Table::Edges,
                                data,
                                problems,
                                progress,
                            )
                        })
                    });
                    if let Some(file) = nodes {
                        csv::load(
                            &sources.file(file).text,
                            file,
                            csv::Table::Nodes,
                            &mut loaded.dataset,
                            &mut loaded.problems,
                            progress,
                        );
                    }
                    if let Some(handle) = parse_edges
                        && let Err(panic) = handle.join()
                    {
                        std::panic::resume_unwind(panic);
                    }
                });
                loaded.dataset.absorb(edge_data);
                loaded.problems.append(edge_problems);
            }
            Input::CsvEdges(path) => {
                if let Some(file) = read_text(&path, loaded) {
                    let text = &loaded.sources.file(file).text;
                    csv::load(
                        text,
                        file,
                        csv::Table::Edges,
                        &mut loaded.dataset,
                        &mut loaded.problems,
                        progress,
                    );
                }
            }
        }
    }
}

fn invalid_utf8(file: FileId, at: usize, byte: u8) -> Problem {
    // The lossy text has the same bytes as the file up to `at`, so the location holds.
    Problem::error(
        "encoding",
        Loc::bytes(file, at..at + 3),
        format!("the file is not valid UTF-8: byte 0x{byte:02X} at offset {at}"),
    )
    .label("invalid UTF-8 here")
    .help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")
}
