// The kmap rule table.  Each row cites the kernel source it was read from.
#include "kmemkit/kernel/kmap_rules.hpp"

#include <vector>

namespace kmemkit {
namespace kernel_tables {
// enum km_type, 2.6.18/2.6.28 (v2.6.18 include/asm-i386/kmap_types.h, include/asm-arm/kmap_types.h;
// v2.6.28 arch/x86/include/asm/kmap_types.h): KM_TYPE_NR = 13.
const char* const kKmTypeBase13[13] = {"KM_BOUNCE_READ", "KM_SKB_SUNRPC_DATA", "KM_SKB_DATA_SOFTIRQ", "KM_USER0",
                               "KM_USER1",       "KM_BIO_SRC_IRQ",     "KM_BIO_DST_IRQ",      "KM_PTE0",
                               "KM_PTE1",        "KM_IRQ0",            "KM_IRQ1",             "KM_SOFTIRQ0",
                               "KM_SOFTIRQ1"};
namespace {
// ARM 2.6.32.9 arch/arm/include/asm/kmap_types.h: + KM_L2_CACHE -> 14 (v2.6.32.9)
const char* const kArmExtra14[] = {"KM_L2_CACHE"};
// ARM 2.6.37: + KM_L1_CACHE, KM_L2_CACHE, KM_KDB -> 16 (v2.6.37)
const char* const kArmExtra16[] = {"KM_L1_CACHE", "KM_L2_CACHE", "KM_KDB"};
// x86 2.6.37 include/asm-generic/kmap_types.h -> 20 (v2.6.37)
const char* const kGenericExtra20[] = {"KM_SYNC_ICACHE", "KM_SYNC_DCACHE", "KM_UML_USERCOPY", "KM_IRQ_PTE",
                                       "KM_NMI",         "KM_NMI_PTE",     "KM_KDB"};

}  // namespace


// The kmap rule rows (kmap-specific, so the layout eras keep their names).
std::vector<KmapRule> kmap_rows() {
    return {
    {Arch::arm, kv(2, 6, 0), "arm-2.6.18", KmapAtomicModel::typed, 13, nullptr, 0, true, 0, 0, "", 0, false,
     "v2.6.18 include/asm-arm/kmap_types.h (KM_TYPE_NR 13); ARM has no CONFIG_HIGHMEM before 2.6.30 (commit "
     "d73cd42893f), so include/linux/highmem.h makes kmap() and kmap_atomic() page_address(): no pkmap, no slots"},
    {Arch::arm, kv(2, 6, 30), "arm-2.6.30", KmapAtomicModel::typed, 14, kArmExtra14, 1, true, 0, 0, "", 0, false,
     "v2.6.32.9 arch/arm/mm/highmem.c kmap_atomic(): idx = type + KM_TYPE_NR*smp_processor_id(), "
     "__fix_to_virt(FIX_KMAP_BEGIN + idx); asm/fixmap.h FIX_KMAP_BEGIN 0, upward from FIXADDR_START; "
     "asm/kmap_types.h KM_L2_CACHE (KM_TYPE_NR 14; verified in 2.6.32.9); kunmap_atomic clears the PTE "
     "(set_pte_ext(TOP_PTE(vaddr), __pte(0), 0)) only #ifdef CONFIG_DEBUG_HIGHMEM, as in every ARM era to 5.10"},
    {Arch::arm, kv(2, 6, 34), "arm-2.6.34", KmapAtomicModel::typed, 15, kArmExtra16, 2, true, 0, 0, "", 0, false,
     "arch/arm/include/asm/kmap_types.h@v2.6.34: KM_L1_CACHE before KM_L2_CACHE (commit 7e5a69e83ba \"ARM: 6007/1: fix "
     "highmem with VIPT cache and DMA\"; v2.6.33 ends with KM_L2_CACHE), KM_TYPE_NR 15"},
    {Arch::arm, kv(2, 6, 35), "arm-2.6.35", KmapAtomicModel::typed, 16, kArmExtra16, 3, true, 0, 0, "", 0, false,
     "arch/arm/include/asm/kmap_types.h@v2.6.35: + KM_KDB (commit 67fc4e0cb93 \"kdb: core for kgdb back end\"), "
     "KM_TYPE_NR 16"},
    {Arch::arm, kv(2, 6, 37), "arm-2.6.37", KmapAtomicModel::stack, 16, kArmExtra16, 3, true, 0, 0, "", 0, false,
     "v2.6.37 arch/arm/mm/highmem.c: type = kmap_atomic_idx_push(); KM_TYPE_NR 16 (3.x: #define KM_TYPE_NR 16, v3.10.99)"},
    {Arch::arm, kv(3, 19), "arm-3.19", KmapAtomicModel::stack, 16, kArmExtra16, 3, true, 0, 0, "", 0, false,
     "arch/arm/include/asm/fixmap.h@v3.19.8: generic fixmap (asm-generic/fixmap.h), __fix_to_virt(x) = "
     "FIXADDR_TOP - (x << PAGE_SHIFT); enum fixed_addresses starts with FIX_KMAP_BEGIN (v3.18.30 still upward "
     "from FIXADDR_START with FIX_KMAP_BEGIN 0)"},
    {Arch::arm, kv(4, 3), "arm-4.3", KmapAtomicModel::stack, 16, kArmExtra16, 3, true, 1, 0, "", 0, false,
     "arch/arm/include/asm/fixmap.h@v4.3: FIX_EARLYCON_MEM_BASE, then FIX_KMAP_BEGIN = "
     "__end_of_permanent_fixed_addresses = 1 (also v4.4, v4.9; v4.1.15 starts with FIX_KMAP_BEGIN) "
     "[range 4.1 -> 4.3: the 4.2 tree read (4.2.8) is a vendor one]"},
    {Arch::arm, kv(5, 11), "arm-5.11", KmapAtomicModel::local, 16, nullptr, 0, false, 1, 0, "", 0, true,
     "v6.1 mm/highmem.c __kmap_local_pfn_prot(): idx = kmap_local_idx_push() + KM_MAX_IDX*cpu; "
     "include/asm-generic/kmap_size.h KM_MAX_IDX 16; arch/arm/include/asm/fixmap.h FIX_KMAP_BEGIN 1"},

    {Arch::x86, kv(2, 6, 0), "x86-2.6.18", KmapAtomicModel::typed, 13, nullptr, 0, true, 0, 3,
     "FIX_HOLE, FIX_VDSO, FIX_APIC_BASE", 64, false,
     "v2.6.18 arch/i386/mm/highmem.c kmap_atomic(); include/asm-i386/fixmap.h enum fixed_addresses; "
     "asm-i386/kmap_types.h KM_TYPE_NR 13; kunmap_atomic clears the PTE only #ifdef CONFIG_DEBUG_HIGHMEM"},
    {Arch::x86, kv(2, 6, 19), "x86-2.6.19", KmapAtomicModel::typed, 13, nullptr, 0, true, 0, 3,
     "FIX_HOLE, FIX_VDSO, FIX_APIC_BASE", 64, true,
     "arch/i386/mm/highmem.c@v2.6.19 kunmap_atomic(): `kpte_clear_flush(kmap_pte-idx, vaddr);` outside the "
     "#ifdef CONFIG_DEBUG_HIGHMEM (commit 23002d88be3 \"[PATCH] paravirt: kpte flush\"; v2.6.18 clears only "
     "under it)"},
    {Arch::x86, kv(2, 6, 28), "x86-2.6.28", KmapAtomicModel::typed, 13, nullptr, 0, true, 0, 5,
     "FIX_HOLE, FIX_VDSO, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE, FIX_APIC_BASE", 64, true,
     "v2.6.28 arch/x86/mm/highmem_32.c; arch/x86/include/asm/fixmap(_32).h; asm/kmap_types.h KM_TYPE_NR 13"},
    {Arch::x86, kv(2, 6, 31), "x86-2.6.31", KmapAtomicModel::typed, 19, kGenericExtra20, 6, true, 0, 5,
     "FIX_HOLE, FIX_VDSO, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE, FIX_APIC_BASE", 64, true,
     "arch/x86/include/asm/kmap_types.h@v2.6.31 includes asm-generic/kmap_types.h (commit e4c9dd0fbad "
     "\"kmap_types: make most arches use generic header file\"): 19 entries (v2.6.30: its own 13)"},
    {Arch::x86, kv(2, 6, 35), "x86-2.6.35", KmapAtomicModel::typed, 20, kGenericExtra20, 7, true, 0, 5,
     "FIX_HOLE, FIX_VDSO, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE, FIX_APIC_BASE", 64, true,
     "include/asm-generic/kmap_types.h@v2.6.35: + KM_KDB (commit 67fc4e0cb93), KM_TYPE_NR 20"},
    {Arch::x86, kv(2, 6, 37), "x86-2.6.37", KmapAtomicModel::stack, 20, kGenericExtra20, 7, true, 0, 5,
     "FIX_HOLE, FIX_VDSO, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE, FIX_APIC_BASE", 64, true,
     "v2.6.37 arch/x86/mm/highmem_32.c: type = kmap_atomic_idx_push(), __kunmap_atomic kpte_clear_flush(); "
     "include/asm-generic/kmap_types.h KM_TYPE_NR 20"},
    {Arch::x86, kv(5, 11), "x86-5.11", KmapAtomicModel::local, 16, nullptr, 0, false, 0, 4,
     "FIX_HOLE, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE, FIX_APIC_BASE", 128, true,
     "v6.1 mm/highmem.c kmap_local (kunmap_local_indexed: pte_clear); arch/x86/include/asm/fixmap.h (FIX_VDSO "
     "gone on x86_32); KM_MAX_IDX 16; MAX_IO_APICS 128 (not verified for 6.1: state fixmap.kmap_begin in the profile)"},
    };
}


}  // namespace kernel_tables
}  // namespace kmemkit
