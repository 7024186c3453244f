//! Why a command did not succeed: [`Failure`], its exit code, and the message and hint
//! it prints.

use crate::load::LoadError;

/// Why a command did not succeed, and so its exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The data has errors; they have been shown already, or, for a command asked for
    /// JSON, they are in `problems` (the shape of `validate --format json`'s problems).
    #[error("the data has {errors} error{}", if *.errors == 1 { "" } else { "s" })]
    InvalidData {
        /// How many.
        errors: usize,
        /// The errors as JSON, when the command answers in JSON; else empty.
        problems: Vec<serde_json::Value>,
    },
    /// The command has reported the failure itself (`validate`); exit 1 quietly.
    #[error("the failure was reported above")]
    Reported,
    /// The data path cannot be loaded at all.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A NODE argument names no node, or several.
    #[error("{message}")]
    Node {
        /// What went wrong, with the candidates or suggestions.
        message: String,
        /// What to do.
        help: String,
    },
    /// The command line asks for something impossible; exit 2.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// What to do.
        help: String,
    },
    /// Drawing failed.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// The operation cannot be done on this data (no path between two nodes; a value a
    /// format cannot hold); exit 1.
    #[error("{message}")]
    NoAnswer {
        /// What is missing.
        message: String,
        /// What to try.
        help: String,
    },
    /// A file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output path is refused before anything is written (a directory, a disk, a
    /// symbolic link out of `--out`, a FIFO nobody reads, a directory another build holds).
    #[error(transparent)]
    Refused(#[from] crate::output::Refused),
    /// Writing the answer failed.
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
}

impl Failure {
    /// 1 for invalid data or a failed operation, 2 for usage errors and unknown nodes.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::InvalidData { .. }
            | Failure::Reported
            | Failure::NoAnswer { .. }
            | Failure::Refused(_)
            | Failure::Io(_) => 1,
            Failure::Load(_) | Failure::Node { .. } | Failure::Usage { .. } => 2,
            Failure::Render(_) | Failure::Write { .. } => 1,
        }
    }

    /// The message for stderr: `error: ...` and a hint.
    pub fn render(&self) -> String {
        let Some(help) = self.help() else {
            return String::new();
        };
        // A message may quote a path or an argument: shown with what a terminal would act
        // on escaped, its own line breaks kept.
        let keep = |c: char| c == '\n';
        format!(
            "error: {}\n  help: {}\n",
            crate::text::visible_except(&self.to_string(), keep),
            crate::text::visible_except(&help, keep)
        )
    }

    /// The message for stderr when the command was asked for `--format json`: one JSON
    /// object, `{"error": {"message", "help", "exit_code"}}`, on one line, its text
    /// escaped as [`Failure::render`] escapes it. Empty when the failure was reported.
    pub fn render_json(&self) -> String {
        let Some(help) = self.help() else {
            return String::new();
        };
        let keep = |c: char| c == '\n';
        let mut json = serde_json::json!({
            "error": {
                "message": crate::text::visible_except(&self.to_string(), keep),
                "help": crate::text::visible_except(&help, keep),
                "exit_code": self.exit_code(),
            }
        });
        if let Failure::InvalidData { problems, .. } = self
            && !problems.is_empty()
        {
            json["error"]["problems"] = serde_json::Value::Array(problems.clone());
        }
        format!("{json}\n")
    }

    /// What to do about it; `None` when the failure has been reported already.
    fn help(&self) -> Option<String> {
        Some(match self {
            Failure::Reported => return None,
            Failure::InvalidData { .. } => {
                "run `policygraph validate` to see every problem with its location".to_string()
            }
            Failure::Load(e) => e.help().to_string(),
            Failure::Node { help, .. }
            | Failure::NoAnswer { help, .. }
            | Failure::Usage { help, .. } => help.clone(),
            Failure::Render(e) => e.help().to_string(),
            Failure::Refused(r) => r.help.clone(),
            Failure::Write { source, .. } => write_help(source).to_string(),
            Failure::Io(e) => match write_help(e) {
                WRITE_HELP => "check that the output can be written",
                help => help,
            }
            .to_string(),
        })
    }

    /// The failure for an output path that could not be prepared or written.
    pub fn output(path: &std::path::Path, e: crate::output::OutputError) -> Failure {
        match e {
            crate::output::OutputError::Refused(r) => Failure::Refused(r),
            crate::output::OutputError::Io(source) => Failure::Write {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

/// The hint for a failed write when nothing more precise applies.
const WRITE_HELP: &str = "check that the directory exists and is writable";

/// The hint for a failed write, by what went wrong: each kind of error its own true
/// advice (a full disk is not a missing directory).
pub fn write_help(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "check that the directory exists",
        ErrorKind::PermissionDenied => {
            "check that you may write there (the directory's permissions and owner)"
        }
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only: write elsewhere",
        ErrorKind::StorageFull => "the disk is full: free some space, or write elsewhere",
        ErrorKind::QuotaExceeded => {
            "your disk quota is used up: free some space, or write elsewhere"
        }
        ErrorKind::FileTooLarge => "the file system cannot hold a file this large: write elsewhere",
        ErrorKind::InvalidFilename => {
            "the name is too long (or not allowed) on this file system: choose a shorter path"
        }
        ErrorKind::IsADirectory => "a directory is in the way: name a file, or move the directory",
        ErrorKind::NotADirectory => "a part of the path is a file, not a directory",
        ErrorKind::BrokenPipe => "the program reading the output stopped before the end",
        ErrorKind::CrossesDevices => "write to a directory on the same file system",
        _ if e.raw_os_error() == Some(40) => {
            // ELOOP on Linux: a link loop, or a link where none may be.
            "a symbolic link on the path loops or is not allowed there"
        }
        _ => WRITE_HELP,
    }
}
