#!/usr/bin/env bash
# The sanitizer build: clang-16 with AddressSanitizer and UBSan (any report fails), in its
# own directory (build-san/), running the engine, nodes and parser tests. The same build
# directory holds the fuzz targets (scripts/fuzz.sh), so CI compiles the libraries once.
#   bash scripts/sanitize.sh            # configure, build, run the tests
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dir=build-san
start=$(date +%s)
# -O1 with line tables only: the sanitizers' usual trade between build time and speed.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
  -DCMAKE_CXX_COMPILER=clang++-16 -DAGDF_SANITIZE=ON -DAGDF_FUZZ=ON -DAGDF_BUILD_BENCH=OFF \
  > /dev/null
cmake --build "$dir" -j2 --target engine_tests nodes_tests graph_text_fuzzer graph_slots_fuzzer
echo "sanitize: build took $(( $(date +%s) - start )) s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
symbolizer=$(command -v llvm-symbolizer-16 || command -v llvm-symbolizer || true)
if [ -n "$symbolizer" ]; then
  export ASAN_SYMBOLIZER_PATH=$symbolizer
  UBSAN_OPTIONS+=:external_symbolizer_path=$symbolizer
fi
start=$(date +%s)
"$dir/tests/engine_tests" --gtest_brief=1
"$dir/tests/nodes_tests" --gtest_brief=1
echo "sanitize: tests took $(( $(date +%s) - start )) s"
