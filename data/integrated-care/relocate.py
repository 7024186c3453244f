#!/usr/bin/env python3
"""Convert the line locators of this collection into places in the published documents.

Used once (issue 18, "Locators a student can follow") and kept as a record of how the
conversion was made; nothing runs it. Before it, about 600 `at` locators in
data/integrated-care/*.toml had the form `L<n>` (or `L<a>-L<b>`, or combined, such as
`ref 19; L88` and `Table 1, L112`): line n of the seed text file of the cited document,
as `cat -n` shows it. The seed files are not shipped, so a reader could not follow them.

How it works:

1. For each seed document (the document node's `attrs.seed` names the file), every line
   is given the place where it sits in the published document (`place_map`):
   - the 2021 paper (001): the markdown heading it is under, in sentence case as the
     journal prints it, and the paragraph ordinal within that section (blank-line
     separated blocks; a block that starts in lower case continues the paragraph that a
     page break or a table interrupted; a displayed quotation belongs to the paragraph
     that introduces it); a row of Table 1 or 2 by its title cell; a line of the
     reference list by its number; front and back matter by name;
   - the committee report (004): its numbered paragraphs (`para N`, quotations and
     lettered items included) and footnotes (`fn N`);
   - the King's Fund page (003): its headings and paragraph ordinals, and its two
     figures by caption;
   - the POSTnote page (002) and the portal record (000), which print no headings: named
     parts (`summary, para 2`, `contributors, "<name>"`, `abstract, para 3`, ...).
2. Every `at` string is rewritten part by part (parts are separated by `;` or by the
   comma of `Table 1, L112` and `ref 26, L245`): an `L<n>` part becomes the place of line
   n, an `L<a>-L<b>` part the places of lines a to b (a paragraph range where they share
   a section). An `L<n>` part that only repeats what a `ref N` or `Table N` part beside
   it locates (the reference's own line, the table's row) is folded into it. Other
   parts are kept as they were. Nothing but the quoted `at` value is touched.

The 174 seed line numbers left inside `note`, `summary` and `#` comment text (126 lines)
were converted afterwards, once: `place_map` gave each line's place, the sentence (or
the record's sources) told which seed was meant, and each sentence was then reread by
hand against the seed. This script does not touch free text.

Run from the repository root: `python3 data/integrated-care/relocate.py SEEDS_DIR`
(rewrites the files in place; `--check` only prints what it would change). It stops
with an error on any line it cannot place.
"""

import re
import sys
import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent

# Words of the paper's headings that keep their capitals in sentence case.
PROPER = {"coalition": "Coalition", "conservatives": "Conservatives", "covid-19": "COVID-19"}


def sentence_case(heading):
    out = heading.lower()
    for word, printed in PROPER.items():
        out = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", printed, out)
    return out[:1].upper() + out[1:]


def blocks(lines, start, end):
    """Blank-line separated blocks of lines[start:end] (1-based numbers, end exclusive)."""
    out, cur = [], []
    for n in range(start, end):
        if lines[n - 1].strip():
            cur.append(n)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def paragraphs(lines, block_list, places, prefix):
    """Number the paragraphs of a section; continuation and quotation blocks join the
    paragraph before them."""
    k = 0
    for b in block_list:
        first = lines[b[0] - 1].lstrip()
        if k and (first[:1].islower() or first[:1] in "“\""):
            pass
        else:
            k += 1
        for n in b:
            places[n] = (prefix, k)
    return k


def finish(places):
    """Turn (prefix, k) pairs into strings."""
    return {n: f"{p[0]}, para {p[1]}" if isinstance(p, tuple) else p for n, p in places.items()}


def paper_2021(lines):
    places = {}
    n_lines = len(lines)
    # The repository's cover page (lines before the article's own title).
    title_line = next(i for i, l in enumerate(lines, 1) if l.startswith("# "))
    for n in range(1, title_line):
        if "Citation for published version" in lines[n - 1] or lines[n - 1].startswith("Miller, R, Glasby"):
            places[n] = "repository cover page, citation"
        elif "Link to publication" in lines[n - 1]:
            places[n] = "repository cover page, portal link"
        else:
            above = [lines[i - 1][4:].strip() for i in range(1, n + 1) if lines[i - 1].startswith("### ")]
            places[n] = f'repository cover page, "{above[-1]}"' if above else "repository cover page"
    for n in range(title_line, title_line + 1):
        places[n] = "title"
    headings = [i for i, l in enumerate(lines, 1) if i > title_line and l.startswith("#")]
    back = next(i for i, l in enumerate(lines, 1) if l.strip() == "---")
    for n in range(title_line + 1, headings[0]):
        places[n] = "authors"
    for h, nxt in zip(headings, headings[1:] + [back]):
        name = sentence_case(lines[h - 1].lstrip("#").strip())
        sec = f'section "{name}"'
        places[h] = sec
        if name == "References":
            refs = [n for n in range(h + 1, nxt) if lines[n - 1].strip()]
            for i, n in enumerate(refs, 1):
                num = re.match(r"(\d+)\. ", lines[n - 1])
                assert num is None or int(num.group(1)) == i, (n, i)
                places[n] = f"ref {i}"
            continue
        if name == "Author affiliations":
            for n in range(h + 1, nxt):
                places[n] = sec
            continue
        body = []
        label = None
        for b in blocks(lines, h + 1, nxt):
            text = lines[b[0] - 1]
            if re.fullmatch(r"[A-Z ]+:", text.strip()):  # CORRESPONDING AUTHOR: etc.
                label = text.strip().rstrip(":").capitalize()
            if label:
                for n in b:
                    places[n] = f"{label.lower()}"
                continue
            if "\t" in text:  # a table: header row and rows
                cap = next(i for i in range(b[-1] + 1, nxt) if lines[i - 1].startswith("**Table"))
                table = re.match(r"\*\*(Table \d+)\*\*", lines[cap - 1]).group(1)
                for n in b:
                    cells = lines[n - 1].split("\t")
                    places[n] = table if cells[0] == "YEAR" else f'{table}, row "{cells[1].strip().rstrip(":")}"'
                continue
            if text.startswith("**Table"):
                places[b[0]] = re.match(r"\*\*(Table \d+)\*\*", text).group(1)
                continue
            body.append(b)
        paragraphs(lines, body, places, sec)
    for n in range(back, n_lines + 1):
        text = lines[n - 1]
        if text.startswith("Submitted:"):
            places[n] = "back matter, publication dates"
        elif n > back and any(lines[i - 1].startswith("**COPYRIGHT") for i in range(back, n + 1)):
            places[n] = "back matter, copyright"
        else:
            places[n] = "back matter, citation"
    return finish(places)


def committee_2018(lines):
    places = {}
    para = None
    for n, text in enumerate(lines, 1):
        if n == 1:
            places[n] = "title"
        elif text.startswith("Published:"):
            places[n] = "publication date"
        elif m := re.match(r"(\d+)\.\S", text):
            para = int(m.group(1))
            places[n] = f"para {para}"
        elif m := re.match(r"(\d+) \S", text):
            places[n] = f"fn {m.group(1)}"
        elif text.strip() and para is not None and n < 77:
            # Quotations and lettered items belong to their numbered paragraph; a
            # cross-heading to the paragraph that follows it.
            if text[:1].isupper() and not text.rstrip().endswith((".", ":")) and len(text) < 70:
                places[n] = f'"{text.strip()}"'
            else:
                places[n] = f"para {para}"
    return places


def kings_fund_2022(lines):
    places = {}
    headings = ["What we think", "The context", "Key spokespeople on integrated care", "Join us at our virtual conference"]
    hl = [lines.index(h) + 1 for h in headings]
    places[1] = "title"
    for n in range(2, hl[0]):
        text = lines[n - 1]
        if text.startswith("Last updated"):
            places[n] = 'header, "Last updated"'
        elif text.startswith("Part of"):
            places[n] = f'header, "{text.strip()}"'
        elif text.strip() and n > 7:
            places[n] = "standfirst"
        elif text.strip():
            places[n] = "header"
    for h, name, nxt in zip(hl, headings, hl[1:] + [len(lines) + 1]):
        sec = f'section "{name}"'
        places[h] = sec
        body = []
        for b in blocks(lines, h + 1, nxt):
            if len(b) == 2 and lines[b[1] - 1].startswith("Source:"):
                for n in b:
                    places[n] = f'{sec}, figure "{lines[b[0] - 1].strip()}"'
            else:
                body.append(b)
        paragraphs(lines, body, places, sec)
    return finish(places)


def postnote(lines):
    places = {}
    contributors = next(i for i, l in enumerate(lines, 1) if " – " in l)
    for n, text in enumerate(lines, 1):
        if text.startswith("Source:"):
            places[n] = "figure source"
        elif text.startswith("POSTnotes are based"):
            places[n] = "acknowledgements"
        elif n >= contributors and text.strip() and not text.startswith(("Documents", "Related")):
            places[n] = f'contributors, "{text.split(" – ")[0].strip()}"'
    summary = [b for b in blocks(lines, 4, contributors) if not lines[b[0] - 1].startswith("POSTnotes")]
    paragraphs(lines, summary, places, "summary")
    return finish(places)


def portal_record(lines):
    places = {}
    places[1] = "title"
    places[3] = "authors"
    start = next(i for i, l in enumerate(lines, 1) if l.startswith("Introduction:"))
    details = next(i for i, l in enumerate(lines, 1) if l.startswith("Original language"))
    paragraphs(lines, blocks(lines, start, details), places, "abstract")
    for n in range(details, len(lines) + 1):
        if lines[n - 1].strip():
            places[n] = "record details" if n < details + 5 else "keywords"
    return finish(places)


BUILDERS = {
    "000": portal_record,
    "001": paper_2021,
    "002": postnote,
    "003": kings_fund_2022,
    "004": committee_2018,
}


def place_map(seed):
    lines = seed.read_text(encoding="utf-8").split("\n")
    return BUILDERS[seed.name[:3]](lines)


def join_range(places):
    """The places of a range of lines, in order: paragraphs of one section become a
    paragraph range, and a named part's labelled lines (`header, "Last updated"`) the
    part itself."""
    out = []
    for p in places:
        m = re.fullmatch(r"(.*), para (\d+)", p)
        if m and out and re.fullmatch(re.escape(m.group(1)) + r", paras? (\d+)(-\d+)?", out[-1]):
            first = re.search(r"(\d+)(-\d+)?$", out[-1]).group(1)
            out[-1] = f"{m.group(1)}, paras {first}-{m.group(2)}"
            continue
        m = re.fullmatch(r'([a-z ]+), "[^"]*"', p)
        if m and m.group(1) in out:
            continue
        if p not in out:
            out.append(p)
    return out


def convert(at, places):
    parts = [p.strip() for p in re.split(r";|,(?= *L\d)", at)]
    out = []
    for part in parts:
        m = re.fullmatch(r"L(\d+)(?:-L(\d+))?", part)
        if not m:
            out.append(part)
            continue
        a = int(m.group(1))
        b = int(m.group(2) or a)
        got = [places[n] for n in range(a, b + 1) if n in places]
        if not got or a not in places or b not in places:
            raise SystemExit(f"cannot place {part!r} of {at!r}")
        new = join_range(got)
        for p in new:
            prev = out[-1] if out else None
            # Fold a line that only repeats its `ref N` or `Table N` neighbour.
            if prev and re.fullmatch(r"ref \d+|Table \d+", prev) and (p == prev or p.startswith(prev + ", row")):
                out[-1] = p
            elif p not in out:
                out.append(p)
    return "; ".join(out)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    check = "--check" in sys.argv
    seeds = Path(args[0] if args else "../shared/seeds")
    seed_of = {}
    for f in sorted(DATA.glob("*.toml")):
        for node in tomllib.loads(f.read_text(encoding="utf-8")).get("node", []):
            if "seed" in node.get("attrs", {}):
                seed_of[node["id"]] = seeds / node["attrs"]["seed"]
    maps = {doc: place_map(path) for doc, path in seed_of.items()}
    pattern = re.compile(r'(doc = "([^"]+)", at = )"([^"]*)"')
    total = 0
    for f in sorted(DATA.glob("*.toml")):
        text = f.read_text(encoding="utf-8")

        def sub(m):
            nonlocal total
            doc, at = m.group(2), m.group(3)
            if not re.search(r"\bL\d", at):
                return m.group(0)
            if doc not in maps:
                raise SystemExit(f"{f.name}: {at!r} is a line locator of {doc}, which has no seed")
            new = convert(at, maps[doc])
            total += 1
            if check:
                print(f"{f.name}\t{doc}\t{at}\t->\t{new}")
            # A literal string where the locator quotes a heading, so it reads as printed.
            if '"' in new and "'" not in new:
                return f"{m.group(1)}'{new}'"
            return m.group(1) + '"' + new.replace('"', '\\"') + '"'

        new_text = pattern.sub(sub, text)
        if not check and new_text != text:
            f.write_text(new_text, encoding="utf-8")
    print(f"{total} locators converted", file=sys.stderr)


if __name__ == "__main__":
    main()
