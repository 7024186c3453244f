//! `show NODE`: one node, its fields, its edges both ways, and its sources.
//!
//! NODE is an id, alias or name (case-insensitive). Cost: loads and checks the whole
//! collection, then reads one node's edges.

use super::print::{Format, describe, pad, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::json::{self, JsonEdge, JsonNode};
use crate::model::field::{Type, Value};
use crate::model::{AttrValue, Source};
use crate::query::timeline::dates;
use petgraph::Direction;
use serde::Serialize;
use std::io::Write;

/// Options of `show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The node: an id, alias or name (case-insensitive)
    #[arg(value_name = "NODE")]
    pub node: String,
}

#[derive(Serialize)]
struct Shown<'a> {
    node: JsonNode<'a>,
    outgoing: Vec<JsonEdge<'a>>,
    incoming: Vec<JsonEdge<'a>>,
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

/// Runs `show`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let ix = ctx.resolve(g, &args.node)?;
    let outgoing = g.edges_of(ix, Direction::Outgoing);
    let incoming = g.edges_of(ix, Direction::Incoming);
    to_stdout(|out| {
        if format == Format::Json {
            let mut neighbours: Vec<NodeIndex> = outgoing
                .iter()
                .map(|&e| g.endpoints(e).1)
                .chain(incoming.iter().map(|&e| g.endpoints(e).0))
                .filter(|&n| n != ix)
                .collect();
            neighbours.sort_by(|a, b| g.node(*a).id().cmp(g.node(*b).id()));
            neighbours.dedup();
            let shown = Shown {
                node: JsonNode::new(g, ix),
                outgoing: json::edges(g, outgoing.iter().copied()),
                incoming: json::edges(g, incoming.iter().copied()),
                nodes: json::nodes(g, std::iter::once(ix).chain(neighbours)),
                edges: json::edges(g, outgoing.iter().chain(&incoming).copied()),
            };
            write_json(out, &shown)?;
        } else {
            write_text(out, g, ix, &outgoing, &incoming)?;
        }
        Ok(())
    })
}

fn write_text(
    out: &mut dyn Write,
    g: &PolicyGraph,
    ix: NodeIndex,
    outgoing: &[EdgeIndex],
    incoming: &[EdgeIndex],
) -> std::io::Result<()> {
    let n = g.node(ix);
    writeln!(out, "{}", n.name())?;
    // A multi-line value (a summary, a note) continues under its first line, so no line
    // of it can pass for a heading of the output.
    let mut field = |name: &str, value: &str| {
        writeln!(
            out,
            "  {} {}",
            pad(name, 8),
            value.replace('\n', "\n           ")
        )
    };
    // Every field of the table in its order: the dates as one line at `end`, sources
    // as a section of their own below.
    for (f, value) in n.values() {
        match (f.ty, value) {
            (_, None) | (Type::Date | Type::Sources, _) => {}
            (Type::End, _) => {
                if let Some(y) = dates(n) {
                    field("dates", &y)?;
                }
            }
            (_, Some(Value::Attrs(attrs))) => {
                for (k, v) in attrs {
                    let v = match v {
                        AttrValue::String(s) => s.clone(),
                        other => serde_json::to_string(other).unwrap_or_default(),
                    };
                    field("attr", &format!("{k} = {v}"))?;
                }
            }
            (_, Some(v)) => {
                if let Some(text) = v.flat(", ").filter(|t| !t.is_empty()) {
                    field(f.name, &text)?;
                }
            }
        }
    }
    if !n.sources().is_empty() {
        writeln!(out, "sources")?;
        write_sources(out, g, n.sources(), "  ")?;
    }
    if !outgoing.is_empty() {
        writeln!(out, "edges out (this node, relation, other)")?;
        for &e in outgoing {
            write_edge(out, g, e, g.endpoints(e).1)?;
        }
    }
    if !incoming.is_empty() {
        writeln!(out, "edges in (other, relation, this node)")?;
        for &e in incoming {
            write_edge(out, g, e, g.endpoints(e).0)?;
        }
    }
    Ok(())
}

fn write_edge(
    out: &mut dyn Write,
    g: &PolicyGraph,
    e: EdgeIndex,
    other: NodeIndex,
) -> std::io::Result<()> {
    let edge = g.edge(e);
    let mut extra = Vec::new();
    if let Some(s) = edge.stance {
        extra.push(format!("stance {s}"));
    }
    if let Some(d) = edge.date {
        extra.push(format!("in {d}"));
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" [{}]", extra.join(", "))
    };
    writeln!(
        out,
        "  {} {}{extra}",
        pad(edge.relation.as_str(), 14),
        describe(g, other)
    )?;
    if let Some(note) = edge.note() {
        writeln!(out, "    note: {}", note.replace('\n', "\n          "))?;
    }
    write_sources(out, g, edge.sources(), "    ")
}

fn write_sources(
    out: &mut dyn Write,
    g: &PolicyGraph,
    sources: &[Source],
    indent: &str,
) -> std::io::Result<()> {
    for s in sources {
        let title = g.get(&s.doc).map(|d| g.node(d).name()).unwrap_or("?");
        writeln!(out, "{indent}source: {title} [{}], {}", s.doc, s.at)?;
    }
    Ok(())
}
