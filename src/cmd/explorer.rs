//! `explorer`: one self-contained offline HTML page to explore the whole graph as a
//! live graph: the lineage on its time axis, a focus view of any node's neighbourhood,
//! the evidence and sources of each node, filters, and a playable year slider. Opens
//! from a file; needs no server or network.
//!
//! Cost: loads and checks the collection, then lays out the lineage chart (linear in
//! its size); the page lays out each focus view itself.

use super::write::write_out;
use super::{Context, Failure};
use crate::graph::PolicyGraph;
use crate::query::bibliography::{Bibliography, Style};
use crate::teach::explorer::explorer_html;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the page goes without `-o`: `explorer.html` in this directory.
const DEFAULT_DIR: &str = "output";

/// Options of `explorer`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to write (default: output/explorer.html); stdout if `-`. A FIFO or
    /// device is written through, a link to a file writes the file
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The citation style of the page's sources
    #[command(flatten)]
    pub style: super::args::StyleArgs,
}

/// The explorer page for the whole graph, its citations in `style`.
pub fn page(g: &PolicyGraph, style: Style, known_by: Option<u16>) -> String {
    // Every document is listed on the page, so all are rendered (and disambiguated)
    // together.
    let docs: Vec<_> = g
        .nodes()
        .filter(|&n| g.node(n).kind == crate::model::NodeKind::Document)
        .collect();
    explorer_html(
        g,
        &Bibliography::of(g, style, &docs),
        &match known_by {
            Some(year) => format!("policygraph explorer: evidence as known by {year}"),
            None => "policygraph explorer".to_string(),
        },
    )
}

/// Runs `explorer`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let html = page(&opened.graph, args.style.style(), ctx.known_by);
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
