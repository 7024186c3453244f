//! The shipped integrated-care collection against its sources: Tables 1 and 2 of the
//! 2021 paper, the paper's 39 references, the 2018 committee report's footnotes, and the
//! size and cleanliness the dataset promises.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

use policygraph::graph::PolicyGraph;
use policygraph::model::{AttrValue, NodeKind, Relation};
use policygraph::open::{Opened, open};
use std::collections::{BTreeMap, BTreeSet};
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
            normalise(node.name()) == want || node.aliases().iter().any(|a| normalise(a) == want)
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
    // Government papers whose publisher neither FACTS.md nor any page read names (the
    // green paper is cited as HM Treasury's, the DfES's or HM Government's): no
    // publisher is recorded rather than a guess (audit 18b, #38 and #30).
    const NO_PUBLISHER_KNOWN: &[&str] = &[
        "delivering-the-nhs-plan-2002",
        "every-child-matters-2003",
        // No source read names the publisher (the 2021 paper's refs 9 and 33 give only
        // a place; no page read names who published the NHS Plan).
        "edwards-barnes-plewis-2006-childrens-fund-evaluation",
        "dickinson-2013-joint-commissioning",
        "nhs-plan-2000",
    ];
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
                out.contains(&Relation::PublishedBy) || NO_PUBLISHER_KNOWN.contains(&node.id()),
                "{} has a publisher",
                node.id()
            ),
            NodeKind::Finding => {
                assert!(
                    out.contains(&Relation::Cites),
                    "{} cites the document that makes it",
                    node.id()
                );
                assert!(node.stance.is_some(), "{} has a stance", node.id());
            }
            _ => {}
        }
    }
}

/// Every source of every node and edge: who cites (an id, or `from -relation-> to`), the
/// document and the locator.
fn all_sources(g: &PolicyGraph) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for n in g.nodes() {
        let node = g.node(n);
        for s in node.sources().iter() {
            out.push((node.id().to_string(), s.doc.clone(), s.at.clone()));
        }
    }
    for e in g.edges() {
        let (from, to) = g.endpoints(e);
        let edge = g.edge(e);
        let owner = format!(
            "{} -{}-> {}",
            g.node(from).id(),
            edge.relation,
            g.node(to).id()
        );
        for s in edge.sources() {
            out.push((owner.clone(), s.doc.clone(), s.at.clone()));
        }
    }
    out
}

/// Whether a locator has a line locator of a seed file in it: `L` and a digit at the
/// start of a word (`L88`, `L1-L21`, `ref 19; L88`, `Table 1, L112`).
fn has_line_locator(at: &str) -> bool {
    let chars: Vec<char> = at.chars().collect();
    chars.windows(2).enumerate().any(|(i, w)| {
        w[0] == 'L' && w[1].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric())
    })
}

#[test]
fn no_locator_is_a_line_of_a_seed_file() {
    assert!(has_line_locator("L88") && has_line_locator("ref 19; L88"));
    assert!(has_line_locator("Table 1, L112") && has_line_locator("L1-L21"));
    assert!(!has_line_locator(r#"section "Discussion", para 4"#) && !has_line_locator("Q325"));
    let g = shipped().graph;
    let left: Vec<String> = all_sources(&g)
        .into_iter()
        .filter(|(_, _, at)| has_line_locator(at))
        .map(|(owner, doc, at)| format!("{owner}: {doc} at {at:?}"))
        .collect();
    assert!(left.is_empty(), "line locators left: {left:#?}");
}

/// The seed line numbers a text mentions: `L` and digits as a word (`L145`, `[001] L20`),
/// or starting a range (`L92-94`, `L149-L151`).
fn seed_line_mentions(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != 'L' || (i > 0 && chars[i - 1].is_alphanumeric()) {
            continue;
        }
        let digits = chars[i + 1..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        let end = i + 1 + digits;
        if digits > 0 && chars.get(end).is_none_or(|c| !c.is_alphanumeric()) {
            out.push(chars[i..end].iter().collect());
        }
    }
    out
}

/// Notes, summaries and comments refer to places in the published documents as the
/// `sources` do, never to lines of the seed files, which a reader cannot follow (issue
/// 18). Comments are not kept in the graph, so the files are read line by line.
#[test]
fn no_note_summary_or_comment_mentions_a_seed_line() {
    assert_eq!(
        seed_line_mentions("The 2021 paper (L145) describes"),
        ["L145"]
    );
    assert_eq!(
        seed_line_mentions("([002] L20); 001 L23, L40"),
        ["L20", "L23", "L40"]
    );
    assert_eq!(
        seed_line_mentions("(L92-94; L149-L151)"),
        ["L92", "L149", "L151"]
    );
    assert!(seed_line_mentions(r#"section "Discussion", para 4; Q325; ref 19"#).is_empty());
    assert!(seed_line_mentions("FACTS.md D16, B1; HL2 or 2L1").is_empty());
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/integrated-care"));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the collection's files");
    let mut left = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_start();
            if !(line.starts_with("note =")
                || line.starts_with("summary =")
                || line.starts_with('#'))
            {
                continue;
            }
            let found = seed_line_mentions(line);
            if !found.is_empty() {
                let name = file.file_name().unwrap().to_string_lossy();
                left.push(format!("{name}:{}: {}", i + 1, found.join(", ")));
            }
        }
    }
    assert!(
        left.is_empty(),
        "seed line numbers left in free text: {left:#?}"
    );
}

/// The seed documents: `$POLICYGRAPH_SEEDS`, or `shared/seeds` beside the checkout or one
/// of the folders above it (`../shared/seeds` from the main checkout).
fn seeds_dir() -> Option<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os("POLICYGRAPH_SEEDS") {
        return Some(dir.into());
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .skip(1)
        .map(|p| p.join("shared/seeds"))
        .find(|p| p.is_dir())
}

/// One `;`-separated part of a locator, as the data README describes them.
#[derive(Debug, PartialEq)]
enum Place<'a> {
    /// `section "<heading>"`, with `para k` or `paras j-k` (first and last ordinal), or a
    /// figure by its caption.
    Section {
        heading: &'a str,
        paras: Option<(usize, usize)>,
        figure: Option<&'a str>,
    },
    /// `Table N` or `Table N, row "<title>"`.
    Table(u32, Option<&'a str>),
    /// Any other documented form: `ref 19`, `para 24`, `fn 15`, `p. 18`, `Q325`, or a
    /// named part (`abstract, para 3`, `contributors, "<name>"`, `header`).
    Other,
}

/// The text between a leading and a trailing double quote.
fn quoted(s: &str) -> Option<&str> {
    s.strip_prefix('"')?.strip_suffix('"')
}

/// `para k` or `paras j-k`.
fn paras(s: &str) -> Option<(usize, usize)> {
    if let Some(k) = s.strip_prefix("para ") {
        let k = k.parse().ok()?;
        return Some((k, k));
    }
    let (j, k) = s.strip_prefix("paras ")?.split_once('-')?;
    Some((j.parse().ok()?, k.parse().ok()?))
}

fn number(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Parses one part of a locator, or says why it is not a documented form.
fn place(part: &str) -> Result<Place<'_>, String> {
    let bad = || Err(format!("{part:?} is not a documented locator form"));
    if let Some(rest) = part.strip_prefix("section \"") {
        // The heading is quoted and may itself hold a comma.
        let Some((heading, tail)) = rest.split_once('"') else {
            return bad();
        };
        let (paras, figure) = match tail.strip_prefix(", ") {
            None if tail.is_empty() => (None, None),
            Some(t) if paras(t).is_some_and(|(j, k)| 1 <= j && j <= k) => (paras(t), None),
            Some(t) if t.strip_prefix("figure ").and_then(quoted).is_some() => {
                (None, t.strip_prefix("figure ").and_then(quoted))
            }
            _ => return bad(),
        };
        if heading.is_empty() {
            return bad();
        }
        return Ok(Place::Section {
            heading,
            paras,
            figure,
        });
    }
    if let Some(rest) = part.strip_prefix("Table ") {
        let (n, row) = match rest.split_once(", row ") {
            Some((n, row)) => match quoted(row) {
                Some(row) => (n, Some(row)),
                None => return bad(),
            },
            None => (rest, None),
        };
        return n.parse().map(|n| Place::Table(n, row)).or_else(|_| bad());
    }
    let numbered = ["ref ", "para ", "fn ", "p. ", "Q"]
        .iter()
        .any(|p| part.strip_prefix(p).is_some_and(number));
    let pages = part
        .strip_prefix("pp. ")
        .and_then(|r| r.split_once('-'))
        .is_some_and(|(a, b)| number(a) && number(b));
    if numbered || pages {
        return Ok(Place::Other);
    }
    // Named parts, alone or with a paragraph, a quoted label or a named detail.
    const NAMED: &[&str] = &[
        "title",
        "authors",
        "abstract",
        "record details",
        "keywords",
        "summary",
        "acknowledgements",
        "contributors",
        "figure source",
        "header",
        "publication date",
        "repository cover page",
        "back matter",
    ];
    const DETAILS: &[&str] = &["citation", "portal link", "publication dates", "copyright"];
    let (name, detail) = part.split_once(", ").unwrap_or((part, ""));
    let detail_ok = detail.is_empty()
        || paras(detail).is_some()
        || quoted(detail).is_some_and(|q| !q.is_empty())
        || DETAILS.contains(&detail);
    if NAMED.contains(&name) && detail_ok {
        Ok(Place::Other)
    } else {
        bad()
    }
}

/// The seed file of each seed document node.
fn seed_files(g: &PolicyGraph) -> BTreeMap<String, String> {
    g.nodes()
        .filter_map(|n| {
            let node = g.node(n);
            match node.attrs().get("seed") {
                Some(AttrValue::String(file)) => Some((node.id().to_string(), file.clone())),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn seed_document_locators_use_the_documented_forms() {
    assert_eq!(
        place(r#"section "What difference have these policies made?", para 2"#),
        Ok(Place::Section {
            heading: "What difference have these policies made?",
            paras: Some((2, 2)),
            figure: None,
        })
    );
    assert_eq!(
        place(r#"Table 2, row "Better Care Fund""#),
        Ok(Place::Table(2, Some("Better Care Fund")))
    );
    for wrong in [
        "L88",
        "section Discussion, para 2",
        r#"section "Discussion", para"#,
        "line 4",
    ] {
        assert!(place(wrong).is_err(), "{wrong:?} is refused");
    }
    let g = shipped().graph;
    let seeds = seed_files(&g);
    assert_eq!(seeds.len(), 5, "{seeds:?}");
    let wrong: Vec<String> = all_sources(&g)
        .into_iter()
        .filter(|(_, doc, _)| seeds.contains_key(doc))
        .flat_map(|(owner, _, at)| {
            at.split(';')
                .filter_map(|part| place(part.trim()).err())
                .map(|e| format!("{owner}: {e}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A seed text as the data README reads it: its sections by heading (lower case), each
/// with its paragraph count and the lines of its figure captions, and its tables' rows.
struct Seed {
    sections: BTreeMap<String, (usize, Vec<String>)>,
    table_rows: BTreeSet<(u32, String)>,
}

impl Seed {
    fn read(text: &str) -> Seed {
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let markdown = lines.iter().any(|l| l.starts_with('#'));
        // Blank-line separated blocks of lines.
        let mut blocks: Vec<Vec<&str>> = Vec::new();
        let mut current = Vec::new();
        for &line in &lines {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    blocks.push(std::mem::take(&mut current));
                }
            } else {
                current.push(line);
            }
        }
        blocks.push(current);
        // A heading: a markdown heading, or in a plain page a short line of its own that
        // does not end a sentence; a label such as `KEYWORDS:` also ends a section.
        let heading = |b: &[&str]| -> Option<String> {
            let first = b.first()?;
            if markdown {
                return first
                    .starts_with('#')
                    .then(|| first.trim_start_matches('#').trim().to_lowercase());
            }
            let plain = b.len() == 1
                && first.len() < 60
                && first.chars().next().is_some_and(char::is_uppercase)
                && !first.trim().ends_with(['.', ':', '?', '!']);
            plain.then(|| first.trim().to_lowercase())
        };
        let label = |b: &[&str]| {
            b.len() == 1 && b[0].ends_with(':') && !b[0].chars().any(char::is_lowercase)
        };
        let mut seed = Seed {
            sections: BTreeMap::new(),
            table_rows: BTreeSet::new(),
        };
        let mut section: Option<String> = None;
        let mut pending_rows: Vec<String> = Vec::new();
        for b in blocks.iter().filter(|b| !b.is_empty()) {
            if let Some(h) = heading(b) {
                seed.sections.entry(h.clone()).or_default();
                section = Some(h);
                continue;
            }
            if label(b) {
                section = None;
                continue;
            }
            let first = b[0].trim_start();
            if first.contains('\t') {
                // Table rows after a header row (`YEAR`): the title in the second
                // column; the caption follows them.
                pending_rows.extend(
                    b.iter()
                        .filter(|r| !r.starts_with("YEAR\t"))
                        .filter_map(|r| r.split('\t').nth(1))
                        .map(|t| t.trim().trim_end_matches(':').to_string()),
                );
                continue;
            }
            if let Some(caption) = first.strip_prefix("**Table ") {
                let n: u32 = caption.split("**").next().unwrap().trim().parse().unwrap();
                for row in pending_rows.drain(..) {
                    seed.table_rows.insert((n, row));
                }
                continue;
            }
            let Some(s) = &section else { continue };
            let entry = seed.sections.get_mut(s).unwrap();
            if b.len() == 2 && b[1].starts_with("Source:") {
                entry.1.push(first.trim().to_string());
            } else if entry.0 == 0
                || !(first.starts_with(char::is_lowercase) || first.starts_with(['“', '"']))
            {
                // Not the continuation of a paragraph a page break or table interrupted,
                // nor a displayed quotation (which belongs to the paragraph before it).
                entry.0 += 1;
            }
        }
        seed
    }
}

#[test]
fn section_locators_name_a_heading_and_paragraph_of_the_seed() {
    let Some(dir) = seeds_dir() else {
        eprintln!("SKIPPED: needs the seed documents (../shared/seeds, or set POLICYGRAPH_SEEDS)");
        return;
    };
    let g = shipped().graph;
    let seeds: BTreeMap<String, Seed> = seed_files(&g)
        .into_iter()
        .map(|(doc, file)| {
            let text = std::fs::read_to_string(dir.join(&file))
                .unwrap_or_else(|e| panic!("{}: {e}", dir.join(&file).display()));
            (doc, Seed::read(&text))
        })
        .collect();
    // The parser agrees with the sections the README's examples name.
    let paper = &seeds["miller-glasby-dickinson-2021"];
    assert_eq!(
        paper.sections["what difference have these policies made?"].0,
        6
    );
    assert_eq!(paper.sections["discussion"].0, 5);
    assert_eq!(paper.table_rows.len(), 11);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (owner, doc, at) in all_sources(&g) {
        let Some(seed) = seeds.get(&doc) else {
            continue;
        };
        for part in at.split(';').map(str::trim) {
            let problem = match place(part) {
                Ok(Place::Section {
                    heading,
                    paras,
                    figure,
                }) => match seed.sections.get(&heading.to_lowercase()) {
                    None => Some(format!("no heading {heading:?} in the seed")),
                    Some((count, _)) if paras.is_some_and(|(_, k)| k > *count) => {
                        Some(format!("{heading:?} has {count} paragraphs in the seed"))
                    }
                    Some((_, figures))
                        if figure.is_some_and(|f| !figures.iter().any(|c| c == f)) =>
                    {
                        Some(format!("no such figure under {heading:?}"))
                    }
                    Some(_) => None,
                },
                Ok(Place::Table(n, Some(row))) => {
                    (!seed.table_rows.contains(&(n, row.to_string())))
                        .then(|| format!("no row {row:?} in Table {n}"))
                }
                _ => None,
            };
            checked += 1;
            if let Some(p) = problem {
                wrong.push(format!("{owner}: {doc} at {at:?}: {p}"));
            }
        }
    }
    assert!(checked >= 600, "{checked} locator parts checked");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The relations say what the sources say: a finding cites only the document that
/// makes it (the later documents that report it are `reported-in`); nothing the shipped
/// data judges points straight at a document; and no establisher began more than a year
/// after what it established (a later law or plan that reformed something already
/// running is `reformed-by`; `check::dates::ESTABLISHER_LAG` is the year of tolerance).
#[test]
fn relations_are_used_for_what_they_mean() {
    let g = shipped().graph;
    for n in g.nodes() {
        if g.node(n).kind != NodeKind::Finding {
            continue;
        }
        let cited: Vec<_> = g
            .edges_of(n, petgraph::Direction::Outgoing)
            .into_iter()
            .filter(|&e| g.edge(e).relation == Relation::Cites)
            .map(|e| g.endpoints(e).1)
            .collect();
        assert_eq!(
            cited.len(),
            1,
            "{} cites {} documents: one makes it, the rest report it (`reported-in`)",
            g.node(n).id(),
            cited.len()
        );
        let year = |x| g.node(x).start.map(|d| d.year_part());
        assert_eq!(
            year(cited[0]),
            year(n),
            "{} is dated by the document that makes it",
            g.node(n).id()
        );
    }
    for e in g.edges() {
        let (a, b) = g.endpoints(e);
        let (from, to) = (g.node(a), g.node(b));
        match g.edge(e).relation {
            Relation::EvaluatedBy => assert_eq!(
                to.kind,
                NodeKind::Finding,
                "{} is judged in {}, a document: a judgement is a finding",
                from.id(),
                to.id()
            ),
            Relation::EstablishedBy => {
                if let (Some(f), Some(t)) = (from.start, to.start) {
                    assert!(
                        t.year_part() <= f.year_part() + 1,
                        "{} ({f}) was established by {}, which began in {t}: a reform",
                        from.id(),
                        to.id()
                    );
                }
            }
            _ => {}
        }
    }
}

/// Every seed document carries a link a student can follow: its DOI or its address.
#[test]
fn every_seed_document_has_a_doi_or_url() {
    let g = shipped().graph;
    let seeds: Vec<_> = g
        .nodes()
        .filter(|&n| g.node(n).attrs().contains_key("seed"))
        .collect();
    assert_eq!(seeds.len(), 5, "the five seed documents");
    for n in seeds {
        let node = g.node(n);
        assert!(
            node.attrs().contains_key("doi") || node.attrs().contains_key("url"),
            "{} has no doi or url",
            node.id()
        );
    }
}

/// The claims audit 18 found sourced to a seed place that does not say them (group B, and
/// the personal health budgets edge) cite the public page that does, as a document node
/// with its address (issue 18).
#[test]
fn facts_from_facts_md_cite_their_public_source_document() {
    const CLAIMS: &[(&str, &str, &str)] = &[
        (
            "nhs-reform-and-health-care-professions-act-2002",
            "legislation-gov-uk-nhs-reform-and-health-care-professions-act-2002",
            "Part 1, ss. 1-2",
        ),
        (
            "better-care-fund -reformed-by-> care-act-2014",
            "legislation-gov-uk-care-act-2014-part-4",
            "s. 121",
        ),
        (
            "ministry-of-housing-communities-and-local-government",
            "civil-service-world-2018-communities-and-health-departments-renamed",
            "paras 1-2",
        ),
        (
            "ministry-of-housing-communities-and-local-government -replaced-> department-for-communities-and-local-government",
            "civil-service-world-2018-communities-and-health-departments-renamed",
            "paras 1-2",
        ),
        (
            "adass",
            "nhs-england-building-the-right-support-national-plan-page",
            "para 2",
        ),
        (
            "dowling-powell-glendinning-2004-conceptualising-successful-partnerships -published-by-> wiley",
            "wiley-online-library-health-and-social-care-in-the-community-author-guidelines",
            "Author Guidelines",
        ),
        (
            "personal-health-budgets -established-by-> department-of-health",
            "ilpn-2014-implementation-of-personal-health-budgets",
            "Overview of the session",
        ),
    ];
    let g = shipped().graph;
    let sources = all_sources(&g);
    for &(owner, doc, place) in CLAIMS {
        assert!(
            sources
                .iter()
                .any(|(o, d, at)| o == owner && d == doc && at.contains(place)),
            "{owner} cites {doc} at {place:?}"
        );
        // The ministry's POSTnote line names only its predecessor department.
        if owner.starts_with("ministry-of-housing") {
            assert!(
                !sources
                    .iter()
                    .any(|(o, d, _)| o == owner && d == "postnote-532"),
                "{owner} no longer cites the POSTnote"
            );
        }
        let n = g.get(doc).unwrap_or_else(|| panic!("{doc} is a node"));
        let node = g.node(n);
        assert_eq!(node.kind, NodeKind::Document, "{doc} is a document");
        assert!(
            matches!(node.attrs().get("url"), Some(AttrValue::String(u)) if u.starts_with("http")),
            "{doc} has its address"
        );
    }
}

/// Whether `n` is a public-source page: a document node that cites itself as a whole
/// (`at = "page"`), as the pages in `public-sources.toml` do (seed documents cite their
/// title or publication details instead).
fn is_public_source(g: &PolicyGraph, n: policygraph::graph::NodeIndex) -> bool {
    let node = g.node(n);
    node.kind == NodeKind::Document
        && node
            .sources()
            .iter()
            .any(|s| s.doc == node.id() && s.at == "page")
}

/// Every node whose `attrs.fact_source` names the public page FACTS.md checked, and every
/// edge whose note names a public address, cites at least one public-source document
/// node, not only seed places (issue 18).
#[test]
fn records_with_a_public_source_cite_a_public_source_document() {
    // Records whose public page could not be read, so they keep their seed places and
    // say the gap in their note (issue 18 session note): the SCIE page puts the
    // definition above its headings (no locator could be given); the Children's Fund
    // evaluation page and the 2002 Community Care item are in no stored copy.
    const NOT_YET: &[&str] = &[
        "national-voices-2013-narrative-for-person-centred-care",
        "childrens-fund -established-by-> uk-government",
    ];
    let g = shipped().graph;
    let public = |doc: &str| g.get(doc).is_some_and(|n| is_public_source(&g, n));
    let mut missing = Vec::new();
    for n in g.nodes() {
        let node = g.node(n);
        if node.attrs().contains_key("fact_source")
            && !node.sources().iter().any(|s| public(&s.doc))
        {
            missing.push(node.id().to_string());
        }
    }
    for e in g.edges() {
        let edge = g.edge(e);
        let names_url = edge.note().is_some_and(|t| t.contains("http"));
        if names_url && !edge.sources().iter().any(|s| public(&s.doc)) {
            let (from, to) = g.endpoints(e);
            missing.push(format!(
                "{} -{}-> {}",
                g.node(from).id(),
                edge.relation,
                g.node(to).id()
            ));
        }
    }
    missing.retain(|m| !NOT_YET.contains(&m.as_str()));
    assert!(
        missing.is_empty(),
        "cite no public-source document: {missing:?}"
    );
}

/// One document node per address: no two document nodes share an `attrs.url`, compared
/// without the scheme, a leading `www.` or a trailing slash (issue 18).
#[test]
fn no_two_documents_share_an_address() {
    let g = shipped().graph;
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for n in g.nodes() {
        let node = g.node(n);
        if node.kind != NodeKind::Document {
            continue;
        }
        let Some(AttrValue::String(url)) = node.attrs().get("url") else {
            continue;
        };
        let bare = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let key = bare
            .strip_prefix("www.")
            .unwrap_or(bare)
            .trim_end_matches('/')
            .to_lowercase();
        if let Some(other) = seen.insert(key, node.id().to_string()) {
            panic!("{} and {other} share the address {url}", node.id());
        }
    }
}

/// A record's owner (an id, or `from -relation-> to`), whether it is a judgement, and its
/// (document, locator) pairs.
type RecordSources = (String, bool, Vec<(String, String)>);

/// Every source of every node and edge, grouped by the record that lists them. A
/// judgement is a finding, an `evaluated-by` edge, or an edge from a finding.
fn sources_by_record(g: &PolicyGraph) -> Vec<RecordSources> {
    let mut out = Vec::new();
    for n in g.nodes() {
        let node = g.node(n);
        let pairs = node
            .sources()
            .iter()
            .map(|s| (s.doc.clone(), s.at.clone()))
            .collect();
        out.push((node.id().to_string(), node.kind == NodeKind::Finding, pairs));
    }
    for e in g.edges() {
        let (from, to) = g.endpoints(e);
        let edge = g.edge(e);
        let owner = format!(
            "{} -{}-> {}",
            g.node(from).id(),
            edge.relation,
            g.node(to).id()
        );
        // A judgement: the finding's `evaluated-by` edges, and its `cites` and
        // `reported-in` edges to the documents that make or report it.
        let judgement =
            edge.relation == Relation::EvaluatedBy || g.node(from).kind == NodeKind::Finding;
        let pairs = edge
            .sources()
            .iter()
            .map(|s| (s.doc.clone(), s.at.clone()))
            .collect();
        out.push((owner, judgement, pairs));
    }
    out
}

/// No node or edge lists the same source, the same document at the same place, twice
/// (audit 18 found ten that did).
#[test]
fn no_record_lists_the_same_source_twice() {
    let g = shipped().graph;
    let mut repeated = Vec::new();
    for (owner, _, pairs) in sources_by_record(&g) {
        let mut seen = BTreeSet::new();
        for (doc, at) in pairs {
            if !seen.insert((doc.clone(), at.clone())) {
                repeated.push(format!("{owner}: {doc} at {at:?}"));
            }
        }
    }
    assert!(repeated.is_empty(), "sources listed twice: {repeated:#?}");
}

/// Whether a locator is a bibliography entry or a footnote and nothing else: `ref 9`,
/// `fn 14` (not `ref 9; section "…", para 2` or `para 23; fn 14`).
fn bare_reference_or_footnote(at: &str) -> bool {
    match at.trim().split_once(' ') {
        Some(("ref" | "fn", n)) => number(n),
        _ => false,
    }
}

/// A bibliography entry or a footnote names a work, not the judgement a finding records:
/// every seed locator of a finding, of an `evaluated-by` edge, or of a finding's `cites`
/// and `reported-in` edges gives the paragraph that makes the claim, alone or with the
/// entry (`ref 9; section "…", para 2`, `para 23; fn 14`) (audit 18, group A).
#[test]
fn no_judgement_rests_on_a_bare_reference_or_footnote() {
    assert!(bare_reference_or_footnote("ref 9") && bare_reference_or_footnote("fn 14"));
    assert!(!bare_reference_or_footnote(
        r#"ref 9; section "Discussion", para 2"#
    ));
    assert!(!bare_reference_or_footnote("para 23; fn 14") && !bare_reference_or_footnote("p. 7"));
    let g = shipped().graph;
    let seeds: BTreeSet<String> = g
        .nodes()
        .filter(|&n| g.node(n).attrs().contains_key("seed"))
        .map(|n| g.node(n).id().to_string())
        .collect();
    assert_eq!(seeds.len(), 5, "the five seed documents");
    let bare: Vec<String> = sources_by_record(&g)
        .into_iter()
        .filter(|(_, judgement, _)| *judgement)
        .flat_map(|(owner, _, pairs)| {
            pairs
                .into_iter()
                .filter(|(doc, at)| seeds.contains(doc) && bare_reference_or_footnote(at))
                .map(move |(doc, at)| format!("{owner}: {doc} at {at:?}"))
        })
        .collect();
    assert!(
        bare.is_empty(),
        "judgements sourced to a bare entry: {bare:#?}"
    );
}

/// The early and missing history that issue 18 added (1970s joint working, the triple
/// aim, POST's sequence of approaches, the exemplar areas, the HPA, the Secretary of
/// State): each is a node of the right kind, sourced by a seed or a public-source page,
/// and joined to the graph by the edges that place it.
#[test]
fn the_missing_history_is_in_the_graph() {
    const SUBJECTS: &[(&str, NodeKind)] = &[
        ("joint-consultative-committees", NodeKind::Body),
        (
            "duty-of-health-and-local-authorities-to-co-operate",
            NodeKind::Initiative,
        ),
        ("joint-finance", NodeKind::Initiative),
        ("triple-aim", NodeKind::Initiative),
        ("case-management", NodeKind::Initiative),
        ("inter-agency-working", NodeKind::Initiative),
        ("integrated-care-pathways", NodeKind::Initiative),
        ("frimley", NodeKind::Body),
        ("nottinghamshire", NodeKind::Body),
        ("greater-manchester", NodeKind::Body),
        ("health-protection-agency", NodeKind::Body),
        (
            "secretary-of-state-for-health-and-social-care",
            NodeKind::Body,
        ),
    ];
    const EDGES: &[&str] = &[
        "joint-consultative-committees -established-by-> nhs-reorganisation-act-1973",
        "duty-of-health-and-local-authorities-to-co-operate -reformed-by-> health-act-1999",
        "joint-finance -established-by-> department-of-health-and-social-security",
        "triple-aim -reformed-by-> health-and-care-act-2022",
        "inter-agency-working -replaced-> case-management",
        "integrated-care-pathways -replaced-> inter-agency-working",
        "public-health-england -replaced-> health-protection-agency",
        "frimley -evaluated-by-> miller-2021-progress-varies-by-area",
        "nottinghamshire -evaluated-by-> miller-2021-progress-varies-by-area",
        "greater-manchester -evaluated-by-> miller-2021-progress-varies-by-area",
        "secretary-of-state-for-health-and-social-care -evaluated-by-> miller-2021-roles-of-secretary-of-state-and-nhs-england-debated",
    ];
    let g = shipped().graph;
    let is_seed_or_public = |doc: &str| {
        g.get(doc).is_some_and(|d| {
            let attrs = &g.node(d).attrs();
            attrs.contains_key("seed") || attrs.contains_key("url")
        })
    };
    for &(id, kind) in SUBJECTS {
        let n = g.get(id).unwrap_or_else(|| panic!("{id} is a node"));
        let node = g.node(n);
        assert_eq!(node.kind, kind, "{id} is a {kind}");
        assert!(
            node.sources().iter().any(|s| is_seed_or_public(&s.doc)),
            "{id} cites a seed or a public-source page"
        );
    }
    let edges: BTreeSet<String> = g
        .edges()
        .map(|e| {
            let (a, b) = g.endpoints(e);
            format!(
                "{} -{}-> {}",
                g.node(a).id(),
                g.edge(e).relation,
                g.node(b).id()
            )
        })
        .collect();
    for &edge in EDGES {
        assert!(edges.contains(edge), "the graph has {edge}");
    }
}

/// `at = "page"` cites a page for what the page itself is: its own node, its
/// `published-by` edge, and the node of a publisher first known from it. A content claim
/// sourced to a page names the paragraph, row or infobox it rests on (audit 18b found 11
/// content claims at `page`).
#[test]
fn a_page_locator_is_only_for_the_page_itself_and_its_publisher() {
    let g = shipped().graph;
    let mut wrong = Vec::new();
    for n in g.nodes() {
        let node = g.node(n);
        for s in node.sources().iter().filter(|s| s.at == "page") {
            let own = s.doc == node.id();
            // A publisher first known from the page: the page is published by it.
            let publisher = g.get(&s.doc).is_some_and(|page| {
                g.edges_of(page, petgraph::Direction::Outgoing)
                    .into_iter()
                    .any(|e| g.edge(e).relation == Relation::PublishedBy && g.endpoints(e).1 == n)
            });
            if !own && !publisher {
                wrong.push(format!("{} <- {}", node.id(), s.doc));
            }
        }
    }
    for e in g.edges() {
        let (from, to) = g.endpoints(e);
        let edge = g.edge(e);
        for s in edge.sources().iter().filter(|s| s.at == "page") {
            let own = edge.relation == Relation::PublishedBy && g.node(from).id() == s.doc;
            if !own {
                wrong.push(format!(
                    "{} -{}-> {} <- {}",
                    g.node(from).id(),
                    edge.relation,
                    g.node(to).id(),
                    s.doc
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "content claims at `page`: {wrong:#?}");
}
