#!/usr/bin/python3
"""Reads one trajtool trajectory cache file with h5py and prints its final parameters, its final
loss and its optimizer-state series. Checks the stored checksum the way trajtool does.

Usage: /usr/bin/python3 docs/read_cache_example.py .cache/trajectories/<key>.h5
Layout: docs/cache-format.md.
"""
import hashlib
import json
import sys

import h5py
import numpy as np

SCHEMA_VERSION = 1


def text(value):
    """h5py returns variable-length string attributes as str (older versions: bytes)."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def dataset_paths(f):
    """Every dataset in the file, as 'params' or 'state/exp_avg'."""
    paths = []
    f.visititems(lambda name, obj: paths.append(name) if isinstance(obj, h5py.Dataset) else None)
    return paths


def checksum(f):
    """sha256 over "<path> <sha256 hex of the dataset's little-endian bytes>\\n", sorted by path."""
    lines = []
    for path in sorted(dataset_paths(f), key=lambda p: p.encode("utf-8")):
        data = f[path][()]
        data = data.astype(data.dtype.newbyteorder("<"), copy=False)
        digest = hashlib.sha256(np.ascontiguousarray(data).tobytes()).hexdigest()
        lines.append(f"{path} {digest}\n")
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def main(path):
    with h5py.File(path, "r") as f:
        attrs = f.attrs
        if int(attrs["schema_version"]) != SCHEMA_VERSION:
            sys.exit(f"{path}: schema_version {attrs['schema_version']}, expected {SCHEMA_VERSION}")
        if text(attrs["kind"]) != "trajectory":
            sys.exit(f"{path}: not a trajectory file (kind {text(attrs['kind'])})")
        stored = text(attrs["checksum"])
        actual = checksum(f)
        if stored != actual:
            sys.exit(f"{path}: checksum mismatch: stored {stored}, data hashes to {actual}")

        config = json.loads(text(attrs["config_json"])) if text(attrs["config_json"]) else {}
        batch = int(attrs["batch"])
        params = f["params"][()].astype(np.float64)  # [rows, dim] or [N, rows, dim]
        loss = f["loss"][()].astype(np.float64)      # [rows] or [N, rows]
        print(f"key: {text(attrs['key'])}")
        print(f"label: {text(attrs['label'])}")
        print(f"dtype: {text(attrs['dtype'])}")
        print(f"rows: {int(attrs['rows'])}")
        print(f"batch: {batch}")
        print(f"diverged_at: {int(attrs['diverged_at'])}")
        print(f"config keys: {' '.join(sorted(config))}")
        print("checksum: ok")
        if batch > 0:  # a sweep: show the first start point
            params, loss = params[0], loss[0]
        # repr() of a Python float is the shortest text that reads back to the same double.
        print("final_params: " + " ".join(repr(float(v)) for v in params[-1]))
        print("final_loss: " + repr(float(loss[-1])))
        for name, series in f["state"].items():
            values = series[()].astype(np.float64)
            if batch > 0:
                values = values[0]
            last = values[-1] if values.shape[0] > 0 else np.array([])
            flat = np.atleast_1d(last).ravel()
            print(f"state {name}: shape {list(series.shape)} last: "
                  + " ".join(repr(float(v)) for v in flat))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read_cache_example.py <trajectory .h5 file>")
    main(sys.argv[1])
