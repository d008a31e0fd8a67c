#!/bin/bash
# Resource bounds: a stream of 10,000,000 ids holds memory for the live ids
# only.  Peak RSS (GNU time %M) of
#   buddyctl: 10M `alloc id=iN` + `free id=iN` pairs vs 1,000 pairs (baseline)
#             vs 100,000 and 500,000 allocations that stay live;
#   kmapsim:  10M annotated `alloc ... id=iN pfn=` + `free id=iN` pairs;
#   va2pa --stream: 10M `map va= pa=` + `unmap va=` pairs;
#   buddyctl: 3M failing `alloc order=13 id=xN` (ENOMEM: remembered in a bounded history, not as
#             live ids) vs 1,000; kmapsim: 3M such alloc lines with result=ENOMEM vs 1,000;
#   buddyctl info on a 64 GB PAE board (16 M page frames; boot state O(free blocks)): <= 24 MB.
# Asserts that the 10M-pair and 3M-failure runs stay within 16 MB of their 1,000-line baseline,
# and that a live id costs at most 48 bytes of the map plus the 9 bytes of its page's frame state
# (500,000 vs 100,000 live ids);
# prints the figures (README "Reliability").  Usage: memory_test.sh BIN_DIR [IDS]
set -u
bin=$1 n=${2:-10000000}
export PATH="$bin:$PATH" LC_ALL=C
unset KMEMKIT_PROFILE KMEMKIT_PROFILE_PATH
[ -x /usr/bin/time ] || { echo "memory_test: /usr/bin/time (GNU time) not installed: SKIP"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
rss() {   # rss GEN-AWK-PROGRAM COUNT TOOL ARGS... -> prints peak RSS in kB
  local prog=$1 count=$2; shift 2
  awk -v n="$count" "BEGIN { for (i = 0; i < n; i++) $prog }" |
    /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/err"
  local rc=${PIPESTATUS[1]}
  [ "$rc" = 0 ] || { echo "FAIL: $* exit $rc: $(head -2 "$tmp/err")" >&2; fail=1; }
  cat "$tmp/rss"
}
pairs='printf "alloc order=0 id=i%d\nfree id=i%d\n", i, i'
live='printf "alloc order=0 id=i%d\n", i'
kpairs='printf "alloc order=0 id=i%d pfn=0x%x zone=HighMem\nfree id=i%d\n", i, 229376 + i % 32768, i'
vpairs='printf "map va=0x%x pa=0x%x id=v%d\nunmap va=0x%x\n", 4160749568 + (i % 4096) * 4096 + int(i / 4096) % 2 * 16777216, (i % 65536) * 4096, i, 4160749568 + (i % 4096) * 4096 + int(i / 4096) % 2 * 16777216'
b0=$(rss "$pairs" 1000 buddyctl -p pc-i386-pae)
b1=$(rss "$pairs" "$n" buddyctl -p pc-i386-pae)
l1=$(rss "$live" 100000 buddyctl -p pc-i386-pae)
l5=$(rss "$live" 500000 buddyctl -p pc-i386-pae)
k0=$(rss "$kpairs" 1000 kmapsim -p pc-i386)
k1=$(rss "$kpairs" "$n" kmapsim -p pc-i386)
failed='printf "alloc order=13 id=x%d\n", i'
f0=$(rss "$failed" 1000 buddyctl -p pc-i386-pae)
f1=$(rss "$failed" $((n * 3 / 10)) buddyctl -p pc-i386-pae)
kfailed='printf "alloc order=13 id=x%d result=ENOMEM reason=order_ge_MAX_ORDER\n", i'
kf0=$(rss "$kfailed" 1000 kmapsim -p pc-i386)
kf1=$(rss "$kfailed" $((n * 3 / 10)) kmapsim -p pc-i386)
: | /usr/bin/time -f %M -o "$tmp/rss" buddyctl -p pc-i386-pae --mem 64G info >/dev/null 2>"$tmp/err" ||
  { echo "FAIL: buddyctl info --mem 64G: $(head -2 "$tmp/err")"; fail=1; }
i64=$(cat "$tmp/rss")
v0=$(rss "$vpairs" 1000 va2pa -p pc-i386 --stream)
v1=$(rss "$vpairs" "$n" va2pa -p pc-i386 --stream)
echo "buddyctl peak RSS: 1,000 alloc+free pairs ${b0} kB; $n pairs ${b1} kB; 100,000 live ${l1} kB; 500,000 live ${l5} kB"
echo "kmapsim  peak RSS: 1,000 pairs ${k0} kB; $n pairs ${k1} kB"
echo "va2pa    peak RSS: 1,000 map+unmap pairs ${v0} kB; $n pairs ${v1} kB"
echo "buddyctl peak RSS: 1,000 failed allocations ${f0} kB; $((n * 3 / 10)) failed ${f1} kB; info on 64 GB PAE ${i64} kB"
echo "kmapsim  peak RSS: 1,000 failed allocations read ${kf0} kB; $((n * 3 / 10)) ${kf1} kB"
echo "buddyctl live id: $(( (l5 - l1) * 1024 / 400000 )) bytes each (map + frame state), 100,000 -> 500,000 live"
for x in "buddyctl $b0 $b1" "kmapsim $k0 $k1" "va2pa $v0 $v1" "buddyctl(failed) $f0 $f1" "kmapsim(failed) $kf0 $kf1"; do
  set -- $x
  [ "$3" -le $(($2 + 16384)) ] || { echo "FAIL: $1 holds $3 kB after $n freed ids (baseline $2 kB)"; fail=1; }
done
[ "$i64" -le 24576 ] || { echo "FAIL: buddyctl info on a 64 GB PAE board takes ${i64} kB (bound 24 MB)"; fail=1; }
[ $(( (l5 - l1) * 1024 / 400000 )) -le $((48 + 9)) ] ||
  { echo "FAIL: a live id costs $(( (l5 - l1) * 1024 / 400000 )) bytes (bound 48 + 9)"; fail=1; }
[ "$l5" -gt "$l1" ] || { echo "FAIL: live ids take no memory? (${l1} vs ${l5} kB)"; fail=1; }
exit $fail
