//! `seminar [--steps eras|YEARS] [--focus NODE] [--author NAME]`: the teaching deck and
//! handout, written to `output/seminar/`: one SVG per step (every earlier node in the
//! same place, what is new outlined), `index.html` to present them full-screen with the
//! arrow keys (a title slide, the steps, what reviews said, speaker notes), with
//! `--pdf` the same deck as `deck.pdf` (a 16:9 page per slide), and the handout as
//! `handout.md` and `handout.html` with `layering.svg`.
//!
//! Cost: loads and checks the collection, then one time-chart layout of the story (no
//! Graphviz); every slide is a camera (a viewBox) on it, so a node never moves.

use super::write::{Emitter, to_stdout};
use super::{Context, Failure};
use crate::graph::{NodeIndex, PolicyGraph};
use crate::query::bibliography::Style;
use crate::teach::steps::Steps;
use crate::teach::{seminar, seminar_files};
use std::path::PathBuf;

/// Options of `seminar`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How to divide the story: `eras`, or years such as 1990,2000,2010 (one step up to
    /// each, and one for what comes after)
    #[arg(long, value_name = "eras|YEARS", default_value = "eras", value_parser = parse_steps)]
    pub steps: Steps,

    /// Tell the story around one node: its lineage and direct links (id, alias or name)
    #[arg(long, value_name = "NODE")]
    pub focus: Option<String>,

    /// Who presents, for the title slide (else the collection's `author`)
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,

    /// Print the deck as deck.pdf too: a 16:9 page per slide, drawn with the embedded
    /// font (nothing to install)
    #[arg(long)]
    pub pdf: bool,

    /// Where to write
    #[arg(long, value_name = "DIR", default_value = "output/seminar")]
    pub out: PathBuf,

    /// The citation style of the handout and the notes
    #[command(flatten)]
    pub style: super::args::StyleArgs,
}

fn parse_steps(text: &str) -> Result<Steps, String> {
    text.parse()
}

/// Lays out the story and writes the deck and handout through `out`.
pub fn write(
    g: &PolicyGraph,
    focus: Option<NodeIndex>,
    steps: &Steps,
    author: Option<&str>,
    pdf: bool,
    style: Style,
    out: &mut Emitter,
) -> Result<(), Failure> {
    let mut plan = seminar(g, focus, steps);
    plan.author = author.map(str::to_string);
    plan.pdf = pdf;
    plan.style = style;
    let files = seminar_files(g, &plan).map_err(|e| Failure::NoAnswer {
        message: e.to_string(),
        help: "please report this as a bug".into(),
    })?;
    for (name, bytes) in &files {
        out.emit(name, bytes)?;
    }
    // A step or deck.pdf an earlier, longer deck wrote goes when the caller finishes
    // the emitter: its manifest knows what was written.
    Ok(())
}

/// Runs `seminar`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    let focus = args
        .focus
        .as_deref()
        .map(|f| ctx.resolve(g, f))
        .transpose()?;
    let mut out = Emitter::open(&args.out)?;
    write(
        g,
        focus,
        &args.steps,
        args.author.as_deref(),
        args.pdf,
        args.style.style(),
        &mut out,
    )?;
    out.finish()?;
    to_stdout(|stdout| {
        writeln!(
            stdout,
            "wrote the seminar to {} ({} files, {} changed); open {} to present it",
            args.out.display(),
            out.written,
            out.changed,
            args.out.join("index.html").display()
        )
    })
}
