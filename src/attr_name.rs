//! The one naming rule for free attributes in flat formats: CSV columns, GraphML key
//! names and GEXF attribute titles.
//!
//! A free attribute can be named anything the data allows (`id`, `kind`, an empty
//! name, ` id`, `attrs.x`, `key`), while the flat formats put it beside fixed fields
//! in one namespace (a CSV header, GraphML's `attr.name`, GEXF's `title`). So every
//! free attribute is written with the prefix [`PREFIX`], never only the ones that
//! happen to collide: `url` is `attrs.url`, `id` is `attrs.id`, `attrs.x` is
//! `attrs.attrs.x`. No fixed field starts with the prefix, so no free attribute can
//! meet a fixed field or another free attribute, and a reader recovers the name by
//! removing the prefix once ([`from_column`]). The name after the prefix is taken
//! exactly as written, spaces included.
//!
//! The CSV loader also reads a column without the prefix that names no field as a
//! free attribute of that name (hand-written spreadsheets, exports before the rule),
//! so `url` and `attrs.url` both load as `url`; a file with both is refused.
//!
//! GraphML key ids and GEXF attribute ids are generated (`n0`, `e3`, `0`, `7`), never
//! derived from a name, so any name works there too; [`FreeAttrs`] gives each free
//! attribute used its place, found by a hash lookup (a search per attribute made GEXF
//! quadratic in the number of attributes).

use crate::model::{AttrValue, Attrs};
use std::collections::{BTreeMap, HashMap};

/// What every free attribute's column, key name or title begins with.
pub const PREFIX: &str = "attrs.";

/// The column (key name, title) of free attribute `name`: `attrs.<name>`.
pub fn column(name: &str) -> String {
    format!("{PREFIX}{name}")
}

/// The free attribute a column written by [`column`] names, or `None` for a column
/// without the prefix.
pub fn from_column(column: &str) -> Option<&str> {
    column.strip_prefix(PREFIX)
}

/// The type a typed format declares for a value: GraphML's and GEXF's names.
pub fn value_type(value: &AttrValue) -> &'static str {
    match value {
        AttrValue::String(_) => "string",
        AttrValue::Integer(_) => "long",
        AttrValue::Float(_) => "double",
        AttrValue::Bool(_) => "boolean",
    }
}

/// The free attributes a set of records uses, sorted by name, each with one declared
/// type (`string` when its values differ in type), and an index from name to place.
#[derive(Debug, Clone, Default)]
pub struct FreeAttrs {
    /// Name and type, sorted by name.
    pub list: Vec<(String, &'static str)>,
    index: HashMap<String, usize>,
}

impl FreeAttrs {
    /// The free attributes of `attrs`.
    pub fn collect<'a>(attrs: impl Iterator<Item = &'a Attrs>) -> Self {
        let mut types: BTreeMap<&str, &'static str> = BTreeMap::new();
        for a in attrs {
            for (k, v) in a {
                let t = value_type(v);
                types
                    .entry(k)
                    .and_modify(|old| {
                        if *old != t {
                            *old = "string"
                        }
                    })
                    .or_insert(t);
            }
        }
        let list: Vec<(String, &'static str)> =
            types.into_iter().map(|(k, t)| (k.to_string(), t)).collect();
        let index = list
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i))
            .collect();
        FreeAttrs { list, index }
    }

    /// The place of attribute `name` in [`Self::list`].
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_prefixed_and_recovered() {
        for name in [
            "",
            " id",
            "id",
            "kind",
            "attrs.x",
            "x",
            "key",
            "漢字",
            "a,b\"c\nd",
        ] {
            let c = column(name);
            assert!(c.starts_with(PREFIX));
            assert_eq!(from_column(&c), Some(name), "{c:?}");
        }
        assert_ne!(column("attrs.x"), column("x"));
        assert_eq!(from_column("url"), None);
    }

    #[test]
    fn mixed_types_are_strings_and_lookups_find_their_place() {
        let mut a = Attrs::new();
        a.insert("n".into(), AttrValue::Integer(1));
        a.insert("m".into(), AttrValue::Bool(true));
        let mut b = Attrs::new();
        b.insert("n".into(), AttrValue::Float(1.5));
        let free = FreeAttrs::collect([&a, &b].into_iter());
        assert_eq!(
            free.list,
            vec![("m".to_string(), "boolean"), ("n".to_string(), "string")]
        );
        assert_eq!(free.position("n"), Some(1));
        assert_eq!(free.position("attrs.n"), None);
    }
}
