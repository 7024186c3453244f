//! Output targets for the hostile corpus (issue 15 items 1, 6, 8, 14, 19): the work
//! directories `-o` and `--out` point into (devices behind links, FIFOs with and without
//! a reader, links out of `--out`, user files, a held lock), the checks of what must be
//! true afterwards, and running the binary as an unprivileged user when the tests run as
//! root (so a permission test cannot pass by skipping).
//!
//! Nothing here writes outside the work directory: devices are reached through links
//! made in it (`/dev/null`, `/dev/full`, `/proc/self/fd/1`), so even a regression that
//! replaced the link would replace only the link.

#![allow(dead_code)] // each test crate uses a part
#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The user unprivileged runs use, created when missing (CI runs as root).
pub const TEST_USER: &str = "policygraph-test";

fn id(args: &[&str]) -> Option<u32> {
    let out = std::process::Command::new("id").args(args).output().ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

/// The uid and gid to run the binary as: `None` when the tests already run unprivileged;
/// as root, [`TEST_USER`], created if missing.
pub fn unprivileged() -> Option<(u32, u32)> {
    if id(&["-u"]) != Some(0) {
        return None;
    }
    // Tests run in parallel, in several processes: useradd fails while another holds
    // /etc/passwd, so try until the user exists (a few seconds at most).
    static CREATING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = CREATING.lock().unwrap_or_else(|e| e.into_inner());
    for _ in 0..100 {
        if id(&["-u", TEST_USER]).is_some() {
            break;
        }
        let _ = std::process::Command::new("useradd")
            .args([
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
            ])
            .arg(TEST_USER)
            .status();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let uid = id(&["-u", TEST_USER]).expect("useradd created the test user");
    let gid = id(&["-g", TEST_USER]).unwrap();
    Some((uid, gid))
}

/// Gives `path` (recursively, links not followed) to the user.
pub fn give(path: &Path, (uid, gid): (u32, u32)) {
    let done = std::process::Command::new("chown")
        .args(["-R", "-h", &format!("{uid}:{gid}")])
        .arg(path)
        .status()
        .unwrap();
    assert!(done.success(), "chown {}", path.display());
}

/// The binary, runnable by `user`: in place when it can run it (a world-readable
/// target directory), else hard-linked or copied into `work` (call [`give`] on `work`
/// before this, not after: a hard link shares its owner with the original).
pub fn binary_for(user: (u32, u32), work: &Path) -> PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("policygraph");
    let runs = |b: &Path| {
        as_user(user, b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if runs(&bin) {
        return bin;
    }
    // Executable by everyone either way (cargo makes it 0755, and a copy keeps the
    // mode). Not chowned: a hard link shares its owner with the original.
    let copy = work.join("policygraph");
    if std::fs::hard_link(&bin, &copy).is_err() {
        std::fs::copy(&bin, &copy).unwrap();
    }
    assert!(runs(&copy), "the test user cannot run {}", copy.display());
    copy
}

/// A command running `program` as `user` (setpriv, from util-linux).
pub fn as_user((uid, gid): (u32, u32), program: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new("setpriv");
    cmd.arg(format!("--reuid={uid}"))
        .arg(format!("--regid={gid}"))
        .arg("--clear-groups")
        .arg("--")
        .arg(program);
    cmd
}

/// A FIFO with a reader that collects what is written to it. The reader end is open
/// before this returns (non-blocking, so no writer is needed), so a writer never finds
/// the FIFO without a reader.
pub struct Reader {
    done: Arc<AtomicBool>,
    got: Arc<Mutex<Vec<u8>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reader {
    pub fn new(fifo: &Path) -> Reader {
        use std::io::Read;
        use std::os::unix::fs::OpenOptionsExt;
        mkfifo(fifo);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(fifo)
            .unwrap();
        let done = Arc::new(AtomicBool::new(false));
        let got = Arc::new(Mutex::new(Vec::new()));
        let (d, g) = (done.clone(), got.clone());
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                // Read the flag first: a drain after it is set catches everything.
                let last = d.load(Ordering::SeqCst);
                loop {
                    match file.read(&mut buf) {
                        Ok(n) if n > 0 => g.lock().unwrap().extend_from_slice(&buf[..n]),
                        // No writer (0) or nothing yet (WouldBlock): look again later.
                        _ => break,
                    }
                }
                if last {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        });
        Reader {
            done,
            got,
            thread: Some(thread),
        }
    }

    /// Stops reading and returns what was read.
    pub fn finish(mut self) -> Vec<u8> {
        self.done.store(true, Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap();
        std::mem::take(&mut *self.got.lock().unwrap())
    }
}

pub fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Every file under `dir` with its bytes (links as `-> target`), by relative path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            let name = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_symlink() {
                let to = std::fs::read_link(&p).unwrap();
                out.push((name, format!("-> {}", to.display()).into_bytes()));
            } else if meta.is_dir() {
                walk(root, &p, out);
            } else {
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

fn is_link_to(path: &Path, to: &str) -> bool {
    std::fs::read_link(path).is_ok_and(|t| t == Path::new(to))
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// What a check after the run is given: the work directory and the run's stdout.
pub type After = Box<dyn FnOnce(&Path, &str)>;

/// Prepares `work` for the setup `name` and returns the check to run afterwards.
pub fn setup(name: &str, work: &Path) -> After {
    fn devices_intact() {
        for dev in ["/dev/null", "/dev/full"] {
            let meta = std::fs::symlink_metadata(dev).unwrap();
            assert!(meta.file_type().is_char_device(), "{dev} is still a device");
        }
    }
    match name {
        "dev-null" | "dev-full" => {
            let dev = format!("/dev/{}", &name[4..]);
            symlink(&dev, work.join("target")).unwrap();
            Box::new(move |work, _| {
                assert!(is_link_to(&work.join("target"), &dev), "the link stays");
                devices_intact();
            })
        }
        "proc-self-fd" => {
            symlink("/proc/self/fd/1", work.join("out.dot")).unwrap();
            Box::new(|work, _| {
                assert!(is_link_to(&work.join("out.dot"), "/proc/self/fd/1"));
            })
        }
        "dash" => Box::new(|work, _| {
            assert!(!work.join("-").exists(), "no file called -");
        }),
        "fifo-reader" => {
            let reader = Reader::new(&work.join("fifo"));
            Box::new(move |work, _| {
                let got = String::from_utf8(reader.finish()).unwrap();
                let end = got.trim_end();
                assert!(
                    end.ends_with("</svg>") || end.ends_with('}'),
                    "the reader got all of it: {got:.200}"
                );
                let meta = std::fs::symlink_metadata(work.join("fifo")).unwrap();
                assert!(meta.file_type().is_fifo(), "still a FIFO");
            })
        }
        "fifo-alone" => {
            mkfifo(&work.join("fifo"));
            Box::new(|work, _| {
                let meta = std::fs::symlink_metadata(work.join("fifo")).unwrap();
                assert!(meta.file_type().is_fifo(), "still a FIFO");
            })
        }
        "link-to-file" => {
            write(&work.join("real.dot"), "old\n");
            symlink("real.dot", work.join("link.dot")).unwrap();
            Box::new(|work, _| {
                assert!(
                    is_link_to(&work.join("link.dot"), "real.dot"),
                    "the link stays"
                );
                let text = std::fs::read_to_string(work.join("real.dot")).unwrap();
                assert!(text.starts_with("digraph"), "the file it names is written");
                assert_eq!(std::fs::read_dir(work).unwrap().count(), 2, "no temporary");
            })
        }
        "dangling-link" => {
            symlink("missing/victim.dot", work.join("link.dot")).unwrap();
            Box::new(|work, _| {
                assert_eq!(snapshot(work).len(), 1, "nothing created");
            })
        }
        "directory" => {
            write(&work.join("dir/keep.txt"), "keep");
            Box::new(|work, _| {
                assert_eq!(
                    snapshot(work),
                    [("dir/keep.txt".to_string(), b"keep".to_vec())]
                );
            })
        }
        "read-only" => {
            use std::os::unix::fs::PermissionsExt;
            let ro = work.join("read-only");
            std::fs::create_dir(&ro).unwrap();
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
            Box::new(|work, _| {
                assert_eq!(
                    std::fs::read_dir(work.join("read-only")).unwrap().count(),
                    0,
                    "nothing written, not even a temporary file"
                );
            })
        }
        "linked-seminar" | "linked-out" => {
            let elsewhere = work.join("elsewhere");
            write(&elsewhere.join("step-01.svg"), "not ours");
            write(&elsewhere.join("keep.txt"), "keep");
            // A manifest naming the files there: a tampered clone could carry one.
            write(
                &elsewhere.join(".policygraph.manifest"),
                "step-01.svg\nkeep.txt\n",
            );
            if name == "linked-seminar" {
                std::fs::create_dir(work.join("out")).unwrap();
                symlink("../elsewhere", work.join("out/seminar")).unwrap();
            } else {
                symlink("elsewhere", work.join("out")).unwrap();
            }
            let before = snapshot(&elsewhere);
            let name = name.to_string();
            Box::new(move |work, _| {
                assert_eq!(snapshot(&work.join("elsewhere")), before, "untouched");
                if name == "linked-seminar" {
                    assert_eq!(
                        snapshot(&work.join("out")),
                        [("seminar".to_string(), b"-> ../elsewhere".to_vec())],
                        "nothing written in --out either"
                    );
                }
            })
        }
        "links-in-out" => {
            write(&work.join("victim.svg"), "victim");
            std::fs::create_dir_all(work.join("out/seminar")).unwrap();
            symlink("../victim.svg", work.join("out/graph.svg")).unwrap();
            symlink("../../victim.svg", work.join("out/seminar/index.html")).unwrap();
            // Reading through this one would never end.
            symlink("/dev/zero", work.join("out/graph.json")).unwrap();
            Box::new(|work, _| {
                assert_eq!(std::fs::read(work.join("victim.svg")).unwrap(), b"victim");
                for file in ["graph.svg", "seminar/index.html", "graph.json"] {
                    let meta = std::fs::symlink_metadata(work.join("out").join(file)).unwrap();
                    assert!(meta.is_file(), "{file}: the link is replaced by the file");
                }
                devices_intact();
            })
        }
        "explorer-link" => {
            write(&work.join("victim.html"), "victim");
            std::fs::create_dir(work.join("output")).unwrap();
            symlink("../victim.html", work.join("output/explorer.html")).unwrap();
            Box::new(|work, _| {
                assert_eq!(std::fs::read(work.join("victim.html")).unwrap(), b"victim");
                let page = work.join("output/explorer.html");
                assert!(std::fs::symlink_metadata(&page).unwrap().is_file());
            })
        }
        "user-files" => {
            for file in [
                "era-mine.svg",
                "era-mine.dot",
                "seminar/step-77.svg",
                "notes.txt",
            ] {
                write(&work.join("out").join(file), "the user's");
            }
            Box::new(|work, _| {
                for file in [
                    "era-mine.svg",
                    "era-mine.dot",
                    "seminar/step-77.svg",
                    "notes.txt",
                ] {
                    assert_eq!(
                        std::fs::read(work.join("out").join(file)).unwrap(),
                        b"the user's",
                        "{file} is kept"
                    );
                }
            })
        }
        "user-steps" => {
            for file in ["step-99.svg", "step-01.svg.bak", "deck.pdf"] {
                write(&work.join("deck").join(file), "the user's");
            }
            Box::new(|work, _| {
                for file in ["step-99.svg", "step-01.svg.bak", "deck.pdf"] {
                    assert_eq!(
                        std::fs::read(work.join("deck").join(file)).unwrap(),
                        b"the user's",
                        "{file} is kept"
                    );
                }
            })
        }
        "tampered-manifest" => {
            write(&work.join("victim.svg"), "victim");
            write(&work.join("out/era-gone.svg"), "an era since renamed");
            write(&work.join("out/.hidden"), "hidden");
            symlink("../victim.svg", work.join("out/era-link.svg")).unwrap();
            write(
                &work.join("out/.policygraph.manifest"),
                "era-gone.svg\nera-link.svg\n../victim.svg\n.hidden\n/etc/hostname\nseminar\n",
            );
            Box::new(|work, stdout| {
                let out = work.join("out");
                assert!(!out.join("era-gone.svg").exists(), "listed and not rebuilt");
                assert!(stdout.contains("1 stale file removed"), "{stdout}");
                assert_eq!(std::fs::read(work.join("victim.svg")).unwrap(), b"victim");
                assert!(is_link_to(&out.join("era-link.svg"), "../victim.svg"));
                assert!(out.join(".hidden").exists() && out.join("seminar").is_dir());
                let manifest = std::fs::read_to_string(out.join(".policygraph.manifest")).unwrap();
                assert!(!manifest.contains("victim") && manifest.contains("graph.svg"));
            })
        }
        "locked" | "seminar-locked" => {
            // Another build holds the lock (this process, as pid 4242 says), and is
            // writing a temporary file.
            let dir = if name == "locked" {
                work.join("out")
            } else {
                work.join("out/seminar")
            };
            write(&dir.join(".policygraph.lock"), "4242\n");
            let lock = std::fs::File::open(dir.join(".policygraph.lock")).unwrap();
            lock.try_lock().unwrap();
            let busy = dir.join(".policygraph-busy.tmp");
            write(&busy, "half a file");
            let held = std::fs::File::open(&busy).unwrap();
            held.try_lock().unwrap();
            Box::new(move |work, _| {
                assert_eq!(std::fs::read(&busy).unwrap(), b"half a file", "not deleted");
                let visible: Vec<_> = snapshot(&work.join("out"))
                    .into_iter()
                    .filter(|(n, _)| !n.rsplit('/').next().unwrap().starts_with('.'))
                    .collect();
                assert!(visible.is_empty(), "nothing written: {visible:?}");
                drop((lock, held));
            })
        }
        other => panic!("no setup called {other}"),
    }
}
