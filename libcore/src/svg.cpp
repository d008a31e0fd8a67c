// SVG rendering of a Layout: the virtual column (the boxes of address_map(), as layout_diagram
// draws them), the physical column (physical_map()) and the linear map joining lowmem to its RAM.
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

const char* phys_fill(PhysBox::Kind k) {
    switch (k) {
    case PhysBox::Kind::lowmem: return "#93c47d";     // as the virtual lowmem it is mapped to
    case PhysBox::Kind::highmem: return "#76a5af";
    case PhysBox::Kind::dropped: return "#e06666";
    case PhysBox::Kind::excluded: return "#cccccc";
    case PhysBox::Kind::hole: break;
    }
    return "#ffffff";
}

constexpr const char* kMono = "DejaVu Sans Mono, monospace";

}  // namespace

std::string layout_svg(const Layout& l, const SvgOptions& o) {
    const int H = std::max(o.height, 200), minh = 16, hole_h = 24;
    const std::vector<MapBox> boxes = address_map(l, H, minh, o.log_scale);
    const std::vector<PhysBox> phys = physical_map(l, H, minh, hole_h);
    const std::vector<std::string> facts = picture_facts(l);
    // columns: virtual boundaries | virtual bar | its labels | the linear map | physical boundaries | physical bar | labels
    const int bar_x = 130, bar_w = 190, neck_x = 740, phys_x = 960, phys_w = 170, slope_x = phys_x - 84, width = 1480;
    const int header_y = 52 + 17 * int(facts.size()) + 10, top = header_y + 22;
    const int height = top + H + 50;
    std::string s;
    s += fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">)"
                     "\n",
                     width, height, width, height);
    s += fmt::format(R"(<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>)" "\n", width, height);
    s += fmt::format(R"(<text class="title" x="20" y="30" font-size="18" font-weight="bold">{} — Linux {} ({})</text>)" "\n",
                     esc(l.profile), esc(l.kernel), l.arch == Arch::arm ? "ARM" : "x86-32");
    for (size_t i = 0; i < facts.size(); ++i)
        s += fmt::format(R"(<text class="fact" x="20" y="{}" font-size="13" fill="#222222">{}</text>)" "\n", 52 + 17 * int(i),
                         esc(facts[i]));
    s += fmt::format(R"(<text x="20" y="{}" font-size="12" fill="#555555">virtual: 4 GB, high addresses on top; heights {}; dashed: enlarged to {} px</text>)"
                     "\n",
                     header_y, o.log_scale ? "by log2(size / 4 kB) + 1" : "to scale", minh);
    s += fmt::format(R"(<text x="{}" y="{}" font-size="12" fill="#555555">physical: RAM to scale (dashed: enlarged to {} px); white: no RAM, not to scale</text>)"
                     "\n",
                     slope_x - 40, header_y, minh);

    // the linear map under everything else: each lowmem piece of RAM joined to its virtual
    // addresses, __va(pa) = pa - PHYS_OFFSET + PAGE_OFFSET, inside the virtual lowmem box
    double vy = top;
    const MapBox* low = nullptr;
    double low_y = 0;
    for (const MapBox& b : boxes) {
        if (b.region->name == "lowmem") low = &b, low_y = vy;
        vy += b.height;
    }
    double py = top;
    for (const PhysBox& p : phys) {
        if (p.kind == PhysBox::Kind::lowmem && low) {
            const Region& r = *low->region;
            auto y_of = [&](uint64_t pa) {
                const double va = double(pa - l.phys_offset + l.page_offset);
                const double f = (double(r.end) - va) / double(r.end - r.start);
                return low_y + std::clamp(f, 0.0, 1.0) * low->height;
            };
            const double v0 = y_of(p.end), v1 = y_of(p.start), p0 = py, p1 = py + p.height;
            s += fmt::format(R"(<polygon class="linear-map" points="{},{:.1f} {},{:.1f} {},{:.1f} {},{:.1f} {},{:.1f} {},{:.1f} {},{:.1f} {},{:.1f}" fill="#93c47d" fill-opacity="0.35" stroke="#6aa84f" stroke-width="1"><title>{}</title></polygon>)"
                             "\n",
                             bar_x + bar_w, v0, neck_x, v0, slope_x, p0, phys_x, p0, phys_x, p1, slope_x, p1, neck_x, v1,
                             bar_x + bar_w, v1,
                             esc(fmt::format("linear map: virtual {} - {} = physical {} - {}", hex32(p.start - l.phys_offset + l.page_offset),
                                             boundary_label(p.end - l.phys_offset + l.page_offset), hex32(p.start), hex32(p.end))));
        }
        py += p.height;
    }

    // a boundary: where the box above starts and the one below ends
    auto addr = [&](const char* cls, int x, double yy, const std::string& text) {
        s += fmt::format(R"(<text class="{}" x="{}" y="{:.1f}" font-size="11" font-family="{}" text-anchor="end" dominant-baseline="middle" fill="#333333">{}</text>)"
                         "\n",
                         cls, x, yy, kMono, text);
    };
    auto box = [&](const char* cls, const char* name_cls, const char* size_cls, int x, int w, double y, double hh,
                   const char* fill, const char* dash, const std::string& title, const std::string& name,
                   const std::string& size, const std::string& detail, const char* kind) {
        s += fmt::format(R"(<rect class="{}"{} x="{}" y="{:.1f}" width="{}" height="{:.1f}" fill="{}" stroke="#444444" stroke-width="1"{}><title>{}</title></rect>)"
                         "\n",
                         cls, kind ? fmt::format(R"( data-kind="{}")", kind) : std::string(), x, y, w, hh, fill,
                         *dash ? fmt::format(R"( stroke-dasharray="{}")", dash) : std::string(), esc(title));
        const double cy = y + hh / 2;
        s += fmt::format(R"(<text class="{}" x="{}" y="{:.1f}" font-size="12" font-weight="bold" text-anchor="middle" dominant-baseline="middle">{}</text>)"
                         "\n",
                         name_cls, x + w / 2, cy, esc(name));
        s += fmt::format(R"(<text class="{}" x="{}" y="{:.1f}" font-size="12" dominant-baseline="middle"><tspan font-weight="bold">{}</tspan><tspan fill="#555555">  {}</tspan></text>)"
                         "\n",
                         size_cls, x + w + 12, cy, esc(size), esc(detail));
    };

    double y = top;
    if (!boxes.empty()) addr("boundary", bar_x - 8, y, boundary_label(boxes.front().region->end));
    for (const MapBox& b : boxes) {
        const Region& r = *b.region;
        box("region", "name", "size", bar_x, bar_w, y, b.height, fill_of(r.name), b.enlarged ? "4 2" : "",
            fmt::format("{}: {} - {} ({})", r.name, hex32(r.start), boundary_label(r.end), human_size(r.end - r.start)),
            r.name, human_size(r.end - r.start), region_symbols(l, r), nullptr);
        y += b.height;
        addr("boundary", bar_x - 8, y, boundary_label(r.start));
    }

    // the physical column: the top boundary is the last byte, as in the virtual column
    y = top;
    if (!phys.empty()) addr("phys-boundary", phys_x - 8, y, hex32(phys.front().end - 1));
    for (const PhysBox& p : phys) {
        const bool hole = p.kind == PhysBox::Kind::hole;
        box("phys", "phys-name", "phys-size", phys_x, phys_w, y, p.height, phys_fill(p.kind),
            hole ? "2 3" : p.enlarged ? "4 2" : "",
            fmt::format("{}: {} - {} ({})", phys_label(p.kind), hex32(p.start), hex32(p.end), human_size(p.end - p.start)),
            phys_label(p.kind), human_size(p.end - p.start), phys_detail(l, p), phys_kind_name(p.kind));
        y += p.height;
        addr("phys-boundary", phys_x - 8, y, hex32(p.start));
    }
    s += fmt::format(R"(<text class="command" x="20" y="{}" font-size="11" fill="#777777">{}</text>)" "\n", height - 15,
                     esc(o.command));
    s += "</svg>\n";
    return s;
}

}  // namespace kmemkit
