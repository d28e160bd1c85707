#!/usr/bin/env bash
# Installs what is missing, builds the console and starts it on the simulated machine.
# Extra arguments go to the program (try --help).
# Without a display (no $DISPLAY or $WAYLAND_DISPLAY, e.g. over ssh) the console runs on a virtual
# X display (Xvfb) served by x11vnc on 127.0.0.1:5900 only, with a password: reach it through an
# ssh tunnel (see the README, "Remote display"). Nothing listens on any other interface.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target waferscope

windowless=0
for argument in "$@"; do
  case "$argument" in --headless|--help|-h|--version|-v) windowless=1 ;; esac
done
if ((windowless == 1)) || [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" || -n "${QT_QPA_PLATFORM:-}" ]]; then
  exec ./build/default/app/waferscope "$@"
fi

# --- remote display: Xvfb + x11vnc on loopback, password-protected -----------------------------
port=${WAFERSCOPE_VNC_PORT:-5900}
config="${XDG_CONFIG_HOME:-$HOME/.config}/waferscope"
password_file="$config/vnc.passwd"
mkdir -p "$config"
chmod 700 "$config"
if [[ -n "${WAFERSCOPE_VNC_PASSWORD:-}" ]]; then
  x11vnc -storepasswd "$WAFERSCOPE_VNC_PASSWORD" "$password_file" >/dev/null 2>&1
elif [[ ! -s "$password_file" ]]; then
  generated=$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 8)
  x11vnc -storepasswd "$generated" "$password_file" >/dev/null 2>&1
  echo "run.sh: a VNC password was made for this user: $generated (kept in $password_file;"
  echo "        set WAFERSCOPE_VNC_PASSWORD to choose your own)"
fi
chmod 600 "$password_file"

display_number=""
for n in $(seq 90 99); do
  if [[ ! -e "/tmp/.X11-unix/X$n" && ! -e "/tmp/.X$n-lock" ]]; then display_number=$n; break; fi
done
if [[ -z "$display_number" ]]; then
  echo "run.sh: no free X display number between :90 and :99" >&2
  exit 1
fi
Xvfb ":$display_number" -screen 0 1600x960x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
vnc_pid=""
cleanup() {
  [[ -n "$vnc_pid" ]] && kill "$vnc_pid" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 50); do
  [[ -e "/tmp/.X11-unix/X$display_number" ]] && break
  sleep 0.1
done
x11vnc -display ":$display_number" -localhost -listen 127.0.0.1 -rfbport "$port" -rfbauth "$password_file" \
  -forever -shared -quiet -noipv6 >/dev/null 2>&1 &
vnc_pid=$!
echo "run.sh: no display here: the console is served by VNC on 127.0.0.1:$port only, with a password."
echo "        From your own machine: ssh -L $port:127.0.0.1:$port $(id -un)@$(hostname), then point a"
echo "        VNC viewer at localhost:$port."
DISPLAY=":$display_number" ./build/default/app/waferscope "$@"
