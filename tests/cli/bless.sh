#!/bin/bash
# Writes the expected files of CASE dirs from the current build (review the
# diff before committing!): tests/cli/bless.sh BUILD_DIR tests/cli/TOOL/CASE...
set -u
bin=$(cd "$1" && pwd); shift
data=$(cd "$(dirname "$0")/../data" && pwd)
for c in "$@"; do
  c=$(cd "$c" && pwd)
  stdin=/dev/null; [ -f "$c/stdin" ] && stdin="$c/stdin"
  (cd "$data" && PATH="$bin:$PATH" LC_ALL=C bash "$c/cmd" <"$stdin" >"$c/stdout" 2>"$c/stderr"; echo $? >"$c/status")
  [ -s "$c/stderr" ] || rm -f "$c/stderr"
  [ "$(cat "$c/status")" = 0 ] && rm -f "$c/status"
  echo "blessed $c"
done
