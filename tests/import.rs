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
    let before = refs_toml(&dir);
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
                "rename the citation key",
            ],
        ),
    ];
    for (file, expected) in cases {
        let (code, stdout, stderr) = import(&d, file.to_str().unwrap(), &[]);
        assert_eq!(code, 1, "{}: {stderr}", file.display());
        assert_eq!(stdout, "", "{}", file.display());
        for e in expected {
            assert!(
                stderr.contains(e),
                "{}: wanted {e:?} in {stderr}",
                file.display()
            );
        }
        assert_eq!(refs_toml(&dir), before, "{}", file.display());
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
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
            .map(|p| Link { relation: Relation::PublishedBy, to: Target::Body(p) })
            .into_iter()
            .collect();
        Record {
            id: refs::id_of(&key),
            key,
            kind: NodeKind::Document,
            name: title,
            start,
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
    // No new legislation node: the Act's fields the shipped node lacks are diffs.
    assert!(!stdout.contains("+ legislation"), "{stdout}");
    assert!(stdout.contains("+ source on care-act-2014"), "{stdout}");
    assert!(
        stdout.contains("~ care-act-2014 attrs.commencement: (none) -> \"2014-05-14; 2015-04-01\" (not applied: --update)"),
        "{stdout}"
    );
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
    // With --update the owned attributes are written, hand-written ones kept.
    assert_eq!(import_clml(d, file.to_str().unwrap(), &["--update"]).0, 0);
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
    let before = laws_toml(&dir);
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
    for (file, expected) in cases {
        let (code, stdout, stderr) = import_clml(&d, file.to_str().unwrap(), &[]);
        assert_eq!(code, 1, "{}: {stderr}", file.display());
        assert_eq!(stdout, "", "{}", file.display());
        for e in expected {
            assert!(
                stderr.contains(e),
                "{}: wanted {e:?} in {stderr}",
                file.display()
            );
        }
        assert_eq!(laws_toml(&dir), before, "{}", file.display());
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".toml") && !n.ends_with(".md"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
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
