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
