#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts the agdf daemon on a loopback
# port, runs an example graph through the agdf CLI (live progress on a terminal, JSON
# lines otherwise), then stops the daemon. Usage: scripts/demo.sh [GRAPH_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
graph=${1:-examples/concurrent_tasks.json}

bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target agdf-server agdf

log=$(mktemp)
./build/server/agdf-server serve --listen 127.0.0.1:0 --data-dir ./data >"$log" 2>&1 &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -f "$log"' EXIT

# The daemon prints "agdf-server listening on HOST:PORT" once it accepts calls.
for _ in $(seq 1 100); do
  address=$(sed -n 's/^agdf-server listening on //p' "$log")
  [ -n "$address" ] && break
  kill -0 $daemon 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.05
done
[ -n "$address" ] || { echo "agdf-server did not start:"; cat "$log"; exit 1; }

echo "agdf-server is listening on $address; running $graph"
status=0
./build/client/agdf --server "$address" run "$graph" || status=$?
echo "agdf run exited with $status"
exit $status
