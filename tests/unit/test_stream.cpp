// The stream module (libcore/*/stream/): the verb table and the classification of a line, ids
// (the live-id map and its bytes per id, the recent-id ring, the id history), the writers, and
// the progress line of the filter driver.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <random>
#include <set>
#include <string>

#include "filter.hpp"
#include "kmemkit/stream/grammar.hpp"
#include "kmemkit/stream/ids.hpp"
#include "kmemkit/stream/writer.hpp"
#include "test_buddy_replay.hpp"

using namespace kmemkit;

TEST_CASE("grammar: every verb has one owner or is inserted by a filter, and no name twice", "[stream]") {
    std::set<std::string_view> names;
    for (size_t i = 0; i < kStreamVerbCount; ++i) {
        const StreamVerb& v = kStreamVerbs[i];
        CHECK(names.insert(v.name).second);
        const uint8_t owner = v.owner;
        CHECK((owner == 0 || owner == kBuddyctl || owner == kKmapsim || owner == kVa2pa));
        CHECK((owner != 0 || v.writers != 0));   // nobody acts on it: some filter writes it
        CHECK((v.readers & owner) == 0);         // an owner does not also "read" its verb
        CHECK(stream_verb(v.name) == &v);
    }
    CHECK(stream_verb("aloc") == nullptr);
    CHECK(stream_verb("") == nullptr);
}

TEST_CASE("grammar: a line's role for each filter", "[stream]") {
    auto role = [](StreamTool t, std::string_view text) { return classify_stream_line(t, text).role; };
    // the owner acts on its verbs; others pass them, or read them
    CHECK(role(kBuddyctl, "alloc order=1 id=a") == LineRole::own);
    CHECK(role(kKmapsim, "alloc order=1 id=a pfn=0x1") == LineRole::read);
    CHECK(role(kKmapsim, "free id=a") == LineRole::read);
    CHECK(role(kBuddyctl, "kmap id=a") == LineRole::pass);
    CHECK(role(kKmapsim, "  kmap id=a") == LineRole::own);
    CHECK(role(kVa2pa, "map va=0xc0000000 pa=0x0") == LineRole::own);
    CHECK(role(kBuddyctl, "map va=0xc0000000 pa=0x0") == LineRole::pass);
    // va2pa: any line that may carry va= or pa=; the driver parses it and the field decides
    CHECK(role(kVa2pa, "alloc order=0 id=a va=0xc0000000") == LineRole::fields);
    CHECK(role(kVa2pa, "va=0xc0000000") == LineRole::fields);
    CHECK(role(kVa2pa, "hello world java=1") == LineRole::unknown);   // java= is not va=
    CHECK(role(kVa2pa, "lookup\tpa=0x0") == LineRole::fields);
    CHECK(role(kVa2pa, "0xf0000000-0xf0002000    8192 java=1 pages=1 vmalloc") == LineRole::unknown);
    CHECK(role(kVa2pa, "alloc order=0 id=a") == LineRole::pass);
    CHECK(role(kVa2pa, "ioremap size=4096 pa=0x10000000 id=io") == LineRole::pass);   // buddyctl's input
    CHECK(role(kVa2pa, "ioremap size=4096 pa=0x10000000 id=io va=0xf0000000") == LineRole::fields);
    // a HighMem alloc line: pa= and pfn= (buddyctl's result) but no va=
    CHECK(role(kVa2pa, "alloc order=0 id=h pfn=0x4fc00 pa=0x4fc00000 zone=HighMem") == LineRole::fields);
    CHECK(role(kVa2pa, "alloc order=0 id=h\tpfn=0x4fc00\tpa=0x4fc00000") == LineRole::fields);
    CHECK(role(kVa2pa, "alloc order=0 id=h xpfn=1 pa=0x4fc00000") == LineRole::pass);
    // blank, comments and unknown words
    CHECK(role(kBuddyctl, "") == LineRole::pass);
    CHECK(role(kBuddyctl, " \t") == LineRole::pass);
    CHECK(role(kBuddyctl, "# alloc order=1 id=a") == LineRole::pass);
    CHECK(role(kBuddyctl, "aloc order=0 id=a") == LineRole::unknown);
    CHECK(role(kBuddyctl, "Node 0, zone   Normal 1 2 3") == LineRole::unknown);
    CHECK(role(kBuddyctl, "order=0 id=a") == LineRole::pass);   // fields without a verb: nobody's but va2pa's
    CHECK(classify_stream_line(kVa2pa, "java=1 x").first.empty());
    CHECK(classify_stream_line(kBuddyctl, "  show").verb == stream_verb("show"));
}

TEST_CASE("grammar: did you mean, for one edit only", "[stream]") {
    CHECK(stream_verb_near("aloc") == stream_verb("alloc"));       // deletion
    CHECK(stream_verb_near("allocc") == stream_verb("alloc"));     // insertion
    CHECK(stream_verb_near("vfre") == stream_verb("vfree"));
    CHECK(stream_verb_near("kmpa") == stream_verb("kmap"));        // transposition
    CHECK(stream_verb_near("kunmap_atomix") == stream_verb("kunmap_atomic"));
    CHECK(stream_verb_near("alloc") == nullptr);                   // a verb itself
    CHECK(stream_verb_near("Node") == nullptr);
    CHECK(stream_verb_near("ma") == nullptr);                      // too short to guess
}

TEST_CASE("writers: map, unmap and result= lines as va2pa reads them", "[stream]") {
    std::string path = buddy_test::temp_file("");
    {
        int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
        OutBuf o(fd);
        put_map_line(o, 0xc4800000, 0x13c00000, MapFields{0, "v1", false, false});
        MapFields io;
        io.size = 0x100000;
        io.id = "io1";
        put_map_line(o, 0xc4a00000, 0x48000000, io);
        MapFields byframe;
        byframe.pfn = true;
        put_map_line(o, 0xbfe01000, 0x00c00000, byframe);
        MapFields arr;
        arr.id = "v2";
        arr.page_array = true;
        put_map_line(o, 0xc4c00000, 0x1000, arr);
        put_unmap_line(o, 0xc4800000, 2, "v1");
        put_unmap_line(o, 0xbfe00000, 3);
        o.put("alloc id=a");
        put_result(o, "ENOMEM", "no_zone");
        put_result(o, "NULL");
        o.put('\n');
        o.flush();
        ::close(fd);
    }
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    std::remove(path.c_str());
    CHECK(ss.str() ==
          "map va=0xc4800000 pa=0x13c00000 id=v1\n"
          "map va=0xc4a00000 pa=0x48000000 size=0x100000 id=io1\n"
          "map va=0xbfe01000 pa=0x00c00000 pfn=0xc00\n"
          "map va=0xc4c00000 pa=0x00001000 id=v2 array=pages\n"
          "unmap va=0xc4800000 pages=2 id=v1\n"
          "unmap va=0xbfe00000 pages=3\n"
          "alloc id=a result=ENOMEM reason=no_zone result=NULL\n");
}

TEST_CASE("IdMap: insert, find, erase, shrink", "[stream]") {
    IdMap m;
    for (int i = 0; i < 5000; ++i) {
        std::string k = "id" + std::to_string(i);
        m.insert(k, IdMap::hash(k), IdEntry{IdEntry::page, 0, uint32_t(i)});
    }
    for (int i = 0; i < 5000; i += 2) {
        std::string k = "id" + std::to_string(i);
        REQUIRE(m.erase(k, IdMap::hash(k)));
    }
    for (int i = 0; i < 5000; ++i) {
        std::string k = "id" + std::to_string(i);
        IdEntry* e = m.find(k, IdMap::hash(k));
        if (i % 2) REQUIRE((e && e->value == uint32_t(i)));
        else REQUIRE(!e);
    }
    for (int i = 1; i < 5000; i += 2) {
        std::string k = "id" + std::to_string(i);
        REQUIRE(m.erase(k, IdMap::hash(k)));
    }
    CHECK(m.size() == 0);
    CHECK(m.capacity() <= 2048);   // shrinks with the live ids
}

TEST_CASE("IdMap: ids of any length up to kMaxStreamId, and long keys freed", "[stream]") {
    IdMap m;
    std::vector<std::string> keys;
    for (size_t len : {1, 11, 12, 13, 40, 4096}) keys.push_back(std::string(len, 'k'));
    keys.push_back("a=b");
    for (size_t i = 0; i < keys.size(); ++i) m.insert(keys[i], IdMap::hash(keys[i]), IdEntry{IdEntry::vmalloc, 0, uint32_t(i)});
    CHECK(m.bytes() == m.capacity() * 24 + 13 + 40 + 4096);   // the keys longer than 12 bytes on the heap
    for (size_t i = 0; i < keys.size(); ++i) {
        IdEntry* e = m.find(keys[i], IdMap::hash(keys[i]));
        REQUIRE(e);
        CHECK(e->value == i);
        CHECK(e->kind == IdEntry::vmalloc);
    }
    for (const auto& k : keys) REQUIRE(m.erase(k, IdMap::hash(k)));
    CHECK(m.bytes() == m.capacity() * 24);
}

TEST_CASE("IdMap: a live id costs at most 48 bytes at every size (issue 16)", "[stream]") {
    // ids as buddyctl gen writes them ("a123456"): stored in the slot.  The worst point is just
    // after a growth: 24 bytes / (4/5 load / 1.5) = 45 bytes.
    IdMap m;
    double worst = 0, best = 1e9;
    for (uint32_t i = 0; i < 1000000; ++i) {
        std::string k = "a" + std::to_string(i);
        m.insert(k, IdMap::hash(k), IdEntry{IdEntry::page, 0, i});
        if (m.size() >= 1000) {
            double per = double(m.bytes()) / double(m.size());
            worst = std::max(worst, per);
            best = std::min(best, per);
        }
    }
    CHECK(worst <= 48.0);
    CHECK(best >= 24.0 / 0.8);
    INFO("bytes per live id: " << best << " .. " << worst);
}

TEST_CASE("RecentIds: exactly the last 65,536 ids, however stamp_of() and add() interleave", "[stream]") {
    RecentIds f(1 << 16);
    CHECK(!f.stamp_of(1));
    for (uint64_t i = 1; i <= 1000; ++i) f.add(i, i);
    CHECK((f.stamp_of(1) == 1 && f.stamp_of(1000) == 1000 && !f.stamp_of(1001)));   // index built on the first call
    for (uint64_t i = 1001; i <= 70000; ++i) {
        f.add(i, i);
        if (i % 9973 == 0) CHECK(f.stamp_of(i) == i);      // incremental catch-up
    }
    // the window is 70000 - 65536 + 1 = 4465 .. 70000
    CHECK(!f.stamp_of(4464));
    CHECK(f.stamp_of(4465));
    CHECK(f.stamp_of(70000));
    f.add(4464, 70001);                                    // added again: back in the window
    CHECK(f.stamp_of(4464) == 70001);
    CHECK(!f.stamp_of(4465));                              // and the oldest one left it
    for (uint64_t i = 0; i < 200000; ++i) f.add(1000000 + i, 1);   // more than a whole ring since the sync
    CHECK(!f.stamp_of(4464));
    CHECK(f.stamp_of(1199999));
    CHECK(!f.stamp_of(1000000 + 200000 - 65537));
    CHECK(f.stamp_of(1000000 + 200000 - 65536));
}

TEST_CASE("RecentIds: agrees with a list of the last 65,536 adds while its index grows", "[stream]") {
    // stamp_of() after 1, 2, ... adds: each power of two grows the index and rebuilds it
    RecentIds f(1 << 16);
    std::deque<std::pair<uint64_t, uint64_t>> last;   // the reference: the last adds
    std::mt19937_64 rng(6);
    size_t checked = 0;
    for (uint64_t n = 1; n <= 140000; ++n) {
        uint64_t h = 1 + rng() % 90000;   // repeats: a later free of the same id
        f.add(h, n);
        last.push_back({h, n});
        if (last.size() > f.max()) last.pop_front();
        if ((n & (n - 1)) == 0 || n % 4099 == 0) {
            for (int k = 0; k < 64; ++k) {
                uint64_t q = 1 + rng() % 90000;
                uint64_t want = 0;
                for (const auto& [hh, st] : last)
                    if (hh == q) want = st;
                REQUIRE(f.stamp_of(q) == want);
                ++checked;
            }
        }
    }
    CHECK(checked > 2000);
}

TEST_CASE("IdHistory: the latest of freed and failed counts", "[stream]") {
    IdHistory h;
    IdEntry::Kind k = IdEntry::page;
    CHECK(h.fate(7) == IdHistory::unknown);
    h.failed(7, IdEntry::vmalloc);
    CHECK(h.fate(7, &k) == IdHistory::has_failed);
    CHECK(k == IdEntry::vmalloc);
    h.freed(7);                      // the free of its NULL
    CHECK(h.fate(7) == IdHistory::was_freed);
    h.failed(7, IdEntry::ioremap);   // allocated again, failed again
    CHECK(h.fate(7, &k) == IdHistory::has_failed);
    CHECK(k == IdEntry::ioremap);
}

TEST_CASE("filter progress: a bar for files, lines and rate for stdin", "[stream]") {
    // 1 M of 4 M bytes read: 25 %, 6 of 25 bar cells; 2 M lines in 0.5 s = 4.0 M lines/s
    CHECK(cli::filter_progress_text(2000000, 0.5, 1u << 20, 4u << 20) ==
          "[######                   ]  25% 2000000 lines, 4.0 M lines/s");
    // stdin: the size is unknown, so no bar and no "0%" that never moves
    CHECK(cli::filter_progress_text(2000000, 0.5, 1u << 20, 0) == "2000000 lines, 4.0 M lines/s");
    CHECK(cli::filter_progress_text(10, 1.0, 500, 100) == "[#########################] 100% 10 lines, 0.0 M lines/s");
}
