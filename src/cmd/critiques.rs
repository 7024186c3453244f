//! `critiques [NODE]`: which reviews judged which initiative (or body, or law), with
//! what stance, and where they say so: subject, finding, stance, document, publisher,
//! year and locator.
//!
//! Cost: loads and checks the collection, then one pass over the `evaluated-by` edges.

use super::print::{Format, Json, Member, named, pad, subgraph, write_json, write_members};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::PolicyGraph;
use crate::model::Stance;
use crate::query::bibliography::Bibliography;
use crate::query::critiques::{Contest, Query, Row, contested, critiques};
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

    /// Only subjects judged both critically and favourably (supportive or mixed), each
    /// side listed with its documents and dates
    #[arg(long, conflicts_with = "stance")]
    pub contested: bool,
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
struct Side<'a> {
    finding: Option<&'a str>,
    stance: Option<Stance>,
    document: Option<&'a str>,
    year: Option<u16>,
}

#[derive(Serialize)]
struct JsonContest<'a> {
    subject: &'a str,
    name: &'a str,
    critical: Vec<Side<'a>>,
    supportive: Vec<Side<'a>>,
    mixed: Vec<Side<'a>>,
}

#[derive(Serialize)]
struct ContestedAnswer<'a> {
    /// `--known-by`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    known_by: Option<u16>,
    contested: Vec<JsonContest<'a>>,
}

/// A row as JSON, made as it is written (a million-node answer has a hundred thousand
/// rows: they are not all held twice).
fn json_row<'a>(g: &'a PolicyGraph, r: &'a Row) -> JsonRow<'a> {
    let id = |n| g.node(n).id();
    JsonRow {
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
    }
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
    if args.contested {
        return write_contested(g, &contested(rows), format, ctx.known_by);
    }
    to_stdout(|out| {
        if format == Format::Json {
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
            // The answer's members; `known_by` only when given.
            let known_by = |j: &mut Json<'_>| j.value(&ctx.known_by);
            let row = |i: usize, j: &mut Json<'_>| j.value(&json_row(g, &rows[i]));
            let node = |i: usize, j: &mut Json<'_>| j.value(&nodes[i]);
            let edge = |i: usize, j: &mut Json<'_>| j.value(&edges[i]);
            let members = [
                ("known_by", Member::One(&known_by)),
                ("rows", Member::Many(rows.len(), &row)),
                ("nodes", Member::Many(nodes.len(), &node)),
                ("edges", Member::Many(edges.len(), &edge)),
            ];
            let skip = usize::from(ctx.known_by.is_none());
            write_members(out, &members[skip..])?;
        } else if rows.is_empty() {
            writeln!(out, "no judgements match")?;
        } else {
            write_text(out, g, &rows)?;
        }
        Ok(())
    })
}

/// Prints `critiques --contested`: for each subject, its critical judgements, then its
/// supportive and its mixed ones, each with the year and the document.
fn write_contested(
    g: &PolicyGraph,
    contests: &[Contest],
    format: Format,
    known_by: Option<u16>,
) -> Result<(), Failure> {
    to_stdout(|out| {
        let id = |n| g.node(n).id();
        if format == Format::Json {
            let side = |rows: &[Row]| -> Vec<Side> {
                rows.iter()
                    .map(|r| Side {
                        finding: r.finding.map(id),
                        stance: r.stance,
                        document: r.document.map(id),
                        year: r.year,
                    })
                    .collect()
            };
            let contested = contests
                .iter()
                .map(|c| JsonContest {
                    subject: id(c.subject),
                    name: g.node(c.subject).name(),
                    critical: side(&c.critical),
                    supportive: side(&c.supportive),
                    mixed: side(&c.mixed),
                })
                .collect();
            return write_json(
                out,
                &ContestedAnswer {
                    known_by,
                    contested,
                },
            );
        }
        if contests.is_empty() {
            writeln!(out, "no subject is judged both critically and favourably")?;
            return Ok(());
        }
        let rows = contests
            .iter()
            .flat_map(|c| c.critical.iter().chain(&c.supportive).chain(&c.mixed));
        let bib = Bibliography::citing(g, Default::default(), cited_by(g, rows));
        for (k, c) in contests.iter().enumerate() {
            if k > 0 {
                writeln!(out)?;
            }
            writeln!(
                out,
                "{}: {} critical, {} supportive, {} mixed",
                named(g, c.subject),
                c.critical.len(),
                c.supportive.len(),
                c.mixed.len()
            )?;
            for (title, rows) in [
                ("critical", &c.critical),
                ("supportive", &c.supportive),
                ("mixed", &c.mixed),
            ] {
                if rows.is_empty() {
                    continue;
                }
                writeln!(out, "  {title}")?;
                for r in rows.iter() {
                    let year = r.year.map_or("    ".to_string(), |y| format!("{y:04}"));
                    let what = r.finding.map_or("evaluated in", |f| g.node(f).name());
                    let doc = r
                        .document
                        .map(|d| format!(" ({})", bib.cite(g, d)))
                        .unwrap_or_default();
                    writeln!(out, "    {year}  {}{doc}", crate::text::visible(what))?;
                }
            }
        }
        Ok(())
    })
}

/// Every document the text of `rows` cites: each row's document, its locator's and
/// those it is reported in.
fn cited_by<'a>(
    g: &'a PolicyGraph,
    rows: impl IntoIterator<Item = &'a Row> + 'a,
) -> impl Iterator<Item = crate::graph::NodeIndex> + 'a {
    rows.into_iter().flat_map(move |r| {
        let located = |l: &Option<(String, String)>| l.as_ref().and_then(|(doc, _)| g.get(doc));
        r.document
            .into_iter()
            .chain(located(&r.locator))
            .chain(
                r.reported_in
                    .iter()
                    .flat_map(move |(d, at)| std::iter::once(*d).chain(located(at))),
            )
            .collect::<Vec<_>>()
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
    let bib = Bibliography::citing(g, Default::default(), cited_by(g, rows));
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
            Some(f) => g.node(f).name().to_string(),
            None => "evaluated in".to_string(),
        };
        writeln!(out, "  {} {what}", pad(stance, 11))?;
        let mut whereabouts = String::new();
        if let Some(d) = r.document {
            let publishers: Vec<&str> = r.publishers.iter().map(|&p| g.node(p).name()).collect();
            whereabouts = format!("{}: {}", bib.cite(g, d), g.node(d).name());
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
