//! The CSV interchange format: a directory with `nodes.csv` and `edges.csv`.
//!
//! `aliases` are separated by `|`; `sources` are `doc-id@locator|doc-id@locator`; an
//! empty cell is an absent value; a column `attrs.<name>` holds the free string
//! attribute `<name>` (any name, spaces kept: [`crate::attr_name`]), and a column the
//! format does not name is also kept as a free attribute of that name. Locations are kept as (record offset, column) and resolved to
//! byte ranges only when a problem is shown.

use super::record::{RawEdge, RawNode, Text, finish_edge, finish_node};
use crate::diag::{Code, FileId, Loc, Problem, Problems, Span};
use crate::model::{AttrValue, Dataset, Source};
use crate::suggest::did_you_mean;

const NODE_COLUMNS: &[&str] = &[
    "id", "kind", "name", "start", "end", "aliases", "summary", "stance", "sources", "note",
];
const NODE_REQUIRED: &[&str] = &["id", "kind", "name"];
const EDGE_COLUMNS: &[&str] = &[
    "from", "relation", "to", "date", "stance", "note", "sources",
];
const EDGE_REQUIRED: &[&str] = &["from", "relation", "to"];

/// Which file of the pair is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Nodes,
    Edges,
}

/// The header, mapped: for each known column its index, and the extra columns.
struct Header {
    known: Vec<Option<usize>>,
    extra: Vec<(usize, String)>,
    width: usize,
}

impl Header {
    fn get<'r>(&self, record: &'r csv::StringRecord, column: usize) -> Option<(&'r str, usize)> {
        let index = self.known[column]?;
        let value = crate::spreadsheet::unguard(record.get(index)?);
        (!value.is_empty()).then_some((value, index))
    }
}

/// How a parse ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// Every record was read (or a syntax error stopped the file, and was reported).
    Done,
    /// A record is not UTF-8: the caller reports where, and drops the file.
    NotUtf8,
}

/// What is known of a CSV input before it is parsed.
pub(crate) struct Input {
    /// Lines in the file: the records to reserve room for.
    pub lines: usize,
    /// For `edges.csv`: where the interner of its endpoints comes from.
    pub endpoints: Endpoints,
    /// Bytes in the file, for the progress bar.
    pub len: usize,
}

/// Where the interner of an `edges.csv` file's endpoints comes from.
pub(crate) enum Endpoints {
    /// Made by the parse, with room for about this many distinct ids (the lines of the
    /// `nodes.csv` beside it).
    Room(usize),
    /// Made by another thread meanwhile, since writing a table for a million ids takes
    /// a while: the endpoints parsed until it arrives wait in the dataset's batch.
    Later(std::sync::mpsc::Receiver<crate::intern::Interner>),
}

/// Loads `nodes.csv` or `edges.csv`, read as a stream from `input` (BOM removed), into
/// `data`, advancing `progress` by the bytes read. Fields are borrowed from one reused
/// record (csv checks each record is UTF-8); only what a record keeps is allocated.
#[allow(clippy::too_many_arguments)]
pub(crate) fn load(
    input: impl std::io::Read,
    size: Input,
    file: FileId,
    table: Table,
    data: &mut Dataset,
    problems: &mut Problems,
    progress: &indicatif::ProgressBar,
) -> Parsed {
    let (columns, required) = match table {
        Table::Nodes => (NODE_COLUMNS, NODE_REQUIRED),
        Table::Edges => (EDGE_COLUMNS, EDGE_REQUIRED),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let mut record = csv::StringRecord::new();
    let header = match reader.read_record(&mut record) {
        Ok(true) => match read_header(&record, file, columns, required, problems) {
            Some(h) => h,
            None => {
                data.skipped_files = true;
                return Parsed::Done;
            }
        },
        Ok(false) => {
            problems.push(
                Problem::error(Code::EmptyFile, Loc::bytes(file, 0..0), "the file is empty").help(
                    format!("the first line must be the header: {}", columns.join(",")),
                ),
            );
            data.skipped_files = true;
            return Parsed::Done;
        }
        Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => return Parsed::NotUtf8,
        Err(e) => {
            problems.push(syntax(file, &e));
            data.skipped_files = true;
            return Parsed::Done;
        }
    };
    // One record per line in practice: reserve once rather than grow a million-row Vec
    // by doubling and copying (which would hold both copies at the peak).
    let mut interner_coming = None;
    match table {
        Table::Nodes => data.nodes.reserve(size.lines),
        Table::Edges => {
            data.edges.reserve(size.lines);
            match size.endpoints {
                Endpoints::Room(ids) => data.symbols = crate::intern::Interner::with_capacity(ids),
                Endpoints::Later(receiver) => {
                    data.hold_endpoints();
                    interner_coming = Some(receiver);
                }
            }
        }
    }
    let sources_column = columns.iter().position(|&c| c == "sources").unwrap_or(0);
    let mut row = 1usize;
    // Bytes reported to the progress bar, which files parsed at the same time share.
    let mut reported = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => return Parsed::NotUtf8,
            Err(e) => {
                problems.push(syntax(file, &e));
                data.skipped_files = true;
                break;
            }
        }
        row += 1;
        let offset = record.position().map_or(0, |p| p.byte() as usize);
        if row.is_multiple_of(65_536) {
            progress.inc((offset - reported) as u64);
            reported = offset;
        }
        if row.is_multiple_of(1024)
            && let Some(symbols) = interner_coming.as_ref().and_then(|r| r.try_recv().ok())
        {
            data.receive_symbols(symbols);
            interner_coming = None;
        }
        let at = |column: usize| Loc {
            file,
            span: Span::csv_field(offset, column),
        };
        let whole = Loc {
            file,
            span: Span::csv_record(offset),
        };
        if record.len() == 1 && record.get(0) == Some("") {
            continue; // a blank line
        }
        if record.len() != header.width {
            problems.push(
                Problem::error(
                    Code::WrongFieldCount,
                    whole,
                    format!(
                        "row {row} has {} fields; the header has {}",
                        record.len(),
                        header.width
                    ),
                )
                .label(format!("row {row}"))
                .help("quote cells that contain commas, and give every row the header's columns"),
            );
            if table == Table::Nodes {
                // Keep the id so edges to it are not reported as unknown as well.
                if let Some((id, _)) = header.get(&record, 0) {
                    data.rejected_ids.insert(id.to_string());
                }
            }
            continue;
        }
        let text_at = |column: usize| {
            header
                .get(&record, column)
                .map(|(v, i)| Text::new(v, at(i)))
        };
        let plain = |column: usize| header.get(&record, column).map(|(v, _)| v.to_string());
        let mut failed = false;
        let sources = match header.get(&record, sources_column) {
            Some((cell, index)) => parse_sources(cell, at(index), row, problems, &mut failed),
            None => Vec::new(),
        };
        // Most files have no extra columns: skip collecting nothing into a map.
        let attrs = if header.extra.is_empty() {
            crate::model::Attrs::new()
        } else {
            header
                .extra
                .iter()
                .filter_map(|(i, name)| {
                    let value = record
                        .get(*i)
                        .map(crate::spreadsheet::unguard)
                        .filter(|v| !v.is_empty())?;
                    Some((name.clone(), AttrValue::String(value.to_string())))
                })
                .collect()
        };
        match table {
            Table::Nodes => {
                let raw = RawNode {
                    id: text_at(0),
                    kind: text_at(1),
                    name: text_at(2),
                    start: text_at(3),
                    end: text_at(4),
                    aliases: header
                        .get(&record, 5)
                        .map(|(a, _)| {
                            a.split('|')
                                .map(str::trim)
                                .filter(|s| !s.is_empty())
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default(),
                    summary: plain(6),
                    stance: text_at(7),
                    sources,
                    note: plain(9),
                    attrs,
                    failed,
                    seen: Vec::new(),
                };
                finish_node(raw, whole, data, problems);
            }
            Table::Edges => {
                let raw = RawEdge {
                    from: text_at(0),
                    relation: text_at(1),
                    to: text_at(2),
                    date: text_at(3),
                    stance: text_at(4),
                    note: plain(5),
                    sources,
                    attrs,
                    failed,
                    seen: Vec::new(),
                };
                finish_edge(raw, whole, data, problems);
            }
        }
    }
    if let Some(receiver) = interner_coming {
        // A closed channel leaves the default interner, which grows as needed.
        data.receive_symbols(receiver.recv().unwrap_or_default());
    }
    progress.inc(size.len.saturating_sub(reported) as u64);
    Parsed::Done
}

fn syntax(file: FileId, e: &csv::Error) -> Problem {
    let offset = e.position().map_or(0, |p| p.byte() as usize);
    Problem::error(
        Code::Syntax,
        Loc {
            file,
            span: Span::csv_record(offset),
        },
        format!("invalid CSV: {e}"),
    )
    .label("here")
    .help("fix the CSV syntax; rows after this one are not loaded")
}

fn read_header(
    record: &csv::StringRecord,
    file: FileId,
    columns: &[&str],
    required: &[&str],
    problems: &mut Problems,
) -> Option<Header> {
    let mut known = vec![None; columns.len()];
    let mut extra = Vec::new();
    let mut ok = true;
    let at = |column: usize| Loc {
        file,
        span: Span::csv_field(0, column),
    };
    // Each free attribute's column, to refuse two columns for one attribute.
    let mut free: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut attribute = |i: usize, name: String, problems: &mut Problems| {
        if let Some(found) = crate::text::first_unsafe(&name, crate::text::Lines::One) {
            // Reported once here, and the column left out, rather than once per row as
            // an attribute name.
            problems.push(
                Problem::error(
                    found.code(),
                    at(i),
                    format!("the name of column {} contains {}", i + 1, found.describe()),
                )
                .label("here")
                .help(found.help(crate::text::Lines::One)),
            );
            true
        } else if let Some(first) = free.insert(name.clone(), i) {
            problems.push(
                Problem::error(
                    Code::DuplicateColumn,
                    at(i),
                    format!(
                        "columns {} and {} both hold the free attribute `{name}`",
                        first + 1,
                        i + 1
                    ),
                )
                .label("second time")
                .help(format!(
                    "remove or rename one of the columns (`{0}{name}` and `{name}` name the same attribute)",
                    crate::attr_name::PREFIX
                )),
            );
            false
        } else {
            extra.push((i, name));
            true
        }
    };
    for (i, cell) in record.iter().enumerate() {
        // A free attribute's column (`attrs.<name>`): the name exactly as written after
        // the prefix, spaces included (see crate::attr_name).
        if let Some(name) = crate::attr_name::from_column(cell.trim_start()) {
            ok &= attribute(i, name.to_string(), problems);
            continue;
        }
        let name = crate::spreadsheet::unguard(cell.trim());
        match columns.iter().position(|c| *c == name) {
            Some(c) if known[c].is_some() => {
                problems.push(
                    Problem::error(
                        Code::DuplicateColumn,
                        at(i),
                        format!("column `{name}` appears twice"),
                    )
                    .label("second time")
                    .help("remove or rename one of the columns"),
                );
                ok = false;
            }
            Some(c) => known[c] = Some(i),
            None if name.is_empty() => {
                problems.push(
                    Problem::error(
                        Code::MissingField,
                        at(i),
                        format!("column {} has no name", i + 1),
                    )
                    .label("empty header cell")
                    .help("name every column; extra columns become free attributes"),
                );
                ok = false;
            }
            None => ok &= attribute(i, name.to_string(), problems),
        }
    }
    for name in required {
        let c = columns.iter().position(|c| c == name).unwrap_or(0);
        if known[c].is_none() {
            let near = extra
                .iter()
                .find_map(|(i, e)| did_you_mean(e, [*name]).map(|_| *i));
            let loc = near.map_or(Loc::bytes(file, 0..0), at);
            problems.push(
                Problem::error(
                    Code::MissingColumn,
                    loc,
                    format!("the header has no `{name}` column"),
                )
                .label(if near.is_some() {
                    "is this the column?"
                } else {
                    "header"
                })
                .help(format!(
                    "the header must include {}; it may also have {}",
                    required.join(","),
                    {
                        columns
                            .iter()
                            .filter(|c| !required.contains(c))
                            .copied()
                            .collect::<Vec<_>>()
                            .join(",")
                    }
                )),
            );
            ok = false;
        }
    }
    ok.then_some(Header {
        known,
        extra,
        width: record.len(),
    })
}

fn parse_sources(
    cell: &str,
    loc: Loc,
    row: usize,
    problems: &mut Problems,
    failed: &mut bool,
) -> Vec<Source> {
    let mut out = Vec::new();
    for part in cell.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('@') {
            Some((doc, at)) if !doc.trim().is_empty() && !at.trim().is_empty() => {
                out.push(Source {
                    doc: doc.trim().to_string(),
                    at: at.trim().to_string(),
                    loc,
                })
            }
            _ => {
                problems.push(
                    Problem::error(Code::MissingField, loc, format!("source `{part}` in row {row} has no locator"))
                        .label("expected doc-id@locator")
                        .help("write sources as doc-id@locator, e.g. miller-glasby-dickinson-2021@Table 1, separated by |"),
                );
                *failed = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::Interner;
    use std::sync::mpsc::channel;

    /// Parses `edges.csv` text with endpoints interned as `endpoints` says.
    fn edges(text: &str, endpoints: Endpoints) -> Vec<(String, String)> {
        let size = Input {
            lines: memchr::memchr_iter(b'\n', text.as_bytes()).count(),
            endpoints,
            len: text.len(),
        };
        let (mut data, mut problems) = (Dataset::default(), Problems::default());
        let hidden = indicatif::ProgressBar::hidden();
        let parsed = load(
            text.as_bytes(),
            size,
            FileId(0),
            Table::Edges,
            &mut data,
            &mut problems,
            &hidden,
        );
        assert_eq!(parsed, Parsed::Done);
        data.flush_endpoints();
        data.edges
            .iter()
            .map(|e| {
                let name = |s| data.symbols.resolve(s).to_string();
                (name(e.from), name(e.to))
            })
            .collect()
    }

    /// An interner made by another thread gives the edges one made by the parse does,
    /// whether it arrives before the parse, during it, or never (its sender gone).
    #[test]
    fn an_interner_made_elsewhere_gives_the_same_edges() {
        let mut text = String::from("from,relation,to\n");
        for i in 0..5_000 {
            text.push_str(&format!("doc-{},cites,doc-{}\n", i / 3, (i * 7) % 1_000));
        }
        let expected = edges(&text, Endpoints::Room(10));
        assert_eq!(expected.len(), 5_000);
        assert_eq!(expected[4], ("doc-1".to_string(), "doc-28".to_string()));

        let (sender, receiver) = channel();
        sender.send(Interner::with_capacity(10)).unwrap();
        assert_eq!(edges(&text, Endpoints::Later(receiver)), expected);

        let (sender, receiver) = channel::<Interner>();
        drop(sender);
        assert_eq!(edges(&text, Endpoints::Later(receiver)), expected);

        let (sender, receiver) = channel();
        let late = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_micros(300));
            let _ = sender.send(Interner::default());
        });
        assert_eq!(edges(&text, Endpoints::Later(receiver)), expected);
        late.join().unwrap();
    }
}
