#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through ctest on the
# Vulkan device found (lavapipe when there is no GPU), with the validation layer on; then
# the same suite built with AddressSanitizer and UBSan (scripts/test-sanitizers.sh; set
# CONVSCOPE_SANITIZERS=0 to skip it, about 10 minutes on 2 cores); then the libFuzzer targets
# for the .npy and JSON readers, a minute each (scripts/test-fuzz.sh; CONVSCOPE_FUZZ=0 skips
# it, about 3 minutes in all).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build="${CONVSCOPE_BUILD_DIR:-$root/build}"
"$build/app/convscope" devices
ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" "$@"
if [ "${CONVSCOPE_SANITIZERS:-1}" != 0 ]; then "$root/scripts/test-sanitizers.sh" "$@"; fi
if [ "${CONVSCOPE_FUZZ:-1}" != 0 ]; then "$root/scripts/test-fuzz.sh"; fi
