//! `diff Y1 Y2`: what was created, what ended and what replaced what between two years,
//! and what carried on; with `--evidence`, the judgements that became known between them.
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

    /// Instead, the evidence: the judgements known by Y2 that were not known by Y1
    /// (their documents published in between), as `critiques --known-by` tells them
    #[arg(long, conflicts_with = "kinds")]
    pub evidence: bool,

    /// With --evidence, only judgements of this initiative, body or law
    #[arg(long, value_name = "NODE", requires = "evidence")]
    pub about: Option<String>,
}

#[derive(Serialize)]
struct Judgement<'a> {
    subject: &'a str,
    finding: Option<&'a str>,
    stance: Option<crate::model::Stance>,
    document: Option<&'a str>,
    year: Option<u16>,
}

#[derive(Serialize)]
struct EvidenceAnswer<'a> {
    from: u16,
    to: u16,
    judgements: Vec<Judgement<'a>>,
}

/// `diff Y1 Y2 --evidence`: the judgements that became known between the two years.
fn evidence(ctx: &Context, args: &Args, format: Format, y1: u16, y2: u16) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let about = args
        .about
        .as_deref()
        .map(|n| ctx.resolve(g, n))
        .transpose()?;
    let rows = crate::query::known::judgements_between(g, y1, y2, about);
    to_stdout(|out| {
        if format == Format::Json {
            let id = |n| g.node(n).id();
            let judgements = rows
                .iter()
                .map(|r| Judgement {
                    subject: id(r.subject),
                    finding: r.finding.map(id),
                    stance: r.stance,
                    document: r.document.map(id),
                    year: r.year,
                })
                .collect();
            write_json(
                out,
                &EvidenceAnswer {
                    from: y1,
                    to: y2,
                    judgements,
                },
            )?;
        } else {
            let n = rows.len();
            writeln!(
                out,
                "{n} judgement{} known by {y2:04} that {} not known by {y1:04}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "was" } else { "were" }
            )?;
            if n > 0 {
                writeln!(out)?;
                super::critiques::write_text(out, g, &rows)?;
            }
        }
        Ok(())
    })
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
    let (y1, y2) = (args.from.min(args.to), args.from.max(args.to));
    if args.evidence {
        return evidence(ctx, args, format, y1, y2);
    }
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let d = diff(g, y1, y2, &args.kinds);
    to_stdout(|out| {
        let ids =
            |v: &[crate::graph::NodeIndex]| v.iter().map(|&n| g.node(n).id()).collect::<Vec<_>>();
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
                            from: g.node(a).id(),
                            to: g.node(b).id(),
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
