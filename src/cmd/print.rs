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

/// A member of the object [`write_members`] writes.
pub enum Member<'a> {
    /// A value, serialized whole on the caller's thread.
    One(&'a dyn Fn(&mut Json<'_>) -> serde_json::Result<()>),
    /// An array of `len` items, item `i` serialized by `item(i, json)`, a block of
    /// items at a time on every core ([`crate::blocks`]).
    Many(
        usize,
        &'a (dyn Fn(usize, &mut Json<'_>) -> serde_json::Result<()> + Sync),
    ),
}

/// Where a [`Member`] serializes its value: [`write_json`]'s serializer, at the depth of
/// the member.
pub struct Json<'b>(serde_json::Serializer<&'b mut Vec<u8>, Inert<'static>>);

impl Json<'_> {
    /// Serializes `value` here.
    pub fn value(&mut self, value: &(impl serde::Serialize + ?Sized)) -> serde_json::Result<()> {
        value.serialize(&mut self.0)
    }
}

impl<'b> Json<'b> {
    /// A serializer writing onto `buf` as [`write_json`]'s would at nesting `depth`.
    fn at(buf: &'b mut Vec<u8>, depth: usize) -> Self {
        let mut pretty = serde_json::ser::PrettyFormatter::new();
        // The formatter's indent is private: opening `depth` arrays onto nothing sets
        // it, as the enclosing object and array do in one serialization.
        for _ in 0..depth {
            let _ = serde_json::ser::Formatter::begin_array(&mut pretty, &mut std::io::sink());
        }
        Json(serde_json::Serializer::with_formatter(buf, Inert(pretty)))
    }
}

/// Items of a [`Member::Many`] formatted into one block.
const JSON_BLOCK_ITEMS: usize = 512;

/// Writes a JSON object of `members`, in order, followed by a newline: the same bytes
/// as [`write_json`] of a struct with those fields, but the long arrays of an answer (a
/// million-node `critiques` has 165 MB of rows, nodes and edges) are serialized on
/// every core (measured gain in [`crate::blocks`]'s module doc).
pub fn write_members(out: &mut dyn Write, members: &[(&str, Member<'_>)]) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(Block::BYTES);
    if members.is_empty() {
        return out.write_all(b"{}\n");
    }
    let failed = std::sync::Mutex::new(None::<serde_json::Error>);
    buf.push(b'{');
    for (i, (key, member)) in members.iter().enumerate() {
        buf.extend_from_slice(if i == 0 { b"\n  " } else { b",\n  " });
        Json::at(&mut buf, 1).value(key)?;
        buf.extend_from_slice(b": ");
        match member {
            Member::One(write) => write(&mut Json::at(&mut buf, 1))?,
            Member::Many(0, _) => buf.extend_from_slice(b"[]"),
            Member::Many(len, item) => {
                buf.push(b'[');
                out.write_all(&buf)?;
                buf.clear();
                let threads = crate::blocks::threads();
                crate::blocks::write_in_order(
                    *len,
                    JSON_BLOCK_ITEMS,
                    threads,
                    out,
                    |range, block: &mut Vec<u8>| {
                        for i in range {
                            block.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
                            if let Err(e) = item(i, &mut Json::at(block, 2)) {
                                let mut failed = failed
                                    .lock()
                                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                                failed.get_or_insert(e);
                            }
                        }
                    },
                )?;
                if let Some(e) = failed
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .take()
                {
                    return Err(e.into());
                }
                buf.extend_from_slice(b"\n  ]");
            }
        }
    }
    buf.extend_from_slice(b"\n}\n");
    out.write_all(&buf)
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

#[cfg(test)]
mod members_tests {
    use super::{Json, Member, write_json, write_members};
    use proptest::prelude::*;
    use serde::Serialize;

    #[derive(Debug, Clone, Serialize)]
    struct Item {
        name: String,
        tags: Vec<String>,
        n: Option<u32>,
    }

    /// What `write_members` stands for: a struct of the same members.
    #[derive(Serialize)]
    struct Whole<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        known_by: Option<u16>,
        items: &'a [Item],
        more: &'a [Item],
    }

    fn item() -> impl Strategy<Value = Item> {
        // Text a terminal would act on too, which both escape the same way.
        let text = "[a-z é\u{9b}\u{1b}\"\\\\\n]{0,6}";
        (
            text,
            prop::collection::vec(text, 0..3),
            any::<Option<u32>>(),
        )
            .prop_map(|(name, tags, n)| Item { name, tags, n })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// The members written on every core are the bytes of the struct serialized
        /// on one: empty arrays, one item, and arrays of several blocks.
        #[test]
        fn members_are_the_bytes_of_the_struct(
            known_by in any::<Option<u16>>(),
            items in prop::collection::vec(item(), 0..1800),
            more in prop::collection::vec(item(), 0..3),
        ) {
            let mut whole = Vec::new();
            write_json(&mut whole, &Whole { known_by, items: &items, more: &more }).unwrap();
            let known = |j: &mut Json<'_>| j.value(&known_by);
            let each = |i: usize, j: &mut Json<'_>| j.value(&items[i]);
            let other = |i: usize, j: &mut Json<'_>| j.value(&more[i]);
            let members = [
                ("known_by", Member::One(&known)),
                ("items", Member::Many(items.len(), &each)),
                ("more", Member::Many(more.len(), &other)),
            ];
            let mut parts = Vec::new();
            write_members(&mut parts, &members[usize::from(known_by.is_none())..]).unwrap();
            prop_assert_eq!(String::from_utf8(parts).unwrap(), String::from_utf8(whole).unwrap());
        }
    }

    #[test]
    fn no_members_is_an_empty_object() {
        let mut out = Vec::new();
        write_members(&mut out, &[]).unwrap();
        assert_eq!(out, b"{}\n");
    }
}
