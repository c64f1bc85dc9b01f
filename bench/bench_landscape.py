#!/usr/bin/env python3
"""Loss-landscape benchmark against a baseline measured in the same run.

A 51x51 landscape (random filter-normalized directions) of a 2-32-32-2 MLP on 1000 training
samples (moons), made by `trajtool generate` (process start and cache reads included; the two
runs are trained first, untimed), against the reference method in Python torch (Li et al.'s
loss-landscape code, without MPI): for each grid point, set the weights center + x dx + y dy on
the nn.Sequential, one forward pass of the whole set, loss and accuracy; a loop over the points.
Both use the same center and directions (read from trajtool's entry) and their losses are
compared. Then a 201x201 landscape of the same model by trajtool, timed (target: under 15 s).
Prints points per second and the ratio; asserts nothing.

usage: /usr/bin/python3 bench/bench_landscape.py [build-dir]"""
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
TRAJTOOL = os.path.join(BUILD, "trajtool")
CONFIG = """name: landscape-bench
dataset: {{name: moons, samples: 1250, noise: 0.2, test_fraction: 0.2, seed: 0}}
model: {{layers: [2, 32, 32, 2], activation: relu}}
loss: cross_entropy
steps: 300
seed: 0
record: {{eval_every: 50, checkpoint_every: 50, activations: {{samples: 4}}, boundary: {{n: 8}}}}
runs:
  - {{optimizer: sgd, lr: 0.2, label: SGD}}
  - {{optimizer: adam, lr: 0.01, label: Adam}}
landscape: {{center: final, run: Adam, directions: random, range: [[-1, 1], [-1, 1]], n: [{n}, {n}]}}
"""


def trajtool(*args):
    return subprocess.run([TRAJTOOL, *args], check=True, capture_output=True, text=True).stdout


def timed_landscape(folder, cache, n):
    config = os.path.join(folder, f"bench_{n}.yaml")
    with open(config, "w") as f:
        f.write(CONFIG.format(n=n))
    trajtool("generate", "--config", config, "--cache-dir", cache)  # trains the runs
    path = trajtool("cache", "path", "--config", config, "--kind", "landscape", "--cache-dir",
                    cache).strip()
    os.remove(path)
    t0 = time.perf_counter()
    trajtool("generate", "--config", config, "--cache-dir", cache)
    return time.perf_counter() - t0, path


def python_reference(path, cache_path_of_dataset):
    f = h5py.File(path, "r")
    d = h5py.File(cache_path_of_dataset, "r")
    names = list(f.attrs["parameter_names"])
    x = torch.tensor(d["x_train"][:], dtype=torch.float32)
    y = torch.tensor(d["y_train"][:], dtype=torch.long)
    model = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.ReLU(), torch.nn.Linear(32, 32),
                                torch.nn.ReLU(), torch.nn.Linear(32, 2)).eval()
    c = {n: torch.tensor(f["center"][n][:], dtype=torch.float32) for n in names}
    dx = {n: torch.tensor(f["directions/x"][n][:], dtype=torch.float32) for n in names}
    dy = {n: torch.tensor(f["directions/y"][n][:], dtype=torch.float32) for n in names}
    xs, ys = f["x"][:], f["y"][:]
    params = dict(model.named_parameters())
    loss = np.zeros((len(ys), len(xs)))
    t0 = time.perf_counter()
    with torch.no_grad():
        for j, b in enumerate(ys):
            for i, a in enumerate(xs):
                for n in names:
                    params[n].copy_(c[n] + float(a) * dx[n] + float(b) * dy[n])
                out = model(x)
                loss[j, i] = torch.nn.functional.cross_entropy(out, y).item()
                (out.argmax(1) == y).float().mean().item()
    seconds = time.perf_counter() - t0
    return seconds, loss, f["loss"][:], len(y)


def main():
    torch.set_num_threads(1)
    print(f"uptime: {os.popen('uptime').read().strip()}")
    with tempfile.TemporaryDirectory() as folder:
        cache = os.path.join(folder, "cache")
        t51, path = timed_landscape(folder, cache, 51)
        dataset = trajtool("cache", "path", "--config", os.path.join(folder, "bench_51.yaml"),
                           "--kind", "dataset", "--cache-dir", cache).strip()
        wall = float(h5py.File(path, "r").attrs["wall_seconds"])
        ref_seconds, ref_loss, our_loss, samples = python_reference(path, dataset)
        worst = float(np.max(np.abs(ref_loss - our_loss) / np.maximum(1, np.abs(ref_loss))))
        points = 51 * 51
        print(f"51x51 = {points} points, {samples} samples, 2-32-32-2 MLP, float32")
        print(f"  trajtool generate:        {t51:7.3f} s  {points / t51:9.0f} points/s "
              f"(computing: {wall:.3f} s, {points / wall:.0f} points/s)")
        print(f"  Python torch, per point:  {ref_seconds:7.3f} s  {points / ref_seconds:9.0f} points/s")
        # Like for like: the Python loop's time leaves out its interpreter, imports and reading
        # the files; "computing" leaves out trajtool's process start, reading the runs and
        # writing the entry. The whole command's ratio is printed beside it.
        print(f"  speed-up, evaluation against evaluation: {ref_seconds / wall:.1f}x "
              f"(target >= 20x); whole generate command: {ref_seconds / t51:.1f}x")
        print(f"  largest relative difference of the losses: {worst:.2e}")
        t201, path = timed_landscape(folder, cache, 201)
        wall = float(h5py.File(path, "r").attrs["wall_seconds"])
        print(f"201x201 = {201 * 201} points: trajtool generate {t201:.2f} s "
              f"({201 * 201 / t201:.0f} points/s; computing {wall:.2f} s) (target < 15 s)")
        print(f"uptime: {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
