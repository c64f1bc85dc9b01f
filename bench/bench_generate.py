#!/usr/bin/env python3
"""Data-stage benchmark: `trajtool generate` of the 4-run Rosenbrock experiment against the same runs
in a Python torch.optim loop (process start included on both sides), the cache-hit path, and a
batched sweep of 4096 start points x 1000 Adam steps. Prints figures and ratios; asserts nothing.

usage: /usr/bin/python3 bench/bench_generate.py [build-dir]"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
TRAJTOOL = os.path.join(BUILD, "trajtool")
PYTHON = "/usr/bin/python3"

SWEEP = """name: sweep
objective: rosenbrock
start: {grid: [[-2, 2], [-1, 3]], n: [64, 64]}
steps: 1000
runs:
  - {optimizer: adam, lr: 0.01}
"""

def timed(cmd, env=None):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t0

def median_of(n, make_cmd, before=None):
    times = []
    for _ in range(n):
        if before:
            before()
        times.append(timed(make_cmd()))
    return statistics.median(times)

def main():
    tmp = tempfile.mkdtemp(prefix="trajtool_bench_")
    cache = os.path.join(tmp, "cache")
    config = os.path.join(ROOT, "experiments", "adam.yaml")
    clear = lambda: shutil.rmtree(cache, ignore_errors=True)
    gen = lambda: [TRAJTOOL, "generate", "--config", config, "--cache-dir", cache]
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
        py = median_of(5, lambda: [PYTHON, os.path.join(ROOT, "bench", "python_rosenbrock_loop.py")])
        cold = median_of(5, gen, before=clear)
        hit = median_of(10, gen)
        print(f"python torch.optim loop, 4 runs x 300 steps: {py * 1000:8.1f} ms (median of 5)")
        print(f"trajtool generate, cold cache:              {cold * 1000:8.1f} ms (median of 5)"
              f"  -> {py / cold:.2f}x faster (target >= 2x)")
        print(f"trajtool generate, cache hit:               {hit * 1000:8.1f} ms (median of 10)"
              f"  (target < 50 ms)")
        sweep_config = os.path.join(tmp, "sweep.yaml")
        with open(sweep_config, "w") as f:
            f.write(SWEEP)
        clear()
        sweep = timed([TRAJTOOL, "generate", "--config", sweep_config, "--cache-dir", cache])
        path = subprocess.run([TRAJTOOL, "cache", "path", "--config", sweep_config, "--cache-dir",
                               cache], check=True, capture_output=True, text=True).stdout.split()[0]
        import h5py
        with h5py.File(path, "r") as f:
            run_seconds = float(f.attrs["wall_seconds"])
            shape = f["params"].shape
        print(f"sweep 4096 starts x 1000 Adam steps, cold:  {sweep * 1000:8.1f} ms end to end"
              f" (LibTorch load, run, 147 MB HDF5 write); the batched run itself"
              f" {run_seconds * 1000:.1f} ms  (target < 3000 ms); params {shape}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    main()
