//! The one field table: every field of a node, an edge, an era and the collection, with
//! its type, its rules and its meaning. The TOML and CSV readers, every exporter, the
//! text checks and the docs iterate it; no other list of fields exists.
//!
//! A record's [`Node::values`] (and the others') takes the record apart with a pattern
//! that names every struct field (no `..`) into an array as long as its table, so a
//! new struct field does not compile until it has a value here, and a value does not
//! compile until it has a table entry. Each format then matches on [`Type`], which has
//! no catch-all: a new type must be placed in every format.

use super::{About, Aliases, Attrs, Edge, Era, Node, Source};
use super::{End, NodeKind, PartialDate, Relation, Stance};
use crate::text::Lines;

/// One field of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Its name in TOML, CSV headers, JSON keys and every export.
    pub name: &'static str,
    /// What its value is, and so how every format writes it.
    pub ty: Type,
    /// A record without it is an error (`missing-field`).
    pub required: bool,
    /// JSON writes it even when empty (`null`, `[]`): the JSON contract's fields.
    pub always: bool,
    /// One line for the docs.
    pub meaning: &'static str,
}

/// What a field holds. Formats place each type their way; where a graph format gives a
/// type a place of its own (an element's id, an edge's ends, a Neo4j label), it is a
/// type here, never a field name tested for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// The record's own id, one line: graph formats make it the element's id.
    Id,
    /// An edge's FROM end, the id of a node: graph formats make it the source.
    From,
    /// An edge's TO end, the id of a node: graph formats make it the target.
    To,
    /// Text, one line or several.
    Text(Lines),
    /// A list of one-line texts; `item` names one in messages ("an alias").
    List {
        /// One item, in a message.
        item: &'static str,
    },
    /// A partial date.
    Date,
    /// A partial date, `ongoing` or `unknown` (JSON adds `end_status`).
    End,
    /// A node kind: the label in Cypher and Neo4j.
    Kind,
    /// A relation: the relationship type in Cypher and Neo4j.
    Relation,
    /// A stance.
    Stance,
    /// Provenance: `{ doc, at }` pairs, `doc@at|doc@at` in flat formats.
    Sources,
    /// Free attributes: a column or key `attrs.<name>` each in flat formats.
    Attrs,
}

impl Type {
    /// Whether an XML format (GraphML `<data>`, GEXF `<attvalue>`) declares the field
    /// as a value of its own: the id and the ends are the element's own attributes, and
    /// free attributes are declared one by one.
    pub fn is_declared_value(self) -> bool {
        match self {
            Type::Id | Type::From | Type::To | Type::Attrs => false,
            Type::Text(_)
            | Type::List { .. }
            | Type::Date
            | Type::End
            | Type::Kind
            | Type::Relation
            | Type::Stance
            | Type::Sources => true,
        }
    }

    /// How the field's text may be written (one line for everything but multi-line text).
    pub fn lines(self) -> Lines {
        match self {
            Type::Text(lines) => lines,
            Type::Id
            | Type::From
            | Type::To
            | Type::List { .. }
            | Type::Date
            | Type::End
            | Type::Kind
            | Type::Relation
            | Type::Stance
            | Type::Sources
            | Type::Attrs => Lines::One,
        }
    }

    /// The name of the type in the docs.
    pub fn describe(self) -> &'static str {
        match self {
            Type::Id => "id",
            Type::From | Type::To => "node id",
            Type::Text(Lines::One) => "text, one line",
            Type::Text(Lines::Many) => "text, lines",
            Type::List { .. } => "list of text",
            Type::Date => "date",
            Type::End => "date, `ongoing` or `unknown`",
            Type::Kind => "kind",
            Type::Relation => "relation",
            Type::Stance => "stance",
            Type::Sources => "sources",
            Type::Attrs => "attributes",
        }
    }
}

const fn field(name: &'static str, ty: Type, meaning: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        always: false,
        meaning,
    }
}

const fn required(f: Field) -> Field {
    Field {
        required: true,
        always: true,
        ..f
    }
}

const fn always(f: Field) -> Field {
    Field { always: true, ..f }
}

const ONE: Type = Type::Text(Lines::One);
const MANY: Type = Type::Text(Lines::Many);

/// The fields of a node, in the order of every format.
#[rustfmt::skip]
pub const NODE: [Field; 11] = [
    required(field("id", Type::Id, "stable kebab-case identifier")),
    required(field("kind", Type::Kind, "initiative, body, legislation, document or finding")),
    required(field("name", ONE, "display name")),
    always(field("start", Type::Date, "when it began (a document: when published)")),
    always(field("end", Type::End, "when it ended: a date, `ongoing` or `unknown` (left out: unknown)")),
    field("aliases", Type::List { item: "an alias" }, "other names: abbreviations, former names"),
    field("summary", MANY, "one or two sentences in our own words"),
    field("stance", Type::Stance, "a finding's judgement: critical, supportive, mixed or neutral"),
    field("note", MANY, "a remark, e.g. where a seed and the record disagree"),
    always(field("sources", Type::Sources, "provenance: a document id and a locator in it")),
    field("attrs", Type::Attrs, "free attributes: strings, numbers, booleans"),
];

/// The fields of an edge, read as a sentence: `from` `relation` `to`.
#[rustfmt::skip]
pub const EDGE: [Field; 8] = [
    required(field("from", Type::From, "the id of the FROM node")),
    required(field("relation", Type::Relation, "what FROM is to TO")),
    required(field("to", Type::To, "the id of the TO node")),
    field("date", Type::Date, "when the relation took effect, if not the nodes' dates"),
    field("stance", Type::Stance, "an `evaluated-by` edge's judgement"),
    field("note", MANY, "a remark"),
    always(field("sources", Type::Sources, "provenance: a document id and a locator in it")),
    field("attrs", Type::Attrs, "free attributes: strings, numbers, booleans"),
];

/// The fields of an era, a named period for time bands and seminar steps.
#[rustfmt::skip]
pub const ERA: [Field; 4] = [
    required(field("name", ONE, "display name, 1 to 80 characters")),
    required(field("start", Type::Date, "first year")),
    field("end", Type::Date, "last year; left out for an era still running"),
    field("summary", MANY, "a description"),
];

/// The fields of the `[collection]` table.
#[rustfmt::skip]
pub const COLLECTION: [Field; 3] = [
    field("title", ONE, "the collection's title"),
    field("author", ONE, "who compiled it, as credited"),
    field("summary", MANY, "what it covers"),
];

/// The fields of a source (`{ doc, at }`).
#[rustfmt::skip]
pub const SOURCE: [Field; 2] = [
    required(field("doc", ONE, "the id of a `document` node")),
    required(field("at", ONE, "the locator in it: \"Table 1\", \"p. 12\"")),
];

/// The names of a table's fields, for messages.
pub fn names(table: &[Field]) -> Vec<&'static str> {
    table.iter().map(|f| f.name).collect()
}

/// The field of `table` named `name`.
pub fn named<'t>(table: &'t [Field], name: &str) -> Option<&'t Field> {
    table.iter().find(|f| f.name == name)
}

/// A field's value, borrowed from its record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// An id, an endpoint or text.
    Text(&'a str),
    /// A list of texts.
    List(Aliases<'a>),
    /// A date.
    Date(PartialDate),
    /// An end.
    End(End),
    /// A node kind.
    Kind(NodeKind),
    /// A relation.
    Relation(Relation),
    /// A stance.
    Stance(Stance),
    /// Sources.
    Sources(&'a [Source]),
    /// Free attributes.
    Attrs(&'a Attrs),
}

impl Value<'_> {
    /// Nothing to write in a flat format: an empty list, an unknown end.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::List(l) => l.is_empty(),
            Value::Sources(s) => s.is_empty(),
            Value::Attrs(a) => a.is_empty(),
            Value::End(e) => *e == End::Unknown,
            Value::Text(_)
            | Value::Date(_)
            | Value::Kind(_)
            | Value::Relation(_)
            | Value::Stance(_) => false,
        }
    }

    /// The value as one cell of a flat format, lists joined with `sep`; `None` for
    /// attributes, which are a cell each.
    pub fn flat(&self, sep: &str) -> Option<String> {
        Some(match self {
            Value::Text(t) => t.to_string(),
            Value::List(l) => l.iter().collect::<Vec<_>>().join(sep),
            Value::Date(d) => d.to_string(),
            Value::End(End::Unknown) => String::new(),
            Value::End(e) => e.to_string(),
            Value::Kind(k) => k.as_str().to_string(),
            Value::Relation(r) => r.as_str().to_string(),
            Value::Stance(s) => s.as_str().to_string(),
            Value::Sources(s) => s
                .iter()
                .map(|s| format!("{}@{}", s.doc, s.at))
                .collect::<Vec<_>>()
                .join(sep),
            Value::Attrs(_) => return None,
        })
    }

    /// The items of a list value (texts, or sources as `doc@at`).
    pub fn items(&self) -> Vec<String> {
        match self {
            Value::List(l) => l.iter().map(String::from).collect(),
            Value::Sources(s) => s.iter().map(|s| format!("{}@{}", s.doc, s.at)).collect(),
            _ => Vec::new(),
        }
    }
}

/// Each field of a table with its value, absent ones `None`.
pub type Values<'a, const N: usize> = [(&'static Field, Option<Value<'a>>); N];

fn zip<'a, const N: usize>(
    table: &'static [Field; N],
    values: [Option<Value<'a>>; N],
) -> Values<'a, N> {
    let mut i = 0;
    values.map(|v| {
        i += 1;
        (&table[i - 1], v)
    })
}

impl Node {
    /// Every field of [`NODE`] with its value.
    pub fn values(&self) -> Values<'_, { NODE.len() }> {
        let Node {
            text: _,
            ends: _,
            kind,
            start,
            end,
            stance,
            extra: _,
            loc: _,
        } = self;
        zip(
            &NODE,
            [
                Some(Value::Text(self.id())),
                Some(Value::Kind(*kind)),
                Some(Value::Text(self.name())),
                start.map(Value::Date),
                Some(Value::End(*end)),
                Some(Value::List(self.aliases())),
                self.summary().map(Value::Text),
                stance.map(Value::Stance),
                self.note().map(Value::Text),
                Some(Value::Sources(self.sources())),
                Some(Value::Attrs(self.attrs())),
            ],
        )
    }
}

impl Edge {
    /// Every field of [`EDGE`] with its value; the ends are the ids `from` and `to`
    /// (the record does not hold them).
    pub fn values<'a>(&'a self, from: &'a str, to: &'a str) -> Values<'a, { EDGE.len() }> {
        let Edge {
            relation,
            date,
            stance,
            extra: _,
            loc: _,
        } = self;
        zip(
            &EDGE,
            [
                Some(Value::Text(from)),
                Some(Value::Relation(*relation)),
                Some(Value::Text(to)),
                date.map(Value::Date),
                stance.map(Value::Stance),
                self.note().map(Value::Text),
                Some(Value::Sources(self.sources())),
                Some(Value::Attrs(self.attrs())),
            ],
        )
    }
}

impl Era {
    /// Every field of [`ERA`] with its value.
    pub fn values(&self) -> Values<'_, { ERA.len() }> {
        let Era {
            name,
            start,
            end,
            summary,
            loc: _,
        } = self;
        zip(
            &ERA,
            [
                Some(Value::Text(name)),
                Some(Value::Date(*start)),
                end.map(Value::Date),
                summary.as_deref().map(Value::Text),
            ],
        )
    }
}

impl About {
    /// Every field of [`COLLECTION`] with its value.
    pub fn values(&self) -> Values<'_, { COLLECTION.len() }> {
        let About {
            title,
            author,
            summary,
            loc: _,
        } = self;
        zip(
            &COLLECTION,
            [
                title.as_deref().map(Value::Text),
                author.as_deref().map(Value::Text),
                summary.as_deref().map(Value::Text),
            ],
        )
    }
}

/// The docs' table of a record's fields (README, "Fields").
pub fn markdown(table: &[Field]) -> String {
    let mut out = String::from("| field | type | required | meaning |\n|---|---|---|---|\n");
    for f in table {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            f.name,
            f.ty.describe(),
            if f.required { "yes" } else { "" },
            f.meaning
        ));
    }
    out
}

/// The README's section on fields, generated from the tables.
pub fn readme_section() -> String {
    let mut out = String::from("### Fields\n\n");
    for (title, table) in [
        ("A node (`[[node]]`, a row of `nodes.csv`):", &NODE[..]),
        ("An edge (`[[edge]]`, a row of `edges.csv`):", &EDGE[..]),
        ("An era (`[[era]]`, TOML only):", &ERA[..]),
        (
            "The collection (`[collection]`, TOML only):",
            &COLLECTION[..],
        ),
        ("A source (`{ doc, at }`; `doc@at` in CSV):", &SOURCE[..]),
    ] {
        out.push_str(title);
        out.push_str("\n\n");
        out.push_str(&markdown(table));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each value has its field's type (the order of `values` is the table's).
    #[test]
    fn values_have_their_fields_types() {
        fn fits(ty: Type, v: &Value<'_>) -> bool {
            matches!(
                (ty, v),
                (
                    Type::Id | Type::From | Type::To | Type::Text(_),
                    Value::Text(_)
                ) | (Type::List { .. }, Value::List(_))
                    | (Type::Date, Value::Date(_))
                    | (Type::End, Value::End(_))
                    | (Type::Kind, Value::Kind(_))
                    | (Type::Relation, Value::Relation(_))
                    | (Type::Stance, Value::Stance(_))
                    | (Type::Sources, Value::Sources(_))
                    | (Type::Attrs, Value::Attrs(_))
            )
        }
        let loaded = crate::load::load(std::path::Path::new("tests/data/rich"), None)
            .unwrap_or_else(|e| panic!("{e}"));
        let data = &loaded.dataset;
        let mut seen = 0;
        for (f, v) in data
            .nodes()
            .iter()
            .flat_map(|n| n.values())
            .chain(data.edges().iter().flat_map(|e| e.values("a", "b")))
            .chain(data.eras().iter().flat_map(|e| e.values()))
            .chain(data.about().iter().flat_map(|a| a.values()))
        {
            if let Some(v) = v {
                assert!(fits(f.ty, &v), "{} holds {v:?}", f.name);
                seen += 1;
            }
        }
        assert!(seen > 20);
    }

    /// Names are unique within a table, and the required fields come first.
    #[test]
    fn tables_are_well_formed() {
        for table in [&NODE[..], &EDGE, &ERA, &COLLECTION, &SOURCE] {
            let mut names = names(table);
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), table.len());
            assert!(table.iter().all(|f| !f.required || f.always));
        }
    }

    /// The README's field tables are the table's: on a change, paste `readme_section()`
    /// over README's "### Fields".
    #[test]
    fn the_readme_lists_the_fields() {
        let readme = include_str!("../../README.md");
        assert!(readme.contains(&readme_section()), "{}", readme_section());
    }
}
