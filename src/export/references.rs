//! The view's documents as references for a reference manager (Zotero, Better BibTeX):
//! CSL-JSON (an array of items) and BibTeX. Fields come from the same reading of a
//! document as the rendered bibliography ([`crate::query::bibliography::entry`]), so a
//! name parses the same way in both.
//!
//! hayagriva reads CSL-JSON but writes neither format: CSL-JSON is written with
//! serde_json (the keys fixed here, values escaped by the JSON writer), BibTeX with the
//! biblatex crate's writer (which escapes `{`, `}` and `\` in every value; an
//! organisation is put in braces, as BibTeX keeps a name whole).

use crate::graph::{NodeIndex, PolicyGraph};
use crate::model::NodeKind;
use crate::query::bibliography::entry;
use crate::view::View;
use hayagriva::types::{EntryType, Person};
use serde_json::{Map, Value, json};

fn documents(g: &PolicyGraph, v: &View) -> Vec<NodeIndex> {
    v.nodes
        .iter()
        .copied()
        .filter(|&n| g.node(n).kind == NodeKind::Document)
        .collect()
}

fn csl_name(p: &Person) -> Value {
    if p.is_institutional() {
        return json!({ "literal": p.name });
    }
    let mut m = Map::new();
    m.insert("family".into(), json!(p.name));
    if let Some(g) = &p.given_name {
        m.insert("given".into(), json!(g));
    }
    if let Some(x) = &p.prefix {
        m.insert("non-dropping-particle".into(), json!(x));
    }
    if let Some(x) = &p.suffix {
        m.insert("suffix".into(), json!(x));
    }
    Value::Object(m)
}

fn text<T: std::fmt::Display>(v: Option<T>) -> Option<Value> {
    v.map(|v| json!(v.to_string()))
}

/// The CSL-JSON item of one document.
fn csl_item(g: &PolicyGraph, doc: NodeIndex) -> Value {
    let e = entry(g, doc);
    let parent = e.parents().first();
    // The CSL type the document was imported with (`attrs.type`, as `import refs`
    // writes it) is given back as it is; else the type of the rendered entry.
    let kind = match g.node(doc).attrs().get("type") {
        Some(crate::model::AttrValue::String(t)) if !t.trim().is_empty() => t.trim(),
        _ => match e.entry_type() {
            EntryType::Article => "article-journal",
            EntryType::Chapter => "chapter",
            EntryType::Report => "report",
            _ => "document",
        },
    };
    let mut m = Map::new();
    m.insert("id".into(), json!(g.node(doc).id()));
    m.insert("type".into(), json!(kind));
    m.insert("title".into(), json!(g.node(doc).name()));
    let names =
        |ps: Option<&[Person]>| ps.map(|ps| Value::Array(ps.iter().map(csl_name).collect()));
    let fields: [(&str, Option<Value>); 13] = [
        // Only the authors the document names: the rendered bibliography takes a
        // document without authors to be by its publisher, but written out that
        // would give the reference manager an author the data does not have.
        (
            "author",
            names(
                e.authors()
                    .filter(|_| g.node(doc).attrs().contains_key("authors")),
            ),
        ),
        (
            "editor",
            names(e.editors().or_else(|| parent.and_then(|p| p.editors()))),
        ),
        (
            "issued",
            e.date().map(|d| {
                let mut parts = vec![json!(d.year)];
                if let Some(m) = d.month {
                    parts.push(json!(u16::from(m) + 1));
                    if let Some(day) = d.day {
                        parts.push(json!(u16::from(day) + 1));
                    }
                }
                json!({ "date-parts": [parts] })
            }),
        ),
        (
            "container-title",
            text(parent.and_then(|p| p.title()).map(|t| t.value.clone())),
        ),
        (
            "volume",
            text(e.volume().or_else(|| parent.and_then(|p| p.volume()))),
        ),
        (
            "issue",
            text(e.issue().or_else(|| parent.and_then(|p| p.issue()))),
        ),
        ("page", text(e.page_range())),
        ("number", text(e.keyed_serial_number("serial"))),
        (
            "edition",
            text(e.edition().or_else(|| parent.and_then(|p| p.edition()))),
        ),
        (
            "publisher",
            text(
                e.publisher()
                    .or_else(|| parent.and_then(|p| p.publisher()))
                    .and_then(|p| p.name())
                    .map(|n| n.value.clone()),
            ),
        ),
        (
            "publisher-place",
            text(
                e.publisher()
                    .or_else(|| parent.and_then(|p| p.publisher()))
                    .and_then(|p| p.location())
                    .map(|n| n.value.clone()),
            ),
        ),
        ("DOI", text(e.doi())),
        ("URL", text(e.url().map(|u| &u.value))),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            m.insert(key.into(), value);
        }
    }
    Value::Object(m)
}

/// The view's documents as a CSL-JSON array, pretty-printed.
pub fn to_csl_json(g: &PolicyGraph, v: &View) -> String {
    let items: Vec<Value> = documents(g, v)
        .into_iter()
        .map(|d| csl_item(g, d))
        .collect();
    // Serialising JSON values to a string cannot fail.
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|e| unreachable!("{e}"));
    s.push('\n');
    s
}

fn chunks(s: &str) -> Vec<biblatex::Spanned<biblatex::Chunk>> {
    vec![biblatex::Spanned::zero(biblatex::Chunk::Normal(
        s.to_string(),
    ))]
}

/// A BibTeX name list: "Family, Given and von der Leyen, Ursula and {National Voices}".
fn bib_names(people: &[Person]) -> Vec<biblatex::Spanned<biblatex::Chunk>> {
    let mut out = Vec::new();
    for (i, p) in people.iter().enumerate() {
        if i > 0 {
            out.push(biblatex::Spanned::zero(biblatex::Chunk::Normal(
                " and ".into(),
            )));
        }
        if p.is_institutional() {
            out.push(biblatex::Spanned::zero(biblatex::Chunk::Verbatim(
                p.name.clone(),
            )));
            continue;
        }
        let mut family = p.name.clone();
        if let Some(x) = &p.prefix {
            family = format!("{x} {family}");
        }
        let mut name = family;
        if let Some(x) = &p.suffix {
            name = format!("{name}, {x}");
        }
        if let Some(gv) = &p.given_name {
            name = format!("{name}, {gv}");
        }
        out.push(biblatex::Spanned::zero(biblatex::Chunk::Normal(name)));
    }
    out
}

/// The view's documents as BibTeX entries, keyed by id.
pub fn to_bibtex(g: &PolicyGraph, v: &View) -> String {
    let mut out = String::new();
    for doc in documents(g, v) {
        let item = csl_item(g, doc);
        let e = entry(g, doc);
        let kind = match e.entry_type() {
            EntryType::Article => biblatex::EntryType::Article,
            EntryType::Chapter => biblatex::EntryType::InCollection,
            EntryType::Report => biblatex::EntryType::TechReport,
            _ => biblatex::EntryType::Misc,
        };
        let is_article = kind == biblatex::EntryType::Article;
        let is_report = kind == biblatex::EntryType::TechReport;
        let mut b = biblatex::Entry::new(g.node(doc).id().to_string(), kind);
        b.set("title", chunks(g.node(doc).name()));
        if let Some(a) = e.authors() {
            b.set("author", bib_names(a));
        }
        let editors = e
            .editors()
            .or_else(|| e.parents().first().and_then(|p| p.editors()));
        if let Some(ed) = editors {
            b.set("editor", bib_names(ed));
        }
        let container = if is_article { "journal" } else { "booktitle" };
        let publisher = if is_report {
            "institution"
        } else {
            "publisher"
        };
        for (csl, bib) in [
            ("container-title", container),
            ("volume", "volume"),
            ("issue", "number"),
            ("page", "pages"),
            ("number", "number"),
            ("edition", "edition"),
            ("publisher", publisher),
            ("publisher-place", "address"),
            ("DOI", "doi"),
            ("URL", "url"),
        ] {
            if let Some(Value::String(s)) = item.get(csl) {
                b.set(bib, chunks(s));
            }
        }
        if let Some(d) = e.date() {
            b.set("year", chunks(&d.year.to_string()));
            if let Some(m) = d.month {
                b.set("month", chunks(&(u16::from(m) + 1).to_string()));
            }
        }
        // Only a malformed `date` field makes BibTeX fail, and none is set.
        out.push_str(
            &b.to_bibtex_string()
                .unwrap_or_else(|_| b.to_biblatex_string()),
        );
        out.push_str("\n\n");
    }
    out
}

/// The person a name in the data is, as [`to_csl_json`] writes it (for tests).
#[cfg(test)]
fn csl_person(name: &str) -> Value {
    csl_name(&crate::query::bibliography::person(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_particles_and_organisations_stay_whole() {
        assert_eq!(
            csl_person("Ursula von der Leyen"),
            json!({"family": "Leyen", "given": "Ursula", "non-dropping-particle": "von der"})
        );
        assert_eq!(
            csl_person("{National Voices}"),
            json!({"literal": "National Voices"})
        );
    }
}
