// vmalloc address-space model: the guard page and the search of each era
// (v2.6.18 vmlist first fit, v2.6.28 vmap_area walk with the extra page, v3.0.1 free
// cache, v6.1 lowest fit), lazy purge, ioremap alignment, failure messages.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <random>

#include "kmemkit/trace.hpp"
#include "kmemkit/vmalloc.hpp"

using namespace kmemkit;

namespace {
VmallocSpace space(const char* kernel, uint64_t start = 0xc4800000, uint64_t end = 0xd0000000, Arch a = Arch::arm,
                   bool pae = false, unsigned nr_cpus = 1) {
    return VmallocSpace(start, end, mm_era_for(parse_kernel_version(kernel)), a, pae, nr_cpus);
}
}  // namespace

TEST_CASE("seed: two vmalloc(PAGE_SIZE) on 2.6.18 are 8 KB apart from VMALLOC_START", "[vmalloc]") {
    // OMAP5912 2.6.18: VMALLOC_START 0xc4800000; each area = 4 KB + 4 KB guard (v2.6.18)
    VmallocSpace vs = space("2.6.18");
    VmapResult a = vs.get_area(4096, false, "v1"), b = vs.get_area(4096, false, "v2");
    CHECK(a.addr == 0xc4800000);
    CHECK(b.addr == 0xc4802000);
    // vmlist: removal is immediate, the hole is reused at once (first fit)
    vs.remove_area(a.area);
    CHECK(vs.get_area(4096, false, "v3").addr == 0xc4800000);
}

TEST_CASE("2.6.28: 0x3000 stride and lazily freed ranges", "[vmalloc]") {
    // v2.6.28 alloc_vmap_area: addr = ALIGN(va_end + PAGE_SIZE): 0xc4800000, then 0xc4802000 + 0x1000
    VmallocSpace vs = space("2.6.28");
    VmapResult a = vs.get_area(4096, false, "v1"), b = vs.get_area(4096, false, "v2");
    CHECK(a.addr == 0xc4800000);
    CHECK(b.addr == 0xc4803000);
    // vfree is lazy: the range stays busy until more than lazy_max_pages (8192 on UP) are freed
    vs.remove_area(a.area);
    CHECK(vs.lazy_pages() == 2);
    CHECK(vs.get_area(4096, false, "v3").addr == 0xc4806000);
    vs.purge();
    CHECK(vs.get_area(4096, false, "v4").addr == 0xc4800000);
}

TEST_CASE("3.0 and 6.1: 0x2000 stride", "[vmalloc]") {
    for (const char* k : {"3.0", "6.1"}) {
        VmallocSpace vs = space(k);
        CHECK(vs.get_area(4096, false, "a").addr == 0xc4800000);
        CHECK(vs.get_area(4096, false, "b").addr == 0xc4802000);
        CHECK(vs.get_area(8192, false, "c").addr == 0xc4804000);
    }
}

TEST_CASE("3.0 free_vmap_cache: a purged hole below the cache is found again", "[vmalloc]") {
    VmallocSpace vs = space("3.0");
    VmapResult a = vs.get_area(4096, false, "a");
    vs.get_area(4096, false, "b");
    vs.remove_area(a.area);
    vs.purge();   // __free_vmap_area: a.start <= cache start -> cache = rb_prev(a) = NULL
    CHECK(vs.get_area(4096, false, "c").addr == 0xc4800000);
}

TEST_CASE("ioremap alignment", "[vmalloc]") {
    // ARM IOREMAP_MAX_ORDER 24; 2.6.18 align = 1 << fls(size): 1 MB -> fls(0x100000) = 21 -> 2 MB
    VmallocSpace vs = space("2.6.18");
    vs.get_area(4096, false, "v");
    CHECK(vs.ioremap_align_order(0x100000) == 21);
    CHECK(vs.get_area(0x100000, true, "io").addr == 0xc4a00000);
    // 6.1 uniprocessor without LPAE: get_count_order(1 MB) = 20 -> 1 MB alignment; IOREMAP_MAX_ORDER
    // is still 24 there (arch/arm/include/asm/memory.h: #if !defined(CONFIG_SMP) &&
    // !defined(CONFIG_ARM_LPAE) #define IOREMAP_MAX_ORDER 24)
    VmallocSpace v6 = space("6.1");
    CHECK(v6.ioremap_align_order(0x100000) == 20);
    CHECK(v6.ioremap_align_order(64u << 20) == 24);   // clamped to IOREMAP_MAX_ORDER
    // ... but an SMP or LPAE kernel from 4.0 gets include/linux/vmalloc.h's 7 + PAGE_SHIFT = 19
    // (128 pages): 1 MB -> 19, as a Debian armmp (SMP, 8 cpus) or armmp-lpae kernel does
    CHECK(space("6.1", 0xf0800000, 0xff800000, Arch::arm, false, 8).ioremap_align_order(0x100000) == 19);
    CHECK(space("6.1", 0xf0800000, 0xff800000, Arch::arm, true, 1).ioremap_align_order(0x100000) == 19);
    CHECK(space("6.1", 0xf0800000, 0xff800000, Arch::arm, false, 8).ioremap_align_order(0x4000) == 14);
    // before 4.0 every ARM kernel had 24: 3.10 SMP (imx6q, 4 cpus) aligns 16 MB areas to 16 MB
    CHECK(space("3.10", 0xf0000000, 0xff000000, Arch::arm, false, 4).ioremap_align_order(16u << 20) == 24);
    // x86 2.6.18: the generic IOREMAP_MAX_ORDER 7 + PAGE_SHIFT = 19
    VmallocSpace x = space("2.6.18", 0xf8800000, 0xff7fe000, Arch::x86);
    CHECK(x.ioremap_align_order(16u << 20) == 19);
}

TEST_CASE("vmap failure messages of each era", "[vmalloc]") {
    // 16 KB of space; 16 KB + guard does not fit
    VmapResult r = space("2.6.18", 0x1000000, 0x1004000).get_area(0x4000, false, "x");
    CHECK(!r.ok);
    CHECK(r.message == "allocation failed: out of vmalloc space - use vmalloc=<size> to increase size.");
    // mm/vmalloc.c@v2.6.28 has no size; v2.6.29 adds it (commit c1279c4ef37)
    r = space("2.6.28", 0x1000000, 0x1004000).get_area(0x4000, false, "x");
    CHECK(r.message == "vmap allocation failed: use vmalloc=<size> to increase size.");
    r = space("2.6.29", 0x1000000, 0x1004000).get_area(0x4000, false, "x");
    CHECK(r.message == "vmap allocation for size 20480 failed: use vmalloc=<size> to increase size.");
    r = space("3.10", 0x1000000, 0x1004000).get_area(0x4000, false, "x");
    CHECK(r.message == "vmap allocation for size 20480 failed: use vmalloc=<size> to increase size.");
    r = space("6.1", 0x1000000, 0x1004000).get_area(0x4000, false, "x");
    CHECK(r.message == "vmap allocation for size 20480 failed: use vmalloc=<size> to increase size");
    // exactly fitting: 12 KB + guard = 16 KB
    CHECK(space("6.1", 0x1000000, 0x1004000).get_area(0x3000, false, "x").ok);
}

TEST_CASE("meminfo Vmalloc lines", "[vmalloc]") {
    // 2.6.18 OMAP: VmallocTotal 0xd0000000 - 0xc4800000 = 188416 kB; one 4 KB area: Used 8 kB
    // (guard included), Chunk = 188416 - 8 = 188408 kB (the tail after the area)
    VmallocSpace vs = space("2.6.18");
    vs.get_area(4096, false, "v1");
    std::string t = vmalloc_info_text(vs, 1, false);
    CHECK(t.find("VmallocTotal:   188416 kB\nVmallocUsed:         8 kB\nVmallocChunk:   188408 kB\n") !=
          std::string::npos);
    CHECK(t.find("0xc4800000-0xc4802000    8192 v1 vmalloc\n") != std::string::npos);
}

