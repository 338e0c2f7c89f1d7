#!/usr/bin/env python3
"""Golden logits for the Swift CrossEncoder, made by transformers (torch CPU).

Needs the Python reference stack (scripts/setup-reference). Builds a small randomly
initialised BertForSequenceClassification (num_labels=1; seed fixed) with a cut-down
MiniLM word-piece vocabulary, saves it twice with save_pretrained(safe_serialization=True)
(Golden/cross-f32 in float32, Golden/cross-f16 in float16), then scores query/document
pairs with transformers: [CLS] q [SEP] d [SEP], token types 0/1, truncation of the document
only at 512 word pieces. Writes Golden/crossencoder-pairs.jsonl: query, document, the ids and
type ids the HF tokenizer gives, and the raw logit of each checkpoint (the f16 checkpoint is
read back widened to float32, as the Swift loader does).
Run from the package root: python3 scripts/reference/make-crossencoder-golden.py
"""
import json, os, random, shutil, tempfile
import torch
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = os.path.join(root, "..", "shared", "data")
gold = os.path.join(root, "Tests", "InferenceTests", "Golden")
torch.manual_seed(20261124)
rng = random.Random(20261124)
torch.set_num_threads(2)

# Cut-down vocabulary: specials, single characters, the 1,500 most frequent words and the
# continuation single characters, in MiniLM order.
full = open(os.path.join(root, "models", "all-MiniLM-L6-v2", "vocab.txt"), encoding="utf-8").read().split("\n")
if full[-1] == "":
    full.pop()
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
vocab += [w for w in full[999:1996] if w not in vocab]
vocab += full[1996:3496]
vocab += [w for w in full[3496:] if w.startswith("##") and len(w) == 3]
tmp = tempfile.mkdtemp()
with open(os.path.join(tmp, "vocab.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(vocab) + "\n")
tok = BertTokenizerFast(vocab_file=os.path.join(tmp, "vocab.txt"), do_lower_case=True)

config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                    intermediate_size=64, max_position_embeddings=512, type_vocab_size=2,
                    layer_norm_eps=1e-12, hidden_act="gelu", num_labels=1, pad_token_id=0)
model = BertForSequenceClassification(config).eval()
with torch.no_grad():
    for name, p in model.named_parameters():
        # Larger than BERT's 0.02 initialisation, so that attention is far from uniform
        # and the logit depends strongly on the input.
        if "LayerNorm.weight" in name:
            p.copy_(1 + 0.1 * torch.randn_like(p))
        elif "embeddings" in name:
            p.copy_(torch.randn_like(p))
        else:
            p.copy_(0.3 * torch.randn_like(p))

dirs = {"f32": os.path.join(gold, "cross-f32"), "f16": os.path.join(gold, "cross-f16")}
for kind, d in dirs.items():
    shutil.rmtree(d, ignore_errors=True)
    m = model if kind == "f32" else BertForSequenceClassification(config).eval()
    if kind == "f16":
        m.load_state_dict(model.state_dict())
        m = m.half()
    m.save_pretrained(d, safe_serialization=True)
    tok.save_pretrained(d)
    shutil.copy(os.path.join(tmp, "vocab.txt"), os.path.join(d, "vocab.txt"))
models = {k: BertForSequenceClassification.from_pretrained(d, torch_dtype=torch.float32,
                                                           attn_implementation="eager").eval()
          for k, d in dirs.items()}

def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]

docs = [((d.get("title") or "") + " " + (d.get("text") or "")).strip() for d in jsonl(os.path.join(data, "scifact", "corpus.jsonl"))]
qs = [q["text"] for q in jsonl(os.path.join(data, "scifact", "queries.jsonl"))]
docs.sort(key=lambda s: (len(s), s))
pairs = []
for k in range(90):
    q = rng.choice(qs)
    d = docs[int((k + rng.random()) * len(docs) / 90)]
    pairs.append((q, d))
for d in docs[-14:]:  # the longest documents: over 512 word pieces with this vocabulary
    pairs.append((rng.choice(qs), d))
pairs += [("", ""), ("query only", ""), ("", "document only"), ("ÜNÏCÖDÉ 😀", "日本語 text [SEP] [CLS]"),
          (" ".join(qs[:6]), docs[-1])]
rows = []
for q, d in pairs:
    enc = tok(q, d, truncation="only_second", max_length=512, return_tensors="pt")
    row = {"query": q, "document": d, "ids": enc["input_ids"][0].tolist(),
           "type_ids": enc["token_type_ids"][0].tolist()}
    with torch.no_grad():
        for k, m in models.items():
            row["logit_" + k] = float(m(**enc).logits[0, 0])
    rows.append(row)
with open(os.path.join(gold, "crossencoder-pairs.jsonl"), "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), "pairs;", sum(len(r["ids"]) >= 512 for r in rows), "truncated at 512; vocab", len(vocab))
