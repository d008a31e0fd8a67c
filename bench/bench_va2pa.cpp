// bench_va2pa: the va2pa --stream hot path (LineReader -> parse -> translate
// -> OutBuf) over N generated `va=0x...` lines, written to /dev/null.
// Usage: bench_va2pa [N] [PROFILE]   (default 10000000 imx6q)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include "kmemkit/number.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/stream.hpp"
#include "kmemkit/translate.hpp"

using namespace kmemkit;

int main(int argc, char** argv) {
    uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000000;
    std::string prof = argc > 2 ? argv[2] : "imx6q";
    Board b = make_board(load_profile(prof), {});
    Layout l = compute_layout(b);
    NodeMemory nm = compute_zones(b, l);
    Translator tr(b, l, nm);
    char path[] = "/tmp/bench_va2pa.XXXXXX";
    int fd = mkstemp(path);
    {
        OutBuf w(fd, 1 << 20);
        for (uint64_t i = 0; i < n; ++i) {
            w.put("va=");
            w.put_hex(0xc0000000u + ((i * 4096 * 7919) % (l.high_memory - 0xc0000000u)));
            w.put('\n');
        }
        w.flush();
    }
    lseek(fd, 0, SEEK_SET);
    int out = open("/dev/null", O_WRONLY);
    auto t0 = std::chrono::steady_clock::now();
    uint64_t lines = 0;
    {
        LineReader rd(fd);
        OutBuf o(out, 1 << 20);
        StreamLine ln;
        StreamError err;
        std::string_view s;
        while (rd.next(s)) {
            ++lines;
            if (!parse_stream_line(s, ln, err)) { o.put(s); o.put('\n'); continue; }
            const StreamField* f = ln.find("va");
            uint64_t va;
            o.put(s);
            if (f && try_parse_number(f->value, va, 0xffffffffULL)) {
                Translation t = tr.va2pa(va);
                o.put(" region="); o.put(t.region ? std::string_view(t.region->name) : "none");
                if (t.has_pa) { o.put(" pa="); o.put_hex(t.pa, 8); o.put(" pfn="); o.put_hex(t.pfn); }
                o.put(" zone="); o.put(t.zone ? std::string_view(t.zone->name) : "none");
            }
            o.put('\n');
        }
        o.flush();
    }
    double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%llu lines in %.3f s: %.2f M addresses/s (profile %s)\n", (unsigned long long)lines, sec,
                lines / sec / 1e6, prof.c_str());
    close(fd);
    unlink(path);
    return 0;
}
