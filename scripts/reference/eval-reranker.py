#!/usr/bin/env python3
"""Reranks the dense first stage's top-100 with a cross-encoder and measures it with pytrec_eval.

Needs the Python reference stack (torch CPU, transformers, sentence-transformers,
pytrec_eval-terrier, numpy, scipy); `scripts/setup-reference` installs it.

For every requested set (DATASET:SPLIT, where SPLIT is a qrels split, or `val` for the slice of
train queries that scripts/train-reranker holds out and never trains on):
  1. the dense first stage: all-MiniLM-L6-v2 exact cosine top-100 (cached TREC run), equal to
     `indexer search` (or a TREC run given with --first-stage DATASET:SPLIT=RUNFILE);
  2. the model scores the top-max(depths) candidates once ([CLS] q [SEP] title+" "+text [SEP],
     document truncated "only_second" to the model's max length, f16 weights loaded as float32);
  3. at each depth k the top-k are reordered by reranker score (descending, then document id
     ascending) and ranks k+1..100 stay in first-stage order;
  4. nDCG@10 and Recall@100 (pytrec_eval), and a paired two-sided sign-flip randomization test
     (10,000 draws, seed 0) and a paired t-test on per-query nDCG@10 against the first stage.
Prints a markdown table; --json writes all figures.

Example:
  scripts/reference/eval-reranker.py --model models/indexer-reranker-minilm-l6 \\
      --sets scifact:test nfcorpus:test --depths 10 20 50 100
"""
import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reranker_common as C  # noqa: E402

import numpy as np  # noqa: E402


def load_set(work, spec):
    ds, split = spec.split(":")
    if split == "val":
        path = os.path.join(work, "val_%s.txt" % ds)
        if not os.path.exists(path):
            sys.exit("eval-reranker: %s missing: run scripts/train-reranker with --work %s first" % (path, work))
        ids = set(open(path).read().split())
        qrels = {q: r for q, r in C.load_qrels(ds, "train").items() if q in ids}
    else:
        qrels = C.load_qrels(ds, split)
    return ds, split, qrels


def score_pairs(model, tok, pairs, max_length, batch, bf16=False, on_chunk=None):
    """Scores (query, doc) pairs; sorted by length for speed, results in input order.

    on_chunk(done indices, scores) is called every 640 pairs so an interrupted run keeps its work."""
    import contextlib
    import torch
    lens = [len(tok(q, d, truncation="only_second", max_length=max_length)["input_ids"]) for q, d in pairs]
    order = sorted(range(len(pairs)), key=lambda i: lens[i])
    out = [0.0] * len(pairs)
    amp = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
    with torch.inference_mode(), amp:
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            enc = tok([pairs[i][0] for i in idx], [pairs[i][1] for i in idx], truncation="only_second",
                      max_length=max_length, padding=True, return_tensors="pt")
            logits = model(**enc).logits.float().view(-1).tolist()
            for i, v in zip(idx, logits):
                out[i] = v
            if on_chunk and ((s // batch + 1) % 20 == 0 or s + batch >= len(order)):
                done = order[:s + batch]
                on_chunk(done, out)
    return out


def ranked_run(first, scores, k):
    """{qid: {doc: pseudo score}} encoding the order: top-k by reranker, then first stage."""
    run = {}
    for q, lst in first.items():
        top = lst[:k]
        if scores is not None:
            top = sorted(top, key=lambda x: (-scores[q][x[0]], x[0]))
        order = [d for d, _ in top] + [d for d, _ in lst[k:]]
        run[q] = {d: float(len(order) - i) for i, d in enumerate(order)}
    return run


def evaluate(qrels, run):
    import pytrec_eval
    ev = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.100"})
    res = ev.evaluate({q: r for q, r in run.items() if q in qrels})
    qs = sorted(q for q in qrels if q in res)
    return qs, np.array([res[q]["ndcg_cut_10"] for q in qs]), np.array([res[q]["recall_100"] for q in qs])


def paired_tests(a, b):
    from scipy import stats
    d = b - a
    rng = np.random.default_rng(0)
    signs = rng.choice([-1.0, 1.0], size=(10000, len(d)))
    obs = abs(d.mean())
    p_rand = float(((np.abs((signs * d).mean(1)) >= obs - 1e-12).sum() + 1) / (10000 + 1))
    p_t = float(stats.ttest_rel(b, a).pvalue) if np.any(d != 0) else 1.0
    return p_rand, p_t, int((d > 0).sum()), int((d < 0).sum())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--work", default="/tmp/rr/work")
    p.add_argument("--sets", nargs="+", required=True, help="DATASET:SPLIT, SPLIT a qrels split or val")
    p.add_argument("--depths", nargs="+", type=int, default=[10, 20, 50, 100])
    p.add_argument("--first-stage", action="append", default=[], metavar="DATASET:SPLIT=RUNFILE")
    p.add_argument("--max-length", type=int, default=0, help="default: the model's tokenizer_config")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--queries", type=int, default=0,
                   help="evaluate the first N queries of a seeded shuffle of each set (0 = all)")
    p.add_argument("--bf16", action="store_true",
                   help="bfloat16 autocast (about 2.7x faster on CPUs with AVX512-BF16; scores differ "
                        "from float32 in the 2nd-3rd decimal, so near-ties may swap)")
    p.add_argument("--json", default="")
    args = p.parse_args()

    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification
    torch.set_num_threads(args.threads)
    tok = AutoTokenizer.from_pretrained(args.model)
    max_length = args.max_length or int(json.load(open(os.path.join(args.model, "tokenizer_config.json")))
                                        .get("model_max_length", 256))
    model = BertForSequenceClassification.from_pretrained(args.model, dtype=torch.float32).eval()
    tag = os.path.basename(os.path.normpath(args.model)) + "-L%d" % max_length + ("-bf16" if args.bf16 else "")
    firsts = dict(f.split("=", 1) for f in args.first_stage)
    depth = max(args.depths)
    results = {"model": args.model, "max_length": max_length, "bf16": args.bf16, "sets": {}}
    lines = ["| set | queries | first stage nDCG@10 | " + " | ".join("rerank@%d" % k for k in args.depths)
             + " | R@100 | p (rand., t) at %d | wins/losses |" % depth, "|---" * (5 + len(args.depths)) + "|"]
    for spec in args.sets:
        ds, split, qrels = load_set(args.work, spec)
        queries = C.load_queries(ds)
        qids = sorted(q for q in qrels if q in queries)
        if spec in firsts:
            first = {q: v for q, v in C.read_run(firsts[spec]).items() if q in qrels}
            source = firsts[spec]
        else:
            first = C.dense_run(args.work, ds, qids, 100, name=split)
            source = "dense all-MiniLM-L6-v2 exact top-100"
        cache = os.path.join(args.work, "scores", tag, "%s.%s.json" % (ds, split))
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        scores = json.load(open(cache)) if os.path.exists(cache) else {}
        ids, titles, texts = C.load_corpus(ds)
        docs = {i: C.doc_string(t, x) for i, t, x in zip(ids, titles, texts)}
        if args.queries and args.queries < len(qids):
            shuffled = list(qids)
            random.Random(0).shuffle(shuffled)  # a prefix: a larger --queries extends a smaller one
            qids = sorted(shuffled[:args.queries])
            qrels = {q: qrels[q] for q in qids}
            first = {q: v for q, v in first.items() if q in qrels}
        todo = [(q, d) for q in qids for d, _ in first.get(q, [])[:depth] if d not in scores.get(q, {})]
        t0 = time.time()

        def save(done, vals):
            for i in done:
                scores.setdefault(todo[i][0], {})[todo[i][1]] = vals[i]
            tmp = cache + ".tmp"
            with open(tmp, "w") as f:
                json.dump(scores, f)
            os.replace(tmp, cache)
            print("  %s: %d/%d pairs scored, %.1f pairs/s" % (spec, len(done), len(todo),
                  len(done) / max(1e-9, time.time() - t0)), file=sys.stderr, flush=True)

        if todo:
            score_pairs(model, tok, [(queries[q], docs[d]) for q, d in todo], max_length, args.batch,
                        args.bf16, save)
        secs = time.time() - t0
        _, base, base_r = evaluate(qrels, ranked_run(first, None, 0))
        entry = {"queries": len(base), "query_subset_seed0": args.queries or None, "first_stage": source, "first_stage_ndcg10": float(base.mean()),
                 "first_stage_recall100": float(base_r.mean()), "pairs_scored": len(todo),
                 "scoring_seconds": secs, "depths": {}}
        cells = []
        for k in args.depths:
            _, nd, rc = evaluate(qrels, ranked_run(first, scores, k))
            pr, pt, w, l = paired_tests(base, nd)
            entry["depths"][str(k)] = {"ndcg10": float(nd.mean()), "recall100": float(rc.mean()),
                                       "delta": float(nd.mean() - base.mean()), "p_randomization": pr,
                                       "p_ttest": pt, "wins": w, "losses": l}
            cells.append("%.4f (%+.4f)" % (nd.mean(), nd.mean() - base.mean()))
        d = entry["depths"][str(depth)]
        lines.append("| %s | %d | %.4f | %s | %.4f | %.3g, %.3g | %d/%d |" % (
            spec, len(base), base.mean(), " | ".join(cells), d["recall100"], d["p_randomization"],
            d["p_ttest"], d["wins"], d["losses"]))
        results["sets"][spec] = entry
        print(lines[-1], "(%d pairs scored in %.0fs)" % (len(todo), secs), file=sys.stderr, flush=True)
    print("\n".join(lines))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
