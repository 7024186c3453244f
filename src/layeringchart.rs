//! The layering chart (issue 21): initiatives per year as SVG, written by us in the look
//! of the lineage chart ([`crate::timechart`]: the embedded font, the same colours).
//!
//! Two panels on one year axis, sized for a 16:9 projector (1280 × 720 user units):
//!
//! - above, a column per year: the initiatives known to be running (solid blue), the
//!   band of uncertainty on top (hatched: started earlier, end not recorded), and, at
//!   the foot of the column, a narrow orange bar for those drifting (running though the
//!   body that established them was dissolved);
//! - below, what changed that year: additions stacked upwards (layered beside existing
//!   initiatives, replacing something, or first), ends downwards.
//!
//! Pure: [`svg`] turns a [`Layering`] into text. No data string is drawn except
//! through [`crate::timechart::esc`] (and the chart draws only numbers and fixed words).

use crate::font;
use crate::query::layering::Layering;
use crate::timechart::esc;
use std::fmt::Write;

/// The chart's size in user units.
pub const WIDTH: f32 = 1280.0;
/// The chart's height.
pub const HEIGHT: f32 = 720.0;
const LEFT: f32 = 78.0;
const RIGHT: f32 = 28.0;
/// The upper panel: running per year.
const TOP: (f32, f32) = (146.0, 432.0);
/// The lower panel: added and ended.
const LOW: (f32, f32) = (482.0, 664.0);

/// Colours (Okabe-Ito, as the lineage chart's).
const KNOWN: &str = "#0072B2";
const POSSIBLY: &str = "#9ecae1";
const DRIFT: &str = "#E69F00";
const LAYERED: &str = "#009E73";
const REPLACING: &str = "#56B4E9";
const FIRST: &str = "#999999";
const ENDED: &str = "#D55E00";

/// A round step for an axis up to `max` with at most `ticks` steps.
fn nice_step(max: usize, ticks: usize) -> usize {
    let mut base = 1;
    loop {
        for m in [1, 2, 5] {
            let step = base * m;
            if max <= step * ticks {
                return step;
            }
        }
        base *= 10;
    }
}

/// The layering chart of `l`, titled `title`.
pub fn svg(l: &Layering, title: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{}" font-size="16" role="img" aria-labelledby="layering-title">
<title id="layering-title">{}</title>
<defs>
<pattern id="pg-hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" fill="{POSSIBLY}"/><line x1="0" y1="0" x2="0" y2="8" stroke="{KNOWN}" stroke-width="2.5"/></pattern>
</defs>
<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>
<text x="{LEFT}" y="36" font-size="24" font-weight="bold">{}</text>"##,
        esc(font::CSS_FAMILY),
        esc(title),
        esc(title)
    );
    legend(&mut s);
    let (peak_years, peak) = l.peak();
    if peak > 0 {
        let years: Vec<String> = peak_years.iter().map(|y| format!("{y:04}")).collect();
        let (band_year, band) = l
            .years
            .iter()
            .map(|y| (y.year, y.active.len() + y.possibly.len()))
            .fold((0, 0), |best, x| if x.1 > best.1 { x } else { best });
        let _ = writeln!(
            s,
            r##"<text x="{LEFT}" y="62" font-size="17" fill="#333333">Most known to be running: {peak} ({}); with unknown ends, up to {band} ({band_year:04})</text>"##,
            years.join(", ")
        );
    }
    let Some((first, last)) = l.years.first().zip(l.years.last()) else {
        let _ = writeln!(
            s,
            r##"<text x="{LEFT}" y="{:.1}" fill="#444444">No dated initiative in these years.</text>
</svg>"##,
            TOP.0 + 40.0
        );
        return s;
    };
    let n = l.years.len() as f32;
    let plot = WIDTH - LEFT - RIGHT;
    let step = plot / n;
    let bar = (step * 0.78).max(1.0);
    let x = |i: usize| LEFT + step * i as f32 + (step - bar) / 2.0;

    // Upper panel: running.
    let top_max = l
        .years
        .iter()
        .map(|y| y.active.len() + y.possibly.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let tick = nice_step(top_max, 6);
    let top_scale = top_max.div_ceil(tick) * tick;
    let ty = |v: f32| TOP.1 - (TOP.1 - TOP.0) * v / top_scale as f32;
    let _ = writeln!(s, r##"<g class="grid" font-size="15" fill="#444444">"##);
    for v in (0..=top_scale).step_by(tick) {
        let y = ty(v as f32);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"##,
            WIDTH - RIGHT,
            if v == 0 { "#666666" } else { "#e2e2e2" },
            LEFT - 8.0,
            y + 5.0
        );
    }
    let _ = writeln!(
        s,
        r##"<text transform="translate(22 {:.1}) rotate(-90)" text-anchor="middle" font-size="16" fill="#222222">initiatives running</text></g>"##,
        (TOP.0 + TOP.1) / 2.0
    );
    let _ = writeln!(s, r##"<g class="running">"##);
    for (i, y) in l.years.iter().enumerate() {
        let (known, maybe, drift) = (y.active.len(), y.possibly.len(), y.drifting.len());
        let x0 = x(i);
        let _ = write!(
            s,
            r##"<g><title>{:04}: {known} running, {maybe} possibly running (end not recorded), {drift} drifting, {} possibly drifting</title>"##,
            y.year,
            y.possibly_drifting.len()
        );
        if known > 0 {
            let (y0, y1) = (ty(known as f32), TOP.1);
            let _ = write!(
                s,
                r##"<rect x="{x0:.1}" y="{y0:.1}" width="{bar:.1}" height="{:.1}" fill="{KNOWN}"/>"##,
                y1 - y0
            );
        }
        if maybe > 0 {
            let (y0, y1) = (ty((known + maybe) as f32), ty(known as f32));
            let _ = write!(
                s,
                r##"<rect x="{x0:.1}" y="{y0:.1}" width="{bar:.1}" height="{:.1}" fill="url(#pg-hatch)" stroke="{KNOWN}" stroke-width="0.8"/>"##,
                y1 - y0
            );
        }
        let w = (bar * 0.5).max(1.0);
        if drift > 0 {
            let y0 = ty(drift as f32);
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{y0:.1}" width="{w:.1}" height="{:.1}" fill="{DRIFT}" stroke="#000000" stroke-width="0.6"/>"##,
                x0 + (bar - w) / 2.0,
                TOP.1 - y0
            );
        }
        let maybe_drift = y.possibly_drifting.len();
        if maybe_drift > 0 {
            // At the foot of the band: among the possibly running.
            let (y0, y1) = (ty((known + maybe_drift) as f32), ty(known as f32));
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{y0:.1}" width="{w:.1}" height="{:.1}" fill="#ffffff" stroke="{DRIFT}" stroke-width="2"/>"##,
                x0 + (bar - w) / 2.0,
                y1 - y0
            );
        }
        let _ = writeln!(s, "</g>");
    }
    let _ = writeln!(s, "</g>");

    // Lower panel: added (up) and ended (down), on one scale.
    let up = l.years.iter().map(|y| y.added()).max().unwrap_or(0);
    let down = l.years.iter().map(|y| y.ended.len()).max().unwrap_or(0);
    let tick = nice_step((up + down).max(1), 4);
    let (up_s, down_s) = (up.div_ceil(tick) * tick, down.div_ceil(tick) * tick);
    let span = (up_s + down_s).max(tick) as f32;
    let unit = (LOW.1 - LOW.0) / span;
    let zero = LOW.0 + unit * up_s as f32;
    let _ = writeln!(s, r##"<g class="grid" font-size="15" fill="#444444">"##);
    let mut v = 0;
    while v <= up_s.max(down_s) {
        for (sign, limit) in [(-1.0f32, up_s), (1.0, down_s)] {
            if v > limit || (v == 0 && sign > 0.0) {
                continue;
            }
            let y = zero + sign * unit * v as f32;
            let _ = writeln!(
                s,
                r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"##,
                WIDTH - RIGHT,
                if v == 0 { "#666666" } else { "#e2e2e2" },
                LEFT - 8.0,
                y + 5.0
            );
        }
        v += tick;
    }
    let _ = writeln!(
        s,
        r##"<text transform="translate(22 {:.1}) rotate(-90)" text-anchor="middle" font-size="16" fill="#222222">added</text><text transform="translate(22 {:.1}) rotate(-90)" text-anchor="middle" font-size="16" fill="#222222">ended</text></g>"##,
        (LOW.0 + zero) / 2.0,
        (zero + LOW.1) / 2.0 + 4.0
    );
    let _ = writeln!(s, r##"<g class="changes">"##);
    for (i, y) in l.years.iter().enumerate() {
        let x0 = x(i);
        let _ = write!(
            s,
            r##"<g><title>{:04}: {} added beside existing initiatives, {} added replacing something, {} added first, {} ended</title>"##,
            y.year,
            y.layered.len(),
            y.replacing.len(),
            y.first.len(),
            y.ended.len()
        );
        let mut base = zero;
        for (count, fill) in [
            (y.layered.len(), LAYERED),
            (y.replacing.len(), REPLACING),
            (y.first.len(), FIRST),
        ] {
            if count == 0 {
                continue;
            }
            let h = unit * count as f32;
            let _ = write!(
                s,
                r##"<rect x="{x0:.1}" y="{:.1}" width="{bar:.1}" height="{h:.1}" fill="{fill}" stroke="#ffffff" stroke-width="0.6"/>"##,
                base - h
            );
            base -= h;
        }
        if !y.ended.is_empty() {
            let _ = write!(
                s,
                r##"<rect x="{x0:.1}" y="{zero:.1}" width="{bar:.1}" height="{:.1}" fill="{ENDED}"/>"##,
                unit * y.ended.len() as f32
            );
        }
        let _ = writeln!(s, "</g>");
    }
    let _ = writeln!(s, "</g>");

    // Years along the bottom, and light guides through both panels.
    let every = [1u16, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|&k| step * f32::from(k) >= 44.0)
        .unwrap_or(1000);
    let _ = writeln!(s, r##"<g class="axis" font-size="15" fill="#444444">"##);
    for (i, y) in l.years.iter().enumerate() {
        if y.year % every != 0 {
            continue;
        }
        let cx = x(i) + bar / 2.0;
        let _ = writeln!(
            s,
            r##"<line x1="{cx:.1}" x2="{cx:.1}" y1="{:.1}" y2="{:.1}" stroke="#666666"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle">{:04}</text><line x1="{cx:.1}" x2="{cx:.1}" y1="{:.1}" y2="{:.1}" stroke="#666666"/>"##,
            TOP.1,
            TOP.1 + 6.0,
            TOP.1 + 22.0,
            y.year,
            LOW.1,
            LOW.1 + 6.0
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="14" fill="#555555">{:04} to {:04}; a column per year</text></g>"##,
        WIDTH - RIGHT,
        HEIGHT - 14.0,
        first.year,
        last.year
    );
    if !l.undated.is_empty() {
        let _ = writeln!(
            s,
            r##"<text x="{LEFT}" y="{:.1}" font-size="14" fill="#555555">{} initiative{} with no start date not counted</text>"##,
            HEIGHT - 14.0,
            l.undated.len(),
            if l.undated.len() == 1 { "" } else { "s" }
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The legend under the title: the upper panel's measures on one row, the lower's on
/// the next.
fn legend(s: &mut String) {
    let rows: [&[(&str, &str, &str)]; 2] = [
        &[
            (KNOWN, "none", "running"),
            (
                "url(#pg-hatch)",
                "none",
                "possibly running (end not recorded)",
            ),
            (
                DRIFT,
                "none",
                "drifting (every establishing body dissolved)",
            ),
            ("#ffffff", DRIFT, "possibly drifting"),
        ],
        &[
            (LAYERED, "none", "added beside others (layering)"),
            (REPLACING, "none", "added as a replacement"),
            (FIRST, "none", "added first"),
            (ENDED, "none", "ended"),
        ],
    ];
    let _ = writeln!(s, r##"<g class="legend" font-size="15">"##);
    for (r, items) in rows.iter().enumerate() {
        let y = 94.0 + 24.0 * r as f32;
        let mut x = LEFT;
        for &(fill, stroke, name) in *items {
            let (stroke, width) = if stroke == "none" {
                ("#333333", "0.6")
            } else {
                (stroke, "2")
            };
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{:.1}" width="18" height="14" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/><text x="{:.1}" y="{y:.1}">{name}</text>"##,
                y - 12.0,
                x + 24.0
            );
            x += 26.0 + font::text_width(name, 15.0, false) + 22.0;
        }
    }
    let _ = writeln!(s, "</g>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;
    use crate::query::layering::layering;

    #[test]
    fn the_chart_is_well_formed_and_counts_each_year() {
        let g = graph("a initiative 2000 2002; b initiative 2001 ongoing; c initiative 2001");
        let l = layering(&g, None, Some(2003));
        let svg = svg(&l, "T <&>");
        assert!(svg.contains("T &lt;&amp;&gt;"));
        assert!(!svg.contains("T <&>"));
        let mut reader = quick_xml::Reader::from_str(&svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not XML: {e}"),
            }
        }
        assert!(svg.contains("2002: 2 running, 1 possibly running"));
        assert!(
            svg.contains("Most known to be running: 3 (2001); with unknown ends, up to 3 (2001)")
        );
    }

    #[test]
    fn no_years_draws_a_note() {
        let g = graph("a body 2000");
        let svg = svg(&layering(&g, None, None), "T");
        assert!(svg.contains("No dated initiative"));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(3, 6), 1);
        assert_eq!(nice_step(9, 6), 2);
        assert_eq!(nice_step(27, 6), 5);
        assert_eq!(nice_step(130, 6), 50);
    }
}
