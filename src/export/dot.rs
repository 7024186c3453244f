//! Graphviz DOT, written as text.
//!
//! Every id and attribute value goes through [`quote`]: a double-quoted DOT string with
//! `&` as `&amp;`, backslashes, quotes and line breaks escaped and other control
//! characters dropped. A label cannot end the string early, so it cannot add attributes,
//! nodes or statements. The layout is graphviz-rust's printer's (the DOT was first
//! printed by it, and the shipped files keep its bytes): one statement a line, indented
//! two spaces a level of nesting, attributes as `[key="value" ...]`. The tests and the
//! fuzz target parse it back with graphviz-rust.

use super::style;
use crate::graph::{EdgeIndex, NodeIndex, PolicyGraph};
use crate::model::{End, Era, NodeKind, Relation};
use crate::query::bibliography::Bibliography;
use crate::view::View;
use std::collections::BTreeMap;
use std::io;

/// Options for drawing.
#[derive(Debug, Clone, Default)]
pub struct DotOptions {
    /// Group nodes into one cluster per era (by start date).
    pub cluster_eras: bool,
    /// Leave out the legend.
    pub no_legend: bool,
    /// Give every edge the id `edge-<index>`, so a page can find it in the SVG (the
    /// seminar deck hides and highlights edges by id).
    pub edge_ids: bool,
}

/// The one way data text enters DOT: `parts`, joined, as a double-quoted string, appended
/// to `out`. `&` becomes `&amp;` because Graphviz (and the embedded engine) decode
/// entities in labels and tooltips: a name such as `&lt;` must be drawn as written, not
/// as `<`. Escaping the parts one by one equals escaping them joined: it is per character.
fn quote(out: &mut String, parts: &[&str]) {
    out.push('"');
    for part in parts {
        escape_into(out, part);
    }
    out.push('"');
}

/// [`quote`]'s escaping, appended to `out`: `&` as `&amp;`, backslashes, quotes and line
/// breaks escaped, other control characters (Unicode `Cc`: U+0000 to U+001F, U+007F to U+009F) dropped.
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

fn sources_text(g: &PolicyGraph, bib: &Bibliography, sources: &[crate::model::Source]) -> String {
    if sources.is_empty() {
        String::new()
    } else {
        format!("Sources: {}", bib.cite_list(g, sources))
    }
}

/// Bytes gathered before each write to the output.
const FLUSH_BYTES: usize = 1 << 16;

/// Statements formatted into one block by [`Dot::many`] (about 100 to 300 KB).
const BLOCK_ITEMS: usize = 1024;

/// The DOT text being written, sent to the output in blocks of [`FLUSH_BYTES`].
struct Dot<'w> {
    buf: String,
    /// Levels of nesting: 1 in the graph's body, one more in each subgraph.
    depth: usize,
    out: &'w mut dyn io::Write,
    /// Bytes gathered before a write: [`FLUSH_BYTES`], or never for a block of
    /// [`Dot::many`], which is written whole.
    flush_at: usize,
}

impl Dot<'_> {
    /// Starts a statement: its indent.
    fn start(&mut self) {
        for _ in 0..self.depth {
            self.buf.push_str("  ");
        }
    }

    /// Ends a statement, writing the text out once a block has gathered.
    fn end(&mut self) -> io::Result<()> {
        self.buf.push('\n');
        if self.buf.len() >= self.flush_at {
            self.out.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Statements `0..count` in order, a block at a time written by `each(range, dot)`
    /// into a `Dot` of its own at this depth, the blocks formatted on every core
    /// ([`crate::blocks`]): the node and edge lists of a large view.
    fn many(
        &mut self,
        count: usize,
        each: impl Fn(std::ops::Range<usize>, &mut Dot<'_>) + Sync,
    ) -> io::Result<()> {
        self.out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        let depth = self.depth;
        let threads = crate::blocks::threads();
        crate::blocks::write_in_order(count, BLOCK_ITEMS, threads, self.out, |range, buf| {
            let mut unused = io::sink();
            let mut block = Dot {
                buf: std::mem::take(buf),
                depth,
                out: &mut unused,
                flush_at: usize::MAX,
            };
            each(range, &mut block);
            *buf = block.buf;
        })
    }

    /// `key="value"`: an attribute of the enclosing subgraph.
    fn set(&mut self, key: &str, value: &str) -> io::Result<()> {
        self.start();
        self.buf.push_str(key);
        self.buf.push('=');
        quote(&mut self.buf, &[value]);
        self.end()
    }

    /// `graph[...]`, `node[...]` or `edge[...]`: defaults for what follows.
    fn defaults(&mut self, what: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.start();
        self.buf.push_str(what);
        let mut list = Attrs::open(&mut self.buf, "[");
        list.all(attrs);
        list.close();
        self.end()
    }

    /// `subgraph "id" {`, and one level deeper until [`Dot::close`].
    fn open(&mut self, id: &str) -> io::Result<()> {
        self.start();
        self.buf.push_str("subgraph ");
        quote(&mut self.buf, &[id]);
        self.buf.push_str(" {");
        self.depth += 1;
        self.end()
    }

    fn close(&mut self) -> io::Result<()> {
        self.depth -= 1;
        self.start();
        self.buf.push('}');
        self.end()
    }

    /// A node: `"id"[...]`, or `"id"` alone when `attrs` writes none.
    fn node(&mut self, id: &str, attrs: impl FnOnce(&mut Attrs<'_>)) -> io::Result<()> {
        self.statement(&[id], "[", attrs)
    }

    /// An edge: `"a" -> "b" [...]` (graphviz-rust's printer spaces a pair's attributes
    /// off, not a node's or a chain's).
    fn edge(&mut self, a: &str, b: &str, attrs: impl FnOnce(&mut Attrs<'_>)) -> io::Result<()> {
        self.statement(&[a, b], " [", attrs)
    }

    /// A chain of edges: `"a" -> "b" -> "c"[...]`.
    fn chain(&mut self, ids: &[String], attrs: &[(&str, &str)]) -> io::Result<()> {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        self.statement(&ids, "[", |list| list.all(attrs))
    }

    fn statement(
        &mut self,
        ids: &[&str],
        bracket: &'static str,
        attrs: impl FnOnce(&mut Attrs<'_>),
    ) -> io::Result<()> {
        self.start();
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.buf.push_str(" -> ");
            }
            quote(&mut self.buf, &[id]);
        }
        let mut list = Attrs::open(&mut self.buf, bracket);
        attrs(&mut list);
        list.close();
        self.end()
    }
}

/// An attribute list being written: `[key="value" ...]`, nothing when it stays empty.
struct Attrs<'b> {
    buf: &'b mut String,
    /// What comes before the next attribute: the bracket, then a space.
    before: &'static str,
}

impl<'b> Attrs<'b> {
    fn open(buf: &'b mut String, bracket: &'static str) -> Self {
        Attrs {
            buf,
            before: bracket,
        }
    }

    /// An attribute whose value is `parts` joined.
    fn attr(&mut self, key: &str, parts: &[&str]) {
        self.buf.push_str(self.before);
        self.before = " ";
        self.buf.push_str(key);
        self.buf.push('=');
        quote(self.buf, parts);
    }

    fn all(&mut self, attrs: &[(&str, &str)]) {
        for (key, value) in attrs {
            self.attr(key, &[value]);
        }
    }

    fn close(self) {
        if self.before == " " {
            self.buf.push(']');
        }
    }
}

/// A node's attributes, in order.
fn node_attrs(
    g: &PolicyGraph,
    bib: &Bibliography,
    n: NodeIndex,
    view: &View,
    list: &mut Attrs<'_>,
) {
    let node = g.node(n);
    let st = style::node(node.kind);
    let mut label = String::with_capacity(node.name().len() + 16);
    if view.stances
        && node.kind == NodeKind::Finding
        && let Some(s) = node.stance
    {
        label = format!("[{s}]\n");
    }
    wrap_into(&mut label, node.name(), 28);
    push_years(&mut label, g, n);
    list.attr("label", &[&label]);
    list.attr("shape", &[st.shape]);
    list.attr("style", &[st.style]);
    list.attr("fillcolor", &[st.fill]);
    let sources = sources_text(g, bib, node.sources());
    // Name, then the summary and the sources when there are, a line each.
    let mut tooltip = [node.name(), "", "", "", ""];
    let mut parts = 1;
    for part in [
        node.summary(),
        (!sources.is_empty()).then_some(sources.as_str()),
    ]
    .into_iter()
    .flatten()
    {
        tooltip[parts] = "\n";
        tooltip[parts + 1] = part;
        parts += 2;
    }
    list.attr("tooltip", &tooltip[..parts]);
    list.attr("URL", &["#node-", node.id()]);
    list.attr("id", &["node-", node.id()]);
    if view.stances && node.kind == NodeKind::Finding {
        list.attr("color", &[style::stance(node.stance)]);
        list.attr("penwidth", &["3"]);
    }
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
    let mut out_degree = vec![0u32; g.node_count()];
    for &e in &view.edges {
        out_degree[g.endpoints(e).0.index()] += 1;
    }
    let mut seen = vec![0u32; g.node_count()];
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
    bib: &Bibliography,
    e: EdgeIndex,
    view: &View,
    minlen: u8,
    edge_id: bool,
    list: &mut Attrs<'_>,
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
    list.attr("style", &[st.style]);
    list.attr("color", &[color]);
    list.attr("penwidth", &[st.penwidth]);
    list.attr("arrowhead", &[st.arrowhead]);
    // An edge's tooltip carries its provenance; an edge without sources has none, so a
    // million unsourced edges do not repeat both names each.
    if !edge.sources().is_empty() {
        let mut t = format!(
            "{} {} {}",
            g.node(a).name(),
            edge.relation,
            g.node(b).name()
        );
        if let Some(s) = stance.filter(|_| edge.relation == Relation::EvaluatedBy) {
            t = format!("{t} ({s})");
        }
        list.attr(
            "tooltip",
            &[&t, "\n", &sources_text(g, bib, edge.sources())],
        );
    }
    if minlen > 1 {
        list.attr("minlen", &[&minlen.to_string()]);
    }
    if edge_id {
        list.attr("id", &["edge-", &e.index().to_string()]);
    }
}

/// More distinct start years than this, and the axis uses eras instead of years.
const MAX_YEAR_RANKS: usize = 12;

/// The time axis: one plaintext node per band, chained in time order, and every dated
/// node ranked with its band. A band is a start year, or, when the view spans more
/// years than fit on a page and the data has eras, an era ("Coalition, 2010-2015"),
/// with a band before the first era. Nodes keep their years in their labels.
fn time_axis(dot: &mut Dot<'_>, g: &PolicyGraph, view: &View) -> io::Result<()> {
    let mut years: BTreeMap<u16, Vec<NodeIndex>> = BTreeMap::new();
    let mut undated = Vec::new();
    for &n in &view.nodes {
        match crate::query::year(g, n) {
            Some(y) => years.entry(y).or_default().push(n),
            None => undated.push(n),
        }
    }
    if years.is_empty() {
        return Ok(());
    }
    // (sort key, label, members)
    let mut bands: BTreeMap<i32, (String, Vec<NodeIndex>)> = BTreeMap::new();
    if years.len() > MAX_YEAR_RANKS && !g.eras.is_empty() {
        let first = g.eras[0].start.year_part();
        for (y, nodes) in years {
            let (key, label) = match era_index(&g.eras, y) {
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
    dot.open("time-axis")?;
    dot.defaults(
        "node",
        &[
            ("shape", "plaintext"),
            ("style", ""),
            ("fontsize", "16"),
            ("fontcolor", "#333333"),
        ],
    )?;
    for (&key, (label, _)) in &bands {
        dot.node(&band_id(key), |list| {
            list.attr("label", &[label]);
            list.attr("tooltip", &[label]);
        })?;
    }
    if bands.len() > 1 {
        let ids: Vec<String> = bands.keys().map(|&k| band_id(k)).collect();
        dot.chain(
            &ids,
            &[
                ("color", "#BBBBBB"),
                ("arrowhead", "none"),
                ("penwidth", "2"),
            ],
        )?;
    }
    dot.close()?;
    for (key, (_, nodes)) in bands {
        dot.open(&format!("rank-{key}"))?;
        dot.set("rank", "same")?;
        dot.node(&band_id(key), |_| {})?;
        for n in nodes {
            dot.node(g.node(n).id(), |_| {})?;
        }
        dot.close()?;
    }
    Ok(())
}

/// The legend: one sample of each kind and relation the view uses.
fn legend(dot: &mut Dot<'_>, g: &PolicyGraph, view: &View) -> io::Result<()> {
    let mut kinds: Vec<NodeKind> = view.nodes.iter().map(|&n| g.node(n).kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut relations: Vec<Relation> = view.edges.iter().map(|&e| g.edge(e).relation).collect();
    relations.sort();
    relations.dedup();
    dot.open("cluster_legend")?;
    dot.set("label", "Legend")?;
    dot.set("style", "rounded")?;
    dot.set("color", "#999999")?;
    dot.set("fontsize", "12")?;
    for k in &kinds {
        let st = style::node(*k);
        dot.node(&format!("legend-{k}"), |list| {
            list.all(&[
                ("label", k.as_str()),
                ("shape", st.shape),
                ("style", st.style),
                ("fillcolor", st.fill),
                ("fontsize", "10"),
                ("tooltip", k.as_str()),
            ]);
        })?;
    }
    for r in &relations {
        let st = style::edge(*r);
        let (a, b) = (format!("legend-{r}-from"), format!("legend-{r}-to"));
        for id in [&a, &b] {
            dot.node(id, |list| {
                list.all(&[("shape", "point"), ("width", "0.05"), ("label", "")]);
            })?;
        }
        dot.edge(&a, &b, |list| {
            list.all(&[
                ("label", r.as_str()),
                ("style", st.style),
                ("color", st.color),
                ("penwidth", st.penwidth),
                ("arrowhead", st.arrowhead),
                ("fontsize", "10"),
                ("tooltip", r.as_str()),
            ]);
        })?;
    }
    // Lay the kind samples out in a row: invisible edges put them on successive ranks.
    if kinds.len() > 1 {
        let ids: Vec<String> = kinds.iter().map(|k| format!("legend-{k}")).collect();
        dot.chain(&ids, &[("style", "invis")])?;
    }
    if view.stances && relations.contains(&Relation::EvaluatedBy) {
        for s in crate::model::Stance::ALL {
            dot.node(&format!("legend-stance-{s}"), |list| {
                list.all(&[
                    ("label", &s.to_string()),
                    ("shape", "box"),
                    ("style", "rounded"),
                    ("color", style::stance(Some(*s))),
                    ("penwidth", "3"),
                    ("fontsize", "10"),
                    ("tooltip", &format!("stance: {s}")),
                ]);
            })?;
        }
        let ids: Vec<String> = crate::model::Stance::ALL
            .iter()
            .map(|s| format!("legend-stance-{s}"))
            .collect();
        dot.chain(&ids, &[("style", "invis")])?;
    }
    dot.close()
}

/// Which era a year falls in, by start year: its index in `eras`.
fn era_index(eras: &[Era], year: u16) -> Option<usize> {
    eras.iter().rposition(|e| {
        e.start.year_part() <= year && e.end.is_none_or(|end| year < end.year_part())
    })
}

/// Writes the DOT text of a view: graph attributes, the time axis, nodes (in era
/// clusters if asked), edges, the legend. Memory stays bounded by the view, whatever
/// its size: the text goes out in blocks, those of the node and edge lists formatted on
/// every core ([`crate::blocks`]), the same bytes as on one.
pub fn write_dot(
    g: &PolicyGraph,
    view: &View,
    options: &DotOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    // The tooltips' citations, in the default style, of the documents the view's
    // records cite.
    let bib = Bibliography::of_sources(
        g,
        Default::default(),
        view.nodes
            .iter()
            .flat_map(|&n| g.node(n).sources().iter())
            .chain(view.edges.iter().flat_map(|&e| g.edge(e).sources().iter())),
    );
    let mut dot = Dot {
        buf: String::with_capacity(FLUSH_BYTES + 4096),
        depth: 1,
        out,
        flush_at: FLUSH_BYTES,
    };
    dot.buf.push_str("digraph ");
    quote(&mut dot.buf, &["policygraph"]);
    dot.buf.push_str(" {\n");
    // A time axis stacks many nodes in few columns: pack them closer, and set the text
    // larger, so the page prints on A4 landscape with labels near 6 pt once scaled to fit.
    let axis = view.time_axis;
    dot.defaults(
        "graph",
        &[
            ("label", &view.title),
            ("labelloc", "t"),
            ("fontsize", "20"),
            ("fontname", "Helvetica"),
            ("rankdir", if view.left_to_right { "LR" } else { "TB" }),
            ("newrank", "true"),
            ("nodesep", if axis { "0.1" } else { "0.25" }),
            ("ranksep", if axis { "0.4" } else { "0.6" }),
            ("tooltip", &view.title),
        ],
    )?;
    dot.defaults(
        "node",
        &[
            ("fontname", "Helvetica"),
            ("fontsize", if axis { "14" } else { "11" }),
            ("margin", "0.14,0.06"),
        ],
    )?;
    dot.defaults("edge", &[("fontname", "Helvetica"), ("fontsize", "9")])?;
    if axis {
        time_axis(&mut dot, g, view)?;
    }
    let node = |dot: &mut Dot<'_>, n: NodeIndex| {
        dot.node(g.node(n).id(), |list| node_attrs(g, &bib, n, view, list))
    };
    // A block's `Dot` gathers its text and writes nothing: it cannot fail.
    let block_node = |dot: &mut Dot<'_>, n: NodeIndex| {
        let _ = node(dot, n);
    };
    let cluster = |n: NodeIndex| {
        if !options.cluster_eras {
            return None;
        }
        crate::query::year(g, n).and_then(|y| era_index(&g.eras, y))
    };
    let mut clusters: BTreeMap<usize, Vec<NodeIndex>> = BTreeMap::new();
    for &n in &view.nodes {
        if let Some(i) = cluster(n) {
            clusters.entry(i).or_default().push(n);
        }
    }
    for (i, members) in clusters {
        let era = &g.eras[i];
        let end = era
            .end
            .map(|e| e.to_string())
            .unwrap_or_else(|| "now".into());
        dot.open(&format!("cluster_era_{i}"))?;
        dot.set("label", &format!("{} ({} to {end})", era.name, era.start))?;
        dot.set("style", "rounded,dashed")?;
        dot.set("color", "#AAAAAA")?;
        for n in members {
            node(&mut dot, n)?;
        }
        dot.close()?;
    }
    let unclustered: Vec<NodeIndex>;
    let rest = if options.cluster_eras {
        unclustered = view
            .nodes
            .iter()
            .copied()
            .filter(|&n| cluster(n).is_none())
            .collect();
        &unclustered
    } else {
        &view.nodes
    };
    dot.many(rest.len(), |range, dot| {
        for (n, _) in g.nodes_in(&rest[range]) {
            block_node(dot, n);
        }
    })?;
    let stagger = staggers(g, view);
    dot.many(view.edges.len(), |range, dot| {
        let first = range.start;
        for (i, (e, _, a, b)) in g.edges_in(&view.edges[range]).enumerate() {
            let minlen = stagger.get(first + i).copied().unwrap_or(0);
            let _ = dot.edge(g.node(a).id(), g.node(b).id(), |list| {
                edge_attrs(g, &bib, e, view, minlen, options.edge_ids, list);
            });
        }
    })?;
    if !options.no_legend && !view.nodes.is_empty() {
        legend(&mut dot, g, view)?;
    }
    dot.buf.push('}');
    dot.end()?;
    dot.out.write_all(dot.buf.as_bytes())
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

    fn escape(text: &str) -> String {
        let mut out = String::new();
        escape_into(&mut out, text);
        out
    }

    #[test]
    fn escape_neutralises_quotes_backslashes_and_breaks() {
        assert_eq!(escape(r#"a "b" \c"#), r#"a \"b\" \\c"#);
        assert_eq!(escape("line\nbreak\r\u{7}"), "line\\nbreak");
        assert_eq!(escape(r#""]; x [label=""#), r#"\"]; x [label=\""#);
        assert_eq!(escape("ends with \\"), "ends with \\\\");
        assert_eq!(escape("&lt; & &amp;"), "&amp;lt; &amp; &amp;amp;");
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
