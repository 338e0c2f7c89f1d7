#!/usr/bin/env python3
"""Cross-check of `indexer eval` for dense runs with pytrec_eval (BEIR's evaluator).

Needs: python3 with pytrec_eval-terrier (scripts/setup-reference).
Usage: python3 scripts/reference/eval_dense_run.py QRELS RUN...
Prints nDCG@10 and Recall@100 a run, averaged over the judged queries the run holds (as BEIR
does) and over every judged query (trec_eval -c).
"""
import sys

import pytrec_eval


def read_qrels(path):
    qrels = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t") if "\t" in line else line.split()
            if len(parts) == 3:
                q, d, s = parts
            elif len(parts) == 4:
                q, _, d, s = parts
            else:
                continue
            try:
                qrels.setdefault(q, {})[d] = int(s)
            except ValueError:
                continue  # the BEIR header
    return qrels


def main(qrels_path, runs):
    qrels = read_qrels(qrels_path)
    for path in runs:
        run = {}
        with open(path) as f:
            for line in f:
                q, _, d, _, score, _ = line.split()
                run.setdefault(q, {})[d] = float(score)
        res = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.100"}).evaluate(run)
        for m, name in (("ndcg_cut_10", "nDCG@10"), ("recall_100", "Recall@100")):
            held = sum(r[m] for r in res.values()) / max(1, len(res))
            every = sum(r[m] for r in res.values()) / max(1, len(qrels))
            print(f"{path}\t{name}\t{held:.4f}\t(-c over {len(qrels)} judged: {every:.4f}; {len(res)} queries in run)")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
