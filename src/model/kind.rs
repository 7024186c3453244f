//! Closed vocabularies: node kinds, relations and stances, with their spellings.

use serde::{Serialize, Serializer};
use std::fmt;

/// Declares a closed vocabulary: an enum with its kebab-case spellings, `ALL`, `as_str`
/// and `parse`. One macro so the three vocabularies cannot drift apart in behaviour.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order (the order used in listings).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in data files and on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses the exact spelling; callers offer suggestions on failure.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Every spelling, for messages and suggestions.
            pub fn spellings() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                Self::parse(text).ok_or_else(|| {
                    format!("expected one of: {}", Self::spellings().join(", "))
                })
            }
        }
    };
}

vocabulary! {
    /// What a node is.
    NodeKind {
        /// A programme, fund, pilot, plan or strategy that launches policy.
        Initiative => "initiative",
        /// An organisation, board, committee or partnership.
        Body => "body",
        /// An Act or statutory instrument.
        Legislation => "legislation",
        /// A review, report, paper or white paper read as evidence.
        Document => "document",
        /// One judgement made in a document, paraphrased, with a stance.
        Finding => "finding",
    }
}

vocabulary! {
    /// A typed edge; it reads as a sentence: FROM relation TO.
    Relation {
        /// FROM was created or launched by TO.
        EstablishedBy => "established-by",
        /// FROM replaced, succeeded or absorbed TO.
        Replaced => "replaced",
        /// FROM was judged by TO.
        EvaluatedBy => "evaluated-by",
        /// FROM draws on or cites TO; a finding cites the document that makes it.
        Cites => "cites",
        /// FROM was published by TO.
        PublishedBy => "published-by",
        /// FROM, a finding, is reported in TO, a later document that is not its source.
        ReportedIn => "reported-in",
        /// FROM, which already existed, was reformed, renamed or put on a statutory
        /// footing by TO.
        ReformedBy => "reformed-by",
        /// FROM proposed or led to TO: a white paper to its Act, a pilot to a programme.
        LedTo => "led-to",
    }
}

vocabulary! {
    /// The direction of a judgement.
    Stance {
        /// The judgement finds fault.
        Critical => "critical",
        /// The judgement finds in favour.
        Supportive => "supportive",
        /// The judgement finds both.
        Mixed => "mixed",
        /// The judgement describes without taking a side.
        Neutral => "neutral",
    }
}

impl NodeKind {
    /// Whether nodes of this kind run for a time (initiatives and bodies), so that an
    /// end, ongoing or unknown, is part of what they are. Laws, documents and findings
    /// are dated by their start.
    pub fn has_lifespan(self) -> bool {
        matches!(self, NodeKind::Initiative | NodeKind::Body)
    }
}

impl Relation {
    /// The kinds each end of this relation may have: (FROM kinds, TO kinds).
    ///
    /// This is the table of SPEC.md's data model, with one widening the seeds need:
    /// `cites` may point at an initiative, because a published plan or strategy (the
    /// Five Year Forward View, the Long Term Plan) is both a policy that establishes
    /// things and a text that reviews cite; and `cites` may point at legislation, because
    /// a text cites an Act (and an imported legislation.gov.uk file is the source of the
    /// Act it describes: `import clml`). `replaced` additionally requires both ends to
    /// have the same kind, except that an initiative and a body may follow each other
    /// (GP fundholding was followed by primary care groups), which [`Relation::allows`]
    /// checks.
    pub fn endpoint_kinds(self) -> (&'static [NodeKind], &'static [NodeKind]) {
        use NodeKind::*;
        match self {
            Relation::EstablishedBy => (&[Body, Initiative], &[Legislation, Body, Initiative]),
            Relation::Replaced => (
                &[Initiative, Body, Legislation, Document],
                &[Initiative, Body, Legislation, Document],
            ),
            Relation::EvaluatedBy => (&[Initiative, Body, Legislation], &[Finding, Document]),
            Relation::Cites => (&[Document, Finding], &[Document, Initiative, Legislation]),
            Relation::PublishedBy => (&[Document], &[Body]),
            Relation::ReportedIn => (&[Finding], &[Document]),
            Relation::ReformedBy => (&[Body, Initiative], &[Legislation, Initiative, Document]),
            Relation::LedTo => (
                &[Document, Initiative, Body],
                &[Initiative, Legislation, Body],
            ),
        }
    }

    /// Whether an edge `from -[self]-> to` joins kinds the data model allows.
    pub fn allows(self, from: NodeKind, to: NodeKind) -> bool {
        let (froms, tos) = self.endpoint_kinds();
        froms.contains(&from)
            && tos.contains(&to)
            && (self != Relation::Replaced || follows(from, to))
    }
}

/// Whether a node of kind `later` may replace one of kind `earlier`: the same kind, or
/// an initiative and a body either way round (both run for a time).
fn follows(later: NodeKind, earlier: NodeKind) -> bool {
    later == earlier || (later.has_lifespan() && earlier.has_lifespan())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for kind in NodeKind::ALL {
            assert_eq!(NodeKind::parse(kind.as_str()), Some(*kind));
        }
        for relation in Relation::ALL {
            assert_eq!(Relation::parse(relation.as_str()), Some(*relation));
        }
        for stance in Stance::ALL {
            assert_eq!(Stance::parse(stance.as_str()), Some(*stance));
        }
        assert_eq!(NodeKind::parse("Body"), None, "spellings are exact");
    }

    #[test]
    fn replaced_needs_the_same_kind_or_two_that_run_for_a_time() {
        assert!(Relation::Replaced.allows(NodeKind::Body, NodeKind::Body));
        assert!(Relation::Replaced.allows(NodeKind::Body, NodeKind::Initiative));
        assert!(Relation::Replaced.allows(NodeKind::Initiative, NodeKind::Body));
        assert!(!Relation::Replaced.allows(NodeKind::Body, NodeKind::Legislation));
        assert!(!Relation::Replaced.allows(NodeKind::Document, NodeKind::Initiative));
        assert!(!Relation::Replaced.allows(NodeKind::Finding, NodeKind::Finding));
    }

    #[test]
    fn published_by_runs_from_document_to_body() {
        assert!(Relation::PublishedBy.allows(NodeKind::Document, NodeKind::Body));
        assert!(!Relation::PublishedBy.allows(NodeKind::Body, NodeKind::Document));
    }
}
