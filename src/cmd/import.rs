//! `import refs FILE`: references from a reference manager's export (CSL-JSON from
//! Zotero or Better BibTeX, BibTeX/BibLaTeX) merged into a TOML file of the collection
//! `--data` names (`--into`, by default `references.toml` in it).
//!
//! Merging is by id (the citation key, kebab-cased): new records are added with their
//! publishers and sources; a changed field the import owns is shown as a diff and
//! applied only with `--update`; summaries, notes, aliases and hand-added sources or
//! attributes are kept; `--dry-run` prints what would change and writes nothing. The
//! file is edited in place with `toml_edit`, so comments and layout stay, and written
//! atomically, only when every check has passed.
//!
//! Cost: reads the whole export (at most [`crate::import::MAX_BYTES`]) and loads the
//! collection once; writes one file.

use super::Failure;
use crate::diag::excerpt;
use crate::import::refs::{self, Format};
use crate::import::{Batch, Known, MAX_BYTES, Report, govuk, merge, wikidata};
use crate::model::NodeKind;
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Options of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to import.
    #[command(subcommand)]
    pub what: What,
}

/// What `import` reads.
#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// References from Zotero, Better BibTeX, Mendeley or any CSL-JSON or BibTeX/BibLaTeX
    /// export, as document nodes with their publishers
    Refs(RefsArgs),
    /// Bodies and their succession from GOV.UK organisations API JSON you saved
    /// (a page of /api/organisations, a list of pages' results, or one organisation)
    Govuk(RegisterArgs),
    /// Bodies (or initiatives) and their succession from Wikidata: SPARQL query
    /// results saved as JSON, or entity JSON (Special:EntityData/Q….json)
    #[command(after_help = WIKIDATA_HELP)]
    Wikidata(WikidataArgs),
    /// An Act's metadata from legislation.gov.uk CLML XML (…/data.xml), as a legislation
    /// node: title, year and chapter, Royal Assent date, ISBN, URI, commencement dates
    Clml(ClmlArgs),
}

/// The SPARQL convention, shown by `import wikidata --help`.
const WIKIDATA_HELP: &str = "\
SPARQL variables read (rows are grouped by ?item; other variables are ignored):
  ?item                 the item (required)
  ?itemLabel            its name; ?itemAltLabel other names, separated by \", \"
  ?inception            P571 inception (start); ?inceptionPrecision its precision
  ?dissolved            P576 dissolved (end); ?dissolvedPrecision its precision
                        (also read: ?abolition, ?inception_precision, ?abolition_precision)
  ?replaces             P1365 replaces: a `replaced` edge to it
  ?replacedBy           P1366 replaced by: a `replaced` edge from it
  ?parent               P749 parent organisation (kept in attrs.parent_organisation)
Precision 9 is a year, 10 a month, 11 a day; without it, a date on 1 January is read as a
year and one on the first of a month as a month. Ids are English labels in kebab case; an
item whose Q-number is already a node's attrs.wikidata keeps that node's id.

Example query (query.wikidata.org, then Download > JSON file):
  SELECT ?item ?itemLabel ?inception ?inceptionPrecision ?dissolved ?dissolvedPrecision
         ?replaces ?replacedBy ?parent WHERE {
    VALUES ?item { wd:Q… }
    OPTIONAL { ?item p:P571/psv:P571 [ wikibase:timeValue ?inception;
                                        wikibase:timePrecision ?inceptionPrecision ] }
    OPTIONAL { ?item p:P576/psv:P576 [ wikibase:timeValue ?dissolved;
                                        wikibase:timePrecision ?dissolvedPrecision ] }
    OPTIONAL { ?item wdt:P1365 ?replaces } OPTIONAL { ?item wdt:P1366 ?replacedBy }
    OPTIONAL { ?item wdt:P749 ?parent }
    SERVICE wikibase:label { bd:serviceParam wikibase:language \"en\". }
  }";

/// Options of `import clml`.
#[derive(Debug, clap::Args)]
pub struct ClmlArgs {
    /// The Act's XML as legislation.gov.uk serves it
    /// (https://www.legislation.gov.uk/ukpga/2014/23/data.xml)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The TOML file of the collection to merge into (created if missing) [default:
    /// legislation.toml in the --data folder]
    #[arg(long, value_name = "FILE.toml")]
    pub into: Option<PathBuf>,

    /// Apply changes to fields the import owns (name, start, year, chapter, ...) of an
    /// Act already in the file; without it they are only shown
    #[arg(long)]
    pub update: bool,

    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Options of `import govuk`.
#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// The saved JSON file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The TOML file of the collection to merge into (created if missing) [default:
    /// govuk.toml or wikidata.toml in the --data folder]
    #[arg(long, value_name = "FILE.toml")]
    pub into: Option<PathBuf>,

    /// Apply changes to fields the import owns (name, dates, aliases, attributes,
    /// edge attributes) in records already imported; without it they are only shown
    #[arg(long)]
    pub update: bool,

    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Options of `import wikidata`.
#[derive(Debug, clap::Args)]
pub struct WikidataArgs {
    /// The file, target and flags every register import has.
    #[command(flatten)]
    pub register: RegisterArgs,

    /// The kind of node each item becomes
    #[arg(long, value_enum, default_value = "body")]
    pub kind: LifespanKind,
}

/// The kinds a register's items may become: those that run for a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LifespanKind {
    /// An organisation, board, committee or partnership
    Body,
    /// A programme, fund, pilot, plan or strategy
    Initiative,
}

/// Options of `import refs`.
#[derive(Debug, clap::Args)]
pub struct RefsArgs {
    /// The export to read: CSL-JSON (.json) or BibTeX/BibLaTeX (.bib)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The TOML file of the collection to merge into (created if missing) [default:
    /// references.toml in the --data folder]
    #[arg(long, value_name = "FILE.toml")]
    pub into: Option<PathBuf>,

    /// The export's format, when its name does not end in .json or .bib
    #[arg(long, value_enum)]
    pub from: Option<Format>,

    /// Apply changes to fields the import owns (title, date, authors, ...) in records
    /// already imported; without it they are only shown
    #[arg(long)]
    pub update: bool,

    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `import`.
pub fn run(ctx: &super::Context, args: &Args) -> Result<(), Failure> {
    match &args.what {
        What::Refs(a) => run_refs(ctx, a),
        What::Govuk(a) => run_register(ctx, a, Register::Govuk),
        What::Clml(a) => run_clml(ctx, a),
        What::Wikidata(a) => run_register(
            ctx,
            &a.register,
            Register::Wikidata(match a.kind {
                LifespanKind::Body => NodeKind::Body,
                LifespanKind::Initiative => NodeKind::Initiative,
            }),
        ),
    }
}

fn shown(path: &Path) -> String {
    excerpt(&path.to_string_lossy()).into_owned()
}

/// Invalid input: exit 1, nothing written.
fn bad(message: String, help: impl Into<String>) -> Failure {
    Failure::NoAnswer {
        message,
        help: help.into(),
    }
}

/// Reads a text file of at most [`MAX_BYTES`]: a byte order mark removed, UTF-8
/// checked with the place of the first bad byte.
pub fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    let name = shown(path);
    let file = std::fs::File::open(path).map_err(|e| {
        bad(
            format!("cannot read {what} `{name}`: {e}"),
            "check the path; the file must exist and be readable",
        )
    })?;
    let too_large = |size: u64| {
        bad(
            format!(
                "`{name}` is {:.1} MiB; import reads files of at most {} MiB",
                size as f64 / 1048576.0,
                MAX_BYTES / 1048576
            ),
            "export a part of the library (a collection, or a search) and import the parts one by one",
        )
    };
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.len() > MAX_BYTES
    {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("cannot read `{name}`: {e}"), "check the file"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let good = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        let (line, col) = refs::line_column(good, at);
        let byte = e.as_bytes().get(at).copied().unwrap_or(0);
        bad(
            format!("{name}:{line}:{col}: not UTF-8 (byte 0x{byte:02X})"),
            "save or export the file as UTF-8 (Zotero and Better BibTeX always do; in JabRef, File > Properties > Encoding: UTF-8)",
        )
    })
}

/// `--into`, or `references.toml` in the `--data` folder (or `--data` itself when it
/// is one TOML file).
fn target(data: &Path, into: Option<&Path>, default: &str) -> Result<PathBuf, Failure> {
    let into = match into {
        Some(p) => p.to_path_buf(),
        None if data.is_dir() => data.join(default),
        None if data.extension().is_some_and(|e| e == "toml") => data.to_path_buf(),
        None => {
            return Err(Failure::Usage {
                message: format!("`{}` is not a folder of TOML files", shown(data)),
                help: "name the file to write with --into FILE.toml".into(),
            });
        }
    };
    if into.extension().is_none_or(|e| e != "toml") {
        return Err(Failure::Usage {
            message: format!("--into `{}` is not a .toml file", shown(&into)),
            help: "import writes TOML: --into references.toml".into(),
        });
    }
    // The file must be one the collection loads, or its ids are checked against the
    // wrong collection and `validate` never sees them.
    if data.is_dir() {
        let parent = into
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let inside = match (parent.canonicalize(), data.canonicalize()) {
            (Ok(p), Ok(d)) => p.starts_with(&d),
            _ => false,
        };
        if !inside {
            return Err(Failure::Usage {
                message: format!(
                    "--into `{}` is not in the collection `{}`",
                    shown(&into),
                    shown(data)
                ),
                help: format!(
                    "write into a file of the collection, e.g. --into {}",
                    shown(&data.join(default))
                ),
            });
        }
    }
    Ok(into)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn run_refs(ctx: &super::Context, args: &RefsArgs) -> Result<(), Failure> {
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let format = match args.from.or_else(|| Format::guess(&file_name)) {
        Some(f) => f,
        None => {
            return Err(Failure::Usage {
                message: format!("cannot tell the format of `{}`", shown(&args.file)),
                help: "name it .json (CSL-JSON) or .bib (BibTeX/BibLaTeX), or say --from csl-json or --from biblatex".into(),
            });
        }
    };
    let into = target(&ctx.data, args.into.as_deref(), "references.toml")?;
    let text = read_text(&args.file, "the export")?;
    let batch = refs::read(&text, &file_name, format).map_err(|e| {
        let place = match e.at {
            Some((l, c)) => format!("{}:{l}:{c}", shown(&args.file)),
            None => shown(&args.file),
        };
        bad(format!("{place}: {}", e.message), e.help)
    })?;
    let coll = collection(ctx, &into)?;
    let header = format!(
        "# References imported with `policygraph import refs`. Re-importing merges by id.\n\
         # The import owns each record's kind, name, start, its bibliography attributes\n\
         # ({}),\n\
         # and its published-by and cites edges. Summaries, notes, aliases, sources and\n\
         # attributes of your own are kept.\n\n",
        refs::OWNED_ATTRS.join(", ")
    );
    let common = Common {
        file: &args.file,
        into: &into,
        update: args.update,
        dry_run: args.dry_run,
    };
    merge_and_write(&common, &coll, &batch, &header)
}

/// Which register `run_register` reads.
#[derive(Clone, Copy)]
enum Register {
    Govuk,
    Wikidata(NodeKind),
}

fn run_register(
    ctx: &super::Context,
    args: &RegisterArgs,
    register: Register,
) -> Result<(), Failure> {
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (default, what) = match register {
        Register::Govuk => ("govuk.toml", "govuk"),
        Register::Wikidata(_) => ("wikidata.toml", "wikidata"),
    };
    let into = target(&ctx.data, args.into.as_deref(), default)?;
    let text = read_text(&args.file, "the saved file")?;
    let coll = collection(ctx, &into)?;
    let batch = match register {
        Register::Govuk => govuk::read(&text, &file_name),
        Register::Wikidata(kind) => wikidata::read(&text, &file_name, kind, &coll.by_wikidata),
    }
    .map_err(|e| {
        let place = match e.at {
            Some((l, c)) => format!("{}:{l}:{c}", shown(&args.file)),
            None => shown(&args.file),
        };
        bad(format!("{place}: {}", e.message), e.help)
    })?;
    let owned = match register {
        Register::Govuk => govuk::OWNED_ATTRS.join(", "),
        Register::Wikidata(_) => wikidata::OWNED_ATTRS.join(", "),
    };
    let header = format!(
        "# Bodies and their succession imported with `policygraph import {what}`. Re-importing\n\
         # merges by id. The import owns each record's kind, name, start, end, the aliases\n\
         # it adds, its attributes ({owned}), and its `replaced` edges and\n\
         # their attributes. Summaries, notes, sources and attributes of your own are kept.\n\n"
    );
    let common = Common {
        file: &args.file,
        into: &into,
        update: args.update,
        dry_run: args.dry_run,
    };
    merge_and_write(&common, &coll, &batch, &header)
}

/// `import clml`: one Act into `legislation.toml` (or `--into`). The Act is matched to
/// a legislation node of the collection by its legislation.gov.uk URI
/// (`attrs.url` or `attrs.legislation_uri`), else by name or alias (case-insensitive),
/// else it gets the id of its title, kebab-cased. Then as every import: merge by id,
/// diffs applied only with `--update`, `--dry-run`, nothing written on error.
fn run_clml(ctx: &super::Context, args: &ClmlArgs) -> Result<(), Failure> {
    use crate::import::clml;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let into = target(&ctx.data, args.into.as_deref(), "legislation.toml")?;
    let text = read_text(&args.file, "the CLML file")?;
    let coll = collection(ctx, &into)?;
    let mut batch = clml::read(&text, &file_name).map_err(|e| {
        let place = match e.at {
            Some((l, c)) => format!("{}:{l}:{c}", shown(&args.file)),
            None => shown(&args.file),
        };
        bad(format!("{place}: {}", e.message), e.help)
    })?;
    for r in &mut batch.records {
        let uri = r
            .attrs
            .iter()
            .find(|(k, _)| *k == "url")
            .map(|(_, v)| v.text());
        if let Some(act) = clml::matching(&coll.acts, &r.name, uri.as_deref()) {
            r.id = act.id.clone();
        }
        if r.id.is_empty() {
            return Err(bad(
                format!(
                    "{}: the title `{}` gives no id",
                    shown(&args.file),
                    excerpt(&r.name)
                ),
                "the short title must have letters or digits",
            ));
        }
    }
    let header = format!(
        "# Acts imported with `policygraph import clml`. Re-importing merges by id.\n\
         # The import owns each Act's kind, name, start (Royal Assent) and the attributes\n\
         # ({}).\n\
         # Summaries, notes, aliases, sources and attributes of your own are kept.\n\n",
        clml::OWNED_ATTRS.join(", ")
    );
    let common = Common {
        file: &args.file,
        into: &into,
        update: args.update,
        dry_run: args.dry_run,
    };
    merge_and_write(&common, &coll, &batch, &header)
}

/// What every import shares: the file read, the file written, and the two flags.
struct Common<'a> {
    file: &'a Path,
    into: &'a Path,
    update: bool,
    dry_run: bool,
}

/// The collection's nodes, for ids, kinds and bodies to match, and the Q-numbers of
/// its nodes' `attrs.wikidata` with their ids. A collection with errors is refused.
fn collection(ctx: &super::Context, into: &Path) -> Result<Collection, Failure> {
    let into_shown = shown(into);
    let loaded = crate::load::load(&ctx.data, None)?;
    let (errors, _) = loaded.problems.tally();
    if errors > 0 {
        return Err(bad(
            format!(
                "the collection `{}` has {errors} error{} as it stands",
                shown(&ctx.data),
                if errors == 1 { "" } else { "s" }
            ),
            format!(
                "run `policygraph --data {} validate` and fix them, then import again",
                shown(&ctx.data)
            ),
        ));
    }
    let mut by_wikidata = HashMap::new();
    let known: Vec<Known> = loaded
        .dataset
        .nodes()
        .iter()
        .map(|n| {
            if let Some(crate::model::AttrValue::String(q)) = n.attrs().get("wikidata") {
                by_wikidata
                    .entry(q.trim().to_string())
                    .or_insert_with(|| n.id().to_string());
            }
            let path = &loaded.sources.file(n.loc.id().file).path;
            Known {
                id: n.id().to_string(),
                kind: n.kind,
                name: n.name().to_string(),
                aliases: n.aliases().iter().map(String::from).collect(),
                file: if same_file(path, into) {
                    into_shown.clone()
                } else {
                    shown(path)
                },
            }
        })
        .collect();
    let connected = (0..loaded.dataset.edges().len())
        .flat_map(|i| {
            let (from, to) = loaded.dataset.ends(i);
            [from.to_string(), to.to_string()]
        })
        .collect();
    let acts = loaded
        .dataset
        .nodes()
        .iter()
        .filter(|n| n.kind == NodeKind::Legislation)
        .map(|n| {
            let uris = ["url", "legislation_uri"]
                .iter()
                .filter_map(|k| match n.attrs().get(*k) {
                    Some(crate::model::AttrValue::String(s)) => {
                        Some(crate::import::clml::uri_key(s))
                    }
                    _ => None,
                })
                .collect();
            crate::import::clml::KnownAct {
                id: n.id().to_string(),
                name: n.name().to_string(),
                aliases: n.aliases().iter().map(String::from).collect(),
                uris,
            }
        })
        .collect();
    Ok(Collection {
        known,
        by_wikidata,
        connected,
        acts,
    })
}

/// What an import needs to know of the collection.
struct Collection {
    /// Its nodes.
    known: Vec<Known>,
    /// The Q-numbers of its nodes' `attrs.wikidata`, with their ids.
    by_wikidata: HashMap<String, String>,
    /// The ids of nodes with at least one edge.
    connected: HashSet<String>,
    /// Its Acts, to match an imported Act to.
    acts: Vec<crate::import::clml::KnownAct>,
}

/// Checks the batch's texts, merges it into `into` and writes the file once, atomically,
/// when something changes (never in a dry run, never on an error).
fn merge_and_write(
    c: &Common<'_>,
    coll: &Collection,
    batch: &Batch,
    header: &str,
) -> Result<(), Failure> {
    let into = c.into;
    let into_shown = shown(into);
    for r in &batch.records {
        let texts = std::iter::once(("title", r.name.clone()))
            .chain(r.end.iter().map(|e| ("end", e.clone())))
            .chain(r.aliases.iter().map(|a| ("alias", a.clone())))
            .chain(r.attrs.iter().map(|(k, v)| (*k, v.text())));
        for (field, t) in texts {
            if let Some(bad_char) = crate::text::first_unsafe(&t, crate::text::Lines::One) {
                return Err(bad(
                    format!(
                        "{}: record `{}`: the {field} holds {} (`{}`)",
                        shown(c.file),
                        excerpt(&r.key),
                        bad_char.describe(),
                        crate::text::visible(&t)
                    ),
                    "remove the character at the source (or in the saved file), then import again",
                ));
            }
        }
    }

    let exists = into.exists();
    let before = if exists {
        read_text(into, "the collection file")?
    } else {
        String::new()
    };
    let mut doc: toml_edit::DocumentMut = before.parse().map_err(|e: toml_edit::TomlError| {
        let at = e
            .span()
            .map(|s| refs::line_column(&before, s.start))
            .unwrap_or((1, 1));
        bad(
            format!("{into_shown}:{}:{}: not valid TOML: {}", at.0, at.1, e.message()),
            format!("fix the file (`policygraph --data {into_shown} validate` shows where), then import again"),
        )
    })?;
    if !exists {
        doc.decor_mut().set_prefix(header);
    }
    let report = merge(&mut doc, &into_shown, &coll.known, batch, c.update)
        .map_err(|e| bad(format!("{}: {e}", shown(c.file)), e.help()))?;

    print_report(&report, c.update)?;
    let write = report.adds() || (c.update && !report.diffs.is_empty());
    let mut stderr = std::io::stderr().lock();
    let n = batch.records.len();
    let summary = format!(
        "{n} record{} in {}: {} node{} and {} edge{} to add, {} change{}, {} unchanged",
        if n == 1 { "" } else { "s" },
        shown(c.file),
        report.added_nodes.len(),
        if report.added_nodes.len() == 1 {
            ""
        } else {
            "s"
        },
        report.added_edges.len(),
        if report.added_edges.len() == 1 {
            ""
        } else {
            "s"
        },
        report.diffs.len(),
        if report.diffs.len() == 1 { "" } else { "s" },
        report.unchanged,
    );
    let summary = match report.elsewhere.len() {
        0 => summary,
        k => format!("{summary}, {k} left as written in other files"),
    };
    let summary = match report.filled.len() {
        0 => summary,
        k => format!(
            "{summary}; {k} field{} filled in on records written by hand",
            if k == 1 { "" } else { "s" }
        ),
    };
    for (key, rel, id, why) in &report.skipped_links {
        writeln!(
            stderr,
            "not drawn: record `{}` {rel} `{}`: {why}",
            excerpt(key),
            excerpt(id)
        )?;
    }
    if !report.skipped_links.is_empty() {
        writeln!(
            stderr,
            "save those organisations or items too and import them (or add the nodes by hand), then import this file again to draw the edges"
        )?;
    }
    for (key, id, file) in &report.elsewhere {
        let record = if key == id {
            format!("`{}`", excerpt(id))
        } else {
            format!("record `{}` (`{}`)", excerpt(key), excerpt(id))
        };
        let file = excerpt(file);
        writeln!(
            stderr,
            "left as written: {record} is already in {file}; to merge it, import this file into that one too (--into {file})"
        )?;
    }
    // Nodes no edge touches: `validate` warns of each (orphan). Documents are cited.
    let mut connected = coll.connected.clone();
    if let Some(edges) = doc
        .get("edge")
        .and_then(toml_edit::Item::as_array_of_tables)
    {
        for t in edges.iter() {
            for end in ["from", "to"] {
                if let Some(id) = t.get(end).and_then(toml_edit::Item::as_str) {
                    connected.insert(id.to_string());
                }
            }
        }
    }
    let left: HashSet<&str> = report
        .elsewhere
        .iter()
        .map(|(_, id, _)| id.as_str())
        .collect();
    let lonely: Vec<&str> = batch
        .records
        .iter()
        .filter(|r| r.kind != NodeKind::Document && !connected.contains(&r.id))
        .filter(|r| !left.contains(r.id.as_str()))
        .map(|r| r.id.as_str())
        .collect();
    if !lonely.is_empty() {
        let shown_ids: Vec<String> = lonely
            .iter()
            .take(10)
            .map(|id| format!("`{}`", excerpt(id)))
            .collect();
        writeln!(
            stderr,
            "{} imported node{} no edge yet, and `validate` will warn of {}: {}{}",
            lonely.len(),
            if lonely.len() == 1 { " has" } else { "s have" },
            if lonely.len() == 1 { "it" } else { "each" },
            shown_ids.join(", "),
            if lonely.len() > 10 { ", ..." } else { "" }
        )?;
    }
    if c.dry_run {
        writeln!(
            stderr,
            "{summary}\ndry run: nothing written to {into_shown}"
        )?;
        return Ok(());
    }
    if write {
        crate::output::write_atomic(into, doc.to_string().as_bytes()).map_err(|e| {
            Failure::Write {
                path: into.to_path_buf(),
                source: e,
            }
        })?;
        writeln!(stderr, "{summary}\nwritten: {into_shown}")?;
    } else if exists {
        writeln!(stderr, "{summary}\n{into_shown} is unchanged")?;
    } else {
        writeln!(
            stderr,
            "{summary}\nnothing to write: {into_shown} not created"
        )?;
    }
    if !c.update && !report.diffs.is_empty() {
        writeln!(
            stderr,
            "{} field{} differ from the export and were kept as they are: import again with --update to apply them",
            report.diffs.len(),
            if report.diffs.len() == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// One line per change, on stdout: `+` added, `~` a changed field (old, then new).
fn print_report(report: &Report, update: bool) -> Result<(), Failure> {
    super::write::to_stdout(|out| {
        for (id, kind) in &report.added_nodes {
            writeln!(out, "+ {kind} {}", excerpt(id))?;
        }
        for (from, rel, to) in &report.added_edges {
            writeln!(out, "+ edge {} {rel} {}", excerpt(from), excerpt(to))?;
        }
        for id in &report.added_sources {
            writeln!(out, "+ source on {}", excerpt(id))?;
        }
        for d in &report.filled {
            writeln!(
                out,
                "+ {} {}: {}",
                excerpt(&d.id),
                d.field,
                crate::text::visible(&excerpt(&d.new)),
            )?;
        }
        for d in &report.diffs {
            writeln!(
                out,
                "~ {} {}: {} -> {}{}",
                excerpt(&d.id),
                d.field,
                crate::text::visible(&excerpt(&d.old)),
                crate::text::visible(&excerpt(&d.new)),
                if update {
                    ""
                } else {
                    " (not applied: --update)"
                }
            )?;
        }
        Ok(())
    })
}
