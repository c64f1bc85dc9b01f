"""The baseline for bench_generate.py: the 4-run Rosenbrock experiment of experiments/adam.yaml
done the way a PyTorch user would, with torch.optim, recording params, loss and grad per step."""
import sys

import torch

def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2

RUNS = [
    lambda ps: torch.optim.SGD(ps, lr=0.001),
    lambda ps: torch.optim.SGD(ps, lr=0.001, momentum=0.9, nesterov=True),
    lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.99, centered=False),
    lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.9, 0.999), amsgrad=False),
]

def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    torch.manual_seed(0)
    for make in RUNS:
        p = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
        opt = make([p])
        params, losses, grads = [p.detach().clone()], [], []
        for _ in range(steps):
            opt.zero_grad()
            loss = rosenbrock(p)
            loss.backward()
            losses.append(loss.item())
            grads.append(p.grad.detach().clone())
            opt.step()
            params.append(p.detach().clone())
        losses.append(rosenbrock(p).item())

if __name__ == "__main__":
    main()
