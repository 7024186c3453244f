//! Seminar steps: the story revealed era by era (or up to chosen years). Pure: which
//! nodes and edges each step shows, and which are new in it.
//!
//! **Invariant:** steps are cumulative. A node or edge shown in step k is shown in every
//! later step, so the deck only ever adds to the picture; a test checks that it also
//! keeps every shown node in the same place.

use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::query::year;
use crate::view::View;
use std::collections::BTreeSet;

/// How to divide the story into steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Steps {
    /// One step per era of the data (plus one for anything before the first era).
    Eras,
    /// One step up to each of these years (plus one for anything after the last).
    Years(Vec<u16>),
}

impl std::str::FromStr for Steps {
    type Err = String;

    /// "eras", or years separated by commas: "1990,2000,2010".
    fn from_str(text: &str) -> Result<Self, String> {
        if text.trim().eq_ignore_ascii_case("eras") {
            return Ok(Steps::Eras);
        }
        let mut years = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let y: u16 = part
                .parse()
                .ok()
                .filter(|y| (1000..=9999).contains(y))
                .ok_or_else(|| {
                    format!("`{part}` is not a year; give `eras` or years such as 1990,2000,2010")
                })?;
            years.push(y);
        }
        years.sort_unstable();
        years.dedup();
        Ok(Steps::Years(years))
    }
}

/// One slide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The slide title: the era's name, or the years covered.
    pub title: String,
    /// The years covered, e.g. "1997 to 2010".
    pub years: String,
    /// Every node shown (this step's and all earlier ones), in view order.
    pub nodes: Vec<NodeIndex>,
    /// The nodes first shown in this step, by date then id.
    pub new_nodes: Vec<NodeIndex>,
    /// Every edge shown: those whose two ends are shown.
    pub edges: Vec<EdgeIndex>,
    /// The edges first shown in this step.
    pub new_edges: Vec<EdgeIndex>,
}

/// A step boundary: (title, years text, last year covered; None for open-ended).
type Bound = (String, String, Option<u16>);

fn bounds(g: &PolicyGraph, view: &View, steps: &Steps) -> Vec<Bound> {
    let dated: Vec<u16> = view.nodes.iter().filter_map(|&n| year(g, n)).collect();
    let (first, last) = (
        dated.iter().min().copied().unwrap_or(0),
        dated.iter().max().copied().unwrap_or(0),
    );
    let span = |from: u16, to: u16| {
        if from >= to {
            to.to_string()
        } else {
            format!("{from} to {to}")
        }
    };
    let mut out = Vec::new();
    match steps {
        Steps::Eras if !g.eras.is_empty() => {
            let start = g.eras[0].start.year_part();
            if first < start {
                out.push((
                    format!("Before {start}"),
                    span(first, start - 1),
                    Some(start - 1),
                ));
            }
            for (i, era) in g.eras.iter().enumerate() {
                let to = era.end.map(|e| e.year_part());
                let years = match to {
                    Some(t) => span(era.start.year_part(), t),
                    None => format!("{} to now", era.start.year_part()),
                };
                // A year an era shares with the next belongs to the next: the one rule
                // of `era_of`, which the handout's questions use too.
                let until = crate::query::timeline::era_last_year(&g.eras, i);
                out.push((era.name.clone(), years, until));
            }
        }
        // Without eras: one step for everything.
        Steps::Eras => out.push(("Everything".into(), span(first, last), None)),
        Steps::Years(years) => {
            let mut from = first;
            for &y in years {
                let title = if out.is_empty() {
                    format!("To {y}")
                } else {
                    span(from, y)
                };
                out.push((title, span(from.min(y), y), Some(y)));
                from = y.saturating_add(1);
            }
            if last >= from || years.is_empty() {
                out.push((format!("From {from}"), span(from, last.max(from)), None));
            }
        }
    }
    // The last step shows everything, whatever its dates say.
    if let Some(last_bound) = out.last_mut() {
        last_bound.2 = None;
    }
    out
}

/// The steps of a seminar over `view`. A node appears in the first step whose last year
/// is at or after its start; undated nodes appear in the first step. An edge appears
/// when both its ends have.
pub fn plan(g: &PolicyGraph, view: &View, steps: &Steps) -> Vec<Step> {
    let mut shown: BTreeSet<NodeIndex> = BTreeSet::new();
    let mut shown_edges: BTreeSet<EdgeIndex> = BTreeSet::new();
    let mut out = Vec::new();
    for (title, years, until) in bounds(g, view, steps) {
        let mut new_nodes: Vec<NodeIndex> = view
            .nodes
            .iter()
            .copied()
            .filter(|n| !shown.contains(n))
            .filter(|&n| match (year(g, n), until) {
                (Some(y), Some(u)) => y <= u,
                _ => true,
            })
            .collect();
        crate::query::sort_by_time(g, &mut new_nodes);
        shown.extend(new_nodes.iter().copied());
        let new_edges: Vec<EdgeIndex> = view
            .edges
            .iter()
            .copied()
            .filter(|e| !shown_edges.contains(e))
            .filter(|&e| {
                let (a, b) = g.endpoints(e);
                shown.contains(&a) && shown.contains(&b)
            })
            .collect();
        shown_edges.extend(new_edges.iter().copied());
        out.push(Step {
            title,
            years,
            nodes: view
                .nodes
                .iter()
                .copied()
                .filter(|n| shown.contains(n))
                .collect(),
            new_nodes,
            edges: view
                .edges
                .iter()
                .copied()
                .filter(|e| shown_edges.contains(e))
                .collect(),
            new_edges,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;
    use crate::view::{Narrow, ViewSpec, view};

    const SPEC: &str = "old body 1980 1999; mid body 1999 2012; new body 2012; act legislation 2011; \
        plan initiative 2005; mid replaced old; new replaced mid; new established-by act; \
        plan established-by act";

    fn names(g: &PolicyGraph, nodes: &[NodeIndex]) -> Vec<String> {
        nodes.iter().map(|&n| g.node(n).id().to_string()).collect()
    }

    #[test]
    fn years_divide_the_story_and_nothing_is_lost() {
        let g = graph(SPEC);
        let v = view(&g, &ViewSpec::Story(None), &Narrow::default());
        let steps = plan(&g, &v, &"2000,2010".parse().unwrap());
        let titles: Vec<&str> = steps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["To 2000", "2001 to 2010", "From 2011"]);
        assert_eq!(names(&g, &steps[0].new_nodes), ["old", "mid"]);
        assert_eq!(names(&g, &steps[1].new_nodes), ["plan"]);
        assert_eq!(names(&g, &steps[2].new_nodes), ["act", "new"]);
        assert_eq!(steps[0].edges.len(), 1, "mid replaced old");
        assert_eq!(steps[2].nodes.len(), v.nodes.len());
        assert_eq!(steps[2].edges.len(), v.edges.len());
    }

    #[test]
    fn steps_are_cumulative() {
        let g = graph(SPEC);
        let v = view(&g, &ViewSpec::Story(None), &Narrow::default());
        let steps = plan(&g, &v, &Steps::Years(vec![1990, 2005]));
        for pair in steps.windows(2) {
            assert!(pair[0].nodes.iter().all(|n| pair[1].nodes.contains(n)));
            assert!(pair[0].edges.iter().all(|e| pair[1].edges.contains(e)));
        }
        let new: usize = steps.iter().map(|s| s.new_nodes.len()).sum();
        assert_eq!(new, v.nodes.len(), "every node is new exactly once");
    }

    #[test]
    fn step_lists_parse() {
        assert_eq!("eras".parse::<Steps>(), Ok(Steps::Eras));
        assert_eq!(
            "2010, 1990,2010".parse::<Steps>(),
            Ok(Steps::Years(vec![1990, 2010]))
        );
        assert!("1990,soon".parse::<Steps>().is_err());
    }
}
