//! `stats`: counts by kind and relation; the most cited documents; the most evaluated
//! initiatives with their balance of stances; degree and betweenness centrality; and
//! layering, the number of initiatives active each year and which overlapped longest.
//!
//! Cost: loads and checks the collection; betweenness is O(sources × (nodes + edges)),
//! exact while nodes × (nodes + edges) is within a budget (about a second and a half)
//! and otherwise estimated from a seeded random sample of sources that fits it, the
//! output saying so with the error bound; a progress bar shows on a terminal. Overlapping
//! pairs are skipped above 2,000 initiatives.

use super::print::{Format, named, subgraph, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::query::stats::{Balance, Counts, Sample, Stats, stats_with_progress};
use serde::Serialize;
use std::io::Write;

/// Options of `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many entries in each ranking
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// Most steps (nodes and edges visited) betweenness may take: exact within them,
    /// else estimated from as many sampled sources as fit, and said so
    #[arg(long, value_name = "N", default_value_t = crate::query::stats::BETWEENNESS_BUDGET, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_steps: u64,
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
struct SampleJson {
    sources: usize,
    nodes: usize,
    seed: u64,
    error: f64,
    confidence: f64,
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
    /// Present when betweenness was estimated from a sample of sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    betweenness_sample: Option<SampleJson>,
    layering: LayeringJson<'a>,
    /// Succession events by type (every type listed), as `successions` classifies them.
    successions: std::collections::BTreeMap<&'static str, usize>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `stats`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let bar = progress_bar(ctx, g, args.max_steps);
    let s = stats_with_progress(g, args.top, args.max_steps, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    to_stdout(|out| {
        if format == Format::Json {
            write_json(out, &answer(g, &s, args.top))?;
        } else {
            write_text(out, g, &s)?;
        }
        Ok(())
    })
}

/// Graphs whose betweenness visits more than this many nodes and edges get a progress
/// bar (about a tenth of a second of work in a release build).
const PROGRESS_WORK: u64 = 20_000_000;

/// A bar counting the betweenness sources done, on a terminal only (never in piped
/// output), and only when the work is large enough to be seen.
fn progress_bar(ctx: &Context, g: &PolicyGraph, budget: u64) -> indicatif::ProgressBar {
    use crate::query::stats::betweenness_sources;
    let (n, m) = (g.node_count(), g.edge_count());
    let work =
        betweenness_sources(n, m, budget).map_or(0, |k| (k as u64).saturating_mul((n + m) as u64));
    if work < PROGRESS_WORK || !ctx.stderr_terminal {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "betweenness {bar:30} {pos}/{len} sources ({eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Betweenness scores rounded so JSON is stable across platforms' float formatting.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn answer<'a>(g: &'a PolicyGraph, s: &'a Stats, top: usize) -> Answer<'a> {
    let id = |n: NodeIndex| g.node(n).id();
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
        betweenness_sample: s.betweenness_sample.map(|x| SampleJson {
            sources: x.sources,
            nodes: x.nodes,
            seed: x.seed,
            error: round(x.error),
            confidence: x.confidence,
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
        successions: succession_counts(g)
            .into_iter()
            .map(|(t, n)| (t.as_str(), n))
            .collect(),
        nodes,
        edges,
    }
}

/// How many succession events of each type the graph holds.
fn succession_counts(g: &PolicyGraph) -> Vec<(crate::query::succession::Type, usize)> {
    use crate::query::succession::{counts, successions};
    counts(&successions(g))
}

/// How sampled betweenness was estimated, in a line.
fn approximate(sample: &Sample) -> String {
    format!(
        "(approximate: sampled from {} of {} nodes as sources, seed {}; each score within \
         ±{:.3} of the exact one with {:.0}% confidence)",
        sample.sources,
        sample.nodes,
        sample.seed,
        sample.error,
        sample.confidence * 100.0
    )
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
            if let Some(sample) = &s.betweenness_sample {
                writeln!(out, "  {}", approximate(sample))?;
            }
            let mut t = super::table::Table::new();
            for &(n, x) in b {
                t.row([format!("{x:.3}"), named(g, n)]);
            }
            t.write(out, "  ")?;
        }
        None => writeln!(
            out,
            "\nbetweenness skipped: {} nodes and {} edges are too many to sample {} sources \
             within --max-steps",
            c.nodes,
            c.edges,
            crate::query::stats::BETWEENNESS_MIN_SOURCES
        )?,
    }

    let events = succession_counts(g);
    let total: usize = events.iter().map(|(_, n)| n).sum();
    writeln!(
        out,
        "\nsuccession events by type ({total} in all; `successions` lists them)"
    )?;
    let mut t = super::table::Table::new();
    for (kind, n) in events {
        t.row([kind.as_str().to_string(), n.to_string()]);
    }
    t.write(out, "  ")?;

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
                "  {y:04} {:>3} {}{}",
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
                    format!("{} and {}", g.node(a).name(), g.node(b).name()),
                ]);
            }
            t.write(out, "  ")?;
        }
    }
    Ok(())
}
