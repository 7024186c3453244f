//! Evidence over time and its quality, through the real binary (issue 21): `--known-by`
//! in `critiques`, the explorer's data and the deck; `diff --evidence`; `critiques
//! --contested`; `discrepancies` and the shipped data's `attrs.discrepancy`; paths that
//! route around a document that merely cites both ends. Every sentence these print is
//! recomputed here from the records.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::policygraph;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const FIXTURE: &str = "tests/data/evidence";
/// The finding published on 19 October 2018.
const LATE: &str = "committee-finds-fewer-admissions";
const LATE_NAME: &str = "The fund reduced admissions";

/// Runs the binary; returns exit code, stdout and stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = policygraph().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn ok(args: &[&str]) -> (String, String) {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    (stdout, stderr)
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args).0).unwrap()
}

/// The JSON the explorer page embeds.
fn explorer_data(page: &str) -> Value {
    let start = page.find("id=\"policygraph-data\"").unwrap();
    let json = &page[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap()
}

fn ids(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

// ---- --known-by ----

#[test]
fn a_finding_published_in_2018_is_absent_in_2017_and_present_in_2018_in_critiques() {
    for (year, present) in [("2017", false), ("2018", true)] {
        let (text, note) = ok(&["--data", FIXTURE, "critiques", "--known-by", year]);
        assert_eq!(text.contains(LATE_NAME), present, "{year}: {text}");
        assert!(
            text.contains("Progress on the fund was slow"),
            "{year}: {text}"
        );
        assert!(
            note.starts_with(&format!("note: evidence as known by {year}:")),
            "{note}"
        );
        let j = json(&[
            "--data",
            FIXTURE,
            "critiques",
            "Care Fund",
            "--known-by",
            year,
            "--format",
            "json",
        ]);
        assert_eq!(j["known_by"], year.parse::<u64>().unwrap());
        let findings: Vec<&str> = j["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["finding"].as_str())
            .collect();
        assert_eq!(findings.contains(&LATE), present, "{year}: {findings:?}");
    }
    // Before the subcommand, with --format there too.
    let j = json(&[
        "--known-by",
        "2017",
        "--format",
        "json",
        "--data",
        FIXTURE,
        "critiques",
    ]);
    assert_eq!(j["known_by"], 2017);
    // Without the option, the JSON is as before: no `known_by`.
    let j = json(&["--data", FIXTURE, "critiques", "--format", "json"]);
    assert!(j.get("known_by").is_none());
}

#[test]
fn a_finding_published_in_2018_is_absent_in_2017_and_present_in_2018_in_the_explorer_data() {
    let dir = tempfile::tempdir().unwrap();
    for (year, present) in [("2017", false), ("2018", true)] {
        let file = dir.path().join(format!("explorer-{year}.html"));
        ok(&[
            "--data",
            FIXTURE,
            "--known-by",
            year,
            "explorer",
            "-o",
            file.to_str().unwrap(),
        ]);
        let page = std::fs::read_to_string(&file).unwrap();
        let data = explorer_data(&page);
        let nodes = ids(&data["nodes"]);
        assert_eq!(nodes.contains(LATE), present, "{year}: {nodes:?}");
        assert_eq!(nodes.contains("committee-2018"), present, "{year}");
        assert!(nodes.contains("audit-finds-slow-progress"), "{year}");
        assert!(
            !nodes.contains("scheme"),
            "the 2019 scheme is not known by {year}"
        );
        assert!(!nodes.contains("review-2021"), "{year}");
        let edges_to_late = data["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["to"] == LATE || e["from"] == LATE)
            .count();
        assert_eq!(edges_to_late, if present { 2 } else { 0 }, "{year}");
        let title = format!("policygraph explorer: evidence as known by {year}");
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{year}");
        // The fund ended in 2019: as known then, it was still running.
        let fund = data["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == "fund")
            .unwrap();
        assert_eq!(fund["end_status"], "ongoing", "{year}");
    }
}

#[test]
fn a_finding_published_in_2018_is_absent_in_2017_and_present_in_2018_in_the_deck() {
    let dir = tempfile::tempdir().unwrap();
    for (year, present) in [("2017", false), ("2018", true)] {
        let out = dir.path().join(year);
        let out_arg = out.to_str().unwrap();
        ok(&[
            "--data",
            FIXTURE,
            "--known-by",
            year,
            "seminar",
            "--focus",
            "fund",
            "--out",
            out_arg,
        ]);
        let deck = std::fs::read_to_string(out.join("index.html")).unwrap();
        let handout = std::fs::read_to_string(out.join("handout.md")).unwrap();
        assert_eq!(deck.contains(LATE_NAME), present, "{year}: the deck");
        assert_eq!(handout.contains(LATE_NAME), present, "{year}: the handout");
        // The critiques slide's count, recomputed: one judgement in 2017, two by 2018.
        let said = if present {
            "2 judgements, 2017 to 2018: 1 critical, 1 supportive"
        } else {
            "1 judgement, 2017: 1 critical"
        };
        assert!(deck.contains(said), "{year}: {said}");
    }
}

/// The note's counts, recomputed from the JSON export of the narrowed graph and of the
/// whole one.
#[test]
fn the_known_by_note_states_what_was_left_out() {
    let whole = json(&["--data", FIXTURE, "export", "--format", "json"]);
    let (text, note) = ok(&[
        "--data",
        FIXTURE,
        "--known-by",
        "2017",
        "export",
        "--format",
        "json",
    ]);
    let known: Value = serde_json::from_str(&text).unwrap();
    let count = |v: &Value, key: &str, kind: &str| {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == kind)
            .count()
    };
    // Node-link JSON calls the edges `links`.
    let edges = |v: &Value| v["links"].as_array().unwrap().len();
    let expect = format!(
        "note: evidence as known by 2017: {} of {} documents (published by 2017), {} of {} findings, \
         {} of {} edges; 1 initiative, body or law begun after 2017 left out; 1 end after 2017 shown as ongoing\n",
        count(&known, "nodes", "document"),
        count(&whole, "nodes", "document"),
        count(&known, "nodes", "finding"),
        count(&whole, "nodes", "finding"),
        edges(&known),
        edges(&whole),
    );
    assert_eq!(note, expect);
    let later: Vec<&Value> = whole["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "initiative" && n["start"].as_str().unwrap() > "2017")
        .collect();
    assert_eq!(later.len(), 1, "the scheme, begun 2019");
}

#[test]
fn a_node_not_yet_known_is_named_as_such() {
    let (code, stdout, stderr) = run(&[
        "--data",
        FIXTURE,
        "critiques",
        "scheme",
        "--known-by",
        "2018",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("error: Care Scheme is not known by 2018: it dates from 2019"),
        "{stderr}"
    );
}

#[test]
fn known_by_is_refused_where_it_cannot_apply() {
    for args in [
        vec!["--data", FIXTURE, "validate", "--known-by", "2017"],
        vec!["--known-by", "2017", "--data", FIXTURE, "validate"],
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains("--known-by does not apply to `validate`"),
            "{stderr}"
        );
    }
    let (code, _, stderr) = run(&["--data", FIXTURE, "critiques", "--known-by", "17"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("expected a year of four digits"),
        "{stderr}"
    );
}

#[test]
fn what_had_been_found_about_the_better_care_fund_by_2016_and_by_2017() {
    let rows = |year: &str| {
        let j = json(&[
            "critiques",
            "Better Care Fund",
            "--known-by",
            year,
            "--format",
            "json",
        ]);
        j["rows"].as_array().unwrap().clone()
    };
    assert!(
        rows("2016").is_empty(),
        "the NAO's report of February 2017 is the first"
    );
    let by_2017 = rows("2017");
    assert_eq!(by_2017.len(), 2);
    for r in &by_2017 {
        assert_eq!(r["year"], 2017);
        assert_eq!(r["document"], "nao-2017-health-and-social-care-integration");
        for reported in r["reported_in"].as_array().unwrap() {
            let doc = reported["document"].as_str().unwrap();
            assert!(
                doc.contains("2017"),
                "a report from a later year is not known: {doc}"
            );
        }
    }
    // The same from the whole collection: its rows dated 2017 or before.
    let all = json(&["critiques", "Better Care Fund", "--format", "json"]);
    let early = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["year"].as_u64().is_some_and(|y| y <= 2017))
        .count();
    assert_eq!(early, by_2017.len());
}

#[test]
fn diff_evidence_lists_the_judgements_that_became_known_between_two_years() {
    let (text, _) = ok(&["--data", FIXTURE, "diff", "2017", "2018", "--evidence"]);
    assert!(
        text.starts_with("1 judgement known by 2018 that was not known by 2017\n"),
        "{text}"
    );
    assert!(
        text.contains(LATE_NAME) && !text.contains("Progress on the fund"),
        "{text}"
    );
    let j = json(&[
        "--data",
        FIXTURE,
        "diff",
        "2016",
        "2018",
        "--evidence",
        "--format",
        "json",
    ]);
    let findings: Vec<&str> = j["judgements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["finding"].as_str().unwrap())
        .collect();
    assert_eq!(findings, ["audit-finds-slow-progress", LATE]);
    // The count is the difference of `critiques --known-by` at the two years.
    let rows = |y: &str| {
        json(&[
            "critiques",
            "Better Care Fund",
            "--known-by",
            y,
            "--format",
            "json",
        ])["rows"]
            .as_array()
            .unwrap()
            .len()
    };
    let j = json(&[
        "diff",
        "2016",
        "2021",
        "--evidence",
        "--about",
        "Better Care Fund",
        "--format",
        "json",
    ]);
    assert_eq!(
        j["judgements"].as_array().unwrap().len(),
        rows("2021") - rows("2016")
    );
    let (code, _, _) = run(&["--data", FIXTURE, "diff", "2017", "2018", "--about", "fund"]);
    assert_eq!(code, 2, "--about needs --evidence");
}

// ---- contested judgements ----

#[test]
fn contested_subjects_show_both_sides_with_documents_and_dates() {
    let j = json(&[
        "--data",
        FIXTURE,
        "critiques",
        "--contested",
        "--format",
        "json",
    ]);
    insta::assert_json_snapshot!("contested_json", j);
    let (text, _) = ok(&["--data", FIXTURE, "critiques", "--contested"]);
    assert_eq!(
        text,
        "Care Fund (fund): 1 critical, 1 supportive, 0 mixed\n  critical\n    2017  Progress on the fund \
         was slow (Audit Office, 2017)\n  supportive\n    2018  The fund reduced admissions (“Committee \
         report on the fund,” 2018)\n"
    );
    // In 2017 only the critical judgement was known: nothing was contested yet.
    let (text, _) = ok(&[
        "--data",
        FIXTURE,
        "critiques",
        "--contested",
        "--known-by",
        "2017",
    ]);
    assert_eq!(
        text,
        "no subject is judged both critically and favourably\n"
    );
}

#[test]
fn contested_counts_match_the_critiques_of_each_subject() {
    let j = json(&["critiques", "--contested", "--format", "json"]);
    let contested = j["contested"].as_array().unwrap();
    assert!(contested.iter().any(|c| c["subject"] == "better-care-fund"));
    for c in contested {
        let subject = c["subject"].as_str().unwrap();
        let rows = json(&["critiques", subject, "--format", "json"]);
        for stance in ["critical", "supportive", "mixed"] {
            let n = rows["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["stance"] == stance)
                .count();
            assert_eq!(c[stance].as_array().unwrap().len(), n, "{subject} {stance}");
        }
        assert!(!c["critical"].as_array().unwrap().is_empty());
        let favourable =
            c["supportive"].as_array().unwrap().len() + c["mixed"].as_array().unwrap().len();
        assert!(favourable > 0, "{subject}");
    }
}

// ---- discrepancies ----

#[test]
fn discrepancies_lists_the_records_that_disagree_with_the_public_record() {
    let j = json(&["--data", FIXTURE, "discrepancies", "--format", "json"]);
    insta::assert_json_snapshot!("discrepancies_json", j);
    let (text, _) = ok(&["--data", FIXTURE, "discrepancies"]);
    assert_eq!(
        text,
        "1 record whose sources disagree with the public record (attrs.discrepancy)\n\n\
         Committee report on the fund (committee-2018), document, 2018-10-19\n  \
         G1: the report dates the fund to 2012, the record to 2013\n"
    );
}

/// The ids of section G items a note names: `D<n>` for n in 1..=18 (section G's items;
/// the ICS note mentions a `D20` that G lacks), except where the note means section D's
/// subsections (`section D1`, `sections D1 and D2`).
fn named_items(note: &str) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    let bytes = note.as_bytes();
    for (i, _) in note.match_indices('D') {
        let digits: String = note[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let after = bytes.get(i + 1 + digits.len()).copied();
        let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if digits.is_empty() || !word_start || after.is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let before = &note[..i];
        let subsection = before.ends_with("section ")
            || before.ends_with("sections ")
            || (before.ends_with(" and ")
                && before.trim_end_matches(" and ").rsplit(' ').nth(1) == Some("sections"));
        let n: u32 = digits.parse().unwrap();
        if !subsection && (1..=18).contains(&n) {
            out.insert(n);
        }
    }
    out
}

#[test]
fn every_note_naming_a_section_g_item_has_the_discrepancy_attribute() {
    // The triple aim's note names D9 only to say that D9 is not about it.
    let not_about_it = [("triple-aim", 9)];
    let mut seen = BTreeSet::new();
    let dir = Path::new("data/integrated-care");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        // The public record's own pages: their notes say which items they are the source of.
        if file.extension().is_none_or(|e| e != "toml") || file.ends_with("public-sources.toml") {
            continue;
        }
        let doc: toml::Table = std::fs::read_to_string(&file).unwrap().parse().unwrap();
        for node in doc
            .get("node")
            .and_then(|n| n.as_array())
            .into_iter()
            .flatten()
        {
            let id = node["id"].as_str().unwrap();
            let note = node.get("note").and_then(|n| n.as_str()).unwrap_or("");
            let mut want = named_items(note);
            for (who, n) in not_about_it {
                if who == id {
                    want.remove(&n);
                }
            }
            let text = node
                .get("attrs")
                .and_then(|a| a.get("discrepancy"))
                .and_then(|d| d.as_str());
            let have: BTreeSet<u32> = text
                .into_iter()
                .flat_map(|t| t.split("; "))
                .map(|item| {
                    let (id, _) = item.split_once(": ").unwrap();
                    id.strip_prefix('D').unwrap().parse().unwrap()
                })
                .collect();
            assert_eq!(have, want, "{}: {id}", file.display());
            seen.extend(have);
        }
    }
    assert_eq!(
        seen,
        (1..=18).collect(),
        "every item of section G is on some record"
    );
}

#[test]
fn the_shipped_discrepancies_reach_the_command_the_explorer_and_the_handout() {
    let j = json(&["discrepancies", "--format", "json"]);
    let listed = j["discrepancies"].as_array().unwrap();
    let (text, _) = ok(&["discrepancies"]);
    assert!(text.starts_with(&format!(
        "{} records whose sources disagree with the public record",
        listed.len()
    )));
    let page = std::fs::read_to_string(common::built().join("explorer.html")).unwrap();
    let data = explorer_data(&page);
    let flagged: BTreeSet<String> = data["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["discrepancy"].is_string())
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(flagged, ids(&j["discrepancies"]));
    let handout = std::fs::read_to_string(common::built().join("seminar/handout.md")).unwrap();
    let section = handout
        .split("## Where the sources disagree with the public record")
        .nth(1)
        .unwrap();
    let section = section.split("\n## ").next().unwrap();
    assert_eq!(
        section.lines().filter(|l| l.starts_with("- ")).count(),
        listed.len()
    );
}

// ---- paths ----

#[test]
fn the_path_from_the_better_care_fund_to_integrated_care_systems_avoids_the_2021_paper() {
    let paper = "miller-glasby-dickinson-2021";
    let j = json(&[
        "path",
        "Better Care Fund",
        "Integrated care systems",
        "--format",
        "json",
    ]);
    let path: Vec<&str> = j["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(!path.contains(&paper), "{path:?}");
    assert_eq!(j["routed_around"], serde_json::json!([paper]));
    assert_eq!(j["only_citations"], false);
    // With --through-citing, the shortest path does pass through the paper, and it is
    // no longer than the one found: the note's hop count is that path's.
    let free = json(&[
        "path",
        "Better Care Fund",
        "Integrated care systems",
        "--through-citing",
        "--format",
        "json",
    ]);
    let free_path: Vec<&str> = free["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(free_path.contains(&paper), "{free_path:?}");
    assert!(free_path.len() <= path.len());
    assert_eq!(free["routed_around"], serde_json::json!([]));
    let (text, _) = ok(&["path", "Better Care Fund", "Integrated care systems"]);
    let hops = free_path.len() - 1;
    assert!(
        text.contains(&format!(
            "note: a path of {hops} hops through Integrated health and social care in England: ten \
             years on ({paper}), which merely cites both its neighbours on it, is left out; \
             --through-citing allows it"
        )),
        "{text}"
    );
    // explain says the same.
    let (told, _) = ok(&["explain", "Better Care Fund", "Integrated care systems"]);
    assert!(told.contains("--through-citing allows it"), "{told}");
    // --avoid takes the route the search chose away.
    let middle = path[1];
    let j = json(&[
        "path",
        "Better Care Fund",
        "Integrated care systems",
        "--avoid",
        middle,
        "--format",
        "json",
    ]);
    assert!(!j["path"].as_array().unwrap().iter().any(|n| n == middle));
}

#[test]
fn avoid_and_relations_shape_the_path_on_a_fixture() {
    // The scheme replaced the fund; the review cites both.
    let j = json(&[
        "--data", FIXTURE, "path", "scheme", "fund", "--format", "json",
    ]);
    assert_eq!(j["path"], serde_json::json!(["scheme", "fund"]));
    let (code, _, stderr) = run(&[
        "--data",
        FIXTURE,
        "path",
        "scheme",
        "fund",
        "--relations",
        "cites",
    ]);
    assert_eq!(
        code, 1,
        "only through the review, which merely cites both: {stderr}"
    );
    assert!(stderr.contains("no path connects"), "{stderr}");
    let j = json(&[
        "--data",
        FIXTURE,
        "path",
        "scheme",
        "fund",
        "--relations",
        "cites",
        "--through-citing",
        "--format",
        "json",
    ]);
    assert_eq!(
        j["path"],
        serde_json::json!(["scheme", "review-2021", "fund"])
    );
    assert_eq!(j["only_citations"], true);
    let (text, _) = ok(&[
        "--data",
        FIXTURE,
        "path",
        "scheme",
        "fund",
        "--relations",
        "cites",
        "--through-citing",
    ]);
    assert!(text.ends_with(
        "note: this path runs only through citations: it shows what cites what, not that one led to the other\n"
    ), "{text}");
    // --avoid: without the replacement's ends... the direct edge cannot be avoided, but a
    // node can: avoiding the review leaves no citation route at all.
    let (code, _, _) = run(&[
        "--data",
        FIXTURE,
        "path",
        "scheme",
        "fund",
        "--relations",
        "cites",
        "--through-citing",
        "--avoid",
        "review-2021",
    ]);
    assert_eq!(code, 1);
    let (code, _, stderr) = run(&[
        "--data", FIXTURE, "path", "scheme", "fund", "--avoid", "nowhere",
    ]);
    assert_eq!(code, 2, "an unknown --avoid node is a usage error");
    assert!(stderr.contains("no node is called `nowhere`"), "{stderr}");
}
