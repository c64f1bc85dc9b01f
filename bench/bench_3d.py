#!/usr/bin/env python3
"""3D benchmark: the Himmelblau surface from a 48 x 48 grid, four paths of 150 steps traced over
10 s while the camera turns 90 degrees (bench/three_d/: the experiment, the scene file), drawn by

  - matplotlib's mplot3d with FuncAnimation, saved through ffmpeg/libx264 (the baseline a user
    would write today: bench/three_d/mpl_loss_surface.py), at 1280x720 30 fps, and
  - `trajtool render LossSurfaceBench` at -qm (1280x720 30 fps) and -qh (1920x1080 60 fps), with
    the x264 preset of the shipped 3D scenes (superfast; docs/scenes.md, `encoder`),

in the same run, from the same cached grid and runs. Targets: trajtool >= 20x faster than the
baseline at -qm; -qh faster than real time (10 s of video in under 10 s). Peak memory is each
process's maximum resident set size (wait4's rusage; for the baseline, the larger of Python's and
ffmpeg's as reported for the process tree's children). Prints figures; asserts nothing.

usage: /usr/bin/python3 bench/bench_3d.py [build-dir]"""
import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
TRAJTOOL = os.path.join(BUILD, "trajtool")
HERE = os.path.join(ROOT, "bench", "three_d")
CONFIG = os.path.join(HERE, "himmelblau_4.yaml")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, cwd=ROOT, **kw).stdout


def timed_with_peak(cmd):
    """Wall seconds and the peak resident memory in MB of the process and of its children."""
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    if status != 0:
        raise RuntimeError(f"{cmd} failed")
    grandchildren = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, usage.ru_maxrss / 1024, grandchildren / 1024


def frames_and_duration(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                          "-show_entries", "stream=nb_read_frames:format=duration", "-of",
                          "default=noprint_wrappers=1:nokey=1", path],
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1])


def main():
    tmp = tempfile.mkdtemp(prefix="trajtool_3d_bench_")
    cache = os.path.join(tmp, "cache")
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}")
        run([TRAJTOOL, "generate", "--config", CONFIG, "--cache-dir", cache])
        runs = run([TRAJTOOL, "cache", "path", "--config", CONFIG, "--cache-dir", cache]).split()
        grid = glob.glob(os.path.join(cache, "grids", "*.h5"))
        assert len(grid) == 1 and len(runs) == 4, (grid, runs)

        base_out = os.path.join(tmp, "mpl.mp4")
        base, base_peak, base_child_peak = timed_with_peak(
            ["/usr/bin/python3", os.path.join(HERE, "mpl_loss_surface.py"), base_out, "1280", "720",
             "30", grid[0]] + runs)
        base_frames, base_seconds = frames_and_duration(base_out)
        print(f"matplotlib mplot3d + FuncAnimation 1280x720@30: {base:.2f} s for {base_frames} "
              f"frames ({base_frames / base:.1f} fps, {base_seconds:.1f} s of video); peak RSS "
              f"{base_peak:.0f} MB (python), {base_child_peak:.0f} MB (largest child); "
              f"{os.path.getsize(base_out) / 1e6:.2f} MB")
        for flag in ("-qm", "-qh"):
            out = os.path.join(tmp, f"trajtool{flag}.mp4")
            seconds, peak, _ = timed_with_peak(
                [TRAJTOOL, "render", "LossSurfaceBench", "--scenes", HERE, flag, "--cache-dir",
                 cache, "-o", out])
            frames, video = frames_and_duration(out)
            line = (f"trajtool LossSurfaceBench {flag}: {seconds:.2f} s for {frames} frames "
                    f"({frames / seconds:.1f} fps, {video:.1f} s of video, {video / seconds:.2f}x "
                    f"real time); peak RSS {peak:.0f} MB; {os.path.getsize(out) / 1e6:.2f} MB "
                    f"(the scene's x264 preset, superfast)")
            if flag == "-qm":
                per_frame = (base / base_frames) / (seconds / frames)
                line += (f"; {base / seconds:.1f}x faster than matplotlib in wall time, "
                         f"{per_frame:.1f}x per frame (target >= 20x)")
            else:
                line += " (target > 1x real time)"
            print(line)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
