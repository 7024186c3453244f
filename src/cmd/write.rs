//! Writing outputs: answers to stdout, files to `-o PATH`, folders through [`Emitter`].

use super::failure::Failure;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Writes bytes to `-o PATH` ([`crate::output::write_to`]: atomically to a regular file,
/// through a FIFO or device, `-` to stdout), or to stdout when no path is given. An
/// unchanged regular file is left untouched; missing folders of PATH are created.
pub fn write_out(path: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    write_streamed(path, Some(bytes), |w| w.write_all(bytes))
}

/// Writes what `write` produces to `-o PATH` or to stdout, as [`write_out`] does;
/// `whole`, when given, is the whole content, to leave an unchanged file untouched.
pub fn write_streamed(
    path: Option<&Path>,
    whole: Option<&[u8]>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            // `-o out/x.svg` creates `out/`, as `seminar --out` and `build --out` do.
            if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty())
                && !parent.exists()
            {
                std::fs::create_dir_all(parent).map_err(|e| Failure::output(p, e.into()))?;
            }
            crate::output::write_to(p, whole, write).map_err(|e| Failure::output(p, e))
        }
        _ => to_stdout(write),
    }
}

/// Writes what `write` produces to stdout, buffered, and flushes: how every command
/// prints its answer.
pub fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Failure> {
    // 64 KiB at a time: a million-node answer is a hundred megabytes.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    write(&mut out)?;
    out.flush()?;
    Ok(())
}

/// Writes files into one output directory ([`crate::outdir`]: checked for links, locked,
/// tidied by a manifest) atomically, counting what it wrote and changed, with one
/// progress line per file on a terminal.
///
/// A live emitter (`build --watch`, [`Emitter::live`]) also puts the reloader into every
/// page it writes ([`crate::teach::live`]) and keeps a hash of everything written, for
/// the stamp the pages poll; it is used for one run after another ([`Emitter::restart`]),
/// keeping the directory's lock all along.
pub struct Emitter {
    dir: crate::outdir::OutDir,
    progress: bool,
    live: bool,
    digest: std::hash::DefaultHasher,
    /// Files written.
    pub written: usize,
    /// Files whose contents changed.
    pub changed: usize,
    /// The names of the files whose contents changed, in the order written.
    pub changed_names: Vec<String>,
}

impl Emitter {
    /// Checks `dir` (no symbolic link on the way), creates it, takes its lock (another
    /// build writing there is an error), and removes temporary files a killed run left.
    pub fn open(dir: &Path) -> Result<Self, Failure> {
        Ok(Emitter {
            dir: crate::outdir::OutDir::open(dir).map_err(|e| Failure::output(dir, e))?,
            progress: std::io::stderr().is_terminal(),
            live: false,
            digest: std::hash::DefaultHasher::new(),
            written: 0,
            changed: 0,
            changed_names: Vec::new(),
        })
    }

    /// The same emitter, writing pages that reload themselves when the build changes.
    pub fn live(mut self) -> Self {
        self.live = true;
        self
    }

    /// A hash of the names and contents of every file written in this run.
    pub fn digest(&self) -> u64 {
        std::hash::Hasher::finish(&self.digest)
    }

    /// Starts the next run in the same directory, still locked: counts start again, and
    /// the files the last run wrote are those the next may remove.
    pub fn restart(&mut self) {
        self.dir.restart();
        self.digest = std::hash::DefaultHasher::new();
        self.written = 0;
        self.changed = 0;
        self.changed_names.clear();
    }

    /// The directory written to.
    pub fn dir(&self) -> &Path {
        self.dir.dir()
    }

    /// Writes `name` atomically (untouched when unchanged).
    pub fn emit(&mut self, name: &str, bytes: &[u8]) -> Result<(), Failure> {
        let page;
        let bytes = if self.live && name.ends_with(".html") {
            page = crate::teach::live::with_reloader(bytes);
            &page[..]
        } else {
            bytes
        };
        if self.live {
            use std::hash::Hash;
            (name, bytes).hash(&mut self.digest);
        }
        let path = self.dir().join(name);
        let did_change = crate::output::write_atomic(&path, bytes).map_err(|e| Failure::Write {
            path: path.clone(),
            source: e,
        })?;
        self.dir.record(name);
        self.written += 1;
        self.changed += usize::from(did_change);
        if did_change {
            self.changed_names.push(name.to_string());
        }
        if self.progress {
            let state = if did_change { "wrote" } else { "unchanged" };
            writeln!(
                std::io::stderr(),
                "{state:>9} {} ({} bytes)",
                path.display(),
                bytes.len()
            )?;
        }
        Ok(())
    }

    /// Removes the files an earlier run wrote and this one did not (by the manifest, so
    /// never a file the user put there), and records what this run wrote. Returns how
    /// many were removed.
    pub fn finish(&mut self) -> Result<usize, Failure> {
        let removed = self
            .dir
            .finish()
            .map_err(|(path, source)| Failure::Write { path, source })?;
        if self.progress {
            for name in &removed {
                writeln!(
                    std::io::stderr(),
                    "{:>9} {}",
                    "removed",
                    self.dir().join(name).display()
                )?;
            }
        }
        Ok(removed.len())
    }
}
