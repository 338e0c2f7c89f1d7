#!/usr/bin/env python3
"""Golden files for the Evaluation tests, computed by pytrec_eval (trec_eval's own C code).

Needs the Python reference stack (scripts/setup-reference): pytrec_eval-terrier, and for `real`
and `example` also numpy, torch and sentence-transformers with models/all-MiniLM-L6-v2.

  scripts/reference/eval_golden.py synthetic   # small hand-made and random runs (ties, missing
                                               # queries, graded qrels, empty runs)
  scripts/reference/eval_golden.py real        # SciFact + NFCorpus: dense, stand-in reranked and
                                               # fused runs, stored gzipped, with golden figures
  scripts/reference/eval_golden.py example --out docs/examples/scifact/inputs
                                               # inputs of the example report: stand-in reranked
                                               # runs at depths 10/20/50/100 and proxy timings
                                               # (after `real`, whose SciFact dense run it uses)

How the golden figures are made (the same rules `indexer eval` claims):
  ndcg@10    = pytrec_eval ndcg_cut.10
  recall@100 = pytrec_eval recall.100
  p@10       = pytrec_eval P.10
  map        = pytrec_eval map
  mrr@10     = pytrec_eval recip_rank on each query's run cut to its top 10 AFTER trec_eval's own
               order (score descending, ties by document id descending, byte order);
               pytrec_eval's recip_rank itself is uncut.
  mrr        = pytrec_eval recip_rank (uncut)
  means      = over the queries pytrec_eval returns (judged queries present in the run);
  all-judged means (trec_eval -c) = the same per-query sums divided by the number of queries in
               the qrels file (what trec_eval's meas_avg.c does with -c).
"""
import argparse
import gzip
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict

import pytrec_eval

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "Tests", "EvaluationTests", "Golden")
DATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "data"))
if not os.path.isdir(DATA):
    DATA = "/work/shared/data"

MEASURES = {"ndcg_cut.10", "recall.100", "P.10", "map", "recip_rank", "ndcg_cut.5", "recall.10",
            "map_cut.10", "ndcg"}
# our name -> (pytrec_eval key, cut run to top 10 first)
METRICS = {
    "ndcg@10": ("ndcg_cut_10", False),
    "ndcg@5": ("ndcg_cut_5", False),
    "ndcg": ("ndcg", False),
    "recall@100": ("recall_100", False),
    "recall@10": ("recall_10", False),
    "p@10": ("P_10", False),
    "map": ("map", False),
    "map@10": ("map_cut_10", False),
    "mrr": ("recip_rank", False),
    "mrr@10": ("recip_rank", True),
}


def opener(path, mode="rt"):
    return gzip.open(path, mode) if path.endswith(".gz") else open(path, mode)


def read_run(path):
    run = defaultdict(dict)
    with opener(path) as f:
        for line in f:
            p = line.split()
            if not p:
                continue
            run[p[0]][p[2]] = float(p[4])
    return dict(run)


def read_qrels(path):
    q = defaultdict(dict)
    with opener(path) as f:
        first = True
        for line in f:
            if not line.strip():
                continue
            if "\t" in line and len(line.rstrip("\n").split("\t")) == 3:
                a, b, c = line.rstrip("\n").split("\t")
                if first and not re.fullmatch(r"-?\d+", c.strip()):
                    first = False
                    continue
                q[a.strip()][b.strip()] = int(c)
            else:
                p = line.split()
                q[p[0]][p[2]] = int(p[3])
            first = False
    return dict(q)


def trec_order(docs):
    """trec_eval's order: score descending, ties by docno descending (strcmp)."""
    return sorted(docs.items(), key=lambda kv: (kv[1], kv[0].encode("utf-8")), reverse=True)


def evaluate(qrels, run):
    ev = pytrec_eval.RelevanceEvaluator(qrels, MEASURES)
    full = ev.evaluate(run)
    cut = ev.evaluate({q: dict(trec_order(d)[:10]) for q, d in run.items()})
    per_query = {}
    for q in full:
        per_query[q] = {name: (cut if c else full)[q][key] for name, (key, c) in METRICS.items()}
    n_eval = len(per_query)
    n_judged = len(qrels)
    means, means_all = {}, {}
    for name in METRICS:
        s = sum(v[name] for v in per_query.values())
        means[name] = s / n_eval if n_eval else 0.0
        means_all[name] = s / n_judged if n_judged else 0.0
    return {"evaluated": n_eval, "judged": n_judged, "means": means, "meansAllJudged": means_all,
            "perQuery": per_query}


def write_run(path, run, tag, fmt=lambda s: repr(float(s))):
    with opener(path, "wt") as f:
        for q, docs in run.items():
            for r, (d, s) in enumerate(trec_order(docs), 1):
                f.write(f"{q} Q0 {d} {r} {fmt(s)} {tag}\n")


# ---------------------------------------------------------------------------------------------
def synthetic():
    out = os.path.join(GOLDEN, "synthetic")
    os.makedirs(out, exist_ok=True)
    # Hand-made: graded and negative grades, a judged query with no relevant document, a judged
    # query missing from the run, a query only in the run, ties whose order only docno decides
    # (including ids where numeric and byte order differ), rank fields that contradict scores.
    qrels_lines = [
        "q1 0 d1 3", "q1 0 d2 2", "q1 0 d3 1", "q1 0 d4 0", "q1 0 d5 -1", "q1 0 d20 1",
        "q2 0 a 0", "q2 0 b 0",
        "q3 0 x 1", "q3 0 y 2",
        "q4 0 d10 1", "q4 0 d9 2", "q4 0 D1 1", "q4 0 e 1",
        "q5 0 n1 1", "q5 0 n2 1",
    ]
    run_lines = [
        # q1: rank field lies; scores decide. d5 (grade -1) high, d4 (0) too.
        "q1 Q0 d5 1 0.9 hand", "q1 Q0 d4 2 0.8 hand", "q1 Q0 d3 3 0.95 hand", "q1 Q0 d2 4 0.1 hand",
        "q1 Q0 d99 5 0.5 hand", "q1 Q0 d1 6 0.05 hand",
        "q2 Q0 a 1 1 hand", "q2 Q0 b 2 1 hand", "q2 Q0 c 3 1 hand",
        # q4: all tied: order is docno descending by bytes: e, d9, d10, d1?, D1
        "q4 Q0 d10 1 1.0 hand", "q4 Q0 d9 2 1.0 hand", "q4 Q0 D1 3 1.0 hand", "q4 Q0 zz 4 1.0 hand",
        "q4 Q0 e 5 1.0 hand", "q4 Q0 d1 6 1.0 hand", "q4 Q0 a 7 1.0 hand", "q4 Q0 b 8 1.0 hand",
        "q4 Q0 c 9 1.0 hand", "q4 Q0 f 10 1.0 hand", "q4 Q0 g 11 1.0 hand", "q4 Q0 h 12 1.0 hand",
        # q5: relevant documents not retrieved at all
        "q5 Q0 m1 1 3 hand", "q5 Q0 m2 2 2 hand",
        # q6: not judged: ignored
        "q6 Q0 z 1 1 hand",
    ]
    with open(os.path.join(out, "hand.qrels"), "w") as f:
        f.write("\n".join(qrels_lines) + "\n")
    with open(os.path.join(out, "hand.run"), "w") as f:
        f.write("\n".join(run_lines) + "\n")
    open(os.path.join(out, "empty.run"), "w").close()

    # Random: many ties (scores from a small set), graded qrels 0..3 with some -1, queries
    # missing, runs shorter than the cutoffs, ids whose byte order differs from numeric order.
    rnd = random.Random(20261124)
    qrels, run = {}, {}
    for qi in range(40):
        q = f"r{qi}"
        pool = [f"doc{rnd.randint(0, 60)}" for _ in range(rnd.randint(0, 40))]
        pool = sorted(set(pool))
        if qi % 10 != 3:
            qrels[q] = {d: rnd.choice([0, 0, 1, 1, 2, 3, -1]) for d in pool[: max(1, len(pool) // 2)]} or {"doc0": 1}
        if qi % 10 != 7:
            n = rnd.choice([0, 1, 3, 9, 10, 11, 50, 120])
            docs = rnd.sample([f"doc{i}" for i in range(200)], n)
            run[q] = {d: rnd.choice([0.5, 0.25, 1.0, -2.0, 0.125, 3.0]) for d in docs}
    run = {q: d for q, d in run.items() if d}
    with open(os.path.join(out, "random.qrels"), "w") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for q, docs in qrels.items():
            for d, g in docs.items():
                f.write(f"{q}\t{d}\t{g}\n")
    with open(os.path.join(out, "random.run"), "w") as f:
        for q, docs in run.items():
            items = list(docs.items())
            rnd.shuffle(items)  # file order is not trec_eval's order
            for r, (d, s) in enumerate(items, 1):
                f.write(f"{q} Q0 {d} {r} {s} rand\n")

    golden = {}
    for name, qf, rf in [("hand", "hand.qrels", "hand.run"), ("empty", "hand.qrels", "empty.run"),
                         ("random", "random.qrels", "random.run")]:
        golden[name] = evaluate(read_qrels(os.path.join(out, qf)), read_run(os.path.join(out, rf)))
        golden[name].update({"qrels": qf, "run": rf})
    with open(os.path.join(out, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1, sort_keys=True)
    # Paired t-test p-values from scipy (the report's cross-check test), on fixed differences.
    from scipy import stats
    rnd = random.Random(7)
    cases = [[0.1, -0.05, 0.2, 0.0, 0.3, -0.1, 0.15], [0.01] * 3 + [-0.02, 0.5],
             [rnd.gauss(0.02, 0.2) for _ in range(300)], [rnd.gauss(0.0, 0.1) for _ in range(40)]]
    ttests = []
    for d in cases:
        r = stats.ttest_1samp(d, 0.0)
        ttests.append({"differences": d, "t": float(r.statistic), "p": float(r.pvalue)})
    with open(os.path.join(out, "ttest.json"), "w") as f:
        json.dump({"cases": ttests}, f, indent=1)
    print("synthetic golden written to", out)


# ---------------------------------------------------------------------------------------------
def load_corpus(ds):
    ids, texts = [], []
    with open(os.path.join(DATA, ds, "corpus.jsonl")) as f:
        for line in f:
            o = json.loads(line)
            ids.append(str(o["_id"]))
            texts.append(((o.get("title") or "") + " " + o["text"]).strip())
    return ids, texts


def load_queries(ds, qrels):
    qs = {}
    with open(os.path.join(DATA, ds, "queries.jsonl")) as f:
        for line in f:
            o = json.loads(line)
            if str(o["_id"]) in qrels:
                qs[str(o["_id"])] = o["text"]
    return qs


TOKEN = re.compile(r"\w+")


class BM25:
    """Plain BM25 (k1=0.9, b=0.4, Lucene idf) over lowercase \\w+ tokens: the lexical run."""

    def __init__(self, texts, k1=0.9, b=0.4):
        self.k1, self.b = k1, b
        self.tf = [Counter(TOKEN.findall(t.lower())) for t in texts]
        self.len = [sum(c.values()) for c in self.tf]
        self.avg = sum(self.len) / len(self.len)
        df = Counter()
        for c in self.tf:
            df.update(c.keys())
        n = len(texts)
        self.idf = {t: math.log(1 + (n - v + 0.5) / (v + 0.5)) for t, v in df.items()}
        self.postings = defaultdict(list)
        for i, c in enumerate(self.tf):
            for t in c:
                self.postings[t].append(i)

    def scores(self, query):
        s = defaultdict(float)
        for t in set(TOKEN.findall(query.lower())):
            idf = self.idf.get(t)
            if idf is None:
                continue
            for i in self.postings[t]:
                f = self.tf[i][t]
                s[i] += idf * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.len[i] / self.avg))
        return s


def dense_and_bm25(ds, depth=100):
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer
    torch.set_num_threads(1)
    qrels = read_qrels(os.path.join(DATA, ds, "qrels", "test.tsv"))
    ids, texts = load_corpus(ds)
    queries = load_queries(ds, qrels)
    model = SentenceTransformer(os.path.join(ROOT, "models", "all-MiniLM-L6-v2"), device="cpu")
    model.max_seq_length = 256
    t0 = time.time()
    D = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    Q = model.encode(list(queries.values()), batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    print(f"{ds}: encoded {len(texts)} docs, {len(Q)} queries in {time.time() - t0:.0f} s", file=sys.stderr)
    S = Q @ D.T
    bm = BM25(texts)
    dense, lexical, bm_all = {}, {}, {}
    for qi, q in enumerate(queries):
        row = S[qi]
        top = np.argsort(-row, kind="stable")[:depth]
        dense[q] = {ids[i]: float(row[i]) for i in top}
        b = bm.scores(queries[q])
        bm_all[q] = b
        topb = sorted(b.items(), key=lambda kv: -kv[1])[:depth]
        lexical[q] = {ids[i]: s for i, s in topb}
    return qrels, queries, ids, dense, lexical, bm_all


def z(v):
    m = sum(v) / len(v)
    sd = math.sqrt(sum((x - m) ** 2 for x in v) / len(v)) or 1.0
    return [(x - m) / sd for x in v]


def standin_rerank(dense_q, bm_q, index, depth):
    """The stand-in reranker: top `depth` dense candidates re-scored 0.5 z(cos) + 0.5 z(BM25)."""
    cands = [d for d, _ in trec_order(dense_q)[:depth]]
    zc = z([dense_q[d] for d in cands])
    zb = z([bm_q.get(index[d], 0.0) for d in cands])
    return {d: 0.5 * a + 0.5 * b for d, a, b in zip(cands, zc, zb)}


def rrf(runs, k=60, depth=100):
    s = defaultdict(float)
    for r in runs:
        for rank, (d, _) in enumerate(trec_order(r), 1):
            s[d] += 1.0 / (k + rank)
    return dict(sorted(s.items(), key=lambda kv: (-kv[1], kv[0]))[:depth])


def six(x):
    return f"{x:.6f}"


def real():
    golden = {}
    for ds in ["scifact", "nfcorpus"]:
        qrels, queries, ids, dense, lexical, bm_all = dense_and_bm25(ds)
        index = {d: i for i, d in enumerate(ids)}
        reranked = {q: standin_rerank(dense[q], bm_all[q], index, 100) for q in dense}
        fused = {q: rrf([dense[q], lexical[q]]) for q in dense}
        for kind, run in [("dense", dense), ("reranked", reranked), ("fused", fused)]:
            path = os.path.join(GOLDEN, f"{ds}-{kind}.run.gz")
            # Six decimals keep the files small and make real ties, which trec_eval breaks by docno.
            write_run(path, run, f"{ds}-{kind}", fmt=six)
            g = evaluate(qrels, read_run(path))  # golden from the very bytes committed
            golden[f"{ds}-{kind}"] = {"run": os.path.basename(path), "qrels": f"{ds}/qrels/test.tsv",
                                      "evaluated": g["evaluated"], "judged": g["judged"],
                                      "means": g["means"], "meansAllJudged": g["meansAllJudged"],
                                      "perQuery": g["perQuery"]}
            print(ds, kind, {k: round(v, 4) for k, v in g["means"].items()}, file=sys.stderr)
    with gzip.open(os.path.join(GOLDEN, "real-golden.json.gz"), "wt") as f:
        json.dump(golden, f, sort_keys=True)


# ---------------------------------------------------------------------------------------------
def example(out, depths=(10, 20, 50, 100), timed_queries=20):
    """SciFact inputs for docs/examples/scifact: the dense first stage (the committed golden run
    Tests/EvaluationTests/Golden/scifact-dense.run.gz, made by `real`), stand-in reranked runs
    at each depth, and timings.

    The stand-in reranker re-scores the top `depth` dense candidates by 0.5 z(cosine) +
    0.5 z(BM25) (no cross-encoder exists in the project yet). The timings are a COST PROXY: the
    time all-MiniLM-L6-v2's 6-layer encoder (the size of cross-encoder ms-marco-MiniLM-L-6-v2)
    takes over the same (query, document) pairs, batches of 10, max 256 word pieces, one CPU
    thread, for the first `timed_queries` test queries only (a full pass would take hours on this
    machine). The model's output is discarded: the scores are the stand-in's."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    os.makedirs(out, exist_ok=True)
    qrels = read_qrels(os.path.join(DATA, "scifact", "qrels", "test.tsv"))
    ids, texts = load_corpus("scifact")
    index = {d: i for i, d in enumerate(ids)}
    queries = load_queries("scifact", qrels)
    dense = read_run(os.path.join(GOLDEN, "scifact-dense.run.gz"))
    bm = BM25(texts)
    bm_all = {q: bm.scores(queries[q]) for q in dense}
    for d in depths:
        write_run(os.path.join(out, f"reranked-{d}.run"),
                  {q: standin_rerank(dense[q], bm_all[q], index, d) for q in dense}, f"standin-{d}", fmt=six)
    tok = AutoTokenizer.from_pretrained(os.path.join(ROOT, "models", "all-MiniLM-L6-v2"))
    model = AutoModel.from_pretrained(os.path.join(ROOT, "models", "all-MiniLM-L6-v2")).eval()
    torch.set_num_threads(1)
    batch = 10
    per_query = {}
    with torch.inference_mode():
        for q in list(dense)[:timed_queries]:
            cands = [d for d, _ in trec_order(dense[q])[: max(depths)]]
            times, toks = [], []
            for s in range(0, len(cands), batch):
                part = cands[s:s + batch]
                t0 = time.perf_counter()
                enc = tok([queries[q]] * len(part), [texts[index[d]] for d in part], truncation="only_second",
                          max_length=256, padding=True, return_tensors="pt")
                model(**enc)
                times.append((time.perf_counter() - t0) * 1000)
                toks.append(int(enc["attention_mask"].sum()))
            per_query[q] = (times, toks)
            print(f"timed {q}: {sum(times):.0f} ms for {len(cands)} pairs", file=sys.stderr)
    for d in depths:
        with open(os.path.join(out, f"timings-{d}.jsonl"), "w") as f:
            for q, (times, toks) in per_query.items():
                nb = d // batch
                f.write(json.dumps({"qid": q, "pairs": d, "tokens": sum(toks[:nb]),
                                    "ms": round(sum(times[:nb]), 3)}) + "\n")
    print("example inputs written to", out, file=sys.stderr)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["synthetic", "real", "example"])
    ap.add_argument("--out", default="/tmp/indexer-example")
    a = ap.parse_args()
    {"synthetic": synthetic, "real": real, "example": lambda: example(a.out)}[a.what]()
