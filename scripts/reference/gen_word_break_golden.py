#!/usr/bin/env python3
"""Regenerate Tests/LexicalTests/Golden/word_break_tokens.tsv.gz from Unicode's WordBreakTest.txt.

Reference: the UAX#29 conformance file (Unicode 15.0, Debian package `unicode-data`, file
/usr/share/unicode/auxiliary/WordBreakTest.txt). Like Lucene's generateJavaUnicodeWordBreakTest.pl,
the expected StandardTokenizer output of a test string is the list of its UAX#29 segments that
contain at least one character Lucene's grammar can start a token with: Word_Break ALetter,
Hebrew_Letter, Numeric or Katakana, Script Han or Hiragana, Line_Break SA, or an emoji character
(Extended_Pictographic, Emoji_Modifier(_Base)), or that hold a pair of Regional_Indicators (a flag:
Lucene drops a lone one).

Output lines: input code points (hex, space separated) TAB expected tokens (each as hex code
points, tokens separated by '|'). Needs python3 and unicode-data only. Run from the package root:
    python3 scripts/reference/gen_word_break_golden.py
"""
import gzip
import os

UCD = "/usr/share/unicode"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "LexicalTests", "Golden", "word_break_tokens.tsv.gz")


def load(path, wanted):
    result = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cps, value = [x.strip() for x in line.split(";")[:2]]
            if value not in wanted:
                continue
            lo, _, hi = cps.partition("..")
            result.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return result


token_start = (load(f"{UCD}/auxiliary/WordBreakProperty.txt",
                    {"ALetter", "Hebrew_Letter", "Numeric", "Katakana"})
               | load(f"{UCD}/Scripts.txt", {"Han", "Hiragana"})
               | load(f"{UCD}/LineBreak.txt", {"SA"})
               | load(f"{UCD}/emoji/emoji-data.txt",
                      {"Extended_Pictographic", "Emoji_Modifier", "Emoji_Modifier_Base"}))

rows = []
with open(f"{UCD}/auxiliary/WordBreakTest.txt", encoding="utf-8") as f:
    for line in f:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        segments, current = [], []
        for item in line.split()[1:]:
            if item == "÷":
                segments.append(current)
                current = []
            elif item != "×":
                current.append(int(item, 16))
        text = [c for s in segments for c in s]
        ri = lambda c: 0x1F1E6 <= c <= 0x1F1FF
        tokens = [s for s in segments
                  if any(c in token_start for c in s) or sum(1 for c in s if ri(c)) >= 2]
        rows.append(" ".join(f"{c:X}" for c in text) + "\t"
                    + "|".join(" ".join(f"{c:X}" for c in t) for t in tokens))

with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
    gz.write(("\n".join(rows) + "\n").encode("ascii"))
print(f"{len(rows)} test strings written to {OUT}")
