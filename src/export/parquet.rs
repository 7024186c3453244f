//! Parquet for engines beyond one machine: `nodes.parquet` and `edges.parquet` with the
//! columns Spark GraphFrames expects (`id`; `src`, `dst`, `relationship`), every other
//! field of the field table typed, and each free attribute a typed column of its own.
//! DuckDB, pandas and polars read the same files (docs/scale-out.md).
//!
//! The columns come from the field table, in its order, each [`Type`] placed here with
//! no catch-all, so a new field or type does not compile until it has a column:
//!
//! - the id and an edge's ends and relation take the names graph engines look for:
//!   `id`, `src`, `dst`, `relationship`; an edge also gets `edge_id`, its place in the
//!   collection (int64, the number in the pictures' `edge-N`), so duplicate edges stay
//!   distinct rows;
//! - text, dates, kinds and stances are strings; a date in our partial form (`2013`,
//!   `2013-04`, `2013-04-01`), since a year alone is no Parquet date; `end` is the date
//!   when there is one and `end_status` says `dated`, `ongoing` or `unknown`, as in JSON;
//! - aliases are `list<string>`, sources `list<struct<doc: string, at: string>>` (the
//!   JSON shape), both empty lists, never null, when a record has none;
//! - each free attribute is a column `attrs.<name>` ([`crate::attr_name`]), int64,
//!   double, boolean or string by the type its values share (string, with each value's
//!   text, when they differ: the rule of GraphML and GEXF), null where a record does not
//!   have it.
//!
//! Data never becomes a column name except through `attrs.<name>`, and never syntax:
//! Parquet stores strings as length and bytes, so no value can escape its cell.
//!
//! Pure: [`to_parquet`] returns the two files' bytes; the command writes them. Records
//! are written in batches of [`BATCH`] rows, so the arrays in memory stay small; the
//! files (Snappy-compressed, Spark's default) are held whole, a fraction of the size of
//! the graph they come from.

use crate::attr_name::{FreeAttrs, column};
use crate::export::xml::typed;
use crate::graph::PolicyGraph;
use crate::model::field::{EDGE, Field, NODE, Type, Value, Values};
use crate::model::{AttrValue, Attrs, End};
use crate::view::View;
use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, OffsetBufferBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, ListArray, RecordBatch, StringArray, StructArray};
use arrow_schema::{DataType, Field as ArrowField, Fields, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::sync::Arc;

/// The two files of a Parquet export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParquetFiles {
    /// `nodes.parquet`.
    pub nodes: Vec<u8>,
    /// `edges.parquet`.
    pub edges: Vec<u8>,
}

/// The Parquet writer failed (it does not on any data we have seen: the schema is
/// ours and every value fits its column).
#[derive(Debug, thiserror::Error)]
#[error("the Parquet writer failed: {0}")]
pub struct ParquetError(String);

impl From<parquet::errors::ParquetError> for ParquetError {
    fn from(e: parquet::errors::ParquetError) -> Self {
        ParquetError(e.to_string())
    }
}

impl From<arrow_schema::ArrowError> for ParquetError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        ParquetError(e.to_string())
    }
}

/// Rows built into arrays at a time, at most.
pub const BATCH: usize = 64 * 1024;

/// Bytes of text built into arrays at a time, about: Arrow's strings and lists have
/// 32-bit offsets, so a batch must stay well under 2 GiB of text however long the
/// values are.
const BATCH_BYTES: usize = 256 << 20;

/// The column of a field in the table: the names graph engines look for where the
/// field is the element's id, ends or relationship type, the field's name otherwise.
pub fn column_name(field: &Field) -> &'static str {
    match field.ty {
        Type::Id => "id",
        Type::From => "src",
        Type::To => "dst",
        Type::Relation => "relationship",
        Type::Text(_)
        | Type::List { .. }
        | Type::Date
        | Type::End
        | Type::Kind
        | Type::Stance
        | Type::Sources
        | Type::Attrs => field.name,
    }
}

/// The column after an end field saying how it ended (`end_status`), as in JSON.
pub fn status_column(field: &Field) -> String {
    format!("{}_status", field.name)
}

/// The column an edge's place in the collection is written to.
pub const EDGE_ID: &str = "edge_id";

/// The view as `nodes.parquet` and `edges.parquet`.
pub fn to_parquet(g: &PolicyGraph, view: &View) -> Result<ParquetFiles, ParquetError> {
    let node_attrs = FreeAttrs::collect(view.nodes.iter().map(|&n| g.node(n).attrs()));
    let mut nodes = Table::new(&NODE, &node_attrs, false);
    for &n in &view.nodes {
        nodes.push(g.node(n).values(), None)?;
    }

    let edge_attrs = FreeAttrs::collect(view.edges.iter().map(|&e| g.edge(e).attrs()));
    let mut edges = Table::new(&EDGE, &edge_attrs, true);
    for &e in &view.edges {
        let (a, b) = g.endpoints(e);
        let id = i64::try_from(e.index()).unwrap_or(i64::MAX);
        edges.push(g.edge(e).values(g.node(a).id(), g.node(b).id()), Some(id))?;
    }
    Ok(ParquetFiles {
        nodes: nodes.finish()?,
        edges: edges.finish()?,
    })
}

/// One file being written: its field table, free attributes, the rows not yet
/// written and, once the first batch is written, the writer.
struct Table<'a, const N: usize> {
    table: &'static [Field; N],
    attrs: &'a FreeAttrs,
    with_ids: bool,
    rows: Vec<Values<'a, N>>,
    ids: Vec<i64>,
    bytes: usize,
    writer: Option<ArrowWriter<Vec<u8>>>,
}

impl<'a, const N: usize> Table<'a, N> {
    fn new(table: &'static [Field; N], attrs: &'a FreeAttrs, with_ids: bool) -> Self {
        Table {
            table,
            attrs,
            with_ids,
            rows: Vec::new(),
            ids: Vec::new(),
            bytes: 0,
            writer: None,
        }
    }

    /// Adds a record (with its edge id, for edges), writing a batch when one is full.
    fn push(&mut self, row: Values<'a, N>, id: Option<i64>) -> Result<(), ParquetError> {
        self.bytes += text_bytes(&row);
        self.rows.push(row);
        self.ids.extend(id);
        if self.rows.len() >= BATCH || self.bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the rows held as one batch (also when there are none and nothing has been
    /// written: a table with no rows still has its columns).
    fn flush(&mut self) -> Result<(), ParquetError> {
        if self.rows.is_empty() && self.writer.is_some() {
            return Ok(());
        }
        let ids = self.with_ids.then_some(&self.ids[..]);
        let batch = batch(self.table, &self.rows, ids, self.attrs)?;
        self.rows.clear();
        self.ids.clear();
        self.bytes = 0;
        let writer = match &mut self.writer {
            Some(w) => w,
            None => {
                let props = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .set_created_by(format!("policygraph {}", env!("CARGO_PKG_VERSION")))
                    .build();
                self.writer.insert(ArrowWriter::try_new(
                    Vec::new(),
                    batch.schema(),
                    Some(props),
                )?)
            }
        };
        writer.write(&batch)?;
        Ok(())
    }

    /// The file's bytes.
    fn finish(mut self) -> Result<Vec<u8>, ParquetError> {
        self.flush()?;
        match self.writer {
            Some(w) => Ok(w.into_inner()?),
            None => Err(ParquetError("no batch was written".into())),
        }
    }
}

/// About how many bytes of text a record puts into arrays.
fn text_bytes<const N: usize>(row: &Values<'_, N>) -> usize {
    row.iter()
        .map(|(_, v)| match v {
            Some(Value::Text(t)) => t.len(),
            Some(Value::List(l)) => l.iter().map(str::len).sum(),
            Some(Value::Sources(s)) => s.iter().map(|s| s.doc.len() + s.at.len()).sum(),
            Some(Value::Attrs(a)) => a
                .values()
                .map(|v| match v {
                    AttrValue::String(s) => s.len(),
                    AttrValue::Integer(_) | AttrValue::Float(_) | AttrValue::Bool(_) => 24,
                })
                .sum(),
            Some(Value::Date(_) | Value::End(_))
            | Some(Value::Kind(_) | Value::Relation(_) | Value::Stance(_))
            | None => 16,
        })
        .sum()
}

/// One batch of records as Arrow arrays under the schema of the module doc.
fn batch<'a, const N: usize>(
    table: &'static [Field; N],
    rows: &[Values<'a, N>],
    ids: Option<&[i64]>,
    attrs: &FreeAttrs,
) -> Result<RecordBatch, ParquetError> {
    let mut columns: Vec<(ArrowField, ArrayRef)> = Vec::new();
    if let Some(ids) = ids {
        let mut b = Int64Builder::with_capacity(ids.len());
        b.append_slice(ids);
        columns.push((
            ArrowField::new(EDGE_ID, DataType::Int64, false),
            Arc::new(b.finish()),
        ));
    }
    for (j, field) in table.iter().enumerate() {
        let values = rows.iter().map(|r| r[j].1);
        let name = column_name(field);
        match field.ty {
            Type::Id
            | Type::From
            | Type::To
            | Type::Text(_)
            | Type::Date
            | Type::Kind
            | Type::Relation
            | Type::Stance => {
                let mut b = StringBuilder::new();
                for v in values {
                    b.append_option(v.and_then(|v| v.flat("")));
                }
                columns.push((
                    ArrowField::new(name, DataType::Utf8, !field.required),
                    Arc::new(b.finish()),
                ));
            }
            Type::End => {
                let (mut date, mut status) = (StringBuilder::new(), StringBuilder::new());
                for v in values {
                    let end = match v {
                        Some(Value::End(e)) => e,
                        _ => End::Unknown,
                    };
                    date.append_option(end.date().map(|d| d.to_string()));
                    status.append_value(end.status());
                }
                columns.push((
                    ArrowField::new(name, DataType::Utf8, true),
                    Arc::new(date.finish()),
                ));
                columns.push((
                    ArrowField::new(status_column(field), DataType::Utf8, false),
                    Arc::new(status.finish()),
                ));
            }
            Type::List { .. } => {
                let lists: Vec<Vec<&str>> = values
                    .map(|v| match v {
                        Some(Value::List(l)) => l.iter().collect(),
                        _ => Vec::new(),
                    })
                    .collect();
                let items = StringArray::from_iter_values(lists.iter().flatten());
                let (array, data_type) = list(lists.iter().map(|l| l.len()), Arc::new(items))?;
                columns.push((ArrowField::new(name, data_type, false), array));
            }
            Type::Sources => {
                let lists: Vec<&[crate::model::Source]> = values
                    .map(|v| match v {
                        Some(Value::Sources(s)) => s,
                        _ => &[],
                    })
                    .collect();
                let all = || lists.iter().flat_map(|l| l.iter());
                let doc = StringArray::from_iter_values(all().map(|s| s.doc.as_str()));
                let at = StringArray::from_iter_values(all().map(|s| s.at.as_str()));
                let struct_fields = source_fields();
                let sources = StructArray::try_new(
                    struct_fields,
                    vec![Arc::new(doc) as ArrayRef, Arc::new(at)],
                    None,
                )?;
                let (array, data_type) = list(lists.iter().map(|l| l.len()), Arc::new(sources))?;
                columns.push((ArrowField::new(name, data_type, false), array));
            }
            Type::Attrs => {
                let maps: Vec<Option<&'a Attrs>> = values
                    .map(|v| match v {
                        Some(Value::Attrs(a)) => Some(a),
                        _ => None,
                    })
                    .collect();
                for (key, ty) in &attrs.list {
                    let get = |m: &Option<&'a Attrs>| -> Option<&'a AttrValue> {
                        m.and_then(|m| m.get(key))
                    };
                    let (data_type, array): (DataType, ArrayRef) = match *ty {
                        "long" => {
                            let mut b = Int64Builder::with_capacity(maps.len());
                            for m in &maps {
                                b.append_option(match get(m) {
                                    Some(AttrValue::Integer(i)) => Some(*i),
                                    _ => None,
                                });
                            }
                            (DataType::Int64, Arc::new(b.finish()))
                        }
                        "double" => {
                            let mut b = Float64Builder::with_capacity(maps.len());
                            for m in &maps {
                                b.append_option(match get(m) {
                                    Some(AttrValue::Float(f)) => Some(*f),
                                    _ => None,
                                });
                            }
                            (DataType::Float64, Arc::new(b.finish()))
                        }
                        "boolean" => {
                            let mut b = BooleanBuilder::with_capacity(maps.len());
                            for m in &maps {
                                b.append_option(match get(m) {
                                    Some(AttrValue::Bool(x)) => Some(*x),
                                    _ => None,
                                });
                            }
                            (DataType::Boolean, Arc::new(b.finish()))
                        }
                        _ => {
                            let mut b = StringBuilder::new();
                            for m in &maps {
                                b.append_option(get(m).map(|v| typed(v).1));
                            }
                            (DataType::Utf8, Arc::new(b.finish()))
                        }
                    };
                    columns.push((ArrowField::new(column(key), data_type, true), array));
                }
            }
        }
    }
    let (fields, arrays): (Vec<ArrowField>, Vec<ArrayRef>) = columns.into_iter().unzip();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

/// The fields of a source struct: the source table's names.
fn source_fields() -> Fields {
    crate::model::field::SOURCE
        .iter()
        .map(|f| ArrowField::new(f.name, DataType::Utf8, false))
        .collect()
}

/// A list array of `values` cut into lists of `lengths`, with its type; no list is null.
fn list(
    lengths: impl Iterator<Item = usize>,
    values: ArrayRef,
) -> Result<(ArrayRef, DataType), ParquetError> {
    let item = Arc::new(ArrowField::new("item", values.data_type().clone(), false));
    let mut offsets = OffsetBufferBuilder::<i32>::new(0);
    for n in lengths {
        offsets
            .try_push_length(n)
            .map_err(|_| ParquetError("a batch of lists is too long for Arrow".into()))?;
    }
    let array = ListArray::try_new(item.clone(), offsets.finish(), values, None)?;
    Ok((Arc::new(array), DataType::List(item)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field has a column, the graph engines' names among them, and no two
    /// columns share a name (a free attribute's `attrs.` prefix keeps it off them all).
    #[test]
    fn the_field_tables_give_the_graphframes_columns_once_each() {
        for (table, wanted) in [
            (&NODE[..], &["id", "kind", "name", "end_status"][..]),
            (&EDGE[..], &["src", "dst", "relationship"][..]),
        ] {
            let mut names: Vec<String> = table
                .iter()
                .filter(|f| f.ty != Type::Attrs)
                .flat_map(|f| match f.ty {
                    Type::End => vec![column_name(f).to_string(), status_column(f)],
                    _ => vec![column_name(f).to_string()],
                })
                .collect();
            names.push(EDGE_ID.into());
            for w in wanted {
                assert!(names.iter().any(|n| n == w), "{w} in {names:?}");
            }
            assert!(
                names
                    .iter()
                    .all(|n| !n.starts_with(crate::attr_name::PREFIX))
            );
            let count = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), count, "{names:?}");
        }
    }
}
