//! The curated format: `*.toml` files of `[[node]]`, `[[edge]]` and `[[era]]` tables.
//!
//! The file is cut into pieces of whole records ([`super::pieces`]), each parsed into
//! toml's spanned document tree (`DeTable`) and walked by hand rather than deserialised
//! with serde: serde stops at the first wrong field, while a person editing data wants
//! every mistake in the file at once, each pointing at its value. Spans are relative to
//! their piece; the walker adds the piece's offset, so every problem keeps its
//! file:line:column. A file of 1 MiB or more has its pieces parsed on two threads, each
//! half into a dataset of its own, joined in file order.
//!
//! Measured on the shared 2-core machine, `validate` on the synthetic collection
//! converted record for record (`benches/csv_to_toml.py`; medians of 3, peak RSS): at
//! 10^6 nodes and 2.5 x 10^6 edges (344 MB), 30.5 s and 9.0 GB parsed whole, 8.4 s and
//! 1,068 MB in pieces; at 10^5 (34 MB), 2.1 s and 912 MB whole, 0.80 s and 115 MB in
//! pieces. The same records from CSV take 1.8 s and 615 MB (0.22 s and 65 MB): TOML is
//! within 2x of CSV in memory, not in time; what remains is `toml`'s own parse (its
//! lexer, events and tree). Memory is linear in the file; one piece above 32 MiB is
//! refused (figures and commands: `benches/csv_to_toml.py`, RELIABILITY.md).

use super::pieces;
use super::record::{
    Misnamed, RawEdge, RawEra, RawNode, RawShared, Text, finish_edge, finish_era, finish_node,
};
use crate::diag::{Code, FileId, Loc, Problem, Problems};
use crate::model::field::{self, COLLECTION, EDGE, ERA, Field, NODE, SOURCE};
use crate::model::{About, AttrValue, Attrs, Dataset, PartialDate, Source};
use crate::suggest::did_you_mean;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

const TOP_LEVEL: &[&str] = &["node", "edge", "era", "collection"];

/// Loads one TOML file's records into `data`. A file with syntax errors contributes its
/// syntax errors only: half-parsed records would produce misleading follow-on errors.
///
/// The file is parsed a piece at a time (see [`super::pieces`]): at 10^6 nodes and
/// 2.5 x 10^6 edges (344 MB of TOML), `validate` took 30.5 s and 9.0 GB parsed whole.
pub(crate) fn load(text: &str, file: FileId, data: &mut Dataset, problems: &mut Problems) {
    load_pieces(text, pieces::cut(text), file, data, problems);
}

/// Loads `text` cut as `pieces` says.
fn load_pieces(
    text: &str,
    pieces: pieces::Pieces,
    file: FileId,
    data: &mut Dataset,
    problems: &mut Problems,
) {
    let parsed = parse_pieces(text, pieces, file, problems.limit());
    parsed.join(data, problems);
}

/// Parses one TOML file, keeping at most `limit` problems of each code: the records
/// and problems to [`Parsed::join`] once the text is no longer needed (at 10^6 nodes,
/// joining the halves' id tables beside 344 MB of text set the peak).
pub(crate) fn parse(text: &str, file: FileId, limit: Option<usize>) -> Parsed {
    parse_pieces(text, pieces::cut(text), file, limit)
}

/// A file parsed: its parts, in file order.
pub(crate) struct Parsed(Vec<Part>);

impl Parsed {
    /// Adds the records and problems to `data` and `problems`; a file with a syntax
    /// error (or a piece too large) adds those errors only.
    pub(crate) fn join(self, data: &mut Dataset, problems: &mut Problems) {
        let mut parts = self.0.into_iter();
        let Some(mut mine) = parts.next() else {
            return;
        };
        for theirs in parts {
            mine.syntax.extend(theirs.syntax);
            mine.data.absorb(theirs.data);
            mine.problems.append(theirs.problems);
        }
        if !mine.syntax.is_empty() {
            for problem in mine.syntax {
                problems.push(problem);
            }
            data.skip_file();
            return;
        }
        data.absorb(mine.data);
        problems.append(mine.problems);
    }
}

fn parse_pieces(text: &str, pieces: pieces::Pieces, file: FileId, limit: Option<usize>) -> Parsed {
    if let Some(big) = pieces
        .ranges(text.len())
        .find(|r| r.len() > pieces::MAX_PIECE_BYTES)
    {
        return Parsed(vec![Part {
            data: Dataset::default(),
            problems: Problems::new(limit),
            syntax: vec![too_big(file, text, big)],
        }]);
    }
    // Records go into datasets of their own until the whole file has parsed. A large
    // file's pieces are parsed on two threads, the first half of its bytes on this one.
    let ranges: Vec<Range<usize>> = pieces.ranges(text.len()).collect();
    let half = if text.len() >= PARALLEL_BYTES {
        ranges.partition_point(|r| r.start < text.len() / 2)
    } else {
        ranges.len()
    };
    let (first, second) = ranges.split_at(half);
    // Room for every record in the first half's dataset, which the second's joins.
    let [nodes, edges, _] = pieces.count(0..ranges.len());
    let [their_nodes, their_edges, _] = pieces.count(half..ranges.len());
    let (mine, theirs) = std::thread::scope(|scope| {
        let theirs = (!second.is_empty()).then(|| {
            scope.spawn(|| Part::parse(text, second, file, limit, (their_nodes, their_edges)))
        });
        let mine = Part::parse(text, first, file, limit, (nodes, edges));
        let theirs = theirs.map(|handle| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (mine, theirs)
    });
    // A piece cut off by a broken header can report another first error than the whole
    // file would (a duplicate key rather than the unclosed header): a broken file that
    // can be parsed whole is, so its errors are the parser's own.
    let broken = !mine.syntax.is_empty() || theirs.as_ref().is_some_and(|t| !t.syntax.is_empty());
    if broken && ranges.len() > 1 && text.len() <= pieces::MAX_PIECE_BYTES {
        let whole = 0..text.len();
        let whole = std::slice::from_ref(&whole);
        return Parsed(vec![Part::parse(text, whole, file, limit, (0, 0))]);
    }
    Parsed(std::iter::once(mine).chain(theirs).collect())
}

/// Files at least this large are parsed on two threads.
const PARALLEL_BYTES: usize = 1 << 20;

/// What some pieces of a file gave.
struct Part {
    data: Dataset,
    problems: Problems,
    /// Syntax errors: with any, the file loads nothing.
    syntax: Vec<Problem>,
}

impl Part {
    /// Parses the pieces of `text` at `ranges`, with room for `(nodes, edges)`.
    fn parse(
        text: &str,
        ranges: &[Range<usize>],
        file: FileId,
        limit: Option<usize>,
        (nodes, edges): (usize, usize),
    ) -> Part {
        let mut part = Part {
            data: Dataset::default(),
            problems: Problems::new(limit),
            syntax: Vec::new(),
        };
        part.data.reserve(nodes, edges, 0);
        for range in ranges {
            let piece = &text[range.clone()];
            let (root, errors) = DeTable::parse_recoverable(piece);
            for e in &errors {
                let span = e.span().unwrap_or(0..0);
                part.syntax.push(
                    Problem::error(
                        Code::Syntax,
                        Loc::bytes(file, span.start + range.start..span.end + range.start),
                        format!("invalid TOML: {}", first_line(e.message())),
                    )
                    .label("here")
                    .help(
                        "fix the TOML syntax; the records in this file are not loaded until it parses",
                    ),
                );
            }
            // After a syntax error, the rest is parsed only for its own syntax errors.
            if part.syntax.is_empty() {
                let mut walker = Walker {
                    file,
                    offset: range.start,
                    problems: &mut part.problems,
                };
                walker.document(root.get_ref(), piece, &mut part.data);
            }
        }
        part
    }
}

/// A piece that cannot be cut small enough to parse.
fn too_big(file: FileId, text: &str, piece: Range<usize>) -> Problem {
    // Rounded up to a tenth, so a piece just over the limit does not read as at it.
    let mib = |n: usize| {
        let tenths = (n * 10).div_ceil(1 << 20);
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    Problem::error(
        Code::TooLarge,
        Loc::bytes(file, header_span(text, piece.clone())),
        format!(
            "{} MiB of TOML here must be parsed in one piece; the most policygraph parses at once is {} MiB",
            mib(piece.len()),
            pieces::MAX_PIECE_BYTES >> 20
        ),
    )
    .label("one piece starts here")
    .help(
        "write records as [[node]], [[edge]] and [[era]] tables (each sub-table such as [node.attrs] \
         right after its record, each other table once), or use the CSV format \
         (nodes.csv and edges.csv) for large collections",
    )
}

impl Walker<'_> {
    /// Reads the records of a parsed document or piece (`text`) into `data`.
    fn document(&mut self, root: &DeTable<'_>, text: &str, data: &mut Dataset) {
        for (key, value) in root {
            let key_text: &str = key.get_ref();
            let records = match key_text {
                "node" | "edge" | "era" => self.tables(key_text, value),
                "collection" => {
                    if let Some(about) = self.about(value, text) {
                        data.push_about(about);
                    }
                    continue;
                }
                _ => {
                    self.unknown_field(
                        key,
                        "at the top level",
                        TOP_LEVEL,
                        "use [[node]], [[edge]] or [[era]] tables, and at most one [collection]",
                    );
                    continue;
                }
            };
            for (table, span) in records {
                let whole = self.loc(header_span(text, span));
                match key_text {
                    "node" => {
                        let raw = self.node(table);
                        finish_node(raw, whole, data, self.problems);
                    }
                    "edge" => {
                        let raw = self.edge(table);
                        finish_edge(raw, whole, data, self.problems);
                    }
                    _ => {
                        let raw = self.era(table);
                        finish_era(raw, whole, data, self.problems);
                    }
                }
            }
        }
    }
}

fn first_line(message: &str) -> &str {
    message
        .lines()
        .next()
        .unwrap_or(message)
        .trim_end_matches('.')
}

/// Narrows a table's span to its first line (`[[node]]` or `{ id = ... }`), which is
/// what an underline should mark when the problem is the record as a whole.
fn header_span(text: &str, span: Range<usize>) -> Range<usize> {
    let end = span.end.min(text.len());
    let start = span.start.min(end);
    let first_line = text[start..end]
        .find(['\n', '\r'])
        .map_or(end, |i| start + i);
    start..first_line
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

struct Walker<'p> {
    file: FileId,
    /// Where the piece being read starts in the file: spans are relative to the piece.
    offset: usize,
    problems: &'p mut Problems,
}

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

impl Walker<'_> {
    fn loc(&self, span: Range<usize>) -> Loc {
        Loc::bytes(self.file, span.start + self.offset..span.end + self.offset)
    }

    fn wrong_type(
        &mut self,
        field: &str,
        expected: &str,
        value: &Spanned<DeValue<'_>>,
        example: &str,
    ) {
        self.problems.push(
            Problem::error(
                Code::WrongType,
                self.loc(value.span()),
                format!(
                    "`{field}` should be {expected}, found {}",
                    type_name(value.get_ref())
                ),
            )
            .label(format!("expected {expected}"))
            .help(format!("write it as {example}")),
        );
    }

    fn unknown_field(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        place: &str,
        known: &[&str],
        hint: &str,
    ) {
        let name: &str = key.get_ref();
        let help = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? fields here are: {}", known.join(", ")),
            None => format!("{hint}; fields here are: {}", known.join(", ")),
        };
        self.problems.push(
            Problem::error(
                Code::UnknownField,
                self.loc(key.span()),
                format!("unknown field `{name}` {place}"),
            )
            .label("not a known field")
            .help(help),
        );
    }

    /// The tables of a `[[node]]`-style array, with their spans.
    fn tables<'a, 'i>(
        &mut self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Vec<(&'a DeTable<'i>, Range<usize>)> {
        match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| match item.get_ref() {
                    DeValue::Table(t) => Some((t, item.span())),
                    _ => {
                        self.wrong_type(key, "a table", item, &format!("[[{key}]]"));
                        None
                    }
                })
                .collect(),
            _ => {
                self.wrong_type(
                    key,
                    "an array of tables",
                    value,
                    &format!("[[{key}]] (double brackets)"),
                );
                Vec::new()
            }
        }
    }

    /// A string, borrowed from the parsed piece: most are only checked, not kept.
    fn string<'a>(&mut self, (key, value): Entry<'a, '_>) -> Option<Text<'a>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Text::new(s.as_ref(), self.loc(value.span()))),
            _ => {
                self.wrong_type(
                    key.get_ref(),
                    "a string",
                    value,
                    &format!("{} = \"...\"", key.get_ref()),
                );
                None
            }
        }
    }

    /// A date: a string `"2013-06"`, a bare year `2013`, or a TOML local date `2013-06-26`.
    fn date<'a>(&mut self, (key, value): Entry<'a, '_>) -> Option<Text<'a>> {
        let loc = self.loc(value.span());
        let text: Option<std::borrow::Cow<'a, str>> = match value.get_ref() {
            DeValue::String(s) => Some(s.as_ref().into()),
            DeValue::Integer(i) if i.radix() == 10 => Some(i.as_str().into()),
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date.map(|d| {
                PartialDate::from_parts(d.year, Some(d.month), Some(d.day))
                    .map_or_else(
                        |_| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
                        |p| p.to_string(),
                    )
                    .into()
            }),
            _ => None,
        };
        if text.is_none() {
            self.wrong_type(
                key.get_ref(),
                "a date",
                value,
                &format!("{} = \"2013-06\"", key.get_ref()),
            );
        }
        text.map(|t| Text::new(t, loc))
    }

    fn strings(&mut self, (key, value): Entry<'_, '_>) -> Option<Vec<String>> {
        let example = format!("{} = [\"...\", \"...\"]", key.get_ref());
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key.get_ref(), "an array of strings", value, &example);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(s.to_string()),
                _ => {
                    self.wrong_type(key.get_ref(), "an array of strings", item, &example);
                    return None;
                }
            }
        }
        Some(out)
    }

    fn sources(&mut self, (key, value): Entry<'_, '_>) -> Option<Vec<Source>> {
        let example = "sources = [{ doc = \"document-id\", at = \"p. 12\" }]";
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(
                key.get_ref(),
                "an array of { doc, at } tables",
                value,
                example,
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                self.wrong_type("sources", "an array of { doc, at } tables", item, example);
                ok = false;
                continue;
            };
            let (mut doc, mut at, mut seen_doc, mut seen_at) = (None, None, false, false);
            for entry in table {
                match entry.0.get_ref().as_ref() {
                    "doc" => (doc, seen_doc) = (self.string(entry), true),
                    "at" => (at, seen_at) = (self.string(entry), true),
                    _ => {
                        self.unknown_field(
                            entry.0,
                            "in a source",
                            &field::names(&SOURCE),
                            "a source is { doc, at }",
                        );
                        ok = false;
                    }
                }
            }
            match (doc, at) {
                (Some(doc), Some(at)) => out.push(Source {
                    doc: doc.value.into_owned(),
                    at: at.value.into_owned(),
                    loc: doc.loc,
                }),
                _ => {
                    let field = if seen_doc { "at" } else { "doc" };
                    if !(seen_doc && seen_at) {
                        self.problems.push(
                            Problem::error(Code::MissingField, self.loc(item.span()), format!("source has no `{field}`"))
                                .label(format!("this source needs `{field}`"))
                                .help("write it as { doc = \"document-id\", at = \"p. 12\" }; `at` is the locator in that document"),
                        );
                    }
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn attrs(
        &mut self,
        (key, value): Entry<'_, '_>,
        misfields: &mut Vec<Misnamed>,
    ) -> Option<Attrs> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(key.get_ref(), "a table", value, "attrs = { url = \"...\" }");
            return None;
        };
        let mut out = Attrs::new();
        let mut ok = true;
        for (k, v) in table {
            let parsed = match v.get_ref() {
                DeValue::String(s) => Some(AttrValue::String(s.to_string())),
                DeValue::Boolean(b) => Some(AttrValue::Bool(*b)),
                DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                    .ok()
                    .map(AttrValue::Integer),
                DeValue::Float(f) => f
                    .as_str()
                    .replace('_', "")
                    .parse()
                    .ok()
                    .map(AttrValue::Float),
                _ => None,
            };
            if let Some(fix) = crate::query::bibliography::misfield(k.get_ref()) {
                misfields.push(Misnamed {
                    key: k.get_ref().to_string(),
                    fix,
                    loc: self.loc(k.span()),
                });
            }
            match parsed {
                Some(p) => {
                    out.insert(k.get_ref().to_string(), p);
                }
                None => {
                    self.wrong_type(
                        &format!("attrs.{}", k.get_ref()),
                        "a string, number or boolean",
                        v,
                        "key = \"text\"",
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// Reads each field of a table with `read`, recording in `failed` whether any field
    /// was reported and in `seen` which known fields were written (so a wrong-typed
    /// field is not also reported as missing).
    fn fields<'a, 'i>(
        &mut self,
        known: &'static [Field],
        table: &'a DeTable<'i>,
        failed: &mut bool,
        seen: &mut Vec<&'static str>,
        mut read: impl FnMut(&mut Self, &str, Entry<'a, 'i>),
    ) {
        for entry in table {
            let before = self.problems.total();
            let key: &str = entry.0.get_ref();
            read(self, key, entry);
            *failed |= self.problems.total() > before;
            if let Some(known) = field::named(known, key) {
                seen.push(known.name);
            }
        }
    }

    fn node<'a>(&mut self, table: &'a DeTable<'_>) -> RawNode<'a> {
        let mut raw = RawNode::default();
        let (mut failed, mut seen) = (false, Vec::with_capacity(table.len()));
        self.fields(
            &NODE,
            table,
            &mut failed,
            &mut seen,
            |w, key, entry| match key {
                "id" => raw.id = w.string(entry),
                "kind" => raw.kind = w.string(entry),
                "name" => raw.name = w.string(entry),
                "aliases" => raw.aliases = w.strings(entry).unwrap_or_default(),
                "start" => raw.start = w.date(entry),
                "end" => raw.end = w.date(entry),
                "summary" => raw.summary = w.string(entry).map(|t| t.value.into_owned()),
                _ => w.shared(key, entry, &mut raw.shared, (&NODE, "in a node")),
            },
        );
        raw.shared.failed = failed;
        raw.shared.seen = seen;
        raw
    }

    fn edge<'a>(&mut self, table: &'a DeTable<'_>) -> RawEdge<'a> {
        let mut raw = RawEdge::default();
        let (mut failed, mut seen) = (false, Vec::with_capacity(table.len()));
        self.fields(
            &EDGE,
            table,
            &mut failed,
            &mut seen,
            |w, key, entry| match key {
                "from" => raw.from = w.string(entry),
                "relation" => raw.relation = w.string(entry),
                "to" => raw.to = w.string(entry),
                "date" => raw.date = w.date(entry),
                _ => w.shared(key, entry, &mut raw.shared, (&EDGE, "in an edge")),
            },
        );
        raw.shared.failed = failed;
        raw.shared.seen = seen;
        raw
    }

    /// A field nodes and edges share, or a field the record's table does not have.
    fn shared<'a>(
        &mut self,
        key: &str,
        entry: Entry<'a, '_>,
        raw: &mut RawShared<'a>,
        (table, what): (&[Field], &str),
    ) {
        match key {
            "stance" => raw.stance = self.string(entry),
            "note" => raw.note = self.string(entry).map(|t| t.value.into_owned()),
            "sources" => raw.sources = self.sources(entry).unwrap_or_default(),
            "attrs" => raw.attrs = self.attrs(entry, &mut raw.misfields).unwrap_or_default(),
            _ => self.unknown_field(
                entry.0,
                what,
                &field::names(table),
                "put free attributes in `attrs = { ... }`",
            ),
        }
    }

    /// A `[collection]` table: title, author and summary, each optional text.
    fn about(&mut self, value: &Spanned<DeValue<'_>>, text: &str) -> Option<About> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(
                "collection",
                "a table",
                value,
                "[collection] (single brackets)",
            );
            return None;
        };
        let mut about = About {
            title: None,
            author: None,
            summary: None,
            loc: self.loc(header_span(text, value.span())),
        };
        for entry in table {
            let key: &str = entry.0.get_ref();
            let slot = match key {
                "title" => &mut about.title,
                "author" => &mut about.author,
                "summary" => &mut about.summary,
                _ => {
                    self.unknown_field(
                        entry.0,
                        "in [collection]",
                        &field::names(&COLLECTION),
                        "a collection has a title, author and summary",
                    );
                    continue;
                }
            };
            *slot = self.string(entry).map(|t| t.value.into_owned());
        }
        about.summary = about.summary.map(crate::text::normalise_line_ends);
        Some(about)
    }

    fn era<'a>(&mut self, table: &'a DeTable<'_>) -> RawEra<'a> {
        let mut raw = RawEra::default();
        let (mut failed, mut seen) = (false, Vec::with_capacity(table.len()));
        self.fields(
            &ERA,
            table,
            &mut failed,
            &mut seen,
            |w, key, entry| match key {
                "name" => raw.name = w.string(entry),
                "start" => raw.start = w.date(entry),
                "end" => raw.end = w.date(entry),
                "summary" => raw.summary = w.string(entry).map(|t| t.value.into_owned()),
                _ => w.unknown_field(
                    entry.0,
                    "in an era",
                    &field::names(&ERA),
                    "an era has a name, start, end and summary",
                ),
            },
        );
        raw.failed = failed;
        raw.seen = seen;
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a load gives, in a form to compare: records and problems, sorted.
    fn outcome(text: &str, pieces: pieces::Pieces) -> (String, Vec<String>) {
        let (mut data, mut problems) = (Dataset::default(), Problems::new(None));
        load_pieces(text, pieces, FileId(0), &mut data, &mut problems);
        let mut rejected: Vec<&String> = data.rejected_ids().iter().collect();
        rejected.sort();
        let edges: Vec<String> = data
            .edges()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let (from, to) = data.ends(i);
                format!("{from} {to} {e:?}")
            })
            .collect();
        let records = format!(
            "{:?}\n{edges:?}\n{:?}\n{:?}\n{rejected:?}\n{}",
            data.nodes(),
            data.eras(),
            data.about(),
            data.skipped_files()
        );
        let mut found: Vec<String> = problems.kept().iter().map(|p| format!("{p:?}")).collect();
        found.sort();
        (records, found)
    }

    /// Loading a document cut into records (every cut made) gives what loading it whole
    /// gives: the same records, and the same problems at the same places. A document
    /// with a syntax error loads nothing either way, and its first syntax error is the
    /// same; the parser's recovery after it may find other errors in what follows.
    fn same_cut_or_whole(text: &str) -> Result<(), TestCaseError> {
        let whole = outcome(text, pieces::Pieces::whole());
        let cut = outcome(text, pieces::cut_joining(text, 0));
        let shown: String = text.chars().take(1500).collect();
        prop_assert_eq!(&cut.0, &whole.0, "records of {:?}", shown);
        let (cut_syntax, whole_syntax) = (
            first_syntax_error(text, false),
            first_syntax_error(text, true),
        );
        prop_assert_eq!(&cut_syntax, &whole_syntax, "syntax errors of {:?}", shown);
        if whole_syntax.is_none() {
            prop_assert_eq!(&cut.1, &whole.1, "problems of {:?}", shown);
        }
        Ok(())
    }

    /// The first syntax error by place, loaded whole or cut at every record.
    fn first_syntax_error(text: &str, whole: bool) -> Option<String> {
        let pieces = if whole {
            pieces::Pieces::whole()
        } else {
            pieces::cut_joining(text, 0)
        };
        let (mut data, mut problems) = (Dataset::default(), Problems::new(None));
        load_pieces(text, pieces, FileId(0), &mut data, &mut problems);
        problems
            .kept()
            .iter()
            .filter(|p| p.code == "syntax")
            .min_by_key(|p| p.loc.map(|l| l.span.order()))
            .map(|p| format!("{p:?}"))
    }

    /// Every TOML file of the repository's data and tests.
    fn corpus() -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![
            std::path::PathBuf::from("data"),
            std::path::PathBuf::from("tests"),
        ];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "toml")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    out.push(text);
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn every_toml_file_loads_the_same_cut_or_whole() {
        let corpus = corpus();
        assert!(corpus.len() > 10, "{}", corpus.len());
        for text in &corpus {
            same_cut_or_whole(text).unwrap();
        }
    }

    /// A document large enough to be parsed on two threads, with problems in both
    /// halves (over the limit of problems kept per code), loads as it does whole.
    #[test]
    fn a_large_document_loads_the_same_on_two_threads() {
        let mut text = String::from("[collection]\ntitle = \"Big\"\n\n");
        let mut n = 0;
        while text.len() < 2 * PARALLEL_BYTES {
            let kind = if n % 97 == 0 { "bdy" } else { "body" };
            text.push_str(&format!(
                "[[node]]\nid = \"n-{n}\"\nkind = \"{kind}\"\nname = \"Node {n}\"\nstart = \"2001\"\n\n\
                 [[edge]]\nfrom = \"n-{n}\"\nrelation = \"replaced\"\nto = \"n-{}\"\n\n",
                n / 2
            ));
            if n % 5 == 0 {
                text.push_str("[[edge]]\nfrom = \"n-1\"\nto = \"n-2\"\n\n");
            }
            n += 1;
        }
        let whole = {
            let (mut data, mut problems) = (Dataset::default(), Problems::new(Some(1000)));
            load_pieces(
                &text,
                pieces::Pieces::whole(),
                FileId(0),
                &mut data,
                &mut problems,
            );
            (
                format!("{:?}", data.nodes()),
                data.edges().len(),
                problems.tally(),
                problems.kept().len(),
            )
        };
        let cut = {
            let (mut data, mut problems) = (Dataset::default(), Problems::new(Some(1000)));
            load(&text, FileId(0), &mut data, &mut problems);
            (
                format!("{:?}", data.nodes()),
                data.edges().len(),
                problems.tally(),
                problems.kept().len(),
            )
        };
        assert!(pieces::cut(&text).starts.len() > 10);
        assert_eq!(cut, whole);
        assert_eq!(
            outcome(&text, pieces::cut(&text)),
            outcome(&text, pieces::Pieces::whole())
        );
    }

    /// Lines that change how a document is cut or read.
    const LINES: &[&str] = &[
        "[[node]]\n",
        "[[edge]]\n",
        "[[era]]\n",
        "[node.attrs]\n",
        "[[node.sources]]\n",
        "[collection]\n",
        "[collection.more]\n",
        "[node]\n",
        "node = []\n",
        "id = \"x\"\n",
        "id = \"y\"\n",
        "kind = \"body\"\n",
        "name = \"N\"\n",
        "from = \"x\"\nrelation = \"replaced\"\nto = \"y\"\n",
        "a = [\n",
        "]\n",
        "a = {\n",
        "}\n",
        "\"\"\"\n",
        "'''\n",
        "[[node]\n",
        "title = \"T\"\n",
        "x.y = 1\n",
        "# [[node]]\n",
        "\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Documents of random record lines, valid or not, load the same cut or whole.
        #[test]
        fn random_documents_load_the_same_cut_or_whole(
            lines in prop::collection::vec(0..LINES.len(), 0..40),
        ) {
            let text: String = lines.iter().map(|&i| LINES[i]).collect();
            same_cut_or_whole(&text)?;
        }

        /// A repository file with a line removed or inserted loads the same cut or whole.
        #[test]
        fn edited_files_load_the_same_cut_or_whole(
            file in 0usize..1000,
            at in 0usize..10_000,
            insert in prop::option::of(0..LINES.len()),
        ) {
            let corpus = corpus();
            let text = &corpus[file % corpus.len()];
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .filter(|&i| i < text.len())
                .collect();
            prop_assume!(!starts.is_empty());
            let line = starts[at % starts.len()];
            let edited = match insert {
                Some(i) => format!("{}{}{}", &text[..line], LINES[i], &text[line..]),
                None => {
                    let end = text[line..].find('\n').map_or(text.len(), |n| line + n + 1);
                    format!("{}{}", &text[..line], &text[end..])
                }
            };
            same_cut_or_whole(&edited)?;
        }
    }
}
