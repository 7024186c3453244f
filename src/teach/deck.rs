//! The seminar deck's `index.html`: one section per step, shown one at a time,
//! full-screen, stepped with the arrow keys; the era's name and years as the title.

use super::html::{page_head, script};
use maud::{DOCTYPE, html as markup};

/// One slide of the deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// The SVG file, relative to `index.html`.
    pub file: String,
    /// The title: an era's name, or the years covered.
    pub title: String,
    /// The years covered.
    pub years: String,
    /// Names of what is new in the step.
    pub new: Vec<String>,
    /// The era's summary, on the era's first slide.
    pub summary: Option<String>,
}

/// The deck's page.
pub fn deck_html(title: &str, slides: &[Slide]) -> String {
    let total = slides.len();
    markup! {
        (DOCTYPE)
        html lang="en" {
            (page_head(title, include_str!("assets/deck.css")))
            body {
                main #deck data-total=(total) {
                    @for (i, s) in slides.iter().enumerate() {
                        section.slide id={ "step-" (i + 1) } data-title={ (s.title) ", " (s.years) } hidden[i > 0] {
                            header {
                                h1 { (s.title) }
                                p.years { (s.years) }
                            }
                            @if let Some(summary) = &s.summary {
                                p.summary { (summary) }
                            }
                            div.stage {
                                img src=(s.file) alt={ (title) ": " (s.title) ", " (s.years) };
                                @if !s.new.is_empty() {
                                    aside {
                                        h2 { "New in this step" }
                                        ul.new { @for n in &s.new { li { (n) } } }
                                    }
                                }
                            }
                        }
                    }
                }
                footer {
                    span #counter { "1 / " (total) }
                    span.help { "← → or click to step · F for full screen · Home, End" }
                }
                (script(include_str!("assets/deck.js")))
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_section_per_slide_and_text_escaped() {
        let slides = vec![
            Slide {
                file: "step-01.svg".into(),
                title: "<script>alert(1)</script>".into(),
                years: "1997 to 2010".into(),
                new: vec!["A & B".into()],
                summary: Some("<b>bold</b> claims".into()),
            },
            Slide {
                file: "step-02.svg".into(),
                title: "Coalition".into(),
                years: "2010 to 2015".into(),
                new: vec![],
                summary: None,
            },
        ];
        let page = deck_html("Story", &slides);
        assert_eq!(page.matches("<section").count(), 2);
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("A &amp; B"));
        assert!(
            page.contains("&lt;b&gt;bold&lt;/b&gt; claims"),
            "summaries are escaped"
        );
    }
}
