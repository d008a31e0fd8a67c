// The --diagram picture as a standalone SVG (for slides and wikis).
#pragma once
#include <string>

#include "kmemkit/layout.hpp"

namespace kmemkit {

struct SvgOptions {
    bool log_scale = false;   // heights by log2(size / 4 kB) + 1: small regions readable
    int height = 1000;        // of the address-space bar, in px
};

// The boxes of address_map() (every region, holes included, high addresses on
// top; under 16 px enlarged and dashed), each with its name, size and symbols;
// every boundary in hex on the left, the address where the region above starts
// and the one below ends.  Classes "region", "name", "size", "boundary".
std::string layout_svg(const Layout& l, const SvgOptions& o = {});

}  // namespace kmemkit
