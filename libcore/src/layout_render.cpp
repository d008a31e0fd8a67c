#include "kmemkit/layout_render.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

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
}  // namespace

Value layout_value(const Layout& l, const Profile& p, bool hex) {
    Value v = Value::object();
    v.set("schema_version", 1);
    v.set("profile", l.profile);
    v.set("arch", arch_name(l.arch));
    v.set("kernel", l.kernel);
    v.set("era", l.era->name);
    v.set("cmdline", l.cmdline);
    put_addr(v, "page_offset", l.page_offset, hex);
    put_addr(v, "phys_offset", l.phys_offset, hex);
    put_addr(v, "task_size", l.task_size, hex);
    if (l.arch == Arch::arm) {
        put_addr(v, "modules_start", l.modules_start, hex);
        put_addr(v, "modules_end", l.modules_end, hex);
    }
    if (l.has_pkmap) {
        put_addr(v, "pkmap_base", l.pkmap_base, hex);
        put_addr(v, "pkmap_end", l.pkmap_end, hex);
        v.set("last_pkmap", l.last_pkmap);
    }
    put_addr(v, "high_memory", l.high_memory, hex);
    put_addr(v, "vmalloc_start", l.vmalloc_start, hex);
    put_addr(v, "vmalloc_end", l.vmalloc_end, hex);
    v.set("vmalloc_size", uint64_t(l.vmalloc_end > l.vmalloc_start ? l.vmalloc_end - l.vmalloc_start : 0));
    if (l.has_fixmap) {
        put_addr(v, "fixaddr_start", l.fixaddr_start, hex);
        put_addr(v, "fixaddr_top", l.fixaddr_top, hex);
    }
    if (l.has_lowmem_limit) {
        put_addr(v, "lowmem_limit", l.lowmem_limit_virt, hex);
        put_addr(v, "lowmem_limit_phys", l.lowmem_limit_phys, hex);
    }
    if (l.vmalloc_param_given) v.set("vmalloc_param", l.vmalloc_param);
    v.set("vmalloc_reserve", l.vmalloc_reserve);
    v.set("min_low_pfn", l.min_low_pfn);
    v.set("max_low_pfn", l.max_low_pfn);
    v.set("max_pfn", l.max_pfn);
    if (l.pfns_are_counts) {
        v.set("kernel_max_low_pfn", l.kernel_max_low_pfn);
        v.set("kernel_max_pfn", l.kernel_max_pfn);
    }
    v.set("lowmem_size", l.lowmem_bytes);
    v.set("highmem_size", l.highmem_bytes);
    v.set("dropped_size", l.dropped_bytes);
    if (l.vmalloc_to_keep_all) v.set("vmalloc_to_keep_all", l.vmalloc_to_keep_all);
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
    (void)p;
    return v;
}

std::string layout_table(const Layout& l, const Profile& p) {
    std::string o;
    o += fmt::format("{}: {}\n", p.name, p.description.empty() ? "(no description)" : p.description);
    o += fmt::format("Linux {} ({} rules), {}, PAGE_OFFSET {}, PHYS_OFFSET {}\n", l.kernel, l.era->name,
                     l.arch == Arch::arm ? "ARM" : "x86-32", h(l.page_offset), h(l.phys_offset));
    o += fmt::format("RAM: {}; command line: \"{}\"\n\n", ram_summary(l.ram), l.cmdline);
    Table t({{"REGION"}, {"START"}, {"END"}, {"SIZE", true}, {"DESCRIPTION"}});
    for (auto it = l.regions.rbegin(); it != l.regions.rend(); ++it)
        t.add({it->name, h(it->start), h(it->end), human_size(it->end - it->start), it->what});
    o += t.render();
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
    o += fmt::format("{} on Linux {} ({} rules: {})\n", p.name, l.kernel, l.era->name, l.era->source);
    o += fmt::format("RAM: {}; command line: \"{}\"\n\n", ram_summary(l.ram), l.cmdline);
    // in the order a reader follows: the split, then the limits, then the map
    static const char* order[] = {"PAGE_OFFSET", "TASK_SIZE", "MODULES_VADDR", "MODULES_END", "PKMAP_BASE", "VMALLOC_END",
                                  "MAXMEM", "vmalloc_min", "lowmem limit (phys)", "high_memory", "VMALLOC_START"};
    std::vector<const Explanation*> sorted;
    for (const char* sym : order)
        for (const auto& e : l.explain)
            if (e.symbol == sym) sorted.push_back(&e);
    for (const auto& e : l.explain)
        if (std::find(sorted.begin(), sorted.end(), &e) == sorted.end()) sorted.push_back(&e);
    for (const Explanation* e : sorted) {
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
    return o;
}

std::string layout_diagram(const Layout& l, int rows, bool unicode) {
    (void)unicode;
    rows = std::max(rows, 8);
    // regions top-down (high addresses first), skip tiny unused holes
    std::vector<const Region*> rs;
    for (auto it = l.regions.rbegin(); it != l.regions.rend(); ++it)
        if (it->name != "unused" || (it->end - it->start) >= (1ULL << 32) / uint64_t(rows * 4)) rs.push_back(&*it);
    // proportional body heights, at least one row each
    const double total = double(1ULL << 32);
    std::vector<int> hts;
    int used = 0;
    for (auto* r : rs) {
        int n = int(std::lround(double(r->end - r->start) / total * rows));
        n = std::max(n, 1);
        hts.push_back(n);
        used += n;
    }
    // shrink the tallest bodies if the minimums pushed us over
    while (used > rows + int(rs.size()) / 2) {
        auto it = std::max_element(hts.begin(), hts.end());
        if (*it <= 1) break;
        --*it;
        --used;
    }
    const int width = 28;
    std::string o;
    o += fmt::format("{} {} (Linux {}), 4 GB virtual address space, high addresses on top; bars not to scale below {} MB\n\n",
                     l.profile, l.arch == Arch::arm ? "ARM" : "x86-32", l.kernel, (1ULL << 32) / uint64_t(rows) >> 20);
    std::string bar = "+" + std::string(width, '-') + "+";
    o += fmt::format("{:>11} {}\n", "0xffffffff", bar);
    for (size_t i = 0; i < rs.size(); ++i) {
        const Region& r = *rs[i];
        int n = hts[i];
        for (int k = 0; k < n; ++k) {
            std::string label;
            if (k == (n - 1) / 2) label = fmt::format("{} {}", r.name, human_size(r.end - r.start));
            if (label.size() > size_t(width - 2)) label.resize(size_t(width - 2));
            std::string line = fmt::format("{:11} | {:<{}} |", "", label, width - 2);
            if (k == (n - 1) / 2) {
                std::string tail = r.what;
                if (r.name == "lowmem") tail = "PAGE_OFFSET .. high_memory";
                else if (r.name == "vmalloc") tail = "VMALLOC_START .. VMALLOC_END";
                else if (r.name == "user") tail = "0 .. TASK_SIZE";
                else if (r.name == "vmalloc-gap") tail = "8 MB VMALLOC_OFFSET hole";
                else if (r.name == "modules") tail = "MODULES_VADDR .. MODULES_END";
                else if (r.name == "pkmap") tail = "PKMAP_BASE, LAST_PKMAP pages";
                auto paren = tail.find(" (");
                if (paren != std::string::npos && r.name == "unused") tail = tail.substr(0, paren);
                line += "  " + tail;
            }
            o += line + "\n";
        }
        o += fmt::format("{:>11} {}\n", h(r.start), bar);
    }
    return o;
}

}  // namespace kmemkit
