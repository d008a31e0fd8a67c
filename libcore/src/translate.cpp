#include "kmemkit/translate.hpp"

#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {

Translator::Translator(const Board& b, Layout l, NodeMemory n) : l_(std::move(l)), n_(std::move(n)) {
    // FLATMEM: page_to_pfn(page) = (page - mem_map) + ARCH_PFN_OFFSET; ARM ARCH_PFN_OFFSET =
    // PHYS_PFN_OFFSET (arch/arm/include/asm/memory.h), x86 0 (include/asm-generic/memory_model.h)
    arch_pfn_offset_ = b.profile.arch == Arch::arm ? (l_.phys_offset >> kPageShift) : 0;
    struct_page_size_ = b.profile.config.struct_page_size;
    for (const auto& r : l_.regions)
        if (r.name == "lowmem") lowmem_ = &r;
}

void Translator::fill_pfn(Translation& t) const {
    t.pfn = t.pa >> kPageShift;
    t.zone = zone_of_pfn(n_, t.pfn, true);
    if (!t.zone && zone_of_pfn(n_, t.pfn, false)) t.in_hole = true;
    if (t.pfn >= arch_pfn_offset_) {
        t.mem_map_index = t.pfn - arch_pfn_offset_;
        t.page_offset_bytes = t.mem_map_index * struct_page_size_;
    }
}

Translation Translator::va2pa(uint64_t va, bool explain) const {
    Translation t;
    t.va = va;
    if (lowmem_ && va >= lowmem_->start && va < l_.high_memory) {   // the hot path: the linear map
        t.region = lowmem_;
        t.linear = true;
        t.has_pa = true;
        t.pa = va - l_.page_offset + l_.phys_offset;
        fill_pfn(t);
        if (!t.zone && explain)
            t.why = t.in_hole ? "hole: the linear map covers it but no RAM bank holds the frame" : "not RAM";
        return t;
    }
    t.region = region_of(l_, va);
    const std::string_view name = t.region ? std::string_view(t.region->name) : std::string_view();
    if (name == "lowmem" && va < l_.high_memory) {
        // __pa(x) = x - PAGE_OFFSET + PHYS_OFFSET (arch/arm/include/asm/memory.h; x86 page_32.h __phys_addr)
        t.linear = true;
        t.has_pa = true;
        t.pa = va - l_.page_offset + l_.phys_offset;
        fill_pfn(t);
        if (!t.zone) t.why = t.in_hole ? "hole: the linear map covers it but no RAM bank holds the frame"
                                       : "not RAM";
        return t;
    }
    auto it = learned_.find(va >> kPageShift);
    if (it != learned_.end()) {
        t.learned = true;
        t.has_pa = true;
        t.pa = (it->second << kPageShift) | (va & (kPageSize - 1));
        fill_pfn(t);
        return t;
    }
    if (!explain) return t;
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

ReverseTranslation Translator::pa2va(uint64_t pa) const {
    ReverseTranslation r;
    r.pa = pa;
    r.pfn = pa >> kPageShift;
    r.zone = zone_of_pfn(n_, r.pfn, true);
    r.ram = r.zone != nullptr;
    if (!r.ram) {
        r.why = zone_of_pfn(n_, r.pfn, false) ? "a hole between RAM banks: no page frame" : "not RAM on this board";
        return r;
    }
    if (!r.zone->is_highmem && r.pfn < n_.max_low_pfn) {
        // __va(x) = x - PHYS_OFFSET + PAGE_OFFSET
        r.lowmem = true;
        r.va = pa - l_.phys_offset + l_.page_offset;
        return r;
    }
    r.why = "HighMem frame: no permanent kernel mapping; the kernel maps it with kmap() or kmap_atomic()";
    return r;
}

}  // namespace kmemkit
