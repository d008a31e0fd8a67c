// Persistent kmap and kmap_atomic/kmap_local, as mm/highmem.c and
// arch/{arm,x86}/mm/highmem*.c do them.  A citation "vX.Y" is the kernel
// source at that release (doc/kernel-rules.md lists the trees read).
#include "kmemkit/kmap.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/stream/writer.hpp"
#include "kmemkit/kernel/rules.hpp"

namespace kmemkit {

PkmapArea pkmap_area(uint32_t base, unsigned last_pkmap) { return PkmapArea{base, last_pkmap}; }

// 2.4 include/asm-i386/highmem.h (v2.4): #define PKMAP_BASE (0xfe000000UL),
// LAST_PKMAP 1024, or 512 with CONFIG_X86_PAE.
PkmapArea x86_24_pkmap_area(bool pae) { return PkmapArea{0xfe000000u, pae ? 512u : 1024u}; }

const char* kmap_model_name(KmapAtomicModel m) {
    switch (m) {
    case KmapAtomicModel::typed: return "km_type";
    case KmapAtomicModel::stack: return "per-cpu stack";
    case KmapAtomicModel::local: return "kmap_local";
    }
    return "?";
}

namespace {


bool in_banks(const std::vector<MemBank>& b, uint64_t pfn) {
    uint64_t pa = pfn << kPageShift;
    for (const auto& m : b)
        if (pa >= m.start && pa < m.end()) return true;
    return false;
}

std::string h(uint64_t v) { return hex32(v); }

}  // namespace

uint32_t KmapConfig::fix_to_virt(unsigned x) const {
    return fixmap_grows_down ? uint32_t(fixaddr_top - uint64_t(x) * kPageSize)
                             : uint32_t(fixaddr_start + uint64_t(x) * kPageSize);
}

uint32_t KmapConfig::atomic_slot_va(unsigned cpu, unsigned idx) const {
    return fix_to_virt(fix_kmap_begin + idx + slots_per_cpu * cpu);
}

KmapConfig kmap_config(const Layout& l, const Profile& p) {
    KmapConfig c;
    const KmapRule& r = kmap_rule_for(l.arch, p.kernel);
    c.arch = l.arch;
    c.kernel = l.kernel;
    c.page_offset = l.page_offset;
    c.phys_offset = l.phys_offset;
    c.lowmem = l.lowmem_banks;
    c.highmem = l.highmem_banks;
    c.has_pkmap = l.has_pkmap;
    if (l.has_pkmap) c.pkmap = pkmap_area(l.pkmap_base, l.last_pkmap);
    c.has_fixmap = l.has_fixmap;
    c.fixmap_grows_down = l.fixmap_grows_down;
    c.fixaddr_start = l.fixaddr_start;
    c.fixaddr_top = l.fixaddr_top;
    c.model = r.model;
    c.slots_per_cpu = r.slots;
    if (r.names) {
        for (auto n : kernel_tables::kKmTypeBase13) c.km_types.push_back(n);
        for (unsigned i = 0; i < r.n_extra; ++i) c.km_types.push_back(r.extra[i]);
    }
    c.nr_cpus = std::max(1u, p.config.nr_cpus);
    // ARM: ARCH_NEEDS_KMAP_HIGH_GET (arch/arm/include/asm/highmem.h), so kmap_atomic()
    // first tries kmap_high_get() on a page that already has a pkmap entry (v2.6.32.9
    // arch/arm/mm/highmem.c; v6.1 arch_kmap_local_high_get()).
    c.kmap_high_get = l.arch == Arch::arm;
    c.rules = r.name;
    c.atomic_unmap_clears_pte = r.atomic_unmap_clears_pte;
    c.source = r.source;
    if (l.arch == Arch::arm) {
        c.fix_kmap_begin = r.arm_fix_kmap_begin;
        c.fix_kmap_begin_why = fmt::format("FIX_KMAP_BEGIN = {} (arch/arm/include/asm/fixmap.h, {})", r.arm_fix_kmap_begin, r.name);
    } else if (p.fix_kmap_begin) {
        c.fix_kmap_begin = *p.fix_kmap_begin;
        c.fix_kmap_begin_why = fmt::format("FIX_KMAP_BEGIN = {} (profile fixmap.kmap_begin)", c.fix_kmap_begin);
    } else if (l.x86_fixmap_from_enum) {
        c.fix_kmap_begin = l.x86_fix_kmap_begin;
        c.fix_kmap_begin_why = fmt::format("FIX_KMAP_BEGIN = {} (enum fixed_addresses of Linux {} with the profile's "
                                           "config, arch/x86/include/asm/fixmap.h)",
                                           c.fix_kmap_begin, p.kernel.text);
    } else {
        // enum fixed_addresses up to FIX_KMAP_BEGIN with CONFIG_X86_LOCAL_APIC and
        // CONFIG_X86_IO_APIC, without VISWS, F00F_BUG, CYCLONE_TIMER, OHCI1394.
        c.fix_kmap_begin = r.x86_head + r.x86_io_apics;
        c.fix_kmap_begin_why = fmt::format("FIX_KMAP_BEGIN = {} + MAX_IO_APICS {} = {} ({}, FIX_IO_APIC_BASE_0..END; "
                                           "no VISWS/F00F/CYCLONE entries; set fixmap.kmap_begin to override)",
                                           r.x86_head, r.x86_io_apics, c.fix_kmap_begin, r.x86_head_names);
    }
    if (c.has_fixmap && !l.highmem_banks.empty()) {
        // FIX_KMAP_END = FIX_KMAP_BEGIN + slots*NR_CPUS - 1 must lie inside the fixmap
        unsigned end = c.fix_kmap_begin + c.slots_per_cpu * c.nr_cpus - 1;
        uint64_t last = c.fixmap_grows_down ? uint64_t(c.fixaddr_top) - uint64_t(end) * kPageSize
                                            : uint64_t(c.fixaddr_start) + uint64_t(end) * kPageSize;
        bool bad = c.fixmap_grows_down ? (uint64_t(c.fixaddr_top) < uint64_t(end) * kPageSize || last < c.fixaddr_start)
                                       : last >= c.fixaddr_top;
        if (bad)
            throw Error(fmt::format("kmap_atomic slots do not fit the fixmap: FIX_KMAP_END = {} + {}*{} - 1 = {} is at {}, "
                                    "outside FIXADDR_START..FIXADDR_TOP {}..{} (check nr_cpus or fixmap.kmap_begin)",
                                    c.fix_kmap_begin, c.slots_per_cpu, c.nr_cpus, end, h(last & 0xffffffffu),
                                    h(c.fixaddr_start), h(c.fixaddr_top)),
                        p.origin);
    }
    return c;
}

bool km_type_index(const KmapConfig& c, std::string_view name, unsigned& out) {
    for (size_t i = 0; i < c.km_types.size(); ++i)
        if (c.km_types[i] == name) { out = unsigned(i); return true; }
    uint64_t n = 0;
    if (!try_parse_number(name, n, 0xffff)) return false;
    if (n >= c.slots_per_cpu) return false;
    out = unsigned(n);
    return true;
}

// ---------------------------------------------------------------------------

KmapSim::KmapSim(KmapConfig c) : c_(std::move(c)) {
    unsigned n = c_.has_pkmap ? c_.pkmap.last_pkmap : 0;
    count_.assign(n, 0);
    page_.assign(n, ~0ULL);
    atomic_.assign(c_.nr_cpus, std::vector<std::optional<uint64_t>>(c_.slots_per_cpu));
    depth_.assign(c_.nr_cpus, 0);
}

bool KmapSim::is_ram(uint64_t pfn) const { return in_banks(c_.lowmem, pfn) || in_banks(c_.highmem, pfn); }
bool KmapSim::is_lowmem(uint64_t pfn) const { return in_banks(c_.lowmem, pfn); }
// __va(pfn << PAGE_SHIFT) = pa - PHYS_OFFSET + PAGE_OFFSET
uint32_t KmapSim::linear_va(uint64_t pfn) const {
    return uint32_t((pfn << kPageShift) - c_.phys_offset + c_.page_offset);
}

// Every kmap variant starts with `if (!PageHighMem(page)) return page_address(page);`:
// a lowmem frame (or a kernel without the mapping area) is its linear address.
KmapOutcome KmapSim::linear_outcome(uint64_t pfn) const {
    KmapOutcome o;
    o.lowmem = true;
    o.has_va = true;
    o.va = linear_va(pfn);
    return o;
}

void KmapSim::update_in_use() {
    unsigned n = 0;
    for (int v : count_) n += v >= 2;
    st_.in_use = n;
    st_.peak = std::max(st_.peak, n);
}

// mm/highmem.c flush_all_zero_pkmaps() (v2.6.18, v6.1): every entry with count 1
// goes to 0, its PTE is cleared and page->virtual set to NULL; then one
// flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP)).
// Each cleared entry is reported in `unmapped`, adjacent entries as one range.
void KmapSim::flush_all_zero_pkmaps(std::vector<KmapUnmap>& unmapped) {
    for (size_t i = 0; i < count_.size(); ++i) {
        if (count_[i] != 1) continue;
        count_[i] = 0;
        virt_.erase(page_[i]);
        page_[i] = ~0ULL;
        uint32_t va = c_.pkmap.addr(unsigned(i));   // pte_clear(&init_mm, (unsigned long)page_address(page), &pkmap_page_table[i])
        if (!unmapped.empty() && unmapped.back().va + unmapped.back().pages * uint32_t(kPageSize) == va)
            ++unmapped.back().pages;
        else
            unmapped.push_back({va, 1});
    }
    ++st_.flushes;
}

// mm/highmem.c map_new_virtual(): next fit from last_pkmap_nr, which is
// pre-incremented (so the first kmap ever uses entry 1); a wrap to 0 flushes;
// after LAST_PKMAP entries without a free one the task sleeps on pkmap_map_wait.
std::optional<unsigned> KmapSim::map_new_virtual(uint64_t pfn, unsigned& flushes, std::vector<KmapUnmap>& unmapped) {
    const unsigned LAST = c_.pkmap.last_pkmap, MASK = LAST - 1;   // LAST_PKMAP_MASK
    unsigned count = LAST;
    for (;;) {
        last_ = (last_ + 1) & MASK;
        if (!last_) {
            flush_all_zero_pkmaps(unmapped);
            ++flushes;
            count = LAST;
        }
        if (!count_[last_]) break;   // found a usable entry
        if (--count) continue;
        return std::nullopt;         // sleep (TASK_UNINTERRUPTIBLE) until a kunmap
    }
    count_[last_] = 1;
    page_[last_] = pfn;
    virt_[pfn] = last_;               // set_page_address()
    return last_;
}

KmapOutcome KmapSim::kmap(uint64_t pfn) {
    KmapOutcome o;
    ++st_.kmaps;
    // arch kmap(): if (!PageHighMem(page)) return page_address(page);
    if (is_lowmem(pfn) || !c_.has_pkmap) {
        ++st_.lowmem;
        return linear_outcome(pfn);
    }
    // kmap_high(): page_address(page), else map_new_virtual(); then pkmap_count++
    unsigned nr;
    auto it = virt_.find(pfn);
    if (it != virt_.end()) {
        nr = it->second;
    } else {
        auto got = map_new_virtual(pfn, o.flushes, o.unmapped);
        if (!got) {
            o.would_sleep = true;
            o.wait_token = next_token_++;
            waiters_.push_back({o.wait_token, pfn});
            ++st_.would_sleep;
            st_.waiting = unsigned(waiters_.size());
            return o;
        }
        nr = *got;
        o.mapped = KmapMapping{c_.pkmap.addr(nr), pfn};
    }
    ++count_[nr];
    o.has_va = true;
    o.va = c_.pkmap.addr(nr);
    o.slot = std::to_string(nr);
    o.count = count_[nr];
    update_in_use();
    return o;
}

// ARM: kunmap_atomic() of an address kmap_high_get() handed out unpins the pkmap
// entry with kunmap_high() (arch/arm/mm/highmem.c, 2.6.32+).
KmapOutcome KmapSim::kunmap_pkmap_from_atomic(uint32_t vaddr, KmapOutcome& o) {
    unsigned nr = c_.pkmap.nr(vaddr);
    if (count_[nr] == 0) {
        o.check = KmapCheck{"BUG", "kunmap_high:BUG_ON(!vaddr)"};
        ++st_.bugs;
        return o;
    }
    KmapOutcome k = kunmap_high_at(nr);
    k.slot = "pkmap:" + k.slot;
    return k;
}

KmapOutcome KmapSim::kunmap_high_at(unsigned nr) {
    KmapOutcome o;
    o.has_va = true;
    o.va = c_.pkmap.addr(nr);
    o.slot = std::to_string(nr);
    // kunmap_high(): switch (--pkmap_count[nr]) { case 0: BUG(); case 1: wake up waiters }
    if (count_[nr] - 1 == 0) {
        o.check = KmapCheck{"BUG", "kunmap_high:BUG()-count-reached-0"};
        ++st_.bugs;
        o.count = count_[nr];
        return o;
    }
    --count_[nr];
    o.count = count_[nr];
    update_in_use();
    if (count_[nr] == 1 && !waiters_.empty()) {
        // wake_up(&pkmap_map_wait) wakes every waiter; each restarts map_new_virtual().
        // kmemkit lets them run in the order they went to sleep.
        std::deque<Waiter> still;
        while (!waiters_.empty()) {
            Waiter w = waiters_.front();
            waiters_.pop_front();
            KmapWake k;
            k.token = w.token;
            k.pfn = w.pfn;
            unsigned wnr;
            auto it = virt_.find(w.pfn);
            if (it != virt_.end()) {
                wnr = it->second;   // somebody else mapped it while we slept
            } else {
                auto got = map_new_virtual(w.pfn, k.flushes, k.unmapped);
                if (!got) { still.push_back(w); continue; }
                wnr = *got;
                k.new_mapping = true;
            }
            ++count_[wnr];
            k.va = c_.pkmap.addr(wnr);
            k.slot = wnr;
            k.count = count_[wnr];
            ++st_.woken;
            o.wakes.push_back(k);
        }
        waiters_ = std::move(still);
        st_.waiting = unsigned(waiters_.size());
        update_in_use();
    }
    return o;
}

KmapOutcome KmapSim::kunmap(uint64_t pfn) {
    ++st_.kunmaps;
    if (is_lowmem(pfn) || !c_.has_pkmap) return linear_outcome(pfn);   // kunmap(): if (!PageHighMem(page)) return;
    auto it = virt_.find(pfn);
    if (it == virt_.end()) {
        KmapOutcome o;
        o.check = KmapCheck{"BUG", "kunmap_high:BUG_ON(!vaddr)"};
        ++st_.bugs;
        return o;
    }
    return kunmap_high_at(it->second);
}

KmapOutcome KmapSim::kmap_high_get(uint64_t pfn, bool& got) {
    // mm/highmem.c kmap_high_get(): vaddr = page_address(page); if (vaddr)
    // { BUG_ON(pkmap_count[PKMAP_NR(vaddr)] < 1); pkmap_count[PKMAP_NR(vaddr)]++; }
    KmapOutcome o;
    got = false;
    auto it = virt_.find(pfn);
    if (it == virt_.end()) return o;
    got = true;
    unsigned nr = it->second;
    ++count_[nr];
    o.has_va = true;
    o.va = c_.pkmap.addr(nr);
    o.slot = "pkmap:" + std::to_string(nr);
    o.count = count_[nr];
    o.note = "kmap_high_get";
    update_in_use();
    return o;
}

KmapOutcome KmapSim::kmap_atomic(unsigned cpu, std::optional<unsigned> type, uint64_t pfn) {
    KmapOutcome o;
    ++st_.atomic_maps;
    if (is_lowmem(pfn) || !c_.has_fixmap) {   // if (!PageHighMem(page)) return page_address(page);
        ++st_.lowmem;
        return linear_outcome(pfn);
    }
    if (c_.kmap_high_get && c_.has_pkmap) {
        bool got;
        KmapOutcome g = kmap_high_get(pfn, got);
        if (got) return g;
    }
    auto& slots = atomic_[cpu];
    unsigned idx;
    if (c_.model == KmapAtomicModel::typed) {
        idx = type.value_or(0);
        // CONFIG_DEBUG_HIGHMEM: kunmap_atomic clears the PTE, so a live one means the
        // slot is used twice: x86 2.6.18 `if (!pte_none(*(kmap_pte-idx))) BUG();`,
        // ARM 2.6.32 `BUG_ON(!pte_none(*(TOP_PTE(vaddr))))`.
        if (slots[idx]) {
            o.check = KmapCheck{"BUG", c_.arch == Arch::x86 ? "kmap_atomic:BUG()-on-!pte_none(*(kmap_pte-idx))"
                                                             : "kmap_atomic:BUG_ON(!pte_none(*(TOP_PTE(vaddr))))"};
            ++st_.bugs;
            o.has_va = true;
            o.va = c_.atomic_slot_va(cpu, idx);
            o.slot = "fix:" + std::to_string(c_.fix_kmap_begin + idx + c_.slots_per_cpu * cpu);
            return o;
        }
    } else {
        // kmap_atomic_idx_push() (2.6.37-5.10, CONFIG_DEBUG_HIGHMEM: BUG_ON(idx >= KM_TYPE_NR));
        // kmap_local_idx_push() (5.11+: BUG_ON(current->kmap_ctrl.idx >= KM_MAX_IDX)).
        idx = depth_[cpu];
        if (idx >= c_.slots_per_cpu) {
            o.check = KmapCheck{"BUG", c_.model == KmapAtomicModel::stack
                                           ? "kmap_atomic_idx_push:BUG_ON(idx>=KM_TYPE_NR)"
                                           : "kmap_local_idx_push:BUG_ON(current->kmap_ctrl.idx>=KM_MAX_IDX)"};
            ++st_.bugs;
            return o;
        }
        ++depth_[cpu];
    }
    slots[idx] = pfn;
    o.has_va = true;
    o.va = c_.atomic_slot_va(cpu, idx);
    o.slot = "fix:" + std::to_string(c_.fix_kmap_begin + idx + c_.slots_per_cpu * cpu);
    o.mapped = KmapMapping{o.va, pfn};
    return o;
}

KmapOutcome KmapSim::kunmap_atomic(unsigned cpu, std::optional<uint32_t> va, std::optional<unsigned> type) {
    KmapOutcome o;
    ++st_.atomic_unmaps;
    auto& slots = atomic_[cpu];
    const uint32_t PAGE_MASK = ~uint32_t(kPageSize - 1);
    if (c_.model == KmapAtomicModel::typed) {
        unsigned idx = type.value_or(0);
        uint32_t slot_va = c_.atomic_slot_va(cpu, idx);
        uint32_t vaddr = va ? (*va & PAGE_MASK) : slot_va;
        o.has_va = true;
        o.va = vaddr;
        bool in_fixmap = c_.has_fixmap && (c_.fixmap_grows_down ? vaddr >= c_.fixaddr_start && vaddr < c_.fixaddr_top
                                                                : vaddr >= c_.fixaddr_start && vaddr < c_.fixaddr_top);
        if (!in_fixmap) {
            // ARM: an address from kmap_high_get() -> kunmap_high(); x86 2.6.18:
            // vaddr < FIXADDR_START returns at once (lowmem page).
            if (c_.kmap_high_get && c_.has_pkmap && c_.pkmap.contains(vaddr)) return kunmap_pkmap_from_atomic(vaddr, o);
            o.lowmem = true;
            return o;
        }
        // CONFIG_DEBUG_HIGHMEM: BUG_ON(vaddr != __fix_to_virt(FIX_KMAP_BEGIN + idx))
        // (x86 2.6.18 `if (vaddr != __fix_to_virt(FIX_KMAP_BEGIN+idx)) BUG();`, ARM 2.6.32)
        if (vaddr != slot_va) {
            o.check = KmapCheck{"BUG", "kunmap_atomic:BUG_ON(vaddr!=__fix_to_virt(FIX_KMAP_BEGIN+idx))"};
            ++st_.bugs;
            return o;
        }
        o.slot = "fix:" + std::to_string(c_.fix_kmap_begin + idx + c_.slots_per_cpu * cpu);
        if (!slots[idx]) o.note = "slot-was-empty";
        else if (c_.atomic_unmap_clears_pte) o.unmapped.push_back({vaddr, 1});   // kpte_clear_flush(kmap_pte-idx, vaddr)
        slots[idx].reset();   // the slot is free again (its PTE is cleared in debug builds or per the row above)
        return o;
    }

    // stack eras: the slot is the top of the per-cpu (per-task) stack
    unsigned depth = depth_[cpu];
    uint32_t vaddr = va ? (*va & PAGE_MASK) : (depth ? c_.atomic_slot_va(cpu, depth - 1) : 0);
    o.has_va = true;
    o.va = vaddr;
    // the KMAP window: __fix_to_virt(FIX_KMAP_END) .. __fix_to_virt(FIX_KMAP_BEGIN)
    uint32_t lo = c_.atomic_slot_va(c_.nr_cpus - 1, c_.slots_per_cpu - 1), hi = c_.atomic_slot_va(0, 0);
    if (lo > hi) std::swap(lo, hi);
    if (!c_.has_fixmap || vaddr < lo || vaddr > hi) {
        if (c_.kmap_high_get && c_.has_pkmap && c_.pkmap.contains(vaddr)) return kunmap_pkmap_from_atomic(vaddr, o);
        // 5.11+: WARN_ON_ONCE(addr < PAGE_OFFSET) for other addresses below the window
        if (c_.model == KmapAtomicModel::local && vaddr < c_.page_offset) {
            o.check = KmapCheck{"WARN", "kunmap_local_indexed:WARN_ON_ONCE(addr<PAGE_OFFSET)"};
            ++st_.warns;
        }
        o.lowmem = true;
        return o;
    }
    if (depth == 0) {
        // kmap_atomic_idx() is -1: the address check fails, then the pop:
        // BUG_ON(idx < 0) (kmap_atomic_idx_pop, debug) / BUG_ON(current->kmap_ctrl.idx < 0)
        o.check = KmapCheck{"BUG", c_.model == KmapAtomicModel::stack ? "kmap_atomic_idx_pop:BUG_ON(idx<0)"
                                                                      : "kmap_local_idx_pop:BUG_ON(current->kmap_ctrl.idx<0)"};
        ++st_.bugs;
        return o;
    }
    unsigned top = depth - 1;
    uint32_t top_va = c_.atomic_slot_va(cpu, top);
    if (vaddr != top_va) {
        if (c_.model == KmapAtomicModel::local || c_.arch == Arch::x86) {
            // v6.1 kunmap_local_indexed() / v2.6.37 x86 __kunmap_atomic():
            // WARN_ON_ONCE(addr != __fix_to_virt(FIX_KMAP_BEGIN + idx)); then the TOP
            // slot's PTE is cleared and the index popped anyway.
            o.check = KmapCheck{"WARN", c_.model == KmapAtomicModel::local
                                            ? "kunmap_local_indexed:WARN_ON_ONCE(addr!=__fix_to_virt(FIX_KMAP_BEGIN+idx))"
                                            : "__kunmap_atomic:WARN_ON_ONCE(vaddr!=__fix_to_virt(FIX_KMAP_BEGIN+idx))"};
            ++st_.warns;
        } else {
            // ARM 2.6.37-5.10 __kunmap_atomic(), CONFIG_DEBUG_HIGHMEM:
            // BUG_ON(vaddr != __fix_to_virt(FIX_KMAP_BEGIN + idx))
            o.check = KmapCheck{"BUG", "__kunmap_atomic:BUG_ON(vaddr!=__fix_to_virt(FIX_KMAP_BEGIN+idx))"};
            ++st_.bugs;
            return o;
        }
    }
    o.slot = "fix:" + std::to_string(c_.fix_kmap_begin + top + c_.slots_per_cpu * cpu);
    // the TOP slot's PTE: v2.6.37 x86 __kunmap_atomic kpte_clear_flush(kmap_pte-idx, vaddr); v6.1
    // kunmap_local_indexed pte_clear(&init_mm, addr, kmap_pte - idx); ARM 2.6.37-5.10 only in debug builds
    if (slots[top] && c_.atomic_unmap_clears_pte) o.unmapped.push_back({top_va, 1});
    slots[top].reset();
    --depth_[cpu];
    return o;
}

KmapOutcome KmapSim::page_address(uint64_t pfn) {
    if (is_lowmem(pfn) || !c_.has_pkmap) return linear_outcome(pfn);
    KmapOutcome o;
    // HighMem: page->virtual (set_page_address by map_new_virtual), or NULL
    auto it = virt_.find(pfn);
    if (it == virt_.end()) {
        ++st_.null_page_address;
        return o;
    }
    o.has_va = true;
    o.va = c_.pkmap.addr(it->second);
    o.slot = std::to_string(it->second);
    o.count = count_[it->second];
    return o;
}

// ---------------------------------------------------------------------------
// rendering

Value kmap_summary_value(const KmapSim& s) {
    const auto& st = s.stats();
    Value v = Value::object();
    v.set("kmaps", st.kmaps);
    v.set("kunmaps", st.kunmaps);
    v.set("atomic_maps", st.atomic_maps);
    v.set("atomic_unmaps", st.atomic_unmaps);
    v.set("lowmem", st.lowmem);
    v.set("pkmap_in_use", st.in_use);
    v.set("pkmap_peak", st.peak);
    v.set("pkmap_entries", s.config().has_pkmap ? s.config().pkmap.last_pkmap : 0u);
    v.set("flushes", st.flushes);
    v.set("would_sleep", st.would_sleep);
    v.set("woken", st.woken);
    v.set("waiting", st.waiting);
    v.set("bugs", st.bugs);
    v.set("warns", st.warns);
    v.set("null_page_address", st.null_page_address);
    return v;
}

std::string kmap_summary_text(const KmapSim& s) {
    const auto& st = s.stats();
    unsigned n = s.config().has_pkmap ? s.config().pkmap.last_pkmap : 0;
    return fmt::format(
        "pkmap: {} of {} entries in use, peak {}; {} flush_all_zero_pkmaps; {} kmap would sleep ({} woken, {} waiting)\n"
        "kmap {} / kunmap {} / kmap_atomic {} / kunmap_atomic {} ({} lowmem, no slot); debug checks: {} BUG, {} WARN; "
        "page_address NULL: {}\n",
        st.in_use, n, st.peak, st.flushes, st.would_sleep, st.woken, st.waiting, st.kmaps, st.kunmaps, st.atomic_maps,
        st.atomic_unmaps, st.lowmem, st.bugs, st.warns, st.null_page_address);
}

namespace {
std::string slot_type_name(const KmapConfig& c, unsigned idx) {
    if (c.model == KmapAtomicModel::typed && idx < c.km_types.size()) return c.km_types[idx];
    return std::to_string(idx);
}
}  // namespace

Value kmap_value(const KmapSim& s, bool all_slots) {
    const KmapConfig& c = s.config();
    Value root = Value::object();
    root.set("kernel", c.kernel);
    root.set("rules", c.rules);
    root.set("model", kmap_model_name(c.model));
    root.set("pkmap_base", c.has_pkmap ? c.pkmap.base : 0u);
    root.set("pkmap_base_hex", h(c.has_pkmap ? c.pkmap.base : 0u));
    root.set("last_pkmap", c.has_pkmap ? c.pkmap.last_pkmap : 0u);
    root.set("last_pkmap_nr", s.last_pkmap_nr());
    root.set("fix_kmap_begin", c.fix_kmap_begin);
    root.set("slots_per_cpu", c.slots_per_cpu);
    root.set("nr_cpus", c.nr_cpus);
    Value pk = Value::array();
    for (size_t i = 0; i < s.pkmap_count().size(); ++i) {
        int cnt = s.pkmap_count()[i];
        if (!all_slots && cnt == 0) continue;
        Value e = Value::object();
        e.set("slot", unsigned(i));
        uint32_t va = c.pkmap.addr(unsigned(i));
        e.set("va", va);
        e.set("va_hex", h(va));
        uint64_t pfn = s.pkmap_page()[i];
        if (pfn == ~0ULL) {
            e.set("pfn", nullptr);
            e.set("pfn_hex", nullptr);
        } else {
            e.set("pfn", pfn);
            e.set("pfn_hex", fmt::format("{:#x}", pfn));
        }
        e.set("count", cnt);
        e.set("users", cnt >= 2 ? cnt - 1 : 0);
        pk.push(std::move(e));
    }
    root.set("pkmap", std::move(pk));
    Value at = Value::array();
    if (c.has_fixmap && !c.highmem.empty())
        for (unsigned cpu = 0; cpu < c.nr_cpus; ++cpu)
            for (unsigned i = 0; i < c.slots_per_cpu; ++i) {
                const auto& slot = s.atomic_slots()[cpu][i];
                if (!all_slots && !slot) continue;
                Value e = Value::object();
                e.set("cpu", cpu);
                e.set("index", i);
                e.set("type", slot_type_name(c, i));
                e.set("fix", c.fix_kmap_begin + i + c.slots_per_cpu * cpu);
                uint32_t va = c.atomic_slot_va(cpu, i);
                e.set("va", va);
                e.set("va_hex", h(va));
                if (slot) {
                    e.set("pfn", *slot);
                    e.set("pfn_hex", fmt::format("{:#x}", *slot));
                } else {
                    e.set("pfn", nullptr);
                    e.set("pfn_hex", nullptr);
                }
                at.push(std::move(e));
            }
    root.set("atomic", std::move(at));
    root.set("summary", kmap_summary_value(s));
    return root;
}

const std::vector<TableColumn>& kmap_pkmap_columns() {
    static const std::vector<TableColumn> c = {{"slot", "", "the pkmap entry", true},
                 {"va", "", "its address, PKMAP_BASE + slot pages"},
                 {"pfn", "", "the page mapped there (- for none)"},
                 {"count", "", "pkmap_count: 1 + the kmap users, 1 unmapped but not flushed", true},
                 {"users", "", "the kmap() calls holding it", true}};
    return c;
}

TableView kmap_pkmap_view(const KmapSim& s, bool all_slots) {
    const KmapConfig& c = s.config();
    TableView v;
    v.name = "pkmap";
    v.columns = kmap_pkmap_columns();
    for (size_t i = 0; i < s.pkmap_count().size(); ++i) {
        const int cnt = s.pkmap_count()[i];
        if (!all_slots && cnt == 0) continue;
        const uint64_t pfn = s.pkmap_page()[i], va = c.pkmap.addr(unsigned(i));
        const int users = cnt >= 2 ? cnt - 1 : 0;
        v.add({{std::to_string(i), (unsigned long long)i},
               {h(va), (unsigned long long)va},
               pfn == ~0ULL ? TableCell{"-", nullptr} : TableCell{fmt::format("{:#x}", pfn), (unsigned long long)pfn},
               {std::to_string(cnt), cnt},
               {std::to_string(users), users}});
    }
    return v;
}

const std::vector<TableColumn>& kmap_atomic_columns() {
    static const std::vector<TableColumn> c = {{"cpu", "", "the cpu", true},
                 {"index", "IDX", "the slot of that cpu", true},
                 {"type", "", "its km_type (typed eras) or stack depth", false},
                 {"fix", "", "the fixmap index, FIX_KMAP_BEGIN + idx + slots * cpu", true},
                 {"va", "", "its address (__fix_to_virt)"},
                 {"pfn", "", "the page mapped there (- for none)"}};
    return c;
}

TableView kmap_atomic_view(const KmapSim& s, bool all_slots) {
    const KmapConfig& c = s.config();
    TableView v;
    v.name = "atomic";   // the key of the slots in kmapsim show --json
    v.columns = kmap_atomic_columns();
    if (!c.has_fixmap || c.highmem.empty()) return v;
    for (unsigned cpu = 0; cpu < c.nr_cpus; ++cpu)
        for (unsigned i = 0; i < c.slots_per_cpu; ++i) {
            const auto& slot = s.atomic_slots()[cpu][i];
            if (!all_slots && !slot) continue;
            const unsigned fix = c.fix_kmap_begin + i + c.slots_per_cpu * cpu;
            const uint64_t va = c.atomic_slot_va(cpu, i);
            const std::string type = slot_type_name(c, i);
            v.add({{std::to_string(cpu), cpu},
                   {std::to_string(i), i},
                   {type, type},
                   {std::to_string(fix), fix},
                   {h(va), (unsigned long long)va},
                   slot ? TableCell{fmt::format("{:#x}", *slot), (unsigned long long)*slot} : TableCell{"-", nullptr}});
        }
    return v;
}

std::string kmap_table(const KmapSim& s, bool all_slots) {
    const KmapConfig& c = s.config();
    std::string o;
    if (c.has_pkmap)
        o += fmt::format("pkmap {}-{} ({} entries, LAST_PKMAP {}), last_pkmap_nr {} [{}]\n", h(c.pkmap.base),
                         h(c.pkmap.end()), c.pkmap.last_pkmap, c.pkmap.last_pkmap, s.last_pkmap_nr(), c.rules);
    else
        o += fmt::format("no pkmap area (no HIGHMEM on this kernel/board) [{}]\n", c.rules);
    const TableView pk = kmap_pkmap_view(s, all_slots);
    if (!pk.rows.empty()) o += render_table(pk, {});
    else if (c.has_pkmap) o += "(every pkmap entry is free: pkmap_count 0)\n";
    o += "\n";
    if (!c.has_fixmap || c.highmem.empty()) {
        o += "kmap_atomic: no HighMem on this board, every page is returned by page_address()\n";
    } else {
        o += fmt::format("kmap_atomic ({}): {} slots per cpu x {} cpus, {}; __fix_to_virt grows {}\n",
                         kmap_model_name(c.model), c.slots_per_cpu, c.nr_cpus, c.fix_kmap_begin_why,
                         c.fixmap_grows_down ? "down from FIXADDR_TOP " + h(c.fixaddr_top)
                                             : "up from FIXADDR_START " + h(c.fixaddr_start));
        const TableView at = kmap_atomic_view(s, all_slots);
        if (!at.rows.empty()) o += render_table(at, {});
        else o += "(every kmap_atomic slot is free; --all lists their addresses)\n";
    }
    return o;
}

// ---------------------------------------------------------------------------
// the stream filter

void KmapStream::read(const StreamLine& line) {
    // learn id -> pfn from upstream annotations; forget on a free that freed
    std::string_view id;
    StreamError ignored;
    if (!stream_id(line, id, ignored) || id.empty()) return;   // an id no filter accepts is never looked up
    const uint64_t h = IdMap::hash(id);
    const StreamField* result = line.get(StreamKey::result);
    if (line.verb == "free" || line.verb == "vfree") {
        // result=EINVAL: buddyctl refused the free (double free, wrong order...): the page is
        // still allocated; result=ENOENT: the free of a failed allocation's NULL
        if (result && result->value != "ENOENT") return;
        ids_.erase(id, h);
        history_.freed(h);
        return;
    }
    const StreamField* pfn = line.get(StreamKey::pfn);
    uint64_t v;
    if (!result && pfn && try_parse_number(pfn->value, v, (1ULL << 40) - 1)) {
        if (IdEntry* e = ids_.find(id, h)) e->value = uint32_t(v);
        else ids_.insert(id, h, IdEntry{IdEntry::page, 0, uint32_t(v)});
    } else if (result && result->value == "ENOMEM") {
        ids_.erase(id, h);
        history_.failed(h, IdEntry::page);   // the allocation failed: the caller holds NULL
    }
}

bool KmapStream::resolve_page(const StreamLine& line, uint64_t& pfn, bool& by_id, std::string_view& id,
                              bool& failed, StreamError& err) {
    const StreamField* fid = line.get(StreamKey::id);
    const StreamField* fpfn = line.get(StreamKey::pfn);
    by_id = false;
    if (fid && fpfn) {
        err = {"give id= or pfn=, not both", fpfn->col};
        return false;
    }
    if (fid) {
        std::string_view checked;
        if (!stream_id(line, checked, err)) return false;   // the id length limit buddyctl applies
        const uint64_t h = IdMap::hash(checked);
        by_id = true;
        id = checked;
        if (const IdEntry* e = ids_.find(checked, h)) {
            pfn = e->value;
        } else if (history_.fate(h) == IdHistory::has_failed) {
            failed = true;
            return true;
        } else {
            err = {fmt::format("unknown id '{}': no earlier line annotated it with pfn= (or it was freed)",
                               shown_id(checked)),
                   fid->col + 3};
            return false;
        }
    } else if (fpfn) {
        if (!try_parse_number(fpfn->value, pfn, (1ULL << 40) - 1)) {
            err = {fmt::format("pfn '{}' is not a number", fpfn->value.substr(0, 40)), fpfn->col + 4};
            return false;
        }
    } else {
        err = {fmt::format("{} needs id= or pfn=", line.verb), uint32_t(line.verb.size() + 1)};
        return false;
    }
    if (!sim_.is_ram(pfn)) {
        const StreamField* f = fid ? fid : fpfn;
        err = {fmt::format("pfn {:#x} is not RAM on this board", pfn), f->col};
        return false;
    }
    return true;
}

namespace {
// `unmap va=0x... pages=N` (kmemkit-stream(5)): PTEs the kernel cleared, so that va2pa --stream
// forgets them; written before the `map` line of the call that cleared them
void put_unmaps(const std::vector<KmapUnmap>& v, OutBuf& out) {
    for (const auto& u : v) put_unmap_line(out, u.va, u.pages);
}
}  // namespace

void KmapStream::remember_atomic(unsigned cpu, std::string_view id, std::optional<uint32_t> va) {
    auto& v = atomic_ids_[cpu];
    if (v.size() >= 4096) v.erase(v.begin());   // a trace that never unmaps: keep the newest
    v.emplace_back(std::string(id), va);
}

void KmapStream::emit_wakes(const KmapOutcome& o, OutBuf& out) {
    for (const auto& w : o.wakes) {
        std::string who = wait_ids_[w.token];   // "id=h1", or "" for a kmap by pfn=
        wait_ids_.erase(w.token);
        out.put("kmap_wake ");
        if (who.empty()) {
            out.put("pfn=");
            out.put_hex(w.pfn);
        } else {
            out.put("id=");
            out.put(who);
        }
        out.put(" va=");
        out.put_hex(w.va, 8);
        out.put(" slot=");
        out.put_dec(w.slot);
        out.put(" count=");
        out.put_dec(uint64_t(w.count));
        if (w.flushes) {
            out.put(" flush=");
            out.put_dec(w.flushes);
        }
        out.put('\n');
        put_unmaps(w.unmapped, out);
        if (w.new_mapping) {
            MapFields f;
            f.id = who;
            f.pfn = who.empty();
            put_map_line(out, w.va, w.pfn << kPageShift, f);
        }
    }
}

bool KmapStream::handle(const StreamLine& line, OutBuf& out, StreamError& err) {
    std::string_view verb = line.verb;
    const KmapConfig& c = sim_.config();
    if (verb == "kmap_show") {
        out.put(line.text);
        out.put('\n');
        const std::string t = kmap_table(sim_, false);
        for (size_t p = 0; p < t.size();) {   // as comments: the next tool passes them on
            size_t e = std::min(t.find('\n', p), t.size());
            out.put(e > p ? "# " : "#");
            out.put(std::string_view(t).substr(p, e - p));
            out.put('\n');
            p = e + 1;
        }
        return true;
    }
    bool atomic = verb == "kmap_atomic" || verb == "kunmap_atomic";
    unsigned cpu = 0;
    if (const StreamField* f = line.get(StreamKey::cpu)) {
        uint64_t v;
        if (!try_parse_number(f->value, v, 0xffff) || v >= c.nr_cpus) {
            err = {fmt::format("cpu '{}' is not a cpu of this board (nr_cpus {})", f->value.substr(0, 40), c.nr_cpus),
                   f->col + 4};
            return false;
        }
        cpu = unsigned(v);
    }
    std::optional<unsigned> type;
    if (const StreamField* f = line.get(StreamKey::type); f && atomic) {
        if (c.model == KmapAtomicModel::typed) {
            unsigned t;
            if (!km_type_index(c, f->value, t)) {
                err = {fmt::format("type '{}' is not a km_type of {} (KM_TYPE_NR {}: {}..{})", f->value.substr(0, 40), c.rules,
                                   c.slots_per_cpu, c.km_types.front(), c.km_types.back()),
                       f->col + 5};
                return false;
            }
            type = t;
        }
        // 2.6.37+: the type argument is ignored (kmap_atomic_idx_push() picks the slot)
    }
    if (verb != "kunmap_atomic" && line.get(StreamKey::va)) {
        err = {"line already carries va= (annotated twice?)", line.get(StreamKey::va)->col};
        return false;
    }

    KmapOutcome o;
    uint64_t pfn = 0;
    bool by_id = false;
    std::string_view id;
    if (verb == "kunmap_atomic") {
        std::optional<uint32_t> va;
        if (const StreamField* f = line.get(StreamKey::va)) {
            uint64_t v;
            if (!try_parse_number(f->value, v, 0xffffffffULL)) {
                err = {fmt::format("va '{}' is not a 32-bit address", f->value.substr(0, 40)), f->col + 3};
                return false;
            }
            va = uint32_t(v);
        }
        if (c.model == KmapAtomicModel::typed && !type) {
            const StreamField* f = line.get(StreamKey::type);
            err = {f ? "type= is not valid" : "kunmap_atomic needs type= on this kernel (kunmap_atomic(kvaddr, km_type))",
                   f ? f->col : uint32_t(verb.size() + 1)};
            return false;
        }
        auto& mapped = atomic_ids_[cpu];
        if (const StreamField* f = line.get(StreamKey::id)) {
            // the address kmap_atomic returned for that id on this cpu (the innermost such mapping)
            std::string_view checked;
            if (!stream_id(line, checked, err)) return false;
            if (va) {
                err = {"give id= or va=, not both", f->col};
                return false;
            }
            auto it = std::find_if(mapped.rbegin(), mapped.rend(), [&](const auto& m) { return m.first == f->value; });
            if (it == mapped.rend()) {
                err = {fmt::format("id '{}' has no kmap_atomic mapping on cpu {}", shown_id(f->value), cpu),
                       f->col + 3};
                return false;
            }
            std::optional<uint32_t> got = it->second;
            mapped.erase(std::next(it).base());
            if (!got) {   // its kmap_atomic was of a failed allocation: nothing was mapped
                out.put(line.text);
                put_result(out, "ENOENT", "allocation_had_failed");
                out.put('\n');
                return true;
            }
            va = got;
        } else if (va) {
            auto it = std::find_if(mapped.rbegin(), mapped.rend(),
                                   [&](const auto& m) { return m.second && (*m.second & ~0xfffu) == (*va & ~0xfffu); });
            if (it != mapped.rend()) mapped.erase(std::next(it).base());
        }
        o = sim_.kunmap_atomic(cpu, va, type);
    } else {
        if (verb == "kmap_atomic" && c.model == KmapAtomicModel::typed && !type && c.has_fixmap) {
            err = {"kmap_atomic needs type= on this kernel (kmap_atomic(page, km_type))", uint32_t(verb.size() + 1)};
            return false;
        }
        bool failed = false;
        if (!resolve_page(line, pfn, by_id, id, failed, err)) return false;
        if (failed) {
            // kmap(NULL) never happens: a caller checks its allocation; the id's failed
            // (result=ENOMEM upstream), so nothing is mapped, as buddyctl's free of it
            if (verb == "kmap_atomic") remember_atomic(cpu, id, std::nullopt);
            out.put(line.text);
            put_result(out, "ENOENT", "allocation_had_failed");
            out.put('\n');
            return true;
        }
        if (verb == "kmap") o = sim_.kmap(pfn);
        else if (verb == "kunmap") o = sim_.kunmap(pfn);
        else if (verb == "kmap_atomic") {
            o = sim_.kmap_atomic(cpu, type, pfn);
            if (by_id && o.has_va && !o.check) remember_atomic(cpu, id, o.va);
        }
        else {
            o = sim_.page_address(pfn);
        }
    }

    out.put(line.text);
    if (by_id) {
        out.put(" pfn=");
        out.put_hex(pfn);
    }
    if (o.would_sleep) {
        put_result(out, "WOULD_SLEEP");
        wait_ids_[o.wait_token] = by_id ? std::string(id) : std::string();
    } else if (verb == "page_address" && !o.has_va) {
        put_result(out, "NULL");
    } else if (o.has_va && verb != "kunmap_atomic") {
        out.put(" va=");
        out.put_hex(o.va, 8);
    }
    if (verb == "kunmap_atomic" && o.has_va && !line.get(StreamKey::va)) {
        out.put(" va=");
        out.put_hex(o.va, 8);
    }
    if (o.lowmem) out.put(" slot=none");
    else if (!o.slot.empty()) {
        out.put(" slot=");
        out.put(o.slot);
    }
    if (o.count >= 0) {
        out.put(" count=");
        out.put_dec(uint64_t(o.count));
    }
    if (o.flushes) {
        out.put(" flush=");
        out.put_dec(o.flushes);
    }
    if (!o.note.empty()) {
        out.put(" note=");
        out.put(o.note);
    }
    if (o.check) {
        put_result(out, o.check->result);
        out.put(" check=");
        out.put(o.check->check);
    }
    out.put('\n');
    put_unmaps(o.unmapped, out);
    if (o.mapped) {
        MapFields f;
        f.id = by_id ? id : std::string_view();
        f.pfn = !by_id;
        put_map_line(out, o.mapped->va, o.mapped->pfn << kPageShift, f);
    }
    emit_wakes(o, out);
    return true;
}

}  // namespace kmemkit
