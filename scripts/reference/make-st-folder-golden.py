#!/usr/bin/env python3
"""Golden vectors for sentence-transformers model folders (modules.json, pooling layouts,
Dense, Normalize, prompts), made by sentence-transformers itself (torch CPU).

A tiny random BERT (BertModel.from_config, hidden 32, 2 layers, the vocabulary of
Tests/InferenceTests/Golden/cross-f32) is the transformer of three e5-style folders
(prompts "query: " / "passage: " in config_sentence_transformers.json, under "passage" in
the classic folder, as sentence-transformers 3-5 saved e5's, and "document" in the others;
sentence-transformers 6.3's encode_document ignores "passage", so the classic documents are
encoded without a prompt, which the Swift reader reproduces):

  classic  sentence_transformers.models.* types, 1_Pooling with pooling_mode_*_tokens
           booleans, sentence_bert_config.json with max_seq_length: mean + Normalize
  st6      the layout sentence-transformers 6.3 writes (model.save): mean + cls pooling,
           Dense (Tanh) + Normalize
  st6-raw  sentence-transformers 6.3 layout: weightedmean with include_prompt false, Dense
           (Identity, no bias), no Normalize

The committed files are one shared base folder (weights and tokenizer) and each case's
module files; the Swift test assembles a case folder from the two. For each case the script
loads the assembled folder back with SentenceTransformer (so the classic layout is read by
sentence-transformers' own legacy path) and writes CASE-queries.npy (encode_query) and
CASE-documents.npy (encode_document) for the texts in texts.jsonl (float32, row i = line i).

Run from the package root: python3 scripts/reference/make-st-folder-golden.py
"""
import json, os, random, shutil, tempfile
import numpy as np
import torch
from transformers import AutoTokenizer, BertConfig, BertModel
from sentence_transformers import SentenceTransformer, models

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
golden = os.path.join(root, "Tests", "InferenceTests", "Golden")
out = os.path.join(golden, "st-folders")
torch.set_num_threads(2)
torch.manual_seed(14)
PROMPTS = {"query": "query: ", "document": "passage: "}

def texts():
    rows = [json.loads(l)["text"] for l in open(os.path.join(golden, "biencoder-texts.jsonl"), encoding="utf-8")]
    rng = random.Random(14)
    words = [w for w in open(os.path.join(golden, "cross-f32", "vocab.txt"), encoding="utf-8").read().split("\n")
             if w.isalpha()]
    while len(rows) < 320:
        rows.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 90))))
    return rows

def save_base(tmp):
    tok = AutoTokenizer.from_pretrained(os.path.join(golden, "cross-f32"))
    cfg = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=64, max_position_embeddings=128)
    bert = BertModel(cfg).eval()
    base = os.path.join(tmp, "bert")
    bert.save_pretrained(base)
    tok.save_pretrained(base)
    return base

def st6_folder(base, tmp, name, pooling, include_prompt, dense):
    t = models.Transformer(base, max_seq_length=64)
    mods = [t, models.Pooling(32, pooling_mode=pooling, include_prompt=include_prompt)]
    width = 32 * (1 if isinstance(pooling, str) else len(pooling))
    mods.append(dense(width))
    if name == "st6":
        mods.append(models.Normalize())
    m = SentenceTransformer(modules=mods, prompts=PROMPTS, device="cpu")
    path = os.path.join(tmp, name)
    m.save(path)
    return path

def classic_folder(base, tmp):
    t = models.Transformer(base, max_seq_length=64)
    m = SentenceTransformer(modules=[t, models.Pooling(32, pooling_mode="mean"), models.Normalize()],
                            prompts=PROMPTS, device="cpu")
    path = os.path.join(tmp, "classic")
    m.save(path)
    # Rewrite the module files as sentence-transformers 2.x-5.x wrote them.
    json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
              open(os.path.join(path, "modules.json"), "w"), indent=2)
    json.dump({"word_embedding_dimension": 32, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
               "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False},
              open(os.path.join(path, "1_Pooling", "config.json"), "w"), indent=2)
    json.dump({"max_seq_length": 64, "do_lower_case": False}, open(os.path.join(path, "sentence_bert_config.json"), "w"), indent=2)
    # As sentence-transformers 3.x-5.x saved e5's prompts (ST 6 adds "document": "").
    json.dump({"__version__": {"sentence_transformers": "3.0.1"}, "prompts": {"query": "query: ", "passage": "passage: "},
               "default_prompt_name": None, "similarity_fn_name": "cosine"},
              open(os.path.join(path, "config_sentence_transformers.json"), "w"), indent=2)
    shutil.rmtree(os.path.join(path, "2_Normalize"), ignore_errors=True)
    os.makedirs(os.path.join(path, "2_Normalize"), exist_ok=True)
    return path

BASE_FILES = ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]

def main():
    items = texts()
    tmp = tempfile.mkdtemp()
    base = save_base(tmp)
    folders = {
        "classic": classic_folder(base, tmp),
        "st6": st6_folder(base, tmp, "st6", ("mean", "cls"), True, lambda w: models.Dense(w, 24, activation_function=torch.nn.Tanh())),
        "st6-raw": st6_folder(base, tmp, "st6-raw", "weightedmean", False,
                              lambda w: models.Dense(w, 16, bias=False, activation_function=torch.nn.Identity())),
    }
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "base"))
    for f in BASE_FILES:
        shutil.copy(os.path.join(folders["classic"], f), os.path.join(out, "base", f))
    with open(os.path.join(out, "texts.jsonl"), "w", encoding="utf-8") as f:
        for t in items:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    for name, path in folders.items():
        m = SentenceTransformer(path, device="cpu")
        assert m.prompts.get("query") == "query: ", m.prompts
        assert "passage: " in m.prompts.values(), m.prompts
        q = m.encode_query(items, convert_to_numpy=True, batch_size=16).astype(np.float32)
        d = m.encode_document(items, convert_to_numpy=True, batch_size=16).astype(np.float32)
        np.save(os.path.join(out, f"{name}-queries.npy"), q)
        np.save(os.path.join(out, f"{name}-documents.npy"), d)
        case = os.path.join(out, name)
        for dirpath, _, files in os.walk(path):
            for f in files:
                rel = os.path.relpath(os.path.join(dirpath, f), path)
                if rel in BASE_FILES or rel == "README.md" or rel == "vocab.txt" or rel == "special_tokens_map.json":
                    continue
                os.makedirs(os.path.dirname(os.path.join(case, rel)), exist_ok=True)
                shutil.copy(os.path.join(dirpath, f), os.path.join(case, rel))
        for dirpath, dirs, _ in os.walk(path):  # keep empty module folders (2_Normalize)
            for dname in dirs:
                os.makedirs(os.path.join(case, os.path.relpath(os.path.join(dirpath, dname), path)), exist_ok=True)
        print(name, q.shape, "norms", float(np.linalg.norm(q, axis=1).min()), float(np.linalg.norm(q, axis=1).max()))
    shutil.rmtree(tmp)

main()
