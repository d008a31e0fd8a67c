// The buddy allocator model (see buddy.hpp for what is and is not modelled).
// Sources: mm/page_alloc.c, mm/bootmem.c of v2.6.18; mm/page_alloc.c (tail
// rule), mm/vmstat.c (fragmentation index) of v2.6.37; mm/page_alloc.c,
// mm/vmstat.c of v6.1 ("vX.Y": the kernel source at that release).
#include "kmemkit/buddy.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/zones.hpp"

namespace kmemkit {


// ---------------------------------------------------------------------------
bool parse_gfp(std::string_view text, Gfp& out) {
    // include/linux/gfp.h: GFP_KERNEL = __GFP_WAIT|__GFP_IO|__GFP_FS, GFP_ATOMIC = __GFP_HIGH
    // (4.4+: |__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM), GFP_HIGHUSER = GFP_USER|__GFP_HIGHMEM, GFP_DMA = __GFP_DMA.
    Gfp g;
    g.wait = false;
    if (text.empty()) return false;
    size_t i = 0;
    while (i <= text.size()) {
        size_t j = text.find('|', i);
        if (j == std::string_view::npos) j = text.size();
        std::string_view t = text.substr(i, j - i);
        if (t == "GFP_KERNEL" || t == "GFP_USER" || t == "GFP_NOIO" || t == "GFP_NOFS") g.wait = true;
        else if (t == "GFP_HIGHUSER" || t == "GFP_HIGHUSER_MOVABLE") g.wait = g.highmem = true;
        else if (t == "GFP_ATOMIC") g.high = g.atomic = true;
        else if (t == "GFP_NOWAIT") {}
        else if (t == "GFP_DMA" || t == "__GFP_DMA") g.dma = true;
        else if (t == "__GFP_HIGHMEM") g.highmem = true;
        else if (t == "__GFP_HIGH") g.high = true;
        else if (t == "__GFP_WAIT" || t == "__GFP_DIRECT_RECLAIM") g.wait = true;
        else if (t == "__GFP_ATOMIC") g.atomic = true;
        else return false;
        i = j + 1;
    }
    out = g;
    return true;
}

const char* zone_kind_name(ZoneKind k) {
    return k == ZoneKind::dma ? "DMA" : k == ZoneKind::highmem ? "HighMem" : "Normal";
}

namespace {
constexpr uint8_t kFree = 0x80, kAlloc = 0x40, kUnusable = 0x20;

uint64_t int_sqrt(uint64_t x) {   // lib/int_sqrt.c: floor(sqrt(x))
    uint64_t r = 0, b = uint64_t(1) << 62;
    while (b > x) b >>= 2;
    while (b) {
        if (x >= r + b) {
            x -= r + b;
            r = (r >> 1) + b;
        } else {
            r >>= 1;
        }
        b >>= 2;
    }
    return r;
}
}  // namespace

FrameStore::FrameStore(uint64_t frames, unsigned shift, uint8_t fill)
    : shift_(shift), mask_((uint32_t(1) << shift) - 1), frames_(frames) {
    Dir d;
    d.head = d.fill = fill;
    dir_.assign(size_t((frames + mask_) >> shift), d);
}

void FrameStore::materialize(Dir& d) {
    // one allocation: 2 links per frame, then a state byte per frame
    const size_t n = size_t(mask_) + 1;
    std::unique_ptr<uint32_t[]> mem(new uint32_t[2 * n + (n + 3) / 4]());
    d.links = mem.get();
    d.info = reinterpret_cast<uint8_t*>(mem.get() + 2 * n);
    std::memset(d.info, d.fill, n);
    d.info[0] = d.head;
    d.links[0] = d.next;
    d.links[1] = d.prev;
    chunks_.push_back(std::move(mem));
}

void FrameStore::fill(uint32_t first, uint64_t count, uint8_t v) {
    uint64_t i = first;
    const uint64_t end = first + count;
    while (i < end) {
        Dir& d = dir_[size_t(i >> shift_)];
        const uint64_t chunk_end = ((i >> shift_) + 1) << shift_;
        const uint64_t stop = std::min(end, chunk_end);
        if (!d.info && stop == chunk_end && (i & mask_) <= 1) {
            // the rest of the chunk: its frames stay alike (the first too, from its start)
            if (!(i & mask_)) d.head = v;
            d.fill = v;
        } else {
            for (uint64_t k = i; k < stop; ++k) set_info(uint32_t(k), v);
        }
        i = stop;
    }
}

size_t FrameStore::bytes() const {
    return dir_.capacity() * sizeof(Dir) + chunks_.capacity() * sizeof(chunks_[0]) +
           chunks_.size() * (size_t(mask_) + 1) * (2 * sizeof(uint32_t) + 1);
}

BuddyAllocator::BuddyAllocator(const BuddyConfig& cfg)
    : max_order_(cfg.max_order), era_(cfg.era), phys_offset_(cfg.phys_offset), page_offset_(cfg.page_offset) {
    if (!era_) throw Error("buddy: no era rules given");
    if (max_order_ < 1 || max_order_ > 20) throw Error(fmt::format("MAX_ORDER {} is outside 1..20", max_order_));
    if (cfg.zones.empty() || cfg.zones.size() > 4) throw Error("buddy: a node has 1 to 4 zones");
    uint64_t lo = UINT64_MAX, hi = 0;
    for (const auto& s : cfg.zones)
        if (s.spanned) {
            lo = std::min(lo, s.start_pfn);
            hi = std::max(hi, s.start_pfn + s.spanned);
        }
    if (lo == UINT64_MAX) throw Error("buddy: no zone has pages");
    if (hi - lo >= kNil) throw Error("buddy: more page frames than the model holds (2^32)");
    base_pfn_ = lo;
    // a frame stays unusable unless boot frees it; chunks of a MAX_ORDER block (at most 1024
    // frames, at least 16) so that boot's maximal blocks are directory entries
    frames_ = FrameStore(hi - lo, std::clamp(max_order_ - 1, 4u, 10u), kUnusable);

    // The usable runs: the RAM the boot code frees minus the reserved ranges, sorted and
    // coalesced.  Kept as intervals so that boot costs O(blocks), not O(frames), on a 16 GB
    // PAE board.  Only RAM is freed even where the era counts a hole as present: v2.6.18
    // arch/i386/kernel/setup.c register_bootmem_low_pages() frees E820_RAM ranges only, and
    // arch/i386/mm/init.c add_one_highpage_init() frees a highmem page only if page_is_ram().
    using Run = std::pair<uint64_t, uint64_t>;
    std::vector<Run> usable;
    for (const auto& s : cfg.zones)
        for (const auto& r : s.ram.empty() ? s.present : s.ram) {
            uint64_t a = std::max(r.first, s.start_pfn), b = std::min(r.second, s.start_pfn + s.spanned);
            if (a < b) usable.emplace_back(a, b);
        }
    for (const auto& r : cfg.reserved) {
        std::vector<Run> kept;
        for (const auto& u : usable) {
            if (r.second <= u.first || r.first >= u.second || r.first >= r.second) {
                kept.push_back(u);
                continue;
            }
            if (u.first < r.first) kept.emplace_back(u.first, r.first);
            if (r.second < u.second) kept.emplace_back(r.second, u.second);
        }
        usable.swap(kept);
    }
    std::sort(usable.begin(), usable.end());
    std::vector<Run> runs;
    for (const auto& u : usable) {
        if (!runs.empty() && u.first <= runs.back().second)
            runs.back().second = std::max(runs.back().second, u.second);
        else
            runs.push_back(u);
    }

    for (const auto& s : cfg.zones) {
        ZoneState z;
        z.name = s.name;
        z.kind = s.kind;
        z.start_pfn = s.start_pfn;
        z.end_pfn = s.start_pfn + s.spanned;
        for (unsigned o = 0; o < 32; ++o) z.head[o] = z.tail[o] = kNil;
        for (const auto& r : s.present) {
            uint64_t a = std::max(r.first, z.start_pfn), b = std::min(r.second, z.end_pfn);
            if (a < b) z.present += b - a;
        }
        z.size_for_wmark = s.kernel_present ? s.kernel_present : z.present;
        zones_.push_back(z);
    }

    // Boot: free every usable page the way the era's boot code does, zone by zone, ascending.
    BootFree bf = cfg.arch == Arch::arm ? era_->boot_free_arm : era_->boot_free_x86;
    for (size_t zi = 0; zi < zones_.size(); ++zi) {
        ZoneState& z = zones_[zi];
        if (!z.present) continue;
        // The era's boot code frees the zone's pages in ascending pfn order, in one of three
        // tilings: highmem page by page (ARM free_highpages, x86 add_one_highpage_init ->
        // __free_page); v2.6.18 mm/bootmem.c free_all_bootmem_core one 32-pfn bitmap word at a time
        // (a fully free word as one order-5 block, otherwise page by page); nobootmem/memblock
        // __free_pages_memory in the largest aligned blocks that fit: order = min(MAX_ORDER-1,
        // __ffs(start)), lowered until the block fits (v4.9 mm/nobootmem.c, v6.1 mm/memblock.c).
        // All three end in the same free lists, so the model frees the memblock tiling for all:
        // any ascending tiling of an aligned 2^k block leaves the state of one order-k free of
        // it.  (By induction on k: the lower half's frees leave it one order-(k-1) block whose
        // buddy, the upper half, is not free; the upper half's last free merges with it, and
        // list_del restores every other entry's place, so the cascade and its tail heuristic
        // are the order-k free's.)  That costs O(blocks), not O(frames).  Only where a block
        // goes in its list differs: v6.1 frees memblock pages to the tail (FPI_TO_TAIL),
        // highmem pages never.
        bool tail = bf == BootFree::memblock_tail && z.kind != ZoneKind::highmem;
        for (const auto& r : runs) {
            uint64_t p = std::max(r.first, z.start_pfn), q = std::min(r.second, z.end_pfn);
            while (p < q) {
                unsigned order = max_order_ - 1;
                if (p) order = std::min<unsigned>(order, unsigned(__builtin_ctzll(p)));
                while (p + (uint64_t(1) << order) > q) --order;
                if (order) frames_.fill(uint32_t(p - base_pfn_) + 1, (uint64_t(1) << order) - 1, 0);
                free_block(int(zi), p, order, tail);
                p += uint64_t(1) << order;
            }
        }
        z.managed = z.free_pages;
        if (era_->zone_pages == ZonePages::managed) z.size_for_wmark = z.managed;
    }
    setup_watermarks(cfg.min_free_kbytes);
}

void BuddyAllocator::setup_watermarks(long forced) {
    // v2.6.18 setup_per_zone_pages_min / init_per_zone_pages_min; v6.1 __setup_per_zone_wmarks /
    // calculate_min_free_kbytes: min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped.
    uint64_t lowmem_pages = 0;
    for (const auto& z : zones_)
        if (z.kind != ZoneKind::highmem) lowmem_pages += z.size_for_wmark;
    if (forced >= 0) {
        min_free_kbytes_ = forced;
    } else {
        uint64_t v = int_sqrt(lowmem_pages * 4 * 16);
        v = std::clamp<uint64_t>(v, 128, era_->min_free_kbytes_max);
        min_free_kbytes_ = long(v);
    }
    uint64_t pages_min = uint64_t(min_free_kbytes_) >> 2;
    for (auto& z : zones_) {
        uint64_t tmp = lowmem_pages ? pages_min * z.size_for_wmark / lowmem_pages : 0;
        if (z.kind == ZoneKind::highmem)
            z.wmark_min = std::clamp<uint64_t>(z.size_for_wmark / 1024, 32, 128);   // SWAP_CLUSTER_MAX..128
        else
            z.wmark_min = tmp;
        if (era_->wmark == WmarkRule::v2618) {
            z.wmark_low = z.wmark_min + (tmp >> 2);
            z.wmark_high = z.wmark_min + (tmp >> 1);
        } else {
            uint64_t t2 = std::max<uint64_t>(tmp >> 2, z.size_for_wmark * 10 / 10000);   // watermark_scale_factor 10
            z.wmark_low = z.wmark_min + t2;
            z.wmark_high = z.wmark_low + t2;
        }
    }
    // setup_per_zone_lowmem_reserve: lower_zone->lowmem_reserve[j] = pages of zones idx+1..j /
    // sysctl_lowmem_reserve_ratio[idx] ({256 DMA, 32 Normal}; v2.6.18, v6.1)
    for (size_t i = 0; i < zones_.size(); ++i) {
        auto& low = zones_[i];
        unsigned ratio = low.kind == ZoneKind::dma ? 256 : low.kind == ZoneKind::normal ? 32 : 0;
        uint64_t sum = 0;
        for (size_t j = i + 1; j < zones_.size(); ++j) {
            sum += zones_[j].size_for_wmark;
            low.lowmem_reserve[j] = ratio && low.size_for_wmark ? sum / ratio : 0;
        }
    }
}

void BuddyAllocator::list_add(ZoneState& z, unsigned o, uint32_t idx, bool tail) {
    if (z.head[o] == kNil) {
        z.head[o] = z.tail[o] = idx;
        frames_.next(idx) = frames_.prev(idx) = kNil;
    } else if (tail) {
        frames_.prev(idx) = z.tail[o];
        frames_.next(idx) = kNil;
        frames_.next(z.tail[o]) = idx;
        z.tail[o] = idx;
    } else {
        frames_.next(idx) = z.head[o];
        frames_.prev(idx) = kNil;
        frames_.prev(z.head[o]) = idx;
        z.head[o] = idx;
    }
    ++z.nr_free[o];
}

void BuddyAllocator::list_del(ZoneState& z, unsigned o, uint32_t idx) {
    const uint32_t n = frames_.next(idx), p = frames_.prev(idx);
    if (p == kNil) z.head[o] = n; else frames_.next(p) = n;
    if (n == kNil) z.tail[o] = p; else frames_.prev(n) = p;
    --z.nr_free[o];
}

void BuddyAllocator::free_block(int zi, uint64_t pfn, unsigned order, bool force_tail) {
    // __free_one_page (v2.6.18; v2.6.37; v6.1): merge while the buddy pfn ^ (1 << order) is a free
    // block of the same order in the same zone, up to MAX_ORDER-1.
    ZoneState& z = zones_[size_t(zi)];
    z.free_pages += uint64_t(1) << order;
    frames_.set_info(uint32_t(pfn - base_pfn_), 0);
    while (order < max_order_ - 1) {
        uint64_t buddy = pfn ^ (uint64_t(1) << order);
        if (buddy < z.start_pfn || buddy >= z.end_pfn) break;
        uint32_t bi = uint32_t(buddy - base_pfn_);
        if (frames_.info(bi) != (kFree | order)) break;
        list_del(z, order, bi);
        frames_.set_info(bi, 0);
        pfn &= buddy;
        ++order;
    }
    bool tail = force_tail;
    if (!tail && era_->free_tail_heuristic && order + 2 < max_order_) {
        // "the buddy of the next-highest order is free ... add to the tail" (v2.6.37; v6.1 buddy_merge_likely)
        uint64_t combined = pfn & ~(uint64_t(1) << order);
        uint64_t hb = combined ^ (uint64_t(1) << (order + 1));
        if (hb >= z.start_pfn && hb < z.end_pfn && frames_.info(uint32_t(hb - base_pfn_)) == (kFree | (order + 1)))
            tail = true;
    }
    uint32_t idx = uint32_t(pfn - base_pfn_);
    frames_.set_info(idx, uint8_t(kFree | order));
    list_add(z, order, idx, tail);
}

int BuddyAllocator::zone_of(uint64_t pfn) const {
    for (size_t i = 0; i < zones_.size(); ++i)
        if (pfn >= zones_[i].start_pfn && pfn < zones_[i].end_pfn) return int(i);
    return -1;
}

bool BuddyAllocator::is_allocated(uint64_t pfn, unsigned order) const {
    if (pfn < base_pfn_ || pfn - base_pfn_ >= frames_.frames()) return false;
    return frames_.info(uint32_t(pfn - base_pfn_)) == (kAlloc | order);
}

void BuddyAllocator::free(uint64_t pfn, unsigned order) {
    int zi = zone_of(pfn);
    if (zi < 0 || !is_allocated(pfn, order)) throw Error(fmt::format("buddy: pfn {:#x} is not an allocated order-{} block", pfn, order));
    in_use_ -= uint64_t(1) << order;
    free_block(zi, pfn, order, false);
}

bool BuddyAllocator::watermark_ok(const ZoneState& z, unsigned order, uint64_t mark, int classzone, bool high,
                                  bool harder) const {
    // v2.6.18 zone_watermark_ok(); v6.1 __zone_watermark_ok()
    long long min = (long long)mark;
    long long free_pages = (long long)z.free_pages - (1LL << order) + 1;
    if (high) min -= min / 2;
    if (harder) min -= min / 4;
    if (free_pages <= min + (long long)z.lowmem_reserve[classzone]) return false;
    if (era_->wmark_check == WmarkCheck::order_loop) {
        for (unsigned o = 0; o < order; ++o) {
            free_pages -= (long long)(z.nr_free[o] << o);
            min >>= 1;
            if (free_pages <= min) return false;
        }
        return true;
    }
    if (!order) return true;
    for (unsigned o = order; o < max_order_; ++o)
        if (z.nr_free[o]) return true;
    return false;
}

AllocResult BuddyAllocator::try_zones(unsigned order, const Gfp& gfp, bool min_pass) {
    // zonelist: the highest zone the flags allow (gfp_zone), then the lower ones
    int top = -1;
    for (int i = int(zones_.size()) - 1; i >= 0; --i) {
        ZoneKind k = zones_[size_t(i)].kind;
        if (k == ZoneKind::highmem && !gfp.highmem) continue;
        if (gfp.dma && k != ZoneKind::dma) {
            bool has_dma = false;
            for (const auto& z : zones_) has_dma |= z.kind == ZoneKind::dma;
            if (has_dma || k == ZoneKind::highmem) continue;   // no ZONE_DMA: __GFP_DMA means Normal
        }
        top = i;
        break;
    }
    AllocResult r;
    r.fail = AllocFail::no_zone;
    int classzone = -1;
    for (int i = top; i >= 0; --i) {
        ZoneState& z = zones_[size_t(i)];
        if (!z.populated()) continue;
        if (classzone < 0) classzone = i;   // zonelist->zones[0]: the first populated zone
        bool high = min_pass && gfp.high;
        bool harder = min_pass && !gfp.wait && (era_->nowait_is_harder || gfp.atomic);
        uint64_t mark = min_pass ? z.wmark_min : z.wmark_low;
        if (!watermark_ok(z, order, mark, classzone, high, harder)) {
            if (r.fail == AllocFail::no_zone) r.fail = AllocFail::below_watermark;
            continue;
        }
        // __rmqueue_smallest / __rmqueue: the head of the smallest non-empty order
        for (unsigned o = order; o < max_order_; ++o) {
            uint32_t idx = z.head[o];
            if (idx == kNil) continue;
            list_del(z, o, idx);
            z.free_pages -= uint64_t(1) << order;
            // expand(): the upper halves go back, largest first, at the list head; the lower
            // half (the original first page) is returned
            unsigned high_o = o;
            while (high_o > order) {
                --high_o;
                uint32_t up = idx + (uint32_t(1) << high_o);
                frames_.set_info(up, uint8_t(kFree | high_o));
                list_add(z, high_o, up, false);
            }
            frames_.set_info(idx, uint8_t(kAlloc | order));
            in_use_ += uint64_t(1) << order;
            r.ok = true;
            r.pfn = base_pfn_ + idx;
            r.zone = i;
            r.fail = AllocFail::none;
            return r;
        }
        r.fail = AllocFail::no_free_block;
    }
    return r;
}

AllocResult BuddyAllocator::alloc(unsigned order, const Gfp& gfp) {
    if (order >= max_order_) {   // __alloc_pages: if (order >= MAX_ORDER) return NULL
        AllocResult r;
        r.fail = AllocFail::order_too_large;
        return r;
    }
    // v2.6.18 __alloc_pages: first pass at the low watermark, then (kswapd woken) at the min
    // watermark with ALLOC_HIGH/ALLOC_HARDER; reclaim is not modelled.
    AllocResult r = try_zones(order, gfp, false);
    if (r.ok) return r;
    r = try_zones(order, gfp, true);
    if (r.ok) return r;
    // the reason: is there any block big enough in the zones the flags allow?
    bool any_block = false;
    for (size_t i = 0; i < zones_.size(); ++i) {
        const auto& z = zones_[i];
        if (z.kind == ZoneKind::highmem && !gfp.highmem) continue;
        for (unsigned o = order; o < max_order_; ++o) any_block |= z.nr_free[o] != 0;
    }
    if (r.fail != AllocFail::no_zone) r.fail = any_block ? AllocFail::below_watermark : AllocFail::no_free_block;
    return r;
}

uint64_t BuddyAllocator::total_free() const {
    uint64_t s = 0;
    for (const auto& z : zones_) s += z.free_pages;
    return s;
}

// One line per populated zone, "Node %d, zone %8s " then one cell per order and '\n': the shape of
// mm/vmstat.c's frag_show, unusable_show_print and extfrag_show_print (walk_zones_in_node).
template <class Cell>
std::string BuddyAllocator::zone_lines(const Cell& cell) const {
    std::string s;
    for (const auto& z : zones_) {
        if (!z.populated()) continue;
        s += fmt::format("Node 0, zone {:>8} ", z.name);
        for (unsigned o = 0; o < max_order_; ++o) s += cell(z, o) + ' ';
        s += '\n';
    }
    return s;
}

std::string BuddyAllocator::buddyinfo() const {
    // v2.6.18/v6.1 mm/vmstat.c frag_show: "%6lu " per order
    return zone_lines([](const ZoneState& z, unsigned o) { return fmt::format("{:6}", z.nr_free[o]); });
}

std::string BuddyAllocator::unusable_index() const {
    // v2.6.35/v6.1 mm/vmstat.c unusable_show_print: "%d.%03d " per order
    return zone_lines([&](const ZoneState& z, unsigned o) {
        return format_index(unusable_free_index(fill_contig_page_info(z, max_order_, o), o));
    });
}

std::string BuddyAllocator::extfrag_index() const {
    // mm/vmstat.c extfrag_show_print: "%d.%03d " per order, "%2d.%03d " from 5.16 (the era's rule)
    return zone_lines([&](const ZoneState& z, unsigned o) {
        return format_index(fragmentation_index(fill_contig_page_info(z, max_order_, o), o), era_->extfrag_index_width2);
    });
}

std::string BuddyAllocator::verify() const {
    const size_t n = size_t(frames_.frames());
    std::vector<uint8_t> cover(n, 0);
    uint64_t total_free = 0, total_alloc = 0, managed = 0;
    for (size_t zi = 0; zi < zones_.size(); ++zi) {
        const auto& z = zones_[zi];
        managed += z.managed;
        uint64_t zfree = 0;
        for (unsigned o = 0; o < max_order_; ++o) {
            uint64_t count = 0;
            uint32_t prev = kNil;
            for (uint32_t i = z.head[o]; i != kNil; i = frames_.next(i)) {
                if (frames_.prev(i) != prev) return fmt::format("zone {} order {}: broken prev link", z.name, o);
                if (frames_.info(i) != (kFree | o)) return fmt::format("zone {} order {}: list entry not a free head", z.name, o);
                uint64_t pfn = base_pfn_ + i;
                if (pfn & ((uint64_t(1) << o) - 1)) return fmt::format("pfn {:#x}: unaligned order-{} block", pfn, o);
                if (pfn < z.start_pfn || pfn + (uint64_t(1) << o) > z.end_pfn)
                    return fmt::format("pfn {:#x}: block outside zone {}", pfn, z.name);
                for (uint64_t k = 0; k < (uint64_t(1) << o); ++k)
                    if (cover[i + k]++) return fmt::format("pfn {:#x}: in two blocks", pfn + k);
                ++count;
                prev = i;
                if (count > n) return "free list cycle";
            }
            if (z.tail[o] != prev) return fmt::format("zone {} order {}: wrong tail", z.name, o);
            if (count != z.nr_free[o]) return fmt::format("zone {} order {}: nr_free {} but {} listed", z.name, o, z.nr_free[o], count);
            zfree += count << o;
        }
        if (zfree != z.free_pages) return fmt::format("zone {}: free_pages {} but {} listed", z.name, z.free_pages, zfree);
        total_free += zfree;
    }
    for (size_t i = 0; i < n; ++i) {
        const uint8_t info = frames_.info(uint32_t(i));
        if ((info & 0xe0) != kAlloc) continue;
        unsigned o = info & 0x1f;
        for (uint64_t k = 0; k < (uint64_t(1) << o); ++k)
            if (i + k >= cover.size() || cover[i + k]++) return fmt::format("pfn {:#x}: allocated twice", base_pfn_ + i + k);
        total_alloc += uint64_t(1) << o;
    }
    for (size_t i = 0; i < n; ++i) {
        bool usable = frames_.info(uint32_t(i)) != kUnusable;
        if (usable && cover[i] != 1) return fmt::format("pfn {:#x}: neither free nor allocated", base_pfn_ + i);
        if (!usable && cover[i]) return fmt::format("pfn {:#x}: unusable page in a block", base_pfn_ + i);
    }
    if (total_alloc != in_use_) return fmt::format("in use {} but {} allocated", in_use_, total_alloc);
    if (total_free + total_alloc != managed) return fmt::format("free {} + allocated {} != managed {}", total_free, total_alloc, managed);
    return {};
}

BuddyConfig buddy_config_for(const Board& board, const Layout& layout, const NodeMemory& node) {
    const Profile& p = board.profile;
    BuddyConfig c;
    c.max_order = p.config.max_order;
    c.era = &mm_era_for(p.kernel);
    c.arch = p.arch;
    c.pae = p.config.pae;
    c.phys_offset = layout.phys_offset;
    c.page_offset = layout.page_offset;
    for (const auto& z : node.zones) {
        if (z.name == "Movable") continue;
        BuddyZoneSpec s;
        s.name = z.name;
        s.kind = z.is_highmem ? ZoneKind::highmem : (z.name == "DMA" ? ZoneKind::dma : ZoneKind::normal);
        s.start_pfn = z.zone_start_pfn;
        s.spanned = z.spanned_pages;
        for (const auto& r : z.present) s.present.push_back({r.start, r.end});
        s.kernel_present = z.kernel_present_pages;
        // the RAM banks inside the zone (whole pages: PFN_UP(start)..PFN_DOWN(end), as
        // register_bootmem_low_pages rounds), which is what boot frees
        for (const auto* banks : {&layout.lowmem_banks, &layout.highmem_banks})
            for (const auto& b : *banks) {
                uint64_t a = std::max((b.start + 4095) >> 12, s.start_pfn), e = std::min(b.end() >> 12, s.start_pfn + s.spanned);
                if (a < e) s.ram.push_back({a, e});
            }
        std::sort(s.ram.begin(), s.ram.end());
        if (s.ram.empty()) s.ram.push_back({0, 0});   // a zone without RAM frees nothing
        c.zones.push_back(std::move(s));
    }
    if (c.zones.size() > 4) c.zones.resize(4);
    for (const auto& r : p.reserved) {
        uint64_t a = r.start >> 12, b = (r.start + r.size + 4095) >> 12;   // whole pages touched
        c.reserved.push_back({a, b});
    }
    return c;
}

// ---------------------------------------------------------------------------
FragInfo fill_contig_page_info(const ZoneState& z, unsigned max_order, unsigned order) {
    // v6.1 mm/vmstat.c fill_contig_page_info()
    FragInfo f;
    for (unsigned o = 0; o < max_order; ++o) {
        uint64_t blocks = z.nr_free[o];
        f.free_blocks_total += blocks;
        f.free_pages += blocks << o;
        if (o >= order) f.free_blocks_suitable += blocks << (o - order);
    }
    return f;
}

int fragmentation_index(const FragInfo& f, unsigned order) {
    // v6.1 mm/vmstat.c __fragmentation_index()
    uint64_t requested = uint64_t(1) << order;
    if (!f.free_blocks_total) return 0;
    if (f.free_blocks_suitable) return -1000;
    return int(1000 - (long long)((1000 + (f.free_pages * 1000 / requested)) / f.free_blocks_total));
}

int unusable_free_index(const FragInfo& f, unsigned order) {
    // v6.1 mm/vmstat.c unusable_free_index()
    if (!f.free_pages) return 1000;
    return int((f.free_pages - (f.free_blocks_suitable << order)) * 1000 / f.free_pages);
}

std::string format_index(int v, bool width2) {
    // "%d.%03d" of index / 1000 and index % 1000, C's truncating division (v2.6.37
    // extfrag_show_print): -1000 -> "-1.000", and a negative index above -1000 (few free blocks
    // smaller than the request) -> "0.-500", as the kernel prints it
    return fmt::format(width2 ? "{:2}.{:03}" : "{}.{:03}", v / 1000, v % 1000);
}

}  // namespace kmemkit
