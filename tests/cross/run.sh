#!/bin/bash
# Configures and builds kmemkit for a Debian cross architecture in BUILD_DIR with
# cmake/toolchain-ARCH.cmake and Debian 12's cross toolchain, then writes BUILD_DIR/run-bin/:
# one wrapper per tool that runs the cross binary directly when this machine can (i386 on an
# x86-64 kernel, or a binfmt-registered qemu) and under qemu-user otherwise.  run-bin is what
# tests/cross/compare.sh and tests/cli/run_case.sh put on PATH.
# usage: tests/cross/run.sh armhf|i386 BUILD_DIR [TARGET...]   (default targets: the five tools;
# `cpack` in BUILD_DIR then makes the .deb)
# exit 77 when the toolchain is not installed (README "Packages and installing on the board").
set -euo pipefail
me=run.sh
[ $# -ge 2 ] || { echo "usage: $0 armhf|i386 BUILD_DIR [TARGET...]" >&2; exit 2; }
arch=$1 build=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
case $arch in
  armhf) triplet=arm-linux-gnueabihf qemu=qemu-arm ;;
  i386) triplet=i686-linux-gnu qemu=qemu-i386 ;;
  *) echo "$me: error: unknown architecture '$arch' (armhf or i386)" >&2; exit 2 ;;
esac
if ! command -v $triplet-g++ >/dev/null; then
  echo "$me: $triplet-g++ not found: dpkg --add-architecture $arch && apt-get update &&" \
       "apt-get install crossbuild-essential-$arch libfmt-dev:$arch libyaml-cpp0.7:$arch" >&2
  exit 77
fi
mkdir -p "$build"
build=$(cd "$build" && pwd)

# Debian 12's libyaml-cpp-dev is not Multi-Arch: same (it Conflicts with the host's) and catch2
# is Multi-Arch: foreign (one architecture's libCatch2WithMain.a), so the target's packages are
# unpacked into BUILD_DIR/deps instead of installed.
deps=$build/deps
pkgs=(catch2:$arch)
dpkg -s libyaml-cpp-dev:$arch >/dev/null 2>&1 || pkgs+=(libyaml-cpp-dev:$arch libyaml-cpp0.7:$arch)
if [ ! -f "$deps/unpacked" ] || [ "$(cat "$deps/unpacked")" != "${pkgs[*]}" ]; then
  rm -rf "$deps" && mkdir -p "$deps"
  (cd "$deps" && apt-get download "${pkgs[@]}" >download.log 2>&1) || {
    cat "$deps/download.log" >&2
    echo "$me: error: cannot download ${pkgs[*]} (dpkg --add-architecture $arch; apt-get update)" >&2
    exit 2
  }
  for d in "$deps"/*.deb; do dpkg-deb -x "$d" "$deps/root"; done
  echo "${pkgs[*]}" >"$deps/unpacked"
fi

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchain-$arch.cmake" -DCMAKE_PREFIX_PATH="$deps/root/usr" \
  -DCatch2_DIR="$deps/root/usr/lib/cmake/Catch2" >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(vmlayout va2pa bootmem buddyctl kmapsim)
targets+=(manpages)   # what cpack packs besides the tools
nice -n 5 cmake --build "$build" -j2 --target "${targets[@]}"

runner=()
if ! "$build/vmlayout" --version >/dev/null 2>&1; then
  command -v $qemu >/dev/null || { echo "$me: error: $build/vmlayout does not run here and $qemu is missing: apt-get install qemu-user" >&2; exit 2; }
  runner=("$(command -v $qemu)" -L /usr/$triplet)
fi
mkdir -p "$build/run-bin"
for tool in vmlayout va2pa bootmem buddyctl kmapsim; do
  printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${runner[*]}" "$build/$tool" >"$build/run-bin/$tool"
  chmod +x "$build/run-bin/$tool"
done
echo "$me: $arch build in $build; run-bin/ runs it ${runner[*]:+under }${runner[*]:-directly}"
