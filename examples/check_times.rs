//! The graph-wide checks alone, timed many times over one loaded graph: the minimum
//! and median of N runs of `check` and of `check_errors`, which a noisy machine needs.
//!
//!     cargo run --release --example check_times -- DIR [N]

use policygraph::diag::Problems;
use std::time::Instant;

/// The minimum and median of `n` timings of `f`, in seconds.
fn times(n: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: check_times DIR [N]")?);
    let n: usize = args.next().map_or(Ok(10), |s| s.parse())?.max(1);
    let loaded = policygraph::load::load(&dir, Some(policygraph::open::PROBLEM_LIMIT))?;
    let mut problems = loaded.problems;
    let graph = policygraph::graph::PolicyGraph::build(loaded.dataset, &mut problems);
    let limit = problems.limit();
    let mut found = Problems::new(limit);
    let (min, median) = times(n, || {
        found = Problems::new(limit);
        policygraph::check::check(&graph, &mut found);
    });
    println!(
        "check         min {min:.4} s  median {median:.4} s  ({n} runs, {} problems)",
        found.total()
    );
    let (min, median) = times(n, || {
        policygraph::check::check_errors(&graph, &mut Problems::new(limit));
    });
    println!("check_errors  min {min:.4} s  median {median:.4} s");
    std::mem::forget(graph);
    Ok(())
}
