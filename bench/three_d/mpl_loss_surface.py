#!/usr/bin/env python3
"""The baseline of bench/bench_3d.py: what a user writes with matplotlib's mplot3d today. The
Himmelblau surface from the same 48 x 48 grid, four paths of 150 steps (read from trajtool's cache
files given on the command line) traced over 10 s while the camera turns 90 degrees, saved with
FuncAnimation through ffmpeg (libx264).

usage: python3 mpl_loss_surface.py OUT.mp4 WIDTH HEIGHT FPS GRID.h5 RUN.h5..."""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FFMpegWriter, FuncAnimation  # noqa: E402


def main():
    out, width, height, fps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with h5py.File(sys.argv[5], "r") as g:
        z = g["loss"][()]
        x = np.linspace(g.attrs["x_min"], g.attrs["x_max"], z.shape[1])
        y = np.linspace(g.attrs["y_min"], g.attrs["y_max"], z.shape[0])
    paths = []
    for name in sys.argv[6:]:
        with h5py.File(name, "r") as f:
            paths.append((f["params"][()], f["loss"][()]))
    X, Y = np.meshgrid(x, y)
    dpi = 100
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    ax = fig.add_subplot(projection="3d")
    ax.plot_surface(X, Y, z, cmap="viridis", linewidth=0, antialiased=True, alpha=1.0)
    ax.set_xlabel("θ₁")
    ax.set_ylabel("θ₂")
    ax.set_zlabel("loss")
    ax.set_title("Himmelblau")
    lines = [ax.plot([], [], [], lw=2.5)[0] for _ in paths]
    heads = [ax.plot([], [], [], "o")[0] for _ in paths]
    frames = 10 * fps
    steps = max(len(p[1]) for p in paths) - 1

    def update(frame):
        k = int(round(frame / (frames - 1) * steps))
        for line, head, (params, loss) in zip(lines, heads, paths):
            n = min(k + 1, len(loss))
            line.set_data_3d(params[:n, 0], params[:n, 1], loss[:n])
            head.set_data_3d(params[n - 1:n, 0], params[n - 1:n, 1], loss[n - 1:n])
        ax.view_init(elev=30, azim=-120 + 90 * frame / (frames - 1))
        return lines + heads

    anim = FuncAnimation(fig, update, frames=frames, blit=False)
    anim.save(out, writer=FFMpegWriter(fps=fps, codec="libx264"))


if __name__ == "__main__":
    main()
