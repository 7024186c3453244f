//! Statistics: counts, the most cited documents, the most evaluated initiatives with
//! their balance of stances, degree and betweenness centrality, and layering: how many
//! initiatives were active each year and which overlapped.
//!
//! Layering is measured because the 2021 paper argues that the layering of numerous
//! initiatives confused local partners: here it is a number per year.

use super::timeline::{Status, status};
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::model::{End, NodeKind, Relation, Stance};
use petgraph::Direction;
use petgraph::visit::EdgeRef;
use std::collections::{BTreeMap, HashMap};

/// Betweenness is O(nodes × edges); above this many nodes it is skipped.
pub const BETWEENNESS_MAX_NODES: usize = 20_000;
/// Overlapping pairs are O(initiatives²); above this many initiatives they are skipped.
pub const OVERLAP_MAX_INITIATIVES: usize = 2_000;

/// Counts by kind and relation, every kind and relation listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Total nodes.
    pub nodes: usize,
    /// Total edges.
    pub edges: usize,
    /// Total eras.
    pub eras: usize,
    /// Nodes per kind.
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Edges per relation.
    pub by_relation: BTreeMap<&'static str, usize>,
}

/// Counts the graph's nodes and edges.
pub fn counts(g: &PolicyGraph) -> Counts {
    let mut by_kind: BTreeMap<&'static str, usize> =
        NodeKind::ALL.iter().map(|k| (k.as_str(), 0)).collect();
    let mut by_relation: BTreeMap<&'static str, usize> =
        Relation::ALL.iter().map(|r| (r.as_str(), 0)).collect();
    for n in g.nodes() {
        *by_kind.entry(g.node(n).kind.as_str()).or_default() += 1;
    }
    for e in g.edges() {
        *by_relation.entry(g.edge(e).relation.as_str()).or_default() += 1;
    }
    Counts {
        nodes: g.node_count(),
        edges: g.edge_count(),
        eras: g.eras.len(),
        by_kind,
        by_relation,
    }
}

/// How often a node was evaluated, by stance.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Balance {
    /// Critical judgements.
    pub critical: usize,
    /// Supportive judgements.
    pub supportive: usize,
    /// Mixed judgements.
    pub mixed: usize,
    /// Neutral judgements.
    pub neutral: usize,
    /// Judgements with no stance recorded.
    pub unstated: usize,
}

impl Balance {
    /// All judgements.
    pub fn total(&self) -> usize {
        self.critical + self.supportive + self.mixed + self.neutral + self.unstated
    }

    fn add(&mut self, stance: Option<Stance>) {
        match stance {
            Some(Stance::Critical) => self.critical += 1,
            Some(Stance::Supportive) => self.supportive += 1,
            Some(Stance::Mixed) => self.mixed += 1,
            Some(Stance::Neutral) => self.neutral += 1,
            None => self.unstated += 1,
        }
    }
}

/// Layering: initiatives active per year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layering {
    /// Each year from the first initiative's start to the last dated event, with the
    /// initiatives active that year.
    pub years: Vec<(u16, Vec<NodeIndex>)>,
    /// For the same years, the initiatives started earlier whose end the data does not
    /// give: not counted as active, since they may have stopped.
    pub end_unknown: Vec<(u16, Vec<NodeIndex>)>,
    /// Pairs of initiatives active together, with the number of shared years, most
    /// shared first (None when there are too many initiatives to pair).
    pub overlaps: Option<Vec<(NodeIndex, NodeIndex, u16)>>,
}

impl Layering {
    /// The year(s) with the most active initiatives, and that number.
    pub fn peak(&self) -> (Vec<u16>, usize) {
        let max = self.years.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
        let years = self
            .years
            .iter()
            .filter(|(_, v)| v.len() == max && max > 0)
            .map(|(y, _)| *y)
            .collect();
        (years, max)
    }
}

/// Everything `stats` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Counts by kind and relation.
    pub counts: Counts,
    /// Documents by how many nodes cite them, most first.
    pub most_cited: Vec<(NodeIndex, usize)>,
    /// Nodes by how many judgements they received, most first, with the balance.
    pub most_evaluated: Vec<(NodeIndex, Balance)>,
    /// Nodes by degree (edges in and out), highest first.
    pub degree: Vec<(NodeIndex, usize)>,
    /// Nodes by betweenness centrality on the undirected graph, normalised to 0..1;
    /// None when the graph has more than [`BETWEENNESS_MAX_NODES`] nodes.
    pub betweenness: Option<Vec<(NodeIndex, f64)>>,
    /// Initiatives active per year.
    pub layering: Layering,
}

fn top<T: Clone>(
    mut items: Vec<(NodeIndex, T)>,
    g: &PolicyGraph,
    key: impl Fn(&T) -> f64,
    n: usize,
) -> Vec<(NodeIndex, T)> {
    items.sort_by(|a, b| {
        key(&b.1)
            .total_cmp(&key(&a.1))
            .then_with(|| g.node(a.0).id.cmp(&g.node(b.0).id))
    });
    items.truncate(n);
    items
}

/// Computes the statistics, keeping the top `n` of each ranking.
pub fn stats(g: &PolicyGraph, n: usize) -> Stats {
    let mut cited: HashMap<NodeIndex, usize> = HashMap::new();
    let mut evaluated: HashMap<NodeIndex, Balance> = HashMap::new();
    for e in g.edges() {
        let edge = g.edge(e);
        let (a, b) = g.endpoints(e);
        match edge.relation {
            Relation::Cites => *cited.entry(b).or_default() += 1,
            Relation::EvaluatedBy => {
                let stance = edge.stance.or(g.node(b).stance);
                evaluated.entry(a).or_default().add(stance);
            }
            _ => {}
        }
    }
    let most_cited = top(cited.into_iter().collect(), g, |c| *c as f64, n);
    let most_evaluated = top(evaluated.into_iter().collect(), g, |b| b.total() as f64, n);
    let degree = top(
        g.nodes()
            .map(|x| {
                (
                    x,
                    g.graph.edges_directed(x, Direction::Outgoing).count()
                        + g.graph.edges_directed(x, Direction::Incoming).count(),
                )
            })
            .collect(),
        g,
        |d| *d as f64,
        n,
    );
    let betweenness =
        (g.node_count() <= BETWEENNESS_MAX_NODES).then(|| top(betweenness(g), g, |b| *b, n));
    Stats {
        counts: counts(g),
        most_cited,
        most_evaluated,
        degree,
        betweenness,
        layering: layering(g),
    }
}

/// Betweenness centrality of every node on the undirected graph, normalised.
fn betweenness(g: &PolicyGraph) -> Vec<(NodeIndex, f64)> {
    // rustworkx needs a graph with compact indices and directed-neighbour access: copy
    // the structure into an undirected petgraph Graph.
    let nodes: Vec<NodeIndex> = g.nodes().collect();
    let position: HashMap<NodeIndex, usize> =
        nodes.iter().enumerate().map(|(i, &x)| (x, i)).collect();
    let mut un = petgraph::graph::UnGraph::<(), ()>::with_capacity(nodes.len(), g.edge_count());
    for _ in &nodes {
        un.add_node(());
    }
    for e in g.graph.edge_references() {
        let (a, b) = (position[&e.source()], position[&e.target()]);
        un.add_edge(
            petgraph::graph::NodeIndex::new(a),
            petgraph::graph::NodeIndex::new(b),
            (),
        );
    }
    let scores = rustworkx_core::centrality::betweenness_centrality(&un, false, true, usize::MAX);
    nodes
        .into_iter()
        .zip(scores)
        .map(|(x, s)| (x, s.unwrap_or(0.0)))
        .collect()
}

/// Initiatives active in each year, and which pairs overlapped longest.
pub fn layering(g: &PolicyGraph) -> Layering {
    let initiatives: Vec<NodeIndex> = g
        .nodes()
        .filter(|&x| g.node(x).kind == NodeKind::Initiative && g.node(x).start.is_some())
        .collect();
    let Some(first) = initiatives
        .iter()
        .filter_map(|&x| g.node(x).start)
        .map(|d| d.year_part())
        .min()
    else {
        return Layering::default();
    };
    // To the last dated event of the initiatives, or of the whole collection when one
    // runs on (ongoing) or may have (end unknown).
    let dated = |nodes: &mut dyn Iterator<Item = NodeIndex>| {
        nodes
            .flat_map(|x| [g.node(x).start, g.node(x).end.date()])
            .flatten()
            .map(|d| d.year_part())
            .max()
    };
    let runs_on = initiatives.iter().any(|&x| g.node(x).end.date().is_none());
    let last = if runs_on {
        dated(&mut g.nodes())
    } else {
        dated(&mut initiatives.iter().copied())
    }
    .unwrap_or(first)
    .max(first);
    // Initiatives in time order, so each year's lists come out sorted.
    let mut ordered = initiatives.clone();
    super::sort_by_time(g, &mut ordered);
    let (mut years, mut end_unknown) = (Vec::new(), Vec::new());
    for y in first..=last {
        let (mut active, mut unknown) = (Vec::new(), Vec::new());
        for &x in &ordered {
            match status(g, x, y) {
                Status::Active => active.push(x),
                Status::EndUnknown => unknown.push(x),
                _ => {}
            }
        }
        years.push((y, active));
        end_unknown.push((y, unknown));
    }
    let overlaps = (initiatives.len() <= OVERLAP_MAX_INITIATIVES).then(|| {
        let span = |x: NodeIndex| {
            let node = g.node(x);
            let s = node.start.map_or(first, |d| d.year_part());
            let e = match node.end {
                End::On(d) => d.year_part(),
                End::Ongoing => last,
                // Known to run only in its start year.
                End::Unknown => s,
            };
            (s, e)
        };
        let mut pairs = Vec::new();
        for (i, &a) in initiatives.iter().enumerate() {
            for &b in &initiatives[i + 1..] {
                let ((s1, e1), (s2, e2)) = (span(a), span(b));
                let (s, e) = (s1.max(s2), e1.min(e2));
                if s <= e {
                    let (a, b) = if g.node(a).id <= g.node(b).id {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    pairs.push((a, b, e - s + 1));
                }
            }
        }
        pairs.sort_by(|x, y| {
            y.2.cmp(&x.2).then_with(|| {
                (&g.node(x.0).id, &g.node(x.1).id).cmp(&(&g.node(y.0).id, &g.node(y.1).id))
            })
        });
        pairs
    });
    Layering {
        years,
        end_unknown,
        overlaps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::fixture::graph;

    const SPEC: &str = "fund initiative 2013 ongoing; pilot initiative 2014 2016; plan initiative 2019 ongoing; \
        r1 document 2017; r2 document 2018; f1 finding 2017; f2 finding 2018; nao body; \
        r1 published-by nao; r2 published-by nao; r2 cites r1; f1 cites r1; f2 cites r2; \
        fund evaluated-by f1; fund evaluated-by f2; pilot evaluated-by r1";

    #[test]
    fn rankings() {
        let g = graph(SPEC);
        let s = stats(&g, 10);
        assert_eq!(g.node(s.most_cited[0].0).id, "r1");
        assert_eq!(s.most_cited[0].1, 2);
        assert_eq!(g.node(s.most_evaluated[0].0).id, "fund");
        assert_eq!(
            s.most_evaluated[0].1.critical, 2,
            "fixture findings are critical"
        );
        assert_eq!(s.most_evaluated[1].1.unstated, 1);
        assert!(s.betweenness.is_some());
        assert_eq!(s.counts.by_kind["initiative"], 3);
    }

    #[test]
    fn layering_counts_initiatives_per_year() {
        let g = graph(SPEC);
        let l = layering(&g);
        let count = |y: u16| {
            l.years
                .iter()
                .find(|(yy, _)| *yy == y)
                .map(|(_, v)| v.len())
        };
        assert_eq!(count(2013), Some(1));
        assert_eq!(count(2015), Some(2));
        assert_eq!(count(2019), Some(2), "the pilot ended in 2016");
        assert_eq!(l.peak().1, 2);
        let overlaps = l.overlaps.unwrap();
        let named: Vec<(&str, &str, u16)> = overlaps
            .iter()
            .map(|&(a, b, n)| (g.node(a).id.as_str(), g.node(b).id.as_str(), n))
            .collect();
        assert_eq!(named, [("fund", "pilot", 3), ("fund", "plan", 1)]);
    }

    #[test]
    fn an_unknown_end_is_never_active_after_its_last_dated_year() {
        // `old` ends unknown: active in 2000 only; `gone` ended 2002; `on` runs on.
        let g = graph(
            "old initiative 2000; gone initiative 2001 2002; on initiative 2001 ongoing; \
             late body 2010 ongoing",
        );
        let l = layering(&g);
        let old = g.nodes().find(|&n| g.node(n).id == "old").unwrap();
        for (y, active) in &l.years {
            assert_eq!(active.contains(&old), *y == 2000, "{y}");
        }
        for (y, unknown) in &l.end_unknown {
            assert_eq!(unknown.contains(&old), *y > 2000, "{y}");
        }
        assert_eq!(
            l.years.last().map(|(y, _)| *y),
            Some(2010),
            "to the collection's last date"
        );
        for y in 2001..=2015 {
            assert!(!crate::query::timeline::as_of(&g, y, &[]).contains(&old));
            assert!(crate::query::timeline::end_unknown_by(&g, y, &[]).contains(&old));
        }
        let d = crate::query::timeline::diff(&g, 2000, 2005, &[]);
        assert!(
            d.end_unknown.contains(&old) && !d.ended.contains(&old) && !d.continued.contains(&old)
        );
        assert_eq!(
            l.overlaps
                .as_ref()
                .map(|o| o.iter().any(|&(a, b, _)| a == old || b == old)),
            Some(false)
        );
    }
}
