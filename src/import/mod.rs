//! Import: records other tools wrote, merged into a TOML file of a collection.
//!
//! A reader (`refs` for reference managers' exports, `govuk` and `wikidata` for
//! public registers) turns a file into a [`Batch`]: the document node that stands for
//! the file itself, and one
//! [`Record`] per entry, each a node whose fields the import owns and the edges it
//! draws. [`merge`] then folds a batch into the TOML file with `toml_edit`, so the
//! user's comments, order and layout stay as they were:
//!
//! - a record whose id is new is added, with its edges;
//! - a field the import owns that now reads differently is a [`Diff`], applied only
//!   when asked (`update`);
//! - fields the import does not own (summary, note, aliases, hand-added sources and
//!   attributes) are never touched, and a field the record does not give is left alone;
//! - every node and edge the import writes cites the file's document node, at
//!   `record <key>`; the file's document node cites every record it lists (`cites`), so
//!   nothing imported is an orphan.
//!
//! Everything here is pure: the command reads the files and writes the result.

pub mod clml;
pub mod govuk;
pub mod refs;
pub mod wikidata;

use crate::load::kebab_case;
use crate::model::{NodeKind, Relation};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// The largest file an import reads: 32 MiB, the size of the largest TOML piece the
/// loader accepts. A reference library of 10,000 items exported as CSL-JSON is about
/// 15 MiB.
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// What a reader made of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The document node that stands for the file: every imported record cites it.
    pub file: FileDoc,
    /// The records, in file order.
    pub records: Vec<Record>,
}

/// The document node of an imported file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileDoc {
    /// Its id: the kebab-cased name.
    pub id: String,
    /// "CSL-JSON export my-library.json".
    pub name: String,
    /// One sentence saying what it is (written once, when the node is created).
    pub summary: String,
}

impl FileDoc {
    /// The document node for a file called `file_name` in `format`
    /// ("CSL-JSON", "BibLaTeX").
    pub fn new(format: &str, file_name: &str) -> Self {
        let name = format!("{format} export {file_name}");
        FileDoc {
            id: kebab_case(&name),
            summary: format!(
                "The {format} file {file_name}, from which the references citing it were imported."
            ),
            name,
        }
    }

    /// The document node for a register's file (`format` "GOV.UK organisations API",
    /// "Wikidata SPARQL results"), from which bodies and their lineage are imported.
    pub fn register(format: &str, file_name: &str) -> Self {
        let name = format!("{format} file {file_name}");
        FileDoc {
            id: kebab_case(&name),
            summary: format!(
                "The {format} file {file_name}, saved by the user, from which the records citing it were imported."
            ),
            name,
        }
    }
}

/// A value of an imported field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Text.
    Text(String),
    /// A whole number (a volume or issue that is one).
    Integer(i64),
}

impl Field {
    fn value(&self) -> Value {
        match self {
            Field::Text(s) => Value::from(s.as_str()),
            Field::Integer(i) => Value::from(*i),
        }
    }

    /// A number written as digits becomes an integer, as hand-written data has it
    /// (`volume = 21`); anything else stays text.
    pub fn number_or_text(text: &str) -> Field {
        match text.parse::<i64>() {
            Ok(i) if i.to_string() == text => Field::Integer(i),
            _ => Field::Text(text.to_string()),
        }
    }

    /// The value as text.
    pub fn text(&self) -> String {
        match self {
            Field::Text(s) => s.clone(),
            Field::Integer(i) => i.to_string(),
        }
    }

    fn from_toml(value: &Value) -> Option<Field> {
        match value {
            Value::String(s) => Some(Field::Text(s.value().clone())),
            Value::Integer(i) => Some(Field::Integer(*i.value())),
            Value::Float(f) => Some(Field::Text(f.value().to_string())),
            Value::Boolean(b) => Some(Field::Text(b.value().to_string())),
            _ => None,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Text(s) => write!(f, "{s:?}"),
            Field::Integer(i) => write!(f, "{i}"),
        }
    }
}

/// One record of a file: a node and the edges from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The record's key in the file (a citation key): sources say `record <key>`.
    pub key: String,
    /// The node's id.
    pub id: String,
    /// The node's kind.
    pub kind: NodeKind,
    /// The node's name.
    pub name: String,
    /// `start`, as the data writes a date (`2014`, `2014-12`, `2014-12-31`).
    pub start: Option<String>,
    /// `end`: a date as `start`, or `ongoing`.
    pub end: Option<String>,
    /// Other names (an abbreviation): written on a new node; on an existing one a
    /// missing alias is a diff, added only with `update`, and none is ever removed.
    pub aliases: Vec<String>,
    /// The attributes the import owns, in the order written.
    pub attrs: Vec<(&'static str, Field)>,
    /// Edges from this node.
    pub links: Vec<Link>,
}

/// An edge from a record's node (or, when `inverse`, to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The relation.
    pub relation: Relation,
    /// Where it goes.
    pub to: Target,
    /// The edge's attributes the import owns (`govuk_closed_status`).
    pub attrs: Vec<(&'static str, Field)>,
    /// The edge runs from `to` to the record (a predecessor's record naming its
    /// successor: the edge is the successor's `replaced`).
    pub inverse: bool,
    /// When the relation took effect, if the register says (a predecessor's closing
    /// date for a GOV.UK succession): written as the new edge's `date`.
    pub date: Option<String>,
}

impl Link {
    /// A link from the record to `to`, without attributes.
    pub fn new(relation: Relation, to: Target) -> Self {
        Link {
            relation,
            to,
            attrs: Vec::new(),
            inverse: false,
            date: None,
        }
    }
}

/// The far end of a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A body known by this name: matched by name, alias or id (case-insensitively)
    /// among the collection's bodies, else created.
    Body(String),
    /// A node known by its id: another record of the batch or a node of the
    /// collection. Anything else is not drawn, and the report lists it
    /// ([`Report::skipped_links`]).
    Id(String),
}

/// A node of the collection, as far as merging needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its name.
    pub name: String,
    /// Its aliases.
    pub aliases: Vec<String>,
    /// The file it is written in, as shown to the user.
    pub file: String,
}

/// Why a batch cannot be merged. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// An id the import would write is a node of another kind.
    KindCollision {
        /// The id.
        id: String,
        /// The record's key.
        key: String,
        /// The kind the import writes.
        ours: NodeKind,
        /// The kind it has.
        theirs: NodeKind,
        /// Where it is written.
        file: String,
    },
    /// The file's own document node is already a node written in another file.
    ElsewhereInCollection {
        /// The id.
        id: String,
        /// The record's key.
        key: String,
        /// Where it is written.
        file: String,
    },
    /// Two records of the file give the same id.
    DuplicateId {
        /// The id.
        id: String,
        /// The first key.
        first: String,
        /// The second key.
        second: String,
    },
    /// The TOML file holds a `node` or `edge` that is not an array of tables.
    Shape(String),
    /// The batch's `replaced` edges run in a circle (ids in order, the first again
    /// at the end).
    ReplacedCycle(Vec<String>),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::KindCollision {
                id,
                key,
                ours,
                theirs,
                file,
            } => write!(
                f,
                "record `{key}` would be the {ours} `{id}`, but `{id}` is already a {theirs} in {file}"
            ),
            MergeError::ElsewhereInCollection { id, key, file } => write!(
                f,
                "record `{key}` would be `{id}`, which is already written in {file}"
            ),
            MergeError::DuplicateId { id, first, second } => write!(
                f,
                "records `{first}` and `{second}` both become the id `{id}`"
            ),
            MergeError::Shape(what) => write!(f, "{what}"),
            MergeError::ReplacedCycle(ids) => write!(
                f,
                "the file's succession runs in a circle: {}",
                ids.join(" replaced ")
            ),
        }
    }
}

impl MergeError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            MergeError::KindCollision { id, .. } => format!(
                "rename the node `{id}` in the collection (or, for a reference, the citation key in your reference manager), then import again"
            ),
            MergeError::ElsewhereInCollection { file, .. } => format!(
                "import into that file (--into {file}) so the record is merged with it (or, for a reference, change the citation key)"
            ),
            MergeError::DuplicateId { .. } => {
                "give the two records citation keys that differ in more than case and punctuation".into()
            }
            MergeError::Shape(_) => {
                "write nodes as [[node]] tables and edges as [[edge]] tables, as `policygraph new` does".into()
            }
            MergeError::ReplacedCycle(_) => {
                "lineage runs one way in time: correct the register's successor lists (or remove one of these records from the file), then import again".into()
            }
        }
    }
}

/// A field the import owns that reads differently in the file and in the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    /// The node (or, for an edge, its FROM node).
    pub id: String,
    /// The field: `name`, `start`, `attrs.<name>`, or `published-by` for an edge's TO.
    pub field: String,
    /// What the file has.
    pub old: String,
    /// What the import has.
    pub new: String,
}

/// What a merge did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Nodes added: id and kind.
    pub added_nodes: Vec<(String, NodeKind)>,
    /// Edges added: from, relation, to.
    pub added_edges: Vec<(String, Relation, String)>,
    /// Import sources added to nodes that were there without one.
    pub added_sources: Vec<String>,
    /// Fields filled in on a record written by hand before its first import from this
    /// file: node id, field, value. Nothing the file had is changed.
    pub filled: Vec<Diff>,
    /// Owned fields that changed: applied only with `update`.
    pub diffs: Vec<Diff>,
    /// Records already in the file with nothing to change.
    pub unchanged: usize,
    /// Bodies matched in the collection rather than created: record key and body id.
    pub matched_bodies: Vec<(String, String)>,
    /// Links not drawn: record key, relation, the id they name, and why.
    pub skipped_links: Vec<(String, Relation, String, String)>,
    /// Records whose id is a node of the same kind written in another file of the
    /// collection: record key, id and that file. Each is left as it is written there,
    /// and nothing is written for it (its fields, its source, its edges); edges of
    /// other records to it are drawn.
    pub elsewhere: Vec<(String, String, String)>,
}

impl Report {
    /// Whether merging changed (or would change) the file, diffs aside.
    pub fn adds(&self) -> bool {
        !self.added_nodes.is_empty()
            || !self.added_edges.is_empty()
            || !self.added_sources.is_empty()
            || !self.filled.is_empty()
    }
}

/// Bodies of the collection by lower-cased name, alias and id.
struct BodyIndex {
    by_name: HashMap<String, String>,
}

impl BodyIndex {
    fn new(known: &[Known]) -> Self {
        let mut by_name = HashMap::new();
        for k in known.iter().filter(|k| k.kind == NodeKind::Body) {
            for name in std::iter::once(&k.name).chain(&k.aliases).chain([&k.id]) {
                by_name
                    .entry(name.trim().to_lowercase())
                    .or_insert_with(|| k.id.clone());
            }
        }
        BodyIndex { by_name }
    }

    fn find(&self, name: &str) -> Option<&String> {
        self.by_name.get(&name.trim().to_lowercase())
    }
}

/// The `[[node]]` and `[[edge]]` arrays of a document, made if missing.
fn arrays<'a>(doc: &'a mut DocumentMut, key: &str) -> Result<&'a mut ArrayOfTables, MergeError> {
    let item = doc
        .entry(key)
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    item.as_array_of_tables_mut()
        .ok_or_else(|| MergeError::Shape(format!("`{key}` is not written as [[{key}]] tables")))
}

fn str_of<'a>(t: &'a Table, key: &str) -> Option<&'a str> {
    t.get(key)?.as_str()
}

/// The source an import writes on each record: `{ doc = FILE, at = "record KEY" }`.
fn source(file: &str, key: &str) -> InlineTable {
    let mut s = InlineTable::new();
    s.insert("doc", file.into());
    s.insert("at", format!("record {key}").into());
    s
}

fn sources_array(file: &str, key: &str) -> Value {
    let mut a = Array::new();
    a.push(source(file, key));
    Value::Array(a)
}

fn has_source(t: &Table, file: &str, key: &str) -> bool {
    let at = format!("record {key}");
    t.get("sources").and_then(Item::as_array).is_some_and(|a| {
        a.iter().any(|s| {
            s.as_inline_table().is_some_and(|s| {
                s.get("doc").and_then(Value::as_str) == Some(file)
                    && s.get("at").and_then(Value::as_str) == Some(&at)
            })
        })
    })
}

/// Adds the import's source to a table, keeping the sources it has. False when the
/// `sources` field is there but not an array (left alone).
fn add_source(t: &mut Table, file: &str, key: &str) -> bool {
    match t.get_mut("sources") {
        None => {
            t.insert("sources", Item::Value(sources_array(file, key)));
            true
        }
        Some(item) => match item.as_array_mut() {
            Some(a) => {
                a.push(source(file, key));
                true
            }
            None => false,
        },
    }
}

/// A value with the decor (spaces, comments) of the one it replaces.
fn replace_value(slot: &mut Item, new: Value) {
    let decor = slot.as_value().map(|v| v.decor().clone());
    let mut new = new;
    if let Some(d) = decor {
        *new.decor_mut() = d;
    }
    *slot = Item::Value(new);
}

fn node_table(id: &str, kind: NodeKind, name: &str) -> Table {
    let mut t = Table::new();
    t.insert("id", Item::Value(id.into()));
    t.insert("kind", Item::Value(kind.as_str().into()));
    t.insert("name", Item::Value(name.into()));
    t
}

fn edge_table(from: &str, relation: Relation, to: &str, file: &str, key: &str) -> Table {
    let mut t = Table::new();
    t.insert("from", Item::Value(from.into()));
    t.insert("relation", Item::Value(relation.as_str().into()));
    t.insert("to", Item::Value(to.into()));
    t.insert("sources", Item::Value(sources_array(file, key)));
    t
}

/// The record's node as a new table.
fn record_table(r: &Record, file: &str) -> Table {
    let mut t = node_table(&r.id, r.kind, &r.name);
    if !r.aliases.is_empty() {
        let a: Array = r.aliases.iter().map(String::as_str).collect();
        t.insert("aliases", Item::Value(Value::Array(a)));
    }
    if let Some(start) = &r.start {
        t.insert("start", Item::Value(start.as_str().into()));
    }
    if let Some(end) = &r.end {
        t.insert("end", Item::Value(end.as_str().into()));
    }
    if !r.attrs.is_empty() {
        let mut attrs = InlineTable::new();
        for (k, v) in &r.attrs {
            attrs.insert(*k, v.value());
        }
        t.insert("attrs", Item::Value(Value::InlineTable(attrs)));
    }
    t.insert("sources", Item::Value(sources_array(file, &r.key)));
    t
}

/// Compares the owned fields of an existing node with the record; applies the
/// differences when `update`.
/// Merges a record's owned fields into the node written in the file. A field that
/// reads differently is a diff, applied only with `update`. A field the node lacks is
/// a diff too, unless `fill`: the node was written by hand and is imported from this
/// file for the first time, so the field is one the import never wrote (not one the
/// user removed), and it is filled in (`filled`), changing nothing the file had.
fn merge_fields(
    t: &mut Table,
    r: &Record,
    update: bool,
    fill: bool,
    diffs: &mut Vec<Diff>,
    filled: &mut Vec<Diff>,
) {
    merge_aliases(t, r, update, fill, diffs, filled);
    let mut diff = |field: &str, old: Option<String>, new: String| {
        let d = Diff {
            id: r.id.clone(),
            field: field.to_string(),
            old: old.clone().unwrap_or_else(|| "(none)".to_string()),
            new,
        };
        match (old, fill) {
            (None, true) => filled.push(d),
            _ => diffs.push(d),
        }
    };
    let mut scalar = |t: &mut Table, key: &str, new: &Field| {
        let old = t
            .get(key)
            .and_then(Item::as_value)
            .and_then(Field::from_toml);
        if old.as_ref().map(Field::text) == Some(new.text()) {
            return;
        }
        let absent = old.is_none();
        diff(key, old.map(|o| o.to_string()), new.to_string());
        if update || (fill && absent) {
            match t.get_mut(key) {
                Some(slot) => replace_value(slot, new.value()),
                None => {
                    t.insert(key, Item::Value(new.value()));
                }
            }
        }
    };
    scalar(t, "name", &Field::Text(r.name.clone()));
    if let Some(start) = &r.start {
        scalar(t, "start", &Field::Text(start.clone()));
    }
    if let Some(end) = &r.end {
        scalar(t, "end", &Field::Text(end.clone()));
    }
    if r.attrs.is_empty() {
        return;
    }
    if !t.contains_key("attrs") {
        t.insert("attrs", Item::Value(Value::InlineTable(InlineTable::new())));
    }
    let Some(attrs) = t.get_mut("attrs").and_then(Item::as_table_like_mut) else {
        return; // `attrs` that is not a table: the loader reports it
    };
    for (key, new) in &r.attrs {
        let old = attrs
            .get(key)
            .and_then(Item::as_value)
            .and_then(Field::from_toml);
        if old.as_ref().map(Field::text) == Some(new.text()) {
            continue;
        }
        let absent = old.is_none();
        diff(
            &format!("attrs.{key}"),
            old.map(|o| o.to_string()),
            new.to_string(),
        );
        if update || (fill && absent) {
            match attrs.get_mut(key) {
                Some(slot) => replace_value(slot, new.value()),
                None => {
                    attrs.insert(key, Item::Value(new.value()));
                }
            }
        }
    }
}

/// Adds the record's aliases a node lacks (compared case-insensitively): a diff,
/// applied only with `update`, or filled in on a node imported for the first time
/// (`fill`, as [`merge_fields`]). An alias the record does not give is kept.
fn merge_aliases(
    t: &mut Table,
    r: &Record,
    update: bool,
    fill: bool,
    diffs: &mut Vec<Diff>,
    filled: &mut Vec<Diff>,
) {
    let has: Vec<String> = t
        .get("aliases")
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let name = str_of(t, "name").unwrap_or_default().to_lowercase();
    for alias in &r.aliases {
        let lower = alias.to_lowercase();
        if has.contains(&lower) || lower == name {
            continue;
        }
        let d = Diff {
            id: r.id.clone(),
            field: "aliases".into(),
            old: "(without it)".into(),
            new: format!("+ {alias:?}"),
        };
        if fill {
            filled.push(d);
        } else {
            diffs.push(d);
            if !update {
                continue;
            }
        }
        match t.get_mut("aliases") {
            None => {
                let mut a = Array::new();
                a.push(alias.as_str());
                t.insert("aliases", Item::Value(Value::Array(a)));
            }
            Some(item) => {
                if let Some(a) = item.as_array_mut() {
                    a.push(alias.as_str());
                }
            }
        }
    }
}

/// Compares an existing edge's owned attributes with the link's; applies the
/// differences when `update`.
fn merge_edge_attrs(
    t: &mut Table,
    (from, rel, to): (&str, Relation, &str),
    attrs: &[(&'static str, Field)],
    update: bool,
    diffs: &mut Vec<Diff>,
) {
    if attrs.is_empty() {
        return;
    }
    if !t.contains_key("attrs") {
        if !update {
            for (key, new) in attrs {
                diffs.push(Diff {
                    id: from.to_string(),
                    field: format!("{rel} {to} attrs.{key}"),
                    old: "(none)".into(),
                    new: new.to_string(),
                });
            }
            return;
        }
        t.insert("attrs", Item::Value(Value::InlineTable(InlineTable::new())));
    }
    let Some(table) = t.get_mut("attrs").and_then(Item::as_table_like_mut) else {
        return;
    };
    for (key, new) in attrs {
        let old = table
            .get(key)
            .and_then(Item::as_value)
            .and_then(Field::from_toml);
        if old.as_ref().map(Field::text) == Some(new.text()) {
            continue;
        }
        diffs.push(Diff {
            id: from.to_string(),
            field: format!("{rel} {to} attrs.{key}"),
            old: old.map_or_else(|| "(none)".to_string(), |o| o.to_string()),
            new: new.to_string(),
        });
        if update {
            match table.get_mut(key) {
                Some(slot) => replace_value(slot, new.value()),
                None => {
                    table.insert(key, Item::Value(new.value()));
                }
            }
        }
    }
}

/// A circle among `replaced` edges (from successor to predecessor), if there is one:
/// the ids in order, the first again at the end. Iterative, so a long chain cannot
/// overflow the stack.
fn replaced_cycle(edges: &[(String, String)]) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges {
        next.entry(from).or_default().push(to);
    }
    // 0 unseen, 1 on the path, 2 done.
    let mut state: HashMap<&str, u8> = HashMap::new();
    for &start in next.keys() {
        if state.get(start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some(&mut (node, ref mut i)) = path.last_mut() {
            let succ = next.get(node).map(Vec::as_slice).unwrap_or_default();
            if let Some(&n) = succ.get(*i) {
                *i += 1;
                match state.get(n).copied().unwrap_or(0) {
                    0 => {
                        state.insert(n, 1);
                        path.push((n, 0));
                    }
                    1 => {
                        let at = path.iter().position(|(p, _)| *p == n).unwrap_or(0);
                        let mut ids: Vec<String> =
                            path[at..].iter().map(|(p, _)| p.to_string()).collect();
                        ids.push(n.to_string());
                        return Some(ids);
                    }
                    _ => {}
                }
            } else {
                state.insert(node, 2);
                path.pop();
            }
        }
    }
    None
}

/// Folds `batch` into `doc`, the TOML file `into` (as shown to the user) of a
/// collection whose nodes are `known` (those of `doc` included). With `update`,
/// changed owned fields are applied; without, they are only reported. On an error,
/// `doc` may be half changed: the caller writes nothing.
pub fn merge(
    doc: &mut DocumentMut,
    into: &str,
    known: &[Known],
    batch: &Batch,
    update: bool,
) -> Result<Report, MergeError> {
    let mut report = Report::default();
    let file = &batch.file.id;
    // The file's own nodes count as the collection's even when the caller did not
    // load it (a file outside `--data`, or a test).
    let mut all: Vec<Known> = known.to_vec();
    let listed: HashSet<&str> = known.iter().map(|k| k.id.as_str()).collect();
    let mut extra = Vec::new();
    if let Some(nodes) = doc.get("node").and_then(Item::as_array_of_tables) {
        for t in nodes.iter() {
            let (Some(id), Some(kind)) =
                (str_of(t, "id"), str_of(t, "kind").and_then(NodeKind::parse))
            else {
                continue;
            };
            if listed.contains(id) {
                continue;
            }
            let aliases = t
                .get("aliases")
                .and_then(Item::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            extra.push(Known {
                id: id.to_string(),
                kind,
                name: str_of(t, "name").unwrap_or_default().to_string(),
                aliases,
                file: into.to_string(),
            });
        }
    }
    all.extend(extra);
    let known = all.as_slice();
    let by_id: HashMap<&str, &Known> = known.iter().map(|k| (k.id.as_str(), k)).collect();
    let bodies = BodyIndex::new(known);

    // Ids of the file, and which are this import's.
    let check = |id: &str, key: &str, kind: NodeKind| -> Result<(), MergeError> {
        match by_id.get(id) {
            Some(k) if k.kind != kind => Err(MergeError::KindCollision {
                id: id.to_string(),
                key: key.to_string(),
                ours: kind,
                theirs: k.kind,
                file: k.file.clone(),
            }),
            Some(k) if k.file != into => Err(MergeError::ElsewhereInCollection {
                id: id.to_string(),
                key: key.to_string(),
                file: k.file.clone(),
            }),
            _ => Ok(()),
        }
    };
    check(file, "(the file itself)", NodeKind::Document)?;
    // Records written in another file are left there (Report::elsewhere).
    let mut elsewhere: HashSet<&str> = HashSet::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for r in &batch.records {
        if r.id == *file {
            return Err(MergeError::DuplicateId {
                id: r.id.clone(),
                first: "(the file itself)".into(),
                second: r.key.clone(),
            });
        }
        if let Some(first) = seen.insert(&r.id, &r.key) {
            return Err(MergeError::DuplicateId {
                id: r.id.clone(),
                first: first.to_string(),
                second: r.key.clone(),
            });
        }
        match check(&r.id, &r.key, r.kind) {
            Err(MergeError::ElsewhereInCollection { id, key, file }) => {
                elsewhere.insert(r.id.as_str());
                report.elsewhere.push((key, id, file));
            }
            checked => checked?,
        }
    }
    // The records this import writes, with their positions in the batch.
    let imported = || {
        batch
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| !elsewhere.contains(r.id.as_str()))
    };

    // Bodies: matched, or created (once per name) with the first record naming them.
    let mut targets: HashMap<(usize, usize), String> = HashMap::new();
    let mut created: BTreeMap<String, (String, String)> = BTreeMap::new(); // id -> (name, key)
    let mut created_by_name: HashMap<String, String> = HashMap::new();
    for (ri, r) in imported() {
        for (li, link) in r.links.iter().enumerate() {
            let name = match &link.to {
                Target::Body(name) => name,
                Target::Id(id) => {
                    let kind = match (seen.contains_key(id.as_str()), by_id.get(id.as_str())) {
                        (true, _) => batch.records.iter().find(|o| o.id == *id).map(|o| o.kind),
                        (false, Some(k)) => Some(k.kind),
                        (false, None) => None,
                    };
                    let Some(kind) = kind else {
                        report.skipped_links.push((
                            r.key.clone(),
                            link.relation,
                            id.clone(),
                            "neither in the file nor in the collection".into(),
                        ));
                        continue;
                    };
                    let (from, to) = if link.inverse {
                        (kind, r.kind)
                    } else {
                        (r.kind, kind)
                    };
                    if !link.relation.allows(from, to) {
                        report.skipped_links.push((
                            r.key.clone(),
                            link.relation,
                            id.clone(),
                            format!("it is a {kind}, which `{}` cannot join", link.relation),
                        ));
                        continue;
                    }
                    targets.insert((ri, li), id.clone());
                    continue;
                }
            };
            let id = if let Some(id) = bodies.find(name) {
                report.matched_bodies.push((r.key.clone(), id.clone()));
                id.clone()
            } else if let Some(id) = created_by_name.get(&name.trim().to_lowercase()) {
                id.clone()
            } else {
                let base = kebab_case(name);
                let base = if base.is_empty() {
                    "publisher".to_string()
                } else {
                    base
                };
                let mut id = base.clone();
                let mut n = 1;
                let taken = |id: &str| {
                    by_id.contains_key(id)
                        || seen.contains_key(id)
                        || created.contains_key(id)
                        || id == file
                };
                while taken(&id) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                created.insert(id.clone(), (name.trim().to_string(), r.key.clone()));
                created_by_name.insert(name.trim().to_lowercase(), id.clone());
                id
            };
            targets.insert((ri, li), id);
        }
    }

    let succession: Vec<(String, String)> = batch
        .records
        .iter()
        .enumerate()
        .flat_map(|(ri, r)| {
            let targets = &targets;
            r.links.iter().enumerate().filter_map(move |(li, l)| {
                let to = targets.get(&(ri, li))?;
                (l.relation == Relation::Replaced).then(|| {
                    if l.inverse {
                        (to.clone(), r.id.clone())
                    } else {
                        (r.id.clone(), to.clone())
                    }
                })
            })
        })
        .collect();
    if let Some(ids) = replaced_cycle(&succession) {
        return Err(MergeError::ReplacedCycle(ids));
    }

    // Nodes.
    let nodes = arrays(doc, "node")?;
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, t) in nodes.iter().enumerate() {
        if let Some(id) = str_of(t, "id") {
            index.entry(id.to_string()).or_insert(i);
        }
    }
    // The file's node, unless every record is left in another file (nothing would
    // cite it or be cited by it).
    let imports_some = imported().next().is_some() || batch.records.is_empty();
    if imports_some && !index.contains_key(file.as_str()) {
        let mut t = node_table(file, NodeKind::Document, &batch.file.name);
        t.insert("summary", Item::Value(batch.file.summary.as_str().into()));
        t.insert("sources", Item::Value(sources_array(file, "file")));
        if let Some(s) = t
            .get_mut("sources")
            .and_then(Item::as_array_mut)
            .and_then(|a| a.get_mut(0))
            .and_then(Value::as_inline_table_mut)
        {
            s.insert("at", "file".into());
        }
        nodes.push(t);
        report.added_nodes.push((file.clone(), NodeKind::Document));
    }
    for (_, r) in imported() {
        match index.get(&r.id) {
            None => {
                nodes.push(record_table(r, file));
                report.added_nodes.push((r.id.clone(), r.kind));
            }
            Some(&i) => {
                let Some(t) = nodes.get_mut(i) else { continue };
                let before = report.diffs.len() + report.filled.len();
                let fill = !has_source(t, file, &r.key);
                merge_fields(t, r, update, fill, &mut report.diffs, &mut report.filled);
                let mut changed = report.diffs.len() + report.filled.len() > before;
                if !has_source(t, file, &r.key) && add_source(t, file, &r.key) {
                    report.added_sources.push(r.id.clone());
                    changed = true;
                }
                if !changed {
                    report.unchanged += 1;
                }
            }
        }
    }
    for (id, (name, key)) in &created {
        if by_id.contains_key(id.as_str()) {
            continue;
        }
        let mut t = node_table(id, NodeKind::Body, name);
        t.insert("sources", Item::Value(sources_array(file, key)));
        nodes.push(t);
        report.added_nodes.push((id.clone(), NodeKind::Body));
    }

    // Edges: the import's edges are those citing the file.
    let edges = arrays(doc, "edge")?;
    let mut present: HashSet<(String, String, String)> = HashSet::new();
    // The first edge of each (from, relation, to) in the file, for merging attributes.
    let mut first: HashMap<(String, String, String), usize> = HashMap::new();
    let mut ours: HashMap<(String, String), usize> = HashMap::new();
    for (i, t) in edges.iter().enumerate() {
        let (Some(from), Some(rel), Some(to)) =
            (str_of(t, "from"), str_of(t, "relation"), str_of(t, "to"))
        else {
            continue;
        };
        present.insert((from.into(), rel.into(), to.into()));
        first
            .entry((from.into(), rel.into(), to.into()))
            .or_insert(i);
        let cites_file = t.get("sources").and_then(Item::as_array).is_some_and(|a| {
            a.iter().any(|s| {
                s.as_inline_table()
                    .and_then(|s| s.get("doc"))
                    .and_then(Value::as_str)
                    == Some(file)
            })
        });
        if cites_file {
            ours.entry((from.into(), rel.into())).or_insert(i);
        }
    }
    for (ri, r) in imported() {
        let cites = (
            file.clone(),
            Relation::Cites.as_str().to_string(),
            r.id.clone(),
        );
        // A register's bodies are not cited (`cites` joins documents and initiatives);
        // their sources name the file.
        if Relation::Cites.allows(NodeKind::Document, r.kind) && !present.contains(&cites) {
            edges.push(edge_table(file, Relation::Cites, &r.id, file, &r.key));
            report
                .added_edges
                .push((file.clone(), Relation::Cites, r.id.clone()));
            present.insert(cites);
        }
        for (li, link) in r.links.iter().enumerate() {
            let Some(to) = targets.get(&(ri, li)) else {
                continue;
            };
            if let Target::Id(_) = link.to {
                // Edges between records: added when missing, their attributes merged;
                // a record may have several of one relation, so none is retargeted.
                let (from, to) = if link.inverse {
                    (to.clone(), r.id.clone())
                } else {
                    (r.id.clone(), to.clone())
                };
                let rel = link.relation.as_str().to_string();
                let key = (from.clone(), rel.clone(), to.clone());
                if present.contains(&key) {
                    // An edge this import has just added already has its attributes.
                    if let Some(t) = first.get(&key).and_then(|&i| edges.get_mut(i)) {
                        merge_edge_attrs(
                            t,
                            (&from, link.relation, &to),
                            &link.attrs,
                            update,
                            &mut report.diffs,
                        );
                    }
                } else {
                    let mut t = edge_table(&from, link.relation, &to, file, &r.key);
                    if let Some(date) = &link.date {
                        // Beside `to`, before the sources, as a hand-written edge has it.
                        t.insert("date", Item::Value(date.as_str().into()));
                        if let Some(sources) = t.remove("sources") {
                            t.insert("sources", sources);
                        }
                    }
                    if !link.attrs.is_empty() {
                        let mut attrs = InlineTable::new();
                        for (k, v) in &link.attrs {
                            attrs.insert(*k, v.value());
                        }
                        t.insert("attrs", Item::Value(Value::InlineTable(attrs)));
                    }
                    edges.push(t);
                    report.added_edges.push((from, link.relation, to));
                    present.insert(key);
                }
                continue;
            }
            let rel = link.relation.as_str().to_string();
            if present.contains(&(r.id.clone(), rel.clone(), to.clone())) {
                continue;
            }
            match ours.get(&(r.id.clone(), rel.clone())) {
                Some(&i) => {
                    let Some(t) = edges.get_mut(i) else { continue };
                    let old = str_of(t, "to").unwrap_or_default().to_string();
                    report.diffs.push(Diff {
                        id: r.id.clone(),
                        field: rel.clone(),
                        old: format!("{old:?}"),
                        new: format!("{to:?}"),
                    });
                    if update && let Some(slot) = t.get_mut("to") {
                        replace_value(slot, to.as_str().into());
                    }
                }
                None => {
                    edges.push(edge_table(&r.id, link.relation, to, file, &r.key));
                    report
                        .added_edges
                        .push((r.id.clone(), link.relation, to.clone()));
                    present.insert((r.id.clone(), rel, to.clone()));
                }
            }
        }
    }
    if edges.is_empty() {
        doc.remove("edge");
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: &str, name: &str, publisher: Option<&str>) -> Record {
        Record {
            key: key.into(),
            id: kebab_case(key),
            kind: NodeKind::Document,
            name: name.into(),
            start: Some("2020".into()),
            end: None,
            aliases: Vec::new(),
            attrs: vec![("authors", Field::Text("Ada Lovelace".into()))],
            links: publisher
                .map(|p| Link::new(Relation::PublishedBy, Target::Body(p.into())))
                .into_iter()
                .collect(),
        }
    }

    fn batch(records: Vec<Record>) -> Batch {
        Batch {
            file: FileDoc::new("CSL-JSON", "lib.json"),
            records,
        }
    }

    #[test]
    fn new_records_are_added_with_their_publisher_and_sources() {
        let mut doc = DocumentMut::new();
        let b = batch(vec![record("Lovelace2020", "Notes", Some("Taylor"))]);
        let report = merge(&mut doc, "refs.toml", &[], &b, false).expect("merges");
        let text = doc.to_string();
        assert!(text.contains("id = \"lovelace2020\""), "{text}");
        assert!(text.contains("at = \"record Lovelace2020\""), "{text}");
        assert!(text.contains("to = \"taylor\""), "{text}");
        assert_eq!(report.added_nodes.len(), 3, "{report:?}"); // file, record, body
        assert_eq!(report.added_edges.len(), 2, "{report:?}"); // cites, published-by
    }

    #[test]
    fn reimport_is_idempotent_and_keeps_comments() {
        let mut doc = DocumentMut::new();
        let b = batch(vec![record("Lovelace2020", "Notes", Some("Taylor"))]);
        merge(&mut doc, "refs.toml", &[], &b, false).expect("merges");
        let mut text = doc.to_string();
        text = text.replace(
            "name = \"Notes\"",
            "# mine\nname = \"Notes\"\nsummary = \"hand-written\"",
        );
        let mut doc: DocumentMut = text.parse().expect("parses");
        let report = merge(&mut doc, "refs.toml", &[], &b, false).expect("merges");
        assert!(!report.adds() && report.diffs.is_empty(), "{report:?}");
        assert_eq!(doc.to_string(), text);
    }

    #[test]
    fn a_changed_title_is_a_diff_applied_only_with_update() {
        let mut doc = DocumentMut::new();
        merge(
            &mut doc,
            "r.toml",
            &[],
            &batch(vec![record("k", "Old", None)]),
            false,
        )
        .expect("merges");
        let newer = batch(vec![record("k", "New", None)]);
        let report = merge(&mut doc, "r.toml", &[], &newer, false).expect("merges");
        assert_eq!(report.diffs.len(), 1);
        assert!(doc.to_string().contains("\"Old\""));
        let report = merge(&mut doc, "r.toml", &[], &newer, true).expect("merges");
        assert_eq!(report.diffs[0].field, "name");
        assert!(doc.to_string().contains("name = \"New\""));
    }

    #[test]
    fn publishers_match_existing_bodies_by_alias() {
        let known = [Known {
            id: "taylor-and-francis".into(),
            kind: NodeKind::Body,
            name: "Taylor & Francis".into(),
            aliases: vec!["Taylor".into()],
            file: "publishers.toml".into(),
        }];
        let mut doc = DocumentMut::new();
        let b = batch(vec![record("k", "T", Some("TAYLOR"))]);
        let report = merge(&mut doc, "r.toml", &known, &b, false).expect("merges");
        assert!(doc.to_string().contains("to = \"taylor-and-francis\""));
        assert_eq!(report.matched_bodies.len(), 1);
    }

    #[test]
    fn an_id_of_another_kind_is_refused() {
        let known = [Known {
            id: "k".into(),
            kind: NodeKind::Body,
            name: "K".into(),
            aliases: vec![],
            file: "bodies.toml".into(),
        }];
        let mut doc = DocumentMut::new();
        let err = merge(
            &mut doc,
            "r.toml",
            &known,
            &batch(vec![record("K", "T", None)]),
            false,
        )
        .expect_err("collides");
        assert!(matches!(err, MergeError::KindCollision { .. }), "{err}");
        assert!(
            err.to_string().contains("already a body in bodies.toml"),
            "{err}"
        );
    }

    /// A record whose node is written in another file of the collection is left
    /// there, untouched: the rest of the file is imported, and other records' edges to
    /// it are drawn. (A fresh `new` collection writes The National Archives in
    /// documents.toml; a GOV.UK file that lists it used to stop the whole import.)
    #[test]
    fn a_record_written_in_another_file_is_left_there() {
        let known = [Known {
            id: "k".into(),
            kind: NodeKind::Document,
            name: "K".into(),
            aliases: vec![],
            file: "documents.toml".into(),
        }];
        let mut k = record("K", "T", Some("Taylor"));
        k.start = Some("1999".into());
        let mut other = record("Other", "O", None);
        other
            .links
            .push(Link::new(Relation::Cites, Target::Id("k".into())));
        let mut doc = DocumentMut::new();
        let report = merge(&mut doc, "r.toml", &known, &batch(vec![k, other]), false)
            .expect("merges the rest");
        assert_eq!(
            report.elsewhere,
            vec![("K".into(), "k".into(), "documents.toml".into())]
        );
        let text = doc.to_string();
        assert!(!text.contains("id = \"k\""), "{text}");
        assert!(!text.contains("taylor"), "{text}");
        assert!(!text.contains("from = \"k\""), "{text}");
        assert!(!text.contains("1999"), "{text}");
        assert!(text.contains("id = \"other\""), "{text}");
        assert!(
            report
                .added_edges
                .contains(&("other".into(), Relation::Cites, "k".into())),
            "{report:?}"
        );
        assert!(
            !report
                .added_edges
                .iter()
                .any(|(from, _, to)| from == "k" || (to == "k" && from != "other")),
            "{report:?}"
        );
    }

    /// The file's own document node written elsewhere is still refused, with where:
    /// the import would cite a node it cannot write.
    #[test]
    fn the_files_node_written_in_another_file_is_refused_with_where() {
        let b = batch(vec![record("K", "T", None)]);
        let known = [Known {
            id: b.file.id.clone(),
            kind: NodeKind::Document,
            name: "lib".into(),
            aliases: vec![],
            file: "documents.toml".into(),
        }];
        let mut doc = DocumentMut::new();
        let err = merge(&mut doc, "r.toml", &known, &b, false).expect_err("elsewhere");
        assert!(
            err.to_string()
                .contains("already written in documents.toml"),
            "{err}"
        );
        assert!(
            err.help().contains("--into documents.toml"),
            "{}",
            err.help()
        );
    }

    #[test]
    fn a_field_the_export_no_longer_gives_is_kept() {
        let mut doc = DocumentMut::new();
        let mut r = record("k", "T", None);
        r.attrs.push(("pages", Field::Text("1-9".into())));
        merge(&mut doc, "r.toml", &[], &batch(vec![r]), false).expect("merges");
        let before = doc.to_string();
        let report = merge(
            &mut doc,
            "r.toml",
            &[],
            &batch(vec![record("k", "T", None)]),
            true,
        )
        .expect("merges");
        assert!(report.diffs.is_empty() && !report.adds(), "{report:?}");
        assert_eq!(doc.to_string(), before);
    }

    #[test]
    fn two_keys_with_one_id_are_refused() {
        let mut doc = DocumentMut::new();
        let b = batch(vec![
            record("Smith2020", "A", None),
            record("smith-2020", "B", None),
        ]);
        // kebab_case does not split "Smith2020"; refs::id_of does: test with equal ids.
        let mut b2 = b.clone();
        b2.records[1].id = b2.records[0].id.clone();
        let err = merge(&mut doc, "r.toml", &[], &b2, false).expect_err("duplicate");
        assert!(matches!(err, MergeError::DuplicateId { .. }));
    }
}
