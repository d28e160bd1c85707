#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the whole suite in the default preset
# (RelWithDebInfo), then the pipelines tests (runtime, hardware, pipelines) under ASan + UBSan and
# under TSan. Idempotent: a second run rebuilds nothing that did not change.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh

# Compiles go through ccache. Paths under this checkout are hashed relative to it, so a checkout
# elsewhere (another folder, a CI copy) reuses what an earlier build compiled. A build folder that
# was configured before keeps the launcher it was configured with.
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR="$PWD"
  export CCACHE_NOHASHDIR=1
fi

passed=0
failed=0
status=0
run_preset() {
  local preset=$1
  echo "=== ${preset}: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "=== ${preset}: tests"
  local log
  log=$(mktemp)
  if ! ctest --preset "$preset" 2>&1 | tee "$log"; then
    status=1
  fi
  # "100% tests passed, 0 tests failed out of 42"
  local line total bad
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1 || true)
  if [[ -n "$line" ]]; then
    total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
    bad=$(sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/' <<<"$line")
    passed=$((passed + total - bad))
    failed=$((failed + bad))
  else
    status=1
  fi
  rm -f "$log"
}

run_preset default
run_preset asan
run_preset tsan

echo
echo "all presets (default, asan, tsan):"
echo "total: ${passed} passed, ${failed} failed"
exit $status
