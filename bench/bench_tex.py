#!/usr/bin/env python3
"""Formula benchmark: `trajtool render OptimizerComparison -qm` with an empty TeX cache (every
formula typeset by LaTeX in one run) and with a warm one (no TeX process), against the same render
by a trajtool built before formulas were typeset by TeX (its hand-written typesetter), measured in
the same run. Targets: cold at most 2 s slower than the baseline, warm no slower. Prints the time of
the single TeX run and the number of formulas it compiled (from the formula entries the cold run
wrote: their count, and their wall_seconds, each the run's time over the count, summed). The data
entries are generated once beforehand and shared; only the formulas/ folder is emptied for a cold
run. Runs are interleaved and each figure is the median of --reps runs; CPU time (user + sys,
children included) is printed beside wall time, as it depends less on what else the machine
runs. Asserts nothing.

usage: /usr/bin/python3 bench/bench_tex.py BASELINE_TRAJTOOL [build-dir] [--reps N]
  e.g. git worktree add /tmp/tex-base <commit before the change> && build it there, then
       bench/bench_tex.py /tmp/tex-base/build/trajtool build"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def render(trajtool, cache, out):
    """Wall seconds and CPU seconds (user + sys, the render's own and its children's: latex and
    dvisvgm) of one render."""
    t0 = time.perf_counter()
    child = subprocess.Popen([trajtool, "render", "OptimizerComparison", "-qm", "--cache-dir", cache,
                              "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"{trajtool} render failed: {stderr}")
    return seconds, usage.ru_utime + usage.ru_stime


def formula_entries(cache):
    """(count, summed wall_seconds) of the formula entries under `cache`."""
    import h5py
    folder = os.path.join(cache, "formulas")
    names = sorted(n for n in os.listdir(folder) if n.endswith(".h5")) if os.path.isdir(folder) else []
    total = 0.0
    for name in names:
        with h5py.File(os.path.join(folder, name), "r") as f:
            total += float(f.attrs["wall_seconds"])
    return len(names), total


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--reps")]
    reps = 3
    for a in sys.argv[1:]:
        if a.startswith("--reps="):
            reps = int(a.split("=", 1)[1])
    if not args:
        sys.exit(__doc__)
    baseline = os.path.abspath(args[0])
    build = os.path.abspath(args[1] if len(args) > 1 else os.path.join(ROOT, "build"))
    trajtool = os.path.join(build, "trajtool")
    tmp = tempfile.mkdtemp(prefix="trajtool_tex_bench_")
    cache = os.path.join(tmp, "cache")
    out = os.path.join(tmp, "out.mp4")
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
        subprocess.run([trajtool, "render", "OptimizerComparison", "-ql", "--generate",
                        "--cache-dir", cache, "-o", out], check=True, capture_output=True)
        base, cold, warm, tex_runs = [], [], [], []
        for _ in range(reps):
            base.append(render(baseline, cache, out))
            shutil.rmtree(os.path.join(cache, "formulas"), ignore_errors=True)
            cold.append(render(trajtool, cache, out))
            tex_runs.append(formula_entries(cache))
            if tex_runs[-1][0] == 0:
                raise RuntimeError("the cold render typeset nothing")
            warm.append(render(trajtool, cache, out))
            if formula_entries(cache) != tex_runs[-1]:
                raise RuntimeError("the warm render typeset again")
        med = lambda runs, k: statistics.median(r[k] for r in runs)
        n, tex_s = sorted(tex_runs, key=lambda r: r[1])[len(tex_runs) // 2]
        print(f"OptimizerComparison -qm, median of {reps}, wall / CPU (user+sys) seconds:")
        b, bc = med(base, 0), med(base, 1)
        print(f"  baseline (hand-written typesetter): {b:.2f} s / {bc:.2f} s")
        c, cc = med(cold, 0), med(cold, 1)
        print(f"  TeX, empty formula cache: {c:.2f} s ({c - b:+.2f} s) / {cc:.2f} s ({cc - bc:+.2f} s);"
              f" target <= +2 s. One TeX run of {n} formulas in {tex_s:.2f} s "
              f"(each run: {', '.join(f'{s:.2f}' for _, s in tex_runs)} s)")
        w, wc = med(warm, 0), med(warm, 1)
        print(f"  TeX, warm formula cache: {w:.2f} s ({w / b:.3f}x) / {wc:.2f} s ({wc / bc:.3f}x);"
              f" target <= 1x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
