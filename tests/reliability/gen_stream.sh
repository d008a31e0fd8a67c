#!/bin/bash
# gen_stream.sh N: N lines of a mixed kmemkit stream for the pc-i386 profile
# (1 GB: pfns 0x38000-0x3ffff are HighMem): every tool's verbs, comments,
# blank lines, unknown verbs, a CRLF line and no newline at the end.  Each
# tool finds its own lines well-formed; the others pass them through.
n=${1:-1000000}
awk -v n="$n" 'BEGIN {
  for (i = 0; i < n; i++) {
    k = i % 20; j = int(i / 20)
    if (k == 0) printf "alloc order=%d id=a%d\n", j % 4, j
    else if (k == 1) printf "alloc order=0 gfp=GFP_HIGHUSER id=h%d\n", j
    else if (k == 2) printf "kmap pfn=0x%x\n", 229376 + j % 512
    else if (k == 3) printf "lookup va=0x%x\n", 3221225472 + (j % 4096) * 4096
    else if (k == 4) printf "# comment %d\n", j
    else if (k == 5) printf "\n"
    else if (k == 6) printf "frobnicate x=%d y=z\n", j
    else if (k == 7) printf "kunmap pfn=0x%x\n", 229376 + j % 512
    else if (k == 8) printf "free id=a%d\n", j
    else if (k == 9) printf "phys pa=0x%x\n", (j % 65536) * 4096
    else if (k == 10) printf "vmalloc size=8192 id=v%d\n", j
    else if (k == 11) printf "kmap_atomic type=KM_USER0 pfn=0x%x\n", 229376 + j % 512
    else if (k == 12) printf "kunmap_atomic type=KM_USER0 pfn=0x%x\n", 229376 + j % 512
    else if (k == 13) printf "vfree id=v%d\n", j
    else if (k == 14) printf "free id=h%d\n", j
    else if (k == 15) printf "%s\n", (j % 1000 == 0) ? "show" : "# no show this time"
    else if (k == 16) printf "\t  \n"
    else if (k == 17) printf "unknownverb\n"
    else if (k == 18) printf "%s\n", (j == 0) ? "crlf x=1\r" : "plain x=1"
    else if (i == n - 1) printf "last line without newline"
    else printf "# %d\n", i
  }
}'
