# Shared part of cmake/toolchain-<arch>.cmake: Debian's cross compiler for KMEMKIT_TRIPLET and
# the multiarch libraries in /usr/lib/<triplet> (libfmt-dev:<arch> ...).  A -dev package that is
# not Multi-Arch: same in Debian 12 (libyaml-cpp-dev) cannot sit next to the host's: give the
# directory it is unpacked in with -DCMAKE_PREFIX_PATH=DIR/usr (tests/cross/run.sh does).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${KMEMKIT_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${KMEMKIT_TRIPLET}-g++)
set(CMAKE_STRIP ${KMEMKIT_TRIPLET}-strip)
# find_package looks in /usr/lib/<triplet>/cmake, never in the host's /usr/lib/x86_64-linux-gnu
set(CMAKE_LIBRARY_ARCHITECTURE ${KMEMKIT_TRIPLET})
set(CMAKE_FIND_ROOT_PATH /usr/${KMEMKIT_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
