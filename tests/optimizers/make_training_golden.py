#!/usr/bin/python3
"""Golden files for trained-model runs, made by Python's torch (python3-torch 1.13).

For every catalog optimizer and every lr schedule: torch.manual_seed(seed), the same nn.Sequential
trajtool builds (in float32, then .double(), as trajtool does for dtype float64), full batch (or
minibatches from a seeded DataLoader for the `shuffle: dataloader` cases), no dropout; the loss
before each step, the lr each step used and the final weights. For each activation: the seeded initial weights. The data set is made
here and stored in the golden file, so the C++ test trains on exactly these numbers.

Run: /usr/bin/python3 tests/optimizers/make_training_golden.py  (writes training_golden.json)
"""
import json
import math
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
               "gelu": torch.nn.GELU, "leaky_relu": torch.nn.LeakyReLU,
               "identity": torch.nn.Identity}
OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
              "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad,
              "lbfgs": torch.optim.LBFGS, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam,
              "adamax": torch.optim.Adamax, "adadelta": torch.optim.Adadelta,
              "rprop": torch.optim.Rprop}
SCHEDULES = {"step_lr": torch.optim.lr_scheduler.StepLR,
             "multi_step_lr": torch.optim.lr_scheduler.MultiStepLR,
             "exponential_lr": torch.optim.lr_scheduler.ExponentialLR,
             "cosine_annealing_lr": torch.optim.lr_scheduler.CosineAnnealingLR,
             "linear_lr": torch.optim.lr_scheduler.LinearLR,
             "one_cycle_lr": torch.optim.lr_scheduler.OneCycleLR,
             "cyclic_lr": torch.optim.lr_scheduler.CyclicLR,
             "sequential_lr": torch.optim.lr_scheduler.SequentialLR}


def data():
    g = torch.Generator().manual_seed(123)
    x = torch.rand(40, 2, generator=g, dtype=torch.float64) * 4 - 2
    y = ((x[:, 0] * x[:, 1]) > 0).long() + (x[:, 0] > 1).long()  # 3 classes
    return x, y


def mlp(layers, activations):
    modules = []
    for i in range(len(layers) - 1):
        modules.append(torch.nn.Linear(layers[i], layers[i + 1]))
        if i + 2 < len(layers):
            modules.append(ACTIVATIONS[activations[i]]())
    return torch.nn.Sequential(*modules)


def make_schedule(optimizer, spec):
    args = dict(spec.get("args", {}))
    if spec["name"] == "sequential_lr":
        children = [make_schedule(optimizer, c) for c in spec["schedulers"]]
        return SCHEDULES["sequential_lr"](optimizer, children, **args)
    return SCHEDULES[spec["name"]](optimizer, **args)


def train(case, x, y):
    torch.manual_seed(case["seed"])
    model = mlp(case["layers"], case["activations"]).double()
    initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
    opt = OPTIMIZERS[case["optimizer"]](model.parameters(), **case["hyper"])
    sched = make_schedule(opt, case["schedule"]) if case.get("schedule") else None
    batches = None
    if case.get("shuffle") == "dataloader":
        # Minibatches as a PyTorch user draws them: a DataLoader with its own seeded generator,
        # iterated epoch after epoch; the sample indices of each step are recorded too.
        loader = torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(x, y, torch.arange(len(x))),
            batch_size=case["batch_size"], shuffle=True,
            generator=torch.Generator().manual_seed(case["seed"]))

        def epochs():
            while True:
                for batch in loader:
                    yield batch
        batches, stream = [], epochs()
    losses, lrs = [], []
    for _ in range(case["steps"]):
        lrs.append(opt.param_groups[0]["lr"])
        first = []
        xb, yb = x, y
        if batches is not None:
            xb, yb, index = next(stream)
            batches.append(index.tolist())

        def closure():
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            if not first:
                first.append(loss.item())
            return loss

        opt.step(closure)
        losses.append(first[0])
        if sched is not None:
            sched.step()
    final = {k: v.detach() for k, v in model.state_dict().items()}
    flat = lambda d: {k: v.flatten().tolist() for k, v in d.items()}
    out = {"initial": flat(initial), "final": flat(final), "train_loss": losses, "lr": lrs}
    if batches is not None:
        out["batches"] = batches
    return out


def main():
    x, y = data()
    base = {"layers": [2, 5, 4, 3], "activations": ["tanh", "relu"], "seed": 3, "steps": 12}
    cases = []
    optimizers = [("sgd", {"lr": 0.1}), ("sgd_momentum", {"lr": 0.1, "momentum": 0.9,
                                                           "nesterov": True}),
                  ("adam", {"lr": 0.01}), ("adam_amsgrad", {"lr": 0.01, "amsgrad": True}),
                  ("adamw", {"lr": 0.01, "weight_decay": 0.1}),
                  ("rmsprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),
                  ("adagrad", {"lr": 0.1}), ("lbfgs", {"lr": 0.5, "max_iter": 4}),
                  ("nadam", {"lr": 0.01}), ("radam", {"lr": 0.01}), ("adamax", {"lr": 0.01}),
                  ("adadelta", {"lr": 1.0}), ("rprop", {"lr": 0.01})]
    for label, hyper in optimizers:
        name = label.split("_")[0] if label not in ("adam_amsgrad",) else "adam"
        cases.append(dict(base, label=label, optimizer=name, hyper=hyper))
    schedules = [
        {"name": "step_lr", "args": {"step_size": 3, "gamma": 0.5}},
        {"name": "multi_step_lr", "args": {"milestones": [2, 5, 5], "gamma": 0.3}},
        {"name": "exponential_lr", "args": {"gamma": 0.8}},
        {"name": "cosine_annealing_lr", "args": {"T_max": 5, "eta_min": 0.01}},
        {"name": "linear_lr", "args": {"start_factor": 0.2, "total_iters": 4}},
        {"name": "one_cycle_lr", "args": {"max_lr": 0.5, "total_steps": 12}},
        {"name": "one_cycle_lr", "args": {"max_lr": 0.5, "total_steps": 15, "three_phase": True,
                                          "anneal_strategy": "linear"}},
        {"name": "sequential_lr", "args": {"milestones": [3]},
         "schedulers": [{"name": "linear_lr", "args": {"start_factor": 0.1, "total_iters": 3}},
                        {"name": "cosine_annealing_lr", "args": {"T_max": 9}}]},
    ]
    for i, schedule in enumerate(schedules):
        cases.append(dict(base, label=f"sgd+{schedule['name']}_{i}", optimizer="sgd",
                          hyper={"lr": 0.1, "momentum": 0.9}, schedule=schedule))
    cases.append(dict(base, label="adam+one_cycle_lr", optimizer="adam", hyper={"lr": 0.01},
                      schedule={"name": "one_cycle_lr", "args": {"max_lr": 0.05,
                                                                 "total_steps": 12}}))
    # CyclicLR in its three modes; torch 1.13 cycles `momentum` only (SGD, RMSprop).
    cyclic = [("sgd", {"lr": 0.1, "momentum": 0.9},
               {"base_lr": 0.01, "max_lr": 0.2, "step_size_up": 3}),
              ("sgd", {"lr": 0.1, "momentum": 0.5},
               {"base_lr": 0.02, "max_lr": 0.3, "step_size_up": 2, "step_size_down": 3,
                "mode": "triangular2", "base_momentum": 0.7, "max_momentum": 0.95}),
              ("sgd", {"lr": 0.1}, {"base_lr": 0.05, "max_lr": 0.4, "step_size_up": 2.5,
                                    "mode": "exp_range", "gamma": 0.9, "cycle_momentum": False}),
              ("rmsprop", {"lr": 0.01, "momentum": 0.5},
               {"base_lr": 0.001, "max_lr": 0.02, "step_size_up": 4})]
    cases.append(dict(base, label="sgd+sequential_linear_cyclic", optimizer="sgd",
                      hyper={"lr": 0.1, "momentum": 0.9}, schedule={
                          "name": "sequential_lr", "args": {"milestones": [4]}, "schedulers": [
                              {"name": "linear_lr", "args": {"start_factor": 0.5,
                                                             "total_iters": 4}},
                              {"name": "cyclic_lr", "args": {"base_lr": 0.01, "max_lr": 0.2,
                                                             "step_size_up": 2}}]}))
    for i, (name, hyper, args) in enumerate(cyclic):
        cases.append(dict(base, label=f"{name}+cyclic_lr_{i}", optimizer=name, hyper=hyper,
                          schedule={"name": "cyclic_lr", "args": args}))
    # OneCycleLR cycles betas[0] of every optimizer with `betas` (torch 1.13 and 2.x alike).
    for name in ["nadam", "radam", "adamax"]:
        cases.append(dict(base, label=f"{name}+one_cycle_lr", optimizer=name, hyper={"lr": 0.01},
                          schedule={"name": "one_cycle_lr", "args": {"max_lr": 0.05,
                                                                     "total_steps": 12}}))
    # Minibatches in a DataLoader's order (40 samples: batches of 16, 16, 8; and of 8, 5 an epoch).
    cases.append(dict(base, label="sgd_momentum+dataloader_16", optimizer="sgd",
                      hyper={"lr": 0.1, "momentum": 0.9}, batch_size=16, shuffle="dataloader"))
    cases.append(dict(base, label="adam+dataloader_8", optimizer="adam", hyper={"lr": 0.01},
                      batch_size=8, shuffle="dataloader", seed=7))
    for act in ACTIVATIONS:
        cases.append(dict(base, label=f"init_{act}", layers=[2, 6, 6, 3], activations=[act, act],
                          seed=11, optimizer="adam", hyper={"lr": 0.01}, steps=3))
    for case in cases:
        case.update(train(case, x, y))
    out = {"x": x.flatten().tolist(), "y": y.tolist(), "torch_version": torch.__version__,
           "cases": cases}
    with open(os.path.join(HERE, "golden", "training_golden.json"), "w") as f:
        json.dump(out, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
