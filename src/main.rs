//! The `policygraph` binary: everything lives in the library; see `cli::run`.

fn main() -> std::process::ExitCode {
    policygraph::cli::run(std::env::args_os())
}
