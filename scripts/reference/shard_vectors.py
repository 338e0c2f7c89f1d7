"""Reads the vectors and ids of an indexer index built with `--codec none` (docs/FORMAT.md).

Reference code for benchmarks only (numpy; no checksums are checked: run `indexer verify`).
"""
import json
import os
import struct

import numpy as np


def _sections(buf):
    table_off, entries, _crc = struct.unpack_from("<QII", buf, len(buf) - 24)
    assert bytes(buf[len(buf) - 8:]) == b"IDXSEND\0", "unfinished shard"
    out = {}
    for i in range(entries):
        kind, _flags, off, length, _crc, _ = struct.unpack_from("<IIQQII", buf, table_off + 32 * i)
        out[kind] = (off, length)
    return out


def _directory(buf, sec):
    off, length = sec
    return [struct.unpack_from("<QQIIII", buf, off + 32 * i) for i in range(length // 32)]


def read_shard(path):
    """(vectors float32 [n, d] (a view of the file for f32), ids list) of one shard."""
    with open(path, "rb") as f:
        buf = np.memmap(f, dtype=np.uint8, mode="r")
    dim, enc, codec = struct.unpack_from("<IBB", buf, 24)
    assert codec == 0, "the benchmark reader needs --codec none"
    assert enc in (1, 3), "f32 or int8 only"
    sec = _sections(buf)
    blocks = []
    for first, off, rows, raw, stored, _crc in _directory(buf, sec[2]):
        if enc == 1:
            blocks.append(np.frombuffer(buf, dtype="<f4", count=rows * dim, offset=off).reshape(rows, dim))
        else:
            scales = np.frombuffer(buf, dtype="<f4", count=rows, offset=off)
            codes = np.frombuffer(buf, dtype=np.int8, count=rows * dim, offset=off + 4 * rows).reshape(rows, dim)
            blocks.append(codes.astype(np.float32) * scales[:, None])
    ids = []
    for first, off, rows, raw, stored, _crc in _directory(buf, sec[4]):
        n = struct.unpack_from("<I", buf, off)[0]
        ends = struct.unpack_from("<%dI" % (n + 1), buf, off + 4)
        data = bytes(buf[off + 4 + 4 * (n + 1): off + raw])
        ids.extend(data[ends[k]:ends[k + 1]].decode("utf-8") for k in range(n))
    vectors = blocks[0] if len(blocks) == 1 else np.concatenate(blocks)
    return vectors, ids


def read_index(directory):
    """Vectors and ids of every shard of an index, shard by shard."""
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    parts = [read_shard(os.path.join(directory, s["file"])) for s in manifest["shards"]]
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p[0] for p in parts]), [i for p in parts for i in p[1]]
