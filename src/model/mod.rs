//! The data model of SPEC.md: node kinds, relations, stances, partial dates and the
//! records a collection is made of. Plain data with serde; no I/O and no graph.
//!
//! The rules that say which relation may join which kinds live here too
//! ([`Relation::allows`]), so the validator, the documentation and later the exporters
//! all read the same table.

mod date;
pub mod field;
mod kind;
mod record;

pub use date::{DateError, END_WORDS, End, MONTH_NAMES, PartialDate};
pub use kind::{NodeKind, Relation, Stance};
pub(crate) use record::Parts;
pub use record::{
    About, AliasIter, Aliases, AttrValue, Attrs, Dataset, Edge, EdgeLoc, Era, Node, NodeLoc,
    Source, TextField, Texts, era_file_stems,
};
