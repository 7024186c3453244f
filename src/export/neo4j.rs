//! CSV for `neo4j-admin database import` (`export --format csv --neo4j`): `nodes.csv`
//! and `edges.csv` with Neo4j's typed headers, and the import command that reads them.
//!
//! - Nodes: `id:ID`, `:LABEL` (`PolicyNode` and the kind's label), every other field of
//!   the field table typed (`name:string`, `aliases:string[]`, `sources:string[]` of
//!   `doc@at`; `end` is the date when there is one and `end_status` says `dated`,
//!   `ongoing` or `unknown`, as in JSON and Cypher), and each free attribute a column
//!   `attrs.<name>:long|double|boolean|string` ([`crate::attr_name`]), typed by what its
//!   values share across the view (string, with each value's text, when they differ).
//! - Relationships: `:START_ID`, `:END_ID`, `:TYPE` and `edge_id:long`, the edge's place
//!   in the collection (the number in the pictures' `edge-N` and Parquet's `edge_id`), so
//!   duplicate edges are distinct relationships, then the fields as for nodes.
//!
//! Neo4j splits a list cell (and `:LABEL`) on one array delimiter and has no escape for
//! it, so [`to_neo4j_csv`] chooses the first of [`DELIMITERS`] that no list item of the
//! view holds: `;`, Neo4j's default, when it can (issue 19: the shipped data has a `;`
//! in a locator). [`Neo4jFiles::import_command`] names it, and `--multiline-fields=true`
//! when a value holds a line break. Fields are quoted RFC 4180 style (`"` doubled), the
//! default of Neo4j 5 (`--legacy-style-quoting=false`), so a backslash is literal. The
//! cells are not guarded against spreadsheet formulas: `neo4j-admin` would store the
//! guard as part of the value. Labels and relationship types come from the fixed
//! vocabularies below, never from data.

use crate::attr_name::{FreeAttrs, column};
use crate::graph::PolicyGraph;
use crate::model::field::{EDGE, Field, NODE, Type, Value};
use crate::model::{AttrValue, End, NodeKind, Relation};
use crate::view::View;

/// The array delimiters [`to_neo4j_csv`] chooses from, in order: Neo4j's default first,
/// then printable ASCII that is neither CSV's delimiter or quote, nor `@` (which joins a
/// source's document and locator), nor `'` (which the shell command would need escaped).
pub const DELIMITERS: [char; 12] = [';', '|', '^', '~', '#', '!', '$', '&', '*', '+', '?', '='];

/// The Neo4j label of a kind: `Initiative`, `Body`, ...
pub fn label(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Initiative => "Initiative",
        NodeKind::Body => "Body",
        NodeKind::Legislation => "Legislation",
        NodeKind::Document => "Document",
        NodeKind::Finding => "Finding",
    }
}

/// The label every node has, beside its kind's.
pub const NODE_LABEL: &str = "PolicyNode";

/// The property holding an edge's place in the collection.
pub const EDGE_ID: &str = "edge_id";

/// The Neo4j relationship type of a relation: `ESTABLISHED_BY`, `REPLACED`, ...
pub fn rel_type(relation: Relation) -> &'static str {
    match relation {
        Relation::EstablishedBy => "ESTABLISHED_BY",
        Relation::Replaced => "REPLACED",
        Relation::EvaluatedBy => "EVALUATED_BY",
        Relation::Cites => "CITES",
        Relation::PublishedBy => "PUBLISHED_BY",
        Relation::ReportedIn => "REPORTED_IN",
        Relation::ReformedBy => "REFORMED_BY",
        Relation::LedTo => "LED_TO",
    }
}

/// The two files of a Neo4j export and how to import them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neo4jFiles {
    /// `nodes.csv`.
    pub nodes: String,
    /// `edges.csv`.
    pub edges: String,
    /// What separates list items (and labels) in a cell.
    pub array_delimiter: char,
    /// Whether a value holds a line break (`--multiline-fields=true` is then needed).
    pub multiline: bool,
}

impl Neo4jFiles {
    /// The `neo4j-admin` command that imports the files from `dir` into `database`.
    pub fn import_command(&self, dir: &str, database: &str) -> String {
        let mut cmd = format!(
            "neo4j-admin database import full --nodes={dir}/nodes.csv --relationships={dir}/edges.csv --array-delimiter='{}'",
            self.array_delimiter
        );
        if self.multiline {
            cmd.push_str(" --multiline-fields=true");
        }
        cmd.push(' ');
        cmd.push_str(database);
        cmd
    }
}

/// What Neo4j's CSV cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Neo4jCsvError {
    /// Every delimiter policygraph can choose occurs in some list item.
    #[error(
        "list items hold every array delimiter Neo4j's CSV could use ({}); `{}` is in {what} of `{id}`: {value}",
        DELIMITERS.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" "),
        DELIMITERS[0]
    )]
    NoDelimiter {
        /// The node id, or the edge as `from relation to`.
        id: String,
        /// Which value ("an alias", "a source").
        what: &'static str,
        /// The value.
        value: String,
    },
    /// A free attribute's name holds a character Neo4j's header reads as syntax.
    #[error(
        "attribute `{name}` of `{id}` holds `{found}`, which a Neo4j CSV header reads as syntax (name:type{{options}})"
    )]
    AttrName {
        /// The node id, or the edge as `from relation to`.
        id: String,
        /// The attribute's name.
        name: String,
        /// The character.
        found: char,
    },
}

/// Characters a header cell's name part cannot hold: `:` starts the type, `{` the
/// options, `(` an id space.
const HEADER_SYNTAX: [char; 5] = [':', '{', '}', '(', ')'];

use super::csv::{finish, writer};

fn row(w: &mut csv::Writer<Vec<u8>>, cells: &[String]) {
    w.write_record(cells)
        .unwrap_or_else(|e| unreachable!("writing to memory cannot fail: {e}"));
}

/// The header cells of a field (none for the attributes, which [`FreeAttrs`] gives).
fn columns(f: &Field) -> Vec<String> {
    let name = f.name;
    match f.ty {
        Type::Id => vec![format!("{name}:ID")],
        Type::Kind => vec![":LABEL".into()],
        Type::Relation => vec![":TYPE".into()],
        Type::From => vec![":START_ID".into()],
        Type::To => vec![":END_ID".into()],
        Type::List { .. } | Type::Sources => vec![format!("{name}:string[]")],
        Type::End => vec![format!("{name}:string"), format!("{name}_status:string")],
        Type::Text(_) | Type::Date | Type::Stance => vec![format!("{name}:string")],
        Type::Attrs => Vec::new(),
    }
}

fn header(table: &[Field], attrs: &FreeAttrs, edge: bool) -> Vec<String> {
    let mut out = Vec::new();
    for f in table {
        out.extend(columns(f));
        if edge && f.ty == Type::To {
            out.push(format!("{EDGE_ID}:long"));
        }
        if f.ty == Type::Attrs {
            out.extend(
                attrs
                    .list
                    .iter()
                    .map(|(name, ty)| format!("{}:{ty}", column(name))),
            );
        }
    }
    out
}

/// A double as Java's `Double.parseDouble` reads it.
fn double(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        f.to_string()
    }
}

/// An attribute's cell in a column of type `ty` (its own text when the column is
/// `string`).
fn attr_cell(value: &AttrValue, ty: &str) -> String {
    match (value, ty) {
        (AttrValue::String(s), _) => s.clone(),
        (AttrValue::Float(f), "double") => double(*f),
        (other, _) => super::xml::typed(other).1,
    }
}

/// The cells of a record, in [`header`]'s order; `labels` replaces the kind, `edge_id`
/// follows the TO end.
fn cells<'a>(
    values: impl IntoIterator<Item = (&'static Field, Option<Value<'a>>)>,
    attrs: &FreeAttrs,
    sep: char,
    labels: &str,
    edge_id: Option<usize>,
) -> Vec<String> {
    let sep = sep.to_string();
    let mut out = Vec::new();
    for (field, value) in values {
        match (field.ty, value) {
            (Type::Kind, _) => out.push(labels.to_string()),
            (Type::Relation, Some(Value::Relation(r))) => out.push(rel_type(r).into()),
            (Type::End, value) => {
                let end = match value {
                    Some(Value::End(e)) => e,
                    _ => End::Unknown,
                };
                out.push(end.date().map(|d| d.to_string()).unwrap_or_default());
                out.push(end.status().into());
            }
            (Type::Attrs, value) => {
                let own = match value {
                    Some(Value::Attrs(a)) => Some(a),
                    _ => None,
                };
                out.extend(attrs.list.iter().map(|(name, ty)| {
                    own.and_then(|a| a.get(name))
                        .map(|v| attr_cell(v, ty))
                        .unwrap_or_default()
                }));
            }
            (_, value) => out.push(value.and_then(|v| v.flat(&sep)).unwrap_or_default()),
        }
        if field.ty == Type::To
            && let Some(id) = edge_id
        {
            out.push(id.to_string());
        }
    }
    out
}

/// The first of [`DELIMITERS`] no list item of the view holds.
fn choose_delimiter(g: &PolicyGraph, view: &View) -> Result<char, Neo4jCsvError> {
    let mut free = DELIMITERS.to_vec();
    // The first item found to hold `;`, for the message when none is free.
    let mut first: Option<(String, &'static str, String)> = None;
    let mut note = |id: &dyn Fn() -> String, values: &[(&'static Field, Option<Value<'_>>)]| {
        for (field, value) in values {
            let Some(value) = value else { continue };
            for item in value.items() {
                if first.is_none() && item.contains(DELIMITERS[0]) {
                    let what = match field.ty {
                        Type::List { item } => item,
                        _ => "a source",
                    };
                    first = Some((id(), what, item.clone()));
                }
                free.retain(|c| !item.contains(*c));
            }
        }
    };
    for &n in &view.nodes {
        let node = g.node(n);
        note(&|| node.id().to_string(), &node.values());
    }
    for &e in &view.edges {
        let (a, b) = g.endpoints(e);
        let (from, to) = (g.node(a).id(), g.node(b).id());
        let edge = g.edge(e);
        note(
            &|| format!("{from} {} {to}", edge.relation),
            &edge.values(from, to),
        );
    }
    match (free.first(), first) {
        (Some(&c), _) => Ok(c),
        (None, Some((id, what, value))) => Err(Neo4jCsvError::NoDelimiter { id, what, value }),
        (None, None) => unreachable!("no item holds `;`, so `;` is free"),
    }
}

/// The first free attribute name (with its record) a header cannot hold.
fn check_attr_names(g: &PolicyGraph, view: &View) -> Result<(), Neo4jCsvError> {
    let bad = |id: &dyn Fn() -> String, attrs: &crate::model::Attrs| {
        for name in attrs.keys() {
            if let Some(found) = name.chars().find(|c| HEADER_SYNTAX.contains(c)) {
                return Err(Neo4jCsvError::AttrName {
                    id: id(),
                    name: name.clone(),
                    found,
                });
            }
        }
        Ok(())
    };
    for &n in &view.nodes {
        let node = g.node(n);
        bad(&|| node.id().to_string(), node.attrs())?;
    }
    for &e in &view.edges {
        let (a, b) = g.endpoints(e);
        let edge = g.edge(e);
        let id = || format!("{} {} {}", g.node(a).id(), edge.relation, g.node(b).id());
        bad(&id, edge.attrs())?;
    }
    Ok(())
}

/// The view as `neo4j-admin database import` CSV (the module's doc has the shape).
pub fn to_neo4j_csv(g: &PolicyGraph, view: &View) -> Result<Neo4jFiles, Neo4jCsvError> {
    let sep = choose_delimiter(g, view)?;
    check_attr_names(g, view)?;
    let mut multiline = false;
    let mut note_lines = |cells: &[String]| {
        multiline |= cells.iter().any(|c| c.contains(['\n', '\r']));
    };

    let node_attrs = FreeAttrs::collect(view.nodes.iter().map(|&n| g.node(n).attrs()));
    let mut w = writer();
    row(&mut w, &header(&NODE, &node_attrs, false));
    for &n in &view.nodes {
        let node = g.node(n);
        let labels = format!("{NODE_LABEL}{sep}{}", label(node.kind));
        let cells = cells(node.values(), &node_attrs, sep, &labels, None);
        note_lines(&cells);
        row(&mut w, &cells);
    }
    let nodes = finish(w);

    let edge_attrs = FreeAttrs::collect(view.edges.iter().map(|&e| g.edge(e).attrs()));
    let mut w = writer();
    row(&mut w, &header(&EDGE, &edge_attrs, true));
    for &e in &view.edges {
        let (a, b) = g.endpoints(e);
        let values = g.edge(e).values(g.node(a).id(), g.node(b).id());
        let cells = cells(values, &edge_attrs, sep, "", Some(e.index()));
        note_lines(&cells);
        row(&mut w, &cells);
    }
    Ok(Neo4jFiles {
        nodes,
        edges: finish(w),
        array_delimiter: sep,
        multiline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::{Opened, finish};
    use crate::view::{Narrow, ViewSpec, view};

    fn opened(text: &str) -> Opened {
        let opened = finish(crate::load::toml_text("t.toml", text), false);
        assert_eq!(opened.errors(), 0, "{:?}", opened.problems);
        opened
    }

    fn export(text: &str) -> Result<Neo4jFiles, Neo4jCsvError> {
        let o = opened(text);
        to_neo4j_csv(
            &o.graph,
            &view(&o.graph, &ViewSpec::Whole, &Narrow::default()),
        )
    }

    fn records(text: &str) -> Vec<Vec<String>> {
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("{e}"))
                    .iter()
                    .map(String::from)
                    .collect()
            })
            .collect()
    }

    const DOC: &str = "[[node]]\nid = \"d\"\nkind = \"document\"\nname = \"D\"\nsources = [{ doc = \"d\", at = \"p. 1\" }]\n";

    #[test]
    fn semicolons_in_items_choose_another_delimiter_and_every_item_survives() {
        let text = format!(
            "{DOC}aliases = [\"a;b\", \"c|d\"]\n[[edge]]\nfrom = \"d\"\nrelation = \"cites\"\nto = \"d\"\nsources = [{{ doc = \"d\", at = \"s. 2; s. 3\" }}, {{ doc = \"d\", at = \"x\" }}]\n"
        );
        let files = export(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(files.array_delimiter, '^', "`;` and `|` are taken");
        let nodes = records(&files.nodes);
        assert_eq!(nodes[0][1], "PolicyNode^Document");
        let aliases: Vec<&str> = nodes[0][6].split('^').collect();
        assert_eq!(aliases, ["a;b", "c|d"]);
        let edges = records(&files.edges);
        let sources: Vec<&str> = edges[0]
            .last()
            .map(|s| s.split('^').collect())
            .unwrap_or_default();
        assert_eq!(
            sources,
            ["d@s. 2; s. 3", "d@x"],
            "one source stays one item"
        );
        assert!(
            files
                .import_command("out", "neo4j")
                .contains("--array-delimiter='^'")
        );
    }

    #[test]
    fn plain_data_keeps_neo4js_default_delimiter() {
        let files =
            export(&format!("{DOC}aliases = [\"a\", \"b\"]\n")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(files.array_delimiter, ';');
        assert!(!files.multiline);
        assert_eq!(records(&files.nodes)[0][6], "a;b");
    }

    #[test]
    fn every_delimiter_taken_is_refused_naming_the_record() {
        let all: String = DELIMITERS.iter().collect();
        let err = export(&format!("{DOC}aliases = [\"{all}\"]\n")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("an alias of `d`"), "{msg}");
    }

    #[test]
    fn attributes_are_typed_per_column_and_mixed_types_are_strings() {
        let text = "[[node]]\nid = \"a\"\nkind = \"document\"\nname = \"A\"\nsources = [{ doc = \"a\", at = \"p\" }]\nattrs = { n = 3, r = 0.5, ok = true, s = \"x\", m = 1, inf = inf }\n[[node]]\nid = \"b\"\nkind = \"document\"\nname = \"B\"\nsources = [{ doc = \"a\", at = \"p\" }]\nattrs = { m = \"one\", n = -4 }\n";
        let files = export(text).unwrap_or_else(|e| panic!("{e}"));
        let head = files.nodes.lines().next().unwrap_or_default();
        for col in [
            "attrs.inf:double",
            "attrs.m:string",
            "attrs.n:long",
            "attrs.ok:boolean",
            "attrs.r:double",
            "attrs.s:string",
        ] {
            assert!(head.split(',').any(|c| c == col), "{col} in {head}");
        }
        assert!(files.nodes.contains(",Infinity,"), "{}", files.nodes);
    }

    #[test]
    fn hostile_text_stays_literal_in_quoted_cells() {
        let text = "[[node]]\nid = \"d\"\nkind = \"document\"\nname = \"a \\\"q\\\", b; `c` \\\\ ' =1+1\"\nsummary = \"two\\nlines\"\nsources = [{ doc = \"d\", at = \"p\" }]\n";
        let files = export(text).unwrap_or_else(|e| panic!("{e}"));
        let nodes = records(&files.nodes);
        assert_eq!(nodes[0][2], "a \"q\", b; `c` \\ ' =1+1");
        assert_eq!(nodes[0][7], "two\nlines");
        assert!(files.multiline);
        assert!(
            files
                .import_command("o", "db")
                .ends_with("--multiline-fields=true db")
        );
    }

    #[test]
    fn attribute_names_with_header_syntax_are_refused() {
        let text = format!("{DOC}attrs = {{ \"a:b\" = 1 }}\n");
        let msg = export(&text).unwrap_err().to_string();
        assert!(msg.contains("attribute `a:b` of `d` holds `:`"), "{msg}");
    }
}
