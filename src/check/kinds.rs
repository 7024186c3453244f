//! Which kinds a relation may join ([`Relation::allows`], from the one table
//! [`Relation::endpoint_kinds`]).

use crate::diag::{Code, Problem, Problems};
use crate::graph::PolicyGraph;
use crate::model::{NodeKind, Relation};

/// Edges joining kinds their relation may not join: `replaced-kind-mismatch` for a
/// `replaced` edge between different kinds, `relation-kinds` for the rest.
pub(super) fn relation_kinds(g: &PolicyGraph, problems: &mut Problems) {
    for e in g.edges() {
        let (a, b) = g.endpoints(e);
        let edge = g.edge(e);
        if edge.relation.allows(g.kind(a), g.kind(b)) {
            continue;
        }
        let (from, to) = (g.node(a), g.node(b));
        let sentence = || {
            format!(
                "`{}` ({}) {} `{}` ({})",
                from.id(),
                from.kind,
                edge.relation,
                to.id(),
                to.kind
            )
        };
        if edge.relation == Relation::Replaced && from.kind != to.kind {
            let code = Code::ReplacedKindMismatch;
            problems.push_with(code, || {
                let message = format!("{}: `replaced` joins nodes of the same kind", sentence());
                Problem::error(code, edge.loc.relation(), message)
                    .label("different kinds")
                    .help(code.help())
            });
        } else {
            let code = Code::RelationKinds;
            problems.push_with(code, || {
                let message = format!("{}: the data model does not allow these kinds", sentence());
                let (froms, tos) = edge.relation.endpoint_kinds();
                Problem::error(code, edge.loc.relation(), message)
                    .label("not allowed between these kinds")
                    .help(format!(
                        "`{}` runs from {} to {}",
                        edge.relation,
                        kinds_list(froms),
                        kinds_list(tos)
                    ))
            });
        }
    }
}

fn kinds_list(kinds: &[NodeKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    names.join(" or ")
}
