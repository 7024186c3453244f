//! The JSON contract of SPEC.md: every query prints one object with `nodes` (each with
//! at least id, kind, name, start, end) and `edges` (each with from, relation, to) for
//! the subgraph it is about, plus fields of its own. These are the serialisable shapes;
//! the graph's internals are not the file format.

use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::Node;
use crate::model::field::{Field, SOURCE, Value};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A node as JSON: every field of the field table under its name, in its order; an
/// empty field is left out unless the table says it is always written (`null`, `[]`).
/// `end` is its date and `end_status` says `dated`, `ongoing` or `unknown`.
#[derive(Debug)]
pub struct JsonNode<'a>(&'a Node);

impl<'a> JsonNode<'a> {
    /// The JSON shape of a node of `g`.
    pub fn new(g: &'a PolicyGraph, ix: NodeIndex) -> Self {
        JsonNode(g.node(ix))
    }
}

impl Serialize for JsonNode<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields(s, self.0.values())
    }
}

/// An edge as JSON, the same way; its ends are the resolved node ids, looked up when it
/// is written (an answer may hold hundreds of thousands: 16 bytes each, not 40).
pub struct JsonEdge<'a> {
    g: &'a PolicyGraph,
    e: EdgeIndex,
}

impl std::fmt::Debug for JsonEdge<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (a, b) = self.g.endpoints(self.e);
        f.debug_struct("JsonEdge")
            .field("edge", self.g.edge(self.e))
            .field("from", &self.g.node(a).id())
            .field("to", &self.g.node(b).id())
            .finish()
    }
}

impl<'a> JsonEdge<'a> {
    /// The JSON shape of an edge of `g`.
    pub fn new(g: &'a PolicyGraph, e: EdgeIndex) -> Self {
        JsonEdge { g, e }
    }
}

impl Serialize for JsonEdge<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (a, b) = self.g.endpoints(self.e);
        let (from, to) = (self.g.node(a).id(), self.g.node(b).id());
        fields(s, self.g.edge(self.e).values(from, to))
    }
}

/// A record's fields as one JSON object.
fn fields<'a, S: Serializer>(
    s: S,
    values: impl IntoIterator<Item = (&'static Field, Option<Value<'a>>)>,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    for (field, value) in values {
        let name = field.name;
        match value {
            Some(Value::End(end)) => {
                map.serialize_entry(name, &end.date())?;
                map.serialize_entry(&format!("{name}_status"), end.status())?;
            }
            Some(Value::Text(t)) => map.serialize_entry(name, t)?,
            Some(Value::Date(d)) => map.serialize_entry(name, &d)?,
            Some(Value::Kind(k)) => map.serialize_entry(name, &k)?,
            Some(Value::Relation(r)) => map.serialize_entry(name, &r)?,
            Some(Value::Stance(x)) => map.serialize_entry(name, &x)?,
            Some(v) if v.is_empty() && !field.always => {}
            Some(Value::List(l)) => map.serialize_entry(name, &l)?,
            Some(Value::Sources(list)) => {
                let list: Vec<JsonSource<'_>> = list.iter().map(JsonSource).collect();
                map.serialize_entry(name, &list)?;
            }
            Some(Value::Attrs(a)) => map.serialize_entry(name, a)?,
            None if field.always => map.serialize_entry(name, &None::<()>)?,
            None => {}
        }
    }
    map.end()
}

/// A source as JSON: `{ "doc": ..., "at": ... }`, keys from the field table.
struct JsonSource<'a>(&'a crate::model::Source);

impl Serialize for JsonSource<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let crate::model::Source { doc, at, loc: _ } = self.0;
        let mut map = s.serialize_map(Some(SOURCE.len()))?;
        for (field, value) in SOURCE.iter().zip([doc, at]) {
            map.serialize_entry(field.name, value)?;
        }
        map.end()
    }
}

/// Nodes as JSON, in the order given.
pub fn nodes<'a>(
    g: &'a PolicyGraph,
    ixs: impl IntoIterator<Item = NodeIndex>,
) -> Vec<JsonNode<'a>> {
    ixs.into_iter().map(|ix| JsonNode::new(g, ix)).collect()
}

/// Edges as JSON, in the order given.
pub fn edges<'a>(
    g: &'a PolicyGraph,
    ixs: impl IntoIterator<Item = EdgeIndex>,
) -> Vec<JsonEdge<'a>> {
    ixs.into_iter().map(|e| JsonEdge::new(g, e)).collect()
}
