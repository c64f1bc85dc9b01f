#!/usr/bin/env python3
"""Render-stage benchmark: `trajtool render TrajectoryComparison` of the 4-run Rosenbrock experiment
(experiments/adam.yaml) at -qm and -qh, against a bare encode of the same frames with the same
encoder settings (libx264 veryfast, crf 20, 2 threads, yuv420p), measured in the same run.

The bare encode is the ffmpeg CLI encoding the rendered video's frames from a raw yuv420p file
(decoded beforehand, not timed, kept in /dev/shm when it fits), so the baseline pays for x264 and
nothing else. Peak memory is the render
process's maximum resident set size. Prints figures and ratios; asserts nothing.

usage: /usr/bin/python3 bench/bench_render.py [build-dir]"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
TRAJTOOL = os.path.join(BUILD, "trajtool")
CONFIG = os.path.join(ROOT, "experiments", "adam.yaml")

def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def timed(cmd):
    t0 = time.perf_counter()
    run(cmd)
    return time.perf_counter() - t0

def timed_with_peak(cmd):
    """Wall seconds and the process's own peak resident memory in MB (wait4's rusage)."""
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"{cmd} failed")
    return seconds, usage.ru_maxrss / 1024

def frames_and_duration(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                          "-show_entries", "stream=nb_read_frames:format=duration", "-of",
                          "default=noprint_wrappers=1:nokey=1", path],
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1])

def main():
    tmp = tempfile.mkdtemp(prefix="trajtool_render_bench_")
    cache = os.path.join(tmp, "cache")
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
        run([TRAJTOOL, "generate", "--config", CONFIG, "--cache-dir", cache])
        for flag, res, fps in (("-qm", "720p30", 30), ("-qh", "1080p60", 60)):
            media = os.path.join(tmp, "media")
            render, peak_mb = timed_with_peak([TRAJTOOL, "render", "TrajectoryComparison",
                                               "--config", CONFIG, flag, "--cache-dir", cache,
                                               "--media-dir", media])
            video = os.path.join(media, "videos", "TrajectoryComparison", res,
                                 "TrajectoryComparison.mp4")
            frames, duration = frames_and_duration(video)
            raw_dir = "/dev/shm" if os.path.isdir("/dev/shm") else tmp
            raw = os.path.join(raw_dir, f"trajtool_bench_{os.getpid()}.yuv")
            size = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                                   "-show_entries", "stream=width,height", "-of", "csv=p=0:s=x",
                                   video], check=True, capture_output=True, text=True).stdout.strip()
            try:
                run(["ffmpeg", "-v", "error", "-y", "-i", video, "-f", "rawvideo", "-pix_fmt",
                     "yuv420p", raw])
                encode = min(timed(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt",
                                    "yuv420p", "-s", size, "-r", str(fps), "-i", raw, "-c:v",
                                    "libx264", "-preset", "veryfast", "-crf", "20", "-threads",
                                    "2", "-pix_fmt", "yuv420p", os.path.join(tmp, "bare.mp4")])
                             for _ in range(2))
            finally:
                if os.path.exists(raw):
                    os.remove(raw)
            render_fps, encode_fps = frames / render, frames / encode
            print(f"{flag} {res}: {frames} frames ({duration:.1f} s of video)")
            print(f"  trajtool render:  {render:6.2f} s  {render_fps:6.1f} fps"
                  f"  ({duration / render:.2f}x real time; -qh target > 1x)")
            print(f"  bare x264 encode: {encode:6.2f} s  {encode_fps:6.1f} fps"
                  f"  -> render/encode throughput {render_fps / encode_fps:.0%} (target >= 70%)")
            print(f"  peak memory (max RSS of the render process): {peak_mb:.0f} MB"
                  f"  (target < 300 MB at -qh)")
            shutil.rmtree(media, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    main()
