//! `build`: the main job. Validates the data, then writes every standard view to the
//! output directory as DOT and SVG (through the embedded engine by default, so it needs
//! nothing installed), plus the whole graph as node-link JSON.
//!
//! Standard views: `graph` (everything), `lineage`, `critiques`, `citations`, and one
//! `era-<name>` per era. Output is deterministic, so a rebuild of unchanged data leaves
//! every file byte-identical (and untouched); each file is written atomically.
//! Cost: one Graphviz layout per view, a few seconds in all for the shipped data.
//!
//! `--watch` keeps it running, rebuilding on every change of the data
//! ([`super::watch`]); the two share [`write`].

use super::write::{Emitter, to_stdout};
use super::{Context, Failure};
use crate::export::dot::{DotOptions, to_dot};
use crate::graph::PolicyGraph;
use crate::render::{Engine, Target, render};
use crate::teach::steps::Steps;
use crate::view::{Narrow, View, ViewSpec, view};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Options of `build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Layout engine for the SVGs
    #[arg(long, value_enum, default_value_t = Engine::Embedded)]
    pub engine: Engine,

    /// Give up on one layout after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub time_limit: u64,

    /// The citation style of the handout, the notes and the explorer
    #[command(flatten)]
    pub style: super::args::StyleArgs,

    /// Keep running: rebuild whenever a data file changes, keeping the last good output
    /// when the data has errors; pages opened from --out reload themselves (Ctrl-C to
    /// stop)
    #[arg(long)]
    pub watch: bool,
}

/// The standard views, with their file stems, in the order they are written.
pub fn standard_views(g: &PolicyGraph) -> Vec<(String, View)> {
    let all = Narrow::default();
    let mut views = vec![
        ("graph".to_string(), view(g, &ViewSpec::Whole, &all)),
        (
            "lineage".to_string(),
            view(g, &ViewSpec::Lineage(None), &all),
        ),
        (
            "critiques".to_string(),
            view(g, &ViewSpec::Critiques(None), &all),
        ),
        ("citations".to_string(), view(g, &ViewSpec::Citations, &all)),
    ];
    // Every stem at once, so two eras can never be given one file.
    let stems = crate::model::era_file_stems(g.eras.iter().map(|e| e.name.as_str()));
    for (era, stem) in g.eras.iter().zip(stems) {
        let last = era.end.map_or(9999, |e| e.year_part());
        let mut v = view(g, &ViewSpec::Years(era.start.year_part(), last), &all);
        let end = era
            .end
            .map(|e| e.to_string())
            .unwrap_or_else(|| "now".into());
        v.title = format!("{}, {} to {end}", era.name, era.start);
        views.push((stem, v));
    }
    views
}

/// Runs `build` (or, with `--watch`, [`super::watch::run`]).
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    if args.watch {
        return super::watch::run(ctx, args);
    }
    let opened = ctx.open_validated()?;
    let (mut out, mut deck) = open_dirs(args)?;
    let built = write(ctx, args, &opened.graph, &mut out, &mut deck)?;
    to_stdout(|o| writeln!(o, "{}", built.line(&args.out, false)))
}

/// The emitters of `--out` and its `seminar/`, both checked before either is written to.
pub(super) fn open_dirs(args: &Args) -> Result<(Emitter, Emitter), Failure> {
    let seminar_dir = args.out.join("seminar");
    for dir in [&args.out, &seminar_dir] {
        crate::outdir::check(dir).map_err(|e| Failure::output(dir, e))?;
    }
    Ok((Emitter::open(&args.out)?, Emitter::open(&seminar_dir)?))
}

/// What one build wrote.
#[derive(Debug)]
pub(super) struct Built {
    written: usize,
    changed: Vec<String>,
    removed: usize,
}

impl Built {
    /// `built N files in DIR (M changed)`, with the stale files removed; with `names`,
    /// the changed files too (`build --watch`).
    pub(super) fn line(&self, dir: &std::path::Path, names: bool) -> String {
        let (written, changed, removed) = (self.written, self.changed.len(), self.removed);
        let mut line = format!(
            "built {written} files in {} ({changed} changed",
            crate::text::visible(&dir.display().to_string())
        );
        if names && changed > 0 {
            const SHOWN: usize = 8;
            let shown: Vec<_> = self.changed.iter().take(SHOWN).cloned().collect();
            line += &format!(": {}", crate::text::visible(&shown.join(", ")));
            if changed > SHOWN {
                line += &format!(" and {} more", changed - SHOWN);
            }
        }
        if removed > 0 {
            line += &format!(
                ", {removed} stale file{} removed",
                if removed == 1 { "" } else { "s" }
            );
        }
        line.push(')');
        line
    }
}

/// Writes every output of `g` through `out` and `deck` (its `seminar/`), then removes
/// what an earlier build wrote and this one did not. Live emitters get the stamp their
/// pages poll, written last, in both folders.
pub(super) fn write(
    ctx: &Context,
    args: &Args,
    g: &PolicyGraph,
    out: &mut Emitter,
    deck: &mut Emitter,
) -> Result<Built, Failure> {
    let options = DotOptions::default();
    let limit = Duration::from_secs(args.time_limit);
    for (stem, v) in standard_views(g) {
        let dot = to_dot(g, &v, &options);
        out.emit(&format!("{stem}.dot"), dot.as_bytes())?;
        if stem == "lineage" {
            // On a true time axis, laid out by us: Graphviz cannot place a box at a date.
            let chart = crate::timechart::layout(g, &v);
            out.emit("lineage.svg", crate::timechart::svg(g, &chart).as_bytes())?;
        } else {
            let picture = render(
                &dot,
                Target::Svg,
                args.engine,
                limit,
                crate::render::DEFAULT_SCALE,
            )?;
            for w in &picture.warnings {
                writeln!(std::io::stderr(), "warning: layout of {stem}: {w}")?;
            }
            out.emit(&format!("{stem}.svg"), &picture.bytes)?;
        }
    }
    // Layering, accumulation and drift per year: the chart and its figures.
    let layers = crate::query::layering::layering(g, None, None);
    out.emit(
        "layering.svg",
        crate::layeringchart::svg(&layers, super::layering::TITLE).as_bytes(),
    )?;
    out.emit("layering.csv", super::layering::csv(&layers).as_bytes())?;
    let whole = view(g, &ViewSpec::Whole, &Narrow::default());
    out.emit(
        "graph.json",
        crate::export::json::to_json(g, &whole).as_bytes(),
    )?;
    // The teaching material: the seminar deck and handout, and the explorer.
    let style = args.style.style();
    super::seminar::write(g, None, &Steps::Eras, None, true, style, deck)?;
    out.emit(
        "explorer.html",
        super::explorer::page(g, style, ctx.known_by).as_bytes(),
    )?;
    if args.watch {
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            (out.digest(), deck.digest()).hash(&mut h);
            h.finish()
        };
        let stamp = crate::teach::live::stamp(hash);
        deck.emit(crate::teach::live::STAMP, stamp.as_bytes())?;
        out.emit(crate::teach::live::STAMP, stamp.as_bytes())?;
    }
    let removed = out.finish()? + deck.finish()?;
    let mut changed = out.changed_names.clone();
    changed.extend(deck.changed_names.iter().map(|n| format!("seminar/{n}")));
    Ok(Built {
        written: out.written + deck.written,
        changed,
        removed,
    })
}
