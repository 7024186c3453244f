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
            report(n.loc.id(), &|| format!("`{}`", excerpt(n.id())), found);
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
                let (from, to) = (excerpt(g.node(a).id()), excerpt(g.node(b).id()));
                format!("the edge `{from}` {} `{to}`", edge.relation)
            };
            report(edge.loc.whole(), &owner, found);
        }
    }
}

/// Names and aliases with a word that mixes scripts through a look-alike character
/// (`Cаre` with a Cyrillic "а"): it prints like a word it will never match. A warning,
/// at the node, naming the character ([`crate::confusable`]).
pub(super) fn look_alikes(g: &PolicyGraph, problems: &mut Problems) {
    let code = Code::LookAlike;
    for ix in g.nodes() {
        let n = g.node(ix);
        let texts =
            std::iter::once(("name", n.name())).chain(n.aliases().iter().map(|a| ("alias", a)));
        for (what, text) in texts {
            if text.is_ascii() {
                continue;
            }
            let Some((word, found)) = crate::confusable::mixed_script_words(text)
                .into_iter()
                .next()
            else {
                continue;
            };
            problems.push_with(code, || {
                let message = format!(
                    "the {what} of `{}` has a word, `{}`, with {}",
                    excerpt(n.id()),
                    excerpt(word),
                    crate::confusable::explain(&found)
                );
                Problem::warning(code, n.loc.id(), message)
                    .label("look-alike here")
                    .help({
                        let plain = crate::confusable::to_ascii_look_alike(word);
                        format!(
                            "retype it as `{0}`, in one script: as written it prints like `{0}` but is not equal to it, so a search or a NODE argument typed with plain letters does not match this {1}",
                            excerpt(&plain),
                            what
                        )
                    })
            });
        }
    }
}
