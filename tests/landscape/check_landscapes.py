#!/usr/bin/python3
"""Landscape and interpolation entries against an independent reference in Python torch + numpy.

For each test experiment: `trajtool generate` into a fresh cache, then, reading only the HDF5
files (h5py) and the run entries' checkpoints:
- the loss (and accuracy) at sampled grid points, recomputed the reference way (set the weights
  center + x dx + y dy on a torch nn.Sequential, one forward pass over the whole set), within 1e-5
  relative in float32 (1e-10 in float64); the same for every checkpoint's own loss, the loss at
  its projection, and the interpolation;
- random directions: every filter has the center's filter norm; ignored (1-D) tensors are zero;
- pca directions: orthonormal, equal up to sign to numpy's SVD of the same checkpoint matrix, and
  the explained variance its s_i^2 / sum s^2;
- projected coordinates equal to numpy.linalg.lstsq on the two directions.

usage: check_landscapes.py TRAJTOOL EXPERIMENT.yaml...   (exit 0 when everything matches)
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import torch

ACTIVATIONS = {"ReLU": torch.nn.ReLU, "Tanh": torch.nn.Tanh, "Sigmoid": torch.nn.Sigmoid,
               "GELU": torch.nn.GELU, "LeakyReLU": torch.nn.LeakyReLU,
               "Identity": torch.nn.Identity, "Dropout": torch.nn.Dropout}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def paths(trajtool, config, cache, kind):
    out = subprocess.run([trajtool, "cache", "path", "--config", config, "--kind", kind,
                          "--cache-dir", cache], check=True, capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line]


def network(model_file):
    """The run's nn.Sequential, built from its recorded layer kinds and shapes."""
    kinds = list(model_file.attrs["layer_kinds"])
    step = sorted(model_file["checkpoints"].keys(), key=int)[0]
    layers = []
    for i, kind in enumerate(kinds):
        if kind == "Linear":
            w = model_file["checkpoints"][step][f"{i}.weight"]
            layers.append(torch.nn.Linear(w.shape[1], w.shape[0]))
        else:
            layers.append(ACTIVATIONS[kind]())
    model = torch.nn.Sequential(*layers)
    if model_file.attrs["dtype"] == "float64":
        model = model.double()
    return model.eval()


class Reference:
    """Loss and accuracy of weights on a data set, the reference way: one point at a time."""

    def __init__(self, model_file, data_file, on_test, loss_name):
        self.model = network(model_file)
        self.dtype = torch.float64 if model_file.attrs["dtype"] == "float64" else torch.float32
        self.classes = int(data_file.attrs["classes"])
        part = "test" if on_test else "train"
        self.x = torch.tensor(data_file[f"x_{part}"][:], dtype=self.dtype)
        y = data_file[f"y_{part}"][:]
        self.labels = torch.tensor(y, dtype=torch.long) if self.classes else None
        if loss_name == "cross_entropy":
            self.loss = lambda out: torch.nn.functional.cross_entropy(out, self.labels)
        elif loss_name == "bce_with_logits":
            target = torch.tensor(y, dtype=self.dtype).unsqueeze(1)
            self.loss = lambda out: torch.nn.functional.binary_cross_entropy_with_logits(out, target)
        elif self.classes:
            target = torch.nn.functional.one_hot(self.labels, self.classes).to(self.dtype)
            self.loss = lambda out: torch.nn.functional.mse_loss(out, target)
        else:
            target = torch.tensor(y, dtype=self.dtype).unsqueeze(1)
            self.loss = lambda out: torch.nn.functional.mse_loss(out, target)
        self.loss_name = loss_name

    def __call__(self, weights):
        with torch.no_grad():
            for name, p in self.model.named_parameters():
                p.copy_(weights[name])
            out = self.model(self.x)
            loss = self.loss(out).item()
            if not self.classes:
                return loss, float("nan")
            if self.loss_name == "bce_with_logits":
                predicted = (out.squeeze(1) > 0).long()
            else:
                predicted = out.argmax(1)
            return loss, (predicted == self.labels).double().mean().item()

    def tol(self):
        return 1e-10 if self.dtype == torch.float64 else 1e-5


def tensors(group, names, dtype):
    return {n: torch.tensor(group[n][:], dtype=dtype) for n in names}


def close(a, b, rel):
    return abs(a - b) <= rel * max(1.0, abs(b))


def check_loss(ref, weights, loss, accuracy, what):
    want_loss, want_acc = ref(weights)
    check(close(loss, want_loss, ref.tol()), f"{what}: loss {loss!r} vs torch {want_loss!r}")
    if ref.classes:
        # A sample on the decision boundary may flip by rounding: at most one.
        check(abs(accuracy - want_acc) <= 1.0 / len(ref.x) + 1e-12,
              f"{what}: accuracy {accuracy} vs torch {want_acc}")


def flat(d, names):
    return np.concatenate([np.asarray(d[n], dtype=np.float64).ravel() for n in names])


def check_landscape(path, models, data_file, trajtool_runs):
    f = h5py.File(path, "r")
    spec = json.loads(f.attrs["config_json"])
    names = list(f.attrs["parameter_names"])
    center_label = f.attrs["center_run"]
    model_file = models[center_label]
    loss_name = json.loads(model_file.attrs["config_json"])["loss"]
    ref = Reference(model_file, data_file, spec["on"] == "test", loss_name)
    dt = ref.dtype
    c = tensors(f["center"], names, dt)
    dx = tensors(f["directions/x"], names, dt)
    dy = tensors(f["directions/y"], names, dt)
    xs, ys, loss, acc = f["x"][:], f["y"][:], f["loss"][:], f["accuracy"][:]
    check(loss.shape == (len(ys), len(xs)), f"{path}: loss shape {loss.shape}")
    # The center is the run's initial or final checkpoint.
    steps = sorted(model_file["checkpoints"].keys(), key=int)
    step = steps[0] if spec["center"] == "init" else steps[-1]
    for n in names:
        check(np.array_equal(f["center"][n][:], model_file["checkpoints"][step][n][:]),
              f"{path}: center/{n} is not checkpoint {step} of {center_label}")
    # Sampled grid points (corners and a seeded sample).
    rng = np.random.default_rng(0)
    points = {(0, 0), (len(ys) - 1, len(xs) - 1), (0, len(xs) - 1), (len(ys) - 1, 0)}
    while len(points) < 16:
        points.add((int(rng.integers(len(ys))), int(rng.integers(len(xs)))))
    for j, i in sorted(points):
        w = {n: c[n] + float(xs[i]) * dx[n] + float(ys[j]) * dy[n] for n in names}
        check_loss(ref, w, loss[j, i], acc[j, i], f"{path}: grid ({i}, {j})")
    ignore = spec["ignore"] == "biasbn"
    if spec["directions"] == "random":
        for d in (f["directions/x"], f["directions/y"]):
            for n in names:
                v = d[n][:]
                cn = f["center"][n][:]
                if v.ndim <= 1:
                    want = np.zeros_like(v) if ignore else cn
                    check(np.array_equal(v, want), f"{path}: 1-D tensor {n} not {'zero' if ignore else 'the center'}")
                    continue
                for k in range(v.shape[0]):
                    a, b = np.linalg.norm(v[k]), np.linalg.norm(cn[k])
                    check(abs(a - b) <= 1e-9 * max(1.0, b) + 1e-9,
                          f"{path}: filter {n}[{k}] norm {a} vs center's {b}")
        check("explained_variance" not in f, f"{path}: random directions with explained variance")
    # Every run's checkpoints, as the reference sees them.
    cflat = flat(f["center"], names)
    runs = list(f.attrs["runs"])
    check(runs == [r for r in trajtool_runs if r in models], f"{path}: runs {runs}")
    rows = []
    for label in runs:
        mf = models[label]
        for s in sorted(mf["checkpoints"].keys(), key=int):
            w = flat(mf["checkpoints"][s], names)
            v = w - cflat
            if ignore:
                at = 0
                for n in names:
                    size = mf["checkpoints"][s][n].size
                    if mf["checkpoints"][s][n].ndim <= 1:
                        v[at:at + size] = 0
                    at += size
            if np.any(v != 0):
                rows.append(v)
    dxf, dyf = flat(f["directions/x"], names), flat(f["directions/y"], names)
    if spec["directions"] == "pca":
        m = np.array(rows)
        _, s, vt = np.linalg.svd(m, full_matrices=False)
        for k, d in enumerate((dxf, dyf)):
            sign = 1.0 if np.dot(d, vt[k]) >= 0 else -1.0
            check(np.max(np.abs(d - sign * vt[k])) < 1e-8, f"{path}: PC{k + 1} differs from numpy's SVD")
            check(abs(np.linalg.norm(d) - 1) < 1e-10, f"{path}: PC{k + 1} is not a unit vector")
        check(abs(np.dot(dxf, dyf)) < 1e-10, f"{path}: PC1 and PC2 are not orthogonal")
        ev = f["explained_variance"][:]
        check(np.allclose(ev, (s[:2] ** 2) / np.sum(s ** 2), rtol=1e-9, atol=1e-12),
              f"{path}: explained variance {ev} vs numpy {(s[:2] ** 2) / np.sum(s ** 2)}")
    basis = np.stack([dxf, dyf], axis=1)
    for label in runs:
        mf = models[label]
        steps = sorted(mf["checkpoints"].keys(), key=int)
        key = label.replace("/", "_")
        xy = f["projected"][key][:]
        check(list(f["checkpoint_step"][key][:]) == [int(s) for s in steps],
              f"{path}: checkpoint steps of {label}")
        for k, s in enumerate(steps):
            w = flat(mf["checkpoints"][s], names)
            want, *_ = np.linalg.lstsq(basis, w - cflat, rcond=None)
            scale = max(1.0, np.max(np.abs(want)))
            check(np.max(np.abs(xy[k] - want)) < 1e-8 * scale,
                  f"{path}: projection of {label} step {s}: {xy[k]} vs lstsq {want}")
            own = tensors(mf["checkpoints"][s], names, dt)
            want_loss, _ = ref(own)
            got = f["checkpoint_loss"][key][k]
            check(close(got, want_loss, ref.tol()), f"{path}: checkpoint loss {label} {s}: {got} vs {want_loss}")
            on_plane = {n: c[n] + float(xy[k][0]) * dx[n] + float(xy[k][1]) * dy[n] for n in names}
            want_plane, _ = ref(on_plane)
            got = f["projected_loss"][key][k]
            check(close(got, want_plane, ref.tol()), f"{path}: projected loss {label} {s}: {got} vs {want_plane}")


def check_interpolation(path, models, data_file):
    f = h5py.File(path, "r")
    spec = json.loads(f.attrs["config_json"])
    mf = models[f.attrs["run"]]
    loss_name = json.loads(mf.attrs["config_json"])["loss"]
    ref = Reference(mf, data_file, spec["on"] == "test", loss_name)
    names = [n for n in mf.attrs["parameter_names"]]
    steps = sorted(mf["checkpoints"].keys(), key=int)
    ends = {"init": steps[0], "final": steps[-1]}
    a = tensors(mf["checkpoints"][ends[spec["from"]]], names, ref.dtype)
    b = tensors(mf["checkpoints"][ends[spec["to"]]], names, ref.dtype)
    alpha = f["alpha"][:]
    check(np.allclose(alpha, np.linspace(spec["range"][0], spec["range"][1], spec["n"]), rtol=0, atol=1e-15),
          f"{path}: alpha")
    for k in range(len(alpha)):
        w = {n: (1 - float(alpha[k])) * a[n] + float(alpha[k]) * b[n] for n in names}
        check_loss(ref, w, f["loss"][k], f["accuracy"][k], f"{path}: alpha {alpha[k]}")


def main():
    torch.set_num_threads(1)
    trajtool, configs = sys.argv[1], sys.argv[2:]
    with tempfile.TemporaryDirectory() as cache:
        for config in configs:
            subprocess.run([trajtool, "generate", "--config", config, "--cache-dir", cache],
                           check=True, capture_output=True)
            models = {}
            for p in paths(trajtool, config, cache, "model"):
                mf = h5py.File(p, "r")
                models[mf.attrs["label"]] = mf
            data_file = h5py.File(paths(trajtool, config, cache, "dataset")[0], "r")
            labels = [h5py.File(p, "r").attrs["label"] for p in paths(trajtool, config, cache, "model")]
            landscapes = paths(trajtool, config, cache, "landscape")
            check(len(landscapes) == 1, f"{config}: {len(landscapes)} landscape entries")
            for p in landscapes:
                check_landscape(p, models, data_file, labels)
            for p in paths(trajtool, config, cache, "interpolation"):
                check_interpolation(p, models, data_file)
            print(f"{os.path.basename(config)}: checked")
    if failures:
        print(f"{len(failures)} mismatches")
        return 1
    print("every landscape and interpolation value matches torch and numpy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
