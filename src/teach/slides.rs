//! Slides: one SVG per seminar step, cut from a single layout of the whole story.
//!
//! The story is laid out once; each step's SVG is that picture with the groups of nodes
//! and edges not yet shown removed, and those new in the step marked with a class that
//! an embedded style draws with a thick vermilion outline. So every node keeps its place
//! from the step it appears in to the end of the deck, and a student who opens a step's
//! file sees nothing that comes later (comments, which name nodes, are dropped too).

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer, XmlVersion};
use std::collections::HashSet;

/// What one step shows: SVG element ids (`node-<id>`, `edge-<index>`).
#[derive(Debug, Default)]
pub struct Reveal {
    /// Groups to remove: nodes and edges not yet shown.
    pub hidden: HashSet<String>,
    /// Groups to mark as new in this step.
    pub new: HashSet<String>,
    /// Groups shown in earlier steps, drawn dimmed.
    pub dim: HashSet<String>,
    /// The region to frame (x, y, width, height), drawn at 1600×900: the slide's camera.
    pub frame: Option<(f32, f32, f32, f32)>,
    /// SVG drawn over the picture, last (the slide's year ruler): made by us from numbers
    /// only, never from data text.
    pub overlay: String,
    /// For the deck page: an SVG to sit inside HTML (no XML declaration, id `pg-story`,
    /// sized by its container), whose classes a script changes from step to step.
    pub inline: bool,
    /// For a printed page: the picture placed at (x, y, width, height) inside a larger
    /// SVG (no XML declaration); wins over `inline`.
    pub at: Option<(f32, f32, f32, f32)>,
    /// Node groups whose labels slide right by so much, to stay in the camera's frame
    /// above their own bar (see [`super::camera::label_shifts`]).
    pub shift: std::collections::HashMap<String, f32>,
}

/// The style every step carries: new nodes get a thick vermilion outline and bold labels,
/// new edges a wider line; what earlier steps showed is dimmed.
const STYLE: &str = "\n.pg-new > rect, .pg-new > path { stroke: #D55E00; stroke-width: 3px; }\n.pg-new > text { font-weight: bold; }\n\
.pg-new-edge path { stroke-width: 3.5px; }\n.pg-dim { opacity: 0.38; }\n#pg-chart-title { display: none; }\n";

/// What the deck page adds for the inline picture: hidden groups, and a fade as groups
/// change state.
const INLINE_STYLE: &str = ".pg-hidden { display: none; }\n#pg-story g.node, #pg-story g.edge { transition: opacity 0.4s; }\n";

/// Why a picture could not be cut into steps.
#[derive(Debug, thiserror::Error)]
#[error("the layout engine's SVG could not be read: {0}")]
pub struct SlideError(#[from] quick_xml::Error);

fn id_of(e: &BytesStart) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == "id")
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// `start` with `extra` appended to its `class` attribute.
fn with_class(start: &BytesStart, extra: &str) -> BytesStart<'static> {
    let mut out = BytesStart::new(start.name().as_ref().to_string());
    for a in start.attributes().flatten() {
        if a.key.as_ref() == "class" {
            let class = format!("{} {extra}", a.value);
            out.push_attribute(("class", class.as_str()));
        } else {
            out.push_attribute(a);
        }
    }
    out
}

/// `svg` drawn at 1600×900 (or, inline, filling its container) with its viewBox on
/// `frame`: the slide's camera.
fn framed(
    svg: &BytesStart,
    (x, y, w, h): (f32, f32, f32, f32),
    inline: bool,
    at: Option<(f32, f32, f32, f32)>,
) -> BytesStart<'static> {
    let mut out = BytesStart::new("svg");
    for a in svg.attributes().flatten() {
        if !matches!(a.key.as_ref(), "width" | "height" | "viewBox" | "id") {
            out.push_attribute(a);
        }
    }
    if let Some((px, py, pw, ph)) = at {
        out.push_attribute(("x", format!("{px:.1}").as_str()));
        out.push_attribute(("y", format!("{py:.1}").as_str()));
        out.push_attribute(("width", format!("{pw:.1}").as_str()));
        out.push_attribute(("height", format!("{ph:.1}").as_str()));
    } else if inline {
        out.push_attribute(("id", "pg-story"));
        out.push_attribute(("width", "100%"));
        out.push_attribute(("height", "100%"));
    } else {
        out.push_attribute(("width", "1600"));
        out.push_attribute(("height", "900"));
    }
    out.push_attribute(("viewBox", format!("{x:.1} {y:.1} {w:.1} {h:.1}").as_str()));
    out.push_attribute(("preserveAspectRatio", "xMidYMid meet"));
    out
}

/// The SVG of one step: `svg` without the groups in `reveal.hidden`, with those in
/// `reveal.new` marked, and the step style added.
pub fn step_svg(svg: &str, reveal: &Reveal) -> Result<String, SlideError> {
    let mut reader = Reader::from_str(svg);
    reader.config_mut().trim_text(false);
    let mut writer = Writer::new(Vec::with_capacity(svg.len()));
    let io = |e: std::io::Error| SlideError(quick_xml::Error::Io(e.into()));
    // The shift of the node group being copied, if its labels move.
    let mut shifting: Option<f32> = None;
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Start(e)
                if e.name().as_ref() == "text"
                    && shifting.is_some()
                    && e.attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == "class" && a.value.as_ref() == "pg-label") =>
            {
                let mut moved = e.to_owned();
                let dx = shifting.unwrap_or(0.0);
                moved.push_attribute(("transform", format!("translate({dx:.1},0)").as_str()));
                writer.write_event(Event::Start(moved)).map_err(io)?;
            }
            Event::End(e) if e.name().as_ref() == "g" => {
                shifting = None;
                writer.write_event(Event::End(e)).map_err(io)?;
            }
            Event::Comment(_) => {}
            Event::Decl(_) | Event::DocType(_) if reveal.inline || reveal.at.is_some() => {}
            Event::Start(e) if e.name().as_ref() == "g" => match id_of(&e) {
                Some(id) if reveal.hidden.contains(&id) => {
                    reader.read_to_end(e.name())?;
                    // Drop the line break that followed the group too.
                }
                Some(id) if reveal.new.contains(&id) => {
                    let class = if id.starts_with("edge-") {
                        "pg-new-edge"
                    } else {
                        "pg-new"
                    };
                    writer
                        .write_event(Event::Start(with_class(&e, class)))
                        .map_err(io)?;
                }
                Some(id) if reveal.dim.contains(&id) => {
                    shifting = reveal.shift.get(&id).copied();
                    writer
                        .write_event(Event::Start(with_class(&e, "pg-dim")))
                        .map_err(io)?;
                }
                _ => writer.write_event(Event::Start(e)).map_err(io)?,
            },
            Event::Start(e) if e.name().as_ref() == "svg" => {
                let e = match reveal.frame {
                    Some(frame) => framed(&e, frame, reveal.inline, reveal.at),
                    None => e,
                };
                writer.write_event(Event::Start(e)).map_err(io)?;
                writer
                    .write_event(Event::Start(BytesStart::new("style")))
                    .map_err(io)?;
                let style = if reveal.inline {
                    format!("{STYLE}{INLINE_STYLE}")
                } else {
                    STYLE.to_string()
                };
                writer
                    .write_event(Event::Text(BytesText::new(&style)))
                    .map_err(io)?;
                writer
                    .write_event(Event::End(quick_xml::events::BytesEnd::new("style")))
                    .map_err(io)?;
            }
            Event::End(e) if e.name().as_ref() == "svg" => {
                writer
                    .get_mut()
                    .extend_from_slice(reveal.overlay.as_bytes());
                writer.write_event(Event::End(e)).map_err(io)?;
            }
            other => writer.write_event(other).map_err(io)?,
        }
    }
    let bytes = writer.into_inner();
    // Both the input and everything added are UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The (x, y) of every node group's first text in an SVG, by node id: where a reader
/// sees the node. Used to check that steps keep nodes in place.
pub fn node_positions(svg: &str) -> Result<Vec<(String, String)>, SlideError> {
    let mut reader = Reader::from_str(svg);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == "g" => {
                if let Some(id) = id_of(&e).filter(|id| id.starts_with("node-")) {
                    current = Some(id);
                }
            }
            Event::Start(e) if e.name().as_ref() == "text" => {
                if let Some(id) = current.take() {
                    let get = |k: &str| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.as_ref() == k)
                            .map(|a| a.value.into_owned())
                            .unwrap_or_default()
                    };
                    out.push((id, format!("{},{}", get("x"), get("y"))));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r#"<?xml version="1.0"?>
<svg width="10pt"><g id="graph0" class="graph">
<!-- a -->
<g id="node&#45;a" class="node"><title>a</title><text x="1" y="2">A &lt;b&gt;</text></g>
<!-- b -->
<g id="node&#45;b" class="node"><title>b</title><text x="3" y="4">B</text></g>
<g id="edge&#45;0" class="edge"><title>a&#45;&gt;b</title><path d="M0,0"/></g>
</g></svg>"#;

    #[test]
    fn hidden_groups_go_and_new_ones_are_marked() {
        let reveal = Reveal {
            hidden: HashSet::from(["node-b".to_string(), "edge-0".to_string()]),
            new: HashSet::from(["node-a".to_string()]),
            frame: Some((10.0, 20.0, 160.0, 90.0)),
            overlay: "<g class=\"pg-ruler\"/>".into(),
            ..Reveal::default()
        };
        let out = step_svg(SVG, &reveal).unwrap();
        assert!(out.contains(r#"viewBox="10.0 20.0 160.0 90.0""#), "{out}");
        assert!(out.contains(r#"width="1600""#) && !out.contains(r#"width="10pt""#));
        assert!(out.contains("<g class=\"pg-ruler\"/></svg>"));
        assert!(!out.contains("node&#45;b") && !out.contains("edge&#45;0"));
        assert!(!out.contains("<!--"), "comments name nodes: dropped");
        assert!(out.contains(r#"class="node pg-new""#));
        assert!(out.contains("A &lt;b&gt;"), "text stays escaped");
        assert!(out.contains("<style>"));
        assert_eq!(
            node_positions(&out).unwrap(),
            [("node-a".to_string(), "1,2".to_string())]
        );
    }

    #[test]
    fn inline_pictures_fill_their_container_without_a_declaration() {
        let reveal = Reveal {
            frame: Some((0.0, 0.0, 160.0, 90.0)),
            inline: true,
            ..Reveal::default()
        };
        let out = step_svg(SVG, &reveal).unwrap();
        assert!(!out.contains("<?xml"), "{out}");
        assert!(out.contains(r#"id="pg-story""#) && out.contains(r#"width="100%""#));
        assert!(out.contains(".pg-hidden"));
        assert_eq!(node_positions(&out).unwrap().len(), 2);
    }

    #[test]
    fn nothing_hidden_keeps_every_node() {
        let out = step_svg(SVG, &Reveal::default()).unwrap();
        assert_eq!(node_positions(&out).unwrap().len(), 2);
    }
}
