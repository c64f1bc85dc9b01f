#!/usr/bin/python3
"""The training of experiments/moons_mlp.yaml as a PyTorch user writes it: the same data set (read
from trajtool's dataset entry), torch.manual_seed(0) and the same nn.Sequential, batches of 64
shuffled each epoch, 2000 steps for each of the 4 runs, one after the other; the test loss every
20 steps. Prints the time per step.

usage: /usr/bin/python3 bench/python_moons_loop.py DATASET.h5"""
import sys
import time

import h5py
import torch

torch.set_num_threads(1)
STEPS, BATCH = 2000, 64


def model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.ReLU(), torch.nn.Linear(32, 32),
                               torch.nn.ReLU(), torch.nn.Linear(32, 2))


def main(path):
    with h5py.File(path, "r") as f:
        x = torch.from_numpy(f["x_train"][()]).float()
        y = torch.from_numpy(f["y_train"][()])
        x_test = torch.from_numpy(f["x_test"][()]).float()
        y_test = torch.from_numpy(f["y_test"][()])
    runs = [lambda p: (torch.optim.SGD(p, lr=0.1), None),
            lambda p: (torch.optim.SGD(p, lr=0.1, momentum=0.9), None),
            lambda p: (torch.optim.Adam(p, lr=0.003), None),
            lambda p: (torch.optim.AdamW(p, lr=0.003, weight_decay=0.01), "warmup-cosine")]
    t0 = time.perf_counter()
    for make in runs:
        m = model()
        opt, schedule = make(m.parameters())
        sched = None
        if schedule:
            sched = torch.optim.lr_scheduler.SequentialLR(opt, [
                torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.01, total_iters=100),
                torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=1900)], milestones=[100])
        g = torch.Generator().manual_seed(1)
        order, pos = None, len(x)
        for step in range(STEPS):
            if pos >= len(x):
                order, pos = torch.randperm(len(x), generator=g), 0
            idx = order[pos:pos + BATCH]
            pos += BATCH
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(m(x[idx]), y[idx])
            loss.backward()
            opt.step()
            if sched:
                sched.step()
            if (step + 1) % 20 == 0:
                with torch.no_grad():
                    torch.nn.functional.cross_entropy(m(x_test), y_test)
    elapsed = time.perf_counter() - t0
    print(f"per_step_us {elapsed / (4 * STEPS) * 1e6:.1f}")


if __name__ == "__main__":
    main(sys.argv[1])
