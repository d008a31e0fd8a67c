// The --diagram picture as a standalone SVG (for slides and wikis).
#pragma once
#include <string>

#include "kmemkit/layout.hpp"

namespace kmemkit {

struct SvgOptions {
    bool log_scale = false;   // heights by log2(size): small regions readable
    int height = 1000;        // of the address-space bar, in px
};

// Regions top-down (high addresses on top), to scale (linear or log), each
// labelled with its name, size and symbol; boundaries in hex on the left.
std::string layout_svg(const Layout& l, const SvgOptions& o = {});

}  // namespace kmemkit
