// Virtual <-> physical translation as the kernel's linear map does it
// (__pa/__va, virt_to_page, page_to_pfn), with the region and zone of an
// address; addresses outside the linear map resolve only through mappings
// learned from the stream (vmalloc pages, kmap/pkmap slots).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>

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
    std::string why;                 // for addresses with no zone: what they are and how to resolve them
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
    // `explain` = false skips the human `why` text (the stream filter's hot path)
    Translation va2pa(uint64_t va, bool explain = true) const;
    ReverseTranslation pa2va(uint64_t pa) const;
    // A page mapping learned from the stream (a `map va= pa=` line, a vmalloc page).
    void learn(uint64_t va, uint64_t pa) { learned_[va >> kPageShift] = pa >> kPageShift; }
    void forget(uint64_t va) { learned_.erase(va >> kPageShift); }
    const Layout& layout() const { return l_; }
    const NodeMemory& node() const { return n_; }
    uint64_t arch_pfn_offset() const { return arch_pfn_offset_; }
    uint64_t max_address() const { return max_va_; }

private:
    void fill_pfn(Translation& t) const;
    Layout l_;
    NodeMemory n_;
    const Region* lowmem_ = nullptr;
    uint64_t arch_pfn_offset_ = 0;
    uint64_t max_va_ = 0xffffffffULL;
    unsigned struct_page_size_ = 32;
    std::unordered_map<uint64_t, uint64_t> learned_;
};

}  // namespace kmemkit
