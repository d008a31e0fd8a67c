// va2pa --stream speed: the tool's own stream path (cli::run_filter over a
// file, TranslateStream::handle, OutBuf to /dev/null: the calls tools/va2pa
// makes) over generated files of
//   plain  bare `va=0x...` lines (lowmem addresses), and
//   mixed  the lines a buddyctl | kmapsim pipeline carries: lookups, annotated
//          alloc lines, free lines, map/unmap lines of vmalloc pages, lookups
//          of those pages, pkmap lines and comments.
// Target (issue 3): >= 10 M lines/s on one core.  The figure is CPU time
// (user + sys) of this process, best of several runs: the machine may be shared.
// bench/va2pa_stream.sh times the installed binary on the same files.
//
// Usage: bench_va2pa [-p PROFILE] [-n LINES] [-r RUNS]      time both files
//        bench_va2pa --gen plain|mixed [-p PROFILE] [-n LINES] > FILE
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <random>
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include "filter.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/translate_stream.hpp"

using namespace kmemkit;

namespace {

double cpu_seconds() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

void generate(const std::string& kind, uint64_t n, const Translator& tr, OutBuf& w) {
    const Layout& l = tr.layout();
    const uint64_t lowmem = l.high_memory - l.page_offset;
    const uint64_t vmalloc_pages = std::min<uint64_t>((l.vmalloc_end - l.vmalloc_start) >> kPageShift, 4096);
    const bool pkmap = l.pkmap_base != 0;
    std::mt19937_64 rng(1);   // the same lines on every run and machine
    auto lowmem_va = [&] { return l.page_offset + (rng() % lowmem & ~uint64_t(7)); };
    for (uint64_t i = 0; i < n; ++i) {
        if (kind == "plain") {
            w.put("va=");
            w.put_hex(lowmem_va(), 8);
            w.put('\n');
            continue;
        }
        const uint64_t r = i % 20, vpage = l.vmalloc_start + (rng() % vmalloc_pages << kPageShift);
        if (r < 8) {   // a lookup of a lowmem address
            w.put("lookup va=");
            w.put_hex(lowmem_va(), 8);
        } else if (r < 11) {   // buddyctl's annotated alloc line
            const uint64_t va = lowmem_va() & ~(kPageSize - 1);
            const Translation t = tr.va2pa(va, false);
            w.put("alloc order=0 id=a");
            w.put_dec(i);
            w.put(" pfn=");
            w.put_hex(t.pfn);
            w.put(" pa=");
            w.put_hex(t.pa, 8);
            w.put(" va=");
            w.put_hex(va, 8);
            w.put(" zone=");
            w.put(t.zone ? std::string_view(t.zone->name) : "none");
        } else if (r < 12) {   // not ours: passes through
            w.put("free id=a");
            w.put_dec(i - 3);
        } else if (r < 14) {   // a vmalloc page mapped, then unmapped
            w.put("map va=");
            w.put_hex(vpage, 8);
            w.put(" pa=");
            w.put_hex(tr.va2pa(lowmem_va(), false).pa & ~(kPageSize - 1), 8);
            w.put(" id=v");
            w.put_dec(i);
        } else if (r < 16) {
            w.put("unmap va=");
            w.put_hex(vpage, 8);
            w.put(" pages=1 id=v");
            w.put_dec(i);
        } else if (r < 18) {   // an address in the vmalloc area: learned or not
            w.put("lookup va=");
            w.put_hex(vpage + (rng() & (kPageSize - 8)), 8);
        } else if (r < 19 && pkmap) {   // kmapsim's pkmap line
            w.put("kmap id=h1 pfn=0x4fc00 va=");
            w.put_hex(l.pkmap_base + kPageSize, 8);
            w.put(" slot=1 count=2");
        } else {
            w.put("# comment ");
            w.put_dec(i);
        }
        w.put('\n');
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"va2pa --stream speed over generated files"};
    std::string profile = "imx6q", gen;
    uint64_t n = 10000000;
    int runs = 5;
    app.add_option("-p,--profile", profile, "Board profile");
    app.add_option("-n,--lines", n, "Lines per file");
    app.add_option("-r,--runs", runs, "Runs per file (the best is reported)");
    app.add_option("--gen", gen, "Write the plain or mixed file to stdout and exit")->check(CLI::IsMember({"plain", "mixed"}));
    CLI11_PARSE(app, argc, argv);

    Board b = make_board(load_profile(profile), {});
    Layout l = compute_layout(b);
    NodeMemory nm = compute_zones(b, l);
    if (!gen.empty()) {
        Translator tr(b, l, nm);
        OutBuf w(1, 1 << 20);
        generate(gen, n, tr, w);
        w.flush();
        return 0;
    }
    const uint64_t pa_max = b.profile.config.pae ? (uint64_t(1) << 40) - 1 : 0xffffffffULL;
    std::printf("profile %s, %llu lines per file, best of %d runs, CPU time (user+sys)\n", profile.c_str(),
                (unsigned long long)n, runs);
    for (const char* kind : {"plain", "mixed"}) {
        char path[] = "/tmp/bench_va2pa.XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0) return 1;
        {
            Translator tr(b, l, nm);
            OutBuf w(fd, 1 << 20);
            generate(kind, n, tr, w);
            w.flush();
        }
        close(fd);
        double best = 1e9;
        for (int k = 0; k < runs; ++k) {
            Translator tr(b, l, nm);   // fresh: nothing learned from the previous run
            TranslateStream ts(tr, 0xffffffffULL, pa_max);
            int out = open("/dev/null", O_WRONLY);
            OutBuf o(out);
            const double t0 = cpu_seconds();
            auto res = cli::run_filter(
                std::vector<std::string>{path}, o, cli::FilterSpec{kVa2pa},
                [&](const StreamLine& ln, OutBuf& ob, StreamError& err, bool&) { return ts.handle(ln, ob, err); },
                cli::NoReader(), [&](std::string_view line, OutBuf& ob) { return ts.fast(line, ob); });
            best = std::min(best, cpu_seconds() - t0);
            close(out);
            if (res.lines != n || res.errors) {
                std::fprintf(stderr, "bench_va2pa: %s: %llu lines, %llu errors\n", kind,
                             (unsigned long long)res.lines, (unsigned long long)res.errors);
                return 1;
            }
        }
        unlink(path);
        std::printf("%-5s %8.3f s  %6.2f M lines/s\n", kind, best, n / best / 1e6);
    }
    return 0;
}
