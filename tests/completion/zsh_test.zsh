#!/usr/bin/env zsh
# The zsh completion functions under compinit: an interactive zsh on a pseudo-terminal (zpty)
# types a command line and TAB, and a widget bound to ^T writes $BUFFER to a file.
# usage: zsh_test.zsh BIN_DIR ZSH_COMPLETION_DIR
emulate -L zsh
bin=$1 fdir=$2
tmp=$(mktemp -d) || exit 2
trap 'zpty -d km 2>/dev/null; rm -rf $tmp' EXIT
zmodload zsh/zpty || { print "no zsh/zpty: skipped"; exit 77 }
cd $tmp
print -r -- "
PS1='km-ready> ' RPROMPT=''
PATH=${(q)bin}:\$PATH
fpath=(${(q)fdir} \$fpath)
autoload -Uz compinit && compinit -u -d $tmp/zcompdump
unsetopt beep
_km_dump() { print -r -- \"\$BUFFER\" > $tmp/buffer.\$((++_km_n)) }
zle -N _km_dump
bindkey '^T' _km_dump
" > $tmp/.zshrc
zpty km "ZDOTDIR=$tmp zsh -i -d" || { print "no pseudo-terminal: skipped"; exit 77 }
# what is typed before zle runs is lost: wait for the prompt
zpty -r -m km _ '*km-ready> *' || { print "FAIL: the shell did not start"; exit 1 }
fail=0 n=0
wait_for() {   # the file $1 to appear (the shell is slow to start on a busy machine)
  local k
  for ((k = 0; k < 200; k++)); do
    [[ -s $1 ]] && return 0
    while zpty -r -t km _ 2>/dev/null; do :; done   # drain the terminal output, or zsh blocks
    sleep 0.05
  done
  return 1
}
check() {   # check 'typed text' 'expected buffer'
  local typed=$1 want=$2 got
  zpty -w -n km "$typed"$'\t'$'\x14'$'\x15'   # TAB, ^T (dump), ^U (clear the line)
  ((++n))
  if ! wait_for $tmp/buffer.$n; then
    print "FAIL: '$typed' + TAB: no answer from the shell"; fail=1; return
  fi
  got=$(<$tmp/buffer.$n)
  if [[ $got == $want ]]; then
    print "ok: '$typed' + TAB -> '$got'"
  else
    print "FAIL: '$typed' + TAB -> '$got', expected '$want'"; fail=1
  fi
}
check 'vmlayout -p s3' 'vmlayout -p s3c6410 '
check 'vmlayout --profile=s3' 'vmlayout --profile=s3c6410 '
check 'vmlayout --form' 'vmlayout --format '
check 'vmlayout --format ke' 'vmlayout --format kernel '
check 'bootmem --highmem of' 'bootmem --highmem off '
check 'buddyctl g' 'buddyctl gen '
check 'buddyctl gen --mix alloc=60,vf' 'buddyctl gen --mix alloc=60,vfree='
check 'kmapsim show --al' 'kmapsim show --all '
check 'va2pa --stre' 'va2pa --stream '
exit $fail
