#!/usr/bin/env python3
"""The baseline of bench_metrics.py: what a user writes today with matplotlib. Three curves of a
CSV log grow over the same steps in an animation, with a live value at each pen and a step counter,
written as H.264 MP4 by matplotlib's FFMpegWriter.

usage: /usr/bin/python3 bench/matplotlib_metric_curves.py LOG.csv OUT.mp4 WIDTH HEIGHT FPS FRAMES"""
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FFMpegWriter
import pandas as pd

log, out, width, height, fps, frames = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
table = pd.read_csv(log)
steps = table["_step"].to_numpy()
columns = [c for c in table.columns if c != "_step"][:3]
dpi = 100
fig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi)
fig.patch.set_facecolor("#0e0e12")
ax.set_facecolor("#0e0e12")
ax.set_xlim(steps[0], steps[-1])
low = min(table[c].min() for c in columns)
high = max(table[c].max() for c in columns)
ax.set_ylim(low - 0.05 * (high - low), high + 0.05 * (high - low))
ax.set_xlabel("step", color="white")
ax.tick_params(colors="white")
lines = [ax.plot([], [], lw=2, label=c)[0] for c in columns]
values = [ax.text(0, 0, "", color=l.get_color(), fontsize=11) for l in lines]
counter = ax.text(0.98, 1.02, "", transform=ax.transAxes, ha="right", color="white")
ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.3), ncol=3)
fig.tight_layout()
writer = FFMpegWriter(fps=fps, codec="libx264", extra_args=["-preset", "veryfast", "-crf", "20",
                                                            "-pix_fmt", "yuv420p"])
with writer.saving(fig, out, dpi):
    for frame in range(frames):
        upto = max(1, int(len(steps) * (frame + 1) / frames))
        for line, text, column in zip(lines, values, columns):
            y = table[column].to_numpy()[:upto]
            line.set_data(steps[:upto], y)
            text.set_position((steps[upto - 1], y[-1]))
            text.set_text(f"{y[-1]:.4g}")
        counter.set_text(f"step {steps[upto - 1]} / {steps[-1]}")
        writer.grab_frame()
