//! Time: a chronological list of starts and ends, what was active in a year, and what
//! changed between two years.
//!
//! A node is active in year Y when its start year is at most Y and it has no end or its
//! end year is at least Y. A node without a start date is never active (its time is
//! unknown) and does not appear on the timeline.

use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::{NodeKind, PartialDate, Relation};

/// Whether a row is a beginning or an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    /// The node's start.
    Start,
    /// The node's end.
    End,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// When.
    pub date: PartialDate,
    /// What happened.
    pub event: Event,
    /// To what.
    pub node: NodeIndex,
}

/// Which rows and nodes to include.
#[derive(Debug, Clone, Default)]
pub struct Window {
    /// First year (inclusive).
    pub from: Option<u16>,
    /// Last year (inclusive).
    pub to: Option<u16>,
    /// Only these kinds (empty: all).
    pub kinds: Vec<NodeKind>,
}

impl Window {
    fn contains(&self, year: u16) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }

    fn kind(&self, k: NodeKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&k)
    }
}

/// Whether `n` is active in `year`.
pub fn active_in(g: &PolicyGraph, n: NodeIndex, year: u16) -> bool {
    let node = g.node(n);
    node.start.is_some_and(|s| s.year_part() <= year)
        && node.end.is_none_or(|e| e.year_part() >= year)
}

/// Starts and ends inside the window, in date order (a start before an end on the same
/// date; then by id). O(nodes log nodes).
pub fn timeline(g: &PolicyGraph, window: &Window) -> Vec<Row> {
    let mut rows = Vec::new();
    for n in g.nodes() {
        let node = g.node(n);
        if !window.kind(node.kind) {
            continue;
        }
        for (date, event) in [(node.start, Event::Start), (node.end, Event::End)] {
            if let Some(date) = date
                && window.contains(date.year_part())
            {
                rows.push(Row {
                    date,
                    event,
                    node: n,
                });
            }
        }
    }
    rows.sort_by(|a, b| {
        (a.date, a.event, &g.node(a.node).id).cmp(&(b.date, b.event, &g.node(b.node).id))
    });
    rows
}

/// The nodes active in `year`, by start date then id.
pub fn as_of(g: &PolicyGraph, year: u16, kinds: &[NodeKind]) -> Vec<NodeIndex> {
    let mut out: Vec<NodeIndex> = g
        .nodes()
        .filter(|&n| (kinds.is_empty() || kinds.contains(&g.node(n).kind)) && active_in(g, n, year))
        .collect();
    super::sort_by_time(g, &mut out);
    out
}

/// What changed between two years.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diff {
    /// Active in the later year, started after the earlier one.
    pub created: Vec<NodeIndex>,
    /// Active in the earlier year, ended before the later one.
    pub ended: Vec<NodeIndex>,
    /// Nodes active in both years.
    pub continued: Vec<NodeIndex>,
    /// `replaced` edges whose successor started after the earlier year and no later
    /// than the later one (or whose own date falls there).
    pub replaced: Vec<EdgeIndex>,
}

/// What was created, ended or replaced between `y1` and `y2` (`y1 < y2`).
pub fn diff(g: &PolicyGraph, y1: u16, y2: u16, kinds: &[NodeKind]) -> Diff {
    let (y1, y2) = (y1.min(y2), y1.max(y2));
    let mut d = Diff::default();
    for n in g.nodes() {
        let node = g.node(n);
        if !kinds.is_empty() && !kinds.contains(&node.kind) {
            continue;
        }
        let (before, after) = (active_in(g, n, y1), active_in(g, n, y2));
        let started_between = node
            .start
            .is_some_and(|s| s.year_part() > y1 && s.year_part() <= y2);
        if before && after {
            d.continued.push(n);
        } else if before {
            d.ended.push(n);
        } else if started_between {
            d.created.push(n);
        }
    }
    for e in g.edges() {
        let edge = g.edge(e);
        if edge.relation != Relation::Replaced {
            continue;
        }
        let (a, _) = g.endpoints(e);
        if !kinds.is_empty() && !kinds.contains(&g.node(a).kind) {
            continue;
        }
        let when = edge.date.or(g.node(a).start).map(|d| d.year_part());
        if when.is_some_and(|w| w > y1 && w <= y2) {
            d.replaced.push(e);
        }
    }
    for list in [&mut d.created, &mut d.ended, &mut d.continued] {
        super::sort_by_time(g, list);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;

    const SPEC: &str = "pct body 2000-04 2013-03-31; ccg body 2013-04-01 2022-06-30; icb body 2022-07-01; \
        ccg replaced pct; icb replaced ccg; undated body";

    fn ids(g: &PolicyGraph, ns: &[NodeIndex]) -> Vec<String> {
        ns.iter().map(|&n| g.node(n).id.clone()).collect()
    }

    #[test]
    fn as_of_uses_whole_years() {
        let g = graph(SPEC);
        assert_eq!(
            ids(&g, &as_of(&g, 2013, &[])),
            ["pct", "ccg"],
            "both active in 2013"
        );
        assert_eq!(ids(&g, &as_of(&g, 2022, &[])), ["ccg", "icb"]);
        assert!(as_of(&g, 1999, &[]).is_empty());
        assert!(!ids(&g, &as_of(&g, 2030, &[])).contains(&"undated".to_string()));
    }

    #[test]
    fn timeline_lists_starts_and_ends_in_order() {
        let g = graph(SPEC);
        let rows = timeline(
            &g,
            &Window {
                from: Some(2013),
                to: Some(2013),
                kinds: vec![],
            },
        );
        let got: Vec<(String, Event)> = rows
            .iter()
            .map(|r| (g.node(r.node).id.clone(), r.event))
            .collect();
        assert_eq!(
            got,
            [
                ("pct".to_string(), Event::End),
                ("ccg".to_string(), Event::Start)
            ]
        );
    }

    #[test]
    fn diff_names_created_ended_and_replaced() {
        let g = graph(SPEC);
        let d = diff(&g, 2010, 2020, &[]);
        assert_eq!(ids(&g, &d.created), ["ccg"]);
        assert_eq!(ids(&g, &d.ended), ["pct"]);
        assert_eq!(d.replaced.len(), 1);
    }
}
