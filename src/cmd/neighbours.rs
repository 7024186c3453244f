//! `neighbours NODE --depth N`: the ego network, every node within N hops (either way
//! along each edge), grouped by distance, each with the edges that join it to the nodes
//! one hop nearer, read with "this" for the node (`better-care-fund reformed-by this`).
//!
//! Cost: loads and checks the collection, then a breadth-first search bounded by depth.

use super::args::FilterArgs;
use super::print::{Format, named, subgraph, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::query::neighbours::neighbours;
use crate::query::timeline::dates;
use serde::Serialize;
use std::collections::BTreeMap;

/// Options of `neighbours`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The centre: an id, alias or name (case-insensitive)
    #[arg(value_name = "NODE")]
    pub node: String,

    /// How many hops out
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub depth: usize,

    /// Relations and kinds to follow
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Serialize)]
struct Answer<'a> {
    centre: &'a str,
    depth: usize,
    distances: BTreeMap<&'a str, usize>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `neighbours`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let centre = ctx.resolve(g, &args.node)?;
    let ego = neighbours(g, centre, args.depth, &args.filter.filter());
    to_stdout(|out| {
        if format == Format::Json {
            let (nodes, edges) = subgraph(
                g,
                ego.nodes.iter().map(|&(n, _)| n),
                ego.edges.iter().copied(),
            );
            let answer = Answer {
                centre: g.node(centre).id(),
                depth: args.depth,
                distances: ego
                    .nodes
                    .iter()
                    .map(|&(n, d)| (g.node(n).id(), d))
                    .collect(),
                nodes,
                edges,
            };
            write_json(out, &answer)?;
        } else {
            writeln!(
                out,
                "{}: {} node{} within {} hop{}, {} edge{}",
                named(g, centre),
                ego.nodes.len() - 1,
                if ego.nodes.len() == 2 { "" } else { "s" },
                args.depth,
                if args.depth == 1 { "" } else { "s" },
                ego.edges.len(),
                if ego.edges.len() == 1 { "" } else { "s" }
            )?;
            let links = crate::query::neighbours::links(g, &ego);
            let mut table = super::table::Table::new();
            for &(n, d) in ego.nodes.iter().skip(1) {
                let node = g.node(n);
                // How it is linked to the nodes one hop nearer, read as a sentence with
                // "this" for the row's node: `better-care-fund reformed-by this`,
                // `this replaced primary-care-trusts`.
                let how: Vec<String> = links
                    .get(&n)
                    .into_iter()
                    .flatten()
                    .map(|l| {
                        let relation = g.edge(l.edge).relation;
                        let nearer = g.node(l.nearer).id();
                        if l.outward {
                            format!("{nearer} {relation} this")
                        } else {
                            format!("this {relation} {nearer}")
                        }
                    })
                    .collect();
                table.row([
                    d.to_string(),
                    node.kind.to_string(),
                    dates(node).unwrap_or_default(),
                    named(g, n),
                    how.join(", "),
                ]);
            }
            table.write(out, "  ")?;
        }
        Ok(())
    })
}
