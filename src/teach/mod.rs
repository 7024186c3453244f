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
pub mod deck;
pub mod explorer;
pub mod handout;
pub mod html;
pub mod live;
pub mod print;
pub mod questions;
pub mod slides;
pub mod steps;

use crate::graph::{NodeIndex, PolicyGraph};
use crate::query::bibliography::{Bibliography, Style};
use crate::query::critiques::{Query as CritiqueQuery, Row, critiques};
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
    /// The node the story is told around, if any: the critiques slides judge it.
    pub focus: Option<NodeIndex>,
    /// Who presents: the title slide's credit, over the collection's `author`.
    pub author: Option<String>,
    /// Whether to print the deck as `deck.pdf` too, a 16:9 page per slide.
    pub pdf: bool,
    /// The citation style of the notes and the handout.
    pub style: Style,
}

/// Why the seminar's files could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SeminarError {
    /// The chart's SVG could not be cut into slides.
    #[error(transparent)]
    Slide(#[from] SlideError),
    /// The deck could not be printed.
    #[error("the deck could not be printed as PDF: {0}")]
    Pdf(#[from] crate::raster::RasterError),
}

/// Plans a seminar over the whole story, or around `focus`.
pub fn seminar(g: &PolicyGraph, focus: Option<NodeIndex>, steps: &Steps) -> Seminar {
    let story = view(g, &ViewSpec::Story(focus), &Narrow::default());
    let steps = plan(g, &story, steps);
    Seminar {
        story,
        steps,
        focus,
        author: None,
        pdf: false,
        style: Style::default(),
    }
}

/// A year ruler along the bottom of a slide's frame, so every slide shows when. The
/// deck page's ruler spans the whole chart at y = 0 (`f` is then the chart's width and
/// the ruler's height) and its script moves it to the bottom of each camera.
fn ruler(chart: &crate::timechart::Chart, f: crate::timechart::Rect, id: &str) -> String {
    use std::fmt::Write;
    let y = f.y + f.h;
    let mut s = format!(
        r##"<g{id} class="pg-ruler" font-size="16" fill="#333333"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{}" fill="#ffffff" fill-opacity="0.88"/>"##,
        f.x,
        y - camera::RULER_H,
        f.w,
        camera::RULER_H
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
            y - camera::RULER_H,
            y - camera::RULER_H + tick
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

/// Subjects judged at least this often get a critiques slide in a deck with no focus.
const CRITIQUES_AT_LEAST: usize = 3;
/// At most this many subjects get critiques slides in a deck with no focus.
const CRITIQUES_SUBJECTS: usize = 5;
/// Judgements on one critiques slide: more are split over several.
const CRITIQUES_PER_SLIDE: usize = 6;

/// Whose critiques the deck shows: the focus, when it was judged; else the story's most
/// judged subjects (at least [`CRITIQUES_AT_LEAST`] judgements, at most
/// [`CRITIQUES_SUBJECTS`] of them, most judged first, then by name).
pub fn critique_subjects(g: &PolicyGraph, s: &Seminar) -> Vec<(NodeIndex, Vec<Row>)> {
    let judged = |n: NodeIndex| {
        let mut rows = critiques(
            g,
            &CritiqueQuery {
                subject: Some(n),
                ..CritiqueQuery::default()
            },
        );
        rows.sort_by_key(|r| (r.year.is_none(), r.year));
        rows
    };
    if let Some(f) = s.focus {
        let rows = judged(f);
        return if rows.is_empty() {
            Vec::new()
        } else {
            vec![(f, rows)]
        };
    }
    let mut subjects: Vec<(NodeIndex, Vec<Row>)> = s
        .story
        .nodes
        .iter()
        .map(|&n| (n, judged(n)))
        .filter(|(_, rows)| rows.len() >= CRITIQUES_AT_LEAST)
        .collect();
    subjects.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then_with(|| g.node(a.0).name().cmp(g.node(b.0).name()))
    });
    subjects.truncate(CRITIQUES_SUBJECTS);
    subjects
}

/// The summary of the era a slide titled `title` opens: the era's own name, or its first
/// part ("New Labour (1/3)"); later parts and other steps have none.
fn era_summary(g: &PolicyGraph, title: &str) -> Option<String> {
    g.eras
        .iter()
        .find(|era| {
            title == era.name
                || title
                    .strip_prefix(era.name.as_str())
                    .is_some_and(|rest| rest.starts_with(" (1/"))
        })
        .and_then(|era| era.summary.clone())
}

/// "12 initiatives, 20 bodies, 6 Acts": what the story shows, by kind.
fn counts(g: &PolicyGraph, story: &View) -> String {
    use crate::model::NodeKind;
    let parts: Vec<String> = NodeKind::ALL
        .iter()
        .filter_map(|&k| {
            let n = story.nodes.iter().filter(|&&x| g.node(x).kind == k).count();
            let (one, many) = match k {
                NodeKind::Initiative => ("initiative", "initiatives"),
                NodeKind::Body => ("body", "bodies"),
                NodeKind::Legislation => ("Act", "Acts"),
                NodeKind::Document => ("document", "documents"),
                NodeKind::Finding => ("finding", "findings"),
            };
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        })
        .collect();
    parts.join(", ")
}

/// A speaker note on a node: its kind and dates, its summary, its sources.
fn node_note(g: &PolicyGraph, bib: &Bibliography, n: NodeIndex) -> deck::Note {
    let node = g.node(n);
    let mut text = node.kind.as_str().to_string();
    if let Some(d) = crate::query::timeline::dates(node) {
        text = format!("{text}, {d}");
    }
    text.push('.');
    if let Some(summary) = node.summary() {
        text = format!("{text} {summary}");
    }
    deck::Note {
        about: node.name().to_string(),
        text,
        sources: bib.cite_list(g, node.sources()),
    }
}

/// "28 judgements, 1999 to 2021: 18 critical, 5 mixed, 3 supportive, 2 not stated".
pub fn judgement_summary(rows: &[Row]) -> String {
    use crate::model::Stance;
    let mut out = match rows.len() {
        1 => "1 judgement".to_string(),
        n => format!("{n} judgements"),
    };
    let years: Vec<u16> = rows.iter().filter_map(|r| r.year).collect();
    if let (Some(a), Some(b)) = (years.iter().min(), years.iter().max()) {
        out = if a == b {
            format!("{out}, {a}")
        } else {
            format!("{out}, {a} to {b}")
        };
    }
    let mut parts: Vec<String> = Stance::ALL
        .iter()
        .map(|&st| {
            (
                st.as_str(),
                rows.iter().filter(|r| r.stance == Some(st)).count(),
            )
        })
        .chain(std::iter::once((
            "not stated",
            rows.iter().filter(|r| r.stance.is_none()).count(),
        )))
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{n} {name}"))
        .collect();
    // Most first; a stable sort keeps the vocabulary's order among equals.
    parts.sort_by_key(|p| {
        std::cmp::Reverse(
            p.split(' ')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0),
        )
    });
    format!("{out}: {}", parts.join(", "))
}

/// The first and last year the story's nodes are dated by (starts, and ends that are
/// dates).
fn story_years(g: &PolicyGraph, story: &View) -> Option<(u16, u16)> {
    let years = story.nodes.iter().flat_map(|&n| {
        let node = g.node(n);
        let end = match node.end {
            crate::model::End::On(d) => Some(d.year_part()),
            _ => None,
        };
        node.start.map(|d| d.year_part()).into_iter().chain(end)
    });
    years.fold(None, |acc, y| match acc {
        None => Some((y, y)),
        Some((a, b)) => Some((a.min(y), b.max(y))),
    })
}

/// The critiques slides of one subject: its judgements in year order, a few a slide.
fn critiques_slides(
    g: &PolicyGraph,
    bib: &Bibliography,
    subject: NodeIndex,
    rows: &[Row],
) -> Vec<deck::Slide> {
    let name = g.node(subject).name();
    let parts = rows.len().div_ceil(CRITIQUES_PER_SLIDE);
    let judgements = judgement_summary(rows);
    rows.chunks(CRITIQUES_PER_SLIDE)
        .enumerate()
        .map(|(k, chunk)| {
            let lines = chunk
                .iter()
                .map(|r| {
                    let review = r.document.map_or_else(
                        || "review not recorded".to_string(),
                        |d| {
                            let who: Vec<&str> =
                                r.publishers.iter().map(|&p| g.node(p).name()).collect();
                            if who.is_empty() {
                                g.node(d).name().to_string()
                            } else {
                                format!("{} ({})", g.node(d).name(), who.join(", "))
                            }
                        },
                    );
                    deck::Judgement {
                        year: r.year.map_or_else(|| "undated".into(), |y| y.to_string()),
                        stance: r.stance.map_or("not stated", |s| s.as_str()).to_string(),
                        finding: r.finding.map_or_else(
                            || "(judged in the review itself)".to_string(),
                            |f| g.node(f).name().to_string(),
                        ),
                        review,
                    }
                })
                .collect();
            let notes = chunk
                .iter()
                .map(|r| {
                    let about = r
                        .finding
                        .or(r.document)
                        .map_or_else(|| name.to_string(), |n| g.node(n).name().to_string());
                    let text = r
                        .finding
                        .and_then(|f| g.node(f).summary().map(str::to_string))
                        .unwrap_or_else(|| "no summary recorded.".into());
                    let mut sources: Vec<crate::model::Source> = g.edge(r.edge).sources().to_vec();
                    for &c in r.cites.iter().chain(&r.reports) {
                        sources.extend(g.edge(c).sources().iter().cloned());
                    }
                    deck::Note {
                        about,
                        text,
                        sources: bib.cite_list(g, &sources),
                    }
                })
                .collect();
            let part = if parts > 1 {
                format!(" ({}/{parts})", k + 1)
            } else {
                String::new()
            };
            deck::Slide {
                title: format!("What the reviews said: {name}{part}"),
                years: judgements.clone(),
                body: deck::Body::Critiques(lines),
                notes,
            }
        })
        .collect()
}

/// The seminar's files: `step-NN.svg` (each a camera on one time chart of the story),
/// `index.html` (a title slide, the steps on the same chart inline, the critiques),
/// `story.svg`, `handout.md`, `handout.html` and `layering.svg`.
pub fn seminar_files(g: &PolicyGraph, s: &Seminar) -> Result<Vec<(String, Vec<u8>)>, SeminarError> {
    // One driver renders the notes' citations and the handout's, and its references.
    let bib = Bibliography::new(g, s.style);
    let chart = crate::timechart::layout(g, &s.story);
    let story_svg = crate::timechart::svg(g, &chart);
    let story_svg = story_svg.as_str();
    let shots = camera::shots(g, &chart, &s.steps);
    let node_id = |n: NodeIndex| format!("node-{}", g.node(n).id());
    let edge_id = |e: crate::graph::EdgeIndex| format!("edge-{}", e.index());
    let mut files = vec![(
        handout::STORY_FILE.to_string(),
        story_svg.as_bytes().to_vec(),
    )];
    let mut slides = Vec::new();
    let mut pages = Vec::new();
    for (i, shot) in shots.iter().enumerate() {
        let step = &shot.step;
        let shown: std::collections::HashSet<String> = step
            .nodes
            .iter()
            .map(|&n| node_id(n))
            .chain(step.edges.iter().map(|&e| edge_id(e)))
            .collect();
        let new: Vec<String> = step
            .new_nodes
            .iter()
            .map(|&n| node_id(n))
            .chain(step.new_edges.iter().map(|&e| edge_id(e)))
            .collect();
        let dim: Vec<String> = step
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
            .collect();
        let f = shot.frame;
        let shift: std::collections::HashMap<String, f32> =
            camera::label_shifts(&chart, f, &step.nodes)
                .into_iter()
                .filter(|(n, _)| !step.new_nodes.contains(n))
                .map(|(n, dx)| (node_id(n), dx))
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
            new: new.iter().cloned().collect(),
            dim: dim.iter().cloned().collect(),
            frame: Some((f.x, f.y, f.w, f.h)),
            overlay: if chart.shows_bottom_axis(f) {
                String::new()
            } else {
                ruler(&chart, f, "")
            },
            inline: false,
            at: None,
            shift: shift.clone(),
        };
        files.push((step_file(i), step_svg(story_svg, &reveal)?.into_bytes()));
        let printed = s
            .pdf
            .then(|| {
                step_svg(
                    story_svg,
                    &Reveal {
                        at: Some(print::PAGE_PICTURE),
                        ..reveal
                    },
                )
            })
            .transpose()?;
        // The era's summary, on its first slide (a step split in parts is "Name (1/3)").
        let summary = era_summary(g, &step.title);
        if let Some(picture) = printed {
            pages.push(print::page_svg(
                &step.title,
                &step.years,
                summary.as_deref(),
                &picture,
            ));
        }
        slides.push(deck::Slide {
            title: step.title.clone(),
            years: step.years.clone(),
            body: deck::Body::Step(deck::Camera {
                file: step_file(i),
                frame: [f.x, f.y, f.w, f.h],
                ruler: !chart.shows_bottom_axis(f),
                shift: {
                    let mut v: Vec<(String, f32)> = shift.into_iter().collect();
                    v.sort_by(|a, b| a.0.cmp(&b.0));
                    v
                },
                new_ids: new,
                dim_ids: dim,
                new: step
                    .new_nodes
                    .iter()
                    .map(|&n| g.node(n).name().to_string())
                    .collect(),
                summary,
            }),
            notes: step
                .new_nodes
                .iter()
                .map(|&n| node_note(g, &bib, n))
                .collect(),
        });
    }
    for (subject, rows) in critique_subjects(g, s) {
        slides.extend(critiques_slides(g, &bib, subject, &rows));
    }
    // The deck page's picture: the whole chart, every group shown until the script
    // takes over, the camera on the first step, and a ruler the script moves.
    let first = shots.first().map_or(
        crate::timechart::Rect {
            x: 0.0,
            y: 0.0,
            w: chart.width,
            h: chart.height,
        },
        |s| s.frame,
    );
    let wide = crate::timechart::Rect {
        x: -2000.0,
        y: 0.0,
        w: chart.width + 4000.0,
        h: camera::RULER_H,
    };
    let picture = step_svg(
        story_svg,
        &Reveal {
            frame: Some((first.x, first.y, first.w, first.h)),
            overlay: ruler(&chart, wide, r#" id="pg-ruler""#),
            inline: true,
            ..Reveal::default()
        },
    )?;
    let about = g.about.as_ref();
    let title = about
        .and_then(|a| a.title.clone())
        .unwrap_or_else(|| s.story.title.clone());
    let years = match story_years(g, &s.story) {
        Some((a, b)) if a == b => a.to_string(),
        Some((a, b)) => format!("{a} to {b}"),
        None => "undated".to_string(),
    };
    let eras: Vec<(String, String)> = g
        .eras
        .iter()
        .map(|e| {
            let years = match e.end {
                Some(end) if end.year_part() == e.start.year_part() => {
                    e.start.year_part().to_string()
                }
                Some(end) => format!("{} to {}", e.start.year_part(), end.year_part()),
                None => format!("{} to now", e.start.year_part()),
            };
            (e.name.clone(), years)
        })
        .collect();
    let deck = deck::Deck {
        title,
        author: s
            .author
            .clone()
            .or_else(|| about.and_then(|a| a.author.clone())),
        summary: about.and_then(|a| a.summary.clone()),
        years,
        eras,
        counts: counts(g, &s.story),
        picture,
        notes: vec![deck::Note {
            about: "This deck".into(),
            text: format!(
                "{}: {} steps on one time chart, then {} slides of what reviews said.",
                s.story.title,
                shots.len(),
                slides.len() - shots.len()
            ),
            sources: String::new(),
        }],
        slides,
    };
    files.push(("index.html".into(), deck::deck_html(&deck).into_bytes()));
    if s.pdf {
        let mut all = vec![print::title_page(&deck)];
        all.extend(pages);
        all.extend(
            deck.slides
                .iter()
                .filter(|sl| matches!(sl.body, deck::Body::Critiques(_)))
                .map(print::critiques_page),
        );
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let pdf = crate::raster::pdf(
            &all,
            crate::raster::PageSize::Fixed(print::PAGE_W, print::PAGE_H),
        )?;
        files.push(("deck.pdf".into(), pdf));
    }
    // Each step's slides in the handout: the same cameras, so the same legible scale.
    let mut h = handout::handout(g, &bib, &s.story);
    for step in &s.steps {
        let part = format!("{} (", step.title);
        let parts: Vec<String> = shots
            .iter()
            .enumerate()
            .filter(|(_, sh)| sh.step.title == step.title || sh.step.title.starts_with(&part))
            .map(|(i, _)| step_file(i))
            .collect();
        if parts.is_empty() {
            continue;
        }
        h.eras.push(handout::EraFigure {
            title: step.title.clone(),
            years: step.years.clone(),
            summary: era_summary(g, &step.title),
            files: parts,
        });
    }
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
