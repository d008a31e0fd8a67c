// SVG rendering of a Layout's regions: the boxes of address_map(), as layout_diagram draws them.
#include "kmemkit/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kmemkit/layout_render.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {
namespace {

std::string esc(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '&') o += "&amp;";
        else if (c == '<') o += "&lt;";
        else if (c == '>') o += "&gt;";
        else if (c == '"') o += "&quot;";
        else o += c;
    }
    return o;
}

const char* fill_of(const std::string& n) {
    if (n == "user") return "#dce8f5";
    if (n == "modules") return "#f9cb9c";
    if (n == "pkmap") return "#d5a6e6";
    if (n == "lowmem") return "#93c47d";
    if (n == "vmalloc") return "#6fa8dc";
    if (n == "vmalloc-gap" || n == "vmalloc-guard") return "#e6e6e6";
    if (n == "dma") return "#ea9999";
    if (n == "fixmap") return "#ffd966";
    if (n == "vectors") return "#c27ba0";
    if (n == "cpu_entry") return "#b4a7d6";
    return "#f3f3f3";
}

}  // namespace

std::string layout_svg(const Layout& l, const SvgOptions& o) {
    const int H = std::max(o.height, 200), minh = 16;
    const std::vector<MapBox> boxes = address_map(l, H, minh, o.log_scale);
    const int bar_x = 130, bar_w = 190, top = 70, width = 760;
    const int height = top + H + 50;
    std::string s;
    s += fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">)"
                     "\n",
                     width, height, width, height);
    s += fmt::format(R"(<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>)" "\n", width, height);
    s += fmt::format(R"(<text x="20" y="30" font-size="18" font-weight="bold">{} — Linux {} ({})</text>)" "\n",
                     esc(l.profile), esc(l.kernel), l.arch == Arch::arm ? "ARM" : "x86-32");
    s += fmt::format(R"(<text x="20" y="52" font-size="12" fill="#555555">4 GB virtual address space, high addresses on top; heights {}; dashed: enlarged to {} px</text>)"
                     "\n",
                     o.log_scale ? "by log2(size / 4 kB) + 1" : "to scale", minh);
    double y = top;
    // a boundary: where the region above starts and the one below ends
    auto addr = [&](double yy, uint64_t a) {
        s += fmt::format(R"(<text class="boundary" x="{}" y="{:.1f}" font-size="11" font-family="DejaVu Sans Mono, monospace" text-anchor="end" dominant-baseline="middle" fill="#333333">{}</text>)"
                         "\n",
                         bar_x - 8, yy, boundary_label(a));
    };
    if (!boxes.empty()) addr(y, boxes.front().region->end);
    for (const MapBox& b : boxes) {
        const Region& r = *b.region;
        s += fmt::format(R"(<rect class="region" x="{}" y="{:.1f}" width="{}" height="{:.1f}" fill="{}" stroke="#444444" stroke-width="1"{}><title>{}</title></rect>)"
                         "\n",
                         bar_x, y, bar_w, b.height, fill_of(r.name), b.enlarged ? R"( stroke-dasharray="4 2")" : "",
                         esc(fmt::format("{}: {} - {} ({})", r.name, hex32(r.start), boundary_label(r.end), human_size(r.end - r.start))));
        const double cy = y + b.height / 2;
        s += fmt::format(R"(<text class="name" x="{}" y="{:.1f}" font-size="12" font-weight="bold" text-anchor="middle" dominant-baseline="middle">{}</text>)"
                         "\n",
                         bar_x + bar_w / 2, cy, esc(r.name));
        s += fmt::format(R"(<text class="size" x="{}" y="{:.1f}" font-size="12" dominant-baseline="middle"><tspan font-weight="bold">{}</tspan><tspan fill="#555555">  {}</tspan></text>)"
                         "\n",
                         bar_x + bar_w + 12, cy, esc(human_size(r.end - r.start)), esc(region_symbols(l, r)));
        y += b.height;
        addr(y, r.start);
    }
    s += fmt::format(R"(<text x="20" y="{}" font-size="11" fill="#777777">kmemkit vmlayout --svg{}</text>)" "\n",
                     height - 15, o.log_scale ? " --log-scale" : "");
    s += "</svg>\n";
    return s;
}

}  // namespace kmemkit
