#!/bin/bash
# `cpack` in BUILD_DIR makes kmemkit_VERSION_ARCH.deb with the fields and files README promises:
# usage: package.sh BUILD_DIR ARCH VERSION SOURCE_DIR
set -u
build=$1 arch=$2 version=$3 src=$4
cd "$build" || exit 2
rm -f kmemkit_*_"$arch".deb
cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; exit 1; }
deb=$build/kmemkit_${version}_$arch.deb
[ -f "$deb" ] || { echo "FAIL: no $deb"; ls ./*.deb; exit 1; }
fail=0
field() {   # field NAME EXPECTED-GLOB
  local got
  got=$(dpkg-deb -f "$deb" "$1")
  # shellcheck disable=SC2053
  if [[ $got == $2 ]]; then echo "ok: $1: $got"; else echo "FAIL: $1: '$got', expected $2"; fail=1; fi
}
field Package kmemkit
field Version "$version"
field Architecture "$arch"
field Section devel
field Maintainer '?*<*@*>'
field Depends '*libc6 (>= *libfmt9*libstdc++6*libyaml-cpp0.7*'
field Description '?*'
want=()
for t in vmlayout va2pa bootmem buddyctl kmapsim; do
  want+=(./usr/bin/$t ./usr/share/bash-completion/completions/$t ./usr/share/zsh/vendor-completions/_$t)
done
for m in "$src"/man/*.[15]; do n=$(basename "$m"); want+=(./usr/share/man/man${n##*.}/$n.gz); done
for p in "$src"/profiles/*.yaml; do want+=(./usr/share/kmemkit/profiles/$(basename "$p")); done
want+=(./usr/share/doc/kmemkit/README.md ./usr/share/doc/kmemkit/copyright)
have=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in "${want[@]}"; do
  grep -qxF -- "$f" <<<"$have" || { echo "FAIL: $deb has no $f"; fail=1; }
done
echo "ok: the package holds the ${#want[@]} files README lists"
# the binaries are the target's, stripped
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
case $arch in amd64) m=X86-64 ;; armhf) m=ARM ;; i386) m=80386 ;; *) m=? ;; esac
for t in vmlayout va2pa bootmem buddyctl kmapsim; do
  machine=$(readelf -h "$tmp/usr/bin/$t" | sed -n 's/^ *Machine: *//p')
  [[ $machine == *"$m"* ]] || { echo "FAIL: usr/bin/$t is for '$machine', not $arch"; fail=1; }
  ! readelf -S "$tmp/usr/bin/$t" | grep -q '\.symtab' || { echo "FAIL: usr/bin/$t is not stripped"; fail=1; }
done
[ $fail = 0 ] && echo "ok: $deb"
exit $fail
