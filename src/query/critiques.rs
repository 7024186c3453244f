//! Critiques: which review judged which initiative, body or law, how, and where it
//! says so. One row per judgement: what was judged, the finding, its stance, the
//! document that makes it, that document's publisher and year, and the locator.
//!
//! A judgement is an `evaluated-by` edge. When it points at a finding, the document is
//! the one the finding cites (the original review); its `reported-in` edges say which
//! later documents report it (older collections said so with further `cites` edges,
//! which are read the same way). When it points straight at a document, there is no
//! finding.

use super::year;
use crate::graph::PolicyGraph;
use crate::graph::{EdgeIndex, NodeIndex};
use crate::model::{NodeKind, Relation, Stance};
use petgraph::Direction;
use petgraph::visit::EdgeRef;

/// One judgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// What was judged (an initiative, body or law).
    pub subject: NodeIndex,
    /// The finding, when the judgement is recorded as one.
    pub finding: Option<NodeIndex>,
    /// The stance: the edge's own, else the finding's.
    pub stance: Option<Stance>,
    /// The document that makes the judgement.
    pub document: Option<NodeIndex>,
    /// Who published that document.
    pub publishers: Box<[NodeIndex]>,
    /// The year of the document (else of the finding).
    pub year: Option<u16>,
    /// Where it says so: the first source of the `cites` edge (else of the evaluation),
    /// as (document id, locator). The document is usually the one above; when a seed
    /// reports the judgement without a page in the original, it is the seed.
    pub locator: Option<Locator>,
    /// Where the finding is reported: its `reported-in` edges, then any further `cites`,
    /// each document with the locator.
    pub reported_in: Box<[(NodeIndex, Option<Locator>)]>,
    /// The `evaluated-by` edge.
    pub edge: EdgeIndex,
    /// The `cites` edges from the finding, in load order.
    pub cites: Box<[EdgeIndex]>,
    /// The `reported-in` edges from the finding, in load order.
    pub reports: Box<[EdgeIndex]>,
}

/// Where a judgement is written: a document id and the place in it.
pub type Locator = (String, String);

/// Which judgements to list. Empty fields allow all.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Only judgements of this node.
    pub subject: Option<NodeIndex>,
    /// Only these stances.
    pub stances: Vec<Stance>,
    /// Only reviews published by this body.
    pub by: Option<NodeIndex>,
}

fn first_locator(g: &PolicyGraph, e: EdgeIndex) -> Option<(String, String)> {
    g.edge(e)
        .sources()
        .first()
        .map(|s| (s.doc.clone(), s.at.clone()))
}

/// The publishers of a document, in load order.
pub fn publishers(g: &PolicyGraph, doc: NodeIndex) -> Vec<NodeIndex> {
    let mut out: Vec<(EdgeIndex, NodeIndex)> = g
        .graph
        .edges_directed(doc, Direction::Outgoing)
        .filter(|e| *e.weight() == Relation::PublishedBy)
        .map(|e| (e.id(), e.target()))
        .collect();
    out.sort();
    out.into_iter().map(|(_, n)| n).collect()
}

/// Every judgement matching `query`, ordered by subject, then year, then document and
/// finding ids. Linear in the number of `evaluated-by` and `cites` edges.
pub fn critiques(g: &PolicyGraph, query: &Query) -> Vec<Row> {
    let mut rows = Vec::new();
    // Every edge is looked at without a list of them all (a million edges, 10 MB).
    let evaluations: Box<dyn Iterator<Item = EdgeIndex>> = match query.subject {
        Some(s) => Box::new(g.edges_of(s, Direction::Outgoing).into_iter()),
        None => Box::new(g.edges()),
    };
    for e in evaluations {
        if g.edge(e).relation != Relation::EvaluatedBy {
            continue;
        }
        let (subject, target) = g.endpoints(e);
        let finding = (g.kind(target) == NodeKind::Finding).then_some(target);
        // The stance first: a judgement it filters out costs no more.
        let stance = g
            .edge(e)
            .stance
            .or_else(|| finding.and_then(|f| g.node(f).stance));
        if !query.stances.is_empty() && !stance.is_some_and(|s| query.stances.contains(&s)) {
            continue;
        }
        let (cites, reports) = if finding.is_some() {
            let out = g.edges_of(target, Direction::Outgoing);
            let of = |r: Relation| -> Vec<EdgeIndex> {
                out.iter()
                    .copied()
                    .filter(|&c| g.edge(c).relation == r)
                    .collect()
            };
            (of(Relation::Cites), of(Relation::ReportedIn))
        } else {
            (Vec::new(), Vec::new())
        };
        let (document, locator) = match (finding, cites.first()) {
            (Some(_), Some(&c)) => (Some(g.endpoints(c).1), first_locator(g, c)),
            (Some(_), None) => (None, first_locator(g, e)),
            (None, _) => (Some(target), first_locator(g, e)),
        };
        let publishers = document.map(|d| publishers(g, d)).unwrap_or_default();
        if let Some(by) = query.by
            && !publishers.contains(&by)
        {
            continue;
        }
        let reported_in = reports
            .iter()
            .chain(cites.iter().skip(1))
            .map(|&c| (g.endpoints(c).1, first_locator(g, c)))
            .collect();
        rows.push(Row {
            subject,
            finding,
            stance,
            year: document
                .and_then(|d| year(g, d))
                .or_else(|| finding.and_then(|f| year(g, f))),
            document,
            publishers: publishers.into_boxed_slice(),
            locator,
            reported_in,
            edge: e,
            cites: cites.into_boxed_slice(),
            reports: reports.into_boxed_slice(),
        });
    }
    // Borrowed keys, each made once (stable, like `sort_by`): hundreds of thousands of
    // rows would otherwise read their nodes again in every comparison.
    rows.sort_by_cached_key(|r| {
        (
            g.node(r.subject).id(),
            r.year,
            r.document.map(|d| g.node(d).id()),
            r.finding.map(|f| g.node(f).id()),
        )
    });
    rows
}

/// A subject the reviews disagree on: judged critically, and favourably (supportive or
/// mixed), each side's judgements in the order of [`critiques`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contest {
    /// What was judged.
    pub subject: NodeIndex,
    /// The critical judgements.
    pub critical: Vec<Row>,
    /// The supportive judgements.
    pub supportive: Vec<Row>,
    /// The mixed judgements.
    pub mixed: Vec<Row>,
}

/// The subjects among `rows` (as [`critiques`] orders them) with at least one critical
/// judgement and at least one supportive or mixed one. Neutral and unstated judgements
/// take no side and are left out.
pub fn contested(rows: Vec<Row>) -> Vec<Contest> {
    let mut out: Vec<Contest> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|c| c.subject != r.subject) {
            out.push(Contest {
                subject: r.subject,
                critical: Vec::new(),
                supportive: Vec::new(),
                mixed: Vec::new(),
            });
        }
        let Some(c) = out.last_mut() else { continue };
        match r.stance {
            Some(Stance::Critical) => c.critical.push(r),
            Some(Stance::Supportive) => c.supportive.push(r),
            Some(Stance::Mixed) => c.mixed.push(r),
            Some(Stance::Neutral) | None => {}
        }
    }
    out.retain(|c| !c.critical.is_empty() && c.supportive.len() + c.mixed.len() > 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;

    const SPEC: &str = "fund initiative 2013; nao body; pac body; r1 document 2017; r2 document 2018; \
        f1 finding 2017; f2 finding 2018; \
        r1 published-by nao; r2 published-by pac; \
        fund evaluated-by f1; fund evaluated-by f2; f1 cites r1; f1 reported-in r2; f2 cites r2; \
        pilot initiative 2015; pilot evaluated-by r1";

    #[test]
    fn rows_name_finding_document_publisher_and_year() {
        let g = graph(SPEC);
        let rows = critiques(&g, &Query::default());
        assert_eq!(rows.len(), 3);
        let r = &rows[0];
        assert_eq!(g.node(r.subject).id(), "fund");
        assert_eq!(r.finding.map(|f| g.node(f).id()), Some("f1"));
        assert_eq!(
            r.document.map(|d| g.node(d).id()),
            Some("r1"),
            "the first cited is the original"
        );
        assert_eq!(
            r.publishers
                .iter()
                .map(|&p| g.node(p).id())
                .collect::<Vec<_>>(),
            ["nao"]
        );
        assert_eq!(r.year, Some(2017));
        assert_eq!(r.stance, Some(Stance::Critical));
        assert_eq!(r.reported_in.len(), 1);
    }

    #[test]
    fn a_subject_is_contested_with_a_critical_and_a_favourable_judgement() {
        // The fixture marks every finding critical: the stances come from the edges.
        let spec = "fund initiative 2013; pilot initiative 2014; quiet initiative 2015; \
            d document 2017; a finding 2017; b finding 2018; c finding 2018; e finding 2018; \
            a cites d; b cites d; c cites d; e cites d; \
            fund evaluated-by a; fund evaluated-by b; pilot evaluated-by c; quiet evaluated-by e";
        let text = crate::query::fixture::graph_text(spec)
            .replace(
                "from = \"fund\"\nrelation = \"evaluated-by\"\nto = \"b\"\n",
                "from = \"fund\"\nrelation = \"evaluated-by\"\nto = \"b\"\nstance = \"mixed\"\n",
            )
            .replace(
                "from = \"quiet\"\nrelation = \"evaluated-by\"\nto = \"e\"\n",
                "from = \"quiet\"\nrelation = \"evaluated-by\"\nto = \"e\"\nstance = \"neutral\"\n",
            );
        let g = crate::open::finish(crate::load::toml_text("f.toml", &text), false).graph;
        let c = contested(critiques(&g, &Query::default()));
        assert_eq!(
            c.len(),
            1,
            "pilot is only critical, quiet only critical and neutral"
        );
        assert_eq!(c[0].subject, g.get("fund").unwrap());
        assert_eq!(c[0].critical.len(), 1);
        assert_eq!(c[0].mixed.len(), 1);
        assert!(c[0].supportive.is_empty());
    }

    #[test]
    fn a_document_can_be_judged_without_a_finding() {
        let g = graph(SPEC);
        let q = Query {
            subject: g.get("pilot"),
            ..Query::default()
        };
        let rows = critiques(&g, &q);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].finding, None);
        assert_eq!(rows[0].document, g.get("r1"));
        assert_eq!(rows[0].stance, None);
    }

    #[test]
    fn filters_by_publisher_and_stance() {
        let g = graph(SPEC);
        let by_pac = critiques(
            &g,
            &Query {
                by: g.get("pac"),
                ..Query::default()
            },
        );
        assert_eq!(by_pac.len(), 1);
        assert_eq!(by_pac[0].finding, g.get("f2"));
        let supportive = critiques(
            &g,
            &Query {
                stances: vec![Stance::Supportive],
                ..Query::default()
            },
        );
        assert!(supportive.is_empty());
    }
}
