// libFuzzer target: vmlayout --from-dmesg's parsers (libcore/src/dmesg_reader.cpp,
// dmesg.cpp, kernel/version.cpp): a boot log in any published form.
// Runs parse_dmesg -> profile_from_dmesg -> compute_layout -> compute_zones ->
// compare_with_log -> the text and JSON renderings, and the kernel version
// parser on the input's first line.
// Invariants: never crashes, throws nothing but kmemkit::Error; every line is
// counted; a version error's column lies inside the text (or just after it).
#include <string>

#include "fuzz_util.hpp"
#include "kmemkit/dmesg.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/kernel/version.hpp"
#include "kmemkit/layout.hpp"
#include "kmemkit/render.hpp"
#include "kmemkit/zones.hpp"

using namespace kmemkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::string first = text.substr(0, std::min(text.find('\n'), size_t(64)));
    try {
        KernelVersion v = parse_kernel_version(first);
        FUZZ_CHECK(v.major >= 2 && v.major <= 6);
        FUZZ_CHECK(!(parse_kernel_version(v.text) < v) && !(v < parse_kernel_version(v.text)));
    } catch (const Error& e) {
        FUZZ_CHECK(e.col >= 1 && size_t(e.col) <= first.size() + 1);
    }
    DmesgFacts f = parse_dmesg(text);
    size_t lines = 0;
    for (char c : text) lines += c == '\n';
    FUZZ_CHECK(f.lines >= lines && f.lines <= lines + 1);
    try {
        Board b = make_board(profile_from_dmesg(f), {});
        Layout l = compute_layout(b);
        (void)compute_zones(b, l);
        Comparison c = compare_with_log(f, b, l, true);
        FUZZ_CHECK(!comparison_text(c, f, b).empty());
        FUZZ_CHECK(!to_json(comparison_value(c, f, b)).empty());
    } catch (const Error&) {
    }
    return 0;
}
