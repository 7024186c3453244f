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
//! GraphML's `attr.name` is an XML `NMTOKEN` in the official schema, so there the
//! column is written through [`xml_name`] (`attrs.1 two` is `attrs.1_x0020_two`), which
//! [`from_xml_name`] reverses exactly.
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

/// Whether `c` may stand in an XML `NMTOKEN` (XML 1.0, fifth edition, `NameChar`).
fn is_name_char(c: char) -> bool {
    matches!(c,
        ':' | '_' | '-' | '.' | 'A'..='Z' | 'a'..='z' | '0'..='9' | '\u{B7}'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{203F}'..='\u{2040}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// Whether `rest` begins with what [`xml_name`] writes for one character: `_x`, four
/// or eight hex digits, `_`.
fn starts_with_escape(rest: &str) -> bool {
    let Some(tail) = rest.strip_prefix("_x") else {
        return false;
    };
    [4, 8].iter().any(|&n| {
        tail.len() > n
            && tail.as_bytes()[..n].iter().all(u8::is_ascii_hexdigit)
            && tail.as_bytes()[n] == b'_'
    })
}

/// Whether `rest` begins like an escape (`_x` and four hex digits), whatever follows:
/// such a `_` is escaped itself, so that no literal text can run into a following
/// escape and read back as one (`_x0041` then a space).
fn looks_escaped(rest: &str) -> bool {
    rest.strip_prefix("_x")
        .is_some_and(|t| t.len() >= 4 && t.as_bytes()[..4].iter().all(u8::is_ascii_hexdigit))
}

/// A GraphML key name (`attr.name`, which the official schema types as an XML
/// `NMTOKEN`) for `column`: each character an `NMTOKEN` cannot hold is written as
/// `_xHHHH_` (`_xHHHHHHHH_` past U+FFFF), the convention of .NET's `XmlConvert` and
/// SQL Server's XML, and so is the `_` of a literal `_xHHHH`, so [`from_xml_name`]
/// reads every name back exactly. `attrs.1 two` is `attrs.1_x0020_two`; names made of
/// letters, digits, `.`, `-`, `_` are unchanged.
pub fn xml_name(column: &str) -> String {
    let mut out = String::with_capacity(column.len());
    for (i, c) in column.char_indices() {
        if is_name_char(c) && !(c == '_' && looks_escaped(&column[i..])) {
            out.push(c);
        } else if (c as u32) <= 0xFFFF {
            out.push_str(&format!("_x{:04X}_", c as u32));
        } else {
            out.push_str(&format!("_x{:08X}_", c as u32));
        }
    }
    out
}

/// The column an [`xml_name`] stands for.
pub fn from_xml_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while !rest.is_empty() {
        if starts_with_escape(rest) {
            let digits = if rest.as_bytes()[6] == b'_' { 4 } else { 8 };
            let code = u32::from_str_radix(&rest[2..2 + digits], 16).unwrap_or(0xFFFD);
            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            rest = &rest[3 + digits..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The type a CSV column declares for a free attribute, by a suffix on its name:
/// `attrs.count:int`, `attrs.ratio:float`, `attrs.open:boolean`, and `attrs.x:any` for
/// an attribute whose values differ in type (each cell a JSON scalar: `3`, `2.0`,
/// `true`, `"text"`; `inf`, `-inf` and `nan` as they are). Text needs no suffix
/// (`attrs.url`), unless the name itself ends like one (`attrs.size:int:string`), so
/// every name reads back, and a hand-written column keeps working.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    String,
    /// Whole numbers.
    Int,
    /// Numbers with a fraction.
    Float,
    /// `true` or `false`.
    Boolean,
    /// Values of several types, each cell a JSON scalar.
    Any,
}

impl ColumnType {
    const SUFFIXES: [(&'static str, ColumnType); 5] = [
        (":string", ColumnType::String),
        (":int", ColumnType::Int),
        (":float", ColumnType::Float),
        (":boolean", ColumnType::Boolean),
        (":any", ColumnType::Any),
    ];

    /// The type of one value.
    pub fn of(value: &AttrValue) -> Self {
        match value {
            AttrValue::String(_) => ColumnType::String,
            AttrValue::Integer(_) => ColumnType::Int,
            AttrValue::Float(_) => ColumnType::Float,
            AttrValue::Bool(_) => ColumnType::Boolean,
        }
    }

    /// The column type of an attribute whose values have types `self` and `other`.
    pub fn join(self, other: Self) -> Self {
        if self == other { self } else { ColumnType::Any }
    }

    /// What a cell of this type must hold, for an error message.
    pub fn expected(self) -> &'static str {
        match self {
            ColumnType::String => "text",
            ColumnType::Int => "a whole number (such as 42 or -7)",
            ColumnType::Float => "a number (such as 1.5, 2 or 1e-3)",
            ColumnType::Boolean => "`true` or `false`",
            ColumnType::Any => "a JSON value: a number, `true`, `false`, or text in double quotes",
        }
    }
}

/// The CSV column of free attribute `name` with values of type `ty`: [`column`] and
/// the type's suffix ([`ColumnType`]).
pub fn typed_column(name: &str, ty: ColumnType) -> String {
    let plain = column(name);
    let ambiguous = ColumnType::SUFFIXES
        .iter()
        .any(|(suffix, _)| name.ends_with(suffix));
    match ColumnType::SUFFIXES.iter().find(|(_, t)| *t == ty) {
        Some((suffix, _)) if ty != ColumnType::String || ambiguous => format!("{plain}{suffix}"),
        _ => plain,
    }
}

/// An attribute name as a CSV header gives it (after the prefix), split into the name
/// and the type its suffix declares (text when it has none).
pub fn split_type(name: &str) -> (&str, ColumnType) {
    ColumnType::SUFFIXES
        .iter()
        .find_map(|(suffix, ty)| Some((name.strip_suffix(suffix)?, *ty)))
        .unwrap_or((name, ColumnType::String))
}

/// The CSV cell of `value` in a column of type `ty`.
pub fn cell(ty: ColumnType, value: &AttrValue) -> String {
    match (ty, value) {
        (ColumnType::Any, AttrValue::String(s)) => {
            serde_json::to_string(s).unwrap_or_else(|e| unreachable!("a string is JSON: {e}"))
        }
        (ColumnType::Any, AttrValue::Float(f)) if f.is_finite() => format!("{f:?}"),
        (_, AttrValue::String(s)) => s.clone(),
        (_, AttrValue::Integer(i)) => i.to_string(),
        (_, AttrValue::Float(f)) if f.is_nan() => "nan".into(),
        (_, AttrValue::Float(f)) if f.is_infinite() => if *f > 0.0 { "inf" } else { "-inf" }.into(),
        (_, AttrValue::Float(f)) => f.to_string(),
        (_, AttrValue::Bool(b)) => b.to_string(),
    }
}

/// The value of a non-empty CSV cell in a column of type `ty`, or `None` when the
/// cell does not hold one ([`ColumnType::expected`] says what it must hold).
pub fn parse_cell(ty: ColumnType, cell: &str) -> Option<AttrValue> {
    let float = |t: &str| match t {
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        _ if t.bytes().any(|b| b.is_ascii_digit()) => t.parse().ok(),
        _ => None,
    };
    let t = cell.trim();
    match ty {
        ColumnType::String => Some(AttrValue::String(cell.to_string())),
        ColumnType::Int => t.parse().ok().map(AttrValue::Integer),
        ColumnType::Float => float(t).map(AttrValue::Float),
        ColumnType::Boolean => match t {
            "true" => Some(AttrValue::Bool(true)),
            "false" => Some(AttrValue::Bool(false)),
            _ => None,
        },
        ColumnType::Any => match serde_json::from_str::<serde_json::Value>(t) {
            Ok(serde_json::Value::String(s)) => Some(AttrValue::String(s)),
            Ok(serde_json::Value::Bool(b)) => Some(AttrValue::Bool(b)),
            Ok(serde_json::Value::Number(n)) if t.contains(['.', 'e', 'E']) => {
                n.as_f64().map(AttrValue::Float)
            }
            Ok(serde_json::Value::Number(n)) => n.as_i64().map(AttrValue::Integer),
            _ => float(t).filter(|f| !f.is_finite()).map(AttrValue::Float),
        },
    }
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
    fn xml_names_are_nmtokens_and_read_back() {
        assert_eq!(xml_name("attrs.1 two"), "attrs.1_x0020_two");
        assert_eq!(xml_name("attrs.<tag>"), "attrs._x003C_tag_x003E_");
        assert_eq!(xml_name("attrs.url"), "attrs.url");
        assert_eq!(xml_name("attrs.ünï"), "attrs.ünï");
        assert_eq!(xml_name("a\u{F0000}"), "a_x000F0000_");
        assert_eq!(xml_name("_x0041 "), "_x005F_x0041_x0020_");
        for name in [
            "_x0041 ",
            "_x0020_",
            "__x1",
            "_x12 3_",
            "a\u{F0000}b",
            "x_x00FC_",
        ] {
            assert_eq!(from_xml_name(&xml_name(name)), name, "{name:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn xml_names_round_trip(name in "(_|x|[0-9A-F]| |<|é|\\PC){0,12}") {
            let encoded = xml_name(&name);
            proptest::prop_assert!(encoded.chars().all(is_name_char), "{encoded:?}");
            proptest::prop_assert_eq!(from_xml_name(&encoded), name);
        }
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
