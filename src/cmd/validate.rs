//! `validate`: load and check everything, list every error and warning with its
//! location, and summarise the collection.
//!
//! Problems go to stderr, drawn with the offending text underlined; the summary (counts
//! by kind and relation) goes to stdout. Exit 1 on any error (with `--strict`, on any
//! warning). Cost: reads every file and builds the whole graph once; linear in nodes
//! plus edges.

use super::context::show_problems;
use super::print::{Format, pad, write_json};
use super::write::to_stdout;
use super::{Context, Failure};
use crate::diag::JsonProblem;
use crate::json;
use crate::model::{NodeKind, Relation};
use crate::open::{Opened, open_with_limit};
use serde::Serialize;
use std::io::Write;

/// Options of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Draw every problem (by default at most 20 of each code, then a count)
    #[arg(long)]
    pub all: bool,
}

/// The counts `validate` reports: the files read, and the graph's counts by kind and
/// relation (the same as `stats`).
#[derive(Debug, Serialize)]
pub struct Counts {
    /// Number of files read.
    pub files: usize,
    /// Nodes, edges and eras, by kind and relation.
    #[serde(flatten)]
    pub graph: crate::query::stats::Counts,
}

/// Counts the files and the nodes and edges of an opened collection.
pub fn counts(opened: &Opened) -> Counts {
    Counts {
        files: opened.files,
        graph: crate::query::stats::counts(&opened.graph),
    }
}

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    counts: Counts,
    problems: Vec<JsonProblem<'a>>,
    /// Problems found but not listed (more than the limit of their code), by code.
    omitted: &'a std::collections::BTreeMap<&'static str, usize>,
    nodes: Vec<json::JsonNode<'a>>,
    edges: Vec<json::JsonEdge<'a>>,
}

/// Runs `validate`.
pub fn run(ctx: &Context, args: &Args, format: Format) -> Result<(), Failure> {
    // --all keeps every problem; otherwise each code keeps the first thousand and counts
    // the rest, which keeps a million-warning load fast and small.
    let limit = (!args.all).then_some(crate::open::PROBLEM_LIMIT);
    let opened = ctx.keep(open_with_limit(&ctx.data, ctx.strict, limit)?);
    let (errors, warnings) = (opened.errors(), opened.warnings());
    to_stdout(|out| {
        if format == Format::Text {
            // The graph is left for the exit, like the rest of `opened`: showing problems
            // reads only around each one drawn (see `diag`), so it adds nothing worth
            // freeing the graph for first.
            let mut summary = Vec::new();
            let path = ctx.data.display().to_string();
            write_summary(&mut summary, opened, &crate::diag::visible(&path))?;
            show_problems(ctx, opened, args.all, false, &mut std::io::stderr().lock())?;
            out.write_all(&summary)?;
            let verdict = match (errors, warnings) {
                (0, 0) => "ok: no errors, no warnings".to_string(),
                (0, w) => format!("ok: no errors, {w} warning{}", plural(w)),
                (e, w) => format!("failed: {e} error{}, {w} warning{}", plural(e), plural(w)),
            };
            writeln!(out, "{verdict}")?;
        } else {
            let g = &opened.graph;
            let report = Report {
                ok: errors == 0,
                errors,
                warnings,
                counts: counts(opened),
                omitted: &opened.omitted,
                problems: opened
                    .problems
                    .iter()
                    .map(|p| JsonProblem::new(p, &opened.sources))
                    .collect(),
                nodes: json::nodes(g, g.nodes()),
                edges: json::edges(g, g.edges()),
            };
            write_json(out, &report)?;
        }
        Ok(())
    })?;
    if errors > 0 {
        // The problems and the verdict are shown already: exit 1 without repeating them.
        return Err(Failure::Reported);
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn write_summary(out: &mut dyn Write, opened: &Opened, path: &str) -> std::io::Result<()> {
    let (files, c) = (opened.files, crate::query::stats::counts(&opened.graph));
    writeln!(
        out,
        "{path}: {} file{}, {} node{}, {} edge{}, {} era{}",
        files,
        plural(files),
        c.nodes,
        plural(c.nodes),
        c.edges,
        plural(c.edges),
        c.eras,
        plural(c.eras)
    )?;
    writeln!(out, "nodes by kind")?;
    for kind in NodeKind::ALL {
        writeln!(
            out,
            "  {} {:>8}",
            pad(kind.as_str(), 14),
            c.by_kind[kind.as_str()]
        )?;
    }
    writeln!(out, "edges by relation")?;
    for relation in Relation::ALL {
        writeln!(
            out,
            "  {} {:>8}",
            pad(relation.as_str(), 14),
            c.by_relation[relation.as_str()]
        )?;
    }
    if !opened.graph.eras.is_empty() {
        writeln!(out, "eras")?;
        for era in &opened.graph.eras {
            let end = era.end.map(|e| e.to_string()).unwrap_or_default();
            writeln!(
                out,
                "  {} {} to {}",
                pad(&crate::diag::visible(&era.name), 22),
                era.start,
                if end.is_empty() { "now" } else { &end }
            )?;
        }
    }
    Ok(())
}
