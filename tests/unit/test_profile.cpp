// Profile validation: every error that comes from a profile value names its
// file:line:col; overrides that contradict the profile name the override.
// vmalloc_end per kernel version, as the machines' mach/vmalloc.h changed.
#include <catch2/catch.hpp>

#include <string>

#include "kmemkit/error.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"

using namespace kmemkit;

namespace {
// The Error a profile text raises (or an empty one).
Error parse_error(const std::string& yaml) {
    try {
        (void)parse_profile(yaml, "t.yaml");
    } catch (const Error& e) {
        return e;
    }
    return Error("");
}
Error board_error(const std::string& profile, const BoardOverrides& o) {
    try {
        (void)make_board(load_profile(profile), o);
    } catch (const Error& e) {
        return e;
    }
    return Error("");
}
uint32_t vmalloc_end_for(const std::string& profile, const char* kernel, const char* vmsplit = nullptr) {
    BoardOverrides o;
    o.kernel = kernel;
    if (vmsplit) o.vmsplit = vmsplit;
    return compute_layout(make_board(load_profile(profile), o)).vmalloc_end;
}
const std::string arm_head = "name: t\narch: arm\nkernel: 2.6.32\n";
const std::string x86_head = "name: t\narch: x86\nkernel: 2.6.32\nfixmap: {start: 0xfff4e000}\n";
}  // namespace

TEST_CASE("profile errors carry file:line:col") {
    // RAM below phys_offset: the bank's position
    Error e = parse_error(arm_head + "phys_offset: 0x50000000\nvmalloc_end: 0xe0000000\nram:\n"
                                     "  - {start: 0x50000000, size: 256M}\n  - {start: 0x40000000, size: 64M}\n");
    CHECK(e.file == "t.yaml");
    CHECK(e.line == 8);
    CHECK(e.col == 5);
    CHECK(std::string(e.what()) ==
          "ram bank 0x40000000-0x43ffffff starts below phys_offset 0x50000000: __va() maps PHYS_OFFSET to PAGE_OFFSET, so "
          "RAM below it has no linear address");
    // a pre-3.4 ARM kernel without vmalloc_end: the kernel: value that needs it
    e = parse_error(arm_head + "ram: [{start: 0, size: 64M}]\n");
    CHECK(e.line == 3);
    CHECK(e.col == 9);
    CHECK(std::string(e.what()).find("takes VMALLOC_END from the machine's mach/vmalloc.h") != std::string::npos);
    // a malformed value inside cmdline: the column of the bad character, quoted or plain
    e = parse_error("name: t\narch: arm\nkernel: 3.10\nram: [{start: 0, size: 64M}]\ncmdline: \"console=ttyS0 vmalloc=12Q\"\n");
    CHECK(e.line == 5);
    CHECK(e.col == 35);   // the Q: 'cmdline: "' is 10 columns, the value starts at 11, Q is its 25th character
    CHECK(std::string(e.what()).rfind("cmdline: vmalloc= size '12Q'", 0) == 0);
    e = parse_error("name: t\narch: arm\nkernel: 3.10\nram: [{start: 0, size: 64M}]\ncmdline: console=ttyS0 vmalloc=12Q\n");
    CHECK(e.line == 5);
    CHECK(e.col == 34);
}

TEST_CASE("profile errors: contradictory configurations") {
    Error e = parse_error(x86_head + "ram: [{start: 0, size: 256M}]\nvmalloc_end: 0xf8000000\n");
    CHECK(e.line == 6);
    CHECK(e.col == 14);
    CHECK(std::string(e.what()).find("x86 has no machine VMALLOC_END") == 0);
    e = parse_error(x86_head + "ram: [{start: 0, size: 256M}]\nconfig:\n  thumb2: true\n");
    CHECK(e.line == 7);
    CHECK(e.col == 11);
    CHECK(std::string(e.what()) == "thumb2 (CONFIG_THUMB2_KERNEL) is an ARM option; x86 has none");
    // arch/x86/Kconfig: VMSPLIT_2G_OPT and VMSPLIT_3G_OPT depend on !X86_PAE
    for (const char* split : {"2G_OPT", "3G_OPT"}) {
        e = parse_error(x86_head + "ram: [{start: 0, size: 256M}]\nconfig:\n  pae: true\n  vmsplit: " + split + "\n");
        CHECK(e.line == 8);
        CHECK(e.col == 12);
        CHECK(std::string(e.what()) ==
              std::string("VMSPLIT_") + split + " depends on !X86_PAE (arch/x86/Kconfig): a PAE kernel offers 3G, 2G or 1G");
    }
    CHECK(std::string(parse_error(x86_head + "ram: [{start: 0, size: 256M}]\nconfig: {vmsplit: 2G_OPT}\n").what()).empty());
    // ARM VMSPLIT_3G_OPT: arch/arm/Kconfig from 4.4
    e = parse_error("name: t\narch: arm\nkernel: 4.1\nram: [{start: 0x40000000, size: 1G}]\nconfig: {vmsplit: 3G_OPT}\n");
    CHECK(e.line == 5);
    CHECK(std::string(e.what()) == "VMSPLIT_3G_OPT came to ARM in Linux 4.4 (arch/arm/Kconfig); Linux 4.1 offers 3G, 2G or 1G");
    CHECK(std::string(parse_error("name: t\narch: arm\nkernel: 4.4\nram: [{start: 0x40000000, size: 1G}]\n"
                                  "config: {vmsplit: 3G_OPT}\n")
                          .what())
              .empty());
}

TEST_CASE("override errors name the override") {
    BoardOverrides o;
    o.vmsplit = "2G_OPT";
    Error e = board_error("pc-i386-pae", o);
    CHECK(e.file.empty());
    CHECK(std::string(e.what()) == "--vmsplit 2G_OPT: VMSPLIT_2G_OPT depends on !X86_PAE (arch/x86/Kconfig): a PAE kernel "
                                   "offers 3G, 2G or 1G (profile pc-i386-pae)");
    CHECK(std::string(board_error("pc-i386", o).what()).empty());   // non-PAE: fine
    BoardOverrides a;
    a.vmsplit = "3G_OPT";
    CHECK(std::string(board_error("imx6q", a).what()).rfind("--vmsplit 3G_OPT: VMSPLIT_3G_OPT came to ARM in Linux 4.4", 0) == 0);
    a.kernel = "4.9";
    CHECK(std::string(board_error("imx6q", a).what()).empty());
    BoardOverrides r;
    r.ram = {MemBank{0x40000000, 128ull << 20}};
    CHECK(std::string(board_error("s3c6410", r).what()).rfind("--ram: ram bank 0x40000000-0x47ffffff starts below phys_offset "
                                                               "0x50000000",
                                                               0) == 0);
}

TEST_CASE("vmalloc_end per kernel version: RealView ends vmalloc at 0xf8000000 on 2.6.29+ and 0xd8000000 before") {
    // mach-realview/include/mach/vmalloc.h: PAGE_OFFSET + 0x18000000 (v2.6.18, v2.6.28), 0xf8000000 (v2.6.29..)
    CHECK(vmalloc_end_for("realview", "2.6.32") == 0xf8000000u);
    CHECK(vmalloc_end_for("realview", "2.6.29") == 0xf8000000u);
    CHECK(vmalloc_end_for("realview", "2.6.28") == 0xd8000000u);
    CHECK(vmalloc_end_for("realview", "2.6.18") == 0xd8000000u);
    CHECK(vmalloc_end_for("realview", "2.6.28", "2G") == 0x98000000u);   // PAGE_OFFSET-relative before 2.6.29
    CHECK(vmalloc_end_for("realview", "2.6.32", "2G") == 0xf8000000u);   // absolute after
    // S3C6410: 0xE0000000 (FriendlyARM tiny6410 v2.6.28.6, v2.6.29-v2.6.34 plat-s3c), 0xF6000000 (v2.6.37 mach-s3c64xx), generic 0xff000000 from 3.4
    CHECK(vmalloc_end_for("s3c6410", "2.6.28.6") == 0xe0000000u);
    CHECK(vmalloc_end_for("s3c6410", "2.6.34") == 0xe0000000u);
    CHECK(vmalloc_end_for("s3c6410", "2.6.37") == 0xf6000000u);
    CHECK(vmalloc_end_for("s3c6410", "3.4") == 0xff000000u);
    // OMAP1: PAGE_OFFSET + 0x10000000 to 2.6.30, + 0x18000000 from 2.6.31
    CHECK(vmalloc_end_for("omap5912-osk", "2.6.18") == 0xd0000000u);
    CHECK(vmalloc_end_for("omap5912-osk", "2.6.30") == 0xd0000000u);
    CHECK(vmalloc_end_for("omap5912-osk", "2.6.31") == 0xd8000000u);
}

TEST_CASE("vmalloc_end mappings are validated") {
    const std::string ram = "ram: [{start: 0, size: 64M}]\n";
    Profile p = parse_profile(arm_head + ram + "vmalloc_end:\n  2.6.29: 0xf8000000\n  2.6.18: PAGE_OFFSET + 0x18000000\n",
                              "t.yaml");
    REQUIRE(p.vmalloc_end_rules.size() == 2);
    CHECK(p.vmalloc_end_rules[0].since->text == "2.6.18");   // sorted by version
    CHECK(p.vmalloc_end_rules[0].page_offset_relative);
    CHECK(*p.vmalloc_end == 0xf8000000u);
    Error e = parse_error(arm_head + ram + "vmalloc_end:\n  2.6.29: 0xf8000000\n  2.6.29.0: 0xe0000000\n");
    CHECK(e.line == 7);
    CHECK(std::string(e.what()) == "vmalloc_end: version 2.6.29.0 is given twice (as 2.6.29)");
    e = parse_error(arm_head + ram + "vmalloc_end:\n  two: 0xf8000000\n");
    CHECK(e.line == 6);
    CHECK(std::string(e.what()).rfind("vmalloc_end: kernel version 'two'", 0) == 0);
    e = parse_error(arm_head + ram + "vmalloc_end: PAGE_OFFSET - 0x1000\n");
    CHECK(e.line == 5);
    CHECK(std::string(e.what()) == "vmalloc_end 'PAGE_OFFSET - 0x1000' is not PAGE_OFFSET + SIZE");
    e = parse_error(arm_head + ram + "vmalloc_end: {}\n");
    CHECK(std::string(e.what()) == "vmalloc_end mapping is empty");
    // the mapping must cover the profile's kernel
    e = parse_error(arm_head + ram + "vmalloc_end:\n  2.6.35: 0xf6000000\n");
    CHECK(e.line == 6);
    CHECK(std::string(e.what()).find("Linux 2.6.32 takes VMALLOC_END") == 0);
    // and an override that leaves it uncovered is named, at the mapping's position
    Profile q = parse_profile(arm_head + ram + "vmalloc_end:\n  2.6.29: 0xf8000000\n", "q.yaml");
    BoardOverrides o;
    o.kernel = "2.6.28";
    try {
        (void)make_board(q, o);
        FAIL("no error");
    } catch (const Error& err) {
        CHECK(err.file == "q.yaml");
        CHECK(err.line == 6);
        CHECK(std::string(err.what()).rfind("with --kernel 2.6.28: Linux 2.6.28 takes VMALLOC_END", 0) == 0);
    }
}
