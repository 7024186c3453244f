//! CSV: the interchange format policygraph reads (`nodes.csv` and `edges.csv`, which
//! round-trip), or with `--neo4j` the headers `neo4j-admin database import` expects.
//!
//! Every cell of our format is guarded against spreadsheet formula injection: one
//! that would run as a formula gets a leading `'`, which the loader removes
//! ([`crate::spreadsheet`] has the exact rule). The Neo4j files are not guarded:
//! `neo4j-admin` would store the quote as part of the value, and they are meant for it,
//! not for a spreadsheet.
//!
//! Aliases and sources are `|`-separated in our format, so an alias or locator that
//! itself holds a `|` cannot be written faithfully: the export refuses it and says where,
//! rather than change the data.

use super::xml::typed;
use crate::graph::PolicyGraph;
use crate::model::{NodeKind, Relation};
use crate::view::View;
use std::collections::BTreeSet;

/// The two files of a CSV export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFiles {
    /// `nodes.csv`.
    pub nodes: String,
    /// `edges.csv`.
    pub edges: String,
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

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w
        .into_inner()
        .unwrap_or_else(|e| unreachable!("writing to memory cannot fail: {e}"));
    String::from_utf8(bytes).unwrap_or_else(|e| unreachable!("CSV of UTF-8 cells is UTF-8: {e}"))
}

fn row(w: &mut csv::Writer<Vec<u8>>, cells: &[String]) {
    w.write_record(cells)
        .unwrap_or_else(|e| unreachable!("writing to memory cannot fail: {e}"));
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

fn joined(id: &str, what: &'static str, items: &[String], sep: &str) -> Result<String, CsvError> {
    if let Some(bad) = items.iter().find(|i| i.contains('|')) {
        return Err(CsvError {
            id: id.to_string(),
            what,
            value: bad.clone(),
        });
    }
    Ok(items.join(sep))
}

fn source_list(id: &str, sources: &[crate::model::Source]) -> Result<Vec<String>, CsvError> {
    let items: Vec<String> = sources
        .iter()
        .map(|s| format!("{}@{}", s.doc, s.at))
        .collect();
    joined(id, "a source", &items, "|")?;
    Ok(items)
}

/// The free attributes used, sorted by name.
fn attr_columns<'a>(attrs: impl Iterator<Item = &'a crate::model::Attrs>) -> Vec<String> {
    let names: BTreeSet<&String> = attrs.flat_map(|a| a.keys()).collect();
    names.into_iter().cloned().collect()
}

const NODE_HEADER: [&str; 10] = [
    "id", "kind", "name", "start", "end", "aliases", "summary", "stance", "sources", "note",
];
const EDGE_HEADER: [&str; 7] = [
    "from", "relation", "to", "date", "stance", "note", "sources",
];

/// An `end` cell: the date, `ongoing`, or empty for unknown (what the loader reads back).
fn end_cell(end: crate::model::End) -> String {
    match end {
        crate::model::End::Unknown => String::new(),
        known => known.to_string(),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The view in policygraph's CSV interchange format. Free attributes become extra
/// columns (sorted by name), each named `attrs.<name>` ([`crate::attr_name`]), so an
/// attribute called `id` or `note` is not taken for the field; loading the files back
/// gives the same graph.
pub fn to_csv(g: &PolicyGraph, view: &View) -> Result<CsvFiles, CsvError> {
    let node_attrs = attr_columns(view.nodes.iter().map(|&n| &g.node(n).attrs));
    let mut w = writer();
    let header: Vec<String> = NODE_HEADER
        .iter()
        .map(|s| (*s).to_string())
        .chain(node_attrs.iter().map(|a| crate::attr_name::column(a)))
        .collect();
    guarded_row(&mut w, &header);
    for &n in &view.nodes {
        let node = g.node(n);
        let mut cells = vec![
            node.id.clone(),
            node.kind.to_string(),
            node.name.clone(),
            opt(node.start),
            end_cell(node.end),
            joined(&node.id, "an alias", &node.aliases, "|")?,
            node.summary.as_deref().unwrap_or_default().to_string(),
            opt(node.stance),
            source_list(&node.id, &node.sources)?.join("|"),
            node.note.as_deref().unwrap_or_default().to_string(),
        ];
        cells.extend(
            node_attrs
                .iter()
                .map(|k| node.attrs.get(k).map(|v| typed(v).1).unwrap_or_default()),
        );
        guarded_row(&mut w, &cells);
    }
    let nodes = finish(w);

    let edge_attrs = attr_columns(view.edges.iter().map(|&e| g.edge(e).attrs()));
    let mut w = writer();
    let header: Vec<String> = EDGE_HEADER
        .iter()
        .map(|s| (*s).to_string())
        .chain(edge_attrs.iter().map(|a| crate::attr_name::column(a)))
        .collect();
    guarded_row(&mut w, &header);
    for &e in &view.edges {
        let edge = g.edge(e);
        let (a, b) = g.endpoints(e);
        let id = format!("{} {} {}", g.node(a).id, edge.relation, g.node(b).id);
        let mut cells = vec![
            g.node(a).id.clone(),
            edge.relation.to_string(),
            g.node(b).id.clone(),
            opt(edge.date),
            opt(edge.stance),
            edge.note().unwrap_or_default().to_string(),
            source_list(&id, edge.sources())?.join("|"),
        ];
        cells.extend(
            edge_attrs
                .iter()
                .map(|k| edge.attrs().get(k).map(|v| typed(v).1).unwrap_or_default()),
        );
        guarded_row(&mut w, &cells);
    }
    Ok(CsvFiles {
        nodes,
        edges: finish(w),
    })
}

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

/// The Neo4j relationship type of a relation: `ESTABLISHED_BY`, `REPLACED`, ...
pub fn rel_type(relation: Relation) -> &'static str {
    match relation {
        Relation::EstablishedBy => "ESTABLISHED_BY",
        Relation::Replaced => "REPLACED",
        Relation::EvaluatedBy => "EVALUATED_BY",
        Relation::Cites => "CITES",
        Relation::PublishedBy => "PUBLISHED_BY",
    }
}

/// The view as `neo4j-admin database import` CSV: `id:ID` and `:LABEL` (always
/// `PolicyNode` plus the kind) for nodes, `:START_ID`, `:TYPE` and `:END_ID` for
/// relationships, lists as `string[]` separated by `;` (Neo4j's default).
pub fn to_neo4j_csv(g: &PolicyGraph, view: &View) -> Result<CsvFiles, CsvError> {
    let mut w = writer();
    let header = [
        "id:ID",
        ":LABEL",
        "name",
        "start",
        "end",
        "aliases:string[]",
        "summary",
        "stance",
        "sources:string[]",
        "note",
    ];
    row(&mut w, &header.map(String::from));
    for &n in &view.nodes {
        let node = g.node(n);
        if let Some(bad) = node
            .aliases
            .iter()
            .chain(node.sources.iter().map(|s| &s.at))
            .find(|a| a.contains(';'))
        {
            return Err(CsvError {
                id: node.id.clone(),
                what: "a list item",
                value: bad.replace('|', "/"),
            });
        }
        row(
            &mut w,
            &[
                node.id.clone(),
                format!("PolicyNode;{}", label(node.kind)),
                node.name.clone(),
                opt(node.start),
                end_cell(node.end),
                node.aliases.join(";"),
                node.summary.as_deref().unwrap_or_default().to_string(),
                opt(node.stance),
                node.sources
                    .iter()
                    .map(|s| format!("{}@{}", s.doc, s.at))
                    .collect::<Vec<_>>()
                    .join(";"),
                node.note.as_deref().unwrap_or_default().to_string(),
            ],
        );
    }
    let nodes = finish(w);
    let mut w = writer();
    let header = [
        ":START_ID",
        ":TYPE",
        ":END_ID",
        "date",
        "stance",
        "note",
        "sources:string[]",
    ];
    row(&mut w, &header.map(String::from));
    for &e in &view.edges {
        let edge = g.edge(e);
        let (a, b) = g.endpoints(e);
        row(
            &mut w,
            &[
                g.node(a).id.clone(),
                rel_type(edge.relation).to_string(),
                g.node(b).id.clone(),
                opt(edge.date),
                opt(edge.stance),
                edge.note().unwrap_or_default().to_string(),
                edge.sources()
                    .iter()
                    .map(|s| format!("{}@{}", s.doc, s.at))
                    .collect::<Vec<_>>()
                    .join(";"),
            ],
        );
    }
    Ok(CsvFiles {
        nodes,
        edges: finish(w),
    })
}
