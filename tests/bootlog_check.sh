#!/bin/bash
# Reproduces a real boot log's "Virtual kernel memory layout" block (and the
# kernel warnings kmemkit models) with vmlayout --format=kernel.
# LOG has a line "# kmemkit: ARGS" (run in the log's directory).  The block is
# taken from the log with the printk timestamps removed.
set -u
log=$1 bin=$2
dir=$(dirname "$log")
args=$(sed -n 's/^# kmemkit: //p' "$log" | head -1)
# (dmesg(1) indents the continuation lines of a multi-line record by the width
#  of the timestamp: that indentation is removed, taken from the first line.)
want=$(grep -v '^#' "$log" | sed -E 's/^<[0-9]>//; s/^\[ *[0-9]+\.[0-9]+\] //' |
  awk '/^[Vv]irtual kernel memory layout:/{on=1; print; next}
       on && /^ +(vector|DTCM|ITCM|fixmap|cpu_entry|DMA|vmalloc|lowmem|pkmap|modules|\.init|\.text|\.data|\.bss) *:/{
         if (extra == "") { match($0, /^ +/); extra = RLENGTH - 4; if (extra < 0) extra = 0 }
         print substr($0, extra + 1); next}
       on {exit}')
if [ -z "$want" ]; then echo "no layout block in $log"; exit 1; fi
got=$(cd "$dir" && eval "\"$bin/vmlayout\" $args --format=kernel" 2>/tmp/bootlog_err.$$ | grep -A40 -i '^virtual kernel memory layout:')
st=$?
if [ "$want" != "$got" ]; then
  echo "MISMATCH for $log (vmlayout $args --format=kernel)"
  diff -u <(echo "$want") <(echo "$got")
  cat /tmp/bootlog_err.$$; rm -f /tmp/bootlog_err.$$
  exit 1
fi
rm -f /tmp/bootlog_err.$$
# The kernel's own warnings that kmemkit models must come out the same, in order.
pat='^(Truncating RAM at|Ignoring RAM at|Consider using a HIGHMEM|vmalloc area|[0-9]+MB (HIGH|LOW)MEM available|Warning only|Use a (PAE|HIGHMEM))'
want_msgs=$(grep -v '^#' "$log" | sed -E 's/^<[0-9]>//; s/^\[ *[0-9]+\.[0-9]+\] //' | grep -E "$pat")
got_msgs=$(cd "$dir" && eval "\"$bin/vmlayout\" $args --format=kernel" 2>/dev/null | grep -E "$pat")
if grep -q '^# messages: not in excerpt' "$log"; then
  got_msgs=$want_msgs
fi
if [ "$want_msgs" != "$got_msgs" ]; then
  echo "MESSAGES differ for $log"
  diff -u <(echo "$want_msgs") <(echo "$got_msgs")
  exit 1
fi
echo "ok: $(basename "$log") ($(echo "$want" | wc -l) layout lines, $(echo -n "$want_msgs" | grep -c .) kernel messages)"
