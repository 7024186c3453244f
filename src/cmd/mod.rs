//! One module per subcommand, each a pipeline: open the data, query, print text or
//! JSON. Shared by purpose: [`failure`] (why a command failed, its exit code),
//! [`context`] (the global options, opening the data, showing its problems), [`args`]
//! (parsers of argument values), [`print`] (`--format text|json` and the pieces of
//! answers) and [`write`] (stdout, `-o PATH`, output folders).

pub mod args;
pub mod context;
pub mod failure;
pub mod print;
pub mod table;
pub mod write;

pub mod build;
pub mod completions;
pub mod critiques;
pub mod diff;
pub mod discrepancies;
pub mod explain;
pub mod explorer;
pub mod export;
pub mod import;
pub mod layering;
pub mod lineage;
pub mod man;
pub mod neighbours;
pub mod new;
pub mod path;
pub mod render;
pub mod search;
pub mod seminar;
pub mod show;
pub mod stats;
pub mod successions;
pub mod timeline;
pub mod validate;
pub mod watch;

pub use context::Context;
pub use failure::Failure;
