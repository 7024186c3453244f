//! What text from the data may hold, and how it is shown when it may not.
//!
//! One rule for every text field of every record, whatever the format it was read from
//! ([`first_unsafe`]), and one way to show data text in a message or a snippet
//! ([`visible`]). Both read the same classification of characters ([`class`]), so what
//! the loader refuses is exactly what a report escapes.
//!
//! - **Control characters** (C0 other than tab and line breaks, DEL, C1) are refused in
//!   every field: printed raw they move a terminal's cursor, set its title or clipboard
//!   (OSC 52), or clear it.
//! - **Line breaks** (LF, CR, U+2028, U+2029; NEL is a C1 control) are refused in
//!   one-line fields (ids, names, aliases, era names, locators, titles, attribute
//!   names): a line feed in a name forges a line of output, a carriage return
//!   overwrites it. Multi-line fields (summaries, notes, attribute values) keep line
//!   feeds; a CRLF there is read as LF (see [`normalise_line_ends`]) and a lone CR,
//!   which would overwrite the line on a terminal, is refused.
//! - **Bidirectional controls** (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)
//!   are refused in every field: they reorder the rest of a line when printed. Data in
//!   a right-to-left script needs none of them (the Unicode algorithm orders it).
//! - **Invisible format characters** (U+200B, U+2060–U+2064, U+FEFF, U+180E,
//!   U+FFF9–U+FFFB, U+00AD never is, it shows) are refused in one-line fields: they make
//!   two different names print the same. The joiners U+200C and U+200D are part of
//!   Persian, Indic scripts and emoji, so a one-line field may hold them between two
//!   characters that are not ASCII, not spaces and not format characters; elsewhere
//!   (`Care\u{200D}board`) they only hide a difference, and are refused.
//! - **Noncharacters** (U+FDD0–U+FDEF and the last two code points of every plane,
//!   U+FFFE, U+FFFF, U+1FFFE, ...) are refused in every field: XML forbids U+FFFE and
//!   U+FFFF, so a name holding one made `dot` write ill-formed SVG; the others are
//!   never meant to be interchanged.

use std::borrow::Cow;
use std::fmt::Write;

/// Why a character may not be printed as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// C0 (other than tab, LF and CR), DEL or C1.
    Control,
    /// LF, CR, U+2028 or U+2029.
    LineBreak,
    /// A bidirectional control.
    Bidi,
    /// An invisible format character (joiners included).
    Invisible,
    /// A noncharacter.
    Noncharacter,
}

/// The class of a character that may not be printed as it is, `None` for the rest
/// (tab is ordinary text).
pub fn class(c: char) -> Option<Class> {
    match c {
        '\t' => None,
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => Some(Class::LineBreak),
        c if c.is_control() => Some(Class::Control),
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Some(Class::Bidi),
        '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}'
        | '\u{180E}'
        | '\u{FFF9}'..='\u{FFFB}' => Some(Class::Invisible),
        c if is_noncharacter(c) => Some(Class::Noncharacter),
        _ => None,
    }
}

/// U+FDD0–U+FDEF, and U+xFFFE and U+xFFFF of every plane.
pub fn is_noncharacter(c: char) -> bool {
    let c = c as u32;
    (0xFDD0..=0xFDEF).contains(&c) || c & 0xFFFE == 0xFFFE
}

/// How a text field may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A name, id, locator or key: one line, nothing invisible.
    One,
    /// A summary, note or attribute value: line feeds allowed.
    Many,
}

/// A character a field may not hold, and where (byte offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsafe {
    /// The character.
    pub c: char,
    /// Why.
    pub class: Class,
    /// Its byte offset in the text.
    pub at: usize,
}

impl Unsafe {
    /// What the character is, for a message: "the control character U+001B".
    pub fn describe(&self) -> String {
        let what = match (self.class, self.c) {
            (Class::Control, _) => "the control character",
            (Class::LineBreak, '\r') => "a carriage return",
            (Class::LineBreak, _) => "the line break",
            (Class::Bidi, _) => "the bidirectional control",
            (Class::Invisible, _) => "the invisible character",
            (Class::Noncharacter, _) => "the noncharacter",
        };
        format!("{what} U+{:04X}", self.c as u32)
    }

    /// What to do about it, for a field of `lines`.
    pub fn help(&self, lines: Lines) -> &'static str {
        match (self.class, lines) {
            (Class::Control, _) => {
                "remove it: only tab and line breaks may appear in text (an escape such as \\u001b in TOML or a pasted NUL byte is usually a copying accident)"
            }
            (Class::LineBreak, Lines::One) => {
                "names, ids, aliases, era names, locators and attribute names are one line: join the lines with a space (a longer text belongs in `summary` or `note`)"
            }
            (Class::LineBreak, Lines::Many) => {
                "end lines with a line feed (or CRLF): a carriage return alone overwrites the line when printed"
            }
            (Class::Bidi, _) => {
                "remove it: right-to-left text needs no control characters, and one reverses what follows it when printed"
            }
            (Class::Invisible, _) => {
                "remove it: an invisible character makes two different names look the same (U+200C and U+200D are kept only between two letters of a script that uses them)"
            }
            (Class::Noncharacter, _) => {
                "remove it: noncharacters are not text (XML forbids U+FFFE and U+FFFF, so exported SVG and GraphML would be ill-formed)"
            }
        }
    }
}

/// The first character of `text` a field of `lines` may not hold.
#[inline]
pub fn first_unsafe(text: &str, lines: Lines) -> Option<Unsafe> {
    if !may_be_unsafe(text.as_bytes()) {
        return None;
    }
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        let found = match class(c) {
            None => None,
            Some(Class::LineBreak) => match (lines, c) {
                (Lines::One, _) => Some(Class::LineBreak),
                (Lines::Many, '\r') if next != Some('\n') => Some(Class::LineBreak),
                (Lines::Many, _) => None,
            },
            Some(Class::Invisible) => match (lines, c) {
                (Lines::One, '\u{200C}' | '\u{200D}')
                    if previous.is_some_and(joins) && next.is_some_and(joins) =>
                {
                    None
                }
                (Lines::One, _) => Some(Class::Invisible),
                (Lines::Many, _) => None,
            },
            Some(class) => Some(class),
        };
        if let Some(class) = found {
            return Some(Unsafe { c, class, at });
        }
        previous = Some(c);
    }
    None
}

/// Whether a joiner next to `c` can be meant: `c` is not ASCII, not a space and not
/// itself a character this module classifies (emoji and variation selectors pass).
fn joins(c: char) -> bool {
    !c.is_ascii() && !c.is_whitespace() && class(c).is_none()
}

/// A fast pre-scan on bytes: whether `bytes` may hold a character [`first_unsafe`]
/// looks at: a byte below 0x20, DEL, or any byte of a character that is not ASCII.
/// Tests eight bytes at a time in a `u64` ("SWAR"); plain ASCII text, most of a large
/// collection, is passed over at that speed.
#[inline]
pub fn may_be_unsafe(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Non-zero exactly when some byte of `w` is below `n` (for `n` up to 0x80): the
    // subtraction borrows into a byte's high bit only from a byte that is smaller.
    let below = |w: u64, n: u64| w.wrapping_sub(n * ONES) & !w & HIGH;
    let suspect = |w: u64| (below(w, 0x20) | below(w ^ (0x7f * ONES), 1) | w & HIGH) != 0;
    let word = |b: &[u8]| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    let last = match bytes.len() {
        // The last eight bytes, overlapping the words before.
        n if n >= 8 => word(&bytes[n - 8..]),
        // A short text, padded with spaces (built in a register: a copy through memory
        // then a wide load stalls the processor).
        _ => bytes
            .iter()
            .enumerate()
            .fold(u64::from_le_bytes([b' '; 8]), |w, (i, &b)| {
                w ^ u64::from(b ^ b' ') << (8 * i)
            }),
    };
    suspect(last) || bytes.chunks_exact(8).any(|w| suspect(word(w)))
}

/// Whether a character is shown escaped: everything [`class`] names, tab aside.
fn escaped(c: char) -> bool {
    class(c).is_some()
}

/// Data text as it may be shown on a terminal or in text output: every control
/// character, line break, bidirectional control, invisible format character and
/// noncharacter written as a Rust-style escape (`\u{1b}`), the rest as it is. The
/// result holds no byte that a terminal acts on, whatever `text` holds.
pub fn visible(text: &str) -> Cow<'_, str> {
    visible_except(text, |_| false)
}

/// [`visible`], keeping the characters `keep` says as they are (a message keeps the
/// line breaks its own text has).
pub fn visible_except(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !may_be_unsafe(text.as_bytes()) || !text.chars().any(|c| escaped(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) && !keep(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Appends `c` as `\u{…}`.
pub fn push_escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// Whether `c` is shown escaped in a snippet of a source line: what [`visible`]
/// escapes, except tab (which the report draws as spaces).
pub fn escaped_in_snippet(c: char) -> bool {
    escaped(c)
}

/// A multi-line field's text with each CRLF read as LF: one spelling of a line end,
/// whatever the file's. A lone CR is left for the check to report.
pub fn normalise_line_ends(text: String) -> String {
    if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_refuses_controls_bidi_and_noncharacters() {
        for lines in [Lines::One, Lines::Many] {
            for (text, c, class) in [
                ("nul\0", '\0', Class::Control),
                ("escape \u{1b}[31m", '\u{1b}', Class::Control),
                ("del \u{7f}", '\u{7f}', Class::Control),
                ("c1 \u{85} \u{9b}", '\u{85}', Class::Control),
                ("a \u{202E}b", '\u{202E}', Class::Bidi),
                ("a \u{2067}b", '\u{2067}', Class::Bidi),
                ("x\u{FFFE}", '\u{FFFE}', Class::Noncharacter),
                ("x\u{FDD0}", '\u{FDD0}', Class::Noncharacter),
                ("x\u{10FFFF}", '\u{10FFFF}', Class::Noncharacter),
                ("x\u{1FFFE}", '\u{1FFFE}', Class::Noncharacter),
            ] {
                let found = first_unsafe(text, lines).unwrap();
                assert_eq!((found.c, found.class), (c, class), "{text:?}");
                assert_eq!(&text[found.at..found.at + c.len_utf8()], c.to_string());
            }
        }
    }

    #[test]
    fn one_line_fields_refuse_line_breaks_and_invisible_characters() {
        for text in [
            "a\nb",
            "a\r\nb",
            "a\rb",
            "a\u{2028}b",
            "a\u{2029}b",
            "Care\u{200B}board",
            "Care\u{200D}board",
            "\u{200C}مثل",
            "a\u{FEFF}",
            "a\u{2060}b",
        ] {
            assert!(first_unsafe(text, Lines::One).is_some(), "{text:?}");
        }
        for text in ["a\nb", "a\r\nb", "a\u{2028}b", "Care\u{200B}board"] {
            assert_eq!(first_unsafe(text, Lines::Many), None, "{text:?}");
        }
        // A lone CR overwrites the line even in a summary.
        assert_eq!(first_unsafe("a\rb", Lines::Many).unwrap().c, '\r');
        assert_eq!(first_unsafe("a\r", Lines::Many).unwrap().c, '\r');
    }

    #[test]
    fn joiners_are_kept_where_a_script_needs_them() {
        for text in [
            "می\u{200C}خواهم",                                   // Persian, ZWNJ
            "क्\u{200D}ष",                                        // Devanagari, ZWJ
            "👨\u{200D}👩\u{200D}👧",                            // an emoji family
            "❤\u{FE0F}\u{200D}🔥",                               // after a variation selector
            "plain é 漢字 🙂 tab\there — “quoted” ½ \u{AD}soft", // ordinary text, soft hyphen
        ] {
            assert_eq!(first_unsafe(text, Lines::One), None, "{text:?}");
        }
    }

    #[test]
    fn visible_escapes_what_a_terminal_acts_on() {
        assert_eq!(visible("plain é 漢字"), "plain é 漢字");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(
            visible("\u{1b}]52;c;aGk=\u{7}\u{9b}2J\n\r\u{202e}\u{200b}\u{fffe}"),
            "\\u{1b}]52;c;aGk=\\u{7}\\u{9b}2J\\u{a}\\u{d}\\u{202e}\\u{200b}\\u{fffe}"
        );
        assert_eq!(visible_except("a\nb\u{1b}", |c| c == '\n'), "a\nb\\u{1b}");
        assert_eq!(visible("tab\tkept"), "tab\tkept");
    }

    #[test]
    fn the_byte_pre_scan_misses_nothing() {
        let suspect = |b: u8| !(0x20..0x7f).contains(&b);
        // Every byte value at every place of texts up to three words long.
        for len in 1..=24 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut text = vec![b'a'; len];
                    text[at] = b;
                    assert_eq!(may_be_unsafe(&text), suspect(b), "{b:#x} at {at} of {len}");
                }
            }
        }
        assert!(!may_be_unsafe(b""));
        assert!(!may_be_unsafe(b"\x20\x21\x7e\x20\x7e\x7e\x7e\x20\x21"));
    }
}
