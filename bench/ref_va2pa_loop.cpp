// The reference of `va2pa --stream` on plain lines (bench/ratios.sh): a short hand-written loop that
// reads `va=0x........` lines in large blocks, translates each through the linear map and writes
// the annotation va2pa writes ("region=lowmem pa= pfn= zone="), nothing else: no classification,
// no general parse, no learned mappings.  The board's constants (PAGE_OFFSET, high_memory,
// PHYS_OFFSET, the zones) come from libcore once; the per-line work is all here.  It refuses a
// line it does not handle (exit 2), so a ratio is never taken over different work.
// Usage: ref_va2pa_loop [-p PROFILE] < plain > out
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/zones.hpp"

using namespace kmemkit;

namespace {
struct ZoneRange {
    uint64_t start, end;
    std::string name;
};

struct HexTable {
    signed char v[256];
    HexTable() {
        std::memset(v, -1, sizeof v);
        for (int c = 0; c < 10; ++c) v['0' + c] = char(c);
        for (int c = 0; c < 6; ++c) v['a' + c] = v['A' + c] = char(10 + c);
    }
};
const HexTable kHexTable;

char* put_hex(char* o, uint64_t v, int min_digits) {
    static const char digits[] = "0123456789abcdef";
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = digits[v & 15];
        v >>= 4;
    } while (v);
    while (n < min_digits) tmp[n++] = '0';
    *o++ = '0';
    *o++ = 'x';
    while (n) *o++ = tmp[--n];
    return o;
}
}  // namespace

int main(int argc, char** argv) {
    std::string profile = "imx6q";
    if (argc == 3 && std::strcmp(argv[1], "-p") == 0) profile = argv[2];
    Board b = make_board(load_profile(profile), {});
    Layout l = compute_layout(b);
    NodeMemory nm = compute_zones(b, l);
    std::vector<ZoneRange> zones;
    for (const auto& z : nm.zones)
        for (const auto& r : z.present) zones.push_back({r.start, r.end, z.name});
    const uint64_t lo = l.page_offset, hi = l.high_memory, phys = l.phys_offset;

    std::vector<char> in(1 << 20), out(1 << 21);
    size_t have = 0, line_no = 0;
    char* o = out.data();
    for (;;) {
        ssize_t r = read(0, in.data() + have, in.size() - have);
        if (r < 0) return 2;
        size_t end = have + size_t(r), pos = 0;
        for (;;) {
            const char* nl = static_cast<const char*>(std::memchr(in.data() + pos, '\n', end - pos));
            if (!nl) break;
            const char* p = in.data() + pos;
            const size_t len = size_t(nl - p);
            ++line_no;
            uint64_t va = 0;
            size_t i = 5;
            if (len < 6 || std::memcmp(p, "va=0x", 5) != 0) goto refuse;
            for (; i < len; ++i) {
                const int d = kHexTable.v[static_cast<unsigned char>(p[i])];
                if (d < 0) goto refuse;
                va = va << 4 | uint64_t(d);
            }
            if (va < lo || va >= hi) goto refuse;
            {
                const uint64_t pa = va - lo + phys, pfn = pa >> 12;
                const ZoneRange* zone = nullptr;
                for (const auto& z : zones)
                    if (pfn >= z.start && pfn < z.end) {
                        zone = &z;
                        break;
                    }
                if (!zone) goto refuse;
                if (size_t(o - out.data()) + len + 96 > out.size()) {
                    if (write(1, out.data(), size_t(o - out.data())) < 0) return 2;
                    o = out.data();
                }
                std::memcpy(o, p, len);
                o += len;
                std::memcpy(o, " region=lowmem pa=", 18);
                o = put_hex(o + 18, pa, 8);
                std::memcpy(o, " pfn=", 5);
                o = put_hex(o + 5, pfn, 0);
                std::memcpy(o, " zone=", 6);
                o += 6;
                std::memcpy(o, zone->name.data(), zone->name.size());
                o += zone->name.size();
                *o++ = '\n';
            }
            pos += len + 1;
            continue;
        refuse:
            std::fprintf(stderr, "ref_va2pa_loop: line %zu is not a lowmem va=0x... line\n", line_no);
            return 2;
        }
        std::memmove(in.data(), in.data() + pos, end - pos);
        have = end - pos;
        if (r == 0) break;
    }
    if (have) {
        std::fprintf(stderr, "ref_va2pa_loop: the last line has no newline\n");
        return 2;
    }
    if (write(1, out.data(), size_t(o - out.data())) < 0) return 2;
    return 0;
}
