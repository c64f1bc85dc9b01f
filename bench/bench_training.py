#!/usr/bin/env python3
"""Trained-model benchmarks, each against a baseline measured in the same run:
1. the 4-run moons config (experiments/moons_mlp.yaml: SGD, momentum, Adam, AdamW + warm-up and
   cosine; 2000 steps of batch 64 each) by `trajtool generate` on a cold cache against the same
   training in a plain Python torch loop (bench/python_moons_loop.py), process start included on
   both sides; the time per step of each; the share of trajtool's step spent recording (norms per
   parameter, evaluations, checkpoints), which trajtool measures inside the run;
2. Fashion-MNIST, 5000 training images, MLP 784-128-10, 5 epochs of Adam at batch 64: time and
   final test accuracy.
Prints figures and ratios (wall and CPU time, as other work on the machine skews the wall); asserts
nothing.

usage: /usr/bin/python3 bench/bench_training.py [build-dir]"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
TRAJTOOL = os.path.join(BUILD, "trajtool")
PYTHON = "/usr/bin/python3"
MOONS = os.path.join(ROOT, "experiments", "moons_mlp.yaml")
FASHION = """name: fashion-mlp-bench
dataset: {name: fashion_mnist, limit: 5000}
model: {layers: [784, 128, 10], activation: relu}
epochs: 5
batch_size: 64
record: {eval_every: 100, checkpoint_every: 200, activations: {samples: 16}}
runs:
  - {optimizer: adam, lr: 0.001, label: "Adam"}
"""


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU = {}  # command name -> CPU seconds (user + system) of each run


def timed(cmd):
    t0, c0 = time.perf_counter(), children_cpu()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    CPU.setdefault(os.path.basename(cmd[1] if cmd[0] == PYTHON else cmd[0]), []).append(
        children_cpu() - c0)
    return time.perf_counter() - t0, out


def paths(config, cache, kind=None):
    cmd = [TRAJTOOL, "cache", "path", "--config", config, "--cache-dir", cache]
    if kind:
        cmd += ["--kind", kind]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()


def main():
    tmp = tempfile.mkdtemp(prefix="trajtool_bench_training_")
    cache = os.path.join(tmp, "cache")
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
        colds, pys, steps_us, recording = [], [], [], []
        for _ in range(3):
            shutil.rmtree(cache, ignore_errors=True)
            cold, _ = timed([TRAJTOOL, "generate", "--config", MOONS, "--cache-dir", cache])
            colds.append(cold)
            total = rec = 0.0
            for path in paths(MOONS, cache):
                with h5py.File(path, "r") as f:
                    total += float(f.attrs["wall_seconds"])
                    rec += float(f.attrs["recording_seconds"])
            steps_us.append(total / (4 * 2000) * 1e6)
            recording.append(rec / total)
            dataset = paths(MOONS, cache, "dataset")[0]
            py, out = timed([PYTHON, os.path.join(ROOT, "bench", "python_moons_loop.py"), dataset])
            pys.append((py, float(out.split()[1])))
        cold = statistics.median(colds)
        py = statistics.median(p[0] for p in pys)
        print(f"python torch loop, 4 runs x 2000 steps:  {py:6.2f} s wall, "
              f"{statistics.median(p[1] for p in pys):6.1f} us per step (median of 3)")
        print(f"trajtool generate, cold cache:           {cold:6.2f} s wall, "
              f"{statistics.median(steps_us):6.1f} us per step, runs in parallel  -> "
              f"{py / cold:.2f}x faster (target >= 2x)")
        print(f"recording share of trajtool's step:      {statistics.median(recording) * 100:5.1f} % "
              f"(target < 30 %)")
        py_cpu = statistics.median(CPU["python_moons_loop.py"])
        ours_cpu = statistics.median(CPU["trajtool"])
        print(f"CPU time (user + system, median of 3):   python {py_cpu:6.2f} s, trajtool "
              f"{ours_cpu:6.2f} s -> {py_cpu / ours_cpu:.2f}x less")

        config = os.path.join(tmp, "fashion.yaml")
        with open(config, "w") as f:
            f.write(FASHION)
        shutil.rmtree(cache, ignore_errors=True)
        wall, _ = timed([TRAJTOOL, "generate", "--config", config, "--cache-dir", cache])
        with h5py.File(paths(config, cache)[0], "r") as f:
            accuracy = float(f["eval/test_accuracy"][-1])
            steps = int(f.attrs["rows"])
            run_seconds = float(f.attrs["wall_seconds"])
        print(f"fashion-mnist 5000, MLP 784-128-10, 5 epochs Adam batch 64: {wall:6.2f} s wall "
              f"({steps} steps, training {run_seconds:.2f} s), final test accuracy {accuracy:.4f} "
              f"(target > 0.8)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
