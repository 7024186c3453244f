//! Dates out of order along an edge. Partial dates are intervals: `2013` is all of
//! 2013, so only dates that cannot be in order are reported.
//!
//! An establisher may begin up to [`ESTABLISHER_LAG`] years after what it established:
//! a body can be set up in shadow form, or a programme launched, the year before the Act
//! that gives it its powers. Later than that, the law or plan reformed something that
//! already existed (`reformed-by`).

use crate::diag::{Code, Problem, Problems};
use crate::graph::PolicyGraph;
use crate::model::Relation;

/// What the TO end of an edge does to the FROM end, when it acts (and so should not
/// after its own end). Written out for every relation, so a new one is decided here.
fn act(relation: Relation) -> Option<&'static str> {
    match relation {
        Relation::EstablishedBy => Some("establishes"),
        Relation::EvaluatedBy => Some("evaluates"),
        Relation::PublishedBy => Some("publishes"),
        Relation::ReformedBy => Some("reforms"),
        Relation::Replaced | Relation::Cites | Relation::ReportedIn | Relation::LedTo => None,
    }
}

/// How many years an establisher may begin after what it established.
pub const ESTABLISHER_LAG: u16 = 1;

/// A successor that started before what it replaced (`successor-starts-first`), an
/// establisher that began well after what it established (`establisher-starts-later`),
/// and a node that establishes, evaluates, publishes or reforms after its own end
/// (`acts-after-end`).
pub(super) fn dates(g: &PolicyGraph, problems: &mut Problems) {
    for e in g.edges() {
        let edge = g.edge(e);
        // Only these relations order their ends in time: the others (half of a citation
        // network's edges) need not visit the nodes.
        if edge.relation != Relation::Replaced && act(edge.relation).is_none() {
            continue;
        }
        let (a, b) = g.endpoints(e);
        let (from, to) = (g.node(a), g.node(b));
        if edge.relation == Relation::EstablishedBy
            && let (Some(fs), Some(ts)) = (from.start, to.start)
            && ts.earliest().0 > fs.latest().0.saturating_add(ESTABLISHER_LAG)
        {
            let code = Code::EstablisherStartsLater;
            problems.push_with(code, || {
                let message = format!(
                    "`{}` ({fs}) was established by `{}`, which began in {ts}",
                    from.id(),
                    to.id()
                );
                Problem::warning(code, edge.loc.relation(), message)
                    .label("established before its establisher began")
                    .help(code.help())
            });
        }
        // An older body may absorb a younger one (NHS England absorbing NHS
        // Improvement in 2022): dated on the edge, after the predecessor began, that is
        // an absorption, not dates out of order.
        let absorbed =
            |ts: crate::model::PartialDate| edge.date.is_some_and(|d| d.latest() >= ts.earliest());
        if edge.relation == Relation::Replaced
            && let (Some(fs), Some(ts)) = (from.start, to.start)
            && fs.latest() < ts.earliest()
            && !absorbed(ts)
        {
            let code = Code::SuccessorStartsFirst;
            problems.push_with(code, || {
                let message = format!(
                    "`{}` ({fs}) replaced `{}` ({ts}), which started later",
                    from.id(),
                    to.id()
                );
                Problem::warning(code, edge.loc.relation(), message)
                    .label("successor starts before its predecessor")
                    .help(code.help())
            });
        }
        // When the act happened: the edge's own date, else the start of what was
        // established or published. An evaluation is dated by its edge only.
        let Some(verb) = act(edge.relation) else {
            continue;
        };
        let acted = match edge.relation {
            Relation::EvaluatedBy => edge.date,
            _ => edge.date.or(from.start),
        };
        if let (Some(when), Some(end)) = (acted, to.end.date())
            && end.latest() < when.earliest()
        {
            let code = Code::ActsAfterEnd;
            problems.push_with(code, || {
                let message = format!(
                    "`{}` ended in {end} but {verb} `{}` in {when}",
                    to.id(),
                    from.id()
                );
                Problem::warning(code, edge.loc.to(), message)
                    .label("acts after its own end")
                    .help(code.help())
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::{Code, Problems};
    use crate::graph::PolicyGraph;

    /// `successor-starts-first` for an older successor, unless the edge is dated as an
    /// absorption (after the predecessor began).
    fn warned(edge_date: &str) -> bool {
        let text = format!(
            r#"
[[node]]
id = "big"
kind = "body"
name = "Big"
start = "2013"
[[node]]
id = "small"
kind = "body"
name = "Small"
start = "2016-04-01"
[[edge]]
from = "big"
relation = "replaced"
to = "small"
{edge_date}
"#
        );
        let loaded = crate::load::toml_text("t.toml", &text);
        let mut problems = Problems::default();
        let g = PolicyGraph::build(loaded.dataset, &mut problems);
        super::dates(&g, &mut problems);
        problems
            .kept()
            .iter()
            .any(|p| p.code == Code::SuccessorStartsFirst)
    }

    #[test]
    fn an_older_successor_is_an_absorption_when_the_edge_is_dated_after_the_predecessor_began() {
        assert!(warned(""), "undated: out of order");
        assert!(!warned(r#"date = "2022-07-01""#), "absorbed in 2022");
        assert!(
            warned(r#"date = "2014""#),
            "dated before the predecessor began"
        );
    }
}
