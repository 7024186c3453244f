//! The curated format: `*.toml` files of `[[node]]`, `[[edge]]` and `[[era]]` tables.
//!
//! The file is parsed into toml's spanned document tree (`DeTable`), then walked by
//! hand rather than deserialised with serde: serde stops at the first wrong field,
//! while a person editing data wants every mistake in the file at once, each pointing
//! at its value.

use super::record::{RawEdge, RawEra, RawNode, Text, finish_edge, finish_era, finish_node};
use crate::diag::{FileId, Loc, Problem, Problems};
use crate::model::{About, AttrValue, Attrs, Dataset, PartialDate, Source};
use crate::suggest::did_you_mean;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

const TOP_LEVEL: &[&str] = &["node", "edge", "era", "collection"];
const COLLECTION_FIELDS: &[&str] = &["title", "author", "summary"];
const NODE_FIELDS: &[&str] = &[
    "id", "kind", "name", "aliases", "start", "end", "summary", "stance", "note", "sources",
    "attrs",
];
const EDGE_FIELDS: &[&str] = &[
    "from", "relation", "to", "date", "stance", "note", "sources", "attrs",
];
const ERA_FIELDS: &[&str] = &["name", "start", "end", "summary"];
/// Every field name, for [`RawNode::seen`] and friends.
const FIELDS: &[&str] = &[
    "id", "kind", "name", "aliases", "start", "end", "summary", "stance", "note", "sources",
    "attrs", "from", "relation", "to", "date",
];
const SOURCE_FIELDS: &[&str] = &["doc", "at"];

/// Loads one TOML file's records into `data`. A file with syntax errors contributes its
/// syntax errors only: half-parsed records would produce misleading follow-on errors.
pub(crate) fn load(text: &str, file: FileId, data: &mut Dataset, problems: &mut Problems) {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            problems.push(
                Problem::error(
                    "syntax",
                    Loc::bytes(file, span),
                    format!("invalid TOML: {}", first_line(e.message())),
                )
                .label("here")
                .help(
                    "fix the TOML syntax; the records in this file are not loaded until it parses",
                ),
            );
        }
        data.skipped_files = true;
        return;
    }
    let mut walker = Walker { file, problems };
    for (key, value) in root.get_ref() {
        let key_text: &str = key.get_ref();
        let records = match key_text {
            "node" | "edge" | "era" => walker.tables(key_text, value),
            "collection" => {
                if let Some(about) = walker.about(value, text) {
                    data.about.push(about);
                }
                continue;
            }
            _ => {
                walker.unknown_field(
                    key,
                    "at the top level",
                    TOP_LEVEL,
                    "use [[node]], [[edge]] or [[era]] tables, and at most one [collection]",
                );
                continue;
            }
        };
        for (table, span) in records {
            let whole = Loc::bytes(file, header_span(text, span));
            match key_text {
                "node" => {
                    let raw = walker.node(table);
                    finish_node(raw, whole, data, walker.problems);
                }
                "edge" => {
                    let raw = walker.edge(table);
                    finish_edge(raw, whole, data, walker.problems);
                }
                _ => {
                    let raw = walker.era(table);
                    finish_era(raw, whole, data, walker.problems);
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
    problems: &'p mut Problems,
}

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

impl Walker<'_> {
    fn loc(&self, span: Range<usize>) -> Loc {
        Loc::bytes(self.file, span)
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
                "wrong-type",
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
                "unknown-field",
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

    fn string(&mut self, (key, value): Entry<'_, '_>) -> Option<Text<'static>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Text::new(s.to_string(), self.loc(value.span()))),
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
    fn date(&mut self, (key, value): Entry<'_, '_>) -> Option<Text<'static>> {
        let loc = self.loc(value.span());
        let text = match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            DeValue::Integer(i) if i.radix() == 10 => Some(i.as_str().to_string()),
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date.map(|d| {
                PartialDate::from_parts(d.year, Some(d.month), Some(d.day)).map_or_else(
                    |_| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
                    |p| p.to_string(),
                )
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
                            SOURCE_FIELDS,
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
                            Problem::error("missing-field", self.loc(item.span()), format!("source has no `{field}`"))
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

    fn attrs(&mut self, (key, value): Entry<'_, '_>) -> Option<Attrs> {
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
            if let Some(known) = FIELDS.iter().find(|f| **f == key) {
                seen.push(known);
            }
        }
    }

    fn node(&mut self, table: &DeTable<'_>) -> RawNode<'static> {
        let mut raw = RawNode::default();
        let (mut failed, mut seen) = (false, Vec::new());
        self.fields(table, &mut failed, &mut seen, |w, key, entry| match key {
            "id" => raw.id = w.string(entry),
            "kind" => raw.kind = w.string(entry),
            "name" => raw.name = w.string(entry),
            "aliases" => raw.aliases = w.strings(entry).unwrap_or_default(),
            "start" => raw.start = w.date(entry),
            "end" => raw.end = w.date(entry),
            "summary" => raw.summary = w.string(entry).map(|t| t.value.into_owned()),
            "stance" => raw.stance = w.string(entry),
            "note" => raw.note = w.string(entry).map(|t| t.value.into_owned()),
            "sources" => raw.sources = w.sources(entry).unwrap_or_default(),
            "attrs" => raw.attrs = w.attrs(entry).unwrap_or_default(),
            _ => w.unknown_field(
                entry.0,
                "in a node",
                NODE_FIELDS,
                "put free attributes in `attrs = { ... }`",
            ),
        });
        raw.failed = failed;
        raw.seen = seen;
        raw
    }

    fn edge(&mut self, table: &DeTable<'_>) -> RawEdge<'static> {
        let mut raw = RawEdge::default();
        let (mut failed, mut seen) = (false, Vec::new());
        self.fields(table, &mut failed, &mut seen, |w, key, entry| match key {
            "from" => raw.from = w.string(entry),
            "relation" => raw.relation = w.string(entry),
            "to" => raw.to = w.string(entry),
            "date" => raw.date = w.date(entry),
            "stance" => raw.stance = w.string(entry),
            "note" => raw.note = w.string(entry).map(|t| t.value.into_owned()),
            "sources" => raw.sources = w.sources(entry).unwrap_or_default(),
            "attrs" => raw.attrs = w.attrs(entry).unwrap_or_default(),
            _ => w.unknown_field(
                entry.0,
                "in an edge",
                EDGE_FIELDS,
                "put free attributes in `attrs = { ... }`",
            ),
        });
        raw.failed = failed;
        raw.seen = seen;
        raw
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
            loc: Loc::bytes(self.file, header_span(text, value.span())),
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
                        COLLECTION_FIELDS,
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

    fn era(&mut self, table: &DeTable<'_>) -> RawEra<'static> {
        let mut raw = RawEra::default();
        let (mut failed, mut seen) = (false, Vec::new());
        self.fields(table, &mut failed, &mut seen, |w, key, entry| match key {
            "name" => raw.name = w.string(entry),
            "start" => raw.start = w.date(entry),
            "end" => raw.end = w.date(entry),
            "summary" => raw.summary = w.string(entry).map(|t| t.value.into_owned()),
            _ => w.unknown_field(
                entry.0,
                "in an era",
                ERA_FIELDS,
                "an era has a name, start, end and summary",
            ),
        });
        raw.failed = failed;
        raw.seen = seen;
        raw
    }
}
