// vmalloc address-space model.  Sources: v2.6.18 mm/vmalloc.c __get_vm_area_node (sorted vmlist,
// first fit); v2.6.28 mm/vmalloc.c alloc_vmap_area (rbtree walk, addr = ALIGN(va_end + PAGE_SIZE),
// lazy purge, lazy_max_pages); v3.0.1/v3.10.99 alloc_vmap_area (free_vmap_cache, cached_hole_size),
// __free_vmap_area; v6.1 find_vmap_lowest_match (lowest-address fit); fs/proc meminfo and
// /proc/vmallocinfo s_show (v2.6.18, v2.6.28, v6.1).
#include "kmemkit/vmalloc.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "kmemkit/error.hpp"

namespace kmemkit {

namespace {
constexpr uint64_t kPage = 4096;
uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
unsigned fls64(uint64_t v) { return v ? 64 - unsigned(__builtin_clzll(v)) : 0; }
}  // namespace

VmallocSpace::VmallocSpace(uint64_t start, uint64_t end, const MmEra& era, Arch arch, bool pae, unsigned nr_cpus)
    : start_(start), end_(end), era_(&era), arch_(arch), pae_(pae), smp_(nr_cpus > 1) {
    if (end <= start) throw Error(fmt::format("vmalloc: empty area {:#x}-{:#x}", start, end));
    // v2.6.28 lazy_max_pages(): fls(num_online_cpus()) * (32MB / PAGE_SIZE)
    lazy_max_ = uint64_t(fls64(std::max(1u, nr_cpus))) * ((32u << 20) / kPage);
}

unsigned VmallocSpace::ioremap_align_order(uint64_t size) const {
    // v2.6.18: bit = fls(size) clamped to [PAGE_SHIFT, IOREMAP_MAX_ORDER]; later get_count_order_long(size)
    // ARM: asm/memory.h IOREMAP_MAX_ORDER 24 (16 MB, for supersections); from 4.0 only on
    // !CONFIG_SMP && !CONFIG_ARM_LPAE kernels, others get include/linux/vmalloc.h's 7 + PAGE_SHIFT.
    // x86: the generic 7 + PAGE_SHIFT, then PMD_SHIFT (4.1+).
    unsigned max_order = arch_ == Arch::arm
                             ? (era_->ioremap_arm24_up_only && (smp_ || pae_) ? 7u + 12u : 24u)
                         : era_->ioremap_max_order_x86 ? era_->ioremap_max_order_x86
                         : (pae_ ? 21u : 22u);      // PMD_SHIFT
    unsigned bit = era_->ioremap_fls ? fls64(size) : (size <= 1 ? 0 : fls64(size - 1));
    return std::clamp(bit, 12u, max_order);
}

int VmallocSpace::new_slot() {
    if (!free_slots_.empty()) {
        int i = free_slots_.back();
        free_slots_.pop_back();
        return i;
    }
    areas_.emplace_back();
    return int(areas_.size() - 1);
}

void VmallocSpace::free_slot(int i) {
    areas_[size_t(i)] = VmArea{};
    free_slots_.push_back(i);
}

bool VmallocSpace::find(uint64_t size, uint64_t align, uint64_t& out) {
    const uint64_t vstart = start_, vend = end_;
    auto first_ending_at_or_after = [&](uint64_t addr) {
        // the lowest area with va_end >= addr (areas are disjoint, so ends ascend with starts)
        auto it = busy_.lower_bound(addr);
        if (it != busy_.begin()) {
            auto p = std::prev(it);
            if (areas_[size_t(p->second)].end >= addr) return p;
        }
        return it;
    };
    switch (era_->vmap) {
    case VmapAlgo::vmlist: {
        // v2.6.18 __get_vm_area_node: walk the sorted vmlist
        uint64_t addr = align_up(vstart, align);
        for (const auto& [s, i] : busy_) {
            const VmArea& a = areas_[size_t(i)];
            if (s < addr) {
                if (a.end >= addr) addr = align_up(a.end, align);
                continue;
            }
            if (size + addr <= s) break;   // found
            addr = align_up(a.end, align);
            if (addr > vend - size) return false;
        }
        // (the kernel does not check the tail after the last area; an area past
        // VMALLOC_END cannot be mapped, so it fails here)
        if (addr + size > vend) return false;
        out = addr;
        return true;
    }
    case VmapAlgo::vmap_extra_page: {
        // v2.6.28 alloc_vmap_area
        uint64_t addr = align_up(vstart, align);
        auto it = first_ending_at_or_after(addr);
        while (it != busy_.end()) {
            const VmArea& a = areas_[size_t(it->second)];
            if (!(addr + size > a.start && addr + size <= vend)) break;
            addr = align_up(a.end + kPage, align);
            ++it;
        }
        if (addr + size > vend) return false;
        out = addr;
        return true;
    }
    case VmapAlgo::vmap_cached: {
        // v3.0.1/v3.10.99 alloc_vmap_area with free_vmap_cache
        if (cache_ < 0 || size < cached_hole_size_ || vstart < cached_vstart_ || align < cached_align_) {
            cached_hole_size_ = 0;
            cache_ = -1;
        }
        cached_vstart_ = vstart;
        cached_align_ = align;
        uint64_t addr;
        std::map<uint64_t, int>::iterator it;
        if (cache_ >= 0) {
            const VmArea& c = areas_[size_t(cache_)];
            addr = align_up(c.end, align);
            it = busy_.find(c.start);
            if (addr < vstart) {   // goto nocache
                cached_hole_size_ = 0;
                cache_ = -1;
            }
        }
        if (cache_ < 0) {
            addr = align_up(vstart, align);
            it = first_ending_at_or_after(addr);
        }
        while (it != busy_.end()) {
            const VmArea& a = areas_[size_t(it->second)];
            if (!(addr + size > a.start && addr + size <= vend)) break;
            if (addr + cached_hole_size_ < a.start) cached_hole_size_ = a.start - addr;
            addr = align_up(a.end, align);
            ++it;
        }
        if (addr + size > vend) return false;
        out = addr;
        return true;
    }
    case VmapAlgo::free_tree: {
        // v6.1 find_vmap_lowest_match: the lowest free range where ALIGN(max(start, vstart)) + size fits
        uint64_t prev_end = vstart;
        for (const auto& [s, i] : busy_) {
            uint64_t a = align_up(std::max(prev_end, vstart), align);
            if (s > a && a + size <= s) break;
            prev_end = std::max(prev_end, areas_[size_t(i)].end);
        }
        uint64_t a = align_up(std::max(prev_end, vstart), align);
        if (a + size > vend) return false;
        out = a;
        return true;
    }
    }
    return false;
}

VmapResult VmallocSpace::get_area(uint64_t size, bool ioremap, const std::string& caller) {
    VmapResult r;
    uint64_t align = ioremap ? (uint64_t(1) << ioremap_align_order(size)) : 1;
    size = align_up(size, kPage) + kPage;   // PAGE_ALIGN(size) + the guard page
    if (align < kPage) align = kPage;       // (alignment 1 on a page-aligned start is the same)
    uint64_t addr = 0;
    bool ok = find(size, align, addr);
    if (!ok && era_->vmap_lazy && lazy_nr_) {   // "purge and retry once" (v2.6.28 overflow:)
        purge();
        ok = find(size, align, addr);
    }
    if (!ok) {
        r.message = fmt::format(fmt::runtime(era_->vmap_fail_msg), size);
        return r;
    }
    int i = new_slot();
    VmArea& a = areas_[size_t(i)];
    a.used = true;
    a.start = addr;
    a.end = addr + size;
    a.ioremap = ioremap;
    a.caller = caller;
    busy_.emplace(addr, i);
    if (era_->vmap == VmapAlgo::vmap_cached) cache_ = i;   // free_vmap_cache = &va->rb_node
    r.ok = true;
    r.area = i;
    r.addr = addr;
    return r;
}

void VmallocSpace::remove_area(int i) {
    VmArea& a = areas_[size_t(i)];
    a.pages.clear();
    a.pages.shrink_to_fit();
    if (!era_->vmap_lazy) {   // v2.6.18 __remove_vm_area: unlinked at once
        busy_.erase(a.start);
        free_slot(i);
        return;
    }
    // v2.6.28 free_unmap_vmap_area_noflush: VM_LAZY_FREE, vmap_lazy_nr += pages (guard included)
    a.lazy = true;
    ++lazy_count_;
    lazy_nr_ += a.size() / kPage;
    if (lazy_nr_ > lazy_max_) purge();
}

void VmallocSpace::purge() {
    // __purge_vmap_area_lazy: every lazily freed area, in address order, through __free_vmap_area
    std::vector<int> lazy;
    for (const auto& [s, i] : busy_)
        if (areas_[size_t(i)].lazy) lazy.push_back(i);
    for (int i : lazy) {
        VmArea& a = areas_[size_t(i)];
        auto it = busy_.find(a.start);
        if (era_->vmap == VmapAlgo::vmap_cached && cache_ >= 0) {
            // v3.0.1 __free_vmap_area: move free_vmap_cache below a freed area
            if (a.end < cached_vstart_) {
                cache_ = -1;
            } else if (a.start <= areas_[size_t(cache_)].start) {
                cache_ = it == busy_.begin() ? -1 : std::prev(it)->second;
            }
        }
        busy_.erase(it);
        free_slot(i);
    }
    lazy_nr_ = 0;
    lazy_count_ = 0;
}

uint64_t VmallocSpace::largest_hole() const {
    uint64_t best = 0, prev = start_;
    for (const auto& [s, i] : busy_) {
        if (s > prev) best = std::max(best, s - prev);
        prev = std::max(prev, areas_[size_t(i)].end);
    }
    if (end_ > prev) best = std::max(best, end_ - prev);
    return best;
}

std::vector<int> VmallocSpace::in_order() const {
    std::vector<int> v;
    v.reserve(busy_.size());
    for (const auto& [s, i] : busy_) v.push_back(i);
    return v;
}

std::string vmalloc_info_text(const VmallocSpace& vs, uint64_t vmalloc_pages, bool pae) {
    const MmEra& e = vs.era();
    std::string s;
    // /proc/vmallocinfo (v2.6.28 s_show: "0x%p-0x%p %7ld", caller, " pages=%d", " phys=%lx",
    // " ioremap"/" vmalloc", " vpages"; v6.1: " phys=%pa", then "unpurged vm_area" lines)
    std::vector<int> order = vs.in_order();
    for (int i : order) {
        const VmArea& a = vs.area(i);
        if (a.lazy) continue;
        s += fmt::format("0x{:08x}-0x{:08x} {:7} {}", a.start, a.end, a.size(), a.caller);
        if (!a.pages.empty()) s += fmt::format(" pages={}", a.pages.size());
        if (a.ioremap) {
            if (e.vmallocinfo_unpurged) s += fmt::format(" phys=0x{:0{}x}", a.phys, pae ? 16 : 8);
            else s += fmt::format(" phys={:x}", a.phys);
            s += " ioremap";
        } else {
            s += " vmalloc";
        }
        // v2.6.28 s_show `if (v->flags & VM_VPAGES)`, v6.1 `if (is_vmalloc_addr(v->pages))`: " vpages"
        if (a.array_area >= 0) s += " vpages";
        s += '\n';
    }
    if (e.vmallocinfo_unpurged)
        for (int i : order) {
            const VmArea& a = vs.area(i);
            if (a.lazy) s += fmt::format("0x{:08x}-0x{:08x} {:7} unpurged vm_area\n", a.start, a.end, a.size());
        }
    // /proc/meminfo: get_vmalloc_info (v2.6.18 fs/proc/mmu.c): Used = sum of vm->size (guard pages
    // included), Chunk = the largest gap between areas (lazily freed ones are not areas).
    uint64_t used = 0, chunk = 0, prev = vs.start();
    for (int i : order) {
        const VmArea& a = vs.area(i);
        if (a.lazy) continue;
        used += a.size();
        chunk = std::max(chunk, a.start - prev);
        prev = a.end;
    }
    chunk = std::max(chunk, vs.end() - prev);
    uint64_t total_kb = (vs.end() - vs.start()) >> 10;
    switch (e.meminfo) {
    case MeminfoVmalloc::v2618:
        s += fmt::format("VmallocTotal: {:8} kB\nVmallocUsed:  {:8} kB\nVmallocChunk: {:8} kB\n", total_kb,
                         used >> 10, chunk >> 10);
        break;
    case MeminfoVmalloc::v2628:
        s += fmt::format("VmallocTotal:   {:8} kB\nVmallocUsed:    {:8} kB\nVmallocChunk:   {:8} kB\n", total_kb,
                         used >> 10, chunk >> 10);
        break;
    case MeminfoVmalloc::zeros:
        s += fmt::format("VmallocTotal:   {:8} kB\nVmallocUsed:    {:8} kB\nVmallocChunk:   {:8} kB\n", total_kb, 0, 0);
        break;
    case MeminfoVmalloc::pages:
        s += fmt::format("VmallocTotal:   {:8} kB\nVmallocUsed:    {:8} kB\nVmallocChunk:   {:8} kB\n", total_kb,
                         vmalloc_pages * 4, 0);
        break;
    }
    s += fmt::format("# vmalloc: {} areas, largest usable hole {} kB", vs.live_areas(), vs.largest_hole() >> 10);
    // the lazy purge exists from 2.6.28 (v2.6.28 lazy_max_pages); before, vfree unlinks the area at once
    if (e.vmap_lazy)
        s += fmt::format(", {} lazily freed pages (purged above {})", vs.lazy_pages(), vs.lazy_max_pages());
    s += '\n';
    return s;
}

}  // namespace kmemkit
