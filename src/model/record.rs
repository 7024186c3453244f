//! The records a collection is made of, as loaded from TOML or CSV, with the location
//! of every value a later check may need to point at.

use super::{NodeKind, PartialDate, Relation, Stance};
use crate::diag::Loc;
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
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Stable kebab-case identifier.
    pub id: String,
    /// What the node is.
    pub kind: NodeKind,
    /// Display name.
    pub name: String,
    /// Other names it is known by (abbreviations, former names).
    pub aliases: Vec<String>,
    /// When it began (for documents: when published).
    pub start: Option<PartialDate>,
    /// When it ended, if it has.
    pub end: Option<PartialDate>,
    /// One or two sentences in our own words.
    pub summary: Option<String>,
    /// For findings: the direction of the judgement.
    pub stance: Option<Stance>,
    /// A remark, e.g. where a seed and the public record disagree.
    pub note: Option<String>,
    /// Provenance.
    pub sources: Vec<Source>,
    /// Free attributes (the `attrs` table, or extra CSV columns).
    pub attrs: Attrs,
    /// Where the node and its checked values are written.
    pub loc: NodeLoc,
}

/// Locations of a node's values.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeLoc {
    /// The node as a whole (its table header or CSV row).
    pub whole: Loc,
    /// The `id` value.
    pub id: Loc,
    /// The `start` value, when present.
    pub start: Option<Loc>,
    /// The `end` value, when present.
    pub end: Option<Loc>,
}

/// One typed edge, read as a sentence: `from` `relation` `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The id (or alias or name, until resolved) of the FROM node.
    pub from: String,
    /// The relation.
    pub relation: Relation,
    /// The id of the TO node.
    pub to: String,
    /// When the relation took effect, when it differs from the nodes' own dates.
    pub date: Option<PartialDate>,
    /// For `evaluated-by`: the direction of the judgement.
    pub stance: Option<Stance>,
    /// A remark.
    pub note: Option<String>,
    /// Provenance.
    pub sources: Vec<Source>,
    /// Free attributes.
    pub attrs: Attrs,
    /// Where the edge and its values are written.
    pub loc: EdgeLoc,
}

/// Locations of an edge's values.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeLoc {
    /// The edge as a whole.
    pub whole: Loc,
    /// The `from` value.
    pub from: Loc,
    /// The `relation` value.
    pub relation: Loc,
    /// The `to` value.
    pub to: Loc,
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

/// Everything loaded from a `--data` path, before it becomes a graph.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    /// Nodes in load order (files sorted by path, records in file order).
    pub nodes: Vec<Node>,
    /// Edges in load order.
    pub edges: Vec<Edge>,
    /// Eras in load order.
    pub eras: Vec<Era>,
    /// Ids of nodes that were written but rejected for a field error. References to them
    /// are not reported again as unknown: the first error already says what to fix.
    pub rejected_ids: HashSet<String>,
    /// True when a whole file was skipped (syntax or encoding error), so unknown-node
    /// errors can say the id may be defined there.
    pub skipped_files: bool,
}
