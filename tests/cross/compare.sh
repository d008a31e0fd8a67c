#!/bin/bash
# The cross-built tools give byte for byte the host build's stdout, stderr and exit status:
# every real boot log of tests/data checked with --from-dmesg (text and JSON), every profile's
# map, zones, buddy state and kmap tables in every format, addresses through va2pa both ways
# (PAE boards past 4 GB too), and buddyctl | kmapsim | va2pa pipelines on generated traces.
# usage: compare.sh HOST_BIN_DIR CROSS_RUN_BIN_DIR SOURCE_DIR
set -u
host=$1 cross=$2 src=$3
data=$src/tests/data
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
cd "$data" || exit 2
export LC_ALL=C
unset KMEMKIT_PROFILE KMEMKIT_PROFILE_PATH

cmds=()
for log in bootlogs/*.txt oracle/logs/*; do
  [ -f "$log" ] || continue
  cmds+=("vmlayout --from-dmesg $log" "vmlayout --from-dmesg $log --json")
done
cmds+=("cat bootlogs/rk3128-box-3.10-1g-highmem.txt | vmlayout --from-dmesg -"
       "vmlayout --from-dmesg bootlogs/rk3128-box-3.10-1g-highmem.txt --emit-profile")
profiles=()
for p in "$src"/profiles/*.yaml; do profiles+=("$(basename "$p" .yaml)"); done
for p in "${profiles[@]}"; do
  cmds+=("vmlayout -p $p" "vmlayout -p $p --format=kernel" "vmlayout -p $p --explain" "vmlayout -p $p --json --explain"
         "vmlayout -p $p --kv" "vmlayout -p $p --diagram" "vmlayout -p $p --svg - --log-scale"
         "vmlayout -p $p --sweep mem=64M..2G:192M --json"
         "bootmem -p $p" "bootmem -p $p --format=kernel" "bootmem -p $p --json"
         "buddyctl info -p $p" "buddyctl info -p $p --json"
         "kmapsim show -p $p --all" "kmapsim show -p $p --json"
         "va2pa -p $p 0xc0000000 0xc0123456 0xbf000000 0xffff0000 0xfff00000 0xe0000000 0x10000000"
         "va2pa -p $p --json 0xc0008000 0xd0000000 0xf0000000"
         "va2pa -p $p -r 0x0 0x50000000 0x80000000 0x8fffffff 0xffffffff 0x100000000"
         "va2pa -p $p --mem-map 0xc0400000 0xc0001000")
  # one trace through the three filters: allocations, vmalloc, kmap and kmap_atomic, /proc views
  cmds+=("buddyctl gen --seed 11 --ops 4000 --mix alloc=50,free=35,vmalloc=4,vfree=3,show=1,kmap=4,kunmap=4,kmap_atomic=3,kunmap_atomic=3 --gfp GFP_KERNEL=60,GFP_HIGHUSER=30,GFP_DMA=10 --max-live 800 | buddyctl -p $p --summary | kmapsim -p $p --summary | va2pa -p $p --stream")
done
# 32-bit hazards: 64-bit physical addresses and sizes past 4 GB (PAE, LPAE), big counts
cmds+=("vmlayout -p pc-i386-pae --mem 6G" "vmlayout -p pc-i386-pae --ram 0x0:3G --ram 0x100000000:5G --json"
       "bootmem -p pc-i386-pae --mem 8G --json" "bootmem -p qemu-virt-arm-lpae --ram 0x40000000:3G --ram 0x100000000:4G"
       "va2pa -p pc-i386-pae --mem 8G -r 0x1ffffffff 0x100000000 0x37ffffff"
       "buddyctl info -p pc-i386-pae --mem 16G" "vmlayout -p imx6q --sweep vmalloc=64M..1G:64M"
       "buddyctl gen --seed 3 --ops 30000 --max-live 20000 | buddyctl -p pc-i386-pae --mem 8G --summary | tail -50"
       "buddyctl gen --seed 99999999999 --ops 2000 | md5sum")

n=0 bad=0
for c in "${cmds[@]}"; do
  n=$((n + 1))
  (PATH="$host:$PATH" bash -c "$c" >"$tmp/h.out" 2>"$tmp/h.err"; echo $? >"$tmp/h.rc")
  (PATH="$cross:$PATH" bash -c "$c" >"$tmp/c.out" 2>"$tmp/c.err"; echo $? >"$tmp/c.rc")
  if ! cmp -s "$tmp/h.out" "$tmp/c.out" || ! cmp -s "$tmp/h.err" "$tmp/c.err" || ! cmp -s "$tmp/h.rc" "$tmp/c.rc"; then
    bad=$((bad + 1))
    echo "DIFFER: $c"
    diff -u --label host --label cross "$tmp/h.out" "$tmp/c.out" | head -20
    diff -u --label host-stderr --label cross-stderr "$tmp/h.err" "$tmp/c.err" | head -10
    echo "status: host $(cat "$tmp/h.rc"), cross $(cat "$tmp/c.rc")"
  fi
done
echo "$((n - bad)) of $n commands give the host's output byte for byte"
[ "$bad" = 0 ]
