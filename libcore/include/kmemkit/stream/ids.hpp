// Stream ids (man/kmemkit-stream.5 IDS): the one rule every filter applies to an id= field, and the
// two stores the filters keep ids in — the live ids (what each names) and the ids recently freed
// or whose allocation failed (to tell a double free, or the free of a NULL, from an id that was
// never allocated).  buddyctl and kmapsim both use them.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "kmemkit/stream/line.hpp"

namespace kmemkit {

// ---- the id rule ------------------------------------------------------------------------------
constexpr size_t kMaxStreamId = 4096;
// The id= field of `l` in `id`: false with `err` (column of the value) when it is longer than
// kMaxStreamId bytes, or absent and `required` ("'VERB' needs an id= field").  Absent and not
// required: true with `id` empty.
bool stream_id(const StreamLine& l, std::string_view& id, StreamError& err, bool required = true);
// An id as error messages show it: at most 60 bytes
inline std::string_view shown_id(std::string_view id) { return id.substr(0, 60); }
// The hash both stores key ids by: eight bytes at a time, with a splitmix64 finaliser; never 0.
uint64_t stream_id_hash(std::string_view id);

// ---- live ids ---------------------------------------------------------------------------------
// What a live id names: 8 bytes.  `value` is the page block's pfn (below 2^28: 40-bit physical
// addresses at most, LPAE) or the vmalloc/ioremap area's index.
struct IdEntry {
    enum Kind : uint8_t { page, vmalloc, ioremap };
    uint32_t value = 0;
    Kind kind = page;
    uint8_t order = 0;
    uint16_t key_len = 0;   // the map's: the key's length (in the entry's padding)
    IdEntry() = default;
    IdEntry(Kind k, uint8_t o, uint32_t v) : value(v), kind(k), order(o) {}
};

// An open-addressing hash map from ids (owned strings) to IdEntry.  Linear probing with
// backward-shift deletion: no tombstones, and it shrinks, so memory follows the number of live
// ids.  A slot is 24 bytes, ids of up to 12 bytes stored in it (longer ones on the heap), and the
// table grows by half at 4/5 load, so that a live id costs 24 / (4/5 / 1.5) = 45 bytes at the
// worst point (just after a growth) and 30 bytes at the best.
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
    // erases the entry find() returned (no second probe)
    void erase(IdEntry* e);
    size_t size() const { return count_; }
    size_t capacity() const { return cap_; }
    // the bytes the map holds: its slots and the keys longer than 12 bytes
    size_t bytes() const { return cap_ * sizeof(Slot) + heap_bytes_; }
    static uint64_t hash(std::string_view key) { return stream_id_hash(key); }

private:
    static constexpr uint32_t kInline = 12;
    struct Slot {            // trivially copyable: the heap key moves with the bits
        uint32_t h;          // 0 = empty
        IdEntry e;
        char k[kInline];     // the key, or (longer keys) a pointer to it, memcpy'd
        const char* data() const;
        std::string_view key() const { return {data(), e.key_len}; }
    };
    static uint32_t h32(uint64_t h) { return uint32_t(h >> 32) | 1u; }
    // the home slot of a hash: h * cap / 2^32 (any capacity, not only powers of two)
    size_t home(uint32_t h) const { return size_t((uint64_t(h) * cap_) >> 32); }
    size_t next(size_t i) const { return i + 1 == cap_ ? 0 : i + 1; }
    void rehash(size_t cap);
    void erase_slot(size_t i);
    void release(Slot& s);
    std::vector<Slot> slots_;
    size_t cap_ = 0, count_ = 0, heap_bytes_ = 0;
};

// ---- recent ids -------------------------------------------------------------------------------
// The last `max` ids added (as hashes), each with a stamp: the caller's clock, with what it
// likes in the low bits.  add() is one sequential write to a ring (it runs on every free); the
// hash index stamp_of() needs is brought up to date only when it is called, that is on a misuse
// or the free of a failed allocation, so a clean trace never pays for it.  Ring and index grow
// with the adds (up to `max`): a short trace does not pay for what a long one needs, and a
// trace of any length holds at most `max` of them.
class RecentIds {
public:
    explicit RecentIds(size_t max) : max_(max) {}
    void add(uint64_t h, uint64_t stamp) {
        if (ring_.size() < max_) ring_.push_back({h, stamp});   // added_ == ring_.size() until full
        else ring_[size_t(added_ % max_)] = {h, stamp};
        ++added_;
    }
    // The stamp of the latest add of `h` among the last `max`, or 0 (stamps are never 0).
    uint64_t stamp_of(uint64_t h);
    size_t max() const { return max_; }

private:
    struct Added { uint64_t h, stamp; };
    void put(uint64_t h, uint64_t seq);
    size_t max_;
    std::vector<Added> ring_;                         // the last max_ adds, by sequence number
    uint64_t added_ = 0, synced_ = 0;                 // adds so far; adds already indexed
    std::vector<std::pair<uint64_t, uint64_t>> index_;   // open addressing: (hash, sequence + 1)
    size_t indexed_ = 0;
};

// What became of an id that is not live: the latest of "freed" and "its allocation failed" among
// the last 65,536 frees and the last 131,072 failures.  A failed allocation is remembered here,
// not as a live id: the caller holds NULL, and a trace of any number of failures holds bounded
// memory.  Both filters that take ids keep one.
class IdHistory {
public:
    enum Fate { unknown, was_freed, has_failed };
    void freed(uint64_t h) { freed_.add(h, ++clock_ << 2); }
    void failed(uint64_t h, IdEntry::Kind kind) { failed_.add(h, (++clock_ << 2) | kind); }
    // has_failed: `kind` gets what the allocation was
    Fate fate(uint64_t h, IdEntry::Kind* kind = nullptr) {
        const uint64_t f = failed_.stamp_of(h), d = freed_.stamp_of(h);
        if (f > d) {
            if (kind) *kind = IdEntry::Kind(f & 3);
            return has_failed;
        }
        return d ? was_freed : unknown;
    }

private:
    RecentIds freed_{1 << 16}, failed_{1 << 17};
    uint64_t clock_ = 0;
};

}  // namespace kmemkit
