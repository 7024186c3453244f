//! Look-alike characters: a Cyrillic "а" (U+0430) in `asclа-2009` prints as the Latin
//! "a" of `ascla-2009`, so an id or name holding one fails to match in ways a reader
//! cannot see. Built on Unicode's confusable data (UTS 39 skeletons and mixed-script
//! detection, from the `unicode-security` crate) and the characters' standard names
//! (`unicode_names2`), so a message can say which character is at fault and what to
//! type instead.

use unicode_security::MixedScript;
use unicode_security::confusable_detection::skeleton;

/// One character that looks like ASCII text but is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookAlike {
    /// The character in the text.
    pub ch: char,
    /// The ASCII it prints like (`a` for U+0430).
    pub looks_like: String,
}

impl LookAlike {
    /// `U+0430 CYRILLIC SMALL LETTER A`: the code point and its standard name.
    pub fn describe(&self) -> String {
        describe(self.ch)
    }
}

/// A character as a message names it: `U+0430 CYRILLIC SMALL LETTER A`.
pub fn describe(ch: char) -> String {
    match unicode_names2::name(ch) {
        Some(name) => format!("U+{:04X} {name}", ch as u32),
        None => format!("U+{:04X}", ch as u32),
    }
}

/// The non-ASCII characters of `text` that print like ASCII letters, digits or
/// punctuation, each once, in order of first appearance.
pub fn look_alikes(text: &str) -> Vec<LookAlike> {
    let mut out: Vec<LookAlike> = Vec::new();
    for ch in text.chars().filter(|c| !c.is_ascii()) {
        if out.iter().any(|l| l.ch == ch) {
            continue;
        }
        let mut buf = [0u8; 4];
        let looks_like: String = skeleton(ch.encode_utf8(&mut buf)).collect();
        if !looks_like.is_empty()
            && looks_like.is_ascii()
            && looks_like.chars().all(|c| c.is_ascii_graphic())
        {
            out.push(LookAlike { ch, looks_like });
        }
    }
    out
}

/// `text` with each look-alike replaced by the ASCII it prints like.
pub fn to_ascii_look_alike(text: &str) -> String {
    let found = look_alikes(text);
    text.chars()
        .map(|c| match found.iter().find(|l| l.ch == c) {
            Some(l) => l.looks_like.clone(),
            None => c.to_string(),
        })
        .collect()
}

/// Whether two different strings print alike: the same UTS 39 skeleton. Only strings
/// with a non-ASCII character are compared (two ASCII strings never print alike here;
/// the skeleton would also equate `rn` and `m`, which a reader tells apart).
pub fn print_alike(a: &str, b: &str) -> bool {
    a != b && (!a.is_ascii() || !b.is_ascii()) && skeleton(a).eq(skeleton(b))
}

/// The words of a name that mix scripts with a look-alike character: a Latin word
/// with a Cyrillic "а" in it. A word wholly in one script (Cyrillic, Greek, Welsh with
/// its accents) is not reported, however much it resembles Latin letters.
pub fn mixed_script_words(name: &str) -> Vec<(&str, Vec<LookAlike>)> {
    name.split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '\''))
        .filter(|w| !w.is_ascii() && !w.is_single_script())
        .filter_map(|w| {
            let found = look_alikes(w);
            (!found.is_empty()).then_some((w, found))
        })
        .collect()
}

/// The look-alikes of `text` as a message phrase: "U+0430 CYRILLIC SMALL LETTER A,
/// which looks like `a`", joined with "and".
pub fn explain(found: &[LookAlike]) -> String {
    let parts: Vec<String> = found
        .iter()
        .map(|l| format!("{}, which looks like `{}`", l.describe(), l.looks_like))
        .collect();
    parts.join(", and ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cyrillic_a_is_named_and_mapped_to_latin() {
        let found = look_alikes("asclа-2009");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].describe(), "U+0430 CYRILLIC SMALL LETTER A");
        assert_eq!(found[0].looks_like, "a");
        assert_eq!(to_ascii_look_alike("asclа-2009"), "ascla-2009");
        assert_eq!(
            explain(&found),
            "U+0430 CYRILLIC SMALL LETTER A, which looks like `a`"
        );
    }

    #[test]
    fn strings_print_alike_only_when_they_differ_by_look_alikes() {
        assert!(print_alike("asclа-2009", "ascla-2009"));
        assert!(!print_alike("ascla-2009", "ascla-2009"), "the same string");
        assert!(!print_alike("rn", "m"), "ASCII strings are told apart");
        assert!(!print_alike("Care Act", "Care Acts"));
    }

    #[test]
    fn only_words_mixing_scripts_are_reported() {
        let found = mixed_script_words("Cаre Act 2014");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "Cаre");
        assert!(mixed_script_words("Міністерство охорони здоров'я").is_empty());
        assert!(mixed_script_words("Gofal Cymdeithasol Cymru – Llŷr").is_empty());
        assert!(mixed_script_words("Care Act 2014").is_empty());
    }

    #[test]
    fn accented_letters_are_not_look_alikes_of_their_base_letter() {
        // é is its own letter in names (Réseau, Llŷr): reported only inside a word
        // that mixes scripts, never on its own.
        assert!(mixed_script_words("Réseau Santé").is_empty());
    }
}
