#!/usr/bin/python3
"""Walk entries against an independent reference in Python torch + numpy.

For each test experiment: `trajtool generate` into a fresh cache, then, reading only the HDF5
files (h5py): the run's entry (its checkpoints), its data set and the walk entry:
- the milestone steps: for each configured fraction, the checkpoint nearest to round(f x steps)
  (ties: the earlier), and the decision-region probabilities equal to that checkpoint's boundary;
- the inputs: a path's points at equal arc length along its waypoints (numpy), the default path
  the documented ellipse over the data set's grid; images the data set's samples at the indices,
  with their true labels;
- every module's output: the run's nn.Sequential (built from the recorded layer kinds, eval
  mode), the checkpoint's state_dict loaded, run on the walk's inputs with forward hooks: within
  float32 rounding (1e-5 relative to max(1, |x|)) or 1e-12 in float64; the class probabilities
  (softmax, or [1 - p, p] for one logit) the same; the predicted class torch's argmax (a point
  whose top two probabilities are within 1e-6 may flip by rounding);
- reproducibility: the walk entry removed and generated again from the same run entry is
  bit-identical (every dataset, and the stored checksum).

usage: check_walks.py TRAJTOOL EXPERIMENT.yaml...   (exit 0 when everything matches)
"""
import json
import math
import os
import shutil
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


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def network(model_file, step):
    kinds = [text(k) for k in model_file.attrs["layer_kinds"]]
    layers = []
    for i, kind in enumerate(kinds):
        if kind == "Linear":
            w = model_file["checkpoints"][step][f"{i}.weight"]
            layers.append(torch.nn.Linear(w.shape[1], w.shape[0]))
        else:
            layers.append(ACTIVATIONS[kind]())
    model = torch.nn.Sequential(*layers)
    if text(model_file.attrs["dtype"]) == "float64":
        model = model.double()
    model.load_state_dict({k: torch.from_numpy(v[()]) for k, v in
                           model_file["checkpoints"][step].items()})
    return model.eval()


def sample_polyline(through, n):
    seg = np.hypot(*np.diff(through, axis=0).T)
    at = np.concatenate([[0.0], np.cumsum(seg)])
    s = at[-1] * np.arange(n) / (n - 1)
    out = np.stack([np.interp(s, at, through[:, 0]), np.interp(s, at, through[:, 1])], axis=1)
    out[-1] = through[-1]
    return out


def default_path(data_file):
    x0, x1 = data_file.attrs["grid_x_min"], data_file.attrs["grid_x_max"]
    y0, y1 = data_file.attrs["grid_y_min"], data_file.attrs["grid_y_max"]
    a = math.pi + 2 * math.pi * (np.arange(65) % 64) / 64
    return np.stack([(x0 + x1) / 2 + 0.35 * (x1 - x0) * np.cos(a),
                     (y0 + y1) / 2 + 0.3 * (y1 - y0) * np.sin(a)], axis=1)


def close(a, b, tol):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tol * np.maximum(1.0, np.abs(b))))


def check_walk(path, model_file, data_file, config):
    f = h5py.File(path, "r")
    spec = json.loads(text(f.attrs["config_json"]))["walk"]
    float64 = text(model_file.attrs["dtype"]) == "float64"
    tol = 1e-12 if float64 else 1e-5
    dtype = torch.float64 if float64 else torch.float32
    check(text(f.attrs["run"]) == text(model_file.attrs["label"]), f"{path}: run label")
    kinds = [text(k) for k in f.attrs["layer_kinds"]]
    check(kinds == [text(k) for k in model_file.attrs["layer_kinds"]], f"{path}: layer kinds")
    steps = sorted((int(s) for s in model_file["checkpoints"].keys()))
    total = int(model_file.attrs["steps"])
    images = text(f.attrs["source"]) == "images"
    # The inputs the walk should have.
    if images:
        part = spec["from"]
        indices = np.asarray(spec["indices"])
        check(np.array_equal(f["indices"][:], indices), f"{path}: indices")
        x = data_file[f"x_{part}"][:].reshape(len(data_file[f"y_{part}"]), -1)[indices]
        labels = data_file[f"y_{part}"][:][indices].astype(np.int64)
    else:
        if spec["through"] == "default":
            want = default_path(data_file)
        else:
            want = np.asarray(spec["through"], dtype=np.float64).reshape(-1, 2)
        check(close(f["waypoints"][:], want, 1e-12), f"{path}: waypoints")
        x = sample_polyline(want, spec["points"])
    x = torch.tensor(x, dtype=torch.float64).to(dtype)
    fractions = f["milestone_fraction"][:]
    check(list(fractions) == spec["milestones"], f"{path}: milestone fractions {fractions}")
    for k, fraction in enumerate(spec["milestones"]):
        g = f[f"milestones/{k}"]
        target = round(fraction * total)
        nearest = min(steps, key=lambda s: (abs(s - target), s))
        step = int(g["step"][()])
        check(step == nearest, f"{path}: milestone {k} ({fraction}) at step {step}, nearest {nearest}")
        check(int(f["milestone_step"][k]) == step, f"{path}: milestone_step[{k}]")
        check(close(g["walk/input"][:], x.double().numpy(), 1e-12),
              f"{path}: milestone {k}: inputs differ from the reference's")
        if images:
            check(np.array_equal(g["walk/label"][:], labels), f"{path}: milestone {k}: labels")
        else:
            check(np.array_equal(g["boundary"][:], model_file["boundary"][str(step)][:]),
                  f"{path}: milestone {k}: boundary is not checkpoint {step}'s")
        model = network(model_file, str(step))
        outputs = []
        hooks = [m.register_forward_hook(lambda _m, _i, out: outputs.append(out.detach().clone()))
                 for m in model]
        with torch.no_grad():
            logits = model(x)
        for h in hooks:
            h.remove()
        check(len(outputs) == len(kinds), f"{path}: {len(outputs)} module outputs")
        for i, out in enumerate(outputs):
            got = g[f"walk/activations/{i}"]
            check(got.dtype == (np.float64 if float64 else np.float32),
                  f"{path}: activations/{i} dtype {got.dtype}")
            check(close(got[:], out.double().numpy(), tol),
                  f"{path}: milestone {k}: module {i} ({kinds[i]}) differs from torch by "
                  f"{np.max(np.abs(got[:] - out.double().numpy())) if got.shape == out.shape else 'shape'}")
        if logits.shape[1] == 1:
            p = torch.sigmoid(logits)
            probs = torch.cat([1 - p, p], 1)
        else:
            probs = torch.softmax(logits, 1)
        probs = probs.double().numpy()
        check(close(g["walk/class_probs"][:], probs, tol),
              f"{path}: milestone {k}: class probabilities differ from torch's")
        top2 = np.sort(probs, axis=1)[:, -2:]
        agree = (g["walk/predicted"][:] == probs.argmax(1)) | (top2[:, 1] - top2[:, 0] < 1e-6)
        check(bool(np.all(agree)), f"{path}: milestone {k}: predicted differs from torch's argmax")
    check(len(f.attrs["class_names"]) == f["milestones/0/walk/class_probs"].shape[1],
          f"{path}: class_names")
    f.close()


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, (obj.dtype.str, obj.shape, obj[()].tobytes()))
                     if isinstance(obj, h5py.Dataset) else None)
        out["@checksum"] = text(f.attrs["checksum"])
    return out


def main():
    torch.set_num_threads(1)
    trajtool, configs = sys.argv[1], sys.argv[2:]
    with tempfile.TemporaryDirectory() as cache:
        for config in configs:
            def generate():
                subprocess.run([trajtool, "generate", "--config", config, "--cache-dir", cache],
                               check=True, capture_output=True)
            generate()
            walks = paths(trajtool, config, cache, "walk")
            check(len(walks) == 1, f"{config}: {len(walks)} walk entries")
            walk_file = h5py.File(walks[0], "r")
            label = text(walk_file.attrs["run"])
            walk_file.close()
            model_file = None
            for p in paths(trajtool, config, cache, "model"):
                mf = h5py.File(p, "r")
                if text(mf.attrs["label"]) == label:
                    model_file = mf
            data_file = h5py.File(paths(trajtool, config, cache, "dataset")[0], "r")
            check_walk(walks[0], model_file, data_file, config)
            # Reproducibility: made again from the same run entry, bit for bit.
            before = datasets(walks[0])
            kept = walks[0] + ".first"
            shutil.move(walks[0], kept)
            generate()
            after = datasets(walks[0])
            check(before.keys() == after.keys(), f"{config}: the remade walk has other datasets")
            for name in before:
                check(before[name] == after.get(name), f"{config}: {name} differs when remade")
            os.remove(kept)
            print(f"{os.path.basename(config)}: checked ({len(before) - 1} datasets)")
    if failures:
        print(f"{len(failures)} mismatches")
        return 1
    print("every walk value matches torch and numpy, and a remade walk is bit-identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
