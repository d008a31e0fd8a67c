// The kernel virtual memory map of a board, as its kernel computes it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kmemkit/kernel/rules.hpp"
#include "kmemkit/profile.hpp"

namespace kmemkit {

constexpr uint64_t kPageSize = 4096;
constexpr unsigned kPageShift = 12;

// A line the kernel itself prints (dmesg wording, without the log prefix).
struct KernelMessage {
    std::string level;   // "notice", "warning", "info", "crit"
    std::string text;
};

// One boundary with the formula and the values it came from (--explain).
struct Explanation {
    std::string symbol;    // "VMALLOC_START"
    std::string formula;   // "(high_memory + 8M) & ~(8M-1) = (0xc4000000 + 0x800000) & ~0x7fffff"
    uint64_t value = 0;
    std::string source;    // "arch/arm/include/asm/pgtable.h (all eras)"
};

struct Region {
    std::string name;      // user, modules, pkmap, lowmem, vmalloc-gap, vmalloc, dma, fixmap, vectors, ...
    uint64_t start = 0, end = 0;   // [start, end)
    std::string what;      // human description with the kernel symbols
};

struct Layout {
    const Era* era = nullptr;        // = rules.layout
    KernelRules rules;               // the rows chosen for the kernel (--explain names them)
    Arch arch = Arch::arm;
    std::string profile;
    std::string kernel;
    std::string cmdline;

    uint32_t page_offset = 0;
    uint64_t phys_offset = 0;
    uint32_t task_size = 0;
    uint32_t modules_start = 0, modules_end = 0;   // ARM only (x86 modules live in vmalloc)
    bool has_pkmap = false;
    uint32_t pkmap_base = 0, pkmap_end = 0;
    unsigned last_pkmap = 0;
    uint32_t high_memory = 0;
    uint32_t vmalloc_start = 0, vmalloc_end = 0;
    bool has_fixmap = false;
    uint32_t fixaddr_start = 0, fixaddr_end = 0, fixaddr_top = 0;
    bool x86_fixmap_from_enum = false;   // x86: computed from enum fixed_addresses (no profile fixmap:)
    unsigned x86_fix_kmap_begin = 0;     // its FIX_KMAP_BEGIN
    bool has_ldt = false;                // x86 4.19+: the LDT remap between cpu_entry_area and pkmap
    uint32_t ldt_base = 0, ldt_end = 0;
    bool fixmap_grows_down = true;
    bool has_consistent = false;
    uint32_t consistent_base = 0, consistent_end = 0;
    bool has_vectors = false;
    uint32_t vectors_base = 0;
    bool has_cpu_entry = false;
    uint32_t cpu_entry_start = 0, cpu_entry_end = 0;

    // the lowmem limit and vmalloc= as the kernel resolved them
    bool vmalloc_param_given = false;
    bool vmalloc_param_honoured = false;
    uint64_t vmalloc_param = 0;        // as typed
    uint64_t vmalloc_reserve = 0;      // after the kernel's clamps (ARM reserve / size; x86 __VMALLOC_RESERVE)
    bool has_lowmem_limit = false;
    uint64_t lowmem_limit_virt = 0;    // ARM vmalloc_min / x86 PAGE_OFFSET + MAXMEM
    uint64_t lowmem_limit_phys = 0;

    std::vector<MemBank> described_ram;   // the board's banks (profile, --mem/--ram) before mem=, by address
    std::vector<MemBank> ram;          // after mem= and page alignment
    std::vector<MemBank> lowmem_banks, highmem_banks, dropped_banks;
    uint64_t lowmem_bytes = 0, highmem_bytes = 0, dropped_bytes = 0;
    uint64_t min_low_pfn = 0, max_low_pfn = 0, max_pfn = 0;     // real pfns
    uint64_t kernel_max_low_pfn = 0, kernel_max_pfn = 0;        // as the kernel stores them
    bool pfns_are_counts = false;
    // The largest vmalloc= (whole MB) that keeps every byte of RAM in lowmem, 0 if none can or
    // nothing needs it; solved by computing the layout for vmalloc= values (solve_keep_all()).
    uint64_t vmalloc_to_keep_all = 0;
    std::string keep_all_note;     // set when RAM is truncated or highmem: the answer, or why none
    std::string keep_all_reason;   // set whenever keep_all is solved: keep_all_note, or why the question does not arise
    uint64_t keep_all_max_lowmem = 0;   // the most lowmem any vmalloc= gives (0 when not solved)

    std::vector<KernelMessage> messages;   // what the kernel prints, in order
    std::vector<std::string> notes;        // kmemkit's own remarks (not kernel output)
    std::vector<Explanation> explain;
    std::vector<Region> regions;           // ascending, covering 0 .. 4 GB
};

// Throws Error for boards no kernel could boot with (e.g. no lowmem at all).
// With `keep_all` (vmlayout's map asks for it, no other tool does), also answers
// "which vmalloc= keeps all RAM in lowmem" (vmalloc_to_keep_all, keep_all_note/reason)
// by computing the layout again for candidate vmalloc= values (a few dozen layouts
// when RAM is truncated); without it those fields stay empty.
Layout compute_layout(const Board& board, bool keep_all = false);

// A warning when the RAM the kernel keeps (mem= and the profile's banks, page-aligned as
// arm_add_memory() and the e820 code align them) cannot hold a kernel: less lowmem than the
// kernel image the profile states (.bss end), or, when it states none, than the smallest image
// of the real boot logs kmemkit is checked against.  The model still computes that board.
std::optional<std::string> small_ram_warning(const Board& board);

// The block that era's mem_init prints, one string per line without the
// trailing newline; empty when that kernel prints none.
std::vector<std::string> kernel_layout_lines(const Layout& l, const Profile& p);

// The region holding `va`, or nullptr.
const Region* region_of(const Layout& l, uint64_t va);

}  // namespace kmemkit
