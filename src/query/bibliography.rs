//! A bibliography: every document the collection cites, as full Harvard references.
//!
//! A reference is built from the document's name (its title), date, publishers and the
//! bibliographic attributes the data conventions name: `authors` (separated by `;`),
//! `editors`, `journal`, `volume`, `issue`, `pages`, `article`, `book`, `edition`,
//! `report`, `place`, `doi` and `url`. Missing parts are left out, never invented; a
//! `doi` or `url` becomes a link only through [`crate::weblink`]'s check.

use super::critiques::publishers;
use super::narrate::{and_list, is_corporate, surname};
use crate::graph::{NodeIndex, PolicyGraph};
use crate::model::{AttrValue, NodeKind, Relation};
use crate::weblink::Address;
use std::collections::BTreeSet;

/// One reference, in parts so a page can set the title or container in italics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The document.
    pub doc: NodeIndex,
    /// "Miller, R., Glasby, J. and Dickinson, H.", a corporate author, or empty.
    pub authors: String,
    /// "2021", or "n.d." for an undated document.
    pub year: String,
    /// The title.
    pub title: String,
    /// Where it appeared, set in italics instead of the title: a journal or a book.
    pub container: Option<String>,
    /// Everything after: volume and issue, pages, report number, place and publisher.
    pub details: Vec<String>,
    /// A DOI link, else a URL, checked by [`crate::weblink`]; or, when the data's
    /// address is no well-formed web link, that address as text (never linked).
    pub address: Option<Address>,
}

impl Reference {
    /// The reference as plain text, the title in single quotes when a container is
    /// italicised and bare otherwise.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        if !self.authors.is_empty() {
            out.push_str(&self.authors);
            out.push(' ');
        }
        out.push_str(&format!("({}) ", self.year));
        match &self.container {
            Some(c) => out.push_str(&format!("'{}', {c}", self.title)),
            None => out.push_str(&self.title),
        }
        for d in &self.details {
            out.push_str(", ");
            out.push_str(d);
        }
        out.push('.');
        match &self.address {
            Some(Address::Link(a)) => out.push_str(&format!(" Available at: {a}")),
            Some(Address::Text(a)) => {
                out.push_str(&format!(" Address given (not a web link): {a}"))
            }
            None => {}
        }
        out
    }
}

fn text(g: &PolicyGraph, doc: NodeIndex, key: &str) -> Option<String> {
    match g.node(doc).attrs.get(key)? {
        AttrValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        AttrValue::String(_) => None,
        AttrValue::Integer(i) => Some(i.to_string()),
        AttrValue::Float(f) => Some(f.to_string()),
        AttrValue::Bool(b) => Some(b.to_string()),
    }
}

/// "Robin Miller" or "R. Miller" gives "Miller, R."; "M.O. Bachmann" gives
/// "Bachmann, M.O."; a one-word or initial-less many-word corporate name stays whole.
fn inverted(author: &str) -> String {
    let last = surname(author);
    let given: Vec<&str> = author.split_whitespace().collect();
    if given.len() < 2 || is_corporate(author) {
        return author.to_string();
    }
    let initials: String = given[..given.len() - 1]
        .iter()
        .map(|w| {
            if w.contains('.') {
                (*w).to_string()
            } else {
                w.chars()
                    .next()
                    .map(|c| format!("{c}."))
                    .unwrap_or_default()
            }
        })
        .collect();
    format!("{last}, {initials}")
}

/// Harvard author list: "A, B and C", with "et al." kept when the data has it.
fn author_list(authors: &str) -> String {
    let list: Vec<&str> = authors
        .split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty() && !a.starts_with("et al"))
        .collect();
    let more = authors.contains("et al");
    let names: Vec<String> = list.iter().map(|a| inverted(a)).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] if more => format!("{one} et al."),
        [one] => one.clone(),
        [init @ .., last] if !more => format!("{} and {last}", init.join(", ")),
        all => format!("{} et al.", all.join(", ")),
    }
}

/// The full reference of a document.
pub fn reference(g: &PolicyGraph, doc: NodeIndex) -> Reference {
    let node = g.node(doc);
    let publisher_names: Vec<String> = publishers(g, doc)
        .into_iter()
        .map(|p| g.node(p).name.clone())
        .collect();
    let names: Vec<&str> = publisher_names.iter().map(String::as_str).collect();
    let by = and_list(&names);
    let authors = match text(g, doc, "authors") {
        Some(a) => author_list(&a),
        None => by.clone(),
    };
    let container = text(g, doc, "journal").or_else(|| text(g, doc, "book"));
    let mut details = Vec::new();
    if let Some(e) = text(g, doc, "editors") {
        details.push(format!("edited by {e}"));
    }
    if let Some(e) = text(g, doc, "edition") {
        details.push(format!("{e} edn"));
    }
    match (text(g, doc, "volume"), text(g, doc, "issue")) {
        (Some(v), Some(i)) => details.push(format!("{v}({i})")),
        (Some(v), None) => details.push(v),
        (None, Some(i)) => details.push(format!("no. {i}")),
        (None, None) => {}
    }
    if let Some(a) = text(g, doc, "article") {
        details.push(format!("article {a}"));
    }
    if let Some(p) = text(g, doc, "pages") {
        details.push(format!("pp. {p}"));
    }
    if let Some(r) = text(g, doc, "report") {
        details.push(r);
    }
    // Place and publisher for what is not a journal article, unless the publisher is
    // already the author.
    if container.is_none() || text(g, doc, "book").is_some() {
        // Left out when the publishers are the authors.
        let publisher =
            (!by.is_empty() && !publisher_names.iter().all(|p| authors.contains(p))).then_some(by);
        match (text(g, doc, "place"), publisher) {
            (Some(place), Some(p)) => details.push(format!("{place}: {p}")),
            (Some(place), None) => details.push(place),
            (None, Some(p)) => details.push(p),
            (None, None) => {}
        }
    }
    let address = crate::weblink::address(&node.attrs);
    Reference {
        doc,
        authors,
        year: node
            .start
            .map_or_else(|| "n.d.".to_string(), |d| d.year_part().to_string()),
        title: node.name.clone(),
        container,
        details,
        address,
    }
}

/// Every document cited: the targets of `cites` edges and the documents named in any
/// source, sorted as a bibliography is (by authors, year, title).
pub fn bibliography(g: &PolicyGraph) -> Vec<Reference> {
    let mut docs: BTreeSet<NodeIndex> = g
        .edges()
        .filter(|&e| g.edge(e).relation == Relation::Cites)
        .map(|e| g.endpoints(e).1)
        .collect();
    let sources = g
        .nodes()
        .flat_map(|n| g.node(n).sources.iter())
        .chain(g.edges().flat_map(|e| g.edge(e).sources().iter()));
    docs.extend(sources.filter_map(|s| g.get(&s.doc)));
    let mut refs: Vec<Reference> = docs
        .into_iter()
        .filter(|&d| g.node(d).kind == NodeKind::Document)
        .map(|d| reference(g, d))
        .collect();
    let key = |r: &Reference| {
        (
            r.authors.to_lowercase(),
            r.year.clone(),
            r.title.to_lowercase(),
            g.node(r.doc).id.clone(),
        )
    };
    refs.sort_by_cached_key(key);
    refs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_are_inverted_with_initials() {
        assert_eq!(
            author_list("Robin Miller; Jon Glasby; Helen Dickinson"),
            "Miller, R., Glasby, J. and Dickinson, H."
        );
        assert_eq!(
            author_list("M.O. Bachmann; M. O'Brien; et al."),
            "Bachmann, M.O., O'Brien, M. et al."
        );
        assert_eq!(author_list("H. Dickinson"), "Dickinson, H.");
        assert_eq!(author_list("National Voices"), "National Voices");
        assert_eq!(
            author_list("Local Government Association; NHS England"),
            "Local Government Association and NHS England"
        );
    }
}
