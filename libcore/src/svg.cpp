// SVG rendering of a Layout's regions (the same regions as layout_diagram).
#include "kmemkit/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

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

std::string symbol_of(const Region& r) {
    if (r.name == "lowmem") return "PAGE_OFFSET .. high_memory";
    if (r.name == "vmalloc") return "VMALLOC_START .. VMALLOC_END";
    if (r.name == "user") return "0 .. TASK_SIZE";
    if (r.name == "vmalloc-gap") return "VMALLOC_OFFSET hole";
    if (r.name == "modules") return "MODULES_VADDR .. MODULES_END";
    if (r.name == "pkmap") return "PKMAP_BASE, LAST_PKMAP pages";
    if (r.name == "fixmap") return "FIXADDR_START ..";
    if (r.name == "vectors") return "CONFIG_VECTORS_BASE";
    if (r.name == "dma") return "CONSISTENT_BASE .. CONSISTENT_END";
    if (r.name == "cpu_entry") return "cpu_entry_area";
    if (r.name == "vmalloc-guard") return "guard pages";
    return "";
}

}  // namespace

std::string layout_svg(const Layout& l, const SvgOptions& o) {
    // the regions, high addresses first; hide unused holes under 1/400 of the space
    std::vector<const Region*> rs;
    for (auto it = l.regions.rbegin(); it != l.regions.rend(); ++it)
        if (it->name != "unused" || (it->end - it->start) >= (1ULL << 32) / 400) rs.push_back(&*it);
    const int H = std::max(o.height, 200), minh = 16;
    std::vector<double> w;
    for (auto* r : rs) {
        double sz = double(r->end - r->start);
        w.push_back(o.log_scale ? std::log2(std::max(sz, 4096.0) / 4096.0) + 1.0 : sz);
    }
    // heights: proportional, with a floor so every region can carry a label
    std::vector<double> h(rs.size());
    double total = 0;
    for (double x : w) total += x;
    std::vector<bool> floored(rs.size(), false);
    for (int pass = 0; pass < 4; ++pass) {
        double free_h = H, free_w = 0;
        for (size_t i = 0; i < rs.size(); ++i)
            if (floored[i]) free_h -= minh;
            else free_w += w[i];
        for (size_t i = 0; i < rs.size(); ++i) {
            h[i] = floored[i] ? minh : w[i] / free_w * free_h;
            if (!floored[i] && h[i] < minh) floored[i] = true;
        }
    }
    (void)total;
    const int bar_x = 130, bar_w = 190, top = 70, width = 760;
    const int height = top + H + 50;
    std::string s;
    s += fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">)"
                     "\n",
                     width, height, width, height);
    s += fmt::format(R"(<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>)" "\n", width, height);
    s += fmt::format(R"(<text x="20" y="30" font-size="18" font-weight="bold">{} — Linux {} ({})</text>)" "\n",
                     esc(l.profile), esc(l.kernel), l.arch == Arch::arm ? "ARM" : "x86-32");
    s += fmt::format(R"(<text x="20" y="52" font-size="12" fill="#555555">4 GB kernel virtual address space, high addresses on top; {}</text>)"
                     "\n",
                     o.log_scale ? "heights by log2(size) (not to scale)" : "heights to scale (small regions enlarged, dashed)");
    double y = top;
    auto addr = [&](double yy, uint64_t a) {
        s += fmt::format(R"(<text x="{}" y="{:.1f}" font-size="11" font-family="DejaVu Sans Mono, monospace" text-anchor="end" dominant-baseline="middle" fill="#333333">{}</text>)"
                         "\n",
                         bar_x - 8, yy, a >= (1ULL << 32) ? "0xffffffff" : hex32(a));
    };
    addr(y, rs.empty() ? 0 : rs.front()->end);
    for (size_t i = 0; i < rs.size(); ++i) {
        const Region& r = *rs[i];
        bool enlarged = !o.log_scale && floored[i] && double(r.end - r.start) / double(1ULL << 32) * H < minh;
        s += fmt::format(R"(<rect x="{}" y="{:.1f}" width="{}" height="{:.1f}" fill="{}" stroke="#444444" stroke-width="1"{}><title>{}</title></rect>)"
                         "\n",
                         bar_x, y, bar_w, h[i], fill_of(r.name), enlarged ? R"( stroke-dasharray="4 2")" : "",
                         esc(fmt::format("{}: {} - {} ({})", r.name, hex32(r.start), r.end >= (1ULL << 32) ? "0xffffffff" : hex32(r.end), human_size(r.end - r.start))));
        double cy = y + h[i] / 2;
        if (h[i] >= 13)
            s += fmt::format(R"(<text x="{}" y="{:.1f}" font-size="12" font-weight="bold" text-anchor="middle" dominant-baseline="middle">{}</text>)"
                             "\n",
                             bar_x + bar_w / 2, cy, esc(r.name));
        s += fmt::format(R"(<text x="{}" y="{:.1f}" font-size="12" dominant-baseline="middle"><tspan font-weight="bold">{}</tspan><tspan fill="#555555">  {}</tspan></text>)"
                         "\n",
                         bar_x + bar_w + 12, cy, esc(human_size(r.end - r.start)), esc(symbol_of(r)));
        y += h[i];
        addr(y, r.start);
    }
    s += fmt::format(R"(<text x="20" y="{}" font-size="11" fill="#777777">kmemkit vmlayout --svg{}</text>)" "\n",
                     height - 15, o.log_scale ? " --log-scale" : "");
    s += "</svg>\n";
    return s;
}

}  // namespace kmemkit
