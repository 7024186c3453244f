//! Time: a chronological list of starts and ends, what was active in a year, and what
//! changed between two years.
//!
//! A node is active in year Y when its start year is at most Y and its end is a date in
//! Y or later, or it is `ongoing`. When its end is unknown it is active only in its
//! start year, the last year the data vouches for; after that its state is
//! [`Status::EndUnknown`], which answers show apart ("started earlier, end not
//! recorded") rather than counting it as running. A node without a start date is never
//! active (its time is unknown) and does not appear on the timeline.

use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::{End, Era, NodeKind, PartialDate, Relation};

/// A node's dates as text: `2013-04-01 to 2022-06-30`, `from 2022-07-01, ongoing`,
/// `from 1998-04, end unknown`, `until 2013`; a document, finding or law is dated by its
/// start alone (an Act is passed; its end, if any, is a repeal the data may give).
pub fn dates(n: &crate::model::Node) -> Option<String> {
    match (n.start, n.end) {
        (Some(s), End::Unknown) if !n.kind.has_lifespan() => Some(s.to_string()),
        (Some(s), End::On(e)) => Some(format!("{s} to {e}")),
        (Some(s), End::Ongoing) => Some(format!("from {s}, ongoing")),
        (Some(s), End::Unknown) => Some(format!("from {s}, end unknown")),
        (None, End::On(e)) => Some(format!("until {e}")),
        (None, End::Ongoing) => Some("ongoing".into()),
        (None, End::Unknown) => None,
    }
}

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

/// The last year that belongs to era `i` of `eras` (which are in time order): a year two
/// eras share (one ends in 2010, the next starts in 2010) belongs to the later one; the
/// last era runs to its end, or on. The one rule the deck, the handout and the
/// questions use to put a year in an era.
pub fn era_last_year(eras: &[Era], i: usize) -> Option<u16> {
    match eras.get(i + 1) {
        Some(next) => Some(next.start.year_part().saturating_sub(1)),
        None => eras.get(i).and_then(|e| e.end).map(PartialDate::year_part),
    }
}

/// The index of the era `year` belongs to (see [`era_last_year`]), or None before the
/// first era or after the last one ends.
pub fn era_of(eras: &[Era], year: u16) -> Option<usize> {
    eras.iter().enumerate().position(|(i, era)| {
        era.start.year_part() <= year && era_last_year(eras, i).is_none_or(|last| year <= last)
    })
}

/// A node's state in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// No start date: its time is unknown.
    Undated,
    /// Starts after the year.
    NotYet,
    /// Running: started by the year, and ends in it or later, or is ongoing (or, with
    /// an unknown end, the year is its start year).
    Active,
    /// Ended before the year.
    Ended,
    /// Started before the year; the data does not say whether it was still running.
    EndUnknown,
    /// A law, document or finding dated in an earlier year, with no end given: an event
    /// that happened, neither running nor ended.
    Past,
}

/// The state of a node with these dates in `year`.
pub fn status_of(start: Option<PartialDate>, end: End, year: u16) -> Status {
    let Some(start) = start.map(PartialDate::year_part) else {
        return Status::Undated;
    };
    if year < start {
        return Status::NotYet;
    }
    match end {
        End::On(e) if year <= e.year_part() => Status::Active,
        End::On(_) => Status::Ended,
        End::Ongoing => Status::Active,
        End::Unknown if year == start => Status::Active,
        End::Unknown => Status::EndUnknown,
    }
}

/// The state of `n` in `year`.
pub fn status(g: &PolicyGraph, n: NodeIndex, year: u16) -> Status {
    let node = g.node(n);
    match status_of(node.start, node.end, year) {
        Status::EndUnknown if !node.kind.has_lifespan() => Status::Past,
        other => other,
    }
}

/// Whether `n` is known to be active in `year` (see [`status`]).
pub fn active_in(g: &PolicyGraph, n: NodeIndex, year: u16) -> bool {
    status(g, n, year) == Status::Active
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
        for (date, event) in [(node.start, Event::Start), (node.end.date(), Event::End)] {
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
        (a.date, a.event, g.node(a.node).id()).cmp(&(b.date, b.event, g.node(b.node).id()))
    });
    rows
}

/// The nodes active in `year`, by start date then id.
pub fn as_of(g: &PolicyGraph, year: u16, kinds: &[NodeKind]) -> Vec<NodeIndex> {
    in_status(g, year, kinds, Status::Active)
}

/// The nodes that started before `year` and whose end the data does not give, by start
/// date then id: they may or may not have been running then.
pub fn end_unknown_by(g: &PolicyGraph, year: u16, kinds: &[NodeKind]) -> Vec<NodeIndex> {
    in_status(g, year, kinds, Status::EndUnknown)
}

fn in_status(g: &PolicyGraph, year: u16, kinds: &[NodeKind], want: Status) -> Vec<NodeIndex> {
    let mut out: Vec<NodeIndex> = g
        .nodes()
        .filter(|&n| {
            (kinds.is_empty() || kinds.contains(&g.node(n).kind)) && status(g, n, year) == want
        })
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
    /// Started by the earlier year, with an end the data does not give: whether they
    /// lasted to the later year is not known.
    pub end_unknown: Vec<NodeIndex>,
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
        let (before, after) = (status(g, n, y1), status(g, n, y2));
        let started_between = node
            .start
            .is_some_and(|s| s.year_part() > y1 && s.year_part() <= y2);
        match (before, after) {
            (Status::Active, Status::Active) => d.continued.push(n),
            (Status::Active, Status::Ended) => d.ended.push(n),
            (Status::Active | Status::EndUnknown, Status::EndUnknown) => d.end_unknown.push(n),
            _ if started_between => d.created.push(n),
            _ => {}
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
    for list in [
        &mut d.created,
        &mut d.ended,
        &mut d.continued,
        &mut d.end_unknown,
    ] {
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
        ns.iter().map(|&n| g.node(n).id().to_string()).collect()
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
            .map(|r| (g.node(r.node).id().to_string(), r.event))
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
