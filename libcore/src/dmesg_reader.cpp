// The reading layer of vmlayout --from-dmesg (dmesg_reader.hpp): published
// forms of a boot log in, the kernel's own lines out.  Hand-written matchers
// (no std::regex): a 64 MiB log is read in well under a second.
#include "kmemkit/dmesg_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>

namespace kmemkit {
namespace {

// printk's longest line (LOG_LINE_MAX, kernel/printk/printk.c): no rejoined line is longer
constexpr size_t kMaxLine = 1024;

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
bool is_xdigit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// A small cursor over one line for the matchers below.
struct Cur {
    std::string_view s;
    size_t i = 0;
    bool eat(char c) { return i < s.size() && s[i] == c ? (++i, true) : false; }
    bool eat(std::string_view p) { return s.substr(i, p.size()) == p ? (i += p.size(), true) : false; }
    size_t digits(size_t max = 64) {
        size_t n = 0;
        while (i < s.size() && n < max && is_digit(s[i])) ++i, ++n;
        return n;
    }
    size_t blanks() {
        size_t n = 0;
        while (i < s.size() && s[i] == ' ') ++i, ++n;
        return n;
    }
    bool fixed_digits(size_t n) { return digits(n) == n; }
    char peek() const { return i < s.size() ? s[i] : '\0'; }
};

// "12:00:00" with an optional fraction
bool clock(Cur& c) {
    if (!(c.fixed_digits(2) && c.eat(':') && c.fixed_digits(2) && c.eat(':') && c.fixed_digits(2))) return false;
    if (c.peek() == '.' || c.peek() == ',') {
        ++c.i;
        if (!c.digits()) return false;
    }
    return true;
}
bool month_name(Cur& c) {
    if (c.i + 3 > c.s.size() || !is_upper(c.s[c.i]) || !is_lower(c.s[c.i + 1]) || !is_lower(c.s[c.i + 2])) return false;
    c.i += 3;
    return true;
}
// "Dec  6 12:00:00" (syslog, journalctl short) or "2026-12-06T12:00:00+0000" (short-iso, rsyslog)
bool date_time(Cur& c) {
    size_t at = c.i;
    if (month_name(c) && c.eat(' ') && (c.eat(' ') ? c.fixed_digits(1) : c.fixed_digits(2)) && c.eat(' ') && clock(c))
        return true;
    c.i = at;
    if (c.fixed_digits(4) && c.eat('-') && c.fixed_digits(2) && c.eat('-') && c.fixed_digits(2) && (c.eat('T') || c.eat(' ')) &&
        clock(c)) {
        if (!c.eat('Z') && (c.peek() == '+' || c.peek() == '-')) {
            ++c.i;
            if (!c.fixed_digits(2)) return c.i = at, false;
            c.eat(':');
            c.digits(2);
        }
        return true;
    }
    c.i = at;
    return false;
}

// "host kernel: " after a date (journalctl, syslog): the length, and whether
// the program is the kernel
size_t host_ident(std::string_view s, size_t at, bool& kernel) {
    Cur c{s, at};
    if (!c.eat(' ')) return 0;
    size_t h = c.i;
    while (c.i < s.size() && !is_blank(s[c.i])) ++c.i;
    if (c.i == h || !c.eat(' ')) return 0;
    size_t id = c.i;
    while (c.i < s.size() && !is_blank(s[c.i]) && s[c.i] != ':' && s[c.i] != '[') ++c.i;
    if (c.i == id) return 0;
    std::string_view ident = s.substr(id, c.i - id);
    if (c.eat('[')) {
        if (!c.digits() || !c.eat(']')) return 0;
    }
    if (!c.eat(':')) return 0;
    c.eat(' ');
    kernel = ident == "kernel";
    return c.i;
}

// "[    0.000000] " and the variants vendors print ("[    0.000000,0] ",
// "[    0.000000@0] "), with CONFIG_PRINTK_CALLER's "[    T1] " after it
size_t printk_time(std::string_view s, size_t at) {
    Cur c{s, at};
    if (!c.eat('[')) return 0;
    c.blanks();
    if (!c.digits() || !c.eat('.') || !c.digits()) return 0;
    if (c.peek() == ',' || c.peek() == '@') {
        ++c.i;
        c.blanks();
        if (!c.digits()) return 0;
    }
    if (!c.eat(']')) return 0;
    size_t end = c.i;
    if (c.eat('[')) {
        c.blanks();
        if ((c.eat('T') || c.eat('C')) && c.digits() && c.eat(']')) end = c.i;
    }
    c.i = end;
    c.eat(' ');
    return c.i;
}

// dmesg -T: "[Sun Dec  6 12:00:00 2026] "
size_t dmesg_ctime(std::string_view s, size_t at) {
    Cur c{s, at};
    if (!(c.eat('[') && month_name(c) && c.eat(' ') && month_name(c) && c.eat(' ') &&
          (c.eat(' ') ? c.fixed_digits(1) : c.fixed_digits(2)) && c.eat(' ') && clock(c) && c.eat(' ') &&
          c.fixed_digits(4) && c.eat(']')))
        return 0;
    c.eat(' ');
    return c.i;
}

// one of `names`, then blanks and a ':' (the columns of dmesg -x)
template <size_t N>
bool named_column(Cur& c, const char* const (&names)[N]) {
    size_t at = c.i;
    while (c.i < c.s.size() && (is_lower(c.s[c.i]) || is_digit(c.s[c.i]))) ++c.i;
    std::string_view w = c.s.substr(at, c.i - at);
    if (std::none_of(std::begin(names), std::end(names), [&](const char* n) { return w == n; })) return false;
    c.blanks();
    return c.eat(':');
}

// dmesg -x: "kern  :info  : "
size_t dmesg_decode(std::string_view s, size_t at) {
    static const char* const fac[] = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
                                      "uucp", "cron", "authpriv", "ftp", "res0", "res1", "res2", "res3",
                                      "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};
    static const char* const lev[] = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"};
    Cur c{s, at};
    if (!named_column(c, fac) || !named_column(c, lev)) return 0;
    c.eat(' ');
    return c.i;
}

// /dev/kmsg: "6,123,4567,-;" (level,sequence,microseconds,flags[,more];)
size_t kmsg_record(std::string_view s, size_t at, std::string* usec) {
    Cur c{s, at};
    if (!c.digits(3) || !c.eat(',') || !c.digits() || !c.eat(',')) return 0;
    size_t u = c.i;
    if (!c.digits() || !c.eat(',')) return 0;
    size_t f = c.i;
    while (c.i < s.size() && c.i - f < 24 && s[c.i] != ';' && !is_blank(s[c.i])) ++c.i;
    if (!c.eat(';')) return 0;
    if (usec) *usec = std::string(s.substr(u, f - 1 - u));
    return c.i;
}

// "<6>" (dmesg -r, /proc/kmsg, Android)
size_t level_prefix(std::string_view s, size_t at) {
    Cur c{s, at};
    if (!c.eat('<') || !c.digits(3) || !c.eat('>')) return 0;
    return c.i;
}

// The record prefixes of one line, stripped: the kinds found and the stamp
// (the time the record carries, for telling records apart).
struct Prefix {
    size_t len = 0;
    bool kernel = true;   // journal/syslog: the program is the kernel
    bool kmsg = false;
    std::string stamp;
    std::vector<const char*> kinds;
};
Prefix record_prefix(std::string_view s) {
    Prefix p;
    size_t i = 0;
    {
        Cur c{s, 0};
        if (date_time(c)) {
            bool kernel = false;
            if (size_t e = host_ident(s, c.i, kernel)) {
                p.stamp = std::string(s.substr(0, c.i));
                p.kernel = kernel;
                i = e;
                p.kinds.push_back("journal");
            }
        }
    }
    if (size_t e = dmesg_decode(s, i)) i = e, p.kinds.push_back("dmesg -x");
    std::string usec;
    if (size_t e = kmsg_record(s, i, &usec)) i = e, p.kmsg = true, p.stamp = usec, p.kinds.push_back("kmsg");
    if (size_t e = level_prefix(s, i)) i = e, p.kinds.push_back("level");
    if (size_t e = dmesg_ctime(s, i)) {
        p.stamp = std::string(s.substr(i, e - i));
        i = e;
        p.kinds.push_back("dmesg -T");
    } else if (size_t e = printk_time(s, i)) {
        p.stamp = std::string(s.substr(i, e - i));
        while (!p.stamp.empty() && p.stamp.back() == ' ') p.stamp.pop_back();
        i = e;
        p.kinds.push_back("timestamp");
        // journalctl -o short-monotonic: "[    0.000000] host kernel: "
        bool kernel = false;
        if (size_t h = host_ident(s, i - 1, kernel); h && kernel && s[i - 1] == ' ') i = h, p.kinds.push_back("journal");
    }
    p.len = i;
    return p;
}

// Lines the kernel itself indents (the layout block, the zone report): they do
// not tell the publishing indentation.
bool kernel_indented(std::string_view t) {
    static const char* zones[] = {"DMA32", "DMA", "Normal", "HighMem", "Movable", "Device"};
    size_t i = 0;
    // "vector  : 0x", ".text : 0x"
    if (!t.empty() && (is_alpha(t[0]) || t[0] == '.' || t[0] == '_')) {
        size_t j = 1;
        while (j < t.size() && is_word(t[j])) ++j;
        size_t k = j;
        while (k < t.size() && t[k] == ' ') ++k;
        if (k < t.size() && t[k] == ':') {
            ++k;
            while (k < t.size() && t[k] == ' ') ++k;
            if (starts_with(t.substr(k), "0x")) return true;
        }
        // "Normal zone: 1024 pages"
        if (starts_with(t.substr(j), " zone: ")) return true;
    }
    for (const char* z : zones)
        if (starts_with(t, z)) {
            size_t j = std::string_view(z).size();
            if (j < t.size() && t[j] == ' ') {
                while (j < t.size() && t[j] == ' ') ++j;
                if (j < t.size() && (t[j] == '[' || is_xdigit(t[j]) || starts_with(t.substr(j), "empty"))) return true;
            }
        }
    if (starts_with(t, "node ")) return true;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i && i + 1 < t.size() && t[i] == ':' && t[i + 1] == ' ') return true;   // "0: 0x00000000 -> ..."
    return starts_with(t, "mapped low ram") || starts_with(t, "low ram") || (t.size() > 1 && t[0] == '#' && is_digit(t[1]));
}

// HTML entities of a log copied from a web page's source
std::string decode_entities(std::string_view s, bool& changed) {
    std::string o;
    o.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            static const std::pair<const char*, const char*> named[] = {
                {"&gt;", ">"}, {"&lt;", "<"}, {"&amp;", "&"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&nbsp;", " "}};
            bool done = false;
            for (auto [e, r] : named)
                if (starts_with(s.substr(i), e)) {
                    o += r;
                    i += std::string_view(e).size() - 1;
                    done = changed = true;
                    break;
                }
            if (!done && i + 3 < s.size() && s[i + 1] == '#') {
                size_t j = i + 2;
                unsigned v = 0;
                bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
                if (hex) ++j;
                size_t d = j;
                while (j < s.size() && j - d < 6 && (hex ? is_xdigit(s[j]) : is_digit(s[j])))
                    v = v * (hex ? 16 : 10) + unsigned(is_digit(s[j]) ? s[j] - '0' : (s[j] | 0x20) - 'a' + 10), ++j;
                if (j > d && j < s.size() && s[j] == ';' && v >= 0x20 && v < 0x7f) {
                    o += char(v);
                    i = j;
                    done = changed = true;
                }
            }
            if (done) continue;
        }
        o += s[i];
    }
    return o;
}

// One physical line, cleaned of what its publishing added.
struct Phys {
    size_t lineno = 0;
    size_t raw = 0;           // width as captured: without trailing blanks and quote marks (a capture
                              // quoted in a reply was wrapped or cut before it was quoted)
    int depth = 0;            // quote marks
    std::string ws;           // leading blanks after the quote marks
    std::string rest;         // the rest
    std::string trail;        // the trailing blanks removed (a line cut mid-word keeps them)
};

struct Work {
    LogLine line;
    bool record = false;      // carried a record prefix with a time of its own
    bool cont = false;        // a continuation line of a multi-line record
    size_t prefix_cols = 0;   // the width of what was stripped before the text
    size_t last_raw = 0;      // published width of the last physical piece
    std::string trail;        // its trailing blanks
    std::string stamp;
};

std::string count_word(size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string ReadReport::summary() const {
    std::vector<std::string> parts;
    if (!removed.empty()) {
        std::string r;
        for (const auto& [what, n] : removed) r += (r.empty() ? "" : ", ") + fmt::format("{} ({})", what, n);
        parts.push_back("removed " + r);
    }
    if (blank) parts.push_back("dropped " + count_word(blank, "blank line", "blank lines"));
    if (other_programs)
        parts.push_back("dropped " + count_word(other_programs, "line of other programs", "lines of other programs"));
    if (split) parts.push_back(fmt::format("split {} at \\x0a", count_word(split, "record", "records")));
    if (rejoined) {
        std::string at;
        for (size_t k = 0; k < rejoined_at.size() && k < 8; ++k) at += (at.empty() ? "" : ", ") + std::to_string(rejoined_at[k]);
        if (rejoined_at.size() > 8) at += ", ...";
        parts.push_back(fmt::format("rejoined {} (line{} {})", count_word(rejoined, "wrapped line", "wrapped lines"),
                                    rejoined_at.size() == 1 ? "" : "s", at));
    }
    std::string o;
    for (const auto& p : parts) o += (o.empty() ? "" : "; ") + p;
    return o;
}

ReadLog read_published_log(std::string_view text) {
    ReadLog out;
    ReadReport& rep = out.report;
    std::map<std::string, size_t> removed;
    std::vector<std::string> order;
    auto count = [&](const std::string& what) {
        if (!removed.count(what)) order.push_back(what);
        ++removed[what];
    };
    const bool entities = text.find("&gt;") != std::string_view::npos || text.find("&lt;") != std::string_view::npos ||
                          text.find("&amp;") != std::string_view::npos || text.find("&nbsp;") != std::string_view::npos ||
                          text.find("&#") != std::string_view::npos;

    // 1. physical lines: line ends, entities, no-break spaces, trailing blanks, quote marks
    std::vector<Phys> phys;
    size_t pos = 0, n = 0, crlf = 0, trailing = 0, nbsp = 0, html = 0, quoted = 0;
    while (pos < text.size()) {
        size_t e = text.find('\n', pos);
        std::string_view raw = text.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
        pos = e == std::string_view::npos ? text.size() : e + 1;
        ++n;
        if (!raw.empty() && raw.back() == '\r') {
            ++crlf;
            while (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        }
        std::string s;
        if (entities) {
            bool ch = false;
            s = decode_entities(raw, ch);
            html += ch;
        } else {
            s = std::string(raw);
        }
        if (s.find("\xc2\xa0") != std::string::npos) {
            ++nbsp;
            for (size_t k; (k = s.find("\xc2\xa0")) != std::string::npos;) s.replace(k, 2, " ");
        }
        size_t end = s.size(), full = s.size();
        while (end > 0 && (is_blank(s[end - 1]) || s[end - 1] == '\r' || s[end - 1] == '\f' || s[end - 1] == '\v')) --end;
        Phys p;
        if (end < s.size()) {
            p.trail = s.substr(end);
            s.resize(end);
            if (!s.empty()) ++trailing;
        }
        p.lineno = n;
        p.raw = s.size();
        size_t i = 0;
        while (i < s.size() && is_blank(s[i])) ++i;
        if (i < s.size() && s[i] == '>') {
            while (i < s.size() && s[i] == '>') {
                ++p.depth;
                ++i;
                size_t k = i;
                while (k < s.size() && is_blank(s[k])) ++k;
                if (k < s.size() && s[k] == '>') {
                    i = k;
                    continue;
                }
                if (i < s.size() && is_blank(s[i])) ++i;   // the one blank after a quote mark
                break;
            }
            ++quoted;
        } else {
            i = 0;
        }
        p.raw = full - i;
        size_t w = i;
        while (w < s.size() && is_blank(s[w])) ++w;
        if (w == s.size()) {
            ++rep.blank;
            continue;
        }
        p.ws = s.substr(i, w - i);
        p.rest = s.substr(w);
        phys.push_back(std::move(p));
    }
    rep.input_lines = n;
    if (crlf) removed["CR line ends"] = crlf, order.push_back("CR line ends");
    if (html) removed["HTML entities"] = html, order.push_back("HTML entities");
    if (nbsp) removed["no-break spaces"] = nbsp, order.push_back("no-break spaces");
    if (quoted) removed["quote marks"] = quoted, order.push_back("quote marks");
    if (trailing) removed["trailing blanks"] = trailing, order.push_back("trailing blanks");

    // 2. the publishing indentation: per quote depth, the indentation most
    //    lines share (the kernel's own indented lines not counted)
    std::map<int, std::map<std::string, size_t>> votes;
    for (const auto& p : phys)
        if (!kernel_indented(p.rest)) votes[p.depth][p.ws]++;
    std::map<int, std::string> pub;
    for (auto& [d, v] : votes) {
        const std::string* best = nullptr;
        size_t bn = 0;
        for (auto& [ws, k] : v)
            if (k > bn || (k == bn && ws.size() < best->size())) best = &ws, bn = k;
        if (best) pub[d] = *best;
    }
    size_t indented = 0;

    // 3. record prefixes, "\x0a" splits
    std::vector<Work> lines;
    size_t records = 0;
    bool kmsg_log = false;
    for (auto& p : phys) {
        const std::string& pi = pub[p.depth];
        std::string ws = p.ws;
        size_t common = 0;
        while (common < ws.size() && common < pi.size() && ws[common] == pi[common]) ++common;
        if (common) ++indented;
        ws.erase(0, common);
        Prefix pre = record_prefix(p.rest);
        if (!pre.len && ws.empty() && p.rest[0] == '#' && !kernel_indented(p.rest)) {   // comments, a shell prompt
            count("'#' comment lines");
            continue;
        }
        if (!pre.len && ws.empty() && starts_with(p.rest, "-- ") && p.rest.size() > 6 &&
            p.rest.compare(p.rest.size() - 3, 3, " --") == 0) {
            count("journalctl -- lines --");   // "-- Boot 0123... --", "-- Logs begin at ... --"
            continue;
        }
        if (pre.len && !pre.kernel) {
            ++rep.other_programs;
            continue;
        }
        if (!pre.len && kmsg_log && !p.ws.empty()) {
            size_t eq = p.rest.find('=');
            if (eq != std::string::npos && eq > 0 &&
                std::all_of(p.rest.begin(), p.rest.begin() + long(eq), [](char c) { return is_upper(c) || is_digit(c) || c == '_'; })) {
                count("/dev/kmsg dictionary lines");   // " SUBSYSTEM=..." after a record
                continue;
            }
        }
        Work w;
        w.line.lineno = p.lineno;
        w.last_raw = p.raw;
        w.trail = p.trail;
        if (pre.len) {
            for (const char* k : pre.kinds) {
                std::string what = std::string(k) == "journal"     ? "journal/syslog prefixes"
                                   : std::string(k) == "dmesg -x"  ? "dmesg -x facility:level"
                                   : std::string(k) == "kmsg"      ? "/dev/kmsg record prefixes"
                                   : std::string(k) == "level"     ? "<N> levels"
                                   : std::string(k) == "dmesg -T"  ? "dmesg -T times"
                                                                   : "timestamps";
                count(what);
            }
            kmsg_log = kmsg_log || pre.kmsg;
            // a record of its own: a line with a time ("<6>" alone is also printed on
            // lines a console shows without it)
            w.record = !pre.stamp.empty();
            records += w.record;
            w.stamp = pre.stamp;
            w.prefix_cols = pre.len;
            w.line.text = p.rest.substr(pre.len);
        } else {
            w.line.text = ws + p.rest;
        }
        // a multi-line record with its newlines escaped (/dev/kmsg, journal exports)
        size_t x = w.line.text.find("\\x0a");
        if (x == std::string::npos) {
            lines.push_back(std::move(w));
            continue;
        }
        ++rep.split;
        std::string all = w.line.text;
        w.line.text = all.substr(0, x);
        lines.push_back(w);
        while (x != std::string::npos) {
            size_t next = all.find("\\x0a", x + 4);
            Work c = w;
            c.record = false;
            c.cont = true;
            c.line.text = all.substr(x + 4, next == std::string::npos ? std::string::npos : next - x - 4);
            if (!c.line.text.empty()) lines.push_back(std::move(c));
            x = next;
        }
    }
    if (indented) {
        std::string what;
        for (auto& [d, s] : pub)
            if (!s.empty()) {
                bool tab = s.find('\t') != std::string::npos;
                std::string w = tab && s.size() == 1 ? "tab" : tab ? "mixed blank" : fmt::format("{}-space", s.size());
                if (what.find(w) == std::string::npos) what += (what.empty() ? "" : "/") + w;
            }
        if (!what.empty()) removed[what + " indentation"] = indented, order.push_back(what + " indentation");
    }

    // 4. lines the capture wrapped: rejoined
    size_t kernel_lines = lines.size();
    // a capture with timestamps (a serial console also shows the boot loader's and
    // user space's lines without them)
    const bool timed = kernel_lines && records * 4 >= kernel_lines;
    size_t R = 0, at_R = 0;
    for (const auto& p : phys) R = std::max(R, p.raw);
    for (const auto& p : phys) at_R += p.raw == R;
    // a capture of a fixed width: several lines end at the widest.  A line
    // continued after exactly that width (or after a terminal's 80 columns) was
    // cut mid-word: it is rejoined without a blank
    const bool fixed_width = at_R >= 2 && R >= 40 && R <= 200;
    // without timestamps: a hard wrap leaves more lines at the width than just
    // below it, a word wrap the other way round
    size_t near_R = 0;
    for (const auto& p : phys) near_R += p.raw < R && p.raw + 12 >= R;
    const bool hard_width = R == 80 || (fixed_width && at_R >= near_R);
    auto indent_of = [](const std::string& t) {
        size_t k = 0;
        while (k < t.size() && is_blank(t[k])) ++k;
        return k;
    };
    auto parens = [](const std::string& t) {
        long d = 0;
        for (char c : t) d += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
        return d;
    };
    // "subsys: ..." ("cma: Reserved", "pcpu-alloc: s0")
    auto subsys_prefix = [](const std::string& t) {
        size_t j = 0;
        while (j < t.size() && (is_word(t[j]) || t[j] == '-' || t[j] == '.' || t[j] == '/')) ++j;
        return j && j + 1 < t.size() && t[j] == ':' && t[j + 1] == ' ';
    };
    // a line that surely starts a kernel message of its own (for captures without
    // timestamps): indented, "subsys: ...", "Virtual kernel ..."
    auto line_start = [&](const std::string& t) {
        if (t.empty() || indent_of(t) || kernel_indented(t) || t[0] == '[' || t[0] == '<' || subsys_prefix(t)) return true;
        size_t j = 1;
        while (j < t.size() && is_lower(t[j])) ++j;
        return is_upper(t[0]) && j >= 2 && j + 1 < t.size() && t[j] == ' ' && is_alpha(t[j + 1]);
    };
    auto cmdline_tokens = [](const std::string& t) {
        bool eq = false;
        size_t k = 0;
        while (k < t.size()) {
            while (k < t.size() && t[k] == ' ') ++k;
            size_t b = k;
            while (k < t.size() && t[k] != ' ') ++k;
            if (k == b) break;
            std::string_view tok(t.data() + b, k - b);
            size_t e = tok.find('=');
            eq = eq || e != std::string_view::npos;
            if (e != std::string_view::npos) {
                // key=value: the key is a parameter name
                if (e == 0) return false;
                for (char c : tok.substr(0, e))
                    if (!(is_word(c) || c == '.' || c == '-')) return false;
            } else if (tok.back() == ':' || is_upper(tok[0])) {
                return false;   // "entries:", "PID": a kernel message, not parameters
            }
        }
        return eq;
    };
    // the line `j` continues `i` by its content: a "Linux version", "Memory:" or
    // "Kernel command line:" line the capture wrapped (mail, no timestamps)
    auto continues = [&](const Work& i, const Work& j) {
        const std::string& a = i.line.text;
        const std::string& b = j.line.text;
        if (b.empty() || indent_of(b) || (j.record && j.stamp != i.stamp) || j.cont) return false;
        const bool subsys = subsys_prefix(b);
        if (starts_with(a, "Linux version ")) {
            if ((b[0] == '(' || b[0] == '#') && !subsys) return true;
            bool has_build = a.find(" #") != std::string::npos;
            size_t e = a.size();
            bool year_end = e >= 4 && is_digit(a[e - 1]) && is_digit(a[e - 2]) && is_digit(a[e - 3]) && is_digit(a[e - 4]) &&
                            (e == 4 || a[e - 5] == ' ');
            if (has_build && !year_end && b.size() <= 40) {
                size_t e2 = b.size();
                if (e2 >= 4 && std::all_of(b.end() - 4, b.end(), [](char c) { return is_digit(c); }) &&
                    std::all_of(b.begin(), b.end(), [](char c) { return is_word(c) || c == ' ' || c == ':' || c == '+'; }))
                    return true;
            }
        }
        if (starts_with(a, "Kernel command line:") && cmdline_tokens(b)) return true;
        // an open parenthesis, or a line ending in ':' or ',' before a value ("Total pages:" "16198")
        bool open = parens(a) > 0 || (!a.empty() && (a.back() == ':' || a.back() == ','));
        if (open && (is_lower(b[0]) || is_digit(b[0]) || b[0] == '(' || b[0] == '[') && !subsys) return true;
        return false;
    };
    // without timestamps, lines at the capture width were either wrapped (what
    // follows them is the rest of a line) or cut (a new line follows): most
    // successors starting a kernel line of their own tell a cut capture
    bool wrapped_capture = false;
    if (fixed_width && !timed) {
        size_t starts = 0, all = 0;
        for (size_t k = 0; k + 1 < lines.size(); ++k)
            if (lines[k].last_raw == R && !lines[k + 1].record) ++all, starts += line_start(lines[k + 1].line.text);
        wrapped_capture = all && starts * 2 < all;
    }
    // with timestamps the wrapped lines are known (a line without one follows
    // them): cut mid-word when most of them end at the capture width, else a
    // mail client's word wrap (the blank it broke at is put back)
    size_t heads = 0, heads_at_R = 0;
    if (timed)
        for (size_t k = 0; k + 1 < lines.size(); ++k)
            if ((lines[k].record || lines[k].last_raw == R) && !lines[k + 1].record && !lines[k + 1].cont &&
                indent_of(lines[k + 1].line.text) < 8)
                ++heads, heads_at_R += lines[k].last_raw == R;
    const bool hard_wraps = hard_width && (!timed || heads_at_R * 2 > heads);
    std::vector<Work> joined;
    for (auto& w : lines) {
        if (!joined.empty()) {
            Work& prev = joined.back();
            bool hard = hard_wraps && prev.last_raw == R;
            bool join = false;
            if (timed && !w.record && !w.cont) {
                size_t lead = indent_of(w.line.text);
                if (lead >= 8 && (prev.record || prev.cont)) {
                    // dmesg(1)/journalctl continuation line of a multi-line record: under the text column
                    w.cont = true;
                    size_t col = prev.prefix_cols;
                    w.prefix_cols = col;
                    w.stamp = prev.stamp;
                    w.line.text.erase(0, std::min(lead, col));
                } else if (prev.record && prev.line.text.size() + w.line.text.size() < kMaxLine) {
                    // the rest of a wrapped record: after a line cut at the capture width, or
                    // after a long line when it does not read as a line of its own
                    join = hard || (prev.line.text.size() + 15 >= 40 && !line_start(w.line.text));
                }
            } else if (!timed && wrapped_capture && prev.last_raw == R && !line_start(w.line.text)) {
                join = true;
            }
            if (!join && continues(prev, w)) join = true;
            if (join) {
                if (hard) prev.line.text += prev.trail;
                else if (!w.line.text.empty() && !prev.line.text.empty()) prev.line.text += ' ';
                prev.line.text += w.line.text;
                prev.last_raw = w.last_raw;
                prev.trail = w.trail;
                ++rep.rejoined;
                if (rep.rejoined_at.empty() || rep.rejoined_at.back() != prev.line.lineno)
                    rep.rejoined_at.push_back(prev.line.lineno);
                continue;
            }
        }
        joined.push_back(std::move(w));
    }

    // 5. widths as printed, and lines the capture cut at a fixed width
    std::map<size_t, size_t> widths;
    size_t W = 0;
    for (auto& w : joined) {
        w.line.raw_len = w.line.text.size() + (w.record ? 15 : 0);
        widths[w.line.raw_len]++;
        W = std::max(W, w.line.raw_len);
    }
    if (W >= 60 && W <= 132 && widths[W] >= 3) {
        rep.cut_width = W;
        for (auto& w : joined)
            if (w.line.raw_len == W) w.line.cut = true, rep.cut_lines.push_back(w.line.lineno);
    }
    for (const auto& o : order) rep.removed.emplace_back(o, removed[o]);
    out.lines.reserve(joined.size());
    for (auto& w : joined) out.lines.push_back(std::move(w.line));
    return out;
}

}  // namespace kmemkit
