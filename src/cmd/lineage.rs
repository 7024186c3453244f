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
use crate::query::succession::{Event, Type, successions_around};
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
    /// The succession events in which it replaced something (its type, date and
    /// parts), or ended with no successor (a termination).
    successions: Vec<Succession<'a>>,
}

#[derive(Serialize)]
struct Succession<'a> {
    #[serde(rename = "type")]
    kind: Type,
    date: Option<String>,
    before: Vec<&'a str>,
    after: Vec<&'a str>,
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
    /// For each member, the succession events it took part in as the successor, or as
    /// what ended with no successor ([`crate::query::succession`]'s classification).
    /// With each event, the predecessors the member itself replaced in it.
    events: HashMap<NodeIndex, Vec<(Event, Vec<NodeIndex>)>>,
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
            replaced.entry(a).or_default().push(g.node(b).id());
        }
        // Each member's part in the events of the lineage's own replacements: as a
        // successor, the event with only the predecessors it replaced itself; as what
        // ended with no successor, the termination.
        let mut events: HashMap<NodeIndex, Vec<(Event, Vec<NodeIndex>)>> = HashMap::new();
        let members: std::collections::HashSet<NodeIndex> = l.members().collect();
        let own: std::collections::HashSet<EdgeIndex> = l.replaced_edges.iter().copied().collect();
        for event in successions_around(g, l.members()) {
            if event.kind == Type::Termination {
                if let Some(&n) = event.before.first().filter(|n| members.contains(n)) {
                    events
                        .entry(n)
                        .or_default()
                        .push((event.clone(), Vec::new()));
                }
                continue;
            }
            for &n in &event.after {
                let mine: Vec<EdgeIndex> = event
                    .edges
                    .iter()
                    .copied()
                    .filter(|&e| own.contains(&e) && g.endpoints(e).0 == n)
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                let mut before: Vec<NodeIndex> = mine.iter().map(|&e| g.endpoints(e).1).collect();
                crate::query::sort_by_time(g, &mut before);
                events.entry(n).or_default().push((event.clone(), before));
            }
        }
        Roles {
            role,
            replaced,
            events,
        }
    }

    fn events(&self, n: NodeIndex) -> &[(Event, Vec<NodeIndex>)] {
        self.events.get(&n).map_or(&[], Vec::as_slice)
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
            .map(|&e| g.node(g.endpoints(e).1).id())
            .collect()
    };
    let members = l
        .established_by
        .iter()
        .map(|(n, est)| {
            let (role, distance) = roles.role(*n);
            Member {
                id: g.node(*n).id(),
                role,
                distance,
                established_by: ends(est, Relation::EstablishedBy),
                reformed_by: ends(est, Relation::ReformedBy),
                replaced: roles.replaced(*n),
                successions: roles
                    .events(*n)
                    .iter()
                    .map(|(e, _)| Succession {
                        kind: e.kind,
                        date: e.date.map(|d| d.to_string()),
                        before: e.before.iter().map(|&x| g.node(x).id()).collect(),
                        after: e.after.iter().map(|&x| g.node(x).id()).collect(),
                    })
                    .collect(),
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
        root: g.node(l.root).id(),
        predecessors: l.predecessors.iter().map(|s| g.node(s.node).id()).collect(),
        successors: l.successors.iter().map(|s| g.node(s.node).id()).collect(),
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
        // Each replacement with its succession type: the event's predecessors that
        // are in this lineage (a merger's other parts are named too).
        for (e, own) in roles.events(*n) {
            let names = |v: &[NodeIndex]| {
                v.iter()
                    .map(|&x| crate::text::visible(g.node(x).name()).into_owned())
                    .collect::<Vec<_>>()
                    .join(" and ")
            };
            let date = e.date.map(|d| format!(", {d}")).unwrap_or_default();
            if e.kind == Type::Termination {
                writeln!(out, "{indent}ended with no successor (termination{date})")?;
            } else {
                writeln!(out, "{indent}replaced {} ({}{date})", names(own), e.kind)?;
            }
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
                g.node(to).name(),
                g.node(to).id()
            )?;
        }
    }
    Ok(())
}
