#!/usr/bin/env python3
"""The layer check must fail on a tree with an include that runs upwards, and on a file in a
folder without a layer: copies the tree's C++ files, adds each fault in turn, runs the check.

usage: catch_violation.py CHECK_SCRIPT SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile


def copy_sources(src, dst):
    for top, dirs, files in os.walk(src):
        rel = os.path.relpath(top, src)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in ("tests", "bench", "build", ".git")
                       and not d.startswith("build-")]
        for name in files:
            if name.endswith((".h", ".cc")):
                os.makedirs(os.path.join(dst, rel), exist_ok=True)
                shutil.copy(os.path.join(top, name), os.path.join(dst, rel, name))


def check(script, tree):
    return subprocess.run([sys.executable, script, tree], capture_output=True, text=True)


def main():
    script, source = sys.argv[1], sys.argv[2]
    faults = {
        "upwards": ("toolkit/core/error.h", '#include "toolkit/cli/commands.h"\n',
                    "toolkit/cli is above toolkit/core"),
        "sideways": ("cache/cache_store.h", '#include "optimizers/catalog.h"\n',
                     "optimizers is in the same layer as cache"),
        "no layer": ("newfolder/thing.h", "#pragma once\n", "its folder has no layer"),
    }
    failed = 0
    for name, (path, text, expected) in faults.items():
        with tempfile.TemporaryDirectory() as tree:
            copy_sources(source, tree)
            clean = check(script, tree)
            if clean.returncode != 0:
                print(f"the copied tree fails before the fault:\n{clean.stderr}", file=sys.stderr)
                return 1
            os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
            with open(os.path.join(tree, path), "a", encoding="utf-8") as f:
                f.write(text)
            result = check(script, tree)
            if result.returncode != 1 or expected not in result.stderr:
                print(f"{name}: expected exit 1 and '{expected}', got {result.returncode}:\n"
                      f"{result.stderr}", file=sys.stderr)
                failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
