//! `explain A B`: the shortest connection between two nodes told as sentences, each hop
//! with its citations. The same search as `path`; `path --narrate` shows both.

use super::path::{find, hops};
use super::{Context, Failure, subgraph, write_json};
use crate::query::narrate::narrate;
use serde::Serialize;
use std::io::Write;

/// Options of `explain`: the same ends and route options as `path`.
pub type Args = super::path::Between;

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
    let options = args.options();
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
