//! Locations in a file that is not held in memory, resolved by reading around them.
//!
//! A CSV file's text is not kept during a load ([`SourceMap::add_unread`]). Drawing a
//! problem in it needs a line number, a column and the one line shown: reading the whole
//! file for those cost a hundred megabytes and a vector of millions of line starts on a
//! million-row collection, to draw twenty problems. Here the file is read as a stream
//! instead, and what a problem costs is proportional to what is drawn:
//!
//! - An [`Index`] of sparse checkpoints ([`Mark`]s: text offset, file offset, line,
//!   column) is built in one pass, only as far into the file as a problem asks, and
//!   extended when a later one lies further. Finding a place then reads at most
//!   [`Reads::step`] bytes from the checkpoint before it (or less, from one of the last
//!   places found), counting line breaks with memchr.
//! - Ranges (a CSV field, a record) and the drawn line are found by reading forward
//!   from such a place, a few hundred bytes at a time.
//! - The file is read in aligned 64 KiB blocks and the last one is kept, so problems
//!   drawn one after another (they are sorted by place) rarely make a system call.
//!
//! Offsets are into the same text as [`SourceFile::text`] gives: the byte order mark
//! removed, and every invalid UTF-8 sequence replaced by U+FFFD exactly as
//! [`String::from_utf8_lossy`] does, so locations, lines and columns come out the same
//! as from the whole text, for every file. A file that can no longer be opened reads
//! as empty text, as it does there; a file changed since the load is read as it is now.
//!
//! [`SourceMap::add_unread`]: super::SourceMap::add_unread
//! [`SourceFile::text`]: super::SourceFile::text

use super::{MAX_SNIPPET_LINE, Place, Span, Window};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

/// How much is read, and how often the index keeps a checkpoint.
#[derive(Debug, Clone, Copy)]
struct Reads {
    /// Text bytes between two checkpoints: finding a place reads about this much.
    step: usize,
    /// The first read from a place when the distance to cover is short or unknown
    /// (a field, a line): reads then double.
    first: usize,
    /// Most bytes decoded at once.
    most: usize,
    /// Bytes read from the file at once, at offsets that are multiples of this, and
    /// kept: places asked for one after another are close, and are then decoded from
    /// memory without a system call.
    block: usize,
}

/// The sizes used. Tests use tiny ones, so that characters are cut by reads.
const READS: Reads = Reads {
    step: 16 * 1024,
    first: 512,
    most: 64 * 1024,
    block: 64 * 1024,
};

/// Places kept besides the checkpoints: the last few found. Showing one problem asks
/// for its record, its field and its line start, and the next problem is usually a
/// little further on: each is then read from a place just before it.
const RECENT: usize = 4;

/// What U+FFFD is in UTF-8.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// A place in the text that reading can start from: the start of a character, with
/// where it is in the file and what line and column it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    /// Offset in the text.
    t: usize,
    /// Offset of the same place in the file.
    raw: u64,
    /// Line breaks before `t`: the 0-based line.
    line: usize,
    /// Text offset where `t`'s line starts.
    line_start: usize,
    /// Characters from `line_start` to `t`: the 0-based column.
    col: usize,
}

impl Mark {
    /// The start of the text, `bom` bytes into the file.
    fn start(bom: u64) -> Self {
        Mark {
            t: 0,
            raw: bom,
            line: 0,
            line_start: 0,
            col: 0,
        }
    }

    /// Moves the mark over `text`, which follows it and ends at a character start.
    fn advance(&mut self, text: &[u8]) {
        match memchr::memrchr(b'\n', text) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', text).count();
                self.line_start = self.t + last + 1;
                self.col = chars(&text[last + 1..]);
            }
            None => self.col += chars(text),
        }
        self.t += text.len();
    }
}

/// Characters in valid UTF-8: the bytes that are not continuation bytes.
fn chars(text: &[u8]) -> usize {
    text.iter().filter(|&&b| !is_continuation(b)).count()
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The start of the character holding byte `i` of `text`, which starts a character.
fn floor(text: &[u8], mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && i < text.len() && is_continuation(text[i]) {
        i -= 1;
    }
    i
}

/// The file, read a block at a time through a cache of the last block read.
#[derive(Debug)]
struct Source {
    /// `None` when the file could not be opened: it reads as empty.
    file: Option<File>,
    /// File offset of `cache[0]`, a multiple of `block`.
    cache_at: u64,
    cache: Vec<u8>,
    block: usize,
}

impl Source {
    fn new(file: Option<File>, block: usize) -> Self {
        Source {
            file,
            cache_at: 0,
            cache: Vec::new(),
            block: block.max(1),
        }
    }

    /// Appends to `out` up to `want` bytes of the file from offset `at`; returns how
    /// many, 0 at the end of the file. An error reading ends the file too: a location
    /// is then shown as far as it could be read.
    fn read(&mut self, at: u64, want: usize, out: &mut Vec<u8>) -> usize {
        if !self.holds(at) {
            self.fill(at);
        }
        let i = usize::try_from(at - self.cache_at).unwrap_or(usize::MAX);
        let n = want.min(self.cache.len().saturating_sub(i));
        if n > 0 {
            out.extend_from_slice(&self.cache[i..i + n]);
        }
        n
    }

    fn holds(&self, at: u64) -> bool {
        at.checked_sub(self.cache_at)
            .is_some_and(|i| i < self.cache.len() as u64)
    }

    /// Reads the block holding offset `at` into the cache.
    fn fill(&mut self, at: u64) {
        self.cache_at = at - at % self.block as u64;
        self.cache.clear();
        self.cache.resize(self.block, 0);
        let mut got = 0;
        if let Some(mut file) = self.file.as_ref()
            && file.seek(SeekFrom::Start(self.cache_at)).is_ok()
        {
            while got < self.cache.len() {
                match file.read(&mut self.cache[got..]) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
        }
        self.cache.truncate(got);
    }
}

/// A file decoded as a stream, a block at a time, into the text [`SourceFile::text`]
/// would give.
///
/// [`SourceFile::text`]: super::SourceFile::text
struct Decoder<'s> {
    source: &'s mut Source,
    /// File offset of the next read.
    next_raw: u64,
    /// Bytes read but not decoded yet: a character cut by the end of a read.
    pending: Vec<u8>,
    /// Size of the next read, and the most.
    want: usize,
    most: usize,
    done: bool,
    /// Text offset of `text[0]`.
    t: usize,
    /// File offset of `text[0]`.
    raw: u64,
    /// The current block, whole characters only.
    text: Vec<u8>,
    /// Replacement characters in the block: their offset in it and how many file bytes
    /// each stands for.
    replaced: Vec<(usize, usize)>,
}

impl<'s> Decoder<'s> {
    /// A decoder starting at `from`, reading `want` bytes first and at most `most`.
    fn new(source: &'s mut Source, from: Mark, want: usize, most: usize) -> Self {
        Decoder {
            source,
            next_raw: from.raw,
            pending: Vec::new(),
            want: want.clamp(1, most),
            most,
            done: false,
            t: from.t,
            raw: from.raw,
            text: Vec::new(),
            replaced: Vec::new(),
        }
    }

    /// Decodes the next block into `text`; false at the end of the file. `t` then is
    /// the text's length.
    fn next(&mut self) -> bool {
        self.t += self.text.len();
        self.text.clear();
        self.replaced.clear();
        while !self.done {
            self.raw = self.next_raw - self.pending.len() as u64;
            let eof = self.read() == 0;
            let used = decode(&self.pending, eof, &mut self.text, &mut self.replaced);
            self.pending.drain(..used);
            self.done = eof;
            if !self.text.is_empty() {
                return true;
            }
        }
        false
    }

    /// Reads the next bytes onto `pending`; 0 at the end of the file.
    fn read(&mut self) -> usize {
        let n = self
            .source
            .read(self.next_raw, self.want, &mut self.pending);
        self.next_raw += n as u64;
        self.want = (self.want * 2).min(self.most);
        n
    }

    /// File offset of byte `i` of the block, a character start.
    fn raw_at(&self, i: usize) -> u64 {
        let grown: usize = self
            .replaced
            .iter()
            .take_while(|&&(at, _)| at < i)
            .map(|&(_, len)| REPLACEMENT.len() - len)
            .sum();
        self.raw + (i - grown) as u64
    }
}

/// Decodes `bytes` as [`String::from_utf8_lossy`] does onto `text`, noting each
/// replacement; returns how many bytes were used. A character cut by the end of
/// `bytes` is left for the next read, unless the file ends there (`eof`).
fn decode(
    bytes: &[u8],
    eof: bool,
    text: &mut Vec<u8>,
    replaced: &mut Vec<(usize, usize)>,
) -> usize {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => {
                text.extend_from_slice(rest);
                return bytes.len();
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                text.extend_from_slice(valid);
                let bad = match e.error_len() {
                    Some(n) => n,
                    None if eof => after.len(),
                    None => return bytes.len() - after.len(),
                };
                replaced.push((text.len(), bad));
                text.extend_from_slice(REPLACEMENT);
                rest = &after[bad..];
            }
        }
    }
}

/// Reads the text forward a byte at a time from a place.
struct Cursor<'s> {
    decoder: Decoder<'s>,
    /// Next byte in the decoder's block.
    i: usize,
    more: bool,
}

impl<'s> Cursor<'s> {
    fn new(source: &'s mut Source, from: Mark, reads: Reads) -> Self {
        let mut decoder = Decoder::new(source, from, reads.first, reads.most);
        let more = decoder.next();
        Cursor {
            decoder,
            i: 0,
            more,
        }
    }

    /// Text offset of the next byte.
    fn pos(&self) -> usize {
        self.decoder.t + self.i
    }

    /// The next byte, or `None` at the end of the text.
    fn peek(&mut self) -> Option<u8> {
        while self.more && self.i == self.decoder.text.len() {
            self.more = self.decoder.next();
            self.i = 0;
        }
        self.more.then(|| self.decoder.text[self.i])
    }

    /// Steps over the byte `peek` gave.
    fn bump(&mut self) {
        self.i += 1;
    }
}

/// Checkpoints of a file's text, from its start as far as it has been read.
#[derive(Debug)]
struct Index {
    /// Marks about [`Reads::step`] bytes apart, the first at the start of the text.
    checkpoints: Vec<Mark>,
    /// How far the index has been built.
    frontier: Mark,
    /// The last few places found (at most [`RECENT`]).
    recent: Vec<Mark>,
    /// The text's length, once the index reaches the end.
    len: Option<usize>,
    reads: Reads,
}

impl Index {
    fn new(bom: u64, reads: Reads) -> Self {
        let start = Mark::start(bom);
        Index {
            checkpoints: vec![start],
            frontier: start,
            recent: Vec::new(),
            len: None,
            reads,
        }
    }

    /// The mark at the start of the character holding text offset `target`, or at the
    /// end of the text when `target` is past it. Extends the index when `target` lies
    /// beyond it.
    fn seek(&mut self, source: &mut Source, target: usize) -> Mark {
        let mark = if self.frontier.t <= target {
            if self.len.is_some() || self.frontier.t == target {
                return self.frontier;
            }
            self.walk(source, self.frontier, target, true)
        } else {
            // The closest place before the target.
            let i = self.checkpoints.partition_point(|m| m.t <= target);
            let mut from = self.checkpoints[i.saturating_sub(1)];
            for &m in &self.recent {
                if m.t <= target && m.t > from.t {
                    from = m;
                }
            }
            if from.t == target {
                return from;
            }
            self.walk(source, from, target, false)
        };
        if self.recent.len() == RECENT {
            self.recent.remove(0);
        }
        self.recent.push(mark);
        mark
    }

    /// Reads from `from` to `target`; when `extend`, `from` is the frontier, and
    /// checkpoints are added on the way.
    fn walk(&mut self, source: &mut Source, from: Mark, target: usize, extend: bool) -> Mark {
        // The text is at least as long as the file bytes it comes from: a short distance
        // needs one short read (a few bytes more, to see the character at `target`); a
        // long one, reads that double.
        let want = (target - from.t).saturating_add(8).max(self.reads.first);
        let mut decoder = Decoder::new(source, from, want, self.reads.most);
        let mut mark = from;
        while decoder.next() {
            let text = &decoder.text;
            let block_end = decoder.t + text.len();
            if extend {
                while let Some(&last) = self.checkpoints.last() {
                    let due = last.t + self.reads.step;
                    if due >= block_end.min(target) {
                        break;
                    }
                    let at = floor(text, due.saturating_sub(decoder.t)).max(mark.t - decoder.t);
                    if decoder.t + at <= last.t {
                        break;
                    }
                    mark.advance(&text[mark.t - decoder.t..at]);
                    mark.raw = decoder.raw_at(at);
                    self.checkpoints.push(mark);
                }
            }
            let stop = if target < block_end {
                floor(text, target - decoder.t)
            } else {
                text.len()
            };
            mark.advance(&text[mark.t - decoder.t..stop]);
            mark.raw = decoder.raw_at(stop);
            if target < block_end {
                if extend {
                    self.frontier = mark;
                }
                return mark;
            }
        }
        if extend {
            self.frontier = mark;
            self.len = Some(mark.t);
        }
        mark
    }

    /// `offset`, or the text's length when it is past the end.
    fn clamp(&mut self, source: &mut Source, offset: usize) -> usize {
        self.seek(source, offset);
        self.len.map_or(offset, |len| offset.min(len))
    }

    /// A cursor at text offset `offset`, or at the end of the text when it is past it.
    fn cursor<'s>(&mut self, source: &'s mut Source, offset: usize) -> Cursor<'s> {
        let from = self.seek(source, offset);
        let mut cursor = Cursor::new(source, from, self.reads);
        while cursor.pos() < offset && cursor.peek().is_some() {
            cursor.bump();
        }
        cursor
    }
}

/// A file's text read on demand: what [`SourceFile`](super::SourceFile) uses for a file
/// whose text is not in memory.
#[derive(Debug)]
pub(super) struct Streamed {
    /// The file and its index, from the first time a place in it is asked for.
    opened: Option<(Source, Index)>,
    reads: Reads,
}

impl Streamed {
    /// Nothing read yet.
    pub(super) fn new() -> Self {
        Streamed {
            opened: None,
            reads: READS,
        }
    }

    /// Opens the file, looking for a byte order mark. A file that cannot be opened
    /// reads as empty.
    fn open(&mut self, path: &Path) -> (&mut Source, &mut Index) {
        let reads = self.reads;
        let (source, index) = self.opened.get_or_insert_with(|| {
            let mut source = Source::new(File::open(path).ok(), reads.block);
            let mut head = Vec::new();
            while head.len() < 3 && source.read(head.len() as u64, 3 - head.len(), &mut head) > 0 {}
            let bom = head == b"\xEF\xBB\xBF";
            (source, Index::new(if bom { 3 } else { 0 }, reads))
        });
        (source, index)
    }

    /// 1-based line and character column of a text offset, as
    /// [`SourceFile::line_column`](super::SourceFile::line_column) gives.
    pub(super) fn line_column(&mut self, path: &Path, offset: usize) -> (usize, usize) {
        let (source, index) = self.open(path);
        let mark = index.seek(source, offset);
        (mark.line + 1, mark.col + 1)
    }

    /// The byte range of a span, as [`SourceMap::range`](super::SourceMap::range) gives.
    pub(super) fn range(&mut self, path: &Path, span: Span) -> Range<usize> {
        let (source, index) = self.open(path);
        match span {
            Span::Bytes { start, end } => {
                let end = index.clamp(source, end as usize);
                (start as usize).min(end)..end
            }
            Span::CsvField { record, column } => {
                let mut cursor = index.cursor(source, record as usize);
                skip_line_breaks(&mut cursor);
                csv_field(&mut cursor, usize::from(column))
            }
            Span::CsvRecord { record } => {
                let mut cursor = index.cursor(source, record as usize);
                skip_line_breaks(&mut cursor);
                let start = cursor.pos();
                while cursor.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    cursor.bump();
                }
                start..cursor.pos()
            }
        }
    }

    /// The line holding `range.start`, cropped around it, as `Window::new` draws it
    /// from the whole text.
    pub(super) fn window(&mut self, path: &Path, range: Range<usize>) -> Window {
        let (source, index) = self.open(path);
        let at = index.seek(source, range.start);
        let (start, line_start) = (at.t, at.line_start);
        // The whole line when it has at most MAX_SNIPPET_LINE characters; else a
        // window that starts a little before the problem.
        let whole = (at.col <= MAX_SNIPPET_LINE)
            .then(|| {
                let from = index.seek(source, line_start);
                take_line(source, from, start, index.reads)
            })
            .filter(|taken| taken.at_line_end);
        let taken = whole.unwrap_or_else(|| {
            let before = start.saturating_sub(MAX_SNIPPET_LINE / 4);
            let from = index.seek(source, before.max(line_start));
            take_line(source, from, start, index.reads)
        });
        let (crop_start, crop_end) = (taken.start, taken.end);
        let end = match range.end.max(start) {
            // Ends past the drawn text (or the line): underline to its end.
            end if end >= crop_end => crop_end,
            end => crop_start + floor(&taken.text, end - crop_start),
        };
        let marker = if crop_start > line_start { "…" } else { "" };
        let start = start.clamp(crop_start, crop_end);
        let end = end.clamp(crop_start, crop_end);
        Window::assemble(
            path,
            Place {
                line: at.line,
                column: at.col,
                origin: crop_start,
            },
            marker,
            &String::from_utf8_lossy(&taken.text),
            !taken.at_line_end,
            start - crop_start..end - crop_start,
        )
    }
}

/// Text of a line taken from a place.
struct Taken {
    text: Vec<u8>,
    /// Text offsets the text runs between.
    start: usize,
    end: usize,
    /// True when `end` is the end of the line; false when the text stopped at
    /// [`MAX_SNIPPET_LINE`] characters.
    at_line_end: bool,
}

/// At most [`MAX_SNIPPET_LINE`] characters of a line from `from`. The line ends at the
/// first `\n` or `\r` at or after `start`, or at the end of the text.
fn take_line(source: &mut Source, from: Mark, start: usize, reads: Reads) -> Taken {
    let mut cursor = Cursor::new(source, from, reads);
    let mut text = Vec::new();
    let mut taken = 0;
    let at_line_end = loop {
        match cursor.peek() {
            None => break true,
            Some(b'\n' | b'\r') if cursor.pos() >= start => break true,
            Some(_) if taken == MAX_SNIPPET_LINE => break false,
            Some(b) => {
                text.push(b);
                cursor.bump();
                taken += 1;
            }
        }
        while let Some(b) = cursor.peek().filter(|&b| is_continuation(b)) {
            text.push(b);
            cursor.bump();
        }
    };
    Taken {
        text,
        start: from.t,
        end: cursor.pos(),
        at_line_end,
    }
}

/// Steps over line breaks: where a CSV record really starts (see `record_start`).
fn skip_line_breaks(cursor: &mut Cursor<'_>) {
    while cursor.peek().is_some_and(|b| b == b'\n' || b == b'\r') {
        cursor.bump();
    }
}

/// The range of field `column` of the record at the cursor, as `csv_field_range` finds
/// it in the whole text.
fn csv_field(cursor: &mut Cursor<'_>, column: usize) -> Range<usize> {
    let mut field = 0;
    loop {
        let start = cursor.pos();
        let mut quoted = false;
        while let Some(b) = cursor.peek() {
            match b {
                b'"' => quoted = !quoted,
                b',' if !quoted => break,
                b'\n' | b'\r' if !quoted => break,
                _ => {}
            }
            cursor.bump();
        }
        if field == column {
            return start..cursor.pos();
        }
        if cursor.peek() != Some(b',') {
            // The record has fewer fields: point at its end.
            let end = cursor.pos();
            return end..end;
        }
        cursor.bump();
        field += 1;
    }
}

#[cfg(test)]
mod tests {
    //! The streamed resolution against the whole text's, on tricky files: every span
    //! at every offset must resolve to the same range, position and drawn window.

    use super::*;
    use crate::diag::{Code, FileId, Loc, Problem, RenderOptions, SourceMap, render};
    use proptest::prelude::*;
    use std::sync::Mutex;

    /// Reads small enough that characters are cut by reads and checkpoints are many.
    const TINY: Reads = Reads {
        step: 8,
        first: 1,
        most: 5,
        block: 7,
    };

    /// A file holding `bytes`, in a source map twice: read whole (`.1`), and streamed
    /// with the real read sizes (`.2`) and tiny ones (`.3`).
    fn files(bytes: &[u8]) -> (tempfile::TempDir, SourceMap, FileId, [FileId; 2]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        std::fs::write(&path, bytes).unwrap();
        let mut map = SourceMap::default();
        let whole = map.add_unread(path.clone());
        map.file(whole).text();
        let streamed = map.add_unread(path.clone());
        let tiny = map.add_unread(path);
        map.files[tiny.0 as usize].streamed = Mutex::new(Streamed {
            opened: None,
            reads: TINY,
        });
        (dir, map, whole, [streamed, tiny])
    }

    fn spans(len: usize) -> Vec<Span> {
        let mut spans = Vec::new();
        for at in 0..=len + 2 {
            let at32 = at as u32;
            spans.push(Span::CsvRecord { record: at32 });
            for column in 0..5 {
                spans.push(Span::CsvField {
                    record: at32,
                    column,
                });
            }
            for width in [0, 1, 3, 50] {
                spans.push(Span::Bytes {
                    start: at32,
                    end: at32 + width,
                });
            }
        }
        spans.push(Span::Bytes { start: 5, end: 2 });
        spans
    }

    /// Everything shown about `span` in the file `id`, with `id`'s own name replaced.
    fn shown(map: &SourceMap, id: FileId, span: Span, other: Span) -> String {
        let loc = Loc { file: id, span };
        let file = map.file(id);
        let range = map.range(loc);
        let position = map.position(loc);
        let window = crate::diag::Window::new(file, range.clone());
        let problem = Problem::error(Code::Syntax, loc, "a problem")
            .label("here")
            .related(
                Loc {
                    file: id,
                    span: other,
                },
                "there",
            );
        let mut drawn = String::new();
        let options = RenderOptions {
            color: false,
            width: 100,
        };
        render(&problem, map, options, &mut drawn);
        format!(
            "range {range:?} line {} column {} line_column {:?}\n\
             window {:?} line {} origin {} marker {} column {} primary {:?}\n{drawn}",
            position.line,
            position.column,
            file.line_column(span.order().0 as usize),
            window.text,
            window.line,
            window.origin,
            window.marker,
            window.column,
            window.primary,
        )
    }

    /// Every span resolves in the streamed files as in the whole text.
    fn same_everywhere(bytes: &[u8]) {
        let (_dir, map, whole, streamed) = files(bytes);
        let len = map.file(whole).text().len();
        let spans = spans(len);
        for (i, &span) in spans.iter().enumerate() {
            // A related place on the same line or another, to draw it both ways.
            let other = spans[(i * 7 + 3) % spans.len()];
            let expected = shown(&map, whole, span, other);
            for id in streamed {
                assert_eq!(
                    shown(&map, id, span, other),
                    expected,
                    "{span:?} in {:?}",
                    String::from_utf8_lossy(bytes)
                );
                assert!(map.file(id).text.get().is_none(), "text read whole");
            }
        }
    }

    #[test]
    fn bom_and_crlf() {
        same_everywhere(b"\xEF\xBB\xBFid,kind,name\r\na,b,c\r\n\r\nd,e,f\r\n");
        same_everywhere(b"\xEF\xBB\xBF");
        same_everywhere(b"\xEF\xBB");
        same_everywhere(b"");
    }

    #[test]
    fn lone_carriage_returns() {
        same_everywhere(b"id,name\ra,b\rc,\"d\re\"\r");
    }

    #[test]
    fn quoted_fields_over_several_lines() {
        same_everywhere(b"id,name,note\na,\"x\ny, \"\"z\"\"\nw\",n\nb,\"q\"\"r\",\n\"c\n\",d,e\n");
        // An unterminated quote runs to the end of the file.
        same_everywhere(b"id,name\na,\"open\nb,c\nd,e");
    }

    #[test]
    fn characters_before_the_column() {
        same_everywhere("id,name,x\né€😀,ü,bad\nçà,\"ß,ø\",日本語\n".as_bytes());
    }

    #[test]
    fn last_line_without_line_break() {
        same_everywhere(b"id,name\na,b\nc,d");
        same_everywhere(b"id,name\na,b\nc,d\r");
    }

    #[test]
    fn invalid_utf8_is_replaced_as_in_the_text() {
        same_everywhere(b"id,name\nc\xFF,d\n\xC3(,\xE2\x82,e\nf,\xF0\x9F\x98");
        same_everywhere(b"a\xE2\x82\xE2,b\n\x80\x80,\xEDx\n");
    }

    #[test]
    fn long_lines() {
        let mut text = String::from("id,name,note\n");
        for width in [119, 120, 121, 400] {
            let line: String = "é,a😀b,".chars().cycle().take(width).collect();
            text.push_str(&line);
            text.push('\n');
        }
        text.push_str(&"x".repeat(130));
        same_everywhere(text.as_bytes());
    }

    #[test]
    fn long_file_with_real_read_sizes() {
        // Past several checkpoints and reads of the real sizes.
        let mut text = String::from("id,name\r\n");
        for i in 0..30_000 {
            text.push_str(&format!("n-{i},\"Ñame {i}\"\r\n"));
            if i % 997 == 0 {
                text.push_str(&format!("q-{i},\"two\nlines\"\r\n"));
            }
        }
        let (_dir, map, whole, streamed) = files(text.as_bytes());
        let offsets = text.match_indices('\n').map(|(i, _)| i + 1);
        for at in offsets.step_by(97).chain([text.len() + 5]) {
            let other = Span::csv_field(at / 2, 0);
            for span in [Span::csv_field(at, 1), Span::csv_record(at)] {
                let expected = shown(&map, whole, span, other);
                for id in streamed {
                    assert_eq!(shown(&map, id, span, other), expected, "{span:?}");
                }
            }
        }
    }

    #[test]
    fn reads_only_as_far_as_the_problems() {
        let text: String = (0..100_000).map(|i| format!("n-{i},name {i}\n")).collect();
        let (_dir, map, _, [streamed, _]) = files(text.as_bytes());
        let at = text.find("n-300,").unwrap();
        let problem = Problem::error(
            Code::Syntax,
            Loc::bytes(streamed, at..at + 5),
            "near the start",
        );
        let mut drawn = String::new();
        let options = RenderOptions {
            color: false,
            width: 100,
        };
        render(&problem, &map, options, &mut drawn);
        assert!(drawn.contains("data.csv:301:1"), "{drawn}");
        let file = map.file(streamed);
        let guard = file.streamed.lock().unwrap();
        let (source, index) = guard.opened.as_ref().unwrap();
        assert!(file.text.get().is_none());
        assert!(
            index.frontier.t < 2 * READS.most,
            "read to {}",
            index.frontier.t
        );
        assert!(source.cache.len() <= READS.block);
        assert!(index.len.is_none(), "read to the end");
    }

    #[test]
    fn backwards_and_forwards() {
        // Places asked for out of order use the checkpoints, not only the frontier.
        let text: String = (0..200).map(|i| format!("r{i},ü{i}\n")).collect();
        let (_dir, map, whole, streamed) = files(text.as_bytes());
        for at in [1500, 20, 900, 2100, 0, 5000, 1499, 3] {
            let span = Span::csv_field(at, 1);
            let expected = shown(&map, whole, span, span);
            for id in streamed {
                assert_eq!(shown(&map, id, span, span), expected, "{span:?}");
            }
        }
    }

    #[test]
    fn deleted_file_shows_without_snippet() {
        let (dir, map, _, streamed) = files(b"id,name\na,b\n");
        let path = dir.path().join("data.csv");
        std::fs::remove_file(&path).unwrap();
        let mut gone = SourceMap::default();
        let whole = gone.add_unread(path);
        assert_eq!(gone.file(whole).text(), "");
        for span in spans(12) {
            let expected = shown(&gone, whole, span, span);
            for id in streamed {
                assert_eq!(shown(&map, id, span, span), expected, "{span:?}");
            }
            let p = map.position(Loc {
                file: streamed[0],
                span,
            });
            assert_eq!((p.line, p.column, p.range), (1, 1, 0..0));
        }
    }

    #[test]
    fn file_changed_after_indexing_does_not_panic() {
        let text: String = (0..100).map(|i| format!("r{i},v{i}\n")).collect();
        let (dir, map, _, streamed) = files(text.as_bytes());
        let path = dir.path().join("data.csv");
        for id in streamed {
            map.position(Loc {
                file: id,
                span: Span::csv_field(text.len() - 4, 1),
            });
        }
        std::fs::write(&path, "r0,v0\n\u{e9}").unwrap();
        for id in streamed {
            for span in spans(text.len()) {
                let _ = shown(&map, id, span, Span::csv_record(0));
            }
        }
    }

    proptest! {
        // Each case resolves a few hundred spans three ways and draws them.
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn any_bytes_resolve_as_in_the_text(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    &b"a"[..], b"bc", b",", b"\"", b"\n", b"\r\n", b"\r", "é".as_bytes(),
                    "€".as_bytes(), "😀".as_bytes(), b"\xFF", b"\xC3", b"\xE2\x82",
                    b"\xEF\xBB\xBF",
                ]),
                0..24,
            )
        ) {
            same_everywhere(&parts.concat());
        }
    }
}
