//! `layering` (issue 21 item 2): per year, initiatives running and possibly running,
//! added beside others or as replacements, ended, and drifting, on the named fixture
//! tests/data/layering (every measure non-zero somewhere) and on the shipped data.
//! The JSON shape is snapshotted; the CSV and text are checked against the JSON.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

mod common;

use common::policygraph;

const FIXTURE: &str = "tests/data/layering";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = policygraph().args(args).output().expect("runs");
    (
        out.status.code().expect("exits, not killed"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn year(v: &serde_json::Value, y: u64) -> &serde_json::Value {
    v["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == y)
        .unwrap_or_else(|| panic!("no year {y}"))
}

fn ids(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().or_else(|| x["id"].as_str()).unwrap())
        .collect()
}

#[test]
fn every_measure_on_the_fixture_and_the_json_shape() {
    let (code, text, err) = run(&["--data", FIXTURE, "layering", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["from"], 1998);
    assert_eq!(v["to"], 2011);
    assert_eq!(ids(&v["undated"]), ["plan"]);
    // 1998: the first initiative, nothing earlier to layer onto.
    assert_eq!(ids(&year(&v, 1998)["ids"]["added_first"]), ["scheme-a"]);
    // 2001, 2002: added beside Scheme A without replacing anything.
    assert_eq!(ids(&year(&v, 2001)["ids"]["added_layered"]), ["scheme-b"]);
    assert_eq!(ids(&year(&v, 2002)["ids"]["added_layered"]), ["pilot"]);
    // The Pilot's end is unknown: running in 2002, possibly from 2003.
    assert_eq!(
        ids(&year(&v, 2002)["ids"]["active"]),
        ["scheme-a", "scheme-b", "pilot"]
    );
    assert_eq!(ids(&year(&v, 2003)["ids"]["possibly_active"]), ["pilot"]);
    assert_eq!(ids(&year(&v, 2003)["ids"]["ended"]), ["scheme-a"]);
    // 2004: Scheme C replaces Scheme A.
    assert_eq!(ids(&year(&v, 2004)["ids"]["added_replacing"]), ["scheme-c"]);
    // The board was dissolved in 2004: from 2005 Scheme B drifts, the Pilot possibly.
    assert_eq!(year(&v, 2004)["drifting"], 0);
    assert_eq!(ids(&year(&v, 2005)["ids"]["drifting"]), ["scheme-b"]);
    assert_eq!(
        year(&v, 2005)["ids"]["drifting"][0]["bodies"],
        serde_json::json!(["old-board"])
    );
    assert_eq!(ids(&year(&v, 2005)["ids"]["possibly_drifting"]), ["pilot"]);
    // The department was renamed in 2010, not dissolved: Scheme C does not drift.
    assert_eq!(ids(&year(&v, 2011)["ids"]["drifting"]), ["scheme-b"]);
    // The Fund: layered in 2006, ended in 2008.
    assert_eq!(ids(&year(&v, 2006)["ids"]["added_layered"]), ["fund"]);
    assert_eq!(ids(&year(&v, 2008)["ids"]["ended"]), ["fund"]);
    // Each count is the length of its list.
    for r in v["years"].as_array().unwrap() {
        for (k, list) in r["ids"].as_object().unwrap() {
            assert_eq!(r[k], list.as_array().unwrap().len(), "{k} in {r}");
        }
    }
    assert_eq!(
        v["peak"],
        serde_json::json!({ "years": [2002, 2006, 2007, 2008], "active": 3 })
    );
    insta::assert_snapshot!("layering_json", text);
}

#[test]
fn the_csv_has_one_row_per_year_with_the_json_counts() {
    let v = json(&["--data", FIXTURE, "layering", "--format", "json"]);
    let (code, csv_text, _) = run(&["--data", FIXTURE, "layering", "--format", "csv"]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "year",
            "active",
            "possibly_active",
            "added_layered",
            "added_replacing",
            "added_first",
            "ended",
            "drifting",
            "possibly_drifting"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let years = v["years"].as_array().unwrap();
    assert_eq!(rows.len(), years.len());
    for (row, y) in rows.iter().zip(years) {
        for (i, column) in header.iter().enumerate() {
            assert_eq!(row[i], y[column.as_str()].to_string(), "{column} in {y}");
        }
    }
}

#[test]
fn text_and_year_range_and_chart() {
    let (code, text, _) = run(&["--data", FIXTURE, "layering"]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with(
            "layering, 1998 to 2011: initiatives per year (peak 3 running in 2002, 2006, 2007, 2008)"
        ),
        "{text}"
    );
    // 2005: Scheme B and C running, the Pilot possibly; one drifting, one possibly.
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["2005", "2", "1", "0", "0", "0", "0", "1+1?"]),
        "{text}"
    );
    assert!(
        text.contains("not counted, no start date (1): Plan"),
        "{text}"
    );
    // --from/--to, the wrong way round as everywhere.
    let (code, _, err) = run(&[
        "--data", FIXTURE, "layering", "--from", "2006", "--to", "2004", "--format", "csv",
    ]);
    assert_eq!(code, 0);
    assert!(err.contains("read as 2004 to 2006"), "{err}");
    let v = json(&[
        "--data", FIXTURE, "layering", "--from", "2004", "--to", "2006", "--format", "json",
    ]);
    assert_eq!(v["years"].as_array().unwrap().len(), 3);
    // -o FILE.svg draws the chart.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("charts").join("layering.svg");
    let (code, out, err) = run(&["--data", FIXTURE, "layering", "-o", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let svg = std::fs::read_to_string(&file).unwrap();
    assert!(svg.starts_with("<?xml"));
    assert!(svg.contains("2005: 2 running, 1 possibly running (end not recorded), 1 drifting"));
    // -o and --format together are a usage error.
    let (code, _, _) = run(&["--data", FIXTURE, "layering", "-o", "-", "--format", "csv"]);
    assert_eq!(code, 2);
}

/// The shipped data: the figures the README quotes, and the layering the 2021 paper
/// speaks of (more initiatives running in the 2010s than in the 1990s).
#[test]
fn the_shipped_data() {
    let v = json(&["layering", "--format", "json"]);
    assert_eq!(v["from"], 1972);
    let active = |y: u64| year(&v, y)["active"].as_u64().unwrap();
    assert!(
        active(2015) > active(1995),
        "{} vs {}",
        active(2015),
        active(1995)
    );
    // Every initiative the Department of Health established ran on after its renaming
    // without drifting: a renaming is not a dissolution.
    for r in v["years"].as_array().unwrap() {
        for d in r["ids"]["drifting"].as_array().unwrap() {
            assert!(
                !d["bodies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|b| b == "department-of-health"),
                "{d}"
            );
        }
    }
}
