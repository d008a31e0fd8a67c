#!/bin/bash
# Progress on a terminal (issue 15 item 8), each filter under a pseudo-terminal (script(1)):
#   * after a second's work the line "TOOL: N lines, R M lines/s" (with "[###  ] P%" for a file)
#     is drawn on stderr, and erased ("\r\033[K") at the end, so the terminal is left clean;
#   * ^C (SIGINT) and SIGTERM erase it too, and the tool still dies of the signal;
#   * nothing at all on a pipe, under NO_COLOR or TERM=dumb.
# Usage: progress_test.sh BIN_DIR
set -u
bin=$1
export PATH="$bin:$PATH" LC_ALL=C TERM=xterm
unset NO_COLOR KMEMKIT_PROFILE KMEMKIT_PROFILE_PATH
command -v script >/dev/null || { echo "progress_test: script(1) not installed: SKIP"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
# a stream that takes more than a second: 70,000 lines, a pause, 70,000 more
feed() { echo "seq 70000 | sed 's/^/$1/'; sleep 1.3; seq 70000 | sed 's/^/$1/'"; }
# under_tty CMD: the bytes written to the terminal (the tool's stderr; its stdout goes to a file)
under_tty() { script -qec "$1" /dev/null </dev/null >"$tmp/tty"; }
erase=$(printf '\r\033[K' | od -An -tx1 | tr -d ' \n')
check() {   # check NAME: the progress line was drawn, and erased ("\r\033[K", no text after) at the end
  if ! grep -aq "$1: 1[0-9]* lines, [0-9.]* M lines/s" "$tmp/tty"; then
    echo "FAIL: $1 drew no progress line on a terminal:"; od -c "$tmp/tty" | head -5; fail=1
  elif [ "$(tail -c 4 "$tmp/tty" | od -An -tx1 | tr -d ' \n')" != "$erase" ]; then
    echo "FAIL: $1 left its progress line on the terminal:"; tail -c 80 "$tmp/tty" | od -c | tail -3; fail=1
  fi
}
under_tty "( $(feed 'va=0x') ) | va2pa -p imx6q --stream >$tmp/out"; check va2pa
[ "$(wc -l <"$tmp/out")" = 140000 ] || { echo "FAIL: va2pa lost lines under a terminal"; fail=1; }
under_tty "( $(feed 'alloc order=0 id=a') ) | kmapsim -p imx6q >$tmp/out"; check kmapsim
under_tty "( $(feed 'free id=x') ) | buddyctl -p imx6q >$tmp/out"; check buddyctl

# ^C: erased, and the tool dies of SIGINT (status 130)
under_tty "( $(feed 'va=0x'); sleep 5 ) | va2pa -p imx6q --stream >/dev/null & p=\$!; sleep 2.5; kill -INT \$p; wait \$p; echo status=\$?"
if ! grep -aq 'status=130' "$tmp/tty"; then
  echo "FAIL: va2pa did not die of SIGINT: $(grep -a status "$tmp/tty")"; fail=1
elif [ "$(grep -ao $'\r\033\\[Kstatus=130' "$tmp/tty" | wc -l)" != 1 ]; then
  echo "FAIL: ^C left the progress line:"; od -c "$tmp/tty" | tail -4; fail=1
fi

# quiet: a pipe, NO_COLOR, TERM=dumb
eval "( $(feed 'va=0x') )" | va2pa -p imx6q --stream 2>"$tmp/err" >/dev/null
[ -s "$tmp/err" ] && { echo "FAIL: progress on a pipe"; fail=1; }
under_tty "( $(feed 'va=0x') ) | NO_COLOR=1 va2pa -p imx6q --stream >/dev/null"
[ -s "$tmp/tty" ] && { echo "FAIL: progress under NO_COLOR"; od -c "$tmp/tty" | head -3; fail=1; }
under_tty "( $(feed 'va=0x') ) | TERM=dumb va2pa -p imx6q --stream >/dev/null"
[ -s "$tmp/tty" ] && { echo "FAIL: progress under TERM=dumb"; fail=1; }
[ $fail = 0 ] && echo "ok: progress drawn and erased on a terminal (va2pa, kmapsim, buddyctl), erased on ^C, quiet on a pipe, NO_COLOR, TERM=dumb"
exit $fail
