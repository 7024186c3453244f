//! The floor for loading: a bare parse of `nodes.csv` and `edges.csv` with the csv
//! crate, touching every field and allocating nothing per row. `benches/compare.py`
//! compares `policygraph validate` against it ("load throughput within 3x of a bare
//! parse").
//!
//!     cargo run --release --example bare_csv -- DIR

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: bare_csv DIR")?;
    let mut fields = 0usize;
    let mut bytes = 0usize;
    for name in ["nodes.csv", "edges.csv"] {
        let mut reader = csv::Reader::from_path(std::path::Path::new(&dir).join(name))?;
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record)? {
            fields += record.len();
            bytes += record.as_slice().len();
        }
    }
    println!("{fields} fields, {bytes} bytes");
    Ok(())
}
