//! Interned ids, the graph's id index: each distinct id is stored once, in one arena,
//! and edges hold a 4-byte [`Sym`]. A million-edge load then makes no allocation per
//! endpoint, and resolving endpoints to nodes costs one lookup per distinct id rather
//! than two per edge.
//!
//! The table is open addressing with linear probing over 24-byte slots. A slot holds the
//! top half of the string's hash, its symbol, and the string itself when it is shorter
//! than 16 bytes (most ids), or its first 15 bytes otherwise, so a short string is found
//! or ruled out by reading its slot alone, with no visit to the arena.
//!
//! A large load interns a batch at a time ([`Interner::intern_batch`]): it hashes
//! every string of the batch, reads the slot each one starts at, and only then looks
//! them up in order. A million-id table is tens of megabytes, so nearly every first
//! read of a slot is a cache miss; read one after another, a lookup waits for each,
//! read together, the misses of a batch overlap. The symbols are the ones interning
//! one at a time gives. Measured at 10^6 nodes (2.45 million edge endpoints,
//! `examples/load_phases`, quiet 2-core machine, medians of 7 paired runs): parsing into
//! records 1.06 s -> 0.71 s, building the graph 0.38 s -> 0.21 s (its node ids interned
//! in batches too); whole-process `validate` 1.82 s -> 1.26 s with the checks' two
//! threads ([`crate::check`]).
//!
//! The table has half as many slots again as the ids it is asked to hold, not the next
//! power of two ([`home`]), and once the graph is built nothing more is interned: the
//! interner is frozen into [`Ids`], which keeps each slot's tag and symbol (8 bytes) and
//! drops the keys, so a lookup confirms a match in the arena. Memory at 10^6 nodes
//! (`validate`, peak resident): a table of twice the next power of two was 100 MB
//! (598 MB peak); twice the ids, 50 MB (551 MB, time unchanged: 9 paired runs, median
//! ratio 1.02); one and a half times, with 32-bit string ends, 40 MB (419 -> 400 MiB);
//! frozen before the graph's arrays are made, 13 MB (400 -> 376 MiB).

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

/// The slot a string whose hash is `hash` starts at, in a table of `len` slots: the
/// hash's low half scaled to the table (multiply and shift, Lemire's "fastrange"), so
/// that the table can be any size and a million ids take two million slots, not the
/// next power of two (at 10^6 nodes, whose line count is estimated a little over 2^20,
/// that was 4.2 million slots, 100 MB). The top half is the slot's tag.
fn home(hash: u64, len: usize) -> usize {
    ((u128::from(hash & 0xFFFF_FFFF) * len as u128) >> 32) as usize
}

/// The slot after `at`, wrapping at the end of a table of `len` slots.
fn next(at: usize, len: usize) -> usize {
    if at + 1 == len { 0 } else { at + 1 }
}

/// A slot of the table: `meta` is `tag << 32 | (symbol + 1)`, or 0 when the slot is
/// empty; `key` is the string's [`key`].
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    meta: u64,
    key: Key,
}

/// A string's length and its bytes when it is shorter than 16 bytes; [`LONG`] and its
/// first 15 bytes otherwise, when the arena holds the rest.
type Key = [u8; 16];

/// The length byte of a key whose string is too long to hold.
const LONG: u8 = u8::MAX;

fn key(s: &str) -> Key {
    let mut key = [0u8; 16];
    let bytes = s.as_bytes();
    let held = bytes.len().min(15);
    key[0] = if bytes.len() < 16 { held as u8 } else { LONG };
    key[1..=held].copy_from_slice(&bytes[..held]);
    key
}

/// A set of strings, each stored once, numbered in order of first interning.
///
/// The hasher is a parameter so that tests can make every string collide.
#[derive(Debug, Default, Clone)]
pub struct Interner<S = hashbrown::DefaultHashBuilder> {
    /// Every string.
    arena: Arena,
    /// The table: at most two thirds full.
    slots: Vec<Slot>,
    hasher: S,
    /// [`Interner::intern_batch`]'s hashes and answer, kept to reuse their memory.
    hashes: Vec<u64>,
    batch: Vec<Sym>,
}

impl<S: BuildHasher + Default> Interner<S> {
    /// The symbol for `s`, adding it if new.
    pub fn intern(&mut self, s: &str) -> Sym {
        self.reserve(1);
        let hash = self.hasher.hash_one(s);
        self.intern_hashed(s, &key(s), hash)
    }

    /// The symbols for `strs`, in order, adding those that are new: the same as
    /// interning each in turn, with the cache misses of the batch overlapped (see the
    /// module doc). A batch of a few dozen strings is enough to overlap them.
    pub fn intern_batch<'s, I>(&mut self, strs: I) -> &[Sym]
    where
        I: IntoIterator<Item = &'s str>,
        I::IntoIter: Clone,
    {
        let strs = strs.into_iter();
        self.hashes.clear();
        self.hashes
            .extend(strs.clone().map(|s| self.hasher.hash_one(s)));
        self.batch.clear();
        if self.hashes.is_empty() {
            return &self.batch;
        }
        self.reserve(self.hashes.len());
        let len = self.slots.len();
        // Read each first slot now, all together: the loads do not wait on one another.
        let first = self
            .hashes
            .iter()
            .fold(0, |seen, &hash| seen ^ self.slots[home(hash, len)].meta);
        std::hint::black_box(first);
        for (s, i) in strs.zip(0..) {
            let sym = self.intern_hashed(s, &key(s), self.hashes[i]);
            self.batch.push(sym);
        }
        &self.batch
    }

    /// The symbol of `s`, if it has been interned (the graph asks its [`Ids`]).
    #[cfg(test)]
    pub fn find(&self, s: &str) -> Option<Sym> {
        if self.slots.is_empty() {
            return None;
        }
        self.probe(s, &key(s), self.hasher.hash_one(s)).ok()
    }

    /// Looks `s` (whose key is `key` and hash `hash`) up: its symbol, or the empty slot it
    /// would take.
    fn probe(&self, s: &str, key: &Key, hash: u64) -> Result<Sym, usize> {
        let len = self.slots.len();
        let tag = hash >> 32;
        let mut at = home(hash, len);
        loop {
            let slot = &self.slots[at];
            if slot.meta == 0 {
                return Err(at);
            }
            if slot.meta >> 32 == tag && slot.key == *key {
                let i = (slot.meta as u32 - 1) as usize;
                // A short key is the whole string; a long one only its start.
                if key[0] != LONG || self.string(i) == s {
                    return Ok(Sym(i as u32));
                }
            }
            at = next(at, len);
        }
    }

    /// Interns `s`, whose hash is `hash`; the table must have room for one more.
    fn intern_hashed(&mut self, s: &str, key: &Key, hash: u64) -> Sym {
        let at = match self.probe(s, key, hash) {
            Ok(sym) => return sym,
            Err(at) => at,
        };
        let tag = hash >> 32;
        let i = u32::try_from(self.arena.len())
            .ok()
            .filter(|&i| i < u32::MAX)
            .unwrap_or_else(|| unreachable!("fewer than 2^32 - 1 distinct ids"));
        self.arena.push(s);
        self.slots[at] = Slot {
            meta: tag << 32 | u64::from(i + 1),
            key: *key,
        };
        Sym(i)
    }

    /// Makes room for `more` new strings, keeping the table at most two thirds full.
    pub(crate) fn reserve(&mut self, more: usize) {
        let needed = (self.arena.len() + more) * 3 / 2 + 1;
        if needed <= self.slots.len() {
            return;
        }
        // The size asked for, when the table is sized once for a whole file; twice the
        // old size when it grows a batch at a time, so that growing stays linear.
        let size = needed.max(self.slots.len() * 2).max(16);
        let mut slots = vec![Slot::default(); size];
        for i in 0..self.arena.len() {
            let s = self.string(i);
            let hash = self.hasher.hash_one(s);
            let mut at = home(hash, size);
            while slots[at].meta != 0 {
                at = next(at, size);
            }
            slots[at] = Slot {
                meta: hash >> 32 << 32 | (i as u64 + 1),
                key: key(s),
            };
        }
        self.slots = slots;
    }

    fn string(&self, i: usize) -> &str {
        self.arena.get(i)
    }

    /// The interner once nothing more will be added: the same symbols, found by the
    /// same probes, in a table of 8-byte slots (hash tag and symbol, without the keys),
    /// with the arena trimmed to its strings. A lookup then reads the arena to confirm
    /// a match, which costs nothing that matters after a load: a few NODE arguments
    /// and sources are looked up, not millions of endpoints. Measured at 10^6 nodes
    /// (1.65 million slots): the table 40 MB -> 13 MB and the arena's growth room (7 MB)
    /// freed; `validate`'s peak 400 -> 376 MiB. Copying the tags takes milliseconds
    /// (no string is hashed again).
    pub fn freeze(self) -> Ids<S> {
        let Interner {
            mut arena,
            slots,
            hasher,
            ..
        } = self;
        arena.text.shrink_to_fit();
        arena.ends.shrink_to_fit();
        let tags = slots.iter().map(|slot| slot.meta).collect();
        drop(slots);
        Ids {
            arena,
            tags,
            hasher,
        }
    }

    /// The string behind a symbol.
    pub fn resolve(&self, sym: Sym) -> &str {
        self.string(sym.index())
    }

    /// How many distinct strings.
    pub fn len(&self) -> usize {
        self.arena.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.arena.len() == 0
    }
}

/// A frozen [`Interner`] ([`Interner::freeze`]): the same strings and symbols, looked
/// up by tag and arena.
#[derive(Debug, Default, Clone)]
pub struct Ids<S = hashbrown::DefaultHashBuilder> {
    arena: Arena,
    /// The interner's table without its keys: `tag << 32 | (symbol + 1)`, 0 if empty.
    tags: Vec<u64>,
    hasher: S,
}

impl<S: BuildHasher> Ids<S> {
    /// The symbol of `s`, if it was interned.
    pub fn find(&self, s: &str) -> Option<Sym> {
        let len = self.tags.len();
        if len == 0 {
            return None;
        }
        let hash = self.hasher.hash_one(s);
        let tag = hash >> 32;
        let mut at = home(hash, len);
        loop {
            let meta = self.tags[at];
            if meta == 0 {
                return None;
            }
            let i = (meta as u32 - 1) as usize;
            if meta >> 32 == tag && self.arena.get(i) == s {
                return Some(Sym(i as u32));
            }
            at = next(at, len);
        }
    }

    /// The string behind a symbol.
    pub fn resolve(&self, sym: Sym) -> &str {
        self.arena.get(sym.index())
    }

    /// How many distinct strings.
    pub fn len(&self) -> usize {
        self.arena.len()
    }
}

/// The strings of an [`Interner`] or [`Ids`], back to back, numbered from 0.
#[derive(Debug, Default, Clone)]
struct Arena {
    text: String,
    /// Where each string ends in `text` (it starts where the previous one ends); 32
    /// bits, like every offset into a data file (a CSV record's is `u32`).
    ends: Vec<u32>,
}

impl Arena {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        let end = u32::try_from(self.text.len())
            .unwrap_or_else(|_| unreachable!("ids come from files under 4 GiB"));
        self.ends.push(end);
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_once_and_resolves() {
        let mut i: Interner = Interner::default();
        let a = i.intern("alpha");
        let b = i.intern("beta");
        assert_eq!(i.intern("alpha"), a);
        assert_ne!(a, b);
        assert_eq!(i.resolve(a), "alpha");
        assert_eq!(i.resolve(b), "beta");
        assert_eq!(i.intern(""), i.intern(""));
        assert_eq!(i.len(), 3);
        assert_eq!(i.find("beta"), Some(b));
        assert_eq!(i.find("gamma"), None);
        assert_eq!(Interner::<Collide>::default().find(""), None);
    }

    #[test]
    fn survives_growth() {
        let mut i: Interner = Interner::default();
        let ids: Vec<String> = (0..10_000).map(|n| format!("node-{n}")).collect();
        let syms: Vec<Sym> = ids.iter().map(|s| i.intern(s)).collect();
        for (n, (s, sym)) in ids.iter().zip(&syms).enumerate() {
            assert_eq!(sym.index(), n);
            assert_eq!(i.resolve(*sym), s);
            assert_eq!(i.intern(s), *sym);
        }
        assert_eq!(i.len(), 10_000);
    }

    #[test]
    fn a_batch_gives_the_symbols_of_one_at_a_time() {
        let strs: Vec<String> = (0..5_000).map(|n| format!("id-{}", n % 3_001)).collect();
        let mut one: Interner = Interner::default();
        let singly: Vec<Sym> = strs.iter().map(|s| one.intern(s)).collect();
        let mut batched: Interner = Interner::default();
        assert!(batched.intern_batch([]).is_empty());
        let mut syms = Vec::new();
        for batch in strs.chunks(64) {
            syms.extend_from_slice(batched.intern_batch(batch.iter().map(String::as_str)));
        }
        assert_eq!(syms, singly);
        assert_eq!(batched.len(), 3_001);
        let mut collide = Interner::<Collide>::default();
        let few = ["a", "b", "a", "fifteen-bytes-!x", "fifteen-bytes-!y", "b"];
        let syms = collide.intern_batch(few).to_vec();
        let expected: Vec<usize> = vec![0, 1, 0, 2, 3, 1];
        assert_eq!(syms.iter().map(|s| s.index()).collect::<Vec<_>>(), expected);
    }

    /// A hasher that gives every string the same hash: every lookup then meets every
    /// other string's slot, and only the keys and the arena tell them apart.
    #[derive(Debug, Default, Clone)]
    struct Collide;

    impl BuildHasher for Collide {
        type Hasher = Collide;
        fn build_hasher(&self) -> Collide {
            Collide
        }
    }

    impl std::hash::Hasher for Collide {
        fn finish(&self) -> u64 {
            0x5eed_0000_0000_0003
        }
        fn write(&mut self, _: &[u8]) {}
    }

    #[test]
    fn frozen_ids_find_and_resolve_what_was_interned() {
        let mut i: Interner = Interner::default();
        let ids: Vec<String> = (0..3_000)
            .map(|n| format!("node-{n}-{}", "x".repeat(n % 20)))
            .collect();
        let syms: Vec<Sym> = ids.iter().map(|s| i.intern(s)).collect();
        let frozen = i.freeze();
        assert_eq!(frozen.len(), 3_000);
        for (s, sym) in ids.iter().zip(&syms) {
            assert_eq!(frozen.find(s), Some(*sym));
            assert_eq!(frozen.resolve(*sym), s);
        }
        assert_eq!(frozen.find("node-3000"), None);
        assert_eq!(
            Ids::<hashbrown::DefaultHashBuilder>::default().find(""),
            None
        );
        // Every string colliding: only the arena tells them apart.
        let mut c = Interner::<Collide>::default();
        let few = ["", "a", "b", "fifteen-bytes-!x", "fifteen-bytes-!y"];
        let syms: Vec<Sym> = few.iter().map(|s| c.intern(s)).collect();
        let frozen = c.freeze();
        for (s, sym) in few.iter().zip(&syms) {
            assert_eq!(frozen.find(s), Some(*sym), "{s:?}");
        }
        assert_eq!(frozen.find("c"), None);
    }

    #[test]
    fn tells_apart_strings_whose_hashes_collide() {
        let mut i = Interner::<Collide>::default();
        let prefix = "fifteen-bytes-!";
        let strs = [
            "",
            "a",
            prefix,
            &format!("{prefix}x")[..],
            &format!("{prefix}y")[..],
            &format!("{prefix}xy")[..],
        ];
        let syms: Vec<Sym> = strs.iter().map(|s| i.intern(s)).collect();
        for (n, (s, sym)) in strs.iter().zip(&syms).enumerate() {
            assert_eq!(sym.index(), n, "{s:?}");
            assert_eq!(i.find(s), Some(*sym));
        }
        assert_eq!(i.find(&format!("{prefix}z")), None);
    }
}
