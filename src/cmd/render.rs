//! `render [VIEW] -o FILE`: draw a view. The embedded engine (the default) lays out and
//! draws SVG with no Graphviz installed, the same on every machine; `--engine graphviz`
//! uses the system `dot` and can also draw PNG and PDF.
//!
//! Cost: loads and checks the collection, then a Graphviz layout, which grows faster
//! than linearly with the view's size: a few hundred nodes take about a second; a
//! layout longer than --time-limit fails with advice instead of hanging.

use super::export::ViewArgs;
use super::{Context, Failure, write_out};
use crate::export::dot::to_dot;
use crate::render::{Engine, Target, render};
use std::path::PathBuf;
use std::time::Duration;

/// Options of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which view, and how to narrow it
    #[command(flatten)]
    pub view: ViewArgs,

    /// The file to write (its extension picks the format unless -t is given); stdout if
    /// absent
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Picture format
    #[arg(short = 't', long = "type", value_enum)]
    pub target: Option<Target>,

    /// Layout engine
    #[arg(long, value_enum, default_value_t = Engine::Embedded)]
    pub engine: Engine,

    /// Give up on a layout after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub time_limit: u64,
}

/// The format a path's extension names.
pub fn target_of(path: &std::path::Path) -> Option<Target> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "svg" => Some(Target::Svg),
        "png" => Some(Target::Png),
        "pdf" => Some(Target::Pdf),
        _ => None,
    }
}

/// Runs `render`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let target = args
        .target
        .or_else(|| args.output.as_deref().and_then(target_of))
        .unwrap_or(Target::Svg);
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let (v, options) = args.view.build(ctx, g)?;
    let dot = to_dot(g, &v, &options);
    let picture = render(
        &dot,
        target,
        args.engine,
        Duration::from_secs(args.time_limit),
    )?;
    let mut stderr = std::io::stderr().lock();
    for w in &picture.warnings {
        use std::io::Write;
        writeln!(stderr, "warning: layout: {w}")?;
    }
    write_out(args.output.as_deref(), &picture.bytes)
}
