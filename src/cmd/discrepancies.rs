//! `discrepancies`: the records whose sources disagree with the public record, each with
//! what the disagreement is. A record says so in its `attrs.discrepancy` text (in the
//! shipped data, the items of FACTS.md section G, `D<n>: ...`, separated by `; `); the
//! record's `note` says more.
//!
//! Cost: loads and checks the collection, then one pass over the nodes.

use super::print::{Format, named, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::query::discrepancies;
use serde::Serialize;

/// Options of `discrepancies`: none but the format.
#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    kind: crate::model::NodeKind,
    name: &'a str,
    /// The record's `attrs.discrepancy` text, whole.
    discrepancy: &'a str,
    /// The same text cut at `; `, one disagreement each.
    items: Vec<&'a str>,
}

#[derive(Serialize)]
struct Answer<'a> {
    /// `--known-by`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    known_by: Option<u16>,
    discrepancies: Vec<Item<'a>>,
}

/// Runs `discrepancies`.
pub fn run(ctx: &Context, _args: &Args, format: Format) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let found = discrepancies(g);
    to_stdout(|out| {
        if format == Format::Json {
            let items = found
                .iter()
                .map(|&(n, text)| Item {
                    id: g.node(n).id(),
                    kind: g.node(n).kind,
                    name: g.node(n).name(),
                    discrepancy: text,
                    items: text.split("; ").collect(),
                })
                .collect();
            return write_json(
                out,
                &Answer {
                    known_by: ctx.known_by,
                    discrepancies: items,
                },
            );
        }
        let n = found.len();
        if n == 0 {
            writeln!(out, "no record notes a disagreement with the public record")?;
            return Ok(());
        }
        writeln!(
            out,
            "{n} record{} whose sources disagree with the public record (attrs.{})",
            if n == 1 { "" } else { "s" },
            crate::query::DISCREPANCY
        )?;
        for &(node, text) in &found {
            let dates = crate::query::timeline::dates(g.node(node))
                .map(|d| format!(", {d}"))
                .unwrap_or_default();
            writeln!(out, "\n{}, {}{dates}", named(g, node), g.node(node).kind)?;
            for item in text.split("; ") {
                writeln!(out, "  {item}")?;
            }
        }
        Ok(())
    })
}
