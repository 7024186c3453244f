//! Exporters: one module per format, each turning a [`View`](crate::view::View) into
//! text. Pure: they return strings; commands decide where the text goes.
//!
//! **Architecture invariant:** every piece of data text that reaches an export passes
//! through that format's one escaping function (`dot::quote`, `mermaid::label`,
//! `xml::clean` then quick-xml's escaping for GraphML and GEXF, the csv crate's quoting,
//! `cypher::literal`), so a name or summary can never inject attributes, elements,
//! statements or script.

pub mod csv;
pub mod cypher;
pub mod dot;
pub mod edge_id;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod mermaid;
pub mod neo4j;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod references;
pub mod style;
pub mod xml;
