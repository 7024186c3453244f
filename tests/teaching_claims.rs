//! Every claim the handout's discussion questions make about the shipped data, recomputed
//! here from the records themselves (node dates, edges, stances), not from the functions
//! that wrote the question. A question the data changes must still be true.

use policygraph::graph::{NodeIndex, PolicyGraph};
use policygraph::model::{End, NodeKind, Relation, Stance};
use policygraph::query::stats::layering;
use policygraph::teach::questions::questions;
use std::path::Path;

fn shipped() -> PolicyGraph {
    let opened = policygraph::open::open(Path::new("data"), false).expect("the shipped data loads");
    opened.graph
}

fn by_name(g: &PolicyGraph, name: &str) -> NodeIndex {
    g.nodes()
        .find(|&n| g.node(n).name() == name)
        .unwrap_or_else(|| panic!("no node named {name:?}"))
}

/// The first number after `prefix` in `text`.
fn number_after(text: &str, prefix: &str) -> usize {
    let rest = &text[text
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix:?} in {text:?}"))
        + prefix.len()..];
    rest.chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("a number after {prefix:?} in {text:?}"))
}

/// Initiatives known to run in `year`, from their dates alone: an unknown end vouches
/// only for the start year.
fn known_running(g: &PolicyGraph, year: u16) -> Vec<NodeIndex> {
    g.nodes()
        .filter(|&n| g.node(n).kind == NodeKind::Initiative)
        .filter(|&n| {
            let node = g.node(n);
            let Some(start) = node.start.map(|d| d.year_part()) else {
                return false;
            };
            start <= year
                && match node.end {
                    End::On(e) => e.year_part() >= year,
                    End::Ongoing => true,
                    End::Unknown => start == year,
                }
        })
        .collect()
}

#[test]
fn every_question_is_true_of_the_shipped_data() {
    let g = shipped();
    let bib = policygraph::query::bibliography::Bibliography::new(&g, Default::default());
    let qs = questions(&g, &bib, &layering(&g));
    assert!(qs.len() >= 5, "{qs:#?}");
    let mut checked = 0;
    for q in &qs {
        if let Some(subject) = q
            .split(" drew ")
            .next()
            .filter(|_| q.contains(" critical judgement"))
        {
            // "X drew N critical judgements out of M".
            let s = by_name(&g, subject);
            let (critical, total) = (number_after(q, " drew "), number_after(q, " out of "));
            let judged: Vec<_> = g
                .edges_of(s, petgraph::Direction::Outgoing)
                .into_iter()
                .filter(|&e| g.edge(e).relation == Relation::EvaluatedBy)
                .collect();
            let stance = |e| {
                let edge = g.edge(e);
                edge.stance.or_else(|| g.node(g.endpoints(e).1).stance)
            };
            assert_eq!(judged.len(), total, "{q}");
            assert_eq!(
                judged
                    .iter()
                    .filter(|&&e| stance(e) == Some(Stance::Critical))
                    .count(),
                critical,
                "{q}"
            );
            checked += 1;
        } else if let Some(rest) = q
            .strip_prefix("In ")
            .filter(|_| q.contains("known to have been running"))
        {
            let year: u16 = rest[..4].parse().expect("a year");
            let count = number_after(q, ", ");
            let running = known_running(&g, year);
            assert_eq!(running.len(), count, "{q}");
            // The peak: no year has more initiatives known to be running.
            for y in 1960..=2030 {
                assert!(
                    known_running(&g, y).len() <= count,
                    "{y} beats the peak: {q}"
                );
            }
            // Every initiative the question names was running then.
            let named = q.split("among them ").nth(1).expect("names");
            for n in g
                .nodes()
                .filter(|&n| g.node(n).kind == NodeKind::Initiative)
            {
                let name = g.node(n).name();
                if [",", " and ", ". "]
                    .iter()
                    .any(|end| named.contains(&format!("{name}{end}")))
                {
                    assert!(
                        running.contains(&n),
                        "{} was not known to be running in {year}",
                        g.node(n).name()
                    );
                }
            }
            if q.contains("more had started earlier with no recorded end") {
                let more = number_after(q, "(and ");
                let unknown = g
                    .nodes()
                    .filter(|&n| {
                        g.node(n).kind == NodeKind::Initiative && g.node(n).end == End::Unknown
                    })
                    .filter(|&n| g.node(n).start.is_some_and(|s| s.year_part() < year))
                    .count();
                assert_eq!(unknown, more, "{q}");
            }
            checked += 1;
        } else if q.contains(" did the new arrangement answer") {
            // "New (from Y) replaced Old." or "New replaced Old in Y."
            let (newer, older) = q.split_once(" replaced ").expect("a replacement");
            let newer = newer.split(" (from ").next().unwrap_or(newer);
            let older = older.split(". ").next().unwrap_or(older);
            let older = older.split(" in ").next().unwrap_or(older);
            let (a, b) = (by_name(&g, newer), by_name(&g, older));
            let edge = g
                .edges_of(a, petgraph::Direction::Outgoing)
                .into_iter()
                .find(|&e| g.edge(e).relation == Relation::Replaced && g.endpoints(e).1 == b)
                .expect("the replaced edge exists");
            match g.edge(edge).date {
                Some(d) => assert!(q.contains(&format!(" in {}.", d.year_part())), "{q}"),
                None => assert!(
                    q.contains(&format!(
                        "(from {})",
                        g.node(a).start.expect("dated").year_part()
                    )),
                    "an undated replacement is not given a year of its own: {q}"
                ),
            }
            checked += 1;
        } else if q.contains(" established ") && q.contains("How far can legislation") {
            let act = q
                .trim_start_matches("The ")
                .split(" established ")
                .next()
                .expect("an act");
            let act = g
                .nodes()
                .find(|&n| g.node(n).name().trim_start_matches("The ") == act)
                .expect("the act");
            let n = number_after(q, " established ");
            let count = g
                .edges_of(act, petgraph::Direction::Incoming)
                .into_iter()
                .filter(|&e| g.edge(e).relation == Relation::EstablishedBy)
                .count();
            assert_eq!(count, n, "{q}");
            checked += 1;
        } else if q.contains(" gave way, ") {
            let (first, rest) = q.split_once(" gave way, ").expect("a chain");
            let n = number_after(q, " (");
            let start = by_name(&g, first);
            // The family along `replaced`, forwards from its oldest member.
            let mut seen = vec![start];
            let mut i = 0;
            while i < seen.len() {
                for e in g.edges_of(seen[i], petgraph::Direction::Incoming) {
                    let from = g.endpoints(e).0;
                    if g.edge(e).relation == Relation::Replaced && !seen.contains(&from) {
                        seen.push(from);
                    }
                }
                i += 1;
            }
            assert_eq!(seen.len(), n, "{q}");
            let straight = seen.iter().all(|&m| {
                let count = |dir| {
                    g.edges_of(m, dir)
                        .into_iter()
                        .filter(|&e| g.edge(e).relation == Relation::Replaced)
                        .count()
                };
                count(petgraph::Direction::Outgoing) <= 1
                    && count(petgraph::Direction::Incoming) <= 1
            });
            assert_eq!(rest.starts_with("step by step"), straight, "{q}");
            checked += 1;
        } else if q.contains(" era (") {
            // "More initiatives began in the E era (N) than in any other": by the deck's rule,
            // a year two eras share belongs to the later one.
            let era = q
                .split("in the ")
                .nth(1)
                .and_then(|r| r.split(" era (").next())
                .expect("an era");
            let n = number_after(q, " era (");
            let starts = |i: usize| {
                let from = g.eras[i].start.year_part();
                let to = g
                    .eras
                    .get(i + 1)
                    .map_or(u16::MAX, |e| e.start.year_part() - 1);
                g.nodes()
                    .filter(|&x| g.node(x).kind == NodeKind::Initiative)
                    .filter(|&x| {
                        g.node(x)
                            .start
                            .is_some_and(|s| (from..=to).contains(&s.year_part()))
                    })
                    .count()
            };
            let i = g.eras.iter().position(|e| e.name == era).expect("the era");
            assert_eq!(starts(i), n, "{q}");
            assert!(
                (0..g.eras.len()).filter(|&j| j != i).all(|j| starts(j) < n),
                "{q}"
            );
            checked += 1;
        } else if q.contains("a favourable judgement of ") {
            let subject = q
                .split("a favourable judgement of ")
                .nth(1)
                .and_then(|r| r.split(". ").next())
                .expect("a subject");
            let s = by_name(&g, subject);
            assert!(
                g.edges_of(s, petgraph::Direction::Outgoing)
                    .into_iter()
                    .any(|e| {
                        g.edge(e).relation == Relation::EvaluatedBy
                            && g.edge(e).stance.or(g.node(g.endpoints(e).1).stance)
                                == Some(Stance::Supportive)
                    }),
                "{q}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, qs.len(), "every question has a check: {qs:#?}");
}

#[test]
fn the_deck_and_the_questions_put_a_year_in_the_same_era() {
    let g = shipped();
    for year in 1990..=2030u16 {
        let era = policygraph::query::timeline::era_of(&g.eras, year);
        // The deck's steps: an era's last year is the year before the next era starts.
        let deck = g.eras.iter().enumerate().position(|(i, e)| {
            let last = policygraph::query::timeline::era_last_year(&g.eras, i);
            e.start.year_part() <= year && last.is_none_or(|l| year <= l)
        });
        assert_eq!(era, deck, "{year}");
    }
    let era = |y| policygraph::query::timeline::era_of(&g.eras, y).map(|i| g.eras[i].name.as_str());
    assert_eq!(
        era(2015),
        Some("Conservative"),
        "2015 belongs to the later era, as in the deck"
    );
    assert_eq!(era(2010), Some("Coalition"));
    assert_eq!(era(2014), Some("Coalition"));
}

#[test]
fn explain_tells_an_edge_by_its_own_date() {
    let out = assert_cmd::Command::cargo_bin("policygraph")
        .expect("the binary")
        .args(["--data", "data", "explain", "monitor", "nhs-england"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("on 1 July 2022"), "{text}");
}

/// The shipped bibliography as two styles render it (Cite Them Right Harvard and APA 7).
#[test]
fn the_shipped_bibliography_in_harvard_and_apa() {
    use policygraph::query::bibliography::{Bibliography, Reference, Style};
    let opened = policygraph::open::open(Path::new("data"), false).expect("the shipped data loads");
    let g = &opened.graph;
    for style in ["harvard", "apa"] {
        let bib = Bibliography::new(g, Style::by_name(style).expect("bundled"));
        let list: Vec<String> = bib.references().iter().map(Reference::plain).collect();
        insta::assert_snapshot!(format!("bibliography_{style}"), list.join("\n"));
    }
}

/// The handout's layering sentences (issue 21), recomputed from the records: node
/// dates, `replaced` and `established-by` edges, and the renamings recorded on edges.
#[test]
fn the_handouts_layering_sentences_are_true_of_the_shipped_data() {
    use policygraph::model::AttrValue;
    let g = shipped();
    let said = policygraph::teach::handout::layering_sentences(
        &g,
        &policygraph::query::layering::layering(&g, None, None),
    );
    let initiatives: Vec<NodeIndex> = g
        .nodes()
        .filter(|&n| g.node(n).kind == NodeKind::Initiative && g.node(n).start.is_some())
        .collect();
    let year_of = |n: NodeIndex| g.node(n).start.unwrap().year_part();
    let first = initiatives.iter().map(|&n| year_of(n)).min().unwrap();
    let last = g
        .nodes()
        .flat_map(|n| [g.node(n).start, g.node(n).end.date()])
        .flatten()
        .map(|d| d.year_part())
        .max()
        .unwrap();
    // The peak of known running initiatives, and the band above it.
    let running: Vec<(u16, usize)> = (first..=last)
        .map(|y| (y, known_running(&g, y).len()))
        .collect();
    let peak = running.iter().map(|r| r.1).max().unwrap();
    let peak_years: Vec<String> = running
        .iter()
        .filter(|r| r.1 == peak)
        .map(|r| format!("{:04}", r.0))
        .collect();
    let py = running.iter().find(|r| r.1 == peak).unwrap().0;
    let maybe = initiatives
        .iter()
        .filter(|&&n| year_of(n) < py && g.node(n).end == End::Unknown)
        .count();
    let joined = match peak_years.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => unreachable!(),
    };
    assert_eq!(
        said[0],
        format!(
            "Initiatives known to be running peaked at {peak}, in {joined}; counting those \
             whose end is not recorded, up to {} may have run in {py:04}.",
            peak + maybe
        )
    );
    // Additions by kind, and ends.
    let replaced_something = |n: NodeIndex| {
        g.edges()
            .any(|e| g.edge(e).relation == Relation::Replaced && g.endpoints(e).0 == n)
    };
    let (mut layered, mut replacing, mut alone) = (0, 0, 0);
    for &n in &initiatives {
        let y = year_of(n);
        if replaced_something(n) {
            replacing += 1;
        } else if known_running(&g, y).iter().any(|&m| year_of(m) < y) {
            layered += 1;
        } else {
            alone += 1;
        }
    }
    let ended = initiatives
        .iter()
        .filter(|&&n| matches!(g.node(n).end, End::On(_)))
        .count();
    let added = layered + replacing + alone;
    assert_eq!(added, initiatives.len());
    assert_eq!(
        said[1],
        format!(
            "From {first:04} to {last:04}, {added} initiatives were added: {layered} beside \
             others already running, replacing none (layering), {replacing} in place of what \
             {} replaced, and {alone} with nothing earlier running; {ended} ended.",
            if replacing == 1 { "it" } else { "they" }
        )
    );
    // Drift: every establishing body ended (not by a renaming) in an earlier year.
    let renamed = |b: NodeIndex| {
        g.edges().any(|e| {
            let edge = g.edge(e);
            edge.relation == Relation::Replaced
                && g.endpoints(e).1 == b
                && matches!(edge.attrs().get("succession"), Some(AttrValue::String(s)) if s == "renaming")
        })
    };
    // (initiative, year, known): known drift, or possible drift for an unknown end.
    let mut drifting = Vec::new();
    for &n in &initiatives {
        let bodies: Vec<NodeIndex> = g
            .edges()
            .filter(|&e| {
                g.edge(e).relation == Relation::EstablishedBy
                    && g.endpoints(e).0 == n
                    && g.node(g.endpoints(e).1).kind == NodeKind::Body
            })
            .map(|e| g.endpoints(e).1)
            .collect();
        if bodies.is_empty() {
            continue;
        }
        for y in first..=last {
            let gone = bodies
                .iter()
                .all(|&b| !renamed(b) && matches!(g.node(b).end, End::On(d) if d.year_part() < y));
            let possibly = g.node(n).end == End::Unknown && year_of(n) < y;
            if gone && known_running(&g, y).contains(&n) {
                drifting.push((n, y, true));
            } else if gone && possibly {
                drifting.push((n, y, false));
            }
        }
    }
    let known: Vec<_> = drifting.iter().filter(|d| d.2).collect();
    let maybe: std::collections::BTreeSet<NodeIndex> =
        drifting.iter().filter(|d| !d.2).map(|d| d.0).collect();
    if known.is_empty() {
        assert!(
            said[2].starts_with(
                "No initiative is known to have run on after every body that established it \
                 had been dissolved (drift)"
            ),
            "{}",
            said[2]
        );
    } else {
        for (n, _, _) in &known {
            assert!(said[2].contains(g.node(*n).name()), "{}", said[2]);
        }
    }
    if maybe.is_empty() {
        assert!(!said[2].contains("may have"), "{}", said[2]);
    } else {
        assert!(
            said[2].contains(&format!(
                "; {} whose end is not recorded may have: ",
                maybe.len()
            )),
            "{}",
            said[2]
        );
        for &n in &maybe {
            let from = drifting.iter().find(|d| d.0 == n && !d.2).unwrap().1;
            assert!(said[2].contains(g.node(n).name()), "{}", said[2]);
            assert!(
                said[2].contains(&format!("gone by {from:04}")),
                "{}",
                said[2]
            );
        }
    }
    assert_eq!(said.len(), 3);
}
