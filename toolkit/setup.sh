#!/usr/bin/env bash
# Sets trajtool up on Debian 12 and runs it. Idempotent; as root (or with sudo).
#   bash toolkit/setup.sh run    install, build, generate the seminar's data, render OptimizerComparison
#   bash toolkit/setup.sh test   install, build, run every test
#   bash toolkit/setup.sh deps | build
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake g++ make pkg-config ccache git
  libtorch-dev libhdf5-dev hdf5-tools libeigen3-dev libboost-program-options-dev libyaml-cpp-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core fonts-dejavu-extra fonts-lmodern
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev ffmpeg
  nlohmann-json3-dev
  libssl-dev libarchive-dev
  libgtest-dev libgmock-dev
  texlive-latex-base texlive-latex-recommended dvisvgm
  python3 python3-torch python3-h5py python3-numpy python3-pandas
  libcsv-dev zlib1g-dev dataset-fashion-mnist
  chromium python3-matplotlib
)
BUILD_DIR=${TRAJTOOL_BUILD_DIR:-build}

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # npm: Debian's package only where no npm is on the machine (an image's own Node.js ships one,
  # and Debian's npm cannot be installed beside it).
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# plotly.js for the interactive pages (render --format html), pinned by viz/web/package-lock.json.
web() {
  [ -f viz/web/node_modules/plotly.js-gl3d-dist-min/plotly-gl3d.min.js ] && return 0
  npm ci --prefix viz/web --no-audit --no-fund --loglevel=error
}

build() {
  web
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)"
}

case "${1:-}" in
  deps) deps ;;
  build) deps; build ;;
  run)
    deps; build
    "$BUILD_DIR"/trajtool generate --config experiments/adam.yaml --config experiments/rotated_quadratic.yaml \
      --config experiments/bumpy_bowl.yaml --config experiments/optimizer_moments.yaml \
      --config experiments/optimizer_memory.yaml
    "$BUILD_DIR"/trajtool render OptimizerComparison -qm   # prints the MP4's path
    ;;
  test)
    deps; build
    ctest --test-dir "$BUILD_DIR" --output-on-failure
    ;;
  *) echo "usage: bash toolkit/setup.sh run|test|deps|build" >&2; exit 2 ;;
esac
