//! Graphviz DOT, built as graphviz-rust's AST and printed by its printer.
//!
//! graphviz-rust writes ids and attribute values exactly as given, so every one of them
//! goes through [`quote`]: a double-quoted DOT string with backslashes, quotes and line
//! breaks escaped and other control characters dropped. A label cannot end the string
//! early, so it cannot add attributes, nodes or statements.

use super::style;
use crate::graph::NodeIndex;
use crate::graph::PolicyGraph;
use crate::model::{Era, NodeKind, Relation};
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
}

/// Escapes text for the inside of a double-quoted DOT string. `&` becomes `&amp;`
/// because Graphviz (and the embedded engine) decode entities in labels and tooltips:
/// a name such as `&lt;` must be drawn as written, not as `<`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
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

/// The one way data text enters DOT: a quoted, escaped id or attribute value.
pub fn quote(text: &str) -> Id {
    Id::Escaped(format!("\"{}\"", escape(text)))
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_string()), quote(value))
}

fn node_id(id: &str) -> NodeId {
    NodeId(quote(id), None)
}

/// Up to `width` characters per line, broken at spaces, for node labels.
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines.join("\n")
}

/// The years under a label: `2013-2022`, `2013-`, `2017` (ASCII, so every engine
/// measures it).
fn years(g: &PolicyGraph, n: NodeIndex) -> Option<String> {
    let node = g.node(n);
    let start = node.start?.year_part();
    Some(match (node.end, node.kind) {
        (Some(e), _) => format!("{start}-{}", e.year_part()),
        (None, NodeKind::Document | NodeKind::Finding | NodeKind::Legislation) => start.to_string(),
        (None, _) => format!("{start}-"),
    })
}

fn sources_text(g: &PolicyGraph, sources: &[crate::model::Source]) -> String {
    if sources.is_empty() {
        String::new()
    } else {
        format!("Sources: {}", crate::query::narrate::cite_list(g, sources))
    }
}

fn node_stmt(g: &PolicyGraph, n: NodeIndex, view: &View) -> Stmt {
    let node = g.node(n);
    let st = style::node(node.kind);
    let mut label = wrap(&node.name, 28);
    if view.stances
        && node.kind == NodeKind::Finding
        && let Some(s) = node.stance
    {
        label = format!("[{s}]\n{label}");
    }
    if let Some(y) = years(g, n) {
        label = format!("{label}\n{y}");
    }
    let mut tooltip = node.name.clone();
    if let Some(s) = &node.summary {
        tooltip = format!("{tooltip}\n{s}");
    }
    let sources = sources_text(g, &node.sources);
    if !sources.is_empty() {
        tooltip = format!("{tooltip}\n{sources}");
    }
    let mut attrs = vec![
        attr("label", &label),
        attr("shape", st.shape),
        attr("style", st.style),
        attr("fillcolor", st.fill),
        attr("tooltip", &tooltip),
        attr("URL", &format!("#node-{}", node.id)),
        attr("id", &format!("node-{}", node.id)),
    ];
    if view.stances && node.kind == NodeKind::Finding {
        attrs.push(attr("color", style::stance(node.stance)));
        attrs.push(attr("penwidth", "3"));
    }
    Stmt::Node(Node::new(node_id(&node.id), attrs))
}

/// A node with more outgoing edges than this has them staggered over three ranks.
const FAN_OUT: usize = 6;

/// Extra rank length for edges out of wide fan-outs, as Graphviz's `unflatten` does: the
/// targets of a node with many edges spread over three ranks instead of one long row,
/// so a table of judgements stays near the proportions of a page. Not used on time
/// axes, where the rank is the date.
fn staggers(
    g: &PolicyGraph,
    view: &View,
) -> std::collections::HashMap<crate::graph::EdgeIndex, usize> {
    let mut out = std::collections::HashMap::new();
    if view.time_axis {
        return out;
    }
    let mut by_source: BTreeMap<NodeIndex, Vec<crate::graph::EdgeIndex>> = BTreeMap::new();
    for &e in &view.edges {
        by_source.entry(g.endpoints(e).0).or_default().push(e);
    }
    for edges in by_source.values().filter(|v| v.len() > FAN_OUT) {
        for (i, &e) in edges.iter().enumerate() {
            out.insert(e, 1 + i % 3);
        }
    }
    out
}

fn edge_stmt(
    g: &PolicyGraph,
    e: crate::graph::EdgeIndex,
    view: &View,
    minlen: Option<usize>,
) -> Stmt {
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
    // An edge's tooltip carries its provenance; an edge without sources has none, so a
    // million unsourced edges do not repeat both names each.
    let tooltip = (!edge.sources.is_empty()).then(|| {
        let mut t = format!("{} {} {}", g.node(a).name, edge.relation, g.node(b).name);
        if let Some(s) = stance.filter(|_| edge.relation == Relation::EvaluatedBy) {
            t = format!("{t} ({s})");
        }
        format!("{t}\n{}", sources_text(g, &edge.sources))
    });
    let mut attrs = vec![
        attr("style", st.style),
        attr("color", color),
        attr("penwidth", st.penwidth),
        attr("arrowhead", st.arrowhead),
    ];
    if let Some(t) = &tooltip {
        attrs.push(attr("tooltip", t));
    }
    if let Some(m) = minlen.filter(|&m| m > 1) {
        attrs.push(attr("minlen", &m.to_string()));
    }
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(node_id(&g.node(a).id)),
            Vertex::N(node_id(&g.node(b).id)),
        ),
        attributes: attrs,
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
/// The statements of a view's DOT, produced lazily so a million-node view never holds
/// its whole AST: graph attributes, the time axis, nodes (in era clusters if asked),
/// edges, the legend.
fn statements<'a>(
    g: &'a PolicyGraph,
    view: &'a View,
    options: &'a DotOptions,
) -> Box<dyn Iterator<Item = Stmt> + 'a> {
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
    let nodes: Box<dyn Iterator<Item = Stmt> + 'a> = if options.cluster_eras && !g.eras.is_empty() {
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
        Box::new(stmts.into_iter())
    } else {
        Box::new(view.nodes.iter().map(move |&n| node_stmt(g, n, view)))
    };
    let stagger = staggers(g, view);
    let edges = view
        .edges
        .iter()
        .map(move |&e| edge_stmt(g, e, view, stagger.get(&e).copied()));
    let legend = (!options.no_legend && !view.nodes.is_empty()).then(|| legend(g, view));
    Box::new(head.into_iter().chain(nodes).chain(edges).chain(legend))
}

/// The graph's id in every DOT file.
const GRAPH_ID: &str = "policygraph";

/// Builds the DOT graph of a view as graphviz-rust's AST.
pub fn graph(g: &PolicyGraph, view: &View, options: &DotOptions) -> Graph {
    Graph::DiGraph {
        id: quote(GRAPH_ID),
        strict: false,
        stmts: statements(g, view, options).collect(),
    }
}

/// Statements printed per call of graphviz-rust's printer.
const CHUNK: usize = 4096;

/// Writes the DOT text of a view. The AST is built and printed by graphviz-rust a chunk
/// of statements at a time: each chunk is printed as a whole graph, whose framing
/// (`digraph ... {` and `}`) is dropped, so memory stays bounded and the text is exactly
/// what printing the whole graph at once gives (a test checks).
pub fn write_dot(
    g: &PolicyGraph,
    view: &View,
    options: &DotOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut ctx = PrinterContext::default();
    writeln!(out, "digraph {} {{", quote(GRAPH_ID).print(&mut ctx))?;
    let mut stmts = statements(g, view, options).peekable();
    let mut first = true;
    while stmts.peek().is_some() {
        let chunk: Vec<Stmt> = stmts.by_ref().take(CHUNK).collect();
        let printed = Graph::DiGraph {
            id: quote(GRAPH_ID),
            strict: false,
            stmts: chunk,
        }
        .print(&mut PrinterContext::default());
        // "digraph "policygraph" {\n" + body + "\n}"
        let body = printed
            .split_once('\n')
            .and_then(|(_, rest)| rest.strip_suffix("\n}"))
            .unwrap_or_else(|| {
                unreachable!("the printer frames a graph as `digraph id {{\n...\n}}`")
            });
        if !first {
            out.write_all(b"\n")?;
        }
        out.write_all(body.as_bytes())?;
        first = false;
    }
    out.write_all(b"\n}\n")
}

/// The DOT text of a view.
pub fn to_dot(g: &PolicyGraph, view: &View, options: &DotOptions) -> String {
    let mut out = Vec::new();
    write_dot(g, view, options, &mut out)
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
    fn chunked_printing_equals_printing_the_whole_graph() {
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
            assert_eq!(to_dot(&g, &v, &DotOptions::default()), whole);
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
