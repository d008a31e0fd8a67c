// rules_for(): the one lookup over the kernel rule tables.
#include "kmemkit/kernel/rules.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <tuple>

#include "kmemkit/kernel/x86_fixmap.hpp"

namespace kmemkit {

namespace {
template <class Row>
std::vector<Row> checked(std::vector<Row> rows) {
    // rows ascend: a row out of order would silently shadow its neighbours
    for (size_t i = 1; i < rows.size(); ++i)
        if (rows[i].since < rows[i - 1].since) std::abort();
    return rows;
}
std::vector<KmapRule> kmap_of(Arch a) {
    std::vector<KmapRule> out;
    for (const auto& r : kernel_tables::kmap_rows())
        if (r.arch == a) out.push_back(r);
    return checked(out);
}
}  // namespace

const std::vector<Era>& layout_table(Arch arch) {
    static const std::vector<Era> arm = checked(kernel_tables::layout_rows_arm());
    static const std::vector<Era> x86 = checked(kernel_tables::layout_rows_x86());
    return arch == Arch::arm ? arm : x86;
}
unsigned command_line_size(Arch arch, const KernelVersion& v) {
    // ARM: 1024 in every release modelled (include/asm-arm/setup.h v2.6.18,
    // arch/arm/include/uapi/asm/setup.h v6.1); setup_arch() keeps strlcpy(cmd_line, ..., COMMAND_LINE_SIZE).
    if (arch == Arch::arm) return 1024;
    // x86: 256 until 2.6.21 (include/asm-i386/setup.h v2.6.20), 2048 from 2.6.22 (boot protocol 2.06,
    // Documentation/i386/boot.txt: "Before protocol version 2.06, the maximum was 255 characters";
    // arch/x86/include/asm/setup.h v6.1)
    return v.at_least(kv(2, 6, 22)) ? 2048 : 256;
}

const std::vector<MmEra>& mm_table() {
    static const std::vector<MmEra> t = checked(kernel_tables::mm_rows());
    return t;
}
const std::vector<ZoneRules>& zone_table() {
    static const std::vector<ZoneRules> t = checked(kernel_tables::zone_rows());
    return t;
}
const std::vector<KmapRule>& kmap_table(Arch arch) {
    static const std::vector<KmapRule> arm = kmap_of(Arch::arm);
    static const std::vector<KmapRule> x86 = kmap_of(Arch::x86);
    return arch == Arch::arm ? arm : x86;
}

namespace {
// The mainline releases modelled, oldest first (2.6.18 .. 2.6.39, 3.0 .. 3.19,
// 4.0 .. 4.20, 5.0 .. 5.19, 6.0 ..): where an x86 fixmap boundary may fall, and
// the release before a candidate.
const std::vector<KernelVersion>& mainline_releases() {
    static const std::vector<KernelVersion> list = [] {
        std::vector<KernelVersion> out;
        auto add = [&](std::string text) { out.push_back(parse_kernel_version(text)); };
        for (unsigned p = 18; p <= 39; ++p) add(fmt::format("2.6.{}", p));
        const unsigned last_minor[] = {19, 20, 19, 12};   // 3.19, 4.20, 5.19, 6.12 (the newest rules read are older)
        for (unsigned m = 3; m <= 6; ++m)
            for (unsigned n = 0; n <= last_minor[m - 3]; ++n) add(fmt::format("{}.{}", m, n));
        return out;
    }();
    return list;
}

// What enum fixed_addresses gives a release, for a few configurations (the
// defaults, PAE, every option on, HIGHMEM off): equal for two releases when
// no fixmap rule tells them apart.
auto x86_fixmap_signature(const KernelVersion& v) {
    std::vector<std::tuple<unsigned, unsigned, unsigned, bool, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t>> sig;
    X86FixmapConfig all;
    all.pae = all.paravirt_xxl = all.paravirt_clock = all.debug_highmem = all.debug_kmap_local = all.visws = true;
    all.f00f_bug = all.cyclone_timer = all.intel_mid = all.ohci1394_dma_init = all.intel_txt = true;
    all.reservetop = 16u << 20;
    X86FixmapConfig pae, lowmem;
    pae.pae = true;
    lowmem.highmem = lowmem.paravirt = false;
    for (const X86FixmapConfig& c : {X86FixmapConfig{}, pae, all, lowmem}) {
        X86Fixmap f = x86_fixmap(v, c);
        sig.emplace_back(f.end_of_permanent, f.end_of_fixed, f.fix_kmap_begin, f.has_kmap, f.fixaddr_start,
                         f.fixaddr_boot_start, f.cpu_entry_start, f.pkmap_base, f.vmalloc_end);
    }
    return sig;
}

std::string release_text(VersionKey k) {
    unsigned major = unsigned(k >> 48), minor = unsigned(k >> 36) & 0xfff, patch = unsigned(k >> 20) & 0xffff;
    return major == 2 || patch ? fmt::format("{}.{}.{}", major, minor, patch) : fmt::format("{}.{}", major, minor);
}
}  // namespace

std::vector<KernelVersion> release_candidates(Arch arch) {
    const VersionKey oldest = kv(2, 6, 18);
    std::vector<VersionKey> keys{oldest};
    auto take = [&](const auto& rows) {
        for (const auto& r : rows)
            if (r.since > oldest) keys.push_back(r.since);
    };
    take(layout_table(arch));
    take(zone_table());
    take(mm_table());
    take(kmap_table(arch));
    if (arch == Arch::x86) {
        const auto& rel = mainline_releases();
        for (size_t i = 1; i < rel.size(); ++i)
            if (x86_fixmap_signature(rel[i]) != x86_fixmap_signature(rel[i - 1]))
                keys.push_back(kv(rel[i].major, rel[i].minor, rel[i].patch));
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<KernelVersion> out;
    for (VersionKey k : keys) out.push_back(parse_kernel_version(release_text(k)));
    return out;
}

std::string release_range_text(const std::vector<KernelVersion>& cands, size_t first, size_t last) {
    if (last + 1 >= cands.size()) return cands[first].text + " or later";
    // the release before the next candidate: the mainline one before it, else the patch level before
    const KernelVersion& next = cands[last + 1];
    const auto& rel = mainline_releases();
    std::string before;
    for (size_t i = 1; i < rel.size(); ++i)
        if (rel[i] == next) before = rel[i - 1].text;
    if (before.empty()) before = next.patch ? release_text(kv(next.major, next.minor, next.patch - 1)) : next.text;
    return before == cands[first].text ? before : cands[first].text + "-" + before;
}

KernelRules rules_for(Arch arch, const KernelVersion& v) {
    KernelRules r;
    r.layout = &row_for(layout_table(arch), v);
    r.mm = &row_for(mm_table(), v);
    r.zones = &row_for(zone_table(), v);
    r.kmap = &row_for(kmap_table(arch), v);
    return r;
}

}  // namespace kmemkit
