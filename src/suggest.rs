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
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let score = strsim::normalized_damerau_levenshtein(&needle, &c.to_lowercase());
            (score >= THRESHOLD && c != input).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_near_spelling() {
        let ids = ["health-and-wellbeing-boards", "better-care-fund"];
        assert_eq!(
            did_you_mean("helth-and-wellbeing-boards", ids),
            Some("health-and-wellbeing-boards")
        );
        assert_eq!(did_you_mean("zzz", ids), None);
    }

    #[test]
    fn ties_are_alphabetical() {
        assert_eq!(closest("abcd", ["abce", "abcc"], 2), vec!["abcc", "abce"]);
    }
}
