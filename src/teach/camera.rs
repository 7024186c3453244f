//! Cameras: what each slide of the deck frames of the one time chart of the story.
//!
//! Every step is a view of the same layout ([`crate::timechart`]), so a node never
//! moves; only the viewBox does. A step's camera frames what is new in it, with the
//! nodes it connects to when they fit, at a scale where a label is at least
//! [`MIN_LABEL_PX`] tall on a 1920×1080 projector. A step with too much to show at
//! that scale is split into sub-steps, each framing a group of its new nodes that are
//! near each other in the chart. Pure.

use super::steps::Step;
use crate::graph::{NodeIndex, PolicyGraph};
use crate::timechart::{Chart, Placed, Rect};
use std::collections::{BTreeMap, BTreeSet};

/// The smallest label height allowed on the projector, in pixels.
pub const MIN_LABEL_PX: f32 = 18.0;
/// The slide's drawing area at 1920×1080, in pixels (16:9): what a camera maps onto.
pub const STAGE: (f32, f32) = (1600.0, 900.0);
/// The height a label line takes, in the chart's units (the font's ascent plus descent).
const LABEL_UNITS: f32 = 17.3;
/// Labels are drawn at least this much larger than the minimum, for margin.
const SAFETY: f32 = 1.12;
/// Labels are never drawn more than this many times their size in the chart: a small
/// story fills the slide, up to labels about 50 px tall.
const MAX_SCALE: f32 = 3.0;
/// Room around what a camera frames, in chart units.
const PAD: f32 = 28.0;
/// The height of the year ruler along a slide's bottom, in chart units: a camera keeps
/// this much room below what it frames, so the ruler covers nothing.
pub const RULER_H: f32 = 30.0;

/// The widest and tallest box a camera may frame: any larger and labels shrink below
/// the minimum.
pub fn max_frame() -> (f32, f32) {
    let scale = MIN_LABEL_PX * SAFETY / LABEL_UNITS;
    (STAGE.0 / scale, STAGE.1 / scale)
}

/// A slide: a step (or part of one) and the chart's region it frames (16:9).
#[derive(Debug, Clone, PartialEq)]
pub struct Shot {
    /// What the slide shows, cumulative as the steps are.
    pub step: Step,
    /// The viewBox.
    pub frame: Rect,
}

/// Years of a bar a camera shows at least, from its start: enough to see it begin and
/// run on. A long bar runs on out of the frame; framing all of it would push what is
/// near it onto other slides.
const FOCUS_YEARS: f32 = 6.0;

/// The part of a node a camera needs: its label, and the start of its bar.
fn focus(p: &Placed, chart: &Chart) -> Rect {
    let year = chart.x(1.0) - chart.x(0.0);
    let bar = Rect {
        w: p.bar.w.min((FOCUS_YEARS * year).max(p.label.w)),
        ..p.bar
    };
    bar.union(&p.label)
}

/// The box `r` widened or heightened to 16:9 about its centre, no smaller than the
/// largest scale allows, and inside the chart where it can be.
fn sixteen_nine(r: Rect, chart: &Chart) -> Rect {
    // As wide as the label rule allows, or nearly: a slide shows the years around what
    // is new, not a close-up.
    // A small chart is shown whole, as large as the scale cap allows: no white around it.
    let drawn = chart
        .nodes
        .iter()
        .map(Placed::bounds)
        .reduce(|a, b| a.union(&b))
        .map_or(chart.width, |b| b.w + 2.0 * PAD);
    let min_w = (max_frame().0 * 0.9).min(drawn).max(STAGE.0 / MAX_SCALE);
    let mut w = (r.w + 2.0 * PAD).max(min_w);
    let mut h = r.h + 2.0 * PAD + RULER_H;
    if w / h > 16.0 / 9.0 {
        h = w * 9.0 / 16.0;
    } else {
        w = h * 16.0 / 9.0;
    }
    let cx = r.x + r.w / 2.0;
    let cy = r.y + (r.h + RULER_H) / 2.0;
    let clamp = |c: f32, size: f32, total: f32| {
        if size >= total {
            total / 2.0
        } else {
            c.clamp(size / 2.0, total - size / 2.0)
        }
    };
    let (cx, cy) = (clamp(cx, w, chart.width), clamp(cy, h, chart.height));
    let (x, y) = (cx - w / 2.0, cy - h / 2.0);
    // A frame that shows the legend but whose left edge falls just inside the chart
    // would cut the legend's first swatch in two: it is widened to the chart's edge,
    // keeping its right edge (and so everything it framed), when the label rule
    // allows the larger frame.
    if x > 0.0 && x < LEFT_SNAP && y + h > chart.legend_top() && w + x <= max_frame().0 {
        let (w, h) = (w + x, (w + x) * 9.0 / 16.0);
        return Rect {
            x: 0.0,
            y: cy - h / 2.0,
            w,
            h,
        };
    }
    Rect { x, y, w, h }
}

/// A frame starting less than this far into the chart, and showing the legend, is
/// widened to the chart's left edge (see [`sixteen_nine`]): past the legend's first
/// swatch, drawn from x = 24.
const LEFT_SNAP: f32 = 64.0;

fn fits(r: &Rect) -> bool {
    let (max_w, max_h) = max_frame();
    let w = r.w + 2.0 * PAD;
    let h = r.h + 2.0 * PAD + RULER_H;
    w.max(h * 16.0 / 9.0) <= max_w && h.max(w * 9.0 / 16.0) <= max_h
}

/// Labels that slide right to stay in `frame`: a bar that runs into the frame from the
/// left has its label (drawn at the bar's start) off the frame or cut by its edge; when
/// the bar runs on far enough inside the frame, its label moves along it to just inside
/// the edge, still above its own bar, where nothing else is drawn. Returns each such
/// node with the distance to move, in chart units.
pub fn label_shifts(chart: &Chart, frame: Rect, shown: &[NodeIndex]) -> Vec<(NodeIndex, f32)> {
    let shown: BTreeSet<NodeIndex> = shown.iter().copied().collect();
    let inset = 6.0;
    chart
        .nodes
        .iter()
        .filter(|p| shown.contains(&p.node))
        .filter_map(|p| {
            let to = frame.x + inset;
            let bar_end = p.bar.x + p.bar.w;
            let vertical = p.label.y + p.label.h > frame.y && p.label.y < frame.y + frame.h;
            (vertical && p.label.x < frame.x && bar_end - to >= p.label.w)
                .then_some((p.node, to - p.label.x))
        })
        .collect()
}

/// The slides of `steps` over `chart`: each step framed, split where it holds too much.
pub fn shots(g: &PolicyGraph, chart: &Chart, steps: &[Step]) -> Vec<Shot> {
    let at: BTreeMap<NodeIndex, &Placed> = chart.nodes.iter().map(|p| (p.node, p)).collect();
    let mut out = Vec::new();
    let mut before: Vec<NodeIndex> = Vec::new();
    // New nodes of a step that had nothing to draw, shown as new on the next slide.
    let mut carry: Vec<NodeIndex> = Vec::new();
    for step in steps {
        let mut carried = step.clone();
        for n in carry.drain(..).rev() {
            if !carried.new_nodes.contains(&n) {
                carried.new_nodes.insert(0, n);
            }
        }
        let step = &carried;
        // New nodes the chart draws, top to bottom, then left to right.
        let mut new: Vec<NodeIndex> = step
            .new_nodes
            .iter()
            .copied()
            .filter(|n| at.contains_key(n))
            .collect();
        new.sort_by(|a, b| {
            let (pa, pb) = (focus(at[a], chart), focus(at[b], chart));
            (pa.y, pa.x)
                .partial_cmp(&(pb.y, pb.x))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        // Greedy groups that fit one frame.
        let mut groups: Vec<(Vec<NodeIndex>, Rect)> = Vec::new();
        for n in new {
            let r = focus(at[&n], chart);
            match groups.last_mut() {
                Some((members, bx)) if fits(&bx.union(&r)) => {
                    members.push(n);
                    *bx = bx.union(&r);
                }
                _ => groups.push((vec![n], r)),
            }
        }
        if groups.is_empty() && !step.nodes.iter().any(|n| at.contains_key(n)) {
            // Nothing drawn yet (new nodes without dates): no slide of an empty chart;
            // what is new joins the next slide.
            carry.extend(step.new_nodes.iter().copied());
            continue;
        }
        if groups.is_empty() {
            // Nothing new is drawn: frame everything shown so far, as far as it fits.
            let shown = step
                .nodes
                .iter()
                .filter_map(|n| at.get(n))
                .map(|p| focus(p, chart));
            let bx = shown.reduce(|a, b| a.union(&b)).unwrap_or(Rect {
                x: 0.0,
                y: 0.0,
                w: chart.width,
                h: chart.height,
            });
            out.push(Shot {
                step: step.clone(),
                frame: sixteen_nine(bx, chart),
            });
            before.extend(step.new_nodes.iter().copied());
            continue;
        }
        let parts = groups.len();
        let undrawn: Vec<NodeIndex> = step
            .new_nodes
            .iter()
            .copied()
            .filter(|n| !at.contains_key(n))
            .collect();
        for (k, (members, mut bx)) in groups.into_iter().enumerate() {
            // Context: what the new nodes connect to, when it still fits.
            let member_set: BTreeSet<NodeIndex> = members.iter().copied().collect();
            for &e in &step.edges {
                let (a, b) = g.endpoints(e);
                let other = if member_set.contains(&a) {
                    b
                } else if member_set.contains(&b) {
                    a
                } else {
                    continue;
                };
                if let Some(p) = at.get(&other) {
                    let wider = bx.union(&focus(p, chart));
                    if fits(&wider) {
                        bx = wider;
                    }
                }
            }
            before.extend(members.iter().copied());
            if k == 0 {
                before.extend(undrawn.iter().copied());
            }
            let shown: BTreeSet<NodeIndex> = before.iter().copied().collect();
            let mut sub = step.clone();
            if parts > 1 {
                sub.title = format!("{} ({}/{parts})", step.title, k + 1);
            }
            sub.nodes = step
                .nodes
                .iter()
                .copied()
                .filter(|n| shown.contains(n))
                .collect();
            sub.new_nodes = step
                .new_nodes
                .iter()
                .copied()
                .filter(|n| member_set.contains(n) || (k == 0 && undrawn.contains(n)))
                .collect();
            sub.edges = step
                .edges
                .iter()
                .copied()
                .filter(|&e| {
                    let (a, b) = g.endpoints(e);
                    shown.contains(&a) && shown.contains(&b)
                })
                .collect();
            sub.new_edges = step
                .new_edges
                .iter()
                .copied()
                .filter(|e| sub.edges.contains(e))
                .filter(|&e| {
                    let (a, b) = g.endpoints(e);
                    member_set.contains(&a) || member_set.contains(&b)
                })
                .collect();
            out.push(Shot {
                step: sub,
                frame: sixteen_nine(bx, chart),
            });
        }
    }
    // Undrawn nodes of the last steps are new on the last slide.
    if let Some(last) = out.last_mut() {
        for n in carry {
            if !last.step.new_nodes.contains(&n) {
                last.step.new_nodes.push(n);
                last.step.nodes.push(n);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;
    use crate::teach::steps::{Steps, plan};
    use crate::view::{Narrow, ViewSpec, view};

    #[test]
    fn every_frame_keeps_labels_large_and_every_new_node_appears_once() {
        let mut spec = String::from("act legislation 2012-03");
        // Forty programmes running at once need forty lanes: more than one slide holds.
        for i in 0..40 {
            spec += &format!("; p{i} initiative {} ongoing", 1995 + i / 4);
        }
        for i in 1..40 {
            spec += &format!("; p{i} established-by act");
        }
        let g = graph(&spec);
        let story = view(&g, &ViewSpec::Story(None), &Narrow::default());
        let chart = crate::timechart::layout(&g, &story);
        let steps = plan(&g, &story, &Steps::Years(vec![2005]));
        let shots = shots(&g, &chart, &steps);
        assert!(shots.len() > steps.len(), "crowded steps are split");
        let mut seen = BTreeSet::new();
        for s in &shots {
            let scale = STAGE.0 / s.frame.w;
            assert!((s.frame.w / s.frame.h - 16.0 / 9.0).abs() < 0.01);
            assert!(
                scale * LABEL_UNITS >= MIN_LABEL_PX,
                "{}: labels {} px",
                s.step.title,
                scale * LABEL_UNITS
            );
            for n in &s.step.new_nodes {
                assert!(seen.insert(*n), "new once");
            }
        }
        assert_eq!(seen.len(), story.nodes.len());
        for pair in shots.windows(2) {
            assert!(
                pair[0]
                    .step
                    .nodes
                    .iter()
                    .all(|n| pair[1].step.nodes.contains(n))
            );
        }
    }

    #[test]
    fn a_long_bar_carries_its_label_into_the_frame_and_a_short_one_does_not() {
        let g = graph("long initiative 1990 2020; short initiative 1990 1995");
        let story = view(&g, &ViewSpec::Story(None), &Narrow::default());
        let chart = crate::timechart::layout(&g, &story);
        let at = |id: &str| {
            chart
                .nodes
                .iter()
                .find(|p| g.node(p.node).id() == id)
                .unwrap()
                .clone()
        };
        let (long, short) = (at("long"), at("short"));
        let frame = Rect {
            x: chart.x(2000.0),
            y: 0.0,
            w: 800.0,
            h: chart.height,
        };
        let shifts = label_shifts(&chart, frame, &story.nodes);
        assert_eq!(shifts.len(), 1, "{shifts:?}");
        let (n, dx) = shifts[0];
        assert_eq!(n, long.node);
        let moved = long.label.x + dx;
        assert!(moved > frame.x && moved + long.label.w <= long.bar.x + long.bar.w);
        assert!(
            short.bar.x + short.bar.w < frame.x,
            "the short bar ends before"
        );
    }
}
