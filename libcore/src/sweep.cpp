// Parameter sweeps over compute_layout() (the formulas live in layout.cpp).
#include "kmemkit/sweep.hpp"

#include <fmt/format.h>

#include "kmemkit/cmdline.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/number.hpp"

namespace kmemkit {

SweepSpec parse_sweep_spec(const std::string& text) {
    SweepSpec s;
    auto eq = text.find('=');
    auto dots = text.find("..");
    auto colon = text.rfind(':');
    if (eq == std::string::npos || dots == std::string::npos || dots < eq)
        throw Error(fmt::format("--sweep '{}' is not PARAM=FROM..TO[:STEP] (e.g. mem=128M..2G:128M)", text), {}, 0, 1);
    s.param = text.substr(0, eq);
    if (s.param != "mem" && s.param != "vmalloc")
        throw Error(fmt::format("--sweep: parameter '{}' is not mem or vmalloc", s.param), {}, 0, 1);
    if (colon == std::string::npos || colon < dots) colon = text.size();
    auto field = [&](size_t a, size_t b, const char* what) {
        try {
            return parse_size(text.substr(a, b - a));
        } catch (const Error& e) {
            throw Error(fmt::format("--sweep: {}: {}", what, e.what()), {}, 0, int(a) + 1);
        }
    };
    s.from = field(eq + 1, dots, "FROM");
    s.to = field(dots + 2, colon, "TO");
    s.step = colon < text.size() ? field(colon + 1, text.size(), "STEP") : (s.param == "mem" ? 128u << 20 : 16u << 20);
    if (s.step == 0) throw Error("--sweep: STEP is 0");
    if (s.from == 0) throw Error("--sweep: FROM is 0");
    if (s.to < s.from) throw Error("--sweep: TO is below FROM");
    if ((s.to - s.from) / s.step + 1 > kMaxSweepRows)
        throw Error(fmt::format("--sweep: more than {} values; use a larger STEP", kMaxSweepRows));
    return s;
}

namespace {
std::string size_param(uint64_t v) {
    if (v % (1 << 20) == 0) return fmt::format("{}M", v >> 20);
    if (v % 1024 == 0) return fmt::format("{}K", v >> 10);
    return fmt::format("{}", v);
}
// "Truncating RAM at 0x... to -0x..." -> "Truncating RAM"; "887MB LOWMEM available." is not a warning
std::string abbreviate(const std::string& m) {
    for (const char* k : {"Truncating RAM", "Ignoring RAM", "Consider using a HIGHMEM", "vmalloc area is too big",
                          "Warning only", "Use a PAE", "Use a HIGHMEM64G"})
        if (m.rfind(k, 0) == 0) return k;
    // x86 highmem= refused (find_max_low_pfn() / lowmem_pfn_init() / highmem_pfn_init())
    if (m.rfind("only ", 0) == 0 && m.find("ignoring highmem size") != std::string::npos) return "highmem= ignored (bigger than highmem)";
    if (m.rfind("highmem size", 0) == 0)
        return m.find("lowmem") != std::string::npos ? "highmem= ignored (<64MB lowmem)" : "highmem= ignored (bigger than RAM)";
    if (m.rfind("ignoring highmem size", 0) == 0) return "highmem= ignored (no HIGHMEM)";
    if (m.find("too small") != std::string::npos) return "vmalloc too small";
    return m.size() > 32 ? m.substr(0, 32) : m;
}
}  // namespace

Board sweep_board(const Board& base, const SweepSpec& spec) {
    Board b = base;
    b.notes.clear();
    if (spec.param == "mem") drop_cmdline_mem(b, "sweeping mem=");
    return b;
}

std::vector<SweepRow> sweep_layout(const Board& base_in, const SweepSpec& spec) {
    const Board base = sweep_board(base_in, spec);
    std::vector<SweepRow> rows;
    for (uint64_t v = spec.from; v <= spec.to && rows.size() < kMaxSweepRows; v += spec.step) {
        SweepRow r;
        r.value = v;
        Board b = base;
        try {
            if (spec.param == "mem") {
                set_ram_size(b.profile, v);
            } else {
                std::string cl = base.cmdline.text;
                b.cmdline = parse_cmdline(cl + (cl.empty() ? "" : " ") + "vmalloc=" + size_param(v));
            }
            Layout l = compute_layout(b);
            for (const auto& x : l.ram) r.ram += x.size;
            r.lowmem = l.lowmem_bytes;
            r.highmem = l.highmem_bytes;
            r.dropped = l.dropped_bytes;
            r.high_memory = l.high_memory;
            r.vmalloc_start = l.vmalloc_start;
            r.vmalloc_end = l.vmalloc_end;
            r.vmalloc_size = l.vmalloc_end > l.vmalloc_start ? l.vmalloc_end - l.vmalloc_start : 0;
            for (const auto& m : l.messages)
                if (m.text.find("MEM available") == std::string::npos) {
                    std::string a = abbreviate(m.text);
                    if (r.warnings.empty() || r.warnings.back() != a) r.warnings.push_back(a);
                }
        } catch (const Error& e) {
            r.error = e.what();
        }
        rows.push_back(r);
        if (v > UINT64_MAX - spec.step) break;
    }
    return rows;
}

std::string sweep_table(const std::vector<SweepRow>& rows, const SweepSpec& spec, const Board& base) {
    Table t({{spec.param + "=", true},
             {"lowmem", true},
             {"highmem", true},
             {"vmalloc", true},
             {"high_memory"},
             {"VMALLOC_START"},
             {"dropped", true},
             {"kernel says"}});
    for (const auto& r : rows) {
        if (!r.error.empty()) {
            t.add({size_param(r.value), "-", "-", "-", "-", "-", "-", "error: " + r.error});
            continue;
        }
        std::string w;
        for (const auto& x : r.warnings) w += (w.empty() ? "" : "; ") + x;
        t.add({size_param(r.value), human_size(r.lowmem), human_size(r.highmem), human_size(r.vmalloc_size),
               hex32(r.high_memory), hex32(r.vmalloc_start), r.dropped ? human_size(r.dropped) : "0", w});
    }
    std::string head = fmt::format("{} (Linux {}), sweeping {}= from {} to {} in steps of {}{}\n\n", base.profile.name,
                                   base.profile.kernel.text, spec.param, human_size(spec.from), human_size(spec.to),
                                   human_size(spec.step),
                                   base.cmdline.text.empty() ? "" : ", command line \"" + base.cmdline.text + "\"");
    return head + t.render();
}

Value sweep_value(const std::vector<SweepRow>& rows, const SweepSpec& spec, const Board& base) {
    Value root = Value::object();
    root.set("schema_version", 1);
    root.set("profile", base.profile.name);
    root.set("kernel", base.profile.kernel.text);
    root.set("param", spec.param);
    Value a = Value::array();
    // every row has every key: a value no kernel boots with has its "error" and nulls
    for (const auto& r : rows) {
        const bool ok = r.error.empty();
        auto num = [&](uint64_t x) { return ok ? Value((unsigned long long)x) : Value(nullptr); };
        auto hex = [&](uint64_t x) { return ok ? Value(hex32(x)) : Value(nullptr); };
        Value v = Value::object();
        v.set("value", (unsigned long long)r.value);
        v.set("error", ok ? Value(nullptr) : Value(r.error));
        v.set("ram", num(r.ram));
        v.set("lowmem", num(r.lowmem));
        v.set("highmem", num(r.highmem));
        v.set("vmalloc_size", num(r.vmalloc_size));
        v.set("dropped", num(r.dropped));
        v.set("high_memory", num(r.high_memory));
        v.set("high_memory_hex", hex(r.high_memory));
        v.set("vmalloc_start", num(r.vmalloc_start));
        v.set("vmalloc_start_hex", hex(r.vmalloc_start));
        v.set("vmalloc_end", num(r.vmalloc_end));
        v.set("vmalloc_end_hex", hex(r.vmalloc_end));
        Value w = Value::array();
        for (const auto& x : r.warnings) w.push(x);
        v.set("warnings", w);
        a.push(v);
    }
    root.set("sweep", a);
    return root;
}

}  // namespace kmemkit
