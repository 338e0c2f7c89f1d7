#!/usr/bin/env python3
"""Score BM25 runs written by LexicalQualityTests with pytrec_eval (trec_eval semantics).

Needs: python3 with pytrec_eval-terrier (scripts/setup-reference). Usage, from the package root:
    mkdir -p /tmp/lexruns
    LEXICAL_RUN_DIR=/tmp/lexruns swift test --disable-swift-testing --filter LexicalQualityTests
    python3 scripts/reference/eval_lexical_run.py /tmp/lexruns
Prints nDCG@10 and Recall@100 (and R@1000) per collection next to Anserini's published figures.
"""
import math
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
        # trec_eval -c (as Anserini reports): average over every judged query, 0 for those
        # without hits (NFCorpus has 15 one-word queries that match no document).
        mean = lambda m: sum(r[m] for r in res.values()) / len(qrels)
        print(f"{name}: queries {len(qrels)} ({len(res)} with hits)  nDCG@10 {mean('ndcg_cut_10'):.4f} (Anserini {ndcg_ref})  "
              f"R@100 {mean('recall_100'):.4f} (Anserini {recall_ref})  R@1000 {mean('recall_1000'):.4f}")
        # trec_eval breaks score ties by docno descending, whatever the run's ranks say; Anserini
        # keeps its own order (score desc, docid asc) by perturbing tied scores
        # (ScoreTiesAdjusterReranker). nDCG@10 in rank order, for comparison:
        total = 0.0
        for q, judged in qrels.items():
            ranked = sorted(run.get(q, {}).items(), key=lambda x: (-x[1], x[0]))[:10]
            dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, (d, _) in enumerate(ranked))
            ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:10]
            idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
            total += dcg / idcg if idcg > 0 else 0.0
        print(f"{name}: nDCG@10 with ties in Anserini's order (docid ascending) {total / len(qrels):.4f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/lexruns")
