//! "Did you mean" suggestions: the closest spellings to a mistyped id, field, kind or
//! relation, by normalised Damerau-Levenshtein similarity.

/// Similarity at or above which a candidate is offered.
const THRESHOLD: f64 = 0.7;

/// The closest candidate to `input`, if any is close enough.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest(input, candidates, 1).into_iter().next()
}

/// Up to `n` candidates close to `input`, best first; ties break alphabetically so the
/// answer is deterministic.
pub fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let needle = input.to_lowercase();
    let needle_chars = needle.chars().count();
    // How often each ASCII character occurs in the input (for an ASCII input).
    let needle_counts = needle.is_ascii().then(|| {
        let mut counts = [0i32; 128];
        for b in needle.bytes() {
            counts[usize::from(b)] += 1;
        }
        counts
    });
    // An ASCII candidate is lowered into this buffer rather than a new string.
    let mut lowered = String::new();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            if c == input || crate::confusable::print_alike(input, c) {
                // Never offer what prints exactly like the input: the reader could
                // not see the difference (a Cyrillic "а" for a Latin "a").
                return None;
            }
            let lower: &str = if c.is_ascii() {
                // The distance is at least the difference in length, so a candidate
                // whose length is too far from the input's cannot reach the threshold:
                // skipped before the quadratic comparison (a scan of a million names).
                let (short, long) = (c.len().min(needle_chars), c.len().max(needle_chars));
                // (A hair of slack keeps rounding from ever skipping a borderline one.)
                if long > 0 && (short as f64) < THRESHOLD * long as f64 - 1e-9 {
                    return None;
                }
                lowered.clear();
                lowered.extend(c.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                // Each edit changes the counts of at most two characters by one (a
                // transposition none), so the distance is at least half the difference
                // in counts: a second bound, linear where the comparison is quadratic.
                if let Some(counts) = needle_counts.as_ref().filter(|_| long > 0) {
                    let mut diff = *counts;
                    for b in lowered.bytes() {
                        diff[usize::from(b)] -= 1;
                    }
                    let apart: i32 = diff.iter().map(|d| d.abs()).sum();
                    if 1.0 - f64::from(apart) / (2.0 * long as f64) < THRESHOLD - 1e-9 {
                        return None;
                    }
                }
                &lowered
            } else {
                lowered = c.to_lowercase();
                &lowered
            };
            let score = strsim::normalized_damerau_levenshtein(&needle, lower);
            (score >= THRESHOLD).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A suggestion that prints exactly like the input would show the reader two equal
    /// strings: never offered.
    #[test]
    fn never_suggests_what_prints_like_the_input() {
        let ids = ["ascl\u{0430}-2009", "ascl-2010"];
        assert_eq!(did_you_mean("ascla-2009", ids), Some("ascl-2010"));
        assert_eq!(did_you_mean("ascl\u{0430}-2009", ["ascla-2009"]), None);
    }

    #[test]
    fn suggests_the_near_spelling() {
        let ids = ["health-and-wellbeing-boards", "better-care-fund"];
        assert_eq!(
            did_you_mean("helth-and-wellbeing-boards", ids),
            Some("health-and-wellbeing-boards")
        );
        assert_eq!(did_you_mean("zzz", ids), None);
    }

    proptest::proptest! {
        /// Skipping candidates by length never changes the answer.
        #[test]
        fn the_length_bound_is_exact(
            input in "[a-dA-Dé -]{0,10}",
            candidates in proptest::collection::vec("[a-dA-DéÉΣ -]{0,14}", 0..60),
        ) {
            let reference = |input: &str, candidates: &[String]| {
                let needle = input.to_lowercase();
                let mut scored: Vec<(f64, &str)> = candidates
                    .iter()
                    .filter_map(|c| {
                        let score = strsim::normalized_damerau_levenshtein(&needle, &c.to_lowercase());
                        (score >= THRESHOLD && c != input).then_some((score, c.as_str()))
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
                scored.dedup_by(|a, b| a.1 == b.1);
                scored.into_iter().take(5).map(|(_, c)| c.to_string()).collect::<Vec<_>>()
            };
            let got: Vec<String> = closest(&input, candidates.iter().map(String::as_str), 5)
                .into_iter()
                .map(String::from)
                .collect();
            proptest::prop_assert_eq!(got, reference(&input, &candidates));
        }
    }

    #[test]
    fn ties_are_alphabetical() {
        assert_eq!(closest("abcd", ["abce", "abcc"], 2), vec!["abcc", "abce"]);
    }
}
