//! The deck as printed pages: one 1920 × 1080 SVG per slide (the title, each step's
//! camera with its title and the era's summary, what the reviews said), which
//! [`crate::raster::pdf`] joins into `deck.pdf`. Pure; every data string is escaped
//! with [`crate::timechart::esc`].

use super::deck::{Body, Deck, Slide};
use crate::font;
use crate::timechart::esc;
use std::fmt::Write;

/// A printed slide, 1920 × 1080: the title and years, the era's summary when there is
/// one, and `picture` (an SVG placed with [`super::slides::Reveal::at`] in the rest of the page, made
/// by [`super::slides::step_svg`] from our own chart). Data text is escaped here.
pub fn page_svg(title: &str, years: &str, summary: Option<&str>, picture: &str) -> String {
    let mut s = head();
    let _ = writeln!(
        s,
        r##"<text x="40" y="62" font-size="40" font-weight="bold" fill="#222222">{}<tspan font-size="26" font-weight="normal" fill="#555555" dx="20">{}</tspan></text>"##,
        esc(title),
        esc(years)
    );
    if let Some(summary) = summary {
        lines(
            &mut s,
            summary,
            (40.0, 100.0),
            set(20.0, false, "#333333"),
            1840.0,
            2,
        );
    }
    s.push_str(picture);
    s.push_str("</svg>\n");
    s
}

/// A printed slide's size, in CSS pixels: 16:9.
pub const PAGE_W: f32 = 1920.0;
/// See [`PAGE_W`].
pub const PAGE_H: f32 = 1080.0;
/// Where [`page_svg`] puts the picture: below two lines of summary, 16:9.
pub const PAGE_PICTURE: (f32, f32, f32, f32) = (142.0, 150.0, 1636.0, 920.0);

fn head() -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_W}" height="{PAGE_H}" viewBox="0 0 {PAGE_W} {PAGE_H}" font-family="{}">
<rect width="{PAGE_W}" height="{PAGE_H}" fill="#ffffff"/>
"##,
        esc(font::CSS_FAMILY)
    )
}

/// How a run of text is set: size, weight, colour.
#[derive(Clone, Copy)]
struct Set {
    size: f32,
    bold: bool,
    fill: &'static str,
}

const fn set(size: f32, bold: bool, fill: &'static str) -> Set {
    Set { size, bold, fill }
}

/// `text` wrapped to `width`, one `<text>` per line from (`x`, `y`), at most `max`
/// lines; returns the y below the last line.
fn lines(s: &mut String, text: &str, (x, y): (f32, f32), how: Set, width: f32, max: usize) -> f32 {
    let mut y = y;
    let weight = if how.bold {
        r#" font-weight="bold""#
    } else {
        ""
    };
    for line in font::wrap(text, how.size, how.bold, width).iter().take(max) {
        // Writing to a String cannot fail.
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{y:.1}" font-size="{}"{weight} fill="{}">{}</text>"##,
            how.size,
            how.fill,
            esc(line)
        );
        y += how.size * 1.3;
    }
    y
}

/// The title page.
pub fn title_page(deck: &Deck) -> String {
    let mut s = head();
    let mut y = lines(
        &mut s,
        &deck.title,
        (160.0, 300.0),
        set(64.0, true, "#222222"),
        1600.0,
        3,
    ) + 10.0;
    if let Some(a) = &deck.author {
        y = lines(
            &mut s,
            a,
            (160.0, y),
            set(28.0, false, "#444444"),
            1600.0,
            3,
        ) + 20.0;
    }
    if let Some(summary) = &deck.summary {
        y = lines(
            &mut s,
            summary,
            (160.0, y),
            set(32.0, false, "#222222"),
            1600.0,
            4,
        ) + 10.0;
    }
    let facts = format!("{} · {}", deck.years, deck.counts);
    y = lines(
        &mut s,
        &facts,
        (160.0, y),
        set(26.0, false, "#555555"),
        1600.0,
        2,
    ) + 20.0;
    let eras: Vec<String> = deck.eras.iter().map(|(n, y)| format!("{n} {y}")).collect();
    lines(
        &mut s,
        &eras.join("   ·   "),
        (160.0, y),
        set(26.0, false, "#222222"),
        1600.0,
        3,
    );
    s.push_str("</svg>\n");
    s
}

/// A page of what the reviews said: each judgement's year, stance and finding, and the
/// review under it.
pub fn critiques_page(slide: &Slide) -> String {
    let mut s = head();
    let Body::Critiques(rows) = &slide.body else {
        return s + "</svg>\n";
    };
    let mut y = lines(
        &mut s,
        &slide.title,
        (40.0, 62.0),
        set(40.0, true, "#222222"),
        1840.0,
        2,
    );
    y = lines(
        &mut s,
        &slide.years,
        (40.0, y),
        set(24.0, false, "#555555"),
        1840.0,
        2,
    ) + 24.0;
    for r in rows {
        let head = format!("{}  ·  {}", r.year, r.stance);
        lines(
            &mut s,
            &head,
            (40.0, y),
            set(26.0, true, stance_colour(&r.stance)),
            300.0,
            1,
        );
        let after = lines(
            &mut s,
            &r.finding,
            (360.0, y),
            set(30.0, false, "#222222"),
            1520.0,
            2,
        );
        y = lines(
            &mut s,
            &r.review,
            (360.0, after),
            set(22.0, false, "#555555"),
            1520.0,
            2,
        ) + 22.0;
    }
    s.push_str("</svg>\n");
    s
}

/// The stance's colour (Okabe-Ito, as on the deck page; the word is always written).
fn stance_colour(stance: &str) -> &'static str {
    match stance {
        "critical" => "#B34700",
        "supportive" => "#007A5A",
        "mixed" => "#8A5A00",
        _ => "#444444",
    }
}
