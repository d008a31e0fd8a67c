// The --diagram picture as a standalone SVG (for slides and wikis).
#pragma once
#include <string>

#include "kmemkit/layout.hpp"

namespace kmemkit {

struct SvgOptions {
    bool log_scale = false;   // heights by log2(size / 4 kB) + 1: small regions readable
    int height = 1000;        // of the address-space bar, in px
    std::string command = "vmlayout --svg";   // the footer: how the picture was made
};

// Under a title with picture_facts() (RAM, command line, lowmem/HighMem/dropped,
// the kernel's messages): the boxes of address_map() (every region, holes included,
// high addresses on top; under 16 px enlarged and dashed), each with its name, size
// and symbols; every boundary in hex on the left, the address where the region above
// starts and the one below ends.  Classes "region", "name", "size", "boundary".
// Beside it the physical column of physical_map() (RAM to scale, holes 24 px), classes
// "phys" (data-kind lowmem|highmem|dropped|excluded|hole), "phys-name", "phys-size",
// "phys-boundary"; a "linear-map" polygon joins each lowmem piece of RAM to its
// virtual addresses in the lowmem box.  Text classes "title", "fact", "command".
std::string layout_svg(const Layout& l, const SvgOptions& o = {});

}  // namespace kmemkit
