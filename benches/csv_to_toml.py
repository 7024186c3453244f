#!/usr/bin/env python3
"""Convert a CSV interchange collection to the curated TOML format, record for record.

    csv_to_toml.py CSV_DIR OUT_FILE

Reads CSV_DIR/nodes.csv and CSV_DIR/edges.csv (as written by
/work/shared/bench/gen_synthetic.py or `policygraph export --format csv`) and writes one
TOML file of `[[node]]` then `[[edge]]` tables holding the same records: an empty cell is
left out, `aliases` split on `|`, `sources` (`doc@at|doc@at`) become `{ doc, at }`
tables, and columns the CSV format does not name become string `attrs`. Used to measure
the TOML loader against the CSV one on the same data. Standard library only.
"""
import csv
import os
import sys

NODE_FIELDS = ["id", "kind", "name", "start", "end", "aliases", "summary", "stance", "sources", "note"]
EDGE_FIELDS = ["from", "relation", "to", "date", "stance", "note", "sources"]


def quote(text):
    """A TOML basic string."""
    out = ['"']
    for c in text:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\u%04X" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def key(name):
    bare = name and all(c.isascii() and (c.isalnum() or c in "-_") for c in name)
    return name if bare else quote(name)


def write_table(out, header, fields, row):
    out.write(header)
    attrs = []
    for name, cell in row.items():
        if cell is None or cell == "":
            continue
        if name not in fields:
            attrs.append((name, cell))
        elif name == "aliases":
            parts = [p.strip() for p in cell.split("|") if p.strip()]
            out.write("aliases = [%s]\n" % ", ".join(quote(p) for p in parts))
        elif name == "sources":
            items = []
            for part in (p.strip() for p in cell.split("|")):
                if not part:
                    continue
                doc, _, at = part.partition("@")
                items.append("{ doc = %s, at = %s }" % (quote(doc.strip()), quote(at.strip())))
            out.write("sources = [%s]\n" % ", ".join(items))
        else:
            out.write("%s = %s\n" % (name, quote(cell)))
    if attrs:
        out.write("attrs = { %s }\n" % ", ".join("%s = %s" % (key(k), quote(v)) for k, v in attrs))
    out.write("\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    with open(dst, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Converted from %s by benches/csv_to_toml.py\n\n" % src)
        for name, header, fields in [
            ("nodes.csv", "[[node]]\n", NODE_FIELDS),
            ("edges.csv", "[[edge]]\n", EDGE_FIELDS),
        ]:
            path = os.path.join(src, name)
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8-sig", newline="") as f:
                for row in csv.DictReader(f):
                    write_table(out, header, fields, row)


if __name__ == "__main__":
    main()
