//! `lineage NODE`: what the node replaced and what replaced it, transitively, in time
//! order, each with its dates and what established it.
//!
//! Cost: loads and checks the collection, then visits only the lineage.

use super::print::{Format, named, pad, subgraph, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::Relation;
use crate::query::lineage::{Lineage, Way, lineage};
use crate::query::timeline::dates;
use clap::ValueEnum;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

/// Options of `lineage`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The node: an id, alias or name (case-insensitive)
    #[arg(value_name = "NODE")]
    pub node: String,

    /// Which way to follow `replaced`
    #[arg(long, value_enum, default_value_t = Direction::Both)]
    pub direction: Direction,
}

/// Which way to walk the lineage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Direction {
    /// Predecessors: what the node replaced, and what those replaced
    Back,
    /// Successors: what replaced the node, and what replaced those
    Forward,
    /// Both
    Both,
}

#[derive(Serialize)]
struct Member<'a> {
    id: &'a str,
    role: &'static str,
    distance: usize,
    established_by: Vec<&'a str>,
    /// Later laws or plans that reformed it (`reformed-by`).
    reformed_by: Vec<&'a str>,
    replaced: Vec<&'a str>,
}

#[derive(Serialize)]
struct Answer<'a> {
    root: &'a str,
    predecessors: Vec<&'a str>,
    successors: Vec<&'a str>,
    members: Vec<Member<'a>>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `lineage`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let root = ctx.resolve(g, &args.node)?;
    let way = match args.direction {
        Direction::Back => Way::Back,
        Direction::Forward => Way::Forward,
        Direction::Both => Way::Both,
    };
    let l = lineage(g, root, way);
    to_stdout(|out| {
        if format == Format::Json {
            write_json(out, &answer(g, &l))?;
        } else {
            write_text(out, g, &l)?;
        }
        Ok(())
    })
}

/// Each member's role and distance, and the members it replaced: computed once, so a
/// lineage of thousands prints in linear time.
struct Roles<'a> {
    role: HashMap<NodeIndex, (&'static str, usize)>,
    replaced: HashMap<NodeIndex, Vec<&'a str>>,
}

impl<'a> Roles<'a> {
    fn new(g: &'a PolicyGraph, l: &Lineage) -> Self {
        let mut role = HashMap::from([(l.root, ("root", 0))]);
        role.extend(
            l.predecessors
                .iter()
                .map(|s| (s.node, ("predecessor", s.distance))),
        );
        role.extend(
            l.successors
                .iter()
                .map(|s| (s.node, ("successor", s.distance))),
        );
        let mut replaced: HashMap<NodeIndex, Vec<&'a str>> = HashMap::new();
        for &e in &l.replaced_edges {
            let (a, b) = g.endpoints(e);
            replaced.entry(a).or_default().push(g.node(b).id.as_str());
        }
        Roles { role, replaced }
    }

    fn role(&self, n: NodeIndex) -> (&'static str, usize) {
        self.role.get(&n).copied().unwrap_or(("successor", 0))
    }

    fn replaced(&self, n: NodeIndex) -> Vec<&'a str> {
        self.replaced.get(&n).cloned().unwrap_or_default()
    }
}

fn answer<'a>(g: &'a PolicyGraph, l: &Lineage) -> Answer<'a> {
    let roles = Roles::new(g, l);
    let ends = |edges: &[EdgeIndex], r: Relation| -> Vec<&'a str> {
        edges
            .iter()
            .filter(|&&e| g.edge(e).relation == r)
            .map(|&e| g.node(g.endpoints(e).1).id.as_str())
            .collect()
    };
    let members = l
        .established_by
        .iter()
        .map(|(n, est)| {
            let (role, distance) = roles.role(*n);
            Member {
                id: &g.node(*n).id,
                role,
                distance,
                established_by: ends(est, Relation::EstablishedBy),
                reformed_by: ends(est, Relation::ReformedBy),
                replaced: roles.replaced(*n),
            }
        })
        .collect();
    let edges = l
        .replaced_edges
        .iter()
        .chain(l.established_by.iter().flat_map(|(_, est)| est.iter()))
        .copied();
    let (nodes, edges) = subgraph(g, l.in_time_order(g), edges);
    Answer {
        root: &g.node(l.root).id,
        predecessors: l
            .predecessors
            .iter()
            .map(|s| g.node(s.node).id.as_str())
            .collect(),
        successors: l
            .successors
            .iter()
            .map(|s| g.node(s.node).id.as_str())
            .collect(),
        members,
        nodes,
        edges,
    }
}

fn write_text(out: &mut dyn Write, g: &PolicyGraph, l: &Lineage) -> std::io::Result<()> {
    let roles = Roles::new(g, l);
    let count = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "Lineage of {}: {}, {}",
        named(g, l.root),
        count(l.predecessors.len(), "predecessor"),
        count(l.successors.len(), "successor")
    )?;
    let width = l
        .in_time_order(g)
        .iter()
        .map(|&n| dates(g.node(n)).unwrap_or_default().chars().count())
        .max()
        .unwrap_or(0);
    for (n, est) in &l.established_by {
        let node = g.node(*n);
        let (role, distance) = roles.role(*n);
        let marker = if *n == l.root { "▶" } else { " " };
        let place = match role {
            "root" => String::new(),
            r => format!("  [{r}, {}]", count(distance, "step")),
        };
        writeln!(
            out,
            "{marker} {}  {}{place}",
            pad(&dates(node).unwrap_or_default(), width),
            named(g, *n)
        )?;
        let indent = " ".repeat(width + 4);
        let replaced = roles.replaced(*n);
        if !replaced.is_empty() {
            let names: Vec<String> = replaced
                .iter()
                .filter_map(|id| g.get(id))
                .map(|x| g.node(x).name.clone())
                .collect();
            writeln!(out, "{indent}replaced {}", names.join(" and "))?;
        }
        for &e in est {
            let to = g.endpoints(e).1;
            let year = g
                .node(to)
                .start
                .map(|d| format!(", {}", d.year_part()))
                .unwrap_or_default();
            let verb = if g.edge(e).relation == Relation::ReformedBy {
                "reformed"
            } else {
                "established"
            };
            writeln!(
                out,
                "{indent}{verb} by {} ({}{year})",
                g.node(to).name,
                g.node(to).id
            )?;
        }
    }
    Ok(())
}
