#!/usr/bin/env python3
"""Score BM25 runs written by LexicalQualityTests with pytrec_eval (trec_eval semantics).

Needs: python3 with pytrec_eval-terrier (scripts/setup-reference). Usage, from the package root:
    mkdir -p /tmp/lexruns
    LEXICAL_RUN_DIR=/tmp/lexruns swift test --disable-swift-testing --filter LexicalQualityTests
    python3 scripts/reference/eval_lexical_run.py /tmp/lexruns
Prints nDCG@10 and Recall@100 (and R@1000) per collection next to Anserini's published figures.
"""
import os
import sys

import pytrec_eval

ANSERINI = {"scifact": (0.6789, 0.9253), "nfcorpus": (0.3218, 0.2457)}
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data")


def main(run_dir):
    for name, (ndcg_ref, recall_ref) in ANSERINI.items():
        path = os.path.join(run_dir, f"bm25-{name}.trec")
        if not os.path.exists(path):
            continue
        qrels = {}
        with open(os.path.join(DATA, name, "qrels", "test.tsv")) as f:
            next(f)
            for line in f:
                q, d, s = line.rstrip("\n").split("\t")[:3]
                qrels.setdefault(q, {})[d] = int(s)
        run = {}
        with open(path) as f:
            for line in f:
                q, _, d, _, score, _ = line.split()
                run.setdefault(q, {})[d] = float(score)
        ev = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.100", "recall.1000"})
        res = ev.evaluate(run)
        mean = lambda m: sum(r[m] for r in res.values()) / len(res)
        print(f"{name}: queries {len(res)}  nDCG@10 {mean('ndcg_cut_10'):.4f} (Anserini {ndcg_ref})  "
              f"R@100 {mean('recall_100'):.4f} (Anserini {recall_ref})  R@1000 {mean('recall_1000'):.4f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/lexruns")
