//! GOV.UK organisations API JSON, saved by the user, read into body [`Record`]s with
//! their succession.
//!
//! Three shapes are read: a page of `/api/organisations` (`{"results": [...], "total",
//! "pages", "current_page", "next_page_url", ...}`), a single organisation
//! (`/api/organisations/<slug>`), and a list of organisations (the `results` of
//! several pages concatenated, as scripts that walk the pages save them).
//!
//! Each organisation becomes a `body`: id from `details.slug`, name from `title`, the
//! abbreviation as an alias, `start` from `details.founding_date` and `end` from
//! `details.closed_at` where given (`end = "ongoing"` for an organisation that is `live`, `exempt`, `joining` or `transitioning`),
//! `attrs.url` from `web_url`, and `format`, `govuk_status`, `govuk_closed_status` and
//! `parent_organisations` (slugs; the data model has no relation for a parent body)
//! as attributes.
//!
//! Succession: `superseded_organisations` (those this one replaced) and
//! `superseding_organisations` / `ordered_successor_organisations` (those that
//! replaced it) give `replaced` edges from successor to predecessor, each once, with
//! the predecessor's `govuk_closed_status` (replaced, merged, split, changed_name,
//! devolved, left_gov) as the edge's attribute when the predecessor is in the file. A
//! predecessor whose status is `no_longer_exists` has no successor: no edge. An edge
//! to an organisation neither in the file nor in the collection is not drawn (the link
//! objects carry only its URLs, not its name) and the import lists it.

use super::refs::ReadError;
use super::{Batch, Field, FileDoc, Link, Record, Target};
use crate::load::kebab_case;
use crate::model::{NodeKind, PartialDate, Relation};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The attributes a GOV.UK import owns on a body, in the order it writes them.
pub const OWNED_ATTRS: [&str; 5] = [
    "url",
    "format",
    "govuk_status",
    "govuk_closed_status",
    "parent_organisations",
];

/// The statuses that say a closed organisation has no successor.
const NO_SUCCESSOR: [&str; 1] = ["no_longer_exists"];

/// The name of the file's document node: "GOV.UK organisations API file NAME".
pub const FORMAT: &str = "GOV.UK organisations API";

fn error(message: impl Into<String>, help: impl Into<String>) -> ReadError {
    ReadError {
        at: None,
        message: message.into(),
        help: help.into(),
    }
}

/// Parses JSON with serde_json, whose recursion limit (128) turns a nesting bomb into
/// an error with its place; `help` says what the file should be.
pub(crate) fn parse_json(text: &str, help: &str) -> Result<Value, ReadError> {
    serde_json::from_str(text).map_err(|e| {
        let at = Some((e.line(), e.column()));
        let message = e.to_string();
        if message.contains("recursion limit") {
            ReadError {
                at,
                message: "JSON nested more than 128 levels deep".into(),
                help: help.into(),
            }
        } else {
            ReadError {
                at,
                message: format!(
                    "not valid JSON: {}",
                    message.split(" at line ").next().unwrap_or(&message)
                ),
                help: help.into(),
            }
        }
    })
}

/// A date as the data writes one, from the start of an ISO date or date-time
/// (`2014-10-15T15:37:20.000+01:00` gives `2014-10-15`, as written, in its own zone).
fn date_of(text: &str) -> Option<String> {
    let head = text.get(..10).unwrap_or(text);
    PartialDate::parse(head).ok().map(|d| d.to_string())
}

fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The slug a link object names: its `details.slug` or `slug`, else the last segment
/// of its `id`, `web_url` or `base_path`.
fn slug_of(link: &Value) -> Option<String> {
    let map = link.as_object()?;
    if let Some(s) = map
        .get("details")
        .and_then(Value::as_object)
        .and_then(|d| text(d, "slug"))
        .or_else(|| text(map, "slug"))
    {
        return Some(s.to_string());
    }
    ["id", "web_url", "base_path"]
        .iter()
        .find_map(|k| text(map, k))
        .and_then(|u| u.trim_end_matches('/').rsplit('/').next())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn slugs(map: &Map<String, Value>, key: &str) -> Vec<String> {
    map.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(slug_of).collect())
        .unwrap_or_default()
}

/// One organisation as read, before links are drawn.
struct Org {
    record: Record,
    status: Option<String>,
    superseded: Vec<String>,
    successors: Vec<String>,
}

fn organisation(n: usize, value: &Value) -> Result<Org, ReadError> {
    let help =
        "save the organisation as the API gives it (https://www.gov.uk/api/organisations/<slug>)";
    let map = value
        .as_object()
        .ok_or_else(|| error(format!("organisation {n} is not a JSON object"), help))?;
    let details = map.get("details").and_then(Value::as_object);
    let slug = details
        .and_then(|d| text(d, "slug"))
        .ok_or_else(|| error(format!("organisation {n} has no details.slug"), help))?;
    let id = kebab_case(slug);
    if id.is_empty() {
        return Err(error(
            format!("organisation {n}: the slug `{slug}` gives no id"),
            help,
        ));
    }
    let name = text(map, "title")
        .ok_or_else(|| error(format!("organisation `{slug}` has no title"), help))?
        .to_string();
    let detail = |key: &str| details.and_then(|d| text(d, key));
    let aliases = detail("abbreviation")
        .filter(|a| !a.eq_ignore_ascii_case(&name))
        .map(|a| vec![a.to_string()])
        .unwrap_or_default();
    let status = detail("govuk_status");
    let closed_status = detail("govuk_closed_status");
    let end = detail("closed_at")
        .and_then(date_of)
        // Every status but `closed` is an organisation that exists: `live`, and
        // `exempt`, `joining` and `transitioning` (not, or not yet, publishing on GOV.UK:
        // NHS England is `exempt`).
        .or_else(|| {
            matches!(
                status,
                Some("live" | "exempt" | "joining" | "transitioning")
            )
            .then(|| "ongoing".to_string())
        });
    let mut attrs: Vec<(&'static str, Field)> = Vec::new();
    let mut push = |k: &'static str, v: Option<&str>| {
        if let Some(v) = v {
            attrs.push((k, Field::Text(v.to_string())));
        }
    };
    push("url", text(map, "web_url"));
    push("format", text(map, "format"));
    push("govuk_status", status);
    push("govuk_closed_status", closed_status);
    let parents = slugs(map, "parent_organisations");
    push(
        "parent_organisations",
        (!parents.is_empty()).then(|| parents.join("; ")).as_deref(),
    );
    let mut successors = slugs(map, "superseding_organisations");
    successors.extend(slugs(map, "ordered_successor_organisations"));
    Ok(Org {
        record: Record {
            key: slug.to_string(),
            id,
            kind: NodeKind::Body,
            name,
            start: detail("founding_date").and_then(date_of),
            end,
            aliases,
            attrs,
            links: Vec::new(),
        },
        status: closed_status.map(str::to_string),
        superseded: slugs(map, "superseded_organisations"),
        successors,
    })
}

/// Reads `text`, the saved API response `file_name`, into a batch.
pub fn read(text: &str, file_name: &str) -> Result<Batch, ReadError> {
    let value = parse_json(
        text,
        "save the API's answer as it comes (https://www.gov.uk/api/organisations?page=N, or /api/organisations/<slug>)",
    )?;
    let items: Vec<Value> = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("results") {
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(error(
                    "`results` is not a list",
                    "save a page of https://www.gov.uk/api/organisations as the API gives it",
                ));
            }
            None => vec![Value::Object(map)],
        },
        _ => {
            return Err(error(
                "not an organisations API answer: expected a JSON object or list",
                "save https://www.gov.uk/api/organisations?page=N or /api/organisations/<slug>",
            ));
        }
    };
    let mut orgs = items
        .iter()
        .enumerate()
        .map(|(i, v)| organisation(i + 1, v))
        .collect::<Result<Vec<_>, _>>()?;

    // Successor -> predecessor pairs, each once, in file order.
    let by_slug: HashMap<String, usize> = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| (o.record.id.clone(), i))
        .collect();
    let status_of = |slug: &str| -> Option<String> {
        by_slug
            .get(&kebab_case(slug))
            .and_then(|&i| orgs[i].status.clone())
    };
    let ends_here = |status: Option<&str>| status.is_some_and(|s| NO_SUCCESSOR.contains(&s));
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for o in &orgs {
        let me = o.record.id.clone();
        for p in &o.superseded {
            pairs.push((me.clone(), kebab_case(p)));
        }
        if !ends_here(o.status.as_deref()) {
            for s in &o.successors {
                pairs.push((kebab_case(s), me.clone()));
            }
        }
    }
    let mut links: Vec<(usize, Link)> = Vec::new();
    for (s, p) in pairs {
        if s.is_empty() || p.is_empty() || s == p || !seen.insert((s.clone(), p.clone())) {
            continue;
        }
        let status = status_of(&p);
        if ends_here(status.as_deref()) {
            continue;
        }
        let attrs = status
            .map(|st| vec![("govuk_closed_status", Field::Text(st))])
            .unwrap_or_default();
        // The succession took effect when the predecessor closed, if the file says.
        let date = by_slug
            .get(&p)
            .and_then(|&i| orgs[i].record.end.clone())
            .filter(|e| e != "ongoing");
        if let Some(&i) = by_slug.get(&s) {
            links.push((
                i,
                Link {
                    relation: Relation::Replaced,
                    to: Target::Id(p),
                    attrs,
                    inverse: false,
                    date,
                },
            ));
        } else if let Some(&i) = by_slug.get(&p) {
            links.push((
                i,
                Link {
                    relation: Relation::Replaced,
                    to: Target::Id(s),
                    attrs,
                    inverse: true,
                    date,
                },
            ));
        }
    }
    for (i, link) in links {
        if let Some(o) = orgs.get_mut(i) {
            o.record.links.push(link);
        }
    }
    Ok(Batch {
        file: FileDoc::register(FORMAT, file_name),
        records: orgs.into_iter().map(|o| o.record).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An organisation as the API writes it (collections' `OrganisationsApiPresenter`).
    fn org(
        slug: &str,
        title: &str,
        status: &str,
        closed: Option<&str>,
        superseded: &[&str],
        superseding: &[&str],
    ) -> Value {
        let link = |s: &&str| {
            serde_json::json!({
                "id": format!("https://www.gov.uk/api/organisations/{s}"),
                "web_url": format!("https://www.gov.uk/government/organisations/{s}"),
            })
        };
        serde_json::json!({
            "id": format!("https://www.gov.uk/api/organisations/{slug}"),
            "title": title,
            "format": "Executive agency",
            "web_url": format!("https://www.gov.uk/government/organisations/{slug}"),
            "details": {
                "slug": slug, "abbreviation": "AB", "closed_at": "2013-03-31T00:00:00.000+01:00",
                "govuk_status": status, "govuk_closed_status": closed,
            },
            "parent_organisations": [link(&"department-of-health")],
            "superseded_organisations": superseded.iter().map(link).collect::<Vec<_>>(),
            "superseding_organisations": superseding.iter().map(link).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn a_results_page_gives_bodies_and_one_replaced_edge_per_succession() {
        let page = serde_json::json!({
            "results": [
                org("old-agency", "Old Agency", "closed", Some("merged"), &[], &["new-agency"]),
                org("new-agency", "New Agency", "live", None, &["old-agency"], &[]),
            ],
            "total": 2, "pages": 1, "current_page": 1, "next_page_url": null,
        });
        let batch = read(&page.to_string(), "orgs.json").expect("reads");
        assert_eq!(batch.file.id, "gov-uk-organisations-api-file-orgs-json");
        let [old, new] = batch.records.as_slice() else {
            panic!("two records")
        };
        assert_eq!(old.id, "old-agency");
        assert_eq!(old.end.as_deref(), Some("2013-03-31"));
        assert_eq!(old.aliases, vec!["AB".to_string()]);
        assert!(old.links.is_empty(), "the edge is the successor's: {old:?}");
        assert_eq!(new.end.as_deref(), Some("2013-03-31"), "closed_at wins");
        assert_eq!(
            new.links,
            vec![Link {
                relation: Relation::Replaced,
                to: Target::Id("old-agency".into()),
                attrs: vec![("govuk_closed_status", Field::Text("merged".into()))],
                date: Some("2013-03-31".into()),
                inverse: false,
            }]
        );
        assert!(old.attrs.contains(&(
            "parent_organisations",
            Field::Text("department-of-health".into())
        )));
    }

    #[test]
    fn a_single_organisation_names_its_successor_inversely() {
        let one = org(
            "old-agency",
            "Old Agency",
            "closed",
            Some("replaced"),
            &[],
            &["new-agency"],
        );
        let batch = read(&one.to_string(), "old.json").expect("reads");
        let links = &batch.records[0].links;
        assert_eq!(links.len(), 1);
        assert!(links[0].inverse);
        assert_eq!(links[0].to, Target::Id("new-agency".into()));
    }

    #[test]
    fn no_longer_exists_draws_no_edge() {
        let list = serde_json::json!([
            org(
                "gone",
                "Gone",
                "closed",
                Some("no_longer_exists"),
                &[],
                &["other"]
            ),
            org("other", "Other", "live", None, &["gone"], &[]),
        ]);
        let batch = read(&list.to_string(), "l.json").expect("reads");
        assert!(
            batch.records.iter().all(|r| r.links.is_empty()),
            "{batch:?}"
        );
    }

    #[test]
    fn a_nesting_bomb_and_a_record_without_slug_are_errors() {
        let bomb = "[".repeat(100_000);
        let e = read(&bomb, "b.json").expect_err("bomb");
        assert!(e.message.contains("128 levels"), "{e}");
        let e = read(r#"{"title": "X"}"#, "x.json").expect_err("no slug");
        assert!(e.message.contains("details.slug"), "{e}");
    }

    #[test]
    fn slugs_come_from_any_link_shape() {
        for link in [
            serde_json::json!({"id": "https://www.gov.uk/api/organisations/a-b"}),
            serde_json::json!({"web_url": "https://www.gov.uk/government/organisations/a-b/"}),
            serde_json::json!({"base_path": "/government/organisations/a-b"}),
            serde_json::json!({"details": {"slug": "a-b"}}),
        ] {
            assert_eq!(slug_of(&link).as_deref(), Some("a-b"), "{link}");
        }
    }
}
