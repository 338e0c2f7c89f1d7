"""Shared helpers for scripts/train-reranker and scripts/reference/eval-reranker.py.

Needs the Python reference stack (torch CPU, transformers, sentence-transformers,
pytrec_eval-terrier, numpy); `scripts/setup-reference` installs it.

Reads the BEIR collections in ../shared/data, embeds them with all-MiniLM-L6-v2 exactly as the
project's dense stage does (mean pooling, L2 normalised, max 256 word pieces,
document = title + " " + text, exact cosine search, ties by document id ascending), and caches
the embeddings and dense TREC runs in a work directory so training and evaluation reuse them.
"""
import json
import os

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.abspath(os.path.join(ROOT, "..", "shared", "data"))
BIENCODER = os.path.join(ROOT, "models", "all-MiniLM-L6-v2")


def doc_string(title, text):
    """The BEIR document string: title + " " + text (title may be empty)."""
    title = (title or "").strip()
    return (title + " " + (text or "")).strip() if title else (text or "").strip()


def load_corpus(ds):
    """Returns (ids, titles, texts) of a collection, in file order."""
    ids, titles, texts = [], [], []
    with open(os.path.join(DATA, ds, "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            ids.append(str(d["_id"]))
            titles.append(d.get("title") or "")
            texts.append(d.get("text") or "")
    return ids, titles, texts


def load_queries(ds):
    """Returns {query id: text}."""
    out = {}
    with open(os.path.join(DATA, ds, "queries.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                q = json.loads(line)
                out[str(q["_id"])] = q["text"]
    return out


def load_qrels(ds, split):
    """Returns {query id: {doc id: gain}} of one split (header line skipped)."""
    out = {}
    with open(os.path.join(DATA, ds, "qrels", split + ".tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            out.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return out


_model = None


def biencoder():
    global _model
    if _model is None:
        from sentence_transformers import SentenceTransformer
        _model = SentenceTransformer(BIENCODER, device="cpu")
        _model.max_seq_length = 256
    return _model


def embed(texts, batch_size=64):
    """L2-normalised all-MiniLM-L6-v2 embeddings (float32), in input order."""
    return biencoder().encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


def cached(path, make):
    if os.path.exists(path):
        return np.load(path)
    arr = make()
    tmp = path + ".tmp.npy"
    np.save(tmp, arr)
    os.replace(tmp, path)
    return arr


def corpus_embeddings(work, ds):
    """Embeddings of the collection's documents (title + " " + text), cached in work."""
    os.makedirs(os.path.join(work, "emb"), exist_ok=True)
    ids, titles, texts = load_corpus(ds)
    return cached(os.path.join(work, "emb", ds + ".corpus.npy"),
                  lambda: embed([doc_string(t, x) for t, x in zip(titles, texts)]))


def exact_topk(qemb, demb, doc_ids, k):
    """Exact cosine top-k per query: score descending, then doc id ascending."""
    scores = qemb @ demb.T
    out = []
    order_ids = np.array(doc_ids)
    for row in scores:
        kk = min(len(doc_ids), k + 50)
        part = np.argpartition(-row, kk - 1)[:kk]
        cand = sorted(part.tolist(), key=lambda i: (-float(row[i]), order_ids[i]))[:k]
        out.append([(doc_ids[i], float(row[i])) for i in cand])
    return out


def write_run(path, run, tag):
    """TREC run: qid Q0 docid rank score tag, ranks from 1."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for qid, lst in run.items():
            for r, (d, s) in enumerate(lst, 1):
                f.write("%s Q0 %s %d %.6f %s\n" % (qid, d, r, s, tag))
    os.replace(tmp, path)


def read_run(path):
    """{qid: [(docid, score)]} ordered by rank as written."""
    run = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 6:
                run.setdefault(p[0], []).append((p[2], float(p[4]), int(p[3])))
    return {q: [(d, s) for d, s, _ in sorted(v, key=lambda x: x[2])] for q, v in run.items()}


def dense_run(work, ds, qids, k=100, name=None):
    """Dense first-stage top-k for the given queries, cached as a TREC run in work/runs."""
    os.makedirs(os.path.join(work, "runs"), exist_ok=True)
    path = os.path.join(work, "runs", "%s.%s.dense.trec" % (ds, name or "q%d" % len(qids)))
    if os.path.exists(path):
        return read_run(path)
    ids, _, _ = load_corpus(ds)
    demb = corpus_embeddings(work, ds)
    queries = load_queries(ds)
    qids = list(qids)
    qemb = embed([queries[q] for q in qids])
    top = exact_topk(qemb, demb, ids, k)
    run = {q: t for q, t in zip(qids, top)}
    write_run(path, run, "dense-minilm")
    return run


# Lucene's EnglishAnalyzer stop set (the 33 classic English stopwords), as in Sources/Lexical.
STOPWORDS = frozenset("a an and are as at be but by for if in into is it no not of on or such that "
                      "the their then there these they this to was will with".split())


class BM25:
    """BM25 over a collection, close to the project's Lucene-style scorer (k1 0.9, b 0.4).

    Used only as a teacher signal for training, so the analyzer is approximate: lower-case,
    runs of letters and digits, the 33 Lucene stopwords dropped, NLTK's Porter stemmer.
    """

    def __init__(self, docs, k1=0.9, b=0.4):
        import math
        import re
        from nltk.stem.porter import PorterStemmer
        self._re = re.compile(r"[a-z0-9]+")
        self._stem = PorterStemmer(mode="MARTIN_EXTENSIONS")
        self._cache = {}
        self.k1, self.b = k1, b
        df, total = {}, 0
        for text in docs.values():
            terms = self.analyze(text)
            total += len(terms)
            for t in set(terms):
                df[t] = df.get(t, 0) + 1
        n = len(docs)
        self.avg = total / max(1, n)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def analyze(self, text):
        out = []
        for w in self._re.findall(text.lower()):
            if w in STOPWORDS:
                continue
            s = self._cache.get(w)
            if s is None:
                s = self._cache[w] = self._stem.stem(w)
            out.append(s)
        return out

    def score(self, query, text):
        """BM25 of `text` (any text, e.g. a document shown without its title) for `query`,
        with the collection's idf and average length."""
        tf = {}
        for t in self.analyze(text):
            tf[t] = tf.get(t, 0) + 1
        length = sum(tf.values())
        norm = self.k1 * (1 - self.b + self.b * length / self.avg)
        total = 0.0
        for t in self.analyze(query):
            f = tf.get(t)
            if f:
                total += self.idf[t] * f * (self.k1 + 1) / (f + norm)
        return total
