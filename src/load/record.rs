//! Turning located field values into records. Both loaders (TOML and CSV) collect the
//! raw values of a node or edge and hand them here, so the two formats give the same
//! records and the same errors for the same mistakes.

use crate::diag::{Code, Loc, Problem, Problems, excerpt};
use crate::model::{
    Attrs, Dataset, Edge, End, Era, Node, NodeKind, PartialDate, Relation, Source, Stance,
};
use crate::model::{EdgeLoc, NodeLoc};
use crate::query::bibliography::Misfield;
use crate::suggest::did_you_mean;
use crate::text::normalise_line_ends;
use std::borrow::Cow;

/// A text value and where it is written: borrowed from the CSV record being read, so
/// fields that are only checked (kind, dates, relation, stance) cost no allocation.
#[derive(Debug, Clone)]
pub(crate) struct Text<'a> {
    pub value: Cow<'a, str>,
    pub loc: Loc,
}

impl<'a> Text<'a> {
    pub fn new(value: impl Into<Cow<'a, str>>, loc: Loc) -> Self {
        Text {
            value: value.into(),
            loc,
        }
    }
}

/// The fields of a node as found in a file, not yet checked.
#[derive(Debug, Default)]
pub(crate) struct RawNode<'a> {
    pub id: Option<Text<'a>>,
    pub kind: Option<Text<'a>>,
    pub name: Option<Text<'a>>,
    pub aliases: Vec<String>,
    pub start: Option<Text<'a>>,
    pub end: Option<Text<'a>>,
    pub summary: Option<String>,
    pub shared: RawShared<'a>,
}

/// The fields of an edge as found in a file, not yet checked.
#[derive(Debug, Default)]
pub(crate) struct RawEdge<'a> {
    pub from: Option<Text<'a>>,
    pub relation: Option<Text<'a>>,
    pub to: Option<Text<'a>>,
    pub date: Option<Text<'a>>,
    pub shared: RawShared<'a>,
}

/// What a node and an edge share as found in a file, and what reading it learnt.
#[derive(Debug, Default)]
pub(crate) struct RawShared<'a> {
    pub stance: Option<Text<'a>>,
    pub note: Option<String>,
    pub sources: Vec<Source>,
    pub attrs: Attrs,
    /// A field error was already reported for this record.
    pub failed: bool,
    /// Fields that were written, even if with a wrong type: a wrong-typed field is
    /// reported as such, not again as missing.
    pub seen: Vec<&'static str>,
    /// Attributes named like a bibliography field but not one, reported if the record
    /// turns out to be a document (rare: empty, so no allocation, almost always).
    pub misfields: Vec<Misnamed>,
}

/// An attribute named like a bibliography field but not one, and where it is written.
#[derive(Debug)]
pub(crate) struct Misnamed {
    pub key: String,
    pub fix: Misfield,
    pub loc: Loc,
}

impl Misnamed {
    /// The warning for document `id`, with its fix for TOML and for CSV.
    fn problem(&self, id: &str) -> Problem {
        let code = Code::BibliographyField;
        let key = excerpt(&self.key);
        let id = excerpt(id);
        let attr = format!("attrs.{key}");
        let message =
            format!("`{attr}` is not a bibliography field: the reference of `{id}` leaves it out");
        let (label, help, csv_help) = match self.fix {
            Misfield::Field(f) => (
                format!("did you mean `{f}`?"),
                format!("rename it `{f}`, as the README's \"Bibliography fields\" lists"),
                format!("rename the column `{attr}` to `attrs.{f}`"),
            ),
            Misfield::Start => (
                "the date of publication is `start`".to_string(),
                format!(
                    "write the date as the document's `start = \"YYYY-MM-DD\"` (or YYYY, YYYY-MM) and remove `{key}` from `attrs`"
                ),
                format!(
                    "put the date in this row's `start` cell (YYYY, YYYY-MM or YYYY-MM-DD) and empty its `{attr}` cell"
                ),
            ),
            Misfield::Name => (
                "the title is `name`".to_string(),
                format!("write the title as the document's `name` and remove `{key}` from `attrs`"),
                format!("put the title in this row's `name` cell and empty its `{attr}` cell"),
            ),
            Misfield::PublishedBy => (
                "the publisher is a `published-by` edge".to_string(),
                format!(
                    "add [[edge]] from = \"{id}\", relation = \"published-by\", to = the publisher's id (a body), and remove `{key}` from `attrs`"
                ),
                format!(
                    "add a row to edges.csv: {id},published-by,<the publisher's id> (a body), and empty this row's `{attr}` cell"
                ),
            ),
        };
        Problem::warning(code, self.loc, message)
            .label(label)
            .help(help)
            .csv_help(csv_help)
    }
}

/// The fields of an era as found in a file.
#[derive(Debug, Default)]
pub(crate) struct RawEra<'a> {
    pub name: Option<Text<'a>>,
    pub start: Option<Text<'a>>,
    pub end: Option<Text<'a>>,
    pub summary: Option<String>,
    pub failed: bool,
    pub seen: Vec<&'static str>,
}

/// True for stable kebab-case ids: `a-z`, `0-9`, single hyphens between.
pub fn is_kebab_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A kebab-case spelling of any text, offered as the fix for an invalid id.
pub fn kebab_case(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn missing(field: &str, what: &str, loc: Loc) -> Problem {
    Problem::error(Code::MissingField, loc, format!("{what} has no `{field}`"))
        .label(format!("this {what} needs `{field}`"))
        .help(format!("add `{field} = \"...\"`"))
        .csv_help(format!("fill in this row's `{field}` cell"))
}

fn vocabulary<T: Copy>(
    text: &Text<'_>,
    what: &'static str,
    code: Code,
    parse: fn(&str) -> Option<T>,
    spellings: fn() -> Vec<&'static str>,
    problems: &mut Problems,
) -> Option<T> {
    if let Some(v) = parse(&text.value) {
        return Some(v);
    }
    // Listed only for the message: a million valid rows make no list.
    let spellings = spellings();
    let hint = did_you_mean(&text.value, spellings.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    problems.push(
        Problem::error(
            code,
            text.loc,
            format!("unknown {what} `{}`", excerpt(&text.value)),
        )
        .label(format!("not a {what}"))
        .help(format!("{hint}{what}s are: {}", spellings.join(", "))),
    );
    None
}

fn stance(text: &Text<'_>, problems: &mut Problems) -> Option<Stance> {
    vocabulary(
        text,
        "stance",
        Code::UnknownStance,
        Stance::parse,
        Stance::spellings,
        problems,
    )
}

fn date(text: &Text<'_>, problems: &mut Problems) -> Result<PartialDate, ()> {
    PartialDate::parse(&text.value).map_err(|e| {
        let help = match iso_form(&text.value) {
            Some(iso) => format!("dates are written year first: {iso}"),
            None => "write a partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD".to_string(),
        };
        problems.push(
            Problem::error(Code::InvalidDate, text.loc, e.to_string())
                .label("not a real date")
                .help(help),
        );
    })
}

/// The ISO spelling of a date written the way spreadsheets and people write them
/// (`01/04/2001`, `1.4.2001`, `2001/04/01`), as a suggestion: both readings when the
/// day and month could be either (`write it as 2001-04-01 if it is day/month/year, or
/// 2001-01-04 if month/day/year`), the one real date otherwise. `None` for text of
/// another shape, or numbers that make no real date either way.
pub(crate) fn iso_form(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let real = |y: &str, m: &str, d: &str| {
        let iso = format!("{y}-{m:0>2}-{d:0>2}");
        PartialDate::parse(&iso).is_ok().then_some(iso)
    };
    if digits(a, 4..=4) && digits(b, 1..=2) && digits(c, 1..=2) {
        return real(a, b, c).map(|iso| format!("write it as {iso}"));
    }
    if !(digits(a, 1..=2) && digits(b, 1..=2) && digits(c, 4..=4)) {
        return None;
    }
    match (real(c, b, a), real(c, a, b)) {
        (Some(dmy), Some(mdy)) if dmy != mdy => Some(format!(
            "write it as {dmy} if it is day/month/year, or {mdy} if month/day/year"
        )),
        (Some(iso), _) | (None, Some(iso)) => Some(format!("write it as {iso}")),
        (None, None) => None,
    }
}

fn optional_date(
    text: &Option<Text<'_>>,
    problems: &mut Problems,
) -> Result<Option<PartialDate>, ()> {
    text.as_ref().map(|t| date(t, problems)).transpose()
}

/// A node's `end`: a partial date, `ongoing` or `unknown`; absent is unknown.
fn end_value(text: &Option<Text<'_>>, problems: &mut Problems) -> Result<End, ()> {
    let Some(t) = text else {
        return Ok(End::Unknown);
    };
    End::parse(&t.value).map_err(|e| {
        let help = match iso_form(&t.value) {
            Some(iso) => format!("dates are written year first: {iso}"),
            None => "write a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD), `ongoing` for \
                     something still running, or `unknown` (the same as leaving `end` out)"
                .to_string(),
        };
        problems.push(
            Problem::error(Code::InvalidDate, t.loc, e.to_string())
                .label("not a real date, `ongoing` or `unknown`")
                .help(help),
        );
    })
}

fn check_order(
    start: Option<PartialDate>,
    end: Option<PartialDate>,
    end_text: &Option<Text<'_>>,
    problems: &mut Problems,
) -> Result<(), ()> {
    if let (Some(s), Some(e), Some(t)) = (start, end, end_text)
        && e.surely_before(s)
    {
        problems.push(
            Problem::error(
                Code::EndBeforeStart,
                t.loc,
                format!("ends in {e}, before it starts in {s}"),
            )
            .label("end is before start")
            .help("swap the dates, or correct the one that is wrong"),
        );
        return Err(());
    }
    Ok(())
}

/// Checks a node's fields and builds it; on any error the id is remembered as rejected.
#[inline]
pub(crate) fn finish_node(
    raw: RawNode<'_>,
    whole: Loc,
    data: &mut Dataset,
    problems: &mut Problems,
) {
    let mut ok = !raw.shared.failed;
    let Some(id) = raw.id else {
        if !raw.shared.seen.contains(&"id") {
            problems.push(missing("id", "node", whole));
        }
        return;
    };
    if !is_kebab_id(&id.value) {
        let look_alikes = crate::confusable::look_alikes(&id.value);
        let fix = kebab_case(&crate::confusable::to_ascii_look_alike(&id.value));
        let foreign: Vec<String> = {
            let mut seen: Vec<char> = id.value.chars().filter(|c| !c.is_ascii()).collect();
            seen.dedup();
            seen.into_iter()
                .take(3)
                .map(crate::confusable::describe)
                .collect()
        };
        let message = if look_alikes.is_empty() && foreign.is_empty() {
            format!("id `{}` is not kebab-case", excerpt(&id.value))
        } else if look_alikes.is_empty() {
            format!(
                "id `{}` is not kebab-case: it contains {}",
                excerpt(&id.value),
                foreign.join(", ")
            )
        } else {
            // It prints like a good id: say what is hidden in it.
            format!(
                "id `{}` contains {}",
                excerpt(&id.value),
                crate::confusable::explain(&look_alikes)
            )
        };
        problems.push(
            Problem::error(Code::InvalidId, id.loc, message)
                .label("ids use a-z, 0-9 and single hyphens")
                .maybe_help((!fix.is_empty()).then(|| format!("write it as `{}`", excerpt(&fix)))),
        );
        if !look_alikes.is_empty() && is_kebab_id(&fix) {
            // References typed with the ASCII letters mean this node: not unknown too.
            data.reject_id(fix);
        }
        ok = false;
    }
    let kind = match &raw.kind {
        Some(t) => vocabulary(
            t,
            "kind",
            Code::UnknownKind,
            NodeKind::parse,
            NodeKind::spellings,
            problems,
        ),
        None => {
            if !raw.shared.seen.contains(&"kind") {
                problems.push(missing("kind", "node", whole));
            }
            None
        }
    };
    ok &= kind.is_some();
    if kind == Some(NodeKind::Document) {
        for m in &raw.shared.misfields {
            problems.push(m.problem(&id.value));
        }
    }
    match &raw.name {
        None => {
            if !raw.shared.seen.contains(&"name") {
                problems.push(missing("name", "node", whole));
            }
            ok = false;
        }
        Some(name) if name.value.trim().is_empty() => {
            problems.push(
                Problem::error(Code::MissingField, name.loc, "node has an empty `name`")
                    .label("no name here")
                    .help("write the name a reader knows it by"),
            );
            ok = false;
        }
        Some(_) => {}
    }
    let mut aliases = raw.aliases;
    ok &= tidy_aliases(&mut aliases, id.loc, problems);
    let mut sources = raw.shared.sources;
    ok &= tidy_sources(&mut sources, problems);
    let start = optional_date(&raw.start, problems);
    let end = end_value(&raw.end, problems);
    let (start, end) = match (start, end) {
        (Ok(s), Ok(e)) => (s, e),
        _ => {
            ok = false;
            (None, End::Unknown)
        }
    };
    ok &= check_order(start, end.date(), &raw.end, problems).is_ok();
    let stance = match &raw.shared.stance {
        Some(t) if kind.is_some() && kind != Some(NodeKind::Finding) => {
            problems.push(
                Problem::error(Code::StanceNotAllowed, t.loc, "only a finding has a stance")
                    .label("stance on a node that is not a finding")
                    .help(
                        "remove `stance`, or put it on the `evaluated-by` edge or a finding node",
                    ),
            );
            ok = false;
            None
        }
        Some(t) => {
            let s = stance(t, problems);
            ok &= s.is_some();
            s
        }
        None => None,
    };
    let (Some(kind), Some(name), true) = (kind, raw.name, ok) else {
        data.reject_id(id.value.into_owned());
        return;
    };
    let (mut summary, mut note, mut attrs) = (raw.summary, raw.shared.note, raw.shared.attrs);
    normalise(&mut summary, &mut note, &mut attrs);
    let mut node = Node::new(
        &id.value,
        kind,
        &name.value,
        &aliases,
        summary.as_deref(),
        NodeLoc::new(whole, id.loc),
    );
    node.start = start;
    node.end = end;
    node.stance = stance;
    data.push_node(node.with_extra(note, sources, attrs));
}

/// Checks an edge's fields and builds it; an edge with a field error is dropped.
#[inline]
pub(crate) fn finish_edge(
    raw: RawEdge<'_>,
    whole: Loc,
    data: &mut Dataset,
    problems: &mut Problems,
) {
    if let Some((from, to, edge)) = check_edge(raw, whole, data, problems) {
        data.push_edge(&from, &to, edge);
    }
}

/// Checks an edge's fields like [`finish_edge`], and returns its endpoints and the edge
/// (its `from` and `to` symbols still to be set), without adding it.
pub(crate) fn check_edge<'a>(
    raw: RawEdge<'a>,
    whole: Loc,
    data: &mut Dataset,
    problems: &mut Problems,
) -> Option<(Cow<'a, str>, Cow<'a, str>, Edge)> {
    let mut ok = !raw.shared.failed;
    for (field, value) in [
        ("from", &raw.from),
        ("relation", &raw.relation),
        ("to", &raw.to),
    ] {
        if value.is_none() {
            if !raw.shared.seen.contains(&field) {
                problems.push(missing(field, "edge", whole));
            }
            ok = false;
        }
    }
    let relation = raw.relation.as_ref().and_then(|t| {
        vocabulary(
            t,
            "relation",
            Code::UnknownRelation,
            Relation::parse,
            Relation::spellings,
            problems,
        )
    });
    ok &= raw.relation.is_none() || relation.is_some();
    let date = optional_date(&raw.date, problems);
    ok &= date.is_ok();
    let stance = match &raw.shared.stance {
        Some(t) if relation.is_some() && relation != Some(Relation::EvaluatedBy) => {
            problems.push(
                Problem::error(
                    Code::StanceNotAllowed,
                    t.loc,
                    "only an `evaluated-by` edge has a stance",
                )
                .label("stance on another relation")
                .help("remove `stance` from this edge"),
            );
            ok = false;
            None
        }
        Some(t) => {
            let s = stance(t, problems);
            ok &= s.is_some();
            s
        }
        None => None,
    };
    let mut sources = raw.shared.sources;
    ok &= tidy_sources(&mut sources, problems);
    if !ok || relation.is_none() || date.is_err() {
        // The nodes it names keep an edge in the data: not orphans as well.
        data.drop_edge(
            raw.from.as_ref().map(|t| &*t.value),
            raw.to.as_ref().map(|t| &*t.value),
        );
    }
    let (Some(from), Some(relation), Some(to), Ok(date), true) =
        (raw.from, relation, raw.to, date, ok)
    else {
        return None;
    };
    let (mut note, mut attrs) = (raw.shared.note, raw.shared.attrs);
    normalise(&mut None, &mut note, &mut attrs);
    let loc = EdgeLoc::new(
        whole,
        from.loc,
        raw.relation.map_or(whole, |t| t.loc),
        to.loc,
    );
    let edge = Edge {
        relation,
        date,
        stance,
        extra: None,
        loc,
    }
    .with_extra(note, sources, attrs);
    Some((from.value, to.value, edge))
}

/// Checked edges whose endpoints wait to be interned: the CSV loader's way, where a
/// file may have millions of rows. The parse sends full batches to a thread of their own
/// ([`EdgeBatch::send`]), which interns them ([`EdgeBatch::add_to`]) while the parse
/// goes on (measured gain in `crate::load::csv`'s module doc).
#[derive(Debug, Default)]
pub(crate) struct EdgeBatch {
    /// The endpoints' text, `from` then `to` of each edge, back to back.
    text: String,
    /// Where each endpoint ends in `text`.
    ends: Vec<usize>,
    edges: Vec<Edge>,
}

impl EdgeBatch {
    /// Edges sent to the interning thread at a time.
    const EDGES: usize = 1024;

    /// Edges interned at a time ([`crate::intern::Interner::intern_batch`]: the cache
    /// misses of their lookups overlap): enough for that, few enough that their slots
    /// stay in the first-level cache until used.
    const INTERNED: usize = 64;

    /// Adds an edge from [`check_edge`]; a full batch goes to `sink`.
    pub(crate) fn push(
        &mut self,
        from: &str,
        to: &str,
        edge: Edge,
        sink: &std::sync::mpsc::SyncSender<EdgeBatch>,
    ) {
        for end in [from, to] {
            self.text.push_str(end);
            self.ends.push(self.text.len());
        }
        self.edges.push(edge);
        if self.edges.len() == Self::EDGES {
            self.send(sink);
        }
    }

    /// Sends the edges held to `sink`, to be added in the order they came. A sink that
    /// hung up is only possible while a panic unwinds: nothing is lost that matters.
    pub(crate) fn send(&mut self, sink: &std::sync::mpsc::SyncSender<EdgeBatch>) {
        if self.edges.is_empty() {
            return;
        }
        let next = EdgeBatch {
            text: String::with_capacity(self.text.capacity()),
            ends: Vec::with_capacity(2 * Self::EDGES),
            edges: Vec::with_capacity(Self::EDGES),
        };
        let _ = sink.send(std::mem::replace(self, next));
    }

    /// Adds the edges to `data`, in order, [`EdgeBatch::INTERNED`] at a time.
    pub(crate) fn add_to(mut self, data: &mut Dataset) {
        let text = &self.text;
        let mut start = 0;
        let mut edges = self.edges.drain(..);
        for pairs in self.ends.chunks(2 * Self::INTERNED) {
            let ends = pairs.iter().scan(start, |start, &end| {
                let end_text = &text[*start..end];
                *start = end;
                Some(end_text)
            });
            start = pairs.last().copied().unwrap_or(start);
            data.push_edges(ends, edges.by_ref().take(pairs.len() / 2));
        }
    }
}

/// Trims the spaces at the ends of each source's document id and locator; an empty
/// one is an error. One rule for both formats: a CSV cell is split on `|` and each part
/// trimmed, so a TOML collection that kept `" p. 3 "` or `""` would not survive a CSV
/// round trip. Returns false when a source is empty.
fn tidy_sources(sources: &mut [Source], problems: &mut Problems) -> bool {
    let mut ok = true;
    for source in sources {
        for (field, text) in [("doc", &mut source.doc), ("at", &mut source.at)] {
            if text.trim().len() != text.len() {
                *text = text.trim().to_string();
            }
            if text.is_empty() {
                problems.push(
                    Problem::error(
                        Code::MissingField,
                        source.loc,
                        format!("a source has an empty `{field}`"),
                    )
                    .label("in this source")
                    .help("a source names a document id (`doc`) and a place in it (`at`), e.g. `{ doc = \"miller-glasby-dickinson-2021\", at = \"Table 1\" }`"),
                );
                ok = false;
            }
        }
    }
    ok
}

/// Trims the spaces at the ends of each alias; an empty alias is an error (the rule
/// and its reason as for [`tidy_sources`]). Returns false when an alias is empty.
fn tidy_aliases(aliases: &mut [String], loc: Loc, problems: &mut Problems) -> bool {
    let mut ok = true;
    for alias in aliases {
        if alias.trim().len() != alias.len() {
            *alias = alias.trim().to_string();
        }
        if alias.is_empty() {
            problems.push(
                Problem::error(Code::MissingField, loc, "an alias of this node is empty")
                    .label("this node")
                    .help("remove the empty alias"),
            );
            ok = false;
        }
    }
    ok
}

/// Checks an era's fields and builds it.
pub(crate) fn finish_era(raw: RawEra<'_>, whole: Loc, data: &mut Dataset, problems: &mut Problems) {
    let mut ok = !raw.failed;
    if raw.name.is_none() {
        if !raw.seen.contains(&"name") {
            problems.push(missing("name", "era", whole));
        }
        ok = false;
    }
    let start = match &raw.start {
        Some(t) => date(t, problems).ok(),
        None => {
            if !raw.seen.contains(&"start") {
                problems.push(missing("start", "era", whole));
            }
            None
        }
    };
    let end = optional_date(&raw.end, problems);
    ok &= end.is_ok() && check_order(start, end.ok().flatten(), &raw.end, problems).is_ok();
    if let Some(name) = &raw.name {
        ok &= era_name(name, problems);
    }
    let (Some(name), Some(start), Ok(end), true) = (raw.name, start, end, ok) else {
        return;
    };
    data.push_era(Era {
        name: name.value.into_owned(),
        start,
        end,
        summary: raw.summary.map(normalise_line_ends),
        loc: whole,
    });
}

/// Longest era name, in characters: it heads slides and names files.
pub const MAX_ERA_NAME: usize = 80;

/// Checks that an era name has something to show and is not too long; false when it
/// was reported. (Its characters are checked with every other text, by the graph.)
fn era_name(name: &Text<'_>, problems: &mut Problems) -> bool {
    let chars = name.value.chars().count();
    let problem = if name.value.trim().is_empty() {
        Problem::error(Code::InvalidEraName, name.loc, "the era's name is empty")
            .label("empty name")
            .help("give the era a name, e.g. name = \"Coalition\"")
            .csv_help("fill in the `name` cell, e.g. Coalition")
    } else if chars > MAX_ERA_NAME {
        Problem::error(
            Code::InvalidEraName,
            name.loc,
            format!("the era's name is {chars} characters long, more than {MAX_ERA_NAME}"),
        )
        .label("too long")
        .help(format!(
            "shorten it to at most {MAX_ERA_NAME} characters (it heads slides and names files); a longer description belongs in `summary`"
        ))
    } else {
        return true;
    };
    problems.push(problem);
    false
}

/// Normalises the multi-line texts of a record (summary, note and the free
/// attributes' string values): line ends become line feeds, and an empty text is no
/// text, in both formats alike (an empty CSV cell is an absent value, so a TOML
/// `summary = ""` kept as a summary would not survive a CSV round trip).
fn normalise(summary: &mut Option<String>, note: &mut Option<String>, attrs: &mut Attrs) {
    for field in [summary, note] {
        if field.as_deref() == Some("") {
            *field = None;
        }
        if let Some(text) = field
            && text.contains('\r')
        {
            *text = normalise_line_ends(std::mem::take(text));
        }
    }
    attrs.retain(
        |_, value| !matches!(value, crate::model::AttrValue::String(text) if text.is_empty()),
    );
    for value in attrs.values_mut() {
        if let crate::model::AttrValue::String(text) = value
            && text.contains('\r')
        {
            *text = normalise_line_ends(std::mem::take(text));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_written_day_first_get_their_iso_form() {
        assert_eq!(
            super::iso_form("01/04/2001").as_deref(),
            Some("write it as 2001-04-01 if it is day/month/year, or 2001-01-04 if month/day/year")
        );
        assert_eq!(
            super::iso_form("31/12/2010").as_deref(),
            Some("write it as 2010-12-31")
        );
        assert_eq!(
            super::iso_form("12/31/2010").as_deref(),
            Some("write it as 2010-12-31")
        );
        assert_eq!(
            super::iso_form("1.4.2001").as_deref(),
            Some("write it as 2001-04-01 if it is day/month/year, or 2001-01-04 if month/day/year")
        );
        assert_eq!(
            super::iso_form("5/5/2001").as_deref(),
            Some("write it as 2001-05-05")
        );
        assert_eq!(
            super::iso_form("2001/04/01").as_deref(),
            Some("write it as 2001-04-01")
        );
        assert_eq!(
            super::iso_form("31/02/2001"),
            None,
            "no real date either way"
        );
        assert_eq!(super::iso_form("April 2001"), None);
        assert_eq!(super::iso_form("2001-13-01"), None);
    }

    use super::*;

    #[test]
    fn kebab_ids() {
        assert!(is_kebab_id("health-and-social-care-act-2012"));
        assert!(is_kebab_id("bod-12"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", "é"] {
            assert!(!is_kebab_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn kebab_case_suggestion() {
        assert_eq!(
            kebab_case("Health & Social Care Act 2012"),
            "health-social-care-act-2012"
        );
        assert_eq!(kebab_case("PCT_01"), "pct-01");
        assert_eq!(kebab_case("---"), "");
    }
}
