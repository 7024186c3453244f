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
use std::collections::{BTreeMap, HashMap};

/// The work betweenness may do, in nodes and edges visited: each source costs one
/// breadth-first search (nodes + edges). Exact (every node a source) when
/// nodes × (nodes + edges) is within it; otherwise sampled from as many sources as it
/// allows. About a second and a half in a release build (see [`betweenness`]).
pub const BETWEENNESS_BUDGET: u64 = 200_000_000;
/// Fewest sources a sample may have: a graph so large that the budget allows fewer gets
/// no betweenness (the error bound would say nothing).
pub const BETWEENNESS_MIN_SOURCES: usize = 100;
/// The seed of the sample of sources, so the same data gives the same figures.
pub const BETWEENNESS_SEED: u64 = 15;
/// The confidence of the stated error of sampled betweenness.
pub const BETWEENNESS_CONFIDENCE: f64 = 0.95;
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
    // Counted by position in ALL (a million lookups by name would cost more).
    let mut kinds = [0; NodeKind::ALL.len()];
    for n in g.nodes() {
        let kind = g.node(n).kind;
        kinds[NodeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)] += 1;
    }
    let mut relations = [0; Relation::ALL.len()];
    for e in g.edges() {
        let relation = g.edge(e).relation;
        relations[Relation::ALL
            .iter()
            .position(|r| *r == relation)
            .unwrap_or(0)] += 1;
    }
    let by_kind: BTreeMap<&'static str, usize> = NodeKind::ALL
        .iter()
        .map(|k| k.as_str())
        .zip(kinds)
        .collect();
    let by_relation: BTreeMap<&'static str, usize> = Relation::ALL
        .iter()
        .map(|r| r.as_str())
        .zip(relations)
        .collect();
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
    /// None when the graph is too large even to sample (see [`BETWEENNESS_BUDGET`]).
    pub betweenness: Option<Vec<(NodeIndex, f64)>>,
    /// How the betweenness was computed: `None` exactly, else from a sample of sources.
    pub betweenness_sample: Option<Sample>,
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
            .then_with(|| g.node(a.0).id().cmp(g.node(b.0).id()))
    });
    items.truncate(n);
    items
}

/// Computes the statistics, keeping the top `n` of each ranking.
pub fn stats(g: &PolicyGraph, n: usize) -> Stats {
    stats_with_progress(g, n, BETWEENNESS_BUDGET, &mut |_, _| {})
}

/// [`stats`] with betweenness bounded by `budget` (see [`betweenness_sources`]), calling
/// `progress(done, total)` as its sources are worked through (the only part that can
/// take more than a moment), so a caller can show it.
pub fn stats_with_progress(
    g: &PolicyGraph,
    n: usize,
    budget: u64,
    progress: &mut dyn FnMut(usize, usize),
) -> Stats {
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
    let sources = betweenness_sources(g.node_count(), g.edge_count(), budget);
    let (betweenness, betweenness_sample) = match sources {
        Some(k) => {
            let (scores, sample) = betweenness(g, k, BETWEENNESS_SEED, progress);
            (Some(top(scores, g, |b| *b, n)), sample)
        }
        None => (None, None),
    };
    Stats {
        counts: counts(g),
        most_cited,
        most_evaluated,
        degree,
        betweenness,
        betweenness_sample,
        layering: layering(g),
    }
}

/// A sample of sources that betweenness was estimated from (Brandes and Pich, 2007:
/// the dependencies of `sources` randomly chosen nodes, scaled by nodes / sources).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Sample {
    /// Sources sampled.
    pub sources: usize,
    /// Nodes in the graph, the sources it could have used.
    pub nodes: usize,
    /// The seed of the random choice (the same data gives the same sample).
    pub seed: u64,
    /// With probability [`BETWEENNESS_CONFIDENCE`], every node's estimate is within this
    /// much of its exact normalised score (Hoeffding's bound, over all nodes at once).
    pub error: f64,
    /// That probability.
    pub confidence: f64,
}

/// How many sources betweenness can afford on a graph of `nodes` and `edges` within
/// `budget` nodes and edges visited: all of them (exact), fewer (sampled), or `None`
/// when fewer than [`BETWEENNESS_MIN_SOURCES`] would fit.
pub fn betweenness_sources(nodes: usize, edges: usize, budget: u64) -> Option<usize> {
    let per_source = (nodes as u64).saturating_add(edges as u64).max(1);
    let affordable = usize::try_from(budget / per_source).unwrap_or(usize::MAX);
    if affordable >= nodes {
        Some(nodes)
    } else if affordable >= BETWEENNESS_MIN_SOURCES {
        Some(affordable)
    } else {
        None
    }
}

/// The additive error of a betweenness estimate from `sources` of `nodes` sources that
/// holds for every node at once with probability `confidence`.
///
/// Each sampled source `s` adds `X = nodes / ((nodes-1)(nodes-2)) · δ_s(v)` to a node's
/// estimate, the mean of the `X`s; the dependency `δ_s(v)` is at most `nodes - 2`, so `X`
/// lies in `[0, R]` with `R = nodes / (nodes - 1)`, and its mean over all sources is the
/// exact score. Hoeffding's inequality (which holds for sampling without replacement)
/// bounds one node's error by `ε` with probability `1 - 2·exp(-2·sources·ε²/R²)`; a union
/// bound over the nodes gives `ε = R·sqrt(ln(2·nodes/(1-confidence)) / (2·sources))`.
pub fn sampling_error(nodes: usize, sources: usize, confidence: f64) -> f64 {
    if sources >= nodes || nodes <= 2 {
        return 0.0;
    }
    let (n, k) = (nodes as f64, sources.max(1) as f64);
    let range = n / (n - 1.0);
    range * ((2.0 * n / (1.0 - confidence)).ln() / (2.0 * k)).sqrt()
}

/// Betweenness centrality of every node on the undirected graph (edges either way,
/// parallel edges counted as separate shortest paths), normalised by
/// `(nodes-1)(nodes-2)` as networkx and rustworkx do: Brandes's algorithm from
/// `sources` sources, exact when that is every node, else from a random sample of them
/// chosen with `seed` and scaled up (with the [`Sample`] saying how).
///
/// O(sources × (nodes + edges)) time, O(nodes + edges) memory, no allocation per source.
/// Measured on 19,999 nodes and 200,000 random edges (release build, one core): about
/// 0.9 ms a source, so the 909 sources [`BETWEENNESS_BUDGET`] allows take about 0.8 s,
/// where every source took over a minute.
pub fn betweenness(
    g: &PolicyGraph,
    sources: usize,
    seed: u64,
    progress: &mut dyn FnMut(usize, usize),
) -> (Vec<(NodeIndex, f64)>, Option<Sample>) {
    let n = g.node_count();
    let mut start = vec![0usize; n + 1];
    for e in g.graph.raw_edges() {
        start[e.source().index() + 1] += 1;
        start[e.target().index() + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut next = vec![0u32; start[n]];
    let mut fill = start.clone();
    for e in g.graph.raw_edges() {
        let (a, b) = (e.source().index(), e.target().index());
        // Node indices are below the node count, which the loader keeps within u32.
        next[fill[a]] = b as u32;
        fill[a] += 1;
        next[fill[b]] = a as u32;
        fill[b] += 1;
    }
    let adjacency = Adjacency { start, next };

    let sources = sources.min(n);
    let mut chosen: Vec<usize> = (0..n).collect();
    if sources < n {
        fastrand::Rng::with_seed(seed).shuffle(&mut chosen);
        chosen.truncate(sources);
        chosen.sort_unstable();
    }
    // Two fixed halves, each summed on its own and then added first to second, so the
    // figures are the same bit for bit whether the halves run on two cores or one.
    let (first, second) = chosen.split_at(sources / 2);
    let other = std::sync::atomic::AtomicUsize::new(0);
    let (mut score, theirs) = std::thread::scope(|scope| {
        let helper = std::thread::available_parallelism()
            .is_ok_and(|c| c.get() > 1)
            .then(|| {
                scope.spawn(|| {
                    adjacency.dependencies(second, &mut |_| {
                        other.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    })
                })
            });
        let mine = adjacency.dependencies(first, &mut |done| {
            progress(
                done + other.load(std::sync::atomic::Ordering::Relaxed),
                sources,
            );
        });
        let theirs = match helper.map(|h| h.join()) {
            Some(Ok(theirs)) => theirs,
            // No second core (or the helper could not finish): the second half here.
            _ => adjacency.dependencies(second, &mut |done| {
                progress(first.len() + done, sources);
            }),
        };
        (mine, theirs)
    });
    progress(sources, sources);
    for (s, t) in score.iter_mut().zip(theirs) {
        *s += t;
    }
    let scale_up = if sources == 0 {
        0.0
    } else {
        n as f64 / sources as f64
    };
    let normalise = if n > 2 {
        1.0 / ((n - 1) as f64 * (n - 2) as f64)
    } else {
        1.0
    };
    let scores = g
        .nodes()
        .map(|x| (x, score[x.index()] * scale_up * normalise))
        .collect();
    let sample = (sources < n).then(|| Sample {
        sources,
        nodes: n,
        seed,
        error: sampling_error(n, sources, BETWEENNESS_CONFIDENCE),
        confidence: BETWEENNESS_CONFIDENCE,
    });
    (scores, sample)
}

/// An undirected graph in compressed rows: node i's neighbours are
/// `next[start[i]..start[i + 1]]`, one entry per edge end.
struct Adjacency {
    start: Vec<usize>,
    next: Vec<u32>,
}

/// What Brandes's search keeps per node, together so one visit touches one cache line.
#[derive(Clone, Copy)]
struct Slot {
    /// Shortest paths from the source.
    sigma: f64,
    /// Dependency of the source on the node.
    delta: f64,
    /// Hops from the source, [`UNSEEN`] before the search reaches the node.
    dist: u32,
}

const UNSEEN: u32 = u32::MAX;

impl Adjacency {
    fn neighbours(&self, v: usize) -> impl Iterator<Item = usize> + '_ {
        self.next[self.start[v]..self.start[v + 1]]
            .iter()
            .map(|&w| w as usize)
    }

    /// The sum over `sources` of every node's dependency on them (Brandes, 2001), calling
    /// `done(k)` after the k-th source.
    fn dependencies(&self, sources: &[usize], done: &mut dyn FnMut(usize)) -> Vec<f64> {
        let n = self.start.len() - 1;
        let mut score = vec![0.0f64; n];
        let fresh = Slot {
            sigma: 0.0,
            delta: 0.0,
            dist: UNSEEN,
        };
        let mut slot = vec![fresh; n];
        // Nodes in the order the search reached them (non-decreasing distance).
        let mut order: Vec<usize> = Vec::with_capacity(n);
        for (k, &s) in sources.iter().enumerate() {
            slot[s].dist = 0;
            slot[s].sigma = 1.0;
            order.push(s);
            let mut head = 0;
            while head < order.len() {
                let v = order[head];
                head += 1;
                let (d, sigma_v) = (slot[v].dist + 1, slot[v].sigma);
                for w in self.neighbours(v) {
                    let at = &mut slot[w];
                    if at.dist == UNSEEN {
                        at.dist = d;
                        order.push(w);
                    }
                    if at.dist == d {
                        at.sigma += sigma_v;
                    }
                }
            }
            // Dependencies, farthest first: a predecessor of w is a neighbour one closer.
            for &w in order.iter().rev() {
                if w == s {
                    continue;
                }
                let Slot { sigma, delta, dist } = slot[w];
                let coeff = (1.0 + delta) / sigma;
                for v in self.neighbours(w) {
                    let at = &mut slot[v];
                    if at.dist == dist - 1 {
                        at.delta += at.sigma * coeff;
                    }
                }
                score[w] += delta;
            }
            for &v in &order {
                slot[v] = fresh;
            }
            order.clear();
            done(k + 1);
        }
        score
    }
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
                    let (a, b) = if g.node(a).id() <= g.node(b).id() {
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
                (g.node(x.0).id(), g.node(x.1).id()).cmp(&(g.node(y.0).id(), g.node(y.1).id()))
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
        assert_eq!(g.node(s.most_cited[0].0).id(), "r1");
        assert_eq!(s.most_cited[0].1, 2);
        assert_eq!(g.node(s.most_evaluated[0].0).id(), "fund");
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
            .map(|&(a, b, n)| (g.node(a).id(), g.node(b).id(), n))
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
        let old = g.nodes().find(|&n| g.node(n).id() == "old").unwrap();
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

    /// Betweenness as rustworkx computes it (every source), in node order.
    fn reference(g: &PolicyGraph) -> Vec<f64> {
        let mut un = petgraph::graph::UnGraph::<(), ()>::with_capacity(g.node_count(), 0);
        for _ in g.nodes() {
            un.add_node(());
        }
        for e in g.graph.raw_edges() {
            un.add_edge(e.source(), e.target(), ());
        }
        rustworkx_core::centrality::betweenness_centrality(&un, false, true, usize::MAX)
            .into_iter()
            .map(|s| s.unwrap_or(0.0))
            .collect()
    }

    /// A graph of `n` bodies and `edges` (a, b) as `established-by` edges, each pair once.
    fn bodies(n: usize, edges: &[(usize, usize)]) -> PolicyGraph {
        let mut spec: Vec<String> = (0..n).map(|i| format!("n{i} body")).collect();
        let mut seen = std::collections::HashSet::new();
        for &(a, b) in edges {
            if a != b && seen.insert((a, b)) {
                spec.push(format!("n{a} established-by n{b}"));
            }
        }
        graph(&spec.join("; "))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Every node a source: the scores rustworkx computes (parallel edges, both
        /// directions of a pair, and separate components included).
        #[test]
        fn exact_betweenness_is_rustworkx_s(
            n in 1usize..12,
            edges in proptest::collection::vec((0usize..12, 0usize..12), 0..30),
        ) {
            let edges: Vec<(usize, usize)> = edges.into_iter().map(|(a, b)| (a % n, b % n)).collect();
            let g = bodies(n, &edges);
            let (scores, sample) = betweenness(&g, g.node_count(), BETWEENNESS_SEED, &mut |_, _| {});
            proptest::prop_assert!(sample.is_none());
            for ((x, got), want) in scores.iter().zip(reference(&g)) {
                proptest::prop_assert!((got - want).abs() < 1e-9, "{}: {} against {}", g.node(*x).id(), got, want);
            }
        }
    }

    /// A random graph of `n` bodies and about `m` edges, from a fixed seed.
    fn random(n: usize, m: usize) -> PolicyGraph {
        let mut rng = fastrand::Rng::with_seed(7);
        let edges: Vec<(usize, usize)> = (0..m).map(|_| (rng.usize(..n), rng.usize(..n))).collect();
        bodies(n, &edges)
    }

    #[test]
    fn a_sample_of_every_node_is_exact() {
        let g = random(60, 150);
        let exact = reference(&g);
        let (scores, sample) = betweenness(&g, g.node_count(), 99, &mut |_, _| {});
        assert!(sample.is_none());
        for ((_, got), want) in scores.iter().zip(&exact) {
            assert!((got - want).abs() < 1e-9);
        }
        assert_eq!(sampling_error(61, 61, 0.95), 0.0);
    }

    #[test]
    fn sampled_betweenness_is_repeatable_and_within_its_stated_error() {
        let g = random(400, 1200);
        let exact = reference(&g);
        let mut calls = Vec::new();
        let (first, sample) = betweenness(&g, 100, BETWEENNESS_SEED, &mut |done, total| {
            calls.push((done, total));
        });
        assert!(calls.len() >= 50, "progress as the sources are done");
        assert!(
            calls
                .iter()
                .all(|&(done, total)| done <= total && total == 100)
        );
        assert_eq!(calls.last(), Some(&(100, 100)));
        let sample = sample.expect("a sample");
        assert_eq!((sample.sources, sample.nodes), (100, g.node_count()));
        let (again, _) = betweenness(&g, 100, BETWEENNESS_SEED, &mut |_, _| {});
        assert_eq!(first, again, "the same seed, the same figures");
        let worst = first
            .iter()
            .zip(&exact)
            .map(|((_, got), want)| (got - want).abs())
            .fold(0.0, f64::max);
        assert!(worst <= sample.error, "{worst} > {}", sample.error);
        // The estimate is unbiased: its total is near the exact total.
        let (total, exact_total): (f64, f64) =
            (first.iter().map(|x| x.1).sum(), exact.iter().sum());
        assert!(
            (total - exact_total).abs() < 0.2 * exact_total,
            "{total} against {exact_total}"
        );
    }

    #[test]
    fn the_budget_decides_exact_sampled_or_skipped() {
        // Just under the old cap of 20,000 nodes, where every source took over a minute.
        let k = betweenness_sources(19_999, 200_000, BETWEENNESS_BUDGET).unwrap();
        assert!((BETWEENNESS_MIN_SOURCES..19_999).contains(&k), "{k}");
        // And no cliff either side of it.
        assert_eq!(
            betweenness_sources(20_001, 200_000, BETWEENNESS_BUDGET),
            Some(k)
        );
        assert_eq!(
            betweenness_sources(500, 2_000, BETWEENNESS_BUDGET),
            Some(500)
        );
        assert_eq!(betweenness_sources(0, 0, BETWEENNESS_BUDGET), Some(0));
        assert_eq!(
            betweenness_sources(3_000_000, 9_000_000, BETWEENNESS_BUDGET),
            None
        );
        let error = sampling_error(19_999, k, BETWEENNESS_CONFIDENCE);
        assert!(error > 0.0 && error < 0.1, "{error}");
    }

    #[test]
    fn stats_say_when_betweenness_is_sampled() {
        let g = graph(SPEC);
        assert!(
            stats(&g, 5).betweenness_sample.is_none(),
            "small graphs are exact"
        );
    }
}
