//! `explain A B`: the shortest connection between two nodes told as sentences, each hop
//! with its citations. The same search as `path`; `path --narrate` shows both.

use super::path::{find, hops};
use super::print::{Format, subgraph, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::query::bibliography::Bibliography;
use crate::query::narrate::{narrate, sources};
use serde::Serialize;

/// Options of `explain`: the same ends and route options as `path`, and the citation
/// style.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The two ends and how the path may go
    #[command(flatten)]
    pub between: super::path::Between,

    /// The citation style
    #[command(flatten)]
    pub style: super::args::StyleArgs,
}

#[derive(Serialize)]
struct Answer<'a> {
    narrative: String,
    path: Vec<&'a str>,
    hops: Vec<super::path::JsonHop<'a>>,
    /// Every hop is a `cites` edge.
    only_citations: bool,
    /// The documents a path as short or shorter passes through only by citing both
    /// neighbours, left out unless `--through-citing`.
    routed_around: Vec<&'a str>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `explain`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let options = args.between.options(ctx, g)?;
    let path = find(ctx, g, &args.between.from, &args.between.to, &options)?;
    let caveats = super::path::Caveats::of(g, &path, &options);
    let bib = Bibliography::citing_sources(g, args.style.style(), sources(g, &path));
    let narrative = narrate(g, &bib, &path);
    to_stdout(|out| {
        if format == Format::Json {
            let (nodes, edges) = subgraph(
                g,
                path.nodes.iter().copied(),
                path.hops.iter().map(|h| h.edge),
            );
            let answer = Answer {
                narrative,
                path: path.nodes.iter().map(|&n| g.node(n).id()).collect(),
                hops: hops(g, &path),
                only_citations: caveats.only_citations,
                routed_around: caveats
                    .routed_around
                    .iter()
                    .map(|&n| g.node(n).id())
                    .collect(),
                nodes,
                edges,
            };
            write_json(out, &answer)?;
        } else {
            writeln!(out, "{narrative}")?;
            caveats.write(out, g)?;
        }
        Ok(())
    })
}
