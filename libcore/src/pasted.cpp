// Addresses as people paste them (see pasted.hpp).  The kernel's forms, as printk writes them:
//   ARM backtrace, arch/arm/kernel/traps.c dump_backtrace_entry():
//     v4.9  "[<%08lx>] (%ps) from [<%08lx>] (%pS)", without KALLSYMS
//           "Function entered at [<%08lx>] from [<%08lx>]";
//     v6.1  the same with CONFIG_BACKTRACE_VERBOSE, else "%s %ps from %pS": symbols, no address.
//   ARM registers, arch/arm/kernel/process.c __show_regs() (v4.9, v6.1):
//     "PC is at %pS", "LR is at %pS" (symbols only; 2.6 print_symbol("PC is at %s")),
//     "pc : [<%08lx>]    lr : [<%08lx>]    psr: %08lx" (psr is not an address).
//   x86-32, arch/x86/kernel/process_32.c __show_regs() (2.6.2x-4.x):
//     "EIP: %04x:[<%08lx>] EFLAGS: %08lx CPU: %d", print_symbol("EIP is at %s");
//     v6.1 arch/x86/kernel/dumpstack.c show_ip(): "EIP: %pS" (a symbol, no address);
//     call trace, dumpstack.c printk_address() (2.6.2x-4.x): " [<%p>] %s%pB" with "? " for
//     an unreliable entry.
// So an address inside "[<...>]" is the kernel's; "foo+0x1c/0x40" alone is a symbol.
#include "kmemkit/pasted.hpp"

#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {
namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_sep(char c) { return is_blank(c) || c == ','; }

// %pS: "name+0xOFF/0xSIZE" (a module's adds " [mod]" after it)
bool is_symbol(std::string_view t) {
    const size_t plus = t.find("+0x"), slash = t.find("/0x");
    if (plus == 0 || plus == std::string_view::npos || slash == std::string_view::npos || slash < plus) return false;
    const char c = t[0];
    return c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string example_forms() { return "c0123456, 0xc0123456 or the kernel's [<c0123456>]"; }

// parse one token at `col` (1-based) of the line
PastedAddress token_at(std::string_view line, size_t pos, size_t len, uint64_t max, std::string_view what) {
    std::string_view tok = line.substr(pos, len);
    try {
        return {parse_pasted_address(tok, max, what), uint32_t(pos + 1)};
    } catch (const Error& e) {
        throw Error(e.what(), "", 0, int(pos) + (e.col > 0 ? e.col : 1));
    }
}

}  // namespace

uint64_t parse_pasted_address(std::string_view tok, uint64_t max, std::string_view what) {
    if (tok.size() > 64) throw Error(fmt::format("token of {} characters is not an address", tok.size()), "", 0, 1);
    bool all_hex = !tok.empty();
    for (char c : tok) all_hex = all_hex && is_hex(c);
    if (all_hex) {
        // bare hex, as the kernel prints addresses (%08lx, %p)
        uint64_t v = 0;
        for (size_t i = 0; i < tok.size(); ++i) {
            const char c = tok[i];
            const uint64_t d = c <= '9' ? uint64_t(c - '0') : uint64_t((c | 0x20) - 'a' + 10);
            if (v > (max - d) / 16)
                throw Error(fmt::format("{} '{}' is out of range (the largest is {:#x})", what, tok, max), "", 0, int(i) + 1);
            v = v * 16 + d;
        }
        return v;
    }
    const bool numeric = !tok.empty() && ((tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-' || tok[0] == '+');
    if (numeric) return parse_number(tok, max, what);   // 0x.., or a size with a suffix (3G); its own messages
    if (is_symbol(tok))
        throw Error(fmt::format("'{}' is a symbol, not an address: the kernel printed this line with %pS and no address "
                                "(take the [<...>] address of the oops's 'pc :' or 'EIP:' line, or the symbol's from System.map)",
                                tok),
                    "", 0, 1);
    throw Error(fmt::format("'{}' is not a {} (give hex as the kernel prints it: {})", tok, what, example_forms()), "", 0, 1);
}

PastedLine read_pasted_line(std::string_view line, uint64_t max, std::string_view what) {
    PastedLine out;
    size_t p = 0;
    auto skip_blanks = [&] {
        while (p < line.size() && is_blank(line[p])) ++p;
    };
    skip_blanks();
    // a dmesg prefix: the console loglevel "<4>" and the timestamp "[   12.345678]"
    if (p + 2 < line.size() && line[p] == '<' && line[p + 1] >= '0' && line[p + 1] <= '9' && line[p + 2] == '>') {
        p += 3;
        skip_blanks();
    }
    if (p < line.size() && line[p] == '[') {
        size_t q = p + 1;
        while (q < line.size() && line[q] == ' ') ++q;
        const size_t digits = q;
        while (q < line.size() && ((line[q] >= '0' && line[q] <= '9') || line[q] == '.')) ++q;
        if (q > digits && q < line.size() && line[q] == ']' && line.substr(digits, q - digits).find('.') != std::string_view::npos) {
            p = q + 1;
            skip_blanks();
        }
    }
    if (p == line.size() || line[p] == '#') {
        out.blank = true;
        return out;
    }
    // the kernel's own form: every "[<...>]" of the line, and nothing else of it
    if (line.find("[<", p) != std::string_view::npos) {
        for (size_t at = line.find("[<", p); at != std::string_view::npos; at = line.find("[<", at)) {
            const size_t start = at + 2, end = line.find(">]", start);
            if (end == std::string_view::npos)
                throw Error(fmt::format("'[<' with no '>]' after it: the kernel prints an address as [<c0123456>]"), "", 0,
                            int(at) + 1);
            if (end == start) throw Error("'[<>]' holds no address", "", 0, int(at) + 1);
            out.addresses.push_back(token_at(line, start, end - start, max, what));
            at = end + 2;
        }
        return out;
    }
    // addresses separated by blanks or commas; a line of the kernel's that has only a symbol
    // ("PC is at foo+0x1c/0x40", "EIP: foo+0x1c/0x40", v6.1 " foo from bar+0x10/0x20") says so
    std::vector<std::pair<size_t, size_t>> toks;
    for (size_t q = p; q < line.size();) {
        while (q < line.size() && is_sep(line[q])) ++q;
        const size_t s = q;
        while (q < line.size() && !is_sep(line[q])) ++q;
        if (q > s) toks.emplace_back(s, q - s);
    }
    for (auto [s, n] : toks)
        if (is_symbol(line.substr(s, n))) (void)token_at(line, s, n, max, what);   // throws: the symbol error
    for (auto [s, n] : toks) out.addresses.push_back(token_at(line, s, n, max, what));
    return out;
}

}  // namespace kmemkit
