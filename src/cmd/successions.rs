//! `successions`: every succession event (linear, merger, split, renaming,
//! incorporation, reorganisation, termination) with its date, its parts and its sources,
//! as text, JSON or CSV. The classification is [`crate::query::succession`]'s.
//!
//! Cost: loads and checks the collection, then one pass over the `replaced` edges.

use super::print::write_json;
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::{NodeIndex, PolicyGraph};
use crate::query::succession::{Event, Type, counts, successions};
use serde::Serialize;

/// How `successions` prints its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text
    Text,
    /// One JSON object
    Json,
    /// One row per event, for a spreadsheet
    Csv,
}

/// Options of `successions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only events of these types
    #[arg(
        long = "type",
        value_enum,
        value_delimiter = ',',
        value_name = "TYPE,.."
    )]
    pub types: Vec<Type>,

    /// How to print the answer
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Serialize)]
struct Source<'a> {
    doc: &'a str,
    at: &'a str,
}

#[derive(Serialize)]
struct Item<'a> {
    #[serde(rename = "type")]
    kind: Type,
    date: Option<String>,
    before: Vec<&'a str>,
    after: Vec<&'a str>,
    sources: Vec<Source<'a>>,
}

#[derive(Serialize)]
struct Answer<'a> {
    counts: std::collections::BTreeMap<&'static str, usize>,
    events: Vec<Item<'a>>,
}

fn item<'a>(g: &'a PolicyGraph, e: &Event) -> Item<'a> {
    let ids = |v: &[NodeIndex]| v.iter().map(|&n| g.node(n).id()).collect();
    let mut sources: Vec<Source<'a>> = Vec::new();
    for &edge in &e.edges {
        for s in g.edge(edge).sources() {
            if !sources.iter().any(|x| x.doc == s.doc && x.at == s.at) {
                sources.push(Source {
                    doc: &s.doc,
                    at: &s.at,
                });
            }
        }
    }
    if e.kind == Type::Termination {
        // A termination rests on the ended node's own sources.
        for s in e.before.iter().flat_map(|&n| g.node(n).sources().iter()) {
            if !sources.iter().any(|x| x.doc == s.doc && x.at == s.at) {
                sources.push(Source {
                    doc: &s.doc,
                    at: &s.at,
                });
            }
        }
    }
    Item {
        kind: e.kind,
        date: e.date.map(|d| d.to_string()),
        before: ids(&e.before),
        after: ids(&e.after),
        sources,
    }
}

/// Runs `successions`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let all = successions(g);
    let events: Vec<&Event> = all
        .iter()
        .filter(|e| args.types.is_empty() || args.types.contains(&e.kind))
        .collect();
    let shown: Vec<Event> = events.iter().map(|&e| e.clone()).collect();
    let items: Vec<Item> = events.iter().map(|e| item(g, e)).collect();
    to_stdout(|out| match args.format {
        Format::Json => write_json(
            out,
            &Answer {
                counts: counts(&shown)
                    .into_iter()
                    .map(|(t, n)| (t.as_str(), n))
                    .collect(),
                events: items,
            },
        ),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["type", "date", "before", "after", "sources"])?;
            for i in &items {
                let sources: Vec<String> = i
                    .sources
                    .iter()
                    .map(|s| format!("{}@{}", s.doc, s.at))
                    .collect();
                let cells = [
                    i.kind.as_str().to_string(),
                    i.date.clone().unwrap_or_default(),
                    i.before.join("|"),
                    i.after.join("|"),
                    sources.join("|"),
                ];
                w.write_record(
                    cells
                        .iter()
                        .map(|c| crate::spreadsheet::guard(c).into_owned()),
                )?;
            }
            w.flush()?;
            Ok(())
        }
        Format::Text => {
            let n = items.len();
            let tally: Vec<String> = counts(&shown)
                .into_iter()
                .filter(|&(_, k)| k > 0)
                .map(|(t, k)| format!("{k} {t}"))
                .collect();
            writeln!(
                out,
                "{n} succession event{}{}",
                if n == 1 { "" } else { "s" },
                if tally.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", tally.join(", "))
                }
            )?;
            let name = |id: &str| {
                g.get(id)
                    .map(|ix| crate::text::visible(g.node(ix).name()).into_owned())
                    .unwrap_or_default()
            };
            for i in &items {
                let before: Vec<String> = i.before.iter().map(|id| name(id)).collect();
                let after: Vec<String> = i.after.iter().map(|id| name(id)).collect();
                let parts = if after.is_empty() {
                    format!("{} (no successor)", before.join(", "))
                } else {
                    format!("{} -> {}", before.join(", "), after.join(", "))
                };
                writeln!(
                    out,
                    "  {:<10}  {:<14}  {parts}",
                    i.date.as_deref().unwrap_or("undated"),
                    i.kind.as_str()
                )?;
            }
            Ok(())
        }
    })
}
