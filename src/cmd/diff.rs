//! `diff Y1 Y2`: what was created, what ended and what replaced what between two years,
//! and what carried on.
//!
//! Cost: loads and checks the collection, then one pass over nodes and edges.

use super::args::parse_year;
use super::print::{Format, named, node_table, subgraph, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::model::NodeKind;
use crate::query::timeline::diff;
use serde::Serialize;

/// Options of `diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier year
    #[arg(value_name = "Y1", value_parser = parse_year)]
    pub from: u16,

    /// The later year
    #[arg(value_name = "Y2", value_parser = parse_year)]
    pub to: u16,

    /// Only nodes of these kinds, comma-separated
    #[arg(long, value_delimiter = ',', value_parser = str::parse::<NodeKind>)]
    pub kinds: Vec<NodeKind>,
}

#[derive(Serialize)]
struct Replacement<'a> {
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct Answer<'a> {
    from: u16,
    to: u16,
    created: Vec<&'a str>,
    ended: Vec<&'a str>,
    continued: Vec<&'a str>,
    /// Started by the first year; the data does not say whether they lasted.
    end_unknown: Vec<&'a str>,
    replaced: Vec<Replacement<'a>>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `diff`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let (y1, y2) = (args.from.min(args.to), args.from.max(args.to));
    let d = diff(g, y1, y2, &args.kinds);
    to_stdout(|out| {
        let ids = |v: &[crate::graph::NodeIndex]| {
            v.iter().map(|&n| g.node(n).id.as_str()).collect::<Vec<_>>()
        };
        if format == Format::Json {
            let (nodes, edges) = subgraph(
                g,
                d.created.iter().chain(&d.ended).copied(),
                d.replaced.iter().copied(),
            );
            let answer = Answer {
                from: y1,
                to: y2,
                created: ids(&d.created),
                ended: ids(&d.ended),
                continued: ids(&d.continued),
                end_unknown: ids(&d.end_unknown),
                replaced: d
                    .replaced
                    .iter()
                    .map(|&e| {
                        let (a, b) = g.endpoints(e);
                        Replacement {
                            from: &g.node(a).id,
                            to: &g.node(b).id,
                        }
                    })
                    .collect(),
                nodes,
                edges,
            };
            write_json(out, &answer)?;
        } else {
            writeln!(out, "from {y1:04} to {y2:04}")?;
            for (title, list) in [("created", &d.created), ("ended", &d.ended)] {
                writeln!(out, "{title} ({})", list.len())?;
                node_table(out, g, list)?;
            }
            writeln!(out, "replaced ({})", d.replaced.len())?;
            for &e in &d.replaced {
                let (a, b) = g.endpoints(e);
                writeln!(out, "  {} replaced {}", named(g, a), named(g, b))?;
            }
            writeln!(out, "continued ({})", d.continued.len())?;
            if !d.end_unknown.is_empty() {
                writeln!(
                    out,
                    "end not recorded ({}): started by {y1}; whether still running in {y2} is unknown",
                    d.end_unknown.len()
                )?;
                node_table(out, g, &d.end_unknown)?;
            }
        }
        Ok(())
    })
}
