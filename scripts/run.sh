#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, and run convscope: the
# desktop app when there is a display, else the headless demo (the bundled sample image
# through the bundled default pipeline, feature maps and index.html into ./convscope-demo).
# Arguments, if any, are a convscope subcommand to run instead (e.g. `demo --out /tmp/d`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build="${CONVSCOPE_BUILD_DIR:-$root/build}"
if [ $# -gt 0 ]; then
  exec "$build/app/convscope" "$@"
fi
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$build/app/convscope" gui
fi
exec "$build/app/convscope" demo
