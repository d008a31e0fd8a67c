// compute_layout(): the kernel virtual memory map.  ARM follows
// arch/arm/mm/mmu.c (early_vmalloc, check_membank_valid / sanity_check_meminfo
// / adjust_lowmem_bounds) and arch/arm/mm/init.c; x86-32 follows
// arch/i386/kernel/setup.c (2.6.18) and arch/x86/mm/init_32.c (2.6.28+).
#include "kmemkit/layout.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/kernel/messages.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {

namespace {

constexpr uint64_t SZ_1M = 1u << 20;
constexpr uint64_t SZ_16M = 16u << 20;
constexpr uint64_t SZ_32M = 32u << 20;
constexpr uint64_t ARM_PMD_SIZE = 2u << 20;   // arch/arm/include/asm/pgtable-2level.h: PMD_SHIFT 21

uint64_t page_align_up(uint64_t v) { return (v + kPageSize - 1) & ~(kPageSize - 1); }
uint64_t page_align_down(uint64_t v) { return v & ~(kPageSize - 1); }

std::string h(uint64_t v) { return hex32(v); }

void add_explain(Layout& l, std::string sym, std::string formula, uint64_t value, std::string src) {
    l.explain.push_back({std::move(sym), std::move(formula), value, std::move(src)});
}

void msg(Layout& l, const char* level, std::string text) { l.messages.push_back({level, std::move(text)}); }

// arm_add_memory() (arch/arm/kernel/setup.c): start rounded up to a page,
// size rounded down; without LPAE a bank must end below 4 GB (3.x+ drops the
// last page: size = ULONG_MAX - start, then page-aligned).
std::vector<MemBank> arm_banks(const Profile& p, const Cmdline& c, Layout& l) {
    std::vector<MemBank> banks;
    if (!c.mem.empty()) {
        // early_mem(): the first mem= drops the banks from ATAGs/DT; each mem= adds one.
        for (const auto& m : c.mem) banks.push_back({m.start.value_or(p.phys_offset), m.size});
    } else {
        banks = p.ram;
    }
    std::vector<MemBank> out;
    for (auto b : banks) {
        uint64_t start = page_align_up(b.start);
        uint64_t size = b.size > (start - b.start) ? b.size - (start - b.start) : 0;
        size = page_align_down(size);
        if (!p.config.pae) {
            if (start > 0xffffffffULL) {
                msg(l, "crit", print_message(kmsg::ignoring_memory_32bit, b.start));
                continue;
            }
            if (start + size > 0xffffffffULL) size = page_align_down(0xffffffffULL - start);
        }
        if (size == 0) continue;
        out.push_back({start, size});
    }
    std::sort(out.begin(), out.end(), [](const MemBank& a, const MemBank& b) { return a.start < b.start; });
    for (size_t i = 1; i < out.size(); ++i)
        if (out[i].start < out[i - 1].end())
            throw Error(fmt::format("RAM banks {:#x}-{:#x} and {:#x}-{:#x} overlap (check mem=)", out[i - 1].start,
                                    out[i - 1].end() - 1, out[i].start, out[i].end() - 1));
    if (out.empty()) throw Error("no RAM left after page alignment");
    return out;
}

void arm_layout(const Board& board, Layout& l) {
    const Profile& p = board.profile;
    const Cmdline& c = board.cmdline;
    const Era& e = *l.era;
    const uint64_t PAGE_OFFSET = p.config.page_offset;
    const uint64_t PHYS_OFFSET = p.phys_offset;
    auto va = [&](uint64_t pa) { return pa - PHYS_OFFSET + PAGE_OFFSET; };   // __phys_to_virt
    auto pa = [&](uint64_t v) { return v - PAGE_OFFSET + PHYS_OFFSET; };     // __virt_to_phys

    if (!e.page_offset_configurable && PAGE_OFFSET != 0xc0000000)
        l.notes.push_back(fmt::format("Linux {} has no VMSPLIT choice (added in 2.6.28); PAGE_OFFSET {:#010x} is taken "
                                      "as a machine override",
                                      p.kernel.text, PAGE_OFFSET));
    // VMALLOC_END: generic from 3.3 (asm/pgtable.h), per machine before (mach/vmalloc.h).
    uint64_t VMALLOC_END;
    if (p.vendor_vmalloc_end) {
        VMALLOC_END = *p.vendor_vmalloc_end;
        add_explain(l, "VMALLOC_END", fmt::format("{} (profile vendor.vmalloc_end: the vendor kernel keeps its machine's value)",
                                                  h(VMALLOC_END)),
                    VMALLOC_END, "profile vendor.vmalloc_end");
        if (e.arm_vmalloc_end && e.arm_vmalloc_end != VMALLOC_END)
            l.notes.push_back(fmt::format("VMALLOC_END {} from the profile's vendor facts; mainline Linux {} has the generic {}",
                                          h(VMALLOC_END), p.kernel.text, h(e.arm_vmalloc_end)));
    } else if (e.arm_vmalloc_end) {
        VMALLOC_END = e.arm_vmalloc_end;
        const Era& set = row_that_set(layout_table(Arch::arm), e, [](const Era& r) { return r.arm_vmalloc_end; });
        const Era& generic = row_that_set(layout_table(Arch::arm), e, [](const Era& r) { return r.arm_vmalloc_end != 0; });
        add_explain(l, "VMALLOC_END", fmt::format("{} (generic for Linux {}, {} rules)", h(VMALLOC_END), p.kernel.text, set.name),
                    VMALLOC_END, set.source);
        if (p.vmalloc_end && *p.vmalloc_end != VMALLOC_END)
            l.notes.push_back(fmt::format("profile vmalloc_end {} is the machine's value for kernels before {}; "
                                          "Linux {} uses the generic {}",
                                          h(*p.vmalloc_end), std::string(generic.name).substr(4), p.kernel.text, h(VMALLOC_END)));
    } else {
        if (!p.vmalloc_end)
            throw Error(fmt::format("profile '{}' gives no vmalloc_end, and Linux {} takes VMALLOC_END from the "
                                    "machine's mach/vmalloc.h: add 'vmalloc_end:' to the profile",
                                    p.name, p.kernel.text));
        VMALLOC_END = *p.vmalloc_end;
        const VmallocEndRule* rule = vmalloc_end_rule(p);
        const std::string since = rule && rule->since ? fmt::format(" for Linux {} on", rule->since->text) : "";
        add_explain(l, "VMALLOC_END",
                    rule && rule->page_offset_relative
                        ? fmt::format("PAGE_OFFSET + {:#x} = {} + {:#x} (machine value, mach/vmalloc.h{}; profile {})",
                                      rule->value, h(PAGE_OFFSET), rule->value, since, p.name)
                        : fmt::format("{} (machine value, mach/vmalloc.h{}; profile {})", h(VMALLOC_END), since, p.name),
                    VMALLOC_END, "profile vmalloc_end");
    }
    if (VMALLOC_END <= PAGE_OFFSET)
        throw Error(fmt::format("VMALLOC_END {} is not above PAGE_OFFSET {}", h(VMALLOC_END), h(PAGE_OFFSET)));

    if (c.highmem)
        l.notes.push_back("highmem= is an x86 parameter (arch/x86/mm/init_32.c parse_highmem()); ARM kernels ignore it");
    l.ram = arm_banks(p, c, l);
    const bool highmem_on = e.highmem_supported && p.config.highmem;
    if (p.config.highmem && !e.highmem_supported)
        l.notes.push_back(fmt::format("Linux {} has no CONFIG_HIGHMEM on ARM (added in 2.6.30); highmem ignored",
                                      p.kernel.text));
    const bool highmem_usable = highmem_on && !p.config.vipt_aliasing;

    // ---- vmalloc= and the lowmem limit (arch/arm/mm/mmu.c early_vmalloc) ----
    l.vmalloc_param_given = c.vmalloc.has_value();
    l.vmalloc_param = c.vmalloc.value_or(0);
    uint64_t vmalloc_min = 0;   // virtual address where lowmem must stop
    if (e.arm_lowmem == ArmLowmemRule::none) {
        if (c.vmalloc)
            l.notes.push_back(fmt::format("vmalloc= is not a parameter of Linux {} (added in 2.6.27): the kernel "
                                          "ignores it",
                                          p.kernel.text));
    } else {
        uint64_t reserve;
        const bool size_rule = e.arm_lowmem == ArmLowmemRule::memblock_size;
        if (c.vmalloc) {
            l.vmalloc_param_honoured = true;
            reserve = *c.vmalloc;
            if (e.arm_vmalloc_min && reserve < e.arm_vmalloc_min) {
                reserve = e.arm_vmalloc_min;
                msg(l, "warning", print_message(kmsg::vmalloc_too_small, size_rule ? "is " : "", reserve >> 20, e.size_unit));
            }
            if (e.arm_vmalloc_max_rule) {
                uint64_t max = VMALLOC_END - (PAGE_OFFSET + SZ_32M + (e.arm_vmalloc_max_rule == 2 ? e.vmalloc_offset : 0));
                if (reserve > max) {
                    reserve = max;
                    msg(l, "warning", print_message(kmsg::vmalloc_too_big, reserve >> 20, e.size_unit));
                }
            }
            if (reserve > VMALLOC_END - PAGE_OFFSET) {
                reserve = VMALLOC_END - PAGE_OFFSET;   // 2.6.27/2.6.28 have no upper clamp
                l.notes.push_back("vmalloc= is larger than the whole kernel space: no lowmem would be left");
            }
            vmalloc_min = VMALLOC_END - reserve - (e.arm_param_adds_offset ? e.vmalloc_offset : 0);
            add_explain(l, "vmalloc_min",
                        e.arm_param_adds_offset
                            ? fmt::format("VMALLOC_END - vmalloc_size - VMALLOC_OFFSET = {} - {:#x} - 0x800000", h(VMALLOC_END), reserve)
                            : fmt::format("VMALLOC_END - vmalloc= = {} - {:#x}", h(VMALLOC_END), reserve),
                        vmalloc_min, "arch/arm/mm/mmu.c early_vmalloc()");
        } else {
            reserve = size_rule ? e.arm_default_gap - e.vmalloc_offset
                                : (e.arm_default_gap == (128u << 20) ? e.arm_default_gap : e.arm_default_gap - e.vmalloc_offset);
            vmalloc_min = VMALLOC_END - e.arm_default_gap;
            add_explain(l, "vmalloc_min",
                        e.arm_default_gap == (128u << 20)
                            ? fmt::format("VMALLOC_END - 128M (default vmalloc_reserve) = {} - 0x8000000", h(VMALLOC_END))
                            : fmt::format("VMALLOC_END - 240M - VMALLOC_OFFSET (default) = {} - 0xf000000 - 0x800000",
                                          h(VMALLOC_END)),
                        vmalloc_min,
                        row_that_set(layout_table(Arch::arm), e, [](const Era& r) { return r.arm_default_gap; }).source);
        }
        l.vmalloc_reserve = reserve;
        l.has_lowmem_limit = true;
        l.lowmem_limit_virt = vmalloc_min;
        l.lowmem_limit_phys = pa(vmalloc_min);
        add_explain(l, "lowmem limit (phys)", fmt::format("__pa(vmalloc_min) = {} - {} + {}", h(vmalloc_min), h(PAGE_OFFSET), h(PHYS_OFFSET)),
                    l.lowmem_limit_phys, "arch/arm/mm/mmu.c");
    }

    // ---- split the banks into lowmem / highmem / dropped ----
    uint64_t arm_lowmem_limit = 0;   // physical end of lowmem, as the kernel keeps it
    const int pa_width = p.config.pae ? 16 : 8;   // %pa prints phys_addr_t zero-padded
    if (e.arm_lowmem == ArmLowmemRule::none) {
        l.lowmem_banks = l.ram;
        arm_lowmem_limit = l.ram.back().end();
    } else if (e.arm_trunc == ArmTruncMsg::bank) {
        // 2.6.27-2.6.29 check_membank_valid() / 2.6.30-3.15 sanity_check_meminfo() (v2.6.32.9, 3.0.27 read)
        const uint64_t limit_phys = l.lowmem_limit_phys;
        bool highmem = false;   // sticky: once a bank is highmem, every later one is
        for (const auto& b : l.ram) {
            const bool below_po = b.start < PHYS_OFFSET;   // __va(start) < PAGE_OFFSET
            if (highmem_on) {
                if (b.start >= limit_phys || below_po) highmem = true;
                if (highmem) {
                    l.highmem_banks.push_back(b);
                } else if (b.end() > limit_phys) {
                    // a bank crossing vmalloc_min is split; the upper part starts at __pa(vmalloc_min - 1) + 1
                    l.lowmem_banks.push_back({b.start, limit_phys - b.start});
                    l.highmem_banks.push_back({limit_phys, b.end() - limit_phys});
                    highmem = true;
                } else {
                    l.lowmem_banks.push_back(b);
                }
                continue;
            }
            if (b.start >= limit_phys || below_po) {
                msg(l, "notice", print_message(kmsg::arm_bank_ignore, b.start, b.end() - 1));
                l.dropped_banks.push_back(b);
            } else if (b.end() > limit_phys) {
                uint64_t newsize = vmalloc_min - va(b.start);
                msg(l, "notice", print_message(kmsg::arm_bank_truncate,
                                             b.start, b.end() - 1, b.start + newsize - 1));
                l.lowmem_banks.push_back({b.start, newsize});
                l.dropped_banks.push_back({b.start + newsize, b.size - newsize});
            } else {
                l.lowmem_banks.push_back(b);
            }
        }
        if (highmem_on && p.config.vipt_aliasing && !l.highmem_banks.empty()) {
            msg(l, "crit", kmsg::vipt_no_highmem.print);
            for (const auto& b : l.highmem_banks) l.dropped_banks.push_back(b);
            l.highmem_banks.clear();
        }
        if (!l.lowmem_banks.empty()) arm_lowmem_limit = l.lowmem_banks.back().end();
    } else if (e.arm_trunc == ArmTruncMsg::memblock) {
        // 3.16-4.11 sanity_check_meminfo() over memblock regions (v4.9 arch/arm/mm/mmu.c)
        const uint64_t vmalloc_limit = l.lowmem_limit_phys;
        bool highmem = false, should_use_highmem = false;
        for (const auto& b : l.ram) {
            uint64_t size_limit = b.size;
            if (b.start >= vmalloc_limit) highmem = true;
            else size_limit = vmalloc_limit - b.start;
            if (!highmem_usable) {
                if (highmem) {
                    msg(l, "notice", print_message(kmsg::arm_memblock_ignore, b.start, pa_width,
                                                 b.end(), pa_width));
                    l.dropped_banks.push_back(b);
                    should_use_highmem = true;
                    continue;
                }
                if (b.size > size_limit) {
                    msg(l, "notice", print_message(kmsg::arm_memblock_truncate, b.start, pa_width,
                                                 b.end(), pa_width, vmalloc_limit, pa_width));
                    l.lowmem_banks.push_back({b.start, size_limit});
                    l.dropped_banks.push_back({vmalloc_limit, b.size - size_limit});
                    should_use_highmem = true;
                    arm_lowmem_limit = vmalloc_limit;
                    continue;
                }
            }
            if (highmem) {
                l.highmem_banks.push_back(b);
            } else if (b.size > size_limit) {
                l.lowmem_banks.push_back({b.start, size_limit});
                l.highmem_banks.push_back({vmalloc_limit, b.size - size_limit});
                arm_lowmem_limit = vmalloc_limit;
            } else {
                l.lowmem_banks.push_back(b);
                arm_lowmem_limit = std::max(arm_lowmem_limit, b.end());
            }
        }
        if (should_use_highmem) msg(l, "notice", kmsg::consider_highmem.print);
    } else {
        // 4.12+ adjust_lowmem_bounds() (5.4 read; v6.1 the same apart from vmalloc_size)
        const uint64_t vmalloc_limit = l.lowmem_limit_phys;
        uint64_t lowmem_limit = 0, memblock_limit = 0;
        for (const auto& b : l.ram) {
            if (b.start >= vmalloc_limit) continue;
            if (b.end() > lowmem_limit) lowmem_limit = std::min(vmalloc_limit, b.end());
            if (!memblock_limit) {
                if (b.start % ARM_PMD_SIZE) memblock_limit = b.start;
                else if (b.end() % ARM_PMD_SIZE) memblock_limit = lowmem_limit;
            }
        }
        arm_lowmem_limit = lowmem_limit;
        if (!memblock_limit) memblock_limit = arm_lowmem_limit;
        memblock_limit &= ~(ARM_PMD_SIZE - 1);
        uint64_t cut = arm_lowmem_limit;
        if (!highmem_usable && l.ram.back().end() > arm_lowmem_limit) {
            msg(l, "notice", print_message(kmsg::arm_limit_ignore, memblock_limit, pa_width, l.ram.back().end(),
                                         pa_width));
            msg(l, "notice", kmsg::consider_highmem.print);
            cut = memblock_limit;
        }
        for (const auto& b : l.ram) {
            if (b.start < cut) l.lowmem_banks.push_back({b.start, std::min(b.end(), cut) - b.start});
            if (b.end() > cut) {
                uint64_t s0 = std::max(b.start, cut);
                (highmem_usable ? l.highmem_banks : l.dropped_banks).push_back({s0, b.end() - s0});
            }
        }
    }
    if (l.lowmem_banks.empty()) {
        std::string said;
        for (const auto& m : l.messages) said += " \"" + m.text + "\"";
        throw Error(fmt::format("no RAM left below the lowmem limit {}: this kernel cannot boot{}{}", h(vmalloc_min),
                                said.empty() ? "" : "; it prints", said));
    }

    for (const auto& b : l.lowmem_banks) l.lowmem_bytes += b.size;
    for (const auto& b : l.highmem_banks) l.highmem_bytes += b.size;
    for (const auto& b : l.dropped_banks) l.dropped_bytes += b.size;

    // ---- high_memory (arch/arm/mm/init.c / mmu.c) ----
    const uint64_t lowmem_end = arm_lowmem_limit ? arm_lowmem_limit : l.lowmem_banks.back().end();
    if (e.arm_high_memory_minus1) {
        l.high_memory = uint32_t(va(lowmem_end - 1) + 1);
        add_explain(l, "high_memory", fmt::format("__va(lowmem_end - 1) + 1 = __va({}) + 1", h(lowmem_end - 1)),
                    l.high_memory, "arch/arm/mm/init.c (2.6.29+) / mmu.c");
    } else {
        l.high_memory = uint32_t(va(lowmem_end));
        add_explain(l, "high_memory", fmt::format("__va(memend_pfn << PAGE_SHIFT) = __va({})", h(lowmem_end)),
                    l.high_memory, "arch/arm/mm/init.c bootmem_init() (2.6.18-2.6.28)");
    }
    // vendor carve-outs: taken from memblock after lowmem was sized (high_memory stays), so the zones and
    // "Memory:" lines do not count them
    for (const auto& cut : p.carveouts) {
        for (auto* banks : {&l.lowmem_banks, &l.highmem_banks}) {
            std::vector<MemBank> kept;
            for (const auto& b : *banks) {
                if (cut.end() <= b.start || cut.start >= b.end()) { kept.push_back(b); continue; }
                if (cut.start > b.start) kept.push_back({b.start, cut.start - b.start});
                if (cut.end() < b.end()) kept.push_back({cut.end(), b.end() - cut.end()});
            }
            *banks = kept;
        }
        l.notes.push_back(fmt::format("vendor carve-out {} of RAM at {}: taken away after lowmem was sized (lowmem still "
                                      "ends at high_memory; not in the page counts)",
                                      human_size(cut.size), h(cut.start)));
    }
    if (!p.carveouts.empty()) {
        l.lowmem_bytes = l.highmem_bytes = 0;
        for (const auto& b : l.lowmem_banks) l.lowmem_bytes += b.size;
        for (const auto& b : l.highmem_banks) l.highmem_bytes += b.size;
        if (l.lowmem_banks.empty()) throw Error("the vendor carve-outs take all of lowmem");
    }
    if (va(lowmem_end - 1) >= 0xffffffffULL || lowmem_end - 1 - PHYS_OFFSET >= (1ULL << 32) - PAGE_OFFSET)
        throw Error(fmt::format("lowmem {}..{} does not fit in the kernel's address space above PAGE_OFFSET {}",
                                h(l.lowmem_banks.front().start), h(lowmem_end), h(PAGE_OFFSET)));

    // VMALLOC_START (asm/pgtable.h, all eras)
    l.vmalloc_end = uint32_t(VMALLOC_END);
    const uint64_t vs = (uint64_t(l.high_memory) + e.vmalloc_offset) & ~(e.vmalloc_offset - 1);
    l.vmalloc_start = uint32_t(vs);
    add_explain(l, "VMALLOC_START",
                fmt::format("(high_memory + 8M) & ~(8M-1) = ({} + 0x800000) & ~0x7fffff", h(l.high_memory)), vs,
                "arch/arm/include/asm/pgtable.h");
    // Only the unchecked eras (<= 2.6.26, every bank mapped) get here.  Past 4 GB there is no
    // layout left to draw: the linear map covers the I/O mappings and the vectors page.
    if (vs > 0xffffffffULL)
        throw Error(fmt::format("lowmem runs to high_memory {} and VMALLOC_START {} lies past 4 GB: this kernel cannot boot "
                                "(Linux {} does not check; it maps RAM over its vmalloc area, I/O mappings and vectors page)",
                                h(l.high_memory), h(vs), p.kernel.text));
    if (vs >= VMALLOC_END)
        l.notes.push_back(fmt::format("VMALLOC_START {} is not below VMALLOC_END {}: lowmem runs into the vmalloc area "
                                      "and this kernel would crash (Linux {} does not check)",
                                      h(vs), h(VMALLOC_END), p.kernel.text));

    // ---- pfns (arch/arm/mm/init.c) ----
    l.min_low_pfn = l.ram.front().start >> kPageShift;
    l.max_low_pfn = lowmem_end >> kPageShift;
    l.max_pfn = (l.highmem_banks.empty() ? lowmem_end : l.highmem_banks.back().end()) >> kPageShift;
    l.pfns_are_counts = e.arm_pfns_are_counts;
    const uint64_t phys_pfn_offset = PHYS_OFFSET >> kPageShift;
    l.kernel_max_low_pfn = e.arm_pfns_are_counts ? l.max_low_pfn - phys_pfn_offset : l.max_low_pfn;
    l.kernel_max_pfn = e.arm_pfns_are_counts ? l.max_pfn - phys_pfn_offset : l.max_pfn;

    // ---- fixed regions ----
    l.task_size = uint32_t(PAGE_OFFSET - SZ_16M);                 // asm/memory.h TASK_SIZE
    const bool thumb2 = p.config.thumb2 && e.highmem_supported;   // Thumb-2 modules: PAGE_OFFSET - 8M (2.6.30+)
    l.modules_start = uint32_t(PAGE_OFFSET - (thumb2 ? 8 * SZ_1M : SZ_16M));
    l.modules_end = uint32_t(highmem_on ? PAGE_OFFSET - ARM_PMD_SIZE : PAGE_OFFSET);
    if (highmem_on) {
        l.has_pkmap = true;
        l.last_pkmap = 512;                                       // PTRS_PER_PTE
        l.pkmap_base = uint32_t(PAGE_OFFSET - ARM_PMD_SIZE);      // asm/highmem.h
        l.pkmap_end = uint32_t(l.pkmap_base + l.last_pkmap * kPageSize);
    }
    if (e.arm_fixaddr_start) {
        l.has_fixmap = true;
        l.fixaddr_start = e.arm_fixaddr_start;
        l.fixaddr_end = e.arm_fixaddr_end;
        l.fixaddr_top = e.arm_fixaddr_top;
        l.fixmap_grows_down = e.arm_fixmap_down;
        if (p.fixaddr_start) {
            // a vendor kernel's own asm/fixmap.h (profile fixmap: {start, top}): the range mem_init prints;
            // slots keep the era's direction (downward from top - PAGE_SIZE from 3.19)
            l.fixaddr_start = *p.fixaddr_start;
            l.fixaddr_end = p.fixaddr_top;
            l.fixaddr_top = e.arm_fixmap_down ? p.fixaddr_top - uint32_t(kPageSize) : p.fixaddr_top;
            l.notes.push_back(fmt::format("fixmap {} - {} from the profile (a vendor asm/fixmap.h; Linux {} has {} - {}, "
                                          "{} rules)",
                                          h(l.fixaddr_start), h(l.fixaddr_end), p.kernel.text, h(e.arm_fixaddr_start),
                                          h(e.arm_fixaddr_end), e.name));
        }
    } else if (p.fixaddr_start) {
        l.notes.push_back(fmt::format("profile fixmap ignored: Linux {} has no ARM fixmap (added in 2.6.30)", p.kernel.text));
    }
    if (e.arm_consistent_region) {
        l.has_consistent = true;
        l.consistent_end = p.consistent_end;                      // CONSISTENT_END (0xffe00000 in mainline)
        l.consistent_base = uint32_t(p.consistent_end - p.consistent_dma_size);
    }
    l.has_vectors = true;
    l.vectors_base = p.vectors_base;

    add_explain(l, "PAGE_OFFSET", fmt::format("{} (CONFIG_VMSPLIT_{})", h(PAGE_OFFSET), p.config.vmsplit), PAGE_OFFSET,
                "arch/arm/Kconfig PAGE_OFFSET");
    add_explain(l, "TASK_SIZE", fmt::format("PAGE_OFFSET - 16M = {} - 0x1000000", h(PAGE_OFFSET)), l.task_size,
                "arch/arm/include/asm/memory.h");
    add_explain(l, "MODULES_VADDR",
                fmt::format("PAGE_OFFSET - {} = {} - {:#x}", thumb2 ? "8M (Thumb-2)" : "16M", h(PAGE_OFFSET),
                            PAGE_OFFSET - l.modules_start),
                l.modules_start, "arch/arm/include/asm/memory.h");
    add_explain(l, "MODULES_END",
                highmem_on ? fmt::format("PAGE_OFFSET - PMD_SIZE = {} - 0x200000 (CONFIG_HIGHMEM)", h(PAGE_OFFSET))
                           : std::string("PAGE_OFFSET (no CONFIG_HIGHMEM, so no pkmap below it)"),
                l.modules_end, "arch/arm/include/asm/memory.h");
    if (l.has_pkmap)
        add_explain(l, "PKMAP_BASE", fmt::format("PAGE_OFFSET - PMD_SIZE = {} - 0x200000", h(PAGE_OFFSET)), l.pkmap_base,
                    "arch/arm/include/asm/highmem.h");
    if (l.has_pkmap)
        add_explain(l, "pkmap end",
                    fmt::format("PKMAP_BASE + LAST_PKMAP*PAGE_SIZE = {} + 512*4096 (LAST_PKMAP = PTRS_PER_PTE = 512)",
                                h(l.pkmap_base)),
                    l.pkmap_end, "arch/arm/include/asm/highmem.h");
    if (l.has_fixmap) {
        const Era& set = row_that_set(layout_table(Arch::arm), e, [](const Era& r) { return r.arm_fixaddr_start; });
        add_explain(l, "FIXADDR_START", fmt::format("{} (Linux {}, {} rules)", h(l.fixaddr_start), p.kernel.text, set.name),
                    l.fixaddr_start, p.fixaddr_start ? "profile fixmap (a vendor asm/fixmap.h)" : set.source);
        if (l.fixmap_grows_down) {
            add_explain(l, "FIXADDR_END", fmt::format("{} (the end mem_init prints)", h(l.fixaddr_end)), l.fixaddr_end,
                        "arch/arm/include/asm/fixmap.h");
            add_explain(l, "FIXADDR_TOP", fmt::format("FIXADDR_END - PAGE_SIZE = {} - 0x1000 (slot 0; slots grow down)",
                                                      h(l.fixaddr_end)),
                        l.fixaddr_top, "arch/arm/include/asm/fixmap.h");
        } else {
            add_explain(l, "FIXADDR_TOP", fmt::format("{} (__fix_to_virt(x) = FIXADDR_START + (x << PAGE_SHIFT): slots grow up)",
                                                      h(l.fixaddr_top)),
                        l.fixaddr_top, "arch/arm/include/asm/fixmap.h");
        }
    }
    if (l.has_consistent) {
        add_explain(l, "CONSISTENT_END", fmt::format("{} (profile consistent_end; 0xffe00000 in mainline)", h(l.consistent_end)),
                    l.consistent_end, "arch/arm/mm/consistent.c / dma-mapping.c");
        add_explain(l, "CONSISTENT_BASE",
                    fmt::format("CONSISTENT_END - CONSISTENT_DMA_SIZE = {} - {:#x}", h(l.consistent_end), p.consistent_dma_size),
                    l.consistent_base, "arch/arm/mm/consistent.c / dma-mapping.c");
    }
    add_explain(l, "vectors", fmt::format("CONFIG_VECTORS_BASE (one page, up to {})", h(l.vectors_base + kPageSize)),
                l.vectors_base, "arch/arm/Kconfig VECTORS_BASE");
}

struct X86PfnSplit {
    uint64_t max_low_pfn = 0, max_pfn = 0;
};

// The lowmem/highmem split and highmem=: find_max_low_pfn() (2.6.18.8 arch/i386/kernel/setup.c),
// find_low_pfn_range() (2.6.28/2.6.29 arch/x86/mm/init_32.c, the same texts), lowmem_pfn_init() and
// highmem_pfn_init() (2.6.30+, 2.6.32.69/v2.6.37/v6.1 arch/x86/mm/init_32.c, the MSG_* texts).
// highmem_pages is an unsigned int set to memparse(highmem=) >> PAGE_SHIFT, -1 when not given;
// pages_to_mb(x) = x >> (20 - PAGE_SHIFT).
X86PfnSplit x86_find_low_pfn_range(uint64_t max_pfn, uint64_t maxmem_pfn, uint64_t maxmem,
                                   const std::optional<uint64_t>& highmem_param, bool highmem_on, bool pae,
                                   const Era& e, Layout& l) {
    constexpr uint64_t MAX_NONPAE_PFN = 1u << 20;
    constexpr uint32_t NOT_GIVEN = UINT32_MAX;   // (unsigned int)-1
    auto pages_to_mb = [](uint64_t pages) { return pages >> (20 - kPageShift); };
    const uint32_t highmem_pages = highmem_param ? uint32_t(*highmem_param >> kPageShift) : NOT_GIVEN;
    X86PfnSplit r;
    if (max_pfn > maxmem_pfn) {
        // highmem_pfn_init(): highmem= may shrink highmem, never grow it
        r.max_low_pfn = maxmem_pfn;
        uint64_t hp = highmem_pages == NOT_GIVEN ? max_pfn - maxmem_pfn : highmem_pages;
        if (hp + maxmem_pfn < max_pfn) max_pfn = maxmem_pfn + hp;
        if (hp + maxmem_pfn > max_pfn)
            msg(l, "warning", print_message(e.x86_pfn_init_msgs ? kmsg::x86_highmem_ignored : kmsg::x86_highmem_ignored_old,
                                            pages_to_mb(max_pfn - maxmem_pfn), pages_to_mb(hp)));
        if (!highmem_on) {
            msg(l, "warning", print_message(kmsg::x86_warning_only_mb, maxmem >> 20));
            msg(l, "warning", max_pfn > MAX_NONPAE_PFN
                                  ? (e.x86_highmem64g_msg ? kmsg::x86_use_highmem64g.print : kmsg::x86_use_pae.print)
                                  : kmsg::x86_use_highmem.print);
            max_pfn = maxmem_pfn;
        } else if (!pae && max_pfn > MAX_NONPAE_PFN) {
            // only 2.6.18 gets here: later kernels stopped max_pfn at max_arch_pfn already
            max_pfn = MAX_NONPAE_PFN;
            msg(l, "warning", kmsg::x86_warning_only_4gb.print);
            msg(l, "warning", kmsg::x86_use_pae.print);
        }
    } else {
        // lowmem_pfn_init(): all RAM fits, but highmem= may carve highmem out of the top of it
        r.max_low_pfn = max_pfn;
        uint64_t hp = highmem_pages == NOT_GIVEN ? 0 : highmem_pages;
        if (highmem_on) {
            if (hp >= max_pfn) {
                msg(l, "err", print_message(e.x86_pfn_init_msgs ? kmsg::x86_highmem_bigger : kmsg::x86_highmem_bigger_old,
                                            pages_to_mb(hp), pages_to_mb(max_pfn)));
                hp = 0;
            }
            if (hp) {
                if (r.max_low_pfn - hp < (64u << 20) / kPageSize) {
                    msg(l, "err", print_message(e.x86_pfn_init_msgs ? kmsg::x86_highmem_small_lowmem
                                                                    : kmsg::x86_highmem_small_lowmem_old,
                                                pages_to_mb(hp)));
                    hp = 0;
                }
                r.max_low_pfn -= hp;
            }
        } else if (hp) {
            msg(l, "err", kmsg::x86_highmem_nonhighmem.print);
        }
    }
    r.max_pfn = max_pfn;
    return r;
}

void x86_layout(const Board& board, Layout& l) {
    const Profile& p = board.profile;
    const Cmdline& c = board.cmdline;
    const Era& e = *l.era;
    const uint64_t PAGE_OFFSET = p.config.page_offset;
    const bool pae = p.config.pae;
    const unsigned LAST_PKMAP = pae ? 512 : 1024;                 // asm/highmem.h
    const uint64_t PMD_SIZE = pae ? (2u << 20) : (4u << 20);      // PAE: 2 MB; else the PGD's 4 MB
    const bool highmem_on = p.config.highmem;
    // enum fixed_addresses of the era and the profile's configuration, unless the profile states the
    // fixmap itself (fixmap:, pkmap_base:, cpu_entry_area: override)
    const X86FixmapConfig fc = x86_fixmap_config(p);
    const X86Fixmap fm = x86_fixmap(p.kernel, fc);
    const bool from_enum = !p.fixaddr_start;
    const uint64_t FIXADDR_TOP = from_enum ? fm.fixaddr_top : p.fixaddr_top;
    const uint64_t FIXADDR_START = from_enum ? fm.fixaddr_start : *p.fixaddr_start;
    l.x86_fixmap_from_enum = from_enum;
    l.x86_fix_kmap_begin = fm.fix_kmap_begin;

    // e820 RAM, trimmed by mem= (2.6.18 limit_regions(); 2.6.28+ e820 range remove): by address.
    std::vector<MemBank> ram = p.ram;
    if (!c.mem.empty()) {
        uint64_t limit = c.mem.back().size;
        if (c.mem.back().start) l.notes.push_back("mem=SIZE@START is an ARM form; x86 takes only the size");
        std::vector<MemBank> kept;
        for (auto b : ram) {
            if (b.start >= limit) continue;
            if (b.end() > limit) b.size = limit - b.start;
            kept.push_back(b);
        }
        ram = kept;
    }
    // pfn granularity: the kernel uses whole pages of usable RAM (PFN_UP(start)..PFN_DOWN(end))
    for (auto& b : ram) {
        uint64_t s = page_align_up(b.start), en = page_align_down(b.end());
        b = {s, en > s ? en - s : 0};
    }
    ram.erase(std::remove_if(ram.begin(), ram.end(), [](const MemBank& b) { return b.size == 0; }), ram.end());
    if (ram.empty()) throw Error("no RAM left (check mem=)");
    // max_arch_pfn: 4 GB, 64 GB with PAE.  2.6.28+ e820_end_of_ram_pfn() stops max_pfn there without a
    // word; 2.6.18 find_max_pfn() takes every e820 RAM range and find_max_low_pfn() trims a non-PAE
    // HIGHMEM kernel to 4 GB itself (x86_find_low_pfn_range() below).
    const uint64_t max_arch = pae ? (1ULL << 36) : (1ULL << 32);
    if (ram.back().end() > max_arch && (e.x86_e820_clamp || pae)) {
        std::vector<MemBank> kept;
        for (auto b : ram) {
            if (b.start >= max_arch) { l.dropped_banks.push_back(b); continue; }
            if (b.end() > max_arch) { l.dropped_banks.push_back({max_arch, b.end() - max_arch}); b.size = max_arch - b.start; }
            kept.push_back(b);
        }
        ram = kept;
        if (ram.empty())
            throw Error(fmt::format("no RAM below the {} the kernel can address (max_arch_pfn, {})", pae ? "64 GB" : "4 GB",
                                    pae ? "PAE" : "non-PAE"));
    }
    l.ram = ram;
    uint64_t max_pfn = ram.back().end() >> kPageShift;

    // PKMAP_BASE and VMALLOC_END (asm/highmem.h, pgtable_32*.h)
    uint64_t pkmap_base = 0;
    if (from_enum && !p.pkmap_base) {
        pkmap_base = fm.pkmap_base;
        if (highmem_on)
            add_explain(l, "PKMAP_BASE", fmt::format("{} = {}", fm.pkmap_rule, h(pkmap_base)), pkmap_base,
                        "arch/x86/include/asm/pgtable_32_types.h / pgtable_32_areas.h");
    } else if (p.pkmap_base) {
        pkmap_base = *p.pkmap_base;
        add_explain(l, "PKMAP_BASE", fmt::format("{} (profile: derived by the kernel from the fixmap/LDT/cpu_entry_area layout)", h(pkmap_base)),
                    pkmap_base, "profile pkmap_base");
    } else {
        uint64_t boot = p.fixaddr_boot_start.value_or(FIXADDR_START);
        pkmap_base = (boot - kPageSize * (LAST_PKMAP + 1)) & ~(PMD_SIZE - 1);
        add_explain(l, "PKMAP_BASE",
                    fmt::format("(FIXADDR_BOOT_START - PAGE_SIZE*(LAST_PKMAP+1)) & PMD_MASK = ({} - 4096*{}) & ~{:#x}", h(boot),
                                LAST_PKMAP + 1, PMD_SIZE - 1),
                    pkmap_base, "asm/highmem.h");
    }
    uint64_t VMALLOC_END = highmem_on ? pkmap_base - 2 * kPageSize
                           : from_enum ? fm.vmalloc_end : FIXADDR_START - 2 * kPageSize;
    add_explain(l, "VMALLOC_END",
                highmem_on ? fmt::format("PKMAP_BASE - 2*PAGE_SIZE = {} - 0x2000", h(pkmap_base))
                : from_enum && fm.has_cpu_entry
                    ? fmt::format("{} - 2*PAGE_SIZE = {} - 0x2000", fm.has_ldt ? "LDT_BASE_ADDR" : "CPU_ENTRY_AREA_BASE",
                                  h(fm.has_ldt ? fm.ldt_base : fm.cpu_entry_start))
                    : fmt::format("FIXADDR_START - 2*PAGE_SIZE = {} - 0x2000", h(FIXADDR_START)),
                VMALLOC_END, "asm/pgtable_32*.h");

    // __VMALLOC_RESERVE and MAXMEM
    uint64_t reserve = 128u << 20;
    l.vmalloc_param_given = c.vmalloc.has_value();
    l.vmalloc_param = c.vmalloc.value_or(0);
    if (c.vmalloc) {
        l.vmalloc_param_honoured = true;
        reserve = *c.vmalloc + (e.x86_param_adds_offset ? e.vmalloc_offset : 0);
    }
    l.vmalloc_reserve = reserve;
    uint64_t maxmem;
    if (e.x86_maxmem == X86MaxmemRule::fixed) {
        uint64_t span = (1ULL << 32) - PAGE_OFFSET;
        if (reserve >= span) throw Error(fmt::format("vmalloc={:#x} leaves no lowmem", l.vmalloc_param));
        maxmem = span - reserve;
        add_explain(l, "MAXMEM", fmt::format("-PAGE_OFFSET - __VMALLOC_RESERVE = {:#x} - {:#x}", span, reserve), maxmem,
                    "include/asm-i386/page.h");
    } else {
        if (reserve >= VMALLOC_END - PAGE_OFFSET) throw Error(fmt::format("vmalloc={:#x} leaves no lowmem", l.vmalloc_param));
        maxmem = VMALLOC_END - PAGE_OFFSET - reserve;
        add_explain(l, "MAXMEM",
                    fmt::format("VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE = {} - {} - {:#x}", h(VMALLOC_END), h(PAGE_OFFSET), reserve),
                    maxmem, "arch/x86/include/asm/pgtable_32_types.h");
    }
    const uint64_t maxmem_pfn = maxmem >> kPageShift;
    l.has_lowmem_limit = true;
    l.lowmem_limit_phys = maxmem_pfn << kPageShift;
    l.lowmem_limit_virt = PAGE_OFFSET + l.lowmem_limit_phys;

    const uint64_t max_pfn_e820 = max_pfn;
    const X86PfnSplit split = x86_find_low_pfn_range(max_pfn, maxmem_pfn, maxmem, c.highmem, highmem_on, pae, e, l);
    const uint64_t max_low_pfn = split.max_low_pfn;
    max_pfn = split.max_pfn;
    add_explain(l, "max_low_pfn",
                max_pfn_e820 > maxmem_pfn
                    ? fmt::format("MAXMEM_PFN = MAXMEM >> PAGE_SHIFT (max_pfn {:#x} is above it)", max_pfn_e820)
                    : (max_low_pfn < max_pfn ? fmt::format("max_pfn - highmem_pages = {:#x} - {:#x} (highmem=)", max_pfn,
                                                           max_pfn - max_low_pfn)
                                             : fmt::format("max_pfn = {:#x} (all RAM fits below MAXMEM_PFN {:#x})", max_pfn,
                                                           maxmem_pfn)),
                max_low_pfn, e.x86_pfn_init_msgs ? "arch/x86/mm/init_32.c lowmem_pfn_init()/highmem_pfn_init()"
                                                 : "find_max_low_pfn() (arch/i386/kernel/setup.c) / find_low_pfn_range()");
    if (max_pfn != max_pfn_e820 && highmem_on)
        add_explain(l, "max_pfn",
                    fmt::format("min(end of e820 RAM {:#x}, MAXMEM_PFN + highmem_pages{})", max_pfn_e820,
                                pae ? "" : ", 4 GB"),
                    max_pfn, "highmem_pfn_init() / find_max_low_pfn()");
    // RAM by zone class: lowmem below max_low_pfn, highmem up to max_pfn, the rest unused
    const uint64_t low_end = max_low_pfn << kPageShift;
    const uint64_t high_end = highmem_on ? max_pfn << kPageShift : low_end;
    for (const auto& b : l.ram) {
        if (b.start < low_end) l.lowmem_banks.push_back({b.start, std::min(b.end(), low_end) - b.start});
        if (b.end() > low_end && b.start < high_end) {
            uint64_t s0 = std::max(b.start, low_end);
            l.highmem_banks.push_back({s0, std::min(b.end(), high_end) - s0});
        }
        if (b.end() > high_end) {
            uint64_t s0 = std::max(b.start, high_end);
            l.dropped_banks.push_back({s0, b.end() - s0});
        }
    }
    std::sort(l.dropped_banks.begin(), l.dropped_banks.end(), [](const MemBank& a, const MemBank& b) { return a.start < b.start; });
    for (const auto& b : l.lowmem_banks) l.lowmem_bytes += b.size;
    for (const auto& b : l.highmem_banks) l.highmem_bytes += b.size;
    for (const auto& b : l.dropped_banks) l.dropped_bytes += b.size;
    // setup_memory() (2.6.18) / initmem_init(): highstart_pfn = max_low_pfn when max_pfn > max_low_pfn
    if (highmem_on)
        msg(l, "notice", print_message(kmsg::highmem_available, (max_pfn > max_low_pfn ? max_pfn - max_low_pfn : 0) >> 8));
    msg(l, "notice", print_message(kmsg::lowmem_available, max_low_pfn >> 8));

    l.min_low_pfn = ram.front().start >> kPageShift;
    l.max_low_pfn = max_low_pfn;
    l.max_pfn = max_pfn;
    l.kernel_max_low_pfn = max_low_pfn;
    l.kernel_max_pfn = max_pfn;
    const uint64_t high_memory = PAGE_OFFSET + ((max_low_pfn << kPageShift) - 1) + 1;   // 64-bit: may reach 4 GB
    l.high_memory = uint32_t(high_memory);
    add_explain(l, "high_memory", fmt::format("__va(max_low_pfn * PAGE_SIZE - 1) + 1 = __va({:#x}) + 1", (max_low_pfn << kPageShift) - 1),
                l.high_memory, "arch/x86/mm/init_32.c");

    uint64_t vs;
    if (e.x86_vmalloc_start_aligned) {
        vs = (high_memory + 2 * e.vmalloc_offset - 1) & ~(e.vmalloc_offset - 1);
        add_explain(l, "VMALLOC_START", fmt::format("(high_memory + 2*VMALLOC_OFFSET - 1) & ~(VMALLOC_OFFSET-1) = ({} + 0xffffff) & ~0x7fffff", h(l.high_memory)),
                    vs, "include/asm-i386/pgtable.h");
    } else {
        vs = high_memory + e.vmalloc_offset;
        add_explain(l, "VMALLOC_START", fmt::format("high_memory + VMALLOC_OFFSET = {} + 0x800000", h(l.high_memory)), vs,
                    "arch/x86/include/asm/pgtable_32_types.h");
    }
    // MAXMEM subtracts only __VMALLOC_RESERVE, so a tiny vmalloc= lets lowmem run up to or over
    // VMALLOC_END: 2.6.19+ stop at BUG_ON(VMALLOC_START >= VMALLOC_END) in mem_init
    // (arch/i386/mm/init.c, arch/x86/mm/init_32.c); 2.6.18 wraps VMALLOC_START past 4 GB or maps
    // lowmem over its own fixmap.  No kernel boots that way, so there is no layout to show.
    if (vs >= VMALLOC_END) {
        std::string why;
        const uint64_t above_lowmem = highmem_on ? pkmap_base : FIXADDR_START;   // the next fixed area up
        if (e.x86_mem_init_bug_on)
            why = "this kernel cannot boot (mem_init() stops at BUG_ON(VMALLOC_START >= VMALLOC_END))";
        else if (high_memory > above_lowmem)
            why = fmt::format("Linux {} does not check this (mem_init()'s BUG_ON(VMALLOC_START >= VMALLOC_END) came in "
                              "2.6.19), but its lowmem mapping runs over the {} at {}",
                              p.kernel.text, highmem_on ? "pkmap area" : "fixmap", h(above_lowmem));
        else if (vs > 0xffffffffULL)
            why = fmt::format("Linux {} does not check this (mem_init()'s BUG_ON(VMALLOC_START >= VMALLOC_END) came in "
                              "2.6.19), but VMALLOC_START wraps past 4 GB to {}: vmalloc() and ioremap() would hand out "
                              "user-space addresses",
                              p.kernel.text, h(vs & 0xffffffffULL));
        else
            why = fmt::format("Linux {} does not check this (mem_init()'s BUG_ON(VMALLOC_START >= VMALLOC_END) came in "
                              "2.6.19), but its vmalloc area is empty: every vmalloc() and ioremap() fails",
                              p.kernel.text);
        throw Error(fmt::format("VMALLOC_START {} is not below VMALLOC_END {} (lowmem runs to high_memory {}{}): {}", h(vs),
                                h(VMALLOC_END), h(high_memory),
                                l.vmalloc_param_given ? fmt::format("; vmalloc={:#x} is too small", l.vmalloc_param) : "",
                                why));
    }
    l.vmalloc_start = uint32_t(vs);
    l.vmalloc_end = uint32_t(VMALLOC_END);

    l.task_size = uint32_t(PAGE_OFFSET);
    if (highmem_on) {
        l.has_pkmap = true;
        l.last_pkmap = LAST_PKMAP;
        l.pkmap_base = uint32_t(pkmap_base);
        l.pkmap_end = uint32_t(pkmap_base + LAST_PKMAP * kPageSize);
        if (l.pkmap_end > FIXADDR_START)
            msg(l, "err", kmsg::fixmap_kmap_overlap.print);
    }
    l.has_fixmap = true;
    l.fixaddr_start = uint32_t(FIXADDR_START);
    l.fixaddr_end = uint32_t(FIXADDR_TOP);
    l.fixaddr_top = uint32_t(FIXADDR_TOP);
    l.fixmap_grows_down = true;
    if (p.cpu_entry_area) {
        l.has_cpu_entry = true;
        l.cpu_entry_start = uint32_t(p.cpu_entry_area->start);
        l.cpu_entry_end = uint32_t(p.cpu_entry_area->end);
    } else if (from_enum && fm.has_cpu_entry) {
        l.has_cpu_entry = true;
        l.cpu_entry_start = fm.cpu_entry_start;
        l.cpu_entry_end = fm.cpu_entry_end;
    }
    if (from_enum && fm.has_ldt) {
        l.has_ldt = true;
        l.ldt_base = fm.ldt_base;
        l.ldt_end = uint32_t(fm.ldt_base + PMD_SIZE);
    }

    add_explain(l, "PAGE_OFFSET", fmt::format("{} (CONFIG_VMSPLIT_{})", h(PAGE_OFFSET), p.config.vmsplit), PAGE_OFFSET,
                "arch/x86/Kconfig PAGE_OFFSET");
    add_explain(l, "TASK_SIZE", "PAGE_OFFSET (user space ends where the kernel's begins)", l.task_size,
                "arch/x86/include/asm/page_32_types.h (include/asm-i386/processor.h in 2.6.18)");
    if (l.has_pkmap)
        add_explain(l, "pkmap end",
                    fmt::format("PKMAP_BASE + LAST_PKMAP*PAGE_SIZE = {} + {}*4096 (LAST_PKMAP {}, {})", h(l.pkmap_base),
                                LAST_PKMAP, LAST_PKMAP, pae ? "PAE" : "non-PAE"),
                    l.pkmap_end, "asm/highmem.h");
    if (l.has_cpu_entry)
        add_explain(l, "CPU_ENTRY_AREA_BASE",
                    p.cpu_entry_area || !from_enum
                        ? fmt::format("{} .. {} (profile cpu_entry_area)", h(l.cpu_entry_start), h(l.cpu_entry_end))
                        : fmt::format("({} - PAGE_SIZE*(CPU_ENTRY_AREA_PAGES+1)) & PMD_MASK = {} .. {}",
                                      fm.cpu_entry_ref,
                                      h(l.cpu_entry_start), h(l.cpu_entry_end)),
                    l.cpu_entry_start, "arch/x86/include/asm/pgtable_32_areas.h");
    if (l.has_ldt)
        add_explain(l, "LDT_BASE_ADDR", fmt::format("(CPU_ENTRY_AREA_BASE - PAGE_SIZE) & PMD_MASK = {}", h(l.ldt_base)),
                    l.ldt_base, "arch/x86/include/asm/pgtable_32_areas.h");
    if (from_enum) {
        add_explain(l, "FIXADDR_START",
                    fmt::format("FIXADDR_TOP - (__end_of_permanent_fixed_addresses << PAGE_SHIFT) = {} - ({} << 12) "
                                "({}; config {})",
                                h(FIXADDR_TOP), fm.end_of_permanent, fm.source, x86_fixmap_config_text(fc)),
                    FIXADDR_START, "arch/x86/include/asm/fixmap.h");
        add_explain(l, "FIXADDR_BOOT_START",
                    fmt::format("FIXADDR_TOP - (__end_of_fixed_addresses << PAGE_SHIFT) = {} - ({} << 12) (the "
                                "early_ioremap slots included)",
                                h(FIXADDR_TOP), fm.end_of_fixed),
                    fm.fixaddr_boot_start, "arch/x86/include/asm/fixmap.h");
    } else {
        add_explain(l, "FIXADDR_START",
                    "FIXADDR_TOP - (__end_of_permanent_fixed_addresses << PAGE_SHIFT) (profile fixmap.start: the enum "
                    "depends on NR_CPUS and the APICs)",
                    FIXADDR_START, "asm/fixmap.h");
    }
    add_explain(l, "FIXADDR_TOP", "__FIXADDR_TOP (slot 0; slots grow down: __fix_to_virt(x) = FIXADDR_TOP - (x << PAGE_SHIFT))",
                FIXADDR_TOP, "asm/fixmap.h");
}

void add_regions(Layout& l) {
    std::vector<Region> r;
    auto add = [&](const char* name, uint64_t s, uint64_t e, std::string what) {
        if (e > s) r.push_back({name, s, e, std::move(what)});
    };
    if (l.arch == Arch::arm) {
        add("user", 0, l.task_size, "user space (0 .. TASK_SIZE)");
        add("modules", l.modules_start, l.modules_end, "kernel modules (MODULES_VADDR .. MODULES_END)");
        if (l.has_pkmap) add("pkmap", l.pkmap_base, l.pkmap_end, fmt::format("persistent kmap (PKMAP_BASE, LAST_PKMAP {} pages)", l.last_pkmap));
    } else {
        add("user", 0, l.task_size, "user space (0 .. TASK_SIZE = PAGE_OFFSET)");
    }
    add("lowmem", l.page_offset, l.high_memory, "linear map of low memory (PAGE_OFFSET .. high_memory)");
    add("vmalloc-gap", l.high_memory, std::min(l.vmalloc_start, l.vmalloc_end),
        "VMALLOC_OFFSET guard gap (high_memory .. VMALLOC_START), never mapped");
    add("vmalloc", l.vmalloc_start, l.vmalloc_end, "vmalloc/ioremap area (VMALLOC_START .. VMALLOC_END)");
    if (l.arch == Arch::x86 && l.has_pkmap) {
        add("vmalloc-guard", l.vmalloc_end, l.pkmap_base, "guard pages (VMALLOC_END .. PKMAP_BASE)");
        add("pkmap", l.pkmap_base, l.pkmap_end, fmt::format("persistent kmap (PKMAP_BASE, LAST_PKMAP {} pages)", l.last_pkmap));
    }
    if (l.has_cpu_entry) add("cpu_entry", l.cpu_entry_start, l.cpu_entry_end, "cpu_entry_area (GDT, TSS, entry stacks)");
    if (l.has_ldt) add("ldt", l.ldt_base, l.ldt_end, "LDT remap for PTI (LDT_BASE_ADDR .. LDT_END_ADDR)");
    if (l.has_consistent) add("dma", l.consistent_base, l.consistent_end, "DMA-consistent region (CONSISTENT_BASE .. CONSISTENT_END)");
    if (l.has_fixmap) add("fixmap", l.fixaddr_start, l.fixaddr_end, "fixmap: kmap_atomic slots, early mappings (FIXADDR_START .. )");
    if (l.has_vectors) add("vectors", l.vectors_base, l.vectors_base + kPageSize, "exception vectors page (CONFIG_VECTORS_BASE)");
    std::sort(r.begin(), r.end(), [](const Region& a, const Region& b) { return a.start < b.start; });
    // fill the holes so that the map covers 0 .. 4 GB
    std::vector<Region> full;
    uint64_t at = 0;
    for (auto& x : r) {
        if (x.start < at) x.start = at;   // overlapping definitions: the earlier one wins
        if (x.end <= x.start) continue;
        if (x.start > at) full.push_back({"unused", at, x.start, "not used by the kernel's fixed layout (static I/O mappings may live here)"});
        full.push_back(x);
        at = x.end;
    }
    if (at < (1ULL << 32)) full.push_back({"unused", at, 1ULL << 32, "not used by the kernel's fixed layout"});
    l.regions = std::move(full);
}

}  // namespace

namespace {
Layout layout_of(const Board& board) {
    const Profile& p = board.profile;
    Layout l;
    l.arch = p.arch;
    l.rules = rules_for(p.arch, p.kernel);
    l.era = l.rules.layout;
    l.profile = p.name;
    l.kernel = p.kernel.text;
    l.cmdline = board.cmdline.text;
    l.page_offset = p.config.page_offset;
    l.phys_offset = p.phys_offset;
    l.described_ram = p.ram;
    std::sort(l.described_ram.begin(), l.described_ram.end(), [](const MemBank& a, const MemBank& b) { return a.start < b.start; });
    std::string why;
    if (!version_is_modelled(p.kernel, &why)) l.notes.push_back(why);
    if (p.arch == Arch::arm) arm_layout(board, l);
    else x86_layout(board, l);
    add_regions(l);
    return l;
}

// One vmalloc= candidate: the layout with vmalloc=V on the command line, or nothing when no
// kernel boots that way (an Error, or a vmalloc area that is empty or wraps).
struct KeepAllTrial {
    bool boots = false;
    uint64_t lowmem = 0;
    bool keeps_all = false;
    uint64_t vmalloc_size = 0;
    uint64_t lowmem_limit = 0;
};
KeepAllTrial try_vmalloc(const Board& base, uint64_t v) {
    Board b = base;
    b.cmdline.vmalloc = v;
    KeepAllTrial t;
    try {
        Layout l = layout_of(b);
        if (l.vmalloc_start >= l.vmalloc_end) return t;
        t.boots = true;
        t.lowmem = l.lowmem_bytes;
        t.keeps_all = l.highmem_bytes == 0 && l.dropped_bytes == 0;
        t.vmalloc_size = l.vmalloc_end - l.vmalloc_start;
        t.lowmem_limit = l.lowmem_limit_virt;
    } catch (const Error&) {
    }
    return t;
}

// "How large may vmalloc= be and still keep all RAM in lowmem?"  Solved with the layout itself:
// over whole-MB values the booting ones form one interval [lo, hi] (smaller values push lowmem up
// into the vmalloc area, larger ones leave no lowmem), and lowmem never grows with vmalloc= inside
// it.  So: find one value that boots, bisect down to lo, then bisect for the largest value whose
// lowmem still equals lowmem(lo) -- all RAM when lo keeps it, else the most any vmalloc= gives.
void solve_keep_all(const Board& board, Layout& l) {
    const Era& e = *l.era;
    uint64_t ram = 0;
    for (const auto& b : l.ram) ram += b.size;
    auto said = [&](std::string s) { l.keep_all_note = s; l.keep_all_reason = std::move(s); };
    if (l.arch == Arch::arm && e.arm_lowmem == ArmLowmemRule::none) {
        // 2.6.18-2.6.26 map every bank whatever its size: nothing is truncated, so nothing to keep
        l.keep_all_reason = fmt::format("Linux {} has no vmalloc= parameter (added in 2.6.27) and no lowmem limit: every "
                                        "bank is mapped",
                                        l.kernel);
        return;
    }
    if (!l.highmem_bytes && !l.dropped_bytes) {
        l.keep_all_reason = "all RAM is lowmem already: no RAM is highmem or truncated";
        return;
    }
    if (l.arch == Arch::x86 && board.cmdline.highmem)
        return said("highmem= on the command line sets the highmem size whatever vmalloc= is: no vmalloc= keeps all RAM "
                    "in lowmem while it is there");
    constexpr uint64_t MB = 1u << 20, MAX_MB = 4095;
    uint64_t any = 0;
    for (uint64_t v : {128u, 256u, 64u, 32u, 16u, 512u, 8u, 1024u, 4u, 2048u, 1u, 3072u})
        if (try_vmalloc(board, v * MB).boots) { any = v; break; }
    if (!any) return said("no vmalloc= value gives a kernel that boots with this RAM");
    uint64_t lo = 1, hi = any;   // the smallest booting value lies in [lo, hi]
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (try_vmalloc(board, mid * MB).boots) hi = mid;
        else lo = mid + 1;
    }
    const uint64_t v_lo = lo;
    const KeepAllTrial at_lo = try_vmalloc(board, v_lo * MB);
    lo = v_lo;
    hi = MAX_MB;                  // the largest value with lowmem == at_lo.lowmem lies in [lo, hi]
    while (lo < hi) {
        uint64_t mid = (lo + hi + 1) / 2;
        KeepAllTrial t = try_vmalloc(board, mid * MB);
        if (t.boots && t.lowmem == at_lo.lowmem) lo = mid;
        else hi = mid - 1;
    }
    const uint64_t v_best = lo;
    const KeepAllTrial best = try_vmalloc(board, v_best * MB);
    l.keep_all_max_lowmem = at_lo.lowmem;
    const std::string floor = v_lo > 1 ? fmt::format("; below vmalloc={}M this kernel does not boot", v_lo) : "";
    if (at_lo.keeps_all) {
        l.vmalloc_to_keep_all = v_best * MB;
        return said(fmt::format("vmalloc={}M is the largest vmalloc= that keeps all {} of RAM in lowmem (lowmem limit {}, "
                                "vmalloc area {}){}",
                                v_best, human_size(ram), hex32(best.lowmem_limit), human_size(best.vmalloc_size), floor));
    }
    said(fmt::format("no vmalloc= keeps all {} of RAM in lowmem: the most lowmem any vmalloc= gives is {} (vmalloc={}M, "
                     "lowmem limit {}){}{}",
                     human_size(ram), human_size(at_lo.lowmem), v_best, hex32(best.lowmem_limit), floor,
                     l.arch == Arch::arm && !board.profile.config.highmem ? "; use a HIGHMEM kernel or a 2G/1G VMSPLIT" : ""));
}
}  // namespace

Layout compute_layout(const Board& board, bool keep_all) {
    Layout l = layout_of(board);
    if (keep_all) solve_keep_all(board, l);
    return l;
}

std::optional<std::string> small_ram_warning(const Board& board) {
    // The smallest kernel image of tests/data/bootlogs: hi3518-openipc-3.0-40m.txt, .bss ends at
    // 0xc03680f8, 3.4 MB above PAGE_OFFSET (an ARM image starts at PHYS_OFFSET + TEXT_OFFSET).
    constexpr uint64_t kSmallestImage = 0x3680f8;
    const Profile& p = board.profile;
    Layout l;
    try {
        l = compute_layout(board);
    } catch (const Error&) {
        return std::nullopt;   // the tool's own compute_layout() reports it
    }
    const bool image = p.bss && p.bss->range;
    const uint64_t need = image ? p.bss->range->end - p.config.page_offset : kSmallestImage;
    if (l.lowmem_bytes >= need) return std::nullopt;
    const std::string lead = board.cmdline.mem.empty()
                                 ? fmt::format("only {} kB of lowmem", l.lowmem_bytes >> 10)
                                 : fmt::format("mem= leaves {} kB of lowmem (the kernel keeps whole pages)",
                                               l.lowmem_bytes >> 10);
    const std::string why =
        image ? fmt::format("the kernel image alone ends {} kB into lowmem (.bss end {})", need >> 10,
                            h(p.bss->range->end))
              : "smaller than any kernel image (the smallest of the real boot logs kmemkit is checked against, "
                "Linux 3.0 on a HiSilicon Hi3518, ends 3.4 MB into lowmem)";
    return fmt::format("{}: {}; no kernel boots on this board (the numbers are the arithmetic of one that would)",
                       lead, why);
}

const Region* region_of(const Layout& l, uint64_t va) {
    for (const auto& r : l.regions)
        if (va >= r.start && va < r.end) return &r;
    return nullptr;
}

// ---------------------------------------------------------------------------
// mem_init()'s block.  ARM: arch/arm/mm/init.c (v2.6.34, v2.6.37, v3.0.1, v3.4.39, v3.10.99, v4.9,
// v5.0.1); x86: arch/i386/mm/init.c (v2.6.19), arch/x86/mm/init_32.c (v2.6.37..V54).
std::vector<std::string> kernel_layout_lines(const Layout& l, const Profile& p) {
    std::vector<std::string> out;
    auto mlk = [](uint64_t b, uint64_t t) { return (int64_t(t) - int64_t(b)) >> 10; };
    auto mlm = [](uint64_t b, uint64_t t) { return (int64_t(t) - int64_t(b)) >> 20; };
    auto line_kb = [&](const char* label, uint64_t b, uint64_t t) {
        out.push_back(print_message(kmsg::layout_kb, label, b, t, mlk(b, t)));
    };
    auto line_mb = [&](const char* label, uint64_t b, uint64_t t) {
        out.push_back(print_message(kmsg::layout_mb, label, b, t, mlm(b, t)));
    };
    if (l.arch == Arch::arm) {
        const ArmLayoutPrint v = l.era->arm_print;
        if (v == ArmLayoutPrint::none) return out;
        out.push_back("Virtual kernel memory layout:");
        line_kb("vector", l.vectors_base, l.vectors_base + kPageSize);
        if (p.dtcm && l.era->arm_print_tcm) line_kb("DTCM", p.dtcm->start, p.dtcm->end);
        if (p.itcm && l.era->arm_print_tcm) line_kb("ITCM", p.itcm->start, p.itcm->end);
        if (l.has_fixmap) line_kb("fixmap", l.fixaddr_start, l.fixaddr_end);
        if ((v == ArmLayoutPrint::v2634 || v == ArmLayoutPrint::v30 || v == ArmLayoutPrint::v31) && l.has_consistent)
            line_mb("DMA", l.consistent_base, l.consistent_end);
        line_mb("vmalloc", l.vmalloc_start, l.vmalloc_end);
        line_mb("lowmem", l.page_offset, l.high_memory);
        if (l.has_pkmap) line_mb("pkmap", l.pkmap_base, l.pkmap_end);
        if (l.era->arm_modules_line_always || p.config.modules)
            line_mb("modules", l.modules_start, l.modules_end);
        // MLK_ROUNDUP: DIV_ROUND_UP(t - b, SZ_1K)
        auto sec = [&](const char* label, const std::optional<ImageSection>& s) {
            if (!s) return;
            uint64_t kb = s->range ? (s->range->end - s->range->start + 1023) / 1024 : *s->size_kb;
            if (v == ArmLayoutPrint::v415 || !s->range)
                out.push_back(print_message(kmsg::layout_section_ptrval, label, kb));
            else
                out.push_back(print_message(kmsg::layout_section, label, s->range->start, s->range->end, kb));
        };
        if (v == ArmLayoutPrint::v2634 || v == ArmLayoutPrint::v30) {
            sec("      .init ", p.init);
            sec("      .text ", p.text);
            sec("      .data ", p.data);
            if (v == ArmLayoutPrint::v30) sec("       .bss ", p.bss);
        } else {
            sec("      .text ", p.text);
            sec("      .init ", p.init);
            sec("      .data ", p.data);
            sec("       .bss ", p.bss);
        }
        return out;
    }
    const X86LayoutPrint v = l.era->x86_print;
    if (v == X86LayoutPrint::none) return out;
    out.push_back("virtual kernel memory layout:");
    line_kb("fixmap", l.fixaddr_start, l.fixaddr_top);
    // 4.15+ prints cpu_entry; vendor kernels with the PTI backport (Ubuntu 4.13) print it too:
    // the profile's cpu_entry_area decides.
    if (l.has_cpu_entry)
        out.push_back(fmt::format("  cpu_entry : 0x{:08x} - 0x{:08x}   ({:4} kB)", l.cpu_entry_start, l.cpu_entry_end,
                                  mlk(l.cpu_entry_start, l.cpu_entry_end)));
    if (l.has_pkmap) line_kb("pkmap", l.pkmap_base, l.pkmap_end);
    line_mb("vmalloc", l.vmalloc_start, l.vmalloc_end);
    line_mb("lowmem", l.page_offset, l.high_memory);
    auto sec = [&](const char* label, const std::optional<ImageSection>& s) {
        if (!s || !s->range) return;
        out.push_back(print_message(kmsg::layout_section, label, s->range->start, s->range->end,
                                    mlk(s->range->start, s->range->end)));
    };
    sec("      .init ", p.init);
    sec("      .data ", p.data);
    sec("      .text ", p.text);
    return out;
}

}  // namespace kmemkit
