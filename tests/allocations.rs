//! The CSV loader makes no allocation per edge row: endpoints are interned in batches
//! into one arena, checked vocabularies list their spellings only for an error, and an
//! edge without a note, sources or attributes boxes nothing. A per-row allocation is
//! millions of allocations on a citation network, so this test counts them.
//!
//! One test per binary: dhat's testing profiler is one per process.

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

#[test]
fn loading_edges_allocates_per_batch_not_per_row() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let mut nodes = String::from("id,kind,name,start\n");
    for i in 0..50 {
        nodes.push_str(&format!("ini-{i},initiative,Initiative {i},2001\n"));
        nodes.push_str(&format!("fnd-{i},finding,Finding {i},2002\n"));
    }
    // Every relation's vocabulary check, dates, stances, and sources repeated in runs.
    let rows = 20_000;
    let mut edges = String::from("from,relation,to,date,stance,note,sources\n");
    for i in 0..rows {
        let (a, b) = (i / 7 % 50, i % 50);
        edges.push_str(&match i % 3 {
            0 => format!("ini-{a},replaced,ini-{b},2003,,,\n"),
            1 => format!("ini-{a},evaluated-by,fnd-{b},,critical,,\n"),
            _ => format!("fnd-{a},cites,fnd-{b},,,,\n"),
        });
    }
    let before = dhat::HeapStats::get();
    let loaded = policygraph::load::csv_text(&nodes, Some(&edges));
    let after = dhat::HeapStats::get();
    assert_eq!(loaded.dataset.edges().len(), rows);
    assert_eq!(loaded.dataset.nodes().len(), 100);
    let blocks = after.total_blocks - before.total_blocks;
    // About three per node (id, name, the record's text) and a few hundred for the
    // buffers; one per row would be 20,000 more.
    assert!(
        blocks < 2_000,
        "loading {rows} edge rows made {blocks} allocations"
    );
}
