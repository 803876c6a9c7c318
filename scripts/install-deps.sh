#!/usr/bin/env bash
# Installs the Debian bookworm packages convscope builds and tests with, skipping those
# already present. Safe to run any number of times.
set -euo pipefail

packages=(
  # toolchain; clang and its runtimes (libFuzzer, sanitizers) for the fuzz build
  g++ cmake ninja-build pkg-config clang-14 libclang-rt-14-dev
  # Vulkan: loader and headers, lavapipe (the CPU driver used when no GPU is present),
  # the validation layer, and the shader compiler
  libvulkan-dev mesa-vulkan-drivers vulkan-validationlayers glslc libshaderc-dev vulkan-tools
  # libraries
  libglfw3-dev libimgui-dev libstb-dev nlohmann-json3-dev libcli11-dev libfmt-dev libzip-dev
  # tests: Catch2 and a virtual X server for the GUI tests
  catch2 xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo; missing: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
