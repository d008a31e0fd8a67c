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
#include "kmemkit/stream.hpp"
#include "kmemkit/vmalloc.hpp"

namespace kmemkit {

// ---- ids: the one check of every filter that takes id= (buddyctl, kmapsim) ----
constexpr size_t kMaxStreamId = 4096;
// The id= field of `l` in `id`: false with `err` (column of the value) when it is longer
// than kMaxStreamId bytes, or absent and `required` ("'VERB' needs an id= field").
// Absent and not required: true with `id` empty.
bool stream_id(const StreamLine& l, std::string_view& id, StreamError& err, bool required = true);
// An id as error messages show it: at most 60 bytes
inline std::string_view shown_id(std::string_view id) { return id.substr(0, 60); }

// An open-addressing hash map from trace ids (owned strings) to what they
// name.  Linear probing with backward-shift deletion: no tombstones, and it
// shrinks, so memory follows the number of live ids.  A slot is 40 bytes with
// ids of up to 12 bytes stored in it (longer ones on the heap), so that the
// table of a trace with 20,000 live ids (1.3 MB at most) stays near the caches:
// a replay is one probe per line.
struct IdEntry {
    enum Kind : uint8_t { page, vmalloc, ioremap, failed };
    Kind kind = page;
    uint8_t order = 0;
    Kind failed_kind = page; // failed: what the allocation was (its free is then a no-op)
    int32_t area = -1;       // vmalloc/ioremap area
    uint64_t pfn = 0;
    IdEntry() = default;
    IdEntry(Kind k, uint8_t o, int32_t a, uint64_t p, Kind fk = page)
        : kind(k), order(o), failed_kind(fk), area(a), pfn(p) {}
};

class IdMap {
public:
    IdMap();
    ~IdMap();
    IdMap(const IdMap&) = delete;
    IdMap& operator=(const IdMap&) = delete;
    IdEntry* find(std::string_view key, uint64_t h);
    // inserts a new key (must be absent)
    void insert(std::string_view key, uint64_t h, const IdEntry& e);
    bool erase(std::string_view key, uint64_t h);
    size_t size() const { return count_; }
    size_t capacity() const { return slots_.size(); }
    static uint64_t hash(std::string_view key);

private:
    static constexpr uint32_t kInline = 12;
    struct Slot {            // trivially copyable: the heap key moves with the bits
        uint64_t h;          // 0 = empty
        IdEntry e;
        uint32_t len;
        union {
            char inl[kInline];
            char* heap;      // len > kInline
        } k;
        std::string_view key() const { return {len > kInline ? k.heap : k.inl, len}; }
    };
    void rehash(size_t cap);
    static void release(Slot& s);
    std::vector<Slot> slots_;
    size_t count_ = 0;
};

// Hashes of the last kMax freed ids, to tell a double free from a never-allocated id (an
// older double free is then "never allocated").  add() is one sequential write to a ring (it
// runs on every free); the hash index that has() needs is brought up to date only when has()
// is called, that is on a misuse, so a clean trace never pays for it.  Both grow with the
// frees seen (up to kMax): a short trace does not pay for the 4.5 MB a long one needs.
class FreedSet {
public:
    static constexpr size_t kMax = 1 << 16;
    void add(uint64_t h) {
        if (ring_.size() < kMax) ring_.push_back(h);   // added_ == ring_.size() until full
        else ring_[size_t(added_ % kMax)] = h;
        ++added_;
    }
    bool has(uint64_t h);

private:
    void put(uint64_t h, uint64_t seq);
    std::vector<uint64_t> ring_;                      // the last kMax hashes, by sequence number
    uint64_t added_ = 0, synced_ = 0;                 // adds so far; adds already indexed
    std::vector<std::pair<uint64_t, uint64_t>> index_;   // open addressing: (hash, sequence + 1)
    size_t indexed_ = 0;
};

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
    static bool owns(std::string_view verb);
    // Acts on an owned line (see cli::FilterHandle): writes the annotated line and any
    // inserted lines, or fills `err` and returns false (malformed, or --strict misuse:
    // then *strict_error is set).
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
    void put_failed(OutBuf& out, std::string_view id, uint64_t h, IdEntry::Kind kind, const char* reason);
    bool get_id(const StreamLine& l, std::string_view& id, StreamError& err);
    bool misuse(const StreamLine& l, OutBuf& out, StreamError& err, bool* se, const char* reason,
                const std::string& msg);
    BuddyAllocator& buddy_;
    VmallocSpace& vm_;
    bool strict_, pae_;
    IdMap ids_;
    FreedSet freed_;
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

// The progress line buddyctl shows on a terminal's stderr: with the input size known (files),
// a bar and the percentage; unknown (stdin, a pipe), the lines and the rate only.
// "[######                   ]  25% 1000000 lines, 3.2 M lines/s" or "1000000 lines, 3.2 M lines/s"
std::string replay_progress(uint64_t lines, double seconds, uint64_t done_bytes, uint64_t total_bytes);

// `buddyctl info`: /proc/buddyinfo, then per zone the watermarks and a per-order table
// with the fragmentation and unusable-free-space indices.
std::string buddy_info_text(const BuddyAllocator& b);
Value buddy_info_value(const BuddyAllocator& b);

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
