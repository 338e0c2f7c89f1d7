#!/usr/bin/env python3
"""Writes the golden file for the Swift cross-encoder fidelity test.

Needs the Python reference stack (torch CPU, transformers, sentence-transformers, numpy);
`scripts/setup-reference` installs it.

Reference: transformers' BertForSequenceClassification with the committed default reranker
(models/indexer-reranker-minilm-l6, float16 safetensors loaded as float32), its fast tokenizer
with truncation "only_second" at the model's max length. 500 (query, document) pairs: 13 SciFact
and 12 NFCorpus train queries (seeded choice), each with 20 of its dense first-stage top-100
candidates (ranks spread over 1-100), documents as title + " " + text. With --pairs-from the
pairs of an existing golden file are kept and only the token ids and logits recomputed (how the
file was regenerated for a new default model: same pairs, new logits).

Output: Tests/RerankingTests/Golden/reranker-pairs.jsonl.gz, one JSON object a line:
  {"dataset", "query_id", "doc_id", "query", "document", "input_ids", "token_type_ids", "logit"}
"""
import argparse
import gzip
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reranker_common as C  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=os.path.join(C.ROOT, "models", "indexer-reranker-minilm-l6"))
    p.add_argument("--work", default="/tmp/rr/work", help="embedding cache")
    p.add_argument("--out", default=os.path.join(C.ROOT, "Tests", "RerankingTests", "Golden",
                                                 "reranker-pairs.jsonl.gz"))
    p.add_argument("--pairs-from", default=None, metavar="GOLDEN",
                   help="take the (query, document) pairs of an existing golden file (e.g. the committed one) "
                        "instead of choosing them again: no dense run or embeddings needed; only the token "
                        "ids and logits are recomputed for --model")
    args = p.parse_args()

    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(args.model)
    max_length = int(json.load(open(os.path.join(args.model, "tokenizer_config.json")))["model_max_length"])
    model = BertForSequenceClassification.from_pretrained(args.model, dtype=torch.float32).eval()
    rng = random.Random(0)
    rows = []
    if args.pairs_from:
        with gzip.open(args.pairs_from, "rt", encoding="utf-8") as f:
            rows = [{k: o[k] for k in ("dataset", "query_id", "doc_id", "query", "document")}
                    for o in map(json.loads, f)]
    for ds, nq in ([] if args.pairs_from else (("scifact", 13), ("nfcorpus", 12))):
        qrels = C.load_qrels(ds, "train")
        queries = C.load_queries(ds)
        qids = rng.sample(sorted(q for q in qrels if q in queries), nq)
        run = C.dense_run(args.work, ds, qids, 100, name="golden")
        ids, titles, texts = C.load_corpus(ds)
        docs = {i: C.doc_string(t, x) for i, t, x in zip(ids, titles, texts)}
        for q in qids:
            cands = [d for d, _ in run[q]]
            picks = sorted(rng.sample(range(len(cands)), 20))
            for r in picks:
                rows.append({"dataset": ds, "query_id": q, "doc_id": cands[r], "query": queries[q],
                             "document": docs[cands[r]]})
    with torch.inference_mode():
        for s in range(0, len(rows), 25):
            chunk = rows[s:s + 25]
            enc = tok([r["query"] for r in chunk], [r["document"] for r in chunk], truncation="only_second",
                      max_length=max_length, padding=True, return_tensors="pt")
            logits = model(**enc).logits.view(-1).tolist()
            for i, r in enumerate(chunk):
                n = int(enc["attention_mask"][i].sum())
                r["input_ids"] = enc["input_ids"][i][:n].tolist()
                r["token_type_ids"] = enc["token_type_ids"][i][:n].tolist()
                r["logit"] = logits[i]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    tmp = args.out + ".tmp"
    with gzip.GzipFile(tmp, "wb", mtime=0) as f:
        for r in rows:
            f.write((json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    os.replace(tmp, args.out)
    print("wrote %d pairs to %s (max length %d)" % (len(rows), args.out, max_length))


if __name__ == "__main__":
    main()
