#!/bin/bash
# Every CLI golden case (tests/cli/TOOL/CASE) with the cross-built tools: the same stdout, stderr
# and exit status as blessed from the host build.  usage: cli_cases.sh RUN_BIN_DIR SOURCE_DIR
set -u
bin=$1 src=$2
export bin src
ls -d "$src"/tests/cli/*/*/ | xargs -P2 -I{} bash -c '
  [ -f "{}cmd" ] || exit 0
  if out=$(bash "$src/tests/cli/run_case.sh" "{}" "$bin" "$src/tests/data" 2>&1); then echo "ok {}"
  else printf "FAIL %s\n%s\n" "{}" "$(echo "$out" | head -30)"; fi' >"${TMPDIR:-/tmp}/kmemkit-cross-cli.$$"
grep -v '^ok ' "${TMPDIR:-/tmp}/kmemkit-cross-cli.$$"
ok=$(grep -c '^ok ' "${TMPDIR:-/tmp}/kmemkit-cross-cli.$$")
bad=$(grep -c '^FAIL ' "${TMPDIR:-/tmp}/kmemkit-cross-cli.$$")
rm -f "${TMPDIR:-/tmp}/kmemkit-cross-cli.$$"
echo "$ok of $((ok + bad)) CLI cases pass with $bin"
[ "$bad" = 0 ] && [ "$ok" -gt 0 ]
