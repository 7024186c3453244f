//! `stats`: counts by kind and relation; the most cited documents; the most evaluated
//! initiatives with their balance of stances; degree and betweenness centrality; and
//! layering, the number of initiatives active each year and which overlapped longest.
//!
//! Cost: loads and checks the collection; betweenness is O(nodes × edges) and is
//! skipped above 20,000 nodes; overlapping pairs are skipped above 2,000 initiatives.

use super::{Context, Failure, named, subgraph, write_json};
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::query::stats::{Balance, Counts, Stats, stats};
use serde::Serialize;
use std::io::Write;

/// Options of `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many entries in each ranking
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

#[derive(Serialize)]
struct Ranked<'a, T: Serialize> {
    id: &'a str,
    #[serde(flatten)]
    value: T,
}

#[derive(Serialize)]
struct Count {
    count: usize,
}

#[derive(Serialize)]
struct Evaluated<'a> {
    total: usize,
    #[serde(flatten)]
    balance: &'a Balance,
}

#[derive(Serialize)]
struct Score {
    score: f64,
}

#[derive(Serialize)]
struct Year<'a> {
    year: u16,
    /// Initiatives known to be running.
    count: usize,
    ids: Vec<&'a str>,
    /// Started earlier, end not recorded: not counted.
    end_unknown: Vec<&'a str>,
}

#[derive(Serialize)]
struct Overlap<'a> {
    a: &'a str,
    b: &'a str,
    years: u16,
}

#[derive(Serialize)]
struct Peak {
    years: Vec<u16>,
    count: usize,
}

#[derive(Serialize)]
struct LayeringJson<'a> {
    peak: Peak,
    years: Vec<Year<'a>>,
    overlaps: Option<Vec<Overlap<'a>>>,
}

#[derive(Serialize)]
struct Answer<'a> {
    counts: &'a Counts,
    most_cited: Vec<Ranked<'a, Count>>,
    most_evaluated: Vec<Ranked<'a, Evaluated<'a>>>,
    degree: Vec<Ranked<'a, Count>>,
    betweenness: Option<Vec<Ranked<'a, Score>>>,
    layering: LayeringJson<'a>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `stats`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let opened = ctx.open_for_query()?;
    let g = &opened.graph;
    let s = stats(g, args.top);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if ctx.json() {
        write_json(&mut out, &answer(g, &s, args.top))?;
    } else {
        write_text(&mut out, g, &s)?;
    }
    out.flush()?;
    Ok(())
}

/// Betweenness scores rounded so JSON is stable across platforms' float formatting.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn answer<'a>(g: &'a PolicyGraph, s: &'a Stats, top: usize) -> Answer<'a> {
    let id = |n: NodeIndex| g.node(n).id.as_str();
    let count = |v: &'a [(NodeIndex, usize)]| {
        v.iter()
            .map(|&(n, c)| Ranked {
                id: id(n),
                value: Count { count: c },
            })
            .collect()
    };
    let (peak_years, peak) = s.layering.peak();
    let mentioned: Vec<NodeIndex> = s
        .most_cited
        .iter()
        .map(|x| x.0)
        .chain(s.most_evaluated.iter().map(|x| x.0))
        .chain(s.degree.iter().map(|x| x.0))
        .chain(s.betweenness.iter().flatten().map(|x| x.0))
        .collect();
    let (nodes, edges) = subgraph(g, mentioned, Vec::new());
    Answer {
        counts: &s.counts,
        most_cited: count(&s.most_cited),
        most_evaluated: s
            .most_evaluated
            .iter()
            .map(|(n, b)| Ranked {
                id: id(*n),
                value: Evaluated {
                    total: b.total(),
                    balance: b,
                },
            })
            .collect(),
        degree: count(&s.degree),
        betweenness: s.betweenness.as_ref().map(|v| {
            v.iter()
                .map(|&(n, x)| Ranked {
                    id: id(n),
                    value: Score { score: round(x) },
                })
                .collect()
        }),
        layering: LayeringJson {
            peak: Peak {
                years: peak_years,
                count: peak,
            },
            years: s
                .layering
                .years
                .iter()
                .enumerate()
                .map(|(i, (y, v))| {
                    let unknown: &[NodeIndex] =
                        s.layering.end_unknown.get(i).map_or(&[], |(_, u)| u);
                    Year {
                        year: *y,
                        count: v.len(),
                        ids: v.iter().map(|&n| id(n)).collect(),
                        end_unknown: unknown.iter().map(|&n| id(n)).collect(),
                    }
                })
                .collect(),
            overlaps: s.layering.overlaps.as_ref().map(|v| {
                v.iter()
                    .take(top)
                    .map(|&(a, b, years)| Overlap {
                        a: id(a),
                        b: id(b),
                        years,
                    })
                    .collect()
            }),
        },
        nodes,
        edges,
    }
}

fn write_text(out: &mut dyn Write, g: &PolicyGraph, s: &Stats) -> std::io::Result<()> {
    let c = &s.counts;
    writeln!(out, "{} nodes, {} edges, {} eras", c.nodes, c.edges, c.eras)?;
    let mut t = super::table::Table::new();
    for kind in crate::model::NodeKind::ALL {
        t.row([
            kind.as_str().to_string(),
            c.by_kind[kind.as_str()].to_string(),
        ]);
    }
    writeln!(out, "\nnodes by kind")?;
    t.write(out, "  ")?;
    let mut t = super::table::Table::new();
    for r in crate::model::Relation::ALL {
        t.row([
            r.as_str().to_string(),
            c.by_relation[r.as_str()].to_string(),
        ]);
    }
    writeln!(out, "\nedges by relation")?;
    t.write(out, "  ")?;

    writeln!(out, "\nmost cited documents")?;
    let mut t = super::table::Table::new();
    for &(n, k) in &s.most_cited {
        t.row([k.to_string(), named(g, n)]);
    }
    t.write(out, "  ")?;

    writeln!(
        out,
        "\nmost evaluated (critical/supportive/mixed/neutral/no stance)"
    )?;
    let mut t = super::table::Table::new();
    for (n, b) in &s.most_evaluated {
        t.row([
            b.total().to_string(),
            format!(
                "{}/{}/{}/{}/{}",
                b.critical, b.supportive, b.mixed, b.neutral, b.unstated
            ),
            named(g, *n),
        ]);
    }
    t.write(out, "  ")?;

    writeln!(out, "\nhighest degree (edges in and out)")?;
    let mut t = super::table::Table::new();
    for &(n, d) in &s.degree {
        t.row([d.to_string(), named(g, n)]);
    }
    t.write(out, "  ")?;

    match &s.betweenness {
        Some(b) => {
            writeln!(out, "\nhighest betweenness (undirected, normalised)")?;
            let mut t = super::table::Table::new();
            for &(n, x) in b {
                t.row([format!("{x:.3}"), named(g, n)]);
            }
            t.write(out, "  ")?;
        }
        None => writeln!(
            out,
            "\nbetweenness skipped: more than {} nodes",
            crate::query::stats::BETWEENNESS_MAX_NODES
        )?,
    }

    let (peak_years, peak) = s.layering.peak();
    if !s.layering.years.is_empty() {
        let years: Vec<String> = peak_years.iter().map(u16::to_string).collect();
        writeln!(
            out,
            "\nlayering: initiatives active per year (peak {peak} in {})",
            years.join(", ")
        )?;
        writeln!(
            out,
            "  (█ known to be running; ░ started earlier, end not recorded: not counted)"
        )?;
        for (i, (y, v)) in s.layering.years.iter().enumerate() {
            let unknown = s.layering.end_unknown.get(i).map_or(0, |(_, u)| u.len());
            writeln!(
                out,
                "  {y} {:>3} {}{}",
                v.len(),
                "█".repeat(v.len()),
                "░".repeat(unknown)
            )?;
        }
        if let Some(overlaps) = &s.layering.overlaps {
            writeln!(out, "\nlongest overlapping initiatives (years together)")?;
            let mut t = super::table::Table::new();
            for &(a, b, years) in overlaps.iter().take(s.most_cited.len().max(10)) {
                t.row([
                    years.to_string(),
                    format!("{} and {}", g.node(a).name, g.node(b).name),
                ]);
            }
            t.write(out, "  ")?;
        }
    }
    Ok(())
}
