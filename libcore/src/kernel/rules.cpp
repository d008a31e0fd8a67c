// rules_for(): the one lookup over the kernel rule tables.
#include "kmemkit/kernel/rules.hpp"

#include <algorithm>

namespace kmemkit {

namespace {
template <class Row>
std::vector<Row> checked(std::vector<Row> rows) {
    // rows ascend: a row out of order would silently shadow its neighbours
    for (size_t i = 1; i < rows.size(); ++i)
        if (rows[i].since < rows[i - 1].since) std::abort();
    return rows;
}
std::vector<KmapRule> kmap_of(Arch a) {
    std::vector<KmapRule> out;
    for (const auto& r : kernel_tables::kmap_rows())
        if (r.arch == a) out.push_back(r);
    return checked(out);
}
}  // namespace

const std::vector<Era>& layout_table(Arch arch) {
    static const std::vector<Era> arm = checked(kernel_tables::layout_rows_arm());
    static const std::vector<Era> x86 = checked(kernel_tables::layout_rows_x86());
    return arch == Arch::arm ? arm : x86;
}
const std::vector<MmEra>& mm_table() {
    static const std::vector<MmEra> t = checked(kernel_tables::mm_rows());
    return t;
}
const std::vector<ZoneRules>& zone_table() {
    static const std::vector<ZoneRules> t = checked(kernel_tables::zone_rows());
    return t;
}
const std::vector<KmapRule>& kmap_table(Arch arch) {
    static const std::vector<KmapRule> arm = kmap_of(Arch::arm);
    static const std::vector<KmapRule> x86 = kmap_of(Arch::x86);
    return arch == Arch::arm ? arm : x86;
}

KernelRules rules_for(Arch arch, const KernelVersion& v) {
    KernelRules r;
    r.layout = &row_for(layout_table(arch), v);
    r.mm = &row_for(mm_table(), v);
    r.zones = &row_for(zone_table(), v);
    r.kmap = &row_for(kmap_table(arch), v);
    return r;
}

}  // namespace kmemkit
