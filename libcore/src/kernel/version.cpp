// Parsing and ordering of kernel versions (see kernel/version.hpp).
#include "kmemkit/kernel/version.hpp"

#include <cctype>
#include <fmt/format.h>

#include "kmemkit/error.hpp"

namespace kmemkit {

const char* arch_name(Arch a) { return a == Arch::arm ? "arm" : "x86"; }

const char* const kKernelVersionForm =
    "MAJOR.MINOR[.PATCH[.SUB]] with an optional suffix after '-', '+', '~' or '_' "
    "(2.6.28.6, 3.10, 4.14.336, 5.1-rc2, 6.1.0-50-armmp, 4.19.94-ti-r72)";

namespace {
bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
[[noreturn]] void bad(const std::string& text, size_t col, const std::string& what) {
    throw Error(fmt::format("kernel version '{}' {}: expected {}", text, what, kKernelVersionForm), {}, 0, int(col) + 1);
}
}  // namespace

KernelVersion parse_kernel_version(const std::string& text) {
    KernelVersion v;
    v.text = text;
    if (text.empty()) bad(text, 0, "is empty");
    unsigned* parts[] = {&v.major, &v.minor, &v.patch, &v.sub};
    const unsigned limit[] = {255, 4095, 65535, 4095};
    size_t i = 0, n = 0;
    for (;;) {
        if (i >= text.size() || !digit(text[i]))
            bad(text, i, n == 0 ? "does not start with a number" : "has a '.' not followed by a number");
        size_t start = i;
        unsigned long x = 0;
        while (i < text.size() && digit(text[i])) {
            x = x * 10 + unsigned(text[i++] - '0');
            if (x > limit[n]) bad(text, start, "has a number too large for a kernel version");
        }
        *parts[n++] = unsigned(x);
        if (i < text.size() && text[i] == '.' && n < 4) {
            ++i;
            continue;
        }
        break;
    }
    if (n < 2) bad(text, i, "has no MINOR number");
    if (i < text.size()) {
        char c = text[i];
        if (c != '-' && c != '+' && c != '~' && c != '_') bad(text, i, fmt::format("has '{}' after its numbers", c));
        v.suffix = text.substr(i);
        for (size_t k = i; k < text.size(); ++k)
            if (!std::isgraph(static_cast<unsigned char>(text[k]))) bad(text, k, "has a blank or control character");
        // "-rcN" right after the numbers (5.1-rc2, 4.15.0-rc8-next): a release candidate
        if (text.compare(i, 3, "-rc") == 0 && i + 3 < text.size() && digit(text[i + 3])) {
            size_t k = i + 3;
            unsigned long r = 0;
            while (k < text.size() && digit(text[k]) && r < 1000) r = r * 10 + unsigned(text[k++] - '0');
            if (k == text.size() || !std::isalnum(static_cast<unsigned char>(text[k]))) v.rc = unsigned(std::min(r, 254ul));
        }
    }
    if (v.major < 2 || (v.major == 2 && v.minor != 6) || v.major > 6)
        throw Error(fmt::format("kernel version '{}' is outside what kmemkit models (2.6.x to 6.x)", text), {}, 0, 1);
    return v;
}

bool version_is_modelled(const KernelVersion& v, std::string* why) {
    if (!v.at_least(kv(2, 6, 18))) {
        if (why) *why = fmt::format("kernel {} is older than 2.6.18, the oldest release modelled; using 2.6.18 rules", v.text);
        return false;
    }
    return true;
}

}  // namespace kmemkit
