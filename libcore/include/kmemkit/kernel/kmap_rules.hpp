// The kmap rules (mm/highmem.c, arch/{arm,x86}/mm/highmem*.c, asm/kmap_types.h,
// asm/fixmap.h) per release.  The rows are in src/kernel/kmap_rules.cpp;
// kernel/rules.hpp chooses them.
#pragma once
#include "kmemkit/kernel/version.hpp"

namespace kmemkit {

enum class KmapAtomicModel {
    typed,   // <= 2.6.36: kmap_atomic(page, km_type): idx = type + KM_TYPE_NR*cpu
    stack,   // 2.6.37 - 5.10: type = kmap_atomic_idx_push() (per-cpu stack of KM_TYPE_NR)
    local,   // 5.11+: kmap_local: idx = kmap_local_idx_push() + KM_MAX_IDX*cpu (per task)
};

// enum km_type of 2.6.18/2.6.28 (KM_TYPE_NR 13); eras add KmapRule::extra after them.
namespace kernel_tables { extern const char* const kKmTypeBase13[13]; }

struct KmapRule {
    Arch arch;
    VersionKey since;
    const char* name;
    KmapAtomicModel model;
    unsigned slots;                   // KM_TYPE_NR or KM_MAX_IDX
    const char* const* extra;         // km_type names after the 13 base ones (nullptr: no enum)
    unsigned n_extra;
    bool names;                       // the era has an enum km_type
    unsigned arm_fix_kmap_begin;      // ARM FIX_KMAP_BEGIN
    unsigned x86_head;                // x86: entries before FIX_IO_APIC_BASE_0, FIX_APIC_BASE included
    const char* x86_head_names;
    unsigned x86_io_apics;            // MAX_IO_APICS
    // kunmap_atomic() clears the slot's PTE in a kernel built without CONFIG_DEBUG_HIGHMEM (the
    // model's configuration): the `unmap` line va2pa --stream learns from
    bool atomic_unmap_clears_pte;
    const char* source;
};

}  // namespace kmemkit
