#include "kmemkit/layout_render.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <tuple>

#include "kmemkit/number.hpp"

namespace kmemkit {

namespace {
std::string h(uint64_t v) { return hex32(v); }

std::string ram_summary(const std::vector<MemBank>& banks) {
    std::string s;
    for (const auto& b : banks) {
        if (!s.empty()) s += ", ";
        s += fmt::format("{} at {}", human_size(b.size), h(b.start));
    }
    return s.empty() ? "none" : s;
}

void put_addr(Value& v, const std::string& key, uint64_t a, bool hex) {
    if (hex) {
        v.set(key, h(a));
    } else {
        v.set(key, a);
        v.set(key + "_hex", h(a));
    }
}

Value banks_value(const std::vector<MemBank>& banks, bool hex) {
    Value a = Value::array();
    for (const auto& b : banks) {
        Value o = Value::object();
        put_addr(o, "start", b.start, hex);
        o.set("size", b.size);
        a.push(o);
    }
    return a;
}

// The explanations in the order a reader follows: the split, then the limits, then the map.
std::vector<const Explanation*> explain_in_order(const Layout& l) {
    static const char* order[] = {"PAGE_OFFSET", "TASK_SIZE", "MODULES_VADDR", "MODULES_END", "PKMAP_BASE", "VMALLOC_END",
                                  "MAXMEM", "vmalloc_min", "lowmem limit (phys)", "high_memory", "VMALLOC_START"};
    std::vector<const Explanation*> sorted;
    for (const char* sym : order)
        for (const auto& e : l.explain)
            if (e.symbol == sym) sorted.push_back(&e);
    for (const auto& e : l.explain)
        if (std::find(sorted.begin(), sorted.end(), &e) == sorted.end()) sorted.push_back(&e);
    return sorted;
}
}  // namespace

// Every key is present in every layout, with one type: a value the layout does
// not have (no pkmap without HIGHMEM, no modules area on x86, no vmalloc=) is null.
Value layout_value(const Layout& l, const Profile& p, bool hex, bool explain) {
    Value v = Value::object();
    auto addr_if = [&](const std::string& key, bool has, uint64_t a) {
        if (has) {
            put_addr(v, key, a, hex);
        } else {
            v.set(key, nullptr);
            if (!hex) v.set(key + "_hex", nullptr);
        }
    };
    v.set("schema_version", 1);
    v.set("profile", l.profile);
    v.set("arch", arch_name(l.arch));
    v.set("kernel", l.kernel);
    v.set("era", l.era->name);
    v.set("cmdline", l.cmdline);
    put_addr(v, "page_offset", l.page_offset, hex);
    put_addr(v, "phys_offset", l.phys_offset, hex);
    put_addr(v, "task_size", l.task_size, hex);
    const bool arm = l.arch == Arch::arm;
    addr_if("modules_start", arm, l.modules_start);
    addr_if("modules_end", arm, l.modules_end);
    addr_if("pkmap_base", l.has_pkmap, l.pkmap_base);
    addr_if("pkmap_end", l.has_pkmap, l.pkmap_end);
    v.set("last_pkmap", l.has_pkmap ? Value(l.last_pkmap) : Value(nullptr));
    put_addr(v, "high_memory", l.high_memory, hex);
    put_addr(v, "vmalloc_start", l.vmalloc_start, hex);
    put_addr(v, "vmalloc_end", l.vmalloc_end, hex);
    v.set("vmalloc_size", uint64_t(l.vmalloc_end > l.vmalloc_start ? l.vmalloc_end - l.vmalloc_start : 0));
    addr_if("fixaddr_start", l.has_fixmap, l.fixaddr_start);
    addr_if("fixaddr_top", l.has_fixmap, l.fixaddr_top);
    addr_if("consistent_base", l.has_consistent, l.consistent_base);
    addr_if("consistent_end", l.has_consistent, l.consistent_end);
    addr_if("vectors_base", l.has_vectors, l.vectors_base);
    addr_if("lowmem_limit", l.has_lowmem_limit, l.lowmem_limit_virt);
    addr_if("lowmem_limit_phys", l.has_lowmem_limit, l.lowmem_limit_phys);
    v.set("vmalloc_param", l.vmalloc_param_given ? Value(l.vmalloc_param) : Value(nullptr));
    v.set("vmalloc_reserve", l.vmalloc_reserve);
    v.set("min_low_pfn", pfn_value(l.min_low_pfn, hex));
    v.set("max_low_pfn", pfn_value(l.max_low_pfn, hex));
    v.set("max_pfn", pfn_value(l.max_pfn, hex));
    // what the kernel stores: ARM before 3.13 counts pages from PHYS_OFFSET (bootmem_init(),
    // arch/arm/mm/init.c; the rule row arm-3.13), 3.13 and later and x86 store the pfns themselves
    v.set("pfns_are_counts", l.pfns_are_counts);
    v.set("kernel_max_low_pfn", pfn_value(l.kernel_max_low_pfn, hex));
    v.set("kernel_max_pfn", pfn_value(l.kernel_max_pfn, hex));
    v.set("lowmem_size", l.lowmem_bytes);
    v.set("highmem_size", l.highmem_bytes);
    v.set("dropped_size", l.dropped_bytes);
    v.set("vmalloc_to_keep_all", l.vmalloc_to_keep_all ? Value(l.vmalloc_to_keep_all) : Value(nullptr));
    v.set("vmalloc_to_keep_all_reason", l.keep_all_reason);   // the answer, or why there is none
    v.set("ram", banks_value(l.ram, hex));
    v.set("lowmem_banks", banks_value(l.lowmem_banks, hex));
    v.set("highmem_banks", banks_value(l.highmem_banks, hex));
    v.set("dropped_banks", banks_value(l.dropped_banks, hex));
    Value regions = Value::array();
    for (const auto& r : l.regions) {
        Value o = Value::object();
        o.set("name", r.name);
        put_addr(o, "start", r.start, hex);
        put_addr(o, "end", r.end, hex);
        o.set("size", r.end - r.start);
        o.set("description", r.what);
        regions.push(o);
    }
    v.set("regions", regions);
    Value msgs = Value::array();
    for (const auto& m : l.messages) msgs.push(Value::object().set("level", m.level).set("text", m.text));
    v.set("kernel_messages", msgs);
    Value notes = Value::array();
    for (const auto& n : l.notes) notes.push(n);
    v.set("notes", notes);
    if (explain) {
        Value ex = Value::array();
        for (const Explanation* e : explain_in_order(l)) {
            Value o = Value::object();
            o.set("name", e->symbol);
            o.set("formula", e->formula);
            put_addr(o, "value", e->value, hex);
            o.set("source", e->source);
            ex.push(o);
        }
        v.set("explain", ex);
    } else {
        v.set("explain", nullptr);
    }
    (void)p;
    return v;
}

const std::vector<TableColumn>& regions_columns() {
    static const std::vector<TableColumn> c = {{"name", "REGION", "the region (user, modules, pkmap, lowmem, vmalloc, fixmap ...)"},
                 {"start", "", "its first address"},
                 {"end", "", "the address after it"},
                 {"size", "", "its size (bytes in JSON)", true},
                 {"description", "", "what the kernel keeps there, and the symbols that bound it"}};
    return c;
}

TableView regions_view(const Layout& l) {
    TableView v;
    v.name = "regions";
    v.columns = regions_columns();
    for (auto it = l.regions.rbegin(); it != l.regions.rend(); ++it)   // the top of the address space first
        v.add({{it->name, it->name},
               {h(it->start), it->start},
               {h(it->end), it->end},
               {human_size(it->end - it->start), it->end - it->start},
               {it->what, it->what}});
    return v;
}

std::string layout_table(const Layout& l, const Profile& p) {
    std::string o;
    o += fmt::format("{}: {}\n", p.name, p.description.empty() ? "(no description)" : p.description);
    o += fmt::format("Linux {} ({} rules), {}, PAGE_OFFSET {}, PHYS_OFFSET {}\n", l.kernel, l.era->name,
                     l.arch == Arch::arm ? "ARM" : "x86-32", h(l.page_offset), h(l.phys_offset));
    o += fmt::format("RAM: {}; command line: \"{}\"\n\n", ram_summary(l.ram), l.cmdline);
    o += render_table(regions_view(l), {});
    o += "\n";
    Table d({{"VALUE"}, {"", false}});
    auto row = [&](const std::string& k, const std::string& val) { d.add({k, val}); };
    row("high_memory", h(l.high_memory));
    row("VMALLOC_START", h(l.vmalloc_start));
    row("VMALLOC_END", h(l.vmalloc_end));
    row("vmalloc size", human_size(l.vmalloc_end > l.vmalloc_start ? l.vmalloc_end - l.vmalloc_start : 0));
    if (l.has_lowmem_limit)
        row(l.arch == Arch::arm ? "vmalloc_min (lowmem limit)" : "PAGE_OFFSET + MAXMEM (lowmem limit)",
            fmt::format("{} (phys {})", h(l.lowmem_limit_virt), h(l.lowmem_limit_phys)));
    if (l.vmalloc_param_given)
        row("vmalloc=", fmt::format("{} given, {} in effect", human_size(l.vmalloc_param), human_size(l.vmalloc_reserve)));
    row("min_low_pfn", fmt::format("{:#x}", l.min_low_pfn));
    row("max_low_pfn", l.pfns_are_counts ? fmt::format("{:#x} (the kernel stores {}, a page count)", l.max_low_pfn, l.kernel_max_low_pfn)
                                         : fmt::format("{:#x}", l.max_low_pfn));
    row("max_pfn", l.pfns_are_counts ? fmt::format("{:#x} (the kernel stores {})", l.max_pfn, l.kernel_max_pfn)
                                     : fmt::format("{:#x}", l.max_pfn));
    row("lowmem", fmt::format("{} ({})", human_size(l.lowmem_bytes), ram_summary(l.lowmem_banks)));
    row("highmem", l.highmem_bytes ? fmt::format("{} ({})", human_size(l.highmem_bytes), ram_summary(l.highmem_banks)) : "none");
    if (l.dropped_bytes) row("not used (truncated)", fmt::format("{} ({})", human_size(l.dropped_bytes), ram_summary(l.dropped_banks)));
    o += d.render(false);
    if (!l.messages.empty()) {
        o += "\nThe kernel prints:\n";
        for (const auto& m : l.messages) o += "  " + m.text + "\n";
    }
    if (!l.keep_all_note.empty()) o += "\n" + l.keep_all_note + "\n";
    if (!l.notes.empty()) {
        o += "\nNotes:\n";
        for (const auto& n : l.notes) o += "  " + n + "\n";
    }
    return o;
}

std::string layout_kernel_text(const Layout& l, const Profile& p, std::string* why) {
    std::string o;
    for (const auto& m : l.messages) o += m.text + "\n";
    auto lines = kernel_layout_lines(l, p);
    if (lines.empty() && why)
        *why = fmt::format("Linux {} prints no \"{}irtual kernel memory layout:\" block ({} rules)", l.kernel,
                           l.arch == Arch::arm ? "V" : "v", l.era->name);
    for (const auto& s : lines) o += s + "\n";
    return o;
}

std::string layout_explain(const Layout& l, const Profile& p) {
    std::string o;
    o += fmt::format("{} on Linux {} ({} rules)\n", p.name, l.kernel, l.era->name);
    o += fmt::format("RAM: {}; command line: \"{}\"\n\n", ram_summary(l.ram), l.cmdline);
    for (const Explanation* e : explain_in_order(l)) {
        std::string v = h(e->value);
        if (e->formula.rfind(v, 0) == 0) o += fmt::format("{} = {}\n    [{}]\n", e->symbol, e->formula, e->source);
        else o += fmt::format("{} = {} = {}\n    [{}]\n", e->symbol, e->formula, v, e->source);
    }
    o += fmt::format("\nlowmem  = {} (PAGE_OFFSET {} .. high_memory {})\n", human_size(l.lowmem_bytes), h(l.page_offset),
                     h(l.high_memory));
    o += fmt::format("highmem = {}\n", l.highmem_bytes ? human_size(l.highmem_bytes) : "none");
    if (l.dropped_bytes) o += fmt::format("unused  = {} of RAM the kernel drops ({})\n", human_size(l.dropped_bytes), ram_summary(l.dropped_banks));
    o += fmt::format("vmalloc = {} (VMALLOC_END {} - VMALLOC_START {})\n",
                     human_size(l.vmalloc_end > l.vmalloc_start ? l.vmalloc_end - l.vmalloc_start : 0), h(l.vmalloc_end),
                     h(l.vmalloc_start));
    if (!l.keep_all_note.empty()) o += l.keep_all_note + "\n";
    for (const auto& m : l.messages) o += fmt::format("kernel: {}\n", m.text);
    for (const auto& n : l.notes) o += fmt::format("note: {}\n", n);
    // the rows of the kernel rule tables chosen for this kernel, each with the source of what it changed
    o += fmt::format("\nrules for Linux {} (the last row of each table at or before it; doc/kernel-rules.md):\n", l.kernel);
    const KernelRules& r = l.rules;
    for (auto [concern, name, source] : {std::tuple{"layout", r.layout->name, r.layout->source},
                                         std::tuple{"zones", r.zones->name, r.zones->source},
                                         std::tuple{"mm", r.mm->name, r.mm->source},
                                         std::tuple{"kmap", r.kmap->name, r.kmap->source}})
        o += fmt::format("  {:<7}{:<14}{}\n", concern, name, source);
    return o;
}

namespace {
// Heights in proportion to `weight` within `total`; a box whose share would be under
// `min_height` is drawn that tall (`enlarged`) and the others share the rest.
template <class Box>
void fit_heights(std::vector<Box*>& boxes, double total, double min_height) {
    // Floor the boxes whose share is too small, then share what is left among
    // the others; repeat, since each floor takes space from the rest.
    for (bool changed = true; changed;) {
        changed = false;
        double free_h = total, free_w = 0;
        for (const Box* b : boxes)
            if (b->enlarged) free_h -= min_height;
            else free_w += b->weight;
        for (Box* b : boxes) {
            if (b->enlarged) continue;
            b->height = free_w > 0 ? b->weight / free_w * std::max(free_h, 0.0) : 0;
            if (b->height < min_height) {
                b->enlarged = true;
                changed = true;
            }
        }
    }
    for (Box* b : boxes)
        if (b->enlarged) b->height = min_height;
}
}  // namespace

std::vector<MapBox> address_map(const Layout& l, double total, double min_height, bool log_scale) {
    std::vector<MapBox> boxes;
    for (auto it = l.regions.rbegin(); it != l.regions.rend(); ++it) {
        double size = double(it->end - it->start);
        boxes.push_back({&*it, log_scale ? std::log2(std::max(size, 4096.0) / 4096.0) + 1.0 : size, 0, false});
    }
    std::vector<MapBox*> all;
    for (auto& b : boxes) all.push_back(&b);
    fit_heights(all, total, min_height);
    return boxes;
}

std::vector<PhysBox> physical_map(const Layout& l, double total, double min_height, double hole_height) {
    using K = PhysBox::Kind;
    struct Piece {
        K kind;
        uint64_t start, end;
    };
    std::vector<Piece> used;
    for (auto [banks, kind] : {std::pair{&l.lowmem_banks, K::lowmem}, std::pair{&l.highmem_banks, K::highmem},
                               std::pair{&l.dropped_banks, K::dropped}})
        for (const auto& b : *banks)
            if (b.size) used.push_back({kind, b.start, b.end()});
    std::sort(used.begin(), used.end(), [](const Piece& a, const Piece& b) { return a.start < b.start; });
    // the board's RAM that the kernel is not given (mem=, page alignment): what the pieces do not cover
    std::vector<Piece> pieces = used;
    for (const auto& d : l.described_ram) {
        uint64_t at = d.start;
        for (const auto& u : used) {
            if (u.end <= at || u.start >= d.end()) continue;
            if (u.start > at) pieces.push_back({K::excluded, at, u.start});
            at = std::max(at, u.end);
        }
        if (at < d.end()) pieces.push_back({K::excluded, at, d.end()});
    }
    std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.start < b.start; });
    // one box per run of one kind, and a hole wherever there is no RAM, up to 4 GB at least
    std::vector<Piece> runs;
    for (const auto& p : pieces) {
        const uint64_t at = runs.empty() ? 0 : runs.back().end;
        if (p.start > at) runs.push_back({K::hole, at, p.start});
        if (!runs.empty() && runs.back().kind == p.kind && runs.back().end == p.start) runs.back().end = p.end;
        else runs.push_back(p);
    }
    const uint64_t top = std::max<uint64_t>(runs.empty() ? 0 : runs.back().end, 1ULL << 32);
    if (runs.empty() || runs.back().end < top) runs.push_back({K::hole, runs.empty() ? 0 : runs.back().end, top});
    std::vector<PhysBox> boxes;
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) boxes.push_back({it->kind, it->start, it->end, 0, false});
    struct Ram {
        PhysBox* box;
        double weight, height = 0;
        bool enlarged = false;
    };
    std::vector<Ram> ram;
    double ram_total = total;
    for (auto& b : boxes)
        if (b.kind == K::hole) b.height = hole_height, ram_total -= hole_height;
        else ram.push_back({&b, double(b.end - b.start)});
    std::vector<Ram*> fit;
    for (auto& r : ram) fit.push_back(&r);
    fit_heights(fit, ram_total, min_height);
    for (const auto& r : ram) r.box->height = r.height, r.box->enlarged = r.enlarged;
    return boxes;
}

const char* phys_kind_name(PhysBox::Kind k) {
    switch (k) {
    case PhysBox::Kind::lowmem: return "lowmem";
    case PhysBox::Kind::highmem: return "highmem";
    case PhysBox::Kind::dropped: return "dropped";
    case PhysBox::Kind::excluded: return "excluded";
    case PhysBox::Kind::hole: break;
    }
    return "hole";
}

std::string phys_label(PhysBox::Kind k) {
    switch (k) {
    case PhysBox::Kind::lowmem: return "lowmem";
    case PhysBox::Kind::highmem: return "HighMem";
    case PhysBox::Kind::dropped: return "dropped";
    case PhysBox::Kind::excluded: return "not given";
    case PhysBox::Kind::hole: break;
    }
    return "no RAM";
}

std::string phys_detail(const Layout& l, const PhysBox& b) {
    switch (b.kind) {
    case PhysBox::Kind::lowmem:
        // __va(x) = x - PHYS_OFFSET + PAGE_OFFSET
        return fmt::format("linear map of {} .. {}", h(b.start - l.phys_offset + l.page_offset),
                           boundary_label(b.end - l.phys_offset + l.page_offset));
    case PhysBox::Kind::highmem: return "ZONE_HIGHMEM, mapped by kmap()";
    case PhysBox::Kind::dropped: return "RAM the kernel cannot use";
    case PhysBox::Kind::excluded: return "left out by mem=";
    case PhysBox::Kind::hole: break;
    }
    return "not to scale";
}

std::vector<std::string> picture_facts(const Layout& l) {
    uint64_t described = 0, given = 0;
    for (const auto& b : l.described_ram) described += b.size;
    for (const auto& b : l.lowmem_banks) given += b.size;
    for (const auto& b : l.highmem_banks) given += b.size;
    for (const auto& b : l.dropped_banks) given += b.size;
    auto or_none = [](uint64_t v) { return v ? human_size(v) : std::string("none"); };
    std::string ram = fmt::format("RAM {} ({})", human_size(described), ram_summary(l.described_ram));
    if (given < described) ram += fmt::format(", {} of it not given to the kernel (mem=)", human_size(described - given));
    std::vector<std::string> f;
    f.push_back(fmt::format("{}: lowmem {}, HighMem {}, dropped {}", ram, human_size(l.lowmem_bytes),
                            or_none(l.highmem_bytes), or_none(l.dropped_bytes)));
    f.push_back(l.cmdline.empty() ? "command line: (empty)" : "command line: " + l.cmdline);
    for (const auto& m : l.messages) f.push_back("kernel: " + m.text);
    return f;
}

std::string region_symbols(const Layout& l, const Region& r) {
    const std::string& n = r.name;
    if (n == "user") return "0 .. TASK_SIZE";
    if (n == "modules") return "MODULES_VADDR .. MODULES_END";
    if (n == "pkmap") return fmt::format("PKMAP_BASE, LAST_PKMAP {} pages", l.last_pkmap);
    if (n == "lowmem") return "PAGE_OFFSET .. high_memory";
    if (n == "vmalloc-gap") return "VMALLOC_OFFSET hole: high_memory .. VMALLOC_START";
    if (n == "vmalloc") return "VMALLOC_START .. VMALLOC_END";
    if (n == "vmalloc-guard") return "guard pages: VMALLOC_END .. PKMAP_BASE";
    if (n == "cpu_entry") return "cpu_entry_area";
    if (n == "dma") return "CONSISTENT_BASE .. CONSISTENT_END";
    if (n == "fixmap") return l.arch == Arch::x86 ? "FIXADDR_START .. FIXADDR_TOP" : "FIXADDR_START .. FIXADDR_END";
    if (n == "vectors") return "vectors page, CONFIG_VECTORS_BASE";
    // a hole: the region's own description, without its aside
    return r.what.substr(0, r.what.find(" ("));
}

std::string boundary_label(uint64_t a) { return a >= (1ULL << 32) ? "0xffffffff" : h(a); }

namespace {
// Whole lines for boxes of fractional heights: each its integer part (at least one line),
// the lines left over to the largest remainders.
std::vector<int> whole_lines(const std::vector<double>& heights, int rows) {
    std::vector<int> lines;
    int used = 0;
    for (double hh : heights) {
        lines.push_back(std::max(1, int(std::floor(hh + 1e-9))));
        used += lines.back();
    }
    std::vector<size_t> by_rest(heights.size());
    for (size_t i = 0; i < by_rest.size(); ++i) by_rest[i] = i;
    std::stable_sort(by_rest.begin(), by_rest.end(),
                     [&](size_t a, size_t b) { return heights[a] - lines[a] > heights[b] - lines[b]; });
    for (size_t k = 0; used < rows && k < by_rest.size(); ++k, ++used) ++lines[by_rest[k]];
    return lines;
}

constexpr int kDiagramWidth = 28;

// One box of a text column: `n` lines between `side` characters, the label on the middle line.
void diagram_box(std::string& o, int n, char side, std::string label, const std::string& detail) {
    if (label.size() > size_t(kDiagramWidth - 2)) label.resize(size_t(kDiagramWidth - 2));
    for (int k = 0; k < n; ++k) {
        if (k == (n - 1) / 2) o += fmt::format("{:11} {} {:<{}} {}  {}\n", "", side, label, kDiagramWidth - 2, side, detail);
        else o += fmt::format("{:11} {} {:<{}} {}\n", "", side, "", kDiagramWidth - 2, side);
    }
}
}  // namespace

std::string layout_diagram(const Layout& l, int rows, bool log_scale) {
    rows = std::max(rows, 8);
    std::vector<MapBox> boxes = address_map(l, rows, 1.0, log_scale);
    if (boxes.empty()) return "";
    std::vector<double> heights;
    for (const auto& b : boxes) heights.push_back(b.height);
    const std::vector<int> lines = whole_lines(heights, rows);

    bool any_enlarged = false;
    double scaled_w = 0, scaled_lines = 0;
    for (size_t i = 0; i < boxes.size(); ++i) {
        if (boxes[i].enlarged) any_enlarged = true;
        else scaled_w += boxes[i].weight, scaled_lines += boxes[i].height;
    }
    std::string o = fmt::format("{} {} (Linux {}): the 4 GB virtual address space, high addresses on top.\n", l.profile,
                                l.arch == Arch::arm ? "ARM" : "x86-32", l.kernel);
    for (const auto& f : picture_facts(l)) o += f + "\n";
    if (log_scale)
        o += "Heights in proportion to log2(size / 4 kB) + 1 (a 4 kB page is 1, 4 GB is 21), not to size.\n";
    else
        o += fmt::format("Heights in proportion to size: one line is about {} MB.\n",
                         scaled_lines > 0 ? std::llround(scaled_w / scaled_lines / double(1 << 20)) : 0);
    o += "Each line of dashes is the start of the region above it and the end of the one below; the top one\n"
         "is the last byte, 0xffffffff.";
    o += any_enlarged ? "  Boxes drawn with ':' are enlarged to one line.\n\n" : "\n\n";
    const std::string bar = "+" + std::string(kDiagramWidth, '-') + "+";
    o += fmt::format("{:>11} {}\n", boundary_label(boxes.front().region->end), bar);
    for (size_t i = 0; i < boxes.size(); ++i) {
        const Region& r = *boxes[i].region;
        diagram_box(o, lines[i], boxes[i].enlarged ? ':' : '|', fmt::format("{} {}", r.name, human_size(r.end - r.start)),
                    region_symbols(l, r));
        o += fmt::format("{:>11} {}\n", boundary_label(r.start), bar);
    }

    // the physical column: RAM to scale (half the rows), holes one line each
    const int phys_rows = std::max(8, rows / 2);
    std::vector<PhysBox> phys = physical_map(l, phys_rows, 1.0, 1.0);
    heights.clear();
    for (const auto& b : phys) heights.push_back(b.height);
    const std::vector<int> plines = whole_lines(heights, phys_rows);
    o += "\nPhysical memory: the board's RAM, high addresses on top, RAM heights in proportion to size; boxes drawn\n"
         "with '~' are holes (no RAM, not to scale), with ':' enlarged to one line.  lowmem is the linear map of\n"
         "PAGE_OFFSET .. high_memory above: __va(pa) = pa - PHYS_OFFSET + PAGE_OFFSET.\n\n";
    // the top boundary is the last byte, as above; the others are starts
    o += fmt::format("{:>11} {}\n", hex32(phys.front().end - 1), bar);
    for (size_t i = 0; i < phys.size(); ++i) {
        const PhysBox& b = phys[i];
        const char side = b.kind == PhysBox::Kind::hole ? '~' : b.enlarged ? ':' : '|';
        diagram_box(o, plines[i], side, fmt::format("{} {}", phys_label(b.kind), human_size(b.end - b.start)), phys_detail(l, b));
        o += fmt::format("{:>11} {}\n", hex32(b.start), bar);
    }
    return o;
}

}  // namespace kmemkit
