#!/usr/bin/env python3
"""Golden outputs for every encoder family the Swift Inference module builds.

Needs the Python reference stack (scripts/setup-reference). For each family (bert, roberta,
xlm-roberta, electra, mpnet, modernbert) it makes two small randomly initialised
…ForSequenceClassification checkpoints with transformers (AutoConfig.for_model, seeded,
from_config, save_pretrained safetensors): config "a" (1 label, saved f32 and f16 as "a-f16")
and config "b" (2 labels, a different shape), then records for 300 sequences of random ids
(30 of them cut at the maximum length):
  Golden/<family>/sequences.jsonl  ids and type ids
  Golden/<family>/<ckpt>/expected.json  the logits (AutoModelForSequenceClassification,
      eager attention, one sequence at a time, no padding) and the score Swift must give
      (logit with one label, logit[1] - logit[0] with two)
  Golden/<family>/<ckpt>/pooled.npy  the mean of the base model's last hidden states (f32 only)
Each checkpoint folder gets a generated vocab.txt (one token per id) and tokenizer_config.json
so that CrossEncoder/BiEncoder can be constructed; the tests use the id-level API only.
Run from the package root: python3 scripts/reference/make_architecture_golden.py [family …]
(no argument: every family; each family's seeds do not depend on which others are made).
"""
import json, os, random, shutil
import numpy as np
import torch
from transformers import AutoConfig, AutoModelForSequenceClassification

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
gold = os.path.join(root, "Tests", "InferenceTests", "Golden")
torch.set_num_threads(1)
N_SEQ, N_FULL = 300, 30

COMMON = dict(attention_probs_dropout_prob=0.0, hidden_dropout_prob=0.0)
FAMILIES = {
    "bert": (dict(COMMON, max_position_embeddings=128, type_vocab_size=2, layer_norm_eps=1e-12),
             dict(vocab_size=500, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64),
             dict(vocab_size=300, hidden_size=48, num_hidden_layers=3, num_attention_heads=3, intermediate_size=96,
                  hidden_act="gelu_new")),
    "roberta": (dict(COMMON, max_position_embeddings=130, type_vocab_size=1, pad_token_id=1, layer_norm_eps=1e-5),
                dict(vocab_size=500, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64),
                dict(vocab_size=300, hidden_size=48, num_hidden_layers=3, num_attention_heads=4, intermediate_size=80)),
    "xlm-roberta": (dict(COMMON, max_position_embeddings=130, type_vocab_size=1, pad_token_id=1, layer_norm_eps=1e-5),
                    dict(vocab_size=600, hidden_size=32, num_hidden_layers=3, num_attention_heads=2, intermediate_size=48),
                    dict(vocab_size=300, hidden_size=48, num_hidden_layers=2, num_attention_heads=6, intermediate_size=64,
                         hidden_act="relu")),
    "electra": (dict(COMMON, max_position_embeddings=128, type_vocab_size=2, layer_norm_eps=1e-12),
                dict(vocab_size=500, embedding_size=16, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=64),
                dict(vocab_size=300, embedding_size=48, hidden_size=48, num_hidden_layers=3, num_attention_heads=4,
                     intermediate_size=64)),
    "mpnet": (dict(COMMON, max_position_embeddings=130, layer_norm_eps=1e-12, relative_attention_num_buckets=32),
              dict(vocab_size=500, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64),
              dict(vocab_size=300, hidden_size=48, num_hidden_layers=3, num_attention_heads=3, intermediate_size=64)),
    "modernbert": (dict(max_position_embeddings=128, norm_eps=1e-5, pad_token_id=0, bos_token_id=2, eos_token_id=3,
                        cls_token_id=2, sep_token_id=3, attention_dropout=0.0, embedding_dropout=0.0, mlp_dropout=0.0),
                   dict(vocab_size=500, hidden_size=32, num_hidden_layers=3, num_attention_heads=4, intermediate_size=48,
                        local_attention=16, global_attn_every_n_layers=3, global_rope_theta=160000.0,
                        local_rope_theta=10000.0, classifier_pooling="cls"),
                   dict(vocab_size=300, hidden_size=48, num_hidden_layers=3, num_attention_heads=4, intermediate_size=64,
                        local_attention=32, global_attn_every_n_layers=2, global_rope_theta=10000.0,
                        local_rope_theta=1000.0, classifier_pooling="mean", attention_bias=True, mlp_bias=True,
                        norm_bias=True, classifier_bias=True, hidden_activation="gelu_pytorch_tanh")),
}


def randomise(model, seed):
    """Weights far larger than the 0.02 initialisation, so that outputs depend strongly on input."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            r = torch.randn(p.shape, generator=g)
            if p.dim() == 1 and ("norm" in name.lower() and name.endswith("weight")):
                p.copy_(1 + 0.1 * r)
            elif "embeddings" in name or "relative_attention_bias" in name:
                p.copy_(r)
            elif p.dim() == 2:
                p.copy_(1.5 / p.shape[1] ** 0.5 * r)
            else:
                p.copy_(0.1 * r)


def sequences(family, vocab, max_len, types, pad, rng):
    """Random ids: [CLS]-like first id, [SEP]-like last id; some cut at max_len, some with pad ids inside."""
    out = []
    for k in range(N_SEQ):
        n = max_len if k < N_FULL else rng.randint(2, max_len)
        ids = [rng.randrange(5, vocab) for _ in range(n)]
        ids[0], ids[-1] = 2, 3
        if k % 10 == 5 and n > 4:
            ids[rng.randrange(1, n - 1)] = pad
        split = rng.randint(1, n)
        type_ids = [0] * split + [1] * (n - split) if types > 1 else [0] * n
        out.append({"ids": ids, "type_ids": type_ids})
    return out


def save_tokenizer(folder, vocab):
    with open(os.path.join(folder, "vocab.txt"), "w") as f:
        f.write("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"w{i}" for i in range(5, vocab)]) + "\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "tokenizer_class": "BertTokenizer", "cls_token": "[CLS]", "sep_token": "[SEP]",
                   "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]"}, f, indent=1)


def record(folder, seqs, labels, pooled):
    model = AutoModelForSequenceClassification.from_pretrained(folder, dtype=torch.float32,
                                                               attn_implementation="eager").eval()
    logits, means = [], []
    with torch.no_grad():
        for s in seqs:
            ids = torch.tensor([s["ids"]])
            kw = {"token_type_ids": torch.tensor([s["type_ids"]])} if model.config.model_type in ("bert", "electra") else {}
            logits.append(model(input_ids=ids, **kw).logits[0].tolist())
            if pooled:
                h = model.base_model(input_ids=ids, **kw).last_hidden_state[0]
                means.append(h.mean(dim=0).numpy())
    score = [l[0] if labels == 1 else l[1] - l[0] for l in logits]
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump({"labels": labels, "logits": logits, "score": score}, f)
    if pooled:
        np.save(os.path.join(folder, "pooled.npy"), np.stack(means).astype(np.float32))


def main(only):
    for fi, (family, (common, a, b)) in enumerate(FAMILIES.items()):
        if only and family not in only:
            continue
        base = os.path.join(gold, family)
        shutil.rmtree(base, ignore_errors=True)
        os.makedirs(base)
        rng = random.Random(1000 + fi)
        max_len = common["max_position_embeddings"] - (2 if family in ("roberta", "xlm-roberta", "mpnet") else 0)
        vocab = min(a["vocab_size"], b["vocab_size"])
        seqs = sequences(family, vocab, max_len, common.get("type_vocab_size", 0), 1 if family != "modernbert" else 0, rng)
        with open(os.path.join(base, "sequences.jsonl"), "w") as f:
            for s in seqs:
                f.write(json.dumps(s) + "\n")
        for ci, (name, shape, labels) in enumerate([("a", a, 1), ("b", b, 2)]):
            config = AutoConfig.for_model(family, **common, **shape, num_labels=labels)
            torch.manual_seed(20261207 + 10 * fi + ci)
            model = AutoModelForSequenceClassification.from_config(config, attn_implementation="eager").eval()
            randomise(model, 20261207 + 10 * fi + ci)
            folder = os.path.join(base, name)
            model.save_pretrained(folder, safe_serialization=True)
            save_tokenizer(folder, shape["vocab_size"])
            record(folder, seqs, labels, pooled=True)
            if name == "a":
                half = os.path.join(base, "a-f16")
                model.half().save_pretrained(half, safe_serialization=True)
                save_tokenizer(half, shape["vocab_size"])
                record(half, seqs, labels, pooled=False)
        print(family, "done", flush=True)


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
