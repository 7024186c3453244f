//! Mermaid flowcharts, for Markdown documents (GitHub, GitLab and most wikis draw them).
//!
//! Node ids are generated (`n0`, `n1`, ...) so no data text is ever an id, and every
//! label goes through [`label`], which writes characters Mermaid treats specially as
//! its `#code;` entities, so a name cannot close a shape or start a link.
//!
//! Mermaid refuses a diagram past its default limits (`maxEdges` 500, `maxTextSize`
//! 50,000 characters, counted as JavaScript counts them, in UTF-16 units), and GitHub
//! and most wikis render with the defaults. So a view past either is refused with
//! [`TooLarge`], rather than written and shown as an error where it is pasted.

use crate::graph::PolicyGraph;
use crate::model::{NodeKind, Relation};
use crate::view::View;
use std::collections::HashMap;
use std::fmt::Write;

/// Escapes text for a quoted Mermaid label.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '[' | ']' | '{' | '}' | '(' | ')' | '|' | '`' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn shape(kind: NodeKind, text: &str) -> String {
    match kind {
        NodeKind::Initiative => format!("(\"{text}\")"),
        NodeKind::Body => format!("([\"{text}\"])"),
        NodeKind::Legislation => format!("[/\"{text}\"\\]"),
        NodeKind::Document => format!("[\"{text}\"]"),
        NodeKind::Finding => format!("{{{{\"{text}\"}}}}"),
    }
}

fn arrow(relation: Relation) -> &'static str {
    match relation {
        Relation::Replaced => "==>",
        Relation::EvaluatedBy | Relation::Cites | Relation::ReportedIn => "-.->",
        Relation::EstablishedBy
        | Relation::PublishedBy
        | Relation::ReformedBy
        | Relation::LedTo => "-->",
    }
}

/// Mermaid's default `maxEdges`: a flowchart with more edges is refused.
pub const MAX_EDGES: usize = 500;

/// Mermaid's default `maxTextSize`, in UTF-16 units: longer text is refused.
pub const MAX_TEXT: usize = 50_000;

/// A view Mermaid would refuse to draw with its default limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the view has {count} {what}, past Mermaid's limit of {limit}")]
pub struct TooLarge {
    /// `edges` or `characters of Mermaid text`.
    pub what: &'static str,
    /// How many the view has.
    pub count: usize,
    /// Mermaid's default limit.
    pub limit: usize,
}

/// The Mermaid text of a view: `flowchart`, one line per node and edge, and a class per
/// kind with the same palette as the diagrams; or [`TooLarge`] past Mermaid's limits.
pub fn to_mermaid(g: &PolicyGraph, view: &View) -> Result<String, TooLarge> {
    if view.edges.len() > MAX_EDGES {
        return Err(TooLarge {
            what: "edges",
            count: view.edges.len(),
            limit: MAX_EDGES,
        });
    }
    let text = flowchart(g, view);
    let units = text.encode_utf16().count();
    if units > MAX_TEXT {
        return Err(TooLarge {
            what: "characters of Mermaid text",
            count: units,
            limit: MAX_TEXT,
        });
    }
    Ok(text)
}

fn flowchart(g: &PolicyGraph, view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "flowchart {}",
        if view.time_axis { "LR" } else { "TB" }
    );
    let _ = writeln!(out, "  %% {}", label(&view.title));
    let ids: HashMap<_, String> = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, format!("n{i}")))
        .collect();
    for &n in &view.nodes {
        let node = g.node(n);
        let mut text = label(node.name());
        if let Some(s) = node.start {
            let _ = write!(text, " #40;{}#41;", s.year_part());
        }
        let _ = writeln!(
            out,
            "  {}{}:::{}",
            ids[&n],
            shape(node.kind, &text),
            node.kind
        );
    }
    for &e in &view.edges {
        let (a, b) = g.endpoints(e);
        let relation = g.edge(e).relation;
        let _ = writeln!(
            out,
            "  {} {}|\"{}\"| {}",
            ids[&a],
            arrow(relation),
            relation,
            ids[&b]
        );
    }
    for kind in NodeKind::ALL {
        let st = super::style::node(*kind);
        let _ = writeln!(
            out,
            "  classDef {kind} fill:{},stroke:#333,color:#000",
            st.fill
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_past_mermaids_limits_is_refused() {
        let mut text = String::new();
        for i in 0..=MAX_EDGES {
            text += &format!(
                "[[node]]\nid = \"d{i}\"\nkind = \"document\"\nname = \"D\"\nsources = [{{ doc = \"d{i}\", at = \"p\" }}]\n"
            );
            if i > 0 {
                text += &format!(
                    "[[edge]]\nfrom = \"d{i}\"\nrelation = \"cites\"\nto = \"d0\"\nsources = [{{ doc = \"d{i}\", at = \"p\" }}]\n"
                );
            }
        }
        let opened = crate::open::finish(crate::load::toml_text("m.toml", &text), false);
        let g = &opened.graph;
        let whole = crate::view::view(g, &crate::view::ViewSpec::Whole, &Default::default());
        assert_eq!(whole.edges.len(), MAX_EDGES);
        assert!(to_mermaid(g, &whole).is_ok(), "500 edges are allowed");
        let mut more = whole.clone();
        more.edges.push(more.edges[0]);
        let err = to_mermaid(g, &more).unwrap_err();
        assert_eq!((err.what, err.count), ("edges", MAX_EDGES + 1));
        // Long names pass the text limit before the edge limit.
        let long = text.replace("name = \"D\"", &format!("name = \"{}\"", "é".repeat(200)));
        let opened = crate::open::finish(crate::load::toml_text("m.toml", &long), false);
        let g = &opened.graph;
        let whole = crate::view::view(g, &crate::view::ViewSpec::Whole, &Default::default());
        let err = to_mermaid(g, &whole).unwrap_err();
        assert_eq!(err.what, "characters of Mermaid text");
        assert!(err.count > MAX_TEXT);
    }

    #[test]
    fn labels_cannot_close_shapes() {
        assert_eq!(label(r#"a"]) --> x(["#), "a#quot;#93;#41; --#gt; x#40;#91;");
        assert_eq!(label("<script>&"), "#lt;script#gt;#amp;");
    }
}
