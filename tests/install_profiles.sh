#!/bin/bash
# cmake --install into a temporary prefix, then: the installed vmlayout finds a profile added to
# PREFIX/share/kmemkit/profiles (found from the binary's own path, so through a symlink too),
# lists it with its origin, prefers KMEMKIT_PROFILE_PATH to it, and the build tree's binary
# does not see it.  tests/install_profiles.sh BUILD_DIR
set -eu
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
datadir=$(sed -n 's/^CMAKE_INSTALL_DATADIR:PATH=//p' "$build/CMakeCache.txt")
bindir=$(sed -n 's/^CMAKE_INSTALL_BINDIR:PATH=//p' "$build/CMakeCache.txt")
profiles="$prefix/${datadir:-share}/kmemkit/profiles"
vm="$prefix/${bindir:-bin}/vmlayout"
fail() { echo "FAIL: $*"; exit 1; }
[ -f "$profiles/s3c6410.yaml" ] || fail "no installed profiles in $profiles"
sed -e 's/^name: .*/name: thatone/' -e 's/^description: .*/description: added after install/' \
  "$profiles/s3c6410.yaml" >"$profiles/thatone.yaml"
got=$("$vm" -p thatone --kv | grep '^profile:')
[ "$got" = "profile: thatone" ] || fail "installed vmlayout -p thatone: $got"
line=$("$vm" --list-profiles | grep '^thatone ')
case $line in *"added after install"*"$profiles/thatone.yaml") ;; *) fail "--list-profiles: $line" ;; esac
line=$("$vm" --list-profiles | grep '^s3c6410 ')
case $line in *"$profiles/s3c6410.yaml") ;; *) fail "installed s3c6410 not listed from $profiles: $line" ;; esac
ln -s "$vm" "$prefix/vm-link"
got=$("$prefix/vm-link" -p thatone --kv | grep '^profile:')
[ "$got" = "profile: thatone" ] || fail "through a symlink: $got"
mkdir "$prefix/env"
sed -e 's/^description: .*/description: from the path/' "$profiles/thatone.yaml" >"$prefix/env/thatone.yaml"
line=$(KMEMKIT_PROFILE_PATH="$prefix/env" "$vm" --list-profiles | grep '^thatone ')
case $line in *"from the path"*"$prefix/env/thatone.yaml") ;; *) fail "KMEMKIT_PROFILE_PATH first: $line" ;; esac
if "$build/vmlayout" -p thatone >/dev/null 2>&1; then fail "the build tree's vmlayout found thatone"; fi
echo "ok: the installed vmlayout reads $profiles"
