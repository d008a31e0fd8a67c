// kmap/kmap_atomic against the kernel sources (v2.6.18
// mm/highmem.c + arch/i386/mm/highmem.c, v2.6.32.9 arch/arm/mm/highmem.c,
// v6.1 mm/highmem.c).  Every expected number is derived in the comments.
#include <catch2/catch.hpp>

#include <string>

#include "kmemkit/error.hpp"
#include "kmemkit/kmap.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "test_buddy_replay.hpp"

using namespace kmemkit;

namespace {
KmapConfig config_for(const std::string& name, BoardOverrides o = {}, unsigned nr_cpus = 0) {
    Profile p = load_profile(name);
    if (nr_cpus) p.config.nr_cpus = nr_cpus;
    Board b = make_board(p, o);
    return kmap_config(compute_layout(b), b.profile);
}
// run a whole stream through KmapStream behind the filter driver, returning the output text
std::string run_stream(KmapStream& ks, const std::string& in, int* errors = nullptr) {
    if (!in.empty() && in.back() != '\n') return run_stream(ks, in + "\n", errors);
    auto r = buddy_test::run_text(
        cli::FilterSpec{kKmapsim}, in,
        [&](const StreamLine& l, OutBuf& o, StreamError& e, bool&) { return ks.handle(l, o, e); },
        [&](const StreamLine& l) { ks.read(l); });
    if (errors) *errors = int(r.errors);
    return r.out;
}
}  // namespace

TEST_CASE("kmap: ARM PKMAP_BASE = PAGE_OFFSET - 2 MB with 512 entries") {
    // arch/arm/include/asm/highmem.h (v2.6.32.9, v6.1): PKMAP_BASE = PAGE_OFFSET - PMD_SIZE,
    // LAST_PKMAP = PTRS_PER_PTE = 512 -> 0xc0000000 - 0x200000 = 0xbfe00000 .. 0xc0000000 (3G split)
    for (const char* name : {"imx6q", "beaglebone"}) {
        KmapConfig c = config_for(name);
        REQUIRE(c.has_pkmap);
        CHECK(c.pkmap.base == 0xbfe00000u);
        CHECK(c.pkmap.last_pkmap == 512);
        CHECK(c.pkmap.end() == 0xc0000000u);
        CHECK(c.pkmap.addr(1) == 0xbfe01000u);   // PKMAP_ADDR(1)
        CHECK(c.pkmap.nr(0xbffff000u) == 511);   // PKMAP_NR
    }
}

TEST_CASE("kmap: the 2.4-era x86 pkmap window (2.4 include/asm-i386/highmem.h)") {
    // late 2.4 include/asm-i386/highmem.h: PKMAP_BASE 0xfe000000, LAST_PKMAP 1024 (512 with PAE)
    PkmapArea a = x86_24_pkmap_area(false);
    CHECK(a.base == 0xfe000000u);                 // 4G - 32M
    CHECK(a.last_pkmap == 1024);
    CHECK(a.end() == 0xfe400000u);                // 1024 * 4 KB = 4 MB: 4G-32M .. 4G-28M
    CHECK(a.end() - a.base == 4u << 20);
    PkmapArea pae = x86_24_pkmap_area(true);
    CHECK(pae.end() == 0xfe200000u);              // 512 * 4 KB = 2 MB
    // the generic computation: any base + LAST_PKMAP
    CHECK(pkmap_area(0xff800000u, 512).end() == 0xffa00000u);   // 2.6 PAE example (SE): 2048 kB
    // 2.6 x86 (pc-i386, 2.6.18): LAST_PKMAP 1024 without PAE, 512 with
    CHECK(config_for("pc-i386").pkmap.last_pkmap == 1024);
    CHECK(config_for("pc-i386-pae").pkmap.last_pkmap == 512);
}

TEST_CASE("kmap: a lowmem page returns its linear address and uses no slot") {
    KmapSim s(config_for("imx6q"));
    // imx6q: PHYS_OFFSET 0x10000000, lowmem to 0x3f800000.  pfn 0x10100 -> pa 0x10100000
    // __va = pa - PHYS_OFFSET + PAGE_OFFSET = 0xc0100000 (arch kmap(): !PageHighMem -> page_address)
    KmapOutcome o = s.kmap(0x10100);
    CHECK(o.lowmem);
    CHECK(o.va == 0xc0100000u);
    CHECK(!o.mapped);
    CHECK(s.last_pkmap_nr() == 0);          // map_new_virtual() never ran
    for (int c : s.pkmap_count()) CHECK(c == 0);
    CHECK(s.kunmap(0x10100).lowmem);        // kunmap(): !PageHighMem -> return
}

TEST_CASE("kmap: 512 highmem kmaps fill the ARM area, the 513th would sleep, one kunmap releases it") {
    KmapSim s(config_for("imx6q"));   // highmem starts at pfn 0x3f800 (lowmem limit 0xef800000)
    const uint64_t first = 0x40000;
    // last_pkmap_nr starts at 0 and map_new_virtual() pre-increments it:
    // the first kmap takes entry 1 = PKMAP_BASE + 4 KB; count 0 -> 1 (mapped) -> 2 (kmap_high's ++)
    KmapOutcome o = s.kmap(first);
    CHECK(o.va == 0xbfe01000u);
    CHECK(o.count == 2);
    REQUIRE(o.mapped);
    CHECK(o.mapped->pfn == first);
    // kmaps 2..511 take entries 2..511; the 512th wraps last_pkmap_nr to 0, which runs
    // flush_all_zero_pkmaps() once (nothing has count 1), and takes entry 0 = PKMAP_BASE.
    for (unsigned i = 1; i < 511; ++i) CHECK(s.kmap(first + i).va == 0xbfe00000u + (i + 1) * 0x1000u);
    CHECK(s.stats().flushes == 0);
    o = s.kmap(first + 511);
    CHECK(o.va == 0xbfe00000u);
    CHECK(o.flushes == 1);
    CHECK(s.stats().in_use == 512);
    // 513th: count = LAST_PKMAP; the scan goes 1..511 (all busy), wraps to 0 (flush #2,
    // count reset to 512), then 0..511 again: count reaches 0 at entry 511 -> sleep.
    o = s.kmap(first + 512);
    CHECK(o.would_sleep);
    CHECK(o.flushes == 1);
    CHECK(s.stats().flushes == 2);
    CHECK(s.last_pkmap_nr() == 511);
    CHECK(s.stats().would_sleep == 1);
    // kunmap of the page in entry 6 (the 6th kmap): pkmap_count 2 -> 1, waiters are woken.
    // The waiter restarts: last_pkmap_nr 511 -> 0 wraps (flush #3 clears entry 6: count 1 -> 0),
    // entry 0 is busy, 1..5 busy, 6 free -> the waiter gets PKMAP_BASE + 6*4K = 0xbfe06000.
    KmapOutcome u = s.kunmap(first + 5);
    CHECK(u.va == 0xbfe06000u);
    CHECK(u.count == 1);
    REQUIRE(u.wakes.size() == 1);
    CHECK(u.wakes[0].pfn == first + 512);
    CHECK(u.wakes[0].va == 0xbfe06000u);
    CHECK(u.wakes[0].slot == 6);
    CHECK(u.wakes[0].count == 2);
    CHECK(u.wakes[0].flushes == 1);
    CHECK(u.wakes[0].new_mapping);
    CHECK(s.stats().flushes == 3);
    CHECK(s.stats().waiting == 0);
    CHECK(s.stats().peak == 512);
}

TEST_CASE("kmap: a kunmapped entry keeps its mapping until the next flush") {
    KmapSim s(config_for("imx6q"));
    s.kmap(0x40000);                          // entry 1, count 2
    s.kunmap(0x40000);                        // count 1: stale but still mapped
    KmapOutcome pa = s.page_address(0x40000); // page->virtual is still set
    CHECK(pa.has_va);
    CHECK(pa.va == 0xbfe01000u);
    KmapOutcome o = s.kmap(0x40000);          // kmap_high: page_address() != NULL, no new PTE
    CHECK(o.va == 0xbfe01000u);
    CHECK(o.count == 2);
    CHECK(!o.mapped);
    s.kunmap(0x40000);
    KmapOutcome bug = s.kunmap(0x40000);      // --pkmap_count reaches 0: BUG()
    REQUIRE(bug.check);
    CHECK(bug.check->result == "BUG");
    // page_address() of a highmem page that was never kmapped is NULL
    CHECK(!s.page_address(0x40010).has_va);
    CHECK(s.stats().null_page_address == 1);
    KmapOutcome nv = s.kunmap(0x40010);       // kunmap_high: BUG_ON(!vaddr)
    REQUIRE(nv.check);
    CHECK(nv.check->check == "kunmap_high:BUG_ON(!vaddr)");
}

TEST_CASE("kmap_atomic: km_type slot addresses, ARM and x86 2.6.32, x86 2.6.18") {
    // ARM 2.6.32 (realview, 1 GB so 256 MB is HighMem, 2 cpus): KM_TYPE_NR 14 (+KM_L2_CACHE),
    // FIX_KMAP_BEGIN 0, __fix_to_virt(x) = FIXADDR_START 0xfff00000 + (x << 12)  (v2.6.32.9 asm/fixmap.h)
    BoardOverrides one_gig;
    one_gig.mem = 1ull << 30;
    KmapConfig arm = config_for("realview", one_gig, 2);
    CHECK(arm.model == KmapAtomicModel::typed);
    CHECK(arm.slots_per_cpu == 14);
    unsigned user0 = 0, irq0 = 0, l2 = 0;
    REQUIRE(km_type_index(arm, "KM_USER0", user0));
    REQUIRE(km_type_index(arm, "KM_IRQ0", irq0));
    REQUIRE(km_type_index(arm, "KM_L2_CACHE", l2));
    CHECK(user0 == 3);
    CHECK(irq0 == 9);
    CHECK(l2 == 13);
    CHECK(arm.atomic_slot_va(0, user0) == 0xfff03000u);   // idx 3
    CHECK(arm.atomic_slot_va(1, user0) == 0xfff11000u);   // idx 3 + 14*1 = 17 -> 0xfff00000 + 0x11000
    CHECK(arm.atomic_slot_va(1, irq0) == 0xfff17000u);    // idx 9 + 14 = 23
    CHECK(arm.atomic_slot_va(0, 0) == 0xfff00000u);       // KM_BOUNCE_READ on cpu 0 = FIXADDR_START

    // x86 2.6.18 (pc-i386, NR_CPUS 8): KM_TYPE_NR 13 (asm-i386/kmap_types.h).  enum fixed_addresses:
    // FIX_HOLE 0, FIX_VDSO 1, FIX_APIC_BASE 2, FIX_IO_APIC_BASE_0..+63 (MAX_IO_APICS 64) 3..66,
    // FIX_KMAP_BEGIN 67.  __fix_to_virt(x) = FIXADDR_TOP 0xfffff000 - (x << 12) (grows down).
    KmapConfig x86 = config_for("pc-i386");
    CHECK(x86.fix_kmap_begin == 67);
    CHECK(x86.slots_per_cpu == 13);
    REQUIRE(km_type_index(x86, "KM_USER0", user0));
    CHECK(x86.atomic_slot_va(0, 0) == 0xfffbc000u);       // fix 67: 0xfffff000 - 0x43000
    CHECK(x86.atomic_slot_va(0, user0) == 0xfffb9000u);   // fix 70: 0xfffff000 - 0x46000
    CHECK(x86.atomic_slot_va(1, user0) == 0xfffac000u);   // fix 67+3+13 = 83: - 0x53000
    CHECK(x86.atomic_slot_va(1, 12) == 0xfffa3000u);      // KM_SOFTIRQ1 cpu 1: fix 92: - 0x5c000
    // the last slot (cpu 7, KM_SOFTIRQ1): fix 67+103 = 170 -> 0xfff55000, inside FIXADDR_START 0xfff4e000
    CHECK(x86.atomic_slot_va(7, 12) == 0xfff55000u);

    // x86 2.6.32, the same era as realview above (pc-i386-pae: PAE, NR_CPUS 8, FIXADDR_TOP 0xfffff000).
    // arch/x86/include/asm/kmap_types.h@v2.6.32 includes asm-generic/kmap_types.h (from 2.6.31, commit
    // e4c9dd0fbad): the 13 names above + KM_SYNC_ICACHE .. KM_NMI_PTE, KM_TYPE_NR 19 (KM_KDB makes it 20
    // in 2.6.35; 2.6.30 has its own 13).  arch/x86/include/asm/fixmap.h of
    // 2.6.32.67: enum fixed_addresses { FIX_HOLE 0, FIX_VDSO 1, FIX_DBGP_BASE 2,
    // FIX_EARLYCON_MEM_BASE 3, FIX_APIC_BASE 4, FIX_IO_APIC_BASE_0 5 .. FIX_IO_APIC_BASE_END 68
    // (MAX_IO_APICS 64), FIX_KMAP_BEGIN 69 } without OHCI1394/VISWS/F00F/CYCLONE entries;
    // __fix_to_virt(x) = FIXADDR_TOP - (x << PAGE_SHIFT); idx = type + KM_TYPE_NR*cpu.
    KmapConfig pae = config_for("pc-i386-pae");
    CHECK(pae.model == KmapAtomicModel::typed);
    CHECK(pae.slots_per_cpu == 19);
    CHECK(pae.fix_kmap_begin == 69);
    REQUIRE(km_type_index(pae, "KM_USER0", user0));
    REQUIRE(km_type_index(pae, "KM_IRQ0", irq0));
    unsigned bounce = 99, softirq1 = 99;
    REQUIRE(km_type_index(pae, "KM_BOUNCE_READ", bounce));
    REQUIRE(km_type_index(pae, "KM_SOFTIRQ1", softirq1));
    CHECK((bounce == 0 && softirq1 == 12));
    CHECK(!km_type_index(pae, "KM_L2_CACHE", l2));            // ARM-only type
    CHECK(pae.atomic_slot_va(0, bounce) == 0xfffba000u);      // fix 69: 0xfffff000 - 0x45000
    CHECK(pae.atomic_slot_va(0, user0) == 0xfffb7000u);       // fix 72: - 0x48000
    CHECK(pae.atomic_slot_va(1, user0) == 0xfffa4000u);       // fix 69 + 3 + 19 = 91: - 0x5b000
    CHECK(pae.atomic_slot_va(1, irq0) == 0xfff9e000u);        // fix 69 + 9 + 19 = 97: - 0x61000
    CHECK(pae.atomic_slot_va(1, softirq1) == 0xfff9b000u);    // fix 100: - 0x64000
    unsigned nmi_pte = 99;
    REQUIRE(km_type_index(pae, "KM_NMI_PTE", nmi_pte));       // the generic header's last entry
    CHECK(nmi_pte == 18);
    // both sides of 2.6.31: 2.6.30 has x86's own 13
    Profile p30 = load_profile("pc-i386-pae");
    BoardOverrides o30;
    o30.kernel = "2.6.30";
    Board b30 = make_board(p30, o30);
    CHECK(kmap_config(compute_layout(b30), b30.profile).slots_per_cpu == 13);
    o30.kernel = "2.6.31";
    b30 = make_board(p30, o30);
    CHECK(kmap_config(compute_layout(b30), b30.profile).slots_per_cpu == 19);
    o30.kernel = "2.6.35";
    b30 = make_board(p30, o30);
    CHECK(kmap_config(compute_layout(b30), b30.profile).slots_per_cpu == 20);

    // a profile can state FIX_KMAP_BEGIN (fixmap.kmap_begin)
    Profile p = load_profile("pc-i386");
    p.fix_kmap_begin = 68;
    Board b = make_board(p, {});
    KmapConfig x2 = kmap_config(compute_layout(b), b.profile);
    CHECK(x2.atomic_slot_va(0, 0) == 0xfffbb000u);
}

TEST_CASE("kmap_atomic: typed-era debug checks (DEBUG_HIGHMEM)") {
    KmapSim s(config_for("pc-i386"));   // highmem from pfn 0x38000 (896 MB)
    KmapOutcome a = s.kmap_atomic(0, 3u, 0x39000);
    CHECK(a.va == 0xfffb9000u);
    REQUIRE(a.mapped);
    // the same slot again before kunmap_atomic: !pte_none(*(kmap_pte-idx)) -> BUG()
    KmapOutcome twice = s.kmap_atomic(0, 3u, 0x39001);
    REQUIRE(twice.check);
    CHECK(twice.check->result == "BUG");
    // another type is independent: no nesting order in this era
    CHECK(s.kmap_atomic(0, 4u, 0x39002).va == 0xfffb8000u);
    CHECK(!s.kunmap_atomic(0, 0xfffb9000u, 3u).check);   // out of order is fine with km_type
    // kunmap_atomic with the wrong address for the type: BUG_ON(vaddr != __fix_to_virt(FIX_KMAP_BEGIN+idx))
    KmapOutcome wrong = s.kunmap_atomic(0, 0xfffb9000u, 4u);
    REQUIRE(wrong.check);
    CHECK(wrong.check->check == "kunmap_atomic:BUG_ON(vaddr!=__fix_to_virt(FIX_KMAP_BEGIN+idx))");
    // a lowmem page: page_address, no slot
    CHECK(s.kmap_atomic(0, 3u, 0x100).va == 0xc0100000u);
}

TEST_CASE("kmap_atomic: 2.6.37-5.10 per-cpu stack (ARM 3.10, imx6q)") {
    KmapSim s(config_for("imx6q"));
    // type = kmap_atomic_idx_push(): 0, 1, ... ; KM_TYPE_NR 16; upward from 0xfff00000 (3.10)
    CHECK(s.kmap_atomic(0, std::nullopt, 0x40000).va == 0xfff00000u);
    CHECK(s.kmap_atomic(0, std::nullopt, 0x40001).va == 0xfff01000u);
    CHECK(s.kmap_atomic(2, std::nullopt, 0x40002).va == 0xfff20000u);   // idx 0 + 16*2 = 32
    // unmapping the lower one first: ARM __kunmap_atomic BUG_ON(vaddr != __fix_to_virt(FIX_KMAP_BEGIN + idx))
    KmapOutcome bad = s.kunmap_atomic(0, 0xfff00000u, std::nullopt);
    REQUIRE(bad.check);
    CHECK(bad.check->result == "BUG");
    CHECK(!s.kunmap_atomic(0, 0xfff01000u, std::nullopt).check);
    CHECK(!s.kunmap_atomic(0, 0xfff00000u, std::nullopt).check);
    KmapOutcome under = s.kunmap_atomic(0, 0xfff00000u, std::nullopt);   // empty stack
    REQUIRE(under.check);
    CHECK(under.check->check == "kmap_atomic_idx_pop:BUG_ON(idx<0)");
    // 17 nested maps: the 17th overflows KM_TYPE_NR
    for (unsigned i = 0; i < 16; ++i) CHECK(!s.kmap_atomic(1, std::nullopt, 0x40100 + i).check);
    KmapOutcome over = s.kmap_atomic(1, std::nullopt, 0x40200);
    REQUIRE(over.check);
    CHECK(over.check->check == "kmap_atomic_idx_push:BUG_ON(idx>=KM_TYPE_NR)");
    // ARM kmap_high_get(): a page with a pkmap entry is reused, not given a fixmap slot
    s.kmap(0x40300);                                             // entry 1, count 2
    KmapOutcome g = s.kmap_atomic(3, std::nullopt, 0x40300);
    CHECK(g.va == 0xbfe01000u);
    CHECK(g.count == 3);
    KmapOutcome gu = s.kunmap_atomic(3, 0xbfe01000u, std::nullopt);   // -> kunmap_high
    CHECK(gu.count == 2);
}

TEST_CASE("kmap_local: 5.11+ ARM (qemu-virt-arm, 6.1)") {
    KmapConfig c = config_for("qemu-virt-arm");
    CHECK(c.model == KmapAtomicModel::local);
    CHECK(c.slots_per_cpu == 16);              // KM_MAX_IDX
    CHECK(c.fix_kmap_begin == 1);              // FIX_EARLYCON_MEM_BASE is entry 0
    // __fix_to_virt(1) = FIXADDR_TOP 0xffeff000 - 0x1000 = 0xffefe000 (the address tglx called
    // valid in the 2020 sun4i-ss kmap_local report)
    CHECK(c.atomic_slot_va(0, 0) == 0xffefe000u);
    CHECK(c.atomic_slot_va(1, 0) == 0xffeee000u);   // FIX_KMAP_BEGIN + 16: 0xffeff000 - 17*4K
    KmapSim s(c);
    uint64_t hi = c.highmem.front().start >> kPageShift;
    uint32_t a = s.kmap_atomic(0, std::nullopt, hi).va;
    uint32_t b = s.kmap_atomic(0, std::nullopt, hi + 1).va;
    CHECK(a == 0xffefe000u);
    CHECK(b == 0xffefd000u);
    // kunmap_local of the outer mapping first: WARN_ON_ONCE(addr != __fix_to_virt(FIX_KMAP_BEGIN + idx)),
    // then the top entry is cleared and popped anyway
    KmapOutcome w = s.kunmap_atomic(0, a, std::nullopt);
    REQUIRE(w.check);
    CHECK(w.check->result == "WARN");
    CHECK(s.atomic_depth()[0] == 1);
    CHECK(!s.atomic_slots()[0][1]);
}

TEST_CASE("kmapsim stream: ids from upstream, map lines, WOULD_SLEEP and kmap_wake") {
    KmapStream ks(config_for("imx6q"));
    int errors = 0;
    std::string out = run_stream(ks,
                                 "alloc order=0 gfp=GFP_HIGHUSER id=h1 pfn=0x40000 pa=0x40000000 zone=HighMem\n"
                                 "kmap id=h1\n"
                                 "page_address pfn=0x40001\n"
                                 "free id=h1\n"
                                 "kmap id=h1\n",
                                 &errors);
    CHECK(out ==
          "alloc order=0 gfp=GFP_HIGHUSER id=h1 pfn=0x40000 pa=0x40000000 zone=HighMem\n"
          "kmap id=h1 pfn=0x40000 va=0xbfe01000 slot=1 count=2\n"
          "map va=0xbfe01000 pa=0x40000000 id=h1\n"
          "page_address pfn=0x40001 result=NULL\n"
          "free id=h1\n"
          "kmap id=h1\n");
    CHECK(errors == 1);   // h1 was freed

    KmapStream full(config_for("imx6q"));
    std::string in;
    for (unsigned i = 0; i < 513; ++i) in += "kmap pfn=" + std::to_string(0x40000 + i) + "\n";
    in += "kunmap pfn=262144\n";   // 0x40000, entry 1
    out = run_stream(full, in);
    // the kunmap line first, then the released waiter's answer: its rescan wraps and
    // flush_all_zero_pkmaps() clears entry 1 (count 1: pte_clear, the `unmap` line), which it
    // then takes and maps anew
    CHECK(out.find("kmap pfn=262656 result=WOULD_SLEEP flush=1\n") != std::string::npos);
    const std::string tail = "kunmap pfn=262144 va=0xbfe01000 slot=1 count=1\n"
                             "kmap_wake pfn=0x40200 va=0xbfe01000 slot=1 count=2 flush=1\n"
                             "unmap va=0xbfe01000 pages=1\n"
                             "map va=0xbfe01000 pa=0x40200000 pfn=0x40200\n";
    REQUIRE(out.size() > tail.size());
    CHECK(out.substr(out.size() - tail.size()) == tail);
}
