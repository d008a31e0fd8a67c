#include "kmemkit/cmdline.hpp"

#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {

namespace {
bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

uint64_t value_at(const std::string& v, size_t col0, const char* what) {
    try {
        return parse_number(v, UINT64_MAX, what);
    } catch (const Error& e) {
        throw Error(e.what(), {}, 0, int(col0) + std::max(e.col, 1));
    }
}
}  // namespace

Cmdline parse_cmdline(const std::string& text) {
    Cmdline c;
    c.text = text;
    size_t i = 0;
    const size_t n = text.size();
    if (n > 4096)
        throw Error(fmt::format("command line is {} characters; the kernel's COMMAND_LINE_SIZE is at most 4096", n),
                    {}, 0, 4097);
    while (i < n) {
        while (i < n && blank(text[i])) ++i;
        if (i >= n) break;
        size_t start = i;
        bool quoted = false;
        std::string tok;
        size_t value_col = std::string::npos;   // 0-based column of the value in `text`
        while (i < n && (quoted || !blank(text[i]))) {
            char ch = text[i];
            if (ch == '"') {
                quoted = !quoted;
            } else {
                if (ch == '=' && value_col == std::string::npos) value_col = i + 1 + (i + 1 < n && text[i + 1] == '"');
                if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
                    throw Error(fmt::format("control character 0x{:02x} in the command line", unsigned((unsigned char)ch)),
                                {}, 0, int(i) + 1);
                tok += ch;
            }
            ++i;
        }
        if (quoted) throw Error("unterminated double quote in the command line", {}, 0, int(start) + 1);
        auto eq = tok.find('=');
        std::string key = tok.substr(0, eq);
        std::string val = eq == std::string::npos ? std::string() : tok.substr(eq + 1);
        if (eq == std::string::npos) {
            if (key == "mem" || key == "vmalloc" || key == "highmem")
                throw Error(fmt::format("'{}' needs a value ({}=SIZE)", key, key), {}, 0, int(start) + 1);
            c.other.push_back(tok);
            continue;
        }
        if (key == "mem") {
            // arch/arm/kernel/setup.c early_mem(): mem=size[@start]
            // arch/x86/kernel/e820.c parse_memopt(): mem=size (also "nopentium")
            if (val == "nopentium") { c.other.push_back(tok); continue; }
            MemParam m;
            auto at = val.find('@');
            m.size = value_at(val.substr(0, at), value_col, "mem= size");
            if (at != std::string::npos) m.start = value_at(val.substr(at + 1), value_col + at + 1, "mem= start");
            if (m.size == 0) throw Error("mem= size is 0", {}, 0, int(value_col) + 1);
            c.mem.push_back(m);
        } else if (key == "vmalloc") {
            c.vmalloc = value_at(val, value_col, "vmalloc= size");
        } else if (key == "highmem") {
            c.highmem = value_at(val, value_col, "highmem= size");
        } else {
            c.other.push_back(tok);
        }
    }
    return c;
}

}  // namespace kmemkit
