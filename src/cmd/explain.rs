//! `explain A B`: the shortest connection between two nodes told as sentences, each hop
//! with its citations. The same search as `path`; `path --narrate` shows both.

use super::path::{find, hops};
use super::{Context, Failure, FilterArgs, subgraph, write_json};
use crate::query::narrate::narrate;
use crate::query::path::Options;
use serde::Serialize;
use std::io::Write;

/// Options of `explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the story starts (id, alias or name)
    #[arg(value_name = "A")]
    pub from: String,

    /// Where it ends (id, alias or name)
    #[arg(value_name = "B")]
    pub to: String,

    /// Relations and kinds the story may use
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Follow edges only as written, FROM to TO
    #[arg(long)]
    pub directed: bool,
}

#[derive(Serialize)]
struct Answer<'a> {
    narrative: String,
    path: Vec<&'a str>,
    hops: Vec<super::path::JsonHop<'a>>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `explain`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let opened = ctx.open_for_query()?;
    let g = &opened.graph;
    let options = Options {
        filter: args.filter.filter(),
        directed: args.directed,
    };
    let path = find(ctx, g, &args.from, &args.to, &options)?;
    let narrative = narrate(g, &path);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if ctx.json() {
        let (nodes, edges) = subgraph(
            g,
            path.nodes.iter().copied(),
            path.hops.iter().map(|h| h.edge),
        );
        let answer = Answer {
            narrative,
            path: path.nodes.iter().map(|&n| g.node(n).id.as_str()).collect(),
            hops: hops(g, &path),
            nodes,
            edges,
        };
        write_json(&mut out, &answer)?;
    } else {
        writeln!(out, "{narrative}")?;
    }
    out.flush()?;
    Ok(())
}
