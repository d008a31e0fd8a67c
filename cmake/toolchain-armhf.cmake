# Debian armhf (ARMv7, hard float: the boards' userland) with Debian 12's cross toolchain:
#   dpkg --add-architecture armhf && apt-get update
#   apt-get install crossbuild-essential-armhf libfmt-dev:armhf libyaml-cpp0.7:armhf qemu-user
#   cmake -S . -B build-armhf -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-armhf.cmake  (see tests/cross/run.sh)
# Programs built here run on the build machine under qemu-user (ctest, Catch2 test discovery).
set(CMAKE_SYSTEM_PROCESSOR arm)
set(KMEMKIT_TRIPLET arm-linux-gnueabihf)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-debian-cross.cmake)
find_program(KMEMKIT_QEMU_ARM qemu-arm)
if(KMEMKIT_QEMU_ARM)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${KMEMKIT_QEMU_ARM} -L /usr/${KMEMKIT_TRIPLET})
endif()
