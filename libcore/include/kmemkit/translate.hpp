// Virtual <-> physical translation as the kernel's linear map does it
// (__pa/__va, virt_to_page, page_to_pfn), with the region and zone of an
// address; addresses outside the linear map resolve only through mappings
// learned from the stream (vmalloc pages, kmap/pkmap slots).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kmemkit/layout.hpp"
#include "kmemkit/zones.hpp"

namespace kmemkit {

struct Translation {
    uint64_t va = 0;
    const Region* region = nullptr;  // nullptr: outside every region
    bool linear = false;             // lowmem: __pa(va) = va - PAGE_OFFSET + PHYS_OFFSET
    bool learned = false;            // resolved through a learned mapping (vmalloc/kmap)
    bool has_pa = false;
    uint64_t pa = 0, pfn = 0;
    const Zone* zone = nullptr;      // zone of the pfn (nullptr: none / hole)
    bool in_hole = false;            // pfn inside a zone span but not RAM
    uint64_t mem_map_index = 0;      // pfn - ARCH_PFN_OFFSET (FLATMEM: page = mem_map + index)
    uint64_t page_offset_bytes = 0;  // mem_map_index * sizeof(struct page)
    std::string why;                 // no zone: what the address is and how to resolve it (empty with a zone)
};

// The page behind a virtual address, without the frame's zone and mem_map
// entry (what the stream filter needs per line).
struct VirtualPage {
    const Region* region = nullptr;  // nullptr: outside every region
    bool linear = false;             // lowmem: __pa(va)
    bool learned = false;            // a mapping learned from the stream
    uint64_t pa = 0;                 // valid when linear or learned
    bool has_pa() const { return linear || learned; }
};

struct ReverseTranslation {
    uint64_t pa = 0, pfn = 0;
    const Zone* zone = nullptr;
    bool ram = false;
    bool lowmem = false;             // has a linear virtual address
    uint64_t va = 0;
    std::string why;                 // highmem: needs kmap; not RAM; ...
};

class Translator {
public:
    Translator(const Board& b, Layout l, NodeMemory n);
    Translator(const Translator&) = delete;   // holds pointers into its own Layout/NodeMemory
    Translator& operator=(const Translator&) = delete;
    // `explain` = false skips the human `why` text
    Translation va2pa(uint64_t va, bool explain = true) const;
    // region and physical address only (the stream filter's hot path)
    VirtualPage page_of(uint64_t va) const {
        if (va >= lowmem_start_ && va < lowmem_end_)   // the linear map, [PAGE_OFFSET, high_memory)
            // __pa(x) = x - PAGE_OFFSET + PHYS_OFFSET (arch/arm/include/asm/memory.h; x86 page_32.h __phys_addr)
            return VirtualPage{lowmem_, true, false, va - l_.page_offset + l_.phys_offset};
        return unmapped_page_of(va);
    }
    ReverseTranslation pa2va(uint64_t pa, bool explain = true) const;
    // `mem_map` (--mem-map) when the whole array, a struct page per frame up to max_pfn, fits in
    // the 32-bit virtual address space, as the kernel's does; else throws Error.
    uint64_t check_mem_map(uint64_t mem_map) const;
    // the zone whose RAM holds the frame (nullptr: not RAM, or a hole)
    const Zone* zone_of(uint64_t pfn) const { return zone_of_pfn(n_, pfn, true); }
    // Mappings learned from the stream: `pages` virtual pages from the page of
    // `va` map the physically contiguous frames from the frame of `pa` (a `map
    // va= pa=` line, a vmalloc page, an ioremap range); a later mapping of a
    // page replaces the earlier one.  Ranges are clipped at the top of the
    // 32-bit virtual address space.
    void learn(uint64_t va, uint64_t pa, uint64_t pages = 1);
    // Drops every learned page in the `pages` pages from the page of `va`
    // (vfree, iounmap, kunmap_atomic, a pkmap flush: an `unmap` line).
    void forget(uint64_t va, uint64_t pages = 1);
    // The learned frame of the page of `va`, if any.
    bool learned_pfn(uint64_t va, uint64_t& pfn) const {
        const uint64_t vpn = va >> kPageShift;
        if (learned_pages_ == 0 || vpn >= kLearnedPages) return false;
        const auto& pte = learned_[vpn >> kPteShift];
        if (!pte || !pte[vpn & kPteMask]) return false;
        pfn = pte[vpn & kPteMask] - 1;
        return true;
    }
    uint64_t learned_pages() const { return learned_pages_; }
    const Layout& layout() const { return l_; }
    const NodeMemory& node() const { return n_; }
    uint64_t arch_pfn_offset() const { return arch_pfn_offset_; }
    uint64_t max_address() const { return max_va_; }

private:
    void fill_pfn(Translation& t, bool explain) const;
    VirtualPage unmapped_page_of(uint64_t va) const;   // outside the linear map
    Layout l_;
    NodeMemory n_;
    const Region* lowmem_ = nullptr;
    uint64_t lowmem_start_ = 1, lowmem_end_ = 0;        // the linear map (empty without lowmem)
    uint64_t arch_pfn_offset_ = 0;
    uint64_t max_va_ = 0xffffffffULL;
    unsigned struct_page_size_ = 32;
    // The learned mappings as a two-level page table over the 32-bit virtual
    // space (1024 tables of 1024 entries, allocated when first used): entry =
    // pfn + 1, 0 = not mapped.  O(1) lookups; at most 4 MB however long the stream.
    static constexpr unsigned kPteShift = 10;
    static constexpr uint64_t kPteMask = (1u << kPteShift) - 1;
    static constexpr uint64_t kLearnedPages = uint64_t(1) << (32 - kPageShift);
    std::vector<std::unique_ptr<uint32_t[]>> learned_;
    uint64_t learned_pages_ = 0;
    void set_learned(uint64_t vpn, uint64_t entry);
};

}  // namespace kmemkit
