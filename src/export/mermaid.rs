//! Mermaid flowcharts, for Markdown documents (GitHub, GitLab and most wikis draw them).
//!
//! Node ids are generated (`n0`, `n1`, ...) so no data text is ever an id, and every
//! label goes through [`label`], which writes characters Mermaid treats specially as
//! its `#code;` entities, so a name cannot close a shape or start a link.

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

/// The Mermaid text of a view: `flowchart`, one line per node and edge, and a class per
/// kind with the same palette as the diagrams.
pub fn to_mermaid(g: &PolicyGraph, view: &View) -> String {
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
        let mut text = label(&node.name);
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
    fn labels_cannot_close_shapes() {
        assert_eq!(label(r#"a"]) --> x(["#), "a#quot;#93;#41; --#gt; x#40;#91;");
        assert_eq!(label("<script>&"), "#lt;script#gt;#amp;");
    }
}
