//! Wikidata, saved by the user: SPARQL query results (JSON) or entity JSON
//! (`Special:EntityData/Q….json`), read into [`Record`]s with their succession.
//!
//! Properties read: P571 inception (`start`), P576 dissolved (`end`), P1365 replaces
//! and P1366 replaced by (`replaced` edges, from successor to predecessor, each once),
//! P749 parent organisation (the Q-numbers in `attrs.parent_organisation`: the data
//! model has no relation for a parent body).
//!
//! SPARQL results name their columns; the import reads these variables (others are
//! ignored, and a result may have one row per combination of values: rows are
//! grouped by `?item`):
//!
//! | variable | meaning |
//! |---|---|
//! | `?item` | the item (required): `http://www.wikidata.org/entity/Q…` |
//! | `?itemLabel` | its name (the label service's English label) |
//! | `?itemAltLabel` | other names, separated by `, ` |
//! | `?inception`, `?dissolved` (or `?abolition`) | P571, P576 |
//! | `?inceptionPrecision`, `?dissolvedPrecision` (or `?inception_precision`, `?dissolved_precision`, `?abolition_precision`) | their `wikibase:timePrecision` |
//! | `?replaces`, `?replacedBy` | P1365, P1366 items |
//! | `?parent` | P749 item |
//!
//! Dates keep Wikidata's precision: 9 a year, 10 a month, 11 a day. A SPARQL date
//! without its precision variable is read as Wikidata writes a coarse date: a value on
//! 1 January is a year, on the first of a month a month, else a day.
//!
//! Ids: the English label kebab-cased (a Q-number's lower case when there is none; the
//! Q-number appended when two items of the file share a label), unless the collection
//! already has a node with `attrs.wikidata` equal to the item's Q-number: re-import
//! matches by it, so a renamed item is a name diff, not a new node.

use super::govuk::parse_json;
use super::refs::ReadError;
use super::{Batch, Field, FileDoc, Link, Record, Target};
use crate::load::kebab_case;
use crate::model::{NodeKind, PartialDate, Relation};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The attributes a Wikidata import owns, in the order it writes them.
pub const OWNED_ATTRS: [&str; 3] = ["wikidata", "url", "parent_organisation"];

/// The SPARQL variables read, for help texts.
pub const VARIABLES: [&str; 10] = [
    "item",
    "itemLabel",
    "itemAltLabel",
    "inception",
    "inceptionPrecision",
    "dissolved",
    "dissolvedPrecision",
    "replaces",
    "replacedBy",
    "parent",
];

fn error(message: impl Into<String>, help: impl Into<String>) -> ReadError {
    ReadError {
        at: None,
        message: message.into(),
        help: help.into(),
    }
}

/// The Q-number at the end of an entity URI (or the Q-number itself).
fn qid(text: &str) -> Option<String> {
    let last = text.trim().rsplit('/').next()?;
    let digits = last.strip_prefix('Q')?;
    (!digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| last.to_string())
}

/// A Wikidata time (`+1999-04-01T00:00:00Z`, or a SPARQL `xsd:dateTime`) at a
/// precision (9 year, 10 month, 11 day; coarser precisions give no date, finer are
/// read as days). Without a precision, a value on 1 January is a year and one on the
/// first of a month a month.
fn date(time: &str, precision: Option<i64>) -> Option<String> {
    let t = time.trim().trim_start_matches('+');
    if t.starts_with('-') {
        return None; // before the common era: the data writes years 1 to 9999
    }
    let mut parts = t.get(..10)?.split('-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let precision = match precision {
        Some(p) if p < 9 => return None,
        Some(p) => p.min(11),
        None if month <= 1 && day <= 1 => 9,
        None if day <= 1 => 10,
        None => 11,
    };
    let date = match precision {
        9 => PartialDate::from_parts(year, None, None),
        10 => PartialDate::from_parts(year, Some(month), None),
        _ => PartialDate::from_parts(year, Some(month), Some(day)),
    };
    date.ok().map(|d| d.to_string())
}

/// One item as read.
#[derive(Default)]
struct Item {
    label: Option<String>,
    aliases: Vec<String>,
    inception: Option<String>,
    dissolved: Option<String>,
    replaces: BTreeSet<String>,
    replaced_by: BTreeSet<String>,
    parents: BTreeSet<String>,
}

/// Reads `text`, the saved file `file_name`, into a batch of nodes of `kind`.
/// `known` maps the Q-numbers of the collection's nodes (their `attrs.wikidata`) to
/// their ids.
pub fn read(
    text: &str,
    file_name: &str,
    kind: NodeKind,
    known: &HashMap<String, String>,
) -> Result<Batch, ReadError> {
    let help = "save the query's results as JSON (query.wikidata.org: Download > JSON file) or an item's Special:EntityData/Q….json";
    let value = parse_json(text, help)?;
    let (format, items) = if value.get("results").is_some() || value.get("head").is_some() {
        ("Wikidata SPARQL results", sparql(&value)?)
    } else if let Some(entities) = value.get("entities") {
        ("Wikidata entity", entities_of(entities)?)
    } else {
        return Err(error(
            "not Wikidata JSON: expected SPARQL results ({\"head\", \"results\"}) or entity JSON ({\"entities\"})",
            help,
        ));
    };
    Ok(Batch {
        file: FileDoc::register(format, file_name),
        records: records(items, kind, known),
    })
}

/// The spellings read for each variable: ours first, then those saved queries use
/// (wikidata-position-history writes `?abolition` and `?inception_precision`).
const SPELLINGS: [(&str, &[&str]); 5] = [
    (
        "inceptionPrecision",
        &["inceptionPrecision", "inception_precision"],
    ),
    ("dissolved", &["dissolved", "abolition", "abolished"]),
    (
        "dissolvedPrecision",
        &[
            "dissolvedPrecision",
            "dissolved_precision",
            "abolition_precision",
            "abolished_precision",
        ],
    ),
    ("replacedBy", &["replacedBy", "replaced_by"]),
    ("itemAltLabel", &["itemAltLabel", "itemAliases"]),
];

fn sparql(value: &Value) -> Result<Vec<(String, Item)>, ReadError> {
    let bindings = value
        .pointer("/results/bindings")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            error(
                "SPARQL results without results.bindings",
                "save the results as JSON, as the query service downloads them",
            )
        })?;
    let mut order: Vec<String> = Vec::new();
    let mut items: HashMap<String, Item> = HashMap::new();
    for (n, row) in bindings.iter().enumerate() {
        let one = |var: &str| -> Option<&str> {
            row.get(var)?
                .get("value")?
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let cell = |var: &str| -> Option<&str> {
            match SPELLINGS.iter().find(|(v, _)| *v == var) {
                Some((_, names)) => names.iter().find_map(|n| one(n)),
                None => one(var),
            }
        };
        let Some(q) = cell("item").and_then(qid) else {
            return Err(error(
                format!("row {} has no ?item that is a Wikidata item", n + 1),
                format!(
                    "select the item as ?item (variables read: ?{})",
                    VARIABLES.join(" ?")
                ),
            ));
        };
        let item = items.entry(q.clone()).or_insert_with(|| {
            order.push(q.clone());
            Item::default()
        });
        // The label service writes the Q-number as the label when there is none.
        if item.label.is_none()
            && let Some(l) = cell("itemLabel").filter(|l| qid(l).is_none())
        {
            item.label = Some(l.to_string());
        }
        if item.aliases.is_empty()
            && let Some(a) = cell("itemAltLabel")
        {
            item.aliases = a
                .split(", ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
        }
        let precision = |var: &str| cell(var).and_then(|p| p.parse::<i64>().ok());
        if item.inception.is_none() {
            item.inception =
                cell("inception").and_then(|t| date(t, precision("inceptionPrecision")));
        }
        if item.dissolved.is_none() {
            item.dissolved =
                cell("dissolved").and_then(|t| date(t, precision("dissolvedPrecision")));
        }
        for (var, set) in [
            ("replaces", &mut item.replaces),
            ("replacedBy", &mut item.replaced_by),
            ("parent", &mut item.parents),
        ] {
            if let Some(q) = cell(var).and_then(qid) {
                set.insert(q);
            }
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|q| items.remove(&q).map(|i| (q, i)))
        .collect())
}

/// The English label (or British, or any) of an entity's `labels`.
fn label(entity: &Value) -> Option<String> {
    let labels = entity.get("labels")?.as_object()?;
    ["en", "en-gb"]
        .iter()
        .find_map(|l| labels.get(*l))
        .or_else(|| labels.values().next())?
        .get("value")?
        .as_str()
        .map(str::to_string)
}

/// The statements of a property that are not deprecated, as their `datavalue.value`.
fn claims<'a>(entity: &'a Value, property: &str) -> Vec<&'a Value> {
    entity
        .get("claims")
        .and_then(|c| c.get(property))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|s| s.get("rank").and_then(Value::as_str) != Some("deprecated"))
                .filter_map(|s| s.pointer("/mainsnak/datavalue/value"))
                .collect()
        })
        .unwrap_or_default()
}

fn entities_of(entities: &Value) -> Result<Vec<(String, Item)>, ReadError> {
    let map = entities.as_object().ok_or_else(|| {
        error(
            "`entities` is not an object",
            "save https://www.wikidata.org/wiki/Special:EntityData/Q….json as it comes",
        )
    })?;
    let mut out = Vec::new();
    for (key, entity) in map {
        let Some(q) = entity
            .get("id")
            .and_then(Value::as_str)
            .and_then(qid)
            .or_else(|| qid(key))
        else {
            continue; // a property or lexeme: not a node
        };
        let time = |p: &str| {
            claims(entity, p).into_iter().find_map(|v| {
                date(
                    v.get("time")?.as_str()?,
                    Some(v.get("precision")?.as_i64()?),
                )
            })
        };
        let items = |p: &str| -> BTreeSet<String> {
            claims(entity, p)
                .into_iter()
                .filter_map(|v| v.get("id")?.as_str().and_then(qid))
                .collect()
        };
        let aliases = entity
            .pointer("/aliases/en")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.get("value")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        out.push((
            q,
            Item {
                label: label(entity),
                aliases,
                inception: time("P571"),
                dissolved: time("P576"),
                replaces: items("P1365"),
                replaced_by: items("P1366"),
                parents: items("P749"),
            },
        ));
    }
    Ok(out)
}

fn records(
    items: Vec<(String, Item)>,
    kind: NodeKind,
    known: &HashMap<String, String>,
) -> Vec<Record> {
    // Ids: the collection's for items it has, else the label's, with the Q-number
    // where two items of the file would share one.
    let base = |q: &str, item: &Item| -> String {
        let id = item.label.as_deref().map(kebab_case).unwrap_or_default();
        if id.is_empty() { q.to_lowercase() } else { id }
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for (q, item) in &items {
        if !known.contains_key(q) {
            *count.entry(base(q, item)).or_default() += 1;
        }
    }
    let ids: HashMap<String, String> = items
        .iter()
        .map(|(q, item)| {
            let id = match known.get(q) {
                Some(id) => id.clone(),
                None => {
                    let b = base(q, item);
                    if count.get(&b).copied().unwrap_or(0) > 1 && b != q.to_lowercase() {
                        format!("{b}-{}", q.to_lowercase())
                    } else {
                        b
                    }
                }
            };
            (q.clone(), id)
        })
        .collect();
    // A Q-number outside the file and the collection stays as it is: never an id
    // (ids are lower case), so the link is reported, not drawn.
    let target = |q: &str| {
        ids.get(q)
            .or_else(|| known.get(q))
            .cloned()
            .unwrap_or_else(|| q.to_string())
    };

    let in_file: HashSet<&str> = items.iter().map(|(q, _)| q.as_str()).collect();
    let mut pairs_seen: HashSet<(String, String)> = HashSet::new();
    let mut out = Vec::new();
    for (q, item) in &items {
        let mut links = Vec::new();
        for p in &item.replaces {
            if pairs_seen.insert((q.clone(), p.clone())) {
                links.push(Link::new(Relation::Replaced, Target::Id(target(p))));
            }
        }
        for s in &item.replaced_by {
            // Drawn by the successor's record when it is in the file and says so.
            let successor_says = in_file.contains(s.as_str())
                && items
                    .iter()
                    .any(|(sq, si)| sq == s && si.replaces.contains(q));
            if successor_says || !pairs_seen.insert((s.clone(), q.clone())) {
                continue;
            }
            links.push(Link {
                relation: Relation::Replaced,
                to: Target::Id(target(s)),
                attrs: Vec::new(),
                inverse: true,
                date: None,
            });
        }
        let mut attrs = vec![
            ("wikidata", Field::Text(q.clone())),
            (
                "url",
                Field::Text(format!("https://www.wikidata.org/wiki/{q}")),
            ),
        ];
        if !item.parents.is_empty() {
            let list: Vec<&str> = item.parents.iter().map(String::as_str).collect();
            attrs.push(("parent_organisation", Field::Text(list.join("; "))));
        }
        let name = item.label.clone().unwrap_or_else(|| q.clone());
        out.push(Record {
            key: q.clone(),
            id: ids.get(q).cloned().unwrap_or_else(|| q.to_lowercase()),
            kind,
            aliases: item
                .aliases
                .iter()
                .filter(|a| !a.eq_ignore_ascii_case(&name))
                .cloned()
                .collect(),
            name,
            start: item.inception.clone(),
            end: item.dissolved.clone(),
            attrs,
            links,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(q: &str) -> Value {
        serde_json::json!({"type": "uri", "value": format!("http://www.wikidata.org/entity/{q}")})
    }

    fn lit(v: &str) -> Value {
        serde_json::json!({"type": "literal", "value": v, "xml:lang": "en"})
    }

    fn time(v: &str) -> Value {
        serde_json::json!({"type": "literal", "value": v, "datatype": "http://www.w3.org/2001/XMLSchema#dateTime"})
    }

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(
            date("+1999-00-00T00:00:00Z", Some(9)).as_deref(),
            Some("1999")
        );
        assert_eq!(
            date("+1999-04-00T00:00:00Z", Some(10)).as_deref(),
            Some("1999-04")
        );
        assert_eq!(
            date("1999-04-01T00:00:00Z", Some(11)).as_deref(),
            Some("1999-04-01")
        );
        assert_eq!(date("1999-01-01T00:00:00Z", None).as_deref(), Some("1999"));
        assert_eq!(
            date("1999-04-01T00:00:00Z", None).as_deref(),
            Some("1999-04")
        );
        assert_eq!(
            date("1999-04-07T00:00:00Z", None).as_deref(),
            Some("1999-04-07")
        );
        assert_eq!(date("+1900-00-00T00:00:00Z", Some(7)), None, "a century");
        assert_eq!(date("-0044-03-15T00:00:00Z", Some(11)), None);
    }

    #[test]
    fn sparql_rows_are_grouped_by_item_and_succession_drawn_once() {
        let results = serde_json::json!({
            "head": {"vars": ["item", "itemLabel", "inception", "inceptionPrecision", "replaces", "replacedBy", "parent"]},
            "results": {"bindings": [
                {"item": uri("Q2"), "itemLabel": lit("New Board"), "inception": time("2013-04-01T00:00:00Z"),
                 "inceptionPrecision": {"type": "literal", "value": "11"}, "replaces": uri("Q1"), "parent": uri("Q9")},
                {"item": uri("Q1"), "itemLabel": lit("Old Board"), "replacedBy": uri("Q2")},
                {"item": uri("Q1"), "itemLabel": lit("Old Board"), "replacedBy": uri("Q3")},
            ]}
        });
        let known = HashMap::from([("Q3".to_string(), "third-board".to_string())]);
        let batch = read(&results.to_string(), "q.json", NodeKind::Body, &known).expect("reads");
        assert_eq!(batch.file.name, "Wikidata SPARQL results file q.json");
        let [new, old] = batch.records.as_slice() else {
            panic!("two items")
        };
        assert_eq!(
            (new.id.as_str(), new.start.as_deref()),
            ("new-board", Some("2013-04-01"))
        );
        assert_eq!(
            new.links,
            vec![Link::new(
                Relation::Replaced,
                Target::Id("old-board".into())
            )]
        );
        assert!(
            new.attrs
                .contains(&("parent_organisation", Field::Text("Q9".into())))
        );
        assert_eq!(
            old.links.len(),
            1,
            "Q2's edge is drawn once, by Q2: {old:?}"
        );
        assert_eq!(old.links[0].to, Target::Id("third-board".into()));
        assert!(old.links[0].inverse);
    }

    #[test]
    fn known_items_keep_their_ids_and_shared_labels_get_the_q_number() {
        let results = serde_json::json!({
            "results": {"bindings": [
                {"item": uri("Q5"), "itemLabel": lit("Board")},
                {"item": uri("Q6"), "itemLabel": lit("Board")},
                {"item": uri("Q7"), "itemLabel": lit("Q7")},
                {"item": uri("Q8"), "itemLabel": lit("Renamed")},
            ]}
        });
        let known = HashMap::from([("Q8".to_string(), "original".to_string())]);
        let batch =
            read(&results.to_string(), "q.json", NodeKind::Initiative, &known).expect("reads");
        let ids: Vec<&str> = batch.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["board-q5", "board-q6", "q7", "original"]);
        assert_eq!(batch.records[0].kind, NodeKind::Initiative);
    }

    #[test]
    fn entity_json_reads_labels_aliases_claims_and_skips_deprecated() {
        let entity = serde_json::json!({"entities": {"Q2": {
            "id": "Q2",
            "labels": {"en": {"language": "en", "value": "New Board"}},
            "aliases": {"en": [{"language": "en", "value": "NB"}]},
            "claims": {
                "P571": [{"rank": "normal", "mainsnak": {"datavalue": {"value": {"time": "+2013-04-00T00:00:00Z", "precision": 10}}}}],
                "P1365": [
                    {"rank": "normal", "mainsnak": {"datavalue": {"value": {"id": "Q1"}}}},
                    {"rank": "deprecated", "mainsnak": {"datavalue": {"value": {"id": "Q4"}}}}
                ]
            }
        }}});
        let batch = read(
            &entity.to_string(),
            "Q2.json",
            NodeKind::Body,
            &HashMap::new(),
        )
        .expect("reads");
        let r = &batch.records[0];
        assert_eq!(
            (r.name.as_str(), r.start.as_deref()),
            ("New Board", Some("2013-04"))
        );
        assert_eq!(r.aliases, vec!["NB".to_string()]);
        assert_eq!(
            r.links,
            vec![Link::new(Relation::Replaced, Target::Id("Q1".into()))]
        );
    }

    #[test]
    fn other_json_and_bombs_are_errors() {
        let e = read("{\"a\": 1}", "x.json", NodeKind::Body, &HashMap::new()).expect_err("shape");
        assert!(e.message.contains("not Wikidata JSON"), "{e}");
        let e = read(
            &"[".repeat(10_000),
            "x.json",
            NodeKind::Body,
            &HashMap::new(),
        )
        .expect_err("bomb");
        assert!(e.message.contains("128 levels"), "{e}");
    }
}
