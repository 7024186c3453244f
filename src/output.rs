//! Writing files atomically: the bytes go to a temporary file in the target directory,
//! which is then renamed over the destination. A reader sees the old file or the new
//! one, never half of one, and a failure leaves the old file untouched.
//!
//! Ctrl-C ([`exit_on_interrupt`]) removes the temporary files of writes still under way
//! and exits with 130; a rename already done stays done, so every file is old or new.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Temporary files being written, which an interrupt removes before exiting.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn in_flight() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Handles Ctrl-C (SIGINT): removes the temporary files of unfinished writes, says
/// `error: interrupted` and exits with 130, the shell's code for an interrupt. The lock
/// is held until the process exits, so no new temporary file can appear meanwhile.
/// Installing twice in one process is a no-op.
pub fn exit_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        let files = in_flight();
        for path in files.iter() {
            // Already renamed into place, or never created: nothing to remove.
            let _ = std::fs::remove_file(path);
        }
        let _ = writeln!(std::io::stderr(), "error: interrupted");
        std::process::exit(130);
    });
}

/// Takes a temporary file off the in-flight list when its write ends, however it ends.
struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        in_flight().retain(|p| p != &self.0);
    }
}

/// Writes `bytes` to `path` atomically, creating no directories. Returns whether the
/// file changed (false when it already held exactly these bytes, so an unchanged build
/// does not touch modification times).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    write_atomic_with(path, |w| w.write_all(bytes))?;
    Ok(true)
}

/// Writes what `write` produces to `path` atomically, streaming it to the temporary file
/// so large exports are never held in memory. The file is always replaced (comparing a
/// large export with the old one would cost another read of both).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (mut file, _registered) = {
        let mut files = in_flight();
        let file = tempfile::Builder::new()
            .prefix(TEMPORARY_PREFIX)
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(without_temporary_name)?;
        files.push(file.path().to_path_buf());
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
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
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
/// delete its own). Never touches anything else; errors are ignored, since a leftover
/// hidden file is harmless.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMPORARY_PREFIX) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
}
