//! [`PolicyGraph`]: the records and a petgraph `DiGraph` of their topology, with an id
//! index, and the resolution of NODE arguments (id, alias or name, case-insensitive).
//!
//! The petgraph graph holds only structure (each node's weight is its kind, each edge's
//! its relation); node `i` of the graph is `nodes[i]` and edge `j` is `edges[j]`. A
//! check or traversal that needs only kinds and relations reads the graph's compact
//! arrays, not the records (at 10^6 nodes, with the dates check skipping the relations
//! it does not date, the error checks before a query went from 0.15 s to 0.11 s). Records are never copied
//! into the graph, which halves peak memory on large loads. The id index is the dataset's
//! interner of edge endpoints, which the node ids join when the graph is built (one
//! table of ids for the whole graph), frozen then into `intern::Ids` (the lookup keys dropped),
//! and a symbol-to-node array. An edge's ends are the graph's: the dataset's symbols for
//! them are dropped once the graph is built. Views select nodes rather than remove them, so a plain
//! `DiGraph` (indices never shift) is enough; see ARCHITECTURE.md.

use crate::diag::{Code, Problem, Problems, excerpt};
use crate::intern::{Ids, Sym};
use crate::model::{About, Dataset, Edge, Era, Node, NodeKind, Parts, Relation};
use crate::suggest::{closest, did_you_mean};
use petgraph::Direction;
use petgraph::graph::DiGraph;
pub use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::BTreeSet;

/// How many places ahead [`PolicyGraph::nodes_in`] and [`PolicyGraph::edges_in`] read.
const AHEAD: usize = 16;

/// The items of `order`, in order, calling `touch` on each [`AHEAD`] places before it is
/// yielded (see [`PolicyGraph::nodes_in`]).
fn read_ahead<'a, T: Copy + 'a>(
    order: &'a [T],
    touch: impl Fn(T) + 'a,
) -> impl Iterator<Item = T> + 'a {
    order.iter().enumerate().map(move |(i, &x)| {
        if let Some(&ahead) = order.get(i + AHEAD) {
            touch(ahead);
        }
        x
    })
}

/// The policy graph: nodes, typed edges, eras, and an index from id to node.
#[derive(Debug, Default, Clone)]
pub struct PolicyGraph {
    /// The structure: node `i` is `nodes[i]`, edge `j` is `edges[j]`; each node's weight
    /// is its kind and each edge's its relation, so traversals that filter by them need
    /// no lookups.
    pub graph: DiGraph<NodeKind, Relation>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// Every id the data names, nodes' and edge endpoints' (the loader's interner).
    index: Ids,
    /// For each symbol of `index`, the node with that id, or [`NO_NODE`].
    node_of: Vec<u32>,
    /// Eras in time order.
    pub eras: Vec<Era>,
    /// What the collection says about itself (its `[collection]` table), if anything.
    pub about: Option<About>,
    /// Ids written but rejected for field errors (see [`Dataset::rejected_ids`]).
    rejected: std::collections::HashSet<String>,
    /// Ids named by edges that were dropped (for a field error, or an unknown other
    /// end): nodes that have an edge in the data though not in the graph.
    dropped_edge_ends: std::collections::HashSet<String>,
    skipped_files: bool,
}

/// Why a NODE argument did not name exactly one node.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// Several nodes share that alias or name.
    #[error("`{query}` is ambiguous: it names {} nodes", candidates.len())]
    Ambiguous {
        /// What was asked for.
        query: String,
        /// The ids it could mean, sorted.
        candidates: Vec<String>,
    },
    /// No node has that id, alias or name.
    #[error("no node is called `{query}`")]
    Unknown {
        /// What was asked for.
        query: String,
        /// Ids of near spellings, best first.
        suggestions: Vec<String>,
    },
}

/// In [`PolicyGraph::node_of`]: an id that no node has (an edge's unknown endpoint).
const NO_NODE: u32 = u32::MAX;

impl PolicyGraph {
    /// Builds the graph from loaded records, recording the problems that stop a record
    /// joining the graph: duplicate ids and edges naming unknown nodes.
    pub fn build(data: Dataset, problems: &mut Problems) -> PolicyGraph {
        let Parts {
            mut nodes,
            mut edges,
            ends,
            eras,
            about,
            rejected_ids,
            skipped_files,
            mut dropped_edge_ends,
            ids: mut index,
        } = data.into_parts();
        let mut abouts = about.into_iter();
        let about = abouts.next();
        if let Some(first) = &about {
            for again in abouts {
                problems.push(
                    Problem::error(Code::DuplicateCollection, again.loc, "a second [collection] table")
                        .label("described again here")
                        .related(first.loc, "first described")
                        .help("describe the collection once: keep one [collection] table and delete the other"),
                );
            }
        }
        let mut pg = PolicyGraph {
            eras,
            about,
            rejected: rejected_ids,
            skipped_files,
            ..PolicyGraph::default()
        };
        pg.eras.sort_by_key(|e| e.start);

        // The node ids join the edge endpoints in one interner, so there is one table of
        // ids for the whole graph, and a node that an edge names is found rather than
        // added. A later node with a taken id is reported and dropped.
        // Room for as many new ids as there are nodes beyond the ids the edges named:
        // in a connected graph the edges name most nodes, and reserving one slot pair per
        // node again would double a million-id table for nothing.
        index.reserve(nodes.len().saturating_sub(index.len()));
        // A batch at a time, so the table's cache misses overlap (crate::intern).
        let mut syms: Vec<Sym> = Vec::with_capacity(nodes.len());
        for batch in nodes.chunks(128) {
            syms.extend_from_slice(index.intern_batch(batch.iter().map(|n| n.id())));
        }
        // Nothing more is interned: the table gives back its keys before the graph's
        // arrays are made, which is when memory peaks.
        let index = index.freeze();
        // Each symbol's node: its position in `nodes` until duplicates are dropped.
        let mut node_of = vec![NO_NODE; index.len()];
        let mut duplicates = false;
        for (i, sym) in syms.iter().enumerate() {
            let first = &mut node_of[sym.index()];
            if *first == NO_NODE {
                *first = i as u32;
                continue;
            }
            duplicates = true;
            let (first, node) = (&nodes[*first as usize], &nodes[i]);
            problems.push(
                Problem::error(Code::DuplicateId, node.loc.id(), format!("duplicate id `{}`", excerpt(node.id())))
                    .label("defined again here")
                    .related(first.loc.id(), "first defined")
                    .help("ids must be unique across the whole collection: rename one, or merge the two nodes"),
            );
        }
        if duplicates {
            let keep: Vec<bool> = syms
                .iter()
                .enumerate()
                .map(|(i, s)| node_of[s.index()] == i as u32)
                .collect();
            // Where each kept node moves to once the duplicates before it are gone.
            let mut moved_to = Vec::with_capacity(nodes.len());
            let mut next = 0u32;
            for &k in &keep {
                moved_to.push(next);
                next += u32::from(k);
            }
            for n in node_of.iter_mut().filter(|n| **n != NO_NODE) {
                *n = moved_to[*n as usize];
            }
            let mut keep = keep.into_iter();
            nodes.retain(|_| keep.next().unwrap_or(true));
        }
        drop(syms);
        pg.graph = DiGraph::with_capacity(nodes.len(), edges.len());
        for node in &nodes {
            pg.graph.add_node(node.kind);
        }
        pg.nodes = nodes;

        pg.index = index;

        // Resolve the edges through `node_of`; an edge naming an unknown node is
        // reported (once per mention) and dropped.
        let targets = &node_of;
        let mut hinted = 0;
        // Which edges are kept, made only when the first one is dropped.
        let mut kept: Option<Vec<bool>> = None;
        for (i, (edge, &[from_sym, to_sym])) in edges.iter().zip(&ends).enumerate() {
            let mut end = |sym: Sym, loc| match targets[sym.index()] {
                NO_NODE => pg.endpoint(pg.index.resolve(sym), loc, problems, &mut hinted),
                ix => Some(NodeIndex::new(ix as usize)),
            };
            let from = end(from_sym, edge.loc.from());
            let to = end(to_sym, edge.loc.to());
            match (from, to) {
                (Some(a), Some(b)) => {
                    pg.graph.add_edge(a, b, edge.relation);
                    if let Some(kept) = &mut kept {
                        kept.push(true);
                    }
                }
                _ => {
                    kept.get_or_insert_with(|| vec![true; i]).push(false);
                    for sym in [from_sym, to_sym] {
                        dropped_edge_ends.insert(pg.index.resolve(sym).to_string());
                    }
                }
            }
        }
        // The graph holds the ends now (`endpoints`).
        drop(ends);
        pg.dropped_edge_ends = dropped_edge_ends;
        if let Some(kept) = kept {
            let mut kept = kept.into_iter();
            edges.retain(|_| kept.next().unwrap_or(false));
        }
        pg.edges = edges;
        pg.node_of = node_of;
        pg
    }

    /// Whether an edge of the data names this id but was dropped (for a field error,
    /// or an unknown other end): such a node is not an orphan, its edge is broken.
    pub fn lost_an_edge(&self, id: &str) -> bool {
        self.dropped_edge_ends.contains(id)
    }

    /// Looks up an edge endpoint or source document by exact id, reporting it if unknown.
    ///
    /// Suggestions cost a scan of every name, so only the first [`MAX_HINTED`] unknown
    /// references get one; a file with thousands of broken references stays fast.
    pub(crate) fn endpoint(
        &self,
        id: &str,
        loc: crate::diag::Loc,
        problems: &mut Problems,
        hinted: &mut usize,
    ) -> Option<NodeIndex> {
        if let Some(ix) = self.get(id) {
            return Some(ix);
        }
        if !self.rejected.contains(id) {
            *hinted += 1;
            problems.push(self.unknown_reference(id, loc, *hinted <= MAX_HINTED));
        }
        None
    }

    /// The error for a reference to an id no node has, with the best hint we can give.
    pub(crate) fn unknown_reference(
        &self,
        id: &str,
        loc: crate::diag::Loc,
        hinted: bool,
    ) -> Problem {
        let problem = Problem::error(
            Code::UnknownNode,
            loc,
            format!("unknown node `{}`", excerpt(id)),
        )
        .label("no node has this id");
        let resolved = if hinted {
            self.resolve(id)
        } else {
            Err(ResolveError::Unknown {
                query: id.to_string(),
                suggestions: Vec::new(),
            })
        };
        let help = match resolved {
            Ok(ix) => Some(format!(
                "`{id}` is a name or alias of `{}`; references use ids: write `{}`",
                self.node(ix).id(),
                self.node(ix).id()
            )),
            Err(ResolveError::Ambiguous { candidates, .. }) => Some(format!(
                "`{id}` is a name or alias of {}; references use ids",
                quote_list(&candidates)
            )),
            Err(ResolveError::Unknown { suggestions, .. }) => suggestions
                .first()
                .map(String::as_str)
                .or_else(|| {
                    hinted
                        .then(|| did_you_mean(id, self.rejected.iter().map(String::as_str)))
                        .flatten()
                })
                .map(|s| format!("did you mean `{s}`?")),
        };
        let look_alikes = crate::confusable::look_alikes(id);
        let help = match (help, look_alikes.is_empty()) {
            (help, true) => help,
            (help, false) => Some(format!(
                "`{}` contains {}: type it with plain letters{}",
                excerpt(id),
                crate::confusable::explain(&look_alikes),
                help.map(|h| format!("; {h}")).unwrap_or_default()
            )),
        };
        let help = match (help, self.skipped_files) {
            (Some(h), true) => Some(format!(
                "{h} (some files were skipped for errors and may define it)"
            )),
            (None, true) => {
                Some("some files were skipped for errors above and may define it".to_string())
            }
            (h, false) => {
                h.or_else(|| Some("add a node with this id, or correct the reference".to_string()))
            }
        };
        problem.maybe_help(help)
    }

    /// The node with exactly this id.
    pub fn get(&self, id: &str) -> Option<NodeIndex> {
        let node = *self.node_of.get(self.index.find(id)?.index())?;
        (node != NO_NODE).then(|| NodeIndex::new(node as usize))
    }

    /// The node behind an index.
    pub fn node(&self, ix: NodeIndex) -> &Node {
        &self.nodes[ix.index()]
    }

    /// The nodes of `order`, in that order, each with its record. Walking a large view
    /// this way reads each record (and the first bytes of its id and name) [`AHEAD`]
    /// places before it is yielded, so that the cache misses of records scattered in
    /// memory overlap the work done on the ones before. Measured on `export --format
    /// dot` at 10^6 nodes (records in load order, the view in id order), whole process,
    /// 5 runs paired: 4.98 s without, 4.42 s with (median ratio 1.07); again once the
    /// export took 2.8 s (its lines formatted on every core), 9 runs paired: 1.08.
    pub fn nodes_in<'a>(
        &'a self,
        order: &'a [NodeIndex],
    ) -> impl Iterator<Item = (NodeIndex, &'a Node)> + 'a {
        read_ahead(order, |n| {
            let node = self.node(n);
            std::hint::black_box((node.id().as_bytes().first(), node.name().as_bytes().first()));
        })
        .map(|n| (n, self.node(n)))
    }

    /// The edges of `order`, in that order, each with its record and endpoints, reading
    /// ahead as [`PolicyGraph::nodes_in`] does (the records of both endpoints too).
    pub fn edges_in<'a>(
        &'a self,
        order: &'a [EdgeIndex],
    ) -> impl Iterator<Item = (EdgeIndex, &'a Edge, NodeIndex, NodeIndex)> + 'a {
        read_ahead(order, |e| {
            let (a, b) = self.endpoints(e);
            std::hint::black_box((
                self.node(a).id().as_bytes().first(),
                self.node(b).id().as_bytes().first(),
                self.edge(e).sources().is_empty(),
            ));
        })
        .map(|e| {
            let (a, b) = self.endpoints(e);
            (e, self.edge(e), a, b)
        })
    }

    /// The kind of a node, from the graph's structure (no visit to the record).
    pub fn kind(&self, ix: NodeIndex) -> NodeKind {
        self.graph[ix]
    }

    /// The edge behind an index. Its ends are [`PolicyGraph::endpoints`].
    pub fn edge(&self, ix: EdgeIndex) -> &Edge {
        &self.edges[ix.index()]
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Every node index, in load order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices()
    }

    /// Every edge index, in load order.
    pub fn edges(&self) -> impl Iterator<Item = EdgeIndex> + '_ {
        self.graph.edge_indices()
    }

    /// The endpoints of an edge.
    pub fn endpoints(&self, e: EdgeIndex) -> (NodeIndex, NodeIndex) {
        self.graph
            .edge_endpoints(e)
            .unwrap_or_else(|| unreachable!("edge indices come from this graph"))
    }

    /// Edges leaving (`Outgoing`) or entering (`Incoming`) a node, in load order.
    pub fn edges_of(&self, ix: NodeIndex, dir: Direction) -> Vec<EdgeIndex> {
        let mut edges: Vec<EdgeIndex> =
            self.graph.edges_directed(ix, dir).map(|e| e.id()).collect();
        edges.sort();
        edges
    }

    /// Resolves a NODE argument: an exact id first, then any id, alias or name equal to
    /// it ignoring case. Several matches are ambiguous; none gives suggestions.
    pub fn resolve(&self, query: &str) -> Result<NodeIndex, ResolveError> {
        if let Some(ix) = self.get(query) {
            return Ok(ix);
        }
        let wanted = query.trim().to_lowercase();
        let mut hits = BTreeSet::new();
        for ix in self.nodes() {
            let n = self.node(ix);
            // An ASCII text is compared without lowering it into a new string.
            let same = |s: &str| {
                if s.is_ascii() {
                    s.eq_ignore_ascii_case(&wanted)
                } else {
                    s.to_lowercase() == wanted
                }
            };
            if same(n.id()) || same(n.name()) || n.aliases().iter().any(same) {
                hits.insert(ix);
            }
        }
        match hits.len() {
            1 => Ok(hits.into_iter().next().unwrap_or_else(|| unreachable!())),
            0 => Err(ResolveError::Unknown {
                query: query.to_string(),
                suggestions: self.suggest(query),
            }),
            _ => {
                let mut candidates: Vec<String> = hits
                    .into_iter()
                    .map(|ix| self.node(ix).id().to_string())
                    .collect();
                candidates.sort();
                Err(ResolveError::Ambiguous {
                    query: query.to_string(),
                    candidates,
                })
            }
        }
    }

    /// Ids of nodes whose id, name or alias is spelled close to `query`, best first.
    pub fn suggest(&self, query: &str) -> Vec<String> {
        let mut by_text: Vec<(&str, NodeIndex)> = Vec::new();
        for ix in self.nodes() {
            let n = self.node(ix);
            by_text.push((n.id(), ix));
            by_text.push((n.name(), ix));
            by_text.extend(n.aliases().iter().map(|a| (a, ix)));
        }
        let texts: Vec<&str> = by_text.iter().map(|(t, _)| *t).collect();
        let mut out: Vec<String> = Vec::new();
        // First the nodes whose id, name or alias prints exactly like the query but is
        // spelt with look-alike characters: offered by id, which prints differently.
        let query = query.trim();
        for (t, ix) in &by_text {
            let id = self.node(*ix).id();
            if crate::confusable::print_alike(query, t) && !out.iter().any(|o| o == id) {
                out.push(id.to_string());
            }
        }
        for best in closest(query, texts.iter().copied(), 10) {
            for (t, ix) in &by_text {
                let id = self.node(*ix).id();
                if *t == best && !out.iter().any(|o| o == id) {
                    out.push(id.to_string());
                }
            }
        }
        out.truncate(5);
        out
    }
}

/// How many unknown references get a "did you mean" (each costs a scan of all names).
pub(crate) const MAX_HINTED: usize = 50;

/// `a`, `b` and `c`, for messages.
pub fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::csv_text;

    const HEADER: &str = "id,kind,name\n";

    fn loaded(rows: &str) -> Dataset {
        csv_text(&format!("{HEADER}{rows}"), None).dataset
    }

    /// Duplicate ids are found within one collection and across two, the first
    /// definition is kept, and edges still join the nodes they name once the
    /// duplicates before those nodes are gone.
    #[test]
    fn duplicates_across_collections() {
        let mut first = csv_text(
            &format!("{HEADER}a,body,A\nb,body,B\na,body,A again\n"),
            Some("from,relation,to\nd,replaced,a\nb,replaced,x\n"),
        )
        .dataset;
        let second = loaded("c,body,C\nb,body,B again\nd,body,D\n");
        first.absorb(second);
        let mut problems = Problems::default();
        let g = PolicyGraph::build(first, &mut problems);
        let ids: Vec<&str> = g.nodes().map(|n| g.node(n).id()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"]);
        let names: Vec<&str> = g.nodes().map(|n| g.node(n).name()).collect();
        assert_eq!(names, ["A", "B", "C", "D"], "the first definition is kept");
        let codes: Vec<&str> = problems
            .into_sorted()
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(codes, ["duplicate-id", "duplicate-id", "unknown-node"]);
        for id in ["a", "b", "c", "d"] {
            let ix = g.get(id).expect("indexed");
            assert_eq!(g.node(ix).id(), id);
        }
        // `x` is named by an edge, so it is in the index, but no node has it.
        assert_eq!(g.get("x"), None);
        assert_eq!(g.get("e"), None);
        let edges: Vec<(&str, &str)> = g
            .edges()
            .map(|e| {
                let (a, b) = g.endpoints(e);
                (g.node(a).id(), g.node(b).id())
            })
            .collect();
        assert_eq!(edges, [("d", "a")]);
    }

    /// Edges naming unknown nodes are dropped, and edge `j` of the structure is still
    /// record `j`.
    #[test]
    fn dropped_edges_keep_structure_and_records_aligned() {
        let loaded = csv_text(
            &format!("{HEADER}a,body,A\nb,body,B\nc,body,C\n"),
            Some(
                "from,relation,to,note\na,replaced,b,1\nx,replaced,b,2\nb,replaced,c,3\na,replaced,y,4\nc,replaced,a,5\n",
            ),
        );
        let mut problems = Problems::default();
        let g = PolicyGraph::build(loaded.dataset, &mut problems);
        let edges: Vec<(String, String, Option<&str>)> = g
            .edges()
            .map(|e| {
                let (a, b) = g.endpoints(e);
                (
                    g.node(a).id().to_string(),
                    g.node(b).id().to_string(),
                    g.edge(e).note(),
                )
            })
            .collect();
        let expected = [("a", "b", "1"), ("b", "c", "3"), ("c", "a", "5")];
        assert_eq!(edges.len(), expected.len());
        for ((a, b, note), (ea, eb, en)) in edges.iter().zip(expected) {
            assert_eq!((a.as_str(), b.as_str(), *note), (ea, eb, Some(en)));
        }
        let codes: Vec<&str> = problems
            .into_sorted()
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(codes, ["unknown-node", "unknown-node"]);
    }
}
