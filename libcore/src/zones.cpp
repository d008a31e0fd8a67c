// compute_zones(): pfns, zones, memmap and the boot-time page totals, as
// free_area_init_node() / free_area_init_core() (mm/page_alloc.c) compute
// them from the zone sizes the architecture passes (ARM bootmem_init /
// zone_sizes_init, x86 zone_sizes_init).  The era-dependent accounting rules
// are in kZoneRules below, each row citing the source it was read from.
#include "kmemkit/zones.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {

namespace {

enum class MemmapRule {
    none,          // 2.6.18: no memmap accounting (M18 page_alloc.c:1978-2000)
    trunc_always,  // 2.6.19-2.6.23: (size * sizeof(struct page)) >> PAGE_SHIFT, printed even when 0
                   // (commit 0e0b864e069; bootlog x86-ubuntu-2.6.20: "HighMem zone: 0 pages used for memmap",
                   // 30656 pages -> 239)
    align_nonzero, // 2.6.24+: PAGE_ALIGN(size * sizeof(struct page)) >> PAGE_SHIFT, printed if != 0
                   // (V2632 page_alloc.c:3796; bootlog 2.6.31: 223230 pages -> 1744) [range 2.6.20 -> 2.6.31]
};
enum class HighmemCharge {
    reduce_present,   // <= 3.9: memmap taken from every zone, zone->present_pages reduced (V2632, V2637)
    managed_full,     // 3.10-4.8: memmap printed for HighMem too, managed = realsize (V310:4629-4666)
    not_charged,      // 4.9+: memmap only for lowmem zones (V49:5766, V61:7789) [range 3.10 -> 4.9; bootlog 4.14]
};
enum class ZonelistFmt {
    plain,         // "Built %i zonelists.  Total pages: %ld" (M18:1570; bootlog 2.6.20)
    mobility_order,// "Built %i zonelists in %s order, mobility grouping %s.  Total pages: %ld" (V2632:2782)
    mobility,      // "Built %i zonelists, mobility grouping %s.  Total pages: %ld" (4.14+: bootlog bpi-r2; V61:6696)
};
enum class RangesFmt {
    none,          // no "Zone PFN ranges" (x86 2.6.18; ARM before free_area_init(), ~5.8)
    pfn_dec,       // 2.6.19-2.6.23 "  %-8s %8lu -> %8lu" (bootlog x86-ubuntu-2.6.20)
    pfn_hex,       // 2.6.24-3.6 "  %-8s %0#10lx -> %0#10lx" (M28/V2632 page_alloc.c:4366; bootlogs 2.6.31, 3.2)
    mem32,         // 3.7-4.8 "  %-8s [mem %0#10lx-%0#10lx]" (V310:5081; bootlog 3.8) [range 3.2 -> 3.8]
    mem64,         // 4.9+ "%#018Lx" (V49:6285, V61:8326; bootlogs 4.13, 5.1, oracle 6.1)
};

struct ZoneRules {
    uint32_t since;
    MemmapRule memmap;
    HighmemCharge highmem;
    bool managed_pages;       // zone->managed_pages exists: batch and zonelist total use it (3.10+, V310)
    uint64_t batch_cap_bytes; // zone_batchsize cap: 512K (M18..4.14, bootlog bpi-r2 4.14 HighMem batch 31);
                              // 1M from 4.19? (bootlog 5.1 Normal batch 63) [range 4.14 -> 5.1]
    ZonelistFmt zonelist;
    bool debug_lines;         // "On node 0 totalpages" & zone lines printed with KERN_DEBUG; pr_debug in 6.1
                              // (absent from the oracle's 6.1 dmesg) [range 5.1 -> 6.1]
    bool unavailable_lines;   // 6.1 memmap_init(): "On node %d, zone %s: %lld pages in unavailable ranges"
    bool mem_total_line;      // ARM mem_init "Memory: %ldMB ... = %luMB total" (M18 init.c:637; until
                              // mem_init_print_info, bootlog rk3128 3.10 has it, rpi2 4.0 not) [range 3.10 -> 4.0]
    const char* source;
};

// clang-format off
const ZoneRules kZoneRules[] = {
    {kv(2,6,0),  MemmapRule::none,          HighmemCharge::reduce_present, false, 512u << 10, ZonelistFmt::plain,          true,  false, true,  "M18 mm/page_alloc.c (2.6.18)"},
    {kv(2,6,19), MemmapRule::trunc_always,  HighmemCharge::reduce_present, false, 512u << 10, ZonelistFmt::plain,          true,  false, true,  "M19 mm/page_alloc.c (2.6.19); bootlog 2.6.20"},
    {kv(2,6,24), MemmapRule::align_nonzero, HighmemCharge::reduce_present, false, 512u << 10, ZonelistFmt::mobility_order, true,  false, true,  "M24/V2632 mm/page_alloc.c"},
    {kv(3,10,0), MemmapRule::align_nonzero, HighmemCharge::managed_full,   true,  512u << 10, ZonelistFmt::mobility_order, true,  false, true,  "V310 mm/page_alloc.c:4629"},
    {kv(3,15,0), MemmapRule::align_nonzero, HighmemCharge::managed_full,   true,  512u << 10, ZonelistFmt::mobility_order, true,  false, false, "V310 + mem_init_print_info [range 3.10 -> 4.0]"},
    {kv(4,9,0),  MemmapRule::align_nonzero, HighmemCharge::not_charged,    true,  512u << 10, ZonelistFmt::mobility_order, true,  false, false, "V49 mm/page_alloc.c:5766"},
    {kv(4,14,0), MemmapRule::align_nonzero, HighmemCharge::not_charged,    true,  512u << 10, ZonelistFmt::mobility,       true,  false, false, "bootlog bpi-r2 4.14 (zonelist order removed)"},
    {kv(4,19,0), MemmapRule::align_nonzero, HighmemCharge::not_charged,    true,  1u << 20,   ZonelistFmt::mobility,       true,  false, false, "bootlog k7vt6 5.1 (batch cap 1M) [range 4.14 -> 5.1]"},
    {kv(6,0,0),  MemmapRule::align_nonzero, HighmemCharge::not_charged,    true,  1u << 20,   ZonelistFmt::mobility,       false, true,  false, "V61 mm/page_alloc.c:7789; oracle 6.1 logs"},
};
// clang-format on

const ZoneRules& rules_for(const KernelVersion& v) {
    const ZoneRules* r = &kZoneRules[0];
    for (const auto& row : kZoneRules)
        if (v.key() >= row.since) r = &row;
    return *r;
}

RangesFmt ranges_fmt(Arch a, const KernelVersion& v) {
    uint32_t k = v.key();
    // ARM called free_area_init_node() itself (no ranges print) until free_area_init()
    // took max_zone_pfn (V510 arch/arm/mm/init.c:121) [sheet: ~5.8]
    if (a == Arch::arm && k < kv(5, 8)) return RangesFmt::none;
    if (k < kv(2, 6, 19)) return RangesFmt::none;
    if (k < kv(2, 6, 24)) return RangesFmt::pfn_dec;
    if (k < kv(3, 7)) return RangesFmt::pfn_hex;
    if (k < kv(4, 9)) return RangesFmt::mem32;
    return RangesFmt::mem64;
}

uint64_t pfn_up(uint64_t a) { return (a + kPageSize - 1) >> kPageShift; }
uint64_t pfn_down(uint64_t a) { return a >> kPageShift; }

// zone_batchsize() (M18 page_alloc.c:1719; V2632; V61 page_alloc.c:7065)
unsigned batchsize(uint64_t pages, uint64_t cap_bytes) {
    uint64_t batch = pages / 1024;
    if (batch * kPageSize > cap_bytes) batch = cap_bytes / kPageSize;
    batch /= 4;
    if (batch < 1) batch = 1;
    uint64_t x = batch + batch / 2;
    uint64_t p = 1;
    while (p * 2 <= x) p *= 2;   // rounddown_pow_of_two
    return unsigned(p - 1);
}

// The pageblock order (include/linux/pageblock-flags.h): x86 with hugetlb
// HPAGE_SHIFT - PAGE_SHIFT (10, or 9 with PAE); ARM MAX_ORDER - 1.
unsigned pageblock_order(const Profile& p) {
    if (p.arch == Arch::x86) return p.config.pae ? 9 : 10;
    return p.config.max_order - 1;
}

}  // namespace

NodeMemory compute_zones(const Board& board, const Layout& l) {
    const Profile& p = board.profile;
    const ZoneRules& R = rules_for(p.kernel);
    const Era& era = *l.era;
    NodeMemory n;
    n.struct_page_size = p.config.struct_page_size;
    n.phys_offset = l.phys_offset;
    n.page_offset = l.page_offset;
    n.high_memory = l.high_memory;
    n.min_low_pfn = l.min_low_pfn;
    n.max_low_pfn = l.max_low_pfn;
    n.max_pfn = l.max_pfn;

    // The RAM the zones are built from: the lowmem and highmem banks (memory the
    // kernel dropped is not in any zone).
    std::vector<PfnRange> ram;
    for (const auto* v : {&l.lowmem_banks, &l.highmem_banks})
        for (const auto& b : *v) {
            uint64_t s = pfn_up(b.start), e = pfn_down(b.end());
            if (e > s) ram.push_back({s, e});
        }
    std::sort(ram.begin(), ram.end(), [](const PfnRange& a, const PfnRange& b) { return a.start < b.start; });
    // merge touching ranges (the kernel splits a bank at the lowmem limit; memblock merges)
    std::vector<PfnRange> merged;
    for (const auto& r : ram) {
        if (!merged.empty() && merged.back().end >= r.start) merged.back().end = std::max(merged.back().end, r.end);
        else merged.push_back(r);
    }
    ram = merged;
    if (ram.empty()) throw Error("no RAM left for the zones (every bank was dropped)");
    if (p.arch == Arch::x86 && p.kernel.key() < kv(2, 6, 27)) {
        // i386 up to 2.6.2x: zone_sizes_init() passes zones_size (2.6.18, M18 setup.c:1183) or registers
        // add_active_range(0, 0, highend_pfn) (2.6.19+; bootlog x86-ubuntu-2.6.20 "0: 0 -> 260032"):
        // no e820 holes [range 2.6.20 -> 2.6.31]
        ram = {{0, l.max_pfn}};
    }
    n.node_start_pfn = ram.front().start;
    uint64_t node_end = ram.back().end;
    n.node_spanned_pages = node_end - n.node_start_pfn;

    // the zones the configuration has, with their architectural pfn limits
    struct Spec { const char* name; bool highmem; uint64_t lo, hi; };
    std::vector<Spec> specs;
    uint64_t max_low = l.max_low_pfn, max_pfn = l.max_pfn;
    bool has_highmem_zone = p.config.highmem && era.highmem_supported;
    if (p.arch == Arch::x86) {
        // arch/x86 zone_sizes_init: ZONE_DMA = MAX_DMA_PFN (16 MB), NORMAL = max_low_pfn,
        // HIGHMEM = highend_pfn (M19 setup.c:1084; V2637 init_32.c:677; V61 arch/x86/mm/init.c:1021)
        uint64_t dma_end = std::min<uint64_t>(4096, max_low);
        specs.push_back({"DMA", false, 0, dma_end});
        specs.push_back({"Normal", false, dma_end, max_low});
        if (p.config.highmem) specs.push_back({"HighMem", true, max_low, max_pfn});
    } else {
        if (era.arm_zone0_is_dma) {
            // 2.6.18-2.6.27: zone 0 is ZONE_DMA; all lowmem goes there (M18 init.c bootmem_init_node)
            specs.push_back({"DMA", false, n.node_start_pfn, max_low});
            specs.push_back({"Normal", false, max_low, max_low});
        } else if (p.config.zone_dma) {
            // arm_adjust_dma_zone (3.x, V310) / max_zone_pfn[ZONE_DMA] = min(arm_dma_pfn_limit, max_low)
            // (V61 arch/arm/mm/init.c zone_sizes_init); no dma_zone_size: arm_dma_limit = 0xffffffff
            uint64_t dma_end = max_low;
            if (p.config.dma_zone_size)
                dma_end = std::min(max_low, pfn_down(l.phys_offset + *p.config.dma_zone_size));
            specs.push_back({"DMA", false, n.node_start_pfn, dma_end});
            specs.push_back({"Normal", false, dma_end, max_low});
        } else {
            specs.push_back({"Normal", false, n.node_start_pfn, max_low});
        }
        if (has_highmem_zone) specs.push_back({"HighMem", true, max_low, max_pfn});
    }
    if (p.kernel.key() >= kv(2, 6, 23)) specs.push_back({"Movable", false, 0, 0});   // ZONE_MOVABLE, empty

    const uint64_t sps = p.config.struct_page_size;
    uint64_t nr_kernel = 0, nr_all = 0;
    for (size_t j = 0; j < specs.size(); ++j) {
        const Spec& s = specs[j];
        Zone z;
        z.name = s.name;
        z.index = int(j);
        z.is_highmem = s.highmem;
        // zone_spanned_pages_in_node(): the zone's limits clamped to the node
        uint64_t lo = std::max(s.lo, n.node_start_pfn), hi = std::min(s.hi, node_end);
        if (std::string(s.name) != "Movable" && hi > lo) {
            z.zone_start_pfn = lo;
            z.zone_end_pfn = hi;
            z.spanned_pages = hi - lo;
            for (const auto& r : ram) {
                uint64_t a = std::max(r.start, lo), b = std::min(r.end, hi);
                if (b > a) {
                    z.present.push_back({a, b});
                    z.present_pages += b - a;
                }
            }
            z.holes = z.spanned_pages - z.present_pages;
        }
        z.populated = z.present_pages > 0;
        // free_area_init_core()
        uint64_t size = z.spanned_pages, realsize = z.present_pages, freesize = realsize;
        if (R.memmap != MemmapRule::none) {
            uint64_t bytes = size * sps;
            z.memmap_pages = R.memmap == MemmapRule::trunc_always ? bytes >> kPageShift
                                                                  : (bytes + kPageSize - 1) >> kPageShift;
            bool charge = !(z.is_highmem && R.highmem == HighmemCharge::not_charged);
            if (charge && freesize >= z.memmap_pages) {
                freesize -= z.memmap_pages;
                z.memmap_charged = true;
            }
        }
        // dma_reserve: 0 on ARM and on i386 (set_dma_reserve is x86_64-only)
        if (R.memmap != MemmapRule::none && j == 0 && freesize > z.dma_reserve) freesize -= z.dma_reserve;
        if (!z.is_highmem) nr_kernel += freesize;
        else if (R.highmem == HighmemCharge::not_charged && nr_kernel > z.memmap_pages * 2)
            nr_kernel -= z.memmap_pages;   // "Charge for highmem memmap if there are enough kernel pages"
        nr_all += freesize;
        z.nr_kernel_pages = freesize;
        if (R.managed_pages) {
            z.kernel_present_pages = realsize;
            z.managed_pages = (z.is_highmem && R.highmem == HighmemCharge::managed_full) ? realsize : freesize;
        } else {
            z.kernel_present_pages = freesize;
            z.managed_pages = freesize;
        }
        z.batch = batchsize(R.managed_pages ? z.managed_pages : z.kernel_present_pages, R.batch_cap_bytes);
        n.node_present_pages += z.present_pages;
        n.zones.push_back(std::move(z));
    }
    n.nr_kernel_pages = nr_kernel;
    n.nr_all_pages = nr_all;
    // highest_memmap_pfn = max(end_pfn - 1) over the zones (memmap_init_zone, 2.6.29+)
    for (const auto& z : n.zones)
        if (z.spanned_pages) n.highest_memmap_pfn = std::max(n.highest_memmap_pfn, z.zone_end_pfn - 1);
    // alloc_node_mem_map(): [node_start & ~(MAX_ORDER_NR_PAGES-1), ALIGN(node_end, MAX_ORDER_NR_PAGES))
    uint64_t mo = uint64_t(1) << (p.config.max_order - 1);
    uint64_t ms = n.node_start_pfn & ~(mo - 1), me = (node_end + mo - 1) & ~(mo - 1);
    n.memmap_bytes = (me - ms) * sps;
    n.mem_map_pages = (n.memmap_bytes + kPageSize - 1) >> kPageShift;
    // build_all_zonelists(): nr_free_pagecache_pages(), watermarks still 0 at that point:
    // the sum of present_pages (<= 3.9) or managed_pages (3.10+)
    for (const auto& z : n.zones) n.total_pages_zonelists += R.managed_pages ? z.managed_pages : z.kernel_present_pages;
    n.total_pages_known = true;

    // totalram_pages: the RAM minus what the kernel keeps for itself, which only the profile knows
    if (!p.reserved.empty()) {
        uint64_t reserved = 0;
        for (const auto& r : p.reserved) reserved += pfn_up(r.start + r.size) - pfn_down(r.start);
        uint64_t total = n.node_present_pages;
        uint64_t take = reserved + n.mem_map_pages;
        n.totalram_pages = total > take ? total - take : 0;
        n.totalram_known = true;
        n.totalram_note = "RAM pages minus the profile's reservations and mem_map";
    } else {
        n.totalram_note = "unknown: the profile lists no boot reservations (kernel image, initrd, page tables)";
    }
    if (R.memmap != MemmapRule::none)
        n.notes.push_back("memmap pages from the zone span (FLATMEM); SPARSEMEM kernels use present pages "
                          "for zones with large holes");
    return n;
}

const Zone* zone_of_pfn(const NodeMemory& n, uint64_t pfn, bool present_only) {
    for (const auto& z : n.zones) {
        if (!z.spanned_pages || pfn < z.zone_start_pfn || pfn >= z.zone_end_pfn) continue;
        if (!present_only) return &z;
        for (const auto& r : z.present)
            if (pfn >= r.start && pfn < r.end) return &z;
        return nullptr;
    }
    return nullptr;
}

std::vector<std::string> kernel_zone_lines(const NodeMemory& n, const Board& board, const Layout& l) {
    const Profile& p = board.profile;
    const ZoneRules& R = rules_for(p.kernel);
    std::vector<std::string> out;
    RangesFmt rf = ranges_fmt(p.arch, p.kernel);
    // the PFN ranges the ranges block prints: arch_zone_lowest/highest_possible_pfn
    // (zone 0 starts at the lowest active pfn, each next zone where the previous ended)
    if (rf != RangesFmt::none) {
        out.push_back(rf == RangesFmt::mem32 || rf == RangesFmt::mem64 ? "Zone ranges:" : "Zone PFN ranges:");
        uint64_t prev_end = n.node_start_pfn;
        for (const auto& z : n.zones) {
            if (z.name == "Movable") continue;
            uint64_t lo = prev_end, hi = z.spanned_pages ? z.zone_end_pfn : prev_end;
            if (z.index == 0) lo = rf == RangesFmt::pfn_dec || rf == RangesFmt::pfn_hex ? 0 : n.node_start_pfn;
            if (rf == RangesFmt::pfn_hex && z.index == 0 && p.kernel.key() >= kv(2, 6, 26)) lo = n.node_start_pfn;
            prev_end = std::max(hi, prev_end);
            switch (rf) {
            case RangesFmt::pfn_dec: out.push_back(fmt::format("  {:<8} {:8} -> {:8}", z.name, lo, hi)); break;
            case RangesFmt::pfn_hex: out.push_back(fmt::format("  {:<8} {:#010x} -> {:#010x}", z.name, lo, hi)); break;
            case RangesFmt::mem32:
                out.push_back(hi > lo ? fmt::format("  {:<8} [mem {:#010x}-{:#010x}]", z.name, lo << 12, (hi << 12) - 1)
                                      : fmt::format("  {:<8} empty", z.name));
                break;
            default:
                out.push_back(hi > lo ? fmt::format("  {:<8} [mem {:#018x}-{:#018x}]", z.name, lo << 12, (hi << 12) - 1)
                                      : fmt::format("  {:<8} empty", z.name));
            }
        }
        std::vector<PfnRange> act;
        for (const auto& z : n.zones)
            for (const auto& r : z.present) {
                if (!act.empty() && act.back().end == r.start) act.back().end = r.end;
                else act.push_back(r);
            }
        if (rf == RangesFmt::pfn_dec) {
            out.push_back(fmt::format("early_node_map[{}] active PFN ranges", act.size()));
            for (const auto& r : act) out.push_back(fmt::format("  {:3}: {:8} -> {:8}", 0, r.start, r.end));
        } else if (rf == RangesFmt::pfn_hex) {
            out.push_back("Movable zone start PFN for each node");
            out.push_back(fmt::format("early_node_map[{}] active PFN ranges", act.size()));
            for (const auto& r : act) out.push_back(fmt::format("  {:3}: {:#010x} -> {:#010x}", 0, r.start, r.end));
        } else {
            out.push_back("Movable zone start for each node");
            out.push_back("Early memory node ranges");
            for (const auto& r : act)
                out.push_back(rf == RangesFmt::mem32
                                  ? fmt::format("  node {:3}: [mem {:#010x}-{:#010x}]", 0, r.start << 12, (r.end << 12) - 1)
                                  : fmt::format("  node {:3}: [mem {:#018x}-{:#018x}]", 0, r.start << 12, (r.end << 12) - 1));
            if (R.unavailable_lines) {
                uint64_t ns = act.front().start, ne = act.back().end;
                out.push_back(fmt::format("Initmem setup node 0 [mem {:#018x}-{:#018x}]", ns << 12, (ne << 12) - 1));
                // memmap_init() (V61 mm/page_alloc.c): the holes before each memory range, inside a
                // zone, from pfn 0 on; only pfn_valid() pages count (pfns >= ARCH_PFN_OFFSET)
                uint64_t hole = 0, arch_pfn_offset = p.arch == Arch::arm ? l.phys_offset >> kPageShift : 0;
                for (const auto& r : act)
                    for (const auto& z : n.zones) {
                        if (!z.spanned_pages) continue;
                        uint64_t a = std::max(r.start, z.zone_start_pfn), b = std::min(r.end, z.zone_end_pfn);
                        if (a >= b) continue;
                        uint64_t from = std::max(hole, arch_pfn_offset);
                        if (a > from)
                            out.push_back(fmt::format("On node 0, zone {}: {} pages in unavailable ranges", z.name, a - from));
                        hole = b;
                    }
            }
        }
    }
    if (R.debug_lines) {
        out.push_back(fmt::format("On node 0 totalpages: {}", n.node_present_pages));
        for (const auto& z : n.zones) {
            bool memmap_line = R.memmap == MemmapRule::trunc_always ||
                               (R.memmap == MemmapRule::align_nonzero && z.memmap_pages);
            if (z.is_highmem && R.highmem == HighmemCharge::not_charged) memmap_line = false;
            if (z.name == "Movable" && R.memmap == MemmapRule::trunc_always) memmap_line = false;
            if (memmap_line) {
                if (z.memmap_charged || z.memmap_pages == 0)
                    out.push_back(fmt::format("  {} zone: {} pages used for memmap", z.name, z.memmap_pages));
                else
                    out.push_back(fmt::format("  {} zone: {} pages exceeds {} {}", z.name, z.memmap_pages,
                                              R.managed_pages ? "freesize" : "realsize", z.present_pages));
            }
            if (R.memmap != MemmapRule::none && z.index == 0 && z.present_pages > z.memmap_pages)
                out.push_back(fmt::format("  {} zone: {} pages reserved", z.name, z.dma_reserve));
            if (z.kernel_present_pages)
                out.push_back(fmt::format("  {} zone: {} pages, LIFO batch:{}", z.name, z.kernel_present_pages, z.batch));
        }
    }
    // build_all_zonelists(); mobility grouping off when vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES
    // (V2632 page_alloc.c:2777; V61:6690).  MIGRATE_TYPES taken as 5 (2.6.24+ with ISOLATE; 4.x+
    // UNMOVABLE..HIGHATOMIC + ISOLATE, no CMA).
    uint64_t total = n.total_pages_zonelists;
    bool grouping = total >= (uint64_t(1) << pageblock_order(p)) * 5;
    switch (R.zonelist) {
    case ZonelistFmt::plain: out.push_back(fmt::format("Built 1 zonelists.  Total pages: {}", total)); break;
    case ZonelistFmt::mobility_order:
        out.push_back(fmt::format("Built 1 zonelists in Zone order, mobility grouping {}.  Total pages: {}",
                                  grouping ? "on" : "off", total));
        break;
    case ZonelistFmt::mobility:
        out.push_back(fmt::format("Built 1 zonelists, mobility grouping {}.  Total pages: {}", grouping ? "on" : "off", total));
        break;
    }
    if (p.arch == Arch::arm && R.mem_total_line) {
        // mem_init(): " %ldMB" per bank (meminfo banks; memblock regions from 3.x), " = %luMB total"
        std::string s = "Memory:";
        uint64_t pages = 0;
        std::vector<MemBank> banks;
        for (const auto* v : {&l.lowmem_banks, &l.highmem_banks})
            for (const auto& b : *v) banks.push_back(b);
        std::sort(banks.begin(), banks.end(), [](const MemBank& a, const MemBank& b) { return a.start < b.start; });
        if (p.kernel.key() >= kv(3, 7)) {   // memblock regions: touching banks are one region
            std::vector<MemBank> m;
            for (const auto& b : banks) {
                if (!m.empty() && m.back().end() == b.start) m.back().size += b.size;
                else m.push_back(b);
            }
            banks = m;
        }
        for (const auto& b : banks) {
            s += fmt::format(" {}MB", b.size >> 20);
            pages += b.size >> kPageShift;
        }
        s += fmt::format(" = {}MB total", pages >> 8);
        out.push_back(s);
    }
    return out;
}

}  // namespace kmemkit
