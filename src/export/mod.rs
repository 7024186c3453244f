//! Exporters: one module per format, each turning a [`View`](crate::view::View) into
//! text. Pure: they return strings; commands decide where the text goes.
//!
//! **Architecture invariant:** every piece of data text that reaches an export passes
//! through that format's one escaping function (`dot::quote`, `mermaid::label`), so a
//! name or summary can never inject attributes, elements or script.

pub mod dot;
pub mod json;
pub mod mermaid;
pub mod style;
