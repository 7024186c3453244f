//! The checks that need the whole graph, one family to a file: sources name documents,
//! relations join the kinds they may, lineage has no cycle, text is safe, and the
//! warnings about dates, duplicate edges, sourcing, orphans and stances.
//!
//! Field-level problems (syntax, types, dates, vocabularies) are found while loading;
//! duplicate ids and unknown edge endpoints while building the graph. Every check here
//! is a pure function of the graph, linear in nodes plus edges and without recursion (a
//! 100,000-long chain cannot overflow the stack). They run on two threads, and what
//! they find is gathered in the order of [`CHECKS`], so which problems are kept under a
//! per-code limit never varies; at a million nodes all of them take a fraction of a
//! second.

mod cycles;
mod dates;
mod duplicates;
mod kinds;
mod sources;
mod sourcing;
mod text;

use crate::diag::{Code, Problems, Severity};
use crate::graph::PolicyGraph;

/// A graph-wide check: the codes it can report, and the function that looks.
struct Check {
    finds: &'static [Code],
    run: fn(&PolicyGraph, &mut Problems),
}

/// Every graph-wide check, in the order they run.
const CHECKS: &[Check] = &[
    Check {
        finds: &[Code::SourceNotDocument, Code::UnknownNode],
        run: sources::sources,
    },
    Check {
        finds: &[Code::RelationKinds, Code::ReplacedKindMismatch],
        run: kinds::relation_kinds,
    },
    Check {
        finds: &[Code::ReplacedCycle],
        run: cycles::replaced_cycles,
    },
    Check {
        finds: &[
            Code::ControlCharacter,
            Code::LineBreak,
            Code::FormatCharacter,
            Code::Noncharacter,
        ],
        run: text::unsafe_text,
    },
    Check {
        finds: &[
            Code::SuccessorStartsFirst,
            Code::EstablisherStartsLater,
            Code::ActsAfterEnd,
        ],
        run: dates::dates,
    },
    Check {
        finds: &[Code::DuplicateEdge],
        run: duplicates::duplicate_edges,
    },
    Check {
        finds: &[Code::NoSource],
        run: sourcing::no_source,
    },
    Check {
        finds: &[Code::Orphan],
        run: sourcing::orphans,
    },
    Check {
        finds: &[Code::NoStance],
        run: sourcing::no_stance,
    },
    Check {
        finds: &[Code::LookAlike],
        run: text::look_alikes,
    },
];

/// Records every problem the graph has; the order is not meaningful (callers sort).
pub fn check(g: &PolicyGraph, problems: &mut Problems) {
    run(g, CHECKS.iter().collect(), problems);
}

/// Only the checks that can find errors: what a query needs before it may answer
/// (warnings are `validate`'s business).
pub fn check_errors(g: &PolicyGraph, problems: &mut Problems) {
    let finds_errors = |c: &&Check| c.finds.iter().any(|f| f.severity() == Severity::Error);
    run(g, CHECKS.iter().filter(finds_errors).collect(), problems);
}

/// Runs `checks` on two threads, each check into problems of its own, which are then
/// appended in the order of `checks`: what is kept under a per-code limit is what
/// running them one after another keeps, whichever thread finishes first. Measured at
/// 10^6 nodes (`examples/check_times`, quiet 2-core machine, medians of 9): `check`
/// 0.55 s -> 0.27 s, `check_errors` (before every query) 0.25 s -> 0.16 s.
fn run(g: &PolicyGraph, checks: Vec<&Check>, problems: &mut Problems) {
    let limit = problems.limit();
    let found = crate::blocks::map(&checks, 2, |check| {
        let mut mine = Problems::new(limit);
        (check.run)(g, &mut mine);
        mine
    });
    for mine in found {
        problems.append(mine);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::fmt::Write;

    /// The troubled collection's graph and what loading and building it found.
    pub(super) fn troubled(n: usize, limit: Option<usize>) -> (PolicyGraph, Problems) {
        let dir = troubled_collection(n);
        let loaded = crate::load::load(dir.path(), limit).unwrap();
        let mut problems = loaded.problems;
        let graph = PolicyGraph::build(loaded.dataset, &mut problems);
        (graph, problems)
    }

    /// Each check reports the codes it lists and no other, and finds each of them in
    /// a collection with every problem; `check_errors` finds exactly `check`'s errors.
    #[test]
    fn checks_find_what_they_list_and_check_errors_finds_the_errors() {
        let (g, _) = troubled(1500, None);
        for c in CHECKS {
            let mut found = Problems::new(None);
            (c.run)(&g, &mut found);
            for code in c.finds {
                assert!(
                    found.kept().iter().any(|p| p.code == *code),
                    "{code} not found"
                );
            }
            for p in found.kept() {
                assert!(c.finds.contains(&p.code), "{} not listed", p.code);
            }
        }
        let mut all = Problems::new(None);
        check(&g, &mut all);
        let mut errors = Problems::new(None);
        check_errors(&g, &mut errors);
        let expected: Vec<_> = all
            .kept()
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
        assert_eq!(errors.kept().iter().collect::<Vec<_>>(), expected);
    }

    /// A collection of `n` nodes with many problems of every code the checks find:
    /// sources that are not documents or unknown, kinds a relation may not join,
    /// `replaced` cycles, control characters, dates out of order, duplicate edges,
    /// nodes without sources, orphans (some cited, so not orphans), findings without
    /// a stance. Deterministic: a linear congruential generator picks the edges.
    fn troubled_collection(n: usize) -> tempfile::TempDir {
        let kinds = ["initiative", "body", "legislation", "document", "finding"];
        let relations = [
            "established-by",
            "replaced",
            "evaluated-by",
            "cites",
            "published-by",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut random = move |below: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % below
        };
        let mut nodes = String::from("id,kind,name,start,end,stance,sources,note\n");
        for i in 0..n {
            let kind = kinds[i % kinds.len()];
            let name = match i % 37 {
                0 => format!("node \u{1b}[31m{i}"),
                1 => format!("node \u{2028}{i}"),
                2 => format!("node \u{202e}{i}"),
                3 => format!("node \u{fdd0}{i}"),
                4 => format!("n\u{043e}de {i}"),
                _ => format!("node {i}"),
            };
            let start = 1900 + random(100);
            let end = if i % 3 == 0 {
                format!("{}", start + random(30))
            } else {
                String::new()
            };
            let stance = if kind == "finding" && i % 2 == 0 {
                "critical"
            } else {
                ""
            };
            // Documents are n3, n8, ...; n1 is a body, n0 an initiative.
            let sources = match i % 11 {
                0 => String::new(),
                1 => format!("n{}@p. {i}", 3 + 5 * random(n / 5)),
                // Few unknown documents: each costs a search for a suggestion.
                2 if i % 242 == 2 => format!("n1@p. {i}|missing-{}@p. 2", i % 7),
                2 => format!("n1@p. {i}"),
                3 => format!("n{}@para \u{7}{i}", 3 + 5 * random(n / 5)),
                _ => format!("n{}@p. 1", 3 + 5 * random(n / 5)),
            };
            let note = if i % 53 == 0 { "a note \u{85}" } else { "" };
            writeln!(
                nodes,
                "n{i},{kind},{name},{start},{end},{stance},{sources},{note}"
            )
            .unwrap();
        }
        let mut edges = String::from("from,relation,to,date,note,sources\n");
        // The last tenth of the nodes has no edges; the tenth before is kept for
        // `replaced` cycles, so that random edges do not merge them into one.
        let linked = n - 2 * (n / 10);
        let mut written: Vec<String> = Vec::new();
        for i in 0..3 * n {
            let line = match i % 9 {
                1 if !written.is_empty() => written[random(written.len())].clone(),
                2 => format!(
                    "n{},established-by,n{},{},,",
                    random(linked),
                    random(linked),
                    1900 + random(150)
                ),
                3 => format!(
                    "n{},cites,n{},,a note \u{1}{i},n{}@p. 3",
                    random(linked),
                    random(linked),
                    3 + 5 * random(n / 5)
                ),
                _ => format!(
                    "n{},{},n{},,,",
                    random(linked),
                    relations[random(relations.len())],
                    random(linked)
                ),
            };
            writeln!(edges, "{line}").unwrap();
            written.push(line);
        }
        // Cycles of one, two and three nodes of a kind, and a chain into one.
        for first in (linked..n - n / 10 - 15).step_by(15) {
            let [a, b, c] = [first, first + 5, first + 10];
            let cycle = match first % 4 {
                0 => format!("n{a},replaced,n{a},,,"),
                1 => format!("n{a},replaced,n{b},,,\nn{b},replaced,n{a},,,"),
                _ => format!("n{c},replaced,n{a},,,\nn{a},replaced,n{b},,,\nn{b},replaced,n{c},,,"),
            };
            writeln!(edges, "{cycle}\nn{},replaced,n{a},,,", first + 5 * 3).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("nodes.csv"), nodes).unwrap();
        std::fs::write(dir.path().join("edges.csv"), edges).unwrap();
        dir
    }
}
