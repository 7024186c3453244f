//! DOT to pictures. The embedded engine (graphviz-pure, a pure-Rust port of Graphviz)
//! is the default: it needs nothing installed and gives the same SVG on every machine,
//! so committed diagrams stay reproducible; its PNG and PDF are that SVG drawn by
//! [`crate::raster`] with the embedded font. The system Graphviz `dot` is used on
//! request, for all three.
//!
//! A layout can take long on a huge view: the embedded engine runs on its own thread
//! and the caller stops waiting after a time limit, failing clearly instead of hanging.

use std::io::ErrorKind;
use std::sync::mpsc;
use std::time::Duration;

/// Which layout engine draws the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// The embedded pure-Rust Graphviz port, with PNG and PDF drawn in pure Rust (the
    /// same output everywhere; nothing to install)
    Embedded,
    /// The system Graphviz `dot` (SVG, PNG or PDF)
    Graphviz,
}

/// The picture format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Scalable vector graphics, with tooltips and links
    Svg,
    /// A bitmap, at --scale times the picture's size
    Png,
    /// A PDF page, with text kept as text
    Pdf,
}

impl Target {
    /// The Graphviz `-T` name and file extension.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Svg => "svg",
            Target::Png => "png",
            Target::Pdf => "pdf",
        }
    }
}

/// A drawn picture and the warnings the engine gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Engine warnings, one per line.
    pub warnings: Vec<String>,
}

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The SVG could not be drawn as PNG or PDF.
    #[error(transparent)]
    Raster(#[from] crate::raster::RasterError),
    /// The system `dot` is not installed.
    #[error("Graphviz `dot` is not installed or not on PATH")]
    NoDot,
    /// The system `dot` failed.
    #[error("Graphviz `dot` failed: {0}")]
    DotFailed(String),
    /// The embedded engine failed.
    #[error("the embedded layout failed: {0}")]
    Embedded(String),
    /// The layout took longer than allowed.
    #[error("the layout took longer than {0:?}")]
    TooSlow(Duration),
}

impl RenderError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            RenderError::Raster(e) => e.help(),
            RenderError::NoDot => {
                "install Graphviz (apt-get install graphviz), or use --engine embedded for SVG"
            }
            RenderError::DotFailed(_) | RenderError::Embedded(_) => {
                "export the DOT with `policygraph export --format dot` and check it; please report the problem"
            }
            RenderError::TooSlow(_) => {
                "narrow the view (--kinds, --relations, --from/--to, --focus), or raise --time-limit"
            }
        }
    }
}

/// Draws `dot` as `target` with `engine`, giving up after `limit`; a PNG at `scale`
/// times the picture's size.
pub fn render(
    dot: &str,
    target: Target,
    engine: Engine,
    limit: Duration,
    scale: f32,
) -> Result<Picture, RenderError> {
    match engine {
        Engine::Embedded => embedded(dot, limit)?.raster(target, scale),
        Engine::Graphviz => graphviz(dot, target, scale),
    }
}

/// PNGs are drawn at twice the picture's size unless asked otherwise: sharp on a
/// projector and on a high-density screen.
pub const DEFAULT_SCALE: f32 = 2.0;

impl Picture {
    /// An SVG picture as `target`: itself, or drawn as PNG at `scale` or as PDF.
    pub fn raster(self, target: Target, scale: f32) -> Result<Picture, RenderError> {
        let svg = || String::from_utf8_lossy(&self.bytes).into_owned();
        let bytes = match target {
            Target::Svg => return Ok(self),
            Target::Png => crate::raster::png(&svg(), scale)?,
            Target::Pdf => crate::raster::pdf(&[&svg()], crate::raster::PageSize::Picture)?,
        };
        Ok(Picture {
            bytes,
            warnings: self.warnings,
        })
    }
}

fn embedded(dot: &str, limit: Duration) -> Result<Picture, RenderError> {
    let (send, receive) = mpsc::channel();
    let source = dot.to_string();
    // If the limit passes, the thread is abandoned; the command then fails and the
    // process exits, which ends it.
    std::thread::spawn(move || {
        let result = graphviz_pure::render_dot(&source, "dot", "svg")
            .map(|r| {
                let (svg, diagnostics) = r.into_parts();
                let warnings = diagnostics
                    .iter()
                    .map(|d| clean(d.message()))
                    // The port estimates text widths from a table of ASCII widths and
                    // warns on the first other character; the text is drawn correctly
                    // and the box is near enough, so this is not worth a warning.
                    .filter(|m| !m.contains("no value for width of non-ASCII character"))
                    .collect();
                Picture {
                    bytes: svg.into_bytes(),
                    warnings,
                }
            })
            .map_err(|e| RenderError::Embedded(e.to_string()));
        let _ = send.send(result);
    });
    match receive.recv_timeout(limit) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(RenderError::TooSlow(limit)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(RenderError::Embedded("the layout thread stopped".into()))
        }
    }
}

/// A diagnostic's text without the repeated "Warning: " prefixes the port adds.
fn clean(message: &str) -> String {
    let mut text = message.trim();
    while let Some(rest) = text.strip_prefix("Warning:") {
        text = rest.trim_start();
    }
    text.to_string()
}

/// Whether the system `dot` can be run.
pub fn dot_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn graphviz(dot: &str, target: Target, scale: f32) -> Result<Picture, RenderError> {
    use graphviz_rust::cmd::{CommandArg, Format};
    if !dot_available() {
        return Err(RenderError::NoDot);
    }
    let format = match target {
        Target::Svg => Format::Svg,
        Target::Png => Format::Png,
        Target::Pdf => Format::Pdf,
    };
    let mut args = vec![CommandArg::Format(format)];
    if target == Target::Png {
        // Graphviz draws PNG at 96 dpi by default.
        args.push(CommandArg::Custom(format!("-Gdpi={:.0}", 96.0 * scale)));
    }
    match graphviz_rust::exec_dot(dot.to_string(), args) {
        Ok(bytes) => Ok(Picture {
            bytes,
            warnings: Vec::new(),
        }),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(RenderError::NoDot),
        Err(e) => Err(RenderError::DotFailed(e.to_string().trim_end().to_string())),
    }
}
