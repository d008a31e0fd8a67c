#include "kmemkit/zones_render.hpp"

#include <fmt/format.h>

#include "kmemkit/number.hpp"

namespace kmemkit {


Value zones_value(const NodeMemory& n, const Profile& p, bool hex) {
    Value root = Value::object();
    root.set("profile", p.name).set("kernel", p.kernel.text).set("arch", arch_name(p.arch));
    // the pfns (the keys vmlayout prints, with its meaning: render.hpp), then the globals as the
    // kernel stores them where that differs (kernel_*: ARM's page counts before 4.1, a
    // min_low_pfn that is never set)
    root.set("min_low_pfn", pfn_value(n.first_pfn, hex));
    root.set("max_low_pfn", pfn_value(n.max_low_pfn, hex));
    root.set("max_pfn", pfn_value(n.max_pfn, hex));
    root.set("pfns_are_counts", n.pfns_are_counts);
    root.set("kernel_min_low_pfn", n.min_low_pfn_known ? pfn_value(n.min_low_pfn, hex) : Value(nullptr));
    root.set("kernel_min_low_pfn_known", n.min_low_pfn_known);
    root.set("kernel_min_low_pfn_note", n.min_low_pfn_note);
    root.set("kernel_max_low_pfn", pfn_value(n.kernel_max_low_pfn, hex));
    root.set("kernel_max_pfn", pfn_value(n.kernel_max_pfn, hex));
    root.set("ram_start_pfn", pfn_value(n.first_pfn, hex));
    root.set("lowmem_end_pfn", pfn_value(n.max_low_pfn, hex));
    root.set("ram_end_pfn", pfn_value(n.max_pfn, hex));
    if (hex) root.set("high_memory", hex32(n.high_memory));
    else root.set("high_memory", Value(uint64_t(n.high_memory))).set("high_memory_hex", hex32(n.high_memory));
    root.set("node_start_pfn", pfn_value(n.node_start_pfn, hex));
    root.set("node_spanned_pages", n.node_spanned_pages);
    root.set("node_present_pages", n.node_present_pages);
    root.set("struct_page_size", n.struct_page_size);
    root.set("mem_map_bytes", n.memmap_bytes);
    root.set("mem_map_pages", n.mem_map_pages);
    root.set("nr_kernel_pages", n.nr_kernel_pages);
    root.set("nr_all_pages", n.nr_all_pages);
    root.set("highest_memmap_pfn", pfn_value(n.highest_memmap_pfn, hex));
    root.set("highest_memmap_pfn_exists", n.has_highest_memmap_pfn);
    root.set("total_pages_zonelists", n.total_pages_zonelists);
    root.set("totalram_pages", n.totalram_pages);
    root.set("totalram_known", n.totalram_known);
    root.set("totalram_note", n.totalram_note);
    root.set("reserved_pages", n.reserved_pages);
    Value zs = Value::array();
    for (const auto& z : n.zones) {
        Value o = Value::object();
        o.set("name", z.name).set("index", z.index).set("highmem", z.is_highmem).set("populated", z.populated);
        o.set("zone_start_pfn", pfn_value(z.zone_start_pfn, hex));
        if (!hex) o.set("zone_start_pfn_hex", fmt::format("{:#x}", z.zone_start_pfn));
        o.set("zone_end_pfn", pfn_value(z.zone_end_pfn, hex));
        o.set("spanned_pages", z.spanned_pages).set("present_pages", z.present_pages).set("holes", z.holes);
        o.set("memmap_pages", z.memmap_pages).set("memmap_charged", z.memmap_charged);
        o.set("kernel_present_pages", z.kernel_present_pages);
        o.set("managed_pages", z.managed_pages).set("batch", z.batch);
        Value rs = Value::array();
        for (const auto& r : z.present) {
            Value ro = Value::object();
            ro.set("start_pfn", pfn_value(r.start, hex)).set("end_pfn", pfn_value(r.end, hex)).set("pages", r.pages());
            rs.push(ro);
        }
        o.set("present_ranges", rs);
        zs.push(o);
    }
    root.set("zones", zs);
    Value notes = Value::array();
    for (const auto& s : n.notes) notes.push(s);
    root.set("notes", notes);
    return root;
}

const std::vector<TableColumn>& zones_columns() {
    static const std::vector<TableColumn> c = {{"name", "zone", "the zone (DMA, Normal, HighMem, Movable)"},
                 {"zone_start_pfn", "start_pfn", "its first pfn", true},
                 {"zone_end_pfn", "end_pfn", "the pfn after it", true},
                 {"spanned_pages", "spanned", "pages it spans, holes included", true},
                 {"present_pages", "present", "RAM pages in it", true},
                 {"holes", "holes", "pages of its span that are no RAM", true},
                 {"memmap_pages", "memmap", "pages of mem_map charged to it", true},
                 {"managed_pages", "managed", "pages the buddy allocator manages", true},
                 {"batch", "batch", "the per-cpu pageset batch", true}};
    return c;
}

TableView zones_view(const NodeMemory& n) {
    TableView v;
    v.name = "zones";
    v.columns = zones_columns();
    for (const auto& z : n.zones) {
        const bool span = z.spanned_pages != 0;
        // an empty zone shows "-" where its pfns and batch mean nothing; JSON keeps zones_value's numbers
        auto pfn = [&](uint64_t p) { return TableCell{span ? fmt::format("{:#x}", p) : "-", p}; };
        auto num = [](uint64_t x) { return TableCell{std::to_string(x), x}; };
        v.add({{z.name, z.name}, pfn(z.zone_start_pfn), pfn(z.zone_end_pfn), num(z.spanned_pages),
               num(z.present_pages), num(z.holes), num(z.memmap_pages), num(z.managed_pages),
               TableCell{span ? std::to_string(z.batch) : "-", z.batch}});
    }
    return v;
}

std::string zones_table(const NodeMemory& n, const Profile& p) {
    std::string s = fmt::format("{} (Linux {}, {})\n", p.name, p.kernel.text, arch_name(p.arch));
    auto line = [&](const char* k, const std::string& v) { s += fmt::format("  {:<20} {}\n", k, v); };
    line("min_low_pfn", n.min_low_pfn_known ? fmt::format("{:#x}  ({})", n.min_low_pfn, n.min_low_pfn_note)
                                             : fmt::format("unknown  ({})", n.min_low_pfn_note));
    if (n.pfns_are_counts) {
        // arch/arm/mm/init.c before 3.12: "max_low_pfn and max_pfn reflect the number of _pages_"
        line("max_low_pfn", fmt::format("{:#x}  (a page count from PHYS_OFFSET; lowmem ends at pfn {:#x}, pa {:#x})",
                                        n.kernel_max_low_pfn, n.max_low_pfn, n.max_low_pfn << 12));
        line("max_pfn", fmt::format("{:#x}  (a page count from PHYS_OFFSET; RAM ends at pfn {:#x}, pa {:#x})",
                                    n.kernel_max_pfn, n.max_pfn, n.max_pfn << 12));
    } else {
        line("max_low_pfn", fmt::format("{:#x}  (lowmem ends at pa {:#x})", n.kernel_max_low_pfn, n.max_low_pfn << 12));
        line("max_pfn", fmt::format("{:#x}  (RAM ends at pa {:#x})", n.kernel_max_pfn, n.max_pfn << 12));
    }
    line("high_memory", hex32(n.high_memory));
    line("node pages", fmt::format("{} spanned, {} present (On node 0 totalpages)", n.node_spanned_pages,
                                   n.node_present_pages));
    line("mem_map", fmt::format("{} bytes = {} pages ({} B per struct page)", n.memmap_bytes, n.mem_map_pages,
                                n.struct_page_size));
    line("nr_kernel_pages", std::to_string(n.nr_kernel_pages));
    line("nr_all_pages", std::to_string(n.nr_all_pages));
    line("highest_memmap_pfn", n.has_highest_memmap_pfn ? fmt::format("{:#x}", n.highest_memmap_pfn)
                                                        : std::string("none (the variable exists from 2.6.29)"));
    line("zonelist total", fmt::format("{} pages (Built 1 zonelists ... Total pages)", n.total_pages_zonelists));
    line("totalram_pages", n.totalram_known ? fmt::format("{} ({})", n.totalram_pages, n.totalram_note)
                                            : fmt::format("0 ({})", n.totalram_note));
    s += "\n";
    s += render_table(zones_view(n), {});
    for (const auto& x : n.notes) s += "note: " + x + "\n";
    return s;
}

}  // namespace kmemkit
