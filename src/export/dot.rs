//! Graphviz DOT, built as graphviz-rust's AST and printed by its printer.
//!
//! graphviz-rust writes ids and attribute values exactly as given, so every one of them
//! goes through [`quote`]: a double-quoted DOT string with backslashes, quotes and line
//! breaks escaped and other control characters dropped. A label cannot end the string
//! early, so it cannot add attributes, nodes or statements.

use super::style;
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::model::{End, Era, NodeKind, Relation};
use crate::view::View;
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use std::collections::BTreeMap;

/// Options for drawing.
#[derive(Debug, Clone, Default)]
pub struct DotOptions {
    /// Group nodes into one cluster per era (by start date).
    pub cluster_eras: bool,
    /// Leave out the legend.
    pub no_legend: bool,
    /// Give every edge the id `edge-<index>`, so a page can find it in the SVG (the
    /// seminar deck and the explorer hide and highlight edges by id).
    pub edge_ids: bool,
}

/// Escapes text for the inside of a double-quoted DOT string. `&` becomes `&amp;`
/// because Graphviz (and the embedded engine) decode entities in labels and tooltips:
/// a name such as `&lt;` must be drawn as written, not as `<`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    escape_into(&mut out, text);
    out
}

/// The escaping itself, appended to `out`: `&` as `&amp;` (Graphviz reads entities in
/// labels), backslashes, quotes and line breaks escaped,
/// other control characters (Unicode `Cc`: U+0000 to U+001F, U+007F to U+009F) dropped.
/// Bytes that may start one of these are found by table; runs of others are copied
/// whole, as the bulk of a million labels is plain text.
fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none of them may need escaping.
        if let Some(word) = bytes.get(i..i + 8)
            && !word_may_escape(u64::from_le_bytes([
                word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
            ]))
        {
            i += 8;
            continue;
        }
        if !MAY_ESCAPE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        // A char starts here: every byte of the table is ASCII or a lead byte (0xC2).
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let replacement = match c {
            '&' => "&amp;",
            '\\' => "\\\\",
            '"' => "\\\"",
            '\n' => "\\n",
            c if c.is_control() => "",
            _ => {
                i += c.len_utf8();
                continue;
            }
        };
        out.push_str(&text[run..i]);
        out.push_str(replacement);
        i += c.len_utf8();
        run = i;
    }
    out.push_str(&text[run..]);
}

/// True when some byte of `word` is one of [`MAY_ESCAPE`]'s: below 0x20, `"`, `&`, `\\`, DEL
/// or 0xC2 (exact, by the usual has-zero-byte arithmetic; a false answer is never
/// wrong, so the byte-by-byte check after a true one decides).
fn word_may_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    // Bytes below 0x20 (a byte of 0x80 or more has its high bit set in `word`).
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH != 0;
    below_space
        || has_zero(word ^ (ONES * u64::from(b'"')))
        || has_zero(word ^ (ONES * u64::from(b'&')))
        || has_zero(word ^ (ONES * u64::from(b'\\')))
        || has_zero(word ^ (ONES * 0x7F))
        || has_zero(word ^ (ONES * 0xC2))
}

/// Bytes that may start a character [`escape_into`] changes: ASCII controls, quote,
/// ampersand, backslash, DEL,
/// and 0xC2, the lead byte of U+0080 to U+00BF (among them the C1 controls).
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'&' as usize] = true;
    table[0x7F] = true;
    table[0xC2] = true;
    table
};

/// The one way data text enters DOT: a quoted, escaped id or attribute value.
pub fn quote(text: &str) -> Id {
    let mut quoted = String::with_capacity(text.len() + 2);
    push_quoted(&mut quoted, text);
    Id::Escaped(quoted)
}

/// Appends `text` as [`quote`] writes it: the direct writer's way in for data text.
fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    escape_into(out, text);
    out.push('"');
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_string()), quote(value))
}

fn node_id(id: &str) -> NodeId {
    NodeId(quote(id), None)
}

/// Up to `width` characters per line, broken at spaces, for node labels.
#[cfg(test)]
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    wrap_into(&mut out, text, width);
    out
}

/// [`wrap`], appended to `out`.
fn wrap_into(out: &mut String, text: &str, width: usize) {
    // Characters on the line being built; no line is begun yet.
    let mut line = None;
    for word in text.split_whitespace() {
        let chars = word.chars().count();
        match line {
            Some(n) if n + 1 + chars <= width => {
                out.push(' ');
                line = Some(n + 1 + chars);
            }
            Some(_) => {
                out.push('\n');
                line = Some(chars);
            }
            None => line = Some(chars),
        }
        out.push_str(word);
    }
}

/// The years under a label: `2013-2022`, `2013-`, `2017` (ASCII, so every engine
/// measures it), after a line break; nothing for an undated node.
fn push_years(label: &mut String, g: &PolicyGraph, n: NodeIndex) {
    use std::fmt::Write;
    let node = g.node(n);
    let Some(start) = node.start.map(|s| s.year_part()) else {
        return;
    };
    // Writing to a String cannot fail.
    // "2013-" runs on; "1998-?" has an end the data does not give.
    let _ = match node.end {
        End::On(e) => write!(label, "\n{start}-{}", e.year_part()),
        End::Unknown if !node.kind.has_lifespan() => write!(label, "\n{start}"),
        End::Ongoing => write!(label, "\n{start}-"),
        End::Unknown => write!(label, "\n{start}-?"),
    };
}

fn sources_text(g: &PolicyGraph, sources: &[crate::model::Source]) -> String {
    if sources.is_empty() {
        String::new()
    } else {
        format!("Sources: {}", crate::query::narrate::cite_list(g, sources))
    }
}

/// Where a statement's attributes go: graphviz-rust's AST, or straight into the text.
/// Both printers get their attributes from the same functions, [`node_attrs`] and
/// [`edge_attrs`], so they cannot disagree on what is drawn.
trait AttrSink {
    /// An attribute whose value (data text, escaped by the sink) is `parts` joined.
    fn attr(&mut self, key: &'static str, parts: &[&str]);
}

impl AttrSink for Vec<Attribute> {
    fn attr(&mut self, key: &'static str, parts: &[&str]) {
        self.push(attr(key, &parts.concat()));
    }
}

/// Attributes written as graphviz-rust prints a list: `[a="x" b="y"]`, nothing when
/// empty. Escaping the parts one by one equals escaping them joined: it is per
/// character.
struct Direct<'b> {
    buf: &'b mut String,
    any: bool,
}

impl AttrSink for Direct<'_> {
    fn attr(&mut self, key: &'static str, parts: &[&str]) {
        self.buf.push(if self.any { ' ' } else { '[' });
        self.any = true;
        self.buf.push_str(key);
        self.buf.push_str("=\"");
        for part in parts {
            escape_into(self.buf, part);
        }
        self.buf.push('"');
    }
}

impl Direct<'_> {
    fn close(self) {
        if self.any {
            self.buf.push(']');
        }
    }
}

/// A node's attributes, in order.
fn node_attrs(g: &PolicyGraph, n: NodeIndex, view: &View, sink: &mut impl AttrSink) {
    let node = g.node(n);
    let st = style::node(node.kind);
    let mut label = String::with_capacity(node.name.len() + 16);
    if view.stances
        && node.kind == NodeKind::Finding
        && let Some(s) = node.stance
    {
        label = format!("[{s}]\n");
    }
    wrap_into(&mut label, &node.name, 28);
    push_years(&mut label, g, n);
    sink.attr("label", &[&label]);
    sink.attr("shape", &[st.shape]);
    sink.attr("style", &[st.style]);
    sink.attr("fillcolor", &[st.fill]);
    let sources = sources_text(g, &node.sources);
    // Name, then the summary and the sources when there are, a line each.
    let mut tooltip = [node.name.as_str(), "", "", "", ""];
    let mut parts = 1;
    for part in [
        node.summary.as_deref(),
        (!sources.is_empty()).then_some(sources.as_str()),
    ]
    .into_iter()
    .flatten()
    {
        tooltip[parts] = "\n";
        tooltip[parts + 1] = part;
        parts += 2;
    }
    sink.attr("tooltip", &tooltip[..parts]);
    sink.attr("URL", &["#node-", &node.id]);
    sink.attr("id", &["node-", &node.id]);
    if view.stances && node.kind == NodeKind::Finding {
        sink.attr("color", &[style::stance(node.stance)]);
        sink.attr("penwidth", &["3"]);
    }
}

fn node_stmt(g: &PolicyGraph, n: NodeIndex, view: &View) -> Stmt {
    let mut attrs = Vec::new();
    node_attrs(g, n, view, &mut attrs);
    Stmt::Node(Node::new(node_id(&g.node(n).id), attrs))
}

/// A node with more outgoing edges than this has them staggered over three ranks.
const FAN_OUT: usize = 6;

/// Extra rank length for edges out of wide fan-outs, as Graphviz's `unflatten` does: the
/// targets of a node with many edges spread over three ranks instead of one long row,
/// so a table of judgements stays near the proportions of a page. Not used on time
/// axes, where the rank is the date. One entry per edge of the view, in its order (0:
/// none); two counters per node rather than a map of every edge, for million-edge views.
fn staggers(g: &PolicyGraph, view: &View) -> Vec<u8> {
    if view.time_axis {
        return Vec::new();
    }
    let mut out_degree = crate::mem::filled(g.node_count(), 0u32);
    for &e in &view.edges {
        out_degree[g.endpoints(e).0.index()] += 1;
    }
    let mut seen = crate::mem::filled(g.node_count(), 0u32);
    view.edges
        .iter()
        .map(|&e| {
            let a = g.endpoints(e).0.index();
            let i = seen[a];
            seen[a] += 1;
            if out_degree[a] as usize > FAN_OUT {
                1 + (i % 3) as u8
            } else {
                0
            }
        })
        .collect()
}

/// An edge's attributes, in order.
fn edge_attrs(
    g: &PolicyGraph,
    e: crate::graph::EdgeIndex,
    view: &View,
    minlen: u8,
    edge_id: bool,
    sink: &mut impl AttrSink,
) {
    let edge = g.edge(e);
    let (a, b) = g.endpoints(e);
    let st = style::edge(edge.relation);
    let stance = edge.stance.or_else(|| {
        (g.node(b).kind == NodeKind::Finding)
            .then(|| g.node(b).stance)
            .flatten()
    });
    let color = if view.stances && edge.relation == Relation::EvaluatedBy {
        style::stance(stance)
    } else {
        st.color
    };
    sink.attr("style", &[st.style]);
    sink.attr("color", &[color]);
    sink.attr("penwidth", &[st.penwidth]);
    sink.attr("arrowhead", &[st.arrowhead]);
    // An edge's tooltip carries its provenance; an edge without sources has none, so a
    // million unsourced edges do not repeat both names each.
    if !edge.sources().is_empty() {
        let mut t = format!("{} {} {}", g.node(a).name, edge.relation, g.node(b).name);
        if let Some(s) = stance.filter(|_| edge.relation == Relation::EvaluatedBy) {
            t = format!("{t} ({s})");
        }
        sink.attr("tooltip", &[&t, "\n", &sources_text(g, edge.sources())]);
    }
    if minlen > 1 {
        sink.attr("minlen", &[&minlen.to_string()]);
    }
    if edge_id {
        sink.attr("id", &["edge-", &e.index().to_string()]);
    }
}

fn edge_stmt(
    g: &PolicyGraph,
    e: crate::graph::EdgeIndex,
    view: &View,
    minlen: u8,
    edge_id: bool,
) -> Stmt {
    let (a, b) = g.endpoints(e);
    let mut attributes = Vec::new();
    edge_attrs(g, e, view, minlen, edge_id, &mut attributes);
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(node_id(&g.node(a).id)),
            Vertex::N(node_id(&g.node(b).id)),
        ),
        attributes,
    })
}

fn subgraph(id: &str, stmts: Vec<Stmt>) -> Stmt {
    Stmt::Subgraph(Subgraph {
        id: quote(id),
        stmts,
    })
}

/// More distinct start years than this, and the axis uses eras instead of years.
const MAX_YEAR_RANKS: usize = 12;

/// The time axis: one plaintext node per band, chained in time order, and every dated
/// node ranked with its band. A band is a start year, or, when the view spans more
/// years than fit on a page and the data has eras, an era ("Coalition, 2010-2015"),
/// with a band before the first era. Nodes keep their years in their labels.
fn time_axis(g: &PolicyGraph, view: &View) -> Vec<Stmt> {
    let mut years: BTreeMap<u16, Vec<NodeIndex>> = BTreeMap::new();
    let mut undated = Vec::new();
    for &n in &view.nodes {
        match crate::query::year(g, n) {
            Some(y) => years.entry(y).or_default().push(n),
            None => undated.push(n),
        }
    }
    if years.is_empty() {
        return Vec::new();
    }
    // (sort key, label, members)
    let mut bands: BTreeMap<i32, (String, Vec<NodeIndex>)> = BTreeMap::new();
    if years.len() > MAX_YEAR_RANKS && !g.eras.is_empty() {
        let first = g.eras[0].start.year_part();
        for (y, nodes) in years {
            let (key, label) = match era_of(&g.eras, y)
                .and_then(|e| g.eras.iter().position(|x| std::ptr::eq(x, e)))
            {
                Some(i) => {
                    let era = &g.eras[i];
                    let end = era
                        .end
                        .map_or_else(|| "now".to_string(), |e| e.year_part().to_string());
                    (
                        i as i32,
                        format!("{}\n{}-{end}", era.name, era.start.year_part()),
                    )
                }
                None if y < first => (-1, format!("Before {first}")),
                None => (i32::MAX - 1, format!("From {y}")),
            };
            let band = bands.entry(key).or_insert_with(|| (label, Vec::new()));
            band.1.extend(nodes);
        }
    } else {
        for (y, nodes) in years {
            bands.insert(i32::from(y), (y.to_string(), nodes));
        }
    }
    // Undated nodes go in a band of their own at the end, not wherever the layout
    // happens to put them on a time axis.
    if !undated.is_empty() {
        bands.insert(i32::MAX, ("Date unknown".to_string(), undated));
    }
    let band_id = |key: i32| format!("band-{key}");
    let mut axis = vec![Stmt::GAttribute(GraphAttributes::Node(vec![
        attr("shape", "plaintext"),
        attr("style", ""),
        attr("fontsize", "16"),
        attr("fontcolor", "#333333"),
    ]))];
    for (&key, (label, _)) in &bands {
        axis.push(Stmt::Node(Node::new(
            node_id(&band_id(key)),
            vec![attr("label", label), attr("tooltip", label)],
        )));
    }
    if bands.len() > 1 {
        axis.push(Stmt::Edge(Edge {
            ty: EdgeTy::Chain(
                bands
                    .keys()
                    .map(|&k| Vertex::N(node_id(&band_id(k))))
                    .collect(),
            ),
            attributes: vec![
                attr("color", "#BBBBBB"),
                attr("arrowhead", "none"),
                attr("penwidth", "2"),
            ],
        }));
    }
    let mut stmts = vec![subgraph("time-axis", axis)];
    for (key, (_, nodes)) in bands {
        let mut rank = vec![
            Stmt::Attribute(attr("rank", "same")),
            Stmt::Node(Node::new(node_id(&band_id(key)), vec![])),
        ];
        rank.extend(
            nodes
                .into_iter()
                .map(|n| Stmt::Node(Node::new(node_id(&g.node(n).id), vec![]))),
        );
        stmts.push(subgraph(&format!("rank-{key}"), rank));
    }
    stmts
}

/// The legend: one sample of each kind and relation the view uses.
fn legend(g: &PolicyGraph, view: &View) -> Stmt {
    let mut kinds: Vec<NodeKind> = view.nodes.iter().map(|&n| g.node(n).kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut relations: Vec<Relation> = view.edges.iter().map(|&e| g.edge(e).relation).collect();
    relations.sort();
    relations.dedup();
    let mut stmts = vec![
        Stmt::Attribute(attr("label", "Legend")),
        Stmt::Attribute(attr("style", "rounded")),
        Stmt::Attribute(attr("color", "#999999")),
        Stmt::Attribute(attr("fontsize", "12")),
    ];
    for k in &kinds {
        let st = style::node(*k);
        stmts.push(Stmt::Node(Node::new(
            node_id(&format!("legend-{k}")),
            vec![
                attr("label", k.as_str()),
                attr("shape", st.shape),
                attr("style", st.style),
                attr("fillcolor", st.fill),
                attr("fontsize", "10"),
                attr("tooltip", k.as_str()),
            ],
        )));
    }
    for r in &relations {
        let st = style::edge(*r);
        let (a, b) = (format!("legend-{r}-from"), format!("legend-{r}-to"));
        for id in [&a, &b] {
            stmts.push(Stmt::Node(Node::new(
                node_id(id),
                vec![
                    attr("shape", "point"),
                    attr("width", "0.05"),
                    attr("label", ""),
                ],
            )));
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&a)), Vertex::N(node_id(&b))),
            attributes: vec![
                attr("label", r.as_str()),
                attr("style", st.style),
                attr("color", st.color),
                attr("penwidth", st.penwidth),
                attr("arrowhead", st.arrowhead),
                attr("fontsize", "10"),
                attr("tooltip", r.as_str()),
            ],
        }));
    }
    // Lay the kind samples out in a row: invisible edges put them on successive ranks.
    if kinds.len() > 1 {
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Chain(
                kinds
                    .iter()
                    .map(|k| Vertex::N(node_id(&format!("legend-{k}"))))
                    .collect(),
            ),
            attributes: vec![attr("style", "invis")],
        }));
    }
    if view.stances && relations.contains(&Relation::EvaluatedBy) {
        for s in crate::model::Stance::ALL {
            stmts.push(Stmt::Node(Node::new(
                node_id(&format!("legend-stance-{s}")),
                vec![
                    attr("label", &format!("{s}")),
                    attr("shape", "box"),
                    attr("style", "rounded"),
                    attr("color", style::stance(Some(*s))),
                    attr("penwidth", "3"),
                    attr("fontsize", "10"),
                    attr("tooltip", &format!("stance: {s}")),
                ],
            )));
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Chain(
                crate::model::Stance::ALL
                    .iter()
                    .map(|s| Vertex::N(node_id(&format!("legend-stance-{s}"))))
                    .collect(),
            ),
            attributes: vec![attr("style", "invis")],
        }));
    }
    subgraph("cluster_legend", stmts)
}

/// Which era a date falls in, by start year.
fn era_of(eras: &[Era], year: u16) -> Option<&Era> {
    eras.iter()
        .rfind(|e| e.start.year_part() <= year && e.end.is_none_or(|end| year < end.year_part()))
}
/// One top-level statement of a view's DOT: the bulk (one per node and edge of the
/// view) kept as indices, so the direct writer never builds their AST; the few others
/// (graph attributes, time axis, era clusters, legend) as graphviz-rust's AST.
enum Item {
    Stmt(Stmt),
    Node(NodeIndex),
    /// An edge, its `minlen` (0 for none) and whether it carries its SVG id.
    Edge(crate::graph::EdgeIndex, u8, bool),
}

impl Item {
    fn into_stmt(self, g: &PolicyGraph, view: &View) -> Stmt {
        match self {
            Item::Stmt(s) => s,
            Item::Node(n) => node_stmt(g, n, view),
            Item::Edge(e, minlen, id) => edge_stmt(g, e, view, minlen, id),
        }
    }
}

/// The statements of a view's DOT, produced lazily so a million-node view never holds
/// its whole AST: graph attributes, the time axis, nodes (in era clusters if asked),
/// edges, the legend.
fn items<'a>(
    g: &'a PolicyGraph,
    view: &'a View,
    options: &'a DotOptions,
) -> Box<dyn Iterator<Item = Item> + 'a> {
    let mut head = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("label", &view.title),
            attr("labelloc", "t"),
            attr("fontsize", "20"),
            attr("fontname", "Helvetica"),
            attr("rankdir", if view.left_to_right { "LR" } else { "TB" }),
            attr("newrank", "true"),
            // A time axis stacks many nodes in few columns: pack them closer, and set
            // the text larger, so the page prints on A4 landscape with labels near
            // 6 pt once scaled to fit.
            attr("nodesep", if view.time_axis { "0.1" } else { "0.25" }),
            attr("ranksep", if view.time_axis { "0.4" } else { "0.6" }),
            attr("tooltip", &view.title),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", if view.time_axis { "14" } else { "11" }),
            attr("margin", "0.14,0.06"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
        ])),
    ];
    if view.time_axis {
        head.extend(time_axis(g, view));
    }
    let head = head.into_iter().map(Item::Stmt);
    let nodes: Box<dyn Iterator<Item = Item> + 'a> = if options.cluster_eras && !g.eras.is_empty() {
        let mut clusters: BTreeMap<usize, Vec<Stmt>> = BTreeMap::new();
        let mut loose = Vec::new();
        for &n in &view.nodes {
            let era = crate::query::year(g, n).and_then(|y| era_of(&g.eras, y));
            match era.and_then(|e| g.eras.iter().position(|x| std::ptr::eq(x, e))) {
                Some(i) => clusters.entry(i).or_default().push(node_stmt(g, n, view)),
                None => loose.push(node_stmt(g, n, view)),
            }
        }
        let mut stmts = Vec::new();
        for (i, mut members) in clusters {
            let era = &g.eras[i];
            let end = era
                .end
                .map(|e| e.to_string())
                .unwrap_or_else(|| "now".into());
            members.insert(
                0,
                Stmt::Attribute(attr(
                    "label",
                    &format!("{} ({} to {end})", era.name, era.start),
                )),
            );
            members.insert(1, Stmt::Attribute(attr("style", "rounded,dashed")));
            members.insert(2, Stmt::Attribute(attr("color", "#AAAAAA")));
            stmts.push(subgraph(&format!("cluster_era_{i}"), members));
        }
        stmts.extend(loose);
        Box::new(stmts.into_iter().map(Item::Stmt))
    } else {
        Box::new(view.nodes.iter().map(|&n| Item::Node(n)))
    };
    let stagger = staggers(g, view);
    let edge_ids = options.edge_ids;
    let edges = view
        .edges
        .iter()
        .enumerate()
        .map(move |(i, &e)| Item::Edge(e, stagger.get(i).copied().unwrap_or(0), edge_ids));
    let legend =
        (!options.no_legend && !view.nodes.is_empty()).then(|| Item::Stmt(legend(g, view)));
    Box::new(head.chain(nodes).chain(edges).chain(legend))
}

/// The graph's id in every DOT file.
const GRAPH_ID: &str = "policygraph";

/// Builds the DOT graph of a view as graphviz-rust's AST.
pub fn graph(g: &PolicyGraph, view: &View, options: &DotOptions) -> Graph {
    Graph::DiGraph {
        id: quote(GRAPH_ID),
        strict: false,
        stmts: items(g, view, options)
            .map(|item| item.into_stmt(g, view))
            .collect(),
    }
}

/// How the DOT text is produced. Both give the same bytes (tests check, hostile text
/// included); [`write_dot`] picks by size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printer {
    /// Every statement built as graphviz-rust's AST and printed by its printer: the
    /// reference.
    Ast,
    /// Node and edge statements written straight to the output in the printer's
    /// layout, through the same escaping ([`quote`]'s); the rest through the printer.
    Direct,
}

/// Views with more node and edge statements than this are written directly: the AST
/// costs a few allocations per attribute, which on a million-node view is most of the
/// export.
const DIRECT_ABOVE: usize = 10_000;

/// Statements printed per call of graphviz-rust's printer.
const CHUNK: usize = 4096;

/// Edges read ahead of writing them (see `write_dot_with`).
const BATCH: usize = 32;

/// Bytes gathered before each write to the output.
const FLUSH_BYTES: usize = 1 << 16;

/// Writes the DOT text of a view, through the AST printer for small views and directly
/// for large ones ([`Printer`]).
pub fn write_dot(
    g: &PolicyGraph,
    view: &View,
    options: &DotOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let printer = if view.nodes.len() + view.edges.len() > DIRECT_ABOVE {
        Printer::Direct
    } else {
        Printer::Ast
    };
    write_dot_with(g, view, options, printer, out)
}

/// Writes the DOT text of a view with the given printer. AST statements are printed by
/// graphviz-rust a chunk at a time: each chunk is printed as a whole graph, whose
/// framing (`digraph ... {` and `}`) is dropped, so memory stays bounded and the text
/// is exactly what printing the whole graph at once gives (a test checks). Statements
/// sit one per line, indented by two spaces, as the printer lays out a graph's body.
pub fn write_dot_with(
    g: &PolicyGraph,
    view: &View,
    options: &DotOptions,
    printer: Printer,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut buf = String::with_capacity(FLUSH_BYTES + 4096);
    buf.push_str("digraph ");
    push_quoted(&mut buf, GRAPH_ID);
    buf.push_str(" {\n");
    let mut items = items(g, view, options).peekable();
    let mut chunk: Vec<Stmt> = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    let mut nodes = Vec::with_capacity(BATCH);
    let mut first = true;
    while let Some(item) = items.next() {
        let item = match (printer, item) {
            (Printer::Ast, item) => Item::Stmt(item.into_stmt(g, view)),
            (Printer::Direct, item) => item,
        };
        match item {
            Item::Stmt(stmt) => {
                chunk.push(stmt);
                let more_ast =
                    matches!(items.peek(), Some(Item::Stmt(_))) || printer == Printer::Ast;
                if chunk.len() < CHUNK && more_ast && items.peek().is_some() {
                    continue;
                }
                if !first {
                    buf.push('\n');
                }
                print_chunk(std::mem::take(&mut chunk), &mut buf);
            }
            Item::Node(n) => {
                // In batches, as edges are (below): a node's record and texts lie
                // wherever the load put them, not in id order.
                nodes.clear();
                nodes.push(n);
                while nodes.len() < BATCH {
                    match items.peek() {
                        Some(&Item::Node(n)) => {
                            nodes.push(n);
                            items.next();
                        }
                        _ => break,
                    }
                }
                let mut touched = 0u8;
                for &n in &nodes {
                    let node = g.node(n);
                    for text in [&node.id, &node.name] {
                        touched ^= text.as_bytes().first().copied().unwrap_or(0);
                    }
                    if let Some(s) = &node.summary {
                        touched ^= s.as_bytes().first().copied().unwrap_or(0);
                    }
                }
                std::hint::black_box(touched);
                for &n in &nodes {
                    if !first {
                        buf.push('\n');
                    }
                    first = false;
                    buf.push_str("  ");
                    push_quoted(&mut buf, &g.node(n).id);
                    let mut sink = Direct {
                        buf: &mut buf,
                        any: false,
                    };
                    node_attrs(g, n, view, &mut sink);
                    sink.close();
                }
            }
            Item::Edge(e, minlen, id) => {
                // Edges come in batches: their records, endpoints and ids are read
                // first, in a short loop whose cache misses overlap, then written. On a
                // million-edge view the write waits on memory, not on the CPU.
                batch.clear();
                batch.push((e, minlen, id));
                while batch.len() < BATCH {
                    match items.peek() {
                        Some(&Item::Edge(e, minlen, id)) => {
                            batch.push((e, minlen, id));
                            items.next();
                        }
                        _ => break,
                    }
                }
                let mut touched = 0u8;
                let ends: Vec<(&str, &str)> = batch
                    .iter()
                    .map(|&(e, _, _)| {
                        let (a, b) = g.endpoints(e);
                        let (a, b) = (g.node(a).id.as_str(), g.node(b).id.as_str());
                        touched ^= b.as_bytes().first().copied().unwrap_or(0)
                            ^ u8::from(g.edge(e).sources().is_empty());
                        (a, b)
                    })
                    .collect();
                std::hint::black_box(touched);
                for (&(e, minlen, id), (a, b)) in batch.iter().zip(ends) {
                    if !first {
                        buf.push('\n');
                    }
                    first = false;
                    buf.push_str("  ");
                    push_quoted(&mut buf, a);
                    buf.push_str(" -> ");
                    push_quoted(&mut buf, b);
                    buf.push(' ');
                    let mut sink = Direct {
                        buf: &mut buf,
                        any: false,
                    };
                    edge_attrs(g, e, view, minlen, id, &mut sink);
                    sink.close();
                }
            }
        }
        first = false;
        if buf.len() >= FLUSH_BYTES {
            out.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    buf.push_str("\n}\n");
    out.write_all(buf.as_bytes())
}

/// Prints statements with graphviz-rust's printer as the body of a graph (indented,
/// one per line, no trailing line break) onto `buf`.
fn print_chunk(stmts: Vec<Stmt>, buf: &mut String) {
    let printed = Graph::DiGraph {
        id: quote(GRAPH_ID),
        strict: false,
        stmts,
    }
    .print(&mut PrinterContext::default());
    // "digraph "policygraph" {\n" + body + "\n}"
    let body = printed
        .split_once('\n')
        .and_then(|(_, rest)| rest.strip_suffix("\n}"))
        .unwrap_or_else(|| unreachable!("the printer frames a graph as `digraph id {{\n...\n}}`"));
    buf.push_str(body);
}

/// The DOT text of a view.
pub fn to_dot(g: &PolicyGraph, view: &View, options: &DotOptions) -> String {
    let mut out = Vec::new();
    write_dot(g, view, options, &mut out)
        .unwrap_or_else(|e| unreachable!("writing to memory cannot fail: {e}"));
    String::from_utf8(out).unwrap_or_else(|e| unreachable!("DOT of UTF-8 text is UTF-8: {e}"))
}

/// The DOT text of a view with the given printer (for comparing the two).
pub fn to_dot_with(g: &PolicyGraph, view: &View, options: &DotOptions, printer: Printer) -> String {
    let mut out = Vec::new();
    write_dot_with(g, view, options, printer, &mut out)
        .unwrap_or_else(|e| unreachable!("writing to memory cannot fail: {e}"));
    String::from_utf8(out).unwrap_or_else(|e| unreachable!("DOT of UTF-8 text is UTF-8: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_quotes_backslashes_and_breaks() {
        assert_eq!(escape(r#"a "b" \c"#), r#"a \"b\" \\c"#);
        assert_eq!(escape("line\nbreak\r\u{7}"), "line\\nbreak");
        assert_eq!(escape(r#""]; x [label=""#), r#"\"]; x [label=\""#);
        assert_eq!(escape("ends with \\"), "ends with \\\\");
        assert_eq!(escape("&lt; & &amp;"), "&amp;lt; &amp; &amp;amp;");
    }

    #[test]
    fn both_printers_equal_printing_the_whole_graph() {
        let g = crate::query::fixture::graph(
            "a body 2000; b body 2005; c initiative 2010; act legislation 1999; b replaced a; a established-by act",
        );
        for spec in [
            crate::view::ViewSpec::Whole,
            crate::view::ViewSpec::Lineage(None),
        ] {
            let v = crate::view::view(&g, &spec, &crate::view::Narrow::default());
            let whole =
                graph(&g, &v, &DotOptions::default()).print(&mut PrinterContext::default()) + "\n";
            for printer in [Printer::Ast, Printer::Direct] {
                assert_eq!(to_dot_with(&g, &v, &DotOptions::default(), printer), whole);
            }
        }
    }

    #[test]
    fn an_empty_view_prints_the_same_both_ways() {
        let g = crate::query::fixture::graph("a body 2000");
        let mut v = crate::view::view(
            &g,
            &crate::view::ViewSpec::Whole,
            &crate::view::Narrow::default(),
        );
        v.nodes.clear();
        let whole =
            graph(&g, &v, &DotOptions::default()).print(&mut PrinterContext::default()) + "\n";
        for printer in [Printer::Ast, Printer::Direct] {
            assert_eq!(to_dot_with(&g, &v, &DotOptions::default(), printer), whole);
        }
    }

    #[test]
    fn the_word_check_agrees_with_the_table() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let any = word.iter().any(|&x| MAY_ESCAPE[usize::from(x)]);
                // Never a false "no"; a "yes" is checked byte by byte.
                assert!(
                    !any || word_may_escape(u64::from_le_bytes(word)),
                    "{b:#x} at {at}"
                );
            }
        }
        assert_eq!(
            escape("abcdefgh\u{85}ijklmnop\u{a0}q\"rstuvwxyz\\"),
            "abcdefghijklmnop\u{a0}q\\\"rstuvwxyz\\\\"
        );
    }

    /// The escaping as first written, char by char: the reference for the fast one.
    fn escape_reference(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn fast_escaping_equals_the_reference_on_mixed_text() {
        let alphabet = [
            "a",
            "Z",
            " ",
            "\"",
            "\\",
            "\n",
            "\r",
            "\t",
            "\u{0}",
            "\u{7f}",
            "\u{80}",
            "\u{85}",
            "\u{9f}",
            "\u{a0}",
            "\u{bf}",
            "é",
            "漢字",
            "🙂",
            "\"]; x [label=\"",
            "&",
            "&lt;",
            "abcdefghij",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 24) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            assert_eq!(escape(&text), escape_reference(&text), "{text:?}");
        }
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        assert_eq!(
            wrap("Health and Social Care Act 2012", 20),
            "Health and Social\nCare Act 2012"
        );
        assert_eq!(wrap("Averyveryverylongword", 5), "Averyveryverylongword");
    }
}
