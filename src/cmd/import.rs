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
use crate::import::{Known, MAX_BYTES, Report, merge};
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
    /// An Act's metadata from legislation.gov.uk CLML XML (…/data.xml), as a legislation
    /// node: title, year and chapter, Royal Assent date, ISBN, URI, commencement dates
    Clml(ClmlArgs),
}

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
        What::Clml(a) => run_clml(ctx, a),
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
fn target(data: &Path, into: Option<&Path>) -> Result<PathBuf, Failure> {
    let into = match into {
        Some(p) => p.to_path_buf(),
        None if data.is_dir() => data.join("references.toml"),
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
                    shown(&data.join("references.toml"))
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
    let into = target(&ctx.data, args.into.as_deref())?;
    let into_shown = shown(&into);
    let text = read_text(&args.file, "the export")?;
    let batch = refs::read(&text, &file_name, format).map_err(|e| {
        let place = match e.at {
            Some((l, c)) => format!("{}:{l}:{c}", shown(&args.file)),
            None => shown(&args.file),
        };
        bad(format!("{place}: {}", e.message), e.help)
    })?;
    for r in &batch.records {
        let texts = std::iter::once(("title", r.name.clone()))
            .chain(r.attrs.iter().map(|(k, v)| (*k, v.text())));
        for (field, t) in texts {
            if let Some(c) = crate::text::first_unsafe(&t, crate::text::Lines::One) {
                return Err(bad(
                    format!(
                        "{}: record `{}`: the {field} holds {} (`{}`)",
                        shown(&args.file),
                        excerpt(&r.key),
                        c.describe(),
                        crate::text::visible(&t)
                    ),
                    "remove the character in your reference manager, then export again",
                ));
            }
        }
    }

    // The collection, for ids, kinds and publishers to match.
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
    let known: Vec<Known> = loaded
        .dataset
        .nodes()
        .iter()
        .map(|n| {
            let path = &loaded.sources.file(n.loc.id().file).path;
            Known {
                id: n.id.clone(),
                kind: n.kind,
                name: n.name.clone(),
                aliases: n.aliases.to_vec(),
                file: if same_file(path, &into) {
                    into_shown.clone()
                } else {
                    shown(path)
                },
            }
        })
        .collect();

    let exists = into.exists();
    let before = if exists {
        read_text(&into, "the collection file")?
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
        doc.decor_mut().set_prefix(format!(
            "# References imported with `policygraph import refs`. Re-importing merges by id.\n\
             # The import owns each record's kind, name, start, its bibliography attributes\n\
             # ({}),\n\
             # and its published-by and cites edges. Summaries, notes, aliases, sources and\n\
             # attributes of your own are kept.\n\n",
            refs::OWNED_ATTRS.join(", ")
        ));
    }
    let report = merge(&mut doc, &into_shown, &known, &batch, args.update)
        .map_err(|e| bad(format!("{}: {e}", shown(&args.file)), e.help()))?;

    print_report(&report, args.update)?;
    let write = report.adds() || (args.update && !report.diffs.is_empty());
    let mut stderr = std::io::stderr().lock();
    let n = batch.records.len();
    let summary = format!(
        "{n} record{} in {}: {} node{} and {} edge{} to add, {} change{}, {} unchanged",
        if n == 1 { "" } else { "s" },
        shown(&args.file),
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
    if args.dry_run {
        writeln!(
            stderr,
            "{summary}\ndry run: nothing written to {into_shown}"
        )?;
        return Ok(());
    }
    if write {
        crate::output::write_atomic(&into, doc.to_string().as_bytes()).map_err(|e| {
            Failure::Write {
                path: into.clone(),
                source: e,
            }
        })?;
        writeln!(stderr, "{summary}\nwritten: {into_shown}")?;
    } else {
        writeln!(stderr, "{summary}\n{into_shown} is unchanged")?;
    }
    if !args.update && !report.diffs.is_empty() {
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

/// `import clml`: one Act into `legislation.toml` (or `--into`). The Act is matched to
/// a legislation node of the collection by its legislation.gov.uk URI
/// (`attrs.url` or `attrs.legislation_uri`), else by name or alias (case-insensitive),
/// else it gets the id of its title, kebab-cased. Then as `import refs`: merge by id,
/// diffs applied only with `--update`, `--dry-run`, nothing written on error.
fn run_clml(ctx: &super::Context, args: &ClmlArgs) -> Result<(), Failure> {
    use crate::import::clml;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let into = match &args.into {
        Some(p) => target(&ctx.data, Some(p))?,
        None if ctx.data.is_dir() => target(&ctx.data, Some(&ctx.data.join("legislation.toml")))?,
        None => target(&ctx.data, None)?,
    };
    let into_shown = shown(&into);
    let text = read_text(&args.file, "the CLML file")?;
    let mut batch = clml::read(&text, &file_name).map_err(|e| {
        let place = match e.at {
            Some((l, c)) => format!("{}:{l}:{c}", shown(&args.file)),
            None => shown(&args.file),
        };
        bad(format!("{place}: {}", e.message), e.help)
    })?;
    for r in &batch.records {
        let texts = std::iter::once(("title", r.name.clone()))
            .chain(r.start.iter().map(|s| ("enactment date", s.clone())))
            .chain(r.attrs.iter().map(|(k, v)| (*k, v.text())));
        for (field, t) in texts {
            if let Some(c) = crate::text::first_unsafe(&t, crate::text::Lines::One) {
                return Err(bad(
                    format!(
                        "{}: `{}`: the {field} holds {} (`{}`)",
                        shown(&args.file),
                        excerpt(&r.key),
                        c.describe(),
                        crate::text::visible(&t)
                    ),
                    "save the Act's data.xml again from legislation.gov.uk",
                ));
            }
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
    // Match the Act to a legislation node already there: by URI, then name or alias.
    for r in &mut batch.records {
        let uri = r
            .attrs
            .iter()
            .find(|(k, _)| *k == "url")
            .map(|(_, v)| clml::uri_key(&v.text()));
        let laws = || {
            loaded
                .dataset
                .nodes()
                .iter()
                .filter(|n| n.kind == crate::model::NodeKind::Legislation)
        };
        let by_uri = uri.as_ref().and_then(|u| {
            laws().find(|n| {
                ["url", "legislation_uri"].iter().any(|k| {
                    matches!(n.attrs.get(*k), Some(crate::model::AttrValue::String(s)) if clml::uri_key(s) == *u)
                })
            })
        });
        let title = r.name.trim().to_lowercase();
        let by_name = || {
            laws().find(|n| {
                n.name.trim().to_lowercase() == title
                    || n.aliases.iter().any(|a| a.trim().to_lowercase() == title)
            })
        };
        if let Some(n) = by_uri.or_else(by_name) {
            r.id = n.id.clone();
        }
    }
    let known: Vec<Known> = loaded
        .dataset
        .nodes()
        .iter()
        .map(|n| {
            let path = &loaded.sources.file(n.loc.id().file).path;
            Known {
                id: n.id.clone(),
                kind: n.kind,
                name: n.name.clone(),
                aliases: n.aliases.to_vec(),
                file: if same_file(path, &into) {
                    into_shown.clone()
                } else {
                    shown(path)
                },
            }
        })
        .collect();
    let exists = into.exists();
    let before = if exists {
        read_text(&into, "the collection file")?
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
        doc.decor_mut().set_prefix(format!(
            "# Acts imported with `policygraph import clml`. Re-importing merges by id.\n\
             # The import owns each Act's kind, name, start (Royal Assent) and the attributes\n\
             # ({}).\n\
             # Summaries, notes, aliases, sources and attributes of your own are kept.\n\n",
            clml::OWNED_ATTRS.join(", ")
        ));
    }
    let report = merge(&mut doc, &into_shown, &known, &batch, args.update).map_err(|e| {
        let help = match &e {
            crate::import::MergeError::KindCollision { id, .. } => {
                format!("rename the node `{id}` in the collection, then import again")
            }
            _ => e.help(),
        };
        bad(format!("{}: {e}", shown(&args.file)), help)
    })?;
    print_report(&report, args.update)?;
    let write = report.adds() || (args.update && !report.diffs.is_empty());
    let mut stderr = std::io::stderr().lock();
    let summary = format!(
        "{} in {}: {} node{} and {} edge{} to add, {} change{}, {} unchanged",
        batch
            .records
            .first()
            .map_or("no Act".into(), |r| format!("`{}`", excerpt(&r.name))),
        shown(&args.file),
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
    if args.dry_run {
        writeln!(
            stderr,
            "{summary}\ndry run: nothing written to {into_shown}"
        )?;
        return Ok(());
    }
    if write {
        crate::output::write_atomic(&into, doc.to_string().as_bytes()).map_err(|e| {
            Failure::Write {
                path: into.clone(),
                source: e,
            }
        })?;
        writeln!(stderr, "{summary}\nwritten: {into_shown}")?;
    } else {
        writeln!(stderr, "{summary}\n{into_shown} is unchanged")?;
    }
    if !args.update && !report.diffs.is_empty() {
        writeln!(
            stderr,
            "{} field{} differ from the file and were kept as they are: import again with --update to apply them",
            report.diffs.len(),
            if report.diffs.len() == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}
