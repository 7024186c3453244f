//! `export [VIEW]`: write a view of the graph in one or more formats: Graphviz DOT,
//! node-link JSON (networkx, D3), Mermaid, GraphML, GEXF, CSV (ours, or Neo4j's with
//! `--neo4j`), a Cypher script (Neo4j's, or FalkorDB's with `--dialect falkordb`) or Parquet (builds with the `parquet` feature). To stdout
//! for one format, or to `-o PATH` (with several formats, PATH is a stem and each file
//! gets its extension). CSV and Parquet are two files each, written into the directory
//! `-o` names (`STEM-csv/`, `STEM-parquet/` with several formats).
//!
//! Cost: loads and checks the collection, builds the view, writes text; no layout.
//! Linear in the view's size; a million-node DOT export takes a few seconds.

use super::args::{FilterArgs, parse_year};
use super::write::{write_out, write_streamed};
use super::{Context, Failure};
use crate::export::dot::DotOptions;
use crate::graph::PolicyGraph;
use crate::view::{Narrow, View, ViewSpec, view};
use std::path::PathBuf;

/// A format `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT
    Dot,
    /// Node-link JSON that networkx and D3 read
    Json,
    /// A Mermaid flowchart for Markdown
    Mermaid,
    /// GraphML with typed attributes: Gephi, yEd, Cytoscape, networkx
    Graphml,
    /// GEXF with time intervals, so Gephi's timeline plays the history
    Gexf,
    /// nodes.csv and edges.csv in policygraph's interchange format, or Neo4j's with
    /// --neo4j; written to the directory -o names
    Csv,
    /// A Cypher script for Neo4j or FalkorDB (--dialect)
    Cypher,
    /// nodes.parquet and edges.parquet for Spark GraphFrames, DuckDB, pandas; written to
    /// the directory -o names (in builds with the `parquet` feature)
    Parquet,
    /// The view's documents as CSL-JSON, for Zotero and other reference managers
    #[value(name = "csl-json")]
    CslJson,
    /// The view's documents as BibTeX
    Bibtex,
}

impl Format {
    /// The file extension: `-o STEM` with several formats writes `STEM.EXT`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Json => "json",
            Format::Mermaid => "mmd",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Csv => "csv",
            Format::Cypher => "cypher",
            Format::Parquet => "parquet",
            Format::CslJson => "csl.json",
            Format::Bibtex => "bib",
        }
    }
}

/// Which view to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ViewName {
    /// Every node and edge
    Whole,
    /// What replaced and established what, on a time axis (around --focus if given)
    Lineage,
    /// Which review judged what, with stances (of --focus if given)
    Critiques,
    /// Which document cites which
    Citations,
    /// Everything within --depth hops of --focus
    Ego,
    /// Initiatives, bodies and laws active in --era NAME or --as-of YEAR
    Era,
    /// Every initiative and lineage chain with its Acts, as the seminar deck tells it
    /// (around --focus if given)
    Story,
}

/// The view options `export`, `render` and `build` share.
#[derive(Debug, Clone, clap::Args)]
pub struct ViewArgs {
    /// Which view
    #[arg(value_enum, default_value_t = ViewName::Whole)]
    pub view: ViewName,

    /// The node a lineage, critiques or ego view centres on (id, alias or name)
    #[arg(long, value_name = "NODE")]
    pub focus: Option<String>,

    /// Hops out from --focus, for the ego view
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub depth: usize,

    /// The era to draw, by name (see `policygraph validate`), for the era view
    #[arg(long, value_name = "NAME")]
    pub era: Option<String>,

    /// The year to draw, for the era view
    #[arg(long, value_name = "YEAR", value_parser = parse_year, conflicts_with = "era")]
    pub as_of: Option<u16>,

    /// Relations and kinds kept
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Keep only nodes active at some time from this year (undated nodes stay)
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub from: Option<u16>,

    /// Keep only nodes active at some time up to this year (undated nodes stay)
    #[arg(long, value_name = "YEAR", value_parser = parse_year)]
    pub to: Option<u16>,

    /// Group nodes into one cluster per era, by start date (DOT)
    #[arg(long)]
    pub cluster_eras: bool,

    /// Leave out the legend (DOT)
    #[arg(long)]
    pub no_legend: bool,
}

impl ViewArgs {
    /// Resolves the options against the graph into a view and drawing options.
    pub fn build(&self, ctx: &Context, g: &PolicyGraph) -> Result<(View, DotOptions), Failure> {
        let focus = self
            .focus
            .as_deref()
            .map(|f| ctx.resolve(g, f))
            .transpose()?;
        let spec = match self.view {
            ViewName::Whole => ViewSpec::Whole,
            ViewName::Lineage => ViewSpec::Lineage(focus),
            ViewName::Critiques => ViewSpec::Critiques(focus),
            ViewName::Citations => ViewSpec::Citations,
            ViewName::Story => ViewSpec::Story(focus),
            ViewName::Ego => match focus {
                Some(f) => ViewSpec::Ego(f, self.depth),
                None => {
                    return Err(Failure::Usage {
                        message: "the ego view needs --focus NODE".into(),
                        help: "for example: policygraph export ego --focus \"Better Care Fund\" --depth 2".into(),
                    });
                }
            },
            ViewName::Era => match (&self.era, self.as_of) {
                (_, Some(y)) => ViewSpec::Years(y, y),
                (Some(name), None) => {
                    let era = g
                        .eras
                        .iter()
                        .find(|e| e.name.eq_ignore_ascii_case(name.trim()))
                        .ok_or_else(|| {
                            let names: Vec<String> =
                                g.eras.iter().map(|e| format!("`{}`", e.name)).collect();
                            Failure::Usage {
                                message: format!("no era is called `{name}`"),
                                help: if names.is_empty() {
                                    "the data defines no eras; use --as-of YEAR".to_string()
                                } else {
                                    format!("eras are {}", names.join(", "))
                                },
                            }
                        })?;
                    let last = era.end.map_or(u16::MAX, |e| e.year_part());
                    let spec = ViewSpec::Years(era.start.year_part(), last.min(9999));
                    return Ok((
                        titled(view(g, &spec, &self.narrow()), &era.name, era),
                        self.dot_options(),
                    ));
                }
                (None, None) => {
                    return Err(Failure::Usage {
                        message: "the era view needs --era NAME or --as-of YEAR".into(),
                        help: "for example: policygraph export era --era Coalition".into(),
                    });
                }
            },
        };
        Ok((view(g, &spec, &self.narrow()), self.dot_options()))
    }

    fn narrow(&self) -> Narrow {
        let (from, to) = super::args::year_range(self.from, self.to);
        Narrow {
            filter: self.filter.filter(),
            from,
            to,
        }
    }

    fn dot_options(&self) -> DotOptions {
        DotOptions {
            cluster_eras: self.cluster_eras,
            no_legend: self.no_legend,
            ..DotOptions::default()
        }
    }
}

fn titled(mut v: View, name: &str, era: &crate::model::Era) -> View {
    let end = era
        .end
        .map(|e| e.to_string())
        .unwrap_or_else(|| "now".into());
    v.title = format!("{name}, {} to {end}", era.start);
    v
}

/// Options of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which view, and how to narrow it
    #[command(flatten)]
    pub view: ViewArgs,

    /// Write here instead of stdout (`-` is stdout); with several formats, the stem of
    /// each file. A FIFO or device is written through, a link to a file writes the file
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// What to write, one or more, comma-separated (several need -o)
    #[arg(long, value_enum, value_delimiter = ',', default_value = "dot")]
    pub format: Vec<Format>,

    /// With --format csv: Neo4j's import headers (`id:ID`, `:LABEL`, `:START_ID`, ...)
    #[arg(long)]
    pub neo4j: bool,

    /// With --format cypher: the database the script is for
    #[arg(long, value_enum, value_name = "DIALECT")]
    pub dialect: Option<crate::export::cypher::Dialect>,
}

/// Writes the CSV files into `dir`, creating it: nodes.csv, edges.csv, and eras.csv
/// when the collection has eras (an eras.csv left by an earlier export is removed when
/// it has none, so the folder loads back as this collection).
fn write_csv(
    g: &PolicyGraph,
    v: &View,
    neo4j: bool,
    dir: Option<&std::path::Path>,
) -> Result<(), Failure> {
    let Some(dir) = dir else {
        return Err(Failure::Usage {
            message: "CSV is two files (nodes.csv and edges.csv) and needs -o DIR".into(),
            help: "for example: policygraph export --format csv -o my-graph (then: policygraph --data my-graph validate)".into(),
        });
    };
    // The data, not the command line, is what CSV cannot hold: a failed operation.
    let cannot = |e: &dyn std::fmt::Display| Failure::NoAnswer {
        message: format!("cannot write CSV: {e}"),
        help: "change the value in the data, or export another format".into(),
    };
    let (nodes, edges, eras, import) = if neo4j {
        let files = crate::export::neo4j::to_neo4j_csv(g, v).map_err(|e| cannot(&e))?;
        let command = files.import_command(&dir.display().to_string(), "neo4j");
        (files.nodes, files.edges, None, Some(command))
    } else {
        let files = crate::export::csv::to_csv(g, v).map_err(|e| cannot(&e))?;
        (files.nodes, files.edges, files.eras, None)
    };
    std::fs::create_dir_all(dir).map_err(|e| Failure::Write {
        path: dir.to_path_buf(),
        source: e,
    })?;
    write_out(Some(&dir.join("nodes.csv")), nodes.as_bytes())?;
    write_out(Some(&dir.join("edges.csv")), edges.as_bytes())?;
    if let Some(command) = import {
        // The array delimiter is chosen per export, so the command is part of the answer.
        eprintln!(
            "note: import into an empty database with: {}",
            crate::text::visible(&command)
        );
        return Ok(());
    }
    let eras_path = dir.join("eras.csv");
    match eras {
        Some(text) => write_out(Some(&eras_path), text.as_bytes()),
        // An eras.csv from an earlier export would load back as this collection's.
        None => match std::fs::remove_file(&eras_path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Failure::Write {
                path: eras_path,
                source: e,
            }),
            _ => Ok(()),
        },
    }
}

/// Writes the two Parquet files into `dir`, creating it.
#[cfg(feature = "parquet")]
fn write_parquet(g: &PolicyGraph, v: &View, dir: Option<&std::path::Path>) -> Result<(), Failure> {
    let Some(dir) = dir else {
        return Err(Failure::Usage {
            message: "Parquet is two files (nodes.parquet and edges.parquet) and needs -o DIR"
                .into(),
            help: "for example: policygraph export --format parquet -o my-graph".into(),
        });
    };
    let files = crate::export::parquet::to_parquet(g, v).map_err(|e| Failure::NoAnswer {
        message: format!("cannot write Parquet: {e}"),
        help: "export another format, and report this with the data that caused it".into(),
    })?;
    std::fs::create_dir_all(dir).map_err(|e| Failure::Write {
        path: dir.to_path_buf(),
        source: e,
    })?;
    write_out(Some(&dir.join("nodes.parquet")), &files.nodes)?;
    write_out(Some(&dir.join("edges.parquet")), &files.edges)
}

#[cfg(not(feature = "parquet"))]
fn write_parquet(_: &PolicyGraph, _: &View, _: Option<&std::path::Path>) -> Result<(), Failure> {
    parquet_built()
}

/// Whether this build writes Parquet. A build without the `parquet` feature still lists
/// the format, so a user finds it, and says how to get it: a usage error (exit 2),
/// given before anything is loaded or written, since nothing about the data is wrong.
fn parquet_built() -> Result<(), Failure> {
    if cfg!(feature = "parquet") {
        return Ok(());
    }
    Err(Failure::Usage {
        message: "this build of policygraph cannot write Parquet: it was built without the `parquet` feature".into(),
        help: "rebuild with the feature: cargo install --path . --features parquet (or: cargo run --release --features parquet -- export --format parquet -o DIR)".into(),
    })
}

/// The directory a two-file format (CSV, Parquet) is written into: `-o PATH`, or with
/// several formats `PATH-csv`, `PATH-parquet`.
fn dir_for(args: &Args, formats: &[Format], format: Format) -> Option<PathBuf> {
    output(args).map(|p| {
        if formats.len() > 1 {
            let mut name = p.clone().into_os_string();
            name.push("-");
            name.push(format.extension());
            PathBuf::from(name)
        } else {
            p.clone()
        }
    })
}

/// Views larger than this get a spinner while they are written (about a second).
const SPINNER_ITEMS: usize = 500_000;

/// A spinner naming the format being written, on a terminal, for large views only.
fn spinner(v: &View, format: Format) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if v.nodes.len() + v.edges.len() < SPINNER_ITEMS || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(format!(
        "writing {} nodes and {} edges as {}",
        v.nodes.len(),
        v.edges.len(),
        format.extension()
    ));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// `-o PATH`, or none for stdout (`-o -` or no `-o`).
fn output(args: &Args) -> Option<&PathBuf> {
    args.output.as_ref().filter(|p| p.as_os_str() != "-")
}

/// Where one format of a possibly several-format export goes.
fn path_for(args: &Args, formats: &[Format], format: Format) -> Option<PathBuf> {
    output(args).map(|p| {
        if formats.len() > 1 {
            let mut name = p.clone().into_os_string();
            name.push(".");
            name.push(format.extension());
            PathBuf::from(name)
        } else {
            p.clone()
        }
    })
}

/// Runs `export`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    if formats.len() > 1 && output(args).is_none() {
        return Err(Failure::Usage {
            message: "several formats need -o PATH".into(),
            help: "for example: policygraph export lineage --format dot,json -o lineage (writes lineage.dot and lineage.json)".into(),
        });
    }
    if args.dialect.is_some() && !formats.contains(&Format::Cypher) {
        return Err(Failure::Usage {
            message: "--dialect chooses the Cypher dialect and needs --format cypher".into(),
            help:
                "for example: policygraph export --format cypher --dialect falkordb -o graph.cypher"
                    .into(),
        });
    }
    if formats.contains(&Format::Parquet) {
        parquet_built()?;
    }
    let opened = ctx.open_checked()?;
    let g = &opened.graph;
    if args.neo4j && !formats.contains(&Format::Csv) {
        return Err(Failure::Usage {
            message: "--neo4j changes the CSV headers and needs --format csv".into(),
            help: "for example: policygraph export --format csv --neo4j -o neo4j-import".into(),
        });
    }
    let (v, options) = args.view.build(ctx, g)?;
    for &format in &formats {
        let path = path_for(args, &formats, format);
        let spinner = spinner(&v, format);
        let body = match format {
            Format::Csv => {
                let dir = dir_for(args, &formats, format);
                write_csv(g, &v, args.neo4j, dir.as_deref())?;
                None
            }
            Format::Parquet => {
                let dir = dir_for(args, &formats, format);
                write_parquet(g, &v, dir.as_deref())?;
                None
            }
            Format::Dot => {
                // Streamed: a million-node DOT file is never held in memory.
                let write =
                    |w: &mut dyn std::io::Write| crate::export::dot::write_dot(g, &v, &options, w);
                write_streamed(path.as_deref(), None, write)?;
                None
            }
            Format::Json => Some(crate::export::json::to_json(g, &v)),
            Format::Mermaid => Some(crate::export::mermaid::to_mermaid(g, &v).map_err(|e| {
                Failure::Usage {
                    message: format!("cannot write Mermaid: {e}"),
                    help: "Mermaid (and GitHub, GitLab and wikis that draw it) refuses larger diagrams: export a narrower view (lineage, critiques --focus NODE, ego --focus NODE, or --kinds/--relations/--from/--to), or use --format dot".into(),
                }
            })?),
            Format::Graphml => Some(crate::export::graphml::to_graphml(g, &v)),
            Format::Gexf => Some(crate::export::gexf::to_gexf(g, &v)),
            Format::Cypher => Some(
                crate::export::cypher::to_cypher(g, &v, args.dialect.unwrap_or_default()).map_err(
                    |e| Failure::NoAnswer {
                        message: format!("cannot write Cypher: {e}"),
                        help: "rename the attribute in the data, or use --dialect neo4j".into(),
                    },
                )?,
            ),
            Format::CslJson => Some(crate::export::references::to_csl_json(g, &v)),
            Format::Bibtex => Some(crate::export::references::to_bibtex(g, &v)),
        };
        spinner.finish_and_clear();
        if let Some(body) = body {
            write_out(path.as_deref(), body.as_bytes())?;
        }
    }
    Ok(())
}
