//! Problems found in data, where they are, and how they are shown.
//!
//! Loading and checking never stop at the first problem: they return every
//! [`Problem`] they find, each carrying a [`Loc`] into a file of the [`SourceMap`].
//! Rendering is separate: [`Report`] draws the problems with miette (file:line:column,
//! the offending text underlined, a hint) or lists them as JSON.
//!
//! **Architecture invariant:** a problem is data. Nothing here prints while loading;
//! the command decides how and whether to show problems.

use miette::{Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

mod code;

pub use code::Code;

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A place in a source file.
///
/// CSV fields are located lazily: storing a byte range for every field of a million-row
/// file would cost more than the rare error it serves, so a CSV location keeps the byte
/// offset of its record and the column, and is resolved only when shown. Offsets are
/// 32-bit (files are at most 4 GiB; the loader says so) to keep every record's
/// locations small: a `Loc` is 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Span {
    /// A byte range.
    Bytes {
        /// First byte.
        start: u32,
        /// One past the last byte.
        end: u32,
    },
    /// A field of a CSV record: the record's first byte and the column index.
    CsvField {
        /// Byte offset where the record starts.
        record: u32,
        /// Zero-based column.
        column: u16,
    },
    /// A whole CSV record, from its first byte.
    CsvRecord {
        /// Byte offset where the record starts.
        record: u32,
    },
}

/// The largest file the loader reads: offsets in a [`Span`] are 32-bit.
pub const MAX_FILE_BYTES: usize = u32::MAX as usize;

fn offset32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl Span {
    /// Field `column` of the CSV record starting at byte `record`.
    pub fn csv_field(record: usize, column: usize) -> Self {
        Span::CsvField {
            record: offset32(record),
            column: u16::try_from(column).unwrap_or(u16::MAX),
        }
    }

    /// The CSV record starting at byte `record`.
    pub fn csv_record(record: usize) -> Self {
        Span::CsvRecord {
            record: offset32(record),
        }
    }

    /// A key that orders spans of one file as their starts in the text do, without
    /// reading it: a record's fields follow each other, and records follow their
    /// offsets. Sorting problems then needs no file that is not shown.
    pub fn order(self) -> (u32, u16) {
        match self {
            Span::Bytes { start, .. } => (start, 0),
            Span::CsvField { record, column } => (record, column),
            Span::CsvRecord { record } => (record, 0),
        }
    }
}

/// A file and a span in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// The place in it.
    pub span: Span,
}

impl Loc {
    /// A byte range in `file`.
    pub fn bytes(file: FileId, range: std::ops::Range<usize>) -> Self {
        Loc {
            file,
            span: Span::Bytes {
                start: offset32(range.start),
                end: offset32(range.end),
            },
        }
    }
}

/// One loaded file: its display path and, when kept, its text (BOM removed).
///
/// A CSV file is parsed as a stream, and a TOML file over a megabyte is dropped once
/// parsed: their text is not kept. A place in any file is found the same way, from the
/// bytes around it (a slice of the kept text, or a read of the file there) and an index
/// of line breaks per 64 KiB block built the first time a place is asked for. Drawing
/// twenty problems in a million-row file then reads a few blocks, not the whole file
/// into memory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or found, for messages.
    pub path: PathBuf,
    /// The text, when kept or once read whole. Spans index into it.
    text: OnceLock<String>,
    /// Where lines are, built the first time a place is asked for.
    index: OnceLock<LineIndex>,
    /// For a CSV file, the byte that separates its fields (`,`, or the `;` or tab the
    /// reader found in its header), to find a field again when a problem is shown.
    delimiter: u8,
}

/// Bytes of text per block of a [`LineIndex`].
const BLOCK: usize = 1 << 16;

/// What finding a place in a file needs besides the bytes around it.
#[derive(Debug, Clone)]
struct LineIndex {
    /// Bytes of byte order mark before the text, in the file.
    bom: u64,
    /// Bytes of text.
    len: usize,
    /// `newlines[k]`: the line breaks (`\n`) before byte `k * BLOCK` of the text.
    newlines: Vec<u32>,
}

impl SourceFile {
    fn new(path: PathBuf, text: OnceLock<String>) -> Self {
        SourceFile {
            path,
            text,
            index: OnceLock::new(),
            delimiter: b',',
        }
    }

    /// The text (BOM removed; invalid UTF-8 replaced, as when it was loaded), read from
    /// the file the first time it is needed. A file that can no longer be read gives
    /// empty text: locations in it then show without a snippet.
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| match std::fs::read(&self.path) {
            Ok(mut bytes) => {
                if bytes.starts_with(b"\xEF\xBB\xBF") {
                    bytes.drain(..3);
                }
                String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
            }
            Err(_) => String::new(),
        })
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| {
            let mut index = LineIndex {
                bom: 0,
                len: 0,
                newlines: vec![0],
            };
            let mut count = |block: &[u8]| {
                let before = index.newlines.last().copied().unwrap_or(0);
                let n = memchr::memchr_iter(b'\n', block).count() as u32;
                index.newlines.push(before.saturating_add(n));
                index.len += block.len();
            };
            if let Some(text) = self.text.get() {
                text.as_bytes().chunks(BLOCK).for_each(count);
            } else if let Ok(mut file) = std::fs::File::open(&self.path) {
                use std::io::Read;
                let mut block = Vec::with_capacity(BLOCK);
                let mut first = true;
                loop {
                    block.clear();
                    match (&mut file).take(BLOCK as u64).read_to_end(&mut block) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {}
                    }
                    if first && block.starts_with(b"\xEF\xBB\xBF") {
                        // Blocks are counted in the text: after the mark.
                        index.bom = 3;
                        block.drain(..3);
                        let mut more = Vec::with_capacity(3);
                        if (&mut file).take(3).read_to_end(&mut more).is_ok() {
                            block.extend(more);
                        }
                    }
                    first = false;
                    count(&block);
                }
            }
            index
        })
    }

    /// Whether this is a CSV file (by its name), whose problems speak of cells.
    pub fn is_csv(&self) -> bool {
        self.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    }

    /// Bytes of text.
    pub fn len(&self) -> usize {
        self.index().len
    }

    /// True when the file has no text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of the text in `range` (cut to the text), from the kept text or read
    /// from the file; invalid UTF-8 as it is.
    fn bytes(&self, range: Range<usize>) -> Cow<'_, [u8]> {
        let len = self.len();
        let range = range.start.min(len)..range.end.min(len);
        if let Some(text) = self.text.get() {
            return Cow::Borrowed(text.as_bytes().get(range).unwrap_or_default());
        }
        use std::io::{Read, Seek};
        let mut out = Vec::with_capacity(range.len());
        if let Ok(mut file) = std::fs::File::open(&self.path)
            && file
                .seek(std::io::SeekFrom::Start(
                    self.index().bom + range.start as u64,
                ))
                .is_ok()
        {
            let _ = file.take(range.len() as u64).read_to_end(&mut out);
        }
        Cow::Owned(out)
    }

    /// Reads forward from `start` in growing pieces until `find` answers for the bytes
    /// read so far (and whether they reach the end of the text), or `most` bytes are read.
    fn find_from<R>(
        &self,
        start: usize,
        most: usize,
        mut find: impl FnMut(&[u8], bool) -> Option<R>,
    ) -> Option<R> {
        let mut want = 512;
        loop {
            let end = start.saturating_add(want.min(most)).min(self.len());
            let bytes = self.bytes(start..end);
            let at_end = end == self.len();
            if let Some(found) = find(&bytes, at_end) {
                return Some(found);
            }
            if at_end || want >= most {
                return None;
            }
            want *= 2;
        }
    }

    /// 0-based line of byte `offset`, and the byte where that line starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let index = self.index();
        let offset = offset.min(index.len);
        let block = offset / BLOCK;
        let head = self.bytes(block * BLOCK..offset);
        let line = index.newlines[block] as usize + memchr::memchr_iter(b'\n', &head).count();
        let start = match memchr::memrchr(b'\n', &head) {
            Some(i) => block * BLOCK + i + 1,
            None if index.newlines[block] == 0 => 0,
            None => {
                // The line began in the last block before this one that holds a break.
                let last = index
                    .newlines
                    .partition_point(|&n| n < index.newlines[block])
                    - 1;
                let bytes = self.bytes(last * BLOCK..(last + 1) * BLOCK);
                last * BLOCK + memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1)
            }
        };
        (line, start)
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let (line, start) = self.line_of(offset);
        let head = self.bytes(start..offset);
        // An offset inside a character counts from the character's start.
        let head = match std::str::from_utf8(&head) {
            Err(e) if e.error_len().is_none() => &head[..e.valid_up_to()],
            _ => &head[..],
        };
        (line + 1, String::from_utf8_lossy(head).chars().count() + 1)
    }

    /// Where a CSV record really starts. The csv crate reports a record after a CRLF
    /// line end as starting at the `\n` (it ends the previous record at the `\r`),
    /// which drew every problem of a CRLF file on the line above it. No record starts
    /// with a line break (blank lines are skipped), so line-break bytes are skipped.
    fn record_start(&self, offset: usize) -> usize {
        let skipped = self.find_from(offset, usize::MAX, |b, end| {
            b.iter()
                .position(|&c| !matches!(c, b'\r' | b'\n'))
                .or(end.then_some(b.len()))
        });
        offset + skipped.unwrap_or(0)
    }
}

/// Every file read during a load, so problems can be shown with their context.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

/// A location resolved to what a person reads: file, line and column (1-based, columns
/// in characters) and the byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The file's display path.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The byte range in the file's text.
    pub range: std::ops::Range<usize>,
}

impl SourceMap {
    /// Adds a file with its text and returns its id.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile::new(path, OnceLock::from(text)));
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    /// Adds a file whose text is not kept: problems in it are shown by reading only
    /// around them, from `path`.
    pub fn add_unread(&mut self, path: PathBuf) -> FileId {
        self.files.push(SourceFile::new(path, OnceLock::new()));
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    /// Records the field separator the CSV reader found in a file (`,` until then).
    pub fn set_delimiter(&mut self, id: FileId, delimiter: u8) {
        if let Some(file) = self.files.get_mut(id.0 as usize) {
            file.delimiter = delimiter;
        }
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file behind an id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Resolves a location to a byte range, finding CSV fields on demand.
    pub fn range(&self, loc: Loc) -> Range<usize> {
        let file = self.file(loc.file);
        let len = file.len();
        let clamp = |r: Range<usize>| r.start.min(len)..r.end.min(len);
        match loc.span {
            Span::Bytes { start, end } => {
                let end = (end as usize).min(len);
                (start as usize).min(end)..end
            }
            Span::CsvField { record, column } => {
                let record = file.record_start(record as usize);
                let field = file.find_from(record, usize::MAX, |b, end| {
                    csv_field_range(b, usize::from(column), end, file.delimiter)
                });
                clamp(field.map_or(len..len, |f| record + f.start..record + f.end))
            }
            Span::CsvRecord { record } => {
                let record = file.record_start(record as usize);
                let end = file.find_from(record, usize::MAX, |b, end| {
                    memchr::memchr2(b'\n', b'\r', b).or(end.then_some(b.len()))
                });
                clamp(record..end.map_or(len, |e| record + e))
            }
        }
    }

    /// Resolves a location to file, line and column.
    pub fn position(&self, loc: Loc) -> Position {
        let file = self.file(loc.file);
        let range = self.range(loc);
        let (line, column) = file.line_column(range.start);
        Position {
            path: visible(&file.path.display().to_string()).into_owned(),
            line,
            column,
            range,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The range of field `column` of the CSV record at the start of `bytes`, as written
/// (quotes included), honouring quotes; the record's end when it has fewer fields.
/// `None` when `bytes` end before the field does and are not the end of the text.
/// Fields are separated by `delimiter`.
fn csv_field_range(
    bytes: &[u8],
    column: usize,
    at_end: bool,
    delimiter: u8,
) -> Option<Range<usize>> {
    let mut i = 0;
    let mut field = 0;
    loop {
        let start = i;
        let mut quoted = false;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => quoted = !quoted,
                b if b == delimiter && !quoted => break,
                b'\n' | b'\r' if !quoted => break,
                _ => {}
            }
            i += 1;
        }
        if i == bytes.len() && !at_end {
            return None;
        }
        if field == column {
            return Some(start..i);
        }
        if i >= bytes.len() || bytes[i] != delimiter {
            // The record has fewer fields: point at its end.
            return Some(i..i);
        }
        i += 1;
        field += 1;
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data is wrong; commands refuse to use it.
    Error,
    /// The data is suspicious; `--strict` makes it an error.
    Warning,
}

/// One thing wrong with the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem it is; its kebab-case spelling is stable.
    pub code: Code,
    /// What is wrong, in lower case, without a full stop.
    pub message: String,
    /// Where, when it is in a file.
    pub loc: Option<Loc>,
    /// Text under the underline.
    pub label: String,
    /// What to do about it.
    pub help: Option<String>,
    /// What to do about it when the place is in a CSV file, where `help` would speak
    /// TOML (a cell to fill in rather than a `key = value` to add); `help` otherwise.
    pub csv_help: Option<String>,
    /// Other places that explain this one (the first definition of a duplicate id).
    pub related: Vec<(Loc, String)>,
}

impl Problem {
    /// An error at a location.
    pub fn error(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            code,
            message: clip(message.into()),
            loc: Some(loc),
            label: String::new(),
            help: None,
            csv_help: None,
            related: Vec::new(),
        }
    }

    /// A warning at a location.
    pub fn warning(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(code, loc, message)
        }
    }

    /// An error that is about no place in a file (a missing directory, say).
    pub fn general(code: Code, message: impl Into<String>) -> Self {
        Problem {
            loc: None,
            ..Problem::error(code, Loc::bytes(FileId(0), 0..0), message)
        }
    }

    /// Sets the text under the underline.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = clip(label.into());
        self
    }

    /// Sets the hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(clip(help.into()));
        self
    }

    /// Sets the hint shown instead of `help` when the place is in a CSV file.
    pub fn csv_help(mut self, help: impl Into<String>) -> Self {
        self.csv_help = Some(clip(help.into()));
        self
    }

    /// The hint for this problem's place: the CSV one in a CSV file, when there is one.
    pub fn help_at(&self, sources: &SourceMap) -> Option<&str> {
        let in_csv = self.loc.is_some_and(|l| sources.file(l.file).is_csv());
        if !in_csv {
            return self.help.as_deref();
        }
        // The code's general help has a CSV twin; a problem's own help has its own.
        let general = self.help.as_deref() == Some(self.code.help());
        match &self.csv_help {
            Some(csv) => Some(csv),
            None if general => self.code.csv_help().or(self.help.as_deref()),
            None => self.help.as_deref(),
        }
    }

    /// Sets the hint when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        if let Some(help) = help {
            self.help = Some(clip(help));
        }
        self
    }

    /// Adds a related place.
    pub fn related(mut self, loc: Loc, label: impl Into<String>) -> Self {
        self.related.push((loc, clip(label.into())));
        self
    }
}

/// Longest quoted value in a message, in characters.
const MAX_EXCERPT: usize = 60;

/// A value from the data as quoted in a message: cut to [`MAX_EXCERPT`] characters, so
/// that the rest of the message stays readable, and made [`visible`]: a control
/// character, line break, bidirectional control or invisible character in the data is
/// written as an escape (`\u{1b}`), so the message can neither act on a terminal nor
/// forge a line of output.
pub fn excerpt(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_EXCERPT) {
        Some((cut, _)) => format!("{}…", visible(&text[..cut])).into(),
        None => visible(text),
    }
}

pub use crate::text::visible;

/// Longest message or hint kept, in characters. Messages quote the data, and a 10 MB id
/// must not make a 10 MB message.
const MAX_MESSAGE: usize = 400;

/// Shortens text to [`MAX_MESSAGE`] characters, marking the cut, and makes it
/// [`visible`]. Every message, label and hint of a [`Problem`] passes here, so data
/// quoted in one without [`excerpt`] still reaches no terminal raw: text output, the
/// drawn report and JSON alike.
fn clip(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_MESSAGE) {
        text.truncate(cut);
        text.push('…');
    }
    match visible(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(shown) => shown,
    }
}

/// Problems as they are found: every one is counted, and up to a limit of each code are
/// kept. A million-row file without sources has a million `no-source` warnings; keeping
/// each would cost more memory than the graph, and nobody reads past the first few.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    kept: Vec<Problem>,
    /// How many of each code and severity were found, kept or not; and how many of each
    /// code were kept. Short lists, as codes are few.
    found: Vec<((Code, Severity), usize)>,
    kept_per_code: Vec<(Code, usize)>,
    /// Most kept per code; `None` keeps all.
    limit: Option<usize>,
}

/// The count under `key` in a short list, added at zero when new.
fn entry<K: Copy + PartialEq>(list: &mut Vec<(K, usize)>, key: K) -> &mut usize {
    let i = match list.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            list.push((key, 0));
            list.len() - 1
        }
    };
    &mut list[i].1
}

impl Problems {
    /// Problems keeping at most `limit` of each code (`None`: all).
    pub fn new(limit: Option<usize>) -> Self {
        Problems {
            limit,
            ..Problems::default()
        }
    }

    fn count(&mut self, code: Code, severity: Severity) -> bool {
        *entry(&mut self.found, (code, severity)) += 1;
        let kept = entry(&mut self.kept_per_code, code);
        let keep = self.limit.is_none_or(|l| *kept < l);
        *kept += usize::from(keep);
        keep
    }

    /// Most kept per code (`None`: all).
    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        if self.count(problem.code, problem.severity) {
            self.kept.push(problem);
        }
    }

    /// Records a problem of `code` (with the code's severity), building it only if it
    /// will be kept: for checks that can find one per node.
    pub fn push_with(&mut self, code: Code, build: impl FnOnce() -> Problem) {
        if self.count(code, code.severity()) {
            self.kept.push(build());
        }
    }

    /// Adds every problem of `other`, counts included.
    pub fn append(&mut self, other: Problems) {
        for (key, n) in other.found {
            *entry(&mut self.found, key) += n;
        }
        for p in other.kept {
            let kept = entry(&mut self.kept_per_code, p.code);
            if self.limit.is_none_or(|l| *kept < l) {
                *kept += 1;
                self.kept.push(p);
            }
        }
    }

    /// How many problems were found in all, kept or not.
    pub fn total(&self) -> usize {
        self.found.iter().map(|(_, n)| n).sum()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The kept problems.
    pub fn kept(&self) -> &[Problem] {
        &self.kept
    }

    /// Errors and warnings found, kept or not.
    pub fn tally(&self) -> (usize, usize) {
        let mut t = (0, 0);
        for &((_, severity), n) in &self.found {
            match severity {
                Severity::Error => t.0 += n,
                Severity::Warning => t.1 += n,
            }
        }
        t
    }

    /// How many of each code were found but not kept.
    pub fn omitted(&self) -> BTreeMap<&'static str, usize> {
        let mut found: BTreeMap<&'static str, usize> = BTreeMap::new();
        for &((code, _), n) in &self.found {
            *found.entry(code.as_str()).or_default() += n;
        }
        found
            .into_iter()
            .filter_map(|(code, n)| {
                let kept = self
                    .kept_per_code
                    .iter()
                    .find(|(c, _)| *c == code)
                    .map_or(0, |(_, k)| *k);
                (n > kept).then_some((code, n - kept))
            })
            .collect()
    }

    /// Promotes every warning to an error (`--strict`).
    pub fn make_strict(&mut self) {
        for p in &mut self.kept {
            p.severity = Severity::Error;
        }
        for (key, n) in std::mem::take(&mut self.found) {
            *entry(&mut self.found, (key.0, Severity::Error)) += n;
        }
    }

    /// The kept problems, errors first, each sorted by file and position (stable, so
    /// problems at one place keep the order they were found in): the errors that stop
    /// a command come before the warnings, and each list reads top to bottom like the
    /// files.
    pub fn into_sorted(mut self) -> Vec<Problem> {
        self.kept.sort_by_key(|p| {
            let place = p.loc.map(|l| (l.file, l.span.order()));
            (p.severity, place.is_none(), place)
        });
        self.kept
    }
}

/// How problems are drawn.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Use colour (only on a terminal, and never when NO_COLOR is set).
    pub color: bool,
    /// Wrap width.
    pub width: usize,
}

/// Draws one problem with miette into `out`.
pub fn render(problem: &Problem, sources: &SourceMap, options: RenderOptions, out: &mut String) {
    let theme = if options.color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_links(false);
    let shown = Shown::new(problem, sources);
    if handler.render_report(out, &shown).is_err() {
        // Rendering into a String fails only if a span cannot be read; fall back to a
        // plain line rather than lose the problem.
        out.push_str(&plain_line(problem, sources));
        out.push('\n');
    }
}

/// One line per problem: `path:line:column: severity[code]: message`.
pub fn plain_line(problem: &Problem, sources: &SourceMap) -> String {
    let severity = match problem.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    match problem.loc {
        Some(loc) => {
            let p = sources.position(loc);
            format!(
                "{}:{}:{}: {severity}[{}]: {}",
                p.path, p.line, p.column, problem.code, problem.message
            )
        }
        None => format!("{severity}[{}]: {}", problem.code, problem.message),
    }
}

/// A problem as JSON: what `validate --format json` lists.
#[derive(Debug, Serialize)]
pub struct JsonProblem<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

impl<'a> JsonProblem<'a> {
    /// Resolves a problem's location for JSON.
    pub fn new(problem: &'a Problem, sources: &SourceMap) -> Self {
        let position = problem.loc.map(|l| sources.position(l));
        JsonProblem {
            severity: problem.severity,
            code: problem.code.as_str(),
            message: &problem.message,
            file: position.as_ref().map(|p| p.path.clone()),
            line: position.as_ref().map(|p| p.line),
            column: position.as_ref().map(|p| p.column),
            help: problem.help_at(sources),
        }
    }
}

/// Longest line drawn in a snippet; longer lines are cropped around the problem so a
/// 10 MB single-line file gives a readable report.
const MAX_SNIPPET_LINE: usize = 120;

/// A problem prepared for miette: a small window of its file around each label.
struct Shown {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    window: Option<Window>,
    labels: Vec<LabeledSpan>,
}

impl Shown {
    fn new(problem: &Problem, sources: &SourceMap) -> Self {
        let mut help = problem.help_at(sources).map(str::to_string);
        let mut labels = Vec::new();
        let mut window = None;
        if let Some(loc) = problem.loc {
            let file = sources.file(loc.file);
            let mut w = Window::new(file, sources.range(loc));
            labels.push(LabeledSpan::new_primary_with_span(
                non_empty(&problem.label),
                w.primary,
            ));
            for (rel, text) in &problem.related {
                let pos = sources.position(*rel);
                let on_same_line = rel.file == loc.file && pos.line == w.line + 1;
                match w.add(sources.range(*rel), on_same_line) {
                    Some(span) => labels.push(LabeledSpan::new_with_span(non_empty(text), span)),
                    None => {
                        let extra = format!("{text} at {}:{}:{}", pos.path, pos.line, pos.column);
                        help = Some(match help {
                            Some(h) => format!("{h}\n{extra}"),
                            None => extra,
                        });
                    }
                }
            }
            window = Some(w);
        }
        Shown {
            message: problem.message.clone(),
            code: problem.code.to_string(),
            severity: match problem.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            help,
            window,
            labels,
        }
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.window.as_ref().map(|w| w as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// The line of a file that holds a problem, cropped to [`MAX_SNIPPET_LINE`] characters
/// around it, presented to miette with the file's real name, line and column.
struct Window {
    name: String,
    text: String,
    /// 0-based line of the window in the real file.
    line: usize,
    /// Byte offset in the real file where the window text starts.
    origin: usize,
    /// Bytes of marker ("…") put before the cropped text.
    marker: usize,
    /// 0-based character column, in the real line, of the primary span's start.
    column: usize,
    /// The characters shown escaped: byte offset in the drawn line (from `origin`), and
    /// the bytes the escapes up to and including this one added.
    escapes: Vec<(usize, usize)>,
    primary: SourceSpan,
}

impl Window {
    fn new(file: &SourceFile, range: Range<usize>) -> Self {
        let (line, column) = file.line_column(range.start);
        let (_, line_start) = file.line_of(range.start);
        // Enough of the line to draw: from its start, or, far into a long line, from a
        // little before the problem, where the line is cropped anyway; and to its end,
        // or as far as a cropped line can reach.
        let lead = MAX_SNIPPET_LINE / 4;
        let far = range.start - line_start > 4 * MAX_SNIPPET_LINE;
        let base = if far {
            let before = range.start - lead;
            let head = file.bytes(before - 3..before + 1);
            let back = head.iter().rev().take_while(|&&b| b & 0xC0 == 0x80).count();
            before - back.min(3)
        } else {
            line_start
        };
        let most = 8 * MAX_SNIPPET_LINE;
        let line_end = file.find_from(range.start, most, |b, end| {
            memchr::memchr2(b'\n', b'\r', b).or(end.then_some(b.len()))
        });
        let capped = line_end.is_none();
        let line_end = range.start + line_end.unwrap_or(most);
        let raw = file.bytes(base..line_end);
        let text = String::from_utf8_lossy(&raw);
        let start = floor_char_boundary(&text, range.start - base);
        let end = floor_char_boundary(
            &text,
            range.end.saturating_sub(base).clamp(start, text.len()),
        );
        // Crop long lines to a window that starts a little before the problem.
        let long = far || capped || text.chars().count() > MAX_SNIPPET_LINE;
        let (crop_start, crop_end) = if long {
            let from = floor_char_boundary(&text, start.saturating_sub(lead));
            let to = text[from..]
                .char_indices()
                .nth(MAX_SNIPPET_LINE)
                .map_or(text.len(), |(i, _)| from + i);
            (from, to)
        } else {
            (0, text.len())
        };
        let marker = if base + crop_start > line_start {
            "…"
        } else {
            ""
        };
        Window::assemble(
            &file.path,
            Place {
                line: line - 1,
                column: column - 1,
                origin: base + crop_start,
            },
            marker,
            &text[crop_start..crop_end],
            capped || crop_end < text.len(),
            start.clamp(crop_start, crop_end) - crop_start
                ..end.clamp(crop_start, crop_end) - crop_start,
        )
    }

    /// A window showing `raw`, the (cropped) line from byte `place.origin` of the file,
    /// after `marker` and followed by "…" when `cut`, with the primary span at `span`
    /// (bytes of `raw`). Every character of the line a terminal would act on is shown
    /// escaped (`\u{1b}`), and the spans are moved with the text they mark.
    fn assemble(
        path: &std::path::Path,
        place: Place,
        marker: &str,
        raw: &str,
        cut: bool,
        span: std::ops::Range<usize>,
    ) -> Window {
        let mut text = String::with_capacity(marker.len() + raw.len() + 3);
        text.push_str(marker);
        let mut escapes = Vec::new();
        for (at, c) in raw.char_indices() {
            if crate::text::escaped_in_snippet(c) {
                let before = text.len();
                crate::text::push_escape(&mut text, c);
                let grown = text.len() - before - c.len_utf8();
                let total = escapes.last().map_or(0, |&(_, t)| t) + grown;
                escapes.push((at, total));
            } else {
                text.push(c);
            }
        }
        if cut {
            text.push('…');
        }
        let mut window = Window {
            name: visible(&path.display().to_string()).into_owned(),
            text,
            line: place.line,
            origin: place.origin,
            marker: marker.len(),
            column: place.column,
            escapes,
            primary: SourceSpan::new(0.into(), 0),
        };
        let (offset, end) = (window.shown(span.start), window.shown(span.end));
        window.primary = SourceSpan::new(offset.into(), end.saturating_sub(offset));
        window
    }

    /// Where byte `at` of the drawn line (from `origin`) is in the window's text:
    /// after the marker and the escapes before it.
    fn shown(&self, at: usize) -> usize {
        let i = self.escapes.partition_point(|&(e, _)| e < at);
        let grown = i.checked_sub(1).map_or(0, |i| self.escapes[i].1);
        self.marker + at + grown
    }

    /// Places a related range in the window when it lies on the window's line.
    fn add(&mut self, range: std::ops::Range<usize>, on_same_line: bool) -> Option<SourceSpan> {
        if !on_same_line || range.start < self.origin {
            return None;
        }
        let offset = self.shown(range.start - self.origin);
        let end = self
            .shown(range.end.saturating_sub(self.origin))
            .min(self.text.len());
        (offset <= self.text.len() && self.text.is_char_boundary(offset))
            .then(|| SourceSpan::new(offset.into(), end.saturating_sub(offset)))
    }
}

/// Where a window's line is: 0-based line and character column of the problem in the
/// real file, and the byte offset where the drawn text starts.
#[derive(Debug, Clone, Copy)]
struct Place {
    line: usize,
    column: usize,
    origin: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, MietteError> {
        // The window is one line: always hand back all of it, so miette draws the
        // whole (cropped) line with the real line number. The header's position is
        // read with no context lines; give it the real character column.
        let column = if before == 0 && after == 0 && span.offset() == self.primary.offset() {
            self.column
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            SourceSpan::new(0.into(), self.text.len()),
            self.line,
            column,
            1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let mut map = SourceMap::default();
        let id = map.add("a.toml".into(), "ab\nçd = 1\n".into());
        let file = map.file(id);
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(3), (2, 1));
        assert_eq!(file.line_column(5), (2, 2), "ç is two bytes, one character");
        assert_eq!(file.line_column(4), (2, 1), "inside ç: from its start");
    }

    /// A source line holding terminal controls is drawn with them escaped, and the
    /// underline stays under the text it marks, before and after an escape.
    #[test]
    fn snippets_show_controls_escaped_and_underline_in_place() {
        let line = "a\u{1b}]0;t\u{7}\u{9b}2J,bad,\u{202e}x,tail";
        let mut map = SourceMap::default();
        let file = map.add("data.csv".into(), format!("{line}\n"));
        let at = line.find("bad").unwrap();
        let problem = Problem::error(Code::Syntax, Loc::bytes(file, at..at + 3), "bad \u{1b}[2J")
            .label("here")
            .related(
                Loc::bytes(file, line.len() - 4..line.len()),
                "and \u{7} there",
            );
        let mut drawn = String::new();
        let options = RenderOptions {
            color: false,
            width: 200,
        };
        render(&problem, &map, options, &mut drawn);
        assert!(
            drawn.chars().all(|c| c == '\n' || !c.is_control()),
            "{drawn}"
        );
        assert!(
            drawn.contains("bad \\u{1b}[2J") && drawn.contains("and \\u{7} there"),
            "{drawn}"
        );
        let shown = "a\\u{1b}]0;t\\u{7}\\u{9b}2J,bad,\\u{202e}x,tail";
        let lines: Vec<&str> = drawn.lines().collect();
        let i = lines.iter().position(|l| l.ends_with(shown)).expect(&drawn);
        let column = |l: &str, at: usize| l[..at].chars().count();
        let text_at = column(lines[i], lines[i].find(shown).unwrap());
        let under = lines[i + 1];
        let marks: Vec<usize> = under
            .char_indices()
            .filter(|&(_, c)| c == '┬')
            .map(|(b, _)| column(under, b))
            .collect();
        // Each label's mark is under the middle of its text.
        let bad = text_at + shown.find("bad").unwrap();
        let tail = text_at + shown.find("tail").unwrap();
        assert_eq!(marks, vec![bad + 1, tail + 2], "{drawn}");
    }

    #[test]
    fn csv_fields_honour_quotes() {
        let text = "a,\"b,c\",d\nx,y\n";
        let field = |at: usize, column| {
            let r = csv_field_range(&text.as_bytes()[at..], column, true, b',').unwrap();
            at + r.start..at + r.end
        };
        assert_eq!(&text[field(0, 1)], "\"b,c\"");
        assert_eq!(&text[field(0, 2)], "d");
        assert_eq!(&text[field(10, 1)], "y");
        assert_eq!(field(10, 5), 13..13);
        assert_eq!(
            csv_field_range(b"a,\"b", 1, false, b','),
            None,
            "more to read"
        );
    }
}
