#include "kmemkit/profile.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <set>
#include <sstream>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmemkit/error.hpp"
#include "kmemkit/io.hpp"
#include "kmemkit/spelling.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {

namespace {

[[noreturn]] void fail(const std::string& origin, const YAML::Mark& m, const std::string& msg) {
    if (m.line < 0) throw Error(msg, origin);
    throw Error(msg, origin, m.line + 1, m.column + 1);
}

// yaml-cpp recurses once per nesting level and expands aliases on access:
// refuse what no profile needs before handing it the text.
void prescan(const std::string& text, const std::string& origin) {
    if (text.size() > kMaxProfileBytes)
        throw Error(fmt::format("profile is {} bytes; profiles are limited to {} bytes", text.size(), kMaxProfileBytes),
                    origin);
    int line = 1, col = 0, flow = 0;
    bool in_single = false, in_double = false, comment = false, leading = true;
    int lead = 0;
    char prev = '\n';
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        ++col;
        if (c == '\n') {
            ++line; col = 0; comment = false; leading = true; lead = 0; prev = c;
            in_single = false;
            continue;
        }
        if (c == '\0') throw Error("NUL byte in profile (binary file?)", origin, line, col);
        if (comment) continue;
        if (leading) {
            if (c == ' ' || c == '-' || c == '\t' || c == '?') {   // '?': complex keys nest too (yaml-cpp says only "bad file")
                if (++lead > 256)
                    throw Error("profile nests too deeply (more than 256 columns of indentation)", origin, line, col);
            } else {
                leading = false;
            }
        }
        if (in_double) {
            if (c == '\\') { ++i; ++col; continue; }
            if (c == '"') in_double = false;
        } else if (in_single) {
            if (c == '\'') in_single = false;
        } else {
            bool token_start = prev == '\n' || prev == ' ' || prev == '\t' || prev == '[' || prev == '{' ||
                               prev == ',' || prev == ':' || prev == '-';
            if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n')) comment = true;
            else if (c == '"' && token_start) in_double = true;
            else if (c == '\'' && token_start) in_single = true;
            else if ((c == '&' || c == '*') && token_start)
                throw Error(fmt::format("YAML {} are not allowed in profiles", c == '&' ? "anchors" : "aliases"),
                            origin, line, col);
            else if (c == '[' || c == '{') {
                if (++flow > 32) throw Error("profile nests too deeply (more than 32 levels of [ or {)", origin, line, col);
            } else if (c == ']' || c == '}') {
                if (flow > 0) --flow;
            }
        }
        prev = c;
    }
}

// Reads a mapping, refusing unknown and duplicate keys.
class Fields {
public:
    Fields(const YAML::Node& n, const std::string& origin, const char* what,
           std::initializer_list<const char*> allowed)
        : node_(n), origin_(origin) {
        if (!n.IsMap()) fail(origin, n.Mark(), fmt::format("{} must be a mapping (key: value lines)", what));
        std::set<std::string> ok(allowed.begin(), allowed.end());
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (!it->first.IsScalar()) fail(origin, it->first.Mark(), fmt::format("{}: keys must be plain words", what));
            std::string k = it->first.Scalar();
            if (!ok.count(k)) {
                std::string list;
                for (const char* a : allowed) list += list.empty() ? a : std::string(", ") + a;
                fail(origin, it->first.Mark(), fmt::format("unknown key '{}' in {} (known: {})", k, what, list));
            }
            if (seen_.count(k)) fail(origin, it->first.Mark(), fmt::format("duplicate key '{}' in {}", k, what));
            seen_[k] = it->second;
            marks_[k] = it->first.Mark();
        }
    }
    bool has(const std::string& k) const { return seen_.count(k) != 0; }
    const YAML::Node& get(const std::string& k) const { return seen_.at(k); }
    YAML::Mark key_mark(const std::string& k) const { return marks_.at(k); }
    void require(const std::string& k, const char* what) const {
        if (!has(k)) fail(origin_, node_.Mark(), fmt::format("{} has no '{}' (required)", what, k));
    }
    std::string str(const std::string& k) const {
        const auto& n = get(k);
        if (!n.IsScalar()) fail(origin_, n.Mark(), fmt::format("'{}' must be a text value", k));
        return n.Scalar();
    }
    uint64_t num(const std::string& k, uint64_t max = UINT64_MAX) const {
        const auto& n = get(k);
        if (!n.IsScalar() || n.Scalar().empty())
            fail(origin_, n.Mark(), fmt::format("'{}' must be a number (decimal, 0x hex, K/M/G suffix)", k));
        try {
            return parse_number(n.Scalar(), max, k);
        } catch (const Error& e) {
            fail(origin_, n.Mark(), e.what());
        }
    }
    bool boolean(const std::string& k) const {
        const auto& n = get(k);
        if (n.IsScalar()) {
            const std::string& s = n.Scalar();
            if (s == "true" || s == "yes" || s == "y" || s == "on") return true;
            if (s == "false" || s == "no" || s == "n" || s == "off") return false;
        }
        fail(origin_, n.Mark(), fmt::format("'{}' must be true or false", k));
    }

private:
    const YAML::Node& node_;
    std::string origin_;
    std::map<std::string, YAML::Node> seen_;
    std::map<std::string, YAML::Mark> marks_;
};

Range parse_range(const YAML::Node& n, const std::string& origin, const char* what) {
    Fields f(n, origin, what, {"start", "end", "size"});
    f.require("start", what);
    Range r;
    r.start = f.num("start");
    if (f.has("end") == f.has("size")) fail(origin, n.Mark(), fmt::format("{} needs exactly one of 'end' or 'size'", what));
    r.end = f.has("end") ? f.num("end") : r.start + f.num("size");
    if (r.end < r.start) fail(origin, n.Mark(), fmt::format("{} ends before it starts", what));
    return r;
}

ImageSection parse_section(const YAML::Node& n, const std::string& origin, const char* what) {
    ImageSection s;
    if (n.IsMap() && n["start"]) {
        s.range = parse_range(n, origin, what);
    } else {
        Fields f(n, origin, what, {"size"});
        f.require("size", what);
        uint64_t b = f.num("size");
        s.size_kb = (b + 1023) / 1024;
    }
    return s;
}

SourcePos pos_of(const YAML::Mark& m) { return m.line < 0 ? SourcePos{} : SourcePos{m.line + 1, m.column + 1}; }

// A vmalloc_end value: a number, or "PAGE_OFFSET + N" as mach/vmalloc.h writes it (v2.6.18, v2.6.28).
VmallocEndRule parse_vmalloc_end_value(const YAML::Node& n, const std::string& origin) {
    if (!n.IsScalar() || n.Scalar().empty())
        fail(origin, n.Mark(), "vmalloc_end must be an address, PAGE_OFFSET + SIZE, or a mapping {FIRST_VERSION: value}");
    std::string t = n.Scalar();
    VmallocEndRule r;
    size_t at = 0;
    if (t.rfind("PAGE_OFFSET", 0) == 0) {
        at = t.find_first_not_of(" \t", 11);
        if (at == std::string::npos || t[at] != '+')
            fail(origin, n.Mark(), fmt::format("vmalloc_end '{}' is not PAGE_OFFSET + SIZE", t));
        at = t.find_first_not_of(" \t", at + 1);
        if (at == std::string::npos) fail(origin, n.Mark(), fmt::format("vmalloc_end '{}' is not PAGE_OFFSET + SIZE", t));
        r.page_offset_relative = true;
    }
    try {
        r.value = parse_number(t.substr(at), 0xffffffffULL, "vmalloc_end");
    } catch (const Error& e) {
        fail(origin, n.Mark(), e.what());
    }
    return r;
}

// vmalloc_end: VALUE, or {FIRST_VERSION: VALUE, ...} for a machine whose mach/vmalloc.h changed.
std::vector<VmallocEndRule> parse_vmalloc_end(const YAML::Node& n, const std::string& origin) {
    std::vector<VmallocEndRule> rules;
    if (!n.IsMap()) {
        rules.push_back(parse_vmalloc_end_value(n, origin));
        return rules;
    }
    if (n.size() == 0) fail(origin, n.Mark(), "vmalloc_end mapping is empty");
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (!it->first.IsScalar()) fail(origin, it->first.Mark(), "vmalloc_end: keys must be kernel versions (2.6.29: 0xf8000000)");
        VmallocEndRule r = parse_vmalloc_end_value(it->second, origin);
        try {
            r.since = parse_kernel_version(it->first.Scalar());
        } catch (const Error& e) {
            fail(origin, it->first.Mark(), std::string("vmalloc_end: ") + e.what());
        }
        for (const auto& o : rules)
            if (*o.since == *r.since)
                fail(origin, it->first.Mark(),
                     fmt::format("vmalloc_end: version {} is given twice (as {})", r.since->text, o.since->text));
        rules.push_back(r);
    }
    std::sort(rules.begin(), rules.end(), [](const VmallocEndRule& a, const VmallocEndRule& b) { return *a.since < *b.since; });
    return rules;
}

// The checks a board's configuration must pass, whoever set its values (the profile, or an
// override on the tool's command line).  Returns the key at fault and why.
struct ConfigFault {
    std::string key;       // "vmalloc_end", "config.vmsplit", "config.thumb2", "ram", "kernel"
    size_t bank = 0;       // with "ram": which bank (in address order)
    std::string message;
};
std::optional<ConfigFault> config_fault(const Profile& p) {
    const Era& e = era_for(p.arch, p.kernel);
    const std::string& split = p.config.vmsplit;
    if (p.arch == Arch::x86) {
        if (!p.vmalloc_end_rules.empty())
            return ConfigFault{"vmalloc_end", 0,
                               "x86 has no machine VMALLOC_END: the kernel derives it from PKMAP_BASE (or FIXADDR_START); "
                               "leave vmalloc_end out"};
        if (p.config.thumb2)
            return ConfigFault{"config.thumb2", 0, "thumb2 (CONFIG_THUMB2_KERNEL) is an ARM option; x86 has none"};
        // arch/x86/Kconfig: VMSPLIT_3G_OPT and VMSPLIT_2G_OPT "depends on !X86_PAE"
        if (p.config.pae && (split == "3G_OPT" || split == "2G_OPT"))
            return ConfigFault{"config.vmsplit", 0,
                               fmt::format("VMSPLIT_{} depends on !X86_PAE (arch/x86/Kconfig): a PAE kernel offers 3G, 2G "
                                           "or 1G",
                                           split)};
        return std::nullopt;
    }
    if (split == "3G_OPT" && !e.arm_vmsplit_3g_opt)
        return ConfigFault{"config.vmsplit", 0,
                           fmt::format("VMSPLIT_3G_OPT came to ARM in Linux 4.4 (arch/arm/Kconfig); Linux {} offers 3G, "
                                       "2G or 1G",
                                       p.kernel.text)};
    for (size_t i = 0; i < p.ram.size(); ++i)
        if (p.ram[i].start < p.phys_offset)
            return ConfigFault{"ram", i,
                               fmt::format("ram bank {:#x}-{:#x} starts below phys_offset {:#x}: __va() maps PHYS_OFFSET "
                                           "to PAGE_OFFSET, so RAM below it has no linear address",
                                           p.ram[i].start, p.ram[i].end() - 1, p.phys_offset)};
    if (!e.arm_vmalloc_end && !p.vmalloc_end)
        return ConfigFault{"vmalloc_end", 0,
                           fmt::format("Linux {} takes VMALLOC_END from the machine's mach/vmalloc.h, and the profile gives "
                                       "none for it: add 'vmalloc_end: ADDRESS' (or {{FIRST_VERSION: ADDRESS}} entries "
                                       "covering {})",
                                       p.kernel.text, p.kernel.text)};
    if (!e.arm_vmalloc_end && *p.vmalloc_end <= p.config.page_offset)
        return ConfigFault{"vmalloc_end", 0,
                           fmt::format("vmalloc_end {:#010x} is not above PAGE_OFFSET {:#010x}", *p.vmalloc_end,
                                       p.config.page_offset)};
    return std::nullopt;
}

SourcePos fault_pos(const Profile& p, const ConfigFault& f) {
    const ProfileMarks& m = p.marks;
    SourcePos at = m.root;
    if (f.key == "vmalloc_end") at = m.vmalloc_end.line ? m.vmalloc_end : m.kernel;
    else if (f.key == "config.vmsplit") at = m.vmsplit;
    else if (f.key == "config.thumb2") at = m.thumb2;
    else if (f.key == "ram" && f.bank < m.ram.size()) at = m.ram[f.bank];
    return at.line ? at : m.root;
}

}  // namespace

uint32_t page_offset_for_vmsplit(Arch a, const std::string& v) {
    // arch/arm/Kconfig (2.6.28+; 3G_OPT from 3.x), arch/x86/Kconfig (VMSPLIT_*)
    if (v == "3G") return 0xc0000000;
    if (v == "3G_OPT") return 0xb0000000;
    if (v == "2G") return 0x80000000;
    if (v == "2G_OPT" && a == Arch::x86) return 0x78000000;
    if (v == "1G") return 0x40000000;
    throw Error(fmt::format("vmsplit '{}' is not one of 3G, 3G_OPT, 2G{}, 1G", v, a == Arch::x86 ? ", 2G_OPT" : ""));
}

MemBank parse_ram_spec(const std::string& spec) {
    auto c = spec.find(':');
    if (c == std::string::npos) throw Error(fmt::format("--ram '{}' is not START:SIZE", spec), {}, 0, 1);
    MemBank b;
    try {
        b.start = parse_address(spec.substr(0, c));
    } catch (const Error& e) {
        throw Error(fmt::format("--ram: {}", e.what()), {}, 0, e.col);
    }
    try {
        b.size = parse_size(spec.substr(c + 1));
    } catch (const Error& e) {
        throw Error(fmt::format("--ram: {}", e.what()), {}, 0, int(c) + 1 + e.col);
    }
    if (b.size == 0) throw Error(fmt::format("--ram '{}': size is 0", spec));
    return b;
}

Profile parse_profile(const std::string& text, const std::string& origin) {
    prescan(text, origin);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        fail(origin, e.mark, e.msg);
    }
    if (!root || root.IsNull()) throw Error("profile is empty", origin);
    Fields f(root, origin, "profile",
             {"name", "description", "arch", "kernel", "phys_offset", "vmalloc_end", "ram", "cmdline", "config",
              "consistent_dma_size", "consistent_end", "dtcm", "itcm", "vectors_base", "fixmap", "pkmap_base", "cpu_entry_area", "image", "vendor",
              "reserved", "source"});
    Profile p;
    p.origin = origin;
    p.file = origin;
    p.marks.root = pos_of(root.Mark());
    f.require("name", "profile");
    f.require("arch", "profile");
    f.require("kernel", "profile");
    f.require("ram", "profile");
    p.name = f.str("name");
    if (f.has("description")) p.description = f.str("description");
    std::string arch = f.str("arch");
    if (arch == "arm") p.arch = Arch::arm;
    else if (arch == "x86" || arch == "i386") p.arch = Arch::x86;
    else fail(origin, f.get("arch").Mark(), fmt::format("arch '{}' is not arm or x86", arch));
    try {
        p.kernel = parse_kernel_version(f.str("kernel"));
    } catch (const Error& e) {
        fail(origin, f.get("kernel").Mark(), e.what());
    }
    p.marks.kernel = pos_of(f.get("kernel").Mark());
    if (f.has("phys_offset")) {
        p.phys_offset = f.num("phys_offset", 0xffffffffULL);
        p.phys_offset_given = true;
    }
    if (f.has("vmalloc_end")) {
        p.vmalloc_end_rules = parse_vmalloc_end(f.get("vmalloc_end"), origin);
        p.marks.vmalloc_end = pos_of(f.get("vmalloc_end").Mark());
    }
    if (f.has("cmdline")) {
        const auto& n = f.get("cmdline");
        if (!n.IsNull()) p.cmdline = f.str("cmdline");
        // Checked here, where the error can point into the file: the column of the bad value is the
        // scalar's column, plus one for an opening quote (block scalars: the indicator's position).
        p.marks.cmdline = pos_of(n.Mark());
        try {
            (void)parse_cmdline(p.cmdline);
        } catch (const Error& e) {
            const YAML::Mark m = n.Mark();
            const char first = m.pos >= 0 && size_t(m.pos) < text.size() ? text[size_t(m.pos)] : '\0';
            if (first == '|' || first == '>' || p.cmdline.find('\n') != std::string::npos)
                fail(origin, m, fmt::format("cmdline: {}", e.what()));
            const int shift = first == '"' || first == '\'' ? 1 : 0;
            throw Error(fmt::format("cmdline: {}", e.what()), origin, m.line + 1, m.column + shift + std::max(e.col, 1));
        }
    }
    if (f.has("source")) (void)f.str("source");

    // config
    if (f.has("config")) {
        Fields c(f.get("config"), origin, "config",
                 {"vmsplit", "page_offset", "highmem", "pae", "lpae", "nr_cpus", "thumb2", "zone_dma", "dma_zone_size",
                  "modules", "max_order", "struct_page_size", "vipt_aliasing", "x86"});
        auto& k = p.config;
        if (c.has("vmsplit")) {
            p.marks.vmsplit = pos_of(c.get("vmsplit").Mark());
            k.vmsplit = c.str("vmsplit");
            try {
                k.page_offset = page_offset_for_vmsplit(p.arch, k.vmsplit);
            } catch (const Error& e) {
                fail(origin, c.get("vmsplit").Mark(), e.what());
            }
        }
        if (c.has("page_offset")) {
            k.page_offset = uint32_t(c.num("page_offset", 0xffffffffULL));
            k.vmsplit = fmt::format("{:#x}", k.page_offset);
        }
        if (c.has("highmem")) k.highmem = c.boolean("highmem");
        if (c.has("pae")) k.pae = c.boolean("pae");
        if (c.has("lpae")) k.pae = c.boolean("lpae");
        if (c.has("nr_cpus")) k.nr_cpus = unsigned(c.num("nr_cpus", 4096));
        if (c.has("thumb2")) {
            k.thumb2 = c.boolean("thumb2");
            p.marks.thumb2 = pos_of(c.get("thumb2").Mark());
        }
        if (c.has("zone_dma")) k.zone_dma = c.boolean("zone_dma");
        if (c.has("dma_zone_size")) k.dma_zone_size = c.num("dma_zone_size", 0xffffffffULL);
        if (c.has("modules")) k.modules = c.boolean("modules");
        if (c.has("max_order")) {
            k.max_order = unsigned(c.num("max_order", 20));
            if (k.max_order < 1) fail(origin, c.get("max_order").Mark(), "max_order must be between 1 and 20");
        }
        if (c.has("struct_page_size")) {
            k.struct_page_size = unsigned(c.num("struct_page_size", 256));
            if (k.struct_page_size < 16) fail(origin, c.get("struct_page_size").Mark(), "struct_page_size must be 16..256");
        }
        if (c.has("vipt_aliasing")) k.vipt_aliasing = c.boolean("vipt_aliasing");
        if (k.nr_cpus == 0) fail(origin, c.get("nr_cpus").Mark(), "nr_cpus must be at least 1");
        k.nr_cpus_given = c.has("nr_cpus");
        if (c.has("x86")) {
            if (p.arch != Arch::x86) fail(origin, c.get("x86").Mark(), "config.x86 is for x86 profiles (arch: x86)");
            // the options enum fixed_addresses depends on (kmemkit-profile(5) CONFIG.X86)
            Fields x(c.get("x86"), origin, "config.x86",
                     {"local_apic", "io_apic", "max_io_apics", "acpi", "pci_mmconfig", "paravirt", "paravirt_xxl",
                      "paravirt_clock", "debug_highmem", "debug_kmap_local", "visws", "f00f_bug", "cyclone_timer",
                      "intel_mid", "ohci1394_dma_init", "intel_txt", "acpi_apei_ghes", "cpu_sup_intel", "reservetop",
                      "cpu_entry_area", "gdt_remap", "ro_idt", "ldt_remap", "cpu_entry_area_pages_per_cpu"});
            auto& o = k.x86;
            for (const auto& fl : x86_fixmap_flags())
                if (x.has(fl.key)) o.*fl.field = x.boolean(fl.key);
            if (x.has("max_io_apics")) o.max_io_apics = unsigned(x.num("max_io_apics", 1024));
            if (x.has("reservetop")) o.reservetop = x.num("reservetop", 0x40000000ULL);
            if (x.has("cpu_entry_area")) {
                o.cpu_entry_area = x.str("cpu_entry_area");
                if (o.cpu_entry_area != "4.15" && o.cpu_entry_area != "4.16")
                    fail(origin, x.get("cpu_entry_area").Mark(),
                         "config.x86.cpu_entry_area is the backported layout: 4.15 (below FIXADDR_START) or 4.16 "
                         "(below the boot-time fixmap)");
            }
            if (x.has("gdt_remap")) o.gdt_remap = x.boolean("gdt_remap");
            if (x.has("ro_idt")) o.ro_idt = x.boolean("ro_idt");
            if (x.has("ldt_remap")) o.ldt_remap = x.boolean("ldt_remap");
            if (x.has("cpu_entry_area_pages_per_cpu"))
                o.cea_pages_per_cpu = unsigned(x.num("cpu_entry_area_pages_per_cpu", 1024));
        }
    }

    // RAM banks
    const auto& ram = f.get("ram");
    if (!ram.IsSequence() || ram.size() == 0)
        fail(origin, ram.Mark(), "'ram' must be a list of banks, e.g. [{start: 0x50000000, size: 256M}]");
    // ARM: the banks are what the kernel uses, within its physical address width (LPAE 40 bits,
    // arch/arm/include/asm/pgtable-3level.h).  x86: banks are the firmware's e820 map, which may
    // report RAM anywhere (MAXPHYADDR up to 52 bits); the kernel itself drops what lies above
    // max_arch_pfn (4 GB, PAE 64 GB) with a warning -- layout.cpp models that.
    const unsigned phys_bits = p.arch == Arch::x86 ? 52 : p.config.pae ? 40 : 32;
    const uint64_t phys_max = 1ULL << phys_bits;
    for (const auto& b : ram) {
        Fields bf(b, origin, "ram bank", {"start", "size"});
        bf.require("start", "ram bank");
        bf.require("size", "ram bank");
        MemBank mb{bf.num("start"), bf.num("size")};
        if (mb.size == 0) fail(origin, b.Mark(), "ram bank has size 0");
        if (mb.start >= phys_max || mb.size > phys_max)
            fail(origin, b.Mark(),
                 fmt::format("ram bank {:#x}+{:#x} is beyond the {}-bit physical address space", mb.start, mb.size,
                             phys_bits));
        p.ram.push_back(mb);
        p.marks.ram.push_back(pos_of(b.Mark()));
    }
    // x86: a kernel left with no RAM below max_arch_pfn cannot boot (the layout would have no lowmem)
    if (p.arch == Arch::x86) {
        const uint64_t max_arch = p.config.pae ? (1ULL << 36) : (1ULL << 32);
        if (std::none_of(p.ram.begin(), p.ram.end(), [&](const MemBank& b) { return b.start < max_arch; }))
            fail(origin, ram.Mark(),
                 fmt::format("no ram bank below {} GB: a {} kernel uses no RAM above max_arch_pfn", max_arch >> 30,
                             p.config.pae ? "PAE" : "non-PAE"));
    }
    // overlapping banks
    for (size_t i = 0; i < p.ram.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (p.ram[i].start < p.ram[j].end() && p.ram[j].start < p.ram[i].end())
                fail(origin, ram[i].Mark(),
                     fmt::format("ram bank {:#x}-{:#x} overlaps bank {:#x}-{:#x}", p.ram[i].start, p.ram[i].end() - 1,
                                 p.ram[j].start, p.ram[j].end() - 1));
    {
        // banks in address order, their marks with them
        std::vector<size_t> order(p.ram.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p.ram[a].start < p.ram[b].start; });
        std::vector<MemBank> banks;
        std::vector<SourcePos> marks;
        for (size_t i : order) {
            banks.push_back(p.ram[i]);
            marks.push_back(p.marks.ram[i]);
        }
        p.ram = banks;
        p.marks.ram = marks;
    }

    if (f.has("consistent_dma_size")) p.consistent_dma_size = f.num("consistent_dma_size", 0xffffffffULL);
    if (f.has("consistent_end")) p.consistent_end = uint32_t(f.num("consistent_end", 0xffffffffULL));
    if (p.consistent_dma_size > p.consistent_end)
        fail(origin, root.Mark(), "consistent_dma_size is larger than consistent_end");
    if (f.has("dtcm")) p.dtcm = parse_range(f.get("dtcm"), origin, "dtcm");
    if (f.has("itcm")) p.itcm = parse_range(f.get("itcm"), origin, "itcm");
    if (f.has("vectors_base")) p.vectors_base = uint32_t(f.num("vectors_base", 0xffffffffULL));
    if (f.has("fixmap")) {
        Fields x(f.get("fixmap"), origin, "fixmap", {"start", "top", "boot_start", "kmap_begin"});
        x.require("start", "fixmap");
        p.fixaddr_start = uint32_t(x.num("start", 0xffffffffULL));
        if (x.has("top")) p.fixaddr_top = uint32_t(x.num("top", 0xffffffffULL));
        if (x.has("boot_start")) p.fixaddr_boot_start = uint32_t(x.num("boot_start", 0xffffffffULL));
        if (x.has("kmap_begin")) p.fix_kmap_begin = unsigned(x.num("kmap_begin", 0xfffff));  // FIX_KMAP_BEGIN (enum fixed_addresses)
        if (*p.fixaddr_start >= p.fixaddr_top) fail(origin, f.get("fixmap").Mark(), "fixmap start must be below its top");
    }
    if (f.has("vendor")) {
        Fields v(f.get("vendor"), origin, "vendor", {"vmalloc_end", "carveout"});
        if (p.arch != Arch::arm) fail(origin, f.get("vendor").Mark(), "vendor: (VMALLOC_END, carve-outs) is for ARM profiles");
        if (v.has("vmalloc_end")) p.vendor_vmalloc_end = uint32_t(v.num("vmalloc_end", 0xffffffffULL));
        if (v.has("carveout")) {
            const auto& cs = v.get("carveout");
            if (!cs.IsSequence()) fail(origin, cs.Mark(), "vendor.carveout must be a list of {start, size}");
            for (const auto& c : cs) {
                Fields cf(c, origin, "vendor.carveout", {"start", "size"});
                cf.require("start", "vendor.carveout");
                cf.require("size", "vendor.carveout");
                MemBank b{cf.num("start"), cf.num("size")};
                bool inside = false;
                for (const auto& r : p.ram) inside = inside || (b.start >= r.start && b.end() <= r.end());
                if (!inside || b.size == 0)
                    fail(origin, c.Mark(), fmt::format("vendor.carveout {:#x}+{:#x} is not inside one RAM bank: a carve-out "
                                                       "is RAM the kernel sized lowmem with",
                                                       b.start, b.size));
                p.carveouts.push_back(b);
            }
        }
    }
    if (f.has("pkmap_base")) p.pkmap_base = uint32_t(f.num("pkmap_base", 0xffffffffULL));
    if (f.has("cpu_entry_area")) p.cpu_entry_area = parse_range(f.get("cpu_entry_area"), origin, "cpu_entry_area");
    if (f.has("image")) {
        Fields im(f.get("image"), origin, "image", {"text", "init", "data", "bss"});
        if (im.has("text")) p.text = parse_section(im.get("text"), origin, "image.text");
        if (im.has("init")) p.init = parse_section(im.get("init"), origin, "image.init");
        if (im.has("data")) p.data = parse_section(im.get("data"), origin, "image.data");
        if (im.has("bss")) p.bss = parse_section(im.get("bss"), origin, "image.bss");
    }
    if (f.has("reserved")) {
        const auto& rs = f.get("reserved");
        if (!rs.IsSequence()) fail(origin, rs.Mark(), "'reserved' must be a list of {name, start, size}");
        for (const auto& r : rs) {
            Fields rf(r, origin, "reserved range", {"name", "start", "size"});
            rf.require("start", "reserved range");
            rf.require("size", "reserved range");
            Reservation res{rf.has("name") ? rf.str("name") : "reserved", rf.num("start"), rf.num("size")};
            p.reserved.push_back(res);
        }
    }

    // cross-field checks
    if (p.arch == Arch::arm) {
        if (!f.has("phys_offset")) p.phys_offset = p.ram.front().start;
        p.vmalloc_end = resolve_vmalloc_end(p);
    } else {
        if (p.phys_offset != 0) fail(origin, f.get("phys_offset").Mark(), "x86 has no PHYS_OFFSET; leave it out");
    }
    if (auto fault = config_fault(p)) {
        SourcePos at = fault_pos(p, *fault);
        throw Error(fault->message, origin, at.line, at.col);
    }
    return p;
}

const VmallocEndRule* vmalloc_end_rule(const Profile& p) {
    // the single-value form (no since) applies to every version
    static const KernelVersion kAll = parse_kernel_version("2.6");
    const auto& v = p.vmalloc_end_rules;
    long i = last_entry_for(v.begin(), v.end(), p.kernel, [&](const VmallocEndRule& r) {
        return r.since ? *r.since : kAll;
    });
    return i < 0 ? nullptr : &v[size_t(i)];
}

X86FixmapConfig x86_fixmap_config(const Profile& p) {
    X86FixmapConfig fc = p.config.x86;
    if (p.config.nr_cpus_given) fc.nr_cpus = p.config.nr_cpus;
    fc.highmem = p.config.highmem;
    fc.pae = p.config.pae;
    return fc;
}

std::optional<uint32_t> resolve_vmalloc_end(const Profile& p) {
    const VmallocEndRule* hit = vmalloc_end_rule(p);
    if (!hit) return std::nullopt;
    uint64_t v = hit->page_offset_relative ? p.config.page_offset + hit->value : hit->value;
    if (v > 0xffffffffULL) return std::nullopt;
    return uint32_t(v);
}

namespace {
bool looks_like_path(const std::string& s) {
    auto ends = [&](const char* suf) {
        size_t n = std::char_traits<char>::length(suf);
        return s.size() >= n && s.compare(s.size() - n, n, suf) == 0;
    };
    return s.find('/') != std::string::npos || ends(".yaml") || ends(".yml");
}

// The folders -p NAME searches, in order, each with what --list-profiles calls it.
struct SearchDir {
    std::string path;
};

// share/kmemkit/profiles of the prefix the running binary is installed in: the binary is
// PREFIX/BINDIR/tool (readlink /proc/self/exe), the profiles PREFIX/DATADIR/kmemkit/profiles
// (GNUInstallDirs, relative to the prefix unless the build gave an absolute DATADIR).  None when
// the binary is not in a BINDIR (the build tree): its profiles are the built-in ones.
std::string installed_profile_dir() {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return {};
    std::string exe(buf, size_t(n));
    std::string dir = exe.substr(0, exe.rfind('/'));
    const std::string bindir = KMEMKIT_INSTALL_BINDIR, datadir = KMEMKIT_INSTALL_DATADIR;
    std::string prefix;
    if (!bindir.empty() && bindir[0] == '/') {
        if (dir != bindir) return {};
    } else if (dir.size() > bindir.size() && dir.compare(dir.size() - bindir.size(), bindir.size(), bindir) == 0 &&
               dir[dir.size() - bindir.size() - 1] == '/') {
        prefix = dir.substr(0, dir.size() - bindir.size() - 1);
    } else {
        return {};
    }
    return (datadir[0] == '/' ? datadir : prefix + "/" + datadir) + "/kmemkit/profiles";
}

std::vector<SearchDir> search_path() {
    std::vector<SearchDir> dirs;
    if (const char* env = std::getenv("KMEMKIT_PROFILE_PATH")) {
        std::stringstream ss(env);
        std::string d;
        while (std::getline(ss, d, ':'))
            if (!d.empty()) dirs.push_back({d});
    }
    if (std::string d = installed_profile_dir(); !d.empty()) dirs.push_back({d});
    return dirs;
}

bool is_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

// NAME.yaml files of a folder, sorted (none when it cannot be read)
std::vector<std::string> yaml_names(const std::string& dir) {
    std::vector<std::string> names;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (const dirent* e = ::readdir(d)) {
            std::string f = e->d_name;
            if (f.size() > 5 && f.compare(f.size() - 5, 5, ".yaml") == 0 && f[0] != '.' &&
                is_file(dir + "/" + f))
                names.push_back(f.substr(0, f.size() - 5));
        }
        ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

Profile load_file(const std::string& path) {
    return parse_profile(read_input(path, kMaxProfileBytes, "profile"), path == "-" ? "<stdin>" : path);
}
}  // namespace

Profile load_profile(const std::string& name) {
    if (name.empty()) throw Error("empty profile name (see --list-profiles)");
    if (name == "-" || looks_like_path(name)) return load_file(name);
    for (const auto& d : search_path()) {
        std::string path = d.path + "/" + name + ".yaml";
        if (is_file(path)) return load_file(path);
    }
    for (const auto& e : embedded_profiles())
        if (name == e.name) {
            Profile p = parse_profile(e.yaml, std::string("<profile ") + e.name + ">");
            p.origin = "embedded";
            return p;
        }
    std::vector<std::string> names;
    for (const auto& info : list_profiles()) names.push_back(info.name);
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    const std::string near = nearest_word(name, names, 2);
    throw Error(fmt::format("unknown profile '{}'{} (known: {}; or give a path to a .yaml file)", name,
                            near.empty() ? "" : fmt::format(": did you mean '{}'?", near), known));
}

std::vector<ProfileInfo> list_profiles() {
    std::vector<ProfileInfo> out;
    std::set<std::string> seen;
    auto describe = [](const std::string& yaml, const std::string& origin) {
        try {
            return parse_profile(yaml, origin).description;
        } catch (const Error& e) {
            return std::string("(invalid: ") + e.message() + ")";
        }
    };
    for (const auto& d : search_path())
        for (const auto& n : yaml_names(d.path)) {
            if (!seen.insert(n).second) continue;   // an earlier folder's file is the one -p NAME loads
            const std::string path = d.path + "/" + n + ".yaml";
            std::string desc;
            try {
                desc = describe(read_input(path, kMaxProfileBytes, "profile"), path);
            } catch (const Error& e) {
                desc = std::string("(unreadable: ") + e.what() + ")";
            }
            out.push_back({n, desc, path});
        }
    for (const auto& e : embedded_profiles())
        if (seen.insert(e.name).second) out.push_back({e.name, describe(e.yaml, e.name), "built-in"});
    return out;
}

Board make_board(Profile p, const BoardOverrides& o) {
    if (o.kernel) {
        try {
            p.kernel = parse_kernel_version(*o.kernel);
        } catch (const Error& e) {
            throw Error(std::string("--kernel: ") + e.what());
        }
    }
    if (o.vmsplit) {
        p.config.page_offset = page_offset_for_vmsplit(p.arch, *o.vmsplit);
        p.config.vmsplit = *o.vmsplit;
    }
    if (o.highmem) p.config.highmem = *o.highmem;
    if (!o.ram.empty()) {
        p.ram = o.ram;
        std::sort(p.ram.begin(), p.ram.end(), [](const MemBank& a, const MemBank& b) { return a.start < b.start; });
        for (size_t i = 1; i < p.ram.size(); ++i)
            if (p.ram[i].start < p.ram[i - 1].end())
                throw Error(fmt::format("--ram banks {:#x}-{:#x} and {:#x}-{:#x} overlap", p.ram[i - 1].start,
                                        p.ram[i - 1].end() - 1, p.ram[i].start, p.ram[i].end() - 1));
        p.marks.ram.clear();
    }
    if (o.mem) {
        if (*o.mem == 0) throw Error("--mem 0: no memory");
        set_ram_size(p, *o.mem);
    }
    if (p.arch == Arch::x86 && p.config.page_offset == 0) throw Error("bad PAGE_OFFSET");
    if (p.arch == Arch::arm) p.vmalloc_end = resolve_vmalloc_end(p);
    if (auto fault = config_fault(p)) {
        // name the override that made a profile value wrong; point into the profile for the rest
        std::string by;
        if (fault->key == "config.vmsplit" && o.vmsplit) by = "--vmsplit " + *o.vmsplit;
        else if (fault->key == "ram" && (o.mem || !o.ram.empty())) by = o.mem ? "--mem" : "--ram";
        else if (o.kernel && (fault->key == "config.vmsplit" || fault->key == "vmalloc_end")) by = "--kernel " + *o.kernel;
        if (!by.empty() && (fault->key != "vmalloc_end" || !p.marks.vmalloc_end.line))
            throw Error(fmt::format("{}: {} (profile {})", by, fault->message, p.name));
        SourcePos at = fault_pos(p, *fault);
        throw Error(by.empty() ? fault->message : fmt::format("with {}: {}", by, fault->message), p.file, at.line, at.col);
    }
    Board b;
    std::string cl = o.cmdline ? *o.cmdline : p.cmdline;
    // setup_arch(): strlcpy(cmd_line, boot_command_line, COMMAND_LINE_SIZE) (arch/arm/kernel/setup.c,
    // arch/x86/kernel/setup.c v6.1; the boot loader's copy is cut the same way): the rest is lost
    const size_t keep = command_line_size(p.arch, p.kernel) - 1;
    if (cl.size() > keep) {
        b.warnings.push_back(fmt::format("{}the command line is {} characters; Linux {} keeps the first {} "
                                         "(COMMAND_LINE_SIZE {} on {}) and drops the rest",
                                         o.cmdline ? "--cmdline: " : "profile cmdline: ", cl.size(), p.kernel.text,
                                         keep, keep + 1, p.arch == Arch::arm ? "ARM" : "x86"));
        cl.resize(keep);
    }
    b.cmdline = parse_cmdline(cl);
    b.profile = std::move(p);
    if (!o.cmdline && o.mem)
        drop_cmdline_mem(b, *o.mem % (1u << 20) ? fmt::format("--mem {:#x}", *o.mem) : fmt::format("--mem {}M", *o.mem >> 20));
    else if (!o.cmdline && !o.ram.empty()) drop_cmdline_mem(b, "--ram");
    return b;
}

void set_ram_size(Profile& p, uint64_t size) {
    p.ram = {MemBank{p.ram.front().start, size}};
    p.marks.ram.clear();
}

void drop_cmdline_mem(Board& b, const std::string& what) {
    if (b.cmdline.mem.empty()) return;
    std::vector<std::string> dropped;
    b.cmdline = parse_cmdline(cmdline_without(b.cmdline.text, "mem", &dropped));
    std::string list;
    for (const auto& d : dropped) list += (list.empty() ? "" : " ") + d;
    b.notes.push_back(fmt::format("{} replaces {} of the kernel command line", what, list));
}

}  // namespace kmemkit
