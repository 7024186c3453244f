//! `build --watch`: build, then rebuild whenever a data file changes, until Ctrl-C.
//!
//! The data is watched through the operating system (notify: inotify, FSEvents,
//! ReadDirectoryChangesW), recursively for a directory, or the folder of a single
//! `.toml` file. A burst of events (an editor saving through a temporary file, a
//! spreadsheet writing a CSV) is gathered into one rebuild: after the first change, events
//! are collected until the data has been quiet for [`QUIET`]. Only changes count (a file
//! created, written, renamed or removed), not reads, so a rebuild's own reading of the
//! data starts no other; and only data files: `*.toml` and `*.csv`, outside `--out`.
//!
//! Each rebuild opens the data afresh and prints, on stdout, which data files changed
//! and then either `built N files in DIR (M changed: ...)`, the line `build` prints with
//! the names of the files rewritten, or `not built: ...`. On errors the problems are
//! drawn on stderr as `build` draws them, and nothing is written: the data is checked
//! before the first file is, so `--out` keeps the last good build. The output folders
//! stay locked by this process while it runs. Pages written in watch mode reload
//! themselves when a rebuild changes anything ([`crate::teach::live`]).
//!
//! Ctrl-C is the ordinary way out: exit 0, with nothing said (an unfinished file's
//! temporary copy is removed, so every file is old or new).
//!
//! Cost: one full build per change (a few seconds for the shipped data).

use super::build::{Args, open_dirs, write};
use super::write::{Emitter, to_stdout};
use super::{Context, Failure};
use notify::{EventKind, RecursiveMode, Watcher, event::ModifyKind};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// How long the data must be quiet before a rebuild: long enough to gather an editor's
/// save (write a temporary file, rename it over the old one) into one event.
const QUIET: Duration = Duration::from_millis(200);

/// Runs `build --watch`.
pub fn run(ctx: &Context, args: &Args) -> Result<(), Failure> {
    crate::output::interrupt_ends_quietly();
    let (out, deck) = open_dirs(args)?;
    let (mut out, mut deck) = (out.live(), deck.live());
    let watched = Watched::new(&ctx.data, &args.out)?;
    // Watching starts before the first build, so a change made during it is not missed.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| watch_failure(&ctx.data, &e))?;
    watcher
        .watch(&watched.root, watched.mode)
        .map_err(|e| watch_failure(&ctx.data, &e))?;
    let shown = crate::text::visible(&ctx.data.display().to_string()).into_owned();
    writeln!(
        std::io::stderr(),
        "watching {shown} for changes (Ctrl-C to stop)"
    )?;
    match rebuild(ctx, args, &mut out, &mut deck) {
        // A path that cannot be loaded at all is the user's to fix before watching.
        Err(failure @ Failure::Load(_)) => return Err(failure),
        Err(failure) => report(&failure, &args.out)?,
        Ok(()) => {}
    }
    let mut changed = BTreeSet::new();
    loop {
        // Wait for a change as long as it takes; then until the data is quiet.
        let wait = if changed.is_empty() {
            None
        } else {
            Some(QUIET)
        };
        let event = match wait {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(quiet) => rx.recv_timeout(quiet),
        };
        match event {
            Ok(Ok(event)) => {
                if is_change(event.kind) {
                    changed.extend(event.paths.iter().filter_map(|p| watched.data_file(p)));
                }
            }
            Ok(Err(e)) => writeln!(
                std::io::stderr(),
                "warning: watching {shown}: {}",
                crate::text::visible(&e.to_string())
            )?,
            Err(RecvTimeoutError::Timeout) => {
                let files = std::mem::take(&mut changed);
                to_stdout(|o| {
                    let names: Vec<String> = files
                        .iter()
                        .map(|p| crate::text::visible(&p.display().to_string()).into_owned())
                        .collect();
                    writeln!(o, "changed: {}", names.join(", "))
                })?;
                out.restart();
                deck.restart();
                if let Err(failure) = rebuild(ctx, args, &mut out, &mut deck) {
                    report(&failure, &args.out)?;
                }
            }
            // The watcher is gone (it never is while this function holds it).
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

/// Whether an event says a file changed, rather than that it was read (a rebuild reads
/// every data file) or that its times or permissions changed.
fn is_change(kind: EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any | EventKind::Other => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) => false,
    }
}

/// One build with the data opened afresh: the `built` line on success.
fn rebuild(
    ctx: &Context,
    args: &Args,
    out: &mut Emitter,
    deck: &mut Emitter,
) -> Result<(), Failure> {
    let ctx = ctx.again();
    let opened = ctx.open_validated()?;
    let built = write(&ctx, args, &opened.graph, out, deck)?;
    to_stdout(|o| writeln!(o, "{}", built.line(&args.out, true)))
}

/// Says why a rebuild did not happen: the failure on stderr as `build` gives it (data
/// problems were drawn already), and `not built: ...` on stdout, with what `--out` holds:
/// the data is checked before anything is written, so on its errors nothing was; a
/// failure while writing (a layout over its time limit, a full disk) may leave some
/// files new.
fn report(failure: &Failure, out: &Path) -> Result<(), Failure> {
    write!(std::io::stderr(), "{}", failure.render())?;
    let why = crate::text::visible(&failure.to_string()).into_owned();
    let out = crate::text::visible(&out.display().to_string()).into_owned();
    let holds = match failure {
        Failure::InvalidData { .. } | Failure::Load(_) => {
            format!("{out} keeps the last good build")
        }
        _ => format!("some files in {out} may be from this build, the rest from the last"),
    };
    to_stdout(|o| {
        writeln!(
            o,
            "not built: {}; {holds}",
            why.lines().next().unwrap_or_default()
        )
    })
}

fn watch_failure(data: &Path, e: &notify::Error) -> Failure {
    Failure::NoAnswer {
        message: format!(
            "cannot watch `{}`: {}",
            data.display(),
            crate::text::visible(&e.to_string())
        ),
        help: "check that --data names a folder or .toml file that exists; on Linux, a very large tree may need a higher fs.inotify.max_user_watches".into(),
    }
}

/// What is watched, and which of the paths events name are data files.
struct Watched {
    /// The folder watched (the data folder, or the folder of a single data file).
    root: PathBuf,
    mode: RecursiveMode,
    /// For a single data file, its name in `root`.
    file: Option<std::ffi::OsString>,
    /// `--data` as given, to show changed files as the user names them.
    data: PathBuf,
    /// `--out`, resolved, whose files are never data.
    out: Option<PathBuf>,
}

impl Watched {
    fn new(data: &Path, out: &Path) -> Result<Self, Failure> {
        let resolved = data
            .canonicalize()
            .map_err(|_| Failure::Load(crate::load::LoadError::NotFound(data.to_path_buf())))?;
        let (root, mode, file) = if resolved.is_dir() {
            (resolved, RecursiveMode::Recursive, None)
        } else {
            let parent = resolved.parent().unwrap_or(Path::new("/")).to_path_buf();
            (
                parent,
                RecursiveMode::NonRecursive,
                resolved.file_name().map(ToOwned::to_owned),
            )
        };
        Ok(Watched {
            root,
            mode,
            file,
            data: data.to_path_buf(),
            out: out.canonicalize().ok(),
        })
    }

    /// The data file `path` names, as the user would name it, if it is one.
    fn data_file(&self, path: &Path) -> Option<PathBuf> {
        if self.out.as_deref().is_some_and(|o| path.starts_with(o)) {
            return None;
        }
        let within = path.strip_prefix(&self.root).ok()?;
        if let Some(file) = &self.file {
            return (within.as_os_str() == file.as_os_str()).then(|| self.data.clone());
        }
        let hidden = within
            .components()
            .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')));
        let data = match path.extension() {
            Some(ext) => ext.eq_ignore_ascii_case("toml") || ext.eq_ignore_ascii_case("csv"),
            // A folder renamed, moved in or removed takes its data files with it.
            None => !path.is_file(),
        };
        (data && !hidden).then(|| self.data.join(within))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, MetadataKind};

    #[test]
    fn reading_the_data_is_no_change() {
        assert!(!is_change(EventKind::Access(AccessKind::Any)));
        assert!(!is_change(EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(is_change(EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_change(EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn only_data_files_outside_the_output_count() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("out")).unwrap();
        let watched = Watched::new(&root, &root.join("out")).unwrap();
        let name = |p: &str| watched.data_file(&root.join(p));
        assert_eq!(name("a.toml"), Some(root.join("a.toml")));
        assert_eq!(name("sub/NODES.CSV"), Some(root.join("sub/NODES.CSV")));
        assert_eq!(name("gone"), Some(root.join("gone")), "a folder removed");
        for ignored in ["notes.md", ".a.toml.swp", ".git/x.toml", "out/nodes.csv"] {
            assert_eq!(name(ignored), None, "{ignored}");
        }
        std::fs::write(root.join("one.toml"), "").unwrap();
        let single = Watched::new(&root.join("one.toml"), &root.join("out")).unwrap();
        assert_eq!(
            single.data_file(&root.join("one.toml")),
            Some(root.join("one.toml"))
        );
        assert_eq!(single.data_file(&root.join("two.toml")), None);
    }
}
