#!/usr/bin/env bash
# Builds the libFuzzer targets (ASan + UBSan, clang-16, in build-san/), replays the committed
# seed corpus (fuzz/corpus/<target>/, a reproducer for every defect of issue 9 included),
# then fuzzes each target for a bounded time. New inputs go to a scratch corpus, never into
# the repository; a crash leaves its input in build-san/fuzz-findings/ and fails the script.
#   bash scripts/fuzz.sh            # 60 s per target (CI)
#   bash scripts/fuzz.sh 600        # 10 min per target, by hand
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
dir=build-san
targets=(graph_text graph_slots)

bash scripts/setup.sh
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
  -DCMAKE_CXX_COMPILER=clang++-16 -DAGDF_SANITIZE=ON -DAGDF_FUZZ=ON -DAGDF_BUILD_BENCH=OFF \
  > /dev/null
cmake --build "$dir" -j2 --target "${targets[@]/%/_fuzzer}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
symbolizer=$(command -v llvm-symbolizer-16 || command -v llvm-symbolizer || true)
if [ -n "$symbolizer" ]; then
  export ASAN_SYMBOLIZER_PATH=$symbolizer
  UBSAN_OPTIONS+=:external_symbolizer_path=$symbolizer
fi
findings="$dir/fuzz-findings"
mkdir -p "$findings"
for target in "${targets[@]}"; do
  binary="$dir/fuzz/${target}_fuzzer"
  seeds="fuzz/corpus/$target"
  echo "fuzz: replaying $(ls "$seeds" | wc -l) seeds of $target"
  "$binary" -runs=0 -rss_limit_mb=4096 "$seeds" 2>&1 | grep -E 'INITED|ERROR|SUMMARY' ||
    { echo "fuzz: replaying $target failed" >&2; exit 1; }

  scratch="$dir/fuzz-corpus/$target"
  mkdir -p "$scratch"
  echo "fuzz: $target for ${seconds} s"
  # -max_len keeps mutations quick; the large reproducers were replayed whole above.
  "$binary" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$findings/${target}-" "$scratch" "$seeds" 2>&1 |
    grep -E '^#[0-9]+ +DONE|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|ERROR|SUMMARY' ||
    true
  # A slow-unit file only says one input once took over 10 s (a loaded machine does that);
  # it is reported and kept, and replayed here to tell a real hang (-timeout) from a stall.
  for slow in "$findings/${target}-slow-unit-"*; do
    [ -e "$slow" ] || continue
    echo "fuzz: $target: $slow was slow once; replaying it"
    "$binary" -timeout=10 -rss_limit_mb=4096 "$slow" > /dev/null 2>&1 ||
      { echo "fuzz: $target fails on $slow" >&2; exit 1; }
    mv "$slow" "$slow.replayed"
  done
  if ls "$findings/${target}-"* 2> /dev/null | grep -qv '\.replayed$'; then
    echo "fuzz: $target has findings in $findings" >&2
    exit 1
  fi
done
echo "fuzz: no findings"
