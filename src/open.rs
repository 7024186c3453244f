//! The opening steps every command shares: load a `--data` path, build the graph, run
//! the checks, and sort the problems.

use crate::check::check;
use crate::diag::{Problem, SourceMap};
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
    /// The kept problems (at most the limit of each code), sorted by file and position.
    pub problems: Vec<Problem>,
    /// How many problems of each code were found beyond the limit and not kept.
    pub omitted: std::collections::BTreeMap<&'static str, usize>,
    /// Errors found, kept or not.
    pub error_count: usize,
    /// Warnings found, kept or not.
    pub warning_count: usize,
    /// How many files were read.
    pub files: usize,
}

impl Opened {
    /// Number of errors (warnings included under `--strict`), kept or not.
    pub fn errors(&self) -> usize {
        self.error_count
    }

    /// Number of warnings, kept or not.
    pub fn warnings(&self) -> usize {
        self.warning_count
    }
}

/// How many problems of each code are kept by default; the rest are only counted.
pub const PROBLEM_LIMIT: usize = 1000;

/// Loads, builds and checks everything under `path`, keeping at most
/// [`PROBLEM_LIMIT`] problems of each code. With `strict`, warnings are errors.
pub fn open(path: &Path, strict: bool) -> Result<Opened, LoadError> {
    open_with_limit(path, strict, Some(PROBLEM_LIMIT))
}

/// [`open`], keeping at most `limit` problems of each code (`None`: all).
pub fn open_with_limit(
    path: &Path,
    strict: bool,
    limit: Option<usize>,
) -> Result<Opened, LoadError> {
    Ok(finish(load(path, limit)?, strict))
}

/// Loads and builds everything under `path` and runs only the checks that find errors
/// (unless `strict`, when warnings are errors and every check runs): what a query needs.
pub fn open_for_query(path: &Path, strict: bool) -> Result<Opened, LoadError> {
    let loaded = load(path, Some(PROBLEM_LIMIT))?;
    Ok(if strict {
        finish(loaded, true)
    } else {
        finish_with(loaded, false, false)
    })
}

/// Builds and checks what a load produced.
pub fn finish(loaded: Loaded, strict: bool) -> Opened {
    finish_with(loaded, strict, true)
}

fn finish_with(loaded: Loaded, strict: bool, warnings: bool) -> Opened {
    let mut problems = loaded.problems;
    let graph = PolicyGraph::build(loaded.dataset, &mut problems);
    if warnings {
        check(&graph, &mut problems);
    } else {
        crate::check::check_errors(&graph, &mut problems);
    }
    if strict {
        problems.make_strict();
    }
    let (error_count, warning_count) = problems.tally();
    let omitted = problems.omitted();
    Opened {
        graph,
        files: loaded.sources.len(),
        problems: problems.into_sorted(),
        omitted,
        error_count,
        warning_count,
        sources: loaded.sources,
    }
}
