#!/usr/bin/env bash
# Installs what is missing, builds the console and starts it on the simulated machine.
# Extra arguments go to the program (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target waferscope
exec ./build/default/app/waferscope "$@"
