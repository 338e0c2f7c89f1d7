#!/usr/bin/env python3
"""Fidelity and rankings of indexer's bf16 and int8 encoders against its fp32 encoder.

Drives the release `indexer` binary (swift build -c release first):
  embed  every document and every test query of the shared collections at fp32, bf16, int8
         (`indexer embed --precision P`), then per collection and precision: the cosine of
         each document's vector with its fp32 vector (mean, min), and exact dense search
         (inner product over all documents, top 100; index and queries at the precision)
         scored by `indexer eval` (nDCG@10, Recall@100).
  rerank the fp32 dense top-100 of SciFact and NFCorpus reranked by the default reranker at
         each precision (`indexer rerank --depth 100 --precision P`, default interpolation),
         scored the same way; with --spearman also the cross-encoder alone (interpolation 0) on
         SciFact, and each query's Spearman correlation of bf16/int8 scores with fp32 scores.
Outputs are kept in --work (resumable: existing files are reused). Prints markdown tables.

Usage: scripts/reference/quant_fidelity.py [--work DIR] [--threads T] [--collections a,b]
         [--precisions fp32,bf16,int8] [--skip-embed] [--rerank] [--spearman]
"""
import argparse, json, os, subprocess, sys
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
BIN = os.path.join(ROOT, ".build", "release", "indexer")
MODEL = os.path.join(ROOT, "models", "all-MiniLM-L6-v2")


def sh(args):
    subprocess.run(args, check=True, stdout=sys.stderr)


def test_queries(coll, work):
    """The test-split queries as a JSON-lines file (ids in file order) and their ids."""
    judged = {l.split("\t")[0] for l in open(os.path.join(DATA, coll, "qrels", "test.tsv")).read().splitlines()[1:]}
    path, ids = os.path.join(work, coll + ".test-queries.jsonl"), []
    with open(path + ".tmp", "w") as out:
        for line in open(os.path.join(DATA, coll, "queries.jsonl"), encoding="utf-8"):
            q = json.loads(line)
            if q["_id"] in judged:
                ids.append(q["_id"])
                out.write(json.dumps({"_id": q["_id"], "text": q["text"]}) + "\n")
    os.replace(path + ".tmp", path)
    return path, ids


def embed(inp, out, precision, threads):
    if not os.path.exists(out):
        sh([BIN, "embed", "--model", MODEL, "--input", inp, "--out", out, "--threads", str(threads),
            "--precision", precision])
    return np.load(out)


def write_run(path, qids, dids, scores, tag, depth=100):
    with open(path + ".tmp", "w") as f:
        for qi, q in enumerate(qids):
            s = scores[qi]
            top = np.lexsort((np.arange(len(s)), -s))[:depth]
            for rank, d in enumerate(top):
                f.write("%s Q0 %s %d %.7f %s\n" % (q, dids[d], rank + 1, s[d], tag))
    os.replace(path + ".tmp", path)


def evaluate(run, coll):
    out = subprocess.run([BIN, "eval", "--qrels", os.path.join(DATA, coll, "qrels", "test.tsv"), "--json",
                          "--metrics", "ndcg@10,recall@100", run], check=True, capture_output=True, text=True).stdout
    means = json.loads(out)["runs"][0]["means"]
    return means["ndcg@10"], means["recall@100"]


def dense(args, coll):
    corpus = os.path.join(DATA, coll, "corpus.jsonl")
    dids = [json.loads(l)["_id"] for l in open(corpus, encoding="utf-8")]
    qpath, qids = test_queries(coll, args.work)
    rows, ref = [], None
    for p in args.precisions:
        d = embed(corpus, os.path.join(args.work, "%s.%s.docs.npy" % (coll, p)), p, args.threads)
        q = embed(qpath, os.path.join(args.work, "%s.%s.queries.npy" % (coll, p)), p, args.threads)
        if p == "fp32":
            ref = d
        cos = np.sum(d * ref, 1) / (np.linalg.norm(d, axis=1) * np.linalg.norm(ref, axis=1))
        run = os.path.join(args.work, "%s.%s.dense.run" % (coll, p))
        write_run(run, qids, dids, q @ d.T, "dense-" + p)
        rows.append((coll, p, cos.mean(), cos.min()) + evaluate(run, coll))
    return rows


def rerank(args, coll, interpolate=None):
    tag = "ce" if interpolate == 0 else "rerank"
    _, _ = test_queries(coll, args.work)
    first = os.path.join(args.work, "%s.fp32.dense.run" % coll)
    rows = []
    for p in args.precisions:
        out = os.path.join(args.work, "%s.%s.%s.run" % (coll, p, tag))
        if not os.path.exists(out):
            cmd = [BIN, "rerank", "--candidates", first, "--queries", os.path.join(args.work, coll + ".test-queries.jsonl"),
                   "--docs", os.path.join(DATA, coll, "corpus.jsonl"), "--depth", "100", "--out", out,
                   "--threads", str(args.threads), "--precision", p, "--quiet"]
            if interpolate is not None:
                cmd += ["--interpolate", str(interpolate)]
            sh(cmd)
        rows.append((coll, p) + evaluate(out, coll))
    return rows


def read_scores(path):
    runs = {}
    for line in open(path):
        q, _, d, _, s, _ = line.split()
        runs.setdefault(q, {})[d] = float(s)
    return runs


def spearman(args, coll="scifact"):
    from scipy.stats import spearmanr
    ref = read_scores(os.path.join(args.work, "%s.fp32.ce.run" % coll))
    for p in args.precisions:
        if p == "fp32":
            continue
        other = read_scores(os.path.join(args.work, "%s.%s.ce.run" % (coll, p)))
        rho = []
        for q, docs in ref.items():
            ds = sorted(docs)
            rho.append(spearmanr([docs[d] for d in ds], [other[q][d] for d in ds]).statistic)
        rho = np.array(rho)
        print("| %s | %s | %.5f | %.5f | %d |" % (coll, p, rho.mean(), rho.min(), len(rho)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=os.path.join(ROOT, ".build", "quant-fidelity"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--collections", default="scifact,nfcorpus,cranfield")
    ap.add_argument("--precisions", default="fp32,bf16,int8")
    ap.add_argument("--skip-embed", action="store_true")
    ap.add_argument("--rerank", action="store_true")
    ap.add_argument("--spearman", action="store_true")
    args = ap.parse_args()
    args.precisions = args.precisions.split(",")
    assert args.precisions[0] == "fp32", "fp32 first: it is the reference"
    os.makedirs(args.work, exist_ok=True)
    colls = args.collections.split(",")
    if not args.skip_embed:
        print("| collection | precision | mean cosine | min cosine | nDCG@10 | Recall@100 |\n|---|---|---|---|---|---|")
        for c in colls:
            for r in dense(args, c):
                print("| %s | %s | %.6f | %.6f | %.4f | %.4f |" % r, flush=True)
    if args.rerank:
        print("\n| collection | reranker precision | nDCG@10 | Recall@100 |\n|---|---|---|---|")
        for c in [c for c in colls if c != "cranfield"]:
            for r in rerank(args, c):
                print("| %s | %s | %.4f | %.4f |" % r, flush=True)
    if args.spearman:
        rerank(args, "scifact", interpolate=0)
        print("\n| collection | precision | mean Spearman | min Spearman | queries |\n|---|---|---|---|---|")
        spearman(args)


if __name__ == "__main__":
    main()
