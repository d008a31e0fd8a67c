// Allocation traces (man/kmemkit-stream.5): replaying the buddyctl verbs
// (alloc, free, vmalloc, vfree, ioremap, iounmap, show, vmalloc_info) against
// the buddy and vmalloc models, annotating each line; and a reproducible
// workload generator.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kmemkit/buddy.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/stream/ids.hpp"
#include "kmemkit/stream/line.hpp"
#include "kmemkit/table_view.hpp"
#include "kmemkit/vmalloc.hpp"

namespace kmemkit {

struct ReplayStats {
    uint64_t ops = 0;             // owned lines acted on
    uint64_t allocs = 0, frees = 0, vmallocs = 0, vfrees = 0, ioremaps = 0;
    uint64_t enomem = 0;          // allocations that failed
    uint64_t einval = 0;          // bad frees etc. (annotated, or errors with --strict)
    uint64_t peak_pages = 0;      // peak pages in use (buddy)
    uint64_t vmalloc_pages = 0;   // pages backing live vmalloc areas
};

class Replayer {
public:
    Replayer(BuddyAllocator& buddy, VmallocSpace& vmalloc, bool strict, bool pae);
    // Acts on a line of a buddyctl verb (stream/grammar.hpp): writes the annotated line and any
    // inserted lines, or fills `err` and returns false (malformed, or --strict misuse: then
    // *strict_error is set).
    bool handle(const StreamLine& line, OutBuf& out, StreamError& err, bool* strict_error);
    const ReplayStats& stats() const { return stats_; }
    IdMap& ids() { return ids_; }

private:
    bool do_alloc(const StreamLine& l, OutBuf& out, StreamError& err, bool* se);
    bool do_free(const StreamLine& l, OutBuf& out, StreamError& err, bool* se, int kind);
    bool do_vmalloc(const StreamLine& l, OutBuf& out, StreamError& err, bool* se, bool ioremap);
    // __vmalloc_node(): the area, then its page-pointer array (nested when larger than a page),
    // then the pages; -1 with the reason (and the kernel's message) on failure.
    int vmalloc_node(uint64_t size, std::string_view caller, const char*& reason, std::string& kmsg);
    // vfree()/iounmap() of an area (and of its nested page array): pages back to the buddy
    // allocator, the range to the vmalloc space; `unmaps` gets the cleared ranges, in order.
    void vfree_area(int area, std::vector<std::pair<uint64_t, uint64_t>>& unmaps);
    void put_vmalloc_maps(int area, std::string_view id, bool nested, OutBuf& out);
    void put_failed(OutBuf& out, uint64_t h, IdEntry::Kind kind, const char* reason);
    bool get_id(const StreamLine& l, std::string_view& id, StreamError& err);
    bool misuse(const StreamLine& l, OutBuf& out, StreamError& err, bool* se, const char* reason,
                const std::string& msg);
    BuddyAllocator& buddy_;
    VmallocSpace& vm_;
    bool strict_, pae_;
    IdMap ids_;                // live ids: what each names
    IdHistory history_;        // freed and failed ids
    std::vector<std::pair<uint64_t, uint64_t>> unmaps_;   // scratch: (va, pages) of a vfree
    ReplayStats stats_;
    Gfp vmalloc_gfp_;
};

// The models set up for a board: compute_layout + compute_zones -> buddy (after boot)
// and the vmalloc space VMALLOC_START..VMALLOC_END.  Throws Error.
struct Simulation {
    std::unique_ptr<BuddyAllocator> buddy;
    std::unique_ptr<VmallocSpace> vm;
    bool pae = false;
};
Simulation make_simulation(const Board& board, long min_free_kbytes = -1);

// `buddyctl info`: /proc/buddyinfo, then per zone the watermarks and a per-order table
// with the fragmentation and unusable-free-space indices.
std::string buddy_info_text(const BuddyAllocator& b);
// The free blocks per zone and order as a table view (buddyctl info -o/-n/-r/-P); zone -1: all
TableView buddy_orders_view(const BuddyAllocator& b, int zone = -1);
const std::vector<TableColumn>& buddy_orders_columns();
// hex: field lines (pfns as "0x%x", render.hpp's vocabulary); else JSON
Value buddy_info_value(const BuddyAllocator& b, bool hex);

// ---- workload generator -------------------------------------------------
struct GenOptions {
    uint64_t seed = 1;
    uint64_t ops = 1000;
    // relative weights of the verbs
    unsigned w_alloc = 60, w_free = 40, w_vmalloc = 0, w_vfree = 0, w_show = 0;
    unsigned w_kmap = 0, w_kunmap = 0, w_kmap_atomic = 0, w_kunmap_atomic = 0;   // kmapsim verbs
    unsigned max_order = 3;           // orders 0..max_order, uniform
    uint64_t max_live = 0;            // 0: no cap; else frees are forced above it
    uint64_t vmalloc_max_pages = 4;   // vmalloc sizes 1..N pages (in bytes, page multiples)
    unsigned cpus = 1;                // kmap_atomic on cpus 0..N-1
    unsigned max_kmaps = 64;          // live persistent kmaps at most (kunmap instead above it)
    unsigned atomic_depth = 4;        // nested kmap_atomic per cpu at most (kunmap_atomic above it)
    // GFP flag sets with weights ("GFP_KERNEL" 80 ...)
    std::vector<std::pair<std::string, unsigned>> gfp = {{"GFP_KERNEL", 1}};
};
// "alloc=60,free=40,vmalloc=2,vfree=2,show=0,kmap=5,kunmap=5,kmap_atomic=5,kunmap_atomic=5"; throws Error
void parse_gen_mix(const std::string& text, GenOptions& o);
// "GFP_KERNEL=80,GFP_HIGHUSER=15,GFP_ATOMIC=5"; throws Error
void parse_gen_gfp(const std::string& text, GenOptions& o);
// Writes `ops` trace lines (splitmix64 PRNG, deterministic for a seed).  Frees name live
// ids only (live in the trace: an allocation that fails on replay is freed too).
// kmap names a live page id (one allocated with a __GFP_HIGHMEM flag set when there is
// one), kunmap a live kmap; kmap_atomic nests per cpu with the km_type of its depth
// (KM_USER0, KM_USER1, KM_BIO_SRC_IRQ, ...) and kunmap_atomic unmaps the innermost (LIFO)
// by id; a page is never freed while mapped (its unmap comes first).
void generate_trace(const GenOptions& o, OutBuf& out);

}  // namespace kmemkit
