//! policygraph: the history of public policy as a typed graph.
//!
//! Initiatives, bodies, legislation, documents and findings are nodes; typed edges say
//! what established, replaced, evaluated, cited or published what. This crate loads
//! curated TOML or CSV collections, checks them with located diagnostics, builds a
//! petgraph graph and answers questions about it. The binary is a thin shell over
//! [`cli::run`].

pub mod attr_name; // free attributes in flat formats: one prefix for CSV, GraphML and GEXF
pub mod blocks; // long text formatted a block at a time on every core, written in order
pub mod check; // graph-wide checks: provenance, relation kinds, lineage cycles, warnings
pub mod cli; // command-line parsing, dispatch, exit codes
pub mod cmd; // one module per subcommand
pub mod confusable; // look-alike characters in ids and names (UTS 39), named for messages
pub mod diag; // problems, locations, and drawing them with miette
pub mod export; // one module per format: DOT, JSON, GraphML, GEXF, CSV, Cypher, Mermaid
pub mod font; // the embedded typeface (Liberation Sans) and text widths measured with it
pub mod graph; // PolicyGraph: petgraph with an id index; NODE argument resolution
pub mod import; // records from other tools (reference managers) merged into a TOML file
mod intern; // interned ids: the graph's id index
pub mod json; // the JSON contract's node and edge shapes
pub mod layeringchart; // the layering chart (initiatives per year, added, ended, drifting) as SVG
pub mod load; // TOML and CSV loaders -> Dataset + problems
pub mod model; // kinds, relations, stances, partial dates, records
pub mod open; // load + build + check: the opening steps of every command
pub mod outdir; // the --out directory of build and seminar: no links, one writer, a manifest
pub mod output; // atomic file writes; -o targets (stdout, FIFOs, devices, links)
pub mod query; // pure queries: lineage, critiques, paths, neighbours, timeline, stats
pub mod raster; // SVG to PNG (resvg) and PDF (svg2pdf) with the embedded font, nothing installed
pub mod render; // DOT to SVG/PNG/PDF: embedded pure-Rust Graphviz, or the system `dot`
pub mod spreadsheet; // CSV cells quoted so spreadsheets never run them as formulas
pub mod suggest; // "did you mean" suggestions
pub mod teach; // the seminar deck, the handout and the offline explorer
pub mod text; // what data text may hold, and how it is shown escaped when it may not
pub mod timechart; // the lineage chart on a true time axis, laid out and written as SVG by us
pub mod view; // the subgraph a diagram draws: whole, lineage, critiques, citations, ego, years
pub mod weblink; // the one check of a `url` or `doi` before it becomes a link
