#!/usr/bin/env bash
# Installs what is missing, builds the console and starts it on the simulated machine.
# Extra arguments go to the program (try --help).
# Without a display (no $DISPLAY or $WAYLAND_DISPLAY, e.g. over ssh) the console is served over VNC
# on port 5900 instead (Qt's vnc platform): connect a VNC viewer to this machine to use it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target waferscope

headless=0
for argument in "$@"; do
  case "$argument" in --headless|--help|-h|--version|-v) headless=1 ;; esac
done
if ((headless == 0)) && [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
  echo "run.sh: no display here: serving the console over VNC on port 5900 (connect a VNC viewer to $(hostname):5900)"
  export QT_QPA_PLATFORM="vnc:size=1600x960:port=5900"
fi
exec ./build/default/app/waferscope "$@"
