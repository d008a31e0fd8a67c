// Persistent kmap (the pkmap area, mm/highmem.c) and the kmap_atomic /
// kmap_local fixmap slots, simulated the way each kernel era does them.
//
//   KmapSim sim(kmap_config(layout, profile));
//   KmapOutcome o = sim.kmap(pfn);          // kmap_high(): next-fit from last_pkmap_nr
//   sim.kunmap(pfn);                        // kunmap_high(): may wake waiters
//   sim.kmap_atomic(cpu, type, pfn);        // fixmap slot FIX_KMAP_BEGIN + idx
//
// Everything is a pure simulation over plain structs; nothing prints.  The
// stream filter (kmapsim) is KmapStream at the bottom.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kmemkit/kernel/kmap_rules.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/table_view.hpp"
#include "kmemkit/stream/ids.hpp"
#include "kmemkit/stream/line.hpp"

namespace kmemkit {

// ---- the pkmap window --------------------------------------------------
struct PkmapArea {
    uint32_t base = 0;          // PKMAP_BASE
    unsigned last_pkmap = 0;    // LAST_PKMAP
    uint32_t end() const { return base + last_pkmap * uint32_t(kPageSize); }
    // PKMAP_ADDR(nr) = PKMAP_BASE + (nr << PAGE_SHIFT)  (asm/highmem.h)
    uint32_t addr(unsigned nr) const { return base + nr * uint32_t(kPageSize); }
    // PKMAP_NR(virt) = (virt - PKMAP_BASE) >> PAGE_SHIFT
    unsigned nr(uint32_t va) const { return (va - base) >> kPageShift; }
    bool contains(uint64_t va) const { return va >= base && va < end(); }
};
// The window a base and LAST_PKMAP give.
PkmapArea pkmap_area(uint32_t base, unsigned last_pkmap);
// Late 2.4 i386: PKMAP_BASE 0xfe000000, LAST_PKMAP 1024 (512 with PAE)
// (include/asm-i386/highmem.h of a late 2.4, lorenzo-stoakes/linux-historical@3de3d0b0e577): 0xfe000000..0xfe400000.
PkmapArea x86_24_pkmap_area(bool pae);

// ---- kmap_atomic rules per era -----------------------------------------
const char* kmap_model_name(KmapAtomicModel m);

struct KmapConfig {
    Arch arch = Arch::arm;
    std::string kernel;
    uint32_t page_offset = 0;
    uint64_t phys_offset = 0;
    std::vector<MemBank> lowmem, highmem;   // RAM with a linear address / without
    bool has_pkmap = false;
    PkmapArea pkmap;
    bool has_fixmap = false;
    bool fixmap_grows_down = true;
    uint32_t fixaddr_start = 0, fixaddr_top = 0;
    unsigned fix_kmap_begin = 0;           // FIX_KMAP_BEGIN
    std::string fix_kmap_begin_why;        // how it was obtained
    KmapAtomicModel model = KmapAtomicModel::typed;
    unsigned slots_per_cpu = 0;            // KM_TYPE_NR (typed, stack) or KM_MAX_IDX (local)
    std::vector<std::string> km_types;     // enum km_type names (typed and stack eras)
    unsigned nr_cpus = 1;
    bool kmap_high_get = false;            // ARM ARCH_NEEDS_KMAP_HIGH_GET: kmap_atomic reuses a pkmap mapping
    // kunmap_atomic() clears the slot's PTE in a build without CONFIG_DEBUG_HIGHMEM.  The model
    // is such a build for the addresses (x86 2.6.18's debug __KM_FENCE_ entries are not in the
    // km_type list) and for the PTEs, while nesting errors are reported as the debug checks would.
    bool atomic_unmap_clears_pte = false;
    std::string rules;                     // "arm-2.6.37: ..." the rule row used
    std::string source;

    // __fix_to_virt(x): FIXADDR_TOP - (x << PAGE_SHIFT), or ARM 2.6.30-3.14
    // FIXADDR_START + (x << PAGE_SHIFT) (asm/fixmap.h)
    uint32_t fix_to_virt(unsigned x) const;
    // The address of per-cpu slot `idx` of `cpu`: __fix_to_virt(FIX_KMAP_BEGIN + idx + slots_per_cpu*cpu)
    uint32_t atomic_slot_va(unsigned cpu, unsigned idx) const;
};

// Throws Error when the board's kernel has a fixmap too small for its kmap slots.
KmapConfig kmap_config(const Layout& l, const Profile& p);
// The km_type index of a name ("KM_USER0") or number ("3"); false if unknown.
bool km_type_index(const KmapConfig& c, std::string_view name, unsigned& out);

// ---- the simulator -----------------------------------------------------
struct KmapCheck {
    std::string result;   // "BUG" or "WARN" (what the kernel's debug check does)
    std::string check;    // "kunmap_high:BUG_ON(!vaddr)" (function:check, no blanks)
};

struct KmapMapping {       // a new PTE: the `map va= pa=` line
    uint32_t va = 0;
    uint64_t pfn = 0;
};

struct KmapUnmap {         // PTEs cleared: the `unmap va= pages=` line
    uint32_t va = 0;
    unsigned pages = 0;
};

struct KmapWake {          // a waiter that kunmap() released
    uint64_t token = 0;    // what kmap() returned as wait_token
    uint64_t pfn = 0;
    uint32_t va = 0;
    unsigned slot = 0;
    int count = 0;
    unsigned flushes = 0;
    bool new_mapping = false;
    std::vector<KmapUnmap> unmapped;   // pkmap entries its flush cleared
};

struct KmapOutcome {
    bool lowmem = false;          // linear address, no slot
    bool would_sleep = false;     // kmap(): every pkmap entry taken
    uint64_t wait_token = 0;
    bool has_va = false;
    uint32_t va = 0;
    std::string slot;             // "17" (pkmap), "fix:3" (atomic index), "pkmap:17" (kmap_high_get), "" none
    int count = -1;               // pkmap_count[] after the call (-1: not a pkmap slot)
    unsigned flushes = 0;         // flush_all_zero_pkmaps() calls made by this call
    std::vector<KmapUnmap> unmapped;   // PTEs this call cleared (flush_all_zero_pkmaps, kunmap_atomic), in order
    std::optional<KmapMapping> mapped;
    std::optional<KmapCheck> check;
    std::string note;             // kmemkit remark (no blanks), e.g. "slot-was-empty"
    std::vector<KmapWake> wakes;  // kunmap: waiters that now got an entry, in order
};

struct KmapStats {
    uint64_t kmaps = 0, kunmaps = 0, atomic_maps = 0, atomic_unmaps = 0;
    uint64_t lowmem = 0;
    unsigned in_use = 0, peak = 0;      // pkmap entries with count >= 2
    uint64_t flushes = 0;               // flush_all_zero_pkmaps (one TLB range flush each)
    uint64_t would_sleep = 0, woken = 0;
    unsigned waiting = 0;
    uint64_t bugs = 0, warns = 0;
    uint64_t null_page_address = 0;
};

class KmapSim {
public:
    explicit KmapSim(KmapConfig c);
    const KmapConfig& config() const { return c_; }

    // Is the frame RAM, and lowmem?  Throws nothing.
    bool is_ram(uint64_t pfn) const;
    bool is_lowmem(uint64_t pfn) const;
    uint32_t linear_va(uint64_t pfn) const;
    KmapOutcome linear_outcome(uint64_t pfn) const;   // the !PageHighMem() answer

    KmapOutcome kmap(uint64_t pfn);
    KmapOutcome kunmap(uint64_t pfn);
    // `type`: km_type index (typed era: required; other eras: ignored)
    KmapOutcome kmap_atomic(unsigned cpu, std::optional<unsigned> type, uint64_t pfn);
    // `va` and/or `type` (typed era); with neither in the stack eras, the top slot
    KmapOutcome kunmap_atomic(unsigned cpu, std::optional<uint32_t> va, std::optional<unsigned> type);
    // page_address(): the linear address, the pkmap address, or NULL (has_va false;
    // counted in stats().null_page_address)
    KmapOutcome page_address(uint64_t pfn);

    const KmapStats& stats() const { return st_; }
    // pkmap_count[] and the page in each entry (pfn, or ~0 when none)
    const std::vector<int>& pkmap_count() const { return count_; }
    const std::vector<uint64_t>& pkmap_page() const { return page_; }
    unsigned last_pkmap_nr() const { return last_; }
    // per cpu, per slot: the mapped pfn (nullopt: PTE none)
    const std::vector<std::vector<std::optional<uint64_t>>>& atomic_slots() const { return atomic_; }
    const std::vector<unsigned>& atomic_depth() const { return depth_; }

private:
    // nullopt: sleep; `unmapped` gets the entries a flush cleared
    std::optional<unsigned> map_new_virtual(uint64_t pfn, unsigned& flushes, std::vector<KmapUnmap>& unmapped);
    void flush_all_zero_pkmaps(std::vector<KmapUnmap>& unmapped);
    void update_in_use();
    KmapOutcome kmap_high_get(uint64_t pfn, bool& got);
    KmapOutcome kunmap_high_at(unsigned nr);
    KmapOutcome kunmap_pkmap_from_atomic(uint32_t vaddr, KmapOutcome& o);

    KmapConfig c_;
    std::vector<int> count_;
    std::vector<uint64_t> page_;
    std::unordered_map<uint64_t, unsigned> virt_;   // page->virtual: pfn -> pkmap nr
    unsigned last_ = 0;                             // last_pkmap_nr (static, starts at 0)
    struct Waiter { uint64_t token, pfn; };
    std::deque<Waiter> waiters_;
    uint64_t next_token_ = 1;
    std::vector<std::vector<std::optional<uint64_t>>> atomic_;
    std::vector<unsigned> depth_;                   // stack eras: per-cpu kmap_atomic_idx
    KmapStats st_;
};

// ---- rendering (show) -------------------------------------------------
Value kmap_value(const KmapSim& s, bool all_slots);
std::string kmap_table(const KmapSim& s, bool all_slots);
// kmapsim show's two tables as table views (-o/-n/-r/-P; --atomic picks the second)
TableView kmap_pkmap_view(const KmapSim& s, bool all_slots);
TableView kmap_atomic_view(const KmapSim& s, bool all_slots);
const std::vector<TableColumn>& kmap_pkmap_columns();
const std::vector<TableColumn>& kmap_atomic_columns();
Value kmap_summary_value(const KmapSim& s);
std::string kmap_summary_text(const KmapSim& s);

// ---- the stream filter -------------------------------------------------
// Owns kmap, kunmap, kmap_atomic, kunmap_atomic, page_address, kmap_show;
// learns id -> pfn from every other line carrying id= and pfn= (buddyctl's
// annotated alloc lines), and that an id's allocation failed from one with
// result=ENOMEM (a kmap of it is then result=ENOENT, no mapping), and forgets
// it on `free id=`.  `kunmap_atomic cpu= id=` unmaps the address that cpu's
// innermost kmap_atomic of that id returned.
class KmapStream {
public:
    explicit KmapStream(KmapConfig c) : sim_(std::move(c)), atomic_ids_(sim_.config().nr_cpus) {}
    // A line of a kmapsim verb (stream/grammar.hpp): writes it with its fields and any inserted
    // lines to `out`; false with `err` filled for a malformed line (nothing written).
    bool handle(const StreamLine& line, OutBuf& out, StreamError& err);
    // A line kmapsim learns from (alloc, free, vfree: buddyctl's, annotated or not): the id's
    // pfn= from an alloc, a failed allocation (result=ENOMEM), an id a free gave back.
    void read(const StreamLine& line);
    const KmapSim& sim() const { return sim_; }

private:
    bool resolve_page(const StreamLine& line, uint64_t& pfn, bool& by_id, std::string_view& id, bool& failed,
                      StreamError& err);
    void emit_wakes(const KmapOutcome& o, OutBuf& out);
    void remember_atomic(unsigned cpu, std::string_view id, std::optional<uint32_t> va);
    KmapSim sim_;
    IdMap ids_;           // live page ids -> pfn
    IdHistory history_;   // freed ids and failed allocations
    // per cpu, in mapping order: (id, address kmap_atomic returned; nullopt: a failed id)
    std::vector<std::vector<std::pair<std::string, std::optional<uint32_t>>>> atomic_ids_;
    std::unordered_map<uint64_t, std::string> wait_ids_;   // wait token -> the id that sleeps ("" for a pfn=)
};

}  // namespace kmemkit
