//! Long text formatted on every core and written in order: the items are cut into
//! blocks, the blocks are formatted by as many threads as the machine has (at most
//! [`MAX_THREADS`]), and the calling thread writes them out one after another. The
//! bytes are exactly those of formatting every item in turn on one thread; memory is a
//! few blocks per thread, whatever the item count.
//!
//! Used by the DOT exporter for the node and edge statements of a view, which at 10^6
//! nodes are 489 MB of text: formatting them was most of `export --format dot` after
//! the load, and it waits on memory (each edge line reads the records of both its
//! ends, far apart), so two threads overlap twice the cache misses. Measured at 10^6
//! nodes, `export --format dot -o FILE`, whole process, 5 paired runs on a noisy 2-core
//! machine: wall time median 0.79 of one thread (0.66 to 0.90), the same bytes, the
//! same peak memory (362 MiB). Helpers formatting every block while the caller only
//! wrote was 8 % slower (5 paired runs): on 2 cores the writer then waits on them.
//!
//! Also used for the long arrays of a JSON answer (`crate::cmd::print::write_members`):
//! `critiques --stance critical --format json` at 10^6 nodes writes 165 MB; wall time
//! median 0.94 and 0.85 of one thread in two sets of 7 and 9 paired runs (0.64 to
//! 1.10: the machine was noisy), the same bytes, the same peak memory (363 MiB).
//!
//! [`map`] is the same idea for independent pieces of work that give a value each (the
//! graph's checks, the chunks of a bibliography's citations): each thread takes the
//! next piece not yet taken, and the values come back in the pieces' order. Its gains
//! are measured where it is used (`crate::check`, `crate::query::bibliography`).

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// A block's text: a `String` (DOT) or bytes (JSON, which serde writes as bytes).
pub trait Buffer: Default + Send {
    /// Empties it, keeping its memory.
    fn clear(&mut self);
    /// What it holds.
    fn bytes(&self) -> &[u8];
}

impl Buffer for String {
    fn clear(&mut self) {
        String::clear(self);
    }
    fn bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Buffer for Vec<u8> {
    fn clear(&mut self) {
        Vec::clear(self);
    }
    fn bytes(&self) -> &[u8] {
        self
    }
}

/// More threads than this would only add blocks in flight: the writer is one thread.
pub const MAX_THREADS: usize = 4;

/// The threads to format with: the machine's cores, at most [`MAX_THREADS`].
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_THREADS)
}

/// Writes items `0..count` to `out`, in order, a block of them at a time formatted by
/// `format(range, buf)` appending their text to `buf` (a range, so that the caller can
/// walk it with [`crate::graph::PolicyGraph::nodes_in`]'s read-ahead). Blocks of `block`
/// items are formatted on `threads` threads, the caller's included, which also writes;
/// with one thread, or a single block, everything is done on the caller's. The first error
/// writing to `out` stops the work and is returned; a panic in `format` is resumed on the
/// caller's thread.
pub fn write_in_order<B: Buffer>(
    count: usize,
    block: usize,
    threads: usize,
    out: &mut dyn Write,
    format: impl Fn(std::ops::Range<usize>, &mut B) + Sync,
) -> io::Result<()> {
    let block = block.max(1);
    let blocks = count.div_ceil(block);
    let threads = threads.clamp(1, blocks.max(1));
    let range = |b: usize| b * block..((b + 1) * block).min(count);
    let fill = |b: usize, buf: &mut B| {
        buf.clear();
        format(range(b), buf);
    };
    if threads == 1 {
        let mut mine = B::default();
        for b in 0..blocks {
            fill(b, &mut mine);
            out.write_all(mine.bytes())?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        // The caller formats blocks 0, threads, 2 threads... and writes every block;
        // helper `h` (1..threads) formats blocks h, h + threads, h + 2 threads...,
        // sends them in order over a channel of its own and gets the emptied buffers
        // back over another, so no block is allocated twice. (Helpers only, the caller
        // writing only, was 8 % slower on 2 cores: 5 paired runs at 10^6 nodes.)
        let mut helpers: Vec<(Receiver<B>, SyncSender<B>)> = Vec::new();
        let mut handles = Vec::new();
        for h in 1..threads {
            let (full_tx, full_rx) = sync_channel::<B>(1);
            let (empty_tx, empty_rx) = sync_channel::<B>(2);
            let fill = &fill;
            handles.push(scope.spawn(move || {
                for b in (h..blocks).step_by(threads) {
                    let mut buf = empty_rx.try_recv().unwrap_or_default();
                    fill(b, &mut buf);
                    if full_tx.send(buf).is_err() {
                        // The writer stopped (an error writing): so does this helper.
                        return;
                    }
                }
            }));
            helpers.push((full_rx, empty_tx));
        }
        let written = (|| {
            let mut mine = B::default();
            for b in 0..blocks {
                let h = b % threads;
                if h == 0 {
                    fill(b, &mut mine);
                    out.write_all(mine.bytes())?;
                    continue;
                }
                let (full, empty) = &helpers[h - 1];
                // A helper that panicked hung up early: its join below resumes the panic.
                let Ok(buf) = full.recv() else {
                    return Ok(());
                };
                out.write_all(buf.bytes())?;
                // A full return channel only means the helper keeps a spare already.
                let _ = empty.try_send(buf);
            }
            Ok(())
        })();
        // Hang up first, so that a helper waiting to send after an error ends.
        drop(helpers);
        for handle in handles {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        written
    })
}

/// `f` applied to every item, on `threads` threads (the caller's included) each taking
/// the next item not yet taken: the results in the order of `items`, the same whatever
/// the threads. For work in a few dozen independent pieces of uneven size (the graph's
/// checks, a bibliography's chunks). A panic in `f` is resumed on the caller's thread.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            match helper.join() {
                Ok(more) => done.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(i: usize, buf: &mut String) {
        use std::fmt::Write;
        // Items of different lengths, some empty.
        for _ in 0..i % 4 {
            let _ = write!(buf, "{i},");
        }
        if i.is_multiple_of(7) {
            buf.push('\n');
        }
    }

    fn items(range: std::ops::Range<usize>, buf: &mut String) {
        for i in range {
            item(i, buf);
        }
    }

    fn one_by_one(count: usize) -> String {
        let mut all = String::new();
        items(0..count, &mut all);
        all
    }

    proptest! {
        /// Whatever the count, block size and threads, the bytes are those of
        /// formatting every item in turn.
        #[test]
        fn blocks_come_out_in_order(count in 0usize..5000, block in 0usize..300, threads in 1usize..6) {
            let mut out = Vec::new();
            write_in_order(count, block, threads, &mut out, items).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), one_by_one(count));
        }
    }

    proptest! {
        /// Whatever the threads, `map` gives the results in the order of the items.
        #[test]
        fn map_keeps_the_order(items in proptest::collection::vec(0u32..1000, 0..300), threads in 1usize..6) {
            let square = |x: &u32| u64::from(*x) * u64::from(*x);
            prop_assert_eq!(map(&items, threads, square), items.iter().map(square).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_panic_in_map_reaches_the_caller() {
        let items: Vec<usize> = (0..64).collect();
        let caught = std::panic::catch_unwind(|| {
            map(&items, 3, |&i| {
                assert!(i != 40, "item 40");
                i
            })
        });
        assert!(caught.is_err());
    }

    /// A writer that fails after some bytes.
    struct Failing(usize);

    impl Write for Failing {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.0 < bytes.len() {
                return Err(io::Error::other("disk full"));
            }
            self.0 -= bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_error_stops_every_thread_and_is_returned() {
        for threads in 1..=4 {
            let err = write_in_order(100_000, 16, threads, &mut Failing(5000), items).unwrap_err();
            assert_eq!(err.to_string(), "disk full");
        }
    }

    #[test]
    #[should_panic(expected = "item 777")]
    fn a_panic_in_a_helper_reaches_the_caller() {
        let _ = write_in_order(10_000, 10, 3, &mut io::sink(), |range, buf| {
            assert!(!range.contains(&777), "item 777");
            items(range, buf);
        });
    }
}
