#!/usr/bin/python3
"""Writes the golden optimizer trajectories the C++ tests compare against.

Run with Debian's interpreter (it has python3-torch 1.13):
    /usr/bin/python3 tests/optimizers/make_golden.py

Every case runs torch.optim in float64 the way trajtool's runner does: per step, zero the grad,
evaluate f at the parameter [x, y], backward, record loss and grad, step (L-BFGS: step(closure),
recording the closure's first evaluation), then record the optimizer state under torch's names
and the new parameters; after the last step, the final loss. One text file per case:

    optimizer <name>
    objective <rosenbrock | rotated_quadratic>
    start <x> <y>
    steps <n>
    hyper <key> <number|bool|pair|string> <values...>
    params <count> <values...>       # [steps + 1][2]
    loss <count> <values...>         # [steps + 1]
    grad <count> <values...>         # [steps][2]
    state <name> <count> <values...> # [steps][2] or [steps] for scalars

defaults.txt holds torch.optim 1.13's own defaults, read from the constructors' signatures.
"""
import inspect
import math
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "golden")
STEPS = 40
LBFGS_STEPS = 8

CLASSES = {
    "sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad, "lbfgs": torch.optim.LBFGS,
    "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam, "adamax": torch.optim.Adamax,
    "adadelta": torch.optim.Adadelta, "rprop": torch.optim.Rprop,
}
# Options of torch.optim 1.13 that LibTorch 1.13 cannot honour; trajtool does not offer them.
SKIPPED = {"params", "self", "foreach", "maximize", "capturable", "differentiable", "fused"}

# Test-local objectives; the C++ test defines the same formulas with the same operations.
def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def rotated_quadratic(x, y, a=6.0, b=1.0, theta=0.9):
    c, s = math.cos(theta), math.sin(theta)
    u = c * x + s * y
    v = -s * x + c * y
    return 0.5 * (a * u ** 2 + b * v ** 2)


OBJECTIVES = {
    "rosenbrock": (rosenbrock, [-1.5, 2.0]),
    "rotated_quadratic": (rotated_quadratic, [2.5, 1.5]),
}

# (case name, optimizer, hyperparameters for rosenbrock, for rotated_quadratic).
VARIANTS = [
    ("sgd_plain", "sgd", {"lr": 1e-3}, {"lr": 0.05}),
    ("sgd_momentum", "sgd", {"lr": 1e-3, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9}),
    ("sgd_nesterov", "sgd", {"lr": 1e-3, "momentum": 0.9, "nesterov": True},
     {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd_dampening", "sgd", {"lr": 1e-3, "momentum": 0.9, "dampening": 0.5},
     {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}),
    ("sgd_weight_decay", "sgd", {"lr": 1e-3, "momentum": 0.5, "weight_decay": 0.1},
     {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1}),
    ("adam", "adam", {"lr": 0.05}, {"lr": 0.1}),
    ("adam_amsgrad", "adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.01},
     {"lr": 0.1, "amsgrad": True}),
    ("adamw", "adamw", {"lr": 0.05, "weight_decay": 0.1}, {"lr": 0.1}),
    ("rmsprop_plain", "rmsprop", {"lr": 0.01}, {"lr": 0.01}),
    ("rmsprop_centered", "rmsprop", {"lr": 0.01, "centered": True},
     {"lr": 0.01, "centered": True, "weight_decay": 0.1}),
    ("rmsprop_momentum", "rmsprop", {"lr": 0.005, "momentum": 0.8},
     {"lr": 0.005, "momentum": 0.8, "centered": True}),
    ("adagrad_lr_decay", "adagrad", {"lr": 0.5, "lr_decay": 0.01, "initial_accumulator_value": 0.1},
     {"lr": 0.5, "lr_decay": 0.05, "weight_decay": 0.1}),
    ("lbfgs_plain", "lbfgs", {"lr": 0.5}, {"lr": 1.0, "max_iter": 3, "history_size": 2}),
    ("lbfgs_strong_wolfe", "lbfgs", {"line_search_fn": "strong_wolfe"},
     {"line_search_fn": "strong_wolfe", "max_iter": 2}),
    ("nadam", "nadam", {"lr": 0.05}, {"lr": 0.1, "weight_decay": 0.1, "momentum_decay": 0.01}),
    ("radam", "radam", {"lr": 2e-3}, {"lr": 0.1, "weight_decay": 0.1}),
    ("adamax", "adamax", {"lr": 0.05}, {"lr": 0.1, "weight_decay": 0.1}),
    ("adadelta", "adadelta", {"lr": 1.0}, {"lr": 5.0, "rho": 0.8, "weight_decay": 0.1}),
    ("rprop", "rprop", {}, {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-4, 0.5)}),
]

STATE_NAMES = {
    "sgd": ["momentum_buffer"],
    "adam": ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
    "adamw": ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
    "rmsprop": ["step", "square_avg", "momentum_buffer", "grad_avg"],
    "adagrad": ["step", "sum"],
    "lbfgs": ["func_evals", "n_iter", "t", "d"],
    "nadam": ["step", "mu_product", "exp_avg", "exp_avg_sq"],
    "radam": ["step", "exp_avg", "exp_avg_sq"],
    "adamax": ["step", "exp_avg", "exp_inf"],
    "adadelta": ["step", "square_avg", "acc_delta"],
    "rprop": ["step", "prev", "step_size"],
}


def numbers(value):
    if isinstance(value, torch.Tensor):
        return [float(v) for v in value.detach().reshape(-1).tolist()]
    return [float(value)]


def hyper_line(key, value):
    if isinstance(value, bool):
        return "hyper %s bool %d" % (key, int(value))
    if isinstance(value, (tuple, list)):
        return "hyper %s pair %r %r" % (key, float(value[0]), float(value[1]))
    if isinstance(value, str):
        return "hyper %s string %s" % (key, value)
    return "hyper %s number %r" % (key, float(value))


def run_case(optimizer, objective, hyper):
    f, start = OBJECTIVES[objective]
    steps = LBFGS_STEPS if optimizer == "lbfgs" else STEPS
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = CLASSES[optimizer]([p], **hyper)
    params, loss, grad = [numbers(p)], [], []
    state = {}
    for _ in range(steps):
        first = {}

        def closure():
            opt.zero_grad()
            value = f(p[0], p[1])
            value.backward()
            if not first:
                first["loss"] = value.item()
                first["grad"] = numbers(p.grad)
            return value

        if optimizer == "lbfgs":
            opt.step(closure)
        else:
            closure()
            opt.step()
        loss.append(first["loss"])
        grad.append(first["grad"])
        st = opt.state[p]
        for name in STATE_NAMES[optimizer]:
            if st.get(name) is not None:
                state.setdefault(name, []).append(numbers(st[name]))
        params.append(numbers(p))
    with torch.no_grad():
        loss.append(f(p[0], p[1]).item())
    return steps, params, loss, grad, state


def flat(rows):
    return [v for row in rows for v in row]


def line(key, values):
    return "%s %d %s" % (key, len(values), " ".join(repr(v) for v in values))


def write_cases():
    for case, optimizer, rosen_hyper, quad_hyper in VARIANTS:
        for objective, hyper in (("rosenbrock", rosen_hyper), ("rotated_quadratic", quad_hyper)):
            steps, params, loss, grad, state = run_case(optimizer, objective, hyper)
            lines = ["optimizer " + optimizer, "objective " + objective,
                     "start %r %r" % tuple(OBJECTIVES[objective][1]), "steps %d" % steps]
            lines += [hyper_line(k, v) for k, v in sorted(hyper.items())]
            lines.append(line("params", flat(params)))
            lines.append(line("loss", loss))
            lines.append(line("grad", flat(grad)))
            for name, rows in state.items():
                lines.append("state " + line(name, flat(rows)))
            path = os.path.join(OUT, "%s__%s.txt" % (case, objective))
            with open(path, "w") as out:
                out.write("\n".join(lines) + "\n")


def write_defaults():
    lines = ["# torch.optim %s defaults: optimizer key kind values" % torch.__version__]
    for name, cls in CLASSES.items():
        for key, param in inspect.signature(cls.__init__).parameters.items():
            if key in SKIPPED:
                continue
            value = param.default
            if value is inspect.Parameter.empty or type(value).__name__ == "_RequiredParameter":
                lines.append("%s %s required" % (name, key))
            elif value is None:
                lines.append("%s %s none" % (name, key))
            elif isinstance(value, bool):
                lines.append("%s %s bool %d" % (name, key, int(value)))
            elif isinstance(value, tuple):
                lines.append("%s %s pair %r %r" % (name, key, float(value[0]), float(value[1])))
            else:
                lines.append("%s %s number %r" % (name, key, float(value)))
    with open(os.path.join(OUT, "defaults.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")


def write_model():
    """A tiny MLP as run_model builds it: nn.Linear-style uniform init from one seeded generator,
    then inputs uniform in [-2, 2]^2 from the same generator, target sin(x1) cos(x2), MSE."""
    layers, samples, steps, seed = [2, 8, 8, 1], 64, 20, 3
    gen = torch.Generator().manual_seed(seed)
    params = []
    for fan_in, fan_out in zip(layers[:-1], layers[1:]):
        bound = 1.0 / math.sqrt(fan_in)
        params.append(torch.empty(fan_out, fan_in, dtype=torch.float64).uniform_(-bound, bound, generator=gen))
        params.append(torch.empty(fan_out, dtype=torch.float64).uniform_(-bound, bound, generator=gen))
    for p in params:
        p.requires_grad_(True)
    inputs = torch.empty(samples, 2, dtype=torch.float64).uniform_(-2.0, 2.0, generator=gen)
    targets = (torch.sin(inputs[:, 0]) * torch.cos(inputs[:, 1])).unsqueeze(1)

    def mse():
        h = inputs
        for i in range(0, len(params), 2):
            h = torch.addmm(params[i + 1], h, params[i].t())
            if i + 2 < len(params):
                h = torch.tanh(h)
        return (h - targets).pow(2).mean()

    opt = torch.optim.Adam(params, lr=0.01)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = mse()
        loss.backward()
        losses.append(loss.item())
        opt.step()
    with torch.no_grad():
        losses.append(mse().item())
    with open(os.path.join(OUT, "model_adam.txt"), "w") as out:
        out.write("layers 2 8 8 1\nsamples %d\nsteps %d\nseed %d\nlr 0.01\n" % (samples, steps, seed))
        out.write(line("loss", losses) + "\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    write_cases()
    write_defaults()
    write_model()
