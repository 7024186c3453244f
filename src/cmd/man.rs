//! `man`: the manual pages, in roff, generated from the command-line definitions
//! (`clap_mangen`): `policygraph.1` on stdout, or with `--out DIR` one page for the
//! program and one per subcommand (`policygraph-lineage.1`...), ready for `man -l` or a
//! `MANPATH` folder.
//!
//! Cost: no data is read.

use super::Failure;
use clap::CommandFactory;
use std::path::PathBuf;

/// Options of `man`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Read it at once with `policygraph man | man -l -`, or install the pages:
  policygraph man --out ~/.local/share/man/man1"
)]
pub struct Args {
    /// Write policygraph.1 and one page per subcommand into DIR (created if missing)
    /// instead of printing policygraph.1
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Every page: file name and roff text, the program's first, then each subcommand's
/// (and each of theirs: `policygraph-import-refs.1`) in the order of `--help`. Pure:
/// `run` writes them.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let cmd = crate::cli::Cli::command();
    let mut out = vec![("policygraph.1".to_string(), page(cmd.clone()))];
    add_subcommands(&cmd, "policygraph", &mut out);
    out
}

fn add_subcommands(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("{prefix}-{}", sub.get_name());
        out.push((format!("{name}.1"), page(sub.clone().name(name.clone()))));
        add_subcommands(sub, &name, out);
    }
}

fn page(cmd: clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    // Rendering into a Vec cannot fail for want of space.
    let _ = clap_mangen::Man::new(cmd).render(&mut out);
    out
}

/// Prints the program's page, or writes every page into `--out`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let pages = pages();
    let Some(dir) = &args.out else {
        return super::write::write_out(None, &pages[0].1);
    };
    std::fs::create_dir_all(dir).map_err(|e| Failure::output(dir, e.into()))?;
    for (name, text) in &pages {
        let path = dir.join(name);
        crate::output::write_atomic(&path, text).map_err(|e| Failure::output(&path, e.into()))?;
    }
    eprintln!(
        "wrote {} manual pages in {}",
        pages.len(),
        crate::diag::visible(&dir.display().to_string())
    );
    Ok(())
}
