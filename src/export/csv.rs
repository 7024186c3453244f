//! CSV: the interchange format policygraph reads (`nodes.csv` and `edges.csv`, which
//! round-trip). Neo4j's import CSV (`--neo4j`) is [`super::neo4j`].
//!
//! Every cell of our format is guarded against spreadsheet formula injection: one
//! that would run as a formula gets a leading `'`, which the loader removes
//! ([`crate::spreadsheet`] has the exact rule).
//!
//! Aliases and sources are `|`-separated in our format, so an alias or locator that
//! itself holds a `|` cannot be written faithfully: the export refuses it and says where,
//! rather than change the data.

use crate::attr_name::ColumnType;
use crate::graph::PolicyGraph;
use crate::model::field::{EDGE, ERA, Field, NODE, Type, Value};
use crate::view::View;
use std::collections::BTreeMap;

/// The two files of a CSV export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFiles {
    /// `nodes.csv`.
    pub nodes: String,
    /// `edges.csv`.
    pub edges: String,
    /// `eras.csv` (`name,start,end,summary`), when the collection has eras: our format
    /// only (Neo4j has no place for them).
    pub eras: Option<String>,
}

/// A value our CSV format cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} of `{id}` contains `|`, which separates list items in CSV: {value}")]
pub struct CsvError {
    /// The node or edge.
    pub id: String,
    /// Which value.
    pub what: &'static str,
    /// The value.
    pub value: String,
}

/// A CSV writer to memory with `\n` line ends (both CSV exports use it).
pub(super) fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// The text a [`writer`] wrote.
pub(super) fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w
        .into_inner()
        .unwrap_or_else(|e| unreachable!("writing to memory cannot fail: {e}"));
    String::from_utf8(bytes).unwrap_or_else(|e| unreachable!("CSV of UTF-8 cells is UTF-8: {e}"))
}

/// A row of our interchange format: every cell guarded against formula injection
/// ([`crate::spreadsheet`]), which the loader undoes.
fn guarded_row(w: &mut csv::Writer<Vec<u8>>, cells: &[String]) {
    w.write_record(
        cells
            .iter()
            .map(|c| crate::spreadsheet::guard(c).into_owned()),
    )
    .unwrap_or_else(|e| unreachable!("writing to memory cannot fail: {e}"));
}

/// The list separator of our format.
const SEP: char = '|';

/// The cells of a record's fields (free attributes as the columns `attr_columns`
/// name), lists joined with `|`; a list item holding `|`, which our format splits on,
/// is refused.
fn cells<'a>(
    id: &str,
    values: impl IntoIterator<Item = (&'static Field, Option<Value<'a>>)>,
    attr_columns: &[(String, ColumnType)],
) -> Result<Vec<String>, CsvError> {
    let mut out = Vec::new();
    for (field, value) in values {
        if let Some(bad) = value
            .map(|v| v.items())
            .unwrap_or_default()
            .into_iter()
            .find(|i| i.contains(SEP))
        {
            return Err(CsvError {
                id: id.to_string(),
                what: match field.ty {
                    Type::List { item } => item,
                    _ => "a source",
                },
                value: bad,
            });
        }
        match (field.ty, value) {
            (Type::Attrs, value) => {
                let attrs = match value {
                    Some(Value::Attrs(a)) => Some(a),
                    _ => None,
                };
                out.extend(attr_columns.iter().map(|(k, ty)| {
                    attrs
                        .and_then(|a| a.get(k))
                        .map(|v| crate::attr_name::cell(*ty, v))
                        .unwrap_or_default()
                }));
            }
            (_, value) => out.push(
                value
                    .and_then(|v| v.flat(&SEP.to_string()))
                    .unwrap_or_default(),
            ),
        }
    }
    Ok(out)
}

/// The free attributes used, sorted by name, each with the type of its column: its
/// values' type, or [`ColumnType::Any`] when they differ.
fn attr_columns<'a>(
    attrs: impl Iterator<Item = &'a crate::model::Attrs>,
) -> Vec<(String, ColumnType)> {
    let mut types: BTreeMap<&String, ColumnType> = BTreeMap::new();
    for (k, v) in attrs.flat_map(|a| a.iter()) {
        let ty = ColumnType::of(v);
        types.entry(k).and_modify(|t| *t = t.join(ty)).or_insert(ty);
    }
    types.into_iter().map(|(k, t)| (k.clone(), t)).collect()
}

/// A header: each field's name as `name` gives it, free attributes as `attrs.<name>`
/// with their type's suffix ([`crate::attr_name::typed_column`]).
fn header(
    table: &[Field],
    attr_columns: &[(String, ColumnType)],
    name: impl Fn(&Field) -> Option<String>,
) -> Vec<String> {
    table
        .iter()
        .flat_map(|f| match f.ty {
            Type::Attrs => attr_columns
                .iter()
                .map(|(a, ty)| crate::attr_name::typed_column(a, *ty))
                .collect(),
            _ => name(f).into_iter().collect::<Vec<_>>(),
        })
        .collect()
}

/// The view in policygraph's CSV interchange format: one column per field of the
/// field table, in its order; free attributes become extra columns (sorted by name),
/// each named `attrs.<name>` ([`crate::attr_name`]), so an attribute called `id` or
/// `note` is not taken for the field; loading the files back gives the same graph.
pub fn to_csv(g: &PolicyGraph, view: &View) -> Result<CsvFiles, CsvError> {
    let node_attrs = attr_columns(view.nodes.iter().map(|&n| g.node(n).attrs()));
    let mut w = writer();
    guarded_row(&mut w, &header(&NODE, &node_attrs, |f| Some(f.name.into())));
    for &n in &view.nodes {
        let node = g.node(n);
        guarded_row(&mut w, &cells(node.id(), node.values(), &node_attrs)?);
    }
    let nodes = finish(w);

    let edge_attrs = attr_columns(view.edges.iter().map(|&e| g.edge(e).attrs()));
    let mut w = writer();
    guarded_row(&mut w, &header(&EDGE, &edge_attrs, |f| Some(f.name.into())));
    for &e in &view.edges {
        let (edge, (a, b)) = (g.edge(e), g.endpoints(e));
        let (from, to) = (g.node(a).id(), g.node(b).id());
        let id = format!("{from} {} {to}", edge.relation);
        guarded_row(&mut w, &cells(&id, edge.values(from, to), &edge_attrs)?);
    }
    Ok(CsvFiles {
        nodes,
        edges: finish(w),
        eras: eras(g),
    })
}

/// The collection's eras in our format, or `None` when it has none. Every era, not
/// only those a view's dates reach: they are the collection's, as in TOML.
fn eras(g: &PolicyGraph) -> Option<String> {
    if g.eras.is_empty() {
        return None;
    }
    let mut w = writer();
    let header: Vec<String> = crate::model::field::names(&ERA)
        .into_iter()
        .map(String::from)
        .collect();
    guarded_row(&mut w, &header);
    for era in &g.eras {
        guarded_row(
            &mut w,
            &[
                era.name.clone(),
                era.start.to_string(),
                era.end.map(|e| e.to_string()).unwrap_or_default(),
                era.summary.clone().unwrap_or_default(),
            ],
        );
    }
    Some(finish(w))
}
