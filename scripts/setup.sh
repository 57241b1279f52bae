#!/usr/bin/env bash
# Installs every Debian package agdf needs to build, test and benchmark.
# Idempotent: packages already present are skipped, and apt is not touched at all
# when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libboost1.81-dev nlohmann-json3-dev libcli11-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtbb-dev  # bench/engine_bench: oneTBB flow graphs, the engine's peer
  libsqlite3-dev  # server/store/sqlite: the run store
  # the Python package (client/python/agdf), its tests and examples, run with /usr/bin/python3
  python3 python3-grpcio python3-protobuf
  # the Python brewery example (HTTP and files in the node functions)
  python3-aiohttp python3-aiofiles
)

# Only the tests need these; `setup.sh --build-only` (the container's build stage) skips them.
test_packages=(
  # libFuzzer targets and the sanitizer build (scripts/fuzz.sh, scripts/sanitize.sh)
  clang-16 libclang-rt-16-dev
  llvm-16  # llvm-symbolizer-16: sanitizer and fuzzer reports with file and line
  # issue 14: the /metrics tests (promtool check metrics, a real Prometheus scraping the daemon)
  prometheus
  # issue 14: the dashboard driven in headless Chromium through Selenium (/usr/bin/python3)
  chromium chromium-driver python3-selenium
  # issue 14: `agdf graph --format svg` runs Graphviz's dot
  graphviz
)
[ "${1:-}" = "--build-only" ] || packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
