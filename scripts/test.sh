#!/usr/bin/env bash
# Installs what is missing, builds everything in ./build, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache paths relative to the repository, and the locale left out of its hashes: the image
# build (docker/build-and-try.sh, no LANG inside) reuses these objects, and so does a clone at
# another path.
export CCACHE_BASEDIR="$PWD" CCACHE_SLOPPINESS=locale
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2 --timeout 300
