// The reading layer of vmlayout --from-dmesg: published forms of a boot log
// in, the kernel's own lines out (dmesg_reader.hpp).  The whole corpus in
// every form is tests/dmesg_forms.py; these are the rules one by one.
#include <catch2/catch.hpp>


#include "kmemkit/dmesg.hpp"
#include "kmemkit/dmesg_reader.hpp"

using namespace kmemkit;

namespace {
std::vector<std::string> texts(const ReadLog& r) {
    std::vector<std::string> v;
    for (const auto& l : r.lines) v.push_back(l.text);
    return v;
}
}  // namespace

TEST_CASE("dmesg reader: record prefixes of every common form", "[dmesg][reader]") {
    const char* forms[] = {
        "[    0.000000] Memory: 123868K/131072K available\n",
        "<6>[    0.000000] Memory: 123868K/131072K available\n",
        "Dec 06 12:00:00 host kernel: Memory: 123868K/131072K available\n",
        "Dec  6 12:00:00 host kernel: [    0.000000] Memory: 123868K/131072K available\n",
        "2026-12-06T12:00:00+0100 host kernel: Memory: 123868K/131072K available\n",
        "[Sun Dec  6 12:00:00 2026] Memory: 123868K/131072K available\n",
        "kern  :info  : [    0.000000] Memory: 123868K/131072K available\n",
        "6,123,0,-;Memory: 123868K/131072K available\n",
        "[    0.000000][    T0] Memory: 123868K/131072K available\n",
        "    > >> [    0.000000] Memory: 123868K/131072K available   \r\n",
        "&gt; [    0.000000] Memory: 123868K/131072K available\n",
    };
    for (const char* f : forms) {
        INFO(f);
        ReadLog r = read_published_log(f);
        REQUIRE(r.lines.size() == 1);
        CHECK(r.lines[0].text == "Memory: 123868K/131072K available");
        CHECK(r.lines[0].lineno == 1);
    }
}

TEST_CASE("dmesg reader: the publishing indentation goes, the kernel's stays", "[dmesg][reader]") {
    // a markdown code block of a log without timestamps
    ReadLog r = read_published_log("    Zone ranges:\n      Normal   [mem 0x0-0x1]\n\n    Virtual kernel memory layout:\n"
                                   "        vector  : 0xffff0000 - 0xffff1000   (   4 kB)\n          .text : 0xc0008000 - "
                                   "0xc0600000   (6112 kB)\n");
    CHECK(texts(r) == std::vector<std::string>{"Zone ranges:", "  Normal   [mem 0x0-0x1]", "Virtual kernel memory layout:",
                                               "    vector  : 0xffff0000 - 0xffff1000   (   4 kB)",
                                               "      .text : 0xc0008000 - 0xc0600000   (6112 kB)"});
    CHECK(r.lines[1].lineno == 2);
    CHECK(r.lines[2].lineno == 4);   // the blank line counted, not kept
    CHECK_THAT(r.report.summary(), Catch::Contains("4-space indentation") && Catch::Contains("1 blank line"));
    // a quoted block: the indentation after the quote marks
    r = read_published_log("> Zone ranges:\n>   Normal   [mem 0x0-0x1]\n");
    CHECK(texts(r) == std::vector<std::string>{"Zone ranges:", "  Normal   [mem 0x0-0x1]"});
}

TEST_CASE("dmesg reader: multi-line records", "[dmesg][reader]") {
    // dmesg(1): continuation lines without a timestamp, indented under the text
    ReadLog r = read_published_log("[    0.147476] virtual kernel memory layout:\n"
                                   "                    fixmap  : 0xfff8f000 - 0xfffff000   ( 448 kB)\n");
    REQUIRE(r.lines.size() == 2);
    CHECK(r.lines[1].text.find("fixmap  : 0xfff8f000") != std::string::npos);
    CHECK(r.lines[1].lineno == 2);
    // /dev/kmsg: one record, its newlines escaped
    r = read_published_log("5,47,147476,-;virtual kernel memory layout:\\x0a    fixmap  : 0xfff8f000 - 0xfffff000   ( 448 kB)\n");
    CHECK(texts(r) == std::vector<std::string>{"virtual kernel memory layout:", "    fixmap  : 0xfff8f000 - 0xfffff000   ( 448 kB)"});
    CHECK(r.lines[1].lineno == 1);
    CHECK(r.report.split == 1);
}

TEST_CASE("dmesg reader: wrapped lines are rejoined, cut lines marked", "[dmesg][reader]") {
    // the rest of a line on a line of its own, without a timestamp
    ReadLog r = read_published_log("[    0.000000] Kernel command line: console=ttyS0,115200 root=/dev/mmcblk0p2 rootwait\n"
                                   "mem=128M vmalloc=256M\n[    0.000000] PID hash table entries: 512\n");
    REQUIRE(r.lines.size() == 2);
    CHECK(r.lines[0].text == "Kernel command line: console=ttyS0,115200 root=/dev/mmcblk0p2 rootwait mem=128M vmalloc=256M");
    CHECK(r.report.rejoined == 1);
    // a mail's wrap of a log without timestamps: "Linux version", "Memory:" and the command line
    r = read_published_log("Linux version 4.9.52\n(dev@host) (gcc version 4.9.3\n(Buildroot) ) #1 Wed Aug 14 12:40:57 UTC\n2019\n"
                           "Kernel command line: console=ttyS0,115200\nmem=64M rootwait\nPID hash table entries: 512\n"
                           "Memory: 121208K/131072K available (5120K kernel code, 175K rwdata,\n1324K rodata)\n");
    CHECK(texts(r) == std::vector<std::string>{
                          "Linux version 4.9.52 (dev@host) (gcc version 4.9.3 (Buildroot) ) #1 Wed Aug 14 12:40:57 UTC 2019",
                          "Kernel command line: console=ttyS0,115200 mem=64M rootwait", "PID hash table entries: 512",
                          "Memory: 121208K/131072K available (5120K kernel code, 175K rwdata, 1324K rodata)"});
    // an 80-column capture: lines ending at the width are cut, not continued
    std::string log;
    for (int k = 0; k < 4; ++k) log += "[    0.000000] " + std::string(65, char('a' + k)) + "\n";
    log += "[    0.000000] short\n";
    r = read_published_log(log);
    REQUIRE(r.lines.size() == 5);
    CHECK(r.lines[0].cut);
    CHECK_FALSE(r.lines[4].cut);
    CHECK(r.report.cut_width == 80);
}

TEST_CASE("dmesg reader: journalctl -b keeps the kernel's lines only", "[dmesg][reader]") {
    ReadLog r = read_published_log("-- Boot 0123 --\nDec 06 12:00:00 host kernel: Linux version 6.1.0 (x@y) #1\n"
                                   "Dec 06 12:00:01 host systemd[1]: Started Session 1.\n"
                                   "Dec 06 12:00:00 host kernel: Memory: 123868K/131072K available\n");
    CHECK(texts(r) == std::vector<std::string>{"Linux version 6.1.0 (x@y) #1",
                                               "Memory: 123868K/131072K available"});
    CHECK(r.report.other_programs == 1);
}

TEST_CASE("dmesg reader: a 16 MiB journal is read whole", "[dmesg][reader]") {
    // every line read, its syslog prefix and timestamp removed (its speed is bench's business,
    // not a timing assertion here)
    const std::string line =
        "Dec 06 12:00:00 host kernel: [    1.234567] usb 1-1: new high-speed USB device number 2 using ehci-pci\n";
    std::string log;
    size_t n = 0;
    for (; log.size() < (size_t(16) << 20); ++n) log += line;
    ReadLog r = read_published_log(log);
    REQUIRE(r.lines.size() == n);
    size_t same = 0;
    for (const auto& l : r.lines) same += l.text == "usb 1-1: new high-speed USB device number 2 using ehci-pci";
    CHECK(same == n);
}
