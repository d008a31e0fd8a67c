// The generic mm rules (mm/page_alloc.c, mm/vmalloc.c, fs/proc/meminfo.c) per
// kernel release: the rows are in src/kernel/mm_rules.cpp.
#pragma once
#include <cstdint>

#include "kmemkit/kernel/version.hpp"

namespace kmemkit {

// ---- generic mm rules per kernel era ------------------------------------
// mm/ is architecture independent, so these rows are keyed by version only
// (with an arch column where the boot code differs); each row cites the
// kernel source it was read from.
enum class BootFree {
    bootmem_order5,   // bootmem free_all_bootmem_core(): 32-page words at order 5, the rest at order 0
    memblock_head,    // __free_pages_memory(): largest aligned blocks, ascending, normal insertion
    memblock_tail,    // 5.10+: __free_pages_core() with FPI_TO_TAIL
};
enum class WmarkRule { v2618, v46 };           // low = min + tmp/4 ...; 4.6+ watermark_scale_factor
enum class WmarkCheck { order_loop, block_exists };  // zone_watermark_ok() <= 4.3; 4.4+ any block >= order
enum class ZonePages { kernel_present, managed };    // zone size the watermarks use
enum class VmapAlgo {
    vmlist,           // <= 2.6.27: first fit over the sorted vmlist (v2.6.18 __get_vm_area_node)
    vmap_extra_page,  // 2.6.28-2.6.3x: vmap_area rbtree walk, addr = ALIGN(va_end + PAGE_SIZE)
    vmap_cached,      // 3.0-5.1: free_vmap_cache + cached_hole_size, addr = ALIGN(va_end)
    free_tree,        // 5.2+: lowest-address fit over the free-range tree
};
enum class MeminfoVmalloc { v2618, v2628, zeros, pages };

struct MmEra {
    const char* name;
    VersionKey since;               // kv(); rows ascending
    const char* source;
    bool free_tail_heuristic;       // 2.6.35+: tail when the order+1 buddy is free
    BootFree boot_free_arm, boot_free_x86;
    WmarkRule wmark;
    WmarkCheck wmark_check;
    ZonePages zone_pages;
    bool nowait_is_harder;          // <= 4.3: !__GFP_WAIT gives ALLOC_HARDER; 4.4+: only __GFP_ATOMIC
    uint64_t min_free_kbytes_max;   // clamp of init_per_zone_wmark_min()
    VmapAlgo vmap;
    bool vmap_lazy;                 // 2.6.28+ lazy TLB flush: freed ranges unusable until a purge
    const char* vmap_fail_msg;      // the kernel's message ({} = size, when the era prints it)
    MeminfoVmalloc meminfo;
    bool vmallocinfo;               // /proc/vmallocinfo exists (2.6.26+)
    bool vmallocinfo_unpurged;      // lazily freed areas listed as "unpurged vm_area"
    bool ioremap_fls;               // align order fls(size) (older) vs get_count_order(size)
    unsigned ioremap_max_order_x86; // 7+PAGE_SHIFT generic; PMD_SHIFT (22, PAE 21) from 4.1
    bool ioremap_arm24_up_only;     // 4.0+: ARM IOREMAP_MAX_ORDER 24 only !SMP && !LPAE, else 7+PAGE_SHIFT
    bool extfrag_index_width2;      // 5.16+: extfrag_index prints "%2d.%03d " (before: "%d.%03d ")
};

}  // namespace kmemkit
