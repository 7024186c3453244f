//! The layering chart: initiatives active per year, as a bar chart in SVG, with the
//! initiatives started earlier whose end the data does not record stacked on top in a
//! pale hatch, so a reader sees what is known and what is not. Pure; every piece of
//! text in it is a number or a fixed word, so nothing needs escaping.

use crate::query::stats::Layering;
use std::fmt::Write;

const BAR: usize = 14;
const HEIGHT: usize = 220;
const LEFT: usize = 44;
const TOP: usize = 30;
const BOTTOM: usize = 40;

/// The chart, or None when no initiative is dated.
pub fn layering_svg(layering: &Layering) -> Option<String> {
    let unknown_in = |i: usize| layering.end_unknown.get(i).map_or(0, |(_, v)| v.len());
    let max = layering
        .years
        .iter()
        .enumerate()
        .map(|(i, (_, v))| v.len() + unknown_in(i))
        .max()?;
    if max == 0 {
        return None;
    }
    let n = layering.years.len();
    let width = (LEFT + n * BAR + 20).max(560);
    let total = TOP + HEIGHT + BOTTOM + 18;
    let scale = |v: usize| v * HEIGHT / max;
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}" viewBox="0 0 {width} {total}" role="img" aria-labelledby="layering-title" font-family="Helvetica, Arial, sans-serif" font-size="11">
<title id="layering-title">Initiatives active per year</title>
<defs><pattern id="pg-unknown-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6e3b8"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b07d00" stroke-width="1.5"/></pattern></defs>
<text x="{LEFT}" y="18" font-size="13" font-weight="bold">Initiatives active per year</text>
"##
    );
    // Gridlines and the y axis, at round steps.
    let step = match max {
        0..=5 => 1,
        6..=12 => 2,
        13..=30 => 5,
        _ => 10,
    };
    for v in (0..=max).step_by(step) {
        let y = TOP + HEIGHT - scale(v);
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{y}" y2="{y}" stroke="#dddddd"/><text x="{}" y="{}" text-anchor="end">{v}</text>"##,
            LEFT + n * BAR,
            LEFT - 6,
            y + 4
        );
    }
    let (peaks, _) = layering.peak();
    for (i, (year, active)) in layering.years.iter().enumerate() {
        let h = scale(active.len());
        let x = LEFT + i * BAR;
        let fill = if peaks.contains(year) {
            "#D55E00"
        } else {
            "#E69F00"
        };
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{h}" fill="{fill}"><title>{year}: {} active</title></rect>"##,
            x + 1,
            TOP + HEIGHT - h,
            BAR - 2,
            active.len()
        );
        let unknown = unknown_in(i);
        if unknown > 0 {
            let top = scale(active.len() + unknown);
            let _ = writeln!(
                s,
                r##"<rect class="pg-end-unknown" x="{}" y="{}" width="{}" height="{}" fill="url(#pg-unknown-hatch)" stroke="#b07d00" stroke-width="0.5"><title>{year}: {unknown} more started earlier, end not recorded</title></rect>"##,
                x + 1,
                TOP + HEIGHT - top,
                BAR - 2,
                top - h
            );
        }
        if year % 5 == 0 {
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" text-anchor="middle">{year}</text>"##,
                x + BAR / 2,
                TOP + HEIGHT + 16
            );
        }
    }
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" x2="{}" y1="{}" y2="{}" stroke="#333333"/>"##,
        LEFT + n * BAR,
        TOP + HEIGHT,
        TOP + HEIGHT
    );
    let (_, peak) = layering.peak();
    let _ = writeln!(
        s,
        r##"<text x="{LEFT}" y="{}" fill="#555555">Solid: known to be running (peak in vermilion: {} at once).</text>"##,
        total - 22,
        peak,
    );
    if layering.end_unknown.iter().any(|(_, v)| !v.is_empty()) {
        let _ = writeln!(
            s,
            r##"<rect x="{LEFT}" y="{}" width="12" height="10" fill="url(#pg-unknown-hatch)" stroke="#b07d00" stroke-width="0.5"/><text x="{}" y="{}" fill="#555555">Hatched: started earlier, end not recorded (may have stopped).</text>"##,
            total - 15,
            LEFT + 18,
            total - 6,
        );
    }
    s.push_str("</svg>\n");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::NodeIndex;

    #[test]
    fn one_bar_per_year_and_the_peak_marked() {
        let l = Layering {
            years: vec![
                (2019, vec![NodeIndex::new(0)]),
                (2020, vec![NodeIndex::new(0), NodeIndex::new(1)]),
            ],
            end_unknown: vec![(2019, vec![]), (2020, vec![NodeIndex::new(2)])],
            overlaps: None,
        };
        let svg = layering_svg(&l).unwrap();
        assert_eq!(
            svg.matches("<rect x=").count(),
            3,
            "two active bars, one hatched"
        );
        assert_eq!(svg.matches("class=\"pg-end-unknown\"").count(), 1);
        assert!(svg.contains("2020: 1 more started earlier, end not recorded"));
        assert_eq!(svg.matches("#D55E00").count(), 1);
        assert!(svg.contains(">2020<"));
        assert!(layering_svg(&Layering::default()).is_none());
    }
}
