//! Command-line parsing and dispatch: the global options, the subcommand list, and the
//! mapping from outcomes to exit codes (0 success, 1 invalid data or failed operation,
//! 2 usage error or unknown node, 130 interrupted by Ctrl-C; a closed pipe is a quiet
//! success).

use crate::cmd::{self, Context, Failure};
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Analyse the history of public policy as a typed graph.
///
/// Nodes are initiatives, bodies, legislation, documents and findings; edges say what
/// was established-by, replaced, evaluated-by, cites or published-by what. Every node
/// and edge carries its sources.
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

    /// Output format: text or json for queries; for `export`, one or more of dot, json,
    /// mermaid, graphml, gexf, csv, cypher (comma-separated)
    #[arg(
        long,
        global = true,
        value_enum,
        value_delimiter = ',',
        default_value = "text"
    )]
    pub format: Vec<Format>,

    /// Treat warnings as errors
    #[arg(long, global = true)]
    pub strict: bool,
}

/// How a command prints its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum Format {
    /// Readable text
    Text,
    /// One JSON object (see the README for each command's schema); for `export`,
    /// node-link JSON that networkx and D3 read
    Json,
    /// Graphviz DOT (export)
    Dot,
    /// A Mermaid flowchart for Markdown (export)
    Mermaid,
    /// GraphML with typed attributes: Gephi, yEd, Cytoscape, networkx (export)
    Graphml,
    /// GEXF with time intervals, so Gephi's timeline plays the history (export)
    Gexf,
    /// nodes.csv and edges.csv in policygraph's interchange format, or Neo4j's with
    /// --neo4j; written to the directory -o names (export)
    Csv,
    /// A Cypher script of MERGE statements for Neo4j (export)
    Cypher,
}

impl Format {
    /// The file extension of an exported format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Dot => "dot",
            Format::Mermaid => "mmd",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Csv => "csv",
            Format::Cypher => "cypher",
        }
    }
}

/// The subcommands. Keep this list in step with the README's.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and check the data; list every error and warning with its location
    Validate(cmd::validate::Args),
    /// Show one node: its fields, its edges both ways, and its sources
    Show(cmd::show::Args),
    /// Find nodes whose id, name, alias or summary contains the text
    Search(cmd::search::Args),
    /// What a node replaced and what replaced it, in time order, with what established each
    Lineage(cmd::lineage::Args),
    /// Which reviews judged which initiative, how, and where they say so
    Critiques(cmd::critiques::Args),
    /// The shortest connection between two nodes, each hop with its relation
    Path(cmd::path::Args),
    /// The shortest connection between two nodes, told as sentences with citations
    Explain(cmd::explain::Args),
    /// The ego network: every node within N hops
    #[command(alias = "neighbors")]
    Neighbours(cmd::neighbours::Args),
    /// Starts and ends in date order, or what was active in one year (--as-of)
    Timeline(cmd::timeline::Args),
    /// What was created, ended or replaced between two years
    Diff(cmd::diff::Args),
    /// Counts, most cited documents, most evaluated initiatives, centrality, layering
    Stats(cmd::stats::Args),
    /// Write a view as DOT, node-link JSON, Mermaid, GraphML, GEXF, CSV or Cypher
    Export(cmd::export::Args),
    /// Draw a view as SVG (embedded engine) or SVG/PNG/PDF (system Graphviz)
    Render(cmd::render::Args),
    /// A teaching deck revealed era by era, with a sourced handout, in output/seminar/
    Seminar(cmd::seminar::Args),
    /// One offline HTML page to search, filter and click through the graph
    Explorer(cmd::explorer::Args),
    /// The main job: validate, then write every standard view, the seminar deck and
    /// handout, and the explorer to output/
    Build(cmd::build::Args),
}

/// Parses `args`, runs the command, and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    crate::output::exit_on_interrupt();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
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
    let ctx = Context::new(cli.global);
    let result = match cli.command {
        Command::Validate(args) => cmd::validate::run(&ctx, &args),
        Command::Show(args) => cmd::show::run(&ctx, &args),
        Command::Search(args) => cmd::search::run(&ctx, &args),
        Command::Lineage(args) => cmd::lineage::run(&ctx, &args),
        Command::Critiques(args) => cmd::critiques::run(&ctx, &args),
        Command::Path(args) => cmd::path::run(&ctx, &args),
        Command::Explain(args) => cmd::explain::run(&ctx, &args),
        Command::Neighbours(args) => cmd::neighbours::run(&ctx, &args),
        Command::Timeline(args) => cmd::timeline::run(&ctx, &args),
        Command::Diff(args) => cmd::diff::run(&ctx, &args),
        Command::Stats(args) => cmd::stats::run(&ctx, &args),
        Command::Export(args) => cmd::export::run(&ctx, &args),
        Command::Render(args) => cmd::render::run(&ctx, &args),
        Command::Seminar(args) => cmd::seminar::run(&ctx, &args),
        Command::Explorer(args) => cmd::explorer::run(&ctx, &args),
        Command::Build(args) => cmd::build::run(&ctx, &args),
    };
    // From here the exit code is decided: an interrupt being handled wins (130), a later
    // one is ignored, so "interrupted" is never followed by another exit code.
    crate::output::finishing();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(failure) => {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "{}", failure.render());
            ExitCode::from(failure.exit_code())
        }
    }
}
