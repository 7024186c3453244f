//! References from reference managers: CSL-JSON (Zotero, Better BibTeX, Mendeley,
//! pandoc) and BibTeX/BibLaTeX, read into [`Record`]s of document nodes.
//!
//! Parsing is done by well-kept crates, not by us: BibLaTeX by `biblatex` through
//! hayagriva's `io::from_biblatex` (which maps entry types, containers and publishers to
//! one model), CSL-JSON by serde_json into citationberg's CSL-JSON `Item`. What we add
//! is the mapping to the collection's bibliography fields (`src/query/bibliography.rs`:
//! `authors` and `editors` separated by `;`, each written as BibTeX parses a name
//! ("Ludwig van Beethoven", "Gabriel {García Márquez}", `{NHS England}`), `journal` or `book`,
//! `volume`, `issue`, `pages`, `edition`, `place`, `report`, `doi`, `url`), a
//! `type` attribute with the CSL item type, the publisher as a `published-by` link,
//! and guards the parsers lack: `@string` and `crossref` loops, which `biblatex`
//! would follow until the stack overflows, are refused before it runs.

use super::{Batch, Field, FileDoc, Link, Record, Target};
use crate::model::{NodeKind, PartialDate, Relation};
use hayagriva::citationberg::json as csl;
use std::collections::HashMap;
use std::fmt;

/// The attributes a reference import owns, in the order it writes them.
pub const OWNED_ATTRS: [&str; 13] = [
    "type", "authors", "editors", "journal", "book", "volume", "issue", "pages", "edition",
    "report", "place", "doi", "url",
];

/// The formats `import refs` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CSL-JSON: a list of items (Zotero "Export Collection", Better CSL JSON, pandoc)
    CslJson,
    /// BibTeX or BibLaTeX (`.bib`)
    Biblatex,
}

impl Format {
    /// The format a file name suggests: `.json` is CSL-JSON, `.bib` BibLaTeX.
    pub fn guess(file_name: &str) -> Option<Format> {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Some(Format::CslJson)
        } else if lower.ends_with(".bib") || lower.ends_with(".bibtex") {
            Some(Format::Biblatex)
        } else {
            None
        }
    }

    /// As shown in the file's document name.
    pub fn label(self) -> &'static str {
        match self {
            Format::CslJson => "CSL-JSON",
            Format::Biblatex => "BibLaTeX",
        }
    }
}

/// Why a file could not be read. `at` is a 1-based line and column where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// Line and column, 1-based.
    pub at: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, col)) => write!(f, "line {line}, column {col}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

fn error(
    at: Option<(usize, usize)>,
    message: impl Into<String>,
    help: impl Into<String>,
) -> ReadError {
    ReadError {
        at,
        message: message.into(),
        help: help.into(),
    }
}

/// 1-based line and column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map_or(1, |l| l.chars().count() + 1);
    (line, col)
}

/// The node id of a citation key: kebab case, with a hyphen where a lower-case letter
/// meets a capital and between letters and digits (`Adams2001` gives `adams-2001`,
/// `smithTitle2020` gives `smith-title-2020`). The same key always gives the same id.
pub fn id_of(key: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = match prev {
                Some(p) => {
                    (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                        || (p.is_ascii_alphabetic() && c.is_ascii_digit())
                        || (p.is_ascii_digit() && c.is_ascii_alphabetic())
                }
                None => false,
            };
            if boundary && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() {
            // Letters beyond ASCII: their ASCII base where there is one would need a
            // table; a hyphen keeps the id valid and stable.
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        prev = Some(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Reads `text`, the file `file_name` in `format`, into a batch.
pub fn read(text: &str, file_name: &str, format: Format) -> Result<Batch, ReadError> {
    let records = match format {
        Format::CslJson => read_csl_json(text)?,
        Format::Biblatex => read_biblatex(text)?,
    };
    Ok(Batch {
        file: FileDoc::new(format.label(), file_name),
        records,
    })
}

/// A person's name as the collection writes it, which `src/query/bibliography.rs`
/// parses as BibTeX parses a name: "Given particle Family" ("Ludwig van Beethoven"), a
/// family name of several words kept whole in braces ("Gabriel {García Márquez}"), and
/// with a suffix BibTeX's three-part form ("King, Jr., Martin Luther").
fn person(
    given: Option<&str>,
    particle: Option<&str>,
    family: &str,
    suffix: Option<&str>,
) -> String {
    let part = |p: Option<&str>| {
        p.map(|p| clean(&p.replace(['{', '}'], "")))
            .filter(|p| !p.is_empty())
    };
    let (given, particle, suffix) = (part(given), part(particle), part(suffix));
    let family = clean(&family.replace(['{', '}'], ""));
    if given.is_none() && particle.is_none() && suffix.is_none() {
        return organisation(&family);
    }
    let family = if family.contains(' ') {
        format!("{{{family}}}")
    } else {
        family
    };
    let last = match &particle {
        Some(p) => format!("{p} {family}"),
        None => family,
    };
    match (suffix, given) {
        (Some(s), Some(g)) => format!("{last}, {s}, {g}"),
        (Some(s), None) => format!("{last}, {s},"),
        (None, Some(g)) => format!("{g} {last}"),
        (None, None) => last,
    }
}

/// A name taken whole (an organisation, or a name given in one piece): in braces when
/// it has several words, so it is never split into given and family names.
fn organisation(name: &str) -> String {
    let name = clean(&name.replace(['{', '}'], ""));
    if name.contains(' ') {
        format!("{{{name}}}")
    } else {
        name
    }
}

/// A list of names as the collection writes it: `; ` between names. A `;` inside a
/// name would split it, so it becomes a `,`.
fn name_list(names: &[String]) -> Option<Field> {
    let names: Vec<String> = names
        .iter()
        .map(|n| n.replace(';', ","))
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| Field::Text(names.join("; ")))
}

/// One line of text: runs of white space (line breaks included) become one space.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// CSL-JSON's rich text: the HTML-like tags the specification allows (`<i>`, `<b>`,
/// `<sub>`, `<sup>`, `<span ...>`, `<sc>`) removed, with the entities it escapes.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    const TAGS: [&str; 6] = ["i", "b", "sub", "sup", "span", "sc"];
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('>');
        let tag = close.map(|c| &after[..c]);
        let name = tag.map(|t| {
            t.trim_start_matches('/')
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or_default()
        });
        match (close, name) {
            (Some(c), Some(n)) if TAGS.contains(&n) => rest = &after[c + 1..],
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    clean(&out)
}

fn date_text(year: i64, month: Option<i64>, day: Option<i64>) -> Option<String> {
    let year = u16::try_from(year)
        .ok()
        .filter(|y| (1..=9999).contains(y))?;
    let month = month
        .and_then(|m| u8::try_from(m).ok())
        .filter(|m| (1..=12).contains(m));
    let day = day
        .and_then(|d| u8::try_from(d).ok())
        .filter(|_| month.is_some());
    let date = PartialDate::from_parts(year, month, day)
        .or_else(|_| PartialDate::from_parts(year, month, None))
        .ok()?;
    Some(date.to_string())
}

// ---------------------------------------------------------------------------------
// CSL-JSON

/// The CSL-JSON fields read, with the attribute each becomes (names and dates aside).
const CSL_TEXT: [(&str, &str); 8] = [
    ("volume", "volume"),
    ("issue", "issue"),
    ("page", "pages"),
    ("edition", "edition"),
    ("publisher-place", "place"),
    ("DOI", "doi"),
    ("URL", "url"),
    ("number", "report"),
];

fn read_csl_json(text: &str) -> Result<Vec<Record>, ReadError> {
    // serde_json refuses nesting deeper than 128 levels, so a nesting bomb is an error
    // with its place, not a stack overflow.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let at = Some((e.line(), e.column()));
        if e.to_string().contains("recursion limit") {
            error(
                at,
                "JSON nested more than 128 levels deep",
                "a CSL-JSON export is a list of flat records: check that this is the file your reference manager exported",
            )
        } else {
            error(
                at,
                format!("not valid JSON: {}", strip_position(&e.to_string())),
                "export the library again as CSL JSON (Zotero: File > Export Library, format \"CSL JSON\")",
            )
        }
    })?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        // Some tools write one item, or `{ "items": [...] }`.
        serde_json::Value::Object(mut map) => match map.remove("items") {
            Some(serde_json::Value::Array(items)) => items,
            _ => vec![serde_json::Value::Object(map)],
        },
        _ => {
            return Err(error(
                None,
                "a CSL-JSON file is a list of items; this is a single value",
                "export the library again as CSL JSON",
            ));
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| csl_record(i + 1, item))
        .collect()
}

/// serde_json's message without its " at line L column C" (we say where ourselves).
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

fn csl_record(n: usize, item: serde_json::Value) -> Result<Record, ReadError> {
    let serde_json::Value::Object(map) = item else {
        return Err(error(
            None,
            format!("item {n} is not a JSON object"),
            "each item of a CSL-JSON list is an object with `id`, `type` and `title`",
        ));
    };
    // Fields that are none of CSL-JSON's value shapes (Better BibTeX's `custom`
    // tables, lists of ISSNs) are skipped, not fatal: they are no field we keep.
    let item = csl::Item(
        map.into_iter()
            .filter_map(|(k, v)| serde_json::from_value::<csl::Value>(v).ok().map(|v| (k, v)))
            .collect(),
    );
    let key = item
        .0
        .get("citation-key")
        .and_then(csl::Value::to_str)
        .or_else(|| item.id())
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            error(
                None,
                format!("item {n} has no `id`"),
                "give every item a citation key (Better BibTeX does; in Zotero, export with Better CSL JSON)",
            )
        })?;
    let id = id_of(&key);
    if id.is_empty() {
        return Err(error(
            None,
            format!(
                "item {n}: the citation key `{}` has no letter or digit to make an id of",
                crate::diag::excerpt(&key)
            ),
            "give the item a citation key with letters or digits",
        ));
    }
    let text = |field: &str| {
        item.0
            .get(field)
            .and_then(csl::Value::to_str)
            .map(|s| plain(&s))
            .filter(|s| !s.is_empty())
    };
    let name = text("title").ok_or_else(|| {
        error(
            None,
            format!("item {n} (`{}`) has no title", crate::diag::excerpt(&key)),
            "add a title to the item in your reference manager, then export again",
        )
    })?;
    let kind = item
        .type_()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let mut attrs: Vec<(&'static str, Field)> = Vec::new();
    if let Some(t) = &kind {
        attrs.push(("type", Field::Text(t.clone())));
    }
    for (field, attr) in [("author", "authors"), ("editor", "editors")] {
        if let Some(csl::Value::Names(names)) = item.0.get(field) {
            let names: Vec<String> = names.iter().map(csl_name).collect();
            if let Some(list) = name_list(&names) {
                attrs.push((attr, list));
            }
        }
    }
    if let Some(container) = text("container-title") {
        let attr = match kind.as_deref() {
            Some("article-journal" | "article-magazine" | "article-newspaper" | "article") => {
                "journal"
            }
            _ => "book",
        };
        attrs.push((attr, Field::Text(container)));
    }
    for (field, attr) in CSL_TEXT {
        if attr == "report" && kind.as_deref() != Some("report") {
            continue;
        }
        if let Some(v) = text(field) {
            let v = match attr {
                "volume" | "issue" | "edition" => Field::number_or_text(&v),
                _ => Field::Text(v),
            };
            attrs.push((attr, v));
        }
    }
    attrs.sort_by_key(|(k, _)| OWNED_ATTRS.iter().position(|o| o == k));
    let start = match item.0.get("issued") {
        Some(csl::Value::Date(d)) => csl_date(d),
        Some(csl::Value::String(s)) => raw_date(s),
        Some(csl::Value::Number(y)) => date_text(*y, None, None),
        _ => None,
    };
    let mut links = Vec::new();
    let publisher = text("publisher");
    let journal = attrs
        .iter()
        .find(|(k, _)| *k == "journal")
        .map(|(_, v)| v.text());
    if let Some(p) = publisher.or(journal) {
        links.push(Link::new(Relation::PublishedBy, Target::Body(p)));
    }
    Ok(Record {
        key,
        id,
        kind: NodeKind::Document,
        name,
        start,
        end: None,
        aliases: Vec::new(),
        attrs,
        links,
    })
}

fn csl_name(n: &csl::NameValue) -> String {
    match n {
        csl::NameValue::Literal(l) => organisation(&l.literal),
        csl::NameValue::Item(i) => {
            let particle = match (&i.dropping_particle, &i.non_dropping_particle) {
                (Some(d), Some(n)) => Some(format!("{d} {n}")),
                (d, n) => d.clone().or_else(|| n.clone()),
            };
            person(
                i.given.as_deref(),
                particle.as_deref(),
                &i.family,
                i.suffix.as_deref(),
            )
        }
    }
}

/// The start of a CSL date (the first of `date-parts`, or `raw`).
fn csl_date(d: &csl::DateValue) -> Option<String> {
    match d {
        csl::DateValue::DateParts {
            date_parts,
            literal,
            ..
        } => {
            let first = date_parts.0.first();
            match first {
                Some(first) => {
                    let parts = &first.0;
                    let at = |i: usize| parts.get(i).map(|&p| i64::from(p));
                    at(0).and_then(|y| date_text(y, at(1), at(2)))
                }
                None => literal.as_deref().and_then(raw_date),
            }
        }
        csl::DateValue::Raw { raw, .. } => {
            let s = raw.start;
            date_text(
                i64::from(s.year),
                s.month.map(|m| i64::from(m) + 1),
                s.day.map(|d| i64::from(d) + 1),
            )
        }
    }
}

/// A date written as text: `2014-12-31`, `2014-12`, `2014`, or a year somewhere in it.
fn raw_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(d) = PartialDate::parse(s.get(..10).unwrap_or(s)) {
        return Some(d.to_string());
    }
    if let Some(d) = s.get(..7).and_then(|p| PartialDate::parse(p).ok()) {
        return Some(d.to_string());
    }
    let digits: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .collect();
    digits
        .first()
        .and_then(|y| y.parse::<i64>().ok())
        .and_then(|y| date_text(y, None, None))
}

// ---------------------------------------------------------------------------------
// BibLaTeX

/// How long a chain of `@string` or `crossref` references may be.
const MAX_CHAIN: usize = 32;

/// Refuses `@string` definitions and `crossref`/`xdata` links that form a loop or a
/// chain longer than [`MAX_CHAIN`]: `biblatex` resolves both by recursion with no
/// limit, so a loop would overflow the stack.
fn check_references(text: &str, raw: &biblatex::RawBibliography<'_>) -> Result<(), ReadError> {
    let mut strings: HashMap<String, (Vec<String>, usize)> = HashMap::new();
    for pair in &raw.abbreviations {
        let uses = pair
            .value
            .v
            .iter()
            .filter_map(|c| match c.v {
                biblatex::RawChunk::Abbreviation(a) => Some(a.to_ascii_lowercase()),
                biblatex::RawChunk::Normal(_) => None,
            })
            .collect();
        strings.insert(pair.key.v.to_ascii_lowercase(), (uses, pair.key.span.start));
    }
    chains(text, &strings, "@string", "string definitions")?;
    let mut links: HashMap<String, (Vec<String>, usize)> = HashMap::new();
    for entry in &raw.entries {
        let mut to = Vec::new();
        for field in &entry.v.fields {
            let name = field.key.v.to_ascii_lowercase();
            if name != "crossref" && name != "xdata" {
                continue;
            }
            let value: String = field
                .value
                .v
                .iter()
                .filter_map(|c| match c.v {
                    biblatex::RawChunk::Normal(s) => Some(s),
                    biblatex::RawChunk::Abbreviation(_) => None,
                })
                .collect();
            to.extend(
                value
                    .split(',')
                    .map(|k| k.trim().to_string())
                    .filter(|k| !k.is_empty()),
            );
        }
        links.insert(entry.v.key.v.to_string(), (to, entry.v.key.span.start));
    }
    chains(
        text,
        &links,
        "crossref",
        "entries linked by crossref or xdata",
    )
}

/// Depth-first walk with an explicit stack: a loop, or a chain longer than
/// [`MAX_CHAIN`], is an error naming it.
fn chains(
    text: &str,
    graph: &HashMap<String, (Vec<String>, usize)>,
    what: &str,
    plural: &str,
) -> Result<(), ReadError> {
    // 0 unseen, 1 on the current path, 2 done; depth of the longest chain from each.
    let mut state: HashMap<&str, (u8, usize)> = HashMap::new();
    let mut keys: Vec<&String> = graph.keys().collect();
    keys.sort();
    for start in keys {
        if state.get(start.as_str()).is_some_and(|s| s.0 == 2) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        state.insert(start, (1, 0));
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let targets = graph.get(node).map(|(t, _)| t.as_slice()).unwrap_or(&[]);
            if let Some(t) = targets.get(*next) {
                *next += 1;
                match state.get(t.as_str()).map(|s| s.0) {
                    Some(1) => {
                        let from = stack.iter().position(|(n, _)| *n == t).unwrap_or(0);
                        let mut cycle: Vec<&str> = stack[from..].iter().map(|(n, _)| *n).collect();
                        cycle.push(t);
                        let at = graph.get(t.as_str()).map(|(_, at)| line_column(text, *at));
                        return Err(error(
                            at,
                            format!("{what} loop: {}", cycle.join(" -> ")),
                            format!(
                                "these {plural} refer to each other in a circle: break the loop in the file, then import again"
                            ),
                        ));
                    }
                    Some(_) => {}
                    None if graph.contains_key(t.as_str()) => {
                        if stack.len() >= MAX_CHAIN {
                            let at = graph.get(node).map(|(_, at)| line_column(text, *at));
                            return Err(error(
                                at,
                                format!(
                                    "{what} chain longer than {MAX_CHAIN} links, from `{start}`"
                                ),
                                format!("shorten the chain of {plural} to {MAX_CHAIN} or fewer"),
                            ));
                        }
                        state.insert(t, (1, 0));
                        stack.push((t.as_str(), 0));
                    }
                    None => {}
                }
            } else {
                state.insert(node, (2, 0));
                stack.pop();
            }
        }
    }
    Ok(())
}

fn read_biblatex(text: &str) -> Result<Vec<Record>, ReadError> {
    let parse_error = |e: biblatex::ParseError| {
        error(
            Some(line_column(text, e.span.start)),
            format!("not valid BibTeX: {}", e.kind),
            "fix the entry there (or export the library again from your reference manager), then import again",
        )
    };
    let raw = biblatex::RawBibliography::parse(text).map_err(parse_error)?;
    check_references(text, &raw)?;
    let bib = biblatex::Bibliography::from_raw(raw).map_err(parse_error)?;
    let library = hayagriva::io::from_biblatex(&bib).map_err(|errors| {
        let first = errors.first();
        error(
            first.map(|e| line_column(text, e.span.start)),
            match first {
                Some(e) => format!("a field of the wrong form: {}", e.kind),
                None => "a field of the wrong form".to_string(),
            },
            "fix the field there (a date as 2020 or 2020-05-31, a number where one is expected), then import again",
        )
    })?;
    library.iter().map(bib_record).collect()
}

fn hay_person(p: &hayagriva::types::Person) -> String {
    person(
        p.given_name.as_deref(),
        p.prefix.as_deref(),
        &p.name,
        p.suffix.as_deref(),
    )
}

/// The CSL item type of a hayagriva entry, where it has a plain equivalent.
fn csl_type(entry: &hayagriva::Entry) -> &'static str {
    use hayagriva::types::EntryType as T;
    let parent = entry.parents().first().map(|p| *p.entry_type());
    match (entry.entry_type(), parent) {
        (T::Article, Some(T::Periodical)) => "article-journal",
        (T::Article, Some(T::Proceedings)) => "paper-conference",
        (T::Book, _) => "book",
        (T::Chapter, _) | (T::Anthos, _) => "chapter",
        (T::Report, _) => "report",
        (T::Thesis, _) => "thesis",
        (T::Web, _) => "webpage",
        (T::Manuscript, _) => "manuscript",
        (T::Patent, _) => "patent",
        (T::Reference, _) | (T::Entry, _) => "entry",
        (T::Periodical, _) => "periodical",
        (T::Proceedings, _) | (T::Anthology, _) => "book",
        _ => "document",
    }
}

fn bib_record(entry: &hayagriva::Entry) -> Result<Record, ReadError> {
    let key = entry.key().trim().to_string();
    let id = id_of(&key);
    if id.is_empty() {
        return Err(error(
            None,
            format!(
                "the citation key `{}` has no letter or digit to make an id of",
                crate::diag::excerpt(&key)
            ),
            "give the entry a citation key with letters or digits",
        ));
    }
    let name = entry
        .title()
        .map(|t| clean(&t.value.to_str()))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            error(
                None,
                format!("entry `{}` has no title", crate::diag::excerpt(&key)),
                "add a title field to the entry, then import again",
            )
        })?;
    let parent = entry.parents().first();
    let kind = csl_type(entry);
    let mut attrs: Vec<(&'static str, Field)> = vec![("type", Field::Text(kind.to_string()))];
    let people = |list: Option<&[hayagriva::types::Person]>| {
        list.and_then(|l| name_list(&l.iter().map(hay_person).collect::<Vec<_>>()))
    };
    if let Some(a) = people(entry.authors()) {
        attrs.push(("authors", a));
    }
    if let Some(e) = people(entry.editors()) {
        attrs.push(("editors", e));
    }
    // Where hayagriva puts a field on the container (a journal's volume and issue, a
    // book's publisher), read it there.
    let either = |own: Option<String>, of_parent: Option<String>| own.or(of_parent);
    if let Some(container) = parent
        .and_then(|p| p.title())
        .map(|t| clean(&t.value.to_str()))
        .filter(|t| !t.is_empty())
    {
        let attr = if kind == "article-journal" {
            "journal"
        } else {
            "book"
        };
        attrs.push((attr, Field::Text(container)));
    }
    let volume = either(
        entry.volume().map(|v| v.to_string()),
        parent.and_then(|p| p.volume()).map(|v| v.to_string()),
    );
    let issue = either(
        entry.issue().map(|v| v.to_string()),
        parent.and_then(|p| p.issue()).map(|v| v.to_string()),
    );
    let edition = either(
        entry.edition().map(|v| v.to_string()),
        parent.and_then(|p| p.edition()).map(|v| v.to_string()),
    );
    for (attr, v) in [("volume", volume), ("issue", issue), ("edition", edition)] {
        if let Some(v) = v.map(|v| clean(&v)).filter(|v| !v.is_empty()) {
            attrs.push((attr, Field::number_or_text(&v)));
        }
    }
    if let Some(p) = entry.page_range() {
        attrs.push(("pages", Field::Text(clean(&p.to_string()))));
    }
    if kind == "report"
        && let Some(n) = entry.keyed_serial_number("serial")
    {
        attrs.push(("report", Field::Text(clean(n))));
    }
    let publisher = entry
        .publisher()
        .or_else(|| parent.and_then(|p| p.publisher()));
    let place = publisher
        .and_then(|p| p.location())
        .or_else(|| entry.location())
        .map(|l| clean(&l.value.to_str()))
        .filter(|l| !l.is_empty());
    if let Some(place) = place {
        attrs.push(("place", Field::Text(place)));
    }
    if let Some(doi) = entry.doi() {
        attrs.push(("doi", Field::Text(clean(doi))));
    }
    if let Some(url) = entry.url() {
        attrs.push(("url", Field::Text(url.value.to_string())));
    }
    attrs.sort_by_key(|(k, _)| OWNED_ATTRS.iter().position(|o| o == k));
    let start = entry.date().and_then(|d| {
        date_text(
            i64::from(d.year),
            d.month.map(|m| i64::from(m) + 1),
            d.day.map(|d| i64::from(d) + 1),
        )
    });
    let publisher_name = publisher
        .and_then(|p| p.name())
        .or_else(|| entry.organization())
        .or_else(|| parent.and_then(|p| p.organization()))
        .map(|n| clean(&n.value.to_str()))
        .filter(|n| !n.is_empty());
    let journal = attrs
        .iter()
        .find(|(k, _)| *k == "journal")
        .map(|(_, v)| v.text());
    let links = publisher_name
        .or(journal)
        .map(|p| Link::new(Relation::PublishedBy, Target::Body(p)))
        .into_iter()
        .collect();
    Ok(Record {
        key,
        id,
        kind: NodeKind::Document,
        name,
        start,
        end: None,
        aliases: Vec::new(),
        attrs,
        links,
    })
}

// ---------------------------------------------------------------------------------
// Writing CSL-JSON back (the round trip's other half)

/// A record as a CSL-JSON item: the fields the collection keeps, under their CSL
/// names. Authors and editors are written as `{ "given", "family" }` split at the
/// last space (names without a space, or organisations, as `literal`).
pub fn to_csl_json(record: &Record) -> serde_json::Value {
    let mut item = serde_json::Map::new();
    item.insert("id".into(), record.key.clone().into());
    item.insert("title".into(), record.name.clone().into());
    for (attr, value) in &record.attrs {
        let key = match *attr {
            "type" => "type",
            "authors" | "editors" => {
                let names: Vec<serde_json::Value> = value
                    .text()
                    .split(';')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(csl_name_of)
                    .collect();
                let key = if *attr == "authors" {
                    "author"
                } else {
                    "editor"
                };
                item.insert(key.into(), names.into());
                continue;
            }
            "journal" | "book" => "container-title",
            "pages" => "page",
            "place" => "publisher-place",
            "doi" => "DOI",
            "url" => "URL",
            "report" => "number",
            other => other,
        };
        item.insert(key.into(), value.text().into());
    }
    if let Some(start) = &record.start {
        let parts: Vec<i64> = start.split('-').filter_map(|p| p.parse().ok()).collect();
        item.insert(
            "issued".into(),
            serde_json::json!({ "date-parts": [parts] }),
        );
    }
    if let Some(Link {
        to: Target::Body(p),
        ..
    }) = record.links.first()
        && record
            .attrs
            .iter()
            .all(|(k, v)| *k != "journal" || v.text() != *p)
    {
        item.insert("publisher".into(), p.clone().into());
    }
    serde_json::Value::Object(item)
}

/// A name as [`person`] and [`organisation`] write it, as a CSL name.
fn csl_name_of(n: &str) -> serde_json::Value {
    if let Some(whole) = n.strip_prefix('{').and_then(|n| n.strip_suffix('}'))
        && !whole.contains(['{', '}'])
    {
        return serde_json::json!({ "literal": whole });
    }
    let parts: Vec<&str> = n.splitn(3, ", ").collect();
    if let [last, suffix, given] = parts.as_slice() {
        let (particle, family) = split_particle(last);
        let mut m = serde_json::json!({ "family": family, "suffix": suffix });
        if !given.is_empty() {
            m["given"] = (*given).into();
        }
        if let Some(p) = particle {
            m["non-dropping-particle"] = p.into();
        }
        return m;
    }
    // "Given [particle] Family", the family perhaps in braces.
    let (rest, family) = match n.rfind('{') {
        Some(open) if n.ends_with('}') => {
            (n[..open].trim_end(), n[open + 1..n.len() - 1].to_string())
        }
        _ => match n.rsplit_once(' ') {
            Some((rest, family)) => (rest, family.to_string()),
            None => return serde_json::json!({ "literal": n }),
        },
    };
    // A particle is the run of lower-case words before the family name.
    let words: Vec<&str> = rest.split(' ').filter(|w| !w.is_empty()).collect();
    let first_lower = words
        .iter()
        .position(|w| w.chars().next().is_some_and(char::is_lowercase))
        .filter(|&i| {
            i > 0
                && words[i..]
                    .iter()
                    .all(|w| w.chars().next().is_some_and(char::is_lowercase))
        });
    let (given, particle) = match first_lower {
        Some(i) => (words[..i].join(" "), Some(words[i..].join(" "))),
        None => (words.join(" "), None),
    };
    let mut m = serde_json::json!({ "family": family });
    if !given.is_empty() {
        m["given"] = given.into();
    }
    if let Some(p) = particle {
        m["non-dropping-particle"] = p.into();
    }
    m
}

/// "van {Der Berg}" gives the particle "van" and the family "Der Berg".
fn split_particle(last: &str) -> (Option<String>, String) {
    let unbrace = |s: &str| s.trim_start_matches('{').trim_end_matches('}').to_string();
    let words: Vec<&str> = last.split(' ').collect();
    match words
        .iter()
        .position(|w| !w.chars().next().is_some_and(char::is_lowercase))
    {
        Some(i) if i > 0 => (Some(words[..i].join(" ")), unbrace(&words[i..].join(" "))),
        _ => (None, unbrace(last)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_written_as_bibtex_parses_them() {
        assert_eq!(
            person(Some("Ludwig"), Some("van"), "Beethoven", None),
            "Ludwig van Beethoven"
        );
        assert_eq!(
            person(Some("Gabriel"), None, "García Márquez", None),
            "Gabriel {García Márquez}"
        );
        assert_eq!(
            person(Some("Martin Luther"), None, "King", Some("Jr.")),
            "King, Jr., Martin Luther"
        );
        assert_eq!(person(None, None, "NHS England", None), "{NHS England}");
        assert_eq!(organisation("Plato"), "Plato");
        for name in [
            "Ludwig van Beethoven",
            "Gabriel {García Márquez}",
            "King, Jr., Martin Luther",
            "{NHS England}",
            "Ursula von der Leyen",
            "Robin Miller",
        ] {
            let csl: csl::NameValue = serde_json::from_value(csl_name_of(name)).unwrap();
            assert_eq!(csl_name(&csl), name, "{:?}", csl_name_of(name));
        }
    }

    #[test]
    fn ids_of_citation_keys() {
        assert_eq!(id_of("Adams2001"), "adams-2001");
        assert_eq!(id_of("smithTitle2020"), "smith-title-2020");
        assert_eq!(
            id_of("de_lorimier_understanding_2013"),
            "de-lorimier-understanding-2013"
        );
        assert_eq!(id_of("lin_sida:_2007"), "lin-sida-2007");
        assert_eq!(id_of("Müller2020"), "m-ller-2020");
        assert_eq!(id_of("--"), "");
        for key in ["Adams2001", "a b", "X_Y-z9"] {
            assert!(crate::load::is_kebab_id(&id_of(key)), "{key}");
        }
    }

    #[test]
    fn rich_text_is_made_plain() {
        assert_eq!(
            plain("of <b>Huaynaputina</b>, Peru"),
            "of Huaynaputina, Peru"
        );
        assert_eq!(
            plain("x. <span class=\"nocase\">Collecta</span> (g<sub>1</sub>)"),
            "x. Collecta (g1)"
        );
        assert_eq!(plain("a < b &amp; c"), "a < b & c");
    }

    #[test]
    fn csl_json_items_become_records() {
        let text = r#"[{"id": "Miller2021", "type": "article-journal",
            "title": "Integrated care: ten years on",
            "author": [{"family": "Miller", "given": "Robin"},
                       {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
                       {"literal": "NHS England"}],
            "container-title": "International Journal of Integrated Care",
            "volume": "21", "issue": "4", "page": "1-12", "DOI": "10.5334/ijic.5666",
            "issued": {"date-parts": [[2021, 10, 29]]}, "custom": {"x": [1]}}]"#;
        let batch = read(text, "lib.json", Format::CslJson).expect("reads");
        let r = &batch.records[0];
        assert_eq!(r.id, "miller-2021");
        assert_eq!(r.start.as_deref(), Some("2021-10-29"));
        let attr = |k: &str| {
            r.attrs
                .iter()
                .find(|(a, _)| *a == k)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(
            attr("authors"),
            Some(Field::Text(
                "Robin Miller; Ludwig van Beethoven; {NHS England}".into()
            ))
        );
        assert_eq!(attr("volume"), Some(Field::Integer(21)));
        assert_eq!(
            attr("journal").map(|j| j.text()).as_deref(),
            Some("International Journal of Integrated Care")
        );
        assert_eq!(
            r.links,
            vec![Link::new(
                Relation::PublishedBy,
                Target::Body("International Journal of Integrated Care".into())
            )]
        );
        assert_eq!(batch.file.id, "csl-json-export-lib-json");
    }

    #[test]
    fn a_nesting_bomb_is_an_error_with_its_place() {
        let bomb = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = read(&bomb, "x.json", Format::CslJson).expect_err("refused");
        assert!(e.message.contains("nested more than 128"), "{e}");
        assert_eq!(e.at, Some((1, 128)));
    }

    #[test]
    fn a_string_loop_is_refused_before_biblatex_follows_it() {
        let text = "@string{a = b}\n@string{b = \"x\" # a}\n@article{k, title = a}\n";
        let e = read(text, "x.bib", Format::Biblatex).expect_err("refused");
        assert!(e.message.starts_with("@string loop: a -> b -> a"), "{e}");
        let own = "@string{a = a}\n@misc{k, title = a}\n";
        assert!(read(own, "x.bib", Format::Biblatex).is_err());
    }

    #[test]
    fn a_crossref_loop_is_refused() {
        let text =
            "@inbook{a, title = {A}, crossref = {b}}\n@book{b, title = {B}, crossref = {a}}\n";
        let e = read(text, "x.bib", Format::Biblatex).expect_err("refused");
        assert!(e.message.starts_with("crossref loop"), "{e}");
    }

    #[test]
    fn deep_braces_do_not_overflow() {
        let text = format!(
            "@misc{{k, title = {}x{}}}",
            "{".repeat(50_000),
            "}".repeat(50_000)
        );
        let _ = read(&text, "x.bib", Format::Biblatex);
    }

    #[test]
    fn biblatex_entries_become_records() {
        let text = "@article{rashid2016,\n  title={Applications: A survey},\n  author={Rashid, Bushra and de Lorimier, Alexandre},\n  journal={Journal of network},\n  volume={60},\n  number={2},\n  pages={192--219},\n  year={2016},\n  publisher={Elsevier}\n}\n";
        let batch = read(text, "x.bib", Format::Biblatex).expect("reads");
        let r = &batch.records[0];
        assert_eq!(r.id, "rashid-2016");
        assert_eq!(r.start.as_deref(), Some("2016"));
        let attr = |k: &str| r.attrs.iter().find(|(a, _)| *a == k).map(|(_, v)| v.text());
        assert_eq!(
            attr("authors").as_deref(),
            Some("Bushra Rashid; Alexandre de Lorimier")
        );
        assert_eq!(attr("journal").as_deref(), Some("Journal of network"));
        assert_eq!(attr("volume").as_deref(), Some("60"));
        assert_eq!(attr("issue").as_deref(), Some("2"));
        assert_eq!(attr("type").as_deref(), Some("article-journal"));
        assert_eq!(r.links[0].to, Target::Body("Elsevier".into()));
    }
}
