//! The seminar deck's `index.html`: a title slide, one slide per step and the critiques
//! slides, shown one at a time, full-screen, stepped with the arrow keys.
//!
//! Every step slide is a camera on one picture of the story, inline in the page: a
//! script moves the picture's viewBox from step to step (animated, unless the reader
//! asks for reduced motion) and changes which nodes are hidden, dimmed or new, so a node
//! never moves. Each slide carries speaker notes with the sources of what it shows:
//! `N` shows them under the slide, `P` opens a presenter view in a second window that
//! follows the deck (and drives it).
//!
//! Pure: the page is built from a [`Deck`]; every data string is escaped by maud, and
//! the steps' element ids reach the script as JSON in a data block.

use super::html::{data_block, page_head, script};
use maud::{DOCTYPE, Markup, PreEscaped, html as markup};

/// The whole deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    /// The collection's (or the story's) title.
    pub title: String,
    /// Who made the collection, or who presents it.
    pub author: Option<String>,
    /// What the collection covers.
    pub summary: Option<String>,
    /// The years the story spans: "1972 to 2022".
    pub years: String,
    /// The eras, with their years, in order.
    pub eras: Vec<(String, String)>,
    /// A line of counts for the title slide: "58 bodies, laws and initiatives, ...".
    pub counts: String,
    /// The picture of the story, inline SVG (ours: every data string in it escaped).
    pub picture: String,
    /// The notes of the title slide.
    pub notes: Vec<Note>,
    /// The slides after the title.
    pub slides: Vec<Slide>,
}

/// One slide after the title.
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// The title: an era's name, the years covered, or the critiques' subject.
    pub title: String,
    /// The years covered, or a subtitle.
    pub years: String,
    /// What the slide shows.
    pub body: Body,
    /// Speaker notes: what is on the slide, with its sources.
    pub notes: Vec<Note>,
}

/// What a slide shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A camera on the story.
    Step(Camera),
    /// What reviews said of one subject.
    Critiques(Vec<Judgement>),
}

/// A step: where the camera looks and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Camera {
    /// The step's own SVG file, relative to `index.html` (for printing or sharing).
    pub file: String,
    /// The viewBox: x, y, width, height.
    pub frame: [f32; 4],
    /// Whether to draw a year ruler along the bottom (not when the chart's own axis is
    /// in the frame).
    pub ruler: bool,
    /// Node groups whose labels slide right to stay in the frame, by how much.
    pub shift: Vec<(String, f32)>,
    /// Element ids of what is new in the step.
    pub new_ids: Vec<String>,
    /// Element ids of what earlier steps showed, drawn dimmed.
    pub dim_ids: Vec<String>,
    /// Names of what is new, for the list beside the picture.
    pub new: Vec<String>,
    /// The era's summary, on the era's first slide.
    pub summary: Option<String>,
}

/// One line of a critiques slide.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The year of the review.
    pub year: String,
    /// "critical", "supportive", "mixed", "neutral", or "not stated".
    pub stance: String,
    /// What the review found.
    pub finding: String,
    /// The review and who published it.
    pub review: String,
}

/// A speaker note: a heading (what it is about) and its text, with sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// What the note is about: a node's name, or a finding.
    pub about: String,
    /// The note.
    pub text: String,
    /// Where it comes from: "Miller et al. 2021, L111; NAO 2017, p. 6", or empty.
    pub sources: String,
}

/// The keys, as the title slide and the footer list them.
const KEYS: &str = "← → step · N notes · P presenter view · F full screen · Home, End";

/// The JSON the script reads: for each slide (title first), null or the camera.
fn cameras_json(deck: &Deck) -> String {
    let cams: Vec<serde_json::Value> = std::iter::once(serde_json::Value::Null)
        .chain(deck.slides.iter().map(|s| match &s.body {
            Body::Step(c) => serde_json::json!({
                "frame": c.frame.iter().map(|v| (v * 10.0).round() / 10.0).collect::<Vec<_>>(),
                "new": c.new_ids,
                "dim": c.dim_ids,
                "ruler": c.ruler,
                "shift": c.shift.iter().map(|(id, dx)| serde_json::json!([id, (dx * 10.0).round() / 10.0])).collect::<Vec<_>>(),
            }),
            Body::Critiques(_) => serde_json::Value::Null,
        }))
        .collect();
    serde_json::Value::Array(cams).to_string()
}

fn notes(notes: &[Note]) -> Markup {
    markup! {
        aside.notes {
            h2 { "Speaker notes" }
            @if notes.is_empty() { p { "No notes for this slide." } }
            @for n in notes {
                p {
                    strong { (n.about) } ": " (n.text)
                    @if !n.sources.is_empty() { " " span.src { "[" (n.sources) "]" } }
                }
            }
        }
    }
}

fn title_slide(deck: &Deck, total: usize) -> Markup {
    markup! {
        section.slide.title-slide id="slide-1" data-title=(deck.title) {
            div.cover {
                h1 { (deck.title) }
                @if let Some(a) = &deck.author { p.author { (a) } }
                @if let Some(s) = &deck.summary { p.lede { (s) } }
                p.span { (deck.years) " · " (deck.counts) " · " (total - 1) " slides" }
                @if !deck.eras.is_empty() {
                    ol.eras {
                        @for (name, years) in &deck.eras { li { span.era-name { (name) } " " span.era-years { (years) } } }
                    }
                }
                p.keys { (KEYS) }
            }
            (notes(&deck.notes))
        }
    }
}

fn step_slide(i: usize, s: &Slide, c: &Camera, title: &str) -> Markup {
    markup! {
        section.slide.step id={ "slide-" (i) } data-title={ (s.title) ", " (s.years) } hidden {
            header {
                h1 { (s.title) }
                p.years { (s.years) }
            }
            @if let Some(summary) = &c.summary {
                p.summary { (summary) }
            }
            div.stage {
                div.slot role="img" aria-label={ (title) ": " (s.title) ", " (s.years) } {
                    noscript { img src=(c.file) alt={ (title) ": " (s.title) }; }
                }
                @if !c.new.is_empty() {
                    aside.new-list {
                        h2 { "New in this step" }
                        ul.new { @for n in &c.new { li { (n) } } }
                    }
                }
            }
            (notes(&s.notes))
        }
    }
}

fn critiques_slide(i: usize, s: &Slide, rows: &[Judgement]) -> Markup {
    markup! {
        section.slide.critiques id={ "slide-" (i) } data-title={ (s.title) ", " (s.years) } hidden {
            header {
                h1 { (s.title) }
                p.years { (s.years) }
            }
            table {
                thead { tr { th { "Year" } th { "Stance" } th { "What the review found" } th { "Review" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td.year { (r.year) }
                            td { span class={ "stance " (r.stance.replace(' ', "-")) } { (r.stance) } }
                            td.finding { (r.finding) }
                            td.review { (r.review) }
                        }
                    }
                }
            }
            (notes(&s.notes))
        }
    }
}

/// The deck's page.
pub fn deck_html(deck: &Deck) -> String {
    let total = deck.slides.len() + 1;
    markup! {
        (DOCTYPE)
        html lang="en" {
            (page_head(&deck.title, include_str!("assets/deck.css")))
            body {
                div #presenter-bar hidden {
                    span #timer { "0:00" }
                    span #next { }
                }
                main #deck data-total=(total) {
                    (title_slide(deck, total))
                    @for (k, s) in deck.slides.iter().enumerate() {
                        @match &s.body {
                            Body::Step(c) => (step_slide(k + 2, s, c, &deck.title)),
                            Body::Critiques(rows) => (critiques_slide(k + 2, s, rows)),
                        }
                    }
                }
                div #picture hidden { (PreEscaped(&deck.picture)) }
                footer {
                    span #counter { "1 / " (total) }
                    span.help { (KEYS) }
                }
                (data_block("pg-cameras", &cameras_json(deck)))
                (script(include_str!("assets/deck.js")))
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck() -> Deck {
        Deck {
            title: "Story <i>".into(),
            author: Some("A & B".into()),
            summary: None,
            years: "1997 to 2015".into(),
            eras: vec![("New Labour".into(), "1997 to 2010".into())],
            counts: "3 nodes".into(),
            picture: "<svg id=\"pg-story\"></svg>".into(),
            notes: vec![],
            slides: vec![
                Slide {
                    title: "<script>alert(1)</script>".into(),
                    years: "1997 to 2010".into(),
                    body: Body::Step(Camera {
                        file: "step-01.svg".into(),
                        frame: [0.0, 0.0, 160.0, 90.0],
                        ruler: true,
                        shift: vec![],
                        new_ids: vec!["node-a".into()],
                        dim_ids: vec![],
                        new: vec!["A & B".into()],
                        summary: Some("<b>bold</b> claims".into()),
                    }),
                    notes: vec![Note {
                        about: "A".into(),
                        text: "began </script>".into(),
                        sources: "Miller et al. 2021, L1".into(),
                    }],
                },
                Slide {
                    title: "What the reviews said: A".into(),
                    years: "2 judgements".into(),
                    body: Body::Critiques(vec![Judgement {
                        year: "2017".into(),
                        stance: "not stated".into(),
                        finding: "<em>slow</em>".into(),
                        review: "NAO".into(),
                    }]),
                    notes: vec![],
                },
            ],
        }
    }

    #[test]
    fn a_title_then_one_section_per_slide_with_text_escaped() {
        let page = deck_html(&deck());
        assert_eq!(page.matches("<section").count(), 3);
        assert!(page.contains("class=\"slide title-slide\""));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("A &amp; B"));
        assert!(page.contains("&lt;b&gt;bold&lt;/b&gt; claims"));
        assert!(page.contains("&lt;em&gt;slow&lt;/em&gt;"));
        assert!(page.contains("began &lt;/script&gt;"));
        assert!(page.contains("class=\"stance not-stated\""));
        assert_eq!(
            page.matches("class=\"notes\"").count(),
            3,
            "every slide has notes"
        );
    }

    #[test]
    fn the_script_gets_one_camera_per_slide() {
        let json = cameras_json(&deck());
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let cams = v.as_array().unwrap();
        assert_eq!(cams.len(), 3);
        assert!(cams[0].is_null() && cams[2].is_null());
        assert_eq!(cams[1]["new"][0], "node-a");
        assert_eq!(cams[1]["frame"][2], 160.0);
    }
}
