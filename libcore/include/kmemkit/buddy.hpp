// The buddy allocator of a board's kernel (mm/page_alloc.c), page frame by
// page frame: free areas per order, __rmqueue_smallest()/expand(), buddy
// merging in __free_one_page(), the free-list insertion rule of the era, the
// zone fallback of the GFP flags, watermarks and lowmem_reserve, and the
// fragmentation indices of mm/vmstat.c.  documented in man/buddyctl.1.
//
// What is modelled (and what is not):
//   * one free list per order and zone (no migrate types, no per-cpu lists:
//     order-0 pages go straight to and from the buddy lists);
//   * no reclaim, compaction or OOM killer: an allocation that fails both
//     passes of the kernel's fast path (low, then min watermark) fails;
//   * the initial state is the zone's RAM (BuddyZoneSpec::ram) minus Profile::reserved,
//     freed the way that era's boot code frees them (BootFree below); the zone's
//     present page count (watermarks, lowmem_reserve) is the era's, holes included
//     where that era counts them.
// Memory: O(free blocks) after boot; 9 bytes per page frame (two uint32 list links + one state
// byte) only in the chunks of frames where blocks smaller than a chunk are (FrameStore below).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <memory>
#include <vector>

#include "kmemkit/kernel/rules.hpp"
#include "kmemkit/profile.hpp"

namespace kmemkit {

struct Layout;
struct NodeMemory;


// ---- GFP flags ----------------------------------------------------------
struct Gfp {
    bool highmem = false;   // __GFP_HIGHMEM
    bool dma = false;       // __GFP_DMA
    bool high = false;      // __GFP_HIGH  (ALLOC_HIGH)
    bool wait = true;       // __GFP_WAIT / __GFP_DIRECT_RECLAIM
    bool atomic = false;    // __GFP_ATOMIC (4.4+)
};
// "GFP_KERNEL", "GFP_ATOMIC", "GFP_HIGHUSER", "GFP_KERNEL|GFP_DMA", "__GFP_HIGHMEM" ...
bool parse_gfp(std::string_view text, Gfp& out);

// ---- the engine ---------------------------------------------------------
enum class ZoneKind { dma, normal, highmem };

struct BuddyZoneSpec {
    std::string name;                  // "DMA", "Normal", "HighMem"
    ZoneKind kind = ZoneKind::normal;
    uint64_t start_pfn = 0, spanned = 0;
    std::vector<std::pair<uint64_t, uint64_t>> present;   // [start, end) pfns, ascending
    uint64_t kernel_present = 0;       // zone->present_pages of the era (0: present page count)
    // [start, end) pfns of RAM that the boot code frees, ascending; empty: `present`.  They
    // differ where the era counts holes as present: i386 <= 2.6.26 registers the whole span
    // (present = spanned, for the watermarks) but frees only e820 RAM.
    std::vector<std::pair<uint64_t, uint64_t>> ram;
};

struct BuddyConfig {
    unsigned max_order = 11;
    const MmEra* era = nullptr;        // required
    Arch arch = Arch::arm;
    bool pae = false;
    std::vector<BuddyZoneSpec> zones;  // index order
    std::vector<std::pair<uint64_t, uint64_t>> reserved;  // [start, end) pfns never freed
    uint64_t phys_offset = 0;          // lowmem va = page_offset + (pa - phys_offset)
    uint32_t page_offset = 0xc0000000;
    long min_free_kbytes = -1;         // -1: computed as the era does
};

enum class AllocFail : uint8_t { none, order_too_large, below_watermark, no_free_block, no_zone };

struct AllocResult {
    bool ok = false;
    uint64_t pfn = 0;
    int zone = -1;
    AllocFail fail = AllocFail::none;
};

struct ZoneState {
    std::string name;
    ZoneKind kind = ZoneKind::normal;
    uint64_t start_pfn = 0, end_pfn = 0;
    uint64_t present = 0;              // present page count
    uint64_t managed = 0;              // pages freed at boot
    uint64_t size_for_wmark = 0;       // present_pages or managed_pages as the era uses
    uint64_t free_pages = 0;
    uint64_t wmark_min = 0, wmark_low = 0, wmark_high = 0;
    uint64_t lowmem_reserve[4] = {0, 0, 0, 0};   // by zone index
    uint64_t nr_free[32] = {};         // blocks per order
    uint32_t head[32], tail[32];       // free lists (frame indices)
    bool populated() const { return present > 0; }
};


// The per-frame state of the allocator (a list link pair and a state byte per frame), kept per
// chunk of 2^shift frames.  A chunk whose frames are all alike except its first (one block of the
// chunk's size or larger starts or continues there, or no usable RAM) is one 32-byte directory
// entry; its frames are stored (9 bytes each) only once a smaller block or a frame of its own
// appears.  Boot frees maximal blocks, so a board's boot state costs O(free blocks), not
// O(frames): a 64 GB PAE board is 16 M frames but ~16 K blocks.
class FrameStore {
public:
    FrameStore() = default;
    FrameStore(uint64_t frames, unsigned shift, uint8_t fill);
    uint8_t info(uint32_t i) const {
        const Dir& d = dir_[i >> shift_];
        if (d.info) return d.info[i & mask_];
        return (i & mask_) ? d.fill : d.head;
    }
    void set_info(uint32_t i, uint8_t v) {
        Dir& d = dir_[i >> shift_];
        if (d.info) d.info[i & mask_] = v;
        else if (!(i & mask_)) d.head = v;
        else if (v != d.fill) materialize(d), d.info[i & mask_] = v;
    }
    uint32_t& next(uint32_t i) { return link(i, 0); }
    uint32_t& prev(uint32_t i) { return link(i, 1); }
    uint32_t next(uint32_t i) const { return link_value(i, 0); }
    uint32_t prev(uint32_t i) const { return link_value(i, 1); }
    // every frame of [first, first + count) gets state v (chunks it covers whole stay entries)
    void fill(uint32_t first, uint64_t count, uint8_t v);
    uint64_t frames() const { return frames_; }
    size_t bytes() const;   // heap bytes held

private:
    struct Dir {
        uint32_t* links = nullptr;       // the chunk's stored frames (next, prev interleaved), or
        uint8_t* info = nullptr;         // nullptr: its frames are alike
        uint32_t next = 0, prev = 0;     // the first frame's links while not stored
        uint8_t head = 0, fill = 0;      // the first frame's state, every other frame's
    };
    uint32_t& link(uint32_t i, int which) {
        Dir& d = dir_[i >> shift_];
        if (!d.links) {
            if (!(i & mask_)) return which ? d.prev : d.next;
            materialize(d);
        }
        return d.links[2 * (i & mask_) + which];
    }
    uint32_t link_value(uint32_t i, int which) const {
        const Dir& d = dir_[i >> shift_];
        if (d.links) return d.links[2 * (i & mask_) + which];
        return (i & mask_) ? 0 : which ? d.prev : d.next;
    }
    void materialize(Dir& d);
    unsigned shift_ = 10;
    uint32_t mask_ = 1023;
    uint64_t frames_ = 0;
    std::vector<Dir> dir_;
    std::vector<std::unique_ptr<uint32_t[]>> chunks_;   // the stored chunks' memory
};

class BuddyAllocator {
public:
    static constexpr uint32_t kNil = 0xffffffffu;
    explicit BuddyAllocator(const BuddyConfig& cfg);   // throws Error

    AllocResult alloc(unsigned order, const Gfp& gfp);
    // The block must be allocated with this order (checked by is_allocated()).
    void free(uint64_t pfn, unsigned order);
    bool is_allocated(uint64_t pfn, unsigned order) const;

    unsigned max_order() const { return max_order_; }
    const std::vector<ZoneState>& zones() const { return zones_; }
    const MmEra& era() const { return *era_; }
    long min_free_kbytes() const { return min_free_kbytes_; }
    uint64_t pages_in_use() const { return in_use_; }
    uint64_t total_free() const;
    // heap bytes of the per-frame state (FrameStore): O(free blocks) after boot
    size_t frame_state_bytes() const { return frames_.bytes(); }
    bool is_lowmem_zone(int z) const { return zones_[size_t(z)].kind != ZoneKind::highmem; }
    uint64_t pa_of(uint64_t pfn) const { return pfn << 12; }
    // lowmem kernel virtual address of a pfn (only meaningful for lowmem zones)
    uint64_t va_of(uint64_t pfn) const { return uint64_t(page_offset_) + ((pfn << 12) - phys_offset_); }

    // /proc/buddyinfo lines (populated zones), byte for byte, '\n' terminated
    std::string buddyinfo() const;
    // debugfs extfrag/unusable_index and extfrag/extfrag_index (mm/vmstat.c, 2.6.35+): the same
    // "Node 0, zone %8s " lines with one index per order
    std::string unusable_index() const;
    std::string extfrag_index() const;
    // Checks every invariant: free lists well formed, blocks aligned and
    // disjoint, counters right, free + allocated = managed.  Empty when fine.
    std::string verify() const;

private:
    void list_add(ZoneState& z, unsigned order, uint32_t idx, bool tail);
    void list_del(ZoneState& z, unsigned order, uint32_t idx);
    void free_block(int zone, uint64_t pfn, unsigned order, bool force_tail);
    bool watermark_ok(const ZoneState& z, unsigned order, uint64_t mark, int classzone, bool high,
                      bool harder) const;
    AllocResult try_zones(unsigned order, const Gfp& gfp, bool min_pass);
    void setup_watermarks(long forced);
    int zone_of(uint64_t pfn) const;
    template <class Cell>
    std::string zone_lines(const Cell& cell) const;

    unsigned max_order_;
    const MmEra* era_;
    uint64_t base_pfn_ = 0;
    uint64_t phys_offset_ = 0;
    uint32_t page_offset_ = 0;
    long min_free_kbytes_ = 0;
    uint64_t in_use_ = 0;
    std::vector<ZoneState> zones_;
    // per frame: free-list links, and 0x80|order free head, 0x40|order allocated head,
    // 0x20 not usable, 0 inside a block
    FrameStore frames_;
};

// The zones of a board as compute_zones() gives them, for BuddyConfig.
BuddyConfig buddy_config_for(const Board& board, const Layout& layout, const NodeMemory& node);

// ---- fragmentation indices (mm/vmstat.c, v2.6.37/v6.1) ----------------------
struct FragInfo {
    uint64_t free_blocks_total = 0, free_pages = 0, free_blocks_suitable = 0;
};
FragInfo fill_contig_page_info(const ZoneState& z, unsigned max_order, unsigned order);
// x1000; -1000 means the allocation would succeed; 0 with no free blocks
int fragmentation_index(const FragInfo& f, unsigned order);
int unusable_free_index(const FragInfo& f, unsigned order);
// "%d.%03d" of an index x1000 ("-1.000", "0.250"); width2: "%2d.%03d" (" 0.250")
std::string format_index(int v, bool width2 = false);

const char* zone_kind_name(ZoneKind k);

}  // namespace kmemkit
