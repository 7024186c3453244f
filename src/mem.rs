//! Large arrays that are read before they are written.
//!
//! A large zeroed allocation is fresh pages. Reading one first maps the shared zero page;
//! the first write to it then faults a second time, to copy it, and flushes the TLB of
//! every other thread of the process. In a hash table or a counter array read at random
//! positions that is most pages, and on two threads it cost a third of the time spent
//! interning a million edge endpoints.

/// `n` copies of `value`, written now rather than allocated zeroed, so later reads and
/// writes at random positions fault at most once per page. `black_box` hides the value,
/// so the fill is not turned back into a zeroed allocation when it is zero.
pub(crate) fn filled<T: Copy>(n: usize, value: T) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    v.resize(n, std::hint::black_box(value));
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn filled_is_the_value_n_times() {
        assert_eq!(super::filled(3, 7u32), vec![7, 7, 7]);
        assert_eq!(super::filled(0, 0u64), Vec::<u64>::new());
        assert!(super::filled(1 << 20, 0u64).iter().all(|&x| x == 0));
    }
}
