//! Succession events (issue 21): every replacement in the graph, classified by its
//! shape, in the vocabulary of policy succession (Hogwood and Peters 1982). Pure.
//!
//! An event is a group of `replaced` edges that share a predecessor or a successor
//! (and, when both are dated, their date): Monitor and the NHS Trust Development
//! Authority into NHS Improvement is one event, Public Health England into the UK Health
//! Security Agency and the Office for Health Improvement and Disparities another. Its
//! type, from the shape first, then the dates:
//!
//! - **split**: one predecessor, several successors (checked first: a successor of a
//!   split may have started before the predecessor ended, as UKHSA did);
//! - **reorganisation**: several predecessors and several successors;
//! - **incorporation**: the successor existed before the event (it began before the
//!   predecessors ended, or before the edge's own date): absorbed into an existing body,
//!   one predecessor or several;
//! - **merger**: several predecessors into one new successor;
//! - **renaming**: one into one, the edge recorded as such in the data
//!   (`attrs.succession = "renaming"`, or GOV.UK's `govuk_closed_status = "changed_name"`);
//! - **linear**: one into one otherwise;
//! - **termination**: an initiative or body with an end date and no successor.
//!
//! An event's date is its edges' common date, else the latest end of its predecessors,
//! else the earliest start of its successors; undated when none is known.

use crate::graph::{EdgeIndex, NodeIndex, PolicyGraph};
use crate::model::{AttrValue, End, NodeKind, PartialDate, Relation};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The kind of a succession event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    /// One into one.
    Linear,
    /// Several into one new successor.
    Merger,
    /// One into several.
    Split,
    /// One into one, recorded as a change of name.
    Renaming,
    /// Absorbed into a successor that already existed.
    Incorporation,
    /// Several into several.
    Reorganisation,
    /// Ended with no successor.
    Termination,
}

impl Type {
    /// Every type, in the order the README defines them.
    pub const ALL: [Type; 7] = [
        Type::Linear,
        Type::Merger,
        Type::Split,
        Type::Renaming,
        Type::Incorporation,
        Type::Reorganisation,
        Type::Termination,
    ];

    /// The word for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Type::Linear => "linear",
            Type::Merger => "merger",
            Type::Split => "split",
            Type::Renaming => "renaming",
            Type::Incorporation => "incorporation",
            Type::Reorganisation => "reorganisation",
            Type::Termination => "termination",
        }
    }
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One succession event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its type.
    pub kind: Type,
    /// When it took effect, when known.
    pub date: Option<PartialDate>,
    /// What was replaced (for a termination, what ended), in time order.
    pub before: Vec<NodeIndex>,
    /// What replaced it (none for a termination), in time order.
    pub after: Vec<NodeIndex>,
    /// The `replaced` edges of the event, in load order (their sources are the event's).
    pub edges: Vec<EdgeIndex>,
}

/// Every succession event of the graph, in time order (undated last), then by the first
/// predecessor's id.
pub fn successions(g: &PolicyGraph) -> Vec<Event> {
    let replaced: Vec<EdgeIndex> = g
        .edges()
        .filter(|&e| g.edge(e).relation == Relation::Replaced)
        .collect();
    events(g, replaced, g.nodes())
}

/// The succession events that `nodes` take part in, and every other event joined to
/// them by `replaced` edges, in the order and with the parts [`successions`] gives them:
/// the events of the part of the graph that `replaced` edges connect to `nodes`, found
/// without classifying the whole graph's (a lineage at 10^6 nodes needs a handful).
pub fn successions_around(
    g: &PolicyGraph,
    nodes: impl IntoIterator<Item = NodeIndex>,
) -> Vec<Event> {
    // Every node reached from `nodes` along `replaced` edges either way: an event's
    // grouping reads every `replaced` edge at each of its ends, so taking whole
    // connected parts gives each event exactly as the whole graph would.
    let mut seen: BTreeSet<NodeIndex> = BTreeSet::new();
    let mut todo: Vec<NodeIndex> = nodes.into_iter().filter(|&n| seen.insert(n)).collect();
    let mut replaced: BTreeSet<EdgeIndex> = BTreeSet::new();
    while let Some(n) = todo.pop() {
        for dir in [petgraph::Direction::Outgoing, petgraph::Direction::Incoming] {
            for e in g.graph.edges_directed(n, dir) {
                if *e.weight() != Relation::Replaced {
                    continue;
                }
                replaced.insert(e.id());
                let other = if dir == petgraph::Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                if seen.insert(other) {
                    todo.push(other);
                }
            }
        }
    }
    events(g, replaced.into_iter().collect(), seen.into_iter())
}

/// The events of `replaced` (edges in load order, every `replaced` edge at each of their
/// ends among them), and the terminations among `candidates`.
fn events(
    g: &PolicyGraph,
    replaced: Vec<EdgeIndex>,
    candidates: impl Iterator<Item = NodeIndex>,
) -> Vec<Event> {
    // Group the edges: union of edges sharing a predecessor or a successor, unless both
    // carry dates that differ (two successions of one body years apart).
    let mut parent: Vec<usize> = (0..replaced.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_end: BTreeMap<(bool, NodeIndex), Vec<usize>> = BTreeMap::new();
    for (i, &e) in replaced.iter().enumerate() {
        let (successor, predecessor) = g.endpoints(e);
        by_end.entry((true, successor)).or_default().push(i);
        by_end.entry((false, predecessor)).or_default().push(i);
    }
    for members in by_end.values() {
        for pair in members.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (da, db) = (g.edge(replaced[a]).date, g.edge(replaced[b]).date);
            if let (Some(x), Some(y)) = (da, db)
                && x != y
            {
                continue;
            }
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra] = rb;
        }
    }
    let mut groups: BTreeMap<usize, Vec<EdgeIndex>> = BTreeMap::new();
    for (i, &e) in replaced.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(e);
    }
    let mut events: Vec<Event> = groups.into_values().map(|edges| event(g, edges)).collect();
    // Terminations: ended, and nothing replaced them.
    let succeeded: BTreeSet<NodeIndex> = replaced.iter().map(|&e| g.endpoints(e).1).collect();
    for n in candidates {
        let node = g.node(n);
        if matches!(node.kind, NodeKind::Initiative | NodeKind::Body)
            && let End::On(end) = node.end
            && !succeeded.contains(&n)
        {
            events.push(Event {
                kind: Type::Termination,
                date: Some(end),
                before: vec![n],
                after: Vec::new(),
                edges: Vec::new(),
            });
        }
    }
    events.sort_by_cached_key(|e| {
        (
            e.date.is_none(),
            e.date,
            e.before.first().map(|&n| g.node(n).id()),
        )
    });
    events
}

/// Nodes in time order (undated last), then by id.
fn in_time_order(g: &PolicyGraph, nodes: BTreeSet<NodeIndex>) -> Vec<NodeIndex> {
    let mut nodes: Vec<NodeIndex> = nodes.into_iter().collect();
    super::sort_by_time(g, &mut nodes);
    nodes
}

/// One group of `replaced` edges as an event: its parts, date and type.
fn event(g: &PolicyGraph, edges: Vec<EdgeIndex>) -> Event {
    let before = in_time_order(g, edges.iter().map(|&e| g.endpoints(e).1).collect());
    let after = in_time_order(g, edges.iter().map(|&e| g.endpoints(e).0).collect());
    let dates: BTreeSet<Option<PartialDate>> = edges.iter().map(|&e| g.edge(e).date).collect();
    let common = match dates.iter().collect::<Vec<_>>().as_slice() {
        [Some(d)] => Some(*d),
        _ => None,
    };
    let last_end = before.iter().filter_map(|&n| g.node(n).end.date()).max();
    let first_start = after.iter().filter_map(|&n| g.node(n).start).min();
    let date = common.or(last_end).or(first_start);
    // The successor existed before the event: it began before the event's date (the
    // edges' own, or the predecessors' last end).
    let existed = |n: NodeIndex| match (g.node(n).start, common.or(last_end)) {
        (Some(start), Some(at)) => start.latest() < at.earliest(),
        _ => false,
    };
    let kind = match (before.len(), after.len()) {
        (1, 1) if renaming(g, edges[0]) => Type::Renaming,
        (_, 1) if existed(after[0]) => Type::Incorporation,
        (1, 1) => Type::Linear,
        (_, 1) => Type::Merger,
        (1, _) => Type::Split,
        _ => Type::Reorganisation,
    };
    Event {
        kind,
        date,
        before,
        after,
        edges,
    }
}

/// Whether the data records the edge as a change of name.
fn renaming(g: &PolicyGraph, e: EdgeIndex) -> bool {
    let text = |key: &str| match g.edge(e).attrs().get(key) {
        Some(AttrValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    text("succession") == Some("renaming") || text("govuk_closed_status") == Some("changed_name")
}

/// How many events of each type, every type listed.
pub fn counts(events: &[Event]) -> Vec<(Type, usize)> {
    Type::ALL
        .iter()
        .map(|&t| (t, events.iter().filter(|e| e.kind == t).count()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;

    /// The type of the event that involves `id`, in the graph of `spec`.
    fn kinds(spec: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
        let g = graph(spec);
        successions(&g)
            .into_iter()
            .map(|e| {
                let ids = |v: &[NodeIndex]| v.iter().map(|&n| g.node(n).id().to_string()).collect();
                (e.kind.to_string(), ids(&e.before), ids(&e.after))
            })
            .collect()
    }

    #[test]
    fn one_into_one_is_linear() {
        let k = kinds("a body 2000 2009; b body 2010; b replaced a");
        assert_eq!(k, [("linear".into(), vec!["a".into()], vec!["b".into()])]);
    }

    #[test]
    fn several_into_one_new_body_is_a_merger() {
        let k = kinds(
            "monitor body 2004 2016-03-31; tda body 2012 2016-03-31; nhsi body 2016-04-01; \
             nhsi replaced monitor 2016-04-01; nhsi replaced tda 2016-04-01",
        );
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, "merger");
        assert_eq!(k[0].1, ["monitor", "tda"]);
    }

    #[test]
    fn one_into_several_is_a_split_even_when_a_successor_began_first() {
        let k = kinds(
            "phe body 2013-04-01 2021-09-30; ukhsa body 2021-04-01; ohid body 2021-10-01; \
             ukhsa replaced phe 2021-10-01; ohid replaced phe 2021-10-01",
        );
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, "split");
        assert_eq!(k[0].2, ["ukhsa", "ohid"]);
    }

    #[test]
    fn absorption_into_an_existing_body_is_an_incorporation() {
        let k =
            kinds("nhse body 2013; nhsi body 2016-04-01 2022-06-30; nhse replaced nhsi 2022-07-01");
        assert_eq!(k[0].0, "incorporation");
    }

    #[test]
    fn a_recorded_change_of_name_is_a_renaming() {
        let mut text =
            crate::query::fixture::graph_text("dh body 1988 2018-01-07; dhsc body 2018-01-08");
        text += "[[edge]]\nfrom = \"dhsc\"\nrelation = \"replaced\"\nto = \"dh\"\nattrs = { succession = \"renaming\" }\nsources = [{ doc = \"src\", at = \"p\" }]\n";
        let g = crate::open::finish(crate::load::toml_text("f.toml", &text), false).graph;
        let events = successions(&g);
        assert_eq!(events[0].kind, Type::Renaming);
    }

    #[test]
    fn several_into_several_is_a_reorganisation() {
        let k = kinds(
            "a body 2000 2009; b body 2000 2009; c body 2010; d body 2010; \
             c replaced a; d replaced a; c replaced b",
        );
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].0, "reorganisation");
    }

    #[test]
    fn an_end_with_no_successor_is_a_termination_and_ongoing_or_unknown_ends_are_not() {
        let k = kinds("a initiative 2000 2005; b initiative 2000 ongoing; c body 2001");
        assert_eq!(k, [("termination".into(), vec!["a".into()], vec![])]);
    }

    #[test]
    fn successions_of_one_body_years_apart_are_two_events() {
        let k = kinds(
            "a body 1990 1999; b body 2000 2009; c body 2010; b replaced a 2000; c replaced b 2010",
        );
        assert_eq!(k.len(), 2, "{k:?}");
        assert!(k.iter().all(|e| e.0 == "linear"));
    }
}
