//! Lineage runs one way in time: no cycle of `replaced` edges.

use crate::diag::{Code, Problem, Problems};
use crate::graph::{EdgeIndex, NodeIndex, PolicyGraph};
use crate::model::Relation;
use hashbrown::{HashMap, HashSet};
use petgraph::visit::{EdgeFiltered, EdgeRef};
use std::collections::VecDeque;

/// Finds every strongly connected set of `replaced` edges and prints one cycle through
/// each. Nodes that cannot be on a cycle are first peeled off (Kahn's algorithm); on real
/// data nothing remains, and otherwise Kosaraju's algorithm, which petgraph runs without
/// recursion, splits what remains.
pub(super) fn replaced_cycles(g: &PolicyGraph, problems: &mut Problems) {
    let replaced_from = |v: NodeIndex| {
        g.graph
            .edges(v)
            .filter(|e| *e.weight() == Relation::Replaced)
            .map(|e| e.target())
    };
    // After the peel, a node with `replaced` edges still entering it is on a cycle or
    // after one.
    let mut entering = vec![0u32; g.node_count()];
    for e in g.graph.raw_edges() {
        if e.weight == Relation::Replaced {
            entering[e.target().index()] += 1;
        }
    }
    let mut stack: Vec<NodeIndex> = g.nodes().filter(|v| entering[v.index()] == 0).collect();
    while let Some(v) = stack.pop() {
        for t in replaced_from(v) {
            entering[t.index()] -= 1;
            if entering[t.index()] == 0 {
                stack.push(t);
            }
        }
    }
    if entering.iter().all(|&n| n == 0) {
        return;
    }
    let remaining = |v: NodeIndex| entering[v.index()] > 0;
    let replaced = EdgeFiltered::from_fn(&g.graph, |e| {
        *e.weight() == Relation::Replaced && remaining(e.source()) && remaining(e.target())
    });
    for component in petgraph::algo::kosaraju_scc(&replaced) {
        if !component.iter().any(|&v| remaining(v)) {
            continue;
        }
        let members: HashSet<NodeIndex> = component.iter().copied().collect();
        let Some(&start) = component
            .iter()
            .min_by(|a, b| g.node(**a).id().cmp(g.node(**b).id()))
        else {
            continue;
        };
        let Some(cycle) = cycle_through(g, start, &members) else {
            continue; // a single node without a self-loop
        };
        let names: Vec<&str> = cycle.iter().map(|(n, _)| g.node(*n).id()).collect();
        let shown = if names.len() > 12 {
            format!(
                "{} → … ({} more) … → {}",
                names[..6].join(" → "),
                names.len() - 11,
                names[names.len() - 5..].join(" → ")
            )
        } else {
            names.join(" → ")
        };
        let first_edge = cycle[0].1;
        problems.push(
            Problem::error(
                Code::ReplacedCycle,
                g.edge(first_edge).loc.relation(),
                format!(
                    "`replaced` forms a cycle of {}: {shown} → {}",
                    names.len(),
                    names[0]
                ),
            )
            .label("this edge is on the cycle")
            .help(Code::ReplacedCycle.help()),
        );
    }
}

/// The shortest cycle from `start` back to itself within `members`, as nodes each with
/// the `replaced` edge leaving it. Breadth-first, so it terminates on any size.
fn cycle_through(
    g: &PolicyGraph,
    start: NodeIndex,
    members: &HashSet<NodeIndex>,
) -> Option<Vec<(NodeIndex, EdgeIndex)>> {
    let mut parent: HashMap<NodeIndex, (NodeIndex, EdgeIndex)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for e in g.graph.edges(n) {
            let next = e.target();
            if *e.weight() != Relation::Replaced || !members.contains(&next) {
                continue;
            }
            if next == start {
                // Walk the parents back to start.
                let mut path = vec![(n, e.id())];
                let mut at = n;
                while at != start {
                    let (p, pe) = parent[&at];
                    path.push((p, pe));
                    at = p;
                }
                path.reverse();
                return Some(path);
            }
            if !parent.contains_key(&next) {
                parent.insert(next, (n, e.id()));
                queue.push_back(next);
            }
        }
    }
    None
}
