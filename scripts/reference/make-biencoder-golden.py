#!/usr/bin/env python3
"""Golden embeddings for the Swift BiEncoder, made by sentence-transformers (torch CPU).

Needs the Python reference stack (scripts/setup-reference) and models/all-MiniLM-L6-v2.
Writes Tests/InferenceTests/Golden/biencoder-texts.jsonl (text + the word-piece ids the HF
tokenizer gives, truncated at the model's max length) and biencoder-embeddings.npy
(float32, (n, 384), row i = line i, L2-normalised as the model's Normalize module does).

Texts: SciFact and NFCorpus documents (title + " " + text, stripped, as BEIR encodes them)
picked over the whole length range, so that many exceed 256 word pieces and truncation is
exercised; SciFact and NFCorpus queries; and hostile strings.
Run from the package root: python3 scripts/reference/make-biencoder-golden.py
"""
import json, os, random
import numpy as np
import torch
from sentence_transformers import SentenceTransformer

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = os.path.join(root, "..", "shared", "data")
out_dir = os.path.join(root, "Tests", "InferenceTests", "Golden")
torch.set_num_threads(2)

def corpus(name):
    docs = []
    with open(os.path.join(data, name, "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append((d.get("title") or "") + " " + (d.get("text") or ""))
    return [d.strip() for d in docs]

def queries(name):
    with open(os.path.join(data, name, "queries.jsonl"), encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]

model = SentenceTransformer(os.path.join(root, "models", "all-MiniLM-L6-v2"), device="cpu")
tok = model.tokenizer
max_len = model.max_seq_length
rng = random.Random(20261124)

def spread(docs, n):
    """n documents spread over the length range (by character count)."""
    order = sorted(range(len(docs)), key=lambda i: (len(docs[i]), i))
    step = len(order) / n
    return [docs[order[int(k * step + rng.random() * step)]] for k in range(n)]

texts = []
texts += spread(corpus("scifact"), 110)
texts += spread(corpus("nfcorpus"), 50)
texts += rng.sample(queries("scifact"), 20)
texts += rng.sample(queries("nfcorpus"), 10)
texts += [
    "", " ", "\t\n", "a", "[CLS] [SEP] [PAD] [MASK] [UNK]", "Ünïcödé àccents ÉCOLE straße",
    "naïve café résumé — “quotes” and ‘single’ … ellipsis", "日本語のテキストと中文文本混合 English",
    "emoji 😀🚀👩‍👩‍👧 flags 🇫🇷 and ZWJ", "zero\u200bwidth\u200cjoiner\u200d here", "e\u0301 combining acute",
    "control\u0007chars\u0000inside\u001f", "RTL: مرحبا بالعالم שלום", "HTTP://EXAMPLE.COM/path?q=1&x=%20",
    "x" * 3000, "supercalifragilisticexpialidocious " * 60, "1234567890 " * 80, "!!!???...,,,;;;" * 20,
    "   leading and trailing spaces   ", "tab\tseparated\tvalues", "line\nbreaks\r\nand\rreturns",
    "Mixed CASE WoRdS aNd numbers 3.14159e-10 and p<0.001",
]
ids = [tok(t, truncation=True, max_length=max_len)["input_ids"] for t in texts]
emb = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=False).astype(np.float32)
# The model's Normalize module is part of the pipeline; check it really normalised.
assert np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-5)
with open(os.path.join(out_dir, "biencoder-texts.jsonl"), "w", encoding="utf-8") as f:
    for t, i in zip(texts, ids):
        f.write(json.dumps({"text": t, "ids": i}, ensure_ascii=False) + "\n")
np.save(os.path.join(out_dir, "biencoder-embeddings.npy"), emb)
print(len(texts), "texts;", sum(len(i) >= max_len for i in ids), "truncated at", max_len)
