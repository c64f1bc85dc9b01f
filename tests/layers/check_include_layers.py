#!/usr/bin/env python3
"""Fails when an #include runs against the layers of the source tree.

The layers, bottom up. A file may include files of its own folder and of folders in lower layers,
never of a folder in its own layer or above: so no folder-level include cycle can appear. A file's
folder is the longest folder below that holds it (viz/scenes/ belongs to viz). Every C++ file
outside tests/ and bench/ must belong to a folder listed here, so a new folder gets its place.

usage: check_include_layers.py SOURCE_DIR
"""
import os
import re
import sys

LAYERS = [
    ["toolkit/core"],
    ["objectives"],
    ["optimizers", "cache"],
    ["toolkit/config", "toolkit/pipeline"],
    ["viz", "toolkit/build"],
    ["toolkit/cli"],
]
SKIPPED = ("tests", "bench", "build", ".git")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of():
    return {folder: i for i, layer in enumerate(LAYERS) for folder in layer}


def folder_of(path, layers):
    best = None
    for folder in layers:
        if (path == folder or path.startswith(folder + "/")) and (
                best is None or len(folder) > len(best)):
            best = folder
    return best


def violations(root):
    layers = layer_of()
    found = []
    for top, dirs, files in os.walk(root):
        rel_top = os.path.relpath(top, root)
        if rel_top == ".":
            dirs[:] = [d for d in dirs if d not in SKIPPED and not d.startswith("build-")]
        for name in files:
            if not name.endswith((".h", ".cc")):
                continue
            rel = os.path.normpath(os.path.join(rel_top, name))
            here = folder_of(rel, layers)
            if here is None:
                found.append(f"{rel}: its folder has no layer in {__file__}")
                continue
            with open(os.path.join(root, rel), encoding="utf-8") as f:
                for line_no, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    there = folder_of(m.group(1), layers)
                    if there is None or there == here:
                        continue  # a system-like header or our own folder
                    if layers[there] >= layers[here]:
                        found.append(f"{rel}:{line_no}: includes \"{m.group(1)}\": {there} is "
                                     f"{'in the same layer as' if layers[there] == layers[here] else 'above'} "
                                     f"{here}")
    return found


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = violations(sys.argv[1])
    for v in found:
        print(v, file=sys.stderr)
    if found:
        print(f"{len(found)} include(s) against the layers (bottom up): "
              + " <- ".join(", ".join(layer) for layer in LAYERS), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
