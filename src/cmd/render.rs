//! `render [VIEW] -o FILE`: draw a view as SVG, PNG or PDF with nothing installed, the
//! same on every machine. The `lineage` and `story` views are drawn on a time axis by
//! policygraph itself ([`crate::timechart`]); the others are laid out by the embedded
//! Graphviz port. PNG and PDF are the SVG drawn by [`crate::raster`]. `--engine
//! graphviz` uses the system `dot` instead (for the time-axis views too, as a graph).
//!
//! Cost: loads and checks the collection, then a Graphviz layout, which grows faster
//! than linearly with the view's size: a few hundred nodes take about a second; a
//! layout longer than --time-limit fails with advice instead of hanging.

use super::export::{ViewArgs, ViewName};
use super::write::write_out;
use super::{Context, Failure};
use crate::export::dot::to_dot;
use crate::render::{Engine, Picture, Target, render};
use std::path::PathBuf;
use std::time::Duration;

/// Options of `render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which view, and how to narrow it
    #[command(flatten)]
    pub view: ViewArgs,

    /// The file to write (its extension picks the format unless -t is given); stdout if
    /// absent or `-`. A FIFO or device is written through, a link to a file writes the file
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Picture format
    #[arg(short = 't', long = "type", value_enum)]
    pub target: Option<Target>,

    /// Layout engine
    #[arg(long, value_enum, default_value_t = Engine::Embedded)]
    pub engine: Engine,

    /// PNG size, as a multiple of the picture's own size
    #[arg(long, value_name = "FACTOR", default_value_t = crate::render::DEFAULT_SCALE, value_parser = parse_scale)]
    pub scale: f32,

    /// Give up on a layout after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub time_limit: u64,
}

fn parse_scale(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(s) if (0.1..=16.0).contains(&s) => Ok(s),
        _ => Err(format!(
            "`{text}` is not a scale from 0.1 to 16 (2 is twice the size)"
        )),
    }
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
    let output = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    let target = args
        .target
        .or_else(|| output.and_then(target_of))
        .unwrap_or(Target::Svg);
    let to_stdout = output.is_none_or(crate::output::names_stdout);
    if target != Target::Svg && to_stdout && {
        use std::io::IsTerminal;
        std::io::stdout().is_terminal()
    } {
        return Err(Failure::Usage {
            message: format!(
                "a {} is binary and would garble the terminal",
                target.as_str()
            ),
            help: "write it to a file with -o FILE, or redirect the output".into(),
        });
    }
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let (v, options) = args.view.build(ctx, g)?;
    let on_time_axis = matches!(args.view.view, ViewName::Lineage | ViewName::Story);
    let picture = if on_time_axis && args.engine == Engine::Embedded {
        let chart = crate::timechart::layout(g, &v);
        Picture {
            bytes: crate::timechart::svg(g, &chart).into_bytes(),
            warnings: Vec::new(),
        }
        .raster(target, args.scale)?
    } else {
        render(
            &to_dot(g, &v, &options),
            target,
            args.engine,
            Duration::from_secs(args.time_limit),
            args.scale,
        )?
    };
    let mut stderr = std::io::stderr().lock();
    for w in &picture.warnings {
        use std::io::Write;
        writeln!(stderr, "warning: layout: {w}")?;
    }
    write_out(output, &picture.bytes)
}
