// compute_zones(): pfns, zones, memmap and the boot-time page totals, as
// free_area_init_node() / free_area_init_core() (mm/page_alloc.c) compute
// them from the zone sizes the architecture passes (ARM bootmem_init /
// zone_sizes_init, x86 zone_sizes_init).  The era-dependent accounting rules
// are in kZoneRules below, each row citing the source it was read from.
#include "kmemkit/zones.hpp"

#include <algorithm>
#include <optional>
#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/kernel/messages.hpp"
#include "kmemkit/kernel/rules.hpp"

namespace kmemkit {

namespace {

// a zone-report line in the format the reader reads it back with (kernel/messages.hpp)
template <class... A>
std::string zline(const kmsg::ZoneLineFormat& z, A&&... a) {
    return print_message(z.format, std::forward<A>(a)...);
}

uint64_t pfn_up(uint64_t a) { return (a + kPageSize - 1) >> kPageShift; }
uint64_t pfn_down(uint64_t a) { return a >> kPageShift; }

// zone_batchsize() (v2.6.18 page_alloc.c:1719; v2.6.32.9; v6.1 page_alloc.c:7065)
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


// Pages of `ranges` (sorted or not, possibly overlapping) that lie inside `ram`.
uint64_t pages_in_ram(std::vector<PfnRange> ranges, const std::vector<PfnRange>& ram) {
    std::sort(ranges.begin(), ranges.end(), [](const PfnRange& a, const PfnRange& b) { return a.start < b.start; });
    std::vector<PfnRange> u;   // union
    for (const auto& r : ranges) {
        if (r.end <= r.start) continue;
        if (!u.empty() && u.back().end >= r.start) u.back().end = std::max(u.back().end, r.end);
        else u.push_back(r);
    }
    uint64_t pages = 0;
    for (const auto& r : u)
        for (const auto& m : ram) {
            uint64_t a = std::max(r.start, m.start), b = std::min(r.end, m.end);
            if (b > a) pages += b - a;
        }
    return pages;
}

// The kernel image in physical addresses, [lowest section start, _end): _end is the end of .bss
// (vmlinux.lds.S of every era: "_end = ." after .bss); nothing when the profile does not give .bss.
std::optional<PfnRange> image_pa(const Profile& p, const Layout& l) {
    if (!p.bss || !p.bss->range) return std::nullopt;
    uint64_t start = p.bss->range->start, end = p.bss->range->end;
    for (const auto* sec : {&p.text, &p.init, &p.data})
        if (*sec && (*sec)->range) start = std::min(start, (*sec)->range->start);
    if (start < l.page_offset || end < start) return std::nullopt;
    return PfnRange{start - l.page_offset + l.phys_offset, end - l.page_offset + l.phys_offset};
}

// i386 2.6.18-2.6.24 head.S: the boot page tables start at pg0 = PAGE_ALIGN(_end) (vmlinux.lds.S) and
// grow one 4 KB table (4 MB mapped) at a time until the mapping covers INIT_MAP_BEYOND_END (128 KB)
// past the tables; init_pg_tables_end is their end (v2.6.18 arch/i386/kernel/head.S).
uint64_t i386_init_pg_tables_end(uint64_t end_pa) {
    const uint64_t pg0 = (end_pa + kPageSize - 1) & ~uint64_t(kPageSize - 1);
    uint64_t n = 0;
    do ++n;
    while ((n << 22) < pg0 + n * kPageSize + (128u << 10));
    return pg0 + n * kPageSize;
}

// min_low_pfn as the kernel stores it.
void set_min_low_pfn(NodeMemory& n, const Profile& p, const Layout& l) {
    const Era& era = *l.era;
    if (p.arch == Arch::arm) {
        if (l.pfns_are_counts) {
            // bootmem_init() sets only max_low_pfn/max_pfn and init_bootmem_node() leaves min_low_pfn
            // alone (v2.6.18 arch/arm/mm/init.c, mm/bootmem.c; same in v2.6.32.9/v3.10.99)
            n.min_low_pfn = 0;
            n.min_low_pfn_note = "never set on ARM before 3.12: init_bootmem_node() leaves it alone";
        } else {
            // bootmem_init(): min_low_pfn = min = PFN_UP(memblock_start_of_DRAM()), set with the real
            // max_low_pfn/max_pfn (commit "ARM: 7805/1", 3.12; v4.9/v6.1 arch/arm/mm/init.c)
            n.min_low_pfn = n.first_pfn;
            n.min_low_pfn_note = "first RAM pfn (bootmem_init, find_limits)";
        }
        return;
    }
    if (era.x86_min_low_pfn == X86MinLowPfn::init_pg_tables_end) {
        // setup_memory(): min_low_pfn = PFN_UP(init_pg_tables_end) (v2.6.18 arch/i386/kernel/setup.c)
        if (auto img = image_pa(p, l)) {
            n.min_low_pfn = pfn_up(i386_init_pg_tables_end(img->end));
            n.min_low_pfn_note = "PFN_UP(init_pg_tables_end): the boot page tables after _end (setup_memory)";
        } else {
            n.min_low_pfn_known = false;
            n.min_low_pfn_note = "PFN_UP(init_pg_tables_end), the end of the boot page tables after the kernel "
                                 "image: the profile gives no image.bss (_end)";
        }
    } else if (era.x86_min_low_pfn == X86MinLowPfn::not_modelled) {
        // head_32.S builds PAE-format tables from 2.6.25 (commit 551889a6e2a2) and setup_32.c places the
        // bootmem bitmap with find_e820_area(): not modelled [range 2.6.25 -> 2.6.29]
        n.min_low_pfn_known = false;
        n.min_low_pfn_note = "the 2.6.25-2.6.28 i386 boot page tables and bitmap placement are not modelled";
    } else {
        // "Remove min_low_pfn reference, it is always 0" (commit fc5efe3941c4, 2009-03; init_32.c
        // setup_node_bootmem / nobootmem never set it)
        n.min_low_pfn = 0;
        n.min_low_pfn_note = "never set on x86-32 from 2.6.29 (commit fc5efe3941c4: \"it is always 0\")";
    }
}

// x86 4.15-4.17 zero_resv_unavail(): pages of memblock.reserved that are not memblock.memory, below
// max_pfn.  x86 reserves [0, 64K) (trim_low_memory_range, CONFIG_X86_RESERVE_LOW default 64) and
// [bios_start, 1M) (reserve_bios_regions: the BIOS base memory size, clamped to 0x20000..0x9f000 and
// rounded down to a page); e820 holes are never reserved (arch/x86/kernel/setup.c, ebda.c of 4.15).
uint64_t x86_reserved_unavailable(const std::vector<PfnRange>& ram, uint64_t max_pfn) {
    uint64_t bios_start = 0x9f000;   // BIOS_START_MAX
    for (const auto& r : ram)
        if (r.start < 0xa0 && r.end > r.start) bios_start = std::clamp<uint64_t>(r.end << kPageShift, 0x20000, 0x9f000);
    std::vector<PfnRange> resv{{0, 0x10000 >> kPageShift}, {bios_start >> kPageShift, 0x100000 >> kPageShift}};
    uint64_t pages = 0;
    for (const auto& r : resv)
        for (uint64_t pfn = r.start; pfn < std::min(r.end, max_pfn); ++pfn) {
            bool in_ram = false;
            for (const auto& m : ram) in_ram = in_ram || (pfn >= m.start && pfn < m.end);
            if (!in_ram) ++pages;
        }
    return pages;
}

// totalram_pages when mem_init() has handed the boot allocator's free pages to the buddy allocator:
// every RAM page of the zones except those still reserved.  free_all_bootmem() returns the bootmem
// bitmap too (v2.6.18 mm/bootmem.c free_all_bootmem_core "free the allocator bitmap itself"; memblock
// eras have none), highmem pages are freed one by one (ARM free_highpages, x86 set_highmem_pages_init),
// so what stays out is: the profile's reservations, the kernel image, and mem_map (alloc_node_mem_map
// takes it from the boot allocator).
void set_totalram(NodeMemory& n, const Profile& p, const Layout& l, const std::vector<PfnRange>& ram) {
    if (p.reserved.empty()) {
        n.totalram_note = "unknown: the profile lists no boot reservations (kernel image, initrd, page tables)";
        return;
    }
    std::vector<PfnRange> resv;
    for (const auto& r : p.reserved) resv.push_back({pfn_down(r.start), pfn_up(r.start + r.size)});
    std::string image = "the image is not counted (the profile gives no image.bss)";
    if (auto img = image_pa(p, l)) {
        if (p.arch == Arch::x86 && l.era->x86_min_low_pfn == X86MinLowPfn::init_pg_tables_end && n.min_low_pfn_known)
            // setup_bootmem_allocator(): reserve_bootmem(HIGH_MEMORY, PFN_PHYS(min_low_pfn) + bitmap -
            // HIGH_MEMORY): 1 MB up to the boot page tables (the bitmap after them is freed again)
            resv.push_back({0x100000 >> kPageShift, n.min_low_pfn}), image = "the image and boot page tables (1 MB .. min_low_pfn)";
        else
            resv.push_back({pfn_down(img->start), pfn_up(img->end)}), image = "the kernel image";
    }
    n.reserved_pages = pages_in_ram(resv, ram);
    uint64_t ram_pages = 0, take = n.reserved_pages + n.mem_map_pages;
    for (const auto& r : ram) ram_pages += r.pages();
    n.totalram_pages = ram_pages > take ? ram_pages - take : 0;
    n.totalram_known = true;
    n.totalram_note = fmt::format("RAM pages minus the profile's {} reservation{}, {} and mem_map", p.reserved.size(),
                                  p.reserved.size() == 1 ? "" : "s", image);
    if (p.arch == Arch::arm && ram.size() > 1)
        n.notes.push_back("ARM gives back the mem_map of holes between banks (free_unused_memmap): not counted, "
                          "so totalram_pages may be a few pages low");
}

}  // namespace

NodeMemory compute_zones(const Board& board, const Layout& l) {
    const Profile& p = board.profile;
    const ZoneRules& R = zone_rules_for(p.kernel);
    const Era& era = *l.era;
    NodeMemory n;
    n.struct_page_size = p.config.struct_page_size;
    n.phys_offset = l.phys_offset;
    n.page_offset = l.page_offset;
    n.high_memory = l.high_memory;
    n.first_pfn = l.min_low_pfn;
    n.max_low_pfn = l.max_low_pfn;
    n.max_pfn = l.max_pfn;
    // the kernel's own values (layout.cpp: ARM page counts before 3.12, arch/arm/mm/init.c)
    n.kernel_max_low_pfn = l.kernel_max_low_pfn;
    n.kernel_max_pfn = l.kernel_max_pfn;
    n.pfns_are_counts = l.pfns_are_counts;

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
    const std::vector<PfnRange> ram_banks = ram;   // the RAM itself (the node may span holes)
    if (p.arch == Arch::x86 && era.x86_active_range_whole) {
        // i386 up to 2.6.2x: zone_sizes_init() passes zones_size (2.6.18, v2.6.18 setup.c:1183) or registers
        // add_active_range(0, 0, highend_pfn) (2.6.19+; bootlog x86-ubuntu-2.6.20 "0: 0 -> 260032"):
        // no e820 holes [range 2.6.20 -> 2.6.31]
        ram = {{0, l.max_pfn}};
    }
    n.node_start_pfn = ram.front().start;
    uint64_t node_end = ram.back().end;
    // a vendor carve-out leaves memblock after the zones were sized from the whole bank: it stays in the
    // node's span as a hole (profile vendor.carveout; bootlog tcc8920st 3.0: 131072 pages spanned, 98816 present)
    for (const auto& cut : p.carveouts) {
        n.node_start_pfn = std::min(n.node_start_pfn, pfn_down(cut.start));
        node_end = std::max(node_end, pfn_up(cut.end()));
    }
    n.node_spanned_pages = node_end - n.node_start_pfn;
    set_min_low_pfn(n, p, l);

    // the zones the configuration has, with their architectural pfn limits
    struct Spec { const char* name; bool highmem; uint64_t lo, hi; };
    std::vector<Spec> specs;
    uint64_t max_low = l.max_low_pfn, max_pfn = l.max_pfn;
    bool has_highmem_zone = p.config.highmem && era.highmem_supported;
    // 2.6.18 numbers the zones with #defines, all four always present: ZONE_DMA 0, ZONE_DMA32 1,
    // ZONE_NORMAL 2, ZONE_HIGHMEM 3, zone_names "DMA", "DMA32", "Normal", "HighMem" (v2.6.18
    // include/linux/mmzone.h:91-97, mm/page_alloc.c:83); 2.6.19 made DMA32 and HighMem optional
    // (enum zone_type; bootlog x86-ubuntu-2.6.20 lists DMA, Normal, HighMem)
    const bool fixed_zones = R.fixed_zone_numbers;
    if (p.arch == Arch::x86) {
        // arch/x86 zone_sizes_init: ZONE_DMA = MAX_DMA_PFN (16 MB), NORMAL = max_low_pfn,
        // HIGHMEM = highend_pfn (v2.6.19 setup.c:1084; v2.6.37 init_32.c:677; v6.1 arch/x86/mm/init.c:1021)
        uint64_t dma_end = std::min<uint64_t>(4096, max_low);
        specs.push_back({"DMA", false, 0, dma_end});
        if (fixed_zones) specs.push_back({"DMA32", false, dma_end, dma_end});
        specs.push_back({"Normal", false, dma_end, max_low});
        if (p.config.highmem) specs.push_back({"HighMem", true, max_low, max_pfn});
        else if (fixed_zones) specs.push_back({"HighMem", true, max_low, max_low});
    } else {
        if (era.arm_zone0_is_dma) {
            // 2.6.18-2.6.27: zone 0 is ZONE_DMA; all lowmem goes there (v2.6.18 init.c bootmem_init_node)
            specs.push_back({"DMA", false, n.node_start_pfn, max_low});
            if (fixed_zones) specs.push_back({"DMA32", false, max_low, max_low});
            specs.push_back({"Normal", false, max_low, max_low});
            if (fixed_zones) specs.push_back({"HighMem", true, max_low, max_low});
        } else if (p.config.zone_dma) {
            // arm_adjust_dma_zone (3.x, v3.10.99) / max_zone_pfn[ZONE_DMA] = min(arm_dma_pfn_limit, max_low)
            // (v6.1 arch/arm/mm/init.c zone_sizes_init); no dma_zone_size: arm_dma_limit = 0xffffffff
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
    if (R.zone_movable) specs.push_back({"Movable", false, 0, 0});   // ZONE_MOVABLE, empty

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
    // highest_memmap_pfn = max(end_pfn - 1) over the zones (memmap_init_zone; the variable exists from
    // 2.6.29, commit 22b31eec63e, v2.6.30 page_alloc.c:2618)
    n.has_highest_memmap_pfn = R.highest_memmap_pfn;
    if (n.has_highest_memmap_pfn)
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
    if (p.arch == Arch::x86 && R.unavail == UnavailRule::resv_after)
        n.unavailable_pages = x86_reserved_unavailable(ram_banks, l.max_pfn);

    set_totalram(n, p, l, ram_banks);
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

std::vector<KernelLine> kernel_zone_report(const NodeMemory& n, const Board& board, const Layout& l) {
    const Profile& p = board.profile;
    const ZoneRules& R = zone_rules_for(p.kernel);
    std::vector<KernelLine> out;
    auto info = [&](std::string s) { out.push_back({std::move(s), false}); };
    auto debug = [&](std::string s) { out.push_back({std::move(s), true}); };
    RangesFmt rf = l.era->zone_ranges_printed ? R.ranges : RangesFmt::none;
    // the PFN ranges the ranges block prints: arch_zone_lowest/highest_possible_pfn
    // (zone 0 starts at the lowest active pfn, each next zone where the previous ended)
    if (rf != RangesFmt::none) {
        info((rf == RangesFmt::mem32 || rf == RangesFmt::mem64 ? kmsg::zl::ranges_mem : kmsg::zl::ranges_pfn).format.print);
        uint64_t prev_end = n.node_start_pfn;
        for (const auto& z : n.zones) {
            if (z.name == "Movable") continue;
            uint64_t lo = prev_end, hi = z.spanned_pages ? z.zone_end_pfn : prev_end;
            // arch_zone_lowest_possible_pfn[0] = find_min_pfn_with_active_regions() in every release (i386 before
            // 2.6.27 registers its active range from pfn 0, so its node starts there)
            if (z.index == 0) lo = n.node_start_pfn;
            prev_end = std::max(hi, prev_end);
            switch (rf) {
            case RangesFmt::pfn_dec: info(zline(kmsg::zl::range_dec, z.name, lo, hi)); break;
            case RangesFmt::pfn_hex:
                info(hi == lo && R.ranges_empty ? zline(kmsg::zl::range_empty, z.name)
                                                : zline(kmsg::zl::range_hex, z.name, lo, hi));
                break;
            case RangesFmt::mem32:
                info(hi > lo ? zline(kmsg::zl::range_mem32, z.name, lo << 12, (hi << 12) - 1)
                             : zline(kmsg::zl::range_empty, z.name));
                break;
            default:
                info(hi > lo ? zline(kmsg::zl::range_mem64, z.name, lo << 12, (hi << 12) - 1)
                             : zline(kmsg::zl::range_empty, z.name));
            }
        }
        std::vector<PfnRange> act;
        for (const auto& z : n.zones)
            for (const auto& r : z.present) {
                if (!act.empty() && act.back().end == r.start) act.back().end = r.end;
                else act.push_back(r);
            }
        if (rf == RangesFmt::pfn_dec) {
            if (R.ranges_movable_line) info(kmsg::zl::movable_pfn.format.print);
            info(zline(kmsg::zl::nodemap_early, act.size()));
            for (const auto& r : act) info(zline(kmsg::zl::node_dec, 0, r.start, r.end));
        } else if (rf == RangesFmt::pfn_hex) {
            info(kmsg::zl::movable_pfn.format.print);
            info(R.early_memory_header ? std::string(kmsg::zl::nodemap_pfn.format.print)
                                       : zline(kmsg::zl::nodemap_early, act.size()));
            for (const auto& r : act) info(zline(kmsg::zl::node_hex, 0, r.start, r.end));
        } else {
            info(kmsg::zl::movable.format.print);
            info(kmsg::zl::nodemap_node.format.print);
            for (const auto& r : act)
                info(rf == RangesFmt::mem32 ? zline(kmsg::zl::node_mem32, 0, r.start << 12, (r.end << 12) - 1)
                                            : zline(kmsg::zl::node_mem64, 0, r.start << 12, (r.end << 12) - 1));
            uint64_t ns = act.front().start, ne = act.back().end;
            if (R.initmem_line) {
                // free_area_init_node(): 3.18-4.8 "[mem %#010Lx-%#010Lx]" with (u64)(end_pfn << PAGE_SHIFT) - 1,
                // the shift done in 32 bits (TROVON v3.18); 4.9+ "%#018Lx" and ((u64)end_pfn << PAGE_SHIFT) - 1
                // (TROVON v4.9, v6.1)
                if (rf == RangesFmt::mem32)
                    info(zline(kmsg::zl::initmem32, ns << 12, uint64_t(uint32_t(ne << 12)) - 1));
                else
                    info(zline(kmsg::zl::initmem64, ns << 12, (ne << 12) - 1));
            }
            if (R.unavail == UnavailRule::per_zone) {
                // memmap_init() (v6.1 mm/page_alloc.c): the holes before each memory range, inside a
                // zone, from pfn 0 on; only pfn_valid() pages count (pfns >= ARCH_PFN_OFFSET)
                uint64_t hole = 0, arch_pfn_offset = p.arch == Arch::arm ? l.phys_offset >> kPageShift : 0;
                for (const auto& r : act)
                    for (const auto& z : n.zones) {
                        if (!z.spanned_pages) continue;
                        uint64_t a = std::max(r.start, z.zone_start_pfn), b = std::min(r.end, z.zone_end_pfn);
                        if (a >= b) continue;
                        uint64_t from = std::max(hole, arch_pfn_offset);
                        if (a > from) info(zline(kmsg::zl::unavail, z.name, a - from));
                        hole = b;
                    }
            }
        }
    }
    if (R.debug_lines) {
        debug(zline(kmsg::zl::totalpages, n.node_present_pages));
        for (const auto& z : n.zones) {
            bool memmap_line = R.memmap == MemmapRule::trunc_always || R.memmap == MemmapRule::align_always ||
                               (R.memmap == MemmapRule::align_nonzero && z.memmap_pages);
            if (z.is_highmem && R.highmem == HighmemCharge::not_charged) memmap_line = false;
            if (memmap_line) {
                if (z.memmap_charged || z.memmap_pages == 0)
                    debug(zline(kmsg::zl::memmap, z.name, z.memmap_pages));
                else
                    info(zline(kmsg::zl::exceeds, z.name, z.memmap_pages,
                                              R.managed_pages ? "freesize" : "realsize", z.present_pages));
            }
            if (R.memmap != MemmapRule::none && R.memmap != MemmapRule::align_silent && z.index == 0 &&
                z.present_pages > z.memmap_pages)
                debug(zline(kmsg::zl::reserved, z.name, z.dma_reserve));
            if (z.kernel_present_pages)
                debug(zline(kmsg::zl::lifo, z.name, z.kernel_present_pages, z.batch));
        }
    }
    // zero_resv_unavail() after the node loop (4.15-4.17; "if (pgcnt)", the format has no newline)
    if (R.unavail == UnavailRule::resv_after && n.unavailable_pages)
        info(zline(kmsg::zl::resv_unavail, n.unavailable_pages));
    // build_all_zonelists(); mobility grouping off when vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES
    // (v2.6.32.9 page_alloc.c:2777; v6.1:6690).  MIGRATE_TYPES taken as 5 (2.6.24+ with ISOLATE; 4.x+
    // UNMOVABLE..HIGHATOMIC + ISOLATE, no CMA).
    uint64_t total = n.total_pages_zonelists;
    bool grouping = total >= (uint64_t(1) << pageblock_order(p)) * 5;
    switch (R.zonelist) {
    case ZonelistFmt::plain: info(zline(kmsg::zl::zonelists_plain, total)); break;
    case ZonelistFmt::order: info(zline(kmsg::zl::zonelists_order, total)); break;
    case ZonelistFmt::mobility_order:
        info(zline(kmsg::zl::zonelists_mobility_order, grouping ? "on" : "off", total));
        break;
    case ZonelistFmt::mobility:
        info(zline(kmsg::zl::zonelists_mobility, grouping ? "on" : "off", total));
        break;
    }
    if (p.arch == Arch::arm && R.mem_total_line) {
        // mem_init(): " %ldMB" per bank (meminfo banks; memblock regions from 3.x), " = %luMB total"
        std::string s;
        uint64_t pages = 0;
        std::vector<MemBank> banks;
        for (const auto* v : {&l.lowmem_banks, &l.highmem_banks})
            for (const auto& b : *v) banks.push_back(b);
        std::sort(banks.begin(), banks.end(), [](const MemBank& a, const MemBank& b) { return a.start < b.start; });
        if (l.era->arm_mem_total_merges_regions) {   // memblock regions: touching banks are one region
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
        info(zline(kmsg::zl::memtotal, s, pages >> 8));
    }
    return out;
}

std::vector<std::string> kernel_zone_lines(const NodeMemory& n, const Board& board, const Layout& l) {
    std::vector<std::string> out;
    for (auto& x : kernel_zone_report(n, board, l)) out.push_back(std::move(x.text));
    return out;
}

}  // namespace kmemkit
