//! Layering, accumulation and drift per year (issue 21; the vocabulary of Streeck and
//! Thelen 2005): how many initiatives ran each year, how many were added beside the
//! others rather than in place of one, how many ended, and how many ran on after the
//! body that established them was gone. Pure.
//!
//! Only initiatives (`kind = "initiative"`) are measured, and only those with a start
//! date (the others are listed in [`Layering::undated`]). A year Y is a calendar year;
//! a date counts by its year (a start in March 2013 starts in 2013). For each year Y:
//!
//! - **active** (known): the initiative started in Y or earlier, and its end is a date
//!   in Y or later, or `ongoing`; an initiative whose end is unknown is active in its
//!   start year only (the same rule as `timeline --as-of`, [`super::timeline::status`]);
//! - **possibly active**: it started before Y and its end is not recorded, so the data
//!   cannot say whether it still ran: the band of uncertainty on top of the known count
//!   (active + possibly is the most that may have run);
//! - **added** in Y: its start year is Y. Every added initiative is exactly one of:
//!   - **replacing**: it has an outgoing `replaced` edge (it replaced something, an
//!     initiative or a body);
//!   - **layered**: it replaced nothing, and at least one initiative that started
//!     before Y is active (known) in Y: added beside existing ones;
//!   - **first**: it replaced nothing and no earlier initiative is known to be active
//!     in Y (nothing to layer onto);
//! - **ended** in Y: its end is a date in Y;
//! - **drifting** in Y: it is active (known) in Y, it has at least one `established-by`
//!   edge to a body, and every body it has such an edge to had been dissolved by Y.
//!   A body is *dissolved by Y* when its end is a recorded date in a year before Y, and
//!   that end was not a renaming: when the [`super::succession`] event in which it ended
//!   is a [`Type::Renaming`](super::succession::Type::Renaming), the body lives on under
//!   its new name, and it is dissolved by Y only if the renamed body is (followed through
//!   further renamings). A body with an unknown or `ongoing` end, or none, is never
//!   dissolved. The data has no "run by" relation, so `established-by` is the only
//!   record of the body responsible; an initiative established only by laws or other
//!   initiatives never drifts. **possibly drifting** is the same test on the possibly
//!   active ones.
//!
//! The years run, by default, from the first initiative's start year to the last year
//! any dated record of the collection reaches (so ongoing initiatives are counted to
//! the collection's present); `from`/`to` narrow or widen them.

use super::succession::{Type, successions};
use super::timeline::{Status, status};
use crate::graph::{NodeIndex, PolicyGraph};
use crate::model::{End, NodeKind, Relation};
use petgraph::Direction;
use petgraph::visit::EdgeRef;
use std::collections::{HashMap, HashSet};

/// One year's measures: the initiatives in each, in time order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Year {
    /// The year.
    pub year: u16,
    /// Known to be running.
    pub active: Vec<NodeIndex>,
    /// Started before the year, end not recorded: may or may not have run.
    pub possibly: Vec<NodeIndex>,
    /// Added this year beside existing initiatives, replacing nothing.
    pub layered: Vec<NodeIndex>,
    /// Added this year in place of something (an outgoing `replaced` edge).
    pub replacing: Vec<NodeIndex>,
    /// Added this year, replacing nothing, with no earlier initiative known to run.
    pub first: Vec<NodeIndex>,
    /// Ended this year.
    pub ended: Vec<NodeIndex>,
    /// Active, though every body that established it had been dissolved: each with
    /// those bodies.
    pub drifting: Vec<(NodeIndex, Vec<NodeIndex>)>,
    /// Possibly active, and every body that established it had been dissolved.
    pub possibly_drifting: Vec<(NodeIndex, Vec<NodeIndex>)>,
}

impl Year {
    /// Initiatives added this year (layered, replacing or first).
    pub fn added(&self) -> usize {
        self.layered.len() + self.replacing.len() + self.first.len()
    }
}

/// The measures for a run of years.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layering {
    /// Each year, in order.
    pub years: Vec<Year>,
    /// Initiatives with no start date, in none of the counts.
    pub undated: Vec<NodeIndex>,
}

impl Layering {
    /// The year(s) with the most initiatives known to be active, and that number.
    pub fn peak(&self) -> (Vec<u16>, usize) {
        let max = self.years.iter().map(|y| y.active.len()).max().unwrap_or(0);
        let years = self
            .years
            .iter()
            .filter(|y| max > 0 && y.active.len() == max)
            .map(|y| y.year)
            .collect();
        (years, max)
    }

    /// The measures of one year, if it is in range.
    pub fn year(&self, year: u16) -> Option<&Year> {
        self.years.iter().find(|y| y.year == year)
    }
}

/// The default run of years: the first initiative's start year to the last year of any
/// dated record (start or end) of the collection; `None` with no dated initiative.
pub fn default_years(g: &PolicyGraph) -> Option<(u16, u16)> {
    let first = g
        .nodes()
        .filter(|&n| g.node(n).kind == NodeKind::Initiative)
        .filter_map(|n| g.node(n).start)
        .map(|d| d.year_part())
        .min()?;
    let last = g
        .nodes()
        .flat_map(|n| [g.node(n).start, g.node(n).end.date()])
        .flatten()
        .map(|d| d.year_part())
        .max()
        .unwrap_or(first)
        .max(first);
    Some((first, last))
}

/// The year a body was dissolved, following renamings: the year after which it no
/// longer existed under any name; `None` when the data records no such end.
fn dissolved_after(
    g: &PolicyGraph,
    body: NodeIndex,
    renamed_to: &HashMap<NodeIndex, NodeIndex>,
) -> Option<u16> {
    let mut seen = HashSet::new();
    let mut at = body;
    loop {
        if !seen.insert(at) {
            return None;
        }
        match renamed_to.get(&at) {
            Some(&next) => at = next,
            None => {
                return match g.node(at).end {
                    End::On(d) => Some(d.year_part()),
                    End::Ongoing | End::Unknown => None,
                };
            }
        }
    }
}

/// The measures for each year from `from` to `to` (each defaulting to
/// [`default_years`]). O(years × initiatives + edges).
pub fn layering(g: &PolicyGraph, from: Option<u16>, to: Option<u16>) -> Layering {
    let mut initiatives: Vec<NodeIndex> = g
        .nodes()
        .filter(|&n| g.node(n).kind == NodeKind::Initiative)
        .collect();
    super::sort_by_time(g, &mut initiatives);
    let undated: Vec<NodeIndex> = initiatives
        .iter()
        .copied()
        .filter(|&n| g.node(n).start.is_none())
        .collect();
    initiatives.retain(|&n| g.node(n).start.is_some());
    let Some((first, last)) = default_years(g) else {
        return Layering {
            years: Vec::new(),
            undated,
        };
    };
    let (from, to) = (from.unwrap_or(first), to.unwrap_or(last));
    // Renamings: the body lives on under its new name.
    let mut renamed_to: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    for event in successions(g) {
        if event.kind == Type::Renaming
            && let ([old], [new]) = (event.before.as_slice(), event.after.as_slice())
        {
            renamed_to.insert(*old, *new);
        }
    }
    // For each initiative: whether it replaced something, and the bodies that
    // established it with the last year each existed (None: never dissolved).
    let replacing: HashSet<NodeIndex> = initiatives
        .iter()
        .copied()
        .filter(|&n| {
            g.graph
                .edges_directed(n, Direction::Outgoing)
                .any(|e| *e.weight() == Relation::Replaced)
        })
        .collect();
    let established: HashMap<NodeIndex, Vec<(NodeIndex, Option<u16>)>> = initiatives
        .iter()
        .map(|&n| {
            let mut bodies: Vec<NodeIndex> = g
                .graph
                .edges_directed(n, Direction::Outgoing)
                .filter(|e| {
                    *e.weight() == Relation::EstablishedBy
                        && g.node(e.target()).kind == NodeKind::Body
                })
                .map(|e| e.target())
                .collect();
            super::sort_by_time(g, &mut bodies);
            bodies.dedup();
            let with_end = bodies
                .into_iter()
                .map(|b| (b, dissolved_after(g, b, &renamed_to)))
                .collect();
            (n, with_end)
        })
        .collect();
    let drift = |n: NodeIndex, year: u16| -> Option<(NodeIndex, Vec<NodeIndex>)> {
        let bodies = established.get(&n)?;
        let gone = !bodies.is_empty()
            && bodies
                .iter()
                .all(|(_, end)| end.is_some_and(|last| last < year));
        gone.then(|| (n, bodies.iter().map(|(b, _)| *b).collect()))
    };
    let years = (from..=to)
        .map(|year| {
            let mut y = Year {
                year,
                ..Year::default()
            };
            let mut earlier_active = false;
            for &n in &initiatives {
                let node = g.node(n);
                let start = node.start.map_or(year, |d| d.year_part());
                match status(g, n, year) {
                    Status::Active => {
                        y.active.push(n);
                        earlier_active |= start < year;
                        if let Some(d) = drift(n, year) {
                            y.drifting.push(d);
                        }
                    }
                    Status::EndUnknown => {
                        y.possibly.push(n);
                        if let Some(d) = drift(n, year) {
                            y.possibly_drifting.push(d);
                        }
                    }
                    _ => {}
                }
                if let End::On(d) = node.end
                    && d.year_part() == year
                {
                    y.ended.push(n);
                }
            }
            for &n in &initiatives {
                if g.node(n).start.map(|d| d.year_part()) != Some(year) {
                    continue;
                }
                if replacing.contains(&n) {
                    y.replacing.push(n);
                } else if earlier_active {
                    y.layered.push(n);
                } else {
                    y.first.push(n);
                }
            }
            y
        })
        .collect();
    Layering { years, undated }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;

    /// The ids of `nodes`.
    fn ids(g: &PolicyGraph, nodes: &[NodeIndex]) -> Vec<String> {
        nodes.iter().map(|&n| g.node(n).id().to_string()).collect()
    }

    #[test]
    fn active_counts_known_runs_and_the_band_holds_unknown_ends() {
        // a runs 2000-2002; b is ongoing from 2001; c starts 2001, end unknown.
        let g = graph(
            "a initiative 2000 2002; b initiative 2001 ongoing; c initiative 2001; \
             x document 2004",
        );
        let l = layering(&g, None, None);
        let row = |y: u16| {
            let y = l.year(y).unwrap();
            (ids(&g, &y.active), ids(&g, &y.possibly))
        };
        assert_eq!(l.years.first().map(|y| y.year), Some(2000));
        // To the collection's last dated record (the document of 2004).
        assert_eq!(l.years.last().map(|y| y.year), Some(2004));
        assert_eq!(row(2000), (vec!["a".into()], vec![]));
        assert_eq!(
            row(2001),
            (vec!["a".into(), "b".into(), "c".into()], vec![])
        );
        assert_eq!(row(2002), (vec!["a".into(), "b".into()], vec!["c".into()]));
        assert_eq!(row(2003), (vec!["b".into()], vec!["c".into()]));
        assert_eq!(l.peak(), (vec![2001], 3));
    }

    #[test]
    fn additions_are_layered_replacing_or_first() {
        // a first (nothing before it); b beside a; c replaces a; d beside b and c.
        let g = graph(
            "a initiative 2000 2004; b initiative 2002 ongoing; c initiative 2005 ongoing; \
             d initiative 2005 ongoing; c replaced a",
        );
        let l = layering(&g, Some(2000), Some(2005));
        let y = |year: u16| l.year(year).unwrap();
        assert_eq!(ids(&g, &y(2000).first), ["a"]);
        assert!(y(2000).layered.is_empty() && y(2000).replacing.is_empty());
        assert_eq!(ids(&g, &y(2002).layered), ["b"]);
        assert_eq!(ids(&g, &y(2005).replacing), ["c"]);
        assert_eq!(ids(&g, &y(2005).layered), ["d"]);
        assert_eq!(y(2005).added(), 2);
        assert_eq!(y(2001).added(), 0);
    }

    #[test]
    fn an_addition_after_a_gap_is_first_not_layered() {
        // a ended in 2001; b starts 2003 when nothing earlier is known to run; c
        // (end unknown, so only possibly running in 2003) does not count as existing.
        let g = graph("a initiative 2000 2001; c initiative 2002; b initiative 2003 2004");
        let l = layering(&g, None, Some(2004));
        assert_eq!(ids(&g, &l.year(2003).unwrap().first), ["b"]);
        assert_eq!(ids(&g, &l.year(2002).unwrap().first), ["c"]);
    }

    #[test]
    fn ended_counts_the_year_of_the_end_date() {
        let g = graph(
            "a initiative 2000 2002-03; b initiative 2000 ongoing; c initiative 2000; \
             d initiative 2001 2002",
        );
        let l = layering(&g, None, Some(2003));
        assert_eq!(ids(&g, &l.year(2002).unwrap().ended), ["a", "d"]);
        assert!(l.year(2003).unwrap().ended.is_empty());
        assert!(l.year(2000).unwrap().ended.is_empty());
    }

    #[test]
    fn drifting_needs_every_establishing_body_dissolved_before_the_year() {
        // i1 was established by body p, dissolved in 2005: drifting from 2006, not in
        // 2005. i2 also has an ongoing body q: never drifting. i3 has an act only.
        let g = graph(
            "p body 1990 2005-06; q body 1990 ongoing; act legislation 1995; \
             i1 initiative 2000 ongoing; i2 initiative 2000 ongoing; \
             i3 initiative 2000 ongoing; i4 initiative 2000; \
             i1 established-by p; i2 established-by p; i2 established-by q; \
             i3 established-by act; i4 established-by p",
        );
        let l = layering(&g, Some(2004), Some(2007));
        let drifting = |y: u16| {
            l.year(y)
                .unwrap()
                .drifting
                .iter()
                .map(|(n, bodies)| (g.node(*n).id().to_string(), ids(&g, bodies)))
                .collect::<Vec<_>>()
        };
        assert!(drifting(2005).is_empty());
        assert_eq!(drifting(2006), [("i1".to_string(), vec!["p".to_string()])]);
        // i4's end is unknown: possibly drifting, not drifting.
        let possibly = &l.year(2006).unwrap().possibly_drifting;
        assert_eq!(possibly.len(), 1);
        assert_eq!(g.node(possibly[0].0).id(), "i4");
    }

    #[test]
    fn a_renamed_body_is_not_dissolved_until_its_new_name_is() {
        let mut text = crate::query::fixture::graph_text(
            "dh body 1988 2018-01-07; dhsc body 2018-01-08 2030; \
             i initiative 2010 ongoing; i established-by dh; x document 2032",
        );
        text += "[[edge]]\nfrom = \"dhsc\"\nrelation = \"replaced\"\nto = \"dh\"\nattrs = { succession = \"renaming\" }\nsources = [{ doc = \"src\", at = \"p\" }]\n";
        let g = crate::open::finish(crate::load::toml_text("f.toml", &text), false).graph;
        let l = layering(&g, None, None);
        assert!(l.year(2019).unwrap().drifting.is_empty());
        assert!(l.year(2030).unwrap().drifting.is_empty());
        assert_eq!(l.year(2031).unwrap().drifting.len(), 1);
        // Replaced otherwise (a merger, an incorporation): the body is gone.
        let g = graph(
            "p body 1990 2005; q body 2006 ongoing; i initiative 2000 ongoing; \
             q replaced p; i established-by p",
        );
        let l = layering(&g, None, Some(2006));
        assert_eq!(l.year(2006).unwrap().drifting.len(), 1);
    }

    #[test]
    fn undated_initiatives_are_listed_apart_and_no_initiative_means_no_years() {
        let g = graph("a initiative; b body 2000");
        let l = layering(&g, None, None);
        assert!(l.years.is_empty());
        assert_eq!(ids(&g, &l.undated), ["a"]);
    }
}
