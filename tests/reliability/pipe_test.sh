#!/bin/bash
# Nothing lost in pipes (README "Reliability"):
#  1. every filter passes a 1,000,000-line mixed stream (gen_stream.sh) line for
#     line: N in, N out plus exactly the lines it documents inserting;
#     the same through the chain buddyctl | kmapsim | va2pa --stream;
#  2. `| head -1` ends every tool quietly with status 0 (EPIPE);
#  3. a write error other than EPIPE (> /dev/full) is an error, status 2.
# Usage: pipe_test.sh BIN_DIR [LINES]
set -u
bin=$1 n=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
export PATH="$bin:$PATH" LC_ALL=C
unset KMEMKIT_PROFILE KMEMKIT_PROFILE_PATH
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

bash "$here/gen_stream.sh" "$n" >"$tmp/in"
# Expected insertions, from the generator (one cycle of 20 lines per j, n/20 cycles):
#  buddyctl: `vmalloc size=8192` -> 2 pages -> 2 `map` lines each (man buddyctl: one
#    per backing page); its `vfree` -> one `unmap va= pages=2` line (the kernel clears
#    the area's PTEs at vfree); `show` (every 1000th cycle) -> one /proc/buddyinfo `Node`
#    line per populated zone: pc-i386 (1 GB, CONFIG_HIGHMEM) has DMA, Normal, HighMem.
#  kmapsim: a `map` line per new mapping: every kmap_atomic maps a fixmap slot anew;
#    kmap of the 512 distinct HighMem pfns maps each once (LAST_PKMAP is 1024, and
#    kunmap leaves the entry mapped until a flush, so later kmaps reuse it).  No
#    `unmap` lines: 2.6.18 i386 kunmap_atomic clears the PTE only with
#    CONFIG_DEBUG_HIGHMEM, and 512 entries never wrap the pkmap area (no flush).
#  va2pa --stream: annotates in place, inserts nothing.
cycles=$((n / 20)); shows=$(((cycles + 999) / 1000))
want_buddyctl=$((n + 2 * cycles + cycles + 3 * shows))
want_kmapsim=$((n + cycles + (cycles < 512 ? cycles : 512)))
want_va2pa=$n

check() {   # check NAME WANT ALLOWED-WORDS CMD...
  local name=$1 want=$2 allowed=$3; shift 3
  "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc = 0 ] || bad "$name: exit status $rc"
  grep -v 'CRLF line ends' "$tmp/err" | head -3 | grep . && bad "$name: unexpected stderr"
  awk -v input="$tmp/in" -v tool="$name" -v allowed="$allowed" -f "$here/check_lines.awk" "$tmp/out" || bad "$name: lines lost or reordered"
  local got; got=$(wc -l <"$tmp/out")
  [ "$got" = "$want" ] || bad "$name: $got lines out, expected $want"
}
check buddyctl "$want_buddyctl" "map unmap Node" buddyctl -p pc-i386
check kmapsim "$want_kmapsim" "map" kmapsim -p pc-i386
check va2pa "$want_va2pa" "" va2pa -p pc-i386 --stream
chain() { buddyctl -p pc-i386 | kmapsim -p pc-i386 | va2pa -p pc-i386 --stream; }
# the chain: kmapsim also sees buddyctl's HighMem allocations (id=h.. pfn=..) but
# maps nothing for them; its inserted lines are the same as alone
check chain "$((want_buddyctl + want_kmapsim - n))" "map unmap Node" chain

# | head -1: status 0, nothing on stderr, for every tool (the big stream makes
# sure the writer is still writing when head exits)
grep -v $'\r' "$tmp/in" >"$tmp/in-lf"
seq 0 4096 400000000 | awk '{ printf "0x%x\n", $1 + 3221225472 }' >"$tmp/addrs"
while IFS='|' read -r name cmd; do
  bash -c "$cmd | head -1 >/dev/null; exit \${PIPESTATUS[0]}" <"$tmp/in-lf" 2>"$tmp/err"
  rc=$?
  [ $rc = 0 ] || bad "head -1: $name: exit status $rc"
  [ -s "$tmp/err" ] && bad "head -1: $name: stderr: $(head -2 "$tmp/err")"
done <<EOF2
vmlayout|vmlayout -p s3c6410 --explain
bootmem|bootmem -p pc-i386-pae --json
va2pa addresses|va2pa -p pc-i386 <"$tmp/addrs"
va2pa --stream|va2pa -p pc-i386 --stream
buddyctl|buddyctl -p pc-i386
buddyctl gen|buddyctl -p pc-i386 gen --ops 1000000
buddyctl info|buddyctl -p pc-i386 info
kmapsim|kmapsim -p pc-i386
kmapsim show|kmapsim -p pc-i386 show --all
EOF2

# > /dev/full: status 2 and one error line
for t in "vmlayout -p s3c6410" "bootmem -p pc-i386" "va2pa -p pc-i386 --stream" "buddyctl -p pc-i386" "kmapsim -p pc-i386"; do
  $t <"$tmp/in-lf" >/dev/full 2>"$tmp/err"
  rc=$?
  [ $rc = 2 ] || bad "/dev/full: $t: exit status $rc, expected 2"
  want="${t%% *}: error: write error: No space left on device"
  [ "$(cat "$tmp/err")" = "$want" ] || bad "/dev/full: $t: stderr '$(head -c 200 "$tmp/err")', expected '$want'"
done
[ $fail = 0 ] && echo "pipe test: all filters kept every line of $n; head -1 quiet; /dev/full -> 2"
exit $fail
