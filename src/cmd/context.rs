//! What every command gets: the [`Context`] (the global options, the opened data), and
//! how data problems and NODE arguments that name no node are shown.

use super::failure::Failure;
use super::print::describe;
use crate::diag::{RenderOptions, Severity, render};
use crate::graph::{NodeIndex, PolicyGraph, ResolveError};
use crate::open::Opened;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// How many problems of one code are drawn before the rest are only counted.
pub const PROBLEMS_PER_CODE: usize = 20;

/// What every command gets: the global options, and the data once opened.
#[derive(Debug)]
pub struct Context {
    /// Whether the command answers in JSON, so its data errors go with its failure.
    json_errors: bool,
    /// `--data`: the collection to load.
    pub data: PathBuf,
    /// `--strict`: warnings are errors.
    pub strict: bool,
    /// Whether stderr is a terminal (colour).
    pub stderr_terminal: bool,
    /// `--known-by`: the evidence as known by the end of this year
    /// ([`crate::query::known`]), applied when the data is opened.
    pub known_by: Option<u16>,
    /// Under `--known-by`, the whole graph, to tell a NODE that is not known yet from
    /// one that does not exist.
    whole: OnceCell<PolicyGraph>,
    /// The opened data, owned here so that it lives as long as the context, which
    /// [`crate::cli::run`] never drops (see there).
    opened: OnceCell<Opened>,
}

impl Context {
    /// A context for these options.
    pub fn new(data: PathBuf, strict: bool) -> Self {
        Context {
            data,
            strict,
            json_errors: false,
            stderr_terminal: std::io::stderr().is_terminal(),
            known_by: None,
            whole: OnceCell::new(),
            opened: OnceCell::new(),
        }
    }

    /// A context with the same options and nothing opened yet: `build --watch` opens
    /// the data afresh for each rebuild.
    pub fn again(&self) -> Self {
        Context {
            data: self.data.clone(),
            strict: self.strict,
            json_errors: self.json_errors,
            stderr_terminal: self.stderr_terminal,
            known_by: self.known_by,
            whole: OnceCell::new(),
            opened: OnceCell::new(),
        }
    }

    /// Problems that stop the command are given as JSON with its failure, not drawn:
    /// for a command asked for `--format json`.
    pub fn with_json_errors(mut self, json: bool) -> Self {
        self.json_errors = json;
        self
    }

    /// How problems are drawn: colour only on a terminal without NO_COLOR.
    pub fn render_options(&self) -> RenderOptions {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        RenderOptions {
            color: self.stderr_terminal && !no_color,
            width: 100,
        }
    }

    /// Keeps the opened data for as long as the context (a command opens its data
    /// once; a second call returns the first).
    pub fn keep(&self, opened: Opened) -> &Opened {
        self.opened.get_or_init(|| opened)
    }

    /// Opens the data: on errors, shows them and fails. Warning checks run only under
    /// `--strict`, where they are errors: answering a query needs data without errors,
    /// and `validate` is where warnings are read.
    pub fn open_checked(&self) -> Result<&Opened, Failure> {
        let opened = crate::open::open_for_query(&self.data, self.strict)?;
        self.refuse_errors(opened)
    }

    /// Opens the data with every check, as `validate` does: on errors, shows them and
    /// fails; on warnings, says how many in one line. For `build`, the main job.
    pub fn open_validated(&self) -> Result<&Opened, Failure> {
        let opened = crate::open::open(&self.data, self.strict)?;
        let warnings = opened.warnings();
        let opened = self.refuse_errors(opened)?;
        if warnings > 0 {
            writeln!(
                std::io::stderr(),
                "note: the data has {warnings} warning{}; `policygraph validate` lists them",
                if warnings == 1 { "" } else { "s" }
            )?;
        }
        Ok(opened)
    }

    fn refuse_errors(&self, opened: Opened) -> Result<&Opened, Failure> {
        let errors = opened.errors();
        if errors > 0 {
            if self.json_errors {
                // Given with the failure, as one JSON object (`cli::run`).
                let problems = opened
                    .problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .filter_map(|p| {
                        serde_json::to_value(crate::diag::JsonProblem::new(p, &opened.sources)).ok()
                    })
                    .collect();
                return Err(Failure::InvalidData { errors, problems });
            }
            show_problems(self, &opened, false, true, &mut std::io::stderr().lock())?;
            return Err(Failure::InvalidData {
                errors,
                problems: Vec::new(),
            });
        }
        Ok(self.keep(self.as_known(opened)?))
    }

    /// The one place `--known-by` applies: the checked graph is replaced by the graph as
    /// known by that year, and a note on stderr says what was left out.
    fn as_known(&self, mut opened: Opened) -> Result<Opened, Failure> {
        let Some(year) = self.known_by else {
            return Ok(opened);
        };
        let (known, report) = crate::query::known::known_by(&opened.graph, year);
        let whole = std::mem::replace(&mut opened.graph, known);
        let _ = self.whole.set(whole);
        writeln!(std::io::stderr(), "note: {}", report.sentence())?;
        Ok(opened)
    }

    /// Resolves a NODE argument, turning failure into a message with candidates.
    pub fn resolve(&self, g: &PolicyGraph, query: &str) -> Result<NodeIndex, Failure> {
        // One line per candidate: `    id (kind, dates): name`.
        let list = |ids: &[String]| {
            let lines: Vec<String> = (ids.iter().filter_map(|id| g.get(id)))
                .map(|ix| format!("    {}", describe(g, ix)))
                .collect();
            lines.join("\n")
        };
        if let (Err(ResolveError::Unknown { .. }), Some(whole), Some(year)) =
            (g.resolve(query), self.whole.get(), self.known_by)
            && let Ok(ix) = whole.resolve(query)
        {
            return Err(Failure::Node {
                message: format!(
                    "{} is not known by {year}: {}",
                    crate::text::visible(whole.node(ix).name()),
                    match whole.node(ix).start {
                        Some(d) if d.year_part() > year =>
                            format!("it dates from {}", d.year_part()),
                        Some(_) => "the document that makes it is later".to_string(),
                        None => "it is undated".to_string(),
                    }
                ),
                help: "ask about a later --known-by year, or leave the option out".to_string(),
            });
        }
        g.resolve(query).map_err(|e| match e {
            ResolveError::Ambiguous { ref candidates, .. } => Failure::Node {
                message: format!("{e}:\n{}", list(candidates)),
                help: "pass one of these ids instead".to_string(),
            },
            ResolveError::Unknown {
                ref suggestions,
                ref query,
            } => Failure::Node {
                message: if suggestions.is_empty() {
                    e.to_string()
                } else {
                    format!("{e}; did you mean:\n{}", list(suggestions))
                },
                help: look_alike_help(g, query, suggestions).unwrap_or_else(|| {
                    format!("`policygraph search \"{query}\"` lists nodes that mention it")
                }),
            },
        })
    }
}

/// Draws problems on `out`, at most [`PROBLEMS_PER_CODE`] of each code unless `all`,
/// then says how many more there were.
pub fn show_problems(
    ctx: &Context,
    opened: &Opened,
    all: bool,
    errors_only: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let options = ctx.render_options();
    let mut shown: HashMap<&str, usize> = HashMap::new();
    let mut hidden: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for p in &opened.problems {
        if errors_only && p.severity != Severity::Error {
            continue;
        }
        let count = shown.entry(p.code.as_str()).or_default();
        if !all && *count >= PROBLEMS_PER_CODE {
            *hidden.entry(p.code.as_str()).or_default() += 1;
            continue;
        }
        *count += 1;
        let mut text = String::new();
        render(p, &opened.sources, options, &mut text);
        out.write_all(text.as_bytes())?;
    }
    for (&code, &n) in &opened.omitted {
        if !errors_only
            || opened
                .problems
                .iter()
                .any(|p| p.code == code && p.severity == Severity::Error)
        {
            *hidden.entry(code).or_default() += n;
        }
    }
    for (code, n) in hidden {
        writeln!(
            out,
            "… and {n} more `{code}` problem{} (use --all to see them)",
            if n == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// When a NODE argument prints like a node's name but differs by look-alike characters
/// (in the argument, or in the data), what the difference is and what to type.
fn look_alike_help(g: &PolicyGraph, query: &str, suggestions: &[String]) -> Option<String> {
    use crate::confusable::{explain, look_alikes, print_alike};
    let found = look_alikes(query);
    if !found.is_empty() {
        return Some(format!(
            "`{query}` contains {}: type it with plain letters",
            explain(&found)
        ));
    }
    // The data holds the look-alike: name the node and its character.
    suggestions.iter().find_map(|id| {
        let n = g.node(g.get(id)?);
        let text = std::iter::once(n.name())
            .chain(n.aliases().iter())
            .find(|t| print_alike(query.trim(), t))?;
        Some(format!(
            "the name `{text}` of `{id}` prints like `{query}` but contains {}: pass the id `{id}`, or correct the name in the data",
            explain(&look_alikes(text))
        ))
    })
}
