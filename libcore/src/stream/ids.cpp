// Stream ids: the id rule, the live-id map and the recent-id ring (see stream/ids.hpp).
#include "kmemkit/stream/ids.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <fmt/format.h>

namespace kmemkit {

bool stream_id(const StreamLine& l, std::string_view& id, StreamError& err, bool required) {
    const StreamField* f = l.get(StreamKey::id);
    id = {};
    if (!f) {
        if (!required) return true;
        err.message = fmt::format("'{}' needs an id= field", l.verb);
        err.col = 1;
        return false;
    }
    if (f->value.size() > kMaxStreamId) {
        err.message = fmt::format("id is {} bytes long (the limit is {})", f->value.size(), kMaxStreamId);
        err.col = f->col + 3;
        return false;
    }
    id = f->value;
    return true;
}

uint64_t stream_id_hash(std::string_view k) {
    // eight bytes at a time (ids are short: "a12345"), each word mixed in with a multiply, then
    // splitmix64's finaliser; the length is mixed in so that "a" and "a\0" differ
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t(k.size()) * 0xff51afd7ed558ccdull);
    size_t i = 0;
    for (; i + 8 <= k.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, k.data() + i, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
    }
    if (i < k.size()) {
        uint64_t w = 0;
        std::memcpy(&w, k.data() + i, k.size() - i);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    }
    h ^= h >> 30;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h ? h : 1;
}

// ---- IdMap ------------------------------------------------------------------------------------
static_assert(sizeof(IdEntry) == 8 && alignof(IdEntry) == 4, "an IdEntry is 8 bytes");

const char* IdMap::Slot::data() const {
    if (e.key_len <= kInline) return k;
    const char* p;
    std::memcpy(&p, k, sizeof p);
    return p;
}

IdMap::IdMap() { rehash(64); }

IdMap::~IdMap() {
    for (auto& s : slots_)
        if (s.h) release(s);
}

void IdMap::release(Slot& s) {
    if (s.e.key_len > kInline) {
        delete[] s.data();
        heap_bytes_ -= s.e.key_len;
    }
    s.e.key_len = 0;
}

IdEntry* IdMap::find(std::string_view key, uint64_t hash) {
    const uint32_t h = h32(hash);
    for (size_t i = home(h);; i = next(i)) {
        Slot& s = slots_[i];
        if (!s.h) return nullptr;
        if (s.h == h && s.key() == key) return &s.e;
    }
}

void IdMap::insert(std::string_view key, uint64_t hash, const IdEntry& e) {
    if ((count_ + 1) * 5 > cap_ * 4) rehash(cap_ + cap_ / 2);   // load at most 4/5; grow by half
    const uint32_t h = h32(hash);
    size_t i = home(h);
    while (slots_[i].h) i = next(i);
    Slot& s = slots_[i];
    s.h = h;
    s.e = e;
    s.e.key_len = uint16_t(key.size());   // ids are at most kMaxStreamId (4096) bytes
    if (key.size() > kInline) {
        char* p = new char[key.size()];
        std::memcpy(p, key.data(), key.size());
        std::memcpy(s.k, &p, sizeof p);
        heap_bytes_ += key.size();
    } else {
        std::memcpy(s.k, key.data(), key.size());
    }
    ++count_;
}

bool IdMap::erase(std::string_view key, uint64_t hash) {
    const uint32_t h = h32(hash);
    size_t i = home(h);
    for (;; i = next(i)) {
        if (!slots_[i].h) return false;
        if (slots_[i].h == h && slots_[i].key() == key) break;
    }
    erase_slot(i);
    return true;
}

void IdMap::erase(IdEntry* e) {
    // the slot holding the entry that find() returned
    const Slot* s = reinterpret_cast<const Slot*>(reinterpret_cast<const char*>(e) - offsetof(Slot, e));
    erase_slot(size_t(s - slots_.data()));
}

void IdMap::erase_slot(size_t i) {
    release(slots_[i]);
    // backward-shift deletion
    size_t j = i;
    for (;;) {
        j = next(j);
        if (!slots_[j].h) break;
        size_t hj = home(slots_[j].h);
        // can slot j move to i?  (its home not in (i, j] cyclically)
        bool in_between = i <= j ? (hj > i && hj <= j) : (hj > i || hj <= j);
        if (!in_between) {
            slots_[i] = slots_[j];
            i = j;
        }
    }
    slots_[i].h = 0;
    slots_[i].e.key_len = 0;
    --count_;
    if (cap_ > 1024 && count_ * 8 < cap_) rehash(cap_ / 2);
}

void IdMap::rehash(size_t cap) {
    std::vector<Slot> old(cap, Slot{});
    old.swap(slots_);
    cap_ = cap;
    for (const auto& s : old) {
        if (!s.h) continue;
        size_t i = home(s.h);
        while (slots_[i].h) i = next(i);
        slots_[i] = s;
    }
}

// ---- RecentIds --------------------------------------------------------------------------------
void RecentIds::put(uint64_t h, uint64_t seq) {
    size_t mask = index_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (!index_[i].second) {
            index_[i] = {h, seq + 1};
            ++indexed_;
            return;
        }
        if (index_[i].first == h) {   // a later add of the same id: the newest sequence counts
            index_[i].second = seq + 1;
            return;
        }
    }
}

uint64_t RecentIds::stamp_of(uint64_t h) {
    if (!added_) return 0;
    const uint64_t window = added_ > max_ ? added_ - max_ : 0;   // sequence numbers still in the ring
    // load factor at most 1/2: 4 slots per hash the ring holds (64 at least)
    size_t cap = 64;
    while (cap < 4 * std::min<uint64_t>(added_, max_)) cap *= 2;
    if (index_.size() < cap || added_ - synced_ > max_ || indexed_ + (added_ - synced_) > cap / 2) {
        // rebuild from the ring (grown, or stale entries would fill the index otherwise);
        // cap never shrinks (added_ only grows), so the index is never cut
        index_.assign(cap, std::pair<uint64_t, uint64_t>{0, 0});
        indexed_ = 0;
        synced_ = window;
    }
    for (; synced_ < added_; ++synced_) put(ring_[size_t(synced_ % max_)].h, synced_);
    size_t mask = index_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (!index_[i].second) return 0;
        if (index_[i].first == h) {
            const uint64_t seq = index_[i].second - 1;
            return seq >= window ? ring_[size_t(seq % max_)].stamp : 0;
        }
    }
}

}  // namespace kmemkit
