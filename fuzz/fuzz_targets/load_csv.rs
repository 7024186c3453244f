//! Any bytes as a CSV collection (`nodes.csv`, then `edges.csv` after the first NUL
//! byte): load, build, check, draw every problem; on clean data write every export, and
//! check the CSV export loads back to the same graph (the interchange format
//! round-trips, formula guards included).

#![no_main]

use libfuzzer_sys::fuzz_target;
use policygraph::export::csv::to_csv;
use policygraph::load::csv_text;
use policygraph::open::finish;
use policygraph::view::{Narrow, ViewSpec, view};

#[path = "common.rs"]
mod common;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let (nodes, edges) = match text.split_once('\0') {
        Some((n, e)) => (n, Some(e)),
        None => (text, None),
    };
    let opened = finish(csv_text(nodes, edges), false);
    common::draw_problems(&opened);
    if opened.errors() != 0 {
        return;
    }
    common::export_everything(&opened);
    let g = &opened.graph;
    let Ok(files) = to_csv(g, &view(g, &ViewSpec::Whole, &Narrow::default())) else {
        return; // a value our CSV cannot hold, refused with a message
    };
    let again = finish(csv_text(&files.nodes, Some(&files.edges)), false);
    assert_eq!(
        again.errors(),
        0,
        "the export does not load back: {:?}\n{}\n{}",
        again.problems,
        files.nodes,
        files.edges
    );
    assert_eq!(
        common::snapshot(&opened),
        common::snapshot(&again),
        "round trip\n{}\n{}",
        files.nodes,
        files.edges
    );
});
