# Debian i386 (i686) with Debian 12's cross toolchain:
#   dpkg --add-architecture i386 && apt-get update
#   apt-get install crossbuild-essential-i386 libfmt-dev:i386 libyaml-cpp0.7:i386
#   cmake -S . -B build-i386 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-i386.cmake  (see tests/cross/run.sh)
# An x86-64 kernel runs the programs directly; without IA32 emulation, qemu-i386 does.
set(CMAKE_SYSTEM_PROCESSOR i686)
set(KMEMKIT_TRIPLET i686-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-debian-cross.cmake)
