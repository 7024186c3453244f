//! `timeline`: starts and ends in date order, optionally within years and of some
//! kinds; `--as-of YEAR` lists what was active that year instead.
//!
//! Cost: loads and checks the collection, then sorts the dated nodes.

use super::args::parse_year;
use super::print::{Format, named, node_table, subgraph, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::NodeIndex;
use crate::model::{NodeKind, PartialDate};
use crate::query::timeline::{Event, Window, as_of, end_unknown_by, timeline};
use serde::Serialize;
use std::collections::HashSet;

/// Options of `timeline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First year (inclusive)
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub from: Option<u16>,

    /// Last year (inclusive)
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub to: Option<u16>,

    /// Only nodes of these kinds, comma-separated
    #[arg(long, value_delimiter = ',', value_parser = str::parse::<NodeKind>)]
    pub kinds: Vec<NodeKind>,

    /// List what was active in this year instead (start <= YEAR <= end)
    #[arg(long, value_name = "YEAR", value_parser = parse_year, conflicts_with_all = ["from", "to"])]
    pub as_of: Option<u16>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    date: PartialDate,
    event: Event,
    id: &'a str,
}

#[derive(Serialize)]
struct ActiveRow<'a> {
    id: &'a str,
    start: Option<PartialDate>,
    end: Option<PartialDate>,
    end_status: &'static str,
}

#[derive(Serialize)]
struct Answer<'a, R> {
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<u16>,
    rows: Vec<R>,
    /// With `--as-of`: ids of nodes started earlier whose end the data does not give.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_unknown: Option<Vec<&'a str>>,
    nodes: Vec<crate::json::JsonNode<'a>>,
    edges: Vec<crate::json::JsonEdge<'a>>,
}

/// Runs `timeline`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    to_stdout(|out| {
        let induced = |members: &[NodeIndex]| {
            let set: HashSet<NodeIndex> = members.iter().copied().collect();
            let edges = g.edges().filter(move |&e| {
                let (a, b) = g.endpoints(e);
                set.contains(&a) && set.contains(&b)
            });
            subgraph(g, members.iter().copied(), edges.collect::<Vec<_>>())
        };
        if let Some(year) = args.as_of {
            let active = as_of(g, year, &args.kinds);
            let unknown = end_unknown_by(g, year, &args.kinds);
            if format == Format::Json {
                let rows = active
                    .iter()
                    .map(|&n| ActiveRow {
                        id: g.node(n).id(),
                        start: g.node(n).start,
                        end: g.node(n).end.date(),
                        end_status: g.node(n).end.status(),
                    })
                    .collect();
                let (nodes, edges) = induced(&active);
                write_json(
                    out,
                    &Answer {
                        as_of: Some(year),
                        rows,
                        end_unknown: Some(unknown.iter().map(|&n| g.node(n).id()).collect()),
                        nodes,
                        edges,
                    },
                )?;
            } else {
                writeln!(
                    out,
                    "active in {year:04}: {} node{}",
                    active.len(),
                    if active.len() == 1 { "" } else { "s" }
                )?;
                node_table(out, g, &active)?;
                if !unknown.is_empty() {
                    writeln!(
                        out,
                        "end not recorded: {} more started before {year:04}; whether they were still running is unknown",
                        unknown.len()
                    )?;
                    node_table(out, g, &unknown)?;
                }
            }
        } else {
            let (from, to) = super::args::year_range(args.from, args.to);
            let window = Window {
                from,
                to,
                kinds: args.kinds.clone(),
            };
            let rows = timeline(g, &window);
            if format == Format::Json {
                let mut members: Vec<NodeIndex> = Vec::new();
                let mut seen = HashSet::new();
                for r in &rows {
                    if seen.insert(r.node) {
                        members.push(r.node);
                    }
                }
                let json_rows = rows
                    .iter()
                    .map(|r| JsonRow {
                        date: r.date,
                        event: r.event,
                        id: g.node(r.node).id(),
                    })
                    .collect();
                let (nodes, edges) = induced(&members);
                write_json(
                    out,
                    &Answer {
                        as_of: None,
                        end_unknown: None,
                        rows: json_rows,
                        nodes,
                        edges,
                    },
                )?;
            } else {
                let mut table = super::table::Table::new();
                for r in &rows {
                    let node = g.node(r.node);
                    let event = match r.event {
                        Event::Start => "starts",
                        Event::End => "ends",
                    };
                    table.row([
                        r.date.to_string(),
                        event.to_string(),
                        node.kind.to_string(),
                        named(g, r.node),
                    ]);
                }
                table.write(out, "")?;
            }
        }
        Ok(())
    })
}
