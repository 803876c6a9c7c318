#!/usr/bin/env bash
# Builds the libFuzzer targets (build-fuzz/, clang with ASan and UBSan) and runs each for a
# bounded time on a copy of its corpus in tests/fuzz/corpus/, so tests/ stays as committed.
# CONVSCOPE_FUZZ_SECONDS (default 60) is each fuzzer's run time; scripts/test.sh calls this
# after the sanitizer stage. Exits non-zero on any finding and says where its input is.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${CONVSCOPE_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${CONVSCOPE_FUZZ_SECONDS:-60}"
fuzz="$root/tests/fuzz"

# -O1 -g: fast enough to fuzz, and stacks that name the line. Only the fuzzers and what they
# link are built: not the app, not the Catch2 suite.
CC="${CC:-clang-14}" CXX="${CXX:-clang++-14}" \
  cmake -S "$root" -B "$build" -G Ninja -DCONVSCOPE_FUZZ=ON -DCONVSCOPE_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target fuzz_npy fuzz_layer_json fuzz_tfjs_manifest

work="$(mktemp -d "${TMPDIR:-/tmp}/convscope-fuzz.XXXXXX")"
failed=0
# fuzzer, longest input (well above the largest seed), dictionary.
run() {
  local name="$1" max_len="$2" dict="$3"
  local corpus="$work/$name" artifacts="$work/$name-findings/"
  mkdir -p "$corpus" "$artifacts"
  cp -r "$fuzz/corpus/$name/." "$corpus/"
  echo "test-fuzz: fuzz_$name for ${seconds}s on $(ls "$corpus" | wc -l) seeds"
  # Each input is capped in time (-timeout) and memory (-rss_limit_mb). Leaks are findings
  # too: unlike the sanitizer build's suite, nothing here loads Vulkan or Mesa.
  if ! UBSAN_OPTIONS=print_stacktrace=1 \
      "$build/tests/fuzz/fuzz_$name" "$corpus" -max_total_time="$seconds" -max_len="$max_len" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" -dict="$dict" \
      >"$work/$name.log" 2>&1; then
    tail -n 60 "$work/$name.log"
    echo "test-fuzz: fuzz_$name FOUND A PROBLEM; the input that shows it: $(ls "$artifacts"* 2>/dev/null | tr '\n' ' ')" >&2
    echo "test-fuzz: reproduce with $build/tests/fuzz/fuzz_$name FILE (log: $work/$name.log)" >&2
    failed=1
  else
    grep -E "^stat::number_of_executed_units|cov: " "$work/$name.log" | tail -n 2
  fi
}
run npy 4096 "$fuzz/npy.dict"
run layer_json 8192 "$fuzz/layer_json.dict"
run tfjs_manifest 4096 "$fuzz/tfjs_manifest.dict"

if [ "$failed" = 0 ]; then
  rm -rf "$work"
  echo "test-fuzz: no findings"
else
  exit 1
fi
