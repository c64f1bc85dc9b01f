#!/usr/bin/env python3
"""NetworkActivity benchmark: trains the shipped cart-pole agent (experiments/cartpole_a2c.yaml)
into a fresh cache, then renders a ~90 s clip at 960x540@30 of the trained agent's network
activity (five 500-step evaluation episodes of the last milestone, one after another), and
prints:
  - the training time (the entry's train_seconds) and the final mean return over the last
    milestone's 10 evaluation episodes (the issue asks >= 475, and training < 60 s);
  - the render's wall time against the clip's own length, real time being the baseline measured
    in the same run (the issue asks >= 15x faster than real time), and against a bare x264 encode
    of the same frames with the same settings (the shipped scene's `encoder: {preset:
    ultrafast}`, crf 20), the floor of any renderer;
  - the render process's peak resident memory (the issue asks < 250 MB: frames stream to the
    encoder, nothing holds the clip).
Asserts nothing; one run prints the figures.

usage: /usr/bin/python3 bench/bench_network_activity.py [build-dir]"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
TRAJTOOL = os.path.join(BUILD, "trajtool")
CONFIG = os.path.join(ROOT, "experiments", "cartpole_a2c.yaml")

PRESET = "ultrafast"  # as experiments/scenes/NetworkActivity.yaml
SCENE = """scene: ActivityBench
resolution: 960x540
encoder: {preset: %s}
experiments:
  main: %s
sections:
  - name: episodes
    blocks:
      - network_activity: {experiment: main, milestones: [3], episodes: [0, 1, 2, 3, 4]}
"""


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def timed_with_peak(cmd):
    """Wall seconds and the process's own peak resident memory in MB (wait4's rusage)."""
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"{cmd} failed")
    return seconds, usage.ru_maxrss / 1024


def main():
    tmp = tempfile.mkdtemp(prefix="trajtool_activity_bench_")
    cache = os.path.join(tmp, "cache")
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
        t0 = time.perf_counter()
        run([TRAJTOOL, "generate", "--config", CONFIG, "--cache-dir", cache])
        generate_wall = time.perf_counter() - t0
        entry = run([TRAJTOOL, "cache", "path", "--config", CONFIG, "--cache-dir", cache]).split()[0]
        with h5py.File(entry, "r") as f:
            train_seconds = float(f.attrs["train_seconds"])
            last = f["milestones/%d/eval_returns" % (len(f["milestones"]) - 1)][()]
        print(f"training: {train_seconds:.1f} s (generate wall {generate_wall:.1f} s, "
              f"limit 60 s); final mean return {last.mean():.1f} over {len(last)} episodes "
              f"(needs >= 475)")

        scenes = os.path.join(tmp, "scenes")
        os.makedirs(scenes)
        with open(os.path.join(scenes, "ActivityBench.yaml"), "w") as out:
            out.write(SCENE % (PRESET, CONFIG))
        video = os.path.join(tmp, "clip.mp4")
        render, peak_mb = timed_with_peak([TRAJTOOL, "render", "ActivityBench", "--scenes", scenes,
                                           "--cache-dir", cache, "-o", video])
        probe = run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                     "stream=width,height,r_frame_rate,codec_name:format=duration", "-of",
                     "default=noprint_wrappers=1", video])
        info = dict(line.split("=", 1) for line in probe.split())
        duration = float(info["duration"])
        frames = round(duration * 30)
        print(f"clip: {info['codec_name']} {info['width']}x{info['height']} @ "
              f"{info['r_frame_rate']}, {duration:.1f} s, {frames} frames, "
              f"{os.path.getsize(video) / 1e6:.1f} MB ({os.path.getsize(video) * 8 / duration / 1e6:.2f} "
              f"Mbit/s, x264 {PRESET})")
        print(f"render: {render:.2f} s = {duration / render:.1f}x faster than real time "
              f"(baseline: the clip's {duration:.1f} s; needs >= 15x), {frames / render:.0f} fps")
        print(f"peak memory of the render: {peak_mb:.0f} MB (needs < 250 MB)")

        # The encoder's floor: the same frames, decoded beforehand, encoded by the ffmpeg CLI.
        shm = "/dev/shm" if os.path.isdir("/dev/shm") else tmp
        raw = os.path.join(shm, f"activity_bench_{os.getpid()}.yuv")
        try:
            run(["ffmpeg", "-v", "error", "-y", "-i", video, "-f", "rawvideo", "-pix_fmt",
                 "yuv420p", raw])
            t0 = time.perf_counter()
            run(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s",
                 f"{info['width']}x{info['height']}", "-r", "30", "-i", raw, "-c:v", "libx264",
                 "-preset", PRESET, "-crf", "20", "-threads", "2",
                 os.path.join(tmp, "bare.mp4")])
            bare = time.perf_counter() - t0
            print(f"bare x264 {PRESET} encode of the same frames: {bare:.2f} s "
                  f"({duration / bare:.1f}x real time); render / bare encode = {render / bare:.2f}")
        finally:
            if os.path.exists(raw):
                os.remove(raw)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
