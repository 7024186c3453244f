//! Where a load's time goes: times, in one process, a bare csv-crate parse of the same
//! files and then each phase policygraph runs (parse into records, build the graph,
//! the checks), printing seconds and the load-to-bare ratio.
//!
//!     cargo run --release --example load_phases -- DIR

use std::time::Instant;

fn bare(dir: &std::path::Path) -> Result<usize, csv::Error> {
    let mut fields = 0usize;
    for name in ["nodes.csv", "edges.csv"] {
        let mut reader = csv::Reader::from_path(dir.join(name))?;
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            fields += record.len();
        }
    }
    Ok(fields)
}

/// The process's peak resident memory so far, in MB (Linux; `?` elsewhere).
fn peak_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{}", kb / 1024))
        })
        .unwrap_or_else(|| "?".into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: load_phases DIR")?);
    let t = Instant::now();
    let fields = bare(&dir)?;
    let bare_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let loaded = policygraph::load::load(&dir, Some(policygraph::open::PROBLEM_LIMIT))?;
    let load_s = t.elapsed().as_secs_f64();
    let load_mb = peak_mb();
    let t = Instant::now();
    let mut problems = loaded.problems;
    let graph = policygraph::graph::PolicyGraph::build(loaded.dataset, &mut problems);
    let build_s = t.elapsed().as_secs_f64();
    let build_mb = peak_mb();
    let t = Instant::now();
    policygraph::check::check(&graph, &mut problems);
    let check_s = t.elapsed().as_secs_f64();
    let check_mb = peak_mb();
    println!("bare csv parse   {bare_s:.3} s ({fields} fields)");
    println!(
        "parse to records {load_s:.3} s  {:.1}x bare  (peak {load_mb} MB)",
        load_s / bare_s
    );
    println!("build graph      {build_s:.3} s  (peak {build_mb} MB)");
    println!("checks           {check_s:.3} s  (peak {check_mb} MB)");
    let total = load_s + build_s + check_s;
    println!("all              {total:.3} s  {:.1}x bare", total / bare_s);
    std::mem::forget(graph);
    Ok(())
}
