#include "kmemkit/translate.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {

namespace {
// why a physical address has no struct page
const char* no_frame_why(bool in_hole) {
    return in_hole ? "a hole between RAM banks: no RAM bank holds the frame" : "the frame is not RAM on this board";
}
}  // namespace

Translator::Translator(const Board& b, Layout l, NodeMemory n)
    : l_(std::move(l)), n_(std::move(n)), learned_(kLearnedPages >> kPteShift) {
    // FLATMEM: page_to_pfn(page) = (page - mem_map) + ARCH_PFN_OFFSET; ARM ARCH_PFN_OFFSET =
    // PHYS_PFN_OFFSET (arch/arm/include/asm/memory.h), x86 0 (include/asm-generic/memory_model.h)
    arch_pfn_offset_ = b.profile.arch == Arch::arm ? (l_.phys_offset >> kPageShift) : 0;
    struct_page_size_ = b.profile.config.struct_page_size;
    for (const auto& r : l_.regions)
        if (r.name == "lowmem") lowmem_ = &r;
    if (lowmem_) {
        lowmem_start_ = lowmem_->start;
        lowmem_end_ = l_.high_memory;
    }
}

uint64_t Translator::check_mem_map(uint64_t mem_map) const {
    const uint64_t frames = l_.max_pfn > arch_pfn_offset_ ? l_.max_pfn - arch_pfn_offset_ : 0;
    const uint64_t end = mem_map + frames * struct_page_size_;   // one past the last struct page
    if (end > (uint64_t(1) << 32))
        throw Error(fmt::format("--mem-map {}: mem_map ({} struct pages of {} bytes, to pfn {:#x}) would end at {:#x}, "
                                "past the 32-bit address space; give the address the kernel's mem_map has",
                                hex32(mem_map), frames, struct_page_size_, l_.max_pfn, end));
    return mem_map;
}

VirtualPage Translator::unmapped_page_of(uint64_t va) const {
    VirtualPage p;
    p.region = region_of(l_, va);
    uint64_t pfn;
    if (learned_pfn(va, pfn)) {
        p.learned = true;
        p.pa = (pfn << kPageShift) | (va & (kPageSize - 1));
    }
    return p;
}

void Translator::fill_pfn(Translation& t, bool explain) const {
    t.pfn = t.pa >> kPageShift;
    t.zone = zone_of_pfn(n_, t.pfn, true);
    if (!t.zone && zone_of_pfn(n_, t.pfn, false)) t.in_hole = true;
    if (t.pfn >= arch_pfn_offset_) {
        t.mem_map_index = t.pfn - arch_pfn_offset_;
        t.page_offset_bytes = t.mem_map_index * struct_page_size_;
    }
    if (!t.zone && explain) t.why = no_frame_why(t.in_hole);
}

Translation Translator::va2pa(uint64_t va, bool explain) const {
    Translation t;
    t.va = va;
    const VirtualPage p = page_of(va);
    t.region = p.region;
    t.linear = p.linear;
    t.learned = p.learned;
    t.has_pa = p.has_pa();
    if (t.has_pa) {
        t.pa = p.pa;
        fill_pfn(t, explain);
        return t;
    }
    if (!explain) return t;
    const std::string_view name = t.region ? std::string_view(t.region->name) : std::string_view();
    if (!t.region) t.why = "outside the address space of this profile";
    else if (name == "user") t.why = "user space: translated by the process page tables, no kernel zone";
    else if (name == "vmalloc" || name == "modules")
        t.why = fmt::format("{} area {}-{} is not linearly mapped: the frame comes from the kernel page tables "
                            "(look it up in /proc/vmallocinfo, or pipe buddyctl's vmalloc lines through va2pa --stream)",
                            name, hex32(t.region->start), hex32(t.region->end));
    else if (name == "pkmap")
        t.why = fmt::format("pkmap slot {} maps a HighMem page with kmap(): the frame comes from the pkmap page "
                            "table (pipe kmapsim's map lines through va2pa --stream)",
                            (va - l_.pkmap_base) >> kPageShift);
    else if (name == "fixmap")
        t.why = "fixmap slot (kmap_atomic or a fixed mapping): the frame comes from the fixmap page table "
                "(pipe kmapsim's map lines through va2pa --stream)";
    else if (name == "vmalloc-gap")
        t.why = "the guard gap between the end of lowmem and VMALLOC_START: nothing is mapped here";
    else if (name == "lowmem") t.why = "beyond high_memory: not mapped";
    else t.why = fmt::format("{} region: not linearly mapped, no zone", name);
    return t;
}

void Translator::set_learned(uint64_t vpn, uint64_t entry) {
    auto& pte = learned_[vpn >> kPteShift];
    if (!pte) {
        if (!entry) return;
        pte.reset(new uint32_t[kPteMask + 1]());
    }
    uint32_t& e = pte[vpn & kPteMask];
    learned_pages_ += (entry != 0) - (e != 0);
    e = uint32_t(entry);
}

void Translator::learn(uint64_t va, uint64_t pa, uint64_t pages) {
    const uint64_t vpn = va >> kPageShift, pfn = pa >> kPageShift;
    const uint64_t end = std::min(kLearnedPages, vpn + std::min(pages, kLearnedPages));
    for (uint64_t i = 0; vpn + i < end && pfn + i < UINT32_MAX; ++i) set_learned(vpn + i, pfn + i + 1);
}

void Translator::forget(uint64_t va, uint64_t pages) {
    uint64_t vpn = va >> kPageShift;
    const uint64_t end = std::min(kLearnedPages, vpn + std::min(pages, kLearnedPages));
    while (vpn < end && learned_pages_) {   // table by table, skipping those never used
        const uint64_t stop = std::min(end, (vpn | kPteMask) + 1);
        if (learned_[vpn >> kPteShift])
            for (; vpn < stop; ++vpn) set_learned(vpn, 0);
        vpn = stop;
    }
}

ReverseTranslation Translator::pa2va(uint64_t pa, bool explain) const {
    ReverseTranslation r;
    r.pa = pa;
    r.pfn = pa >> kPageShift;
    r.zone = zone_of_pfn(n_, r.pfn, true);
    r.ram = r.zone != nullptr;
    if (!r.ram) {
        if (explain) r.why = no_frame_why(zone_of_pfn(n_, r.pfn, false) != nullptr);
        return r;
    }
    if (!r.zone->is_highmem && r.pfn < n_.max_low_pfn) {
        // __va(x) = x - PHYS_OFFSET + PAGE_OFFSET
        r.lowmem = true;
        r.va = pa - l_.phys_offset + l_.page_offset;
        return r;
    }
    if (explain) r.why = "HighMem frame: no permanent kernel mapping; the kernel maps it with kmap() or kmap_atomic()";
    return r;
}

}  // namespace kmemkit
