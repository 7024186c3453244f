//! `search TEXT`: nodes whose id, name, alias or summary contains the text, ignoring
//! case; exact matches first, then prefixes, then matches in names, then summaries.
//!
//! Cost: loads and checks the whole collection, then one pass over every node.

use super::args::parse_limit;
use super::print::{Format, pad, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::json::{self, JsonEdge, JsonNode};
use crate::model::NodeKind;
use crate::query::timeline::dates;
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;

/// Options of `search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text to look for (case-insensitive)
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// Only nodes of these kinds, comma-separated: initiative, body, legislation, document,
    /// finding
    #[arg(long, value_delimiter = ',', value_parser = str::parse::<NodeKind>)]
    pub kinds: Vec<NodeKind>,

    /// At most this many matches (at least 1; all of them when left out)
    #[arg(long, value_name = "N", value_parser = parse_limit)]
    pub limit: Option<usize>,
}

/// Where a node matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchField {
    /// The id, a name or an alias equals the text.
    Exact,
    /// The id, name or an alias starts with the text.
    Prefix,
    /// The id, name or an alias contains the text.
    Name,
    /// Only the summary contains the text.
    Summary,
}

/// One match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The node.
    pub node: NodeIndex,
    /// How it matched.
    pub field: MatchField,
}

/// Finds the nodes matching `text`, best first, ties by name then id. Pure: no I/O.
pub fn search(g: &PolicyGraph, text: &str, kinds: &[NodeKind]) -> Vec<Match> {
    let needle = text.trim().to_lowercase();
    let mut matches = Vec::new();
    if needle.is_empty() {
        return matches;
    }
    for ix in g.nodes() {
        let n = g.node(ix);
        if !kinds.is_empty() && !kinds.contains(&n.kind) {
            continue;
        }
        let names = std::iter::once(n.id())
            .chain(std::iter::once(n.name()))
            .chain(n.aliases().iter());
        let mut best: Option<MatchField> = None;
        for name in names {
            let name = name.to_lowercase();
            let field = if name == needle {
                MatchField::Exact
            } else if name.starts_with(&needle) {
                MatchField::Prefix
            } else if name.contains(&needle) {
                MatchField::Name
            } else {
                continue;
            };
            best = Some(best.map_or(field, |b| b.min(field)));
        }
        if best.is_none()
            && n.summary()
                .as_ref()
                .is_some_and(|s| s.to_lowercase().contains(&needle))
        {
            best = Some(MatchField::Summary);
        }
        if let Some(field) = best {
            matches.push(Match { node: ix, field });
        }
    }
    matches.sort_by(|a, b| {
        let (na, nb) = (g.node(a.node), g.node(b.node));
        (a.field, na.name().to_lowercase(), na.id()).cmp(&(
            b.field,
            nb.name().to_lowercase(),
            nb.id(),
        ))
    });
    matches
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    id: &'a str,
    matched: MatchField,
}

#[derive(Serialize)]
struct Found<'a> {
    query: &'a str,
    matches: Vec<JsonMatch<'a>>,
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

/// Runs `search`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let mut matches = search(g, &args.text, &args.kinds);
    if let Some(limit) = args.limit {
        matches.truncate(limit);
    }
    to_stdout(|out| {
        if format == Format::Json {
            let set: HashSet<NodeIndex> = matches.iter().map(|m| m.node).collect();
            // The subgraph the answer is about: the matches and the edges among them.
            let edges = g.edges().filter(|&e| {
                let (a, b) = g.endpoints(e);
                set.contains(&a) && set.contains(&b)
            });
            let found = Found {
                query: &args.text,
                matches: matches
                    .iter()
                    .map(|m| JsonMatch {
                        id: g.node(m.node).id(),
                        matched: m.field,
                    })
                    .collect(),
                nodes: json::nodes(g, matches.iter().map(|m| m.node)),
                edges: json::edges(g, edges),
            };
            write_json(out, &found)?;
        } else if matches.is_empty() {
            writeln!(std::io::stderr(), "no node matches `{}`", args.text)?;
        } else {
            let id_width = matches
                .iter()
                .map(|m| g.node(m.node).id().chars().count())
                .max()
                .unwrap_or(0);
            for m in &matches {
                let n = g.node(m.node);
                let when = dates(n).map(|d| format!(" ({d})")).unwrap_or_default();
                writeln!(
                    out,
                    "{} {} {}{when}",
                    pad(n.id(), id_width),
                    pad(n.kind.as_str(), 11),
                    n.name()
                )?;
            }
        }
        Ok(())
    })
}
