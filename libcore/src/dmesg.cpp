// Boot-log check: parse a dmesg, rebuild the profile, compare the layout.
// The message and block formats are those of the kernels' mem_init()
// (arch/arm/mm/init.c, arch/x86/mm/init_32.c), setup_arch() and
// free_area_init() (mm/page_alloc.c); see the comments at each pattern.
#include "kmemkit/dmesg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <regex>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/zones.hpp"
#include "kmemkit/io.hpp"
#include "kmemkit/kernel/messages.hpp"

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

const std::regex& re_entry() {
    // mem_init's layout lines, read with the pattern of the formats the model prints (kernel/messages.hpp)
    static const std::regex r(kmsg::layout_kb.read);
    return r;
}

bool is_message(const std::string& t) {
    // the kernel messages the model prints (layout.cpp msg()), read with their own patterns
    // (kernel/messages.hpp), and the "vmalloc size" lines
    static const std::vector<std::regex> rs = [] {
        std::vector<std::regex> v;
        for (const auto* m : kmsg::model_messages()) v.emplace_back(m->read);
        v.emplace_back(R"(^vmalloc size )");
        return v;
    }();
    // cheap first test: every one of them starts with one of these words or a digit
    static const char* const starts[] = {"Truncating", "Ignoring", "vmalloc", "Consider", "HIGHMEM", "only ", "Warning",
                                         "Use a", "highmem", "ignoring", "fixmap and"};
    bool maybe = !t.empty() && std::isdigit(static_cast<unsigned char>(t[0]));
    for (const char* p : starts) maybe = maybe || t.rfind(p, 0) == 0;
    if (!maybe) return false;
    for (const auto& r : rs)
        if (std::regex_search(t, r)) return true;
    return false;
}

// The zone report of free_area_init_nodes()/free_area_init_core() and
// build_all_zonelists() (mm/page_alloc.c; v2.6.19, v2.6.32.9, v3.10.99, v6.1) and the ARM
// mem_init() bank summary (arch/arm/mm/init.c v2.6.18-v3.10.99), as rendered by
// kernel_zone_lines() (zones.cpp): the kind of a line, with the zone it
// names ("memmap:DMA"), or "" when the line is not one of them.
std::string zone_line_kind(const std::string& t) {
    // the zone report's lines, read with the patterns of the formats kernel_zone_lines() prints them
    // from (kernel/messages.hpp kmsg::zl): one compiled pattern per distinct reading
    struct Reader {
        std::regex re;
        const kmsg::ZoneLineFormat* first;
    };
    static const std::vector<Reader> readers = [] {
        std::vector<Reader> r;
        std::set<std::string> seen;
        for (const auto* z : kmsg::zl::all())
            if (seen.insert(z->format.read).second) r.push_back({std::regex(z->format.read), z});
        return r;
    }();
    std::smatch m;
    for (const auto& r : readers) {
        if (!std::regex_search(t, m, r.re)) continue;
        std::string kind = r.first->kind;
        if (kind == "range" || kind == "unavail") return kind + ":" + m[1].str();
        if (kind == "memmap") {   // one pattern reads the four "  %s zone: %lu pages ..." lines
            std::string what = m[2].str();
            const char* k = what.rfind("pages used", 0) == 0 || what.rfind("pages exceeds", 0) == 0 ? "memmap:"
                            : what == "pages reserved"                                            ? "reserved:"
                                                                                                    : "lifo:";
            return k + m[1].str();
        }
        if (kind == "resv") return "";   // "Reserved but unavailable" is compared as a message
        return kind;
    }
    return "";
}

// The groups the kernel prints together (same printk level and place): a log
// that holds one line of a group should hold all of them.
std::string zone_group(const std::string& kind) {
    auto k = kind.substr(0, kind.find(':'));
    if (k == "ranges" || k == "range" || k == "movable" || k == "nodemap" || k == "node" || k == "initmem" ||
        k == "unavail")
        return "ranges";
    if (k == "totalpages" || k == "memmap" || k == "reserved" || k == "lifo") return "node totals";
    return k;
}

std::string collapse_spaces(const std::string& s) {
    std::string o;
    for (char ch : trim(s))
        if (!(ch == ' ' && !o.empty() && o.back() == ' ')) o += ch;
    return o;
}

// Pairing keys of zone report lines: the kind and its occurrence ("node#1"), "" for other lines.
std::vector<std::string> zone_keys(const std::vector<std::string>& lines) {
    std::map<std::string, int> seen;
    std::vector<std::string> keys;
    for (const auto& t : lines) {
        std::string k = zone_line_kind(t);
        keys.push_back(k.empty() ? "" : k + "#" + std::to_string(seen[k]++));
    }
    return keys;
}

}  // namespace

std::string read_dmesg_file(const std::string& path) {
    return read_input(path, kMaxDmesgBytes, "boot log",
                      fmt::format("boot log is larger than {} MiB (is it a boot log?)", kMaxDmesgBytes >> 20));
}

DmesgFacts parse_dmesg(std::string_view text) {
    if (text.size() > kMaxDmesgBytes)
        throw Error(fmt::format("boot log is larger than {} MiB (is it a boot log?)", kMaxDmesgBytes >> 20));
    // the kernel's own lines, whatever form the log was published in (dmesg_reader.cpp)
    ReadLog read = read_published_log(text);
    std::vector<LogLine>& all = read.lines;
    DmesgFacts f;
    f.lines = read.report.input_lines;
    f.read = read.report;
    // the first boot: up to the next "Linux version" line (a later boot, or the
    // same boot's messages dumped again)
    size_t last = all.size();
    for (size_t i = 0; i < all.size(); ++i)
        if (contains(all[i].text, "Linux version ")) {
            if (++f.boots == 2) last = i;
        }
    std::vector<LogLine> L(all.begin(), all.begin() + long(last));

    static const std::regex re_ver(R"(Linux version (\S+))");
    static const std::regex re_banks(R"(^Memory:((?: \d+MB)+) = (\d+)MB total)");
    static const std::regex re_avail(R"(^Memory: (\d+)[kK]/(\d+)[kK] available)");
    static const std::regex re_highkb(R"((\d+)[kK] highmem)");
    static const std::regex re_node(R"(^\s*node\s+\d+: \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\])");
    static const std::regex re_pfnrange(R"(^\s*\d+:\s+(0x[0-9a-fA-F]+|\d+)\s*->\s*(0x[0-9a-fA-F]+|\d+)\s*$)");
    static const std::regex re_e820new(R"(BIOS-e820: \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] usable)");
    static const std::regex re_e820old(R"(BIOS-e820: ([0-9a-fA-F]{8,16}) - ([0-9a-fA-F]{8,16}) \(usable\))");
    static const std::regex re_lastpfn(R"(last_pfn = 0x([0-9a-fA-F]+) max_arch_pfn = 0x([0-9a-fA-F]+))");
    static const std::regex re_physoff(R"(PHYS_OFFSET is 0x([0-9a-fA-F]+))");
    static const std::regex re_idmap(R"(^Setting up static identity map for 0x([0-9a-fA-F]+))");

    std::smatch m;
    std::optional<uint64_t> idmap;
    bool in_pfn_ranges = false;
    for (size_t i = 0; i < L.size(); ++i) {
        const std::string& t = L[i].text;
        // the zone report: range lines only under their header, node lines under theirs
        if (std::string k = L[i].cut ? "" : zone_line_kind(t); !k.empty()) {
            std::string prev = f.zone_log.empty() ? "" : zone_line_kind(f.zone_log.back().text);
            bool ok = true;
            if (k.rfind("range:", 0) == 0) ok = prev == "ranges" || prev.rfind("range:", 0) == 0;
            if (k == "node") ok = prev == "nodemap" || prev == "node";
            if (ok) f.zone_log.push_back(L[i]);
        }
        if (starts_with(trim(t), "DMA zone: ")) f.zone_dma = true;
        if (!f.version_banner && std::regex_search(t, m, re_ver)) {
            f.version = m[1].str();
            f.version_line = L[i].lineno;
            f.version_banner = true;
            f.version_why = fmt::format("line {}", L[i].lineno);
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
        // arch/x86/kernel/setup_percpu.c pr_info("NR_CPUS:%d nr_cpumask_bits:%d ..."); arch/x86/kernel/paravirt.c
        // "Booting paravirtualized kernel on %s"
        if (auto k = t.find("NR_CPUS:"); k != std::string::npos && contains(t, "setup_percpu"))
            f.nr_cpus = unsigned(std::strtoul(t.c_str() + k + 8, nullptr, 10));
        if (starts_with(t, "Booting paravirtualized kernel on ")) f.paravirt_line = true;
        if (starts_with(t, "CPU: ARM") || starts_with(t, "CPU: Feroceon") || contains(t, "(ARMv")) {
            if (!f.arch) f.arch = Arch::arm, f.arch_why = "the CPU line";
        }
        // messages only arch/arm prints: sanity_check_meminfo()/check_membank_valid() (2.6.27-3.15 mmu.c,
        // setup.c) and mem_init()'s bank summary (arch/arm/mm/init.c v2.6.18-v3.10.99)
        if (!f.arch && (contains(t, "(vmalloc region overlap)") || std::regex_search(t, re_banks)))
            f.arch = Arch::arm, f.arch_why = "an ARM memory line";
        if (contains(t, "BIOS-e820") || contains(t, "max_arch_pfn")) {
            if (!f.arch || f.arch_why.empty()) f.arch = Arch::x86, f.arch_why = "the BIOS-e820 map";
        }
        if (starts_with(t, "Kernel command line: ")) {
            f.cmdline = trim(t.substr(21));
            f.cmdline_line = L[i].lineno;
            if (L[i].cut) {
                f.cmdline_cut = true;
                f.cut_width = f.read.cut_width;
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
            f.memory_total_line = L[i].lineno;
            f.memory_total_text = m[0].str();
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
        // the RAM-cut messages, read with the patterns of the formats the model prints (kernel/messages.hpp):
        // <= 3.15 meminfo banks print inclusive ends ("%.8lx" of end - 1, "to -" the last byte kept), 3.16+
        // memblock "%pa" exclusive ends
        if (starts_with(t, "Truncating RAM at ") || starts_with(t, "Ignoring RAM at "))
            for (const MessageFormat* km : kmsg::ram_cut_messages()) {
                static std::map<const MessageFormat*, std::regex> res;
                auto it = res.find(km);
                if (it == res.end()) it = res.emplace(km, std::regex(km->read)).first;
                if (!std::regex_search(t, m, it->second)) continue;
                uint64_t a = hexnum(m[1].str()), b = hexnum(m[2].str()) + (km->inclusive_end ? 1 : 0);
                if (b > a) f.truncated_banks.push_back({a, b - a});
                if (m.size() > 3 && m[3].matched)
                    f.truncations.push_back({L[i].lineno, hexnum(m[3].str()) + (km->inclusive_end ? 1 : 0)});
                break;
            }
        if (std::regex_search(t, m, re_physoff)) {
            f.phys_offset = hexnum(m[1].str());
            f.phys_offset_why = fmt::format("line {}: \"PHYS_OFFSET is 0x{}\"", L[i].lineno, m[1].str());
        }
        if (!idmap && std::regex_search(t, m, re_idmap)) idmap = hexnum(m[1].str());
        if (is_message(t) && !L[i].cut) f.messages.push_back(L[i]);
        if (trim(t) == "Zone ranges:" || trim(t) == "Zone PFN ranges:") {
            f.zone_header = trim(t);
            f.zone_lines.clear();
            for (size_t j = i + 1; j < L.size(); ++j) {
                const std::string& z = L[j].text;
                if (zone_line_kind(z).rfind("range:", 0) != 0) break;
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
            // the kernel aligns the colons of the block at column 12 ("    vector  : ", "      .text : ",
            // "  cpu_entry : "); a capture may have moved the whole block (dmesg(1) continuation
            // indentation, a paste): shift it back, keeping the lines' alignment
            long shift = 0;
            bool first = true;
            for (size_t j = i + 1; j < L.size(); ++j) {
                const std::string& z = L[j].text;
                if (!std::regex_match(z, m, re_entry())) break;
                long colon = long(z.find(':'));
                if (first) shift = colon - 12, first = false;
                long lead = long(m[1].length());
                std::string norm = shift >= 0 ? z.substr(size_t(std::min(shift, lead))) : std::string(size_t(-shift), ' ') + z;
                f.block.push_back({L[j].lineno, m[2].str(), norm});
            }
        }
    }
    // no "Linux version" line (an excerpt): the version where the log still names it -- the image
    // the boot loader started (BOOT_IMAGE=/boot/vmlinuz-X, vmlinuz-X, uImage-X), a module path
    // (/lib/modules/X/), an `uname -a` or getty line ("Linux host X #1 ...", "Kernel X on an armv7l")
    if (!f.version_banner) {
        static const std::regex re_image(R"((?:vmlinu[xz]|[uz]Image|bzImage|kernel)-(\d+\.\d+(?:\.\d+)?(?:[-+~.][\w.+~-]*)?))");
        static const std::regex re_modules(R"(/lib/modules/(\d+\.\d+(?:\.\d+)?[\w.+~-]*)/)");
        static const std::regex re_uname(R"((?:^|\s)Linux \S+ (\d+\.\d+(?:\.\d+)?[\w.+~-]*) #\d+)");
        static const std::regex re_getty(R"(^Kernel (\d+\.\d+(?:\.\d+)?[\w.+~-]*) on an? \S+)");
        const std::pair<const std::regex*, const char*> sources[] = {
            {&re_image, "the kernel image's name"}, {&re_uname, "an `uname -a` line"},
            {&re_getty, "the getty banner"}, {&re_modules, "a module path"}};
        for (const auto& [re, what] : sources) {
            for (const auto& l : all)
                if (std::regex_search(l.text, m, *re)) {
                    f.version = m[1].str();
                    f.version_line = l.lineno;
                    f.version_why = fmt::format("no \"Linux version\" line: {}, line {} (\"{}\")", what, l.lineno, m[0].str());
                    break;
                }
            if (f.version) break;
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

// A vmalloc= the log implies when its "Kernel command line:" is missing (the
// boot stopped before it): the clamp warnings of early_vmalloc() are printed
// only for a vmalloc= outside [16M, vmalloc_max] (arch/arm/mm/mmu.c v2.6.28, v2.6.32.9,
// v6.1), and every value beyond the limit gives the same layout.
struct InferredCmdline {
    std::string text, why;
};
std::optional<InferredCmdline> inferred_cmdline(const DmesgFacts& f) {
    if (f.cmdline || f.arch != Arch::arm) return std::nullopt;
    // the early_vmalloc() warnings, read with the patterns of the formats the model prints (kernel/messages.hpp)
    static const std::regex too_small(kmsg::vmalloc_too_small.read), too_big(kmsg::vmalloc_too_big.read);
    std::smatch m;
    for (const auto& l : f.messages)
        if (std::regex_search(l.text, m, too_big) || std::regex_search(l.text, m, too_small)) {
            bool big = m.size() == 3;   // too_big: (MB)(unit); too_small: (is )(MB)(unit)
            uint64_t n = std::stoull(m[big ? 1 : 2].str());
            if (!big && n < 2) continue;
            uint64_t v = big ? n + 1 : n - 1;
            return InferredCmdline{
                fmt::format("vmalloc={}M", v),
                fmt::format("the log has no \"Kernel command line:\"; line {} (\"{}\") is printed only for a vmalloc= "
                            "{} than {} MB, and every such value gives this layout",
                            l.lineno, trim(l.text), big ? "larger" : "smaller", n)};
        }
    return std::nullopt;
}

}  // namespace

std::optional<VmallocEndOrigin> vmalloc_end_from_log(const DmesgFacts& f, const KernelVersion& kver) {
    if (f.arch != Arch::arm) return std::nullopt;
    const Era& era = era_for(Arch::arm, kver);
    if (era.arm_vmalloc_end) return std::nullopt;   // 3.4+: generic
    auto lowmem = entry_of(f, "lowmem");
    const uint64_t page_offset = lowmem && !lowmem->ptrval ? lowmem->start : 0xc0000000;
    const uint64_t phys = f.phys_offset.value_or(0);
    VmallocEndOrigin o;
    // 1. the block prints it (2.6.34+)
    if (auto vm = entry_of(f, "vmalloc"); vm && !vm->ptrval) {
        o.vmalloc_end = uint32_t(vm->end);
        o.kind = VmallocEndOrigin::layout_block;
        o.why = "the machine's VMALLOC_END, from the vmalloc line";
        for (const auto& b : f.block)
            if (b.name == "vmalloc") o.lineno = b.lineno;
        return o;
    }
    // 2. early_vmalloc() clamped vmalloc= to VMALLOC_END - (PAGE_OFFSET + SZ_32M) and printed it
    //    (2.6.29-3.3: v2.6.29, v2.6.32.9, v3.0.1 arch/arm/mm/mmu.c "vmalloc area is too big, limiting to %luMB")
    if (era.arm_vmalloc_max_rule == 1) {
        static const std::regex re(R"(^vmalloc area is too big, limiting to (\d+)MB)");
        std::smatch m;
        for (const auto& l : f.messages)
            if (std::regex_search(l.text, m, re)) {
                uint64_t n = std::stoull(m[1].str()) << 20;
                o.vmalloc_end = uint32_t(page_offset + (32u << 20) + n);
                o.kind = VmallocEndOrigin::too_big_warning;
                o.lineno = l.lineno;
                o.why = fmt::format("VMALLOC_END = PAGE_OFFSET + 32M + {}M = 0x{:08x}: line {} \"{}\" (the clamp "
                                    "VMALLOC_END - (PAGE_OFFSET + SZ_32M), arch/arm/mm/mmu.c 2.6.29+)",
                                    n >> 20, o.vmalloc_end, l.lineno, trim(l.text));
                return o;
            }
    }
    // 3. the bank was cut at vmalloc_min = VMALLOC_END - vmalloc_reserve: "Truncating RAM at A-B to -C"
    //    prints C = start + (VMALLOC_MIN - __va(start)) - 1 (2.6.27 setup.c check_membank_valid(); v2.6.28/v2.6.32.9
    //    mmu.c sanity_check_meminfo()); vmalloc_reserve is vmalloc= (at least 16 MB from 2.6.28,
    //    early_vmalloc()) or 128 MB (arch/arm/mm/mmu.c@v2.6.32.9 vmalloc_reserve)
    if (era.arm_trunc == ArmTruncMsg::bank && !f.truncations.empty()) {
        const auto& cut = f.truncations.front();
        uint64_t vmalloc_min = cut.at - phys + page_offset;
        uint64_t reserve = era.arm_default_gap;
        std::string reserve_why = fmt::format("the default vmalloc_reserve of {} MB", reserve >> 20);
        std::optional<uint64_t> param;
        try {
            if (f.cmdline) param = parse_cmdline(*f.cmdline).vmalloc;
        } catch (const Error&) {
        }
        if (param) {
            reserve = std::max<uint64_t>(*param, era.arm_vmalloc_min);
            reserve_why = fmt::format("vmalloc={}M of the command line{}", *param >> 20,
                                      reserve != *param ? ", raised to the 16 MB minimum" : "");
        }
        uint64_t end = vmalloc_min + reserve;
        if (vmalloc_min > page_offset && end <= 0xffffffffu) {
            o.vmalloc_end = uint32_t(end);
            o.kind = VmallocEndOrigin::truncation;
            o.lineno = cut.lineno;
            o.why = fmt::format("VMALLOC_END = vmalloc_min + vmalloc_reserve = __va(0x{:08x}) + {}M = 0x{:08x} + "
                                "{}M = 0x{:08x}: the \"Truncating RAM ... to -{:08x}\" cut of line {} and {}",
                                cut.at, reserve >> 20, vmalloc_min, reserve >> 20, end, cut.at - 1, cut.lineno,
                                reserve_why);
            return o;
        }
    }
    // 4. the machine's built-in profile, for the versions its value holds
    if (!f.machine.empty())
        if (auto mp = machine_profile_for(f.machine); mp && mp->holds_for(kver)) {
            // the profile's values for the log's kernel version (the profile's own when it states none for it)
            Profile p = load_profile(mp->profile);
            try {
                BoardOverrides ov;
                ov.kernel = kver.text;
                p = make_board(p, ov).profile;
            } catch (const Error&) {
            }
            if (p.vmalloc_end) {
                o.vmalloc_end = *p.vmalloc_end;
                o.kind = VmallocEndOrigin::machine_profile;
                o.profile = mp->profile;
                o.profile_phys_offset = p.phys_offset;
                o.why = fmt::format("the machine's VMALLOC_END from built-in profile {} (\"Machine: {}\"; {})",
                                    mp->profile, f.machine, mp->source);
                return o;
            }
        }
    return std::nullopt;
}

namespace {

// Why no VMALLOC_END could be found, and how to give it (exit status 2).
std::string missing_vmalloc_end(const DmesgFacts& f, const KernelVersion& kver) {
    std::string machine;
    if (f.machine.empty()) machine = "the log names no machine (\"Machine:\" line)";
    else if (auto mp = machine_profile_for(f.machine))
        machine = fmt::format("machine \"{}\" is built-in profile {}, whose vmalloc_end holds for Linux {} only",
                              f.machine, mp->profile, mp->versions);
    else machine = fmt::format("no built-in profile is machine \"{}\"", f.machine);
    return fmt::format(
        "the log does not show VMALLOC_END, which Linux {} takes from the machine's mach/vmalloc.h: it has no "
        "layout block (printed from 2.6.34), no \"Truncating RAM ... to -ADDR\" line and no \"vmalloc area is "
        "too big\" warning, and {}; write a profile with vmalloc_end: (kmemkit-profile(5)) and check the log "
        "with -p board.yaml --from-dmesg LOG",
        kver.text, machine);
}

// sizeof(struct page) depends on the configuration (MEMCG, ...), and the log
// shows it only through the memmap it charges: the profile takes the size for
// which the model's "N pages used for memmap" lines (else the "Built 1
// zonelists ... Total pages" line) come out as the log prints them.  Returns
// the YAML with "struct_page_size" added to its config, or unchanged when the
// default 32 fits, nothing fits, or the log prints none of those lines.
std::string fit_struct_page_size(const std::string& yaml, const DmesgFacts& f) {
    std::vector<std::string> log_lines;
    for (const auto& z : f.zone_log) log_lines.push_back(z.text);
    std::vector<std::string> lk = zone_keys(log_lines);
    std::vector<size_t> targets;
    for (size_t i = 0; i < lk.size(); ++i)
        if (lk[i].rfind("memmap:", 0) == 0) targets.push_back(i);
    bool by_total = targets.empty();
    if (by_total)
        for (size_t i = 0; i < lk.size(); ++i)
            if (lk[i].rfind("zonelists", 0) == 0) targets.push_back(i);
    size_t at = yaml.find("\nconfig:\n");
    if (targets.empty() || at == std::string::npos) return yaml;
    auto with = [&](unsigned sps, const std::string& comment) {
        return yaml.substr(0, at + 9) + fmt::format("  struct_page_size: {}{}\n", sps, comment) + yaml.substr(at + 9);
    };
    auto fits = [&](unsigned sps) {
        try {
            Board b = make_board(parse_profile(with(sps, ""), "<dmesg>"), {});
            Layout l = compute_layout(b);
            NodeMemory n = compute_zones(b, l);
            std::vector<std::string> model = kernel_zone_lines(n, b, l);
            std::vector<std::string> mk = zone_keys(model);
            for (size_t t : targets) {
                auto k = std::find(mk.begin(), mk.end(), lk[t]);
                if (k == mk.end() || collapse_spaces(model[size_t(k - mk.begin())]) != collapse_spaces(log_lines[t]))
                    return false;
            }
            return true;
        } catch (const Error&) {
            return false;
        }
    };
    // sizeof(struct page) on 32-bit: 32 bytes, +4 per optional word (memcg_data, page->virtual, ...)
    for (unsigned sps = 32; sps <= 64; sps += 4)
        if (fits(sps)) {
            if (sps == 32) return yaml;
            std::string lines;
            for (size_t t : targets) lines += (lines.empty() ? "" : ", ") + std::to_string(f.zone_log[t].lineno);
            return with(sps, fmt::format("   # sizeof(struct page): the size for which {} of line{} {} come{} out as "
                                         "the kernel printed {}{}",
                                         by_total ? "the \"Total pages\"" : "the memmap pages", targets.size() > 1 ? "s" : "",
                                         lines, targets.size() > 1 ? "" : "s", targets.size() > 1 ? "them" : "it",
                                         by_total ? " (that line then checks only that one size fits)" : ""));
        }
    return yaml;
}

// "the log names no kernel version: it has no ... (it has the layout block at line 3 ...)"
std::string no_version_text(const DmesgFacts& f) {
    std::vector<std::string> found;
    if (f.has_block) found.push_back(fmt::format("the layout block at line {}", f.block_line));
    if (f.memory_total_line) found.push_back(fmt::format("\"{}\" at line {}", f.memory_total_text, f.memory_total_line));
    if (f.cmdline) found.push_back(fmt::format("the command line at line {}", f.cmdline_line));
    if (!f.zone_log.empty())
        found.push_back(fmt::format("{} zone report line{}", f.zone_log.size(), f.zone_log.size() == 1 ? "" : "s"));
    std::string fl;
    for (size_t k = 0; k < found.size(); ++k) fl += (k ? k + 1 == found.size() ? " and " : ", " : "") + found[k];
    return fmt::format("the log names no kernel version: it has no \"Linux version\" line, no kernel image name "
                       "(BOOT_IMAGE=/boot/vmlinuz-X), no `uname -a` or /lib/modules/X line{}",
                       fl.empty() ? "" : " (it has " + fl + ")");
}

}  // namespace

std::string profile_yaml_from_dmesg(const DmesgFacts& f, const std::optional<std::string>& kernel,
                                    const std::string& kernel_why) {
    if (!f.arch) {
        std::string read = f.read.summary();
        throw Error(fmt::format(
            "no recognisable kernel in the log: read {} line{}{}, and none is a \"Linux version\", \"Machine:\", "
            "\"CPU: ARM...\", BIOS-e820 or \"Virtual kernel memory layout:\" line (is it a boot log? give the board with "
            "-p board.yaml, or --kernel and --ram)",
            f.lines, f.lines == 1 ? "" : "s", read.empty() ? "" : " (" + read + ")"));
    }
    std::string ver = kernel ? *kernel : f.version ? *f.version : "";
    if (ver.empty())
        throw Error(fmt::format("{}; give the version with --kernel VERSION", no_version_text(f)));
    KernelVersion kv_;
    try {
        kv_ = parse_kernel_version(ver);
    } catch (const Error& e) {
        throw Error(fmt::format("kernel version '{}' is not recognisable: {} (give --kernel VERSION)", ver, e.what()));
    }
    const Arch arch = *f.arch;
    const Era& era = era_for(arch, kv_);
    std::string y;
    std::string why = f.version && !kernel ? f.version_why : kernel_why.empty() ? "--kernel" : kernel_why;
    y += "# Profile rebuilt by vmlayout --from-dmesg from a boot log";
    y += f.machine.empty() ? ".\n" : fmt::format(" of \"{}\".\n", f.machine);
    y += "name: from-dmesg\n";
    y += fmt::format("description: {}\n", yaml_quote(f.machine.empty() ? "board of a boot log" : f.machine));
    y += fmt::format("arch: {}\n", arch == Arch::arm ? "arm" : "x86");
    y += fmt::format("kernel: {}   # {}\n", yaml_quote(ver), why);

    auto lowmem = entry_of(f, "lowmem");
    const uint64_t page_offset = lowmem ? lowmem->start : 0xc0000000;
    uint64_t phys = f.phys_offset.value_or(0);
    std::string vendor_yaml;   // vendor: facts the log shows (kmemkit-profile(5) VENDOR FACTS)
    if (arch == Arch::arm) {
        // before 3.3 each machine had its own VMALLOC_END (mach/vmalloc.h): from the log, else the machine
        std::optional<VmallocEndOrigin> ve;
        if (era.arm_vmalloc_end == 0) {
            ve = vmalloc_end_from_log(f, kv_);
            if (!ve) throw Error(missing_vmalloc_end(f, kv_));
        }
        std::string phys_why = f.phys_offset ? f.phys_offset_why : "not visible in the log: assumed (only physical addresses depend on it)";
        if (!f.phys_offset && ve && ve->kind == VmallocEndOrigin::machine_profile) {
            phys = ve->profile_phys_offset;
            phys_why = fmt::format("not visible in the log: the machine's PHYS_OFFSET, from built-in profile {}", ve->profile);
        }
        y += fmt::format("phys_offset: 0x{:08x}   # {}\n", phys, phys_why);
        if (ve)
            y += fmt::format("vmalloc_end: 0x{:08x}   # {}{}\n", ve->vmalloc_end, ve->why,
                             ve->lineno && ve->kind == VmallocEndOrigin::layout_block ? fmt::format(" (line {})", ve->lineno) : "");
        // a generic-VMALLOC_END kernel whose vmalloc line ends elsewhere: a vendor kernel that keeps its own
        if (auto vm = entry_of(f, "vmalloc"); era.arm_vmalloc_end && vm && !vm->ptrval && vm->end != era.arm_vmalloc_end)
            vendor_yaml += fmt::format("  vmalloc_end: 0x{:08x}   # the vmalloc line; mainline Linux {} has the "
                                       "generic 0x{:08x}\n",
                                       vm->end, kv_.text, era.arm_vmalloc_end);
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
            // one bank, and a lowmem line longer than it, with no highmem: the vendor kernel sized lowmem with more
            // RAM than "Memory:" counts (RAM its board code took away afterwards): a carve-out, assumed at the top
            bool hm = (f.highmem_kb && *f.highmem_kb > 0) || f.zone_highmem;   // RAM in highmem (a pkmap line is only CONFIG_HIGHMEM)
            if (f.bank_sizes.size() == 1 && lowmem && !lowmem->ptrval && !hm && f.truncations.empty() &&
                lowmem->end - lowmem->start > f.bank_sizes[0]) {
                uint64_t span = lowmem->end - lowmem->start;
                vendor_yaml += fmt::format("  carveout:   # the lowmem line spans {}, \"Memory:\" counts {}: RAM "
                                            "the vendor kernel took away after sizing lowmem (assumed at the top)\n"
                                            "    - {{start: 0x{:08x}, size: 0x{:x}}}\n",
                                            human_size(span), human_size(f.bank_sizes[0]), phys + f.bank_sizes[0], span - f.bank_sizes[0]);
                ram = {{phys, span}};
                ram_why += fmt::format(" and the lowmem line ({} of RAM behind lowmem)", human_size(span));
            }
        } else if (f.memory_total_kb) {
            ram.push_back({phys, *f.memory_total_kb << 10});
            ram_why = "the total of \"Memory: ...K/...K available\"";
        }
    } else {
        if (!f.node_ranges.empty()) ram = f.node_ranges, ram_why = "the early node ranges";
        else if (!f.e820_usable.empty()) ram = page_align(f.e820_usable), ram_why = "the BIOS-e820 usable ranges";
        else if (f.memory_total_kb) ram.push_back({0, *f.memory_total_kb << 10}), ram_why = "the total of \"Memory: ...k/...k available\"";
    }
    if (ram.empty() && f.cmdline) {
        // the command line's mem= (the RAM the kernel was told to use) at PHYS_OFFSET
        try {
            // ARM: each mem=SIZE[@START] is a bank (arch/arm/kernel/setup.c early_mem()); x86: a limit from 0
            for (const auto& mp : parse_cmdline(*f.cmdline).mem)
                ram.push_back({arch == Arch::arm ? mp.start.value_or(phys) : 0, mp.size});
            if (arch == Arch::x86 && ram.size() > 1) ram.erase(ram.begin(), ram.end() - 1);
            if (!ram.empty())
                ram_why = fmt::format("mem= of the command line (line {}){}: the log prints no memory map", f.cmdline_line,
                                      arch == Arch::arm ? " from PHYS_OFFSET" : "");
        } catch (const Error&) {
        }
    }
    if (ram.empty())
        throw Error(fmt::format(
            "the log shows no RAM: looked for {} and a mem= on the command line, and found none{}; give the RAM with "
            "--ram START:SIZE (or --mem SIZE), or the board with -p board.yaml",
            arch == Arch::arm ? "\"Memory: NK/MK available\", \"Memory: NMB = NMB total\", \"node 0: [mem ...]\", "
                                "early_node_map and \"Truncating RAM at\" lines"
                              : "BIOS-e820 usable ranges, \"node 0: [mem ...]\", early_node_map and \"Memory: Nk/Mk "
                                "available\" lines",
            f.cmdline ? fmt::format(" (the command line, line {}, has no mem=)", f.cmdline_line) : " (and no command line)"));
    y += fmt::format("ram:   # {}\n", ram_why);
    for (const auto& b : ram) y += bank_yaml(b);
    if (f.cmdline) y += fmt::format("cmdline: {}   # line {}{}\n", yaml_quote(*f.cmdline), f.cmdline_line,
                                    f.cmdline_cut ? fmt::format(" (cut at {} columns)", f.cut_width) : "");
    else if (auto ic = inferred_cmdline(f)) y += fmt::format("cmdline: {}   # {}\n", yaml_quote(ic->text), ic->why);
    if (arch == Arch::arm) {
        if (auto dma = entry_of(f, "DMA"))
            y += fmt::format("consistent_dma_size: {}M   # the DMA line\nconsistent_end: 0x{:08x}\n",
                             (dma->end - dma->start) >> 20, dma->end);
        if (auto d = entry_of(f, "DTCM")) y += fmt::format("dtcm: {{start: 0x{:08x}, end: 0x{:08x}}}\n", d->start, d->end);
        if (auto d = entry_of(f, "ITCM")) y += fmt::format("itcm: {{start: 0x{:08x}, end: 0x{:08x}}}\n", d->start, d->end);
    }
    std::string fixmap_yaml;   // x86: the printed fixmap numbers, when no configuration gives them
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
    if (arch == Arch::x86) {
        // FIXADDR_START, PKMAP_BASE and the cpu_entry_area come from enum fixed_addresses and the configuration
        // (kernel/x86_fixmap.hpp): the configuration closest to the distribution defaults that gives the printed
        // lines, else the printed numbers themselves
        auto fx = entry_of(f, "fixmap");
        auto pk = entry_of(f, "pkmap");
        auto ce = entry_of(f, "cpu_entry");
        if (!fx && f.nr_cpus && *f.nr_cpus > 0)
            y += fmt::format("  nr_cpus: {}   # CONFIG_NR_CPUS, from the setup_percpu line (enum fixed_addresses; "
                             "the other options as distributions set them)\n",
                             *f.nr_cpus);
        if (fx && !fx->ptrval) {
            X86FixmapFacts pf;
            pf.fixaddr_start = uint32_t(fx->start);
            if (pk && highmem) pf.pkmap_base = uint32_t(pk->start);
            if (ce) pf.cpu_entry_start = uint32_t(ce->start), pf.cpu_entry_end = uint32_t(ce->end);
            X86FixmapConfig base;
            base.pae = pae;
            base.highmem = highmem;
            if (f.nr_cpus && *f.nr_cpus > 0) base.nr_cpus = *f.nr_cpus;
            if (f.paravirt_line) base.paravirt = true;
            if (auto c = infer_x86_fixmap_config(kv_, base, f.nr_cpus.has_value(), pf)) {
                y += fmt::format("  nr_cpus: {}   # CONFIG_NR_CPUS: with config.x86 below, enum fixed_addresses of "
                                 "Linux {} gives the fixmap{}{} lines (inferred)\n",
                                 c->nr_cpus, kv_.text, pk ? ", pkmap" : "", ce ? ", cpu_entry" : "");
                y += fmt::format("  x86: {}\n", x86_fixmap_config_yaml(*c));
            } else {
                fixmap_yaml = fmt::format("fixmap: {{start: 0x{:08x}, top: 0x{:08x}}}   # from the fixmap line: no "
                                          "configuration searched gives it\n",
                                          fx->start, fx->end);
                if (pk) fixmap_yaml += fmt::format("pkmap_base: 0x{:08x}   # from the pkmap line\n", pk->start);
                if (ce) fixmap_yaml += fmt::format("cpu_entry_area: {{start: 0x{:08x}, end: 0x{:08x}}}\n", ce->start, ce->end);
            }
        }
    }
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
    y += fixmap_yaml;
    if (!vendor_yaml.empty()) y += "vendor:\n" + vendor_yaml;
    return fit_struct_page_size(y, f);
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
    if (name == "fixmap" && e && !e->ptrval && l.has_fixmap && (e->start != l.fixaddr_start || e->end != l.fixaddr_end)) {
        if (l.arch == Arch::arm && !p.fixaddr_start)
            return fmt::format("the log's fixmap is 0x{:08x} - 0x{:08x}; Linux {} has 0x{:08x} - 0x{:08x} for every machine "
                               "(arch/arm/include/asm/fixmap.h, {} rules): a vendor kernel with its own fixmap (state it "
                               "with fixmap: {{start: 0x{:08x}, top: 0x{:08x}}} in -p board.yaml)",
                               e->start, e->end, p.kernel.text, l.fixaddr_start, l.fixaddr_end, l.era->name, e->start, e->end);
        if (l.arch == Arch::x86)
            return fmt::format("the log's fixmap starts at 0x{:08x}, the model's at 0x{:08x}: the size of enum "
                               "fixed_addresses depends on the kernel's configuration (config.nr_cpus and config.x86 in "
                               "-p board.yaml, kmemkit-profile(5))",
                               e->start, l.fixaddr_start);
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

// The numbers of a line, in order ("0x1000" and "4096" are the same number).
std::vector<uint64_t> numbers_of(const std::string& s) {
    static const std::regex re(R"(0x[0-9a-fA-F]+|\d+)");
    std::vector<uint64_t> v;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
        std::string t = it->str();
        v.push_back(t.size() > 2 && t[1] == 'x' ? hexnum(t.substr(2)) : std::stoull(t));
    }
    return v;
}
const Zone* zone_named(const NodeMemory& n, const std::string& name) {
    for (const auto& z : n.zones)
        if (z.name == name) return &z;
    return nullptr;
}

// Why a zone line of the log differs from the model's (kinds: zone_line_kind()).
// `earlier`: the log line of the first zone difference before this one (0: none).
std::string zone_reason(const std::string& kind, const std::string& log, const std::string& model, const NodeMemory& n,
                        const Board& b, const DmesgFacts& f, size_t earlier, size_t memmap_diff_line) {
    const Profile& p = b.profile;
    auto ln = numbers_of(log), mn = numbers_of(model);
    std::string k = kind.substr(0, kind.find(':')), zn = kind.find(':') == std::string::npos ? "" : kind.substr(kind.find(':') + 1);
    if (k == "zonelists" && ln == mn) {
        // build_all_zonelists(): grouping off when vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES
        // (v2.6.32.9 page_alloc.c:2777; v6.1:6690)
        unsigned order = p.arch == Arch::x86 ? (p.config.pae ? 9 : 10) : p.config.max_order - 1;
        return fmt::format("the same total, another mobility grouping: it is off below pageblock_nr_pages * "
                           "MIGRATE_TYPES pages, {} * 5 = {} with the model's pageblock order {} (MAX_ORDER {}); "
                           "this kernel's configuration differs (config: max_order; CMA adds a migrate type)",
                           1u << order, 5u << order, order, p.config.max_order);
    }
    auto skeleton = [](const std::string& s) {
        return collapse_spaces(std::regex_replace(s, std::regex(R"(0x[0-9a-fA-F]+|\d+)"), "N"));
    };
    if (ln == mn && skeleton(log) == skeleton(model))
        return fmt::format("the same numbers, printed with another width: kmemkit renders the line as Linux {} "
                           "prints it (zones.cpp kernel_zone_lines); this kernel's format differs",
                           p.kernel.text);
    if (ln == mn)
        return fmt::format("the same numbers in other words: the line of Linux {} as kmemkit renders it "
                           "(zones.cpp kernel_zone_lines) differs from this kernel's",
                           p.kernel.text);
    const Zone* z = zn.empty() ? nullptr : zone_named(n, zn);
    auto follows = [&](size_t line) { return fmt::format("follows from the difference at line {}", line); };
    if (k == "ranges") return "the ranges header differs: is the kernel version right?";
    if (k == "range")
        return fmt::format("the {} zone's range differs: the model's zones end at max_low_pfn 0x{:x} (lowmem end, "
                           "high_memory 0x{:08x}) and max_pfn 0x{:x} (end of RAM); a different lowmem limit or RAM "
                           "moves them",
                           zn, n.max_low_pfn, n.high_memory, n.max_pfn);
    if (k == "node" || k == "initmem")
        return "the RAM the model was built from differs from the node's memory ranges the kernel registered";
    if (k == "unavail")
        return fmt::format("the pages of zone {} below its first RAM range differ (memmap_init(): holes from the "
                           "zone start or the end of the previous range)",
                           zn);
    if (k == "totalpages" && !ln.empty() && mn.size() >= 2)
        return fmt::format("the node's RAM differs: the log counts {} pages ({}), the model {} ({}){}", ln.back(),
                           human_size(ln.back() << 12), mn.back(), human_size(mn.back() << 12),
                           earlier ? "; " + follows(earlier) : "");
    if (k == "memmap" && z && !ln.empty() && ln.size() == mn.size()) {
        // memmap pages = PAGE_ALIGN(spanned * sizeof(struct page)) >> PAGE_SHIFT (or truncated, <= 2.6.2x)
        uint64_t want = ln.back(), spanned = z->spanned_pages;
        std::vector<unsigned> fit;
        for (unsigned sps = 16; sps <= 128; sps += 4) {
            uint64_t bytes = spanned * sps;
            if ((bytes + kPageSize - 1) >> kPageShift == want || bytes >> kPageShift == want) fit.push_back(sps);
        }
        if (earlier) return follows(earlier);
        if (!fit.empty())
            return fmt::format("{} memmap pages for the zone's {} pages mean sizeof(struct page) = {} bytes; the "
                               "profile has {} (config: struct_page_size)",
                               want, spanned, fit.front(), p.config.struct_page_size);
        return fmt::format("{} memmap pages fit no sizeof(struct page) for the zone's {} pages: the zone's span "
                           "differs (SPARSEMEM kernels count present pages)",
                           want, spanned);
    }
    if (k == "lifo") {
        if (memmap_diff_line) return "the zone's pages after its memmap: " + follows(memmap_diff_line);
        if (earlier) return follows(earlier);
        if (ln.size() >= 2 && mn.size() >= 2 && ln[ln.size() - 2] == mn[mn.size() - 2])
            return "the same pages, another LIFO batch: zone_batchsize() of this kernel differs from the model's";
        return "the zone's present pages differ";
    }
    if (k == "reserved") return "dma_reserve differs (set_dma_reserve(), x86-64 only in mainline)";
    if (k == "zonelists") {
        if (earlier) return "the total is the sum of the zones' pages: " + follows(earlier);
        return fmt::format("Total pages differs: log {}, model {} (the zones' present pages minus their memmap)",
                           ln.empty() ? 0 : ln.back(), mn.empty() ? 0 : mn.back());
    }
    if (k == "memtotal") {
        // mem_init() prints one size per bank: meminfo banks (split at the lowmem limit with HIGHMEM,
        // sanity_check_meminfo() v2.6.32.9-v3.10.99), memblock regions from 3.7 (touching ones merged)
        if (mn.size() > ln.size())
            return "the model has more banks: it splits the bank that crosses the lowmem limit into lowmem and "
                   "highmem, as sanity_check_meminfo() does before 3.7; this kernel printed it whole (another "
                   "kernel version, or its banks lie elsewhere)";
        if (f.node_ranges.empty() && f.bank_sizes.size() > 1)
            return "the log prints bank sizes, not addresses: kmemkit placed the banks end to end, so they merge "
                   "into one region (give the real banks with --ram or -p)";
        return "the RAM banks differ from the bank sizes the kernel printed";
    }
    return earlier ? follows(earlier) : "";
}

// The zone report of the log against the one the model prints for that kernel
// (compute_zones() and kernel_zone_lines(), zones.cpp): every line the log
// holds, paired by kind ("memmap:DMA", the n-th "node" line).
void compare_zone_report(const DmesgFacts& f, const Board& board, const Layout& l, Comparison& c) {
    // a lowmem or vmalloc line that differs moves the zones too
    size_t layout_diff = 0;
    for (const auto& it : c.items)
        if (it.what == "layout" && it.status == CheckStatus::differ && !layout_diff &&
            (entry_name(it.log) == "lowmem" || entry_name(it.log) == "vmalloc"))
            layout_diff = it.lineno;
    if (f.zone_log.empty()) return;
    NodeMemory nm;
    std::vector<std::string> model;
    try {
        nm = compute_zones(board, l);
        model = kernel_zone_lines(nm, board, l);
    } catch (const Error& e) {
        c.notes.push_back(std::string("zone lines not compared: ") + e.what());
        return;
    }
    std::vector<std::string> log_text;
    for (const auto& z : f.zone_log) {
        std::string t = z.text;
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
        log_text.push_back(t);
    }
    std::vector<std::string> lk = zone_keys(log_text), mk = zone_keys(model);
    std::set<std::string> groups;
    for (const auto& k : lk) groups.insert(zone_group(k.substr(0, k.find('#'))));
    std::vector<bool> used(model.size(), false);
    size_t first_diff = layout_diff, spacing = 0;
    std::map<std::string, size_t> memmap_diff;   // zone -> log line of its differing memmap line
    const std::string ver = board.profile.kernel.text;
    for (size_t i = 0; i < log_text.size(); ++i) {
        const std::string kind = lk[i].substr(0, lk[i].find('#'));
        const std::string zn = kind.find(':') == std::string::npos ? "" : kind.substr(kind.find(':') + 1);
        CheckItem it{"zones", CheckStatus::extra, f.zone_log[i].lineno, log_text[i], "", ""};
        size_t k = 0;
        while (k < model.size() && (used[k] || mk[k] != lk[i])) ++k;
        if (k < model.size()) {
            used[k] = true;
            it.model = model[k];
            if (model[k] == it.log) it.status = CheckStatus::ok;
            else if (collapse_spaces(model[k]) == collapse_spaces(it.log)) it.status = CheckStatus::ok, ++spacing;
            else {
                it.status = CheckStatus::differ;
                it.reason = zone_reason(kind, it.log, model[k], nm, board, f, first_diff, memmap_diff.count(zn) ? memmap_diff[zn] : 0);
            }
        } else if (!zn.empty() && !zone_named(nm, zn)) {
            it.reason = fmt::format("the model has no {} zone for this board (config: zone_dma, highmem)", zn);
        } else if (!zn.empty() && zone_named(nm, zn)->spanned_pages == 0 && kind.rfind("memmap:", 0) == 0 &&
                   !numbers_of(it.log).empty() && numbers_of(it.log).front() == 0) {
            it.reason = fmt::format("the {} zone is empty here as in the model, and this kernel prints its memmap line "
                                    "(0 pages) too; kmemkit's zone rules for Linux {} print none for an empty zone "
                                    "(zones.cpp kZoneRules)",
                                    zn, ver);
        } else if (!zn.empty() && zone_named(nm, zn)->spanned_pages == 0 && kind.rfind("range:", 0) != 0) {
            it.reason = first_diff ? fmt::format("the model's {} zone is empty: follows from the difference at line {}", zn, first_diff)
                                   : fmt::format("the model's {} zone is empty for this board (config: zone_dma, "
                                                 "dma_zone_size, highmem)",
                                                 zn);
        } else {
            it.reason = fmt::format("kmemkit's zone report for Linux {} (zones.cpp kernel_zone_lines) has no such "
                                    "line: this kernel prints {}",
                                    ver, kind.rfind("memmap:", 0) == 0 ? "a memmap line where the model's era rules print none"
                                                                       : "a line the model's era rules do not");
        }
        if (it.status != CheckStatus::ok) {
            if (!first_diff) first_diff = it.lineno;
            if (kind.rfind("memmap:", 0) == 0) memmap_diff[zn] = it.lineno;
        }
        c.items.push_back(it);
    }
    std::vector<std::string> absent;
    for (size_t k = 0; k < model.size(); ++k) {
        if (used[k] || mk[k].empty()) continue;
        std::string kind = mk[k].substr(0, mk[k].find('#'));
        std::string g = zone_group(kind);
        if (!groups.count(g)) {
            if (std::find(absent.begin(), absent.end(), g) == absent.end()) absent.push_back(g);
            continue;
        }
        c.items.push_back({"zones", CheckStatus::missing, 0, "", model[k],
                           fmt::format("the log has the other {} lines but not this one{}", g,
                                       first_diff ? fmt::format(" (the zones already differ at line {})", first_diff) : "")});
    }
    if (spacing)
        c.notes.push_back(fmt::format("{} zone line{} agree only with runs of spaces collapsed (the capture changed "
                                      "the spacing)",
                                      spacing, spacing == 1 ? "" : "s"));
    if (!absent.empty()) {
        std::string a;
        for (const auto& g : absent) a += (a.empty() ? "" : ", ") + g;
        c.notes.push_back(fmt::format("zone lines the model prints but this log does not hold (not compared): {}", a));
    }
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
        const std::string wrong_release = fmt::format("the format of another release than Linux {} (is the kernel "
                                                      "version right? give it with --kernel VERSION)",
                                                      p.kernel.text);
        // the lines in the log and model may be in a different order only if the era is wrong
        [&] {
            size_t prev = 0;
            const BlockEntry* prev_entry = nullptr;
            for (const auto& be : f.block)
                for (size_t k = 0; k < model.size(); ++k)
                    if (used[k] && entry_name(model[k]) == be.name) {
                        if (prev_entry && k < prev) {
                            c.items.push_back({"layout", CheckStatus::differ, be.lineno, be.text, "",
                                               fmt::format("the log prints '{}' after '{}', Linux {} before it: {}",
                                                           be.name, prev_entry->name, p.kernel.text, wrong_release)});
                            return;
                        }
                        prev = k, prev_entry = &be;
                        break;
                    }
        }();
        // an image section the log does not print is not in the rebuilt profile, so the model does not
        // print it either: whether this release prints it, asked of the model with a stand-in section
        if (from_log && (p.text || p.init || p.data || p.bss)) {
            const std::optional<ImageSection>& some = p.text ? p.text : p.init ? p.init : p.data ? p.data : p.bss;
            std::pair<const char*, std::optional<ImageSection> Profile::*> secs[] = {
                {".text", &Profile::text}, {".init", &Profile::init}, {".data", &Profile::data}, {".bss", &Profile::bss}};
            for (auto [name, member] : secs) {
                if (p.*member) continue;
                Profile with = p;
                with.*member = some;
                for (const auto& line : kernel_layout_lines(l, with))
                    if (entry_name(line) == name)
                        c.items.push_back({"layout", CheckStatus::missing, 0, "",
                                           line.substr(0, line.find(':') + 1) + " ...",
                                           fmt::format("Linux {} prints a '{}' line, the log has none: {}",
                                                       p.kernel.text, name, wrong_release)});
            }
        }
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
    bool have_boot_msgs = f.version_banner || !f.e820_usable.empty() || f.cmdline.has_value();
    for (size_t k = 0; k < mm.size(); ++k)
        if (!mused[k]) {
            CheckItem it{"message", have_boot_msgs ? CheckStatus::missing : CheckStatus::not_printed, 0, "", mm[k],
                         have_boot_msgs ? "the log does not have this message" : "not in this excerpt"};
            c.items.push_back(it);
        }

    compare_zone_report(f, board, l, c);

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
    // notes: how the log was read, where the model came from
    if (std::string r = f.read.summary(); !r.empty()) c.notes.push_back("reader: " + r);
    if (!f.read.cut_lines.empty()) {
        std::string at;
        for (size_t k = 0; k < f.read.cut_lines.size(); ++k) at += (k ? ", " : "") + std::to_string(f.read.cut_lines[k]);
        c.notes.push_back(fmt::format("{} line{} ({} {}) end at {} columns: cut by the capture, left out of the "
                                      "comparison",
                                      f.read.cut_lines.size(), f.read.cut_lines.size() == 1 ? "" : "s",
                                      f.read.cut_lines.size() == 1 ? "line" : "lines", at, f.read.cut_width));
    }
    if (from_log && !f.version_banner && f.version && p.kernel.text == *f.version)
        c.notes.push_back(fmt::format("kernel {}: {} (give another with --kernel VERSION)", *f.version, f.version_why));
    if (from_log && f.memory_total_kb && f.node_ranges.empty() && f.truncated_banks.empty() && f.bank_sizes.empty() &&
        f.e820_usable.empty())
        c.notes.push_back(fmt::format("found \"{}\" (line {}) but no bank layout: RAM taken as {} at PHYS_OFFSET "
                                      "0x{:08x} (give the banks with --ram START:SIZE or -p board.yaml)",
                                      f.memory_total_text, f.memory_total_line, human_size(*f.memory_total_kb << 10),
                                      p.phys_offset));
    if (f.boots > 1) c.notes.push_back(fmt::format("the log has {} \"Linux version\" lines: the first boot is checked", f.boots));
    if (l.arch == Arch::x86 && l.x86_fixmap_from_enum) {
        // which configuration enum fixed_addresses was computed for
        const X86FixmapConfig fc = x86_fixmap_config(p);
        auto fx = entry_of(f, "fixmap");
        c.notes.push_back(fmt::format(
            "x86 fixmap: enum fixed_addresses of Linux {} with {}{} (kmemkit-profile(5) CONFIG.X86; give yours with "
            "-p board.yaml)",
            p.kernel.text, x86_fixmap_config_text(fc),
            !from_log ? " (the profile's configuration)"
            : fx ? ": the configuration nearest the distribution defaults that gives the printed lines"
                 : ": this kernel prints no fixmap line, the distribution defaults are assumed"));
    }
    for (const auto& cut : p.carveouts)
        c.notes.push_back(fmt::format("vendor carve-out of {} at 0x{:08x}{}: RAM inside the lowmem span that the zones "
                                      "and \"Memory:\" lines do not count (kmemkit-profile(5) VENDOR FACTS)",
                                      human_size(cut.size), cut.start,
                                      from_log ? " assumed at the top of the bank (the lowmem line is longer than "
                                                 "the RAM \"Memory:\" counts)"
                                               : ""));
    if (from_log) {
        // pre-3.4 ARM: where VMALLOC_END (and maybe PHYS_OFFSET) came from
        std::optional<VmallocEndOrigin> ve = vmalloc_end_from_log(f, p.kernel);
        if (ve && ve->kind != VmallocEndOrigin::layout_block)
            c.notes.push_back(fmt::format("VMALLOC_END 0x{:08x}: {}", ve->vmalloc_end, ve->why));
        if (f.arch == Arch::arm && !f.phys_offset) {
            if (ve && ve->kind == VmallocEndOrigin::machine_profile && ve->profile_phys_offset == p.phys_offset)
                c.notes.push_back(fmt::format("PHYS_OFFSET is not visible in the log: 0x{:08x}, the machine's value "
                                              "from built-in profile {}",
                                              p.phys_offset, ve->profile));
            else
                c.notes.push_back(fmt::format("PHYS_OFFSET is not visible in the log: 0x{:08x} assumed (only physical "
                                              "addresses depend on it)",
                                              p.phys_offset));
        }
        if (f.cmdline_cut) c.notes.push_back(fmt::format("the command line is cut at {} columns", f.cut_width));
        if (auto ic = inferred_cmdline(f); ic && board.cmdline.text == ic->text)
            c.notes.push_back(fmt::format("{} assumed: {}", ic->text, ic->why));
        if (!f.cmdline && board.cmdline.text.empty())
            c.notes.push_back("no \"Kernel command line:\" in the log: an empty command line assumed");
    }
    return c;
}

AssumedRange assume_kernel_range(const DmesgFacts& f, const BoardOverrides& ov) {
    if (!f.arch) (void)profile_yaml_from_dmesg(f, "6.1");   // the refusal of a log with no recognisable kernel
    const std::vector<KernelVersion> cands = release_candidates(*f.arch);
    // what each candidate gave; `score` orders them, lower is better: agreeing with the lines the model
    // computed, agreeing only because the profile took the x86 fixmap line's own numbers (no configuration
    // gives them for that release), then by the log lines that differ or that the release cannot check
    struct Tried {
        bool built = false;
        unsigned ok = 0, differ = 0;
        std::pair<unsigned, size_t> score;
        std::string error;
    };
    std::vector<Tried> tried(cands.size());
    std::vector<size_t> log_lines;   // what the comparison can look at
    for (const auto& e : f.block) log_lines.push_back(e.lineno);
    for (const auto& m : f.messages) log_lines.push_back(m.lineno);
    for (const auto& z : f.zone_log) log_lines.push_back(z.lineno);
    for (size_t i = 0; i < cands.size(); ++i) {
        try {
            Board b = make_board(profile_from_dmesg(f, cands[i].text), ov);
            Layout l = compute_layout(b);
            Comparison c = compare_with_log(f, b, l, true);
            std::set<size_t> looked;
            for (const auto& it : c.items) looked.insert(it.lineno);
            size_t unchecked = 0;
            for (size_t n : log_lines) unchecked += !looked.count(n);
            bool copied = l.arch == Arch::x86 && !l.x86_fixmap_from_enum && entry_of(f, "fixmap");
            unsigned tier = c.agree() ? copied ? 1 : 0 : 2;
            tried[i] = {true, c.ok, c.differ, {tier, tier < 2 ? 0 : c.differ + unchecked}, ""};
        } catch (const Error& e) {
            // the version in the message marked, so that the candidates refused alike say it once
            tried[i].error = e.message();
            const std::string self = "Linux " + cands[i].text;
            for (size_t at; (at = tried[i].error.find(self + " ")) != std::string::npos ||
                            (at = tried[i].error.find(self + ":")) != std::string::npos;)
                tried[i].error.replace(at, self.size(), "Linux \x01");
        }
    }
    AssumedRange r;
    r.candidates = unsigned(cands.size());
    std::pair<unsigned, size_t> best_score{3, 0};
    for (const Tried& t : tried)
        if (t.built) ++r.built, best_score = std::min(best_score, t.score), r.agree += t.differ == 0;
    // runs of candidates, one after the other, by what they gave: [first, last]
    auto runs_of = [&](auto value) {
        std::vector<std::pair<size_t, size_t>> out;
        for (size_t i = 0; i < cands.size(); ++i)
            if (!out.empty() && out.back().second + 1 == i && value(i) == value(out.back().first)) out.back().second = i;
            else out.push_back({i, i});
        return out;
    };
    if (r.built == 0) {
        // every candidate refused: why, per run of candidates refused for the same reason
        std::string why;
        for (auto [a, b] : runs_of([&](size_t i) { return tried[i].error; })) {
            std::string range = release_range_text(cands, a, b), e = tried[a].error;
            for (size_t at; (at = e.find('\x01')) != std::string::npos;) e.replace(at, 1, range);
            why += fmt::format("{}for Linux {}: {}", why.empty() ? "" : "; ", range, e);
        }
        throw Error(fmt::format("{}, and the rules of no release modelled rebuild its board from it ({}); give the "
                                "version with --kernel VERSION or the board with -p board.yaml",
                                no_version_text(f), why));
    }
    // the runs with the best score; of those, the one with the most ok lines, then the longest, then the newest
    auto is_best = [&](size_t i) { return tried[i].built && tried[i].score == best_score; };
    struct Run {
        size_t first, last;
        unsigned ok;   // the most ok lines of one of its candidates
    };
    std::vector<Run> runs;
    for (auto [a, b] : runs_of(is_best))
        if (is_best(a)) {
            unsigned ok = 0;
            for (size_t i = a; i <= b; ++i) ok = std::max(ok, tried[i].ok);
            runs.push_back({a, b, ok});
        }
    auto chosen = std::max_element(runs.begin(), runs.end(), [](const Run& x, const Run& y) {
        return x.ok != y.ok ? x.ok < y.ok : x.last - x.first <= y.last - y.first;
    });
    std::string also;
    for (const Run& run : runs)
        if (&run != &*chosen) also += fmt::format("{}{}", also.empty() ? "" : ", ", release_range_text(cands, run.first, run.last));
    r.kernel = cands[chosen->first].text;
    r.range = release_range_text(cands, chosen->first, chosen->last);
    r.in_range = unsigned(chosen->last - chosen->first + 1);
    r.differ = tried[chosen->first].differ;
    unsigned copied = 0;
    for (const Tried& t : tried) copied += t.built && t.score.first == 1;
    const char* every = r.in_range == 1 ? "" : "every release of ";
    std::string verdict =
        best_score.first == 0 ? fmt::format("{}the range agrees", every)
        : best_score.first == 1
            ? fmt::format("{}the range agrees, but only with the fixmap line's own numbers: no configuration searched "
                          "gives them for these releases",
                          every)
            : fmt::format("none agrees: {}the range has the fewest lines that differ or cannot be checked ({})", every,
                          best_score.second);
    r.note = fmt::format(
        "no kernel version in the log: assumed Linux {} (the releases whose print formats and rules the log "
        "matches{}: {} of {} candidates agree{}; {}; the model below is Linux {}'s{}; give the real one with --kernel)",
        r.range, best_score.first == 2 ? " best" : "", r.agree, r.candidates,
        copied && best_score.first == 0 ? fmt::format(", {} of them only with the fixmap line's own numbers", copied) : "",
        verdict, r.kernel,
        also.empty() ? "" : fmt::format("; Linux {} {} as well", also, best_score.first < 2 ? "agree" : "do"));
    return r;
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
