// The "did you mean" distance, the kernel's COMMAND_LINE_SIZE cut, and the RAM-too-small warning.
#include <catch2/catch.hpp>

#include <string>

#include "kmemkit/kernel/rules.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/spelling.hpp"
#include "kmemkit/stream/grammar.hpp"

using namespace kmemkit;

TEST_CASE("edit distance: insertions, deletions, substitutions and adjacent transpositions count 1") {
    CHECK(edit_distance("--jsno", "--json") == 1);   // transposition
    CHECK(edit_distance("s3c641", "s3c6410") == 1);  // deletion
    CHECK(edit_distance("s3c6411", "s3c6410") == 1); // substitution
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("ca", "abc") == 3);          // OSA: no edit of a transposed pair
    CHECK(edit_distance(std::string(100, 'a'), std::string(99, 'a') + "b") == 1);   // past the stack rows
}

TEST_CASE("one_edit_apart is edit_distance == 1") {
    const char* words[] = {"", "a", "ab", "ba", "abc", "acb", "abd", "abcd", "alloc", "aloc", "allco", "kmap", "kmpa", "map"};
    for (const char* a : words)
        for (const char* b : words) CHECK(one_edit_apart(a, b) == (edit_distance(a, b) == 1));
}

TEST_CASE("nearest word: the unique nearest within the limit") {
    const std::vector<std::string> opts{"--json", "--kv", "--mem", "--ram", "--profile"};
    CHECK(nearest_word("--jsno", opts, 2) == "--json");
    CHECK(nearest_word("--profil", opts, 2) == "--profile");
    CHECK(nearest_word("--bogus", opts, 2).empty());
    CHECK(nearest_word("--rem", opts, 2).empty());   // --mem and --ram are both 1 away: no guess
    CHECK(nearest_word("--json", opts, 2).empty());  // exact: nothing to suggest
    CHECK(nearest_word("ab", {"abc"}, 2).empty());   // too short to guess
}

TEST_CASE("stream verbs: one edit, unique, from 3 letters") {
    REQUIRE(stream_verb_near("aloc"));
    CHECK(stream_verb_near("aloc")->name == "alloc");
    CHECK(stream_verb_near("kmpa")->name == "kmap");
    CHECK(stream_verb_near("mp") == nullptr);
    CHECK(stream_verb_near("alloc") == nullptr);
}

TEST_CASE("COMMAND_LINE_SIZE: ARM 1024; x86 256 before 2.6.22, 2048 from it") {
    CHECK(command_line_size(Arch::arm, parse_kernel_version("2.6.18")) == 1024);
    CHECK(command_line_size(Arch::arm, parse_kernel_version("6.1")) == 1024);
    CHECK(command_line_size(Arch::x86, parse_kernel_version("2.6.21.7")) == 256);
    CHECK(command_line_size(Arch::x86, parse_kernel_version("2.6.22")) == 2048);
    CHECK(command_line_size(Arch::x86, parse_kernel_version("6.1")) == 2048);
}

TEST_CASE("a command line past COMMAND_LINE_SIZE is cut to its first COMMAND_LINE_SIZE - 1 characters") {
    BoardOverrides o;
    o.cmdline = "mem=64M " + std::string(1014, 'x') + " mem=32M";   // 1031 characters
    Board b = make_board(load_profile("s3c6410"), o);
    CHECK(b.cmdline.text.size() == 1023);
    REQUIRE(b.cmdline.mem.size() == 1);   // the second mem= was past the cut
    CHECK(b.cmdline.mem[0].size == 64u << 20);
    REQUIRE(b.warnings.size() == 1);
    CHECK(b.warnings[0].find("keeps the first 1023") != std::string::npos);
    o.cmdline = std::string(1023, 'x');
    CHECK(make_board(load_profile("s3c6410"), o).warnings.empty());
}

TEST_CASE("RAM no kernel boots in gets a warning; mem= is rounded down to whole pages") {
    BoardOverrides o;
    o.cmdline = "mem=4097";
    Board b = make_board(load_profile("s3c6410"), o);
    CHECK(compute_layout(b).lowmem_bytes == 4096);
    auto w = small_ram_warning(b);
    REQUIRE(w);
    CHECK(w->find("mem= leaves 4 kB of lowmem") == 0);
    o.cmdline = "mem=4M";
    CHECK_FALSE(small_ram_warning(make_board(load_profile("s3c6410"), o)));
    o.cmdline = "mem=3M";
    CHECK(small_ram_warning(make_board(load_profile("s3c6410"), o)));
}
