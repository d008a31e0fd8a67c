#!/bin/bash
# The stream speed figures of issue 16, each beside its reference in the same run, as a ratio:
#   va2pa --stream, plain va= lines   vs  bench/ref_va2pa_loop (a tight hand-written loop doing the
#                                         same work; the output bytes are compared first)
#   va2pa --stream, mixed lines       vs  the baseline build's va2pa
#   buddyctl replay, 3 M events       vs  the baseline build's buddyctl   (gen --max-live 20000)
#   buddyctl gen | buddyctl | kmapsim | va2pa --stream, end to end  vs the baseline's four tools
# The baseline is the tools of commit BASE (default 1c83623, before the stream module), built
# from a git worktree into a temporary directory in this run, unless BASE_BUILD names a build
# directory that has them.  Each figure is the median of RUNS paired runs (baseline and current
# alternating), as CPU time (user + sys; for the pipeline, of all four processes), because the
# machine may be shared.  Not a test: it prints figures.
# Usage: bench/ratios.sh BUILD_DIR [RUNS]     (env: BASE=commit, BASE_BUILD=dir, LINES, EVENTS, PROFILE)
set -eu
build=$(cd "${1:?usage: bench/ratios.sh BUILD_DIR [RUNS]}" && pwd)
runs=${2:-5}
lines=${LINES:-5000000} events=${EVENTS:-3000000} profile=${PROFILE:-imx6q}
src=$(cd "$(dirname "$0")/.." && pwd)
base=${BASE:-1c83623}
tmp=$(mktemp -d)
cleanup() {
  [ -d "$tmp/base-src" ] && git -C "$src" worktree remove --force "$tmp/base-src" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${BASE_BUILD:-}" ]; then
  bb=$(cd "$BASE_BUILD" && pwd)
else
  echo "building the baseline ($base) in $tmp/base-build ..."
  git -C "$src" worktree add --detach "$tmp/base-src" "$base" >/dev/null 2>&1
  cmake -S "$tmp/base-src" -B "$tmp/base-build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$tmp/base-build" --target va2pa buddyctl kmapsim >/dev/null
  bb=$tmp/base-build
fi
for t in va2pa buddyctl kmapsim; do [ -x "$bb/$t" ] || { echo "ratios: $bb/$t is missing" >&2; exit 2; }; done
[ -x "$build/bench/ref_va2pa_loop" ] || { echo "ratios: build the bench targets first" >&2; exit 2; }

# cpu SECONDS of a shell command line (all its processes), from bash's `time`
cpu() { local t; t=$( { TIMEFORMAT='%U %S'; time bash -c "$1" >/dev/null 2>&1; } 2>&1 ); awk -v t="$t" 'BEGIN { split(t, a, " "); print a[1] + a[2] }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# pair NAME COUNT UNIT CMD_REF CMD_NEW TARGET: median of paired runs, rates and the ratio
pair() {
  local name=$1 count=$2 unit=$3 ref=$4 new=$5 target=$6 r n i
  : >"$tmp/r"; : >"$tmp/n"
  for ((i = 0; i < runs; i++)); do cpu "$ref" >>"$tmp/r"; cpu "$new" >>"$tmp/n"; done
  r=$(median <"$tmp/r"); n=$(median <"$tmp/n")
  awk -v name="$name" -v c="$count" -v u="$unit" -v r="$r" -v n="$n" -v t="$target" 'BEGIN {
    printf "%-34s %7.2f M %s/s   reference %7.2f M %s/s   ratio %5.2f (target %s)\n",
           name, c / n / 1e6, u, c / r / 1e6, u, r / n, t }'
}

echo "profile $profile; $lines lines, $events events; median of $runs paired runs, CPU time (user+sys)"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/bench_va2pa" --gen plain -p "$profile" -n "$lines" >"$tmp/plain"
"$build/bench/bench_va2pa" --gen mixed -p "$profile" -n "$lines" >"$tmp/mixed"
"$build/buddyctl" gen --seed 1 --ops "$events" --max-live 20000 >"$tmp/trace"

# the same work: the reference's output is va2pa's, byte for byte
"$build/bench/ref_va2pa_loop" -p "$profile" <"$tmp/plain" >"$tmp/ref.out"
"$build/va2pa" -p "$profile" --stream <"$tmp/plain" >"$tmp/va2pa.out"
cmp -s "$tmp/ref.out" "$tmp/va2pa.out" || { echo "ratios: the reference loop's output differs from va2pa's" >&2; exit 1; }
# and the baseline's output is the current one's (the figures compare the same output)
for k in plain mixed; do
  "$bb/va2pa" -p "$profile" --stream <"$tmp/$k" | cmp -s - <("$build/va2pa" -p "$profile" --stream <"$tmp/$k") ||
    echo "note: va2pa's $k output differs from the baseline's"
done
"$bb/buddyctl" -p "$profile" "$tmp/trace" | cmp -s - <("$build/buddyctl" -p "$profile" "$tmp/trace") ||
  echo "note: buddyctl's output differs from the baseline's"

pair "va2pa --stream plain" "$lines" lines \
  "'$build/bench/ref_va2pa_loop' -p $profile <'$tmp/plain'" "'$build/va2pa' -p $profile --stream <'$tmp/plain'" ">= 0.70"
pair "va2pa --stream mixed" "$lines" lines \
  "'$bb/va2pa' -p $profile --stream <'$tmp/mixed'" "'$build/va2pa' -p $profile --stream <'$tmp/mixed'" ">= 2"
pair "buddyctl replay (--max-live 20000)" "$events" events \
  "'$bb/buddyctl' -p $profile '$tmp/trace'" "'$build/buddyctl' -p $profile '$tmp/trace'" ">= 1.6"
pipe() { echo "'$1/buddyctl' gen --seed 1 --ops $events --max-live 20000 --mix alloc=50,free=40,vmalloc=2,vfree=2,kmap=2,kunmap=2,kmap_atomic=1,kunmap_atomic=1 --gfp GFP_KERNEL=70,GFP_HIGHUSER=30 | '$1/buddyctl' -p $profile | '$1/kmapsim' -p $profile | '$1/va2pa' -p $profile --stream"; }
pair "four-tool pipeline, end to end" "$events" lines "$(pipe "$bb")" "$(pipe "$build")" ">= 3"
