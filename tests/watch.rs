//! `build --watch` run as a user runs it: the real binary on a copy of a small
//! collection, its stdout read line by line. Every wait is for a line the program
//! prints, bounded (30 s), never a sleep standing in for synchronisation.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The longest wait for one line.
const BOUND: Duration = Duration::from_secs(30);

/// A `build --watch` running in the background, its stdout lines and stderr collected
/// by threads.
struct Watching {
    child: Child,
    lines: Receiver<String>,
    /// What it wrote on stderr so far, and a signal for each new piece.
    stderr: Arc<(Mutex<String>, Condvar)>,
    /// The thread reading stderr, which ends when the process does.
    stderr_reader: Option<std::thread::JoinHandle<()>>,
    seen: Vec<String>,
}

impl Watching {
    fn start(data: &Path, out: &Path) -> Self {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("policygraph"))
            .args(["--data"])
            .arg(data)
            .args(["build", "--watch", "--out"])
            .arg(out)
            .env("NO_COLOR", "1")
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new((Mutex::new(String::new()), Condvar::new()));
        let sink = stderr.clone();
        let mut pipe = child.stderr.take().unwrap();
        let stderr_reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.0
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
                sink.1.notify_all();
            }
        });
        Watching {
            child,
            lines,
            stderr,
            stderr_reader: Some(stderr_reader),
            seen: Vec::new(),
        }
    }

    /// The next stdout line starting with one of `starts`, waiting at most [`BOUND`];
    /// lines before it are kept in `seen`.
    fn next(&mut self, starts: &[&str]) -> String {
        let deadline = Instant::now() + BOUND;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if starts.iter().any(|s| line.starts_with(s)) => return line,
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no line starting with {starts:?} within {BOUND:?}; stdout: {:?}; stderr: {}",
                    self.seen,
                    self.stderr()
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the watcher ended; stdout: {:?}; stderr: {}",
                    self.seen,
                    self.stderr()
                ),
            }
        }
    }

    fn stderr(&self) -> String {
        self.stderr.0.lock().unwrap().clone()
    }

    /// Stderr once it contains `text`, waiting at most [`BOUND`] (stderr and stdout are
    /// read by different threads, so a line on stdout may come first).
    fn stderr_with(&self, text: &str) -> String {
        let (lock, signal) = &*self.stderr;
        let (stderr, _) = signal
            .wait_timeout_while(lock.lock().unwrap(), BOUND, |s| !s.contains(text))
            .unwrap();
        assert!(stderr.contains(text), "no {text:?} on stderr: {stderr}");
        stderr.clone()
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file under `dir` with its bytes, by relative path (the lock file aside).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if !p.ends_with(".policygraph.lock") {
                let name = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// `built N files in DIR (M changed: a, b and K more)`: N, the names, K.
fn parse_built(line: &str, out: &Path) -> (usize, Vec<String>, usize) {
    let rest = line
        .strip_prefix("built ")
        .unwrap_or_else(|| panic!("{line}"));
    let (total, rest) = rest.split_once(" files in ").unwrap();
    let rest = rest.strip_prefix(&format!("{} (", out.display())).unwrap();
    let (count, rest) = rest.split_once(" changed").unwrap();
    let count: usize = count.parse().unwrap();
    let list = rest
        .strip_prefix(": ")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or("");
    let (list, more) = match list.rsplit_once(" and ") {
        Some((l, m)) => (l, m.strip_suffix(" more").unwrap().parse().unwrap()),
        None => (list, 0),
    };
    let named: Vec<String> = list
        .split(", ")
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect();
    assert_eq!(named.len() + more, count, "{line}");
    (total.parse().unwrap(), named, more)
}

/// Replaces `file` as an editor saves it: written beside it, then renamed over it, so
/// the watcher never sees it half-written.
fn save(file: &Path, text: &str) {
    let new = file.with_extension("toml.new");
    std::fs::write(&new, text).unwrap();
    std::fs::rename(&new, file).unwrap();
}

fn copy_fixture(name: &str, to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// A change to a data file rebuilds what it changes and says which files those are; a
/// file with an error is reported, and nothing in the output is touched; mending it
/// rebuilds again.
#[test]
fn a_change_rebuilds_and_invalid_data_keeps_the_last_good_output() {
    let work = tempfile::tempdir().unwrap();
    let (data, out) = (work.path().join("data"), work.path().join("out"));
    copy_fixture("valid", &data);
    let file = data.join("collection.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut watch = Watching::start(&data, &out);

    let first = watch.next(&["built", "not built"]);
    assert!(first.starts_with("built "), "{first}");
    assert!(out.join("build-stamp.js").is_file() && out.join("seminar/build-stamp.js").is_file());
    let explorer = std::fs::read_to_string(out.join("explorer.html")).unwrap();
    assert!(
        explorer.contains("build-stamp.js?"),
        "the page polls its stamp"
    );
    let stamp = std::fs::read_to_string(out.join("build-stamp.js")).unwrap();

    // A new name for one body.
    let before = files(&out);
    save(
        &file,
        &text.replace(
            "name = \"Primary care trusts\"",
            "name = \"Primary care groups\"",
        ),
    );
    let changed = watch.next(&["changed:"]);
    assert_eq!(changed, format!("changed: {}", file.display()));
    let rebuilt = watch.next(&["built", "not built"]);
    let json = std::fs::read_to_string(out.join("graph.json")).unwrap();
    assert!(json.contains("Primary care groups") && !json.contains("Primary care trusts"));
    // The line's counts and names are those of the files that did change.
    let after = files(&out);
    let differ: Vec<String> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|(name, _)| name.clone())
        .collect();
    assert_eq!(after.len(), before.len());
    let (total, named, more) = parse_built(&rebuilt, &out);
    assert_eq!(
        total,
        after.len() - 2,
        "every file but the two manifests: {rebuilt}"
    );
    assert_eq!(
        named.len() + more,
        differ.len(),
        "{rebuilt}; changed: {differ:?}"
    );
    for name in &named {
        assert!(differ.contains(name), "{name} did not change: {rebuilt}");
    }
    for name in [
        "graph.json",
        "explorer.html",
        "build-stamp.js",
        "seminar/index.html",
    ] {
        assert!(differ.iter().any(|d| d == name), "{name} unchanged");
    }
    assert_ne!(
        std::fs::read_to_string(out.join("build-stamp.js")).unwrap(),
        stamp,
        "the stamp changes with the build"
    );

    // An error: reported, nothing written.
    let good = files(&out);
    save(
        &file,
        &text.replacen("kind = \"body\"", "kind = \"bdy\"", 1),
    );
    watch.next(&["changed:"]);
    let refused = watch.next(&["built", "not built"]);
    assert_eq!(
        refused,
        format!(
            "not built: the data has 1 error; {} keeps the last good build",
            out.display()
        )
    );
    let stderr = watch.stderr_with("did you mean `body`?");
    assert!(stderr.contains("unknown-kind"), "{stderr}");
    assert_eq!(files(&out), good, "a failed rebuild writes nothing");

    // Mended: built again, as at the start.
    save(&file, &text);
    watch.next(&["changed:"]);
    let mended = watch.next(&["built", "not built"]);
    assert!(mended.starts_with("built "), "{mended}");
    assert_eq!(
        std::fs::read_to_string(out.join("build-stamp.js")).unwrap(),
        stamp
    );
}

/// Ctrl-C ends the watch: exit 0, nothing said on stderr.
#[cfg(unix)]
#[test]
fn ctrl_c_ends_the_watch_quietly() {
    let work = tempfile::tempdir().unwrap();
    let (data, out) = (work.path().join("data"), work.path().join("out"));
    copy_fixture("valid", &data);
    let mut watch = Watching::start(&data, &out);
    watch.next(&["built"]);
    let sent = Command::new("kill")
        .args(["-INT", &watch.child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    // Stdout closes when the process ends.
    loop {
        match watch.lines.recv_timeout(BOUND) {
            Ok(line) => watch.seen.push(line),
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => panic!("still running after Ctrl-C"),
        }
    }
    assert_eq!(watch.child.wait().unwrap().code(), Some(0));
    assert!(watch.seen.is_empty(), "{:?}", watch.seen);
    // And stderr, whose thread ends once it has read the last bytes.
    watch.stderr_reader.take().unwrap().join().unwrap();
    assert_eq!(
        watch.stderr(),
        format!("watching {} for changes (Ctrl-C to stop)\n", data.display()),
        "nothing said on Ctrl-C"
    );
}

/// Pages built without --watch have no poller, and no stamp is written; a later build
/// without --watch removes the stamp a watch left.
#[test]
fn pages_built_without_watch_do_not_poll() {
    let work = tempfile::tempdir().unwrap();
    let (data, out) = (work.path().join("data"), work.path().join("out"));
    copy_fixture("valid", &data);
    {
        let mut watch = Watching::start(&data, &out);
        watch.next(&["built"]);
    }
    let status = Command::new(assert_cmd::cargo::cargo_bin("policygraph"))
        .arg("--data")
        .arg(&data)
        .args(["build", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success());
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(stdout.contains("2 stale files removed"), "{stdout}");
    assert!(!out.join("build-stamp.js").exists() && !out.join("seminar/build-stamp.js").exists());
    for (name, bytes) in files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("build-stamp"), "{name} polls");
    }
}
