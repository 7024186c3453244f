//! The opening steps every command shares: load a `--data` path, build the graph, run
//! the checks, and sort the problems.

use crate::check::check;
use crate::diag::{Problem, Severity, SourceMap, make_strict, sort_problems};
use crate::graph::PolicyGraph;
use crate::load::{LoadError, Loaded, load};
use std::path::Path;

/// A loaded, built and checked collection.
#[derive(Debug)]
pub struct Opened {
    /// The graph (records with errors left out).
    pub graph: PolicyGraph,
    /// The files read.
    pub sources: SourceMap,
    /// Every problem, sorted by file and position.
    pub problems: Vec<Problem>,
    /// How many files were read.
    pub files: usize,
}

impl Opened {
    /// Number of errors (warnings included under `--strict`).
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }
}

/// Loads, builds and checks everything under `path`. With `strict`, warnings are
/// errors.
pub fn open(path: &Path, strict: bool) -> Result<Opened, LoadError> {
    Ok(finish(load(path)?, strict))
}

/// Builds and checks what a load produced.
pub fn finish(loaded: Loaded, strict: bool) -> Opened {
    let mut problems = loaded.problems;
    let (graph, build_problems) = PolicyGraph::build(loaded.dataset);
    problems.extend(build_problems);
    problems.extend(check(&graph));
    if strict {
        make_strict(&mut problems);
    }
    sort_problems(&mut problems, &loaded.sources);
    Opened {
        graph,
        files: loaded.sources.len(),
        sources: loaded.sources,
        problems,
    }
}
