//! The output directory of `build` and `seminar` (`--out`): checked, locked, and kept
//! tidy by a manifest, so nothing is written or removed outside it and nothing the user
//! put there is removed.
//!
//! - **No links followed.** [`check`] refuses an `--out` whose last component is a
//!   symbolic link, and for a relative `--out` (inside the working directory, which may
//!   be a cloned repository) any component that is one; a subfolder such as `seminar/`
//!   that is a link is refused the same way, before anything is written. A file inside
//!   the directory that is a link is replaced by the written file, never followed
//!   ([`crate::output::write_atomic`]).
//! - **One writer.** [`OutDir::open`] takes an exclusive lock on `.policygraph.lock` in
//!   the directory (std's `File::try_lock`, an advisory `flock`) and writes its pid
//!   there; a second build into the same directory is refused at once, naming that pid,
//!   rather than waiting (a hung build would make it wait forever). The kernel drops the
//!   lock when the process ends, however it ends. The lock file is left in place.
//! - **A manifest.** `.policygraph.manifest` lists, one name a line and sorted, the files
//!   the last successful run wrote in this directory. [`OutDir::finish`] removes the
//!   files the previous manifest lists that this run did not write (an era renamed, a
//!   shorter deck), and nothing else: a file the user put there is never listed. Only
//!   plain names of regular files are removed; a name with a slash, a hidden name or a
//!   link is skipped, so a tampered manifest cannot reach outside. A run that fails
//!   part-way lists what the previous manifest listed and what it wrote, so nothing
//!   is forgotten. A directory written before manifests existed has none: nothing
//!   is removed there.

use crate::output::{OutputError, Refused};
use std::collections::BTreeSet;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

/// The manifest's file name in an output directory.
pub const MANIFEST: &str = ".policygraph.manifest";

/// The lock file's name in an output directory.
pub const LOCK: &str = ".policygraph.lock";

/// A manifest larger than this is not one we wrote: it is ignored.
const MANIFEST_LIMIT: u64 = 1 << 20;

const MANIFEST_HEADER: &str = "# The files policygraph wrote in this directory. The next build or seminar removes\n# those it no longer writes, and nothing else. Do not edit.\n";

/// Checks, before anything is written, that `dir` and (for a relative path) every folder
/// on the way to it is a real directory or does not exist yet: never a symbolic link,
/// never a file.
pub fn check(dir: &Path) -> Result<(), OutputError> {
    let mut prefixes = Vec::new();
    if dir.is_relative() {
        let mut prefix = PathBuf::new();
        for c in dir.components() {
            prefix.push(c);
            if matches!(c, Component::Normal(_)) {
                prefixes.push(prefix.clone());
            }
        }
    } else {
        prefixes.push(dir.to_path_buf());
    }
    for p in prefixes {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_symlink() => {
                let to = std::fs::read_link(&p)
                    .map(|t| format!(" (to `{}`)", t.display()))
                    .unwrap_or_default();
                return Err(Refused {
                    message: format!(
                        "`{}` is a symbolic link{to}; policygraph writes only into real directories, so that nothing is written or removed elsewhere",
                        p.display()
                    ),
                    help: "remove the link (the folder is created as needed), or pass the directory it points to as --out".into(),
                }
                .into());
            }
            Ok(m) if !m.is_dir() => {
                return Err(Refused {
                    message: format!("`{}` is in the way: it is not a directory", p.display()),
                    help: "move it away, or choose another --out".into(),
                }
                .into());
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// An output directory, checked, created and locked, recording what is written to it.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
    /// Held until dropped: the lock on the directory.
    _lock: Option<std::fs::File>,
    previous: BTreeSet<String>,
    written: BTreeSet<String>,
    finished: bool,
}

impl OutDir {
    /// Checks `dir` ([`check`]), creates it, locks it against other builds, removes
    /// temporary files a killed run left there, and reads its manifest.
    pub fn open(dir: &Path) -> Result<Self, OutputError> {
        check(dir)?;
        std::fs::create_dir_all(dir)?;
        // Created between the check and now by someone else: check again.
        check(dir)?;
        let lock = lock(dir)?;
        crate::output::remove_stale_temporaries(dir);
        Ok(OutDir {
            dir: dir.to_path_buf(),
            _lock: lock,
            previous: read_manifest(dir),
            written: BTreeSet::new(),
            finished: false,
        })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Records that `name` was written.
    pub fn record(&mut self, name: &str) {
        self.written.insert(name.to_string());
    }

    /// Starts another run in the directory, keeping the lock: what the last run wrote
    /// (with, if it stopped part-way, what the manifest listed before it) is what the
    /// next run's [`OutDir::finish`] may remove.
    pub fn restart(&mut self) {
        if self.finished {
            self.previous = std::mem::take(&mut self.written);
        } else {
            self.previous.append(&mut self.written);
            // As when dropped: the manifest remembers every name left behind.
            let _ = crate::output::write_atomic(
                &self.dir.join(MANIFEST),
                manifest(&self.previous).as_bytes(),
            );
        }
        self.finished = false;
    }

    /// Removes what the previous manifest lists and this run did not write, then writes
    /// the manifest of this run. Returns the names removed.
    pub fn finish(&mut self) -> Result<Vec<String>, (PathBuf, std::io::Error)> {
        let mut removed = Vec::new();
        for name in self.previous.difference(&self.written) {
            if !plain(name) {
                continue;
            }
            let path = self.dir.join(name);
            if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                continue;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => removed.push(name.clone()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err((path, e)),
            }
        }
        let path = self.dir.join(MANIFEST);
        crate::output::write_atomic(&path, manifest(&self.written).as_bytes())
            .map_err(|e| (path, e))?;
        self.finished = true;
        Ok(removed)
    }
}

impl Drop for OutDir {
    /// A run that stopped part-way keeps every name it may have left behind.
    fn drop(&mut self) {
        if !self.finished && !self.written.is_subset(&self.previous) {
            let all: BTreeSet<String> = self.previous.union(&self.written).cloned().collect();
            let _ =
                crate::output::write_atomic(&self.dir.join(MANIFEST), manifest(&all).as_bytes());
        }
    }
}

/// Whether a manifest entry is a plain file name in the directory itself.
fn plain(name: &str) -> bool {
    let mut components = Path::new(name).components();
    matches!(components.next(), Some(Component::Normal(_)))
        && components.next().is_none()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
}

/// The manifest's text: a header, then the names sorted, one a line.
fn manifest(names: &BTreeSet<String>) -> String {
    let mut text = MANIFEST_HEADER.to_string();
    for name in names {
        text += name;
        text.push('\n');
    }
    text
}

/// The names the manifest in `dir` lists; none if it is missing, not a regular file, or
/// too large to be one we wrote.
fn read_manifest(dir: &Path) -> BTreeSet<String> {
    let path = dir.join(MANIFEST);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() && m.len() <= MANIFEST_LIMIT => {}
        _ => return BTreeSet::new(),
    }
    let Ok(text) = std::fs::read_to_string(&path) else {
        return BTreeSet::new();
    };
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Takes the lock on `dir`: `.policygraph.lock`, never through a link and never
/// blocking. `None` where the file system has no locks.
fn lock(dir: &Path) -> Result<Option<std::fs::File>, OutputError> {
    let path = dir.join(LOCK);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options
            .custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32)
            .mode(0o644);
    }
    let not_a_file = || -> OutputError {
        Refused {
            message: format!("`{}` is not a regular file", path.display()),
            help: "remove it: policygraph keeps its lock there".into(),
        }
        .into()
    };
    let mut file = match options.open(&path) {
        Ok(f) => f,
        Err(e) if std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) => {
            let _ = e;
            return Err(not_a_file());
        }
        Err(e) => return Err(e.into()),
    };
    if !file.metadata()?.is_file() {
        return Err(not_a_file());
    }
    match file.try_lock() {
        Ok(()) => {
            // Written in place, then cut to length: a reader never sees an empty file.
            let pid = format!("{}\n", std::process::id());
            file.seek(SeekFrom::Start(0))?;
            file.write_all(pid.as_bytes())?;
            file.set_len(pid.len() as u64)?;
            Ok(Some(file))
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let pid = holder(&file)
                .map(|p| format!(" (pid {p})"))
                .unwrap_or_default();
            Err(Refused {
                message: format!(
                    "another policygraph build{pid} is writing to `{}`",
                    dir.display()
                ),
                help: "wait for it to finish and run again, or write to another --out".into(),
            }
            .into())
        }
        // No locks on this file system (some network mounts): go on without.
        Err(std::fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// The pid the holder of a lock file wrote on its first line: read a few times over a
/// tenth of a second, since the holder writes it just after taking the lock.
fn holder(file: &std::fs::File) -> Option<u32> {
    for _ in 0..5 {
        let mut text = String::new();
        let mut reader = file;
        if reader.seek(SeekFrom::Start(0)).is_ok() {
            let _ = Read::take(reader, 32).read_to_string(&mut text);
        }
        if let Some(pid) = text.lines().next().and_then(|l| l.trim().parse().ok()) {
            return Some(pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_removable() {
        for good in ["graph.svg", "era-x.dot", "step-01.svg"] {
            assert!(plain(good), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "a/b",
            "/etc/passwd",
            ".hidden",
            "a\\b",
        ] {
            assert!(!plain(bad), "{bad}");
        }
    }

    #[test]
    fn the_manifest_removes_what_it_listed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut out = OutDir::open(d).unwrap();
        for name in ["a.svg", "b.svg"] {
            std::fs::write(d.join(name), name).unwrap();
            out.record(name);
        }
        assert!(out.finish().unwrap().is_empty());
        drop(out);
        std::fs::write(d.join("mine.svg"), "the user's").unwrap();
        let mut out = OutDir::open(d).unwrap();
        out.record("a.svg");
        assert_eq!(out.finish().unwrap(), ["b.svg"]);
        drop(out);
        assert!(d.join("a.svg").exists() && d.join("mine.svg").exists());
        assert!(!d.join("b.svg").exists());
        assert_eq!(
            std::fs::read_to_string(d.join(MANIFEST)).unwrap(),
            format!("{MANIFEST_HEADER}a.svg\n")
        );
    }

    #[test]
    fn a_second_writer_is_refused_and_the_lock_ends_with_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutDir::open(dir.path()).unwrap();
        let err = OutDir::open(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "another policygraph build (pid {})",
                std::process::id()
            )),
            "{err}"
        );
        drop(first);
        assert!(OutDir::open(dir.path()).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_directory_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("seminar")).unwrap();
        let err = OutDir::open(&out.join("seminar")).unwrap_err().to_string();
        assert!(err.contains("is a symbolic link"), "{err}");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    }
}
