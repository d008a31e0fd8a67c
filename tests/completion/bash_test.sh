#!/bin/bash
# The bash completion script: `complete -p` names its function for every tool, and the function,
# driven as bash drives it (COMP_WORDS split at '=' as COMP_WORDBREAKS does, COMP_CWORD), gives
# exactly the expected candidates.  usage: bash_test.sh BIN_DIR SCRIPT
set -u
bin=$1 script=$2
export PATH="$bin:$PATH" LC_ALL=C
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
touch s3-notes.txt trace.txt   # files the file-taking options offer too
# shellcheck source=/dev/null
source "$script" || exit 1
fail=0
for tool in vmlayout va2pa bootmem buddyctl kmapsim; do
  got=$(complete -p $tool 2>&1)
  if [ "$got" = "complete -F _kmemkit $tool" ]; then echo "ok: complete -p $tool"
  else echo "FAIL: complete -p $tool: '$got'"; fail=1; fi
done
compopt() { :; }   # only valid while readline completes; its options are not under test here
check() {   # check 'expected candidates' WORD...   (the last WORD is being completed)
  local want=$1; shift
  COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMPREPLY=()
  _kmemkit
  local got="${COMPREPLY[*]}"
  if [ "$got" = "$want" ]; then echo "ok: [$*] -> $got"
  else echo "FAIL: [$*] -> '$got', expected '$want'"; fail=1; fi
}
check 's3c6410 s3-notes.txt' vmlayout -p s3
check 's3c6410 s3-notes.txt' vmlayout --profile = s3
check 's3c6410' bootmem --kernel 6.1 -p s3c
check '--format' vmlayout --form
check 'kernel kv' vmlayout --format = k
check 'on off' va2pa --highmem ''
check 'info gen s3-notes.txt trace.txt' buddyctl ''
check 'gen' buddyctl -p imx6q g
check '' buddyctl gen ''   # gen reads no file
check '3,kmap= 3,kunmap= 3,kmap_atomic= 3,kunmap_atomic=' buddyctl gen --mix alloc = 3,k
check '--all' kmapsim -p imx6q show --al
check '--json' kmapsim show -p imx6q --js
check 'show s3-notes.txt' kmapsim s
check '' va2pa 0xc0
check 'name,start name,size' vmlayout -o name,s   # -o: the columns add_table_options declares
exit $fail
