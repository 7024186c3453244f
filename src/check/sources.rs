//! Provenance: every source names a document node.

use crate::diag::{Code, Problem, Problems};
use crate::graph::PolicyGraph;
use crate::model::{NodeKind, Source};

/// Every source of a node or an edge must name a node (`unknown-node`, with a hint for
/// the first few) that is a document (`source-not-document`).
pub(super) fn sources(g: &PolicyGraph, problems: &mut Problems) {
    let mut hinted = 0;
    let mut one = |source: &Source, problems: &mut Problems| {
        let Some(ix) = g.endpoint(&source.doc, source.loc, problems, &mut hinted) else {
            return;
        };
        let doc = g.node(ix);
        if doc.kind != NodeKind::Document {
            problems.push_with(Code::SourceNotDocument, || {
                Problem::error(
                    Code::SourceNotDocument,
                    source.loc,
                    format!("source `{}` is a {}, not a document", doc.id(), doc.kind),
                )
                .label("sources must name document nodes")
                .help(Code::SourceNotDocument.help())
            });
        }
    };
    for ix in g.nodes() {
        for s in g.node(ix).sources() {
            one(s, problems);
        }
    }
    for e in g.edges() {
        for s in g.edge(e).sources() {
            one(s, problems);
        }
    }
}
