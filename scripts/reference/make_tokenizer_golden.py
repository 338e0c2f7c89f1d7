#!/usr/bin/env python3
"""Golden files for the Tokenization module, from HF `tokenizers` (the Rust library).

Needs the Python reference stack (scripts/setup-reference): the `tokenizers` package, used
directly as `tokenizers.Tokenizer.from_file(models/all-MiniLM-L6-v2/tokenizer.json)`, which is
what transformers' AutoTokenizer (fast) runs underneath. Padding from tokenizer.json is
switched off; truncation is set per call as stated below.

Writes, into Tests/TokenizationTests/Golden/:
  tokenizer_golden.jsonl.gz  one JSON object a line:
    {"kind":"single","source":..,"text":..,"ids256":[..],"ids512":[..],"pieces":[..]?}
        ids256 / ids512: encode(text) truncated to 256 / 512 (special tokens included);
        pieces (hostile texts only): encode(text, add_special_tokens=False), no truncation.
    {"kind":"pair","source":..,"first":..,"second":..,
     "encodings":[{"max":N,"ids":[..],"types":[..],"fallback":bool},..]}
        encode(first, second) with truncation only_second to N (512 and 64; hostile pairs also
        8, 3); where tokenizers rejects only_second (first leaves no room), longest_first
        instead, and fallback=true.
  bert_unicode.tsv.gz  what the normaliser and pre-tokeniser do with every code point alone:
    "FIRST[-LAST]<TAB>OUTPUT<TAB>ROLES" for every code point whose normal form is not itself
    or that is not a plain word character; OUTPUT is "=" (itself) or hex scalars separated by
    spaces, ROLES one letter per output scalar: s space, p punctuation, n word.

Texts: SciFact and NFCorpus documents (title + " " + text) and queries, sampled by a fixed
stride; hand-written hostile strings; seeded random strings over many Unicode blocks; pairs
from the test qrels. Usage: scripts/reference/make_tokenizer_golden.py [DATA_DIR]
"""
import gzip
import json
import os
import random
import sys

from tokenizers import Tokenizer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "Tests", "TokenizationTests", "Golden")

tok = Tokenizer.from_file(os.path.join(ROOT, "models", "all-MiniLM-L6-v2", "tokenizer.json"))
tok.no_padding()


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def doc_text(d):
    return (d.get("title") or "") + " " + (d.get("text") or "")


HOSTILE = [
    "", " ", "\t\n\r  ", "\u00a0\u2003\u3000\u2028\u2029\u0085", "\u000b\u000c",
    "Café naïve résumé Ångström façade Crème Brûlée", "ÀÉÎÕÜ àéîõü ÇÑ ÿ", "e\u0301 a\u0308 o\u0303",
    "a\u0300\u0301\u0302b", "\u0301start", "x\u20dd enclosing \u20e3", "\u0345\u0399 ypogegrammeni",
    "x\U0001D16D\U0001D165y", "x\u302e\U0001D165\U0001D16Dz", "q\u0f71\u0f72\u0f80",
    "\u0915\u094d\u0937 \u0938\u0902\u0938\u094d\u0915\u0943\u0924 देवनागरी",
    "我爱北京天安门", "日本語のテキストとカタカナ、ひらがな。", "한국어 텍스트입니다", "BERT模型uses中文and日本",
    "\U00020000\U00020001\U0002A6D6 \U0002B740 \U0002CEAF", "\uf900\ufa0e\ufa6d \U0002F800\U0002FA1D",
    "I \u2764\ufe0f NY \U0001F44D\U0001F3FD \U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466 \U0001F1EB\U0001F1F7",
    "\U0001F970\U0001FAE8 new emoji \U0001F600", "a\u0000b\u0001c\u0007d\u001fe\u007ff\u0085g\u009fh",
    "zero\u200bwidth\u200cjoin\u200dner\ufeffbom\u2060wj\u00adsoft",
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 bidi",
    "مرحبا بالعالم! كيف حالك؟", "שָׁלוֹם עוֹלָם", "\u202eRTL override\u202c text", "\u0600\u0601 arabic number sign",
    "a" * 100, "a" * 101, "supercalifragilistic" * 6, "x" * 150 + " ok", "é" * 100, "é" * 101,
    "\u4e00" * 120, "word" + "\u0301" * 200, "ab" + "\u200b" * 150 + "cd",
    "ΣΊΣΥΦΟΣ Ὀδυσσεύς ΆΈΉ ς σ Σ", "Привет, мир! ЁЖИК ёжик Ўў Її", "İstanbul ıi İI ŞĞÜÇÖ şğüçö", "I\u0307 \u0130",
    "ＡＢＣ１２３！？（）", "ｶﾀｶﾅ ﾊﾟ", "∀x∈ℝ: x² ≥ 0 ∑∫√∞ ≠ ≤ ± ∂ ∇ ⊕ ⊗", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐁𝐨𝐥𝐝 𝟙𝟚𝟛",
    "bad\ufffdbyte", "\ufffd", "\ufffd\ufffd a", "\ue000abc\uf8ff \U000F0000 \U0010FFFD",
    "\ufffe\uffff nonchars \U0001FFFE", "\u0378\u0379 unassigned \U000E0001 tag",
    "[CLS] hello [SEP] world [MASK]", "foo[SEP]bar[PAD]baz", "[cls] [Sep] [UNK ]", "[UNK][UNK]", "[PAD", "[[SEP]]",
    "Hello, world! (test) [x] {y} <z> a-b_c$d+e^f`g|h~i", "“quotes” ‘single’ «guillemets» — dash … ellipsis",
    "¿Qué? ¡Sí! ‰ ‱ † ‡ • ※ ‼ ⁇", "!!!???...", "@#$%^&*()_+-=[]{}|;':\",./<>?`~\\",
    "3.14159 1,000,000 10^-3 H2O CO₂ ½ ¾ ⅓ Ⅻ", "\u166d\u1734\u1885\u1886\ua9bd\U000111c9\U0001171e\U00011938",
    "a\u166db a\u1734b a\u1885b a\ua9bdb a\U000111c9b a\U0001171eb a\U00011938b",
    "\u061d\u08e2\u0890 newer \u2e4f \U0001145a", "ǅ Ǆ ǆ ǈ", "ẞ ß Straße STRASSE", "\u212a \u212b \u2126 Kelvin Ångström Ohm",
    "ﬁﬂ ﬀ ﬃ ligatures", "HeLLo WoRLD ThIs Is MiXeD", "new\nline\ttab\rreturn", "tab\there", "Ⓐⓑⓒ ⑴ ⒜",
    "\u1100\u1161\u11a8 jamo \uac00\ud7a3", "mañana niño Ñandú", "Việt Nam Tiếng Việt", "Łódź Kraków Gdańsk",
    "naïve coöperate", "ﷺ ﷽", "\u0e01\u0e34\u0e19 ภาษาไทย", "ትግርኛ ᎠᏍᎦᏯ ᐃᓄᒃᑎᑐᑦ", "\u1e9b\u0323 dot",
    "ǰ ΐ ΰ ẖ ẗ ẘ ẙ ẚ", "A\u030a\u0323 \u0041\u0323\u030a", "ⅰⅱⅲ ⓐ ℌ ℍ", "\u00b5 \u03bc \u1d6b",
]


def random_texts(n, seed):
    rng = random.Random(seed)
    blocks = [
        (0x20, 0x7E), (0x00, 0x1F), (0xA0, 0x24F), (0x300, 0x36F), (0x370, 0x3FF), (0x400, 0x4FF),
        (0x590, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F), (0x1100, 0x11FF), (0x1E00, 0x1FFF),
        (0x2000, 0x206F), (0x20A0, 0x22FF), (0x3000, 0x30FF), (0x4E00, 0x4FFF), (0xAC00, 0xAD00),
        (0xF900, 0xFAFF), (0xFE00, 0xFE6F), (0xFF00, 0xFFFF), (0x1D100, 0x1D1FF), (0x1F300, 0x1FAFF),
        (0x20000, 0x20100), (0xE000, 0xE0FF), (0x0, 0x10FFFF),
    ]
    out = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randint(1, 60)):
            if rng.random() < 0.15:
                chars.append(" ")
                continue
            lo, hi = rng.choice(blocks)
            cp = rng.randint(lo, hi)
            if 0xD800 <= cp <= 0xDFFF:
                cp = 0xFFFD
            chars.append(chr(cp))
        out.append("".join(chars))
    return out


def single(source, text, pieces=False):
    rec = {"kind": "single", "source": source, "text": text}
    for n in (256, 512):
        tok.enable_truncation(n)
        rec["ids%d" % n] = tok.encode(text).ids
    if pieces:
        tok.no_truncation()
        rec["pieces"] = tok.encode(text, add_special_tokens=False).ids
    return rec


def pair(source, first, second, lengths):
    encodings = []
    for n in lengths:
        tok.enable_truncation(n, strategy="only_second")
        fallback = False
        try:
            e = tok.encode(first, second)
        except Exception:
            tok.enable_truncation(n, strategy="longest_first")
            e = tok.encode(first, second)
            fallback = True
        encodings.append({"max": n, "ids": e.ids, "types": e.type_ids, "fallback": fallback})
    return {"kind": "pair", "source": source, "first": first, "second": second, "encodings": encodings}


def main():
    records = []
    docs, queries = {}, {}
    for name, doc_stride, query_stride in (("scifact", 12, 3), ("nfcorpus", 8, 8)):
        corpus = read_jsonl(os.path.join(DATA, name, "corpus.jsonl"))
        qs = read_jsonl(os.path.join(DATA, name, "queries.jsonl"))
        docs[name] = {d["_id"]: doc_text(d) for d in corpus}
        queries[name] = {q["_id"]: q["text"] for q in qs}
        for d in corpus[::doc_stride]:
            records.append(single("%s-doc:%s" % (name, d["_id"]), doc_text(d)))
        for q in qs[::query_stride]:
            records.append(single("%s-query:%s" % (name, q["_id"]), q["text"]))
    for i, text in enumerate(HOSTILE):
        records.append(single("hostile:%d" % i, text, pieces=True))
    randoms = random_texts(300, 20261124)
    for i, text in enumerate(randoms):
        records.append(single("random:%d" % i, text, pieces=True))
    # Long texts: several documents joined, well past 512 pieces.
    sci = list(docs["scifact"].values())
    for i in range(10):
        records.append(single("long:%d" % i, " ".join(sci[i * 7:(i + 1) * 7]), pieces=(i < 3)))

    # Pairs from the test qrels, sampled by stride; then hostile pairs.
    for name, stride in (("scifact", 1), ("nfcorpus", 40)):
        with open(os.path.join(DATA, name, "qrels", "test.tsv"), encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
        for qid, did, _ in rows[::stride][:320]:
            if qid in queries[name] and did in docs[name]:
                records.append(pair("%s-pair:%s/%s" % (name, qid, did), queries[name][qid], docs[name][did], (512, 64)))
    long_doc = " ".join(sci[:3])
    hostile_pairs = [("", ""), ("", long_doc), ("query", ""), (long_doc, "short doc"), (long_doc, long_doc),
                     (" ".join(["word"] * 61), long_doc), (" ".join(["word"] * 60), long_doc),
                     (" ".join(["word"] * 62), "a b c"), (" ".join(["word"] * 100), " ".join(["doc"] * 40)),
                     ("[SEP] query [CLS]", "doc [MASK] text")]
    hostile_pairs += [(HOSTILE[i], sci[i]) for i in range(0, len(HOSTILE), 4)]
    hostile_pairs += [(randoms[i], randoms[i + 1]) for i in range(0, 40, 2)]
    for i, (a, b) in enumerate(hostile_pairs):
        records.append(pair("hostile-pair:%d" % i, a, b, (512, 64, 8, 3)))

    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "tokenizer_golden.jsonl.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        for r in records:
            f.write((json.dumps(r, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii"))
    singles = sum(r["kind"] == "single" for r in records)
    print("%s: %d singles, %d pairs" % (path, singles, len(records) - singles), file=sys.stderr)

    write_unicode_table(os.path.join(OUT, "bert_unicode.tsv.gz"))


def write_unicode_table(path):
    norm, pre = tok.normalizer, tok.pre_tokenizer
    role_cache = {}

    def role(ch):
        if ch not in role_cache:
            if ch == " ":
                role_cache[ch] = "s"
            else:
                parts = len(pre.pre_tokenize_str("a" + ch + "b"))
                role_cache[ch] = {3: "p", 2: "s"}.get(parts, "n")
        return role_cache[ch]

    rows = []  # [first, last, output, roles]
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        s = norm.normalize_str(c)
        roles = "".join(role(ch) for ch in s)
        if s == c and roles == "n":
            continue
        out = "=" if s == c else " ".join("%x" % ord(ch) for ch in s)
        if rows and rows[-1][1] == cp - 1 and rows[-1][2] == out and rows[-1][3] == roles and out in ("=", ""):
            rows[-1][1] = cp
        else:
            rows.append([cp, cp, out, roles])
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        for first, last, out, roles in rows:
            key = "%x" % first if first == last else "%x-%x" % (first, last)
            f.write(("%s\t%s\t%s\n" % (key, out, roles)).encode("ascii"))
    print("%s: %d rows" % (path, len(rows)), file=sys.stderr)


if __name__ == "__main__":
    main()
