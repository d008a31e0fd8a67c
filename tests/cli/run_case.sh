#!/bin/bash
# Runs one CLI golden case: CASE/cmd (a bash script run in tests/data with the
# built tools first on PATH), stdin from CASE/stdin if present; compares
# stdout with CASE/stdout, stderr with CASE/stderr (empty if absent) and the
# exit status with CASE/status (0 if absent).
set -u
case_dir=$1 bin=$2 data=$3
export PATH="$bin:$PATH" LC_ALL=C
unset KMEMKIT_PROFILE KMEMKIT_PROFILE_PATH
cd "$data" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stdin=/dev/null
[ -f "$case_dir/stdin" ] && stdin="$case_dir/stdin"
bash "$case_dir/cmd" <"$stdin" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
want_status=0
[ -f "$case_dir/status" ] && want_status=$(cat "$case_dir/status")
fail=0
if [ -f "$case_dir/stdout" ]; then
  diff -u --label expected-stdout --label actual-stdout "$case_dir/stdout" "$tmp/stdout" || fail=1
elif [ -s "$tmp/stdout" ]; then
  echo "unexpected stdout:"; head -20 "$tmp/stdout"; fail=1
fi
if [ -f "$case_dir/stderr" ]; then
  diff -u --label expected-stderr --label actual-stderr "$case_dir/stderr" "$tmp/stderr" || fail=1
elif [ -s "$tmp/stderr" ]; then
  echo "unexpected stderr:"; head -20 "$tmp/stderr"; fail=1
fi
if [ "$status" != "$want_status" ]; then
  echo "exit status $status, expected $want_status"; fail=1
fi
exit $fail
