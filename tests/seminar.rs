//! The seminar deck, the handout and the explorer, run through the real binary: stable
//! positions across steps on the shipped data, the handout's parts, and hostile names
//! shown as literal text (the browser checks are in tests/browser.rs).

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::{policygraph, run_ok as run};
use policygraph::teach::slides::node_positions;
use std::collections::BTreeMap;
use std::path::Path;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn steps(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("step-") && n.ends_with(".svg"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_node_keeps_its_place_from_the_step_it_appears_in() {
    // The deck `build` writes is `seminar`'s with its defaults.
    let dir = common::built().join("seminar");
    let steps = steps(&dir);
    assert!(
        steps.len() >= 5,
        "before 1997, then the four eras, some in parts: {steps:?}"
    );
    let mut first_seen: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut counts = Vec::new();
    for (k, name) in steps.iter().enumerate() {
        let positions = node_positions(&read(&dir.join(name))).unwrap();
        counts.push(positions.len());
        let here: BTreeMap<String, String> = positions.into_iter().collect();
        // Everything shown before is still shown, in the same place.
        for (id, (step, at)) in &first_seen {
            assert_eq!(
                here.get(id),
                Some(at),
                "{id}, shown from step {} at {at}, moved or vanished in step {}",
                step + 1,
                k + 1
            );
        }
        for (id, at) in here {
            first_seen.entry(id).or_insert((k, at));
        }
    }
    assert!(
        counts.windows(2).all(|w| w[0] < w[1]),
        "every step adds nodes: {counts:?}"
    );
    assert!(counts[0] >= 1 && *counts.last().unwrap() > 50, "{counts:?}");
    // Every slide is a 16:9 camera on the one chart, close enough that a label (17.3
    // units tall) is at least 18 px on a 1600 px wide stage.
    for name in &steps {
        let svg = read(&dir.join(name));
        let vb: Vec<f32> = svg
            .split("viewBox=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .split(' ')
            .map(|t| t.parse().unwrap())
            .collect();
        assert!((vb[2] / vb[3] - 16.0 / 9.0).abs() < 0.01, "{name}: {vb:?}");
        assert!(
            1600.0 / vb[2] * 17.3 >= 18.0,
            "{name}: labels under 18 px: {vb:?}"
        );
        assert!(svg.contains("width=\"1600\" height=\"900\""), "{name}");
    }
    // What is new in a step is marked; the first step marks everything it shows.
    let second = read(&dir.join(&steps[1]));
    assert!(second.contains("pg-new"));
    assert!(
        !second.contains("node-integrated-care-boards"),
        "no spoilers"
    );
}

#[test]
fn the_deck_and_handout_have_what_a_seminar_needs() {
    // The deck `build` writes is `seminar`'s with its defaults.
    let dir = common::built().join("seminar");
    let index = read(&dir.join("index.html"));
    for era in [
        "New Labour",
        "Coalition",
        "Conservative",
        "COVID-19 and after",
    ] {
        assert!(index.contains(&format!("<h1>{era}")), "{era}");
    }
    assert!(index.contains("1997 to 2010") && index.contains("ArrowRight"));
    let md = read(&dir.join("handout.md"));
    // The eras: each with its slides, every slide of the deck once, files that exist.
    let pictures: Vec<&str> = md
        .split("## The eras")
        .nth(1)
        .unwrap()
        .split("## Critiques")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_suffix(".svg)"))
        .filter_map(|l| l.rsplit('(').next())
        .collect();
    let mut expected: Vec<String> = steps(&dir)
        .iter()
        .map(|s| s.trim_end_matches(".svg").to_string())
        .collect();
    expected.sort();
    assert_eq!(
        pictures, expected,
        "the handout shows every slide, in order"
    );
    for heading in [
        "## Timeline",
        "## The eras",
        "## Lineage chains",
        "## Critiques",
        "## Layering",
        "## Questions for discussion",
        "## Bibliography",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    // The lineage chain of commissioners, in time order.
    assert!(
        md.lines().any(|l| {
            let (a, b, c) = (
                l.find("Primary care trusts"),
                l.find("Clinical commissioning groups"),
                l.find("Integrated care boards"),
            );
            matches!((a, b, c), (Some(a), Some(b), Some(c)) if a < b && b < c)
        }),
        "the PCT -> CCG -> ICB chain"
    );
    // The critiques table carries stances and locators; the bibliography is Harvard.
    assert!(md.contains("| critical |") && md.contains("| supportive |"));
    assert!(md.contains(
        "Miller, R., Glasby, J. and Dickinson, H. (2021) “Integrated health and social care in England: ten years on,” *International Journal of Integrated Care*"
    ));
    let questions = md
        .split("## Questions for discussion")
        .nth(1)
        .unwrap()
        .split("## Bibliography")
        .next()
        .unwrap();
    assert!(
        questions
            .lines()
            .filter(|l| l.starts_with(char::is_numeric))
            .count()
            >= 5,
        "{questions}"
    );
    let html = read(&dir.join("handout.html"));
    assert!(html.contains("<svg") && html.contains("Initiatives per year: layering"));
    assert!(html.contains("@media print"));
    let chart = read(&dir.join("layering.svg"));
    assert!(chart.matches("<rect").count() > 40, "a bar per year");
}

#[test]
fn steps_by_year_and_a_focus() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    run(&[
        "seminar",
        "--out",
        d,
        "--steps",
        "2000,2013",
        "--focus",
        "primary care trusts",
    ]);
    let index = read(&dir.path().join("index.html"));
    assert!(
        steps(dir.path()).len() >= 3,
        "to 2000, 2001-2013, from 2014"
    );
    assert_eq!(
        steps(dir.path()).len(),
        index.matches(r#"<section class="slide step""#).count()
    );
    assert!(index.contains("<h1>To 2000") && index.contains("<h1>From 2014"));
    assert!(index.contains("The story of Primary care trusts"));
    // A shorter deck removes the steps a longer one left.
    let before = steps(dir.path()).len();
    run(&[
        "seminar",
        "--out",
        d,
        "--steps",
        "2010",
        "--focus",
        "primary care trusts",
    ]);
    let index = read(&dir.path().join("index.html"));
    assert_eq!(
        steps(dir.path()).len(),
        index.matches(r#"<section class="slide step""#).count()
    );
    assert!(steps(dir.path()).len() < before, "stale steps removed");
    // Bad steps are a usage error.
    let out = policygraph()
        .args(["seminar", "--out", d, "--steps", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a year"));
}

/// The text of every element with `class` in `html`, in order (maud writes no nested
/// elements of the same class here).
fn texts_of(html: &str, class: &str) -> Vec<String> {
    let open = format!(r#"class="{class}">"#);
    html.match_indices(&open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            rest[..rest.find("</").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_title_slide_credits_the_collection_or_the_presenter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    run(&["seminar", "--out", d]);
    let index = read(&dir.path().join("index.html"));
    assert!(index.contains(r#"<section class="slide title-slide""#));
    assert!(index.contains("Integrated health and social care in England, 1972 to 2022"));
    assert!(texts_of(&index, "author")[0].starts_with("policygraph contributors"));
    // The eras, in order, with their years.
    let eras = texts_of(&index, "era-name");
    assert_eq!(
        eras,
        [
            "New Labour",
            "Coalition",
            "Conservative",
            "COVID-19 and after"
        ]
    );
    run(&["seminar", "--out", d, "--author", "Dr A. Lecturer & <Co>"]);
    let index = read(&dir.path().join("index.html"));
    assert_eq!(
        texts_of(&index, "author"),
        ["Dr A. Lecturer &amp; &lt;Co&gt;"]
    );
}

#[test]
fn the_critiques_slides_say_what_the_critiques_query_says() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    run(&["seminar", "--out", d, "--focus", "better-care-fund"]);
    let index = read(&dir.path().join("index.html"));
    let out = run(&["critiques", "better-care-fund", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows["rows"].as_array().unwrap();
    assert!(rows.len() >= 3, "the Better Care Fund was judged often");
    // The subtitle's counts, recomputed from the query.
    let count = |stance: &str| {
        rows.iter()
            .filter(|r| r["stance"].as_str().unwrap_or("not stated") == stance)
            .count()
    };
    let years: Vec<u64> = rows.iter().filter_map(|r| r["year"].as_u64()).collect();
    let subtitle = &texts_of(&index, "years")
        .into_iter()
        .find(|t| t.contains("judgements"))
        .unwrap();
    assert!(
        subtitle.starts_with(&format!(
            "{} judgements, {} to {}: ",
            rows.len(),
            years.iter().min().unwrap(),
            years.iter().max().unwrap()
        )),
        "{subtitle}"
    );
    for stance in ["critical", "supportive", "mixed", "neutral", "not stated"] {
        let n = count(stance);
        assert_eq!(
            subtitle.contains(&format!("{n} {stance}")),
            n > 0,
            "{stance}: {subtitle}"
        );
    }
    // One table row per judgement, the stances as the query gives them.
    let stances: Vec<String> = index
        .match_indices(r#"<span class="stance "#)
        .map(|(i, _)| {
            let rest = &index[i..];
            let text = &rest[rest.find('>').unwrap() + 1..];
            text[..text.find('<').unwrap()].to_string()
        })
        .collect();
    let mut expected: Vec<String> = rows
        .iter()
        .map(|r| r["stance"].as_str().unwrap_or("not stated").to_string())
        .collect();
    let mut got = stances.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert!(index.contains("<h1>What the reviews said: Better Care Fund"));
}

#[test]
fn speaker_notes_give_the_sources_of_what_is_new() {
    // The deck `build` writes is `seminar`'s with its defaults.
    let dir = common::built().join("seminar");
    let index = read(&dir.join("index.html"));
    // Every slide has notes; a step's notes name each new node with its sources.
    assert_eq!(
        index.matches("<section").count(),
        index.matches(r#"<aside class="notes">"#).count()
    );
    let bcf = index
        .split("<section")
        .find(|s| s.contains("<li>Better Care Fund</li>"))
        .unwrap();
    let notes = &bcf[bcf.find(r#"<aside class="notes">"#).unwrap()..];
    assert!(notes.contains("<strong>Better Care Fund</strong>: initiative, from 2013-06"));
    assert!(
        notes.contains(r#"<span class="src">[Miller, Glasby and Dickinson, 2021"#),
        "{notes}"
    );
}

const IMG: &str = "<img src=x onerror=alert(1)>";

#[test]
fn a_hostile_name_is_literal_text_in_the_explorer_and_handout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = ["--data", "tests/data/injection"];
    run(&[&data[..], &["seminar", "--out", d.to_str().unwrap()]].concat());
    let explorer = d.join("explorer.html");
    run(&[&data[..], &["explorer", "-o", explorer.to_str().unwrap()]].concat());
    // Markdown: rendered by a real CommonMark parser, the name is text, not a tag.
    let md = read(&d.join("handout.md"));
    let rendered = {
        let mut html = String::new();
        let options = pulldown_cmark::Options::ENABLE_TABLES;
        let parser = pulldown_cmark::Parser::new_ext(&md, options);
        pulldown_cmark::html::push_html(&mut html, parser);
        html
    };
    assert!(
        rendered.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{rendered}"
    );
    // The only images are ours: the story chart, the layering chart, the slides.
    let srcs: Vec<&str> = rendered
        .split("<img src=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(rendered.matches("<img").count(), srcs.len());
    assert!(srcs.len() >= 3, "{srcs:?}");
    for src in &srcs {
        let slide = src
            .strip_prefix("step-")
            .and_then(|n| n.strip_suffix(".svg"))
            .is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            slide || ["story.svg", "layering.svg"].contains(src),
            "{src} is not one of our pictures: {rendered}"
        );
    }
    assert!(
        rendered.contains("<img src=\"story.svg\"")
            && rendered.contains("<img src=\"layering.svg\"")
    );
    assert!(rendered.contains("<img src=\"layering.svg\""));
    assert!(rendered.contains("<table>"), "tables render as tables");
    assert!(
        !rendered.contains("href=\"javascript"),
        "no javascript link: {rendered}"
    );
    // HTML pages: only escaped forms; the explorer's data is JSON-escaped.
    for page in [d.join("handout.html"), d.join("index.html"), explorer] {
        let text = read(&page);
        for raw in [IMG, "<script>alert", "<svg onload", "<iframe", "<b>bold"] {
            assert!(!text.contains(raw), "{} contains {raw}", page.display());
        }
    }
    let handout = read(&d.join("handout.html"));
    assert!(handout.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let explorer = read(&d.join("explorer.html"));
    assert!(explorer.contains("\\u003cimg src=x onerror=alert(1)\\u003e"));
    assert!(
        !explorer.contains("src=\"http") && !explorer.contains("src=\"//"),
        "nothing from a network"
    );
}
