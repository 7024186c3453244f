//! SVG to PNG and PDF with nothing installed: resvg draws PNG and krilla with
//! krilla-svg writes PDF (from the Linebender and Typst projects, sharing one SVG
//! parser, usvg 0.47),
//! with the embedded Liberation Sans ([`crate::font`]) as the only font. System fonts
//! are never loaded, so a picture is the same on every machine, byte for byte.
//!
//! Every family a picture names (`'Liberation Sans', Arial`, Graphviz's `Times,serif`,
//! `Helvetica,sans-Serif`) resolves to Liberation Sans: it is the only face in the
//! font database and the generic families point at it.
//!
//! [`pdf`] puts several SVGs in one document, a page each (the deck: one 16:9 page per
//! slide), fitted and centred on pages of one size. Text stays text (selectable and
//! searchable), with the font subset embedded. The document has no date or random id,
//! so the same slides give the same bytes.
//!
//! Cost, measured on the shipped data (release build, 2 cores): `render lineage` as a
//! 2× PNG in about 0.5 s; `seminar --pdf` (23 pages, 330 KB) in about 0.25 s against
//! 0.03 s without the PDF. The crates lengthen a cold release build by a few minutes
//! on 2 cores (resvg, usvg, krilla and their font and image dependencies).

use std::sync::{Arc, OnceLock};

/// The largest PNG drawn, in pixels: about 8000 × 8000. Larger requests fail with
/// advice rather than exhausting memory.
pub const MAX_PIXELS: u64 = 64_000_000;

/// Why a picture could not be rasterised.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    /// The SVG could not be read.
    #[error("the SVG could not be read: {0}")]
    Parse(String),
    /// The picture would be too large to draw.
    #[error(
        "a {width} × {height} px picture is too large to draw (at most {} million pixels); --scale {fits} or less fits",
        MAX_PIXELS / 1_000_000
    )]
    TooLarge {
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
        /// The largest scale that fits, in hundredths, rounded down.
        fits: f32,
    },
    /// The PNG or PDF writer failed.
    #[error("the picture could not be written: {0}")]
    Write(String),
}

impl RasterError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            RasterError::Parse(_) | RasterError::Write(_) => {
                "draw SVG instead (-t svg) and check it; please report the problem"
            }
            RasterError::TooLarge { .. } => {
                "lower --scale, narrow the view (--kinds, --from/--to, --focus), or draw SVG or PDF"
            }
        }
    }
}

/// The parser options: the embedded font and nothing else. Built once.
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(crate::font::REGULAR.to_vec());
        db.load_font_data(crate::font::BOLD.to_vec());
        let family = crate::font::FAMILY;
        db.set_sans_serif_family(family);
        db.set_serif_family(family);
        db.set_monospace_family(family);
        db.set_cursive_family(family);
        db.set_fantasy_family(family);
        usvg::Options {
            font_family: family.to_string(),
            fontdb: Arc::new(db),
            // Pictures never fetch anything: no external images or files.
            resources_dir: None,
            ..usvg::Options::default()
        }
    })
}

fn parse(svg: &str) -> Result<usvg::Tree, RasterError> {
    usvg::Tree::from_str(svg, options()).map_err(|e| RasterError::Parse(e.to_string()))
}

/// `svg` drawn as a PNG at `scale` times its size, on white.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, RasterError> {
    let tree = parse(svg)?;
    let size = tree.size();
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let (width, height) = pixels(size.width(), size.height(), scale);
    let too_large = || RasterError::TooLarge {
        width,
        height,
        fits: fitting_scale(size.width(), size.height()),
    };
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(too_large());
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(
        u32::try_from(width).map_err(|_| too_large())?,
        u32::try_from(height).map_err(|_| too_large())?,
    )
    .ok_or_else(too_large)?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| RasterError::Write(e.to_string()))
}

/// The pixels of a picture `w` × `h` drawn at `scale`: each side rounded up.
fn pixels(w: f32, h: f32, scale: f32) -> (u64, u64) {
    // Truncation is intended: a picture is a whole number of pixels.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let side = |len: f32| (f64::from(len) * f64::from(scale)).ceil().max(1.0) as u64;
    (side(w), side(h))
}

/// The largest scale, in hundredths, at which a `w` × `h` picture stays within
/// [`MAX_PIXELS`] (at least 0.01): what to suggest when it does not.
fn fitting_scale(w: f32, h: f32) -> f32 {
    let area = f64::from(w.max(1.0)) * f64::from(h.max(1.0));
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let mut hundredths = ((MAX_PIXELS as f64 / area).sqrt() * 100.0).floor() as u32;
    // Rounding each side up can overshoot the estimate: step down until it fits.
    #[allow(clippy::cast_precision_loss)]
    while hundredths > 1 {
        let (pw, ph) = pixels(w, h, hundredths as f32 / 100.0);
        if pw.saturating_mul(ph) <= MAX_PIXELS {
            break;
        }
        hundredths -= 1;
    }
    #[allow(clippy::cast_precision_loss)]
    {
        hundredths.max(1) as f32 / 100.0
    }
}

/// The size of a PDF's pages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PageSize {
    /// Each page the size of its picture (96 px to the inch).
    Picture,
    /// Every page this size in CSS pixels (96 to the inch), each picture fitted and
    /// centred: the deck's 1920 × 1080.
    Fixed(f32, f32),
}

/// Points per CSS pixel: PDF measures in points, 72 to the inch; SVG in pixels, 96.
const PT_PER_PX: f32 = 72.0 / 96.0;

/// One PDF with a page per SVG in `pages`.
pub fn pdf(pages: &[&str], size: PageSize) -> Result<Vec<u8>, RasterError> {
    use krilla::Document;
    use krilla::geom::{Size, Transform};
    use krilla::page::PageSettings;
    use krilla_svg::{SurfaceExt, SvgSettings};
    let bad_size = || RasterError::Write("a page has no size".into());
    let mut doc = Document::new();
    for svg in pages {
        let tree = parse(svg)?;
        let (w, h) = (tree.size().width(), tree.size().height());
        let (page_w, page_h) = match size {
            PageSize::Picture => (w, h),
            PageSize::Fixed(pw, ph) => (pw, ph),
        };
        let fit = (page_w / w).min(page_h / h);
        let (draw_w, draw_h) = (w * fit * PT_PER_PX, h * fit * PT_PER_PX);
        let page_size =
            Size::from_wh(page_w * PT_PER_PX, page_h * PT_PER_PX).ok_or_else(bad_size)?;
        let mut page = doc.start_page_with(PageSettings::new(page_size));
        let mut surface = page.surface();
        surface.push_transform(&Transform::from_translate(
            (page_w * PT_PER_PX - draw_w) / 2.0,
            (page_h * PT_PER_PX - draw_h) / 2.0,
        ));
        let drawn = surface.draw_svg(
            &tree,
            Size::from_wh(draw_w, draw_h).ok_or_else(bad_size)?,
            SvgSettings::default(),
        );
        surface.pop();
        surface.finish();
        page.finish();
        drawn.ok_or_else(|| RasterError::Write("the picture could not be drawn".into()))?;
    }
    // krilla writes no date or random id unless asked: the same pages, the same bytes.
    doc.finish()
        .map_err(|e| RasterError::Write(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" viewBox="0 0 200 50"><text x="10" y="35" font-family="Times,serif" font-size="30" fill="#000000">Care Act</text></svg>"##;

    fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let be =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        (be(16), be(20))
    }

    #[test]
    fn a_png_is_the_picture_scaled_with_its_text_drawn() {
        let bytes = png(TEXT, 2.0).unwrap();
        assert_eq!(png_size(&bytes), (400, 100));
        // Text drawn in the embedded font makes dark pixels; an empty picture has none.
        let blank = png(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"/>"#,
            2.0,
        )
        .unwrap();
        assert!(
            bytes.len() > blank.len() + 500,
            "{} vs {}",
            bytes.len(),
            blank.len()
        );
        assert_eq!(bytes, png(TEXT, 2.0).unwrap(), "the same bytes every time");
    }

    #[test]
    fn a_pdf_has_a_page_per_picture_and_the_same_bytes_every_time() {
        let one = pdf(&[TEXT, TEXT, TEXT], PageSize::Fixed(1920.0, 1080.0)).unwrap();
        assert!(one.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&one);
        assert!(text.contains("/Count 3"), "three pages");
        assert_eq!(
            text.matches("/MediaBox[0 0 1440 810]").count(),
            3,
            "16:9 pages"
        );
        assert!(text.contains("LiberationSans"), "the font is embedded");
        assert!(!text.contains("CreationDate"));
        assert!(!text.contains("Times"), "no other font is named");
        assert_eq!(
            one,
            pdf(&[TEXT, TEXT, TEXT], PageSize::Fixed(1920.0, 1080.0)).unwrap()
        );
        let own = String::from_utf8_lossy(&pdf(&[TEXT], PageSize::Picture).unwrap()).into_owned();
        assert!(own.contains("/MediaBox[0 0 150 37.5]"), "{own}");
    }

    #[test]
    fn bad_or_huge_pictures_fail_cleanly() {
        assert!(matches!(png("<svg", 1.0), Err(RasterError::Parse(_))));
        assert!(matches!(
            pdf(&["not svg"], PageSize::Picture),
            Err(RasterError::Parse(_))
        ));
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="90000" height="90000"/>"#;
        let Err(e) = png(huge, 1.0) else {
            panic!("a huge picture is refused")
        };
        assert!(e.to_string().contains("--scale 0.08 or less fits"), "{e}");
        let (w, h) = pixels(90000.0, 90000.0, 0.08);
        assert!(w * h <= MAX_PIXELS);
        // A hostile label is only text.
        let hostile = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"20\"><text y=\"15\">&lt;script&gt; \u{202e} \u{1F600} \"' &amp;</text></svg>";
        assert!(png(hostile, 1.0).is_ok() && pdf(&[hostile], PageSize::Picture).is_ok());
    }
}
