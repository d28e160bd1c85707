#!/usr/bin/env bash
# Crash consistency: kills `waferscope --headless` with SIGKILL at random moments of its runs, many
# times over, all on one data folder, and then checks what is left: every start recovers the run the
# previous kill interrupted (marked aborted), and at the end one more lot must complete with balanced
# books, the database must pass PRAGMA integrity_check (when the sqlite3 tool is there), no run may
# be left open, every KLARF file must end with "EndOfFile;" and no half-written file may be left.
# Prints one line per kill and a JSON summary (kills, runs recovered, defects committed, seconds).
#
# Usage: tools/crash_loop.sh [--binary FILE] [--kills N] [--max-delay S] [--out DIR]
#   --binary     the program (default: build/default/app/waferscope)
#   --kills      how many kills (default: 20)
#   --max-delay  a kill comes 0.2 … S seconds after the start (default: 4)
#   --out        the data folder (default: a new folder under /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."

binary=build/default/app/waferscope
kills=20
maxDelay=4
out=""
while (($#)); do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --max-delay) maxDelay=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "crash_loop.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -x "$binary" ]] || { echo "crash_loop.sh: no program at $binary (build the waferscope target)" >&2; exit 1; }
[[ -n "$out" ]] || out=$(mktemp -d /tmp/waferscope-crash-XXXXXX)
mkdir -p "$out"
recipe=resources/recipes/quick-200mm.json
started=$(date +%s.%N)

for ((i = 1; i <= kills; i++)); do
  "$binary" --headless --unpaced --recipe "$recipe" --lot "CRASH$i" --wafers 25 --out "$out" >/dev/null 2>>"$out/stderr.log" &
  pid=$!
  delay=$(awk -v seed="$RANDOM" -v max="$maxDelay" 'BEGIN { srand(seed); printf "%.2f", 0.2 + rand() * (max - 0.2) }')
  sleep "$delay"
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
  fi
  wait "$pid" 2>/dev/null || true
  echo "kill $i after ${delay} s: $(find "$out/klarf" -name '*.klarf' | wc -l) KLARF files so far"
done

# One more lot on the same folder: it recovers the last kill and must complete with balanced books.
code=0
summary=$("$binary" --headless --unpaced --recipe "$recipe" --lot FINAL --wafers 1 --out "$out" 2>>"$out/stderr.log") || code=$?
echo "$summary" > "$out/final.json"
failures=0
[[ $code -eq 0 ]] || { echo "the final lot exited $code" >&2; failures=$((failures + 1)); }
grep -q '"ledger_balances": true' "$out/final.json" || { echo "the final lot's books do not balance" >&2; failures=$((failures + 1)); }

if command -v sqlite3 >/dev/null; then
  integrity=$(sqlite3 "$out/inspection.db" 'PRAGMA integrity_check;')
  [[ "$integrity" == ok ]] || { echo "integrity_check: $integrity" >&2; failures=$((failures + 1)); }
  open=$(sqlite3 "$out/inspection.db" "SELECT count(*) FROM runs WHERE state NOT IN ('completed','aborted','failed');")
  [[ "$open" == 0 ]] || { echo "$open runs left open" >&2; failures=$((failures + 1)); }
  recovered=$(sqlite3 "$out/inspection.db" "SELECT count(*) FROM runs WHERE end_reason = 'the program ended during the run';")
  defects=$(sqlite3 "$out/inspection.db" 'SELECT count(*) FROM defects;')
else
  integrity="not checked (no sqlite3)"; recovered=-1; defects=-1
fi
for klarf in $(find "$out/klarf" -name '*.klarf'); do
  [[ "$(tail -n 1 "$klarf")" == "EndOfFile;" ]] || { echo "not whole: $klarf" >&2; failures=$((failures + 1)); }
done
strays=$(find "$out" -name '.tmp-*' -o -name '*.klarf.??????' | wc -l)
[[ "$strays" -eq 0 ]] || { echo "$strays half-written files left" >&2; failures=$((failures + 1)); }

seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
printf '{"kills": %d, "runs_recovered": %s, "defects_committed": %s, "integrity": "%s", "failures": %d, "seconds": %s, "data": "%s"}\n' \
  "$kills" "$recovered" "$defects" "$integrity" "$failures" "$seconds" "$out"
exit $((failures > 0))
