// Trace replay and generation (man/kmemkit-stream.5, man/buddyctl.1).
#include "kmemkit/trace.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/stream/writer.hpp"
#include "kmemkit/zones.hpp"

namespace kmemkit {

namespace {
constexpr StreamKey kOutKeys[] = {StreamKey::pfn,    StreamKey::pa,     StreamKey::va,   StreamKey::zone,
                                  StreamKey::result, StreamKey::reason, StreamKey::pages};
constexpr uint32_t out_key_bits() {
    uint32_t b = 0;
    for (StreamKey k : kOutKeys) b |= key_bit(k);
    return b;
}
constexpr uint32_t kOutKeyBits = out_key_bits();

uint32_t value_col(const StreamField& f) { return f.col + uint32_t(f.key.size()) + 1; }

void put_line_start(OutBuf& out, const StreamLine& l) { out.put(l.text); }
}  // namespace

Replayer::Replayer(BuddyAllocator& buddy, VmallocSpace& vmalloc, bool strict, bool pae)
    : buddy_(buddy), vm_(vmalloc), strict_(strict), pae_(pae) {
    parse_gfp("GFP_KERNEL|__GFP_HIGHMEM", vmalloc_gfp_);   // vmalloc(): GFP_KERNEL | __GFP_HIGHMEM
}

bool Replayer::get_id(const StreamLine& l, std::string_view& id, StreamError& err) { return stream_id(l, id, err); }

bool Replayer::misuse(const StreamLine& l, OutBuf& out, StreamError& err, bool* se, const char* reason,
                      const std::string& msg) {
    ++stats_.einval;
    if (strict_) {
        err.message = msg;
        const StreamField* f = l.get(StreamKey::id);
        err.col = f ? value_col(*f) : 1;
        *se = true;
        return false;
    }
    put_line_start(out, l);
    put_result(out, "EINVAL", reason);
    out.put('\n');
    return true;
}

bool Replayer::handle(const StreamLine& l, OutBuf& out, StreamError& err, bool* se) {
    *se = false;
    // an output field already on the line (the first of kOutKeys; ioremap's pa= is its input)
    if (l.known & kOutKeyBits) {
        const bool io = l.verb == "ioremap";
        for (StreamKey k : kOutKeys) {
            const StreamField* dup = l.get(k);
            if (!dup || (io && k == StreamKey::pa)) continue;
            err.message = fmt::format("line already has the output field '{}' (annotated twice?)", dup->key);
            err.col = dup->col;
            return false;
        }
    }
    ++stats_.ops;
    std::string_view v = l.verb;
    // the two commonest verbs first, told apart by their length
    if (v.size() == 5 && std::memcmp(v.data(), "alloc", 5) == 0) return do_alloc(l, out, err, se);
    if (v.size() == 4 && std::memcmp(v.data(), "free", 4) == 0) return do_free(l, out, err, se, IdEntry::page);
    if (v == "vfree") return do_free(l, out, err, se, IdEntry::vmalloc);
    if (v == "iounmap") return do_free(l, out, err, se, IdEntry::ioremap);
    if (v == "vmalloc") return do_vmalloc(l, out, err, se, false);
    if (v == "ioremap") return do_vmalloc(l, out, err, se, true);
    if (v == "show") {
        // show [index=unusable|extfrag|all]: /proc/buddyinfo, or the debugfs extfrag files of the
        // state reached (all: the three, each after a '#' line naming it)
        const StreamField* f = l.get(StreamKey::index);
        const std::string_view what = f ? f->value : "buddyinfo";
        if (what != "buddyinfo" && what != "unusable" && what != "extfrag" && what != "all") {
            err.message = fmt::format("index '{}' is not one of buddyinfo, unusable, extfrag, all", f->value.substr(0, 40));
            err.col = value_col(*f);
            return false;
        }
        put_line_start(out, l);
        out.put('\n');
        const bool all = what == "all";
        if (all) out.put("# /proc/buddyinfo\n");
        if (all || what == "buddyinfo") out.put(buddy_.buddyinfo());
        if (all) out.put("# /sys/kernel/debug/extfrag/unusable_index\n");
        if (all || what == "unusable") out.put(buddy_.unusable_index());
        if (all) out.put("# /sys/kernel/debug/extfrag/extfrag_index\n");
        if (all || what == "extfrag") out.put(buddy_.extfrag_index());
        return true;
    }
    if (v == "vmalloc_info") {
        put_line_start(out, l);
        out.put('\n');
        out.put(vmalloc_info_text(vm_, stats_.vmalloc_pages, pae_));
        return true;
    }
    err.message = fmt::format("internal: '{}' is not a buddyctl verb", v);   // the grammar table routed it here
    return false;
}

bool Replayer::do_alloc(const StreamLine& l, OutBuf& out, StreamError& err, bool* se) {
    std::string_view id;
    if (!get_id(l, id, err)) return false;
    unsigned order = 0;
    if (const StreamField* f = l.get(StreamKey::order)) {
        uint64_t o;
        if (!try_parse_number(f->value, o) || o > 63) {
            err.message = fmt::format("order '{}' is not an order (0 to 63; this kernel's MAX_ORDER is {})",
                                      f->value.substr(0, 40), buddy_.max_order());
            err.col = value_col(*f);
            return false;
        }
        order = unsigned(o);
    }
    Gfp gfp;
    if (const StreamField* f = l.get(StreamKey::gfp)) {
        if (!parse_gfp(f->value, gfp)) {
            err.message = fmt::format("gfp '{}' is not a known flag set (GFP_KERNEL, GFP_USER, GFP_HIGHUSER, "
                                      "GFP_ATOMIC, GFP_NOWAIT, GFP_DMA, __GFP_HIGHMEM ... joined by '|')",
                                      f->value.substr(0, 60));
            err.col = value_col(*f);
            return false;
        }
    }
    uint64_t h = IdMap::hash(id);
    if (ids_.find(id, h))
        return misuse(l, out, err, se, "id_in_use", fmt::format("id '{}' is already allocated", id.substr(0, 60)));
    ++stats_.allocs;
    AllocResult r = buddy_.alloc(order, gfp);
    put_line_start(out, l);
    if (!r.ok) {
        char no_block[32];
        const char* reason = r.fail == AllocFail::order_too_large ? "order_ge_MAX_ORDER"
                             : r.fail == AllocFail::no_zone       ? "no_zone"
                             : r.fail == AllocFail::no_free_block
                                 ? (std::snprintf(no_block, sizeof no_block, "no_free_block_order_%u", order), no_block)
                                 : "below_min_watermark";
        put_failed(out, h, IdEntry::page, reason);
        return true;
    }
    ids_.insert(id, h, IdEntry{IdEntry::page, uint8_t(order), uint32_t(r.pfn)});
    stats_.peak_pages = std::max(stats_.peak_pages, buddy_.pages_in_use());
    out.put(" pfn=");
    out.put_hex(r.pfn);
    out.put(" pa=");
    out.put_hex(buddy_.pa_of(r.pfn), 8);
    if (buddy_.is_lowmem_zone(r.zone)) {
        out.put(" va=");
        out.put_hex(buddy_.va_of(r.pfn), 8);
    }
    out.put(" zone=");
    out.put(buddy_.zones()[size_t(r.zone)].name);
    out.put('\n');
    return true;
}

bool Replayer::do_free(const StreamLine& l, OutBuf& out, StreamError& err, bool* se, int kind) {
    std::string_view id;
    if (!get_id(l, id, err)) return false;
    uint64_t h = IdMap::hash(id);
    IdEntry* e = ids_.find(id, h);
    const std::string_view shown = shown_id(id);
    static const char* const kinds[] = {"a page block (use free)", "a vmalloc area (use vfree)",
                                        "an ioremap area (use iounmap)"};
    if (!e) {
        IdEntry::Kind failed_kind;
        const IdHistory::Fate fate = history_.fate(h, &failed_kind);
        if (fate == IdHistory::has_failed) {
            if (failed_kind != kind)
                return misuse(l, out, err, se, "wrong_kind",
                              fmt::format("id '{}' is a failed allocation of {}", shown, kinds[failed_kind]));
            // the allocation failed (result=ENOMEM), so the caller holds NULL, and freeing NULL does
            // nothing: free_pages(0, order) checks `if (addr != 0)`, vfree(NULL) and ARM iounmap(NULL)
            // return at __vunmap's `if (!addr) return;` (v2.6.18, v6.1 mm/vmalloc.c), x86 iounmap()
            // returns for addr <= high_memory (v2.6.18 arch/i386/mm/ioremap.c)
            history_.freed(h);
            put_line_start(out, l);
            put_result(out, "ENOENT", "allocation_had_failed");
            out.put('\n');
            return true;
        }
        if (fate == IdHistory::was_freed) return misuse(l, out, err, se, "double_free", fmt::format("double free of id '{}'", shown));
        return misuse(l, out, err, se, "never_allocated", fmt::format("id '{}' was never allocated", shown));
    }
    if (e->kind != kind) return misuse(l, out, err, se, "wrong_kind", fmt::format("id '{}' is {}", shown, kinds[e->kind]));
    if (kind == IdEntry::page) {
        if (const StreamField* f = l.get(StreamKey::order)) {
            uint64_t o;
            if (!try_parse_number(f->value, o) || o > 63) {
                err.message = fmt::format("order '{}' is not an order (0 to 63)", f->value.substr(0, 40));
                err.col = value_col(*f);
                return false;
            }
            if (o != e->order)
                return misuse(l, out, err, se, "wrong_order",
                              fmt::format("id '{}' was allocated with order {}, freed with order {}", shown,
                                          unsigned(e->order), o));
        }
        uint64_t pfn = e->value;
        unsigned order = e->order;
        ids_.erase(e);
        history_.freed(h);
        buddy_.free(pfn, order);
        ++stats_.frees;
        put_line_start(out, l);
        out.put(" pfn=");
        out.put_hex(pfn);
        out.put('\n');
        return true;
    }
    int a = int(e->value);
    const VmArea& area = vm_.area(a);
    uint64_t va = area.start + area.offset;
    size_t pages = area.pages.size();
    ids_.erase(e);
    history_.freed(h);
    unmaps_.clear();
    vfree_area(a, unmaps_);
    ++stats_.vfrees;
    put_line_start(out, l);
    out.put(" va=");
    out.put_hex(va, 8);
    if (kind == IdEntry::vmalloc) {
        out.put(" pages=");
        out.put_dec(pages);
    }
    out.put('\n');
    // the page tables are cleared at once, even where the address range is freed lazily (2.6.28+):
    // v2.6.18 __remove_vm_area -> unmap_vm_area(); v2.6.28 free_unmap_vmap_area_noflush -> unmap_vmap_area()
    // before free_vmap_area_noflush(); v6.1 free_unmap_vmap_area -> vunmap_range_noflush()
    for (const auto& [uva, n] : unmaps_) put_unmap_line(out, uva, n, id);
    return true;
}

void Replayer::vfree_area(int a, std::vector<std::pair<uint64_t, uint64_t>>& unmaps) {
    // __vunmap (v2.6.18, v2.6.28, v6.1): remove_vm_area() (the PTEs are cleared), __free_page() of each
    // page in index order, then vfree(area->pages) when VM_VPAGES (v6.1: kvfree() of a vmalloc
    // address), else kfree() (slab: no buddy pages in this model)
    VmArea& area = vm_.area(a);
    int nested = area.array_area;
    uint64_t mapped = area.ioremap ? area.size() / 4096 - 1 : area.pages.size();
    if (mapped) unmaps.push_back({area.start, mapped});
    for (uint64_t pfn : area.pages) buddy_.free(pfn, 0);
    stats_.vmalloc_pages -= area.pages.size();
    vm_.remove_area(a);
    if (nested >= 0) vfree_area(nested, unmaps);
}

int Replayer::vmalloc_node(uint64_t size, std::string_view caller, const char*& reason, std::string& kmsg) {
    // __vmalloc_node (v2.6.18; v2.6.28/v6.1 __vmalloc_node_range): get_vm_area_node() first ...
    VmapResult r = vm_.get_area(size, false, std::string(caller.substr(0, 60)));
    if (!r.ok) {
        reason = "vmap_allocation_failed";
        kmsg = r.message;
        return -1;
    }
    int a = r.area;
    // ... then __vmalloc_area_node(): nr_pages = (area->size - PAGE_SIZE) >> PAGE_SHIFT;
    // array_size = nr_pages * sizeof(struct page *) (4 bytes on these 32-bit kernels).
    // "if (array_size > PAGE_SIZE)" the array is itself vmalloc'ed, before the pages (VM_VPAGES;
    // v2.6.18 with gfp_mask, v2.6.28 gfp_mask | __GFP_ZERO, v2.6.37 nested_gfp | __GFP_HIGHMEM, v6.1 nested_gfp
    // with __GFP_HIGHMEM added by the nested call: highmem pages in every era, in process
    // context); else it is kmalloc'ed: kmalloc comes from the slab caches, which this model does
    // not simulate (no buddy page is charged for it).
    uint64_t n = vm_.area(a).size() / 4096 - 1;
    if (n * 4 > 4096) {
        int nested = vmalloc_node(n * 4, caller, reason, kmsg);
        if (nested < 0) {   // area->pages NULL: remove_vm_area(area->addr)
            vm_.remove_area(a);
            return -1;
        }
        vm_.area(a).array_area = nested;
    }
    // the pages, one order-0 alloc_page(GFP_KERNEL | __GFP_HIGHMEM) at a time
    VmArea& area = vm_.area(a);
    area.pages.reserve(size_t(n));
    for (uint64_t i = 0; i < n; ++i) {
        AllocResult pr = buddy_.alloc(0, vmalloc_gfp_);
        if (!pr.ok) break;
        area.pages.push_back(pr.pfn);
    }
    stats_.vmalloc_pages += area.pages.size();
    if (area.pages.size() != n) {
        // fail: area->nr_pages = i; __vunmap/vfree(area->addr) gives back what it got, array included
        std::vector<std::pair<uint64_t, uint64_t>> ignored;   // never mapped: map_vm_area() not reached
        vfree_area(a, ignored);
        reason = "page_allocation_failed";
        return -1;
    }
    return a;
}

void Replayer::put_vmalloc_maps(int a, std::string_view id, bool nested, OutBuf& out) {
    // map_vm_area() of the nested page array comes first (inside __vmalloc_area_node), then the area's
    const VmArea& area = vm_.area(a);
    if (area.array_area >= 0) put_vmalloc_maps(area.array_area, id, true, out);
    MapFields f;
    f.id = id;
    f.page_array = nested;
    for (size_t i = 0; i < area.pages.size(); ++i) put_map_line(out, area.start + i * 4096, area.pages[i] << 12, f);
}

void Replayer::put_failed(OutBuf& out, uint64_t h, IdEntry::Kind kind, const char* reason) {
    // remembered among the recent failures, not as a live id: the caller holds NULL, and a trace
    // of any number of failures holds bounded memory
    ++stats_.enomem;
    history_.failed(h, kind);
    put_result(out, "ENOMEM", reason);
    out.put('\n');
}

bool Replayer::do_vmalloc(const StreamLine& l, OutBuf& out, StreamError& err, bool* se, bool ioremap) {
    std::string_view id;
    if (!get_id(l, id, err)) return false;
    const StreamField* sf = l.get(StreamKey::size);
    if (!sf) {
        err.message = fmt::format("'{}' needs a size= field", l.verb);
        err.col = 1;
        return false;
    }
    uint64_t size;
    if (!try_parse_number(sf->value, size, uint64_t(1) << 40)) {
        err.message = fmt::format("size '{}' is not a size (bytes, 0x.., or with K/M/G; at most 1T)",
                                  sf->value.substr(0, 40));
        err.col = value_col(*sf);
        return false;
    }
    uint64_t pa = 0;
    if (ioremap) {
        const StreamField* pf = l.get(StreamKey::pa);
        if (!pf) {
            err.message = "'ioremap' needs a pa= field";
            err.col = 1;
            return false;
        }
        if (!try_parse_number(pf->value, pa, pae_ ? (uint64_t(1) << 36) - 1 : 0xffffffffu)) {
            err.message = fmt::format("pa '{}' is not a physical address of this board", pf->value.substr(0, 40));
            err.col = value_col(*pf);
            return false;
        }
    }
    // "Don't allow wraparound or zero size": last_addr = phys_addr + size - 1 in phys_addr_t, 32 bits
    // without LPAE/PAE (v6.1 arch/arm/mm/ioremap.c __arm_ioremap_caller, arch/x86/mm/ioremap.c
    // __ioremap_caller; v2.6.18 __ioremap): NULL
    const bool wraps = ioremap && !pae_ && size && pa + size - 1 > 0xffffffffu;
    // ARM/x86 __ioremap: offset = phys_addr & ~PAGE_MASK; size = PAGE_ALIGN(offset + size)
    uint64_t offset = pa & 4095;
    if (ioremap && size) size = (size + offset + 4095) & ~uint64_t(4095);
    uint64_t h = IdMap::hash(id);
    if (ids_.find(id, h))
        return misuse(l, out, err, se, "id_in_use", fmt::format("id '{}' is already allocated", id.substr(0, 60)));
    put_line_start(out, l);
    if (!ioremap) ++stats_.vmallocs; else ++stats_.ioremaps;
    // __vmalloc_node: if (!size || (size >> PAGE_SHIFT) > num_physpages) return NULL
    uint64_t total_pages = 0;
    for (const auto& z : buddy_.zones()) total_pages += z.managed;
    IdEntry::Kind kind = ioremap ? IdEntry::ioremap : IdEntry::vmalloc;
    if (size == 0 || wraps) {
        put_failed(out, h, kind, wraps ? "wraparound" : "zero_size");
        return true;
    }
    if (!ioremap && (size >> 12) > total_pages) {
        put_failed(out, h, kind, "size_exceeds_ram");
        return true;
    }
    const char* reason = "vmap_allocation_failed";
    std::string kmsg;
    int a = -1;
    if (ioremap) {
        VmapResult r = vm_.get_area(size, true, std::string(id.substr(0, 60)));
        a = r.area;
        kmsg = r.message;
    } else {
        a = vmalloc_node(size, id, reason, kmsg);
    }
    if (a < 0) {
        put_failed(out, h, kind, reason);
        if (!kmsg.empty()) {
            out.put("# kernel: ");
            out.put(kmsg);
            out.put('\n');
        }
        return true;
    }
    VmArea& area = vm_.area(a);
    if (ioremap) {
        area.offset = offset;
        area.phys = pa - offset;
        out.put(" va=");
        out.put_hex(area.start + offset, 8);
        out.put('\n');
        MapFields f;
        f.size = size;
        f.id = id;
        put_map_line(out, area.start, area.phys, f);
        ids_.insert(id, h, IdEntry{IdEntry::ioremap, 0, uint32_t(a)});
        return true;
    }
    stats_.peak_pages = std::max(stats_.peak_pages, buddy_.pages_in_use());
    ids_.insert(id, h, IdEntry{IdEntry::vmalloc, 0, uint32_t(a)});
    out.put(" va=");
    out.put_hex(area.start, 8);
    out.put(" pages=");
    out.put_dec(area.pages.size());
    out.put('\n');
    put_vmalloc_maps(a, id, false, out);
    return true;
}

// ---- setup and info ---------------------------------------------------------
Simulation make_simulation(const Board& board, long min_free_kbytes) {
    Layout layout = compute_layout(board);
    NodeMemory node = compute_zones(board, layout);
    BuddyConfig cfg = buddy_config_for(board, layout, node);
    cfg.min_free_kbytes = min_free_kbytes;
    Simulation s;
    s.pae = board.profile.config.pae;
    s.buddy = std::make_unique<BuddyAllocator>(cfg);
    s.vm = std::make_unique<VmallocSpace>(layout.vmalloc_start, layout.vmalloc_end, *cfg.era, board.profile.arch,
                                          s.pae, board.profile.config.nr_cpus);
    return s;
}

std::string buddy_info_text(const BuddyAllocator& b) {
    std::string s = b.buddyinfo();
    s += fmt::format("\nmin_free_kbytes {}, MAX_ORDER {}, rules {}\n", b.min_free_kbytes(), b.max_order(), b.era().name);
    for (size_t zi = 0; zi < b.zones().size(); ++zi) {
        const ZoneState& z = b.zones()[zi];
        if (!z.populated()) continue;
        s += fmt::format("\nzone {}: pfns {:#x}-{:#x}, present {}, managed {}, free {}; watermarks min {} low {} high {}",
                         z.name, z.start_pfn, z.end_pfn, z.present, z.managed, z.free_pages, z.wmark_min, z.wmark_low,
                         z.wmark_high);
        std::string prot;
        for (size_t j = zi + 1; j < b.zones().size(); ++j)
            prot += fmt::format("{}{} {}", prot.empty() ? "" : ", ", b.zones()[j].name, z.lowmem_reserve[j]);
        if (!prot.empty()) s += "; lowmem_reserve " + prot;
        s += "\n";
        s += render_table(buddy_orders_view(b, int(zi)), {TableMode::columns, true, "order,blocks,pages,fragmentation_index,unusable_index"});
    }
    return s;
}

const std::vector<TableColumn>& buddy_orders_columns() {
    static const std::vector<TableColumn> c = {{"zone", "", "the zone"},
                 {"order", "", "the order: blocks of 2^order pages", true},
                 {"blocks", "", "free blocks of that order (/proc/buddyinfo)", true},
                 {"pages", "", "the pages in them", true},
                 {"fragmentation_index", "FRAG_INDEX", "fragmentation index as debugfs prints it (-1.000: it would succeed)", true},
                 {"unusable_index", "UNUSABLE", "unusable free space index as debugfs prints it (mm/vmstat.c)", true}};
    return c;
}

TableView buddy_orders_view(const BuddyAllocator& b, int zone) {
    TableView v;
    v.name = "orders";
    v.columns = buddy_orders_columns();
    for (size_t zi = 0; zi < b.zones().size(); ++zi) {
        const ZoneState& z = b.zones()[zi];
        if (!z.populated() || (zone >= 0 && size_t(zone) != zi)) continue;
        for (unsigned o = 0; o < b.max_order(); ++o) {
            const FragInfo f = fill_contig_page_info(z, b.max_order(), o);
            const int fi = fragmentation_index(f, o), ui = unusable_free_index(f, o);
            v.add({{z.name, z.name},
                   {std::to_string(o), o},
                   {std::to_string(z.nr_free[o]), (unsigned long long)z.nr_free[o]},
                   {std::to_string(z.nr_free[o] << o), (unsigned long long)(z.nr_free[o] << o)},
                   // as mm/vmstat.c prints them ("%d.%03d"), in JSON too: the kernel's fixed-point text
                   {format_index(fi), format_index(fi)},
                   {format_index(ui), format_index(ui)}});
        }
    }
    return v;
}

Value buddy_info_value(const BuddyAllocator& b, bool hex) {
    Value root = Value::object();
    root.set("rules", b.era().name);
    root.set("max_order", b.max_order());
    root.set("min_free_kbytes", b.min_free_kbytes());
    Value zones = Value::array();
    for (size_t zi = 0; zi < b.zones().size(); ++zi) {
        const ZoneState& z = b.zones()[zi];
        if (!z.populated()) continue;
        Value v = Value::object();
        v.set("node", 0);
        v.set("zone", z.name);
        v.set("start_pfn", pfn_value(z.start_pfn, hex));
        v.set("end_pfn", pfn_value(z.end_pfn, hex));
        v.set("present", (unsigned long long)z.present);
        v.set("managed", (unsigned long long)z.managed);
        v.set("free", (unsigned long long)z.free_pages);
        v.set("min", (unsigned long long)z.wmark_min);
        v.set("low", (unsigned long long)z.wmark_low);
        v.set("high", (unsigned long long)z.wmark_high);
        Value prot = Value::array(), per = Value::array(), frag = Value::array(), unus = Value::array();
        for (size_t j = 0; j < b.zones().size(); ++j) prot.push((unsigned long long)z.lowmem_reserve[j]);
        for (unsigned o = 0; o < b.max_order(); ++o) {
            FragInfo f = fill_contig_page_info(z, b.max_order(), o);
            per.push((unsigned long long)z.nr_free[o]);
            frag.push(fragmentation_index(f, o));
            unus.push(unusable_free_index(f, o));
        }
        v.set("protection", prot);
        v.set("free_per_order", per);
        v.set("fragmentation_index_x1000", frag);
        v.set("unusable_index_x1000", unus);
        zones.push(v);
    }
    root.set("zones", zones);
    return root;
}

// ---- generator ----------------------------------------------------------------
namespace {
struct SplitMix64 {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }
};

std::vector<std::pair<std::string, unsigned>> parse_weights(const std::string& text, const char* what) {
    std::vector<std::pair<std::string, unsigned>> v;
    size_t i = 0;
    while (i < text.size()) {
        size_t j = text.find(',', i);
        if (j == std::string::npos) j = text.size();
        std::string item = text.substr(i, j - i);
        size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error(fmt::format("{} '{}': expected NAME=WEIGHT", what, item), {}, 0, int(i) + 1);
        uint64_t w;
        if (!try_parse_number(std::string_view(item).substr(eq + 1), w, 1000000))
            throw Error(fmt::format("{} '{}': the weight is not a number (0 to 1000000)", what, item), {}, 0,
                        int(i + eq) + 2);
        v.push_back({item.substr(0, eq), unsigned(w)});
        i = j + 1;
    }
    return v;
}
}  // namespace

void parse_gen_mix(const std::string& text, GenOptions& o) {
    o.w_alloc = o.w_free = o.w_vmalloc = o.w_vfree = o.w_show = 0;
    for (const auto& [k, w] : parse_weights(text, "--mix")) {
        if (k == "alloc") o.w_alloc = w;
        else if (k == "free") o.w_free = w;
        else if (k == "vmalloc") o.w_vmalloc = w;
        else if (k == "vfree") o.w_vfree = w;
        else if (k == "show") o.w_show = w;
        else if (k == "kmap") o.w_kmap = w;
        else if (k == "kunmap") o.w_kunmap = w;
        else if (k == "kmap_atomic") o.w_kmap_atomic = w;
        else if (k == "kunmap_atomic") o.w_kunmap_atomic = w;
        else
            throw Error(fmt::format("--mix: unknown verb '{}' (alloc, free, vmalloc, vfree, show, kmap, kunmap, "
                                    "kmap_atomic, kunmap_atomic)",
                                    k));
    }
    if (!o.w_alloc && !o.w_vmalloc && !o.w_show) throw Error("--mix: give alloc or vmalloc a weight above 0");
}

void parse_gen_gfp(const std::string& text, GenOptions& o) {
    o.gfp = parse_weights(text, "--gfp");
    unsigned sum = 0;
    for (const auto& [k, w] : o.gfp) {
        Gfp g;
        if (!parse_gfp(k, g)) throw Error(fmt::format("--gfp: '{}' is not a known flag set", k));
        sum += w;
    }
    if (!sum) throw Error("--gfp: the weights add up to 0");
}

namespace {
// The generator's view of the trace: live ids and their mappings (no board, no replay).
struct GenState {
    struct Page {
        uint64_t id;
        bool highmem_gfp;        // allocated with __GFP_HIGHMEM
        uint32_t kmaps = 0;      // live kmap() of it
        uint32_t atomics = 0;    // live kmap_atomic() of it
    };
    std::vector<Page> pages;                        // live page ids, swap-removed
    std::vector<uint64_t> kmaps;                    // live kmaps (ids, with repeats)
    std::vector<std::vector<uint64_t>> atomic;      // per cpu: the kmap_atomic stack (ids)
    std::unordered_map<uint64_t, size_t> where;     // id -> index in pages (only with kmap verbs)
    bool track = false;

    Page* find(uint64_t id) {
        auto it = where.find(id);
        return it == where.end() ? nullptr : &pages[it->second];
    }
    void add(uint64_t id, bool high) {
        if (track) where[id] = pages.size();
        pages.push_back({id, high});
    }
    void remove_at(size_t k) {
        if (track) {
            where.erase(pages[k].id);
            if (k + 1 != pages.size()) where[pages.back().id] = k;
        }
        pages[k] = pages.back();
        pages.pop_back();
    }
};

// km_type per nesting depth, names every typed era has (2.6 asm/kmap_types.h); the stack
// eras ignore the type
const char* const kGenKmTypes[] = {"KM_USER0", "KM_USER1", "KM_BIO_SRC_IRQ", "KM_BIO_DST_IRQ", "KM_PTE0",
                                   "KM_PTE1",  "KM_IRQ0",  "KM_IRQ1",        "KM_SOFTIRQ0",    "KM_SOFTIRQ1"};

void put_id_line(OutBuf& out, const char* head, uint64_t id) {
    out.put(head);
    out.put(" id=a");
    out.put_dec(id);
    out.put('\n');
}
void put_atomic_line(OutBuf& out, const char* verb, unsigned cpu, size_t depth, uint64_t id) {
    out.put(verb);
    out.put(" cpu=");
    out.put_dec(cpu);
    out.put(" type=");
    out.put(kGenKmTypes[depth]);
    out.put(" id=a");
    out.put_dec(id);
    out.put('\n');
}
}  // namespace

void generate_trace(const GenOptions& o, OutBuf& out) {
    SplitMix64 rng{o.seed};
    GenState st;
    st.track = o.w_kmap || o.w_kmap_atomic;
    st.atomic.resize(std::max(1u, o.cpus));
    const size_t depth_max = std::min<size_t>(std::max(1u, o.atomic_depth), std::size(kGenKmTypes));
    std::vector<uint64_t> live_vm;   // vmalloc ids by number
    uint64_t next_id = 0;
    unsigned gsum = 0;
    std::vector<bool> gfp_high;
    for (const auto& g : o.gfp) {
        gsum += g.second;
        Gfp f;
        parse_gfp(g.first, f);
        gfp_high.push_back(f.highmem);
    }
    // a page to map: a __GFP_HIGHMEM one when a few draws find one, else any
    auto pick_page = [&]() -> GenState::Page& {
        size_t k = size_t(rng.below(st.pages.size()));
        for (int tries = 0; tries < 8 && !st.pages[k].highmem_gfp; ++tries) k = size_t(rng.below(st.pages.size()));
        return st.pages[k];
    };
    auto kunmap_at = [&](size_t k) {   // kunmap of live kmap k
        uint64_t id = st.kmaps[k];
        put_id_line(out, "kunmap", id);
        st.find(id)->kmaps--;
        st.kmaps[k] = st.kmaps.back();
        st.kmaps.pop_back();
    };
    auto kunmap_atomic_top = [&](unsigned cpu) {   // LIFO: the innermost mapping of that cpu
        auto& stack = st.atomic[cpu];
        uint64_t id = stack.back();
        stack.pop_back();
        put_atomic_line(out, "kunmap_atomic", cpu, stack.size(), id);
        st.find(id)->atomics--;
    };
    auto busy_cpu = [&]() -> int {   // a cpu with a live kmap_atomic, from a random start
        unsigned n = unsigned(st.atomic.size()), c0 = unsigned(rng.below(n));
        for (unsigned i = 0; i < n; ++i)
            if (!st.atomic[(c0 + i) % n].empty()) return int((c0 + i) % n);
        return -1;
    };
    unsigned wsum = o.w_alloc + o.w_free + o.w_vmalloc + o.w_vfree + o.w_show + o.w_kmap + o.w_kunmap +
                    o.w_kmap_atomic + o.w_kunmap_atomic;
    for (uint64_t n = 0; n < o.ops; ++n) {
        uint64_t pick = rng.below(wsum);
        // 0 alloc 1 free 2 vmalloc 3 vfree 4 show 5 kmap 6 kunmap 7 kmap_atomic 8 kunmap_atomic
        const unsigned w[] = {o.w_alloc, o.w_free, o.w_vmalloc, o.w_vfree, o.w_show,
                              o.w_kmap,  o.w_kunmap, o.w_kmap_atomic, o.w_kunmap_atomic};
        int verb = 0;
        while (verb < 8 && pick >= w[verb]) pick -= w[verb++];
        if (o.max_live && st.pages.size() + live_vm.size() >= o.max_live) {
            if (verb == 0) verb = 1;
            if (verb == 2) verb = 3;
        }
        if (verb == 1 && st.pages.empty()) verb = o.w_alloc ? 0 : 2;
        if (verb == 3 && live_vm.empty()) verb = o.w_vmalloc ? 2 : 0;
        if (verb == 1 && st.pages.empty()) verb = 4;
        if (verb == 3 && live_vm.empty()) verb = 4;
        if (verb == 6 && st.kmaps.empty()) verb = 5;
        if (verb == 5 && st.kmaps.size() >= o.max_kmaps) verb = 6;
        if (verb == 8 && busy_cpu() < 0) verb = 7;
        if ((verb == 5 || verb == 7) && st.pages.empty()) verb = o.w_alloc ? 0 : 4;
        switch (verb) {
        case 0: {
            unsigned order = unsigned(rng.below(o.max_order + 1));
            uint64_t g = rng.below(gsum);
            size_t gi = 0;
            while (g >= o.gfp[gi].second) g -= o.gfp[gi++].second;
            uint64_t id = next_id++;
            out.put("alloc order=");
            out.put_dec(order);
            out.put(" id=a");
            out.put_dec(id);
            if (o.gfp[gi].first != "GFP_KERNEL") {
                out.put(" gfp=");
                out.put(o.gfp[gi].first);
            }
            out.put('\n');
            st.add(id, gfp_high[gi]);
            break;
        }
        case 1: {
            size_t k = size_t(rng.below(st.pages.size()));
            GenState::Page& pg = st.pages[k];
            if (pg.kmaps) {   // unmap before the free: one kunmap of it instead
                size_t i = 0;
                while (st.kmaps[i] != pg.id) ++i;
                kunmap_at(i);
            } else if (pg.atomics) {   // the innermost mapping of a cpu holding it
                unsigned c = 0;
                while (std::find(st.atomic[c].begin(), st.atomic[c].end(), pg.id) == st.atomic[c].end()) ++c;
                kunmap_atomic_top(c);
            } else {
                put_id_line(out, "free", pg.id);
                st.remove_at(k);
            }
            break;
        }
        case 2: {
            uint64_t pages = 1 + rng.below(std::max<uint64_t>(1, o.vmalloc_max_pages));
            uint64_t id = next_id++;
            out.put("vmalloc size=");
            out.put_dec(pages * 4096);
            out.put(" id=v");
            out.put_dec(id);
            out.put('\n');
            live_vm.push_back(id);
            break;
        }
        case 3: {
            size_t k = size_t(rng.below(live_vm.size()));
            out.put("vfree id=v");
            out.put_dec(live_vm[k]);
            out.put('\n');
            live_vm[k] = live_vm.back();
            live_vm.pop_back();
            break;
        }
        case 5: {
            GenState::Page& pg = pick_page();
            put_id_line(out, "kmap", pg.id);
            pg.kmaps++;
            st.kmaps.push_back(pg.id);
            break;
        }
        case 6: kunmap_at(size_t(rng.below(st.kmaps.size()))); break;
        case 7: {
            unsigned cpu = unsigned(rng.below(st.atomic.size()));
            auto& stack = st.atomic[cpu];
            if (stack.size() >= depth_max) {
                kunmap_atomic_top(cpu);
                break;
            }
            GenState::Page& pg = pick_page();
            put_atomic_line(out, "kmap_atomic", cpu, stack.size(), pg.id);
            stack.push_back(pg.id);
            pg.atomics++;
            break;
        }
        case 8: kunmap_atomic_top(unsigned(busy_cpu())); break;
        default: out.put("show\n"); break;
        }
    }
}

}  // namespace kmemkit
