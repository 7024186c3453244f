//! `critiques [NODE]`: which reviews judged which initiative (or body, or law), with
//! what stance, and where they say so: subject, finding, stance, document, publisher,
//! year and locator.
//!
//! Cost: loads and checks the collection, then one pass over the `evaluated-by` edges.

use super::print::{Format, named, pad, subgraph, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::PolicyGraph;
use crate::model::Stance;
use crate::query::bibliography::Bibliography;
use crate::query::critiques::{Query, Row, critiques};
use serde::Serialize;
use std::io::Write;

/// Options of `critiques`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only judgements of this initiative, body or law (id, alias or name)
    #[arg(value_name = "NODE")]
    pub node: Option<String>,

    /// Only these stances, comma-separated: critical, supportive, mixed, neutral, or any
    #[arg(long, value_delimiter = ',', default_value = "any", value_parser = parse_stance)]
    pub stance: Vec<Option<Stance>>,

    /// Only reviews published by this body (id, alias or name)
    #[arg(long, value_name = "BODY")]
    pub by: Option<String>,
}

fn parse_stance(text: &str) -> Result<Option<Stance>, String> {
    if text == "any" {
        Ok(None)
    } else {
        text.parse()
            .map(Some)
            .map_err(|e: String| format!("{e}, any"))
    }
}

#[derive(Serialize)]
struct JsonRow<'a> {
    subject: &'a str,
    finding: Option<&'a str>,
    stance: Option<Stance>,
    document: Option<&'a str>,
    publishers: Vec<&'a str>,
    year: Option<u16>,
    locator: Option<&'a str>,
    locator_in: Option<&'a str>,
    reported_in: Vec<Reported<'a>>,
}

#[derive(Serialize)]
struct Reported<'a> {
    document: &'a str,
    locator: Option<&'a str>,
    locator_in: Option<&'a str>,
}

#[derive(Serialize)]
struct Answer<'a> {
    rows: Vec<JsonRow<'a>>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `critiques`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let query = Query {
        subject: args
            .node
            .as_deref()
            .map(|n| ctx.resolve(g, n))
            .transpose()?,
        stances: args.stance.iter().flatten().copied().collect(),
        by: args.by.as_deref().map(|n| ctx.resolve(g, n)).transpose()?,
    };
    let rows = critiques(g, &query);
    to_stdout(|out| {
        if format == Format::Json {
            let id = |n| g.node(n).id.as_str();
            let json_rows = rows
                .iter()
                .map(|r| JsonRow {
                    subject: id(r.subject),
                    finding: r.finding.map(id),
                    stance: r.stance,
                    document: r.document.map(id),
                    publishers: r.publishers.iter().map(|&p| id(p)).collect(),
                    year: r.year,
                    locator: r.locator.as_ref().map(|l| l.1.as_str()),
                    locator_in: r.locator.as_ref().map(|l| l.0.as_str()),
                    reported_in: r
                        .reported_in
                        .iter()
                        .map(|(d, at)| Reported {
                            document: id(*d),
                            locator: at.as_ref().map(|l| l.1.as_str()),
                            locator_in: at.as_ref().map(|l| l.0.as_str()),
                        })
                        .collect(),
                })
                .collect();
            let nodes = rows.iter().flat_map(|r| {
                [Some(r.subject), r.finding, r.document]
                    .into_iter()
                    .flatten()
                    .chain(r.publishers.iter().copied())
                    .chain(r.reported_in.iter().map(|(d, _)| *d))
            });
            let edges = rows.iter().flat_map(|r| {
                std::iter::once(r.edge)
                    .chain(r.cites.iter().copied())
                    .chain(r.reports.iter().copied())
            });
            let (nodes, edges) = subgraph(g, nodes, edges);
            write_json(
                out,
                &Answer {
                    rows: json_rows,
                    nodes,
                    edges,
                },
            )?;
        } else if rows.is_empty() {
            writeln!(out, "no judgements match")?;
        } else {
            write_text(out, g, &rows)?;
        }
        Ok(())
    })
}

/// ", p. 12" when the locator is in `document` itself, else "; see Miller et al. 2021,
/// L149" naming where it is.
fn locate(
    g: &PolicyGraph,
    bib: &Bibliography,
    document: Option<crate::graph::NodeIndex>,
    doc: &str,
    at: &str,
) -> String {
    match g.get(doc) {
        Some(d) if Some(d) == document => format!(", {at}"),
        Some(d) => format!("; see {}, {at}", bib.cite(g, d)),
        // Only under --known-by: the source was published later, or is undated.
        None => format!("; see {doc} (not known by then), {at}"),
    }
}

pub(crate) fn write_text(
    out: &mut dyn Write,
    g: &PolicyGraph,
    rows: &[Row],
) -> std::io::Result<()> {
    // Citations in the default style (Cite Them Right Harvard), as in the handout.
    let bib = Bibliography::new(g, Default::default());
    let mut current = None;
    for r in rows {
        if current != Some(r.subject) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", named(g, r.subject))?;
            current = Some(r.subject);
        }
        let stance = r.stance.map_or("(no stance)", |s| s.as_str());
        let what = match r.finding {
            Some(f) => g.node(f).name.clone(),
            None => "evaluated in".to_string(),
        };
        writeln!(out, "  {} {what}", pad(stance, 11))?;
        let mut whereabouts = String::new();
        if let Some(d) = r.document {
            let publishers: Vec<&str> = r
                .publishers
                .iter()
                .map(|&p| g.node(p).name.as_str())
                .collect();
            whereabouts = format!("{}: {}", bib.cite(g, d), g.node(d).name);
            if !publishers.is_empty() {
                whereabouts += &format!(" ({})", publishers.join(", "));
            }
        }
        if let Some((doc, at)) = &r.locator {
            whereabouts += &locate(g, &bib, r.document, doc, at);
        }
        if !whereabouts.is_empty() {
            writeln!(out, "              {whereabouts}")?;
        }
        for (d, at) in &r.reported_in {
            let at = at
                .as_ref()
                .map(|(doc, at)| locate(g, &bib, Some(*d), doc, at))
                .unwrap_or_default();
            writeln!(out, "              reported in {}{at}", bib.cite(g, *d))?;
        }
    }
    Ok(())
}
