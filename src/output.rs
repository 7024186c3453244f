//! Writing files: atomically into an output directory, and through `-o PATH` to whatever
//! the user named.
//!
//! Atomic writes: the bytes go to a temporary file in the target directory, which is then
//! renamed over the destination. A reader sees the old file or the new one, never half
//! of one, and a failure leaves the old file untouched. The rename replaces the directory
//! entry itself: a symbolic link in an output directory is replaced by the file, and
//! what it pointed to is never read or written.
//!
//! `-o PATH` ([`destination`]) is resolved the way a user expects of `>`: `-` and a path
//! that is this process's own stdout (`/dev/stdout`, `/proc/self/fd/1`, a link to them)
//! write to the stream; a FIFO or a character device (`/dev/null`, a terminal) is written
//! through, never replaced; a regular file, or a link to one, is replaced atomically
//! (through a link, the file it points to, so the link stays); a directory, a block
//! device, a socket or a dangling link is refused with a clear message. Nothing that is
//! not a regular file is ever read, and opening never blocks: a FIFO nobody reads is an
//! error, not a hang.
//!
//! Ctrl-C ([`exit_on_interrupt`]) removes the temporary files of writes still under way
//! and exits with 130 (with 0, silently, once [`interrupt_ends_quietly`] was called); a rename already done stays done, so every file is old or new.
//! [`finishing`] closes the race between the handler and the end of `main`: once the
//! process has decided its own exit code, an interrupt no longer says "interrupted",
//! and while the handler runs, the process cannot exit with another code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Temporary files being written, which an interrupt removes before exiting, and
/// whether the process is already on its way out.
struct InFlight {
    files: Vec<PathBuf>,
    finishing: bool,
    /// Ctrl-C is how the user ends the command (`build --watch`): exit 0, silently.
    quiet: bool,
}

static IN_FLIGHT: Mutex<InFlight> = Mutex::new(InFlight {
    files: Vec::new(),
    finishing: false,
    quiet: false,
});

fn in_flight() -> MutexGuard<'static, InFlight> {
    IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Handles Ctrl-C (SIGINT): removes the temporary files of unfinished writes, says
/// `error: interrupted` and exits with 130, the shell's code for an interrupt. The lock
/// is held until the process exits, so no new temporary file can appear meanwhile, and
/// [`finishing`] cannot return (so `main` cannot exit with its own code). After
/// [`finishing`], an interrupt is ignored: the command has finished. Installing twice
/// in one process is a no-op.
pub fn exit_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        let state = in_flight();
        if state.finishing {
            // The command is done and its exit code decided; say nothing.
            return;
        }
        for path in &state.files {
            // Already renamed into place, or never created: nothing to remove.
            let _ = std::fs::remove_file(path);
        }
        if state.quiet {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: interrupted");
        std::process::exit(130);
    });
}

/// Makes Ctrl-C the ordinary end of the command: it still removes the temporary files
/// of unfinished writes (so every file is old or new), then exits 0 and says nothing.
/// For `build --watch`, which runs until it is stopped.
pub fn interrupt_ends_quietly() {
    in_flight().quiet = true;
}

/// Marks the command as finished, just before its outcome is reported and the process
/// exits. Blocks (forever) if an interrupt is being handled, which then exits with 130;
/// afterwards an interrupt is ignored. So "interrupted" is printed exactly when the
/// exit code is 130.
pub fn finishing() {
    in_flight().finishing = true;
}

/// Takes a temporary file off the in-flight list when its write ends, however it ends.
struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        in_flight().files.retain(|p| p != &self.0);
    }
}

/// Whether `path` is a regular file (not following a symbolic link) holding exactly
/// `bytes`. Only a regular file of the same length is read: never a link, a device or a
/// FIFO (reading one could block or never end).
fn holds(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Writes `bytes` to `path` atomically, creating no directories. Returns whether the
/// file changed (false when it already held exactly these bytes, so an unchanged build
/// does not touch modification times). A symbolic link at `path` is replaced, never
/// followed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if holds(path, bytes) {
        return Ok(false);
    }
    write_atomic_with(path, |w| w.write_all(bytes))?;
    Ok(true)
}

/// Writes what `write` produces to `path` atomically, streaming it to the temporary file
/// so large exports are never held in memory. The file is always replaced (comparing a
/// large export with the old one would cost another read of both). A regular file's
/// permissions are kept; a symbolic link at `path` is replaced, never followed.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        // The rename would fail too, but only after the whole file was written.
        return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
    }
    let (mut file, _registered) = {
        let mut state = in_flight();
        let file = tempfile::Builder::new()
            .prefix(TEMPORARY_PREFIX)
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(without_temporary_name)?;
        // Held while the file is written: a cleaner in another process sees it in use.
        // (A file system without locks only loses that protection.)
        let _ = file.as_file().try_lock();
        state.files.push(file.path().to_path_buf());
        let registered = Registered(file.path().to_path_buf());
        (file, registered)
    };
    {
        let mut out = std::io::BufWriter::new(file.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::symlink_metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map_or(0o644, |m| m.permissions().mode() & 0o777);
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The error without the random temporary file name tempfile adds ("at path
/// .../.policygraph-x1Yz.tmp"): the caller names the target, which is what the user
/// asked for. tempfile's wrapper is private, so only the kind survives.
fn without_temporary_name(e: std::io::Error) -> std::io::Error {
    use std::io::{Error, ErrorKind};
    match e.kind() {
        _ if e.get_ref().is_none() => e,
        ErrorKind::NotFound => Error::new(ErrorKind::NotFound, "the directory does not exist"),
        kind => Error::from(kind),
    }
}

/// Prefix of the temporary files [`write_atomic_with`] writes next to their targets.
pub const TEMPORARY_PREFIX: &str = ".policygraph-";

/// Removes temporary files a killed earlier run left in `dir` (a killed process cannot
/// delete its own). A temporary file another process is still writing is locked by it
/// and left alone; links, directories and anything else are never touched. Errors are
/// ignored, since a leftover hidden file is harmless.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMPORARY_PREFIX) && name.ends_with(".tmp")) {
            continue;
        }
        let path = entry.path();
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        // A regular file opens without blocking; the lock says whether a writer is alive.
        if let Ok(file) = std::fs::File::open(&path)
            && file.try_lock().is_ok()
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Why an output path is refused before anything is written.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Refused {
    /// What is wrong, naming the path.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// Why writing to an output path failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path is refused (a directory, a disk, a FIFO nobody reads, ...).
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The system refused or the write failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Where `-o PATH` writes, decided before anything is written.
#[derive(Debug)]
pub enum Destination {
    /// This process's stdout: `-`, or a path that is the same file as stdout.
    Stdout,
    /// A FIFO or character device, opened for writing (never created, never replaced).
    Through(std::fs::File),
    /// A regular file (or none yet), replaced atomically at this path: the file a
    /// symbolic link points to, so the link stays.
    Atomic(PathBuf),
}

fn refused(message: String, help: &str) -> OutputError {
    OutputError::Refused(Refused {
        message,
        help: help.to_string(),
    })
}

/// Decides where `-o path` writes (see the module documentation), opening a FIFO or a
/// device without blocking.
pub fn destination(path: &Path) -> Result<Destination, OutputError> {
    if path.as_os_str() == "-" {
        return Ok(Destination::Stdout);
    }
    let shown = path.display();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(link) = std::fs::read_link(path) {
                return Err(refused(
                    format!(
                        "`{shown}` is a symbolic link to `{}`, which does not exist",
                        link.display()
                    ),
                    "create the file it points to, remove the link, or write elsewhere",
                ));
            }
            return Ok(Destination::Atomic(path.to_path_buf()));
        }
        Err(e) => return Err(e.into()),
    };
    if is_stdout(&meta) {
        return Ok(Destination::Stdout);
    }
    if meta.is_file() {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
        return Ok(Destination::Atomic(if is_link {
            std::fs::canonicalize(path)?
        } else {
            path.to_path_buf()
        }));
    }
    if meta.is_dir() {
        return Err(refused(
            format!("`{shown}` is a directory"),
            "name a file inside it, such as DIR/graph.dot",
        ));
    }
    through(path, &meta)
}

/// Whether `-o path` writes to this process's stdout: `-`, `/dev/stdout`, a link to it.
pub fn names_stdout(path: &Path) -> bool {
    path.as_os_str() == "-" || std::fs::metadata(path).is_ok_and(|m| is_stdout(&m))
}

/// Whether `meta` describes the file this process's stdout is.
#[cfg(unix)]
fn is_stdout(meta: &std::fs::Metadata) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
        return false;
    };
    std::fs::File::from(fd)
        .metadata()
        .is_ok_and(|s| s.dev() == meta.dev() && s.ino() == meta.ino())
}

#[cfg(not(unix))]
fn is_stdout(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Opens a FIFO or a character device for writing, as `>` would but without blocking:
/// a FIFO with no reader is an error. Disks and sockets are refused.
#[cfg(unix)]
fn through(path: &Path, meta: &std::fs::Metadata) -> Result<Destination, OutputError> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let shown = path.display();
    let kind = meta.file_type();
    if kind.is_block_device() {
        return Err(refused(
            format!("`{shown}` is a block device (a disk); policygraph does not write to disks"),
            "write to a file instead",
        ));
    }
    if kind.is_socket() {
        return Err(refused(
            format!("`{shown}` is a socket, which cannot be opened as a file"),
            "write to a file, or to stdout with -o - and pipe it",
        ));
    }
    let opened = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32)
        .open(path);
    let file = match opened {
        Ok(f) => f,
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::NXIO.raw_os_error()) => {
            return Err(refused(
                format!("no program is reading from the FIFO `{shown}`"),
                "start the program that reads it first (such as `cat FIFO &`), or write to a file",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    if file.metadata()?.is_file() {
        // Replaced by a regular file since it was looked at: write that atomically.
        return Ok(Destination::Atomic(path.to_path_buf()));
    }
    // Writes block again, as `>` does, so a slow reader is waited for, not an error.
    let flags = rustix::fs::fcntl_getfl(&file).map_err(std::io::Error::from)?;
    rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK).map_err(std::io::Error::from)?;
    Ok(Destination::Through(file))
}

#[cfg(not(unix))]
fn through(path: &Path, _meta: &std::fs::Metadata) -> Result<Destination, OutputError> {
    Err(refused(
        format!("`{}` is not a regular file", path.display()),
        "write to a file instead",
    ))
}

/// Writes what `write` produces to `-o path` ([`destination`]); `compare`, when given,
/// is the whole content, so an unchanged regular file is left untouched.
pub fn write_to(
    path: &Path,
    compare: Option<&[u8]>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    match destination(path)? {
        Destination::Stdout => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)?;
            out.flush()?;
        }
        Destination::Through(file) => {
            let mut out = std::io::BufWriter::new(file);
            write(&mut out)?;
            out.flush()?;
        }
        Destination::Atomic(target) => {
            if compare.is_some_and(|bytes| holds(&target, bytes)) {
                return Ok(());
            }
            write_atomic_with(&target, write)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        assert!(write_atomic(&path, b"one").unwrap());
        assert!(write_atomic(&path, b"two").unwrap());
        assert!(!write_atomic(&path, b"two").unwrap(), "unchanged");
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn streaming_writes_are_atomic_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic_with(&path, |w| w.write_all(b"one")).unwrap();
        write_atomic_with(&path, |w| w.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(write_atomic_with(&path, |_| Err(std::io::Error::other("fails"))).is_err());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"two",
            "a failed write leaves the old file"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("a.txt");
        assert!(write_atomic(&path, b"x").is_err());
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_an_output_directory_is_replaced_and_its_target_never_read_or_written() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep").unwrap();
        let link = dir.path().join("a.txt");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(
            write_atomic(&link, b"keep").unwrap(),
            "a link is not the file"
        );
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert!(std::fs::symlink_metadata(&link).unwrap().is_file());
        // A link to /dev/zero is never read (it would never end).
        let zero = dir.path().join("zero.txt");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(write_atomic(&zero, b"z").unwrap());
        assert_eq!(std::fs::read(&zero).unwrap(), b"z");
    }

    #[test]
    fn a_directory_in_the_way_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::IsADirectory);
        assert!(matches!(
            destination(dir.path()),
            Err(OutputError::Refused(_))
        ));
    }

    #[test]
    fn a_temporary_file_in_use_is_not_removed_and_a_stale_one_is() {
        let dir = tempfile::tempdir().unwrap();
        let busy = dir.path().join(format!("{TEMPORARY_PREFIX}busy.tmp"));
        let held = std::fs::File::create(&busy).unwrap();
        held.try_lock().unwrap();
        let stale = dir.path().join(format!("{TEMPORARY_PREFIX}stale.tmp"));
        std::fs::write(&stale, "x").unwrap();
        remove_stale_temporaries(dir.path());
        assert!(busy.exists(), "another writer's file is left alone");
        assert!(!stale.exists());
        drop(held);
        remove_stale_temporaries(dir.path());
        assert!(!busy.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_regular_file_writes_the_file_and_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.dot");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.dot");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_to(&link, None, |w| w.write_all(b"new")).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let dangling = dir.path().join("dangling.dot");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(matches!(
            destination(&dangling),
            Err(OutputError::Refused(_))
        ));
    }
}
