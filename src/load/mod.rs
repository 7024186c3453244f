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
mod pieces;
mod record;
mod toml;

pub use record::{is_kebab_id, kebab_case};

use crate::diag::{Code, FileId, Loc, Problem, Problems, Severity, SourceMap};
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
    CsvEras(PathBuf),
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
            Problem::general(Code::NoData, format!("no data found in `{}`", path.display()))
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
    let text = loaded.sources.file(file).text();
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
        let size = csv::Input {
            lines: memchr::memchr_iter(b'\n', text.as_bytes()).count(),
            ids: 0,
            len: text.len(),
        };
        let hidden = indicatif::ProgressBar::hidden();
        let (mut data, mut problems) = (Dataset::default(), Problems::default());
        match csv::load(
            text.as_bytes(),
            size,
            file,
            table,
            &mut data,
            &mut problems,
            &hidden,
        ) {
            csv::Parsed::Done { delimiter } => {
                loaded.sources.set_delimiter(file, delimiter);
                loaded.dataset.absorb(data);
                loaded.problems.append(problems);
            }
            csv::Parsed::NotUtf8 => {
                // Text from memory is a `str`: only bytes the CSV parser made can fail.
                loaded.dataset.skip_file();
            }
        }
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
                        Code::Io,
                        format!("cannot read the folder `{}`: {e}", shown(&dir)),
                    )
                    .help(io_help(&e)),
                );
                continue;
            }
        };
        // An entry the system cannot list is reported, never dropped: what it holds
        // may be data.
        let mut names: Vec<PathBuf> = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => names.push(entry.path()),
                Err(e) => problems.push(
                    Problem::general(
                        Code::Io,
                        format!("cannot list an entry of `{}`: {e}", shown(&dir)),
                    )
                    .help(io_help(&e)),
                ),
            }
        }
        names.sort();
        let has_nodes = names
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == "nodes.csv"));
        for path in names {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                // A name that is not UTF-8 could be data: say so rather than skip it
                // silently. The name is shown with its bad bytes replaced.
                problems.push(
                    Problem::general(
                        Code::FileName,
                        format!(
                            "`{}` has a name that is not UTF-8, so it is not read",
                            shown(&path)
                        ),
                    )
                    .help("rename it with a UTF-8 name (data files end in .toml, or are nodes.csv and edges.csv)"),
                );
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            // Do not follow symlinked directories: a link loop must not hang a load.
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(meta) => meta,
                Err(e) => {
                    problems.push(
                        Problem::general(Code::Io, format!("cannot read `{}`: {e}", shown(&path)))
                            .help(io_help(&e)),
                    );
                    continue;
                }
            };
            if meta.is_dir() {
                stack.push(path);
            } else if name.ends_with(".toml") {
                found.push(Input::Toml(path));
            } else if name == "nodes.csv" {
                found.push(Input::CsvNodes(path));
            } else if name == "eras.csv" {
                found.push(Input::CsvEras(path));
            } else if name == "edges.csv" {
                if has_nodes {
                    found.push(Input::CsvEdges(path));
                } else {
                    problems.push(
                        Problem::general(
                            Code::MissingFile,
                            format!("`{}` has no nodes.csv beside it", shown(&path)),
                        )
                        .help("the CSV format needs nodes.csv and edges.csv in the same directory"),
                    );
                }
            } else if meta.is_symlink() && std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                problems.push(Problem {
                    severity: Severity::Warning,
                    ..Problem::general(
                        Code::NotFollowed,
                        format!("`{}` is a link to a folder, which is not read", shown(&path)),
                    )
                    .help("links to folders are not followed (a loop would never end): move or copy the folder into the collection, or pass it with another --data")
                });
            } else if let Some(exact) = data_name_in_other_case(name) {
                problems.push(Problem {
                    severity: Severity::Warning,
                    ..Problem::general(
                        Code::FileName,
                        format!("`{}` looks like a data file but is not read", shown(&path)),
                    )
                    .help(format!(
                        "data file names are exact and lower-case: rename it `{exact}`"
                    ))
                });
            }
        }
    }
    found.sort_by_key(key);
    inputs.extend(found);
}

/// A path as a message quotes it: bad UTF-8 replaced, and a long one cropped at the
/// start, since its end says which file it is.
fn shown(path: &Path) -> String {
    const KEEP: usize = 60;
    let text = path.to_string_lossy();
    let len = text.chars().count();
    let tail: String = text.chars().skip(len.saturating_sub(KEEP)).collect();
    let tail = crate::diag::excerpt(&tail);
    if len > KEEP {
        format!("…{tail}")
    } else {
        tail.into_owned()
    }
}

/// What to do about an error reading the data folder, by its kind.
fn io_help(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::PermissionDenied => "check the folder's permissions",
        ErrorKind::InvalidFilename => {
            "the path is longer than the system allows (4096 bytes on Linux): move the collection to a shallower folder or shorten folder names"
        }
        ErrorKind::NotFound => {
            "it went away while being read: run again when nothing else is changing the folder"
        }
        _ => "check that the folder can be read",
    }
}

/// The name a data file would have if `name` differs from it only in letter case
/// (`Nodes.csv`, `eras.TOML`): such a file is almost certainly meant as data.
fn data_name_in_other_case(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    if lower == name {
        return None;
    }
    match lower.as_str() {
        "nodes.csv" | "edges.csv" | "eras.csv" => Some(lower),
        _ if lower.ends_with(".toml") => name
            .get(..name.len() - ".toml".len())
            .map(|stem| format!("{stem}.toml")),
        _ => None,
    }
}

/// Sort key: by directory, then nodes.csv, edges.csv, eras.csv, the TOML files.
fn key(input: &Input) -> (PathBuf, u8, PathBuf) {
    let (path, rank) = match input {
        Input::CsvNodes(p) => (p, 0),
        Input::CsvEdges(p) => (p, 1),
        Input::CsvEras(p) => (p, 2),
        Input::Toml(p) => (p, 3),
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
            Input::CsvNodes(p) | Input::CsvEdges(p) | Input::CsvEras(p) => {
                std::fs::metadata(p).ok().map(|m| m.len())
            }
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

/// TOML files larger than this are not kept in memory once parsed (a 344 MB file of a
/// million nodes would hold its text through the graph checks).
const KEEP_TEXT_BYTES: usize = 1 << 20;

/// Reads one TOML file: bytes, size limit, BOM, UTF-8. Returns its text when it can be
/// parsed; a file that is not UTF-8 goes into the source map with its error.
fn read_text(path: &Path, loaded: &mut Loaded) -> Option<String> {
    regular(path, loaded)?;
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            loaded.problems.push(io_problem(path, &e));
            loaded.dataset.skip_file();
            return None;
        }
    };
    if bytes.len() > crate::diag::MAX_FILE_BYTES {
        loaded.problems.push(too_large(path));
        loaded.dataset.skip_file();
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
    if let Some((at, byte)) = bad {
        let file = loaded.sources.add(path.to_path_buf(), text);
        loaded.problems.push(invalid_utf8(file, at, byte));
        loaded.dataset.skip_file();
        return None;
    }
    Some(text)
}

/// A CSV file ready for parsing, its lines counted.
struct CsvFile {
    path: PathBuf,
    file: FileId,
    input: std::fs::File,
    /// Bytes in the file.
    len: usize,
}

/// Bytes read at a time when scanning a CSV file.
const SCAN_BYTES: usize = 1 << 16;

/// Reads a file in pieces without keeping it, handing each to `each` with its offset;
/// `each` returns false to stop.
fn scan(
    mut input: impl std::io::Read,
    mut each: impl FnMut(usize, &[u8]) -> bool,
) -> std::io::Result<()> {
    let mut buf = vec![0u8; SCAN_BYTES];
    let mut offset = 0;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if !each(offset, &buf[..n]) {
            return Ok(());
        }
        offset += n;
    }
}

/// Opens a CSV file for the parse and checks its size. The file goes into the source
/// map unread; its text is read again only if a problem in it is shown.
fn open_csv(path: &Path, loaded: &mut Loaded) -> Option<CsvFile> {
    regular(path, loaded)?;
    let input = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            loaded.problems.push(io_problem(path, &e));
            loaded.dataset.skip_file();
            return None;
        }
    };
    let len = input.metadata().map_or(0, |m| m.len());
    if len > crate::diag::MAX_FILE_BYTES as u64 {
        loaded.problems.push(too_large(path));
        loaded.dataset.skip_file();
        return None;
    }
    let file = loaded.sources.add_unread(path.to_path_buf());
    Some(CsvFile {
        path: path.to_path_buf(),
        file,
        input,
        len: usize::try_from(len).unwrap_or(usize::MAX),
    })
}

/// Checks, before opening it, that `path` leads to a regular file no larger than the
/// limit, and reports it otherwise: a FIFO would block the open, and a device such as
/// `/dev/zero` (a `.toml` symlinked to it) would be read until memory runs out.
fn regular(path: &Path, loaded: &mut Loaded) -> Option<u64> {
    let problem = match std::fs::metadata(path) {
        Err(e) => io_problem(path, &e),
        Ok(meta) if !meta.is_file() => Problem::general(
            Code::NotAFile,
            format!(
                "`{}` is not a regular file (a pipe, a device or a socket)",
                path.display()
            ),
        )
        .help("policygraph reads only regular files: replace it with one, or move it out of the data folder"),
        Ok(meta) if meta.len() > crate::diag::MAX_FILE_BYTES as u64 => too_large(path),
        Ok(meta) => return Some(meta.len()),
    };
    loaded.problems.push(problem);
    loaded.dataset.skip_file();
    None
}

fn too_large(path: &Path) -> Problem {
    Problem::general(
        Code::TooLarge,
        format!("`{}` is larger than 4 GiB", path.display()),
    )
    .help("split it: a collection may hold any number of files")
}

fn io_problem(path: &Path, e: &std::io::Error) -> Problem {
    Problem::general(Code::Io, format!("cannot read `{}`: {e}", path.display()))
        .help("check that the file exists and is readable")
}

/// Counts a CSV file's lines (one pass with memchr, so the record vectors are reserved
/// once) and looks for a byte order mark; leaves the file positioned after it.
fn count_lines(csv_file: &mut CsvFile) -> std::io::Result<(usize, bool)> {
    use std::io::Seek;
    let (mut lines, mut head) = (0, Vec::<u8>::new());
    scan(&mut csv_file.input, |_, bytes| {
        if head.len() < 3 {
            head.extend(bytes.iter().take(3 - head.len()));
        }
        lines += memchr::memchr_iter(b'\n', bytes).count();
        true
    })?;
    let bom = head == b"\xEF\xBB\xBF"[..];
    csv_file
        .input
        .seek(std::io::SeekFrom::Start(if bom { 3 } else { 0 }))?;
    Ok((lines, bom))
}

/// About how many lines a file has, from the first 64 KiB and its size: enough to size
/// a table that can grow.
fn estimate_lines(path: &Path) -> usize {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return 0;
    };
    let len = file.metadata().map_or(0, |m| m.len()) as usize;
    let mut head = Vec::with_capacity(SCAN_BYTES);
    if file.take(SCAN_BYTES as u64).read_to_end(&mut head).is_err() || head.is_empty() {
        return 0;
    }
    let lines = memchr::memchr_iter(b'\n', &head).count().max(1);
    len / head.len() * lines + lines
}

/// The first byte of a file (BOM removed) that is not UTF-8, and its offset: read in
/// pieces, a character cut between two carried over to the next.
fn first_invalid_utf8(path: &Path, bom: bool) -> Option<(usize, u8)> {
    let input = std::fs::File::open(path).ok()?;
    let mut pending: Vec<u8> = Vec::new();
    let mut base = 0;
    let mut bad = None;
    let mut skip = if bom { 3 } else { 0 };
    scan(input, |_, bytes| {
        let cut = skip.min(bytes.len());
        skip -= cut;
        pending.extend_from_slice(&bytes[cut..]);
        match std::str::from_utf8(&pending) {
            Ok(_) => {
                base += pending.len();
                pending.clear();
                true
            }
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                base += valid;
                pending.drain(..valid);
                true
            }
            Err(e) => {
                let at = e.valid_up_to();
                bad = Some((base + at, pending[at]));
                false
            }
        }
    })
    .ok()?;
    // A file that ends in the middle of a character.
    bad.or_else(|| pending.first().map(|&b| (base, b)))
}

/// Parses a CSV file as a stream. A file with a record that is not UTF-8 contributes
/// that error and nothing else, as a TOML file does. Returns the file and its field
/// separator, for [`crate::diag::SourceMap::set_delimiter`].
fn parse_csv(
    mut csv_file: CsvFile,
    table: csv::Table,
    ids: usize,
    data: &mut Dataset,
    problems: &mut Problems,
    progress: &indicatif::ProgressBar,
) -> (FileId, u8) {
    let (lines, bom) = match count_lines(&mut csv_file) {
        Ok(counted) => counted,
        Err(e) => {
            problems.push(io_problem(&csv_file.path, &e));
            data.skip_file();
            return (csv_file.file, b',');
        }
    };
    let size = csv::Input {
        lines,
        ids,
        len: csv_file.len,
    };
    let (mut mine, mut found) = (Dataset::default(), Problems::new(problems.limit()));
    let parsed = csv::load(
        &mut csv_file.input,
        size,
        csv_file.file,
        table,
        &mut mine,
        &mut found,
        progress,
    );
    match parsed {
        csv::Parsed::Done { delimiter } => {
            data.absorb(mine);
            problems.append(found);
            (csv_file.file, delimiter)
        }
        csv::Parsed::NotUtf8 => {
            let (at, byte) = first_invalid_utf8(&csv_file.path, bom).unwrap_or((0, 0));
            problems.push(invalid_utf8(csv_file.file, at, byte));
            data.skip_file();
            (csv_file.file, b',')
        }
    }
}

/// Reads and parses the inputs in order. A CSV collection's two files are parsed at the
/// same time, one per thread, each into a dataset of its own that is absorbed after:
/// they are independent until the graph is built, and on a million rows the parse is
/// most of a load. Measured at 10^6 nodes and edges (issue 16, whole process, paired
/// runs on a busy 2-core machine): wall time 0.93 of one file after the other (median;
/// 0.71 to 1.50), the same peak memory.
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
                if let Some(text) = read_text(&path, loaded) {
                    if text.len() > KEEP_TEXT_BYTES {
                        // Like a CSV file's, read again only around a problem shown.
                        let file = loaded.sources.add_unread(path);
                        let parsed = toml::parse(&text, file, loaded.problems.limit());
                        drop(text);
                        parsed.join(&mut loaded.dataset, &mut loaded.problems);
                    } else {
                        let file = loaded.sources.add(path, text);
                        let text = loaded.sources.file(file).text();
                        toml::load(text, file, &mut loaded.dataset, &mut loaded.problems);
                    }
                }
            }
            Input::CsvNodes(nodes_path) => {
                let pair = match inputs.peek() {
                    Some(Input::CsvEdges(e)) if e.parent() == nodes_path.parent() => inputs.next(),
                    _ => None,
                };
                let nodes = open_csv(&nodes_path, loaded);
                let edges = match pair {
                    Some(Input::CsvEdges(p)) => open_csv(&p, loaded),
                    _ => None,
                };
                // Only a file that opened: a FIFO must never be opened.
                let ids = nodes.as_ref().map_or(0, |_| estimate_lines(&nodes_path));
                let (mut edge_data, mut edge_problems) = (Dataset::default(), Problems::new(limit));
                let mut separators = Vec::new();
                std::thread::scope(|scope| {
                    let parse_edges = edges.map(|edges| {
                        let (data, problems) = (&mut edge_data, &mut edge_problems);
                        scope.spawn(move || {
                            parse_csv(edges, csv::Table::Edges, ids, data, problems, progress)
                        })
                    });
                    if let Some(nodes) = nodes {
                        separators.push(parse_csv(
                            nodes,
                            csv::Table::Nodes,
                            0,
                            &mut loaded.dataset,
                            &mut loaded.problems,
                            progress,
                        ));
                    }
                    if let Some(handle) = parse_edges {
                        match handle.join() {
                            Ok(separator) => separators.push(separator),
                            Err(panic) => std::panic::resume_unwind(panic),
                        }
                    }
                });
                for (file, delimiter) in separators {
                    loaded.sources.set_delimiter(file, delimiter);
                }
                loaded.dataset.absorb(edge_data);
                loaded.problems.append(edge_problems);
            }
            Input::CsvEras(ref path) | Input::CsvEdges(ref path) => {
                let table = match input {
                    Input::CsvEras(_) => csv::Table::Eras,
                    _ => csv::Table::Edges,
                };
                if let Some(csv_file) = open_csv(path, loaded) {
                    let (file, delimiter) = parse_csv(
                        csv_file,
                        table,
                        0,
                        &mut loaded.dataset,
                        &mut loaded.problems,
                        progress,
                    );
                    loaded.sources.set_delimiter(file, delimiter);
                }
            }
        }
    }
}

fn invalid_utf8(file: FileId, at: usize, byte: u8) -> Problem {
    // The lossy text has the same bytes as the file up to `at`, so the location holds.
    Problem::error(
        Code::Encoding,
        Loc::bytes(file, at..at + 3),
        format!("the file is not valid UTF-8: byte 0x{byte:02X} at offset {at}"),
    )
    .label("invalid UTF-8 here")
    .help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every problem of a load, drawn as a person sees it, with `dir` left out of paths.
    fn drawn(loaded: &Loaded, dir: &Path) -> String {
        let options = crate::diag::RenderOptions {
            color: false,
            width: 200,
        };
        let mut out = String::new();
        for problem in loaded.problems.kept() {
            out.push_str(&crate::diag::plain_line(problem, &loaded.sources));
            out.push('\n');
            crate::diag::render(problem, &loaded.sources, options, &mut out);
        }
        out.replace(&format!("{}/", dir.display()), "")
    }

    /// A file whose text is not kept (every CSV file, a TOML file over
    /// [`KEEP_TEXT_BYTES`]) is read again only around a problem shown. Far into 2 MiB,
    /// after a BOM, CRLF line ends, quoted line breaks, a lone CR and characters of
    /// several bytes, a problem is placed and drawn as from the kept text.
    #[test]
    fn problems_far_into_large_files_are_drawn_as_from_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut csv = String::from("id,kind,name,summary\r\n");
        let mut toml = String::new();
        let mut rows = 0;
        while csv.len() < 2 << 20 {
            csv.push_str(&format!(
                "n-{rows},body,Body é {rows},\"two\r\nli\rnes\"\r\n"
            ));
            toml.push_str(&format!(
                "[[node]]\r\nid = \"n-{rows}\"\r\nkind = \"body\"\r\nname = \"Body é {rows}\"\r\n"
            ));
            rows += 1;
        }
        csv.push_str("bad,bodyy,Ünï,x\r\n");
        toml.push_str("[[node]]\r\nid = \"bad\"\r\nkind = \"bodyy\"\r\nname = \"Ünï\"\r\n");
        std::fs::write(dir.path().join("nodes.csv"), format!("\u{feff}{csv}")).unwrap();
        let unread = load(dir.path(), None).unwrap();
        let kept = csv_text(&csv, None);
        let shown = drawn(&unread, dir.path());
        assert_eq!(shown, drawn(&kept, dir.path()));
        // Two lines a row, after the header.
        let line = 2 + 2 * rows;
        assert!(
            shown.contains(&format!("nodes.csv:{line}:5: error[unknown-kind]")),
            "{shown}"
        );
        assert!(
            shown.contains(&format!(" {line} │ bad,bodyy,Ünï,x\n")),
            "{shown}"
        );

        std::fs::remove_file(dir.path().join("nodes.csv")).unwrap();
        let path = dir.path().join("big.toml");
        std::fs::write(&path, format!("\u{feff}{toml}")).unwrap();
        assert!(toml.len() > KEEP_TEXT_BYTES);
        let unread = load(&path, None).unwrap();
        let kept = toml_text("big.toml", &toml);
        let shown = drawn(&unread, dir.path());
        assert_eq!(shown, drawn(&kept, dir.path()));
        let line = 3 + 4 * rows;
        assert!(
            shown.contains(&format!("big.toml:{line}:8: error[unknown-kind]")),
            "{shown}"
        );
        assert!(
            shown.contains(&format!(" {line} │ kind = \"bodyy\"\n")),
            "{shown}"
        );
    }
}
