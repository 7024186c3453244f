//! Property tests for invariants that must hold on any input: loaders and the problem
//! renderer never panic, and every problem renders with its code and message; dates
//! round-trip; the validator rejects exactly the lineages
//! that loop.

#![allow(clippy::unwrap_used)] // in tests, a failed unwrap is a failed test

use policygraph::diag::{RenderOptions, render};
use policygraph::load::{csv_text, toml_text};
use policygraph::model::PartialDate;
use policygraph::open::{Opened, finish};
use proptest::prelude::*;

const PLAIN: RenderOptions = RenderOptions {
    color: false,
    width: 80,
};

/// Every problem resolves to a place inside its file and renders with its code and the
/// first word of its message.
fn render_all(opened: &Opened) {
    for p in &opened.problems {
        if let Some(loc) = p.loc {
            let range = opened.sources.range(loc);
            assert!(range.end <= opened.sources.file(loc.file).text().len());
            let pos = opened.sources.position(loc);
            assert!(pos.line >= 1 && pos.column >= 1);
        }
        let mut out = String::new();
        render(p, &opened.sources, PLAIN, &mut out);
        let first = p.message.split_whitespace().next().unwrap_or_default();
        assert!(
            out.contains(p.code.as_str()) && out.contains(first),
            "{} ({}) is not in its rendering:\n{out}",
            p.code,
            p.message
        );
    }
}

/// Text that looks like our TOML: keys, brackets, quotes and values, shuffled.
fn tomlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("[[node]]\n".to_string()),
        Just("[[edge]]\n".to_string()),
        Just("[[era]]\n".to_string()),
        Just("id = \"a\"\n".to_string()),
        Just("id = \"b\"\n".to_string()),
        Just("kind = \"body\"\n".to_string()),
        Just("kind = \"document\"\n".to_string()),
        Just("name = \"N\"\n".to_string()),
        Just("start = \"2013-02-29\"\n".to_string()),
        Just("end = 2001\n".to_string()),
        Just("from = \"a\"\nrelation = \"replaced\"\nto = \"b\"\n".to_string()),
        Just("sources = [{ doc = \"a\", at = \"p. 1\" }]\n".to_string()),
        Just("attrs = { x = [1] }\n".to_string()),
        "[ -~\n\u{e9}\u{1F600}]{0,12}",
    ];
    prop::collection::vec(token, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn toml_loader_never_panics_on_any_text(text in "\\PC{0,300}") {
        render_all(&finish(toml_text("any.toml", &text), false));
    }

    #[test]
    fn toml_loader_never_panics_on_near_toml(text in tomlish()) {
        render_all(&finish(toml_text("near.toml", &text), true));
    }

    #[test]
    fn csv_loader_never_panics(
        nodes in "(id,kind,name,start,end,aliases,summary,stance,sources\n)?[a-z0-9,|@\"\n\r -]{0,200}",
        edges in "(from,relation,to,date,stance,note,sources\n)?[a-z0-9,|@\"\n -]{0,200}",
    ) {
        render_all(&finish(csv_text(&nodes, Some(&edges)), false));
    }

    /// Any text either is refused or parses to a date that prints as text parsing back
    /// to the same date.
    #[test]
    fn date_parse_never_panics(text in "\\PC{0,16}") {
        if let Ok(date) = PartialDate::parse(&text) {
            prop_assert_eq!(PartialDate::parse(&date.to_string()), Ok(date));
        }
    }

    #[test]
    fn valid_dates_round_trip(year in 1000u16..=9999, month in 1u8..=12, day in 1u8..=28, precision in 0..3) {
        let text = match precision {
            0 => format!("{year:04}"),
            1 => format!("{year:04}-{month:02}"),
            _ => format!("{year:04}-{month:02}-{day:02}"),
        };
        prop_assert_eq!(PartialDate::parse(&text).unwrap().to_string(), text);
    }

    /// Lineage never loops: `validate` reports a `replaced` cycle exactly when the
    /// edges contain one (checked against a naive depth-first search).
    #[test]
    fn replaced_cycles_are_found_exactly(n in 1usize..8, edges in prop::collection::vec((0usize..8, 0usize..8), 0..12)) {
        let edges: Vec<(usize, usize)> = edges.into_iter().map(|(a, b)| (a % n, b % n)).collect();
        let mut text = String::from("[[node]]\nid = \"doc\"\nkind = \"document\"\nname = \"D\"\nsources = [{ doc = \"doc\", at = \"p\" }]\n");
        for i in 0..n {
            text += &format!("[[node]]\nid = \"n{i}\"\nkind = \"body\"\nname = \"N{i}\"\nsources = [{{ doc = \"doc\", at = \"p\" }}]\n");
        }
        for (a, b) in &edges {
            text += &format!("[[edge]]\nfrom = \"n{a}\"\nrelation = \"replaced\"\nto = \"n{b}\"\nsources = [{{ doc = \"doc\", at = \"p\" }}]\n");
        }
        let opened = finish(toml_text("g.toml", &text), false);
        let reported = opened.problems.iter().any(|p| p.code == "replaced-cycle");
        prop_assert_eq!(reported, has_cycle(n, &edges));
        render_all(&opened);
    }
}

fn has_cycle(n: usize, edges: &[(usize, usize)]) -> bool {
    fn visit(v: usize, edges: &[(usize, usize)], state: &mut [u8]) -> bool {
        state[v] = 1;
        for &(a, b) in edges {
            if a == v && (state[b] == 1 || (state[b] == 0 && visit(b, edges, state))) {
                return true;
            }
        }
        state[v] = 2;
        false
    }
    let mut state = vec![0u8; n];
    (0..n).any(|v| state[v] == 0 && visit(v, edges, &mut state))
}

/// A 100,000-long `replaced` chain validates without overflowing the stack, and a
/// 10,000-node cycle is reported once, abbreviated.
#[test]
fn long_chains_and_cycles_do_not_overflow() {
    let chain = |n: usize, close: bool| {
        let mut nodes = String::from("id,kind,name,start,end,aliases,summary,stance,sources\n");
        let mut edges = String::from("from,relation,to,date,stance,note,sources\n");
        for i in 0..n {
            nodes += &format!("b{i},body,Body {i},,,,,,\n");
            if i > 0 {
                edges += &format!("b{i},replaced,b{},,,,\n", i - 1);
            }
        }
        if close {
            edges += &format!("b0,replaced,b{},,,,\n", n - 1);
        }
        finish(csv_text(&nodes, Some(&edges)), false)
    };
    let opened = chain(100_000, false);
    assert_eq!(opened.errors(), 0);
    assert_eq!(opened.graph.node_count(), 100_000);

    let opened = chain(10_000, true);
    let cycles: Vec<_> = opened
        .problems
        .iter()
        .filter(|p| p.code == "replaced-cycle")
        .collect();
    assert_eq!(cycles.len(), 1);
    assert!(
        cycles[0].message.contains("forms a cycle of 10000"),
        "{}",
        cycles[0].message
    );
    assert!(
        cycles[0].message.len() < 300,
        "abbreviated: {}",
        cycles[0].message
    );
}
