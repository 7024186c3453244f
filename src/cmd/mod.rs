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
    /// An output path is refused before anything is written (a directory, a disk, a
    /// symbolic link out of `--out`, a FIFO nobody reads, a directory another build holds).
    #[error(transparent)]
    Refused(#[from] crate::output::Refused),
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
            | Failure::Refused(_)
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
            Failure::Refused(r) => r.help.clone(),
            Failure::Write { source, .. } => write_help(source).to_string(),
            Failure::Io(e) => match write_help(e) {
                WRITE_HELP => "check that the output can be written",
                help => help,
            }
            .to_string(),
        };
        // A message may quote a path or an argument: shown with what a terminal would act
        // on escaped, its own line breaks kept.
        let keep = |c: char| c == '\n';
        format!(
            "error: {}\n  help: {}\n",
            crate::text::visible_except(&self.to_string(), keep),
            crate::text::visible_except(&help, keep)
        )
    }
}

/// The hint for a failed write when nothing more precise applies.
const WRITE_HELP: &str = "check that the directory exists and is writable";

/// The hint for a failed write, by what went wrong: each kind of error its own true
/// advice (a full disk is not a missing directory).
pub fn write_help(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "check that the directory exists",
        ErrorKind::PermissionDenied => {
            "check that you may write there (the directory's permissions and owner)"
        }
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only: write elsewhere",
        ErrorKind::StorageFull => "the disk is full: free some space, or write elsewhere",
        ErrorKind::QuotaExceeded => {
            "your disk quota is used up: free some space, or write elsewhere"
        }
        ErrorKind::FileTooLarge => "the file system cannot hold a file this large: write elsewhere",
        ErrorKind::InvalidFilename => {
            "the name is too long (or not allowed) on this file system: choose a shorter path"
        }
        ErrorKind::IsADirectory => "a directory is in the way: name a file, or move the directory",
        ErrorKind::NotADirectory => "a part of the path is a file, not a directory",
        ErrorKind::BrokenPipe => "the program reading the output stopped before the end",
        ErrorKind::CrossesDevices => "write to a directory on the same file system",
        _ if e.raw_os_error() == Some(40) => {
            // ELOOP on Linux: a link loop, or a link where none may be.
            "a symbolic link on the path loops or is not allowed there"
        }
        _ => WRITE_HELP,
    }
}

impl Failure {
    /// The failure for an output path that could not be prepared or written.
    pub fn output(path: &std::path::Path, e: crate::output::OutputError) -> Failure {
        match e {
            crate::output::OutputError::Refused(r) => Failure::Refused(r),
            crate::output::OutputError::Io(source) => Failure::Write {
                path: path.to_path_buf(),
                source,
            },
        }
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

/// Writes a JSON value followed by a newline.
///
/// Strings are escaped as JSON always escapes them, and also every character
/// [`crate::text::visible`] would escape that JSON leaves raw (DEL, the C1 controls,
/// bidirectional controls, U+2028, noncharacters...): `\u009b`, so the text read back
/// is the same, but a terminal showing the JSON acts on none of it.
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), Failure> {
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut *out,
        Inert(serde_json::ser::PrettyFormatter::new()),
    );
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// serde_json's pretty formatter, escaping what a terminal would act on (see
/// [`write_json`]).
struct Inert<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for Inert<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| crate::text::class(c).is_some())
        {
            writer.write_all(&rest.as_bytes()[..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod inert_tests {
    #[test]
    fn json_escapes_what_a_terminal_acts_on_and_reads_back_the_same() {
        let text = "a\u{9b}2J \u{1b}]0;x\u{7} \u{202e} \u{7f} \u{1FFFF} é 🙂\n";
        let mut out = Vec::new();
        super::write_json(&mut out, &serde_json::json!({ "name": text })).unwrap();
        let json = String::from_utf8(out).unwrap();
        assert!(
            json.chars()
                .all(|c| c == '\n' || !c.is_control() && crate::text::class(c).is_none()),
            "{json}"
        );
        assert!(
            json.contains("\\u009b") && json.contains("\\ud83f\\udfff"),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], text);
    }
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

/// Writes bytes to `-o PATH` ([`crate::output::write_to`]: atomically to a regular file,
/// through a FIFO or device, `-` to stdout), or to stdout when no path is given. An
/// unchanged regular file is left untouched.
pub fn write_out(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), Failure> {
    write_streamed(path, Some(bytes), |w| w.write_all(bytes))
}

/// Writes what `write` produces to `-o PATH` or to stdout, as [`write_out`] does;
/// `whole`, when given, is the whole content, to leave an unchanged file untouched.
pub fn write_streamed(
    path: Option<&std::path::Path>,
    whole: Option<&[u8]>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            crate::output::write_to(p, whole, write).map_err(|e| Failure::output(p, e))
        }
        _ => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Pads `text` to `width` characters.
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}
