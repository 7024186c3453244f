//! The CSV interchange format: a directory with `nodes.csv` and `edges.csv`, and
//! `eras.csv` (`name,start,end,summary`) when the collection has eras.
//!
//! `aliases` are separated by `|`; `sources` are `doc-id@locator|doc-id@locator`; an
//! empty cell is an absent value; a column `attrs.<name>` holds the free attribute
//! `<name>` (any name, spaces kept: [`crate::attr_name`]), text unless a suffix types
//! it (`attrs.count:int`, `:float`, `:boolean`, `:any`:
//! [`crate::attr_name::ColumnType`]), and a column the format does not name is also
//! kept as a free attribute of that name, typed the same way. Locations are kept as
//! (record offset, column) and resolved to byte ranges only when a problem is shown.
//!
//! An edge file's endpoints are interned on a thread of their own while its rows are
//! parsed: the parse sends checked edges in batches ([`EdgeBatch`]) over a channel to
//! a scoped thread that interns them in order into the edges' own dataset, absorbed
//! into the file's once every row is read, so the records and their symbols are those
//! of one thread. Interning was half the edge file's thread (perf), and that thread
//! was the longer of the two a collection's files are parsed on at once (1.19 s
//! against 0.64 s for the nodes at 10^6). Measured at 10^6 nodes, `validate`, whole
//! process, 7 paired runs on a noisy 2-core machine: wall time median 0.90 of parsing
//! and interning on one thread (0.79 to 1.09), peak memory the same (346 MiB).

use super::record::{
    EdgeBatch, Misnamed, RawEdge, RawEra, RawNode, RawShared, Text, check_edge, finish_era,
    finish_node,
};
use crate::attr_name::ColumnType;
use crate::diag::{Code, FileId, Loc, Problem, Problems, Span};
use crate::model::field::{EDGE, ERA, Field, NODE, Type};
use crate::model::{Dataset, Source};
use crate::suggest::did_you_mean;

/// Which file of the pair is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Nodes,
    Edges,
    /// `eras.csv`: name, start, end, summary.
    Eras,
}

/// The header, mapped: for each field of the table its column, and the extra columns.
struct Header {
    table: &'static [Field],
    known: Vec<Option<usize>>,
    extra: Vec<(usize, String, ColumnType)>,
    /// For each of `extra`, what it was meant to be if it is named like a bibliography
    /// field but is not one (decided once per file, not per row).
    misfields: Vec<Option<crate::query::bibliography::Misfield>>,
    width: usize,
}

/// The columns of a table's fields, as a header.
fn header_names(table: &[Field]) -> String {
    let names: Vec<&str> = table
        .iter()
        .filter(|f| is_column(f))
        .map(|f| f.name)
        .collect();
    names.join(",")
}

/// A field that is a column of its own (free attributes are a column each).
fn is_column(f: &Field) -> bool {
    f.ty != Type::Attrs
}

impl Header {
    /// The column of the field named `name`, if the table has that field and the
    /// header that column.
    fn column(&self, name: &str) -> Option<usize> {
        self.known[self.table.iter().position(|f| f.name == name)?]
    }

    /// The non-empty cell of `column` (from [`Columns`]), and its index.
    fn get<'r>(
        &self,
        record: &'r csv::StringRecord,
        column: Option<usize>,
    ) -> Option<(&'r str, usize)> {
        let index = column?;
        let value = crate::spreadsheet::unguard(record.get(index)?);
        (!value.is_empty()).then_some((value, index))
    }
}

/// The column of each field a row is read for, found once per file: finding a dozen
/// fields by name in every row was a tenth of a million-row parse.
struct Columns {
    id: Option<usize>,
    kind: Option<usize>,
    name: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    aliases: Option<usize>,
    summary: Option<usize>,
    stance: Option<usize>,
    note: Option<usize>,
    sources: Option<usize>,
    from: Option<usize>,
    relation: Option<usize>,
    to: Option<usize>,
    date: Option<usize>,
}

impl Columns {
    fn of(header: &Header) -> Columns {
        let c = |name| header.column(name);
        Columns {
            id: c("id"),
            kind: c("kind"),
            name: c("name"),
            start: c("start"),
            end: c("end"),
            aliases: c("aliases"),
            summary: c("summary"),
            stance: c("stance"),
            note: c("note"),
            sources: c("sources"),
            from: c("from"),
            relation: c("relation"),
            to: c("to"),
            date: c("date"),
        }
    }
}

/// How a parse ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// Every record was read (or a syntax error stopped the file, and was reported),
    /// its fields separated by `delimiter`.
    Done { delimiter: u8 },
    /// A record is not UTF-8: the caller reports where, and drops the file.
    NotUtf8,
}

/// What is known of a CSV input before it is parsed.
pub(crate) struct Input {
    /// Lines in the file: the records to reserve room for.
    pub lines: usize,
    /// For `edges.csv`: about how many distinct ids its endpoints name (the lines of
    /// the `nodes.csv` beside it), to size the id table once.
    pub ids: usize,
    /// Bytes in the file, for the progress bar.
    pub len: usize,
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
    let fields: &'static [Field] = match table {
        Table::Nodes => &NODE,
        Table::Edges => &EDGE,
        Table::Eras => &ERA,
    };
    let mut input = std::io::BufReader::with_capacity(1 << 16, input);
    // A read error here shows again, with its place, when the reader meets it.
    let delimiter = std::io::BufRead::fill_buf(&mut input).map_or(b',', sniff_delimiter);
    let done = Parsed::Done { delimiter };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let mut record = csv::StringRecord::new();
    let header = match reader.read_record(&mut record) {
        Ok(true) => match read_header(&record, file, fields, problems) {
            Some(h) => h,
            None => {
                data.skip_file();
                return done;
            }
        },
        Ok(false) => {
            problems.push(
                Problem::error(Code::EmptyFile, Loc::bytes(file, 0..0), "the file is empty").help(
                    format!(
                        "the first line must be the header: {}",
                        header_names(fields)
                    ),
                ),
            );
            data.skip_file();
            return done;
        }
        Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => return Parsed::NotUtf8,
        Err(e) => {
            problems.push(syntax(file, &e));
            data.skip_file();
            return done;
        }
    };
    if table == Table::Eras {
        for (i, name, _) in &header.extra {
            problems.push(
                Problem::error(
                    Code::UnknownField,
                    Loc {
                        file,
                        span: Span::csv_field(0, *i),
                    },
                    format!("an era has no field `{}`", crate::diag::excerpt(name)),
                )
                .label("not an era field")
                .help(format!(
                    "the columns of eras.csv are {}; remove this one",
                    header_names(fields)
                )),
            );
        }
    }
    // One record per line in practice: reserve once rather than grow a million-row Vec
    // by doubling and copying (which would hold both copies at the peak).
    if table == Table::Nodes {
        data.reserve(size.lines, 0, 0);
    }
    let columns = Columns::of(&header);
    // The edges' endpoints are interned on a thread of their own, a batch at a time,
    // into a dataset of their own, which joins `data` once every row is read.
    let (sink, batches) = std::sync::mpsc::sync_channel::<EdgeBatch>(8);
    let interning = |edges: &mut Dataset| {
        edges.reserve(0, size.lines, size.ids);
        for batch in batches {
            batch.add_to(edges);
        }
    };
    // Takes the sink, so that the interning thread ends when the rows do.
    let mut rows = |sink: std::sync::mpsc::SyncSender<EdgeBatch>| -> Parsed {
        let mut row = 1usize;
        let mut batch = EdgeBatch::default();
        // Bytes reported to the progress bar, which files parsed at the same time share.
        let mut reported = 0usize;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                    return Parsed::NotUtf8;
                }
                Err(e) => {
                    problems.push(syntax(file, &e));
                    data.skip_file();
                    break;
                }
            }
            row += 1;
            let offset = record.position().map_or(0, |p| p.byte() as usize);
            if row.is_multiple_of(65_536) {
                progress.inc((offset - reported) as u64);
                reported = offset;
            }
            let at = |column: usize| Loc {
                file,
                span: Span::csv_field(offset, column),
            };
            let whole = Loc {
                file,
                span: Span::csv_record(offset),
            };
            if record.iter().all(|cell| cell.trim().is_empty()) {
                // A blank line, or a row of empty cells (a spreadsheet saves its trailing
                // blank rows as `,,,`): no record.
                continue;
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
                    .help(
                        "quote cells that contain commas, and give every row the header's columns",
                    ),
                );
                if table == Table::Nodes {
                    // Keep the id so edges to it are not reported as unknown as well.
                    if let Some((id, _)) = header.get(&record, columns.id) {
                        data.reject_id(id.to_string());
                    }
                }
                continue;
            }
            let text_at = |column| {
                header
                    .get(&record, column)
                    .map(|(v, i)| Text::new(v, at(i)))
            };
            let plain = |column| header.get(&record, column).map(|(v, _)| v.to_string());
            if table == Table::Eras {
                let raw = RawEra {
                    name: text_at(columns.name),
                    start: text_at(columns.start),
                    end: text_at(columns.end),
                    summary: plain(columns.summary),
                    ..RawEra::default()
                };
                finish_era(raw, whole, data, problems);
                continue;
            }
            let mut failed = false;
            let sources = match header.get(&record, columns.sources) {
                Some((cell, index)) => parse_sources(cell, at(index), row, problems, &mut failed),
                None => Vec::new(),
            };
            // Most files have no extra columns: skip collecting nothing into a map.
            let mut attrs = crate::model::Attrs::new();
            let mut misfields = Vec::new();
            for ((i, name, ty), misfield) in header.extra.iter().zip(&header.misfields) {
                let Some(cell) = record
                    .get(*i)
                    .map(crate::spreadsheet::unguard)
                    .filter(|v| !v.is_empty())
                else {
                    continue;
                };
                if let Some(fix) = *misfield {
                    misfields.push(Misnamed {
                        key: name.clone(),
                        fix,
                        loc: at(*i),
                    });
                }
                match crate::attr_name::parse_cell(*ty, cell) {
                Some(value) => {
                    attrs.insert(name.clone(), value);
                }
                None => problems.push(
                    Problem::error(
                        Code::WrongType,
                        at(*i),
                        format!(
                            "`{}` in row {row} is not {}, which the column of `{}` holds",
                            crate::diag::excerpt(cell),
                            ty.expected(),
                            crate::diag::excerpt(name)
                        ),
                    )
                    .label("here")
                    .help("correct the cell, or remove the type from the column's name (`:int`, `:float`, `:boolean`, `:any`) to keep it as text"),
                ),
            }
            }
            let shared = RawShared {
                stance: text_at(columns.stance),
                note: plain(columns.note),
                sources,
                attrs,
                failed,
                seen: Vec::new(),
                misfields,
            };
            match table {
                Table::Nodes => {
                    let raw = RawNode {
                        id: text_at(columns.id),
                        kind: text_at(columns.kind),
                        name: text_at(columns.name),
                        start: text_at(columns.start),
                        end: text_at(columns.end),
                        aliases: header
                            .get(&record, columns.aliases)
                            .map(|(a, _)| {
                                a.split('|')
                                    .map(str::trim)
                                    .filter(|s| !s.is_empty())
                                    .map(String::from)
                                    .collect()
                            })
                            .unwrap_or_default(),
                        summary: plain(columns.summary),
                        shared,
                    };
                    finish_node(raw, whole, data, problems);
                }
                Table::Eras => {} // read above
                Table::Edges => {
                    let raw = RawEdge {
                        from: text_at(columns.from),
                        relation: text_at(columns.relation),
                        to: text_at(columns.to),
                        date: text_at(columns.date),
                        shared,
                    };
                    if let Some((from, to, edge)) = check_edge(raw, whole, data, problems) {
                        batch.push(&from, &to, edge, &sink);
                    }
                }
            }
        }
        batch.send(&sink);
        progress.inc(size.len.saturating_sub(reported) as u64);
        done
    };
    if table != Table::Edges {
        return rows(sink);
    }
    let mut edges = Dataset::default();
    let parsed = std::thread::scope(|scope| {
        let interned = scope.spawn(|| interning(&mut edges));
        let parsed = rows(sink);
        if let Err(panic) = interned.join() {
            std::panic::resume_unwind(panic);
        }
        parsed
    });
    data.absorb(edges);
    parsed
}

/// The field separator of a CSV file, from its first line (the header): `,`, unless
/// that line has no comma outside quotes and has semicolons (what a spreadsheet in a
/// locale with a decimal comma saves) or tabs (a TSV file), then the more frequent of
/// the two. A header holds only column names, so the guess is safe.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(head, |end| &head[..end]);
    let (mut commas, mut semicolons, mut tabs, mut quoted) = (0, 0, 0, false);
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if commas > 0 || semicolons + tabs == 0 {
        b','
    } else if semicolons >= tabs {
        b';'
    } else {
        b'\t'
    }
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
    table: &'static [Field],
    problems: &mut Problems,
) -> Option<Header> {
    let mut known = vec![None; table.len()];
    let mut extra = Vec::new();
    let mut ok = true;
    let at = |column: usize| Loc {
        file,
        span: Span::csv_field(0, column),
    };
    // Each free attribute's column, to refuse two columns for one attribute.
    let mut free: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut attribute = |i: usize, name: String, problems: &mut Problems| {
        let (plain, ty) = crate::attr_name::split_type(&name);
        let name = plain.to_string();
        if let Some(found) = crate::text::first_unsafe(&name, crate::text::Lines::One) {
            // Reported once here, and the column left out, rather than once per row as
            // an attribute name.
            problems.push(
                Problem::error(
                    Code::from(&found),
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
            extra.push((i, name, ty));
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
        // Names match in any case (`Id`, `KIND`), as a spreadsheet user writes them.
        match table
            .iter()
            .position(|f| is_column(f) && f.name.eq_ignore_ascii_case(name))
        {
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
    let names = |required: bool| {
        table
            .iter()
            .filter(|f| is_column(f) && f.required == required)
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(",")
    };
    for (c, name) in table.iter().enumerate().filter(|(_, f)| f.required) {
        let name = name.name;
        if known[c].is_none() {
            let near = extra
                .iter()
                .find_map(|(i, e, _)| did_you_mean(e, [name]).map(|_| *i));
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
                    names(true),
                    names(false)
                )),
            );
            ok = false;
        }
    }
    let misfields = extra
        .iter()
        .map(|(_, name, _)| crate::query::bibliography::misfield(name))
        .collect();
    ok.then_some(Header {
        table,
        known,
        extra,
        misfields,
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
