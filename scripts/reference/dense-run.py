#!/usr/bin/env python3
"""Dense first-stage TREC run for a BEIR split: all-MiniLM-L6-v2 exact cosine top-K.

Needs the Python reference stack (torch CPU, sentence-transformers, numpy);
`scripts/setup-reference` installs it. A stand-in for `indexer search` when that is not
available: the recipe is the project's dense stage (mean pooling, L2 normalised, max 256 word
pieces, document = title + " " + text stripped, exact cosine, ties by document id ascending).

    scripts/reference/dense-run.py --dataset scifact --split test --top 100 --out /tmp/scifact.dense.run
        [--corpus-embeddings FILE.npy]   # reuse (or create) the corpus embeddings in file order
"""
import argparse
import json
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "data"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--split", default="test")
    ap.add_argument("--top", type=int, default=100)
    ap.add_argument("--out", required=True)
    ap.add_argument("--corpus-embeddings")
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "all-MiniLM-L6-v2"))
    a = ap.parse_args()

    ids, docs = [], []
    with open(os.path.join(DATA, a.dataset, "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                ids.append(str(d["_id"]))
                title = d.get("title") or ""
                docs.append((title + " " + d.get("text", "")).strip() if title else d.get("text", "").strip())
    split = set()
    with open(os.path.join(DATA, a.dataset, "qrels", a.split + ".tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 3:
                split.add(p[0])
    queries = []
    with open(os.path.join(DATA, a.dataset, "queries.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                q = json.loads(line)
                if str(q["_id"]) in split:
                    queries.append((str(q["_id"]), q["text"]))

    from sentence_transformers import SentenceTransformer
    model = SentenceTransformer(a.model, device="cpu")
    model.max_seq_length = 256

    def embed(texts):
        return model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                            show_progress_bar=False).astype(np.float32)

    if a.corpus_embeddings and os.path.exists(a.corpus_embeddings):
        demb = np.load(a.corpus_embeddings)
        assert demb.shape[0] == len(ids), "corpus embeddings do not match the corpus"
    else:
        demb = embed(docs)
        if a.corpus_embeddings:
            np.save(a.corpus_embeddings, demb)
    qemb = embed([t for _, t in queries])
    scores = qemb @ demb.T
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for (qid, _), row in zip(queries, scores):
            order = sorted(range(len(ids)), key=lambda i: (-float(row[i]), ids[i]))[: a.top]
            for r, i in enumerate(order, 1):
                f.write("%s Q0 %s %d %r dense\n" % (qid, ids[i], r, float(row[i])))
    os.replace(tmp, a.out)
    print("wrote %s: %d queries x top %d" % (a.out, len(queries), a.top), file=sys.stderr)


if __name__ == "__main__":
    main()
