// libFuzzer target: the kernel command-line parser (libcore/src/cmdline.cpp).
// Invariants: never crashes; an error's column lies in the text (or just
// after it); what parses keeps the text and every mem= has a non-zero size.
#include "fuzz_util.hpp"
#include "kmemkit/cmdline.hpp"
#include "kmemkit/error.hpp"

using namespace kmemkit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        Cmdline c = parse_cmdline(text);
        FUZZ_CHECK(c.text == text);
        for (const auto& m : c.mem) FUZZ_CHECK(m.size != 0);
        FUZZ_CHECK(text.size() <= 4096);
    } catch (const Error& e) {
        FUZZ_CHECK(e.col >= 1 && size_t(e.col) <= text.size() + 1);
        FUZZ_CHECK(e.file.empty() && e.line == 0);
    }
    return 0;
}
