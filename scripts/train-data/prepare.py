#!/usr/bin/env python3
"""Turns the general-domain training data in ../shared/data/train into BEIR folders.

Why: scripts/train-reranker mines hard negatives for every source from indexer's own first
stages, so each source's passage pool must be a BEIR collection that `indexer build --lexical`
can index and `indexer search` can query. This script only parses and splits; the indexing
and searching is done by scripts/train-data/mine (shell, the indexer binary).

    scripts/train-data/prepare.py --out /tmp/td

For every source SRC in squad, qed, msmarco, wikiqa, trecqa it writes OUT/SRC/:
  corpus.jsonl       the passage pool ({"_id", "title", "text"})
  queries.jsonl      every question of the source ({"_id", "text"})
  qrels/train.tsv    question -> positive passage(s), questions used for training
  qrels/heldout.tsv  the held-out slice (never trained on; the only data choices are made on)
  meta.jsonl         per question: answers (answer strings, for false-negative filtering)
                     and group (SQuAD article / QED title), also for filtering
wikiqa and trecqa share one sentence pool (written into both folders).

Sources and splits (fixed seed 20261207, independent of the training seed):
  squad    SQuAD v1.1 train explorer HTML. Pool = all 18,896 paragraphs (title = article).
           25 whole articles are held out; 150 of their questions (one per paragraph) form the
           held-out slice; from the other articles up to --squad-per-para questions a paragraph.
  qed      QED over Natural Questions train: 7,167 question -> paragraph (title = page title);
           150 questions held out.
  msmarco  600 MS MARCO dev-small queries with their BM25 top-20 and labels; pool = the
           distinct passages; 120 of the 540 queries with a positive held out. (MS MARCO
           dev-small is never used for evaluation in this project; see the card.)
  wikiqa   WikiQA train (training) and dev (held-out), questions with >= 1 positive sentence.
  trecqa   TrecQA TRAIN (training) and DEV (held-out); PTB brackets undone.
"""
import argparse
import glob
import hashlib
import html
import io
import json
import os
import random
import re
import tarfile

TRAIN = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "train"))
SEED = 20261207


def pid(prefix, text):
    return prefix + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def write_source(out, name, corpus, queries, train, held, meta):
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "qrels"), exist_ok=True)
    with open(os.path.join(d, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for i, (t, x) in corpus.items():
            f.write(json.dumps({"_id": i, "title": t, "text": x}, ensure_ascii=False) + "\n")
    with open(os.path.join(d, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q, t in queries.items():
            f.write(json.dumps({"_id": q, "text": t}, ensure_ascii=False) + "\n")
    for split, qrels in (("train", train), ("heldout", held)):
        with open(os.path.join(d, "qrels", split + ".tsv"), "w") as f:
            f.write("query-id\tcorpus-id\tscore\n")
            for q in sorted(qrels):
                for doc in sorted(qrels[q]):
                    f.write("%s\t%s\t1\n" % (q, doc))
    with open(os.path.join(d, "meta.jsonl"), "w", encoding="utf-8") as f:
        for q, m in meta.items():
            f.write(json.dumps(dict(m, _id=q), ensure_ascii=False) + "\n")
    print("%-8s pool %6d  queries %6d  train %6d  held-out %4d" % (
        name, len(corpus), len(queries), len(train), len(held)))


# ------------------------------------------------------------------ SQuAD explorer HTML
PARA = re.compile(r'<div class="para-wrap">(.*?)(?=<div class="para-wrap">|\Z)', re.S)
PRE = re.compile(r"<pre>(.*?)</pre>", re.S)
QA = re.compile(r'<strong class="question">(.*?)</strong>(.*?)(?=<strong class="question">|\Z)', re.S)
ANS = re.compile(r'<span class="answer">(.*?)</span>', re.S)
TITLE = re.compile(r'<h1 id="title">(.*?)</h1>', re.S)
TAGS = re.compile(r"<[^>]+>")


def text_of(s):
    return html.unescape(TAGS.sub("", s)).strip()


def squad_articles():
    """[(title, [(paragraph, [(question, [answers])])])] from the v1.1 train tarball."""
    arts = []
    with tarfile.open(os.path.join(TRAIN, "squad-explorer-html", "explore-1.1-train-html.tar.gz")) as tar:
        for m in sorted(tar.getmembers(), key=lambda m: m.name):
            if not m.name.endswith(".html") or m.name.endswith("index.html"):
                continue
            page = tar.extractfile(m).read().decode("utf-8")
            t = TITLE.search(page)
            title = text_of(t.group(1)).replace("_", " ") if t else os.path.basename(m.name)[:-5]
            paras = []
            for pm in PARA.finditer(page):
                block = pm.group(1)
                pre = PRE.search(block)
                if not pre:
                    continue
                qas = [(text_of(q), [text_of(a) for a in ANS.findall(rest)])
                       for q, rest in QA.findall(block[pre.end():])]
                paras.append((html.unescape(pre.group(1)).strip(), qas))
            arts.append((title, paras))
    return arts


def squad(out, per_para, held_articles=25, held_queries=150):
    rng = random.Random(SEED)
    arts = squad_articles()
    order = list(range(len(arts)))
    rng.shuffle(order)
    held_set = set(order[:held_articles])
    corpus, queries, train, held, meta, held_cands = {}, {}, {}, {}, {}, []
    nq = 0
    for ai, (title, paras) in enumerate(arts):
        for pi, (ptext, qas) in enumerate(paras):
            doc = "sq%d-%d" % (ai, pi)
            corpus[doc] = (title, ptext)
            for qi, (q, answers) in enumerate(qas):
                nq += 1
                qid = "sq%d-%d-%d" % (ai, pi, qi)
                meta[qid] = {"answers": sorted(set(answers)), "group": "a%d" % ai, "held_article": ai in held_set}
                queries[qid] = q
            if ai in held_set:
                if qas:
                    held_cands.append(("sq%d-%d-%d" % (ai, pi, rng.randrange(len(qas))), doc))
            else:
                for qi in sorted(rng.sample(range(len(qas)), min(per_para, len(qas)))):
                    train["sq%d-%d-%d" % (ai, pi, qi)] = {doc}
    for qid, doc in sorted(rng.sample(held_cands, held_queries)):
        held[qid] = {doc}
    print("squad: %d articles, %d paragraphs, %d questions" % (len(arts), len(corpus), nq))
    # only the questions used are written, to keep `indexer search` short
    used = set(train) | set(held)
    write_source(out, "squad", corpus, {q: t for q, t in queries.items() if q in used}, train, held,
                 {q: m for q, m in meta.items() if q in used})


# ------------------------------------------------------------------ QED / NQ train
def qed(out, held_queries=150):
    rng = random.Random(SEED + 1)
    corpus, queries, rel, meta = {}, {}, {}, {}
    for path in sorted(glob.glob(os.path.join(TRAIN, "qed-nq-train", "nq-train-*-qed.jsonlines"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                p = e["paragraph_text"].strip()
                doc = pid("qd", e["title_text"] + "\n" + p)
                corpus[doc] = (e["title_text"], p)
                qid = "qed%s" % e["example_id"]
                queries[qid] = e["question_text"]
                rel[qid] = {doc}
                meta[qid] = {"answers": sorted(set(a for a in e.get("answer_text", []) if a.strip())),
                             "group": e["title_text"]}
    qids = sorted(queries)
    rng.shuffle(qids)
    held = {q: rel[q] for q in qids[:held_queries]}
    train = {q: rel[q] for q in qids[held_queries:]}
    write_source(out, "qed", corpus, queries, train, held, meta)


# ------------------------------------------------------------------ MS MARCO dev-small BM25 top-20
def msmarco(out, held_queries=120):
    rng = random.Random(SEED + 2)
    corpus, queries, rel, meta = {}, {}, {}, {}
    with tarfile.open(os.path.join(TRAIN, "msmarco-dev-small-bm25top20-tomjg14", "firebase-sampled_files.tar.gz")) as tar:
        for m in sorted(tar.getmembers(), key=lambda m: m.name):
            if not m.name.endswith(".json"):
                continue
            for r in json.load(tar.extractfile(m)):
                doc = "ms%s" % r["passage_id"]
                corpus[doc] = ("", r["passage_text"].strip())
                qid = "ms%s" % r["query_id"]
                queries[qid] = r["query_text"].strip()
                meta[qid] = {"answers": [], "group": ""}
                if float(r["relevance_label"]) > 0:
                    rel.setdefault(qid, set()).add(doc)
    qids = sorted(rel)
    rng.shuffle(qids)
    held = {q: rel[q] for q in qids[:held_queries]}
    train = {q: rel[q] for q in qids[held_queries:]}
    write_source(out, "msmarco", corpus, queries, train, held, meta)


# ------------------------------------------------------------------ WikiQA / TrecQA
PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
       "``": '"', "''": '"'}


def untok(s):
    return " ".join(PTB.get(w, w) for w in s.split())


def answer_selection(out):
    pool = {}
    sets = {}
    for name, folder, fix in (("wikiqa", "wiki", False), ("trecqa", "trec", True)):
        for split in ("train", "dev"):
            rel, queries = {}, {}
            with open(os.path.join(TRAIN, "wikiqa-trecqa-answer-selection", folder, split + ".txt"),
                      encoding="utf-8") as f:
                for line in f:
                    parts = line.rstrip("\r\n").split("\t")
                    if len(parts) != 3:
                        continue
                    q, s, lab = parts
                    if fix:
                        q, s = untok(q), untok(s)
                    doc = pid("as", s)
                    pool[doc] = ("", s)
                    qid = pid(name[:2] + split[0], q)
                    queries[qid] = q
                    rel.setdefault(qid, set())
                    if lab.strip() == "1":
                        rel[qid].add(doc)
            sets[(name, split)] = (queries, {q: r for q, r in rel.items() if r})
    for name in ("wikiqa", "trecqa"):
        qtr, train = sets[(name, "train")]
        qdv, held = sets[(name, "dev")]
        queries = dict(qtr)
        queries.update(qdv)
        write_source(out, name, pool, queries, train, held, {q: {"answers": [], "group": ""} for q in queries})


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default="/tmp/td")
    p.add_argument("--squad-per-para", type=int, default=1)
    a = p.parse_args()
    squad(a.out, a.squad_per_para)
    qed(a.out)
    msmarco(a.out)
    answer_selection(a.out)


if __name__ == "__main__":
    main()
