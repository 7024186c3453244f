//! The records a collection is made of, as loaded from TOML or CSV, with the location
//! of every value a later check may need to point at.

use super::{End, NodeKind, PartialDate, Relation, Stance};
use crate::diag::{FileId, Loc, Span};
use crate::intern::{Interner, Sym};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Provenance: the document a node or edge comes from, and where in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The id of a `document` node.
    pub doc: String,
    /// The locator inside that document: "Table 1", "para 24", "p. 12", "ref 19".
    pub at: String,
    /// Where `doc` is written, for errors about it.
    pub loc: Loc,
}

/// A free attribute value: the scalars every export format can carry with its type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// Text.
    String(String),
    /// A whole number.
    Integer(i64),
    /// A number with a fraction.
    Float(f64),
    /// True or false.
    Bool(bool),
}

/// Free attributes, sorted by name so every output that carries them is deterministic.
pub type Attrs = BTreeMap<String, AttrValue>;

/// One node: an initiative, body, piece of legislation, document or finding.
///
/// Its id, name, aliases and summary are held back to back in one allocation and read
/// with [`Node::id`], [`Node::name`], [`Node::aliases`] and [`Node::summary`]: as
/// strings of their own they cost a heap block each and 80 bytes of pointers (see
/// [`Node::new`]).
#[derive(Clone, PartialEq)]
pub struct Node {
    /// The id, the name, the aliases (each as its length in decimal, `:` and the
    /// alias), `;`, and the summary (empty when there is none), back to back.
    pub(super) text: Box<str>,
    /// Where the id ends in `text`, and where the name ends.
    pub(super) ends: [u32; 2],
    /// What the node is.
    pub kind: NodeKind,
    /// When it began (for documents: when published).
    pub start: Option<PartialDate>,
    /// When it ended: a date, ongoing, or unknown (the default: no `end` in the data).
    pub end: End,
    /// For findings: the direction of the judgement.
    pub stance: Option<Stance>,
    /// The note (a remark, e.g. where a seed and the public record disagree), sources
    /// (provenance) and free attributes (the `attrs` table, or extra CSV columns), when
    /// the node has any: the nodes of a large imported network mostly have none, and a
    /// million nodes then cost 64 bytes each, not 112 (read them with
    /// [`Node::note`], [`Node::sources`] and [`Node::attrs`]).
    pub(crate) extra: Option<Box<Extra>>,
    /// Where the node and its checked values are written.
    pub loc: NodeLoc,
}

impl Node {
    /// A node with this id, kind, name, aliases and summary (an empty summary is none),
    /// written at `loc`, with no dates, stance, note, sources or attributes yet (set the
    /// public fields, and [`Node::with_extra`]).
    ///
    /// The texts share one allocation. Measured at 10^6 nodes (peak resident memory): a
    /// `String` each for id, name and summary made 3 million small blocks (76 MB of text
    /// and about 45 MB of allocator overhead) and a 120-byte node; one block and an
    /// 80-byte node took `validate` from 493 MiB to 419 MiB. The aliases (a boxed slice
    /// of `String`s: 16 bytes in every node, two blocks for each of the 200,000 nodes
    /// that have one) joined the block later: a 64-byte node, `validate` 366 -> 344 MiB,
    /// `critiques` 394 -> 371, the DOT export 382 -> 360.
    pub fn new(
        id: &str,
        kind: NodeKind,
        name: &str,
        aliases: &[String],
        summary: Option<&str>,
        loc: NodeLoc,
    ) -> Node {
        use std::fmt::Write as _;
        let summary = summary.unwrap_or("");
        let listed: usize = aliases.iter().map(|a| a.len() + 21).sum();
        let mut text = String::with_capacity(id.len() + name.len() + listed + 1 + summary.len());
        text.push_str(id);
        text.push_str(name);
        for alias in aliases {
            // Writing to a `String` cannot fail.
            let _ = write!(text, "{}:", alias.len());
            text.push_str(alias);
        }
        text.push(';');
        text.push_str(summary);
        // A file's text is far below 4 GiB (CSV record offsets are 32-bit too).
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Node {
            text: text.into_boxed_str(),
            ends: [at(id.len()), at(id.len() + name.len())],
            kind,
            start: None,
            end: End::Unknown,
            stance: None,
            extra: None,
            loc,
        }
    }

    /// Stable kebab-case identifier.
    pub fn id(&self) -> &str {
        &self.text[..self.ends[0] as usize]
    }

    /// Display name.
    pub fn name(&self) -> &str {
        &self.text[self.ends[0] as usize..self.ends[1] as usize]
    }

    /// Other names it is known by (abbreviations, former names).
    pub fn aliases(&self) -> Aliases<'_> {
        Aliases {
            rest: &self.text[self.ends[1] as usize..],
        }
    }

    /// One or two sentences in our own words.
    pub fn summary(&self) -> Option<&str> {
        let mut aliases = self.aliases().iter();
        while aliases.next().is_some() {}
        aliases.rest.strip_prefix(';').filter(|s| !s.is_empty())
    }
}

/// A node's aliases ([`Node::aliases`]), read from its text.
#[derive(Clone, Copy)]
pub struct Aliases<'a> {
    /// From the first alias's length to the `;` that ends the list (and on).
    rest: &'a str,
}

impl<'a> Aliases<'a> {
    /// The aliases, in order.
    pub fn iter(&self) -> AliasIter<'a> {
        AliasIter { rest: self.rest }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.iter().count()
    }
}

impl<'a> IntoIterator for Aliases<'a> {
    type Item = &'a str;
    type IntoIter = AliasIter<'a>;
    fn into_iter(self) -> AliasIter<'a> {
        self.iter()
    }
}

impl PartialEq for Aliases<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Aliases<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Aliases<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The aliases of a node, one by one.
#[derive(Debug, Clone)]
pub struct AliasIter<'a> {
    rest: &'a str,
}

impl<'a> Iterator for AliasIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.starts_with(';') {
            return None;
        }
        let (len, after) = self.rest.split_once(':')?;
        let len: usize = len.parse().ok()?;
        let alias = after.get(..len)?;
        self.rest = &after[len..];
        Some(alias)
    }
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("id", &self.id())
            .field("kind", &self.kind)
            .field("name", &self.name())
            .field("aliases", &self.aliases())
            .field("start", &self.start)
            .field("end", &self.end)
            .field("summary", &self.summary())
            .field("stance", &self.stance)
            .field("extra", &self.extra)
            .field("loc", &self.loc)
            .finish()
    }
}

/// Where a node and its id are written. A CSV row's locations are its record and a
/// column, 16 bytes in all, so a million rows do not carry four full locations each; a
/// TOML node's are kept in full, boxed (curated files are small).
#[derive(Debug, Clone, PartialEq)]
pub enum NodeLoc {
    /// A CSV row.
    Csv {
        /// The file.
        file: FileId,
        /// Byte offset of the record.
        record: u32,
        /// The column of `id`.
        id: u16,
    },
    /// Any other place.
    Spans(Box<[Loc; 2]>),
}

impl NodeLoc {
    /// The locations of a node (`whole`, its table header or CSV row) and its `id` value.
    pub fn new(whole: Loc, id: Loc) -> Self {
        match (whole.span, id.span) {
            (Span::CsvRecord { record }, Span::CsvField { record: r, column })
                if r == record && whole.file == id.file =>
            {
                NodeLoc::Csv {
                    file: whole.file,
                    record,
                    id: column,
                }
            }
            _ => NodeLoc::Spans(Box::new([whole, id])),
        }
    }

    /// The node as a whole (its table header or CSV row).
    pub fn whole(&self) -> Loc {
        match self {
            NodeLoc::Csv { file, record, .. } => Loc {
                file: *file,
                span: Span::CsvRecord { record: *record },
            },
            NodeLoc::Spans(spans) => spans[0],
        }
    }

    /// The `id` value.
    pub fn id(&self) -> Loc {
        match self {
            NodeLoc::Csv { file, record, id } => Loc {
                file: *file,
                span: Span::CsvField {
                    record: *record,
                    column: *id,
                },
            },
            NodeLoc::Spans(spans) => spans[1],
        }
    }
}

/// One typed edge, read as a sentence: `from` `relation` `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The relation. Its ends are not in the record: the dataset holds them as
    /// symbols beside it until the graph is built, and the graph as its structure
    /// ([`crate::graph::PolicyGraph::endpoints`]), so a million edges do not carry them
    /// twice.
    pub relation: Relation,
    /// When the relation took effect, when it differs from the nodes' own dates.
    pub date: Option<PartialDate>,
    /// For `evaluated-by`: the direction of the judgement.
    pub stance: Option<Stance>,
    /// The note, sources and attributes, when the edge has any: most edges of a large
    /// citation network have none, and a million edges then cost 32 bytes each, not 88.
    pub(crate) extra: Option<Box<Extra>>,
    /// Where the edge and its values are written.
    pub loc: EdgeLoc,
}

/// What a node or edge may have besides its identity, dates and stance: most records
/// of a large network have none of it, so it is boxed, and absent when empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Extra {
    pub note: Option<Box<str>>,
    pub sources: Box<[Source]>,
    pub attrs: Attrs,
}

impl Extra {
    fn new(note: Option<String>, sources: Vec<Source>, attrs: Attrs) -> Option<Box<Extra>> {
        (note.is_some() || !sources.is_empty() || !attrs.is_empty()).then(|| {
            Box::new(Extra {
                note: note.map(String::into_boxed_str),
                sources: sources.into_boxed_slice(),
                attrs,
            })
        })
    }
}

/// The attributes of a node or edge that has none.
static NO_ATTRS: Attrs = Attrs::new();

/// The accessors of a record's [`Extra`] (its field `extra`), the same for nodes and
/// edges.
macro_rules! extra_accessors {
    ($record:ty) => {
        impl $record {
            /// A remark, e.g. where a seed and the public record disagree.
            pub fn note(&self) -> Option<&str> {
                self.extra.as_ref()?.note.as_deref()
            }

            /// Provenance.
            pub fn sources(&self) -> &[Source] {
                self.extra.as_ref().map_or(&[], |x| &x.sources)
            }

            /// Free attributes.
            pub fn attrs(&self) -> &Attrs {
                self.extra.as_ref().map_or(&NO_ATTRS, |x| &x.attrs)
            }

            /// Sets the note, sources and attributes (boxed only when there is one).
            pub(crate) fn with_extra(
                mut self,
                note: Option<String>,
                sources: Vec<Source>,
                attrs: Attrs,
            ) -> Self {
                self.extra = Extra::new(note, sources, attrs);
                self
            }
        }
    };
}

extra_accessors!(Node);
extra_accessors!(Edge);

/// Where an edge and its `from`, `relation` and `to` values are written: for a CSV row,
/// its record and three columns (16 bytes); otherwise each location, boxed.
#[derive(Debug, Clone, PartialEq)]
pub enum EdgeLoc {
    /// A CSV row.
    Csv {
        /// The file.
        file: FileId,
        /// Byte offset of the record.
        record: u32,
        /// The columns of `from`, `relation` and `to`.
        columns: [u16; 3],
    },
    /// Any other place: whole, from, relation, to.
    Spans(Box<[Loc; 4]>),
}

impl EdgeLoc {
    /// The locations of an edge as a whole and of its `from`, `relation` and `to`.
    pub fn new(whole: Loc, from: Loc, relation: Loc, to: Loc) -> Self {
        let column = |loc: Loc| match (whole.span, loc.span) {
            (Span::CsvRecord { record }, Span::CsvField { record: r, column })
                if r == record && loc.file == whole.file =>
            {
                Some(column)
            }
            _ => None,
        };
        match (whole.span, column(from), column(relation), column(to)) {
            (Span::CsvRecord { record }, Some(a), Some(b), Some(c)) => EdgeLoc::Csv {
                file: whole.file,
                record,
                columns: [a, b, c],
            },
            _ => EdgeLoc::Spans(Box::new([whole, from, relation, to])),
        }
    }

    fn at(&self, i: usize) -> Loc {
        match self {
            EdgeLoc::Csv {
                file,
                record,
                columns,
            } => Loc {
                file: *file,
                span: match i {
                    0 => Span::CsvRecord { record: *record },
                    i => Span::CsvField {
                        record: *record,
                        column: columns[i - 1],
                    },
                },
            },
            EdgeLoc::Spans(spans) => spans[i],
        }
    }

    /// The edge as a whole.
    pub fn whole(&self) -> Loc {
        self.at(0)
    }

    /// The `from` value.
    pub fn from(&self) -> Loc {
        self.at(1)
    }

    /// The `relation` value.
    pub fn relation(&self) -> Loc {
        self.at(2)
    }

    /// The `to` value.
    pub fn to(&self) -> Loc {
        self.at(3)
    }
}

/// What a collection says about itself (a `[collection]` table): the deck's title
/// slide and the pages' headings use it.
#[derive(Debug, Clone, PartialEq)]
pub struct About {
    /// The collection's title, e.g. "Integrated health and social care in England".
    pub title: Option<String>,
    /// Who compiled it, as it should be credited.
    pub author: Option<String>,
    /// One or two sentences on what it covers.
    pub summary: Option<String>,
    /// Where it is written.
    pub loc: Loc,
}

/// A named period of time, used for time bands and seminar steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Era {
    /// Display name, e.g. "Coalition".
    pub name: String,
    /// First year.
    pub start: PartialDate,
    /// Last year, absent for an era still running.
    pub end: Option<PartialDate>,
    /// Optional description.
    pub summary: Option<String>,
    /// Where it is written.
    pub loc: Loc,
}

/// Longest slug of an era name in a file stem, in bytes.
const MAX_ERA_SLUG: usize = 40;

/// The file stems of eras' views (`era-coalition`), one per era in order, all
/// different, each at most `era-` plus 40 letters, digits and hyphens plus a suffix of
/// at most 9 and a number.
///
/// The stem is the name's ASCII letters and digits, lower case, other runs made one
/// hyphen, cut to [`MAX_ERA_SLUG`] bytes: "COVID-19 and after" gives
/// `era-covid-19-and-after`. No path separator or dot survives, so a name such as
/// `../../Labour` stays inside the output folder. When two names give one slug
/// (`../../Labour` and `Labour`), or a name gives none (a name in a script other than
/// Latin), each of them gets a short hash of its full name after the slug
/// (`era-labour-1a2b3c4d`), so neither overwrites the other; two identical names get a
/// number after that.
pub fn era_file_stems<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let slugs: Vec<(String, &str)> = names.into_iter().map(|n| (slug(n), n)).collect();
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (slug, _) in &slugs {
        *count.entry(slug.as_str()).or_default() += 1;
    }
    let plain = |slug: &str| !slug.is_empty() && count[slug] == 1;
    let mut taken: HashSet<String> = slugs
        .iter()
        .filter(|(slug, _)| plain(slug))
        .map(|(slug, _)| format!("era-{slug}"))
        .collect();
    slugs
        .iter()
        .map(|(slug, name)| {
            if plain(slug) {
                return format!("era-{slug}");
            }
            let hash = format!("{:08x}", fnv1a(name.as_bytes()) as u32);
            let base = if slug.is_empty() {
                format!("era-{hash}")
            } else {
                format!("era-{slug}-{hash}")
            };
            let mut stem = base.clone();
            let mut n = 2;
            while !taken.insert(stem.clone()) {
                stem = format!("{base}-{n}");
                n += 1;
            }
            stem
        })
        .collect()
}

/// An era name's ASCII letters and digits in lower case, other runs one hyphen, at most
/// [`MAX_ERA_SLUG`] bytes; empty when it has none.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if out.len() == MAX_ERA_SLUG {
                break;
            }
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') || out.len() > MAX_ERA_SLUG {
        out.pop();
    }
    out
}

/// FNV-1a, 64-bit: a hash that is the same on every machine and in every version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Which text field of a record: what [`Texts::find_text`] hands over with each text,
/// so a check can say where a problem is and apply the field's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField<'a> {
    /// A text field of the table ([`super::field`]), or an item of a list field.
    Field(&'static super::field::Field),
    /// The document id of a source.
    SourceDoc,
    /// The locator of a source.
    Locator,
    /// The name of a free attribute.
    AttrName,
    /// The value of the free attribute named so.
    AttrValue(&'a str),
}

impl TextField<'_> {
    /// How the field may be written: one line, or several (the field table says).
    pub fn lines(self) -> crate::text::Lines {
        use crate::text::Lines;
        match self {
            TextField::Field(f) => f.ty.lines(),
            TextField::AttrValue(_) => Lines::Many,
            TextField::SourceDoc | TextField::Locator | TextField::AttrName => Lines::One,
        }
    }

    /// The field in a message: "name", "an alias", "attribute `url`".
    pub fn describe(self) -> String {
        match self {
            TextField::Field(f) => match f.ty {
                super::field::Type::List { item } => item.into(),
                _ => f.name.into(),
            },
            TextField::SourceDoc => "a source's document".into(),
            TextField::Locator => "a source locator".into(),
            TextField::AttrName => "an attribute name".into(),
            TextField::AttrValue(k) => format!("attribute `{}`", crate::diag::excerpt(k)),
        }
    }
}

/// A record whose every text can be visited: the one walk the text checks read.
///
/// It walks the record's [`super::field`] values, which name every struct field, so a
/// check cannot miss a field by being another list kept by hand; each text's rule
/// (one line or several) is its field's in the table.
pub trait Texts {
    /// Calls `f` with each text field in turn until it returns `Some`, and returns that.
    fn find_text<'a, R>(&'a self, f: impl FnMut(TextField<'a>, &'a str) -> Option<R>) -> Option<R>;
}

/// The texts of some field values, in table order. An edge's ends are node ids,
/// checked at the node (an edge naming no node is an error of its own).
fn value_texts<'a, R>(
    values: impl IntoIterator<
        Item = (
            &'static super::field::Field,
            Option<super::field::Value<'a>>,
        ),
    >,
    f: &mut impl FnMut(TextField<'a>, &'a str) -> Option<R>,
) -> Option<R> {
    use super::field::{Type, Value};
    values
        .into_iter()
        .find_map(|(field, value)| match (field.ty, value?) {
            (Type::From | Type::To, _) => None,
            (_, Value::Text(t)) => f(TextField::Field(field), t),
            (_, Value::List(items)) => items.iter().find_map(|t| f(TextField::Field(field), t)),
            (_, Value::Sources(sources)) => sources.iter().find_map(|source| {
                let Source { doc, at, loc: _ } = source;
                f(TextField::SourceDoc, doc).or_else(|| f(TextField::Locator, at))
            }),
            (_, Value::Attrs(attrs)) => attrs.iter().find_map(|(k, v)| {
                f(TextField::AttrName, k).or_else(|| match v {
                    AttrValue::String(s) => f(TextField::AttrValue(k), s),
                    AttrValue::Integer(_) | AttrValue::Float(_) | AttrValue::Bool(_) => None,
                })
            }),
            (
                _,
                Value::Date(_)
                | Value::End(_)
                | Value::Kind(_)
                | Value::Relation(_)
                | Value::Stance(_),
            ) => None,
        })
}

/// The records whose texts are exactly the fields of their table.
macro_rules! texts_from_values {
    ($($record:ty),*) => {$(
        impl Texts for $record {
            #[inline]
            fn find_text<'a, R>(
                &'a self,
                mut f: impl FnMut(TextField<'a>, &'a str) -> Option<R>,
            ) -> Option<R> {
                value_texts(self.values(), &mut f)
            }
        }
    )*};
}

texts_from_values!(Node, Era, About);

impl Texts for Edge {
    #[inline]
    fn find_text<'a, R>(
        &'a self,
        mut f: impl FnMut(TextField<'a>, &'a str) -> Option<R>,
    ) -> Option<R> {
        self.extra.as_ref()?;
        value_texts(self.values("", ""), &mut f)
    }
}

/// Everything loaded from a `--data` path, before it becomes a graph.
///
/// Complete as soon as it exists: an edge's endpoints are interned when it is added, so
/// every edge held is valid, and there is no state of a load in progress here.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    /// In load order (files sorted by path, records in file order).
    nodes: Vec<Node>,
    /// In load order.
    edges: Vec<Edge>,
    /// Each edge's `from` and `to`, as symbols of `ids`: `ends[i]` are `edges[i]`'s.
    ends: Vec<[Sym; 2]>,
    eras: Vec<Era>,
    /// `[collection]` tables: at most one is allowed, which the graph checks.
    about: Vec<About>,
    /// Ids of nodes that were written but rejected for a field error. References to them
    /// are not reported again as unknown: the first error already says what to fix.
    rejected_ids: HashSet<String>,
    /// True when a whole file was skipped (syntax or encoding error), so unknown-node
    /// errors can say the id may be defined there.
    skipped_files: bool,
    /// Ids named by edges dropped for a field error: those nodes do have an edge in
    /// the data, so they are not reported as orphans on top of the edge's error.
    dropped_edge_ends: HashSet<String>,
    /// The edge endpoints, each distinct id once: the start of the graph's id index.
    ids: Interner,
}

/// A dataset taken apart, for building the graph.
pub(crate) struct Parts {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub ends: Vec<[Sym; 2]>,
    pub eras: Vec<Era>,
    pub about: Vec<About>,
    pub rejected_ids: HashSet<String>,
    pub skipped_files: bool,
    pub dropped_edge_ends: HashSet<String>,
    pub ids: Interner,
}

impl Dataset {
    /// Nodes in load order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Edges in load order.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// Eras in load order.
    pub fn eras(&self) -> &[Era] {
        &self.eras
    }

    /// `[collection]` tables in load order.
    pub fn about(&self) -> &[About] {
        &self.about
    }

    /// The ids of the `from` and `to` of the edge at position `i` of [`Dataset::edges`].
    pub fn ends(&self, i: usize) -> (&str, &str) {
        let [from, to] = self.ends[i];
        (self.ids.resolve(from), self.ids.resolve(to))
    }

    /// Ids written but rejected for a field error.
    pub fn rejected_ids(&self) -> &HashSet<String> {
        &self.rejected_ids
    }

    /// True when a whole file was skipped.
    pub fn skipped_files(&self) -> bool {
        self.skipped_files
    }

    /// Makes room for `nodes` more nodes, `edges` more edges and `ids` more distinct
    /// endpoints, so a large file's records are not copied as their vectors grow.
    pub(crate) fn reserve(&mut self, nodes: usize, edges: usize, ids: usize) {
        self.nodes.reserve(nodes);
        self.edges.reserve(edges);
        self.ends.reserve(edges);
        self.ids.reserve(ids);
    }

    pub(crate) fn push_node(&mut self, node: Node) {
        self.nodes.push(node);
    }

    /// Adds an edge from `from` to `to`.
    pub(crate) fn push_edge(&mut self, from: &str, to: &str, edge: Edge) {
        let ends = [self.ids.intern(from), self.ids.intern(to)];
        self.ends.push(ends);
        self.edges.push(edge);
    }

    /// Adds `edges`, whose endpoints are `ends` (each edge's `from`, then its `to`),
    /// interning the endpoints as one batch ([`Interner::intern_batch`]).
    pub(crate) fn push_edges<'s, E>(&mut self, ends: E, edges: impl IntoIterator<Item = Edge>)
    where
        E: Iterator<Item = &'s str> + Clone,
    {
        let syms = self.ids.intern_batch(ends);
        for (edge, pair) in edges.into_iter().zip(syms.chunks_exact(2)) {
            self.ends.push([pair[0], pair[1]]);
            self.edges.push(edge);
        }
    }

    pub(crate) fn push_era(&mut self, era: Era) {
        self.eras.push(era);
    }

    pub(crate) fn push_about(&mut self, about: About) {
        self.about.push(about);
    }

    /// Records that a node with this id was written but rejected.
    pub(crate) fn reject_id(&mut self, id: String) {
        self.rejected_ids.insert(id);
    }

    /// Records the ids an edge dropped for a field error names.
    pub(crate) fn drop_edge(&mut self, from: Option<&str>, to: Option<&str>) {
        self.dropped_edge_ends
            .extend([from, to].into_iter().flatten().map(String::from));
    }

    /// Records that a whole file was skipped.
    pub(crate) fn skip_file(&mut self) {
        self.skipped_files = true;
    }

    /// Moves everything in `other` into `self`, keeping `self`'s records first.
    pub(crate) fn absorb(&mut self, mut other: Dataset) {
        if self.nodes.is_empty() {
            std::mem::swap(&mut self.nodes, &mut other.nodes);
        } else {
            self.nodes.append(&mut other.nodes);
        }
        if self.ids.is_empty() {
            std::mem::swap(&mut self.ids, &mut other.ids);
        } else {
            // Re-intern the other set's endpoints into this one.
            let map: Vec<Sym> = (0..other.ids.len())
                .map(|i| self.ids.intern(other.ids.resolve(Sym::from_index(i))))
                .collect();
            for ends in &mut other.ends {
                *ends = ends.map(|sym| map[sym.index()]);
            }
        }
        if self.edges.is_empty() {
            std::mem::swap(&mut self.edges, &mut other.edges);
            std::mem::swap(&mut self.ends, &mut other.ends);
        } else {
            self.edges.append(&mut other.edges);
            self.ends.append(&mut other.ends);
        }
        self.eras.append(&mut other.eras);
        self.about.append(&mut other.about);
        self.rejected_ids.extend(other.rejected_ids);
        self.dropped_edge_ends.extend(other.dropped_edge_ends);
        self.skipped_files |= other.skipped_files;
    }

    /// Takes the dataset apart.
    pub(crate) fn into_parts(self) -> Parts {
        let Dataset {
            nodes,
            edges,
            ends,
            eras,
            about,
            rejected_ids,
            skipped_files,
            dropped_edge_ends,
            ids,
        } = self;
        Parts {
            nodes,
            edges,
            ends,
            eras,
            about,
            rejected_ids,
            skipped_files,
            dropped_edge_ends,
            ids,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million-edge network holds millions of these: growing them is a regression.
    #[test]
    fn an_edge_stays_small() {
        assert!(
            size_of::<Edge>() <= 32,
            "Edge is {} bytes",
            size_of::<Edge>()
        );
    }

    /// A node's texts come back as they went in, whatever they hold: the aliases'
    /// lengths and `;` in the shared text never meet the texts' own digits, colons and
    /// semicolons.
    #[test]
    fn a_nodes_texts_come_back_whole() {
        let loc = NodeLoc::new(Loc::bytes(FileId(0), 0..1), Loc::bytes(FileId(0), 0..1));
        let cases: [(&str, &str, &[&str], Option<&str>); 6] = [
            ("a", "A", &[], None),
            ("a", "A", &[], Some("S.")),
            ("12:x", "3:y;", &["2:;", "", ";", "ÉÉ:1"], Some(";4:z")),
            ("", "", &[""], None),
            ("id", "Name", &["PA"], Some("1;")),
            ("id", "Name", &["a;b", "c"], Some(";")),
        ];
        for (id, name, aliases, summary) in cases {
            let owned: Vec<String> = aliases.iter().map(|a| a.to_string()).collect();
            let node = Node::new(id, NodeKind::Body, name, &owned, summary, loc.clone());
            assert_eq!(node.id(), id);
            assert_eq!(node.name(), name);
            assert_eq!(node.aliases().iter().collect::<Vec<_>>(), aliases);
            assert_eq!(node.aliases().len(), aliases.len());
            assert_eq!(node.aliases().is_empty(), aliases.is_empty());
            assert_eq!(node.summary(), summary);
        }
    }

    /// A million-node network holds a million of these, each with its strings.
    #[test]
    fn a_node_stays_small() {
        assert!(
            size_of::<Node>() <= 64,
            "Node is {} bytes",
            size_of::<Node>()
        );
    }

    /// Every text field of every record is visited, each with its rule; the loader
    /// fills them all from TOML.
    #[test]
    fn every_text_field_is_visited() {
        let loaded = crate::load::toml_text(
            "all.toml",
            r#"
[collection]
title = "T"
author = "A"
summary = "S"
[[node]]
id = "doc"
kind = "document"
name = "N"
aliases = ["AL"]
summary = "SU"
note = "NO"
sources = [{ doc = "doc", at = "LO" }]
attrs = { key = "VA", n = 3 }
[[edge]]
from = "doc"
relation = "cites"
to = "doc"
note = "EN"
sources = [{ doc = "doc", at = "EL" }]
attrs = { ek = "EV" }
[[era]]
name = "ER"
start = "2000"
summary = "ES"
"#,
        );
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.kept());
        let data = &loaded.dataset;
        fn all<T: Texts>(record: &T) -> Vec<(String, crate::text::Lines, String)> {
            let mut seen = Vec::new();
            record.find_text(|field, text| {
                seen.push((field.describe(), field.lines(), text.to_string()));
                None::<()>
            });
            seen
        }
        let texts = |v: Vec<(String, crate::text::Lines, String)>| {
            v.into_iter()
                .map(|(f, l, t)| {
                    format!(
                        "{f}/{}/{t}",
                        if l == crate::text::Lines::One { 1 } else { 2 }
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            texts(all(&data.nodes()[0])),
            [
                "id/1/doc",
                "name/1/N",
                "an alias/1/AL",
                "summary/2/SU",
                "note/2/NO",
                "a source's document/1/doc",
                "a source locator/1/LO",
                "an attribute name/1/key",
                "attribute `key`/2/VA",
                "an attribute name/1/n",
            ]
        );
        assert_eq!(
            texts(all(&data.edges()[0])),
            [
                "note/2/EN",
                "a source's document/1/doc",
                "a source locator/1/EL",
                "an attribute name/1/ek",
                "attribute `ek`/2/EV",
            ]
        );
        assert_eq!(texts(all(&data.eras()[0])), ["name/1/ER", "summary/2/ES"]);
        assert_eq!(
            texts(all(&data.about()[0])),
            ["title/1/T", "author/1/A", "summary/2/S"]
        );
    }

    #[test]
    fn era_file_stems_are_different_and_bounded() {
        let names = [
            "New Labour",
            "COVID-19 and after",
            "../../Labour",
            "labour",
            "Лейбористы",
            "工党",
            "Coalition",
            "Coalition",
            "",
        ];
        let long = "A very long era name ".repeat(20);
        let stems = era_file_stems(names.iter().copied().chain([long.as_str()]));
        assert_eq!(stems[0], "era-new-labour");
        assert_eq!(stems[1], "era-covid-19-and-after");
        assert!(stems[2].starts_with("era-labour-") && stems[3].starts_with("era-labour-"));
        assert!(
            stems[4].starts_with("era-") && stems[4].len() == 12,
            "{}",
            stems[4]
        );
        assert!(stems[6].starts_with("era-coalition-"));
        let distinct: HashSet<&String> = stems.iter().collect();
        assert_eq!(distinct.len(), stems.len(), "{stems:?}");
        for stem in &stems {
            assert!(stem.len() <= 4 + MAX_ERA_SLUG + 9 + 3, "{stem}");
            assert!(
                stem.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{stem}"
            );
        }
        // Stable: the same names give the same stems.
        assert_eq!(
            stems,
            era_file_stems(names.iter().copied().chain([long.as_str()]))
        );
    }

    #[test]
    fn an_edge_without_extras_boxes_nothing() {
        let loaded = crate::load::csv_text(
            "id,kind,name\na,body,A\nb,body,B\n",
            Some("from,relation,to,note\na,replaced,b,\nb,replaced,a,why\n"),
        );
        let edges = loaded.dataset.edges();
        assert!(edges[0].extra.is_none());
        assert_eq!(edges[0].note(), None);
        assert!(edges[0].sources().is_empty() && edges[0].attrs().is_empty());
        assert_eq!(edges[1].note(), Some("why"));
    }
}
