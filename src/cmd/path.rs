//! `path A B`: the shortest connection between two nodes, each hop with its relation and
//! the direction it was walked; `--all` lists every simple path up to `--max-len` hops;
//! `--narrate` tells the path as sentences with citations.
//!
//! Cost: loads and checks the collection; breadth-first search is linear in the graph.
//! `--all` streams paths as it finds them and stops at `--limit` paths, when no longer
//! path can exist, or after `--max-steps` edges looked at: then it says so and exits 1
//! (the paths printed are real, but the list may be incomplete).

use super::args::{FilterArgs, parse_limit};
use super::print::{Format, named, pad, subgraph, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::query::Walk;
use crate::query::bibliography::Bibliography;
use crate::query::narrate::narrate;
use crate::query::path::{
    Options, Path, Stopped, all_simple, citing_hubs, only_citations, shortest,
};
use serde::Serialize;
use std::io::Write;

/// The default `--max-steps`: about a second of searching in a release build.
pub const MAX_STEPS: usize = 10_000_000;

/// Options of `path`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The two ends and how the path may go
    #[command(flatten)]
    pub between: Between,

    /// List every simple path up to --max-len hops, shortest first
    #[arg(long)]
    pub all: bool,

    /// Longest path listed by --all, in hops
    #[arg(long, value_name = "N", default_value_t = 4, requires = "all")]
    pub max_len: usize,

    /// Most paths listed by --all (at least 1)
    #[arg(long, value_name = "N", default_value_t = 50, requires = "all", value_parser = parse_limit)]
    pub limit: usize,

    /// Most edges --all looks at before it stops and says so (exit 1)
    #[arg(long, value_name = "N", default_value_t = MAX_STEPS, requires = "all", value_parser = parse_limit)]
    pub max_steps: usize,

    /// Tell the path as sentences with citations
    #[arg(long)]
    pub narrate: bool,

    /// The citation style of --narrate
    #[command(flatten)]
    pub style: super::args::StyleArgs,
}

/// The two ends of a connection and how it may go: shared by `path` and `explain`.
#[derive(Debug, clap::Args)]
pub struct Between {
    /// Where the path starts (id, alias or name)
    #[arg(value_name = "A")]
    pub from: String,

    /// Where it ends (id, alias or name)
    #[arg(value_name = "B")]
    pub to: String,

    /// Relations and kinds the path may use
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Follow edges only as written, FROM to TO
    #[arg(long)]
    pub directed: bool,

    /// Never pass through this node (id, alias or name); repeat for several
    #[arg(long, value_name = "NODE")]
    pub avoid: Vec<String>,

    /// Allow passing through a document that merely cites both its neighbours on the
    /// path (cites, reports or makes both: X ← cites D → cites Y), which by default the
    /// path routes around
    #[arg(long)]
    pub through_citing: bool,
}

impl Between {
    /// The search options these arguments ask for, `--avoid` resolved in `g`.
    pub fn options(&self, ctx: &Context, g: &PolicyGraph) -> Result<Options, Failure> {
        Ok(Options {
            filter: self.filter.filter(),
            directed: self.directed,
            avoid: (self.avoid.iter())
                .map(|n| ctx.resolve(g, n))
                .collect::<Result<_, _>>()?,
            through_citing: self.through_citing,
        })
    }
}

/// What the search left out, or what the path is made of, that the reader should know:
/// a path as short or shorter through a document that merely cites both its neighbours
/// on it, and a path made only of citations. Each sentence is recomputed in
/// `tests/evidence.rs`.
pub(crate) struct Caveats {
    /// The documents that the shortest path with `--through-citing` passes through only
    /// by citing, when it is no longer than the path found.
    pub routed_around: Vec<NodeIndex>,
    /// That path's length in hops.
    pub routed_around_hops: usize,
    /// Every hop is a `cites` edge.
    pub only_citations: bool,
}

impl Caveats {
    /// The caveats of `path`, found with `options`.
    pub fn of(g: &PolicyGraph, path: &Path, options: &Options) -> Caveats {
        let (a, b) = (path.nodes[0], *path.nodes.last().unwrap_or(&path.nodes[0]));
        let free = Options {
            through_citing: true,
            ..options.clone()
        };
        let other = (!options.through_citing)
            .then(|| shortest(g, a, b, &free))
            .flatten()
            .filter(|p| p.hops.len() <= path.hops.len());
        Caveats {
            routed_around: other
                .as_ref()
                .map(|p| citing_hubs(g, p))
                .unwrap_or_default(),
            routed_around_hops: other.map_or(0, |p| p.hops.len()),
            only_citations: only_citations(g, path),
        }
    }

    /// The caveats as sentences, one a line.
    pub fn write(&self, out: &mut dyn Write, g: &PolicyGraph) -> std::io::Result<()> {
        if !self.routed_around.is_empty() {
            let names: Vec<String> = self.routed_around.iter().map(|&n| named(g, n)).collect();
            let n = self.routed_around_hops;
            writeln!(
                out,
                "note: a path of {n} hop{} through {}, which merely cites both its neighbours \
                 on it, is left out; --through-citing allows it",
                if n == 1 { "" } else { "s" },
                names.join(" and ")
            )?;
        }
        if self.only_citations {
            writeln!(
                out,
                "note: this path runs only through citations: it shows what cites what, not \
                 that one led to the other"
            )?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
pub(crate) struct JsonHop<'a> {
    from: &'a str,
    relation: crate::model::Relation,
    to: &'a str,
    direction: Walk,
}

#[derive(Serialize)]
struct Answer<'a> {
    path: Vec<&'a str>,
    hops: Vec<JsonHop<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    narrative: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paths: Option<Vec<Vec<&'a str>>>,
    /// Present when `--all` ran out of `--max-steps`: the list may be incomplete.
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped_after_steps: Option<u64>,
    /// Every hop of the shortest path is a `cites` edge.
    only_citations: bool,
    /// The documents a path as short or shorter passes through only by citing both
    /// neighbours, left out unless `--through-citing`.
    routed_around: Vec<&'a str>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

pub(crate) fn hops<'a>(g: &'a PolicyGraph, p: &Path) -> Vec<JsonHop<'a>> {
    p.hops
        .iter()
        .map(|h| JsonHop {
            from: g.node(h.from).id(),
            relation: g.edge(h.edge).relation,
            to: g.node(h.to).id(),
            direction: h.walk,
        })
        .collect()
}

/// Resolves both ends and finds the shortest path, or fails with exit 1 and a message.
pub(crate) fn find(
    ctx: &Context,
    g: &PolicyGraph,
    a: &str,
    b: &str,
    options: &Options,
) -> Result<Path, Failure> {
    let (a, b) = (ctx.resolve(g, a)?, ctx.resolve(g, b)?);
    shortest(g, a, b, options).ok_or_else(|| Failure::NoAnswer {
        message: format!("no path connects {} and {}", named(g, a), named(g, b)),
        help: if options.directed
            || !options.filter.relations.is_empty()
            || !options.filter.kinds.is_empty()
            || !options.avoid.is_empty()
            || !options.through_citing
        {
            "try without --directed, --relations, --kinds or --avoid, or with --through-citing"
                .to_string()
        } else {
            "the two nodes are in separate parts of the graph".to_string()
        },
    })
}

/// Runs `path`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let options = args.between.options(ctx, g)?;
    let path = find(ctx, g, &args.between.from, &args.between.to, &options)?;
    let caveats = Caveats::of(g, &path, &options);
    let mut stopped = None;
    to_stdout(|out| {
        // The paths of --all come one at a time: text prints each as it comes, JSON keeps
        // them (at most --limit) for the document and its subgraph.
        let mut search = args.all.then(|| {
            let (a, b) = (path.nodes[0], *path.nodes.last().unwrap_or(&path.nodes[0]));
            let budget = u64::try_from(args.max_steps).unwrap_or(u64::MAX);
            all_simple(g, a, b, &options, args.max_len, budget).take(args.limit)
        });
        if format == Format::Json {
            let all: Option<Vec<Path>> = search.as_mut().map(|search| {
                search
                    .filter_map(|p| p.map_err(|s| stopped = Some(s)).ok())
                    .collect()
            });
            let ids = |p: &Path| p.nodes.iter().map(|&n| g.node(n).id()).collect::<Vec<_>>();
            let paths: Vec<&Path> = all
                .as_ref()
                .map_or_else(|| vec![&path], |v| v.iter().collect());
            let (nodes, edges) = subgraph(
                g,
                paths.iter().flat_map(|p| p.nodes.iter().copied()),
                paths.iter().flat_map(|p| p.hops.iter().map(|h| h.edge)),
            );
            let answer = Answer {
                path: ids(&path),
                hops: hops(g, &path),
                narrative: args
                    .narrate
                    .then(|| narrate(g, &narration_bib(g, args, &path), &path)),
                paths: all.as_ref().map(|v| v.iter().map(ids).collect()),
                stopped_after_steps: stopped.map(|s| s.steps),
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
            match search {
                Some(search) => {
                    let mut count = 0;
                    for p in search {
                        match p {
                            Ok(p) => {
                                if count > 0 {
                                    writeln!(out)?;
                                }
                                write_path(out, g, &p)?;
                                count += 1;
                            }
                            Err(s) => stopped = Some(s),
                        }
                    }
                    let plural = if count == 1 { "" } else { "s" };
                    let (max, limit) = (args.max_len, args.limit);
                    if stopped.is_some() {
                        writeln!(
                            out,
                            "\n{count} path{plural} of at most {max} hops found before the search stopped"
                        )?;
                    } else if count == limit {
                        writeln!(
                            out,
                            "\n{count} path{plural} of at most {max} hops (--limit {limit}: there may be more)"
                        )?;
                    } else {
                        writeln!(out, "\n{count} path{plural} of at most {max} hops")?;
                    }
                }
                None => {
                    write_path(out, g, &path)?;
                    caveats.write(out, g)?;
                }
            }
            if args.narrate {
                let bib = narration_bib(g, args, &path);
                writeln!(out, "\n{}", narrate(g, &bib, &path))?;
            }
        }
        Ok(())
    })?;
    match stopped {
        Some(s) => Err(stopped_failure(s)),
        None => Ok(()),
    }
}

/// The search of --all ran out of --max-steps: exit 1, saying how far it got.
/// The citations a narrated path needs, in the chosen style.
fn narration_bib(g: &PolicyGraph, args: &Args, path: &Path) -> Bibliography {
    let sources = crate::query::narrate::sources(g, path);
    Bibliography::citing_sources(g, args.style.style(), sources)
}

fn stopped_failure(s: Stopped) -> Failure {
    let shorter = match s.len {
        0 | 1 => String::new(),
        2 => "; every path of 1 hop is listed".to_string(),
        n => format!("; every path of up to {} hops is listed", n - 1),
    };
    Failure::NoAnswer {
        message: format!(
            "the search for every path stopped after {} steps (--max-steps){shorter}",
            s.steps
        ),
        help: "narrow it with a smaller --max-len, or with --relations, --kinds or --directed; \
               or raise --max-steps"
            .to_string(),
    }
}

/// One node per line, each hop shown as `→ relation` (edge as written) or `← relation`
/// (the next node is the edge's FROM).
pub(crate) fn write_path(out: &mut dyn Write, g: &PolicyGraph, p: &Path) -> std::io::Result<()> {
    writeln!(out, "{}", named(g, p.nodes[0]))?;
    let width = p
        .hops
        .iter()
        .map(|h| g.edge(h.edge).relation.as_str().len())
        .max()
        .unwrap_or(0);
    for h in &p.hops {
        let arrow = match h.walk {
            Walk::Forward => "→",
            Walk::Backward => "←",
        };
        writeln!(
            out,
            "  {arrow} {}  {}",
            pad(g.edge(h.edge).relation.as_str(), width),
            named(g, h.to)
        )?;
    }
    Ok(())
}
