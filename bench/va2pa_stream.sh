#!/bin/bash
# Times the va2pa binary (not a test): va2pa --stream < FILE > /dev/null over the
# files bench_va2pa generates (plain `va=0x...` lines, and the mixed lines of a
# buddyctl | kmapsim pipeline), best of RUNS, as CPU time (user + sys) because
# the machine may be shared.  Target (issue 3): >= 10 M lines/s on one core.
# Usage: bench/va2pa_stream.sh BUILD_DIR [LINES [RUNS [PROFILE]]]
set -eu
build=$(cd "${1:?usage: $0 BUILD_DIR [LINES [RUNS [PROFILE]]]}" && pwd)
lines=${2:-10000000} runs=${3:-5} profile=${4:-imx6q}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "va2pa --stream -p $profile, $lines lines per file, best of $runs runs, CPU time (user+sys); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in plain mixed; do
  "$build/bench/bench_va2pa" --gen "$kind" -p "$profile" -n "$lines" > "$tmp/$kind"
  best=
  for ((i = 0; i < runs; i++)); do
    t=$( { TIMEFORMAT='%U %S'; time "$build/va2pa" -p "$profile" --stream < "$tmp/$kind" > /dev/null; } 2>&1 )
    best=$(awk -v t="$t" -v b="$best" 'BEGIN { split(t, a, " "); s = a[1] + a[2]; print (b == "" || s < b) ? s : b }')
  done
  awk -v k="$kind" -v s="$best" -v n="$lines" 'BEGIN { printf "%-5s %8.3f s  %6.2f M lines/s\n", k, s, n / s / 1e6 }'
done
