//! What every integration test crate shares: the binary, run from the crate root with
//! stable output (no colour, no backtrace hint), so messages and paths are the same on
//! every machine.

use assert_cmd::Command;

/// The `policygraph` binary, ready to be given arguments.
pub fn policygraph() -> Command {
    let mut cmd = Command::cargo_bin("policygraph").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs the binary with `args` and returns its output, failing the test with stderr
/// when it does not succeed. Not every test crate uses it.
#[allow(dead_code)]
pub fn run_ok(args: &[&str]) -> std::process::Output {
    let out = policygraph().args(args).output().expect("binary runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
