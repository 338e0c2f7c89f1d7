"""FAISS IndexFlatIP on an indexer index's vectors: the baseline of scripts/bench-search.

Needs numpy and faiss-cpu (`pip install faiss-cpu`). Both indexes must be built with
`--codec none`: DOCS is the document index, QUERIES an index built from the query file as a
corpus (so the query vectors are bit for bit those `indexer search` embeds).

Prints one JSON line: search seconds (wall and CPU), queries/s, peak RSS, and the agreement
of FAISS's top-N with the indexer run RUN (if given).
"""
import argparse
import json
import resource
import sys
import time

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from shard_vectors import read_index  # noqa: E402

import faiss  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("docs")
p.add_argument("queries")
p.add_argument("--top-n", type=int, default=100)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--run", help="indexer run to compare with")
p.add_argument("--chunk", type=int, default=65536, help="vectors added at a time")
a = p.parse_args()

faiss.omp_set_num_threads(a.threads)
dv, dids = read_index(a.docs)
qv, qids = read_index(a.queries)
index = faiss.IndexFlatIP(dv.shape[1])
for s in range(0, dv.shape[0], a.chunk):
    index.add(np.ascontiguousarray(dv[s:s + a.chunk], dtype=np.float32))
del dv
q = np.ascontiguousarray(qv, dtype=np.float32)
c0, t0 = time.process_time(), time.perf_counter()
scores, rows = index.search(q, a.top_n)
t1, c1 = time.perf_counter(), time.process_time()
out = {
    "documents": index.ntotal, "queries": len(qids), "threads": a.threads,
    "search_s": round(t1 - t0, 4), "cpu_s": round(c1 - c0, 4),
    "queries_per_s": round(len(qids) / (t1 - t0), 1),
    "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}
if a.run:
    ours = {}
    with open(a.run) as f:
        for line in f:
            qid, _, doc, _rank, score, _tag = line.split()
            ours.setdefault(qid, []).append((doc, float(score)))
    same = total = 0
    worst = 0.0
    for i, qid in enumerate(qids):
        theirs = [dids[r] for r in rows[i] if r >= 0]
        mine = ours.get(qid, [])
        same += len(set(theirs) & {d for d, _ in mine})
        total += len(theirs)
        if mine:
            worst = max(worst, abs(float(scores[i][0]) - mine[0][1]))
    out["top_n_overlap"] = round(same / max(1, total), 5)
    out["max_top1_score_diff"] = worst
print(json.dumps(out))
