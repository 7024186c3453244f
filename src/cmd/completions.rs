//! `completions SHELL`: the shell completion script for bash, zsh, fish, PowerShell or
//! elvish, generated from the command-line definitions themselves (`clap_complete`), so
//! it always knows every subcommand, option and value list this build has.
//!
//! Cost: no data is read; the script is written to stdout (or `-o FILE`).

use super::Failure;
use clap::CommandFactory;
use std::path::PathBuf;

/// Options of `completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Install, for example:
  bash:       policygraph completions bash > ~/.local/share/bash-completion/completions/policygraph
  zsh:        policygraph completions zsh > ~/.zfunc/_policygraph   (with fpath+=~/.zfunc in ~/.zshrc)
  fish:       policygraph completions fish > ~/.config/fish/completions/policygraph.fish
  PowerShell: policygraph completions powershell >> $PROFILE")]
pub struct Args {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,

    /// Write the script to FILE instead of stdout
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The completion script for `shell`. Pure: `run` writes it.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = crate::cli::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "policygraph", &mut out);
    out
}

/// Writes the script.
pub fn run(args: &Args) -> Result<(), Failure> {
    super::write::write_out(args.output.as_deref(), &script(args.shell))
}
