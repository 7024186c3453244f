//! Narratives: a path told as sentences with citations, e.g. "Primary care trusts
//! (2000) were replaced by clinical commissioning groups (2013), which were established
//! by the Health and Social Care Act 2012 (2012) [HSCC 2018, para 34]."

use super::Walk;
use super::path::Path;
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::model::{AttrValue, NodeKind, Relation, Source};
use petgraph::Direction;
use petgraph::visit::EdgeRef;

/// The surname in an author as written: "R. Miller" and "Robin Miller" give "Miller".
pub(crate) fn surname(author: &str) -> &str {
    author.split_whitespace().last().unwrap_or(author)
}

/// "A", "A and B", "A, B and C".
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whether an author as written is an organisation rather than a person: it has no
/// initials and has an acronym ("NHS England"), a small word ("Association of ..."),
/// more than three words, or an organisation's word ("National Voices").
pub(crate) fn is_corporate(author: &str) -> bool {
    const WORDS: [&str; 22] = [
        "Association",
        "Council",
        "Committee",
        "Office",
        "Department",
        "Agency",
        "Trust",
        "Fund",
        "Commission",
        "Institute",
        "University",
        "Society",
        "Foundation",
        "Voices",
        "Government",
        "Services",
        "Network",
        "Partnership",
        "Centre",
        "Board",
        "Service",
        "Confederation",
    ];
    let words: Vec<&str> = author.split_whitespace().collect();
    if words.iter().any(|w| w.ends_with('.')) {
        return false;
    }
    words.len() == 1
        || words.len() > 3
        || words
            .iter()
            .any(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()))
        || words
            .iter()
            .any(|w| ["of", "for", "and", "the", "&"].contains(w) || WORDS.contains(w))
}

/// Harvard-style authors for a short citation from an `authors` attribute separated by
/// `;`: "Sullivan", "Glasby and Dickinson", "Miller et al.". An organisation (see
/// [`is_corporate`]) is kept whole ("National Voices").
fn cited_authors(authors: &str) -> String {
    let list: Vec<&str> = authors
        .split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty() && *a != "et al." && *a != "et al")
        .collect();
    let more = authors.contains("et al");
    let name = |a: &str| {
        if is_corporate(a) {
            a.to_string()
        } else {
            surname(a).to_string()
        }
    };
    match list.as_slice() {
        [] => String::new(),
        [one] if !more && is_corporate(one) => (*one).to_string(),
        [one] if !more => name(one),
        [a, b] if !more => format!("{} and {}", name(a), name(b)),
        [first, ..] => format!("{} et al.", name(first)),
    }
}

/// A short citation for a document: "Miller et al. 2021", "NAO 2017", else its name.
pub fn short_citation(g: &PolicyGraph, doc: NodeIndex) -> String {
    let node = g.node(doc);
    let year = node
        .start
        .map(|d| format!(" {}", d.year_part()))
        .unwrap_or_default();
    if let Some(AttrValue::String(authors)) = node.attrs.get("authors") {
        let who = cited_authors(authors);
        if !who.is_empty() {
            return format!("{who}{year}");
        }
    }
    let publisher = g
        .graph
        .edges_directed(doc, Direction::Outgoing)
        .filter(|e| *e.weight() == Relation::PublishedBy)
        .min_by_key(|e| e.id())
        .map(|e| e.target());
    if let Some(p) = publisher {
        let body = g.node(p);
        let short = body
            .aliases
            .iter()
            .filter(|a| a.len() <= 8 && a.chars().any(|c| c.is_ascii_uppercase()))
            .min_by_key(|a| a.len())
            .cloned()
            .unwrap_or_else(|| body.name.clone());
        return format!("{short}{year}");
    }
    format!("{}{year}", node.name)
}

/// "Miller et al. 2021, Table 1, L111; NAO 2017, p. 6" for a list of sources: one entry
/// per document, in order of first appearance, with all its locators.
pub fn cite_list(g: &PolicyGraph, sources: &[Source]) -> String {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for s in sources {
        match grouped.iter_mut().find(|(doc, _)| *doc == s.doc) {
            Some((_, ats)) => ats.push(&s.at),
            None => grouped.push((&s.doc, vec![&s.at])),
        }
    }
    let parts: Vec<String> = grouped
        .into_iter()
        .map(|(doc, ats)| {
            let who = g
                .get(doc)
                .map_or_else(|| doc.to_string(), |d| short_citation(g, d));
            format!("{who}, {}", ats.join(", "))
        })
        .collect();
    parts.join("; ")
}

/// " [Miller et al. 2021, Table 1; NAO 2017, p. 6]", or nothing for no sources.
pub fn citations(g: &PolicyGraph, sources: &[Source]) -> String {
    if sources.is_empty() {
        String::new()
    } else {
        format!(" [{}]", cite_list(g, sources))
    }
}

/// Whether a name reads better with "the": Acts, and singular funds, plans and reviews.
fn takes_article(g: &PolicyGraph, n: NodeIndex) -> bool {
    let node = g.node(n);
    let name = node.name.as_str();
    let last = name.split_whitespace().last().unwrap_or("");
    !name.starts_with("The ")
        && (node.kind == NodeKind::Legislation
            || (node.kind == NodeKind::Initiative
                && ["Fund", "Plan", "Review", "View", "Commitment"].contains(&last)))
}

fn dated(g: &PolicyGraph, n: NodeIndex, capital: bool) -> String {
    let node = g.node(n);
    let mut name = node.name.clone();
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
    let name = &g.node(n).name;
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

/// Tells a path as one sentence per hop, chaining with "which" when a hop starts where
/// the last one ended, each hop followed by its citations.
pub fn narrate(g: &PolicyGraph, path: &Path) -> String {
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
            citations(g, edge.sources())
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
        let monitor = g.nodes().find(|&n| g.node(n).id == "monitor").unwrap();
        let nhse = g.nodes().find(|&n| g.node(n).id == "nhse").unwrap();
        let p = crate::query::path::shortest(&g, monitor, nhse, &Default::default()).unwrap();
        let text = narrate(&g, &p);
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

    #[test]
    fn authors_cite_in_harvard_style() {
        assert_eq!(
            cited_authors("Robin Miller; Jon Glasby; Helen Dickinson"),
            "Miller et al."
        );
        assert_eq!(
            cited_authors("J. Glasby; H. Dickinson"),
            "Glasby and Dickinson"
        );
        assert_eq!(cited_authors("H. Sullivan"), "Sullivan");
        assert_eq!(cited_authors("A.M. Kavanagh; et al."), "Kavanagh et al.");
        assert_eq!(cited_authors("National Voices"), "National Voices");
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
            narrate(&g, &p),
            "Primary care trusts (2000) were replaced by clinical commissioning groups (2013) [Source, p], \
             which were established by the Act (2012) [Source, p]."
        );
    }
}
