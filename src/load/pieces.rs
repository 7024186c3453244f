//! Cutting a TOML document into pieces that parse on their own, one record or a few
//! each, so a large file is never held as one document tree.
//!
//! `toml` parses a whole document into a token list, an event list and a tree before any
//! of it can be read: about 26 bytes of memory for each byte of text. A 344 MB file of
//! 10^6 nodes and 2.5 x 10^6 edges took 30.5 s and 9.0 GB of peak memory to validate
//! (the same records from CSV: 1.8 s, 615 MB); cut and parsed a piece at a time, 8.4 s
//! and 1,068 MB (see `load::toml`).
//!
//! A cut is made only where parsing the pieces one by one gives exactly what parsing
//! the whole document gives. The document is lexed once with `toml_parser` (the lexer
//! the `toml` crate itself uses, so strings, comments and multi-line values are read as
//! the parser reads them), and a cut goes before an array-of-tables header `[[node]]`,
//! `[[edge]]` or `[[era]]` that starts a line outside any value. A piece then holds one
//! or more whole records, and a TOML header resets the table that keys go to, so the
//! only state one piece could share with another is a table they both name. The
//! document is therefore cut only when no two pieces can name the same table:
//!
//! - a header `[node.attrs]` or `[[node.sources]]` must follow a `[[node]]` of its own
//!   record (after an `[[edge]]` it would mean the last node, in an earlier piece);
//! - `node`, `edge` and `era` are not written at the top level in another way
//!   (`node = [...]`, `[node]`) beside their headers;
//! - any other table (`[collection]`) is opened by at most one header.
//!
//! A document that breaks one of these rules, or whose headers the cutter does not
//! recognise (a quoted key with escapes), is one piece, parsed whole as before. A
//! malformed header makes no cut, and nothing inside an unclosed bracket is cut: a
//! syntax error is found in its piece, and a file with one loads nothing, as before.

use std::ops::Range;
use toml_parser::lexer::{Token, TokenKind};

/// The most TOML text parsed as one piece: a piece costs about 26 times its size in
/// memory while parsed, so 32 MiB takes under 1 GB. A larger piece is refused.
pub(crate) const MAX_PIECE_BYTES: usize = 32 << 20;

/// The headers a document is cut at.
const RECORDS: [&str; 3] = ["node", "edge", "era"];

/// How a document is cut.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Pieces {
    /// Where each piece starts, in order; the first is 0, each ends where the next
    /// starts, and the last at the end of the text.
    pub starts: Vec<usize>,
    /// The record headers in each piece, by name (`node`, `edge`, `era`): room to
    /// reserve.
    pub records: Vec<[usize; 3]>,
}

impl Pieces {
    /// A text parsed whole.
    #[cfg(test)]
    pub fn whole() -> Self {
        Pieces {
            starts: vec![0],
            records: vec![[0; 3]],
        }
    }

    /// The record headers in the pieces `pieces`, by name.
    pub fn count(&self, pieces: Range<usize>) -> [usize; 3] {
        let mut total = [0; 3];
        for counts in &self.records[pieces] {
            for (t, c) in total.iter_mut().zip(counts) {
                *t += c;
            }
        }
        total
    }

    /// The byte ranges of the pieces of a text `len` bytes long.
    pub fn ranges(&self, len: usize) -> impl Iterator<Item = Range<usize>> + '_ {
        let ends = self.starts.iter().skip(1).copied().chain([len]);
        self.starts.iter().copied().zip(ends).map(|(s, e)| s..e)
    }
}

/// Pieces of at least this many bytes are made by joining records: a parse has a fixed
/// cost, and records joined are still few enough to hold as a tree.
const JOIN_BYTES: usize = 16 << 10;

/// Cuts `text` into pieces (see the module notes).
pub(crate) fn cut(text: &str) -> Pieces {
    cut_joining(text, JOIN_BYTES)
}

/// Cuts `text`, joining records into pieces of at least `join` bytes.
pub(crate) fn cut_joining(text: &str, join: usize) -> Pieces {
    let mut cutter = Cutter::default();
    let mut lexer = toml_parser::Source::new(text).lex().peekable();
    let mut line_start = true;
    while let Some(token) = lexer.next() {
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Comment | TokenKind::Eof => {}
            TokenKind::Newline => line_start |= cutter.depth == 0,
            TokenKind::LeftSquareBracket if line_start && cutter.depth == 0 => {
                let mut line = vec![token];
                while let Some(t) = lexer.next_if(|t| t.kind() != TokenKind::Newline) {
                    line.push(t);
                }
                cutter.header(text, &line);
            }
            kind => {
                if line_start && !cutter.in_table {
                    cutter.top_level_key(text, token);
                }
                line_start = false;
                match kind {
                    TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                        cutter.depth += 1;
                    }
                    TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                        // A stray closer is a syntax error in this piece.
                        cutter.depth = cutter.depth.saturating_sub(1);
                    }
                    _ => {}
                }
            }
        }
        if cutter.whole {
            break;
        }
    }
    if cutter.whole {
        return Pieces {
            starts: vec![0],
            records: vec![cutter.records],
        };
    }
    // Join records into pieces of at least `join` bytes; a record that large is a
    // piece of its own, so a piece too large to parse is one record, or the text before
    // the first.
    let mut starts = vec![0];
    let mut records = vec![[0; 3]];
    let ends = cutter.cuts.iter().skip(1).map(|c| c.0).chain([text.len()]);
    for (&(at, record), end) in cutter.cuts.iter().zip(ends) {
        let piece = at - starts[starts.len() - 1];
        if piece >= join.max(1) || end - at >= join {
            starts.push(at);
            records.push([0; 3]);
        }
        if let Some(counts) = records.last_mut() {
            counts[record] += 1;
        }
    }
    Pieces { starts, records }
}

#[derive(Default)]
struct Cutter {
    /// Depth of brackets and braces inside a value.
    depth: usize,
    /// Where record headers start, and which record each opens.
    cuts: Vec<(usize, usize)>,
    /// The record whose header came last.
    record: Option<usize>,
    /// A header has been seen: keys are no longer top-level.
    in_table: bool,
    /// First keys of the tables opened other than by record headers.
    tables: Vec<String>,
    /// `node`, `edge` or `era` written at the top level other than by its header.
    other_ways: [bool; 3],
    records: [usize; 3],
    /// The document must be parsed whole.
    whole: bool,
}

impl Cutter {
    /// A header line: `line` holds its tokens up to (not including) the line break.
    fn header(&mut self, text: &str, line: &[Token]) {
        self.in_table = true;
        let significant: Vec<&Token> = line
            .iter()
            .filter(|t| !matches!(t.kind(), TokenKind::Whitespace | TokenKind::Comment))
            .collect();
        let adjacent = |a: &Token, b: &Token| a.span().end() == b.span().start();
        let array = significant.len() >= 2
            && significant[1].kind() == TokenKind::LeftSquareBracket
            && adjacent(&line[0], significant[1]);
        let open = if array { 2 } else { 1 };
        let close = significant
            .iter()
            .rposition(|t| t.kind() == TokenKind::RightSquareBracket);
        // A malformed header is no cut: the parser reports it, in this piece.
        let (Some(close), true) = (close, significant.len() > open) else {
            return;
        };
        let closed = if array {
            close >= 1
                && significant[close - 1].kind() == TokenKind::RightSquareBracket
                && adjacent(significant[close - 1], significant[close])
        } else {
            true
        };
        let key_end = if array {
            close.saturating_sub(1)
        } else {
            close
        };
        // Nothing but the key between the brackets, and nothing after them.
        if !closed || close + 1 != significant.len() || key_end <= open {
            return;
        }
        let Some(first) = key(text, significant[open]) else {
            self.whole = true;
            return;
        };
        let single = key_end == open + 1;
        let record = RECORDS.iter().position(|r| *r == first);
        match record {
            Some(r) if array && single => {
                if self.other_ways[r] {
                    self.whole = true;
                }
                self.records[r] += 1;
                self.record = Some(r);
                self.cuts.push((line[0].span().start(), r));
            }
            // A table inside the current record (`[node]` alone would be another).
            Some(r) if self.record == Some(r) && !single => {}
            Some(_) => self.whole = true,
            None => {
                if self.tables.iter().any(|t| *t == first) {
                    self.whole = true;
                } else {
                    self.tables.push(first.to_string());
                }
            }
        }
    }

    /// The first token of a key-value line before any header.
    fn top_level_key(&mut self, text: &str, token: Token) {
        let Some(first) = key(text, &token) else {
            // A key the cutter cannot read could name a record table.
            self.whole = true;
            return;
        };
        if let Some(r) = RECORDS.iter().position(|r| *r == first) {
            self.other_ways[r] = true;
            if self.records[r] > 0 {
                self.whole = true;
            }
        } else if self.tables.iter().any(|t| *t == first) {
            self.whole = true;
        } else {
            self.tables.push(first.to_string());
        }
    }
}

/// A simple key's text: a bare key, or a quoted one without escapes.
fn key<'t>(text: &'t str, token: &Token) -> Option<&'t str> {
    let span = token.span();
    let raw = text.get(span.start()..span.end())?;
    match token.kind() {
        TokenKind::Atom => Some(raw),
        TokenKind::BasicString if !raw.contains('\\') => raw.get(1..raw.len() - 1),
        TokenKind::LiteralString => raw.get(1..raw.len() - 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of `text` cut at every record.
    fn pieces(text: &str) -> Vec<&str> {
        cut_joining(text, 0)
            .ranges(text.len())
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn cuts_before_each_record_header() {
        let text = "[collection]\ntitle = \"t\"\n\n[[node]]\nid = \"a\"\n[node.attrs]\nx = 1\n\n  [[edge]] # e\nfrom = \"a\"\n[[ era ]]\n";
        assert_eq!(
            pieces(text),
            vec![
                "[collection]\ntitle = \"t\"\n\n",
                "[[node]]\nid = \"a\"\n[node.attrs]\nx = 1\n\n  ",
                "[[edge]] # e\nfrom = \"a\"\n",
                "[[ era ]]\n",
            ]
        );
        let every = cut_joining(text, 0);
        assert_eq!(
            every.records,
            vec![[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
        );
        assert_eq!(every.count(0..4), [1, 1, 1]);
        // Joined, a small document is one piece.
        assert_eq!(cut(text).starts, vec![0]);
    }

    #[test]
    fn never_cuts_inside_a_value_or_comment() {
        for text in [
            "a = \"\"\"\n[[node]]\n\"\"\"\n",
            "a = '''\n[[node]]\n'''\n",
            "a = [\n[[1]],\n[[node]]\n]\n",
            "a = {\nb = [\n]\n[[node]]\n",
            "# [[node]]\nx = 1\n",
        ] {
            assert_eq!(pieces(text), vec![text], "{text:?}");
        }
    }

    /// A malformed line makes no cut, and leaves later cuts as they are: the parser
    /// reports it in its piece.
    #[test]
    fn malformed_lines_are_left_to_the_parser() {
        assert_eq!(
            pieces("[[node]\nid = \"a\"\n[[node]]\n"),
            vec!["[[node]\nid = \"a\"\n", "[[node]]\n"]
        );
        assert_eq!(pieces("a = ]\n[[node]]\n"), vec!["a = ]\n", "[[node]]\n"]);
    }

    /// Documents whose pieces could name the same table are one piece.
    #[test]
    fn whole_when_pieces_could_share_a_table() {
        for text in [
            "[[node]]\nid = \"a\"\n[[edge]]\n[node.attrs]\nx = 1\n",
            "node = [{ id = \"a\" }]\n[[node]]\nid = \"b\"\n",
            "[node]\nid = \"a\"\n[[node]]\nid = \"b\"\n",
            "[collection]\n[[node]]\n[collection]\n",
            "[collection]\n[[node]]\n[collection.more]\n",
            "\"no\\u0064e\" = []\n[[node]]\n",
            "[[\"no\\u0064e\"]]\n[[node]]\n",
        ] {
            assert_eq!(pieces(text), vec![text], "{text:?}");
        }
    }
}
