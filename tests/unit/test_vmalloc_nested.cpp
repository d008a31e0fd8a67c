// vmalloc of more than PAGE_SIZE / sizeof(struct page *) = 1024 pages: the page-pointer
// array is itself vmalloc'ed (VM_VPAGES) before the data pages (v2.6.18 mm/vmalloc.c
// __vmalloc_area_node: "if (array_size > PAGE_SIZE) pages = __vmalloc_node(array_size, ...)";
// v2.6.28, v2.6.37 and v6.1 the same, with the area's caller).  Every number is derived in the
// comments; the trace goes through buddyctl's stream path (test_buddy_replay.hpp).
#include <catch2/catch.hpp>

#include "test_buddy_replay.hpp"

using namespace kmemkit;
using buddy_test::lines_starting;
using buddy_test::replay;
using buddy_test::simulation;

TEST_CASE("vmalloc 8 MB on 2.6.18 (omap5912-osk): nested 12 KB page-array area first", "[vmalloc][nested]") {
    // 8 MB = 2048 pages; array_size = 2048 * 4 = 8192 > PAGE_SIZE -> __vmalloc_node(8192):
    //   outer area: get_vm_area(8M) + guard = 0xc4800000..0xc5001000 (VMALLOC_START 0xc4800000,
    //   first fit); nested: 8192 + guard = 12 KB at the first fit after it, 0xc5001000..0xc5004000,
    //   its own array (2 * 4 bytes) kmalloc'ed (slab: no buddy page in the model).
    // vmalloc(4096) then goes to 0xc5004000 (4 KB + guard: ..0xc5006000).
    // VmallocUsed (v2.6.18 get_vmalloc_info: sum of vm->size, guards included):
    //   8196 + 12 + 8 = 8216 kB; VmallocChunk: 188416 - (0xc5006000 - 0xc4800000) / 1024 = 180200 kB.
    // Pages: boot left 16 order-10 blocks, the last one completed (0x13c00) at the list head.
    // The nested area's two pages come first: 0x13c00 (split of 0x13c00; 0x13e00 o9 .. 0x13c01 o0
    // go back) and 0x13c01; the data pages follow ascending from 0x13c02 ("2 frames later"):
    // 0x13c02..0x13fff (1022 pages), then the next head block 0x13800..0x13bff (1024), then
    // 0x13400, 0x13401; the 4 KB area gets 0x13402.
    Simulation sim = simulation("omap5912-osk");
    Replayer rep(*sim.buddy, *sim.vm, false, sim.pae);
    const std::string boot = sim.buddy->buddyinfo();
    auto r = replay(rep, "vmalloc size=8M id=big\nvmalloc size=4096 id=s\nvmalloc_info\n");
    CHECK(r.errors == 0);
    auto vm = lines_starting(r.out, "vmalloc ");
    REQUIRE(vm.size() == 2);
    CHECK(vm[0] == "vmalloc size=8M id=big va=0xc4800000 pages=2048");
    CHECK(vm[1] == "vmalloc size=4096 id=s va=0xc5004000 pages=1");
    auto maps = lines_starting(r.out, "map ");
    REQUIRE(maps.size() == 2 + 2048 + 1);
    CHECK(maps[0] == "map va=0xc5001000 pa=0x13c00000 id=big array=pages");
    CHECK(maps[1] == "map va=0xc5002000 pa=0x13c01000 id=big array=pages");
    CHECK(maps[2] == "map va=0xc4800000 pa=0x13c02000 id=big");
    CHECK(maps[2 + 1021] == "map va=0xc4bfd000 pa=0x13fff000 id=big");
    CHECK(maps[2 + 1022] == "map va=0xc4bfe000 pa=0x13800000 id=big");
    CHECK(maps[2 + 2046] == "map va=0xc4ffe000 pa=0x13400000 id=big");
    CHECK(maps[2 + 2047] == "map va=0xc4fff000 pa=0x13401000 id=big");
    CHECK(maps[2 + 2048] == "map va=0xc5004000 pa=0x13402000 id=s");
    CHECK(r.out.find("0xc4800000-0xc5001000 8392704 big pages=2048 vmalloc vpages\n"
                     "0xc5001000-0xc5004000   12288 big pages=2 vmalloc\n"
                     "0xc5004000-0xc5006000    8192 s pages=1 vmalloc\n"
                     "VmallocTotal:   188416 kB\nVmallocUsed:      8216 kB\nVmallocChunk:   180200 kB\n") !=
          std::string::npos);
    // vfree: remove_vm_area(big) (PTEs cleared), the 2048 pages, then vfree(area->pages): two unmap
    // lines, both areas gone from the vmlist at once (2.6.18), every page back in the buddy lists
    auto f = replay(rep, "vfree id=big\nvfree id=s\nvmalloc_info\n");
    CHECK(f.out.find("vfree id=big va=0xc4800000 pages=2048\n"
                     "unmap va=0xc4800000 pages=2048 id=big\n"
                     "unmap va=0xc5001000 pages=2 id=big\n"
                     "vfree id=s va=0xc5004000 pages=1\n"
                     "unmap va=0xc5004000 pages=1 id=s\n") == 0);
    CHECK(f.out.find("VmallocUsed:         0 kB\nVmallocChunk:   188416 kB\n") != std::string::npos);
    CHECK(sim.buddy->buddyinfo() == boot);
    CHECK(sim.buddy->verify() == "");
}

TEST_CASE("vmalloc 4 MB + 4 KB is the smallest size with a nested array", "[vmalloc][nested]") {
    // 1024 pages: array_size 4096 = PAGE_SIZE, not greater -> kmalloc, one area (4 MB + guard);
    // 1025 pages: 4100 bytes -> nested __vmalloc_node(4100) = 2 pages + guard = 12 KB
    std::string out = buddy_test::replay_on("omap5912-osk", "vmalloc size=4M id=a\nvmalloc size=0x401000 id=b\nvmalloc_info\n");
    CHECK(out.find("0xc4800000-0xc4c01000 4198400 a pages=1024 vmalloc\n"
                     "0xc4c01000-0xc5003000 4202496 b pages=1025 vmalloc vpages\n"
                     "0xc5003000-0xc5006000   12288 b pages=2 vmalloc\n") != std::string::npos);
    CHECK(lines_starting(out, "map ").size() == 1024 + 2 + 1025);
}

TEST_CASE("vmalloc 8 MB on 2.6.28 (extra page walk) and 6.1 (pages counted)", "[vmalloc][nested]") {
    // s3c6410 (2.6.28), VMALLOC_START 0xd0800000: outer 0xd0800000..0xd1001000; v2.6.28 alloc_vmap_area
    // moves addr = ALIGN(va_end + PAGE_SIZE): nested at 0xd1002000..0xd1005000, then the 4 KB
    // area at 0xd1006000.  VmallocUsed 8196 + 12 + 8 = 8216 kB (sum of vm->size).
    const std::string trace = "vmalloc size=8M id=big\nvmalloc size=4096 id=s\nvmalloc_info\n";
    std::string a = buddy_test::replay_on("s3c6410", trace);
    CHECK(a.find("0xd0800000-0xd1001000 8392704 big pages=2048 vmalloc vpages\n"
                     "0xd1002000-0xd1005000   12288 big pages=2 vmalloc\n"
                     "0xd1006000-0xd1008000    8192 s pages=1 vmalloc\n"
                     "VmallocTotal:     253952 kB\nVmallocUsed:        8216 kB\n") != std::string::npos);
    // qemu-virt-arm (6.1), VMALLOC_START 0xf0800000, lowest fit: nested right after the outer
    // area (0xf1001000..0xf1004000), the 4 KB area at 0xf1004000.  v6.1 VmallocUsed =
    // vmalloc_nr_pages(): nr_vmalloc_pages grows by area->nr_pages for the nested area too:
    // 2048 + 2 + 1 = 2051 pages = 8204 kB.
    std::string b = buddy_test::replay_on("qemu-virt-arm", trace);
    CHECK(b.find("0xf0800000-0xf1001000 8392704 big pages=2048 vmalloc vpages\n"
                     "0xf1001000-0xf1004000   12288 big pages=2 vmalloc\n"
                     "0xf1004000-0xf1006000    8192 s pages=1 vmalloc\n") != std::string::npos);
    CHECK(b.find("VmallocUsed:        8204 kB\n") != std::string::npos);
}
