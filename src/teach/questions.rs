//! Discussion questions generated from the graph: each points at something a seminar
//! can argue about (the most criticised initiative, the year most initiatives ran at
//! once, a replacement and what it answered, the busiest era, the one law behind most
//! of the story, the longest chain). Pure; a question is skipped when the data has
//! nothing to ask it about.

use crate::graph::{NodeIndex, PolicyGraph};
use crate::model::{NodeKind, Relation, Stance};
use crate::query::bibliography::Bibliography;
use crate::query::critiques::{Query, critiques};
use crate::query::lineage::{Way, lineage};
use crate::query::narrate::and_list;
use crate::query::stats::Layering;
use crate::query::timeline::era_of;
use crate::query::year;
use std::collections::BTreeMap;

fn name(g: &PolicyGraph, n: NodeIndex) -> &str {
    g.node(n).name()
}

/// The questions, in a fixed order.
pub fn questions(g: &PolicyGraph, bib: &Bibliography, layering: &Layering) -> Vec<String> {
    let mut out = Vec::new();
    let rows = critiques(g, &Query::default());

    // 1. The most criticised subject (ties: by id).
    let mut tally: BTreeMap<&str, (NodeIndex, usize, usize)> = BTreeMap::new();
    for r in &rows {
        let t = tally
            .entry(g.node(r.subject).id())
            .or_insert((r.subject, 0, 0));
        t.2 += 1;
        if r.stance == Some(Stance::Critical) {
            t.1 += 1;
        }
    }
    if let Some(&(subject, critical, total)) = tally
        .values()
        .filter(|t| t.1 > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| name(g, b.0).cmp(name(g, a.0))))
    {
        let by: Vec<String> = rows
            .iter()
            .filter(|r| r.subject == subject && r.stance == Some(Stance::Critical))
            .filter_map(|r| r.document)
            .map(|d| bib.cite(g, d))
            .fold(Vec::new(), |mut acc, c| {
                if !acc.contains(&c) {
                    acc.push(c);
                }
                acc
            });
        let shown: Vec<&str> = by.iter().take(3).map(String::as_str).collect();
        out.push(format!(
            "{} drew {critical} critical judgement{} out of {total} (among them {}). What do \
             the critics agree on, and is the criticism of the policy or of how it was carried out?",
            name(g, subject),
            if critical == 1 { "" } else { "s" },
            and_list(&shown)
        ));
    }

    // 2. The year most initiatives ran at once.
    let (peaks, most) = layering.peak();
    if let Some(&peak) = peaks.first().filter(|_| most > 1) {
        let active: Vec<&str> = layering
            .years
            .iter()
            .find(|(y, _)| *y == peak)
            .map(|(_, v)| v.iter().take(4).map(|&n| name(g, n)).collect())
            .unwrap_or_default();
        let unknown = layering
            .end_unknown
            .iter()
            .find(|(y, _)| *y == peak)
            .map_or(0, |(_, v)| v.len());
        let more = match unknown {
            0 => String::new(),
            1 => " (and 1 more had started earlier with no recorded end)".into(),
            n => format!(" (and {n} more had started earlier with no recorded end)"),
        };
        out.push(format!(
            "In {peak}, {most} initiatives are known to have been running at once{more}, among \
             them {}. What would that have meant for a council and an NHS body trying to plan \
             together?",
            and_list(&active)
        ));
    }

    // 3. A replacement whose predecessor had been criticised: what did it answer?
    let criticised = |n: NodeIndex| {
        rows.iter()
            .filter(|r| r.subject == n && r.stance == Some(Stance::Critical))
            .count()
    };
    let mut replacements: Vec<(usize, u16, NodeIndex, NodeIndex)> = g
        .edges()
        .filter(|&e| g.edge(e).relation == Relation::Replaced)
        .map(|e| {
            let (newer, older) = g.endpoints(e);
            (criticised(older), year(g, newer).unwrap_or(0), newer, older)
        })
        .filter(|t| t.0 > 0)
        .collect();
    replacements.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    if let Some(&(_, when, newer, older)) = replacements.first() {
        // The edge's own date says when the replacement happened; without one, the
        // successor's start year is only when it began.
        let dated = g
            .edges_of(newer, petgraph::Direction::Outgoing)
            .into_iter()
            .find(|&e| g.edge(e).relation == Relation::Replaced && g.endpoints(e).1 == older)
            .and_then(|e| g.edge(e).date);
        let (subject, when) = match (dated, when) {
            (Some(d), _) => (name(g, newer).to_string(), format!(" in {}", d.year_part())),
            (None, 0) => (name(g, newer).to_string(), String::new()),
            (None, y) => (format!("{} (from {y})", name(g, newer)), String::new()),
        };
        out.push(format!(
            "{subject} replaced {}{when}. Which criticisms of {} did the new arrangement answer, \
             and which did it carry over?",
            name(g, older),
            name(g, older)
        ));
    }

    // 4. The era in which most initiatives began, by the deck's rule for eras.
    let mut begun: Vec<(usize, &str, u16)> = g
        .eras
        .iter()
        .enumerate()
        .map(|(i, era)| {
            let n = g
                .nodes()
                .filter(|&n| g.node(n).kind == NodeKind::Initiative)
                .filter(|&n| year(g, n).and_then(|y| era_of(&g.eras, y)) == Some(i))
                .count();
            (n, era.name.as_str(), era.start.year_part())
        })
        .collect();
    begun.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    if let [(most, era, _), (next, ..), ..] = begun.as_slice()
        && most > next
    {
        out.push(format!(
            "More initiatives began in the {era} era ({most}) than in any other. Why then: \
             money, ideas, or a government's need to be seen to act?"
        ));
    }

    // 5. The law behind most of the story.
    let mut established: BTreeMap<&str, (NodeIndex, usize)> = BTreeMap::new();
    for e in g.edges() {
        let (_, b) = g.endpoints(e);
        if g.edge(e).relation == Relation::EstablishedBy && g.node(b).kind == NodeKind::Legislation
        {
            established.entry(g.node(b).id()).or_insert((b, 0)).1 += 1;
        }
    }
    if let Some(&(act, n)) = established
        .values()
        .filter(|t| t.1 > 1)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| name(g, b.0).cmp(name(g, a.0))))
    {
        out.push(format!(
            "The {} established {n} of the bodies and initiatives in this graph. How far can \
             legislation make organisations work together?",
            name(g, act).trim_start_matches("The ")
        ));
    }

    // 6. The longest chain of replacements.
    let mut best: Option<(usize, Vec<NodeIndex>)> = None;
    for n in g.nodes() {
        let replaced_something = g
            .edges_of(n, petgraph::Direction::Outgoing)
            .into_iter()
            .any(|e| g.edge(e).relation == Relation::Replaced);
        let replaced_by_something = g
            .edges_of(n, petgraph::Direction::Incoming)
            .into_iter()
            .any(|e| g.edge(e).relation == Relation::Replaced);
        // Start from the oldest member of each chain.
        if replaced_something || !replaced_by_something {
            continue;
        }
        let order = lineage(g, n, Way::Forward).in_time_order(g);
        if best.as_ref().is_none_or(|(len, _)| order.len() > *len) {
            best = Some((order.len(), order));
        }
    }
    if let Some((len, chain)) = best.filter(|(len, _)| *len > 2)
        && let (Some(&first), Some(&last)) = (chain.first(), chain.last())
    {
        // "Step by step" only of a straight line: one predecessor and one successor each.
        let links = |n: NodeIndex, dir| {
            g.edges_of(n, dir)
                .into_iter()
                .filter(|&e| g.edge(e).relation == Relation::Replaced)
                .count()
        };
        let straight = chain.iter().all(|&n| {
            links(n, petgraph::Direction::Outgoing) <= 1
                && links(n, petgraph::Direction::Incoming) <= 1
        });
        let how = if straight {
            "step by step"
        } else {
            "through mergers and splits"
        };
        out.push(format!(
            "{} gave way, {how}, to {} ({len} organisations in all). What stayed the same \
             through each reorganisation, and what did each one cost?",
            name(g, first),
            name(g, last)
        ));
    }

    // 7. A supportive judgement against the grain.
    if let Some(r) = rows
        .iter()
        .find(|r| r.stance == Some(Stance::Supportive) && r.finding.is_some())
        && let Some(f) = r.finding
    {
        let cite = r.document.map(|d| bib.cite(g, d)).unwrap_or_default();
        out.push(format!(
            "\"{}\"{}: a favourable judgement of {}. How strong is that evidence beside the \
             critical findings, and who was it written for?",
            name(g, f),
            if cite.is_empty() {
                String::new()
            } else {
                format!(" ({cite})")
            },
            name(g, r.subject)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;
    use crate::query::stats::layering;

    #[test]
    fn questions_follow_the_data() {
        let g = graph(
            "old body 1990 2000; new body 2000; act legislation 1999; plan initiative 1995 ongoing; \
             fund initiative 1996 ongoing; rev document 1998; f finding 1998; new replaced old; \
             new established-by act; plan established-by act; old evaluated-by f; f cites rev",
        );
        let qs = questions(
            &g,
            &Bibliography::new(&g, Default::default()),
            &layering(&g),
        );
        // No eras and no chain longer than two: four of the seven questions.
        assert_eq!(qs.len(), 4, "{qs:?}");
        assert!(
            qs[0].starts_with("Old drew 1 critical judgement out of 1 (among them “Rev,” 1998)."),
            "{qs:?}"
        );
        assert!(
            qs[1].starts_with(
                "In 1996, 2 initiatives are known to have been running at once, among them Plan and Fund."
            )
        );
        assert!(qs[2].starts_with("New (from 2000) replaced Old. Which criticisms of Old"));
        assert!(qs[3].starts_with("The Act established 2 of the bodies"));
    }
}
