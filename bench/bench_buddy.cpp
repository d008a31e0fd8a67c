// Buddy allocator speed: (1) the engine alone, random orders 0-3 on a 65,536-page zone;
// (2) the stream replay (parse + replay + annotated output to /dev/null) of a generated trace.
// Target: >= 20 M alloc/free per second, >= 3 M trace events per second, one core.
// The binary itself: buddyctl gen --seed 1 --ops 5000000 --max-live 20000 > t.txt;
//                    time buddyctl -p qemu-virt-arm t.txt > /dev/null
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

#include "filter.hpp"
#include "kmemkit/buddy.hpp"
#include "kmemkit/trace.hpp"

using namespace kmemkit;

namespace {
// CPU time of this process (the machine may be shared: wall time would overstate)
double now() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + ts.tv_nsec * 1e-9;
}
}  // namespace

int main() {
    BuddyConfig c;
    c.era = &mm_era_for(parse_kernel_version("2.6.37"));
    c.max_order = 11;
    BuddyZoneSpec z;
    z.name = "Normal";
    z.start_pfn = 0x10000;
    z.spanned = 65536;
    z.present = {{0x10000, 0x20000}};
    c.zones = {z};
    BuddyAllocator b(c);
    Gfp g;
    parse_gfp("GFP_KERNEL", g);

    std::vector<std::pair<uint64_t, unsigned>> live;
    live.reserve(65536);
    uint64_t x = 88172645463325252ull;
    auto rnd = [&] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    const uint64_t N = 50'000'000;
    uint64_t ops = 0, fails = 0;
    double t0 = now();
    for (uint64_t i = 0; i < N; ++i) {
        uint64_t r = rnd();
        if (live.size() < 8192 || (live.size() < 16384 && (r & 1))) {
            unsigned order = unsigned((r >> 8) & 3);
            AllocResult a = b.alloc(order, g);
            if (a.ok) live.push_back({a.pfn, order});
            else ++fails;
        } else {
            size_t k = size_t((r >> 16) % live.size());
            b.free(live[k].first, live[k].second);
            live[k] = live.back();
            live.pop_back();
        }
        ++ops;
    }
    double t1 = now();
    std::printf("engine: %llu alloc/free in %.3f s = %.1f M ops/s (%llu failed, %zu live)\n",
                (unsigned long long)ops, t1 - t0, ops / (t1 - t0) / 1e6, (unsigned long long)fails, live.size());

    // stream replay, in process
    char path[] = "/tmp/bench_buddy_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    {
        GenOptions o;
        o.seed = 1;
        o.ops = 5'000'000;
        o.max_live = 20000;
        OutBuf out(fd);
        generate_trace(o, out);
    }
    ::close(fd);
    Profile p = load_profile("qemu-virt-arm");
    Board board = make_board(p, {});
    Simulation sim = make_simulation(board);
    Replayer rep(*sim.buddy, *sim.vm, false, sim.pae);
    int devnull = ::open("/dev/null", O_WRONLY);
    OutBuf out(devnull);
    double t2 = now();
    auto res = cli::run_filter({path}, out, cli::FilterSpec{kBuddyctl},
                               [&](const StreamLine& l, OutBuf& o, StreamError& e, bool& se) {
                                   return rep.handle(l, o, e, &se);
                               });
    double t3 = now();
    std::printf("replay: %llu events in %.3f s = %.2f M events/s (qemu-virt-arm, %llu ENOMEM)\n",
                (unsigned long long)res.lines, t3 - t2, res.lines / (t3 - t2) / 1e6,
                (unsigned long long)rep.stats().enomem);
    ::unlink(path);
    return 0;
}
