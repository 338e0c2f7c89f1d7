#!/usr/bin/env python3
"""Regenerate Tests/LexicalTests/Golden/porter_vocabulary.tsv.gz: word<TAB>stem lines.

Reference: NLTK's PorterStemmer in MARTIN_EXTENSIONS mode, which NLTK documents (and tests
against Porter's published voc.txt/output.txt) as Martin Porter's own reference implementation,
the version Lucene's PorterStemmer follows (-bli -> -ble, -logi -> -log, words of <= 2 letters
untouched). Porter's published word lists are not available offline here, so the vocabulary is
every distinct lowercase ASCII word ([a-z]+) of the BEIR SciFact, NFCorpus and Cranfield corpora
and queries in ../shared/data (about 50k words).

Needs: python3 with nltk (pip install nltk; no nltk_data needed). Run from the package root:
    python3 scripts/reference/gen_porter_golden.py
Prints how many words the ORIGINAL_ALGORITHM mode (the 1980 paper) stems differently, for the record.
"""
import gzip
import json
import os
import re

from nltk.stem.porter import PorterStemmer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "Tests", "LexicalTests", "Golden", "porter_vocabulary.tsv.gz")

words = set()
for collection in ("scifact", "nfcorpus", "cranfield"):
    for name in ("corpus.jsonl", "queries.jsonl"):
        with open(os.path.join(DATA, collection, name), encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                text = " ".join(str(record.get(k) or "") for k in ("title", "text"))
                words.update(re.findall(r"[a-z]+", text.lower()))

martin = PorterStemmer(mode=PorterStemmer.MARTIN_EXTENSIONS)
original = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
differ = 0
# mtime=0 keeps the gzip bytes reproducible.
with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
    for word in sorted(words):
        stem = martin.stem(word, to_lowercase=False)
        if stem != original.stem(word, to_lowercase=False):
            differ += 1
        gz.write(f"{word}\t{stem}\n".encode("utf-8"))
print(f"{len(words)} words written to {OUT}; ORIGINAL_ALGORITHM differs on {differ}")
