//! `explorer`: one self-contained offline HTML page to explore the whole graph: search,
//! click a node for its details, edges and sources, filter by kind, relation and era,
//! and slide through the years. Opens from a file; needs no server or network.
//!
//! Cost: loads and checks the collection, then one Graphviz layout of the whole graph.

use super::write::write_out;
use super::{Context, Failure};
use crate::export::dot::{DotOptions, to_dot};
use crate::graph::PolicyGraph;
use crate::render::{Engine, Target, render};
use crate::teach::explorer::explorer_html;
use crate::view::{Narrow, ViewSpec, view};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the page goes without `-o`: `explorer.html` in this directory.
const DEFAULT_DIR: &str = "output";

/// Options of `explorer`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to write (default: output/explorer.html); stdout if `-`. A FIFO or
    /// device is written through, a link to a file writes the file
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Layout engine for the diagram
    #[arg(long, value_enum, default_value_t = Engine::Embedded)]
    pub engine: Engine,

    /// Give up on the layout after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub time_limit: u64,
}

/// The explorer page for the whole graph.
pub fn page(g: &PolicyGraph, engine: Engine, limit: Duration) -> Result<String, Failure> {
    let whole = view(g, &ViewSpec::Whole, &Narrow::default());
    let options = DotOptions {
        edge_ids: true,
        ..DotOptions::default()
    };
    let picture = render(
        &to_dot(g, &whole, &options),
        Target::Svg,
        engine,
        limit,
        crate::render::DEFAULT_SCALE,
    )?;
    for w in &picture.warnings {
        writeln!(std::io::stderr(), "warning: layout of the explorer: {w}")?;
    }
    let svg = String::from_utf8_lossy(&picture.bytes);
    Ok(explorer_html(
        g,
        "policygraph explorer",
        &whole.nodes,
        &whole.edges,
        &svg,
    ))
}

/// Runs `explorer`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let html = page(
        &opened.graph,
        args.engine,
        Duration::from_secs(args.time_limit),
    )?;
    match args.output.as_deref() {
        Some(path) => {
            write_out(Some(path), html.as_bytes())?;
            if path.as_os_str() != "-" {
                writeln!(std::io::stderr(), "wrote {}", path.display())?;
            }
        }
        None => {
            // The default is in `output/`, which a cloned repository carries: written as
            // `build` writes there, following no link (see crate::outdir).
            let dir = Path::new(DEFAULT_DIR);
            crate::outdir::check(dir).map_err(|e| Failure::output(dir, e))?;
            let path = dir.join("explorer.html");
            crate::output::write_atomic(&path, html.as_bytes()).map_err(|e| Failure::Write {
                path: path.clone(),
                source: e,
            })?;
            writeln!(std::io::stderr(), "wrote {}", path.display())?;
        }
    }
    Ok(())
}
