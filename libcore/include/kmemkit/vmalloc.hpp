// The vmalloc address space of a board's kernel (mm/vmalloc.c): where
// vmalloc()/ioremap() put their areas between VMALLOC_START and VMALLOC_END,
// with the guard page and the search of the era (MmEra::vmap), the 2.6.28+
// lazy free of the address range, and the /proc/vmallocinfo and /proc/meminfo
// views.  The backing pages come from the buddy model (see trace.hpp).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kmemkit/buddy.hpp"

namespace kmemkit {

struct VmArea {
    uint64_t start = 0, end = 0;      // [start, end): end includes the guard page (va_end)
    bool ioremap = false;
    bool lazy = false;                // freed, waiting for a purge (2.6.28+)
    bool used = false;                // slot in use
    uint64_t phys = 0;                // ioremap: the physical address of `start`
    uint64_t offset = 0;              // ioremap: pa & ~PAGE_MASK (the va returned is start + offset)
    std::string caller;               // the trace id
    std::vector<uint64_t> pages;      // backing pfns (vmalloc)
    int array_area = -1;              // VM_VPAGES: the nested vmalloc area holding the page-pointer array
    uint64_t size() const { return end - start; }
};

struct VmapResult {
    bool ok = false;
    int area = -1;
    uint64_t addr = 0;
    std::string message;              // the kernel's failure message, when !ok
};

class VmallocSpace {
public:
    VmallocSpace(uint64_t start, uint64_t end, const MmEra& era, Arch arch, bool pae, unsigned nr_cpus);

    // get_vm_area(): `size` in bytes as the caller asked (PAGE_ALIGNed here, plus the guard
    // page).  For ioremap the alignment is the era's IOREMAP_MAX_ORDER rule.
    VmapResult get_area(uint64_t size, bool ioremap, const std::string& caller);
    // vfree/iounmap of the address range: lazy (2.6.28+) or immediate.
    void remove_area(int area);
    // lazily freed ranges become usable again (__purge_vmap_area_lazy)
    void purge();

    VmArea& area(int i) { return areas_[size_t(i)]; }
    const VmArea& area(int i) const { return areas_[size_t(i)]; }
    uint64_t start() const { return start_; }
    uint64_t end() const { return end_; }
    uint64_t lazy_pages() const { return lazy_nr_; }
    uint64_t lazy_max_pages() const { return lazy_max_; }
    size_t live_areas() const { return busy_.size() - lazy_count_; }
    uint64_t largest_hole() const;     // the largest usable range (lazy areas count as busy)
    unsigned ioremap_align_order(uint64_t size) const;
    const MmEra& era() const { return *era_; }
    // areas in address order (live and lazy)
    std::vector<int> in_order() const;

private:
    bool find(uint64_t size, uint64_t align, uint64_t& addr);
    int new_slot();
    void free_slot(int area);

    uint64_t start_, end_;
    const MmEra* era_;
    Arch arch_;
    bool pae_;
    bool smp_;                         // CONFIG_SMP, taken as nr_cpus > 1
    uint64_t lazy_max_;
    uint64_t lazy_nr_ = 0;
    size_t lazy_count_ = 0;
    std::map<uint64_t, int> busy_;     // start -> area (live and lazily freed)
    std::vector<VmArea> areas_;
    std::vector<int> free_slots_;
    // 3.0-5.1 free_vmap_cache state
    int cache_ = -1;
    uint64_t cached_hole_size_ = 0, cached_vstart_ = 0, cached_align_ = 0;
};

// /proc/vmallocinfo lines of the era (2.6.28 / 6.1 formats; the caller column shows the
// trace id), then the three /proc/meminfo Vmalloc lines, then one "# " comment line with
// what kmemkit knows beyond them (largest usable hole, lazily freed pages).
// `vmalloc_pages` is the number of pages backing vmalloc areas (5.3+ VmallocUsed).
std::string vmalloc_info_text(const VmallocSpace& vs, uint64_t vmalloc_pages, bool pae);

}  // namespace kmemkit
