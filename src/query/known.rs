//! Evidence as known in a year (`--known-by YEAR`): the collection as it stood at the end
//! of that year, with every document published later, the findings they make and the
//! edges to them left out, and so are initiatives, bodies and laws that began later.
//!
//! The rules, applied per record, year by year (a date counts by its year: a document of
//! 19 October 2018 is known by 2018):
//!
//! - a **document** is kept when it has a `start` (its publication) in or before the year;
//!   an undated document is left out, because nothing shows it was published by then;
//! - a **finding** is kept when a document it `cites` (the one that makes the judgement)
//!   is kept, and its own `start`, if it has one, is in or before the year; a finding that
//!   cites nothing is kept only when its own date is;
//! - an **initiative, body or law** is kept unless its `start` is after the year; an
//!   undated one is kept (nothing shows it began later);
//! - an **edge** is kept when both its ends are kept and its own `date`, if any, is in or
//!   before the year: so an `evaluated-by` to a later finding, a `reported-in` to a later
//!   review and a `cites` from one are gone with them;
//! - an **end** after the year had not happened: it is shown as `ongoing`;
//! - an **era** that starts after the year is left out, and the collection's summary
//!   (the deck's title slide) begins "Evidence as known by YEAR".
//!
//! Sources are not read: a record's `sources` say where this collection read it (often a
//! later review retelling an earlier judgement), not when it became known. A finding of
//! 2017 known to us from a 2021 paper was known in 2017.
//!
//! One pure function, [`known_by`], returns the narrowed graph and a [`Report`] of what
//! was left out; `cmd::Context` applies it where every command opens its data.

use crate::diag::Problems;
use crate::graph::PolicyGraph;
use crate::model::{Dataset, End, NodeKind, PartialDate, Relation};
use petgraph::Direction;
use petgraph::visit::EdgeRef;

/// Which records are known by a year: one flag per node and per edge, by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    /// The year.
    pub year: u16,
    /// Node `i` is known.
    pub nodes: Vec<bool>,
    /// Edge `j` is known.
    pub edges: Vec<bool>,
}

/// What [`known_by`] left out and changed, for the note every command prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The year.
    pub year: u16,
    /// Documents kept, and all documents.
    pub documents: (usize, usize),
    /// Undated documents left out.
    pub undated_documents: usize,
    /// Findings kept, and all findings.
    pub findings: (usize, usize),
    /// Initiatives, bodies and laws left out because they began after the year.
    pub later_nodes: usize,
    /// Undated initiatives, bodies and laws kept.
    pub undated_kept: usize,
    /// Edges kept, and all edges.
    pub edges: (usize, usize),
    /// Kept nodes whose recorded end is after the year, shown as ongoing.
    pub ends_withheld: usize,
}

impl Report {
    /// One sentence saying what the narrowed collection holds.
    pub fn sentence(&self) -> String {
        let y = self.year;
        let mut s = format!(
            "evidence as known by {y}: {} of {} documents (published by {y}), {} of {} findings, {} of {} edges",
            self.documents.0,
            self.documents.1,
            self.findings.0,
            self.findings.1,
            self.edges.0,
            self.edges.1
        );
        if self.undated_documents > 0 {
            s += &format!(
                "; {} undated document{} left out",
                self.undated_documents,
                plural(self.undated_documents)
            );
        }
        if self.later_nodes > 0 {
            s += &format!(
                "; {} initiative{}, bod{} or law{} begun after {y} left out",
                self.later_nodes,
                plural(self.later_nodes),
                if self.later_nodes == 1 { "y" } else { "ies" },
                plural(self.later_nodes)
            );
        }
        if self.undated_kept > 0 {
            s += &format!(
                "; {} undated initiative{}, bod{} or law{} kept",
                self.undated_kept,
                plural(self.undated_kept),
                if self.undated_kept == 1 { "y" } else { "ies" },
                plural(self.undated_kept)
            );
        }
        if self.ends_withheld > 0 {
            s += &format!(
                "; {} end{} after {y} shown as ongoing",
                self.ends_withheld,
                plural(self.ends_withheld)
            );
        }
        s
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn by(date: PartialDate, year: u16) -> bool {
    date.year_part() <= year
}

/// Which nodes and edges are known by `year`, by the rules of this module. Linear in
/// nodes plus edges.
pub fn mask(g: &PolicyGraph, year: u16) -> Mask {
    let mut nodes = vec![false; g.node_count()];
    // Documents and lasting things first; findings read their documents.
    for n in g.nodes() {
        let node = g.node(n);
        nodes[n.index()] = match node.kind {
            NodeKind::Document => node.start.is_some_and(|d| by(d, year)),
            NodeKind::Finding => false,
            _ => node.start.is_none_or(|d| by(d, year)),
        };
    }
    for n in g.nodes() {
        let node = g.node(n);
        if node.kind != NodeKind::Finding {
            continue;
        }
        let own = node.start.is_none_or(|d| by(d, year));
        let mut made_by = g
            .graph
            .edges_directed(n, Direction::Outgoing)
            .filter(|e| *e.weight() == Relation::Cites)
            .map(|e| e.target())
            .peekable();
        let made = if made_by.peek().is_some() {
            made_by.any(|d| nodes[d.index()])
        } else {
            node.start.is_some()
        };
        nodes[n.index()] = own && made;
    }
    let edges = g
        .edges()
        .map(|e| {
            let (a, b) = g.endpoints(e);
            nodes[a.index()] && nodes[b.index()] && g.edge(e).date.is_none_or(|d| by(d, year))
        })
        .collect();
    Mask { year, nodes, edges }
}

/// The collection as known by `year` (see the module's rules), and what was left out.
/// The records kept are copied; node and edge indices are those of the new graph.
pub fn known_by(g: &PolicyGraph, year: u16) -> (PolicyGraph, Report) {
    let m = mask(g, year);
    let mut report = Report {
        year,
        ..Report::default()
    };
    let mut data = Dataset::default();
    for n in g.nodes() {
        let node = g.node(n);
        let kept = m.nodes[n.index()];
        match node.kind {
            NodeKind::Document => {
                report.documents.1 += 1;
                report.documents.0 += usize::from(kept);
                report.undated_documents += usize::from(node.start.is_none());
            }
            NodeKind::Finding => {
                report.findings.1 += 1;
                report.findings.0 += usize::from(kept);
            }
            _ => {
                report.later_nodes += usize::from(!kept);
                report.undated_kept += usize::from(node.start.is_none());
            }
        }
        if kept {
            let mut node = node.clone();
            if node.end.year().is_some_and(|y| y > year) {
                node.end = End::Ongoing;
                report.ends_withheld += 1;
            }
            data.push_node(node);
        }
    }
    for e in g.edges() {
        report.edges.1 += 1;
        if !m.edges[e.index()] {
            continue;
        }
        report.edges.0 += 1;
        let (a, b) = g.endpoints(e);
        let edge = g.edge(e);
        data.push_edge(g.node(a).id(), g.node(b).id(), edge.clone());
    }
    for era in g.eras.iter().filter(|e| by(e.start, year)) {
        data.push_era(era.clone());
    }
    if let Some(about) = &g.about {
        // The deck's title slide and the handout show the summary: they say the year.
        let mut about = about.clone();
        let said = format!("Evidence as known by {year}: only what was published by then.");
        about.summary = Some(match about.summary {
            Some(s) => format!("{said} {s}"),
            None => said,
        });
        data.push_about(about);
    }
    // The kept records come from a graph that was built without errors, so building
    // them again finds none.
    let mut problems = Problems::default();
    (PolicyGraph::build(data, &mut problems), report)
}

/// The judgements known by `to` that were not known by `from` (of `subject`, when
/// given), in the order of [`critiques`](crate::query::critiques::critiques): a
/// judgement is known when its `evaluated-by` edge is.
pub fn judgements_between(
    g: &PolicyGraph,
    from: u16,
    to: u16,
    subject: Option<crate::graph::NodeIndex>,
) -> Vec<crate::query::critiques::Row> {
    let (before, after) = (mask(g, from), mask(g, to));
    let query = crate::query::critiques::Query {
        subject,
        ..Default::default()
    };
    crate::query::critiques::critiques(g, &query)
        .into_iter()
        .filter(|r| after.edges[r.edge.index()] && !before.edges[r.edge.index()])
        .map(|mut r| {
            // Reports in documents published after `to` were not known by then either.
            let mut reported_in = std::mem::take(&mut r.reported_in).into_vec();
            reported_in.retain(|(d, _)| after.nodes[d.index()]);
            r.reported_in = reported_in.into_boxed_slice();
            r.reports = r
                .reports
                .iter()
                .copied()
                .filter(|e| after.edges[e.index()])
                .collect();
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::critiques::{Query, critiques};
    use crate::query::fixture::graph;

    const SPEC: &str = "fund initiative 2013; later initiative 2019; nao body 2000; \
        r1 document 2017; r2 document 2018-10-19; undated document; \
        f1 finding 2017; f2 finding 2018; \
        r1 published-by nao; r2 published-by nao; \
        fund evaluated-by f1; fund evaluated-by f2; f1 cites r1; f1 reported-in r2; f2 cites r2; \
        later replaced fund; r2 cites r1; undated cites r1";

    fn ids(g: &PolicyGraph) -> Vec<&str> {
        let mut v: Vec<&str> = g.nodes().map(|n| g.node(n).id()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_finding_published_in_2018_is_absent_in_2017_and_present_in_2018() {
        let g = graph(SPEC);
        let (g17, _) = known_by(&g, 2017);
        let (g18, _) = known_by(&g, 2018);
        let findings = |g: &PolicyGraph| -> Vec<String> {
            critiques(g, &Query::default())
                .iter()
                .filter_map(|r| r.finding.map(|f| g.node(f).id().to_string()))
                .collect()
        };
        assert_eq!(findings(&g17), ["f1"]);
        assert_eq!(findings(&g18), ["f1", "f2"]);
        // f1's report in r2 (2018) is not known in 2017.
        let rows = critiques(&g17, &Query::default());
        assert!(rows[0].reported_in.is_empty());
        assert_eq!(critiques(&g18, &Query::default())[0].reported_in.len(), 1);
    }

    #[test]
    fn undated_documents_and_later_nodes_are_left_out_and_counted() {
        let g = graph(SPEC);
        let (g17, report) = known_by(&g, 2017);
        assert_eq!(ids(&g17), ["f1", "fund", "nao", "r1"]);
        assert_eq!(report.documents, (1, 4), "src, r1, r2, undated: only r1");
        assert_eq!(
            report.undated_documents, 2,
            "the fixture's `src` and `undated`"
        );
        assert_eq!(report.findings, (1, 2));
        assert_eq!(report.later_nodes, 1);
        assert_eq!(
            report.edges.0, 3,
            "r1 published-by nao, fund evaluated-by f1, f1 cites r1"
        );
        assert_eq!(report.edges.0, g17.edge_count());
        assert_eq!(report.edges.1, g.edge_count());
        let (g30, report) = known_by(&g, 2030);
        assert_eq!(
            g30.node_count() + 2,
            g.node_count(),
            "only the undated documents go"
        );
        assert_eq!(report.later_nodes, 0);
    }

    #[test]
    fn judgements_between_two_years_are_those_known_by_the_second_only() {
        let g = graph(SPEC);
        let new = judgements_between(&g, 2017, 2018, None);
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].finding, g.get("f2"));
        let f1 = judgements_between(&g, 2016, 2017, None);
        assert_eq!(f1[0].finding, g.get("f1"));
        assert!(
            f1[0].reported_in.is_empty(),
            "its report in r2 came in 2018"
        );
        assert!(judgements_between(&g, 2018, 2030, None).is_empty());
        assert_eq!(judgements_between(&g, 2000, 2030, g.get("fund")).len(), 2);
    }

    #[test]
    fn an_edge_dated_after_the_year_is_left_out() {
        let g = graph("a body 2000; b body 2000; b replaced a 2020");
        assert_eq!(known_by(&g, 2019).0.edge_count(), 0);
        assert_eq!(known_by(&g, 2020).0.edge_count(), 1);
    }

    #[test]
    fn a_finding_needs_its_document_and_its_own_date() {
        // f dated 2015 but made in a 2019 document: known only from 2019.
        let g = graph(
            "d document 2019; f finding 2015; x initiative 2010; x evaluated-by f; f cites d",
        );
        assert!(!mask(&g, 2018).nodes[g.get("f").unwrap().index()]);
        assert!(mask(&g, 2019).nodes[g.get("f").unwrap().index()]);
        // Undated finding citing nothing: never known.
        let g = graph("f finding; x initiative 2010; x evaluated-by f");
        assert!(!mask(&g, 2100).nodes[g.get("f").unwrap().index()]);
    }

    #[test]
    fn an_end_after_the_year_is_shown_as_ongoing() {
        let g = graph("a body 2000 2020; b body 2000 2010");
        let (g15, report) = known_by(&g, 2015);
        assert_eq!(g15.node(g15.get("a").unwrap()).end, End::Ongoing);
        assert_eq!(g15.node(g15.get("b").unwrap()).end.year(), Some(2010));
        assert_eq!(report.ends_withheld, 1);
    }

    #[test]
    fn the_sentence_states_the_counts() {
        let g = graph(SPEC);
        let (_, report) = known_by(&g, 2017);
        assert_eq!(
            report.sentence(),
            "evidence as known by 2017: 1 of 4 documents (published by 2017), 1 of 2 findings, \
             3 of 10 edges; 2 undated documents left out; 1 initiative, body or law begun after \
             2017 left out"
        );
    }
}
