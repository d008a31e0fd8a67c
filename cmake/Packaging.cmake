# The Debian package: `cpack` in the build directory writes kmemkit_<version>_<arch>.deb from
# what `cmake --install` installs (prefix /usr).  Cross builds (cmake/toolchain-*.cmake) get the
# Debian architecture of their compiler's target, so the same line makes the armhf package.
set(KMEMKIT_DEB_MAINTAINER "kmemkit maintainers <maintainers@users.noreply.h-seed-00be2c20.example>"
    CACHE STRING "Maintainer field of the .deb")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kmemkit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${KMEMKIT_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KMEMKIT_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "32-bit Linux kernel memory layout tools (vmlayout, va2pa, bootmem, buddyctl, kmapsim)")
set(CPACK_PACKAGE_DESCRIPTION
    "Small Unix-style tools that model how a 32-bit Linux kernel (ARM and x86)
lays out kernel virtual memory and manages physical pages, board by board and
kernel version by kernel version: vmlayout prints the virtual memory map and
checks a boot log (dmesg | vmlayout --from-dmesg -), va2pa translates
addresses, bootmem prints zones and pfns, buddyctl replays allocation traces
on the buddy allocator and kmapsim simulates kmap and kmap_atomic.")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # kmemkit_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)           # Depends from dpkg-shlibdeps (libc6, libfmt9, libyaml-cpp0.7 ...)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)                        # the debug info stays in the build directory

# The package's architecture is the compiler's target, not the build machine's
if(CMAKE_CROSSCOMPILING)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -dumpmachine OUTPUT_VARIABLE kmemkit_triplet
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND dpkg-architecture -t ${kmemkit_triplet} -qDEB_HOST_ARCH
                  OUTPUT_VARIABLE kmemkit_deb_arch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(kmemkit_deb_arch)
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${kmemkit_deb_arch})
  endif()
endif()

include(CPack)
