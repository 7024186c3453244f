//! References and in-text citations, rendered by a CSL processor (hayagriva) in a CSL
//! style it bundles: Cite Them Right Harvard by default, or any other author-date or
//! numeric style by name (`--style apa`).
//!
//! A document becomes a hayagriva [`Entry`] from its name (the title), date, publishers
//! (`published-by` edges) and the bibliographic attributes the data conventions name:
//! `authors` and `editors` (separated by `;`; each name parsed as BibTeX parses one, so
//! "Ludwig van Beethoven" has the particle "van", and `{National Voices}` in braces is an
//! organisation, taken whole), `journal`, `volume`, `issue`, `pages`, `article`, `book`,
//! `edition`, `report`, `place`, `doi` and `url`. A document with no `authors` is by its
//! publishers, as organisations. Missing parts are left out, never invented; a `doi` or
//! `url` becomes a link only through [`crate::weblink`]'s check.
//!
//! One driver renders the reference list and every in-text citation together, so a
//! citation and its reference agree: two documents by the same authors in the same year
//! are "2020a" and "2020b" in both.
//!
//! hayagriva takes about 30 µs a citation, so many documents (the text of `critiques`
//! at 10^6 nodes cites 92,000) are rendered in chunks on every core
//! ([`crate::blocks::map`]), each chunk making its entries for its own run. Measured at
//! 10^6 nodes, `critiques --stance critical` (text), whole process, 7 paired runs on a
//! noisy 2-core machine: wall time median 0.66 of one thread with every entry made first
//! (0.54 to 0.88), peak memory 395 MiB instead of 511; at 10^5 nodes 0.65 (0.55 to
//! 0.88), 60 MiB instead of 67. The same bytes.

use super::critiques::publishers;
use crate::graph::{NodeIndex, PolicyGraph};
use crate::model::{AttrValue, NodeKind, Relation, Source};
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{
    CitationFormat, FontStyle, FontWeight, IndependentStyle, Locale, Style as CslStyle,
    StyleCategory, StyleClass,
};
use hayagriva::types::{Date, EntryType, FormatString, MaybeTyped, Person, Publisher};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    ElemChild, ElemChildren, Entry,
};
use std::collections::{BTreeSet, HashMap};

/// The attributes of a document that make its reference (README, "Bibliography
/// fields"), with `type`, the CSL type `import refs` keeps for `export --format
/// csl-json`. Every key [`entry`] reads is one of these (tested).
pub const FIELDS: &[&str] = &[
    "type", "authors", "editors", "journal", "book", "volume", "issue", "pages", "article",
    "edition", "report", "place", "doi", "url",
];

/// Where what a misspelt or misplaced bibliography attribute says belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misfield {
    /// Another attribute: `author` for `authors`, `journal_title` for `journal`.
    Field(&'static str),
    /// The document's `start`, its date of publication (`year`, `date`).
    Start,
    /// The document's `name`, its title (`title`).
    Name,
    /// A `published-by` edge to the publisher, a body (`publisher`).
    PublishedBy,
}

/// What a document's attribute `key` that is not one of [`FIELDS`] was probably meant
/// to be: a field under another name (CSL, BibTeX and everyday names), or one spelt
/// nearly like it ([`crate::suggest`]); `None` for an attribute of the user's own.
pub fn misfield(key: &str) -> Option<Misfield> {
    if FIELDS.contains(&key) {
        return None;
    }
    let plain = key.trim().to_lowercase().replace(['-', ' '], "_");
    Some(match plain.as_str() {
        "journal_title" | "journaltitle" | "container_title" | "journal_name" | "periodical" => {
            Misfield::Field("journal")
        }
        "booktitle" | "book_title" => Misfield::Field("book"),
        "pp" | "page_range" => Misfield::Field("pages"),
        "address" | "location" | "city" | "publisher_place" => Misfield::Field("place"),
        "link" | "href" | "web_address" => Misfield::Field("url"),
        "year" | "date" | "published" | "issued" | "publication_date" | "publication_year"
        | "pub_date" => Misfield::Start,
        "title" => Misfield::Name,
        "publisher" | "publishers" | "published_by" => Misfield::PublishedBy,
        _ => Misfield::Field(crate::suggest::did_you_mean(key, FIELDS.iter().copied())?),
    })
}

/// A CSL style bundled with hayagriva, chosen by one of its names (`--style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style(ArchivedStyle);

impl Default for Style {
    /// Cite Them Right Harvard.
    fn default() -> Self {
        Style(ArchivedStyle::HarvardCiteThemRight)
    }
}

impl Style {
    /// The style called `name` (any of hayagriva's names for it, or "harvard"), if it is
    /// bundled and cites in the text (author-date or numeric; note styles are not
    /// offered, as citations here are in brackets, not footnotes).
    pub fn by_name(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        if name == "harvard" {
            return Some(Self::default());
        }
        let style = Style(ArchivedStyle::by_name(&name)?);
        style.independent().is_some().then_some(style)
    }

    /// Every style offered, in hayagriva's order.
    pub fn all() -> Vec<Self> {
        ArchivedStyle::all()
            .iter()
            .map(|&s| Style(s))
            .filter(|s| s.independent().is_some())
            .collect()
    }

    /// The style's main name: "harvard-cite-them-right", "apa", "vancouver".
    pub fn name(self) -> &'static str {
        let names = self.0.names();
        // hayagriva lists the long name first and the short ones after ("apa").
        names.last().copied().unwrap_or("")
    }

    /// The style's full title: "Cite Them Right 12th edition (author-date/Harvard)".
    pub fn title(self) -> &'static str {
        self.0.display_name()
    }

    /// Whether a citation names its authors (author-date or author styles), so that it
    /// depends only on the documents alike it, not on its place in the whole list.
    fn cites_by_author(self) -> bool {
        self.independent().is_some_and(|s| {
            s.info.category.iter().any(|c| {
                matches!(
                    c,
                    StyleCategory::CitationFormat {
                        format: CitationFormat::AuthorDate | CitationFormat::Author
                    }
                )
            })
        })
    }

    /// The CSL style, when it is independent and not a note style.
    fn independent(self) -> Option<IndependentStyle> {
        match self.0.get() {
            CslStyle::Independent(s) if s.settings.class != StyleClass::Note => Some(s),
            _ => None,
        }
    }
}

/// A piece of rendered text with its formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text, as written (not escaped for any markup).
    pub text: String,
    /// Set in italics.
    pub italic: bool,
    /// Set in bold.
    pub bold: bool,
    /// A link, checked by [`crate::weblink::web_url`].
    pub link: Option<String>,
}

/// One reference, rendered, in pieces so a page can set italics and links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The document.
    pub doc: NodeIndex,
    /// The reference as the style renders it.
    pub pieces: Vec<Piece>,
    /// An address the data gives (`doi` or `url`) that is no well-formed web link, to be
    /// shown as text after the reference, never linked.
    pub not_a_link: Option<String>,
}

impl Reference {
    /// The reference as plain text.
    pub fn plain(&self) -> String {
        let mut out: String = self.pieces.iter().map(|p| p.text.as_str()).collect();
        if let Some(a) = &self.not_a_link {
            out.push_str(&format!(" Address given (not a web link): {a}"));
        }
        out
    }
}

/// The reference list and the in-text citations of a graph's documents, in one style.
#[derive(Debug, Clone)]
pub struct Bibliography {
    style: Style,
    references: Vec<Reference>,
    cites: HashMap<NodeIndex, String>,
}

fn text(g: &PolicyGraph, doc: NodeIndex, key: &str) -> Option<String> {
    match g.node(doc).attrs().get(key)? {
        AttrValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        AttrValue::String(_) => None,
        AttrValue::Integer(i) => Some(i.to_string()),
        AttrValue::Float(f) => Some(f.to_string()),
        AttrValue::Bool(b) => Some(b.to_string()),
    }
}

/// A name as written, parsed as BibTeX parses one ("Ludwig van Beethoven", "R. Miller",
/// "Leyen, Ursula von der"); in braces (`{National Voices}`), an organisation, whole.
pub fn person(name: &str) -> Person {
    let name = name.trim();
    if let Some(whole) = name.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
        return organisation(whole.trim());
    }
    Person::from(&biblatex::Person::parse(&chunks(name)))
}

/// A name as the chunks biblatex makes of a field: text in braces (`Gabriel {García
/// Márquez}`) is one verbatim chunk, which name parsing never splits; the braces
/// themselves are not part of the name. An unmatched brace is dropped.
fn chunks(name: &str) -> Vec<biblatex::Spanned<biblatex::Chunk>> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut start = 0;
    let mut depth = 0usize;
    for (i, c) in name.char_indices() {
        match c {
            '{' => {
                if depth == 0 {
                    if !text.is_empty() {
                        out.push(biblatex::Spanned::new(
                            biblatex::Chunk::Normal(std::mem::take(&mut text)),
                            start..i,
                        ));
                    }
                    start = i;
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(biblatex::Spanned::new(
                        biblatex::Chunk::Verbatim(std::mem::take(&mut text)),
                        start..i + 1,
                    ));
                    start = i + 1;
                }
            }
            '}' => {}
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(biblatex::Spanned::new(
            biblatex::Chunk::Normal(text),
            start..name.len(),
        ));
    }
    out
}

/// An organisation as an author: a literal name, never split into given and family.
fn organisation(name: &str) -> Person {
    Person {
        name: name.to_string(),
        given_name: None,
        prefix: None,
        suffix: None,
        comma_suffix: false,
        alias: None,
    }
}

/// The names of a `;`-separated list; "et al." in the data (a list cut short) is left
/// out, as CSL has no way to say it.
pub fn people(list: &str) -> Vec<Person> {
    list.split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty() && !a.trim_end_matches('.').eq_ignore_ascii_case("et al"))
        .map(person)
        .collect()
}

fn format(s: &str) -> FormatString {
    FormatString::with_value(s)
}

fn maybe<T: std::str::FromStr>(s: &str) -> MaybeTyped<T> {
    // `MaybeTyped`'s parse cannot fail: what is no number is kept as text.
    match s.parse::<MaybeTyped<T>>() {
        Ok(v) => v,
        Err(_) => MaybeTyped::String(s.to_string()),
    }
}

/// The document as a hayagriva entry, keyed by its id.
pub fn entry(g: &PolicyGraph, doc: NodeIndex) -> Entry {
    let node = g.node(doc);
    let get = |key: &str| text(g, doc, key);
    let publisher_names: Vec<String> = publishers(g, doc)
        .into_iter()
        .map(|p| g.node(p).name().to_string())
        .collect();
    let journal = get("journal");
    let book = get("book");
    let kind = if journal.is_some() {
        EntryType::Article
    } else if book.is_some() {
        EntryType::Chapter
    } else if get("report").is_some() || !publisher_names.is_empty() {
        EntryType::Report
    } else {
        EntryType::Misc
    };
    let mut e = Entry::new(node.id(), kind);
    e.set_title(format(node.name()));
    match get("authors") {
        Some(a) => e.set_authors(people(&a)),
        None if !publisher_names.is_empty() => {
            e.set_authors(publisher_names.iter().map(|p| organisation(p)).collect());
        }
        None => {}
    }
    if let Some(d) = node.start {
        e.set_date(Date {
            year: i32::from(d.year_part()),
            month: d.month().map(|m| m.saturating_sub(1)),
            day: d.day().map(|d| d.saturating_sub(1)),
            approximate: false,
            season: None,
        });
    }
    let publisher = (!publisher_names.is_empty() || get("place").is_some()).then(|| {
        Publisher::new(
            (!publisher_names.is_empty()).then(|| format(&and_names(&publisher_names))),
            get("place").map(|p| format(&p)),
        )
    });
    let editors = get("editors").map(|e| people(&e));
    if let Some(p) = get("pages").or_else(|| get("article")) {
        e.set_page_range(maybe(&p));
    }
    if let Some(r) = get("report") {
        e.set_keyed_serial_number("serial", r);
    }
    let mut parent = None;
    if let Some(j) = journal {
        let mut p = Entry::new(&format!("{}-journal", node.id()), EntryType::Periodical);
        p.set_title(format(&j));
        if let Some(v) = get("volume") {
            p.set_volume(maybe(&v));
        }
        if let Some(i) = get("issue") {
            p.set_issue(maybe(&i));
        }
        parent = Some(p);
    } else {
        if let Some(v) = get("volume") {
            e.set_volume(maybe(&v));
        }
        if let Some(i) = get("issue") {
            e.set_issue(maybe(&i));
        }
    }
    if let Some(b) = book {
        let mut p = Entry::new(&format!("{}-book", node.id()), EntryType::Book);
        p.set_title(format(&b));
        if let Some(ed) = editors.clone() {
            p.set_editors(ed);
        }
        if let Some(ed) = get("edition") {
            p.set_edition(maybe(&ed));
        }
        if let Some(pb) = publisher.clone() {
            p.set_publisher(pb);
        }
        parent = Some(p);
    } else {
        if let Some(ed) = editors {
            e.set_editors(ed);
        }
        if let Some(ed) = get("edition") {
            e.set_edition(maybe(&ed));
        }
        if let Some(pb) = publisher {
            e.set_publisher(pb);
        }
    }
    if let Some(p) = parent {
        e.set_parents(vec![p]);
    }
    if let Some(doi) = get("doi")
        && crate::weblink::doi_url(&doi).is_some()
    {
        e.set_doi(doi);
    }
    if let Some(u) = get("url").as_deref().and_then(crate::weblink::web_url)
        && let Ok(u) = u.parse()
    {
        e.set_url(u);
    }
    e
}

/// "A", "A and B", "A, B and C".
fn and_names(names: &[String]) -> String {
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    super::narrate::and_list(&names)
}

/// What two documents whose citations could be confused share: the first author's
/// family name (or the title when there is no author) and the year.
fn alike_key(g: &PolicyGraph, doc: NodeIndex) -> (String, Option<i32>) {
    let node = g.node(doc);
    let first = match text(g, doc, "authors") {
        Some(a) => people(&a).first().map(|p| p.name.to_lowercase()),
        None => publishers(g, doc)
            .first()
            .map(|&p| g.node(p).name().to_lowercase()),
    };
    let year = node.start.map(|d| i32::from(d.year_part()));
    (first.unwrap_or_else(|| node.name().to_lowercase()), year)
}

/// Every document cited: the targets of `cites` edges and the documents named in any
/// source, in the order of their nodes.
pub fn cited_documents(g: &PolicyGraph) -> Vec<NodeIndex> {
    let mut docs: BTreeSet<NodeIndex> = g
        .edges()
        .filter(|&e| g.edge(e).relation == Relation::Cites)
        .map(|e| g.endpoints(e).1)
        .collect();
    let sources = g
        .nodes()
        .flat_map(|n| g.node(n).sources().iter())
        .chain(g.edges().flat_map(|e| g.edge(e).sources().iter()));
    docs.extend(sources.filter_map(|s| g.get(&s.doc)));
    docs.into_iter()
        .filter(|&d| g.node(d).kind == NodeKind::Document)
        .collect()
}

/// The pieces of rendered text, links kept only when [`crate::weblink::web_url`]
/// accepts them.
fn pieces(children: &ElemChildren, links: &Links) -> Vec<Piece> {
    fn walk(child: &ElemChild, links: &Links, out: &mut Vec<Piece>) {
        let mut push = |text: &str, f: Option<&hayagriva::Formatting>, link: Option<String>| {
            if text.is_empty() {
                return;
            }
            let italic = f.is_some_and(|f| f.font_style == FontStyle::Italic);
            let bold = f.is_some_and(|f| f.font_weight == FontWeight::Bold);
            match out.last_mut() {
                Some(last)
                    if last.italic == italic
                        && last.bold == bold
                        && link.is_none()
                        && last.link.is_none() =>
                {
                    last.text.push_str(text);
                }
                _ => out.push(Piece {
                    text: text.to_string(),
                    italic,
                    bold,
                    link,
                }),
            }
        };
        match child {
            ElemChild::Text(t) => push(&t.text, Some(&t.formatting), None),
            ElemChild::Markup(m) => push(m, None, None),
            // The DOI link is ours (percent-encoded by `weblink`), not hayagriva's
            // concatenation; any other link must be the document's checked `url`.
            ElemChild::Link { text, url } => match &links.doi {
                Some(doi) if url.starts_with("https://doi.org/") => {
                    push(doi, Some(&text.formatting), Some(doi.clone()))
                }
                _ => push(
                    &text.text,
                    Some(&text.formatting),
                    links.url.clone().filter(|u| u == url),
                ),
            },
            ElemChild::Elem(e) => {
                for c in &e.children.0 {
                    walk(c, links, out);
                }
            }
            ElemChild::Transparent { .. } => {}
        }
    }
    let mut out = Vec::new();
    for c in &children.0 {
        walk(c, links, &mut out);
    }
    out
}

/// The links a document's reference may carry: its DOI's and its URL's, checked.
#[derive(Default)]
struct Links {
    doi: Option<String>,
    url: Option<String>,
}

fn plain(children: &ElemChildren) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = children.write_buf(&mut s, BufWriteFormat::Plain);
    s
}

/// A citation with any year suffix taken off ("Care Quality Commission, 2020"): the
/// citations that are the same by this key are the ones the driver had to tell apart.
fn without_year_suffix(cite: &str) -> String {
    let chars: Vec<char> = cite.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
            let ends_word = chars.get(i + 1).is_none_or(|n| !n.is_alphanumeric());
            !(c.is_ascii_lowercase() && after_digit && ends_word)
        })
        .map(|(_, c)| *c)
        .collect()
}

/// One run of the driver over `entries`, cited in that order, entry `k` being document
/// `ids[k]`: each citation without the style's brackets, and the list in the style's
/// order, by document.
fn drive(
    csl: &IndependentStyle,
    locales: &[Locale],
    entries: &[Entry],
    ids: &[usize],
    numbers_from: usize,
) -> Rendered {
    let mut driver = BibliographyDriver::new().with_citation_number_offset(numbers_from);
    for entry in entries {
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry(entry)],
            csl,
            locales,
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(csl, None, locales));
    let prefix = csl.citation.layout.prefix.as_deref().unwrap_or("");
    let suffix = csl.citation.layout.suffix.as_deref().unwrap_or("");
    let cites = ids
        .iter()
        .zip(&rendered.citations)
        .map(|(&i, c)| {
            let text = plain(&c.citation);
            let bare = text
                .strip_prefix(prefix)
                .and_then(|t| t.strip_suffix(suffix))
                .unwrap_or(&text);
            (i, bare.trim().to_string())
        })
        .collect();
    let position: HashMap<&str, usize> = entries
        .iter()
        .map(Entry::key)
        .zip(ids.iter().copied())
        .collect();
    let list = rendered
        .bibliography
        .map(|b| b.items)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|item| {
            let i = *position.get(item.key.as_str())?;
            let mut content = item.content;
            if let Some(first) = item.first_field {
                content.0.insert(0, first);
                content.0.insert(1, ElemChild::Markup(" ".into()));
            }
            Some((i, content))
        })
        .collect();
    (cites, list)
}

/// What a run of the driver gives, by document (its position among those rendered):
/// the citations, and the list in the style's order.
type Rendered = (Vec<(usize, String)>, Vec<(usize, ElemChildren)>);

/// The most entries one driver renders together. hayagriva 0.10's driver looks every
/// entry up by comparing it with the others (`Entry: PartialEq`, once per citation and
/// once per reference), so one run is quadratic: 35,000 documents (a synthetic graph of
/// 10^5 nodes) took 48 s for `critiques`. Chunks keep it linear; alike citations in
/// different chunks are still disambiguated together by `render`'s second pass. (100
/// is no faster: at 500 the lookups are not what the time goes on.)
const CHUNK: usize = 500;

/// Every document rendered, `chunk` at a time, the chunks on every core
/// ([`crate::blocks::map`]), each making its documents' entries (at 10^6 nodes the
/// entries of every cited document at once were a fifth of `critiques`' peak memory):
/// the citations and the list. For a style that sorts its list, documents are first put
/// in the order of a key close to the author-date sort (names, year, title), so each
/// chunk is a run of the whole list and alike entries meet in one chunk; the list is
/// exact within a chunk and in that key's order across chunks. A style without a sort
/// (numeric, in citation order) keeps the given order and numbers each chunk on from
/// the last.
fn drive_in_chunks(
    g: &PolicyGraph,
    csl: &IndependentStyle,
    locales: &[Locale],
    docs: &[NodeIndex],
    chunk: usize,
) -> (HashMap<usize, String>, Vec<(usize, ElemChildren)>) {
    let chunk = chunk.max(1);
    let mut order: Vec<usize> = (0..docs.len()).collect();
    let sorted = csl.bibliography.as_ref().is_some_and(|b| b.sort.is_some());
    if sorted && docs.len() > chunk {
        let key = |d: &NodeIndex| {
            let e = entry(g, *d);
            let names: Vec<(String, String)> = e
                .authors()
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    let given = p.given_name.as_deref().unwrap_or_default();
                    (p.name.to_lowercase(), given.to_lowercase())
                })
                .collect();
            let year = e.date().map(|d| d.year);
            let title = e.title().map(|t| t.value.to_str().to_lowercase());
            (names, year, title)
        };
        let keys = crate::blocks::map(docs, crate::blocks::threads(), key);
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    }
    let parts: Vec<(usize, &[usize])> = order.chunks(chunk).enumerate().collect();
    let rendered = crate::blocks::map(&parts, crate::blocks::threads(), |&(k, part)| {
        drive_docs(g, csl, locales, docs, part, k * chunk)
    });
    let mut cites = HashMap::with_capacity(docs.len());
    let mut list = Vec::with_capacity(docs.len());
    for (c, l) in rendered {
        cites.extend(c);
        list.extend(l);
    }
    (cites, list)
}

/// [`drive`] over the documents `docs[i]` for each `i` of `ids`, in that order, their
/// entries made for the run.
fn drive_docs(
    g: &PolicyGraph,
    csl: &IndependentStyle,
    locales: &[Locale],
    docs: &[NodeIndex],
    ids: &[usize],
    numbers_from: usize,
) -> Rendered {
    let entries: Vec<Entry> = ids.iter().map(|&i| entry(g, docs[i])).collect();
    drive(csl, locales, &entries, ids, numbers_from)
}

/// Renders `docs` in `style`: the in-text citation of each (the style's brackets taken
/// off, so a locator can follow) and the reference list in the style's order.
fn render(
    g: &PolicyGraph,
    style: Style,
    docs: &[NodeIndex],
) -> (Vec<Reference>, HashMap<NodeIndex, String>) {
    render_in(g, style, docs, CHUNK, true)
}

/// [`render`], `chunk` entries to a driver run, with or without the reference list
/// (rendering only citations takes half the time).
fn render_in(
    g: &PolicyGraph,
    style: Style,
    docs: &[NodeIndex],
    chunk: usize,
    with_list: bool,
) -> (Vec<Reference>, HashMap<NodeIndex, String>) {
    let Some(csl) = style
        .independent()
        .or_else(|| Style::default().independent())
    else {
        return (Vec::new(), HashMap::new());
    };
    let locales: Vec<Locale> = hayagriva::archive::locales();
    let (mut cites, mut list) = if with_list {
        drive_in_chunks(g, &csl, &locales, docs, chunk)
    } else {
        let mut cites_only = csl.clone();
        cites_only.bibliography = None;
        drive_in_chunks(g, &cites_only, &locales, docs, chunk)
    };
    // hayagriva 0.10 settles at most three rounds of ambiguity, one group of alike
    // citations after another, and gives year suffixes in the order things are cited
    // (CSL: the list's order). So each group of citations that differ only by a year
    // suffix, or not at all, is rendered again by itself, cited in the list's order:
    // its citations and references then carry 2020a, 2020b in the list's order.
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in &cites {
        groups.entry(without_year_suffix(c)).or_default().push(*i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort();
    let slot: HashMap<usize, usize> = list.iter().enumerate().map(|(k, (i, _))| (*i, k)).collect();
    // The groups on every core, each apart from the others; applied in order.
    let regrouped = crate::blocks::map(&groups, crate::blocks::threads(), |group| {
        // The group in the list's order: from the whole list when there is one, else
        // from the group's own list (the same order, as the style sorts both alike).
        let mut ordered = group.clone();
        if with_list {
            ordered.sort_by_key(|i| slot.get(i).copied().unwrap_or(usize::MAX));
        } else {
            let (_, own) = drive_docs(g, &csl, &locales, docs, group, 0);
            let listed: Vec<usize> = own.into_iter().map(|(i, _)| i).collect();
            let unlisted = group.iter().filter(|i| !listed.contains(i)).copied();
            ordered = listed.iter().copied().chain(unlisted).collect();
        }
        drive_docs(g, &csl, &locales, docs, &ordered, 0)
    });
    for (group_cites, group_list) in regrouped {
        cites.extend(group_cites);
        for (i, content) in group_list {
            if let Some(&k) = slot.get(&i) {
                list[k].1 = content;
            }
        }
    }
    let references = list
        .into_iter()
        .map(|(i, content)| {
            let doc = docs[i];
            let not_a_link = match crate::weblink::address(g.node(doc).attrs()) {
                Some(crate::weblink::Address::Text(t)) => Some(t),
                _ => None,
            };
            let links = Links {
                doi: text(g, doc, "doi")
                    .as_deref()
                    .and_then(crate::weblink::doi_url),
                url: text(g, doc, "url")
                    .as_deref()
                    .and_then(crate::weblink::web_url),
            };
            Reference {
                doc,
                pieces: pieces(&content, &links),
                not_a_link,
            }
        })
        .collect();
    let cites = cites.into_iter().map(|(i, c)| (docs[i], c)).collect();
    (references, cites)
}

impl Bibliography {
    /// The reference list of every document the graph cites (see [`cited_documents`]),
    /// and their in-text citations, in `style`.
    pub fn new(g: &PolicyGraph, style: Style) -> Self {
        Self::of(g, style, &cited_documents(g))
    }

    /// The references and in-text citations of the documents among `sources` (a
    /// picture's tooltips), in `style`.
    pub fn of_sources<'a>(
        g: &PolicyGraph,
        style: Style,
        sources: impl IntoIterator<Item = &'a Source>,
    ) -> Self {
        let docs: BTreeSet<NodeIndex> = sources
            .into_iter()
            .filter_map(|s| g.get(&s.doc))
            .filter(|&d| g.node(d).kind == NodeKind::Document)
            .collect();
        Self::of(g, style, &docs.into_iter().collect::<Vec<_>>())
    }

    /// The in-text citations of `docs` (and no reference list), the same as
    /// [`Bibliography::new`] gives them, for a command that prints a few citations:
    /// in an author-date style only the cited documents alike `docs` (same first
    /// author, or title when there is none, and year: the only ones a citation can be
    /// confused with) are rendered with them; a numeric style numbers by the whole
    /// list, so all are. On a synthetic graph of 35,000 documents, `critiques` of one
    /// initiative takes milliseconds instead of 3 s.
    pub fn citing(
        g: &PolicyGraph,
        style: Style,
        docs: impl IntoIterator<Item = NodeIndex>,
    ) -> Self {
        let all = cited_documents(g);
        let wanted: BTreeSet<NodeIndex> = docs
            .into_iter()
            .filter(|&d| g.node(d).kind == NodeKind::Document)
            .collect();
        let subset: Vec<NodeIndex> = if style.cites_by_author() {
            let keys: std::collections::HashSet<_> =
                wanted.iter().map(|&d| alike_key(g, d)).collect();
            let mut subset = wanted.clone();
            subset.extend(all.iter().filter(|&&d| keys.contains(&alike_key(g, d))));
            subset.into_iter().collect()
        } else {
            let mut subset: BTreeSet<NodeIndex> = all.into_iter().collect();
            subset.extend(wanted);
            subset.into_iter().collect()
        };
        let (_, cites) = render_in(g, style, &subset, CHUNK, false);
        Bibliography {
            style,
            references: Vec::new(),
            cites,
        }
    }

    /// [`Bibliography::citing`] the documents named in `sources`.
    pub fn citing_sources<'a>(
        g: &PolicyGraph,
        style: Style,
        sources: impl IntoIterator<Item = &'a Source>,
    ) -> Self {
        let docs: Vec<NodeIndex> = sources.into_iter().filter_map(|s| g.get(&s.doc)).collect();
        Self::citing(g, style, docs)
    }

    /// The references and in-text citations of `docs`, in `style`.
    pub fn of(g: &PolicyGraph, style: Style, docs: &[NodeIndex]) -> Self {
        let (references, cites) = render(g, style, docs);
        Bibliography {
            style,
            references,
            cites,
        }
    }

    /// The style.
    pub fn style(&self) -> Style {
        self.style
    }

    /// The references, in the style's order.
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// The in-text citation of a document without its brackets: "Miller et al., 2021",
    /// "Glasby, 2020a", "3". A document the graph does not cite is rendered alone.
    pub fn cite(&self, g: &PolicyGraph, doc: NodeIndex) -> String {
        if let Some(c) = self.cites.get(&doc) {
            return c.clone();
        }
        let (_, cites) = render(g, self.style, &[doc]);
        cites
            .get(&doc)
            .filter(|c| !c.is_empty())
            .cloned()
            .unwrap_or_else(|| g.node(doc).name().to_string())
    }

    /// "Miller et al., 2021, Table 1, L111; NAO, 2017, p. 6" for a list of sources: one
    /// entry per document, in order of first appearance, with all its locators.
    pub fn cite_list(&self, g: &PolicyGraph, sources: &[Source]) -> String {
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
                    .map_or_else(|| doc.to_string(), |d| self.cite(g, d));
                format!("{who}, {}", ats.join(", "))
            })
            .collect();
        parts.join("; ")
    }

    /// " [Miller et al., 2021, Table 1; NAO, 2017, p. 6]", or nothing for no sources.
    pub fn citations(&self, g: &PolicyGraph, sources: &[Source]) -> String {
        if sources.is_empty() {
            String::new()
        } else {
            format!(" [{}]", self.cite_list(g, sources))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every attribute the reference is made from is listed in FIELDS, so the warning
    /// about look-alike attributes never calls a real field misspelt.
    #[test]
    fn every_field_the_reference_reads_is_listed() {
        let source = include_str!("bibliography.rs");
        // The code, not its tests.
        let source = &source[..source.find("#[cfg(test)]").unwrap()];
        let mut read = BTreeSet::new();
        for call in ["get(\"", "text(g, doc, \""] {
            for (i, _) in source.match_indices(call) {
                let rest = &source[i + call.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                if key.chars().all(|c| c.is_ascii_lowercase()) && !key.is_empty() {
                    read.insert(key);
                }
            }
        }
        assert!(read.len() >= 12, "{read:?}");
        for key in read {
            assert!(FIELDS.contains(&key), "`{key}` is read but not in FIELDS");
        }
        let references = include_str!("../export/references.rs");
        assert!(references.contains("attrs().get(\"type\")"));
    }

    #[test]
    fn misspelt_and_misplaced_fields_are_named() {
        use Misfield::*;
        for (key, expected) in [
            ("author", Some(Field("authors"))),
            ("Authors", Some(Field("authors"))),
            ("editor", Some(Field("editors"))),
            ("journal_title", Some(Field("journal"))),
            ("container-title", Some(Field("journal"))),
            ("booktitle", Some(Field("book"))),
            ("page", Some(Field("pages"))),
            ("DOI", Some(Field("doi"))),
            ("year", Some(Start)),
            ("date", Some(Start)),
            ("title", Some(Name)),
            ("publisher", Some(PublishedBy)),
            ("authors", None),
            ("chapter", None),
            ("accessed", None),
            ("imprint", None),
            ("discrepancy", None),
            ("fact_source", None),
        ] {
            assert_eq!(misfield(key), expected, "{key}");
        }
    }

    fn parts(p: &Person) -> (String, Option<String>, Option<String>) {
        (p.name.clone(), p.given_name.clone(), p.prefix.clone())
    }

    #[test]
    fn names_are_parsed_as_bibtex_parses_them() {
        assert_eq!(
            parts(&person("Ludwig van Beethoven")),
            (
                "Beethoven".into(),
                Some("Ludwig".into()),
                Some("van".into())
            )
        );
        assert_eq!(
            parts(&person("Ursula von der Leyen")),
            (
                "Leyen".into(),
                Some("Ursula".into()),
                Some("von der".into())
            )
        );
        assert_eq!(
            parts(&person("M.O. Bachmann")),
            ("Bachmann".into(), Some("M.O.".into()), None)
        );
        assert_eq!(
            parts(&person("Gabriel {García Márquez}")),
            ("García Márquez".into(), Some("Gabriel".into()), None)
        );
        assert_eq!(
            parts(&person("{Aa Aa}, Bb")),
            ("Aa Aa".into(), Some("Bb".into()), None)
        );
        assert!(person("{National Voices}").is_institutional());
        assert_eq!(person("{National Voices}").name, "National Voices");
        assert_eq!(people("A. B; et al.; ").len(), 1);
    }

    #[test]
    fn styles_are_offered_by_name() {
        assert_eq!(Style::by_name("harvard"), Some(Style::default()));
        assert_eq!(Style::default().name(), "harvard-cite-them-right");
        for name in ["apa", "chicago-author-date", "vancouver", "APA"] {
            assert!(Style::by_name(name).is_some(), "{name}");
        }
        assert!(Style::by_name("chicago-notes").is_none());
        assert!(Style::by_name("nonesuch").is_none());
    }

    /// Documents whose citations can be confused: two by one author in one year, far
    /// apart in the given order, and two by "Smith et al." in one year.
    fn alike() -> String {
        let people = |a: &str| format!("authors = \"{a}\"");
        [
            ("z1", "Zeta", "2020-06", "J. Glasby"),
            ("m1", "Mu", "2019", "H. Dickinson"),
            ("b1", "Beta", "2021", "R. Miller"),
            ("a1", "Alpha", "2020-01", "J. Glasby"),
            ("s1", "Sigma", "2019", "A. Smith; B. Jones; C. Lee"),
            ("s2", "Tau", "2019", "A. Smith; D. Brown; E. Green"),
        ]
        .iter()
        .map(|(id, name, date, a)| doc(id, name, date, &people(a)))
        .collect()
    }

    #[test]
    fn rendering_in_chunks_gives_the_citations_and_list_of_one_run() {
        let text = alike();
        let g = graph(&text);
        let docs = cited_documents(&g);
        for style in ["harvard", "apa", "vancouver"] {
            let style = Style::by_name(style).unwrap();
            let (whole_list, whole_cites) = render_in(&g, style, &docs, usize::MAX, true);
            for chunk in [1, 2, 4] {
                let (list, cites) = render_in(&g, style, &docs, chunk, true);
                let (_, only) = render_in(&g, style, &docs, chunk, false);
                assert_eq!(only, whole_cites, "{} citations alone", style.name());
                assert_eq!(cites, whole_cites, "{} in chunks of {chunk}", style.name());
                let plain = |l: &[Reference]| l.iter().map(Reference::plain).collect::<Vec<_>>();
                assert_eq!(plain(&list), plain(&whole_list), "{}", style.name());
            }
        }
    }

    #[test]
    fn citing_a_few_documents_gives_the_citations_of_the_whole_list() {
        let text = alike();
        let g = graph(&text);
        for style in ["harvard", "apa", "vancouver"] {
            let style = Style::by_name(style).unwrap();
            let whole = Bibliography::new(&g, style);
            for id in ["z1", "m1", "b1", "a1", "s1", "s2"] {
                let d = g.get(id).unwrap();
                let few = Bibliography::citing(&g, style, [d]);
                assert!(few.references().is_empty());
                assert_eq!(
                    few.cite(&g, d),
                    whole.cite(&g, d),
                    "{id} in {}",
                    style.name()
                );
            }
        }
    }

    fn graph(text: &str) -> PolicyGraph {
        crate::open::finish(crate::load::toml_text("t.toml", text), false).graph
    }

    fn doc(id: &str, name: &str, date: &str, attrs: &str) -> String {
        format!(
            "[[node]]\nid = \"{id}\"\nkind = \"document\"\nname = {}\nstart = \"{date}\"\n\
             attrs = {{ {attrs} }}\nsources = [{{ doc = \"{id}\", at = \"p\" }}]\n",
            toml::Value::String(name.to_string())
        )
    }

    #[test]
    fn two_documents_by_one_author_in_one_year_are_2020a_and_2020b_in_text_and_list() {
        let text = doc("later", "Zeta", "2020-06", "authors = \"J. Glasby\"")
            + &doc("earlier", "Alpha", "2020-01", "authors = \"J. Glasby\"");
        let g = graph(&text);
        for style in ["harvard", "apa"] {
            let b = Bibliography::new(&g, Style::by_name(style).unwrap());
            let list: Vec<String> = b.references().iter().map(Reference::plain).collect();
            let cite = |id: &str| b.cite(&g, g.get(id).unwrap());
            let (a, z) = (cite("earlier"), cite("later"));
            assert!(
                a.ends_with("2020a") && z.ends_with("2020b"),
                "{style}: {a} / {z}"
            );
            assert!(
                list[0].contains("2020a") && list[0].contains("Alpha"),
                "{list:?}"
            );
            assert!(
                list[1].contains("2020b") && list[1].contains("Zeta"),
                "{list:?}"
            );
        }
    }

    #[test]
    fn the_four_defects_of_the_old_formatter_are_gone() {
        let text = doc(
            "quoted",
            "'Square pegs': five laws",
            "2005",
            "authors = \"W. Leutz\", journal = \"J\"",
        ) + &doc(
            "edited",
            "A chapter",
            "2010",
            "authors = \"A. Author\", book = \"The book\", editors = \"M. Exworthy; R. Mannion; M. Powell\"",
        ) + &doc(
            "particle",
            "Symphony",
            "1808",
            "authors = \"Ludwig van Beethoven\"",
        ) + &doc(
            "leyen",
            "Speech",
            "2020",
            "authors = \"Ursula von der Leyen\"",
        );
        let g = graph(&text);
        let b = Bibliography::new(&g, Style::default());
        let plain = |id: &str| {
            b.references()
                .iter()
                .find(|r| r.doc == g.get(id).unwrap())
                .unwrap()
                .plain()
        };
        let quoted = plain("quoted");
        assert!(
            !quoted.contains("''") && !quoted.contains("\u{2018}'"),
            "{quoted}"
        );
        let edited = plain("edited");
        assert!(
            !edited.contains(';') && edited.contains("Powell"),
            "{edited}"
        );
        let beethoven = plain("particle");
        assert!(
            !beethoven.contains("L.v.") && beethoven.starts_with("Beethoven, L. van (1808)"),
            "{beethoven}"
        );
        let leyen = plain("leyen");
        // A person, not an organisation: her initial is given.
        assert!(leyen.starts_with("Leyen, U. von der (2020)"), "{leyen}");
        let cite = b.cite(&g, g.get("leyen").unwrap());
        assert!(cite.contains("Leyen") && !cite.contains("Ursula"), "{cite}");
    }
}
