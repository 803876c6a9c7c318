#!/usr/bin/env bash
# The whole test suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer
# (build-asan/): out-of-bounds access, use after free and undefined behaviour in our code
# abort the test that meets them. scripts/test.sh runs this after the normal suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${CONVSCOPE_ASAN_BUILD_DIR:-$root/build-asan}"
# GCC 12 with the sanitizers warns maybe-uninitialized inside libstdc++'s <regex> (CLI11
# uses it): a known false positive in a system header, silenced for this build only.
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wno-maybe-uninitialized"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
# Leak checking is off: the Vulkan loader and Mesa keep allocations to process exit that
# LeakSanitizer reports as leaks, and they are not ours to fix. UBSan prints its stack.
ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" "$@"
