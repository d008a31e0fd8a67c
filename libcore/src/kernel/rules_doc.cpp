// doc/kernel-rules.md from the rule tables (see kernel/rules_doc.hpp).
#include "kmemkit/kernel/rules_doc.hpp"

#include <fmt/format.h>
#include <functional>
#include <vector>

#include "kmemkit/kernel/rules.hpp"

namespace kmemkit {
namespace {

std::string text(bool b) { return b ? "yes" : "no"; }
std::string text(const char* s) { return s ? fmt::format("`{}`", s) : "-"; }
std::string text(uint64_t v) { return v > 0xffff ? fmt::format("0x{:x}", v) : fmt::format("{}", v); }
std::string text(uint32_t v) { return text(uint64_t(v)); }
std::string text(int v) { return fmt::format("{}", v); }
template <class E, size_t N>
std::string name_of(E e, const char* const (&names)[N]) {
    size_t i = size_t(e);
    return i < N ? names[i] : fmt::format("{}", i);
}
std::string text(ArmLowmemRule e) { return name_of(e, {"none", "bank_reserve", "memblock_min", "memblock_size"}); }
std::string text(ArmLayoutPrint e) { return name_of(e, {"none", "v2634", "v30", "v31", "v34", "v415"}); }
std::string text(ArmTruncMsg e) { return name_of(e, {"none", "bank", "memblock", "memblock_limit"}); }
std::string text(X86MaxmemRule e) { return name_of(e, {"fixed", "from_vmalloc_end"}); }
std::string text(X86LayoutPrint e) { return name_of(e, {"none", "v219", "v415"}); }
std::string text(X86MinLowPfn e) { return name_of(e, {"init_pg_tables_end", "not_modelled", "zero"}); }
std::string text(BootFree e) { return name_of(e, {"bootmem_order5", "memblock_head", "memblock_tail"}); }
std::string text(WmarkRule e) { return name_of(e, {"v2618", "v46"}); }
std::string text(WmarkCheck e) { return name_of(e, {"order_loop", "block_exists"}); }
std::string text(ZonePages e) { return name_of(e, {"kernel_present", "managed"}); }
std::string text(VmapAlgo e) { return name_of(e, {"vmlist", "vmap_extra_page", "vmap_cached", "free_tree"}); }
std::string text(MeminfoVmalloc e) { return name_of(e, {"v2618", "v2628", "zeros", "pages"}); }
std::string text(MemmapRule e) { return name_of(e, {"none", "trunc_always", "align_always", "align_silent", "align_nonzero"}); }
std::string text(HighmemCharge e) { return name_of(e, {"reduce_present", "managed_full", "not_charged"}); }
std::string text(ZonelistFmt e) { return name_of(e, {"plain", "order", "mobility_order", "mobility"}); }
std::string text(RangesFmt e) { return name_of(e, {"none", "pfn_dec", "pfn_hex", "mem32", "mem64"}); }
std::string text(UnavailRule e) { return name_of(e, {"none", "resv_after", "per_zone"}); }
std::string text(KmapAtomicModel e) { return name_of(e, {"km_type", "stack", "kmap_local"}); }

std::string release(VersionKey k) {
    unsigned a = unsigned(k >> 48), b = unsigned(k >> 36) & 0xfff, c = unsigned(k >> 20) & 0xffff;
    return c ? fmt::format("{}.{}.{}", a, b, c) : fmt::format("{}.{}", a, b);
}

template <class Row>
struct Field {
    const char* name;
    std::function<std::string(const Row&)> value;
};
#define F(field) {#field, [](const Row& r) { return text(r.field); }}

// One line per (field, range of releases with one value).
template <class Row>
void table(std::string& o, const char* concern, const std::vector<Row>& rows, const std::vector<Field<Row>>& fields) {
    for (const auto& f : fields) {
        for (size_t i = 0; i < rows.size();) {
            std::string v = f.value(rows[i]);
            size_t j = i + 1;
            while (j < rows.size() && f.value(rows[j]) == v) ++j;
            std::string versions = j < rows.size() ? fmt::format("{} - {}", i ? release(rows[i].since) : "(all older)",
                                                                 "before " + release(rows[j].since))
                                                   : fmt::format("{} -", i ? release(rows[i].since) : "(all)");
            std::string src = rows[i].source;
            for (auto& c : src)
                if (c == '|') c = '/';
            o += fmt::format("| {} | {} | {} | {} | {}: {} |\n", concern, f.name, versions, v, rows[i].name, src);
            i = j;
        }
    }
}

}  // namespace

std::string kernel_rules_markdown() {
    std::string o =
        "# Kernel rules: every version boundary kmemkit models\n\n"
        "Generated from the rule tables in `libcore/src/kernel/` by `gen_kernel_rules` (ctest\n"
        "`rules.doc` fails when this file and the tables differ: run `cmake --build build --target\n"
        "kernel-rules-doc`).  One line per field and range of releases with one value; the source is\n"
        "that of the row that set the value.  `vX.Y` cites the kernel source at that release:\n"
        "mainline release commits where the row says so, otherwise the stored release trees listed\n"
        "below.  `[range A -> B]` marks a boundary whose exact release is known only to lie between\n"
        "A and B.  \"bootlog NAME\" is a real log in `tests/data/bootlogs`.\n\n"
        "Release trees read (public GitHub repositories, by commit):\n\n"
        "| cited as | tree |\n|---|---|\n"
        "| v2.6.18 - v2.6.29 | greendrm/linux-2.6.29-s5pc100 (mainline history 2.6.12-rc2 .. 2.6.29.4; release commits, e.g. \"Linux v2.6.18. Arrr!\" e478bec0ba0a) |\n"
        "| v2.6.30 - v2.6.34 | zwliew/linux-2.6.34-ux500 (mainline history to 2.6.34; e.g. \"Linux 2.6.30\" 07a2039b8eb0) |\n"
        "| v2.6.32.9 | rabeeh/linux-2.6.32.9 @ 5183fb3e83ec (pristine 2.6.32.9, ARM only) |\n"
        "| v2.6.37 | srinugnt2000/linux-2.6.37 @ 06664e69f31c |\n"
        "| v3.0.1 | eastmoutain/Linux-3.0.1 @ 3992f4b1cf29 |\n"
        "| v3.4.39 | friendlyarm/linux-3.4.y @ 8dbc4a6a65cb (vendor import; vendor edits marked) |\n"
        "| v3.10.99 | harviswang/linux-3.10.99 @ 8072c307a15f |\n"
        "| v3.19.8 | yuanguohuo/linux-3.19.8 @ 5efb20db82bf |\n"
        "| v4.9 | pengdonglin137/linux-4.9 @ 6edaf675b708 |\n"
        "| v5.0.1, v5.2.1, v5.3.1 | VVvector/linux-5.0.1 @ 0fa9cb14d4ed, wangliang-cs/linux-5.2.1 @ fc4ec72ddfe7, github-lvbing/linux-5.3.1 @ 676199489bfb |\n"
        "| v5.4.18, v5.7.14, v5.10.7 | wuyansky/Linux-5.4.18 @ 8b387dbf41c1, a5221985/linux-5.7.14 @ 5d0b54d93391, ejga2001/linux-5.10.7 @ 3791f9c55148 |\n"
        "| v6.1 | krr-io/linux-6.1.0 @ 7c210bc387c3 (6.1-rc7) and the Debian 6.1 kernels of the QEMU oracle |\n"
        "| FriendlyARM tiny6410 v2.6.28.6 | rocklee104/linux-2.6.28-tiny6410 @ 9de2d839a046 |\n"
        "| TROVON v3.18, v3.19 | a kernel tree pinned at each release (mm/page_alloc.c) |\n"
        "| v2.6.12 - v2.6.39.3 (the boundary audit) | gpl-releases/linux-2.6.39.3: full mainline history, release commits and `git log -S` for commit ids |\n"
        "| v3.0.1, v3.1, v3.3.8, v3.4.113 | DingSoung/linux-3.0.1, 303750856/linux-3.1, ciminaghi/linux-3.3.8, latelee/linux-3.4.113 (3.2.7: me-oss/86-linux-3.2.7, a vendor tree) |\n"
        "| v3.5, v3.6.5, v3.8.13, v3.9.6, v3.10.4 | 12thmantec/linux-3.5, yuhc/linux-3.6.5, opennetworklinux/linux-3.8.13 and -3.9.6, iamroot-x86-10/linux-3.10.4 |\n"
        "| v3.11, v3.12, v3.12.24, v3.13.10, v3.14.1 | PKUCloud/samsara-linux-3.11, uARMport/linux-3.12, ychoijy/linux-3.12.24-custom, yifengyou/linux-3.13.0, nadavitay/linux-3.14.1 |\n"
        "| v3.15.5, v3.16, v3.17, v3.18.30, v3.19.8 | pradeep0605/CS736_Eager_paging_linux-3.15.5, jyizheng/linux-3.16, lexi6725/linux-3.17.0, jockyw2001/linux-3.18, yuanguohuo/linux-3.19.8 |\n"
        "| v4.1.15, v4.3, v4.4, v4.9, v4.10, v4.11, v4.12 | oxforever/linux-4.1, YoungjaeLee/linux-4.3-cxlbdev, xiaojimmychen/linux-4.4, lxuxx/linux-4.9, latelee/linux-4.10, HCLS/linux-4.11, jason50123/linux-4.12 (4.2.8: mlpzaq9998/linux-4.2, a vendor tree) |\n"
        "| v4.13.4, v4.14.177, v4.15, v4.18, v4.19.95, v4.20 | shizukanaskytree/linux-4.13.4, linuxzjs/linux-4.14, sndrzt/linux-4.15, zzwd/linux-4.18-rt, Pascal-0x90/linux-4.19, a4913994/linux-4.20 |\n"
        "| v5.0.1 .. v5.14-rc5, v6.1.20 | VVvector/linux-5.0.1, wangliang-cs/linux-5.2.1, jashawnyu/linux-5.4, semwett0301/linux-5.8.1, ach84/linux-5.9.1, ejga2001/linux-5.10.7, CompressionDuck/linux-5.11, zhangyinjun/linux-5.12.9, lsk-legends/linux-5.14, c1336658570/linux-6.1.20 |\n\n"
        "| concern | field | versions | value | source |\n|---|---|---|---|---|\n";
    {
        using Row = Era;
        std::vector<Field<Row>> common = {F(page_offset_configurable), F(highmem_supported), F(vmalloc_offset),
                                          F(size_unit), F(zone_ranges_printed)};
        std::vector<Field<Row>> arm = {F(arm_lowmem), F(arm_default_gap), F(arm_param_adds_offset), F(arm_vmalloc_min),
                                       F(arm_vmalloc_max_rule), F(arm_trunc), F(arm_vmalloc_end),
                                       F(arm_high_memory_minus1), F(arm_fixaddr_start), F(arm_fixaddr_end),
                                       F(arm_fixmap_down), F(arm_fixaddr_top), F(arm_print), F(arm_print_tcm), F(arm_modules_line_always), F(arm_consistent_region),
                                       F(arm_zone0_is_dma), F(arm_pfns_are_counts), F(arm_vmsplit_3g_opt),
                                       F(arm_mem_total_merges_regions)};
        std::vector<Field<Row>> x86 = {F(x86_maxmem), F(x86_param_adds_offset), F(x86_vmalloc_start_aligned),
                                       F(x86_print), F(x86_highmem64g_msg), F(x86_e820_clamp), F(x86_pfn_init_msgs), F(x86_mem_init_bug_on),
                                       F(x86_min_low_pfn), F(x86_active_range_whole)};
        auto a = common, x = common;
        a.insert(a.end(), arm.begin(), arm.end());
        x.insert(x.end(), x86.begin(), x86.end());
        table(o, "layout (ARM)", layout_table(Arch::arm), a);
        table(o, "layout (x86)", layout_table(Arch::x86), x);
    }
    {
        using Row = ZoneRules;
        table(o, "zones", zone_table(),
              {F(memmap), F(highmem), F(managed_pages), F(batch_cap_bytes), F(zonelist), F(debug_lines), F(initmem_line),
               F(unavail), F(mem_total_line), F(ranges), F(ranges_movable_line), F(ranges_empty), F(early_memory_header), F(fixed_zone_numbers),
               F(zone_movable), F(highest_memmap_pfn)});
    }
    {
        using Row = MmEra;
        table(o, "mm", mm_table(),
              {F(free_tail_heuristic), F(boot_free_arm), F(boot_free_x86), F(wmark), F(wmark_check), F(zone_pages),
               F(nowait_is_harder), F(min_free_kbytes_max), F(vmap), F(vmap_lazy), F(vmap_fail_msg), F(meminfo),
               F(vmallocinfo), F(vmallocinfo_unpurged), F(ioremap_fls), F(ioremap_max_order_x86),
               F(ioremap_arm24_up_only), F(extfrag_index_width2)});
    }
    {
        using Row = KmapRule;
        std::vector<Field<Row>> f = {F(model), F(slots), F(names), F(arm_fix_kmap_begin), F(x86_head), F(x86_head_names),
                                     F(x86_io_apics), F(atomic_unmap_clears_pte)};
        table(o, "kmap (ARM)", kmap_table(Arch::arm), f);
        table(o, "kmap (x86)", kmap_table(Arch::x86), f);
    }
    return o;
}

}  // namespace kmemkit
