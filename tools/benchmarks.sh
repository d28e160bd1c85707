#!/usr/bin/env bash
# Builds the benchmark binaries of the default preset (RelWithDebInfo), runs every one of them with
# repeated measurements, and turns the results into docs/benchmarks.md (tools/bench_report.py).
# Other load on the machine shows up in the figures, so run it on a quiet machine; the report
# records the load average before and after the run.
#
# Usage: tools/benchmarks.sh [--build-dir DIR] [--filter REGEX] [--repetitions N] [--output FILE]
#   --build-dir    where to configure and build (default: build/default, the preset's own)
#   --filter       run only the cases whose name matches (Google Benchmark's --benchmark_filter)
#   --repetitions  measurements per case; the report shows their median (default: 5)
#   --output       the Markdown report (default: docs/benchmarks.md)
#   --soak         soak.json of a tools/rss_soak.sh run, for the engine's memory-over-time figures
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build/default
filter=.
repetitions=5
output=docs/benchmarks.md
soak=()
command="tools/benchmarks.sh${*:+ $*}"
while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --repetitions) repetitions=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --soak) soak=(--soak "$2"); shift 2 ;;
    *) echo "benchmarks.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

bash tools/setup.sh

echo "=== configure and build the benchmarks in ${build_dir}"
cmake --preset default -B "$build_dir" >/dev/null
cmake --build "$build_dir" --target benchmarks

results="${build_dir}/benchmark-results"
rm -rf "$results"
mkdir -p "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
shopt -s nullglob
# Benchmarks that draw with Qt Quick (wafer_map) need a platform plugin without a display.
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
binaries=("$build_dir"/tests/benchmarks/*_benchmark)
if ((${#binaries[@]} == 0)); then
  echo "benchmarks.sh: no benchmark binaries in ${build_dir}/tests/benchmarks" >&2
  exit 1
fi
for binary in "${binaries[@]}"; do
  name=$(basename "$binary")
  echo "=== ${name}"
  # The file gets every repetition and the aggregates; the console only the aggregates.
  "$binary" \
    --benchmark_filter="$filter" \
    --benchmark_repetitions="$repetitions" \
    --benchmark_display_aggregates_only=true \
    --benchmark_out="${results}/${name}.json" \
    --benchmark_out_format=json
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 tools/bench_report.py \
  --command "$command" \
  --build-dir "$build_dir" \
  --load "$load_before" "$load_after" \
  --output "$output" \
  "${soak[@]}" \
  "$results"/*.json
echo "=== wrote ${output}"
