//! Printing a query's answer: `--format text|json`, JSON that a terminal cannot act on,
//! and the pieces of text answers (names, date spans, aligned tables).

use super::table;
use crate::graph::{NodeIndex, PolicyGraph};
use crate::query::timeline::dates;
use std::io::Write;

/// How a query prints its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text
    Text,
    /// One JSON object (see the README for each command's schema)
    Json,
}

/// `id (kind, dates): name`, one line for lists of candidates.
pub fn describe(g: &PolicyGraph, ix: NodeIndex) -> String {
    let n = g.node(ix);
    format!(
        "{} ({}{}): {}",
        n.id(),
        n.kind,
        dates(n).map(|d| format!(", {d}")).unwrap_or_default(),
        n.name()
    )
}

/// Writes a JSON value followed by a newline.
///
/// Strings are escaped as JSON always escapes them, and also every character
/// [`crate::text::visible`] would escape that JSON leaves raw (DEL, the C1 controls,
/// bidirectional controls, U+2028, noncharacters...): `\u009b`, so the text read back
/// is the same, but a terminal showing the JSON acts on none of it.
///
/// The serializer writes into a block of memory it knows the type of, which goes to
/// `out` every 64 KiB: it makes many small writes (an indent, a quote, a colon), and
/// through `dyn Write` each would be a call it cannot inline. Measured on `critiques
/// --stance critical --format json` at 10^6 nodes (165 MB written), perf samples: the
/// writing (serde_json's escaping, copies, `BufWriter` calls, [`Inert`]) went from 34 %
/// of the process to 16 % with the block alone, 12 % with [`Inert`]'s byte test too;
/// whole process, with [`subgraph`]'s flags and the id table's sizing, 11 paired runs
/// on a noisy machine: median 0.90 of the time before.
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut block = Block {
        buf: Vec::with_capacity(Block::BYTES + 4096),
        out,
    };
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut block,
        Inert(serde_json::ser::PrettyFormatter::new()),
    );
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::from)?;
    block.buf.push(b'\n');
    block.out.write_all(&block.buf)
}

/// [`write_json`]'s block: bytes gathered, then written to `out` [`Block::BYTES`] at a time.
struct Block<'w> {
    buf: Vec<u8>,
    out: &'w mut dyn Write,
}

impl Block<'_> {
    const BYTES: usize = 1 << 16;
}

impl Write for Block<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= Self::BYTES {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes nothing out: [`write_json`] writes the last block when the value is done.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// serde_json's pretty formatter, escaping what a terminal would act on (see
/// [`write_json`]).
struct Inert<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for Inert<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Printable ASCII, most of any text, is written as it is without a closer look
        // (a byte test the compiler vectorises, not a character decode).
        if fragment.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        let unsafe_char =
            |c: char| !(c == ' ' || c.is_ascii_graphic()) && crate::text::class(c).is_some();
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| unsafe_char(c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// The nodes and edges of an answer, sorted and de-duplicated, as the JSON contract's
/// `nodes` and `edges`.
pub fn subgraph<'a>(
    g: &'a PolicyGraph,
    nodes: impl IntoIterator<Item = NodeIndex>,
    edges: impl IntoIterator<Item = crate::graph::EdgeIndex>,
) -> (
    Vec<crate::json::JsonNode<'a>>,
    Vec<crate::json::JsonEdge<'a>>,
) {
    let mut ns: Vec<NodeIndex> = Vec::new();
    // One flag per node of the graph: a lookup is an index, not a hash.
    let mut seen = vec![false; g.node_count()];
    let mut add = |n: NodeIndex| {
        if !std::mem::replace(&mut seen[n.index()], true) {
            ns.push(n);
        }
    };
    nodes.into_iter().for_each(&mut add);
    let mut es: Vec<crate::graph::EdgeIndex> = edges.into_iter().collect();
    es.sort_unstable();
    es.dedup();
    for &e in &es {
        let (a, b) = g.endpoints(e);
        add(a);
        add(b);
    }
    (crate::json::nodes(g, ns), crate::json::edges(g, es))
}

/// `Name (id)`.
pub fn named(g: &PolicyGraph, n: NodeIndex) -> String {
    let node = g.node(n);
    format!("{} ({})", node.name(), node.id())
}

/// Writes `nodes` as an aligned table (dates, kind, name and id), indented by two.
pub fn node_table(
    out: &mut dyn Write,
    g: &PolicyGraph,
    nodes: &[NodeIndex],
) -> std::io::Result<()> {
    let mut table = table::Table::new();
    for &n in nodes {
        let node = g.node(n);
        table.row([
            dates(node).unwrap_or_default(),
            node.kind.to_string(),
            named(g, n),
        ]);
    }
    table.write(out, "  ")
}

/// Pads `text` to `width` characters.
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

#[cfg(test)]
mod inert_tests {
    #[test]
    fn json_escapes_what_a_terminal_acts_on_and_reads_back_the_same() {
        let text = "a\u{9b}2J \u{1b}]0;x\u{7} \u{202e} \u{7f} \u{1FFFF} é 🙂\n";
        let mut out = Vec::new();
        super::write_json(&mut out, &serde_json::json!({ "name": text })).unwrap();
        let json = String::from_utf8(out).unwrap();
        assert!(
            json.chars()
                .all(|c| c == '\n' || !c.is_control() && crate::text::class(c).is_none()),
            "{json}"
        );
        assert!(
            json.contains("\\u009b") && json.contains("\\ud83f\\udfff"),
            "{json}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], text);
    }
}
