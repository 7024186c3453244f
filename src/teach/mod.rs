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

/// The file name of step `i` (from 0): "step-01.svg".
pub fn step_file(i: usize) -> String {
    format!("step-{:02}.svg", i + 1)
}

/// The seminar's files, given the SVG of the whole story laid out with edge ids:
/// `step-NN.svg`, `index.html`, `handout.md`, `handout.html` and `layering.svg`.
pub fn seminar_files(
    g: &PolicyGraph,
    s: &Seminar,
    story_svg: &str,
) -> Result<Vec<(String, Vec<u8>)>, SlideError> {
    let node_id = |n: NodeIndex| format!("node-{}", g.node(n).id);
    let edge_id = |e: crate::graph::EdgeIndex| format!("edge-{}", e.index());
    let mut files = Vec::new();
    let mut slides = Vec::new();
    for (i, step) in s.steps.iter().enumerate() {
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
        };
        files.push((step_file(i), step_svg(story_svg, &reveal)?.into_bytes()));
        slides.push(deck::Slide {
            file: step_file(i),
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
