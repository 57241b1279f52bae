#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs an example graph.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target agdf-server
./build/server/agdf-server run examples/three_nodes.json
