//! Every exporter on a small graph of arbitrary text: names, aliases, summaries,
//! locators, notes, dates, free attributes with arbitrary keys and values (`url` and
//! `doi` among them), and eras with arbitrary names and summaries. Whatever the text
//! holds, on data the loader accepts:
//!
//! - every problem drawn for a terminal holds no control character but tab and line
//!   feed (no escape sequence reaches a terminal);
//! - GraphML and GEXF are well-formed XML with only XML-legal characters;
//! - JSON parses;
//! - the CSV export loads back to the same graph;
//! - the handout's Markdown, read by a CommonMark parser, holds no raw HTML, no image
//!   and no link the data did not ask for (only `http(s)` addresses that are in it).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use policygraph::diag::{RenderOptions, render};
use policygraph::load::{csv_text, toml_text};
use policygraph::open::{Opened, finish};
use policygraph::view::{Narrow, ViewSpec, view};

#[path = "common.rs"]
mod common;

#[derive(Debug, Arbitrary)]
struct Node {
    kind: u8,
    name: String,
    alias: Option<String>,
    summary: Option<String>,
    at: String,
    start: Option<(u16, u8)>,
    attrs: Vec<(String, String)>,
}

#[derive(Debug, Arbitrary)]
struct Edge {
    from: u8,
    relation: u8,
    to: u8,
    note: Option<String>,
    at: String,
}

#[derive(Debug, Arbitrary)]
struct Era {
    name: String,
    summary: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    eras: Vec<Era>,
}

/// Attribute keys the exporters treat specially, chosen by a key that is one byte.
const SPECIAL_KEYS: [&str; 8] = ["url", "doi", "id", "kind", "key", "name", "note", "attrs.url"];


fn text(input: &Input) -> String {
    let mut t = String::from(
        "[[node]]\nid = \"doc\"\nkind = \"document\"\nname = \"Doc\"\nsources = [{ doc = \"doc\", at = \"p\" }]\n",
    );
    let n = input.nodes.len().min(10);
    for (i, node) in input.nodes.iter().take(n).enumerate() {
        t += &format!(
            "[[node]]\nid = \"n{i}\"\nkind = \"{}\"\nname = {}\nsources = [{{ doc = \"doc\", at = {} }}]\n",
            common::kind(node.kind),
            common::toml_string(&node.name),
            common::toml_string(&node.at),
        );
        if let Some(a) = &node.alias {
            t += &format!("aliases = [{}]\n", common::toml_string(a));
        }
        if let Some(s) = &node.summary {
            t += &format!("summary = {}\n", common::toml_string(s));
        }
        if let Some((y, m)) = node.start {
            t += &format!("start = \"{:04}-{:02}\"\n", 1900 + y % 200, 1 + m % 12);
        }
        if node.kind >= 128 {
            t += "stance = \"critical\"\n";
        }
        if !node.attrs.is_empty() {
            let pairs: Vec<String> = node
                .attrs
                .iter()
                .take(6)
                .map(|(k, v)| {
                    let key = match k.as_bytes() {
                        [b] => SPECIAL_KEYS[usize::from(*b) % SPECIAL_KEYS.len()].to_string(),
                        _ => k.clone(),
                    };
                    format!("{} = {}", common::toml_string(&key), common::toml_string(v))
                })
                .collect();
            t += &format!("attrs = {{ {} }}\n", pairs.join(", "));
        }
    }
    if n > 0 {
        for e in input.edges.iter().take(20) {
            t += &format!(
                "[[edge]]\nfrom = \"n{}\"\nrelation = \"{}\"\nto = \"n{}\"\nsources = [{{ doc = \"doc\", at = {} }}]\n",
                usize::from(e.from) % n,
                common::relation(e.relation),
                usize::from(e.to) % n,
                common::toml_string(&e.at),
            );
            if let Some(note) = &e.note {
                t += &format!("note = {}\n", common::toml_string(note));
            }
        }
    }
    for (i, era) in input.eras.iter().take(3).enumerate() {
        t += &format!(
            "[[era]]\nname = {}\nstart = \"{}\"\nend = \"{}\"\n",
            common::toml_string(&era.name),
            1990 + 10 * i,
            1999 + 10 * i
        );
        if let Some(s) = &era.summary {
            t += &format!("summary = {}\n", common::toml_string(s));
        }
    }
    t
}

/// No control character but tab and line feed: nothing a terminal would act on.
fn terminal_safe(what: &str, text: &str) {
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n'))
    {
        panic!("{what} holds U+{:04X}:\n{text:?}", c as u32);
    }
}

fn draw_problems(opened: &Opened) {
    let options = RenderOptions {
        color: false,
        width: 80,
    };
    for p in &opened.problems {
        let mut out = String::new();
        render(p, &opened.sources, options, &mut out);
        terminal_safe("a drawn problem", &out);
    }
}

/// Reads XML to the end: it must be well-formed, and hold only characters XML allows.
fn well_formed_xml(what: &str, xml: &str) {
    let legal = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    };
    if let Some(c) = xml.chars().find(|&c| !legal(c)) {
        panic!("{what} holds U+{:04X}, which XML does not allow", c as u32);
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                let name = r.xml10_content();
                let known = matches!(name.as_ref(), "lt" | "gt" | "amp" | "quot" | "apos");
                assert!(
                    known || r.resolve_char_ref().ok().flatten().is_some(),
                    "{what}: an entity XML does not define: &{name};"
                );
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{what} is not well-formed: {e}\n{xml}"),
        }
    }
    assert_eq!(depth, 0, "{what}: unbalanced elements");
}

/// The handout read as CommonMark: no raw HTML, no image, and every link an http(s)
/// address that the data holds.
fn safe_markdown(md: &str, data: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the handout: {h:?}"),
            Event::Start(Tag::Image { dest_url, .. }) => {
                // The handout's own chart and slides are local files.
                assert!(
                    !dest_url.contains(':') && !dest_url.starts_with("//"),
                    "an image from elsewhere: {dest_url}"
                );
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let local = !dest_url.contains(':') && !dest_url.starts_with("//");
                let web = dest_url.starts_with("https://") || dest_url.starts_with("http://");
                assert!(local || web, "a link that is not http(s): {dest_url}");
                if web && !dest_url.starts_with("https://doi.org/") {
                    assert!(
                        data.contains(dest_url.as_ref()),
                        "a link the data did not ask for: {dest_url}"
                    );
                }
            }
            _ => {}
        }
    }
}

fuzz_target!(|input: Input| {
    let data = text(&input);
    let opened = finish(toml_text("fuzz.toml", &data), false);
    draw_problems(&opened);
    if opened.errors() != 0 {
        return;
    }
    let g = &opened.graph;
    let whole = view(g, &ViewSpec::Whole, &Narrow::default());
    well_formed_xml("GraphML", &policygraph::export::graphml::to_graphml(g, &whole));
    well_formed_xml("GEXF", &policygraph::export::gexf::to_gexf(g, &whole));
    let json = policygraph::export::json::to_json(g, &whole);
    serde_json::from_str::<serde_json::Value>(&json).expect("JSON parses");
    if let Ok(files) = policygraph::export::csv::to_csv(g, &whole) {
        let back = finish(csv_text(&files.nodes, Some(&files.edges)), false);
        assert_eq!(
            back.errors(),
            0,
            "the CSV export does not load back: {:?}\n{}\n{}",
            back.problems.iter().map(|p| &p.message).collect::<Vec<_>>(),
            files.nodes,
            files.edges
        );
        assert_eq!(
            common::snapshot(&back),
            common::snapshot(&opened),
            "the CSV export loads back to another graph"
        );
    }
    let story = view(g, &ViewSpec::Story(None), &Narrow::default());
    let handout = policygraph::teach::handout::handout(g, &story);
    safe_markdown(
        &policygraph::teach::handout::markdown(&handout, "layering.svg"),
        &data,
    );
    common::export_everything(&opened);
});
