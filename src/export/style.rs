//! The visual vocabulary shared by every diagram format: a colour-blind-safe palette
//! (Okabe and Ito) and a shape per kind, so a greyscale print still tells kinds apart;
//! a line style per relation; colours per stance.

use crate::model::{NodeKind, Relation, Stance};

/// How a kind of node is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeStyle {
    /// Graphviz shape.
    pub shape: &'static str,
    /// Graphviz style list.
    pub style: &'static str,
    /// Fill colour (Okabe-Ito).
    pub fill: &'static str,
}

/// The style of each kind. Shapes differ as well as colours.
pub fn node(kind: NodeKind) -> NodeStyle {
    match kind {
        NodeKind::Initiative => NodeStyle {
            shape: "box",
            style: "rounded,filled",
            fill: "#E69F00",
        },
        NodeKind::Body => NodeStyle {
            shape: "ellipse",
            style: "filled",
            fill: "#56B4E9",
        },
        NodeKind::Legislation => NodeStyle {
            shape: "house",
            style: "filled",
            fill: "#F0E442",
        },
        NodeKind::Document => NodeStyle {
            shape: "note",
            style: "filled",
            fill: "#CC79A7",
        },
        NodeKind::Finding => NodeStyle {
            shape: "box",
            style: "filled,diagonals",
            fill: "#009E73",
        },
    }
}

/// How a relation is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeStyle {
    /// Graphviz style.
    pub style: &'static str,
    /// Line colour.
    pub color: &'static str,
    /// Line width.
    pub penwidth: &'static str,
    /// Arrowhead.
    pub arrowhead: &'static str,
}

/// The style of each relation: distinct by line pattern, width and arrowhead, not only
/// by colour.
pub fn edge(relation: Relation) -> EdgeStyle {
    match relation {
        Relation::EstablishedBy => EdgeStyle {
            style: "solid",
            color: "#0072B2",
            penwidth: "1.5",
            arrowhead: "normal",
        },
        Relation::Replaced => EdgeStyle {
            style: "bold",
            color: "#000000",
            penwidth: "2.5",
            arrowhead: "normal",
        },
        Relation::EvaluatedBy => EdgeStyle {
            style: "dashed",
            color: "#555555",
            penwidth: "1.5",
            arrowhead: "vee",
        },
        Relation::Cites => EdgeStyle {
            style: "dotted",
            color: "#555555",
            penwidth: "1.2",
            arrowhead: "open",
        },
        Relation::PublishedBy => EdgeStyle {
            style: "solid",
            color: "#999999",
            penwidth: "1",
            arrowhead: "odot",
        },
        Relation::ReportedIn => EdgeStyle {
            style: "dotted",
            color: "#999999",
            penwidth: "1",
            arrowhead: "empty",
        },
        Relation::ReformedBy => EdgeStyle {
            style: "dashed",
            color: "#0072B2",
            penwidth: "1.5",
            arrowhead: "empty",
        },
        Relation::LedTo => EdgeStyle {
            style: "dotted",
            color: "#0072B2",
            penwidth: "2",
            arrowhead: "normal",
        },
    }
}

/// The colour of a stance (Okabe-Ito): critical vermillion, supportive blue, mixed
/// orange, neutral grey.
pub fn stance(stance: Option<Stance>) -> &'static str {
    match stance {
        Some(Stance::Critical) => "#D55E00",
        Some(Stance::Supportive) => "#0072B2",
        Some(Stance::Mixed) => "#E69F00",
        Some(Stance::Neutral) | None => "#777777",
    }
}
