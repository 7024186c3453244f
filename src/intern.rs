//! Interned strings: each distinct edge endpoint is stored once, in one arena, and
//! edges hold a 4-byte [`Sym`]. A million-edge load then makes no allocation per
//! endpoint, and resolving endpoints to nodes costs one lookup per distinct id rather
//! than two per edge.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// An interned string: an index into an [`Interner`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(u32);

impl Sym {
    /// The position of the symbol, from 0 in order of first interning.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The symbol at a position (for walking every symbol of an interner).
    pub fn from_index(i: usize) -> Sym {
        Sym(u32::try_from(i).unwrap_or(u32::MAX))
    }
}

/// A set of strings, each stored once.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    text: String,
    ends: Vec<u32>,
    table: HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Interner {
    /// The symbol for `s`, adding it if new.
    pub fn intern(&mut self, s: &str) -> Sym {
        let hash = self.hasher.hash_one(s);
        let (text, ends) = (&self.text, &self.ends);
        let slice = |i: u32| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            &text[start..ends[i] as usize]
        };
        if let Some(&i) = self.table.find(hash, |&i| slice(i) == s) {
            return Sym(i);
        }
        let i = u32::try_from(self.ends.len())
            .unwrap_or_else(|_| unreachable!("fewer than 2^32 distinct ids"));
        self.text.push_str(s);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        self.table.insert_unique(hash, i, |&j| {
            let j = j as usize;
            let start = if j == 0 { 0 } else { ends[j - 1] as usize };
            hasher.hash_one(&text[start..ends[j] as usize])
        });
        Sym(i)
    }

    /// The string behind a symbol.
    pub fn resolve(&self, sym: Sym) -> &str {
        let i = sym.index();
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// How many distinct strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_once_and_resolves() {
        let mut i = Interner::default();
        let a = i.intern("alpha");
        let b = i.intern("beta");
        assert_eq!(i.intern("alpha"), a);
        assert_ne!(a, b);
        assert_eq!(i.resolve(a), "alpha");
        assert_eq!(i.resolve(b), "beta");
        assert_eq!(i.intern(""), i.intern(""));
        assert_eq!(i.len(), 3);
    }
}
