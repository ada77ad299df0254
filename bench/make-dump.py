#!/usr/bin/env python3
"""Writes a MediaWiki XML dump (schema 0.11) of generated biographies for the import/export
benchmark (issue 19): PAGES pages with REVISIONS revisions each, every revision after the first
changing one section. A few pages are redirects. Names of .gz and .bz2 files are compressed.

    python3 bench/make-dump.py OUT.xml [--pages 10000] [--revisions 10]
"""
import argparse
import bz2
import gzip
import hashlib
import random
import sys
from xml.sax.saxutils import escape

SECTIONS = ["Early life", "Education", "Career", "Later career", "Personal life",
            "Death", "Legacy", "Honours", "Works", "Further reading"]
WORDS = ("the of and in to was a he she his her for with as on by at from that which "
         "university london paris married studied worked published appointed professor "
         "society museum novel engineer painter composer council election returned").split()


def sha1_base36(text):
    n = int(hashlib.sha1(text.encode()).hexdigest(), 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        out = digits[n % 36] + out
        n //= 36
    return out.rjust(31, "0")


def paragraph(rng, words=45):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--revisions", type=int, default=10)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    opener = {"gz": gzip.open, "bz2": bz2.open}.get(args.out.rsplit(".", 1)[-1], open)
    rev_id = 0
    with opener(args.out, "wt", encoding="utf-8") as out:
        out.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n')
        out.write("  <siteinfo>\n    <sitename>Bench</sitename>\n    <namespaces>\n"
                  '      <namespace key="0" case="first-letter" />\n'
                  '      <namespace key="14" case="first-letter">Category</namespace>\n'
                  "    </namespaces>\n  </siteinfo>\n")
        for page in range(1, args.pages + 1):
            name = f"Person {page:05d} {rng.choice(['Smith', 'Müller', 'Øberg', 'Ng'])}"
            born = rng.randint(1700, 1990)
            lead = (f"'''{name}''' (born {born}) was a {rng.choice(['painter', 'engineer', 'composer'])}"
                    f" from [[{rng.choice(['London', 'Paris', 'Oslo'])}]]. {paragraph(rng)}\n")
            sections = [f"== {s} ==\n{paragraph(rng)} See [[Person {rng.randint(1, args.pages):05d} Smith]].\n"
                        for s in SECTIONS]
            tail = f"[[Category:People born in {born}]]\n"
            out.write(f"  <page>\n    <title>{escape(name)}</title>\n    <ns>0</ns>\n    <id>{page}</id>\n")
            parent = None
            for r in range(args.revisions):
                if r > 0:
                    k = rng.randrange(len(sections))
                    sections[k] = sections[k].rstrip("\n") + " " + paragraph(rng, 12) + "\n"
                text = lead + "".join(sections) + tail
                rev_id += 1
                ts = f"20{10 + r:02d}-0{1 + page % 9}-1{page % 10}T1{r % 10}:00:{page % 60:02d}Z"
                out.write(f"    <revision>\n      <id>{rev_id}</id>\n")
                if parent:
                    out.write(f"      <parentid>{parent}</parentid>\n")
                out.write(f"      <timestamp>{ts}</timestamp>\n"
                          f"      <contributor>\n        <username>Editor{rng.randint(1, 50)}</username>\n"
                          f"        <id>{rng.randint(1, 50)}</id>\n      </contributor>\n"
                          f"      <comment>Revision {r + 1}</comment>\n"
                          "      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
                          f'      <text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>\n'
                          f"      <sha1>{sha1_base36(text)}</sha1>\n    </revision>\n")
                parent = rev_id
            out.write("  </page>\n")
        out.write("</mediawiki>\n")
    print(f"wrote {args.pages} pages, {rev_id} revisions to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
