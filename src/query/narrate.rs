//! Narratives: a path told as sentences with citations, e.g. "Primary care trusts
//! (2000) were replaced by clinical commissioning groups (2013), which were established
//! by the Health and Social Care Act 2012 (2012) [HSCC, 2018, para 34]."

use super::Walk;
use super::bibliography::Bibliography;
use super::path::Path;
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::model::{NodeKind, Relation, Source};

/// "A", "A and B", "A, B and C".
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whether a name reads better with "the": Acts, and singular funds, plans and reviews.
fn takes_article(g: &PolicyGraph, n: NodeIndex) -> bool {
    let node = g.node(n);
    let name = node.name();
    let last = name.split_whitespace().last().unwrap_or("");
    !name.starts_with("The ")
        && (node.kind == NodeKind::Legislation
            || (node.kind == NodeKind::Initiative
                && ["Fund", "Plan", "Review", "View", "Commitment"].contains(&last)))
}

fn dated(g: &PolicyGraph, n: NodeIndex, capital: bool) -> String {
    let node = g.node(n);
    let mut name = node.name().to_string();
    if takes_article(g, n) {
        name = format!("{} {name}", if capital { "The" } else { "the" });
    }
    if !capital && node.kind == NodeKind::Body {
        // "clinical commissioning groups" mid-sentence; proper names keep their capitals.
        let mut words = name.split_whitespace();
        let first_is_plain = words
            .next()
            .is_some_and(|w| w.chars().skip(1).all(char::is_lowercase));
        if first_is_plain && words.all(|w| w.chars().next().is_some_and(|c| !c.is_uppercase())) {
            let mut chars = name.chars();
            if let Some(c) = chars.next() {
                name = c.to_lowercase().chain(chars).collect();
            }
        }
    }
    match node.start {
        // "the Health and Care Act 2022", not "… 2022 (2022)".
        Some(d) if !name.contains(&d.year_part().to_string()) => {
            format!("{name} ({})", d.year_part())
        }
        _ => name,
    }
}

fn plural(g: &PolicyGraph, n: NodeIndex) -> bool {
    let name = g.node(n).name();
    let last = name.split_whitespace().last().unwrap_or("").to_lowercase();
    last.ends_with('s') && !last.ends_with("ss") && !last.ends_with("us") && !last.ends_with("is")
}

/// The verb phrase for walking `relation` in `walk` direction, for a subject that is
/// plural or not: "replaced", "were established by", "is cited by".
fn verb(relation: Relation, walk: Walk, plural: bool) -> &'static str {
    let (be, plural_s) = if plural { ("were", "") } else { ("was", "s") };
    match (relation, walk) {
        (Relation::Replaced, Walk::Forward) => "replaced",
        (Relation::Replaced, Walk::Backward) => {
            if plural {
                "were replaced by"
            } else {
                "was replaced by"
            }
        }
        (Relation::EstablishedBy, Walk::Forward) => {
            if be == "were" {
                "were established by"
            } else {
                "was established by"
            }
        }
        (Relation::EstablishedBy, Walk::Backward) => "established",
        (Relation::EvaluatedBy, Walk::Forward) => {
            if plural {
                "were judged in"
            } else {
                "was judged in"
            }
        }
        (Relation::EvaluatedBy, Walk::Backward) => "judged",
        (Relation::Cites, Walk::Forward) => {
            if plural_s.is_empty() {
                "cite"
            } else {
                "cites"
            }
        }
        (Relation::Cites, Walk::Backward) => {
            if plural {
                "are cited by"
            } else {
                "is cited by"
            }
        }
        (Relation::PublishedBy, Walk::Forward) => {
            if plural {
                "were published by"
            } else {
                "was published by"
            }
        }
        (Relation::PublishedBy, Walk::Backward) => "published",
        (Relation::ReportedIn, Walk::Forward) => {
            if plural {
                "are reported in"
            } else {
                "is reported in"
            }
        }
        (Relation::ReportedIn, Walk::Backward) => {
            if plural_s.is_empty() {
                "report"
            } else {
                "reports"
            }
        }
        (Relation::ReformedBy, Walk::Forward) => {
            if plural {
                "were reformed by"
            } else {
                "was reformed by"
            }
        }
        (Relation::ReformedBy, Walk::Backward) => "reformed",
        (Relation::LedTo, Walk::Forward) => "led to",
        (Relation::LedTo, Walk::Backward) => "followed from",
    }
}

/// " in 2022", " in July 2022" or " on 1 July 2022": when an edge's event happened.
fn on_date(d: crate::model::PartialDate) -> String {
    let month = d
        .month()
        .and_then(|m| crate::model::MONTH_NAMES.get(usize::from(m).wrapping_sub(1)));
    match (month, d.day()) {
        (Some(m), Some(day)) => format!(" on {day} {m} {}", d.year_part()),
        (Some(m), None) => format!(" in {m} {}", d.year_part()),
        _ => format!(" in {}", d.year_part()),
    }
}

/// The sources [`narrate`] cites: those of each hop's edge.
pub fn sources<'a>(g: &'a PolicyGraph, path: &'a Path) -> impl Iterator<Item = &'a Source> + 'a {
    path.hops
        .iter()
        .flat_map(move |h| g.edge(h.edge).sources().iter())
}

/// Tells a path as one sentence per hop, chaining with "which" when a hop starts where
/// the last one ended, each hop followed by its citations.
pub fn narrate(g: &PolicyGraph, bib: &Bibliography, path: &Path) -> String {
    let Some(&first) = path.nodes.first() else {
        return String::new();
    };
    if path.hops.is_empty() {
        return format!("{}.", dated(g, first, true));
    }
    let mut text = String::new();
    for (i, hop) in path.hops.iter().enumerate() {
        let edge = g.edge(hop.edge);
        let subject_plural = plural(g, hop.from);
        // The edge's own date says when this happened; the nodes' years in brackets
        // are only when each began.
        let clause = format!(
            "{} {}{}{}",
            verb(edge.relation, hop.walk, subject_plural),
            dated(g, hop.to, false),
            edge.date.map(on_date).unwrap_or_default(),
            bib.citations(g, edge.sources())
        );
        if i == 0 {
            text += &format!("{} {clause}", dated(g, hop.from, true));
        } else {
            text += &format!(", which {clause}");
        }
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edge_with_its_own_date_is_told_with_it() {
        let g = crate::query::fixture::graph(
            "monitor body 2004 2022-07-01; nhse body 2012-10-01 ongoing; nhse replaced monitor 2022-07-01",
        );
        let monitor = g.nodes().find(|&n| g.node(n).id() == "monitor").unwrap();
        let nhse = g.nodes().find(|&n| g.node(n).id() == "nhse").unwrap();
        let p = crate::query::path::shortest(&g, monitor, nhse, &Default::default()).unwrap();
        let text = narrate(&g, &Bibliography::new(&g, Default::default()), &p);
        assert!(
            text.starts_with("Monitor (2004) was replaced by nhse (2012) on 1 July 2022"),
            "{text}"
        );
        assert_eq!(
            on_date(crate::model::PartialDate::parse("2016").unwrap()),
            " in 2016"
        );
        assert_eq!(
            on_date(crate::model::PartialDate::parse("2016-04").unwrap()),
            " in April 2016"
        );
    }

    use crate::query::fixture::graph;
    use crate::query::path::{Options, shortest};

    #[test]
    fn a_path_reads_as_a_sentence() {
        let g = graph(
            "primary-care-trusts body 2000; clinical-commissioning-groups body 2013; act legislation 2012; \
             clinical-commissioning-groups replaced primary-care-trusts; clinical-commissioning-groups established-by act",
        );
        let p = shortest(
            &g,
            g.get("primary-care-trusts").unwrap(),
            g.get("act").unwrap(),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(
            narrate(&g, &Bibliography::new(&g, Default::default()), &p),
            "Primary care trusts (2000) were replaced by clinical commissioning groups (2013) [“Source,” no date, p], \
             which were established by the Act (2012) [“Source,” no date, p]."
        );
    }
}
