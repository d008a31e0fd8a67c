// The generic mm rule table.  Each row is the previous one plus what changed in
// that release, with the kernel source it was read from.
#include "kmemkit/kernel/mm_rules.hpp"

#include <vector>

#include "kmemkit/kernel/rules.hpp"

namespace kmemkit {
namespace kernel_tables {

std::vector<MmEra> mm_rows() {
    std::vector<MmEra> t;
    MmEra e{};
    e.name = "mm-2.6.18";
    e.since = kv(2, 6, 0);
    e.source = "v2.6.18 mm/page_alloc.c (__rmqueue, expand, __free_one_page: list_add at the head; zone_watermark_ok; "
               "setup_per_zone_pages_min), mm/bootmem.c free_all_bootmem_core, mm/vmalloc.c __get_vm_area_node, "
               "fs/proc/proc_misc.c meminfo";
    e.free_tail_heuristic = false;
    e.boot_free_arm = e.boot_free_x86 = BootFree::bootmem_order5;
    e.wmark = WmarkRule::v2618;
    e.wmark_check = WmarkCheck::order_loop;
    e.zone_pages = ZonePages::kernel_present;
    e.nowait_is_harder = true;          // __alloc_pages: if (... || !wait) alloc_flags |= ALLOC_HARDER
    e.min_free_kbytes_max = 65536;      // init_per_zone_pages_min
    e.vmap = VmapAlgo::vmlist;
    e.vmap_lazy = false;
    e.vmap_fail_msg = "allocation failed: out of vmalloc space - use vmalloc=<size> to increase size.";
    e.meminfo = MeminfoVmalloc::v2618;
    e.vmallocinfo = false;
    e.vmallocinfo_unpurged = false;
    e.ioremap_fls = true;               // bit = fls(size), clamped to [PAGE_SHIFT, IOREMAP_MAX_ORDER]
    e.ioremap_max_order_x86 = 7 + 12;   // include/linux/vmalloc.h default (128 pages)
    e.ioremap_arm24_up_only = false;    // v2.6.18 include/asm-arm/memory.h: IOREMAP_MAX_ORDER 24 always
    e.extfrag_index_width2 = false;     // v2.6.37 mm/vmstat.c extfrag_show_print: "%d.%03d "
    t.push_back(e);

    e.name = "mm-2.6.26";
    e.since = kv(2, 6, 26);
    e.source = "commit a10aa579878 (2.6.26): /proc/vmallocinfo";
    e.vmallocinfo = true;
    t.push_back(e);

    e.name = "mm-2.6.28";
    e.since = kv(2, 6, 28);
    e.source = "v2.6.28 mm/vmalloc.c alloc_vmap_area (commit db64fe02258: vmap_area rbtree, lazy purge); "
               "fs/proc/meminfo.c (commit 4f98a2fee8a: wider labels)";
    e.vmap = VmapAlgo::vmap_extra_page;
    e.vmap_lazy = true;
    e.vmap_fail_msg = "vmap allocation failed: use vmalloc=<size> to increase size.";
    e.meminfo = MeminfoVmalloc::v2628;
    t.push_back(e);

    e.name = "mm-2.6.29";
    e.since = kv(2, 6, 29);
    e.source = "mm/vmalloc.c@v2.6.29 alloc_vmap_area: \"vmap allocation for size %lu failed: use vmalloc=<size> to "
               "increase size.\" (commit c1279c4ef37 \"mm: vmalloc tweak failure printk\"; v2.6.28 without the size)";
    e.vmap_fail_msg = "vmap allocation for size {} failed: use vmalloc=<size> to increase size.";
    t.push_back(e);

    e.name = "mm-2.6.35";
    e.since = kv(2, 6, 35);
    e.source = "v2.6.37 mm/page_alloc.c __free_one_page: list_add_tail when the order+1 buddy is free "
               "(absent in v2.6.34; 2.6.35 exactly not verified)";
    e.free_tail_heuristic = true;
    t.push_back(e);

    e.name = "mm-2.6.39";
    e.since = kv(2, 6, 39);
    e.source = "mm/vmalloc.c@v2.6.39 alloc_vmap_area: free_vmap_cache, cached_hole_size, addr = ALIGN(va_end) "
               "(commit 89699605fe7 \"mm: vmap area cache\"; v2.6.38 has no cache)";
    e.vmap = VmapAlgo::vmap_cached;
    t.push_back(e);

    e.name = "mm-3.9";
    e.since = kv(3, 9);
    e.source = "mm/page_alloc.c@v3.9.6 __setup_per_zone_wmarks(), setup_per_zone_lowmem_reserve() over "
               "managed_pages (v3.8.13: present_pages)";
    e.zone_pages = ZonePages::managed;
    t.push_back(e);

    e.name = "mm-3.12";
    e.since = kv(3, 12);
    e.source = "mm/nobootmem.c __free_pages_memory: largest aligned blocks (v4.9; x86 uses nobootmem; "
               "3.10 still freed order-5 chunks, v3.10.99; the exact release is not verified)";
    e.boot_free_x86 = BootFree::memblock_head;
    t.push_back(e);

    e.name = "mm-4.0";
    e.since = kv(4, 0);
    e.source = "arch/arm/include/asm/memory.h: #if !defined(CONFIG_SMP) && !defined(CONFIG_ARM_LPAE) "
               "#define IOREMAP_MAX_ORDER 24, else the generic 7 + PAGE_SHIFT (\"ARM: use default ioremap "
               "alignment for SMP or LPAE\", Sergey Dyasly, lkml 2015-01-22, ARM patch 8293/1; first release "
               "4.0 not verified by ancestry)";
    e.ioremap_arm24_up_only = true;
    t.push_back(e);

    e.name = "mm-4.1";
    e.since = kv(4, 1);
    e.source = "arch/x86/include/asm/page_types.h: IOREMAP_MAX_ORDER (PMD_SHIFT) on x86-32 (huge ioremap, 4.1)";
    e.ioremap_max_order_x86 = 0;        // 0 = PMD_SHIFT (22, or 21 with PAE)
    t.push_back(e);

    e.name = "mm-4.4";
    e.since = kv(4, 4);
    e.source = "commit 97a16fc82a (4.4) __zone_watermark_ok: order > 0 needs a free block >= order; "
               "commit d0164adc89f (4.4) ALLOC_HARDER only for __GFP_ATOMIC; "
               "commit a5ad88ce8c7 (4.4) VmallocUsed/VmallocChunk print 0 (v4.9 fs/proc/meminfo.c)";
    e.wmark_check = WmarkCheck::block_exists;
    e.nowait_is_harder = false;
    e.meminfo = MeminfoVmalloc::zeros;
    t.push_back(e);

    e.name = "mm-4.6";
    e.since = kv(4, 6);
    e.source = "commit 795ae7a0de6 (4.6) __setup_per_zone_wmarks: watermark_scale_factor (v6.1)";
    e.wmark = WmarkRule::v46;
    t.push_back(e);

    e.name = "mm-4.9";
    e.since = kv(4, 9);
    e.source = "v4.9 arch/arm/Kconfig selects NO_BOOTMEM (first ARM release not verified); "
               "mm/vmalloc.c __get_vm_area_node: get_count_order_long() (fix of the fls() double alignment, "
               "release not verified)";
    e.boot_free_arm = BootFree::memblock_head;
    e.ioremap_fls = false;
    t.push_back(e);

    e.name = "mm-5.2";
    e.since = kv(5, 2);
    e.source = "v5.2.1/v6.1 mm/vmalloc.c: free_vmap_area_root, find_vmap_lowest_match(); pr_warn text without '.'";
    e.vmap = VmapAlgo::free_tree;
    e.vmap_fail_msg = "vmap allocation for size {} failed: use vmalloc=<size> to increase size";
    t.push_back(e);

    e.name = "mm-5.3";
    e.since = kv(5, 3);
    e.source = "v5.4.18/v6.1 fs/proc/meminfo.c: VmallocUsed = vmalloc_nr_pages() (release between 4.9 and 5.4)";
    e.meminfo = MeminfoVmalloc::pages;
    t.push_back(e);

    e.name = "mm-5.10";
    e.since = kv(5, 10);
    e.source = "v5.10.7/v6.1 mm/page_alloc.c __free_pages_core: FPI_TO_TAIL for boot frees; calculate_min_free_kbytes "
               "clamp 262144; v6.1 mm/vmalloc.c s_show \"unpurged vm_area\" (releases of the last two not verified)";
    e.boot_free_arm = e.boot_free_x86 = BootFree::memblock_tail;
    e.min_free_kbytes_max = 262144;
    e.vmallocinfo_unpurged = true;
    t.push_back(e);

    e.name = "mm-5.16";
    e.since = kv(5, 16);
    e.source = "mm/vmstat.c extfrag_show_print: seq_printf(m, \"%2d.%03d \", ...) (patch \"mm: vmstat.c: make "
               "extfrag_index show more pretty\", 2021-10, after v5.15's \"%d.%03d \"; v6.1 has \"%2d\"; "
               "5.16 exactly not verified); unusable_show_print keeps \"%d.%03d \"";
    e.extfrag_index_width2 = true;
    t.push_back(e);
    return t;
}


}  // namespace kernel_tables
}  // namespace kmemkit
