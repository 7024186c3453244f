//! Files as spreadsheets save them, and the errors a newcomer meets, in the format of
//! the file (issue 23): CSV problems say which cell to fill in, TOML problems which key
//! to add; `;` and tab separators, headers in any case and trailing blank rows are
//! read; a day-first date gets its ISO spelling. Each error case is snapshotted for
//! CSV and TOML side by side.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::policygraph;

const DIR: &str = "tests/data/spreadsheet";

/// `validate --strict` of a fixture: exit code and stderr, the summary lines dropped.
fn validate(case: &str) -> (i32, String) {
    let out = policygraph()
        .args(["--data", &format!("{DIR}/{case}"), "validate", "--strict"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

/// The graph a fixture loads, as node-link JSON.
fn graph(case: &str) -> serde_json::Value {
    let out = common::run_ok(&[
        "--data",
        &format!("{DIR}/{case}"),
        "export",
        "--format",
        "json",
    ]);
    let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The title names the folder; the graph is what is compared.
    json["graph"] = serde_json::Value::Null;
    json
}

/// The same mistake in a CSV and a TOML collection, reported in each one's terms.
fn side_by_side(csv: &str, toml: &str) -> String {
    let (a, csv_err) = validate(csv);
    let (b, toml_err) = validate(toml);
    format!("== CSV (exit {a})\n{csv_err}\n== TOML (exit {b})\n{toml_err}")
}

#[test]
fn separators_header_case_and_blank_rows_are_read_as_a_spreadsheet_means_them() {
    for case in ["blank-rows", "tabs", "header-case"] {
        let (code, stderr) = validate(case);
        assert_eq!(code, 0, "{case}: {stderr}");
    }
    let reference = graph("blank-rows");
    assert_eq!(reference["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(reference["links"].as_array().unwrap().len(), 1);
    assert_eq!(graph("tabs"), reference, "a tab-separated file");
    assert_eq!(graph("header-case"), reference, "headers Id,Kind,Name...");
}

/// A semicolon-separated file is read, and a problem in it is placed on its cell.
#[test]
fn a_semicolon_file_is_read_and_its_problems_point_at_the_cell() {
    let (code, stderr) = validate("semicolons");
    assert_eq!(code, 1);
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_day_first_date_gets_its_iso_form_in_both_formats() {
    insta::assert_snapshot!(side_by_side("day-first-csv", "day-first-toml"));
}

#[test]
fn a_missing_source_says_which_cell_or_key() {
    insta::assert_snapshot!(side_by_side("no-source-csv", "no-source-toml"));
}

#[test]
fn a_missing_id_says_which_cell_or_key() {
    insta::assert_snapshot!(side_by_side("no-id-csv", "no-id-toml"));
}

/// One mistake does not cascade: an edge dropped for a bad relation, or for an unknown
/// other end, leaves its nodes without edges in the graph, but they are not reported as
/// orphans as well; and the errors come before the warnings, each in file order.
#[test]
fn one_mistake_is_reported_once_and_errors_come_first() {
    for case in ["cascade", "cascade-toml"] {
        let out = policygraph()
            .args(["--data", &format!("{DIR}/{case}"), "validate"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let codes: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with(' ') && !l.contains(':'))
            .collect();
        assert_eq!(
            codes,
            ["unknown-relation", "unknown-node", "no-source"],
            "{case}: {stderr}"
        );
    }
    insta::assert_snapshot!(side_by_side("cascade", "cascade-toml"));
}

/// An id with a Cyrillic "а" is reported naming the character, with the right fix;
/// an edge that spells the id with a Latin "a" is not reported again; a name mixing
/// scripts is a warning that names the character.
#[test]
fn look_alike_characters_are_named_with_a_correct_fix() {
    let report = side_by_side("look-alike-csv", "look-alike-toml");
    assert!(
        report.contains("U+0430 CYRILLIC SMALL LETTER A")
            && report.contains("write it as `ascla-2009`"),
        "{report}"
    );
    assert!(!report.contains("unknown-node"), "{report}");
    insta::assert_snapshot!(report);
}

/// A NODE argument that prints like a name but differs by a look-alike: the message
/// says which character, in the argument or in the data, and never suggests a text
/// that prints exactly like what was typed.
#[test]
fn a_node_argument_with_a_look_alike_says_which_character() {
    let show = |query: &str| {
        let out = policygraph()
            .args(["--data", &format!("{DIR}/look-alike-name"), "show", query])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // The data has the look-alike (a Cyrillic "а" in "Cаre Act 2014").
    let data = show("Care Act 2014");
    // The argument has it (a Cyrillic "о" in "Jоurnal").
    let typed = show("J\u{043e}urnal of Care");
    assert!(data.contains("pass the id `care-act`"), "{data}");
    assert!(typed.contains("U+043E CYRILLIC SMALL LETTER O"), "{typed}");
    insta::assert_snapshot!(format!("{data}\n{typed}"));
}

/// A document attribute named like a bibliography field but not one (`author` for
/// `authors`, `journal_title` for `journal`, `year` for the document's `start`) is a
/// warning naming the right field: the key in TOML, the column in CSV. The same
/// attribute on a body is the user's own, and not reported.
#[test]
fn a_misspelt_bibliography_field_names_the_right_one() {
    let report = side_by_side("bibliography-csv", "bibliography-toml");
    assert_eq!(report.matches("bibliography-field").count(), 6, "{report}");
    assert!(
        report.contains("did you mean `authors`?")
            && report.contains("did you mean `journal`?")
            && report.contains("the date of publication is `start`")
            && report.contains("rename the column `attrs.author` to `attrs.authors`"),
        "{report}"
    );
    insta::assert_snapshot!(report);
}
