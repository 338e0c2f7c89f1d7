#!/usr/bin/env python3
"""Golden files for the general tokenizer.json pipeline (Tokenization/Pipeline), from HF `tokenizers`.

Builds four small tokenizers and records what HF `tokenizers` 0.23 gives for them:
  roberta    byte-level BPE trained here on SciFact, wrapped as RoBERTa's (ByteLevel pre-tokenizer,
             RobertaProcessing, <s> <pad> </s> <unk> <mask>; <mask> lstrip as in roberta-base)
  xlmr       a sentencepiece Unigram trained here on SciFact (nmt_nfkc rules), converted by
             transformers' own XLMRobertaConverter (Precompiled + Replace " {2,}", Metaspace,
             <s> $A </s> </s> $B </s>)
  modernbert byte-level BPE with an NFC normalizer and a TemplateProcessing post-processor
             ([CLS] $A [SEP] / [CLS] $A [SEP] $B [SEP]); its merges are written in the legacy
             "a b" string form, so both JSON forms are covered
  wordpiece  models/all-MiniLM-L6-v2/tokenizer.json, copied

Writes into Tests/TokenizationTests/Golden/:
  pipelines/NAME/tokenizer.json
  pipeline_texts.tsv.gz   one line a text of the three shared collections, in reading order
      (per collection: corpus.jsonl documents as title + " " + text, then queries.jsonl):
      INDEX then, per tokenizer in NAMES order, D512 and DPIECES: the first 16 hex digits of
      SHA-256 over encode(text) truncated to 512 (ids then type ids, int32 little-endian) and over
      encode(text, add_special_tokens=False) ids untruncated.
  pipeline_pairs.tsv.gz   QUERY_INDEX DOC_INDEX then per tokenizer D512 D64: pair digests (ids then
      type ids) with truncation only_second, or longest_first where only_second is refused
      (what the Swift encodePair does); pairs from the test qrels of each collection.
  pipeline_hostile.jsonl.gz  full ids: {"name","text","ids512","pieces"} per hostile or sample text,
      and {"name","first","second","encodings":[{"max","ids","types"}]} per hostile pair (8, 64, 512).
Usage: scripts/reference/make_tokenizer_pipeline_golden.py [DATA_DIR]
       scripts/reference/make_tokenizer_pipeline_golden.py --show INDEX NAME [DATA_DIR]
           prints HF's ids for text INDEX of pipeline_texts.tsv.gz with the committed NAME tokenizer
           (what a digest mismatch in PipelineGoldenTests asks for)
"""
import ast
import gzip
import hashlib
import importlib
import json
import os
import shutil
import struct
import sys
import tempfile

import sentencepiece as spm
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHOW = sys.argv[2:4] if len(sys.argv) > 3 and sys.argv[1] == "--show" else None
ARGS = sys.argv[4:] if SHOW else sys.argv[1:]
DATA = ARGS[0] if ARGS else os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "Tests", "TokenizationTests", "Golden")
NAMES = ["roberta", "xlmr", "modernbert", "wordpiece"]
COLLECTIONS = ["scifact", "nfcorpus", "cranfield"]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def doc_text(d):
    return (d.get("title") or "") + " " + (d.get("text") or "")


def old_hostile():
    """The hostile strings of make_tokenizer_golden.py (read, not imported: that script runs on import)."""
    source = open(os.path.join(os.path.dirname(__file__), "make_tokenizer_golden.py"), encoding="utf-8").read()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "HOSTILE":
            return list(eval(compile(ast.Expression(node.value), "HOSTILE", "eval"), {}))  # a literal list with "a" * 100 terms
    raise SystemExit("HOSTILE not found in make_tokenizer_golden.py")


HOSTILE = old_hostile() + [
    "<s>", "</s>", "<s>hello</s>", "a <mask> b", "a<mask>b", "   <mask>   ", "<pad><unk><mask>", "<s ></s>",
    "[CLS]", "[CLS] a [SEP] b [SEP]", "x [MASK] y", "  [MASK]", "<|endoftext|>", "▁already▁meta space",
    "  lots   of    spaces  ", "     ", "a  b   c    d", "\n\n\nnewlines\n\n", " leading", "trailing ",
    "it's we're they've I'm you'll he'd IT'S", "'s 's' ''", "12345678901234567890 3.14 1,000", "x123y456",
    "ﬁ ﬂ ＡＢＣ ① ㍿ ½ ™ ℌ", "e\u0301\u0327 o\u0308\u0304", "\u1100\u1161\u11a8\u1100", "ａ　ｂ", "\u3000\u3000x",
    "tab\tsep\tvalues", "\u00a0nbsp\u00a0", "a\u200bb", "combining\u0300\u0301\u0302\u0303\u0304 marks",
    "emoji 🧑‍🔬 👩🏾‍💻 🏳️‍🌈", "x" * 300, "日本語" * 50, "pneumonoultramicroscopicsilicovolcanoconiosis",
]


def train_texts():
    return [doc_text(d) for d in read_jsonl(os.path.join(DATA, "scifact", "corpus.jsonl"))]


def roberta(texts):
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    trainer = trainers.BpeTrainer(vocab_size=4000, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")))
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False, special=True)])
    return tok


def modernbert(texts):
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    specials = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "<|endoftext|>"]
    trainer = trainers.BpeTrainer(vocab_size=5000, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=True),
        processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                      special_tokens=[("[CLS]", cls), ("[SEP]", sep)])])
    tok.add_special_tokens([AddedToken("[MASK]", lstrip=True, normalized=False, special=True)])
    # Legacy merges form ("a b" strings), as older tokenizer.json files have it.
    j = json.loads(tok.to_str())
    j["model"]["merges"] = [" ".join(m) for m in j["model"]["merges"]]
    return Tokenizer.from_str(json.dumps(j))


def xlmr(texts, work):
    corpus = os.path.join(work, "sf.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write("\n".join(texts))
    prefix = os.path.join(work, "spm")
    spm.SentencePieceTrainer.train(input=corpus, model_prefix=prefix, vocab_size=4000, model_type="unigram",
                                   character_coverage=0.9995, input_sentence_size=3000, shuffle_input_sentence=True,
                                   seed_sentencepiece_size=200000, num_threads=1, minloglevel=2)
    conv = importlib.import_module("transformers.convert_slow_tokenizer")

    class Original:  # what XLMRobertaConverter reads from a slow tokenizer
        vocab_file = prefix + ".model"

        @staticmethod
        def convert_tokens_to_ids(t):
            return {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}[t]

    tok = conv.XLMRobertaConverter(Original()).converted()
    tok.add_special_tokens([AddedToken("<pad>", special=True, normalized=False),
                            AddedToken("<unk>", special=True, normalized=False),
                            AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    return tok


def digest(ids, types=None):
    h = hashlib.sha256(struct.pack("<%di" % len(ids), *ids))
    if types is not None:
        h.update(struct.pack("<%di" % len(types), *types))
    return h.hexdigest()[:16]


def encode_single(tok, text):
    tok.enable_truncation(512)
    e = tok.encode(text)
    tok.no_truncation()
    p = tok.encode(text, add_special_tokens=False)
    return e, p


def encode_pair(tok, a, b, n):
    """Truncation only_second, or longest_first where tokenizers refuses it."""
    tok.enable_truncation(n, strategy="only_second")
    try:
        return tok.encode(a, b)
    except Exception:
        tok.enable_truncation(n, strategy="longest_first")
        return tok.encode(a, b)


def collection_texts():
    """All texts in reading order, and the qrels pairs as (query index, document index)."""
    all_texts, pairs = [], []
    for c in COLLECTIONS:
        corpus = read_jsonl(os.path.join(DATA, c, "corpus.jsonl"))
        queries = read_jsonl(os.path.join(DATA, c, "queries.jsonl"))
        doc_index = {d["_id"]: len(all_texts) + i for i, d in enumerate(corpus)}
        all_texts += [doc_text(d) for d in corpus]
        query_index = {q["_id"]: len(all_texts) + i for i, q in enumerate(queries)}
        all_texts += [q["text"] for q in queries]
        with open(os.path.join(DATA, c, "qrels", "test.tsv"), encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
        stride = max(1, len(rows) // 250)
        pairs += [(query_index[q], doc_index[d]) for q, d, _ in rows[::stride] if q in query_index and d in doc_index]
    return all_texts, pairs


def show(index, name):
    text = collection_texts()[0][index]
    tok = Tokenizer.from_file(os.path.join(OUT, "pipelines", name, "tokenizer.json"))
    e, p = encode_single(tok, text)
    print(json.dumps({"text": text, "ids512": e.ids, "types512": e.type_ids, "pieces": p.ids, "tokens": p.tokens},
                     ensure_ascii=False))


def main():
    if SHOW:
        return show(int(SHOW[0]), SHOW[1])
    texts = train_texts()
    work = tempfile.mkdtemp()
    toks = {"roberta": roberta(texts), "xlmr": xlmr(texts, work), "modernbert": modernbert(texts),
            "wordpiece": Tokenizer.from_file(os.path.join(ROOT, "models", "all-MiniLM-L6-v2", "tokenizer.json"))}
    shutil.rmtree(work)
    for name, tok in toks.items():
        tok.no_padding()
        folder = os.path.join(OUT, "pipelines", name)
        os.makedirs(folder, exist_ok=True)
        if name == "wordpiece":
            shutil.copy(os.path.join(ROOT, "models", "all-MiniLM-L6-v2", "tokenizer.json"), folder)
        else:
            tok.save(os.path.join(folder, "tokenizer.json"))
        toks[name] = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))  # exactly what is committed
        toks[name].no_padding()

    all_texts, pairs = collection_texts()

    with gzip.open(os.path.join(OUT, "pipeline_texts.tsv.gz"), "wt", encoding="ascii", compresslevel=9) as f:
        for name in NAMES:
            tok = toks[name]
            tok.enable_truncation(512)
            toks[name + "/512"] = tok.encode_batch(all_texts)
            tok.no_truncation()
            toks[name + "/pieces"] = tok.encode_batch(all_texts, add_special_tokens=False)
        for i in range(len(all_texts)):
            cols = [str(i)]
            for name in NAMES:
                e, p = toks[name + "/512"][i], toks[name + "/pieces"][i]
                cols += [digest(e.ids, e.type_ids), digest(p.ids)]
            f.write("\t".join(cols) + "\n")
    with gzip.open(os.path.join(OUT, "pipeline_pairs.tsv.gz"), "wt", encoding="ascii", compresslevel=9) as f:
        for q, d in pairs:
            cols = [str(q), str(d)]
            for name in NAMES:
                for n in (512, 64):
                    e = encode_pair(toks[name], all_texts[q], all_texts[d], n)
                    cols.append(digest(e.ids, e.type_ids))
            f.write("\t".join(cols) + "\n")

    samples = [("hostile:%d" % i, t) for i, t in enumerate(HOSTILE)]
    samples += [("sample:%d" % i, all_texts[i]) for i in range(0, len(all_texts), 997)]
    hostile_pairs = [(HOSTILE[i], HOSTILE[(i * 7 + 3) % len(HOSTILE)]) for i in range(len(HOSTILE))]
    hostile_pairs += [(all_texts[q], all_texts[d]) for q, d in pairs[::50]]
    with gzip.open(os.path.join(OUT, "pipeline_hostile.jsonl.gz"), "wt", encoding="ascii", compresslevel=9) as f:
        for name in NAMES:
            tok = toks[name]
            for label, text in samples:
                e, p = encode_single(tok, text)
                rec = {"tokenizer": name, "name": label, "text": text, "ids512": e.ids, "pieces": p.ids}
                f.write(json.dumps(rec, ensure_ascii=True, separators=(",", ":")) + "\n")
            for i, (a, b) in enumerate(hostile_pairs):
                encs = []
                for n in (8, 64, 512):
                    e = encode_pair(tok, a, b, n)
                    encs.append({"max": n, "ids": e.ids, "types": e.type_ids})
                rec = {"tokenizer": name, "name": "pair:%d" % i, "first": a, "second": b, "encodings": encs}
                f.write(json.dumps(rec, ensure_ascii=True, separators=(",", ":")) + "\n")
    print("%d texts, %d pairs, %d hostile/sample texts, %d hostile pairs"
          % (len(all_texts), len(pairs), len(samples), len(hostile_pairs)), file=sys.stderr)


if __name__ == "__main__":
    main()
