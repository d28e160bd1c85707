#!/usr/bin/env bash
# Memory over a long run: starts `waferscope --headless` on a lot long enough to last about ten
# minutes, samples the process's resident set size (VmRSS in /proc/<pid>/status) every few seconds
# until the lot ends, and prints the start, after-warm-up, end and maximum RSS, the growth over the
# second half of the run, and the baseline's drift (the median of the first minute after warm-up
# against that of the last minute, so short peaks at wafer changes do not count). The samples go to <out>/rss.csv, the program's JSON summary to
# <out>/summary.json, the figures to <out>/soak.json (tools/benchmarks.sh --soak puts them in
# docs/benchmarks.md).
# The lot runs at realtime pacing by default: a recipe made from the default one (300 mm wafers,
# 1024 × 1024 frames, every die) with the simulator's frame rate lowered to --fps, so 25 wafers
# last ≈ 25 × dies / fps seconds (≈ 11 minutes at 20 fps) while leaving the machine's cores mostly
# free. --unpaced runs as fast as the pipeline goes instead (a shorter, CPU-bound run).
#
# Usage: tools/rss_soak.sh [--binary FILE] [--fps F] [--wafers N] [--interval S] [--out DIR] [--unpaced]
#   --binary    the program (default: build/default/app/waferscope)
#   --fps       the simulator's frames per second (default: 20)
#   --wafers    wafers in the lot, 1…25 (default: 25)
#   --interval  seconds between samples (default: 5)
#   --out       where the data folder, samples and summary go (default: a new folder under /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."

binary=build/default/app/waferscope
fps=20
wafers=25
interval=5
out=""
pacing=()
while (($#)); do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --fps) fps=$2; shift 2 ;;
    --wafers) wafers=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --unpaced) pacing=(--unpaced); shift ;;
    *) echo "rss_soak.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -x "$binary" ]] || { echo "rss_soak.sh: no program at $binary (build the waferscope target)" >&2; exit 1; }
[[ -n "$out" ]] || out=$(mktemp -d /tmp/waferscope-soak.XXXXXX)
mkdir -p "$out"

recipe="$out/soak-recipe.json"
python3 - "$fps" "$recipe" <<'EOF'
import json, sys
fps, target = float(sys.argv[1]), sys.argv[2]
recipe = json.load(open("resources/recipes/default.json"))
recipe["name"] = "soak"
recipe["description"] = f"The default recipe at {fps:g} frames per second, for tools/rss_soak.sh."
recipe["simulator"]["framesPerSecond"] = fps
json.dump(recipe, open(target, "w"), indent=2)
EOF

"$binary" --headless --recipe "$recipe" --lot SOAK --wafers "$wafers" --out "$out/data" "${pacing[@]}" \
  >"$out/summary.json" 2>"$out/stderr.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' INT TERM

start=$(date +%s.%N)
echo "seconds,rss_kb" >"$out/rss.csv"
while [[ -r /proc/$pid/status ]]; do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [[ -n "$rss" ]] && awk -v now="$(date +%s.%N)" -v start="$start" -v rss="$rss" \
    'BEGIN { printf "%.1f,%s\n", now - start, rss }' >>"$out/rss.csv"
  sleep "$interval"
done
wait "$pid" && status=0 || status=$?

python3 - "$out" "$status" "$fps" "$wafers" "$interval" "${pacing[*]:-realtime}" <<'EOF'
import csv, json, sys
out, status = sys.argv[1], int(sys.argv[2])
fps, wafers, interval, pacing = float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
rows = [(float(r["seconds"]), int(r["rss_kb"])) for r in csv.DictReader(open(f"{out}/rss.csv"))]
if not rows:
    sys.exit("rss_soak.sh: no samples")
mb = lambda kb: kb / 1024.0
warm = next((r for r in rows if r[0] >= 60.0), rows[-1])
half = [r for r in rows if r[0] >= rows[-1][0] / 2]
# The baseline, without the short peaks of wafer changes: the median of the first minute after
# warm-up and of the last minute.
def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else float("nan")
first = median([r[1] for r in rows if warm[0] <= r[0] < warm[0] + 60.0])
last = median([r[1] for r in rows if r[0] >= rows[-1][0] - 60.0])
minutes = max((rows[-1][0] - 30.0 - (warm[0] + 30.0)) / 60.0, 1e-9)
try:
    summary = json.load(open(f"{out}/summary.json"))
except (OSError, ValueError):
    summary = {}
print(f"samples: {len(rows)} over {rows[-1][0]:.0f} s; exit status {status}; "
      f"run {summary.get('state', '?')}, {summary.get('frames', {}).get('processed', '?')} frames, "
      f"{summary.get('frames_per_second', 0):.1f} frames/s")
print(f"RSS start {mb(rows[0][1]):.1f} MB, after warm-up (t={warm[0]:.0f} s) {mb(warm[1]):.1f} MB, "
      f"end {mb(rows[-1][1]):.1f} MB, max {mb(max(r[1] for r in rows)):.1f} MB")
print(f"second half: {mb(half[0][1]):.1f} MB at t={half[0][0]:.0f} s -> {mb(half[-1][1]):.1f} MB at "
      f"t={half[-1][0]:.0f} s ({mb(half[-1][1] - half[0][1]):+.1f} MB); "
      f"min/max in the second half {mb(min(r[1] for r in half)):.1f}/{mb(max(r[1] for r in half)):.1f} MB")
print(f"baseline (median of a minute): {mb(first):.1f} MB after warm-up -> {mb(last):.1f} MB at the end "
      f"({mb(last - first):+.1f} MB, {mb(last - first) / minutes:+.2f} MB/min)")
print(f"samples in {out}/rss.csv, summary in {out}/summary.json, figures in {out}/soak.json")
json.dump({
    "pacing": "unpaced" if pacing == "--unpaced" else "realtime", "simulator_fps": fps, "wafers": wafers,
    "interval_s": interval, "exit_status": status, "run_state": summary.get("state"),
    "frames_processed": summary.get("frames", {}).get("processed"),
    "frames_per_second": summary.get("frames_per_second"),
    "allocations_per_frame_steady_state": summary.get("allocations_per_frame_steady_state"),
    "samples": len(rows), "seconds": rows[-1][0],
    "rss_start_mb": mb(rows[0][1]), "rss_warm_mb": mb(warm[1]), "warm_at_s": warm[0],
    "rss_end_mb": mb(rows[-1][1]), "rss_max_mb": mb(max(r[1] for r in rows)),
    "second_half_from_s": half[0][0], "second_half_growth_mb": mb(half[-1][1] - half[0][1]),
    "second_half_min_mb": mb(min(r[1] for r in half)), "second_half_max_mb": mb(max(r[1] for r in half)),
    "baseline_first_mb": mb(first), "baseline_last_mb": mb(last),
    "baseline_growth_mb_per_min": mb(last - first) / minutes,
}, open(f"{out}/soak.json", "w"), indent=2)
EOF
