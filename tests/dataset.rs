//! The shipped integrated-care collection against its sources: Tables 1 and 2 of the
//! 2021 paper, the paper's 39 references, the 2018 committee report's footnotes, and the
//! size and cleanliness the dataset promises.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

use policygraph::graph::PolicyGraph;
use policygraph::model::{NodeKind, Relation};
use policygraph::open::{Opened, open};
use std::collections::BTreeSet;
use std::path::Path;

fn shipped() -> Opened {
    open(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/integrated-care")),
        true,
    )
    .expect("data loads")
}

/// Tables 1 and 2 of Miller, Glasby & Dickinson (2021): year, title, and the kinds that
/// are a sensible reading of the row.
const TABLE_ROWS: &[(u16, &str, &[NodeKind])] = &[
    (
        2012,
        "Health & Social Care Act 2012",
        &[NodeKind::Legislation],
    ),
    (
        2013,
        "Integrated Care: Our Shared Commitment",
        &[NodeKind::Initiative],
    ),
    (
        2013,
        "Integrated Care and Support Pioneers",
        &[NodeKind::Initiative],
    ),
    (2013, "Better Care Fund", &[NodeKind::Initiative]),
    (2014, "Care Act 2014", &[NodeKind::Legislation]),
    (2014, "Five Year Forward View", &[NodeKind::Initiative]),
    (
        2015,
        "Spending Review and Autumn Statement 2015",
        &[NodeKind::Initiative],
    ),
    (
        2015,
        "Sustainability and Transformation Plans",
        &[NodeKind::Initiative],
    ),
    (
        2018,
        "Integrated care systems",
        &[NodeKind::Body, NodeKind::Initiative],
    ),
    (2019, "NHS Long Term Plan", &[NodeKind::Initiative]),
    (2019, "Primary Care Networks", &[NodeKind::Body]),
];

fn normalise(text: &str) -> String {
    text.to_lowercase()
        .replace('&', "and")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn find_by_title(g: &PolicyGraph, title: &str) -> Vec<policygraph::graph::NodeIndex> {
    let want = normalise(title);
    g.nodes()
        .filter(|&n| {
            let node = g.node(n);
            normalise(&node.name) == want || node.aliases.iter().any(|a| normalise(a) == want)
        })
        .collect()
}

#[test]
fn collection_is_clean_under_strict() {
    let opened = shipped();
    let problems: Vec<String> = opened
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.code, p.message))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn collection_has_the_promised_size() {
    let g = shipped().graph;
    assert!(g.node_count() >= 150, "{} nodes", g.node_count());
    assert!(g.edge_count() >= 300, "{} edges", g.edge_count());
    assert_eq!(g.eras.len(), 4);
}

#[test]
fn tables_1_and_2_are_reproduced() {
    let g = shipped().graph;
    for &(year, title, kinds) in TABLE_ROWS {
        let found = find_by_title(&g, title);
        assert_eq!(
            found.len(),
            1,
            "exactly one node titled {title:?}: {found:?}"
        );
        let node = g.node(found[0]);
        assert!(kinds.contains(&node.kind), "{title:?} is a {}", node.kind);
        assert_eq!(
            node.start.map(|d| d.year_part()),
            Some(year),
            "{title:?} starts in {year}"
        );
        // What each row established or introduced is an edge from or to it.
        assert!(
            g.graph.neighbors_undirected(found[0]).next().is_some(),
            "{title:?} has edges"
        );
    }
}

fn cites_locators(g: &PolicyGraph, doc: &str) -> (BTreeSet<String>, usize) {
    let ix = g.get(doc).unwrap_or_else(|| panic!("{doc} is a node"));
    let mut locators = BTreeSet::new();
    let mut targets = BTreeSet::new();
    for e in g.edges_of(ix, petgraph::Direction::Outgoing) {
        if g.edge(e).relation == Relation::Cites {
            targets.insert(g.endpoints(e).1);
            for s in g.edge(e).sources() {
                for part in s.at.split([';', ',']) {
                    locators.insert(part.trim().to_string());
                }
            }
        }
    }
    (locators, targets.len())
}

#[test]
fn every_seed_document_is_a_node() {
    let g = shipped().graph;
    for id in [
        "miller-glasby-dickinson-2021",
        "miller-glasby-dickinson-2021-portal-record",
        "postnote-532",
        "kings-fund-2022-integrated-care-position",
        "hscc-2018-integrated-care",
    ] {
        let n = g.get(id).unwrap_or_else(|| panic!("{id} is a node"));
        assert_eq!(g.node(n).kind, NodeKind::Document);
    }
}

#[test]
fn the_paper_cites_its_39_references() {
    let g = shipped().graph;
    let (locators, targets) = cites_locators(&g, "miller-glasby-dickinson-2021");
    for n in 1..=39 {
        assert!(locators.contains(&format!("ref {n}")), "ref {n} is cited");
    }
    // Ref 29 is the committee report itself, one of the 39 distinct documents.
    assert!(targets >= 39, "{targets} documents");
}

#[test]
fn the_committee_report_cites_its_footnotes() {
    let g = shipped().graph;
    let (locators, _) = cites_locators(&g, "hscc-2018-integrated-care");
    for n in 13..=28 {
        assert!(
            locators.contains(&format!("fn {n}")),
            "fn {n} is cited: {locators:?}"
        );
    }
}

#[test]
fn every_document_has_a_publisher_and_every_finding_a_source_document() {
    let g = shipped().graph;
    for n in g.nodes() {
        let node = g.node(n);
        let out: Vec<Relation> = g
            .edges_of(n, petgraph::Direction::Outgoing)
            .into_iter()
            .map(|e| g.edge(e).relation)
            .collect();
        match node.kind {
            NodeKind::Document => assert!(
                out.contains(&Relation::PublishedBy),
                "{} has a publisher",
                node.id
            ),
            NodeKind::Finding => {
                assert!(
                    out.contains(&Relation::Cites),
                    "{} cites the document that makes it",
                    node.id
                );
                assert!(node.stance.is_some(), "{} has a stance", node.id);
            }
            _ => {}
        }
    }
}
