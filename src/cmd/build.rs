//! `build`: the main job. Validates the data, then writes every standard view to the
//! output directory as DOT and SVG (through the embedded engine by default, so it needs
//! nothing installed), plus the whole graph as node-link JSON.
//!
//! Standard views: `graph` (everything), `lineage`, `critiques`, `citations`, and one
//! `era-<name>` per era. Output is deterministic, so a rebuild of unchanged data leaves
//! every file byte-identical (and untouched); each file is written atomically.
//! Cost: one Graphviz layout per view, a few seconds in all for the shipped data.

use super::{Context, Failure};
use crate::export::dot::{DotOptions, to_dot};
use crate::graph::PolicyGraph;
use crate::render::{Engine, Target, render};
use crate::teach::steps::Steps;
use crate::view::{Narrow, View, ViewSpec, view};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
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

/// Runs `build`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    ctx.query_format()?;
    let opened = ctx.open_validated()?;
    let g = &opened.graph;
    let mut out = Emitter::new(&args.out);
    out.prepare()?;
    let options = DotOptions::default();
    let limit = Duration::from_secs(args.time_limit);
    let mut stems = Vec::new();
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
        stems.push(stem);
    }
    let whole = view(g, &ViewSpec::Whole, &Narrow::default());
    out.emit(
        "graph.json",
        crate::export::json::to_json(g, &whole).as_bytes(),
    )?;
    let removed = remove_stale_eras(&args.out, &stems)?;
    // The teaching material: the seminar deck and handout, and the explorer.
    let seminar_dir = args.out.join("seminar");
    let mut deck = Emitter::new(&seminar_dir);
    deck.prepare()?;
    super::seminar::write(g, None, &Steps::Eras, None, true, &mut deck)?;
    out.emit(
        "explorer.html",
        super::explorer::page(g, args.engine, limit)?.as_bytes(),
    )?;
    let (written, changed) = (out.written + deck.written, out.changed + deck.changed);
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "built {written} files in {} ({changed} changed{})",
        args.out.display(),
        if removed > 0 {
            format!(", {removed} stale era files removed")
        } else {
            String::new()
        }
    )?;
    Ok(())
}

/// Writes files into one directory atomically, counting what it wrote and changed, with
/// one progress line per file on a terminal.
pub struct Emitter {
    dir: PathBuf,
    progress: bool,
    /// Files written.
    pub written: usize,
    /// Files whose contents changed.
    pub changed: usize,
}

impl Emitter {
    /// An emitter into `dir`.
    pub fn new(dir: &Path) -> Self {
        Emitter {
            dir: dir.to_path_buf(),
            progress: std::io::stderr().is_terminal(),
            written: 0,
            changed: 0,
        }
    }

    /// Creates the directory and removes temporary files a killed run left in it.
    pub fn prepare(&self) -> Result<(), Failure> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Failure::Write {
            path: self.dir.clone(),
            source: e,
        })?;
        crate::output::remove_stale_temporaries(&self.dir);
        Ok(())
    }

    /// The directory written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `name` atomically (untouched when unchanged).
    pub fn emit(&mut self, name: &str, bytes: &[u8]) -> Result<(), Failure> {
        let path = self.dir.join(name);
        let did_change = crate::output::write_atomic(&path, bytes).map_err(|e| Failure::Write {
            path: path.clone(),
            source: e,
        })?;
        self.written += 1;
        self.changed += usize::from(did_change);
        if self.progress {
            let state = if did_change { "wrote" } else { "unchanged" };
            writeln!(
                std::io::stderr(),
                "{state:>9} {} ({} bytes)",
                path.display(),
                bytes.len()
            )?;
        }
        Ok(())
    }
}

/// Removes `era-*.dot` and `era-*.svg` files that this build did not write (an era
/// renamed or removed from the data), so `output/` always matches `data/`.
fn remove_stale_eras(dir: &Path, stems: &[String]) -> Result<usize, Failure> {
    let mut removed = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let (Some(stem), Some(ext)) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        if stem.starts_with("era-")
            && (ext == "dot" || ext == "svg")
            && !stems.iter().any(|s| s == stem)
        {
            std::fs::remove_file(&path).map_err(|e| Failure::Write {
                path: path.clone(),
                source: e,
            })?;
            removed += 1;
        }
    }
    Ok(removed)
}
