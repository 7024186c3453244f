//! Teaching material: the seminar deck (one SVG per step and an `index.html` to present
//! them), the handout (Markdown and print-friendly HTML) and the offline explorer.
//!
//! Pure: functions here take the graph and, where a picture is needed, the SVG the
//! layout engine drew, and return file names and contents. Commands lay out and write.
//!
//! **Invariant:** the deck is cut from one layout of the whole story, so every node
//! keeps its position from the step it appears in to the last (see [`slides`]).
//!
//! **Invariant:** every piece of data text on a page is escaped: maud escapes what
//! pages interpolate, [`handout::md`] escapes Markdown, embedded JSON goes through
//! [`html::json_for_script`], and the explorer's script writes text with `textContent`.

pub mod camera;
pub mod chart;
pub mod deck;
pub mod explorer;
pub mod handout;
pub mod html;
pub mod questions;
pub mod slides;
pub mod steps;

use crate::graph::{NodeIndex, PolicyGraph};
use crate::view::{Narrow, View, ViewSpec, view};
use slides::{Reveal, SlideError, step_svg};
use steps::{Step, Steps, plan};

/// A seminar: the story drawn, and its steps.
#[derive(Debug, Clone)]
pub struct Seminar {
    /// What the deck draws.
    pub story: View,
    /// The steps, cumulative.
    pub steps: Vec<Step>,
}

/// Plans a seminar over the whole story, or around `focus`.
pub fn seminar(g: &PolicyGraph, focus: Option<NodeIndex>, steps: &Steps) -> Seminar {
    let story = view(g, &ViewSpec::Story(focus), &Narrow::default());
    let steps = plan(g, &story, steps);
    Seminar { story, steps }
}

/// A year ruler along the bottom of a slide's frame, so every slide shows when.
fn ruler(chart: &crate::timechart::Chart, f: crate::timechart::Rect) -> String {
    use std::fmt::Write;
    let y = f.y + f.h;
    let mut s = format!(
        r##"<g class="pg-ruler" font-size="16" fill="#333333"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="30" fill="#ffffff" fill-opacity="0.88"/>"##,
        f.x,
        y - 30.0,
        f.w
    );
    for year in chart.years.0..=chart.years.1 {
        let x = chart.x(f32::from(year));
        if x < f.x || x > f.x + f.w {
            continue;
        }
        let tick = if year % 5 == 0 { 10.0 } else { 5.0 };
        // Writing to a String cannot fail.
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#555555"/>"##,
            y - 30.0,
            y - 30.0 + tick
        );
        if year % 5 == 0 {
            let _ = write!(
                s,
                r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{year}</text>"##,
                y - 6.0
            );
        }
    }
    s.push_str("</g>");
    s
}

/// The file name of step `i` (from 0): "step-01.svg".
pub fn step_file(i: usize) -> String {
    format!("step-{:02}.svg", i + 1)
}

/// The seminar's files: `step-NN.svg` (each a camera on one time chart of the story),
/// `index.html`, `handout.md`, `handout.html` and `layering.svg`.
pub fn seminar_files(g: &PolicyGraph, s: &Seminar) -> Result<Vec<(String, Vec<u8>)>, SlideError> {
    let chart = crate::timechart::layout(g, &s.story);
    let story_svg = crate::timechart::svg(g, &chart);
    let story_svg = story_svg.as_str();
    let shots = camera::shots(g, &chart, &s.steps);
    let node_id = |n: NodeIndex| format!("node-{}", g.node(n).id);
    let edge_id = |e: crate::graph::EdgeIndex| format!("edge-{}", e.index());
    let mut files = vec![(
        handout::STORY_FILE.to_string(),
        story_svg.as_bytes().to_vec(),
    )];
    let mut slides = Vec::new();
    for (i, shot) in shots.iter().enumerate() {
        let step = &shot.step;
        let shown: std::collections::HashSet<String> = step
            .nodes
            .iter()
            .map(|&n| node_id(n))
            .chain(step.edges.iter().map(|&e| edge_id(e)))
            .collect();
        let reveal = Reveal {
            hidden: s
                .story
                .nodes
                .iter()
                .map(|&n| node_id(n))
                .chain(s.story.edges.iter().map(|&e| edge_id(e)))
                .filter(|id| !shown.contains(id))
                .collect(),
            new: step
                .new_nodes
                .iter()
                .map(|&n| node_id(n))
                .chain(step.new_edges.iter().map(|&e| edge_id(e)))
                .collect(),
            dim: step
                .nodes
                .iter()
                .filter(|n| !step.new_nodes.contains(n))
                .map(|&n| node_id(n))
                .chain(
                    step.edges
                        .iter()
                        .filter(|e| !step.new_edges.contains(e))
                        .map(|&e| edge_id(e)),
                )
                .collect(),
            frame: Some((shot.frame.x, shot.frame.y, shot.frame.w, shot.frame.h)),
            overlay: ruler(&chart, shot.frame),
        };
        files.push((step_file(i), step_svg(story_svg, &reveal)?.into_bytes()));
        // The era's summary, on its first slide (a step split in parts is "Name (1/3)").
        let summary = g
            .eras
            .iter()
            .find(|era| {
                step.title == era.name
                    || step
                        .title
                        .strip_prefix(era.name.as_str())
                        .is_some_and(|rest| rest.starts_with(" (1/"))
            })
            .and_then(|era| era.summary.clone());
        slides.push(deck::Slide {
            file: step_file(i),
            summary,
            title: step.title.clone(),
            years: step.years.clone(),
            new: step
                .new_nodes
                .iter()
                .map(|&n| g.node(n).name.clone())
                .collect(),
        });
    }
    files.push((
        "index.html".into(),
        deck::deck_html(&s.story.title, &slides).into_bytes(),
    ));
    let h = handout::handout(g, &s.story);
    files.push((
        "handout.md".into(),
        handout::markdown(&h, "layering.svg").into_bytes(),
    ));
    files.push(("handout.html".into(), handout::html(&h).into_bytes()));
    if let Some(chart) = &h.chart {
        files.push(("layering.svg".into(), chart.clone().into_bytes()));
    }
    Ok(files)
}
