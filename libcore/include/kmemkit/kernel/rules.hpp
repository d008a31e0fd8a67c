// One home for kernel behaviour: which rule rows apply to an architecture and
// kernel version.  Every version-dependent rule of libcore is a named field of
// a row in one of these tables (layout, mm, zones, kmap), each row citing the
// kernel source it was read from; rules_for() is the one lookup.  Nothing
// outside libcore/*/kernel/ compares versions (tests/check_no_version_compare.sh).
#pragma once
#include <string>
#include <vector>

#include "kmemkit/kernel/kmap_rules.hpp"
#include "kmemkit/kernel/layout_rules.hpp"
#include "kmemkit/kernel/mm_rules.hpp"
#include "kmemkit/kernel/version.hpp"
#include "kmemkit/kernel/zone_rules.hpp"

namespace kmemkit {

// The rows chosen for one kernel: each is the last row of its table whose
// first version is <= the kernel's.  Results keep these pointers (Layout::era,
// BuddyConfig::era), and --explain names the rows with their sources.
struct KernelRules {
    const Era* layout = nullptr;
    const MmEra* mm = nullptr;
    const ZoneRules* zones = nullptr;
    const KmapRule* kmap = nullptr;
};
KernelRules rules_for(Arch arch, const KernelVersion& v);

// COMMAND_LINE_SIZE: the bytes of the command line the kernel keeps, its NUL included (it copies
// the boot loader's with strlcpy(..., COMMAND_LINE_SIZE), so COMMAND_LINE_SIZE - 1 characters).
unsigned command_line_size(Arch arch, const KernelVersion& v);

// Shorthands for one concern.
inline const Era& era_for(Arch arch, const KernelVersion& v) { return *rules_for(arch, v).layout; }
inline const MmEra& mm_era_for(const KernelVersion& v) { return *rules_for(Arch::arm, v).mm; }
inline const ZoneRules& zone_rules_for(const KernelVersion& v) { return *rules_for(Arch::arm, v).zones; }
inline const KmapRule& kmap_rule_for(Arch arch, const KernelVersion& v) { return *rules_for(arch, v).kmap; }

// The tables themselves, ascending by `since` (for the audit document and tests).
const std::vector<Era>& layout_table(Arch arch);
const std::vector<MmEra>& mm_table();
const std::vector<ZoneRules>& zone_table();
const std::vector<KmapRule>& kmap_table(Arch arch);

// --from-dmesg of a log that names no version: one representative release per
// distinct combination of rules for `arch` -- the `since` of every row of the
// layout, zone, mm and kmap tables, and on x86 every release where enum
// fixed_addresses (x86_fixmap) changes -- ascending from 2.6.18, the oldest
// modelled.  Each is a mainline release written as the kernel names it
// ("2.6.28", "3.16"); candidate i stands for the releases up to the one before
// candidate i+1.
std::vector<KernelVersion> release_candidates(Arch arch);

// The releases candidates [first, last] of `cands` stand for: "3.4-3.15" (to the
// release before cands[last + 1]), "3.16" for one release, "6.0 or later" when
// `last` is the newest candidate.
std::string release_range_text(const std::vector<KernelVersion>& cands, size_t first, size_t last);

// The one lookup: the last row of `rows` (ascending by since) that applies to
// `v`; the first row for versions older than every row.
template <class Row>
const Row& row_for(const std::vector<Row>& rows, const KernelVersion& v) {
    const Row* best = &rows.front();
    for (const Row& r : rows)
        if (v.at_least(r.since)) best = &r;
    return *best;
}

// The row of `rows` that gave `chosen` its value of a field (get(row)): where
// --explain cites the source of that value, not of the chosen row.
template <class Row, class Get>
const Row& row_that_set(const std::vector<Row>& rows, const Row& chosen, Get get) {
    size_t i = size_t(&chosen - rows.data());
    while (i > 0 && get(rows[i - 1]) == get(chosen)) --i;
    return rows[i];
}

// For a table of the user's (a profile's vmalloc_end per version): the index of
// the last entry whose version is <= v, -1 when none is.
template <class It, class Get>
long last_entry_for(It begin, It end, const KernelVersion& v, Get since) {
    long hit = -1, i = 0;
    for (It it = begin; it != end; ++it, ++i)
        if (!(v < since(*it))) hit = i;
    return hit;
}

namespace kernel_tables {   // the rows, defined in src/kernel/*_rules.cpp
std::vector<Era> layout_rows_arm();
std::vector<Era> layout_rows_x86();
std::vector<MmEra> mm_rows();
std::vector<ZoneRules> zone_rows();
std::vector<KmapRule> kmap_rows();
}  // namespace kernel_tables

}  // namespace kmemkit
