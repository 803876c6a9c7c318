#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build, and run convscope.
# With a display this will open the desktop app once it exists (issue 6); until then, and
# always without a display, it runs the headless demo: the bundled sample image through the
# bundled default pipeline, writing one feature-map PNG per layer (into ./convscope-demo).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build="${CONVSCOPE_BUILD_DIR:-$root/build}"
if [ -n "${DISPLAY:-}" ] && "$build/app/convscope" gui --help >/dev/null 2>&1; then
  exec "$build/app/convscope" gui "$@"
fi
exec "$build/app/convscope" demo "$@"
