//! One module per subcommand, each a pipeline: open the data, query, print text or
//! JSON. Shared here: the [`Context`] (global options and output streams), the
//! [`Failure`] type with its exit codes, and how data problems are shown.

pub mod build;
pub mod critiques;
pub mod diff;
pub mod explain;
pub mod explorer;
pub mod export;
pub mod lineage;
pub mod neighbours;
pub mod path;
pub mod render;
pub mod search;
pub mod seminar;
pub mod show;
pub mod stats;
pub mod table;
pub mod timeline;
pub mod validate;

use crate::cli::{Format, GlobalArgs};
use crate::diag::{RenderOptions, Severity, render};
use crate::graph::NodeIndex;
use crate::graph::{PolicyGraph, ResolveError};
use crate::load::LoadError;
use crate::open::Opened;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};

/// How many problems of one code are drawn before the rest are only counted.
pub const PROBLEMS_PER_CODE: usize = 20;

/// Why a command did not succeed, and so its exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The data has errors; they have been shown already.
    #[error("the data has {errors} error{}", if *.errors == 1 { "" } else { "s" })]
    InvalidData {
        /// How many.
        errors: usize,
    },
    /// The command has reported the failure itself (`validate`); exit 1 quietly.
    #[error("the failure was reported above")]
    Reported,
    /// The data path cannot be loaded at all.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A NODE argument names no node, or several.
    #[error("{message}")]
    Node {
        /// What went wrong, with the candidates or suggestions.
        message: String,
        /// What to do.
        help: String,
    },
    /// The command line asks for something impossible; exit 2.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// What to do.
        help: String,
    },
    /// Drawing failed.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// The operation cannot be done on this data (no path between two nodes; a value a
    /// format cannot hold); exit 1.
    #[error("{message}")]
    NoAnswer {
        /// What is missing.
        message: String,
        /// What to try.
        help: String,
    },
    /// A file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Writing the answer failed.
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
}

impl Failure {
    /// 1 for invalid data or a failed operation, 2 for usage errors and unknown nodes.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::InvalidData { .. }
            | Failure::Reported
            | Failure::NoAnswer { .. }
            | Failure::Io(_) => 1,
            Failure::Load(_) | Failure::Node { .. } | Failure::Usage { .. } => 2,
            Failure::Render(_) | Failure::Write { .. } => 1,
        }
    }

    /// The message for stderr: `error: ...` and a hint.
    pub fn render(&self) -> String {
        let help = match self {
            Failure::Reported => return String::new(),
            Failure::InvalidData { .. } => {
                "run `policygraph validate` to see every problem with its location".to_string()
            }
            Failure::Load(e) => e.help().to_string(),
            Failure::Node { help, .. }
            | Failure::NoAnswer { help, .. }
            | Failure::Usage { help, .. } => help.clone(),
            Failure::Render(e) => e.help().to_string(),
            Failure::Write { .. } => "check that the directory exists and is writable".to_string(),
            Failure::Io(_) => "check that the output can be written".to_string(),
        };
        format!("error: {self}\n  help: {help}\n")
    }
}

/// What every command gets: the global options and where to write.
#[derive(Debug)]
pub struct Context {
    /// The global options.
    pub global: GlobalArgs,
    /// Whether stderr is a terminal (colour, width).
    pub stderr_terminal: bool,
}

impl Context {
    /// A context for these options.
    pub fn new(global: GlobalArgs) -> Self {
        Context {
            global,
            stderr_terminal: std::io::stderr().is_terminal(),
        }
    }

    /// True for `--format json`.
    pub fn json(&self) -> bool {
        self.global.format == [Format::Json]
    }

    /// Checks that a query was given `--format text` or `--format json`, one of them.
    pub fn query_format(&self) -> Result<(), Failure> {
        match self.global.format.as_slice() {
            [Format::Text] | [Format::Json] => Ok(()),
            _ => Err(Failure::Usage {
                message: "this command prints `--format text` or `--format json`".to_string(),
                help: "use `policygraph export --format dot,mermaid,...` to write other formats"
                    .to_string(),
            }),
        }
    }

    /// How problems are drawn: colour only on a terminal without NO_COLOR.
    pub fn render_options(&self) -> RenderOptions {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        RenderOptions {
            color: self.stderr_terminal && !no_color,
            width: 100,
        }
    }

    /// Opens the data for a query (after checking `--format` is text or JSON): on
    /// errors, shows them and fails.
    pub fn open_for_query(&self) -> Result<&'static Opened, Failure> {
        self.query_format()?;
        self.open_checked()
    }

    /// Opens the data: on errors, shows them and fails. Warning checks run only under
    /// `--strict`, where they are errors: answering a query needs data without errors,
    /// and `validate` is where warnings are read.
    ///
    /// The opened data is leaked: it lives until the process exits, which frees it at
    /// once, instead of being dropped record by record (a third of a second on a million
    /// nodes, for nothing).
    pub fn open_checked(&self) -> Result<&'static Opened, Failure> {
        let opened = crate::open::open_for_query(&self.global.data, self.global.strict)?;
        self.refuse_errors(opened)
    }

    /// Opens the data with every check, as `validate` does: on errors, shows them and
    /// fails; on warnings, says how many in one line. For `build`, the main job.
    pub fn open_validated(&self) -> Result<&'static Opened, Failure> {
        let opened = crate::open::open(&self.global.data, self.global.strict)?;
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

    fn refuse_errors(&self, opened: Opened) -> Result<&'static Opened, Failure> {
        let errors = opened.errors();
        let mut stderr = std::io::stderr().lock();
        if errors > 0 {
            show_problems(self, &opened, false, true, &mut stderr)?;
            return Err(Failure::InvalidData { errors });
        }
        Ok(Box::leak(Box::new(opened)))
    }

    /// Resolves a NODE argument, turning failure into a message with candidates.
    pub fn resolve(&self, g: &PolicyGraph, query: &str) -> Result<NodeIndex, Failure> {
        g.resolve(query).map_err(|e| match e {
            ResolveError::Ambiguous { ref candidates, .. } => {
                let lines: Vec<String> = candidates
                    .iter()
                    .filter_map(|id| g.get(id))
                    .map(|ix| format!("    {}", describe(g, ix)))
                    .collect();
                Failure::Node {
                    message: format!("{e}:\n{}", lines.join("\n")),
                    help: "pass one of these ids instead".to_string(),
                }
            }
            ResolveError::Unknown {
                ref suggestions,
                ref query,
            } => {
                let message = if suggestions.is_empty() {
                    e.to_string()
                } else {
                    let lines: Vec<String> = suggestions
                        .iter()
                        .filter_map(|id| g.get(id))
                        .map(|ix| format!("    {}", describe(g, ix)))
                        .collect();
                    format!("{e}; did you mean:\n{}", lines.join("\n"))
                };
                Failure::Node {
                    message,
                    help: format!("`policygraph search \"{query}\"` lists nodes that mention it"),
                }
            }
        })
    }
}

/// `id (kind, years): name`, one line for lists of candidates.
pub fn describe(g: &PolicyGraph, ix: NodeIndex) -> String {
    let n = g.node(ix);
    format!(
        "{} ({}{}): {}",
        n.id,
        n.kind,
        years(n).map(|y| format!(", {y}")).unwrap_or_default(),
        n.name
    )
}

pub use crate::query::timeline::dates as years;

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
        let count = shown.entry(p.code).or_default();
        if !all && *count >= PROBLEMS_PER_CODE {
            *hidden.entry(p.code).or_default() += 1;
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

/// Writes a JSON value followed by a newline.
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), Failure> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Parses a relation for `--relations`.
pub fn parse_relation(text: &str) -> Result<crate::model::Relation, String> {
    text.parse()
}

/// Parses a kind for `--kinds`.
pub fn parse_kind(text: &str) -> Result<crate::model::NodeKind, String> {
    text.parse()
}

/// Parses a count that must be at least 1: `--limit` of every command that has one
/// (`path --all`, `search`), and `path --max-steps`. Zero would ask for an empty answer
/// (it used to print "no node matches"), so it is a usage error, exit 2; leave the
/// option out for the default.
pub fn parse_limit(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (leave the option out for the default)".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "expected a whole number of at least 1, not `{text}`"
        )),
    }
}

/// Parses a year for `--from`, `--to`, `--as-of` and `diff`: by the data's own rule
/// ([`crate::model::PartialDate::parse_year`]), so every year a date in the data can
/// have, 0000 to 9999, can be asked about.
pub fn parse_year(text: &str) -> Result<u16, String> {
    crate::model::PartialDate::parse_year(text).map_err(|_| {
        "expected a year of four digits as the data writes it, 0000 to 9999: 2013, or 0800 \
         for the year 800"
            .to_string()
    })
}

/// The filters several queries share, flattened into their arguments.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only follow these relations, comma-separated: established-by, replaced,
    /// evaluated-by, cites, published-by
    #[arg(long, value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Vec<crate::model::Relation>,

    /// Only visit nodes of these kinds, comma-separated: initiative, body, legislation,
    /// document, finding
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<crate::model::NodeKind>,
}

impl FilterArgs {
    /// As a query filter.
    pub fn filter(&self) -> crate::query::Filter {
        crate::query::Filter {
            relations: self.relations.clone(),
            kinds: self.kinds.clone(),
        }
    }
}

/// The nodes and edges of an answer, sorted and de-duplicated, as the JSON contract's
/// `nodes` and `edges`.
pub fn subgraph<'a>(
    g: &'a PolicyGraph,
    nodes: impl IntoIterator<Item = NodeIndex>,
    edges: impl IntoIterator<Item = crate::graph::EdgeIndex>,
) -> (
    Vec<crate::json::JsonNode<'a>>,
    Vec<crate::json::JsonEdge<'a>>,
) {
    let mut ns: Vec<NodeIndex> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for n in nodes {
        if seen.insert(n) {
            ns.push(n);
        }
    }
    let mut es: Vec<crate::graph::EdgeIndex> = edges.into_iter().collect();
    es.sort();
    es.dedup();
    for &e in &es {
        let (a, b) = g.endpoints(e);
        for n in [a, b] {
            if seen.insert(n) {
                ns.push(n);
            }
        }
    }
    (crate::json::nodes(g, ns), crate::json::edges(g, es))
}

/// `Name (id)`.
pub fn named(g: &PolicyGraph, n: NodeIndex) -> String {
    let node = g.node(n);
    format!("{} ({})", node.name, node.id)
}

/// Writes `nodes` as an aligned table (dates, kind, name and id), indented by two.
pub fn node_table(
    out: &mut impl std::io::Write,
    g: &PolicyGraph,
    nodes: &[NodeIndex],
) -> std::io::Result<()> {
    let mut table = table::Table::new();
    for &n in nodes {
        let node = g.node(n);
        table.row([span(node), node.kind.to_string(), named(g, n)]);
    }
    table.write(out, "  ")
}

/// `start to end` columns for tables: `2013-04-01 to 2022-06-30`, `2022-07-01 ongoing`,
/// `1998-04 end unknown`, `2012` (a law, document or finding), or blank.
pub fn span(n: &crate::model::Node) -> String {
    use crate::model::End;
    match (n.start, n.end) {
        (Some(s), End::On(e)) => format!("{s} to {e}"),
        (Some(s), End::Unknown) if !n.kind.has_lifespan() => format!("{s}"),
        (Some(s), End::Ongoing) => format!("{s} ongoing"),
        (Some(s), End::Unknown) => format!("{s} end unknown"),
        (None, End::On(e)) => format!("? to {e}"),
        (None, End::Ongoing) => "ongoing".into(),
        (None, End::Unknown) => String::new(),
    }
}

/// Writes bytes to a file atomically, or to stdout when no path is given.
pub fn write_out(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), Failure> {
    match path {
        Some(p) => {
            crate::output::write_atomic(p, bytes).map_err(|e| Failure::Write {
                path: p.to_path_buf(),
                source: e,
            })?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// Pads `text` to `width` characters.
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}
