#!/usr/bin/env python3
"""Build benchmark: `trajtool build` of the shipped seminar manifest
(experiments/seminars/03_optimizers.yaml) with a fresh cache and output folder: the cold build,
a rebuild with nothing to do, and a rebuild after one scene's `title` parameter changed, each timed,
with the entries generated and scenes rendered that its summary line reports. Prints figures;
asserts nothing.

The manifest is copied to a temporary folder (its output folder pointed there) so that its title
can be changed (the Rosenbrock TrajectoryComparison's `title` parameter).

usage: /usr/bin/python3 bench/bench_build.py [build-dir] [-j N]"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:] if not a.startswith("-j")]
JOBS = [a for a in sys.argv[1:] if a.startswith("-j")]
BUILD = os.path.abspath(ARGS[0] if ARGS else os.path.join(ROOT, "build"))
TRAJTOOL = os.path.join(BUILD, "trajtool")
MANIFEST = os.path.join(ROOT, "experiments", "seminars", "03_optimizers.yaml")
TITLED = "    output: rosenbrock\n"  # the scene whose title the third build changes
SUMMARY = re.compile(r"(\d+) entr(?:y|ies) generated, (\d+) scenes? rendered, (\d+) up to date, "
                     r"(\d+) failed")

def build(manifest, cache, cwd):
    """Wall seconds and the summary's (generated, rendered, up to date, failed)."""
    t0 = time.perf_counter()
    done = subprocess.run([TRAJTOOL, "build", manifest, "--cache-dir", cache] + JOBS, cwd=cwd,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    match = SUMMARY.search(done.stdout)
    if done.returncode != 0 or not match:
        raise RuntimeError(f"build failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds, tuple(int(g) for g in match.groups())

def write_manifest(path, text, output, title):
    text = re.sub(r"(?m)^output: .*$", f"output: {output}", text, count=1)
    if title is not None:
        if TITLED not in text:
            raise RuntimeError(f"{MANIFEST} has no scene with `{TITLED.strip()}`")
        text = text.replace(TITLED, f'{TITLED}    params: {{title: "{title}"}}\n', 1)
    with open(path, "w") as f:
        f.write(text)

def main():
    tmp = tempfile.mkdtemp(prefix="trajtool_build_bench_")
    cache = os.path.join(tmp, "cache")
    output = os.path.join(tmp, "out")
    manifest = os.path.join(tmp, "03_optimizers.yaml")
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
        with open(MANIFEST) as f:
            shipped = f.read()
        # The cwd is the source tree, as for a user; every path written is in the temporary folder.
        write_manifest(manifest, shipped, output, None)
        rows = [("cold build",) + build(manifest, cache, ROOT)]
        noop = [build(manifest, cache, ROOT) for _ in range(10)]
        rows.append(("no-op rebuild (median of 10)", statistics.median(t for t, _ in noop),
                     noop[0][1]))
        write_manifest(manifest, shipped, output, "Rosenbrock, retitled")
        rows.append(("rebuild after one title change",) + build(manifest, cache, ROOT))
        print(f"{'build':32} {'time':>10} {'generated':>10} {'rendered':>9} {'up to date':>11}")
        for name, seconds, (generated, rendered, up_to_date, failed) in rows:
            time_text = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
            print(f"{name:32} {time_text:>10} {generated:>10} {rendered:>9} {up_to_date:>11}"
                  + (f"  ({failed} failed)" if failed else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    main()
