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

// One parameter of the command line as next_arg() (lib/cmdline.c) splits it.
struct Param {
    size_t start = 0, end = 0;            // [start, end) in the text, quotes included
    std::string key, value, token;        // token: key[=value] without the quotes
    bool has_value = false;
    size_t value_col = std::string::npos; // 0-based column of the value in the text
};

// Splits `text` into parameters: blanks separate them, double quotes may
// enclose a value.  Throws Error (column into `text`) for control characters,
// an unterminated quote or a line longer than COMMAND_LINE_SIZE.
template <class F>
void for_each_param(const std::string& text, F&& f) {
    size_t i = 0;
    const size_t n = text.size();
    if (n > 4096)
        throw Error(fmt::format("command line is {} characters; the kernel's COMMAND_LINE_SIZE is at most 4096", n),
                    {}, 0, 4097);
    while (i < n) {
        while (i < n && blank(text[i])) ++i;
        if (i >= n) break;
        Param p;
        p.start = i;
        bool quoted = false;
        while (i < n && (quoted || !blank(text[i]))) {
            char ch = text[i];
            if (ch == '"') {
                quoted = !quoted;
            } else {
                if (ch == '=' && p.value_col == std::string::npos) p.value_col = i + 1 + (i + 1 < n && text[i + 1] == '"');
                if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
                    throw Error(fmt::format("control character 0x{:02x} in the command line", unsigned((unsigned char)ch)),
                                {}, 0, int(i) + 1);
                p.token += ch;
            }
            ++i;
        }
        if (quoted) throw Error("unterminated double quote in the command line", {}, 0, int(p.start) + 1);
        p.end = i;
        auto eq = p.token.find('=');
        p.key = p.token.substr(0, eq);
        p.has_value = eq != std::string::npos;
        if (p.has_value) p.value = p.token.substr(eq + 1);
        f(p);
    }
}
}  // namespace

Cmdline parse_cmdline(const std::string& text) {
    Cmdline c;
    c.text = text;
    for_each_param(text, [&](const Param& p) {
        const std::string& key = p.key;
        const std::string& val = p.value;
        const size_t value_col = p.value_col;
        if (!p.has_value) {
            if (key == "mem" || key == "vmalloc" || key == "highmem")
                throw Error(fmt::format("'{}' needs a value ({}=SIZE)", key, key), {}, 0, int(p.start) + 1);
            c.other.push_back(p.token);
            return;
        }
        if (key == "mem") {
            // arch/arm/kernel/setup.c early_mem(): mem=size[@start]
            // arch/x86/kernel/e820.c parse_memopt(): mem=size (also "nopentium")
            if (val == "nopentium") { c.other.push_back(p.token); return; }
            MemParam m;
            auto at = val.find('@');
            m.size = value_at(val.substr(0, at), value_col, "mem= size");
            if (at != std::string::npos) m.start = value_at(val.substr(at + 1), value_col + at + 1, "mem= start");
            if (m.size == 0) throw Error("mem= size is 0", {}, 0, int(value_col) + 1);
            c.mem.push_back(m);
        } else if (key == "vmalloc") {
            c.vmalloc = value_at(val, value_col, "vmalloc= size");
        } else if (key == "highmem") {
            // arch/i386/kernel/setup.c parse_cmdline_early() (2.6.18), arch/x86/mm/init_32.c parse_highmem()
            c.highmem = value_at(val, value_col, "highmem= size");
        } else {
            c.other.push_back(p.token);
        }
    });
    return c;
}

std::string cmdline_without(const std::string& text, const std::string& key, std::vector<std::string>* dropped) {
    std::string out;
    for_each_param(text, [&](const Param& p) {
        std::string raw = text.substr(p.start, p.end - p.start);
        if (p.key == key && p.has_value) {
            if (dropped) dropped->push_back(raw);
            return;
        }
        out += (out.empty() ? "" : " ") + raw;
    });
    return out;
}

}  // namespace kmemkit
