//! Command-line parsing and dispatch: the global options, the subcommand list, and the
//! mapping from outcomes to exit codes (0 success, 1 invalid data or failed operation,
//! 2 usage error or unknown node, 130 interrupted by Ctrl-C; a closed pipe is a quiet
//! success).

use crate::cmd::print::Format;
use crate::cmd::{self, Context, Failure};
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Analyse the history of public policy as a typed graph.
///
/// Nodes are initiatives, bodies, legislation, documents and findings; edges say what
/// was established-by, reformed-by, replaced or led-to what, what was evaluated-by which
/// finding or document, and which document cites, reports (reported-in) or was
/// published-by which. Every node and edge carries its sources.
#[derive(Debug, Parser)]
#[command(name = "policygraph", version, max_term_width = 100)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after the subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Data to load: a directory of *.toml collections, a directory with nodes.csv and
    /// edges.csv, or one .toml file
    #[arg(long, global = true, value_name = "PATH", default_value = "data")]
    pub data: PathBuf,

    /// Treat warnings as errors
    #[arg(long, global = true)]
    pub strict: bool,

    /// The evidence as known by the end of this year: only documents published by then,
    /// the findings they make, the edges between what is left, and no initiative, body or
    /// law begun later (undated documents are left out; ends after it show as ongoing)
    #[arg(long, global = true, value_name = "YEAR", value_parser = cmd::args::parse_year)]
    pub known_by: Option<u16>,
}

/// A query's own options, and how it prints its answer.
#[derive(Debug, clap::Args)]
pub struct Query<A: clap::Args> {
    /// The query's own options.
    #[command(flatten)]
    pub args: A,

    /// How to print the answer
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The subcommands. Keep this list in step with the README's.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and check the data; list every error and warning with its location
    Validate(Query<cmd::validate::Args>),
    /// Show one node: its fields, its edges both ways, and its sources
    Show(Query<cmd::show::Args>),
    /// Find nodes whose id, name, alias or summary contains the text
    Search(Query<cmd::search::Args>),
    /// What a node replaced and what replaced it, in time order, with what established each
    Lineage(Query<cmd::lineage::Args>),
    /// Which reviews judged which initiative, how, and where they say so
    Critiques(Query<cmd::critiques::Args>),
    /// Records whose sources disagree with the public record, and how (attrs.discrepancy)
    Discrepancies(Query<cmd::discrepancies::Args>),
    /// The shortest connection between two nodes, each hop with its relation
    Path(Query<cmd::path::Args>),
    /// The shortest connection between two nodes, told as sentences with citations
    Explain(Query<cmd::explain::Args>),
    /// The ego network: every node within N hops
    #[command(alias = "neighbors")]
    Neighbours(Query<cmd::neighbours::Args>),
    /// Starts and ends in date order, or what was active in one year (--as-of)
    Timeline(Query<cmd::timeline::Args>),
    /// What was created, ended or replaced between two years
    Diff(Query<cmd::diff::Args>),
    /// Counts, most cited documents, most evaluated initiatives, centrality, layering
    Stats(Query<cmd::stats::Args>),
    /// Every succession event (linear, merger, split, renaming, incorporation,
    /// reorganisation, termination) with its date, parts and sources
    Successions(cmd::successions::Args),
    /// Per year: initiatives running (and possibly running), added beside others
    /// (layering) or as replacements, ended, and drifting; text, JSON, CSV or an SVG chart
    Layering(cmd::layering::Args),
    /// Write a view as DOT, node-link JSON, GraphML, GEXF, CSV, Cypher, Parquet, Mermaid,
    /// or its documents as CSL-JSON or BibTeX
    Export(cmd::export::Args),
    /// Draw a view as SVG (embedded engine) or SVG/PNG/PDF (system Graphviz)
    Render(cmd::render::Args),
    /// A teaching deck revealed era by era, with a sourced handout, in output/seminar/
    Seminar(cmd::seminar::Args),
    /// One offline HTML page to explore the graph: lineage overview, focus views, evidence, timeline
    Explorer(cmd::explorer::Args),
    /// The main job: validate, then write every standard view, the seminar deck and
    /// handout, and the explorer to output/
    Build(cmd::build::Args),
    /// Start a collection of your own: a folder with the conventions and one example of
    /// each kind and relation, ready to validate
    New(cmd::new::Args),
    /// Merge records from other tools into a TOML file of the collection: references
    /// from Zotero, Better BibTeX or any CSL-JSON or BibTeX/BibLaTeX export; bodies and
    /// their succession from GOV.UK organisations API JSON and Wikidata
    Import(cmd::import::Args),
    /// The completion script for a shell (bash, zsh, fish, powershell, elvish)
    Completions(cmd::completions::Args),
    /// The manual pages (roff), generated from this program's options
    Man(cmd::man::Args),
}

impl Command {
    /// Whether the command was asked for `--format json`: then its error, too, is one
    /// JSON object on stderr, so a script reads every outcome as JSON.
    fn answers_in_json(&self) -> bool {
        let format = match self {
            Command::Validate(q) => q.format,
            Command::Show(q) => q.format,
            Command::Search(q) => q.format,
            Command::Lineage(q) => q.format,
            Command::Critiques(q) => q.format,
            Command::Path(q) => q.format,
            Command::Explain(q) => q.format,
            Command::Neighbours(q) => q.format,
            Command::Timeline(q) => q.format,
            Command::Diff(q) => q.format,
            Command::Stats(q) => q.format,
            Command::Discrepancies(q) => q.format,
            Command::Successions(a) => {
                return a.format == cmd::successions::Format::Json;
            }
            Command::Layering(a) => {
                return a.format == cmd::layering::Format::Json && a.output.is_none();
            }
            _ => return false,
        };
        format == Format::Json
    }
}

/// Parses `args`, runs the command, and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    crate::output::exit_on_interrupt();
    let cli = match Cli::try_parse_from(format_after_subcommand(args.into_iter().collect())) {
        Ok(cli) => cli,
        Err(e) => {
            let e = with_format_tip(e);
            // Help and version go to stdout and exit 0, if they could be written; usage
            // errors go to stderr and exit 2.
            let printed = e.print().and_then(|()| std::io::stdout().flush());
            crate::output::finishing();
            if e.exit_code() == 0
                && let Err(err) = printed
            {
                let _ = write!(std::io::stderr(), "{}", Failure::Io(err).render());
                return ExitCode::from(1);
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    // Never dropped: the context owns the opened data, and the process exits right after
    // the command, which frees it at once instead of record by record (a third of a
    // second at a million nodes, for nothing).
    if let Some(failure) = known_by_refused(&cli) {
        let _ = write!(std::io::stderr(), "{}", failure.render());
        crate::output::finishing();
        return ExitCode::from(failure.exit_code());
    }
    let json_errors = cli.command.answers_in_json();
    let mut ctx = Context::new(cli.global.data, cli.global.strict).with_json_errors(json_errors);
    ctx.known_by = cli.global.known_by;
    let ctx: &Context = Box::leak(Box::new(ctx));
    let result = match cli.command {
        Command::Validate(q) => cmd::validate::run(ctx, &q.args, q.format),
        Command::Show(q) => cmd::show::run(ctx, &q.args, q.format),
        Command::Search(q) => cmd::search::run(ctx, &q.args, q.format),
        Command::Lineage(q) => cmd::lineage::run(ctx, &q.args, q.format),
        Command::Critiques(q) => cmd::critiques::run(ctx, &q.args, q.format),
        Command::Discrepancies(q) => cmd::discrepancies::run(ctx, &q.args, q.format),
        Command::Path(q) => cmd::path::run(ctx, &q.args, q.format),
        Command::Explain(q) => cmd::explain::run(ctx, &q.args, q.format),
        Command::Neighbours(q) => cmd::neighbours::run(ctx, &q.args, q.format),
        Command::Timeline(q) => cmd::timeline::run(ctx, &q.args, q.format),
        Command::Diff(q) => cmd::diff::run(ctx, &q.args, q.format),
        Command::Stats(q) => cmd::stats::run(ctx, &q.args, q.format),
        Command::Successions(args) => cmd::successions::run(ctx, &args),
        Command::Layering(args) => cmd::layering::run(ctx, &args),
        Command::Export(args) => cmd::export::run(ctx, &args),
        Command::Render(args) => cmd::render::run(ctx, &args),
        Command::Seminar(args) => cmd::seminar::run(ctx, &args),
        Command::Explorer(args) => cmd::explorer::run(ctx, &args),
        Command::Build(args) => cmd::build::run(ctx, &args),
        Command::New(args) => cmd::new::run(&args),
        Command::Import(args) => cmd::import::run(ctx, &args),
        Command::Completions(args) => cmd::completions::run(&args),
        Command::Man(args) => cmd::man::run(&args),
    };
    // From here the exit code is decided: an interrupt being handled wins (130), a later
    // one is ignored, so "interrupted" is never followed by another exit code.
    crate::output::finishing();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(failure) => {
            let mut stderr = std::io::stderr().lock();
            let message = match json_errors {
                true => failure.render_json(),
                false => failure.render(),
            };
            let _ = write!(stderr, "{message}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// `--known-by` narrows what a command reads; `validate`, `import` and `new` read or write
/// the collection itself, so there it is refused rather than ignored (exit 2).
fn known_by_refused(cli: &Cli) -> Option<Failure> {
    cli.global.known_by?;
    let name = match cli.command {
        Command::Validate(_) => "validate",
        Command::Import(_) => "import",
        Command::New(_) => "new",
        _ => return None,
    };
    Some(Failure::Usage {
        message: format!(
            "--known-by does not apply to `{name}`, which works on the whole collection"
        ),
        help: "leave out --known-by, or use it with a query, a view, the seminar or the explorer"
            .to_string(),
    })
}

/// `--format` is an option of the commands that have one, but it was global once, and
/// README examples and scripts write it before the subcommand (`policygraph --format json
/// lineage X`): moved to just after the subcommand, where that command's own list of
/// values accepts or refuses it (`policygraph --format dot lineage X` is a usage error
/// naming lineage's values; `--format` before `build` is an unexpected argument).
fn format_after_subcommand(mut args: Vec<OsString>) -> Vec<OsString> {
    let mut moved = Vec::new();
    let mut i = 1;
    while let Some(arg) = args.get(i).and_then(|a| a.to_str()) {
        match arg {
            "--format" if i + 1 < args.len() => moved.extend(args.drain(i..i + 2)),
            _ if arg.starts_with("--format=") => moved.push(args.remove(i)),
            "--data" | "--known-by" => i += 2,
            "--" => break,
            _ if arg.starts_with('-') => i += 1,
            _ => break, // the subcommand
        }
    }
    let after = (i + 1).min(args.len());
    args.splice(after..after, moved);
    args
}

/// A `--format` a command does not take gets a tip saying where it belongs, instead of
/// clap's guess at a similar option (`render --format` is not `--from`).
fn with_format_tip(mut e: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let arg = |e: &clap::Error| match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.starts_with("--format"),
        _ => false,
    };
    let tip = match (e.kind(), e.get(ContextKind::InvalidValue)) {
        (ErrorKind::InvalidValue, Some(ContextValue::String(value)))
            if arg(&e) && <cmd::export::Format as clap::ValueEnum>::from_str(value, true).is_ok() =>
        {
            format!("`policygraph export VIEW --format {value}` writes a view as {value}; this command prints text or json")
        }
        (ErrorKind::UnknownArgument, _) if arg(&e) => {
            "--format belongs to the queries (text or json) and to `export` (dot, json, mermaid, graphml, gexf, csv, cypher); `render` draws the type its -o names, or -t".to_string()
        }
        _ => return e,
    };
    if e.remove(ContextKind::SuggestedArg).is_some() {
        // clap's usage line shows the guess in place (`render --from <YEAR>`).
        e.remove(ContextKind::Usage);
    }
    e.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(vec![tip.into()]),
    );
    e
}
