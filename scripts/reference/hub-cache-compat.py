#!/usr/bin/env python3
"""Proves that indexer and huggingface_hub share the Hub cache, both ways, on loopback.

A fake Hub (http.server on 127.0.0.1: the model and tree APIs, resolve with HEAD and GET, ETag /
X-Repo-Commit / X-Linked-Etag / X-Linked-Size headers) serves the tiny e5-style folder of
Tests/InferenceTests/Golden/st-folders (st6). Then:

  1. huggingface_hub's snapshot_download fills cache A; `indexer embed --model hf:org/tiny`
     with HF_HUB_OFFLINE=1 and HF_HUB_CACHE=A works (no server needed) and gives the vectors
     of the plain folder.
  2. indexer (online, HF_ENDPOINT = the fake Hub) fills cache B; huggingface_hub, offline,
     finds the snapshot (snapshot_download(local_files_only=True), scan_cache_dir) and
     sentence-transformers loads it and gives the same vectors as indexer.

Needs the debug binary (swift build) and the Python reference stack.
Run from the package root: python3 scripts/reference/hub-cache-compat.py
"""
import hashlib, http.server, json, os, shutil, subprocess, sys, tempfile, threading
import numpy as np

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
golden = os.path.join(root, "Tests", "InferenceTests", "Golden", "st-folders")
indexer = os.path.join(root, ".build", "debug", "indexer")
COMMIT = "0123456789abcdef0123456789abcdef01234567"
work = tempfile.mkdtemp()
model = os.path.join(work, "model")
shutil.copytree(os.path.join(golden, "st6"), model)
for f in os.listdir(os.path.join(golden, "base")):
    shutil.copy(os.path.join(golden, "base", f), model)
files = sorted(os.path.relpath(os.path.join(d, f), model) for d, _, fs in os.walk(model) for f in fs)

class Hub(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def answer(self, body_wanted):
        path = self.path.split("?")[0]
        if path == "/api/models/org/tiny/revision/main":
            body = json.dumps({"id": "org/tiny", "sha": COMMIT, "siblings": [{"rfilename": f} for f in files]}).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            if body_wanted: self.wfile.write(body)
            return
        if path in (f"/api/models/org/tiny/tree/{COMMIT}", "/api/models/org/tiny/tree/main"):
            entries = [{"type": "file", "path": f, "size": os.path.getsize(os.path.join(model, f)),
                        "oid": hashlib.sha1(open(os.path.join(model, f), "rb").read()).hexdigest()} for f in files]
            body = json.dumps(entries).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            if body_wanted: self.wfile.write(body)
            return
        for rev in ("main", COMMIT):
            prefix = f"/org/tiny/resolve/{rev}/"
            if path.startswith(prefix) and path[len(prefix):] in files:
                data = open(os.path.join(model, path[len(prefix):]), "rb").read()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Repo-Commit", COMMIT)
                if path.endswith(".safetensors"):
                    self.send_header("X-Linked-Etag", '"%s"' % hashlib.sha256(data).hexdigest())
                    self.send_header("X-Linked-Size", str(len(data)))
                self.send_header("ETag", '"%s"' % hashlib.sha1(data).hexdigest())
                self.end_headers()
                if body_wanted: self.wfile.write(data)
                return
        self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self): self.answer(True)
    def do_HEAD(self): self.answer(False)

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
threading.Thread(target=server.serve_forever, daemon=True).start()
endpoint = f"http://127.0.0.1:{server.server_address[1]}"
texts = os.path.join(work, "texts.jsonl")
shutil.copy(os.path.join(golden, "texts.jsonl"), texts)

def embed(model_arg, out, **env):
    e = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    e.update(env)
    subprocess.run([indexer, "embed", "--model", model_arg, "--input", texts, "--out", out, "--as", "query", "--quiet"],
                   env=e, check=True)
    return np.load(out)

def python(code, **env):
    e = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    e.update(env)
    r = subprocess.run([sys.executable, "-c", code], env=e, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(r.stderr[-3000:])
    return r.stdout

plain = embed(model, os.path.join(work, "plain.npy"))
# 1. huggingface_hub fills cache A; indexer reads it offline.
cache_a = os.path.join(work, "cache-a")
python("from huggingface_hub import snapshot_download; print(snapshot_download('org/tiny'))", HF_ENDPOINT=endpoint, HF_HUB_CACHE=cache_a)
a = embed("hf:org/tiny", os.path.join(work, "a.npy"), HF_HUB_OFFLINE="1", HF_HUB_CACHE=cache_a)
assert np.array_equal(a, plain), "indexer on huggingface_hub's cache differs from the folder"
print(f"1. snapshot_download cache read by indexer offline: {a.shape[0]} vectors identical to the folder's")
# 2. indexer fills cache B; huggingface_hub and sentence-transformers read it offline.
cache_b = os.path.join(work, "cache-b")
b = embed("hf:org/tiny", os.path.join(work, "b.npy"), HF_ENDPOINT=endpoint, HF_HUB_CACHE=cache_b)
assert np.array_equal(b, plain)
server.shutdown()
out = python(f"""
import json, numpy as np
from huggingface_hub import snapshot_download, scan_cache_dir
from sentence_transformers import SentenceTransformer
path = snapshot_download('org/tiny', local_files_only=True)
info = scan_cache_dir()
repo = [r for r in info.repos if r.repo_id == 'org/tiny'][0]
rev = list(repo.revisions)[0]
assert rev.commit_hash == '{COMMIT}' and 'main' in rev.refs, (rev.commit_hash, rev.refs)
texts = [json.loads(l)['text'] for l in open('{texts}', encoding='utf-8')]
v = SentenceTransformer(path, device='cpu').encode_query(texts, convert_to_numpy=True)
b = np.load('{os.path.join(work, "b.npy")}')
cos = (v * b).sum(1) / np.linalg.norm(v, axis=1) / np.linalg.norm(b, axis=1)
print(path, len(rev.files), float(cos.min()))
""", HF_HUB_OFFLINE="1", HF_HUB_CACHE=cache_b)
path, nfiles, mincos = out.split()[-3:]
assert float(mincos) >= 0.99999, mincos
print(f"2. indexer's cache read by huggingface_hub offline: snapshot {os.path.relpath(path, cache_b)}, {nfiles} files, "
      f"refs/main; sentence-transformers on it vs indexer: min cosine {float(mincos):.9f}")
shutil.rmtree(work)
