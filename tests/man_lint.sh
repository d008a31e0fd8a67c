#!/bin/bash
# A man page is lint-clean: groff -ww -z prints nothing, mandoc -T lint finds no warning.
set -u
page=$1
command -v groff >/dev/null || { echo "groff not installed: skipped"; exit 77; }
out=$(groff -man -ww -z "$page" 2>&1)
[ -z "$out" ] || { echo "groff: $out"; exit 1; }
if command -v mandoc >/dev/null; then
  mandoc -T lint -W warning "$page" || exit 1
fi
echo "ok: $page"
