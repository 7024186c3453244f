//! `import refs`: real exports (tests/data/import/) into a fresh `policygraph new`
//! collection, re-import, `--update`, `--dry-run`, hand edits kept, hostile inputs
//! refused with nothing written, and a round trip of the fields the model keeps.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::policygraph;
use policygraph::import::refs::{self, Format};
use policygraph::import::{Field, Link, Record, Target};
use policygraph::model::{NodeKind, Relation};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const CSL: &str = "tests/data/import/zotero-bbt-pandoc-citation.json";
const BIB: &str = "tests/data/import/biblatex-gral.bib";

/// Runs the binary and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = policygraph().args(args).output().expect("runs");
    let (code, stdout, stderr) = (
        out.status.code().expect("exits, not killed"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    );
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    (code, stdout, stderr)
}

/// A fresh collection made by `policygraph new`, and its path as text.
fn fresh() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("area");
    let d = dir.to_str().unwrap().to_string();
    let (code, _, stderr) = run(&["new", &d]);
    assert_eq!(code, 0, "{stderr}");
    (tmp, dir, d)
}

fn import(dir: &str, file: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["--data", dir, "import", "refs", file];
    args.extend_from_slice(extra);
    run(&args)
}

fn validate_strict(dir: &str) {
    let (code, stdout, stderr) = run(&["--data", dir, "validate", "--strict"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
}

fn refs_toml(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("references.toml")).unwrap()
}

/// Each hostile file is refused by `import_file` with exit 1, nothing on stdout and
/// every expected phrase on stderr, and `written()` (the target file) is unchanged.
fn assert_refused(
    cases: &[(&Path, &[&str])],
    import_file: impl Fn(&str) -> (i32, String, String),
    written: impl Fn() -> String,
) {
    let before = written();
    for (file, expected) in cases {
        let (code, stdout, stderr) = import_file(file.to_str().unwrap());
        assert_eq!(code, 1, "{}: {stderr}", file.display());
        assert_eq!(stdout, "", "{}", file.display());
        for e in expected.iter() {
            assert!(
                stderr.contains(e),
                "{}: wanted {e:?} in {stderr}",
                file.display()
            );
        }
        assert_eq!(written(), before, "{}", file.display());
    }
}

/// The names in `dir` that `keep` does not accept: temporary files a refused import
/// must not leave behind.
fn leftovers(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep(n))
        .collect()
}

#[test]
fn real_exports_import_into_a_new_collection_that_validates_strictly() {
    let (_tmp, dir, d) = fresh();
    for file in [CSL, BIB] {
        let (code, stdout, stderr) = import(&d, file, &[]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("+ document"), "{stdout}");
        validate_strict(&d);
    }
    let text = refs_toml(&dir);
    // CSL-JSON: ids from citation keys, rich text made plain, names in order.
    assert!(text.contains("id = \"adams-2001\""), "{text}");
    assert!(
        text.contains("name = \"The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru\""),
        "{text}"
    );
    assert!(
        text.contains("authors = \"Nancy K Adams; Shanaka L DeSilva;"),
        "{text}"
    );
    assert!(text.contains("start = \"2014-12-31\""), "{text}");
    assert!(text.contains("editors = \"John Wordsworth\""), "{text}");
    assert!(text.contains("doi = \"10.1484/J.SE.2.303788\""), "{text}");
    assert!(text.contains("at = \"record Adams2001\""), "{text}");
    assert!(
        text.contains("name = \"CSL-JSON export zotero-bbt-pandoc-citation.json\""),
        "{text}"
    );
    // BibLaTeX: the container, the publisher as a body, the date.
    assert!(text.contains("id = \"rashid-2016\""), "{text}");
    assert!(
        text.contains("journal = \"Journal of network and computer applications\""),
        "{text}"
    );
    assert!(text.contains("id = \"elsevier\""), "{text}");
    // `year = {2003-04}`: biblatex reads the year of it.
    assert!(text.contains("start = \"2003\""), "{text}");
    assert!(text.contains("report = \"892\""), "{text}");
    assert!(text.contains("name = \"John Wiley & Sons\""), "{text}");
    // The references show in the graph with their publishers.
    let (code, stdout, _) = run(&["--data", &d, "show", "rashid-2016"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("published-by"), "{stdout}");
}

#[test]
fn reimport_is_idempotent() {
    let (_tmp, dir, d) = fresh();
    for file in [CSL, BIB] {
        assert_eq!(import(&d, file, &[]).0, 0);
    }
    let before = refs_toml(&dir);
    for file in [CSL, BIB] {
        let (code, stdout, stderr) = import(&d, file, &["--update"]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, "", "no change expected");
        assert!(stderr.contains("is unchanged"), "{stderr}");
    }
    assert_eq!(refs_toml(&dir), before);
}

#[test]
fn a_changed_title_is_shown_and_applied_only_with_update_and_hand_edits_survive() {
    let (tmp, dir, d) = fresh();
    assert_eq!(import(&d, CSL, &[]).0, 0);
    // Hand edits: a summary, a comment, a source and an attribute of the user's own.
    let text = refs_toml(&dir).replacen(
        "id = \"berndt-1994\"",
        "# read in the library, 2024\nid = \"berndt-1994\"\nsummary = \"A history of the reading of Proverbs.\"",
        1,
    );
    let text = text.replacen("volume = 34", "volume = 34, shelf = \"BS1465\"", 1);
    std::fs::write(dir.join("references.toml"), &text).unwrap();
    validate_strict(&d);

    // The export changes a title.
    let changed = tmp.path().join("zotero-bbt-pandoc-citation.json");
    let export = std::fs::read_to_string(CSL)
        .unwrap()
        .replace("Skizze zur Auslegungsgeschichte", "Skizze zur Geschichte");
    std::fs::write(&changed, export).unwrap();
    let c = changed.to_str().unwrap();

    let (code, stdout, stderr) = import(&d, c, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("~ berndt-1994 name: \"Skizze zur Auslegungsgeschichte"),
        "{stdout}"
    );
    assert!(stdout.contains("(not applied: --update)"), "{stdout}");
    assert!(stderr.contains("--update"), "{stderr}");
    assert_eq!(refs_toml(&dir), text, "nothing applied without --update");

    let (code, _, stderr) = import(&d, c, &["--dry-run", "--update"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("dry run"), "{stderr}");
    assert_eq!(refs_toml(&dir), text, "a dry run writes nothing");

    let (code, stdout, stderr) = import(&d, c, &["--update"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("not applied"), "{stdout}");
    let after = refs_toml(&dir);
    assert!(after.contains("Skizze zur Geschichte"), "{after}");
    assert!(after.contains("summary = \"A history of the reading of Proverbs.\""));
    assert!(after.contains("# read in the library, 2024"));
    assert!(after.contains("shelf = \"BS1465\""));
    // Only the title line changed.
    let differing: Vec<_> = text
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(differing.len(), 1, "{differing:#?}");
    validate_strict(&d);
}

#[test]
fn publishers_are_matched_to_bodies_of_the_collection() {
    let (_tmp, dir, d) = fresh();
    let bib = "@article{miller2021, title = {Ten years on}, author = {Miller, Robin},\n journal = {International Journal of Integrated Care}, year = {2021}}\n";
    let f = dir.join("one.bib");
    std::fs::write(&f, bib).unwrap();
    let (code, stdout, stderr) = import(&d, f.to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{stderr}");
    // `new`'s example journal, matched by name.
    assert!(
        stdout.contains("+ edge miller-2021 published-by international-journal-of-integrated-care"),
        "{stdout}"
    );
    assert!(!stdout.contains("+ body"), "{stdout}");
    validate_strict(&d);
}

/// Every hostile input: exit 1, a message saying where and what to do, nothing
/// written.
#[test]
fn hostile_inputs_are_refused_and_nothing_is_written() {
    let (tmp, dir, d) = fresh();
    assert_eq!(import(&d, CSL, &[]).0, 0);
    let t = tmp.path();
    let big = t.join("big.json");
    {
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(50 * 1024 * 1024).unwrap();
    }
    let bad_utf8 = t.join("latin1.bib");
    std::fs::write(&bad_utf8, b"@misc{k,\n title = {Stra\xdfe}}\n").unwrap();
    let loop_bib = t.join("loop.bib");
    std::fs::write(
        &loop_bib,
        "@string{a = b}\n@string{b = a}\n@misc{k, title = a}\n",
    )
    .unwrap();
    let bomb = t.join("bomb.json");
    std::fs::write(
        &bomb,
        format!("{}{}", "[".repeat(1 << 20), "]".repeat(1 << 20)),
    )
    .unwrap();
    // `new` writes a body `national-audit-office`: a reference keyed like it collides.
    let collide = t.join("collide.json");
    std::fs::write(
        &collide,
        r#"[{"id": "national_audit_office", "type": "report", "title": "A report"}]"#,
    )
    .unwrap();
    let cases: [(&Path, &[&str]); 5] = [
        (
            &big,
            &["50.0 MiB", "at most 32 MiB", "export a part of the library"],
        ),
        (
            &bad_utf8,
            &["latin1.bib:2:15: not UTF-8 (byte 0xDF)", "UTF-8"],
        ),
        (&loop_bib, &["@string loop: a -> b -> a", "break the loop"]),
        (&bomb, &["bomb.json:1:128", "nested more than 128 levels"]),
        (
            &collide,
            &[
                "`national-audit-office` is already a body",
                "the citation key in your reference manager",
            ],
        ),
    ];
    assert_refused(&cases, |f| import(&d, f, &[]), || refs_toml(&dir));
    let left = leftovers(&dir, |n| !n.starts_with('.'));
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn into_outside_the_collection_is_a_usage_error() {
    let (tmp, _dir, d) = fresh();
    let out = tmp.path().join("elsewhere.toml");
    let (code, _, stderr) = import(&d, CSL, &["--into", out.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not in the collection"), "{stderr}");
    assert!(!out.exists());
}

// ---- the round trip: import, write CSL-JSON, import again ----

fn text() -> impl Strategy<Value = String> {
    // Words of letters (some beyond ASCII), digits and punctuation a title has.
    proptest::string::string_regex(
        "[A-Za-z0-9éüß'&:,.()-]{1,12}( [A-Za-z0-9éüß'&:,.()-]{1,12}){0,5}",
    )
    .unwrap()
}

/// A person ("Given Family", with a particle, a family name of two words in braces, or
/// a suffix) or an organisation in braces, as the collection writes names.
fn name() -> impl Strategy<Value = String> {
    let re = |r: &str| proptest::string::string_regex(r).unwrap();
    prop_oneof![
        re("[A-Z][a-zé]{1,8}( [A-Z][a-z]{1,8}){0,2} [A-Z][a-zü]{1,10}"),
        re("[A-Z][a-z]{1,8} (van|de|von der) [A-Z][a-z]{1,10}"),
        re("[A-Z][a-z]{1,8} \\{[A-Z][a-z]{1,8} [A-Z][a-z]{1,8}\\}"),
        re("[A-Z][a-z]{1,8}, (Jr\\.|III), [A-Z][a-z]{1,8}"),
        re("\\{[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8}){1,3}\\}"),
    ]
}

prop_compose! {
    fn record()(
        key in "[A-Za-z][A-Za-z0-9_]{0,15}",
        title in text(),
        authors in proptest::collection::vec(name(), 0..4),
        editors in proptest::collection::vec(name(), 0..2),
        journal in proptest::option::of(text()),
        publisher in proptest::option::of(text()),
        volume in proptest::option::of(1i64..500),
        issue in proptest::option::of("[0-9]{1,2}[a-z]?"),
        pages in proptest::option::of("[1-9][0-9]{0,3}-[1-9][0-9]{0,3}"),
        date in proptest::option::of((1800u16..2100, proptest::option::of((1u8..=12, proptest::option::of(1u8..=28))))),
        doi in proptest::option::of("10\\.[0-9]{4}/[a-z0-9.]{1,10}"),
        url in proptest::option::of("https://[a-z]{1,10}\\.org/[a-z0-9]{0,10}"),
    ) -> Record {
        let mut attrs: Vec<(&'static str, Field)> = vec![(
            "type",
            Field::Text(if journal.is_some() { "article-journal" } else { "book" }.into()),
        )];
        if !authors.is_empty() {
            attrs.push(("authors", Field::Text(authors.join("; "))));
        }
        if !editors.is_empty() {
            attrs.push(("editors", Field::Text(editors.join("; "))));
        }
        if let Some(j) = &journal {
            attrs.push(("journal", Field::Text(j.clone())));
        }
        if let Some(v) = volume {
            attrs.push(("volume", Field::Integer(v)));
        }
        if let Some(i) = issue {
            attrs.push(("issue", Field::number_or_text(&i)));
        }
        if let Some(p) = pages {
            attrs.push(("pages", Field::Text(p)));
        }
        if let Some(d) = doi {
            attrs.push(("doi", Field::Text(d)));
        }
        if let Some(u) = url {
            attrs.push(("url", Field::Text(u)));
        }
        let start = date.map(|(y, md)| match md {
            None => format!("{y:04}"),
            Some((m, None)) => format!("{y:04}-{m:02}"),
            Some((m, Some(d))) => format!("{y:04}-{m:02}-{d:02}"),
        });
        let links = publisher
            .or(journal)
            .map(|p| Link::new(Relation::PublishedBy, Target::Body(p)))
            .into_iter()
            .collect();
        Record {
            id: refs::id_of(&key),
            key,
            kind: NodeKind::Document,
            name: title,
            start,
            end: None,
            aliases: Vec::new(),
            attrs,
            links,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// What the import keeps of a record (id, title, date, the owned attributes and
    /// the publisher) is what it reads back from its own CSL-JSON of the record.
    #[test]
    fn csl_json_round_trips_the_fields_the_model_keeps(records in proptest::collection::vec(record(), 1..5)) {
        let mut seen = std::collections::HashSet::new();
        let records: Vec<Record> = records.into_iter().filter(|r| seen.insert(r.key.clone())).collect();
        let json = serde_json::Value::Array(records.iter().map(refs::to_csl_json).collect());
        let back = refs::read(&json.to_string(), "lib.json", Format::CslJson).unwrap();
        prop_assert_eq!(back.records, records);
    }
}

// ---- registers: GOV.UK organisations API and Wikidata ----

const GOVUK: &str = "tests/data/import/govuk-organisations-academy.json";
const GOVUK_TNA: &str = "tests/data/import/govuk-organisation-the-national-archives.json";
const GOVUK_ONE: &str =
    "tests/data/import/govuk-organisation-advisory-committee-on-pesticides.json";
const WD_SPARQL: &str = "tests/data/import/wikidata-sparql-position-q38780172.json";
const WD_ROWS: &str = "tests/data/import/wikidata-sparql-position-q67202316.json";
const WD_ENTITY: &str = "tests/data/import/wikidata-entity-q1299.json";

/// Two hand-written bodies carrying the Q-numbers the SPARQL sample's item replaces
/// and is replaced by, so its edges have somewhere to go.
const NEIGHBOURS: &str = r#"
[[node]]
id = "earlier-office"
kind = "body"
name = "Earlier office"
attrs = { wikidata = "Q38780315" }
sources = [{ doc = "miller-glasby-dickinson-2021", at = "p. 1" }]

[[node]]
id = "later-office"
kind = "body"
name = "Later office"
attrs = { wikidata = "Q862638" }
sources = [{ doc = "miller-glasby-dickinson-2021", at = "p. 1" }]
"#;

fn import_register(dir: &str, what: &str, file: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["--data", dir, "import", what, file];
    args.extend_from_slice(extra);
    run(&args)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn govuk_organisations_import_into_a_new_collection_that_validates_strictly() {
    let (_tmp, dir, d) = fresh();
    let (code, stdout, stderr) = import_register(&d, "govuk", GOVUK, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "+ edge academy-for-social-justice replaced academy-for-social-justice-commissioning"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("+ edge academy-for-social-justice-commissioning replaced academy-for-justice-commissioning"),
        "{stdout}"
    );
    assert!(stderr.contains("3 records in"), "{stderr}");
    validate_strict(&d);
    let text = read(&dir, "govuk.toml");
    assert!(
        text.contains("id = \"academy-for-social-justice\""),
        "{text}"
    );
    assert!(text.contains("end = \"ongoing\""), "{text}");
    assert!(
        text.contains("parent_organisations = \"ministry-of-justice\""),
        "{text}"
    );
    assert!(
        text.contains("attrs = { govuk_closed_status = \"changed_name\" }"),
        "{text}"
    );
    assert!(
        text.contains("at = \"record academy-for-social-justice-commissioning\""),
        "{text}"
    );
    // The edges run from successor to predecessor: two, no more.
    assert_eq!(text.matches("relation = \"replaced\"").count(), 2, "{text}");
}

/// An organisation already written in another file of the collection is left there,
/// and the rest of the file is imported: a fresh collection's example writes The
/// National Archives in documents.toml, and a GOV.UK file listing it used to stop.
#[test]
fn an_organisation_written_in_another_file_is_left_there_and_the_rest_imported() {
    let (tmp, dir, d) = fresh();
    let mut records: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(GOVUK).unwrap()).unwrap();
    let tna: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(GOVUK_TNA).unwrap()).unwrap();
    records.extend(tna);
    let file = tmp.path().join("organisations.json");
    std::fs::write(&file, serde_json::to_string(&records).unwrap()).unwrap();
    let documents = read(&dir, "documents.toml");
    let (code, stdout, stderr) = import_register(&d, "govuk", file.to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("left as written: `the-national-archives` is already in ")
            && stderr.contains(
                "documents.toml; to merge it, import this file into that one too (--into "
            ),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 left as written in other files"),
        "{stderr}"
    );
    assert!(
        stdout.contains("+ body academy-for-social-justice"),
        "{stdout}"
    );
    assert!(!stdout.contains("the-national-archives"), "{stdout}");
    let text = read(&dir, "govuk.toml");
    assert!(!text.contains("the-national-archives"), "{text}");
    assert_eq!(read(&dir, "documents.toml"), documents);
    validate_strict(&d);

    // Imported into that file, the record is merged there.
    let into = dir.join("documents.toml");
    let (code, _, stderr) =
        import_register(&d, "govuk", GOVUK_TNA, &["--into", into.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(&dir, "documents.toml").contains("govuk_status = \"exempt\""));
    validate_strict(&d);
}

#[test]
fn a_single_organisation_document_imports_with_its_closing_date() {
    let (_tmp, dir, d) = fresh();
    let (code, stdout, stderr) = import_register(&d, "govuk", GOVUK_ONE, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("+ body advisory-committee-on-pesticides"),
        "{stdout}"
    );
    let text = read(&dir, "govuk.toml");
    // closed_at "2015-03-31T00:00:00.000+01:00": the date as written; the abbreviation
    // an alias; the 2016 API had no closed status, so none is written.
    assert!(
        text.contains(
            "name = \"Advisory Committee on Pesticides\"\naliases = [\"ACP\"]\nend = \"2015-03-31\""
        ),
        "{text}"
    );
    assert!(!text.contains("govuk_closed_status = "), "{text}");
    assert!(
        text.contains("parent_organisations = \"department-for-environment-food-rural-affairs\""),
        "{text}"
    );
    assert!(
        stderr.contains("will warn of it: `advisory-committee-on-pesticides`"),
        "{stderr}"
    );
    assert_eq!(run(&["--data", &d, "validate"]).0, 0);
}

#[test]
fn wikidata_results_import_with_their_precision_and_match_nodes_by_q_number() {
    let (_tmp, dir, d) = fresh();
    std::fs::write(dir.join("mine.toml"), NEIGHBOURS).unwrap();
    let (code, stdout, stderr) = import_register(&d, "wikidata", WD_SPARQL, &[]);
    assert_eq!(code, 0, "{stderr}");
    // P1365 and P1366 name hand-written nodes by their attrs.wikidata.
    assert!(
        stdout.contains("+ edge q38780172 replaced earlier-office"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+ edge later-office replaced q38780172"),
        "{stdout}"
    );
    assert!(!stderr.contains("no edge yet"), "{stderr}");
    validate_strict(&d);
    let text = read(&dir, "wikidata.toml");
    // No ?itemLabel: the name is the Q-number; the days are days (precision 11).
    assert!(
        text.contains("name = \"Q38780172\"\nstart = \"1973-06-01\"\nend = \"1981-09-12\""),
        "{text}"
    );
    assert!(text.contains("wikidata = \"Q38780172\""), "{text}");
    assert!(text.contains("at = \"record Q38780172\""), "{text}");
}

#[test]
fn wikidata_rows_are_grouped_and_items_outside_are_reported() {
    let (_tmp, dir, d) = fresh();
    // 20 rows of one item: every combination of two predecessors and two successors.
    let (code, stdout, stderr) = import_register(&d, "wikidata", WD_ROWS, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.matches("+ body").count(), 1, "{stdout}");
    assert_eq!(
        stderr
            .matches("not drawn: record `Q67202316` replaced")
            .count(),
        4,
        "{stderr}"
    );
    for q in ["Q67202278", "Q67202332", "Q50390723", "Q51280630"] {
        assert!(
            stderr.contains(&format!("`{q}`: neither in the file nor in the collection")),
            "{stderr}"
        );
    }
    assert!(
        stderr.contains(
            "1 imported node has no edge yet, and `validate` will warn of it: `q67202316`"
        ),
        "{stderr}"
    );
    let text = read(&dir, "wikidata.toml");
    assert!(
        text.contains("start = \"2003-05-13\"\nend = \"2004-07-23\""),
        "{text}"
    ); // The import's count of nodes without an edge is validate's count of orphans.
    let (code, stdout, stderr) = run(&["--data", &d, "validate", "--strict"]);
    assert_eq!(code, 1);
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("node `q67202316` has no edges"), "{all}");
    assert!(all.contains("failed: 1 error, 0 warnings"), "{all}");
}

#[test]
fn wikidata_entity_json_imports_labels_aliases_and_dates_at_their_precision() {
    let (_tmp, dir, d) = fresh();
    let (code, stdout, stderr) = import_register(&d, "wikidata", WD_ENTITY, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("+ body the-beatles"), "{stdout}");
    let text = read(&dir, "wikidata.toml");
    // P571 at precision 9 (a year), P576 at 11 (a day).
    assert!(
        text.contains("name = \"The Beatles\"\naliases = [\"Beatles\", \"Fab Four\"]\nstart = \"1960\"\nend = \"1970-04-10\""),
        "{text}"
    );
    // It has no succession: the one thing `validate --strict` finds is that orphan.
    assert!(
        stderr.contains("will warn of it: `the-beatles`"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(&["--data", &d, "validate", "--strict"]);
    assert_eq!(code, 1);
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("node `the-beatles` has no edges"), "{all}");
    assert!(all.contains("failed: 1 error, 0 warnings"), "{all}");
    assert_eq!(
        run(&["--data", &d, "validate"]).0,
        0,
        "without --strict, a warning"
    );
    // Importing the same item again: matched by its Q-number, nothing to do.
    let (code, stdout, _) = import_register(&d, "wikidata", WD_ENTITY, &["--update"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn register_reimport_is_idempotent() {
    let (_tmp, dir, d) = fresh();
    std::fs::write(dir.join("mine.toml"), NEIGHBOURS).unwrap();
    assert_eq!(import_register(&d, "govuk", GOVUK, &[]).0, 0);
    assert_eq!(import_register(&d, "wikidata", WD_SPARQL, &[]).0, 0);
    let (govuk, wd) = (read(&dir, "govuk.toml"), read(&dir, "wikidata.toml"));
    for (what, file, n) in [("govuk", GOVUK, 3), ("wikidata", WD_SPARQL, 1)] {
        let (code, stdout, stderr) = import_register(&d, what, file, &["--update"]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, "", "no change expected");
        assert!(
            stderr.contains(&format!("0 changes, {n} unchanged")),
            "{stderr}"
        );
    }
    assert_eq!(read(&dir, "govuk.toml"), govuk);
    assert_eq!(read(&dir, "wikidata.toml"), wd);
}

#[test]
fn a_changed_register_field_is_a_diff_applied_only_with_update_and_hand_edits_survive() {
    let (tmp, dir, d) = fresh();
    assert_eq!(import_register(&d, "govuk", GOVUK, &[]).0, 0);
    // A hand edit: a summary and a comment on the live academy.
    let text = read(&dir, "govuk.toml").replacen(
        "name = \"Academy for Social Justice\"",
        "# checked by hand\nname = \"Academy for Social Justice\"\nsummary = \"Hand-written.\"",
        1,
    );
    std::fs::write(dir.join("govuk.toml"), &text).unwrap();
    // The register renames it and retypes a closure.
    // The same file saved again later (its document node is the same).
    std::fs::create_dir(tmp.path().join("later")).unwrap();
    let newer = tmp.path().join("later/govuk-organisations-academy.json");
    let json = std::fs::read_to_string(GOVUK)
        .unwrap()
        .replacen(
            "\"title\": \"Academy for Social Justice\"",
            "\"title\": \"Academy for Justice\"",
            1,
        )
        .replacen(
            "\"govuk_closed_status\": \"changed_name\"",
            "\"govuk_closed_status\": \"merged\"",
            1,
        );
    std::fs::write(&newer, json).unwrap();
    let newer = newer.to_str().unwrap();
    let (code, stdout, stderr) = import_register(&d, "govuk", newer, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("~ academy-for-social-justice name: \"Academy for Social Justice\" -> \"Academy for Justice\" (not applied: --update)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("~ academy-for-justice-commissioning attrs.govuk_closed_status: \"changed_name\" -> \"merged\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("~ academy-for-social-justice-commissioning replaced academy-for-justice-commissioning attrs.govuk_closed_status: \"changed_name\" -> \"merged\""),
        "{stdout}"
    );
    assert_eq!(
        read(&dir, "govuk.toml"),
        text,
        "not applied without --update"
    );
    let (code, _, _) = import_register(&d, "govuk", newer, &["--update", "--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(read(&dir, "govuk.toml"), text, "a dry run writes nothing");
    let (code, _, stderr) = import_register(&d, "govuk", newer, &["--update"]);
    assert_eq!(code, 0, "{stderr}");
    let after = read(&dir, "govuk.toml");
    assert!(after.contains("name = \"Academy for Justice\""), "{after}");
    assert!(after.contains("# checked by hand"), "{after}");
    assert!(after.contains("summary = \"Hand-written.\""), "{after}");
    assert_eq!(
        after.matches("\"merged\"").count(),
        2,
        "node and edge: {after}"
    );
    let changed = text
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 3, "three lines change: {after}");
    validate_strict(&d);
}

#[test]
fn an_organisation_outside_the_file_is_reported_not_drawn() {
    let (tmp, dir, d) = fresh();
    // One organisation of the sample, alone: its successor is not in the file.
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(GOVUK).unwrap()).unwrap();
    let one = tmp.path().join("one.json");
    std::fs::write(&one, all[0].to_string()).unwrap();
    let (code, stdout, stderr) =
        import_register(&d, "govuk", one.to_str().unwrap(), &["--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("+ body academy-for-justice-commissioning"),
        "{stdout}"
    );
    assert!(!stdout.contains("+ edge"), "{stdout}");
    assert!(
        stderr.contains("not drawn: record `academy-for-justice-commissioning` replaced `academy-for-social-justice-commissioning`: neither in the file nor in the collection"),
        "{stderr}"
    );
    assert!(!dir.join("govuk.toml").exists());
}

#[test]
fn hostile_register_inputs_are_refused_and_nothing_is_written() {
    let (tmp, dir, d) = fresh();
    assert_eq!(import_register(&d, "govuk", GOVUK, &[]).0, 0);
    let t = tmp.path();
    let bad_utf8 = t.join("latin1.json");
    std::fs::write(&bad_utf8, b"[{\"title\": \"Stra\xdfe\"}]").unwrap();
    let bomb = t.join("bomb.json");
    std::fs::write(
        &bomb,
        format!("{}{}", "{\"a\":".repeat(1 << 18), "}".repeat(1 << 18)),
    )
    .unwrap();
    let org = |slug: &str, title: &str, superseded: &str| {
        format!(
            r#"{{"title": "{title}", "details": {{"slug": "{slug}", "govuk_status": "closed", "govuk_closed_status": "replaced"}}, "superseded_organisations": [{{"id": "https://www.gov.uk/api/organisations/{superseded}"}}]}}"#
        )
    };
    // `new` writes a document `miller-glasby-dickinson-2021`.
    let collide = t.join("collide.json");
    std::fs::write(
        &collide,
        format!("[{}]", org("miller-glasby-dickinson-2021", "M", "x")),
    )
    .unwrap();
    let cycle = t.join("cycle.json");
    std::fs::write(
        &cycle,
        format!(
            "[{}, {}]",
            org("a-agency", "A", "b-agency"),
            org("b-agency", "B", "a-agency")
        ),
    )
    .unwrap();
    let cases: [(&Path, &[&str]); 4] = [
        (&bad_utf8, &["latin1.json:1:17: not UTF-8 (byte 0xDF)"]),
        (&bomb, &["bomb.json:1:", "nested more than 128 levels"]),
        (
            &collide,
            &[
                "`miller-glasby-dickinson-2021` is already a document",
                "rename the node",
            ],
        ),
        (
            &cycle,
            &[
                "succession runs in a circle: a-agency replaced b-agency replaced a-agency",
                "lineage runs one way in time",
            ],
        ),
    ];
    assert_refused(
        &cases,
        |f| import_register(&d, "govuk", f, &[]),
        || read(&dir, "govuk.toml"),
    );
    // Wikidata: a label that is an id of another kind, and a cycle; no file is made.
    let item = |q: &str, label: &str, replaces: &str| {
        format!(
            r#"{{"item": {{"type": "uri", "value": "http://www.wikidata.org/entity/{q}"}}, "itemLabel": {{"type": "literal", "xml:lang": "en", "value": "{label}"}}, "replaces": {{"type": "uri", "value": "http://www.wikidata.org/entity/{replaces}"}}}}"#
        )
    };
    let results = |rows: &[String]| {
        format!(
            r#"{{"head": {{"vars": ["item"]}}, "results": {{"bindings": [{}]}}}}"#,
            rows.join(", ")
        )
    };
    let wd_collide = t.join("wd-collide.json");
    std::fs::write(&wd_collide, results(&[item("Q1", "Care Act 2014", "Q2")])).unwrap();
    let wd_cycle = t.join("wd-cycle.json");
    std::fs::write(
        &wd_cycle,
        results(&[item("Q1", "One", "Q2"), item("Q2", "Two", "Q1")]),
    )
    .unwrap();
    for (file, expected) in [
        (&wd_collide, "`care-act-2014` is already a legislation"),
        (&wd_cycle, "one replaced two replaced one"),
    ] {
        let (code, stdout, stderr) = import_register(&d, "wikidata", file.to_str().unwrap(), &[]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
        assert!(stderr.contains(expected), "wanted {expected:?} in {stderr}");
        assert!(!dir.join("wikidata.toml").exists());
    }
}

/// A record written by hand before its first import from a file: the import fills in
/// the owned fields it lacks (reported with `+`) and changes none it has; after that
/// first import, a field the user removes is theirs to remove: importing again shows
/// it as a difference, applied only with --update.
#[test]
fn a_hand_written_record_is_filled_in_by_its_first_import_and_then_respected() {
    let (_tmp, dir, d) = fresh();
    std::fs::write(
        dir.join("bodies.toml"),
        r#"# written by hand before the import
[[node]]
id = "academy-for-social-justice"
kind = "body"
name = "Academy for Social Justice"
start = "2015"
summary = "Written by hand."
sources = [{ doc = "miller-glasby-dickinson-2021", at = "title" }]
"#,
    )
    .unwrap();
    let into = dir.join("bodies.toml");
    let into = into.to_str().unwrap();
    let (code, stdout, stderr) = import_register(&d, "govuk", GOVUK, &["--into", into]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("+ academy-for-social-justice end: \"ongoing\""),
        "{stdout}"
    );
    assert!(
        !stdout.contains("~ "),
        "nothing the file had is changed: {stdout}"
    );
    assert!(
        stderr.contains("filled in on records written by hand"),
        "{stderr}"
    );
    let text = read(&dir, "bodies.toml");
    assert!(text.starts_with("# written by hand before the import"));
    for kept in [
        "start = \"2015\"",
        "summary = \"Written by hand.\"",
        "at = \"title\"",
    ] {
        assert!(text.contains(kept), "{kept}: {text}");
    }
    assert!(text.contains("end = \"ongoing\""), "{text}");
    // The user removes `end`: the next import respects it unless --update.
    let without = text.replacen("end = \"ongoing\"\n", "", 1);
    assert_ne!(without, text);
    std::fs::write(dir.join("bodies.toml"), &without).unwrap();
    let (code, stdout, _) = import_register(&d, "govuk", GOVUK, &["--into", into]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "~ academy-for-social-justice end: (none) -> \"ongoing\" (not applied: --update)"
        ),
        "{stdout}"
    );
    assert_eq!(read(&dir, "bodies.toml"), without);
}

// ---- import clml: legislation.gov.uk CLML XML ----

const CLML_2006: &str = "tests/data/import/clml-ukpga-2006-37-metadata.xml";
const CLML_2021: &str = "tests/data/import/clml-ukpga-2021-5-enacted.xml";

fn import_clml(dir: &str, file: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["--data", dir, "import", "clml", file];
    args.extend_from_slice(extra);
    run(&args)
}

fn laws_toml(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("legislation.toml")).unwrap()
}

/// The real 2006 sample with its metadata values changed to those of the Care Act
/// 2014 (the Act's real title, number, Royal Assent date and ISBN), and two coming
/// into force dates added as the schema writes them.
fn care_act_clml() -> String {
    std::fs::read_to_string(CLML_2006)
        .unwrap()
        .replace("ukpga/2006/37", "ukpga/2014/23")
        .replace("Parliamentary Costs Act 2006", "Care Act 2014")
        .replace("<ukm:Year Value=\"2006\"/>", "<ukm:Year Value=\"2014\"/>")
        .replace("<ukm:Number Value=\"37\"/>", "<ukm:Number Value=\"23\"/>")
        .replace("2006-11-08", "2014-05-14")
        .replace("0105437069", "9780105423140")
        .replace(
            "</ukm:PrimaryMetadata>",
            "<ukm:ComingIntoForce><ukm:DateTime Date=\"2015-04-01\"/><ukm:DateTime Date=\"2014-05-14\"/></ukm:ComingIntoForce></ukm:PrimaryMetadata>",
        )
}

#[test]
fn clml_acts_import_into_a_new_collection_that_validates_strictly() {
    let (_tmp, dir, d) = fresh();
    let (code, stdout, stderr) = import_clml(&d, CLML_2006, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("+ legislation parliamentary-costs-act-2006"),
        "{stdout}"
    );
    assert!(stderr.contains("2 nodes and 1 edge to add"), "{stderr}");
    let (code, _, stderr) = import_clml(&d, CLML_2021, &[]);
    assert_eq!(code, 0, "{stderr}");
    validate_strict(&d);
    let toml = laws_toml(&dir);
    for want in [
        "id = \"parliamentary-costs-act-2006\"\nkind = \"legislation\"\nname = \"Parliamentary Costs Act 2006\"\nstart = \"2006-11-08\"",
        "attrs = { year = 2006, chapter = \"2006 c. 37\", legislation_type = \"UnitedKingdomPublicGeneralAct\", isbn = \"0105437069\", url = \"https://www.legislation.gov.uk/ukpga/2006/37\" }",
        "at = \"record ukpga/2006/37\"",
        "name = \"Ministerial and other Maternity Allowances Act 2021\"\nstart = \"2021-03-01\"",
        "chapter = \"2021 c. 5\"",
        "isbn = \"9780105701064\"",
    ] {
        assert!(toml.contains(want), "wanted {want:?} in\n{toml}");
    }
    // The body of the Act is not read: its section titles are nowhere.
    assert!(!toml.contains("Payment of maternity allowance"));
}

#[test]
fn clml_reimport_is_a_no_op_and_an_act_is_matched_by_its_uri() {
    let (_tmp, dir, d) = fresh();
    assert_eq!(import_clml(&d, CLML_2006, &[]).0, 0);
    let before = laws_toml(&dir);
    let (code, stdout, stderr) = import_clml(&d, CLML_2006, &["--update"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("0 changes, 1 unchanged") && stderr.contains("is unchanged"),
        "{stderr}"
    );
    assert_eq!(laws_toml(&dir), before);
    // Renamed by hand (id and name): the URI still finds it, so no second node.
    let renamed = before
        .replace("\"parliamentary-costs-act-2006\"", "\"pca-2006\"")
        .replace(
            "name = \"Parliamentary Costs Act 2006\"",
            "name = \"PCA 2006\"",
        );
    std::fs::write(dir.join("legislation.toml"), &renamed).unwrap();
    let (code, stdout, stderr) = import_clml(&d, CLML_2006, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "~ pca-2006 name: \"PCA 2006\" -> \"Parliamentary Costs Act 2006\" (not applied: --update)\n"
    );
    assert_eq!(laws_toml(&dir), renamed);
    validate_strict(&d);
}

#[test]
fn clml_matches_the_shipped_care_act_rather_than_duplicating_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ic");
    std::fs::create_dir(&dir).unwrap();
    for e in std::fs::read_dir("data/integrated-care").unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    let d = dir.to_str().unwrap();
    let file = tmp.path().join("data.xml");
    std::fs::write(&file, care_act_clml()).unwrap();
    let before = laws_toml(&dir);
    let (code, stdout, stderr) = import_clml(d, file.to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{stderr}");
    // No new legislation node: the shipped node, written by hand and imported for the
    // first time, has the fields it lacks filled in, and none it has changed.
    assert!(!stdout.contains("+ legislation"), "{stdout}");
    assert!(stdout.contains("+ source on care-act-2014"), "{stdout}");
    assert!(
        stdout.contains("+ care-act-2014 attrs.commencement: \"2014-05-14; 2015-04-01\""),
        "{stdout}"
    );
    assert!(!stdout.contains("~ "), "nothing changed: {stdout}");
    assert!(
        !stdout.contains("care-act-2014 name") && !stdout.contains("care-act-2014 start"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("attrs.chapter"),
        "the shipped chapter is the same: {stdout}"
    );
    let after = laws_toml(&dir);
    assert_eq!(after.matches("id = \"care-act-2014\"").count(), 1);
    assert_ne!(after, before, "the source and the file's node are added");
    let (code, out, err) = run(&["--data", d, "validate"]);
    assert_eq!(code, 0, "{out}\n{err}");
    // Filled in at once; hand-written attributes kept.
    let updated = laws_toml(&dir);
    assert!(
        updated.contains("commencement = \"2014-05-14; 2015-04-01\""),
        "{updated}"
    );
    assert!(updated.contains("fact_source = \"https://www.lexology.com/"));
    assert!(updated.contains("The Act that recast adult social care law."));
}

#[test]
fn hostile_clml_inputs_are_refused_and_nothing_is_written() {
    let (tmp, dir, d) = fresh();
    assert_eq!(import_clml(&d, CLML_2006, &[]).0, 0);
    let t = tmp.path();
    let bomb = t.join("bomb.xml");
    std::fs::write(
        &bomb,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE Legislation [\n<!ENTITY a \"aaaaaaaaaa\">\n{}]>\n<Legislation xmlns=\"http://www.legislation.gov.uk/namespaces/legislation\">&a9;</Legislation>\n",
            (1..10)
                .map(|i| format!("<!ENTITY a{i} \"{}\">\n", format!("&a{};", if i == 1 { String::new() } else { (i - 1).to_string() }).repeat(10)))
                .collect::<String>()
        ),
    )
    .unwrap();
    let latin1 = t.join("latin1.xml");
    let mut bytes = std::fs::read(CLML_2006).unwrap();
    let at = bytes.windows(5).position(|w| w == b"Costs").unwrap();
    bytes[at + 1] = 0xF6;
    std::fs::write(&latin1, &bytes).unwrap();
    let deep = t.join("deep.xml");
    std::fs::write(
        &deep,
        format!(
            "<Legislation xmlns=\"http://www.legislation.gov.uk/namespaces/legislation\">{}{}</Legislation>",
            "<P>".repeat(100_000),
            "</P>".repeat(100_000)
        ),
    )
    .unwrap();
    let rss = t.join("feed.xml");
    std::fs::write(&rss, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>News</title></channel></rss>\n").unwrap();
    // `new` writes a body `national-audit-office`: an Act with that title collides.
    let collide = t.join("collide.xml");
    std::fs::write(
        &collide,
        std::fs::read_to_string(CLML_2006)
            .unwrap()
            .replace("Parliamentary Costs Act 2006", "National Audit Office")
            .replace("ukpga/2006/37", "ukpga/2006/99"),
    )
    .unwrap();
    let cases: [(&Path, &[&str]); 5] = [
        (
            &bomb,
            &["bomb.xml:2:1", "DOCTYPE", "save the Act's data.xml again"],
        ),
        (&latin1, &["latin1.xml:4:", "not UTF-8 (byte 0xF6)"]),
        (
            &deep,
            &["elements nested more than 256 deep", "data.xml again"],
        ),
        (
            &rss,
            &[
                "not a legislation.gov.uk CLML file",
                "root element is `rss`",
                "/data.xml",
            ],
        ),
        (
            &collide,
            &[
                "`national-audit-office` is already a body",
                "rename the node `national-audit-office`",
            ],
        ),
    ];
    assert_refused(&cases, |f| import_clml(&d, f, &[]), || laws_toml(&dir));
    let left = leftovers(&dir, |n| n.ends_with(".toml") || n.ends_with(".md"));
    assert!(left.is_empty(), "{left:?}");
}

prop_compose! {
    /// A record with, besides `record()`'s fields, an edition, a report number and a
    /// place of publication (each perhaps), in the order the import writes them.
    fn record_with_more()(
        r in record(),
        edition in proptest::option::of(1i64..20),
        report in proptest::option::of("[A-Z]{2}[0-9]{1,3}"),
        place in proptest::option::of("[A-Z][a-z]{2,9}"),
        book in proptest::option::of("[A-Z][a-z]{2,9}( [A-Z][a-z]{2,9}){0,3}"),
    ) -> Record {
        let mut r = r;
        let article = r.attrs.iter().any(|(k, _)| *k == "journal");
        if !article {
            let kind = if let Some(b) = book {
                r.attrs.push(("book", Field::Text(b)));
                "chapter"
            } else if report.is_some() {
                "report"
            } else {
                "book"
            };
            r.attrs[0] = ("type", Field::Text(kind.into()));
        }
        if let Some(e) = edition {
            r.attrs.push(("edition", Field::Integer(e)));
        }
        if let Some(n) = report {
            r.attrs.push(("report", Field::Text(n)));
        }
        if let Some(p) = place {
            r.attrs.push(("place", Field::Text(p)));
        }
        r.attrs.sort_by_key(|(k, _)| refs::OWNED_ATTRS.iter().position(|o| o == k));
        r
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Through the real code paths: CSL-JSON items are imported (`refs::read` and
    /// `import::merge` into a collection file, as `import refs` does), the collection
    /// is opened as every command opens it, `export --format csl-json`'s writer
    /// (`export::references::to_csl_json`) writes it out, and reading that back gives
    /// the same records: id, title, date to its precision, type, authors and editors
    /// with their structure, journal, volume, issue, pages, DOI, URL and the publisher.
    /// The one field not compared is the record key, which on export is the node id
    /// (the citation key kebab-cased), so the key read back is the id.
    #[test]
    fn csl_json_import_then_export_round_trips_the_fields_the_model_keeps(records in proptest::collection::vec(record_with_more(), 1..5)) {
        let mut seen = std::collections::HashSet::new();
        let records: Vec<Record> = records.into_iter().filter(|r| seen.insert(r.id.clone())).collect();
        let input = serde_json::Value::Array(records.iter().map(refs::to_csl_json).collect());
        let imported = refs::read(&input.to_string(), "lib.json", Format::CslJson).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let mut doc = toml_edit::DocumentMut::new();
        policygraph::import::merge(&mut doc, "references.toml", &[], &imported, false).unwrap();
        std::fs::write(tmp.path().join("references.toml"), doc.to_string()).unwrap();
        let opened = policygraph::open::open(tmp.path(), false).unwrap();
        prop_assert_eq!(opened.error_count, 0, "{:?}", opened.problems);
        let g = &opened.graph;
        let v = policygraph::view::view(g, &policygraph::view::ViewSpec::Whole, &policygraph::view::Narrow::default());
        let exported = policygraph::export::references::to_csl_json(g, &v);
        let back = refs::read(&exported, "export.json", Format::CslJson).unwrap();
        // The export lists every document: the records and the file's own node.
        let mut back: Vec<Record> = back.records.into_iter().filter(|r| r.id != imported.file.id).collect();
        back.sort_by(|a, b| a.id.cmp(&b.id));
        let mut want: Vec<Record> = imported
            .records
            .into_iter()
            .map(|r| Record { key: r.id.clone(), ..r })
            .collect();
        want.sort_by(|a, b| a.id.cmp(&b.id));
        prop_assert_eq!(back, want);
    }
}
