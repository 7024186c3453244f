//! The one typeface of every picture policygraph draws itself: Liberation Sans 2.1.5
//! (SIL Open Font License 1.1, `src/font/OFL.txt`), embedded in the binary.
//!
//! Layouts measure their labels here, and the PNG and PDF renderers draw with the same
//! font files, so a label's box fits its text on every machine. Liberation Sans has
//! the metrics of Arial and Helvetica, so a browser that falls back to either
//! ([`CSS_FAMILY`]) draws every label at the width measured here too.
//!
//! Pure: no I/O. Widths are advance widths without kerning (Liberation's kerning only
//! narrows text), so a measured width never falls short of the drawn one.

use std::sync::OnceLock;

/// Liberation Sans Regular, as a TrueType file.
pub const REGULAR: &[u8] = include_bytes!("font/LiberationSans-Regular.ttf");
/// Liberation Sans Bold, as a TrueType file.
pub const BOLD: &[u8] = include_bytes!("font/LiberationSans-Bold.ttf");
/// The font's family name, as the font files declare it.
pub const FAMILY: &str = "Liberation Sans";
/// The `font-family` to write in SVG and CSS: ours first, then the fonts with the same
/// metrics.
pub const CSS_FAMILY: &str = "'Liberation Sans', Arial, Helvetica, sans-serif";

/// Advance widths in font units per em, for the characters of one weight.
struct Metrics {
    units_per_em: f32,
    /// Advances of U+0000..U+0100, looked up directly; other characters go to the face.
    latin: [u16; 256],
    face: ttf_parser::Face<'static>,
    /// The advance of a character the font has no glyph for (that of `?`'s box, `0`).
    missing: u16,
}

impl Metrics {
    fn new(data: &'static [u8]) -> Metrics {
        // The embedded files are fixed; a parse failure is a build defect that every
        // test would show at once.
        #[allow(clippy::expect_used)]
        let face = ttf_parser::Face::parse(data, 0).expect("the embedded font parses");
        let advance = |c: char| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g));
        let missing = advance('0').unwrap_or(face.units_per_em());
        let mut latin = [missing; 256];
        for (i, slot) in latin.iter_mut().enumerate() {
            if let Some(a) = char::from_u32(i as u32).and_then(advance) {
                *slot = a;
            }
        }
        Metrics {
            units_per_em: f32::from(face.units_per_em()),
            latin,
            missing,
            face,
        }
    }

    fn advance(&self, c: char) -> u16 {
        match u8::try_from(u32::from(c)) {
            Ok(b) => self.latin[usize::from(b)],
            Err(_) => self
                .face
                .glyph_index(c)
                .and_then(|g| self.face.glyph_hor_advance(g))
                .unwrap_or(self.missing),
        }
    }
}

fn metrics(bold: bool) -> &'static Metrics {
    static REGULAR_METRICS: OnceLock<Metrics> = OnceLock::new();
    static BOLD_METRICS: OnceLock<Metrics> = OnceLock::new();
    if bold {
        BOLD_METRICS.get_or_init(|| Metrics::new(BOLD))
    } else {
        REGULAR_METRICS.get_or_init(|| Metrics::new(REGULAR))
    }
}

/// The width of `text` set in one line at `size` (the font size, in the same unit as the
/// result), regular or bold.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let m = metrics(bold);
    let units: u32 = text.chars().map(|c| u32::from(m.advance(c))).sum();
    units as f32 * size / m.units_per_em
}

/// The ascent and descent below the baseline of a line at `size`, from the font's
/// typographic metrics: the box a line of text occupies is `ascent + descent` tall.
pub fn line_extent(size: f32) -> (f32, f32) {
    let m = metrics(false);
    let ascent = f32::from(m.face.ascender()) * size / m.units_per_em;
    let descent = -f32::from(m.face.descender()) * size / m.units_per_em;
    (ascent, descent)
}

/// `text` broken at spaces into lines no wider than `max_width` at `size`; a word wider
/// than that stays whole on its own line. Never returns an empty list.
pub fn wrap(text: &str, size: f32, bold: bool, max_width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if line.is_empty() {
            line.push_str(word);
            continue;
        }
        let candidate = format!("{line} {word}");
        if text_width(&candidate, size, bold) <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_arial_metrics() {
        // Arial's advance widths (per 2048 units): space 569, A 1366, a 1139, m 1706.
        let w = |s: &str| text_width(s, 2048.0, false);
        assert_eq!(w(" "), 569.0);
        assert_eq!(w("A"), 1366.0);
        assert_eq!(w("am"), 1139.0 + 1706.0);
        assert!(text_width("Bold", 14.0, true) > text_width("Bold", 14.0, false));
        assert_eq!(text_width("", 14.0, false), 0.0);
    }

    #[test]
    fn characters_beyond_latin_are_measured_and_missing_ones_have_width() {
        assert!(text_width("Ω", 14.0, false) > 0.0);
        assert!(text_width("\u{10FFFF}", 14.0, false) > 0.0);
    }

    #[test]
    fn wrap_keeps_every_word_and_respects_the_width() {
        let text = "Health and Social Care (Community Health and Standards) Act 2003";
        let lines = wrap(text, 14.0, false, 160.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for l in &lines {
            assert!(text_width(l, 14.0, false) <= 160.0 || !l.contains(' '));
        }
        assert_eq!(wrap("", 14.0, false, 10.0), vec![String::new()]);
        assert_eq!(wrap("Supercalifragilistic", 14.0, false, 10.0).len(), 1);
    }

    #[test]
    fn a_line_is_about_1_15_em_tall() {
        let (a, d) = line_extent(100.0);
        assert!((100.0..=120.0).contains(&(a + d)), "{a} + {d}");
    }
}
