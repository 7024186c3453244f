//! Views: the subgraph a diagram or export draws. Every exporter draws a [`View`], so
//! `export`, `render` and `build` show the same thing for the same options.
//!
//! A view is chosen by [`ViewSpec`]: the whole graph; lineage (optionally around one
//! node); critiques (optionally of one subject); citations; an ego network; an era or
//! one year. Filters by kind, relation and years then narrow it. Pure: no I/O.

use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::{NodeKind, Relation};
use crate::query::critiques::{Query, critiques};
use crate::query::lineage::{Way, lineage};
use crate::query::neighbours::neighbours;
use crate::query::timeline::active_in;
use crate::query::{Filter, year};
use petgraph::visit::EdgeRef;
use std::collections::BTreeSet;

/// Which subgraph to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewSpec {
    /// Every node and edge.
    Whole,
    /// Every `replaced` chain and the Acts that established its members; around one
    /// node (its whole lineage and everything that established it) when given.
    Lineage(Option<NodeIndex>),
    /// Judgements: subject, finding, document, publisher; of one subject when given.
    Critiques(Option<NodeIndex>),
    /// Documents and what cites what.
    Citations,
    /// Every node within `depth` hops of a focus.
    Ego(NodeIndex, usize),
    /// Initiatives, bodies and laws active at some time from the first year to the last.
    Years(u16, u16),
    /// The story a seminar tells: every initiative and lineage chain with the Acts that
    /// established them; around one node (its lineage and its direct links to other
    /// initiatives, bodies and laws) when given.
    Story(Option<NodeIndex>),
}

/// A drawable subgraph.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// A title for the diagram.
    pub title: String,
    /// The nodes, sorted by id.
    pub nodes: Vec<NodeIndex>,
    /// The edges, sorted by (from id, relation, to id, index).
    pub edges: Vec<EdgeIndex>,
    /// Lay nodes out on a time axis (one rank per start year or era).
    pub time_axis: bool,
    /// Lay ranks out left to right (long chains and tables of judgements read better
    /// across a landscape page) rather than top to bottom.
    pub left_to_right: bool,
    /// Colour `evaluated-by` edges and findings by stance.
    pub stances: bool,
}

/// Narrowing applied after the view is chosen. Empty lists allow everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrow {
    /// Kinds and relations kept.
    pub filter: Filter,
    /// Keep nodes active in some year from here...
    pub from: Option<u16>,
    /// ...to here.
    pub to: Option<u16>,
}

const LINEAGE_KINDS: [NodeKind; 3] = [NodeKind::Initiative, NodeKind::Body, NodeKind::Legislation];

/// `nodes` in the order of their ids. Ids are unique in a graph, so an unstable sort
/// gives the one order. Each node is sorted as its id's first 12 bytes (as numbers, in
/// the order of the bytes) and its index, 16 bytes, and its record is read only when
/// two ids share those 12 bytes: a million nodes' `(&str, index)` pairs were 24 MB, the
/// peak of a 10^6-node DOT export (438 -> 411 MB by massif with the edge order below).
fn in_id_order(g: &PolicyGraph, nodes: Vec<NodeIndex>) -> Vec<NodeIndex> {
    fn head(id: &str) -> (u64, u32) {
        let mut b = [0u8; 12];
        let n = id.len().min(12);
        b[..n].copy_from_slice(&id.as_bytes()[..n]);
        let [a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3] = b;
        (
            u64::from_be_bytes([a0, a1, a2, a3, a4, a5, a6, a7]),
            u32::from_be_bytes([b0, b1, b2, b3]),
        )
    }
    let mut keyed: Vec<(u64, u32, NodeIndex)> = nodes
        .into_iter()
        .map(|n| {
            let (a, b) = head(g.node(n).id());
            (a, b, n)
        })
        .collect();
    // Zero-padded heads order as the ids do; a tie is settled by the whole ids.
    keyed.sort_unstable_by(|x, y| {
        (x.0, x.1)
            .cmp(&(y.0, y.1))
            .then_with(|| g.node(x.2).id().cmp(g.node(y.2).id()))
    });
    keyed.into_iter().map(|(_, _, n)| n).collect()
}

/// Builds the view `spec` asks for, narrowed by `narrow`.
pub fn view(g: &PolicyGraph, spec: &ViewSpec, narrow: &Narrow) -> View {
    let named = |n: NodeIndex| g.node(n).name().to_string();
    // Each arm gives: title, nodes, edges, (time axis, left to right, stance colours).
    type Parts = (String, Vec<NodeIndex>, Vec<EdgeIndex>, (bool, bool, bool));
    let (title, nodes, edges, (time_axis, left_to_right, stances)): Parts = match spec {
        ViewSpec::Whole => (
            "The whole graph".into(),
            g.nodes().collect(),
            g.edges().collect(),
            (false, false, true),
        ),
        ViewSpec::Lineage(None) => {
            // Every succession, and the Acts that established a member of one. Other
            // `established-by` edges are left to focused lineage views: drawn all at
            // once they hide the chains, and the page must stay readable on A4.
            let in_chain: BTreeSet<NodeIndex> = g
                .edges()
                .filter(|&e| g.edge(e).relation == Relation::Replaced)
                .flat_map(|e| {
                    let (a, b) = g.endpoints(e);
                    [a, b]
                })
                .collect();
            let edges: Vec<EdgeIndex> = g
                .edges()
                .filter(|&e| {
                    let (a, b) = g.endpoints(e);
                    match g.edge(e).relation {
                        Relation::Replaced => true,
                        Relation::EstablishedBy | Relation::ReformedBy => {
                            in_chain.contains(&a) && g.node(b).kind == NodeKind::Legislation
                        }
                        _ => false,
                    }
                })
                .collect();
            let nodes = edges.iter().flat_map(|&e| {
                let (a, b) = g.endpoints(e);
                [a, b]
            });
            (
                "Lineage: what replaced and established what".into(),
                nodes.collect(),
                edges,
                (true, true, false),
            )
        }
        ViewSpec::Lineage(Some(focus)) => {
            let l = lineage(g, *focus, Way::Both);
            let mut edges = l.replaced_edges.clone();
            edges.extend(l.established_by.iter().flat_map(|(_, e)| e.iter().copied()));
            let nodes: Vec<NodeIndex> = l
                .members()
                .chain(edges.iter().map(|&e| g.endpoints(e).1))
                .collect();
            (
                format!("Lineage of {}", named(*focus)),
                nodes,
                edges,
                (true, true, false),
            )
        }
        ViewSpec::Critiques(subject) => {
            let rows = critiques(
                g,
                &Query {
                    subject: *subject,
                    ..Query::default()
                },
            );
            let mut nodes = Vec::new();
            let mut edges = Vec::new();
            for r in &rows {
                nodes.push(r.subject);
                nodes.extend(r.finding);
                nodes.extend(r.document);
                edges.push(r.edge);
                if let (Some(_), Some(&c)) = (r.finding, r.cites.first()) {
                    edges.push(c);
                }
                if let Some(d) = r.document {
                    for e in g.edges_of(d, petgraph::Direction::Outgoing) {
                        if g.edge(e).relation == Relation::PublishedBy {
                            edges.push(e);
                            nodes.push(g.endpoints(e).1);
                        }
                    }
                }
            }
            let title = match subject {
                Some(s) => format!("Critiques of {}", named(*s)),
                None => "Critiques: which review judged what".into(),
            };
            (title, nodes, edges, (false, true, true))
        }
        ViewSpec::Citations => {
            let edges: Vec<EdgeIndex> = g
                .edges()
                .filter(|&e| {
                    let (a, _) = g.endpoints(e);
                    g.edge(e).relation == Relation::Cites && g.node(a).kind == NodeKind::Document
                })
                .collect();
            let nodes = edges.iter().flat_map(|&e| {
                let (a, b) = g.endpoints(e);
                [a, b]
            });
            (
                "Citations: which document cites which".into(),
                nodes.collect(),
                edges,
                (false, true, false),
            )
        }
        ViewSpec::Ego(focus, depth) => {
            let ego = neighbours(g, *focus, *depth, &narrow.filter);
            (
                format!(
                    "{} and everything within {depth} hop{}",
                    named(*focus),
                    if *depth == 1 { "" } else { "s" }
                ),
                ego.nodes.iter().map(|&(n, _)| n).collect(),
                ego.edges,
                (false, false, true),
            )
        }
        ViewSpec::Story(None) => {
            let base = view(g, &ViewSpec::Lineage(None), &Narrow::default());
            let mut nodes = base.nodes;
            nodes.extend(
                g.nodes()
                    .filter(|&n| g.node(n).kind == NodeKind::Initiative),
            );
            let mut edges = base.edges;
            edges.extend(g.edges().filter(|&e| {
                let (a, b) = g.endpoints(e);
                matches!(
                    g.edge(e).relation,
                    Relation::EstablishedBy | Relation::ReformedBy
                ) && g.node(a).kind == NodeKind::Initiative
                    && g.node(b).kind == NodeKind::Legislation
            }));
            nodes.extend(edges.iter().map(|&e| g.endpoints(e).1));
            (
                "Initiatives, their laws and what replaced what".into(),
                nodes,
                edges,
                (true, true, false),
            )
        }
        ViewSpec::Story(Some(focus)) => {
            let base = view(g, &ViewSpec::Lineage(Some(*focus)), &Narrow::default());
            let near = neighbours(g, *focus, 1, &Filter::default());
            let mut nodes = base.nodes;
            nodes.extend(
                near.nodes
                    .iter()
                    .map(|&(n, _)| n)
                    .filter(|&n| LINEAGE_KINDS.contains(&g.node(n).kind)),
            );
            let mut edges = base.edges;
            edges.extend(near.edges);
            (
                format!("The story of {}", named(*focus)),
                nodes,
                edges,
                (true, true, false),
            )
        }
        ViewSpec::Years(first, last) => {
            let nodes: Vec<NodeIndex> = g
                .nodes()
                .filter(|&n| {
                    LINEAGE_KINDS.contains(&g.node(n).kind)
                        && (*first..=*last).any(|y| active_in(g, n, y))
                })
                .collect();
            let set: BTreeSet<NodeIndex> = nodes.iter().copied().collect();
            let edges = g
                .edges()
                .filter(|&e| {
                    let (a, b) = g.endpoints(e);
                    set.contains(&a) && set.contains(&b)
                })
                .collect();
            let title = if first == last {
                format!("Active in {first}")
            } else {
                format!("Active {first} to {last}")
            };
            (title, nodes, edges, (true, true, false))
        }
    };
    finish(
        g,
        title,
        nodes,
        edges,
        (time_axis, left_to_right, stances),
        narrow,
    )
}

fn finish(
    g: &PolicyGraph,
    title: String,
    nodes: Vec<NodeIndex>,
    edges: Vec<EdgeIndex>,
    (time_axis, left_to_right, stances): (bool, bool, bool),
    narrow: &Narrow,
) -> View {
    let keep_node = |n: NodeIndex| {
        let node = g.node(n);
        narrow.filter.kind(node.kind)
            && (narrow.from.is_none() && narrow.to.is_none() || {
                let (from, to) = (narrow.from.unwrap_or(0), narrow.to.unwrap_or(u16::MAX));
                // Active at some time in the window; undated nodes are kept.
                node.start.is_none()
                    || year(g, n).is_some_and(|s| {
                        s <= to
                            && match node.end {
                                crate::model::End::On(e) => e.year_part() >= from,
                                crate::model::End::Ongoing => true,
                                // Known to be running only in its start year.
                                crate::model::End::Unknown => s >= from,
                            }
                    })
            })
    };
    // Membership by position, not a tree: a million edges test both ends.
    let mut kept = vec![false; g.node_count()];
    let nodes: Vec<NodeIndex> = nodes
        .into_iter()
        .filter(|&n| {
            let new = !kept[n.index()] && keep_node(n);
            kept[n.index()] |= new;
            new
        })
        .collect();
    // The edges kept, as membership by position (which also drops an edge listed
    // twice), so the list itself is gone before the nodes are sorted.
    let mut in_view = vec![false; g.edge_count()];
    let mut count = 0;
    for e in edges {
        let (a, b) = g.endpoints(e);
        if narrow.filter.relation(g.edge(e).relation) && kept[a.index()] && kept[b.index()] {
            count += usize::from(!std::mem::replace(&mut in_view[e.index()], true));
        }
    }
    let nodes = in_id_order(g, nodes);
    // Edges in (from id, relation, to id, index) order: each node's own outgoing edges
    // of the view, taken in the id order of the nodes and sorted among themselves by
    // relation, the other end's place in the id order, and index. A million edges are
    // then never sorted as a whole: at 10^6 nodes, packed 16-byte keys for all 2.45
    // million edges were the 39 MB peak of `export --format dot`.
    let mut rank = vec![0u32; g.node_count()];
    for (i, &n) in nodes.iter().enumerate() {
        rank[n.index()] = u32::try_from(i).unwrap_or(u32::MAX);
    }
    let mut edges: Vec<EdgeIndex> = Vec::with_capacity(count);
    let mut own: Vec<(Relation, u32, EdgeIndex)> = Vec::new();
    for &n in &nodes {
        own.clear();
        own.extend(
            g.graph
                .edges_directed(n, petgraph::Direction::Outgoing)
                .filter(|e| in_view[e.id().index()])
                .map(|e| (*e.weight(), rank[e.target().index()], e.id())),
        );
        own.sort_unstable();
        edges.extend(own.iter().map(|&(_, _, e)| e));
    }
    View {
        title,
        nodes,
        edges,
        time_axis,
        left_to_right,
        stances,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;

    const SPEC: &str = "pct body 2000 2013; ccg body 2013 2022; act legislation 2012; fund initiative 2013; \
        r document 2017; f finding 2017; nao body; ccg replaced pct; ccg established-by act; fund established-by act; \
        fund evaluated-by f; f cites r; r published-by nao; r2 document 2018; r2 cites r";

    fn ids(g: &PolicyGraph, v: &View) -> Vec<String> {
        v.nodes
            .iter()
            .map(|&n| g.node(n).id().to_string())
            .collect()
    }

    #[test]
    fn lineage_view_keeps_replaced_and_established_by_acts() {
        let g = graph(&format!(
            "{SPEC}; dept body; pilot initiative 2014; pilot established-by dept"
        ));
        let v = view(&g, &ViewSpec::Lineage(None), &Narrow::default());
        assert_eq!(
            ids(&g, &v),
            ["act", "ccg", "pct"],
            "chains and the Acts behind their members"
        );
        assert_eq!(v.edges.len(), 2);
        assert!(v.time_axis);
    }

    #[test]
    fn critiques_view_chains_subject_finding_document_publisher() {
        let g = graph(SPEC);
        let v = view(&g, &ViewSpec::Critiques(None), &Narrow::default());
        assert_eq!(ids(&g, &v), ["f", "fund", "nao", "r"]);
        assert_eq!(v.edges.len(), 3);
    }

    #[test]
    fn citations_view_and_narrowing() {
        let g = graph(SPEC);
        let v = view(&g, &ViewSpec::Citations, &Narrow::default());
        assert_eq!(ids(&g, &v), ["r", "r2"]);
        let narrow = Narrow {
            from: Some(2018),
            to: Some(2020),
            ..Narrow::default()
        };
        let w = view(&g, &ViewSpec::Whole, &narrow);
        assert!(
            !ids(&g, &w).contains(&"pct".to_string()),
            "pct ended in 2013"
        );
        assert!(
            ids(&g, &w).contains(&"nao".to_string()),
            "undated nodes are kept"
        );
    }
}
