//! Text no field may hold.

use crate::diag::{Code, Loc, Problem, Problems, excerpt};
use crate::graph::PolicyGraph;
use crate::model::{TextField, Texts};
use crate::text::{Unsafe, first_unsafe};

/// Text a field may not hold ([`crate::text::first_unsafe`]: control characters, line
/// breaks in one-line fields, bidirectional controls, invisible characters, noncharacters)
/// in any text field of a node, an era, the collection or an edge: an error, at the
/// record. Which fields are text is [`Texts`]' business, so none is missed.
pub(super) fn unsafe_text(g: &PolicyGraph, problems: &mut Problems) {
    fn first<T: Texts>(record: &T) -> Option<(TextField<'_>, Unsafe)> {
        record.find_text(|field, text| first_unsafe(text, field.lines()).map(|u| (field, u)))
    }
    let mut report = |loc: Loc, owner: &dyn Fn() -> String, (field, found): (TextField, Unsafe)| {
        problems.push_with(Code::from(&found), || {
            let message = format!(
                "{} of {} contains {}",
                field.describe(),
                owner(),
                found.describe()
            );
            Problem::error(Code::from(&found), loc, message)
                .label("here")
                .help(found.help(field.lines()))
        });
    };
    for ix in g.nodes() {
        let n = g.node(ix);
        if let Some(found) = first(n) {
            report(n.loc.id(), &|| format!("`{}`", excerpt(&n.id)), found);
        }
    }
    for era in &g.eras {
        if let Some(found) = first(era) {
            report(
                era.loc,
                &|| format!("the era `{}`", excerpt(&era.name)),
                found,
            );
        }
    }
    if let Some(about) = &g.about
        && let Some(found) = first(about)
    {
        report(about.loc, &|| "the collection".to_string(), found);
    }
    for e in g.edges() {
        let edge = g.edge(e);
        if let Some(found) = first(edge) {
            let owner = || {
                let (a, b) = g.endpoints(e);
                let (from, to) = (excerpt(&g.node(a).id), excerpt(&g.node(b).id));
                format!("the edge `{from}` {} `{to}`", edge.relation)
            };
            report(edge.loc.whole(), &owner, found);
        }
    }
}
