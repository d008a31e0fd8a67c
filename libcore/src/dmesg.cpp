// Boot-log check: parse a dmesg, rebuild the profile, compare the layout.
// The message and block formats are those of the kernels' mem_init()
// (arch/arm/mm/init.c, arch/x86/mm/init_32.c), setup_arch() and
// free_area_init() (mm/page_alloc.c); see the comments at each pattern.
#include "kmemkit/dmesg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <regex>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/zones.hpp"

namespace kmemkit {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

uint64_t hexnum(const std::string& s) { return std::stoull(s, nullptr, 16); }

// "<5>" (/proc/kmsg, dmesg -r) and "[    0.000000] " (CONFIG_PRINTK_TIME) prefixes.
std::string strip_prefixes(std::string_view s) {
    if (s.size() >= 3 && s[0] == '<' && std::isdigit((unsigned char)s[1])) {
        size_t j = 1;
        while (j < s.size() && j < 5 && std::isdigit((unsigned char)s[j])) ++j;
        if (j < s.size() && s[j] == '>') s.remove_prefix(j + 1);
    }
    if (!s.empty() && s[0] == '[') {
        size_t close = s.find(']');
        if (close != std::string_view::npos && close < 24) {
            bool stamp = close > 1;
            for (size_t k = 1; k < close; ++k)
                if (!(std::isdigit((unsigned char)s[k]) || s[k] == '.' || s[k] == ' ')) stamp = false;
            if (stamp) {
                s.remove_prefix(close + 1);
                if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
            }
        }
    }
    return std::string(s);
}

const std::regex& re_entry() {
    // mem_init: "    %-8s: 0x%08lx - 0x%08lx   (%4ld kB)" (and MB); 4.15+ "0x(ptrval)"
    static const std::regex r(R"(^(\s*)([.A-Za-z_][A-Za-z_0-9]*)\s*:\s*0x([0-9a-fA-F]+|\(ptrval\))\s*-\s*0x([0-9a-fA-F]+|\(ptrval\))\s+\(\s*\d+ [kM]B\)\s*$)");
    return r;
}

bool is_message(const std::string& t) {
    // the kernel messages layout.cpp models (see the msg() calls there)
    static const std::regex r(
        R"(^(Truncating RAM at|Ignoring RAM at|Ignoring memory at|Consider using a HIGHMEM|vmalloc area|vmalloc size|[0-9]+MB (HIGH|LOW)MEM available|Warning only|Use a (PAE|HIGHMEM)|HIGHMEM is not supported|fixmap and kmap areas overlap))");
    return std::regex_search(t, r);
}

}  // namespace

std::string read_dmesg_file(const std::string& path) {
    std::string data;
    auto slurp = [&](std::istream& in) {
        char buf[65536];
        while (in) {
            in.read(buf, sizeof buf);
            data.append(buf, size_t(in.gcount()));
            if (data.size() > kMaxDmesgBytes)
                throw Error(fmt::format("boot log is larger than {} MiB (is it a boot log?)", kMaxDmesgBytes >> 20),
                            path == "-" ? "<stdin>" : path);
        }
    };
    if (path == "-") {
        slurp(std::cin);
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw Error("cannot open the boot log", path);
        slurp(in);
    }
    return data;
}

DmesgFacts parse_dmesg(std::string_view text) {
    if (text.size() > kMaxDmesgBytes)
        throw Error(fmt::format("boot log is larger than {} MiB (is it a boot log?)", kMaxDmesgBytes >> 20));
    // split, clean, and keep only the last boot
    std::vector<LogLine> all;
    size_t pos = 0, n = 0;
    while (pos < text.size()) {
        size_t e = text.find('\n', pos);
        std::string_view raw = text.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
        pos = e == std::string_view::npos ? text.size() : e + 1;
        ++n;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (!raw.empty() && raw[0] == '#') continue;   // header lines of the fixtures
        all.push_back({n, raw.size(), strip_prefixes(raw)});
    }
    DmesgFacts f;
    f.lines = n;
    // the first boot: up to the next "Linux version" line (a later boot, or the
    // same boot's messages dumped again)
    size_t last = all.size();
    for (size_t i = 0; i < all.size(); ++i)
        if (contains(all[i].text, "Linux version ")) {
            if (++f.boots == 2) last = i;
        }
    std::vector<LogLine> L(all.begin(), all.begin() + long(last));

    // 80-column captures: many lines of exactly the same (maximal) length
    std::map<size_t, unsigned> lens;
    size_t maxlen = 0;
    for (const auto& l : L) maxlen = std::max(maxlen, l.raw_len);
    for (const auto& l : L) lens[l.raw_len]++;

    static const std::regex re_ver(R"(Linux version (\S+))");
    static const std::regex re_banks(R"(^Memory:((?: \d+MB)+) = (\d+)MB total)");
    static const std::regex re_avail(R"(^Memory: (\d+)[kK]/(\d+)[kK] available)");
    static const std::regex re_highkb(R"((\d+)[kK] highmem)");
    static const std::regex re_node(R"(^\s*node\s+\d+: \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\])");
    static const std::regex re_pfnrange(R"(^\s*\d+:\s+(0x[0-9a-fA-F]+|\d+)\s*->\s*(0x[0-9a-fA-F]+|\d+)\s*$)");
    static const std::regex re_e820new(R"(BIOS-e820: \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] usable)");
    static const std::regex re_e820old(R"(BIOS-e820: ([0-9a-fA-F]{8,16}) - ([0-9a-fA-F]{8,16}) \(usable\))");
    static const std::regex re_lastpfn(R"(last_pfn = 0x([0-9a-fA-F]+) max_arch_pfn = 0x([0-9a-fA-F]+))");
    static const std::regex re_trunc(R"(^(Truncating|Ignoring) RAM at (0x)?([0-9a-fA-F]+)-(0x)?([0-9a-fA-F]+))");
    static const std::regex re_physoff(R"(PHYS_OFFSET is 0x([0-9a-fA-F]+))");
    static const std::regex re_idmap(R"(^Setting up static identity map for 0x([0-9a-fA-F]+))");
    static const std::regex re_zone_new(R"(^\s+(DMA32|DMA|Normal|HighMem|Movable|Device)\s+(\[mem 0x[0-9a-fA-F]+-0x[0-9a-fA-F]+\]|empty)\s*$)");
    static const std::regex re_zone_pfn(R"(^\s+(DMA32|DMA|Normal|HighMem)\s+(0x)?[0-9a-fA-F]+ -> (0x)?[0-9a-fA-F]+\s*$)");

    std::smatch m;
    std::optional<uint64_t> idmap;
    bool in_pfn_ranges = false;
    for (size_t i = 0; i < L.size(); ++i) {
        const std::string& t = L[i].text;
        if (!f.version && std::regex_search(t, m, re_ver)) {
            f.version = m[1].str();
            f.version_line = L[i].lineno;
            std::string v = *f.version;
            if (contains(v, "armmp") || contains(v, "-arm")) f.arch = Arch::arm, f.arch_why = "the version " + v;
            if (contains(v, "-686") || contains(v, "i386") || contains(v, "i686")) f.arch = Arch::x86, f.arch_why = "the version " + v;
        }
        if (starts_with(t, "Machine model: ") || starts_with(t, "Machine: ") || starts_with(t, "OF: fdt: Machine model: ") ||
            starts_with(t, "OF: fdt:Machine model: ")) {
            f.machine = trim(t.substr(t.find(':', t.find("Machine")) + 1));
            if (!f.arch) f.arch = Arch::arm, f.arch_why = "\"" + t.substr(0, t.find(':', t.find("Machine")) + 1) + "\"";
        }
        if (starts_with(t, "DMI: ")) f.machine = trim(t.substr(5));
        if (starts_with(t, "CPU: ARM") || starts_with(t, "CPU: Feroceon") || contains(t, "(ARMv")) {
            if (!f.arch) f.arch = Arch::arm, f.arch_why = "the CPU line";
        }
        if (contains(t, "BIOS-e820") || contains(t, "max_arch_pfn")) {
            if (!f.arch || f.arch_why.empty()) f.arch = Arch::x86, f.arch_why = "the BIOS-e820 map";
        }
        if (starts_with(t, "Kernel command line: ")) {
            f.cmdline = trim(t.substr(21));
            f.cmdline_line = L[i].lineno;
            if (L[i].raw_len == maxlen && lens[maxlen] >= 3 && maxlen <= 132) {
                f.cmdline_cut = true;
                f.cut_width = maxlen;
            }
        }
        if (std::regex_search(t, m, re_banks)) {
            std::string s = m[1].str();
            f.bank_sizes.clear();
            for (size_t p = 0; p < s.size();) {
                size_t q = s.find("MB", p);
                if (q == std::string::npos) break;
                f.bank_sizes.push_back(std::stoull(trim(s.substr(p, q - p))) << 20);
                p = q + 2;
            }
        }
        if (std::regex_search(t, m, re_avail)) {
            f.memory_total_kb = std::stoull(m[2].str());
            if (std::regex_search(t, m, re_highkb)) f.highmem_kb = std::stoull(m[1].str());
        }
        if (std::regex_search(t, m, re_node)) {
            uint64_t a = hexnum(m[1].str()), b = hexnum(m[2].str()) + 1;
            f.node_ranges.push_back({a, b - a});
        }
        if (starts_with(t, "early_node_map[")) { in_pfn_ranges = true; continue; }
        if (in_pfn_ranges) {
            if (std::regex_search(t, m, re_pfnrange)) {
                auto num = [](const std::string& s) { return starts_with(s, "0x") ? hexnum(s.substr(2)) : std::stoull(s); };
                uint64_t a = num(m[1].str()), b = num(m[2].str());
                if (b > a) f.node_ranges.push_back({a << 12, (b - a) << 12});
                continue;
            }
            in_pfn_ranges = false;
        }
        if (std::regex_search(t, m, re_e820new)) {
            uint64_t a = hexnum(m[1].str()), b = hexnum(m[2].str()) + 1;
            f.e820_usable.push_back({a, b - a});
        } else if (std::regex_search(t, m, re_e820old)) {
            uint64_t a = hexnum(m[1].str()), b = hexnum(m[2].str());
            if (b > a) f.e820_usable.push_back({a, b - a});
        }
        if (std::regex_search(t, m, re_lastpfn)) {
            f.last_pfn = hexnum(m[1].str());
            f.max_arch_pfn = hexnum(m[2].str());
        }
        if (std::regex_search(t, m, re_trunc)) {
            // <= 3.15 (meminfo banks): "%.8lx-%.8lx", inclusive end; 3.16+ memblock: "%pa-%pa", exclusive end
            uint64_t a = hexnum(m[3].str()), b = hexnum(m[5].str());
            if (!m[4].matched) b += 1;
            if (b > a) f.truncated_banks.push_back({a, b - a});
        }
        if (std::regex_search(t, m, re_physoff)) {
            f.phys_offset = hexnum(m[1].str());
            f.phys_offset_why = fmt::format("line {}: \"PHYS_OFFSET is 0x{}\"", L[i].lineno, m[1].str());
        }
        if (!idmap && std::regex_search(t, m, re_idmap)) idmap = hexnum(m[1].str());
        if (is_message(t)) f.messages.push_back(L[i]);
        if (trim(t) == "Zone ranges:" || trim(t) == "Zone PFN ranges:") {
            f.zone_header = trim(t);
            f.zone_lines.clear();
            for (size_t j = i + 1; j < L.size(); ++j) {
                const std::string& z = L[j].text;
                if (!(std::regex_search(z, re_zone_new) || std::regex_search(z, re_zone_pfn))) break;
                f.zone_lines.push_back(L[j]);
                if (contains(z, "HighMem")) f.zone_highmem = true;
                if (contains(z, " DMA ") || starts_with(trim(z), "DMA ")) f.zone_dma = true;
            }
        }
        // the layout block: one multi-line record; dmesg(1) indents the continuation lines
        if (trim(t) == "Virtual kernel memory layout:" || trim(t) == "virtual kernel memory layout:") {
            f.has_block = true;
            f.block_line = L[i].lineno;
            f.block_header = trim(t);
            if (!f.arch) {
                f.arch = f.block_header[0] == 'V' ? Arch::arm : Arch::x86;
                f.arch_why = "the block header \"" + f.block_header + "\"";
            }
            f.block.clear();
            long extra = -1;
            for (size_t j = i + 1; j < L.size(); ++j) {
                // a continuation line has no timestamp of its own: its raw text is the indented entry
                const std::string& z = L[j].text;
                if (!std::regex_match(z, m, re_entry())) break;
                long lead = long(m[1].length());
                if (extra < 0) extra = std::max(0L, lead - 4);
                std::string norm = z.substr(size_t(std::min(extra, lead)));
                f.block.push_back({L[j].lineno, m[2].str(), norm});
            }
        }
    }
    // PHYS_OFFSET: the lowest RAM address on ARM (arch/arm/include/asm/memory.h)
    if (!f.phys_offset && f.arch == Arch::arm) {
        if (!f.node_ranges.empty()) {
            f.phys_offset = f.node_ranges.front().start;
            f.phys_offset_why = "the first \"node 0: [mem ...]\" range";
        } else if (!f.truncated_banks.empty()) {
            f.phys_offset = f.truncated_banks.front().start;
            f.phys_offset_why = "the \"Truncating/Ignoring RAM at\" line";
        } else if (idmap) {
            // __idmap_text_start is in the first MBs of the image; PHYS_OFFSET is 16 MB aligned
            // (ARM_PATCH_PHYS_VIRT, arch/arm/Kconfig)
            f.phys_offset = *idmap & ~uint64_t(0xffffff);
            f.phys_offset_why = fmt::format("\"Setting up static identity map for 0x{:x}\" rounded down to 16 MB", *idmap);
        }
    }
    if (f.arch == Arch::x86) f.phys_offset = 0;
    return f;
}

// ---------------------------------------------------------------------------

namespace {

struct Entry {
    bool ptrval = false;
    uint64_t start = 0, end = 0;
};
std::optional<Entry> entry_of(const DmesgFacts& f, const std::string& name) {
    for (const auto& b : f.block)
        if (b.name == name) {
            std::smatch m;
            if (!std::regex_match(b.text, m, re_entry())) return std::nullopt;
            Entry e;
            if (m[3].str()[0] == '(') e.ptrval = true;
            else e.start = hexnum(m[3].str()), e.end = hexnum(m[4].str());
            return e;
        }
    return std::nullopt;
}
uint64_t size_kb_of(const DmesgFacts& f, const std::string& name) {
    for (const auto& b : f.block)
        if (b.name == name) {
            auto o = b.text.rfind('(');
            return std::stoull(trim(b.text.substr(o + 1)));
        }
    return 0;
}

std::string yaml_quote(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        if ((unsigned char)c < 0x20) continue;
        o += c;
    }
    return o + "\"";
}

std::string bank_yaml(const MemBank& b) {
    if (b.size % (1 << 20) == 0) return fmt::format("  - {{start: 0x{:08x}, size: {}M}}\n", b.start, b.size >> 20);
    return fmt::format("  - {{start: 0x{:08x}, size: 0x{:x}}}\n", b.start, b.size);
}

std::vector<MemBank> page_align(std::vector<MemBank> v) {
    std::vector<MemBank> o;
    for (auto b : v) {
        uint64_t s = (b.start + kPageSize - 1) & ~(kPageSize - 1), e = b.end() & ~(kPageSize - 1);
        if (e > s) o.push_back({s, e - s});
    }
    return o;
}

}  // namespace

std::string profile_yaml_from_dmesg(const DmesgFacts& f, const std::optional<std::string>& kernel) {
    if (!f.arch) throw Error("no recognisable kernel in the log: no \"Linux version\", \"Machine\", BIOS-e820 or layout lines");
    std::string ver = kernel ? *kernel : f.version ? *f.version : "";
    if (ver.empty())
        throw Error("the log has no \"Linux version\" line: give the kernel version with --kernel VERSION");
    KernelVersion kv_;
    try {
        kv_ = parse_kernel_version(ver);
    } catch (const Error& e) {
        throw Error(fmt::format("kernel version '{}' is not recognisable: {} (give --kernel VERSION)", ver, e.what()));
    }
    const Arch arch = *f.arch;
    const Era& era = era_for(arch, kv_);
    std::string y;
    std::string why = f.version && !kernel ? fmt::format("line {}", f.version_line) : "--kernel";
    y += "# Profile rebuilt by vmlayout --from-dmesg from a boot log";
    y += f.machine.empty() ? ".\n" : fmt::format(" of \"{}\".\n", f.machine);
    y += "name: from-dmesg\n";
    y += fmt::format("description: {}\n", yaml_quote(f.machine.empty() ? "board of a boot log" : f.machine));
    y += fmt::format("arch: {}\n", arch == Arch::arm ? "arm" : "x86");
    y += fmt::format("kernel: {}   # {}\n", yaml_quote(ver), why);

    auto lowmem = entry_of(f, "lowmem");
    const uint64_t page_offset = lowmem ? lowmem->start : 0xc0000000;
    uint64_t phys = f.phys_offset.value_or(0);
    if (arch == Arch::arm) {
        y += fmt::format("phys_offset: 0x{:08x}   # {}\n", phys,
                         f.phys_offset ? f.phys_offset_why : "not visible in the log: assumed (only physical addresses depend on it)");
        // before 3.4 each machine had its own VMALLOC_END (mach/vmalloc.h): the block shows it
        auto vm = entry_of(f, "vmalloc");
        if (vm && !vm->ptrval && era.arm_vmalloc_end == 0)
            y += fmt::format("vmalloc_end: 0x{:08x}   # the machine's VMALLOC_END, from the vmalloc line\n", vm->end);
    }
    // RAM
    std::vector<MemBank> ram;
    std::string ram_why;
    if (arch == Arch::arm) {
        if (!f.node_ranges.empty()) {
            ram = f.node_ranges;
            ram_why = "the \"node 0: [mem ...]\" lines";
        } else if (!f.truncated_banks.empty()) {
            ram = f.truncated_banks;
            ram_why = "the \"Truncating/Ignoring RAM at\" lines (the banks before the kernel cut them)";
        } else if (!f.bank_sizes.empty()) {
            uint64_t a = phys;
            for (auto s : f.bank_sizes) ram.push_back({a, s}), a += s;
            ram_why = f.bank_sizes.size() > 1 ? "the bank sizes of \"Memory: ... total\"; their addresses are not printed, "
                                                "so the banks are assumed contiguous from PHYS_OFFSET"
                                              : "\"Memory: ...MB total\"";
        } else if (f.memory_total_kb) {
            ram.push_back({phys, *f.memory_total_kb << 10});
            ram_why = "the total of \"Memory: ...K/...K available\"";
        }
    } else {
        if (!f.node_ranges.empty()) ram = f.node_ranges, ram_why = "the early node ranges";
        else if (!f.e820_usable.empty()) ram = page_align(f.e820_usable), ram_why = "the BIOS-e820 usable ranges";
        else if (f.memory_total_kb) ram.push_back({0, *f.memory_total_kb << 10}), ram_why = "the total of \"Memory: ...k/...k available\"";
    }
    if (ram.empty()) throw Error("the log shows no RAM (no Memory:, node, e820 or Truncating lines): give --ram or -p");
    y += fmt::format("ram:   # {}\n", ram_why);
    for (const auto& b : ram) y += bank_yaml(b);
    if (f.cmdline) y += fmt::format("cmdline: {}   # line {}{}\n", yaml_quote(*f.cmdline), f.cmdline_line,
                                    f.cmdline_cut ? fmt::format(" (cut at {} columns)", f.cut_width) : "");
    if (arch == Arch::arm) {
        if (auto dma = entry_of(f, "DMA"))
            y += fmt::format("consistent_dma_size: {}M   # the DMA line\nconsistent_end: 0x{:08x}\n",
                             (dma->end - dma->start) >> 20, dma->end);
        if (auto d = entry_of(f, "DTCM")) y += fmt::format("dtcm: {{start: 0x{:08x}, end: 0x{:08x}}}\n", d->start, d->end);
        if (auto d = entry_of(f, "ITCM")) y += fmt::format("itcm: {{start: 0x{:08x}, end: 0x{:08x}}}\n", d->start, d->end);
    }
    std::optional<Profile> x86_default;
    if (arch == Arch::x86) {
        auto fx = entry_of(f, "fixmap");
        auto pk = entry_of(f, "pkmap");
        auto ce = entry_of(f, "cpu_entry");
        if (fx) {
            y += fmt::format("fixmap: {{start: 0x{:08x}, top: 0x{:08x}}}   # config-dependent, from the fixmap line\n",
                             fx->start, fx->end);
            if (pk) y += fmt::format("pkmap_base: 0x{:08x}   # from the pkmap line\n", pk->start);
            if (ce) y += fmt::format("cpu_entry_area: {{start: 0x{:08x}, end: 0x{:08x}}}\n", ce->start, ce->end);
        } else {
            // not printed (2.6.18, 5.5+): take them from the shipped profile of the nearest era
            bool pae = f.max_arch_pfn && *f.max_arch_pfn > 0x100000;
            const Profile* best = nullptr;
            std::vector<Profile> ps;
            for (const auto& e : embedded_profiles()) {
                Profile p = parse_profile(e.yaml, e.name);
                if (p.arch == Arch::x86 && p.config.pae == pae && p.fixaddr_start) ps.push_back(p);
            }
            for (const auto& p : ps)
                if (!best || (std::abs(long(p.kernel.key()) - long(kv_.key())) < std::abs(long(best->kernel.key()) - long(kv_.key()))))
                    best = &p;
            if (best) {
                y += fmt::format("fixmap: {{start: 0x{:08x}, top: 0x{:08x}}}   # not printed by this kernel: as profile {}\n",
                                 *best->fixaddr_start, best->fixaddr_top, best->name);
                if (best->pkmap_base) y += fmt::format("pkmap_base: 0x{:08x}   # as profile {}\n", *best->pkmap_base, best->name);
                if (best->cpu_entry_area)
                    y += fmt::format("cpu_entry_area: {{start: 0x{:08x}, end: 0x{:08x}}}\n", best->cpu_entry_area->start,
                                     best->cpu_entry_area->end);
            }
        }
    }
    // config
    y += "config:\n";
    std::string vmsplit;
    switch (page_offset) {
        case 0xc0000000: vmsplit = "3G"; break;
        case 0xb0000000: vmsplit = "3G_OPT"; break;
        case 0x80000000: vmsplit = "2G"; break;
        case 0x78000000: vmsplit = arch == Arch::x86 ? "2G_OPT" : ""; break;
        case 0x40000000: vmsplit = "1G"; break;
        default: break;
    }
    std::string po_why = lowmem ? "the lowmem line starts at PAGE_OFFSET" : "not printed by this kernel: assumed";
    if (!vmsplit.empty()) y += fmt::format("  vmsplit: {}   # {}\n", vmsplit, po_why);
    else y += fmt::format("  page_offset: 0x{:08x}   # {}\n", page_offset, po_why);
    bool pkmap_line = entry_of(f, "pkmap").has_value();
    bool highmem = pkmap_line || (f.highmem_kb && *f.highmem_kb > 0) || f.zone_highmem;
    for (const auto& m : f.messages)
        if (contains(m.text, "MB HIGHMEM available")) highmem = true;
    std::string hm_why = pkmap_line ? "a pkmap line" : highmem ? "highmem in the Memory/zone lines" : f.has_block ? "no pkmap line" : "no highmem in the log";
    if (arch == Arch::arm && f.has_block && !pkmap_line && highmem) hm_why += " (the block has no pkmap line)";
    y += fmt::format("  highmem: {}   # {}\n", highmem ? "true" : "false", hm_why);
    bool pae = false;
    std::string pae_why;
    if (arch == Arch::x86) {
        if (f.max_arch_pfn) pae = *f.max_arch_pfn > 0x100000, pae_why = fmt::format("max_arch_pfn = 0x{:x}", *f.max_arch_pfn);
        else if (auto pk = entry_of(f, "pkmap")) pae = (pk->end - pk->start) == (2u << 20), pae_why = "pkmap size (512 entries with PAE)";
        if (f.version && contains(*f.version, "pae")) pae = true, pae_why = "the version";
    } else if (f.version && contains(*f.version, "lpae")) {
        pae = true, pae_why = "the version (armmp-lpae)";
    }
    if (pae) y += fmt::format("  pae: true   # {}\n", pae_why);
    if (arch == Arch::arm) {
        if (auto mo = entry_of(f, "modules"); mo && lowmem && mo->start == page_offset - (8u << 20))
            y += "  thumb2: true   # the modules area starts at PAGE_OFFSET - 8 MB (CONFIG_THUMB2_KERNEL)\n";
        if (f.has_block && lowmem && !entry_of(f, "modules") && era.arm_print >= ArmLayoutPrint::v34)
            y += "  modules: false   # the block has no modules line\n";
        if (f.zone_dma) y += "  zone_dma: true   # a DMA zone in the zone lines\n";
    }
    // the image sections
    std::string img;
    for (const char* s : {"text", "init", "data", "bss"}) {
        std::string name = std::string(".") + s;
        if (auto e = entry_of(f, name)) {
            if (e->ptrval) img += fmt::format("  {}: {{size: {}K}}\n", s, size_kb_of(f, name));
            else img += fmt::format("  {}: {{start: 0x{:08x}, end: 0x{:08x}}}\n", s, e->start, e->end);
        }
    }
    if (!img.empty()) y += "image:   # the section lines\n" + img;
    return y;
}

Profile profile_from_dmesg(const DmesgFacts& f, const std::optional<std::string>& kernel) {
    return parse_profile(profile_yaml_from_dmesg(f, kernel), "<dmesg>");
}

const char* check_status_name(CheckStatus s) {
    switch (s) {
        case CheckStatus::ok: return "ok";
        case CheckStatus::differ: return "differ";
        case CheckStatus::missing: return "missing";
        case CheckStatus::extra: return "extra";
        case CheckStatus::not_printed: return "not-printed";
    }
    return "?";
}

// ---------------------------------------------------------------------------

namespace {

std::string entry_name(const std::string& line) {
    std::smatch m;
    if (std::regex_match(line, m, re_entry())) return m[2].str();
    return trim(line.substr(0, line.find(':')));
}

std::string mb(uint64_t v) { return human_size(v); }

// Why a layout line differs: the known causes, most specific first.
std::string layout_reason(const std::string& name, const DmesgFacts& f, const Board& b, const Layout& l, bool from_log) {
    const Profile& p = b.profile;
    auto e = entry_of(f, name);
    auto vm = entry_of(f, "vmalloc");
    if (name == "vmalloc" && vm && !vm->ptrval && vm->end != l.vmalloc_end) {
        if (l.arch == Arch::arm && l.era->arm_vmalloc_end && !p.vmalloc_end)
            return fmt::format("VMALLOC_END differs: the log ends vmalloc at 0x{:08x}, Linux {}.{} has 0x{:08x} for every "
                               "machine (arch/arm/include/asm/pgtable.h): a vendor kernel with its own VMALLOC_END",
                               vm->end, p.kernel.major, p.kernel.minor, l.vmalloc_end);
        return fmt::format("VMALLOC_END differs: log 0x{:08x}, model 0x{:08x}", vm->end, l.vmalloc_end);
    }
    if (name == "modules" && e && l.arch == Arch::arm) {
        if (e->start == l.page_offset - (8u << 20) && !p.config.thumb2)
            return "the log's modules area is 8 MB (PAGE_OFFSET - 8M): a CONFIG_THUMB2_KERNEL kernel; the profile has thumb2: false";
        if (e->start == l.page_offset - (16u << 20) && p.config.thumb2)
            return "the log's modules area is 16 MB: not a Thumb-2 kernel; the profile has thumb2: true";
    }
    if ((name == "vmalloc" || name == "lowmem" || name == "pkmap") && f.cmdline_cut)
        return fmt::format("the command line is cut at {} columns in this capture: a vmalloc= or mem= that set this "
                           "boundary may be missing (give the whole line with --cmdline)",
                           f.cut_width);
    if ((name == "lowmem" || name == "vmalloc") && from_log && f.arch == Arch::arm && f.node_ranges.empty() &&
        f.truncated_banks.empty() && !f.bank_sizes.empty() && l.highmem_bytes == 0 && l.dropped_bytes == 0) {
        auto lo = entry_of(f, "lowmem");
        if (lo && !lo->ptrval && lo->end > l.high_memory)
            return fmt::format("the log prints bank sizes, not addresses (\"Memory: ... total\"): kmemkit placed the "
                               "{} from PHYS_OFFSET; the kernel's lowmem ends {} higher, so the RAM has "
                               "holes{} (give the real banks with --ram or -p)",
                               f.bank_sizes.size() > 1 ? "banks end to end" : "bank", mb(lo->end - l.high_memory),
                               f.bank_sizes.size() > 1 ? " between the banks" : ": memory a vendor kernel carved out of its bank list lies below the top");
    }
    if ((name == "lowmem" || name == "vmalloc") && f.cmdline) {
        auto c = parse_cmdline(*f.cmdline);
        if (c.vmalloc && l.vmalloc_param_given && !l.vmalloc_param_honoured)
            return "the kernel's vmalloc= handling differs from the model";
    }
    if (!name.empty() && name[0] == '.')
        return from_log ? "the image section differs from the log's line it was taken from"
                        : "the kernel image sections differ: the profile's image: addresses belong to another build";
    (void)e;
    return "";
}

}  // namespace

Comparison compare_with_log(const DmesgFacts& f, const Board& board, const Layout& l, bool from_log) {
    Comparison c;
    const Profile& p = board.profile;
    // the layout block
    std::vector<std::string> model = kernel_layout_lines(l, p);
    if (!model.empty()) model.erase(model.begin());   // the header
    if (f.has_block && model.empty()) {
        CheckItem it{"layout", CheckStatus::differ, f.block_line, f.block_header, "",
                     fmt::format("Linux {} does not print this block in mainline (ARM printed it 2.6.34-5.1, x86 "
                                 "2.6.19-5.4): a vendor kernel that kept it; its lines cannot be checked",
                                 p.kernel.text)};
        c.items.push_back(it);
    } else if (f.has_block) {
        std::vector<bool> used(model.size(), false);
        for (const auto& be : f.block) {
            size_t k = 0;
            while (k < model.size() && (used[k] || entry_name(model[k]) != be.name)) ++k;
            CheckItem it;
            it.what = "layout";
            it.lineno = be.lineno;
            it.log = be.text;
            if (k == model.size()) {
                it.status = CheckStatus::extra;
                it.reason = fmt::format("a '{}' line that Linux {} does not print: a vendor addition", be.name, p.kernel.text);
                if (be.name == "modules") it.reason = "the model has no modules area (config: modules: false)";
                if (be.name == "pkmap") it.reason = "a pkmap line: the kernel has CONFIG_HIGHMEM, the profile has highmem: false";
                if (be.name == "DMA") it.reason = fmt::format("Linux {} has no consistent DMA region line", p.kernel.text);
            } else {
                used[k] = true;
                it.model = model[k];
                if (model[k] == be.text) {
                    it.status = CheckStatus::ok;
                } else {
                    it.status = CheckStatus::differ;
                    it.reason = layout_reason(be.name, f, board, l, from_log);
                }
            }
            c.items.push_back(it);
        }
        for (size_t k = 0; k < model.size(); ++k)
            if (!used[k]) {
                CheckItem it{"layout", CheckStatus::missing, 0, "", model[k], ""};
                std::string nm = entry_name(model[k]);
                it.reason = fmt::format("the log has no '{}' line", nm);
                if (nm == "vector") it.reason += ": a vendor kernel that does not print it";
                if (nm == "modules") it.reason += ": a kernel without CONFIG_MODULES (config: modules: false)";
                if (nm == "pkmap") it.reason += ": a kernel without CONFIG_HIGHMEM (config: highmem: false)";
                c.items.push_back(it);
            }
        // the section lines in the log and model may be in a different order only if the era is wrong
    } else {
        CheckItem it{"layout", CheckStatus::not_printed, 0, "", "", ""};
        it.reason = model.empty() ? fmt::format("the layout block: not printed by this kernel (Linux {})", p.kernel.text)
                                  : "the layout block: not in this log (an excerpt, or the boot messages were cut)";
        c.items.push_back(it);
    }

    // the kernel's own messages that the model produces
    std::vector<std::string> mm;
    for (const auto& m : l.messages) mm.push_back(m.text);
    std::vector<bool> mused(mm.size(), false);
    for (const auto& lm : f.messages) {
        CheckItem it{"message", CheckStatus::extra, lm.lineno, trim(lm.text), "", ""};
        for (size_t k = 0; k < mm.size(); ++k)
            if (!mused[k] && mm[k] == it.log) {
                mused[k] = true;
                it.status = CheckStatus::ok;
                it.model = mm[k];
                break;
            }
        if (it.status != CheckStatus::ok) {
            // same kind of message with other numbers?
            for (size_t k = 0; k < mm.size(); ++k)
                if (!mused[k] && mm[k].substr(0, 12) == it.log.substr(0, 12)) {
                    mused[k] = true;
                    it.status = CheckStatus::differ;
                    it.model = mm[k];
                    break;
                }
            if (f.cmdline_cut) it.reason = "the command line is cut in this capture: a parameter may be missing";
            else if (it.status == CheckStatus::extra) it.reason = "the model does not print this message for this board";
        }
        c.items.push_back(it);
    }
    bool have_boot_msgs = f.version.has_value() || !f.e820_usable.empty() || f.cmdline.has_value();
    for (size_t k = 0; k < mm.size(); ++k)
        if (!mused[k]) {
            CheckItem it{"message", have_boot_msgs ? CheckStatus::missing : CheckStatus::not_printed, 0, "", mm[k],
                         have_boot_msgs ? "the log does not have this message" : "not in this excerpt"};
            c.items.push_back(it);
        }

    // "Zone ranges:" (mm/page_alloc.c free_area_init(): "  %-8s " then "[mem %#018Lx-%#018Lx]" or "empty")
    if (!f.zone_lines.empty() && f.zone_header == "Zone ranges:") {
        try {
            NodeMemory nm = compute_zones(board, l);
            // 3.x printed "%0#10lx", 4.x+ "%#018Lx": the model's line takes the log's width
            int digits = 8;
            for (const auto& zl0 : f.zone_lines) {
                auto a = zl0.text.find("[mem 0x");
                if (a != std::string::npos) digits = int(zl0.text.find('-', a) - (a + 7));
            }
            std::vector<std::string> zl;
            for (const auto& z : nm.zones) {
                if (z.name == "Movable") continue;
                if (z.spanned_pages == 0) zl.push_back(fmt::format("  {:<8} empty", z.name));
                else
                    zl.push_back(fmt::format("  {:<8} [mem 0x{:0{}x}-0x{:0{}x}]", z.name, z.zone_start_pfn << 12, digits,
                                             (z.zone_end_pfn << 12) - 1, digits));
            }
            for (size_t k = 0; k < f.zone_lines.size(); ++k) {
                std::string lg = f.zone_lines[k].text;
                while (!lg.empty() && lg.back() == ' ') lg.pop_back();
                CheckItem it{"zones", CheckStatus::extra, f.zone_lines[k].lineno, lg, "", ""};
                std::string zn = trim(lg).substr(0, trim(lg).find(' '));
                for (const auto& m : zl)
                    if (trim(m).substr(0, trim(m).find(' ')) == zn) {
                        it.model = m;
                        it.status = m == lg ? CheckStatus::ok : CheckStatus::differ;
                    }
                if (it.status == CheckStatus::extra) it.reason = "the model has no such zone";
                else if (it.status == CheckStatus::differ) it.reason = "the zone boundary differs";
                c.items.push_back(it);
            }
        } catch (const Error& e) {
            c.notes.push_back(std::string("zones not compared: ") + e.what());
        }
    } else if (!f.zone_lines.empty()) {
        c.notes.push_back(fmt::format("\"{}\" lines are not compared (only the 3.x+ \"Zone ranges:\" format is)", f.zone_header));
    }

    for (auto& it : c.items)
        if (it.status != CheckStatus::ok && it.status != CheckStatus::not_printed && !f.cmdline &&
            board.cmdline.text.empty() && (it.reason.empty() || it.reason.rfind("the model does not", 0) == 0))
            it.reason = "the log has no \"Kernel command line:\" line (an excerpt, or the boot stopped before it): "
                        "a vmalloc= or mem= parameter may be missing (give it with --cmdline)";
    for (const auto& it : c.items) {
        if (it.status == CheckStatus::ok) ++c.ok;
        else if (it.status == CheckStatus::not_printed) ++c.not_printed;
        else ++c.differ;
    }
    // notes: where the model came from
    if (f.boots > 1) c.notes.push_back(fmt::format("the log has {} \"Linux version\" lines: the first boot is checked", f.boots));
    if (from_log) {
        if (f.arch == Arch::arm && !f.phys_offset)
            c.notes.push_back(fmt::format("PHYS_OFFSET is not visible in the log: 0x{:08x} assumed (only physical "
                                          "addresses depend on it)",
                                          p.phys_offset));
        if (f.cmdline_cut) c.notes.push_back(fmt::format("the command line is cut at {} columns", f.cut_width));
        if (!f.cmdline && board.cmdline.text.empty())
            c.notes.push_back("no \"Kernel command line:\" in the log: an empty command line assumed");
    }
    return c;
}

std::string comparison_text(const Comparison& c, const DmesgFacts& f, const Board& b) {
    const Profile& p = b.profile;
    std::string o;
    o += fmt::format("board: {}\nkernel: Linux {} ({}), {} of RAM in {} bank{}\n",
                     f.machine.empty() ? p.name : f.machine, p.kernel.text, arch_name(p.arch), [&] {
                         uint64_t t = 0;
                         for (auto& r : p.ram) t += r.size;
                         return human_size(t);
                     }(), p.ram.size(), p.ram.size() == 1 ? "" : "s");
    o += fmt::format("cmdline: {}\n", b.cmdline.text.empty() ? "(none)" : b.cmdline.text);
    o += "\n";
    for (const auto& it : c.items) {
        const char* st = check_status_name(it.status);
        std::string where = it.lineno ? fmt::format("line {}", it.lineno) : "";
        switch (it.status) {
            case CheckStatus::ok: o += fmt::format("ok       {}\n", it.log); break;
            case CheckStatus::not_printed: o += fmt::format("-        {}\n", it.reason); break;
            default:
                o += fmt::format("{:<8} {}{}\n", st, it.what, where.empty() ? "" : " (" + where + ")");
                if (!it.log.empty()) o += fmt::format("   log:   {}\n", it.log);
                if (!it.model.empty()) o += fmt::format("   model: {}\n", it.model);
                if (!it.reason.empty()) o += fmt::format("   why:   {}\n", it.reason);
        }
    }
    o += "\n";
    for (const auto& n : c.notes) o += "note: " + n + "\n";
    o += fmt::format("result: {} ok, {} differ, {} not printed: {}\n", c.ok, c.differ, c.not_printed,
                     c.agree() ? "the model agrees with the log" : "the model and the log differ");
    return o;
}

Value comparison_value(const Comparison& c, const DmesgFacts& f, const Board& b) {
    Value root = Value::object();
    root.set("schema_version", 1);
    root.set("machine", f.machine);
    root.set("kernel", b.profile.kernel.text);
    root.set("arch", arch_name(b.profile.arch));
    root.set("cmdline", b.cmdline.text);
    root.set("agree", c.agree());
    root.set("ok", c.ok);
    root.set("differ", c.differ);
    root.set("not_printed", c.not_printed);
    Value items = Value::array();
    for (const auto& it : c.items) {
        Value v = Value::object();
        v.set("what", it.what);
        v.set("status", check_status_name(it.status));
        v.set("line", (unsigned long long)it.lineno);
        v.set("log", it.log);
        v.set("model", it.model);
        v.set("reason", it.reason);
        items.push(v);
    }
    root.set("checks", items);
    Value notes = Value::array();
    for (const auto& n : c.notes) notes.push(n);
    root.set("notes", notes);
    return root;
}

}  // namespace kmemkit
